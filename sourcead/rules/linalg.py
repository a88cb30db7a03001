"""Derivative rules for numpy.linalg, and for the matrix helpers those rules are written with.

Every rule is one expression of matrix products, solves and a few structural helpers
(`sourcead.runtime`: `mT`, `tril_half`, `inverse_gaps`, ...), each of which has rules below, so the
derivatives can be differentiated again. Stacks of matrices (leading batch axes) work wherever
NumPy accepts them. Conventions and limits, each a property of the mathematics, not of the code:

* cholesky and eigh/eigvalsh read one triangle of their argument (the lower, or UPLO's); the rules
  differentiate exactly that, so the cotangent lands on that triangle, not split over both.
* eigh: distinct eigenvalues (a repeated eigenvalue has no unique eigenvectors: the rule divides
  by zero and gives inf or nan). eigvalsh has no such limit beyond differentiability itself.
* eig/eigvals: distinct *real* eigenvalues (complex results are refused: sourcead has no complex
  support); eigenvectors are NumPy's unit columns. eig does not sort its results, so where LAPACK
  reorders them under a perturbation the results themselves jump.
* svd: ``full_matrices=False`` (or a square matrix), distinct nonzero singular values;
  ``compute_uv=False`` (and ``np.linalg.svdvals``) wherever the singular values are distinct;
  ``hermitian=True`` is refused with a hint.
* qr: the default reduced mode, square or tall matrices of full column rank.
* inv, solve, det, slogdet: nonsingular matrices. pinv: constant rank near the point (its
  ``hermitian=`` option is refused). lstsq: a of full rank (tall, square or wide); its solution,
  residuals and singular values are all differentiated.
* multi_dot: any chain, 1-D first and last operands included.
* matrix_power: any integer power (negative ones through the inverse); its derivative is the
  Frechet derivative read off the power of the block matrix [[a, t], [0, a]].
"""

from __future__ import annotations

import numpy as np

from .. import runtime
from ..runtime import (as_chain_result, as_columns, as_covariance, as_matrix, as_square, block_triangular,
                       chain_matrices, column_outer, covariance_adjoint, diag_congruence, diag_embed,
                       diag_sandwich, diagonal, diagonal_blocks_sum, effective_matrix,
                       effective_matrix_adjoint, fold_upper, inverse_gaps, mT, multi_dot_cotangents, mvn_points,
                       real_only, residual_cotangent, residual_tangent, scaled_congruence, scaled_product,
                       scipy_solve_columns, square_r, svd_gaps, symmetric_from_triangle, symmetric_from_upper,
                       transposed_if, triangle, triangle_of_symmetric, tril_half, unbroadcast, unchain_matrices,
                       upper_right_block, usv_product, usv_sandwich, zeros_like_float)
from .registry import adjoint, nondifferentiable, tangent

# ---- solving and inverting -------------------------------------------------------------------------


# x = solve(a, b): db = solve(a^T, dx), da = -db x^T (a vector b as a one-column matrix)
@adjoint(np.linalg.solve)
def solve_adjoint(ct, ans, a, b):
    return (unbroadcast(-np.linalg.solve(mT(a), as_columns(ct, a, b)) @ mT(as_columns(ans, a, b)), a),
            unbroadcast(np.reshape(np.linalg.solve(mT(a), as_columns(ct, a, b)), np.shape(ans)), b))


@tangent(np.linalg.solve)
def solve_tangent(t, ans, a, b):
    return -np.reshape(np.linalg.solve(a, t @ as_columns(ans, a, b)), np.shape(ans)), np.linalg.solve(a, t)


@adjoint(np.linalg.inv)
def inv_adjoint(ct, ans, a):
    return -mT(ans) @ ct @ mT(ans)


@tangent(np.linalg.inv)
def inv_tangent(t, ans, a):
    return -ans @ t @ ans


# d pinv (Golub and Pereyra), for a matrix whose rank does not change near the point (a call
# passing hermitian=, which reads one triangle only, is refused: the rules take no such option)
@adjoint(np.linalg.pinv)
def pinv_adjoint(ct, ans, a, rcond=None):
    return (-mT(ans) @ ct @ mT(ans) + (mT(ct) - a @ ans @ mT(ct)) @ ans @ mT(ans)
            + mT(ans) @ ans @ (mT(ct) - mT(ct) @ ans @ a))


@tangent(np.linalg.pinv)
def pinv_tangent(t, ans, a, rcond=None):
    return (-ans @ t @ ans + ans @ mT(ans) @ (mT(t) - mT(t) @ a @ ans)
            + (mT(t) - ans @ a @ mT(t)) @ mT(ans) @ ans)


# d det(a) = det(a) trace(a^-1 da)
@adjoint(np.linalg.det)
def det_adjoint(ct, ans, a):
    return np.expand_dims(ct * ans, (-2, -1)) * mT(np.linalg.inv(a))


@tangent(np.linalg.det)
def det_tangent(t, ans, a):
    return ans * np.trace(np.linalg.solve(a, t), axis1=-2, axis2=-1)


# slogdet returns (sign, log|det|): the sign is piecewise constant, so its cotangent is ignored
@adjoint(np.linalg.slogdet)
def slogdet_adjoint(ct, ans, a):
    return np.expand_dims(ct[1], (-2, -1)) * mT(np.linalg.inv(a))


# one entry, a pair: the tangents of (sign, log|det|)
@tangent(np.linalg.slogdet)
def slogdet_tangent(t, ans, a):
    return (0.0 * ans[0], np.trace(np.linalg.solve(a, t), axis1=-2, axis2=-1)),


@adjoint(np.linalg.matrix_power)
def matrix_power_adjoint(ct, ans, a, n):
    return upper_right_block(np.linalg.matrix_power(block_triangular(mT(a), ct), n)), None


@tangent(np.linalg.matrix_power)
def matrix_power_tangent(t, ans, a, n):
    return upper_right_block(np.linalg.matrix_power(block_triangular(a, t), n)), None


# lstsq(a, b) = (x, residuals, rank, s) for a of full rank: x = pinv(a) b, residuals = |b - a x|**2
# per column (when a is tall), s the singular values of a. With X, B, R = B - a X as matrices of
# columns and U = pinv(a)^T dX: db = U + 2 R dres, and da is d pinv's adjoint applied to dX b^T,
# less 2 R dres X^T, plus U_a diag(ds) V_a^T
@adjoint(np.linalg.lstsq)
def lstsq_adjoint(ct, ans, a, b, rcond=None):
    return (-np.linalg.lstsq(mT(a), as_matrix(ct[0]), rcond)[0] @ mT(as_matrix(ans[0]))
            + (as_matrix(b) - a @ as_matrix(ans[0]))
            @ mT(np.linalg.lstsq(a, np.linalg.lstsq(mT(a), as_matrix(ct[0]), rcond)[0], rcond)[0])
            + np.linalg.lstsq(mT(a), as_matrix(ans[0]), rcond)[0]
            @ mT(as_matrix(ct[0]) - mT(a) @ np.linalg.lstsq(mT(a), as_matrix(ct[0]), rcond)[0])
            - 2.0 * ((as_matrix(b) - a @ as_matrix(ans[0])) * residual_cotangent(ct[1], np.shape(as_matrix(b))[1]))
            @ mT(as_matrix(ans[0]))
            + scaled_product(np.linalg.svd(a, full_matrices=False)[0], ct[3],
                             mT(np.linalg.svd(a, full_matrices=False)[2])),
            np.reshape(np.linalg.lstsq(mT(a), as_matrix(ct[0]), rcond)[0]
                       + 2.0 * (as_matrix(b) - a @ as_matrix(ans[0]))
                       * residual_cotangent(ct[1], np.shape(as_matrix(b))[1]),
                       np.shape(b)))


# two entries, each a quadruple: the tangents of (x, residuals, rank, s)
@tangent(np.linalg.lstsq)
def lstsq_tangent(t, ans, a, b, rcond=None):
    return ((np.reshape(np.linalg.lstsq(a, -t @ as_matrix(ans[0]), rcond)[0]
                        + np.linalg.lstsq(a, np.linalg.lstsq(mT(a), mT(t) @ (as_matrix(b) - a @ as_matrix(ans[0])),
                                                             rcond)[0], rcond)[0]
                        + mT(t) @ np.linalg.lstsq(mT(a), as_matrix(ans[0]), rcond)[0]
                        - np.linalg.lstsq(a, a @ mT(t) @ np.linalg.lstsq(mT(a), as_matrix(ans[0]), rcond)[0],
                                          rcond)[0],
                        np.shape(ans[0])),
             residual_tangent(-2.0 * np.sum((as_matrix(b) - a @ as_matrix(ans[0])) * (t @ as_matrix(ans[0])),
                                            axis=0), ans[1]),
             0.0,
             diag_sandwich(np.linalg.svd(a, full_matrices=False)[0], t,
                           mT(np.linalg.svd(a, full_matrices=False)[2]))),
            (np.reshape(np.linalg.lstsq(a, as_matrix(t), rcond)[0], np.shape(ans[0])),
             residual_tangent(2.0 * np.sum((as_matrix(b) - a @ as_matrix(ans[0])) * as_matrix(t), axis=0), ans[1]),
             0.0,
             0.0 * ans[3]))


# multi_dot is multilinear: its tangent is the top-right block of the product of the blocks
# [[A_i, dA_i], [0, A_i]]; the cotangent of A_i is (A_1 ... A_i-1)^T dM (A_i+1 ... A_k)^T
@adjoint(np.linalg.multi_dot)
def multi_dot_adjoint(ct, ans, arrays, *, out=None):
    return unchain_matrices(multi_dot_cotangents(as_chain_result(ct, arrays), chain_matrices(arrays)), arrays)


@tangent(np.linalg.multi_dot)
def multi_dot_tangent(t, ans, arrays, *, out=None):
    return np.reshape(upper_right_block(np.linalg.multi_dot(block_triangular(chain_matrices(arrays), chain_matrices(t)))),
                      np.shape(ans))


# ---- factorizations --------------------------------------------------------------------------------


# L = cholesky(A), A read from its lower triangle: dL = L tril_half(L^-1 dA L^-T) (Murray 2016)
@adjoint(np.linalg.cholesky)
def cholesky_adjoint(ct, ans, a):
    return triangle_of_symmetric(np.linalg.solve(mT(ans), mT(np.linalg.solve(mT(ans), tril_half(mT(ans) @ ct)))))


@tangent(np.linalg.cholesky)
def cholesky_tangent(t, ans, a):
    return ans @ tril_half(np.linalg.solve(ans, mT(np.linalg.solve(ans, symmetric_from_triangle(t)))))


# A = Q R: with M = dA R^-1 and U = fold_upper(Q^T M), dQ = M - Q U and dR = U R
@adjoint(np.linalg.qr)
def qr_adjoint(ct, ans, a):
    return mT(np.linalg.solve(square_r(ans[1]), mT(ct[0] + ans[0] @ symmetric_from_upper(ct[1] @ mT(ans[1])
                                                                               - mT(ans[0]) @ ct[0]))))


# one entry, a pair: the tangents of (Q, R)
@tangent(np.linalg.qr)
def qr_tangent(t, ans, a):
    return (mT(np.linalg.solve(mT(square_r(ans[1])), mT(t)))
            - ans[0] @ fold_upper(mT(ans[0]) @ mT(np.linalg.solve(mT(ans[1]), mT(t)))),
            fold_upper(mT(ans[0]) @ mT(np.linalg.solve(mT(ans[1]), mT(t)))) @ ans[1]),


# A = V diag(w) V^T: dw = diag(V^T dA V), dV = V (F * (V^T dA V)), F[i, j] = 1 / (w[j] - w[i])
@adjoint(np.linalg.eigh)
def eigh_adjoint(ct, ans, a, UPLO="L"):
    return triangle_of_symmetric(
        ans[1] @ (diag_embed(ct[0]) + inverse_gaps(ans[0]) * (mT(ans[1]) @ ct[1])) @ mT(ans[1]), UPLO)


# one entry, a pair: the tangents of (w, V)
@tangent(np.linalg.eigh)
def eigh_tangent(t, ans, a, UPLO="L"):
    return (diag_congruence(symmetric_from_triangle(t, UPLO), ans[1]),
            ans[1] @ (inverse_gaps(ans[0]) * (mT(ans[1]) @ symmetric_from_triangle(t, UPLO) @ ans[1]))),


@adjoint(np.linalg.eigvalsh)
def eigvalsh_adjoint(ct, ans, a, UPLO="L"):
    return triangle_of_symmetric(scaled_congruence(np.linalg.eigh(a, UPLO)[1], ct), UPLO)


@tangent(np.linalg.eigvalsh)
def eigvalsh_tangent(t, ans, a, UPLO="L"):
    return diag_congruence(symmetric_from_triangle(t, UPLO), np.linalg.eigh(a, UPLO)[1])


# A V = V diag(w) with distinct real w and unit columns of V: with M = V^-1 dA V and
# C = inverse_gaps(w) * M, dw = diag(M) and dV = V (C - diag(V^T V C)) (the diagonal term keeps
# the columns unit vectors)
@adjoint(np.linalg.eig)
def eig_adjoint(ct, ans, a):
    # np.real: NumPy 2.5 gives eig's real results a complex dtype (real_only refuses truly complex ones)
    return np.real(np.linalg.solve(mT(real_only(ans[1], "np.linalg.eig")), (diag_embed(ct[0]) + inverse_gaps(ans[0]) * (
        mT(ans[1]) @ ct[1] - mT(ans[1]) @ ans[1] @ diag_embed(diagonal(mT(ans[1]) @ ct[1])))) @ mT(ans[1])))


# one entry, a pair: the tangents of (w, V)
@tangent(np.linalg.eig)
def eig_tangent(t, ans, a):
    return (np.real(diagonal(np.linalg.solve(real_only(ans[1], "np.linalg.eig"), t @ ans[1]))),
            np.real(ans[1] @ (inverse_gaps(ans[0]) * np.linalg.solve(ans[1], t @ ans[1])
                              - diag_embed(diagonal(mT(ans[1]) @ ans[1] @ (inverse_gaps(ans[0])
                                                                           * np.linalg.solve(ans[1], t @ ans[1]))))))),


@adjoint(np.linalg.eigvals)
def eigvals_adjoint(ct, ans, a):
    return np.real(np.linalg.solve(mT(real_only(np.linalg.eig(a)[1], "np.linalg.eigvals")),
                                   np.expand_dims(ct, -1) * mT(np.linalg.eig(a)[1])))


@tangent(np.linalg.eigvals)
def eigvals_tangent(t, ans, a):
    return np.real(diagonal(np.linalg.solve(real_only(np.linalg.eig(a)[1], "np.linalg.eigvals"),
                                            t @ np.linalg.eig(a)[1])))


# With compute_uv=False (the singular values alone): ds = diag(U^T dA V), so the cotangent is
# U diag(ds-bar) Vh, from a reduced SVD (its U and Vh have rules: second derivatives work); with
# hermitian=True, svd_gaps refuses the call. The options are constants in a call, so the inlined
# rule keeps one branch.
# A = U diag(s) Vh (Townsend 2016): with F = inverse_gaps(s**2), J = F * (U^T dU-bar - ...), ...
@adjoint(np.linalg.svd)
def svd_adjoint(ct, ans, a, full_matrices=True, compute_uv=True, hermitian=False):
    return (ans[0] @ (svd_gaps(ans, a, full_matrices, compute_uv, hermitian)
                      * (mT(ans[0]) @ ct[0] - mT(ct[0]) @ ans[0]) * np.expand_dims(ans[1], -2)
                      + diag_embed(ct[1])
                      + np.expand_dims(ans[1], -1) * svd_gaps(ans, a, full_matrices, compute_uv, hermitian)
                      * (ans[2] @ mT(ct[2]) - ct[2] @ mT(ans[2])))
            @ ans[2]
            + (ct[0] - ans[0] @ (mT(ans[0]) @ ct[0])) / np.expand_dims(ans[1], -2) @ ans[2]
            + ans[0] / np.expand_dims(ans[1], -2) @ (ct[2] - ct[2] @ mT(ans[2]) @ ans[2])
            if compute_uv else svd_gaps(ans, a, full_matrices, compute_uv, hermitian) if hermitian
            else usv_product(np.linalg.svd(a, full_matrices=False), ct))


# one entry, a triple: the tangents of (U, s, Vh), with P = U^T dA V (with compute_uv=False, the
# tangent of s alone)
@tangent(np.linalg.svd)
def svd_tangent(t, ans, a, full_matrices=True, compute_uv=True, hermitian=False):
    return ((ans[0] @ (svd_gaps(ans, a, full_matrices, compute_uv, hermitian)
                      * (mT(ans[0]) @ t @ mT(ans[2]) * np.expand_dims(ans[1], -2)
                         + np.expand_dims(ans[1], -1) * (ans[2] @ mT(t) @ ans[0])))
            + (t @ mT(ans[2]) - ans[0] @ (mT(ans[0]) @ t @ mT(ans[2]))) / np.expand_dims(ans[1], -2),
            diag_sandwich(ans[0], t, mT(ans[2])),
            -(svd_gaps(ans, a, full_matrices, compute_uv, hermitian)
              * (np.expand_dims(ans[1], -1) * (mT(ans[0]) @ t @ mT(ans[2]))
                 + (ans[2] @ mT(t) @ ans[0]) * np.expand_dims(ans[1], -2))) @ ans[2]
            + (mT(ans[0]) @ t - (mT(ans[0]) @ t @ mT(ans[2])) @ ans[2]) / np.expand_dims(ans[1], -1))
            if compute_uv else svd_gaps(ans, a, full_matrices, compute_uv, hermitian) if hermitian
            else usv_sandwich(np.linalg.svd(a, full_matrices=False), t)),


# ---- the matrix helpers the rules above are written with (sourcead.runtime) -----------------------


@adjoint(runtime.mT)
def mT_adjoint(ct, ans, x):
    return mT(ct)


@tangent(runtime.mT)
def mT_tangent(t, ans, x):
    return mT(t)


# masking a triangle is its own adjoint
@adjoint(runtime.tril_half)
def tril_half_adjoint(ct, ans, x):
    return tril_half(ct)


@tangent(runtime.tril_half)
def tril_half_tangent(t, ans, x):
    return tril_half(t)


@adjoint(runtime.symmetric_from_triangle)
def symmetric_from_triangle_adjoint(ct, ans, x, uplo="L"):
    return triangle_of_symmetric(ct, uplo)


@tangent(runtime.symmetric_from_triangle)
def symmetric_from_triangle_tangent(t, ans, x, uplo="L"):
    return symmetric_from_triangle(t, uplo)


@adjoint(runtime.triangle_of_symmetric)
def triangle_of_symmetric_adjoint(ct, ans, g, uplo="L"):
    return symmetric_from_triangle(ct, uplo)


@tangent(runtime.triangle_of_symmetric)
def triangle_of_symmetric_tangent(t, ans, g, uplo="L"):
    return triangle_of_symmetric(t, uplo)


@adjoint(runtime.fold_upper)
def fold_upper_adjoint(ct, ans, c):
    return symmetric_from_upper(ct)


@tangent(runtime.fold_upper)
def fold_upper_tangent(t, ans, c):
    return fold_upper(t)


@adjoint(runtime.symmetric_from_upper)
def symmetric_from_upper_adjoint(ct, ans, b):
    return fold_upper(ct)


@tangent(runtime.symmetric_from_upper)
def symmetric_from_upper_tangent(t, ans, b):
    return symmetric_from_upper(t)


@adjoint(runtime.diagonal)
def diagonal_adjoint(ct, ans, x):
    return diag_embed(ct)


@tangent(runtime.diagonal)
def diagonal_tangent(t, ans, x):
    return diagonal(t)


@adjoint(runtime.diag_embed)
def diag_embed_adjoint(ct, ans, d):
    return diagonal(ct)


@tangent(runtime.diag_embed)
def diag_embed_tangent(t, ans, d):
    return diag_embed(t)


# F[i, j] = 1 / (w[j] - w[i]): dF[i, j] = -F[i, j]**2 (dw[j] - dw[i])
@adjoint(runtime.inverse_gaps)
def inverse_gaps_adjoint(ct, ans, w):
    return np.sum(ct * ans ** 2, axis=-1) - np.sum(ct * ans ** 2, axis=-2)


@tangent(runtime.inverse_gaps)
def inverse_gaps_tangent(t, ans, w):
    return -ans ** 2 * (np.expand_dims(t, -2) - np.expand_dims(t, -1))


# svd_gaps(usv, ...) = inverse_gaps(s**2) for the factors usv = (U, s, Vh); checks svd's options
@adjoint(runtime.svd_gaps)
def svd_gaps_adjoint(ct, ans, usv, a, full_matrices=True, compute_uv=True, hermitian=False):
    return (0.0 * usv[0], 2.0 * usv[1] * (np.sum(ct * ans ** 2, axis=-1) - np.sum(ct * ans ** 2, axis=-2)),
            0.0 * usv[2]), None


@tangent(runtime.svd_gaps)
def svd_gaps_tangent(t, ans, usv, a, full_matrices=True, compute_uv=True, hermitian=False):
    return -ans ** 2 * (np.expand_dims(2.0 * usv[1] * t[1], -2) - np.expand_dims(2.0 * usv[1] * t[1], -1)), None


# diag_sandwich(u, c, v) = diagonal(u^T c v) and scaled_product(u, g, v) = u diag(g) v^T are
# each other's adjoints in c and g
@adjoint(runtime.diag_sandwich)
def diag_sandwich_adjoint(ct, ans, u, c, v):
    return ((c @ v) * np.expand_dims(ct, -2), scaled_product(u, ct, v), (mT(c) @ u) * np.expand_dims(ct, -2))


@tangent(runtime.diag_sandwich)
def diag_sandwich_tangent(t, ans, u, c, v):
    return diag_sandwich(t, c, v), diag_sandwich(u, t, v), diag_sandwich(u, c, t)


@adjoint(runtime.scaled_product)
def scaled_product_adjoint(ct, ans, u, g, v):
    return ((ct @ v) * np.expand_dims(g, -2), diag_sandwich(u, ct, v), (mT(ct) @ u) * np.expand_dims(g, -2))


@tangent(runtime.scaled_product)
def scaled_product_tangent(t, ans, u, g, v):
    return scaled_product(t, g, v), scaled_product(u, t, v), scaled_product(u, g, t)


# usv_product(usv, g) = U diag(g) Vh and usv_sandwich(usv, c) = diagonal(U^T c Vh^T) for
# usv = (U, s, Vh): each other's adjoints in g and c; neither reads s
@adjoint(runtime.usv_product)
def usv_product_adjoint(ct, ans, usv, g):
    return ((ct @ mT(usv[2])) * np.expand_dims(g, -2), 0.0 * usv[1], np.expand_dims(g, -1) * (mT(usv[0]) @ ct)), \
        usv_sandwich(usv, ct)


@tangent(runtime.usv_product)
def usv_product_tangent(t, ans, usv, g):
    return scaled_product(t[0], g, mT(usv[2])) + scaled_product(usv[0], g, mT(t[2])), usv_product(usv, t)


@adjoint(runtime.usv_sandwich)
def usv_sandwich_adjoint(ct, ans, usv, c):
    return ((c @ mT(usv[2])) * np.expand_dims(ct, -2), 0.0 * usv[1], np.expand_dims(ct, -1) * (mT(usv[0]) @ c)), \
        usv_product(usv, ct)


@tangent(runtime.usv_sandwich)
def usv_sandwich_tangent(t, ans, usv, c):
    return diag_sandwich(t[0], c, mT(usv[2])) + diag_sandwich(usv[0], c, mT(t[2])), usv_sandwich(usv, t)


# diag_congruence(c, v) = diagonal(v^T c v) and scaled_congruence(v, g) = v diag(g) v^T
@adjoint(runtime.diag_congruence)
def diag_congruence_adjoint(ct, ans, c, v):
    return scaled_congruence(v, ct), ((c + mT(c)) @ v) * np.expand_dims(ct, -2)


@tangent(runtime.diag_congruence)
def diag_congruence_tangent(t, ans, c, v):
    return diag_congruence(t, v), diag_sandwich(t, c, v) + diag_sandwich(v, c, t)


@adjoint(runtime.scaled_congruence)
def scaled_congruence_adjoint(ct, ans, v, g):
    return ((ct + mT(ct)) @ v) * np.expand_dims(g, -2), diag_congruence(ct, v)


@tangent(runtime.scaled_congruence)
def scaled_congruence_tangent(t, ans, v, g):
    return scaled_product(t, g, v) + scaled_product(v, g, t), scaled_congruence(v, t)


# as_columns only reshapes; a and b decide how, and carry no derivative through it
@adjoint(runtime.as_columns)
def as_columns_adjoint(ct, ans, v, a, b):
    return np.reshape(ct, np.shape(v)), None, None


@tangent(runtime.as_columns)
def as_columns_tangent(t, ans, v, a, b):
    return as_columns(t, a, b), None, None


@adjoint(runtime.scipy_solve_columns)
def scipy_solve_columns_adjoint(ct, ans, v, a, b):
    return np.reshape(ct, np.shape(v)), None, None


@tangent(runtime.scipy_solve_columns)
def scipy_solve_columns_tangent(t, ans, v, a, b):
    return scipy_solve_columns(t, a, b), None, None


@adjoint(runtime.block_triangular)
def block_triangular_adjoint(ct, ans, a, d):
    return diagonal_blocks_sum(ct), upper_right_block(ct)


@tangent(runtime.block_triangular)
def block_triangular_tangent(t, ans, a, d):
    return block_triangular(t, zeros_like_float(t)), block_triangular(zeros_like_float(t), t)


@adjoint(runtime.upper_right_block)
def upper_right_block_adjoint(ct, ans, x):
    return block_triangular(zeros_like_float(ct), ct)


@tangent(runtime.upper_right_block)
def upper_right_block_tangent(t, ans, x):
    return upper_right_block(t)


@adjoint(runtime.diagonal_blocks_sum)
def diagonal_blocks_sum_adjoint(ct, ans, x):
    return block_triangular(ct, zeros_like_float(ct))


@tangent(runtime.diagonal_blocks_sum)
def diagonal_blocks_sum_tangent(t, ans, x):
    return diagonal_blocks_sum(t)


# ---- helpers the scipy.linalg and scipy.stats rules call (NumPy only, so registered always) --------


# masking a triangle and transposing are their own adjoints
@adjoint(runtime.triangle)
def triangle_adjoint(ct, ans, x, lower=False, unit_diagonal=False):
    return triangle(ct, lower, unit_diagonal)


@tangent(runtime.triangle)
def triangle_tangent(t, ans, x, lower=False, unit_diagonal=False):
    return triangle(t, lower, unit_diagonal)


@adjoint(runtime.transposed_if, differentiable=("x",))
def transposed_if_adjoint(ct, ans, x, flag):
    return transposed_if(ct, flag)


@tangent(runtime.transposed_if, differentiable=("x",))
def transposed_if_tangent(t, ans, x, flag):
    return transposed_if(t, flag)


@adjoint(runtime.chain_matrices)
def chain_matrices_adjoint(ct, ans, arrays):
    return unchain_matrices(ct, arrays)


@tangent(runtime.chain_matrices)
def chain_matrices_tangent(t, ans, arrays):
    return chain_matrices(t)


@adjoint(runtime.unchain_matrices)
def unchain_matrices_adjoint(ct, ans, gs, arrays):
    return chain_matrices(ct), None


@tangent(runtime.unchain_matrices)
def unchain_matrices_tangent(t, ans, gs, arrays):
    return unchain_matrices(t, arrays), None


@adjoint(runtime.as_chain_result)
def as_chain_result_adjoint(ct, ans, g, arrays):
    return np.reshape(ct, np.shape(g)), None


@tangent(runtime.as_chain_result)
def as_chain_result_tangent(t, ans, g, arrays):
    return as_chain_result(t, arrays), None


# multi_dot_cotangents(g, A) is linear in g (its adjoint there is multi_dot's tangent map) and
# multilinear in A; both derivatives in A are read off the same function of block matrices
@adjoint(runtime.multi_dot_cotangents)
def multi_dot_cotangents_adjoint(ct, ans, g, matrices):
    return (upper_right_block(np.linalg.multi_dot(block_triangular(matrices, ct))),
            diagonal_blocks_sum(multi_dot_cotangents(block_triangular(zeros_like_float(g), g),
                                                     block_triangular(matrices, ct))))


@tangent(runtime.multi_dot_cotangents)
def multi_dot_cotangents_tangent(t, ans, g, matrices):
    return (multi_dot_cotangents(t, matrices),
            mT(upper_right_block(mT(multi_dot_cotangents(block_triangular(g, zeros_like_float(g)),
                                                         block_triangular(matrices, t))))))


@adjoint(runtime.as_matrix)
def as_matrix_adjoint(ct, ans, v):
    return np.reshape(ct, np.shape(v))


@tangent(runtime.as_matrix)
def as_matrix_tangent(t, ans, v):
    return as_matrix(t)


# as_square only reshapes a number to a 1 x 1 matrix; sqrtm_operand does so after checking ans
@adjoint(runtime.as_square)
def as_square_adjoint(ct, ans, a):
    return np.reshape(ct, np.shape(a))


@tangent(runtime.as_square)
def as_square_tangent(t, ans, a):
    return as_square(t)


# (sqrtm_of_a is only checked: it varies when sqrtm is differentiated twice)
@adjoint(runtime.sqrtm_operand, differentiable=("a", "sqrtm_of_a"))
def sqrtm_operand_adjoint(ct, ans, a, sqrtm_of_a):
    return np.reshape(ct, np.shape(a)), None


@tangent(runtime.sqrtm_operand, differentiable=("a", "sqrtm_of_a"))
def sqrtm_operand_tangent(t, ans, a, sqrtm_of_a):
    return as_square(t), None


@adjoint(runtime.column_outer)
def column_outer_adjoint(ct, ans, u, v):
    return np.reshape(ct @ as_matrix(v), np.shape(u)), np.reshape(mT(ct) @ as_matrix(u), np.shape(v))


@tangent(runtime.column_outer)
def column_outer_tangent(t, ans, u, v):
    return column_outer(t, v), column_outer(u, t)


@adjoint(runtime.effective_matrix)
def effective_matrix_adjoint_rule(ct, ans, a, assume_a=None, lower=False, transposed=False):
    return effective_matrix_adjoint(ct, assume_a, lower, transposed)


@tangent(runtime.effective_matrix)
def effective_matrix_tangent(t, ans, a, assume_a=None, lower=False, transposed=False):
    return effective_matrix(t, assume_a, lower, transposed)


@adjoint(runtime.effective_matrix_adjoint)
def effective_matrix_adjoint_adjoint(ct, ans, g, assume_a=None, lower=False, transposed=False):
    return effective_matrix(ct, assume_a, lower, transposed)


@tangent(runtime.effective_matrix_adjoint)
def effective_matrix_adjoint_tangent(t, ans, g, assume_a=None, lower=False, transposed=False):
    return effective_matrix_adjoint(t, assume_a, lower, transposed)


@adjoint(runtime.one_if_none)
def one_if_none_adjoint(ct, ans, v):
    return ct


@tangent(runtime.one_if_none)
def one_if_none_tangent(t, ans, v):
    return t


@adjoint(runtime.zero_if_none)
def zero_if_none_adjoint(ct, ans, v):
    return ct


@tangent(runtime.zero_if_none)
def zero_if_none_tangent(t, ans, v):
    return t


# x only decides the size of a scalar covariance's identity
@adjoint(runtime.as_covariance)
def as_covariance_adjoint(ct, ans, cov, x):
    return covariance_adjoint(ct, cov), None


@tangent(runtime.as_covariance)
def as_covariance_tangent(t, ans, cov, x):
    return as_covariance(t, x), None


# mvn_points only reshapes x; mean and cov decide how
@adjoint(runtime.mvn_points, differentiable=("x",))
def mvn_points_adjoint(ct, ans, x, mean=None, cov=1):
    return np.reshape(ct, np.shape(x))


@tangent(runtime.mvn_points, differentiable=("x",))
def mvn_points_tangent(t, ans, x, mean=None, cov=1):
    return mvn_points(t, mean, cov)


@adjoint(runtime.covariance_adjoint)
def covariance_adjoint_adjoint(ct, ans, g, cov):
    return as_covariance(ct, g), None


@tangent(runtime.covariance_adjoint)
def covariance_adjoint_tangent(t, ans, g, cov):
    return covariance_adjoint(t, cov), None


@adjoint(runtime.square_r)
def square_r_adjoint(ct, ans, r):
    return ct


@tangent(runtime.square_r)
def square_r_tangent(t, ans, r):
    return t


@adjoint(runtime.real_only, differentiable=("x",))
def real_only_adjoint(ct, ans, x, what):
    return ct


@tangent(runtime.real_only, differentiable=("x",))
def real_only_tangent(t, ans, x, what):
    return t


@adjoint(runtime.residual_cotangent, differentiable=("g",))
def residual_cotangent_adjoint(ct, ans, g, k):
    return residual_tangent(ct, g)


@tangent(runtime.residual_cotangent, differentiable=("g",))
def residual_cotangent_tangent(t, ans, g, k):
    return residual_cotangent(t, k)


@adjoint(runtime.residual_tangent)
def residual_tangent_adjoint(ct, ans, v, residuals):
    return residual_cotangent(ct, np.shape(v)[0]), None


@tangent(runtime.residual_tangent)
def residual_tangent_tangent(t, ans, v, residuals):
    return residual_tangent(t, residuals), None


nondifferentiable(runtime.transposes, runtime.other_trans, runtime.zeros_like_float, np.linalg.matrix_rank)
