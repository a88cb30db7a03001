"""Derivative rules for scipy.linalg: solve_triangular, cholesky, cho_factor and cho_solve, the
matrix functions (expm, logm, sqrtm, fractional_matrix_power, cosm, sinm, tanm and their
hyperbolic kin), and solve, inv and det as in numpy.linalg.

Imported only when a differentiated function calls into SciPy (see `registry`). Like LAPACK, the
rules read only the triangle a function reads: solve_triangular's `lower` triangle (without the
diagonal when `unit_diagonal`), cho_factor's triangle, solve's for a symmetric `assume_a`. The
other triangle of cho_factor's result holds a's entries unchanged, and is differentiated so.
A matrix function's derivative is its Frechet derivative, read off the function of the block
matrix [[A, E], [0, A]] (top right); its adjoint is the Frechet derivative at A^T.
Matrices are two-dimensional (stacks only where noted); the `overwrite_*` options must be left
False when the overwritten argument is differentiated. cholesky, cho_factor and expm take a number
(a 0-d or one-element 1-D array) as a 1 x 1 matrix, as SciPy does, and its cotangent has its shape;
sqrtm does too, except where SciPy returns exp(a) for it (1.16-1.17), which is refused. solve of a
number a (which SciPy divides b by) is refused with the hint to write b / a.
"""

from __future__ import annotations

import numpy as np
from scipy import linalg

from ..runtime import (as_square, block_triangular, column_outer, effective_matrix, effective_matrix_adjoint, mT,
                        other_trans, scipy_solve_columns, sqrtm_operand, symmetric_from_triangle, transposed_if,
                        transposes, triangle, triangle_of_symmetric, tril_half, upper_right_block)
from .registry import adjoint, tangent

# x = op(T)^-1 b with T the triangle of a read: db = op(T)^-T dx, and dT = -db x^T (transposed
# back for trans), restricted to that triangle


@adjoint(linalg.solve_triangular)
def solve_triangular_adjoint(ct, ans, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                             check_finite=True):
    return (-triangle(transposed_if(column_outer(linalg.solve_triangular(a, ct, other_trans(trans), lower,
                                                                        unit_diagonal), ans),
                                    transposes(trans)), lower, unit_diagonal),
            linalg.solve_triangular(a, ct, other_trans(trans), lower, unit_diagonal))


@tangent(linalg.solve_triangular)
def solve_triangular_tangent(t, ans, a, b, trans=0, lower=False, unit_diagonal=False, overwrite_b=False,
                             check_finite=True):
    return (-linalg.solve_triangular(a, transposed_if(triangle(t, lower, unit_diagonal), transposes(trans)) @ ans,
                                     trans, lower, unit_diagonal),
            linalg.solve_triangular(a, t, trans, lower, unit_diagonal))


# scipy.linalg.cholesky returns the upper factor U = L^T unless lower=True, read from that triangle
# (a number, 0-d or one-element 1-D, is read as a 1 x 1 matrix)
@adjoint(linalg.cholesky)
def cholesky_adjoint(ct, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return np.reshape(triangle_of_symmetric(np.linalg.solve(
        mT(transposed_if(ans, not lower)),
        mT(np.linalg.solve(mT(transposed_if(ans, not lower)),
                           tril_half(mT(transposed_if(ans, not lower)) @ transposed_if(ct, not lower))))), lower),
        np.shape(a))


@tangent(linalg.cholesky)
def cholesky_tangent(t, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return transposed_if(transposed_if(ans, not lower) @ tril_half(np.linalg.solve(
        transposed_if(ans, not lower),
        mT(np.linalg.solve(transposed_if(ans, not lower), symmetric_from_triangle(as_square(t), lower))))),
        not lower)


# cho_factor(a) = (c, lower): c holds L (lower) or L^T (upper) in that triangle, and, up to SciPy
# 1.17, a's own entries in the other (SciPy 1.18 zeros them: then they have no derivative); L is
# np.linalg.cholesky's factor of the symmetric matrix of a's triangle
CHO_FACTOR_KEEPS_A = float(linalg.cho_factor(np.array([[4.0, 2.0], [2.0, 3.0]]))[0][1, 0] == 2.0)
@adjoint(linalg.cho_factor)
def cho_factor_adjoint(ct, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return np.reshape(triangle_of_symmetric(np.linalg.solve(
        mT(transposed_if(triangle(ans[0], lower), not lower)),
        mT(np.linalg.solve(mT(transposed_if(triangle(ans[0], lower), not lower)),
                           tril_half(mT(transposed_if(triangle(ans[0], lower), not lower))
                                     @ transposed_if(ct[0], not lower))))), lower)
        + triangle(ct[0], not lower, True) * CHO_FACTOR_KEEPS_A, np.shape(a))


# one entry, a pair: the tangents of (c, lower)
@tangent(linalg.cho_factor)
def cho_factor_tangent(t, ans, a, lower=False, overwrite_a=False, check_finite=True):
    return (transposed_if(transposed_if(triangle(ans[0], lower), not lower) @ tril_half(np.linalg.solve(
        transposed_if(triangle(ans[0], lower), not lower),
        mT(np.linalg.solve(transposed_if(triangle(ans[0], lower), not lower),
                           symmetric_from_triangle(as_square(t), lower))))),
        not lower) + triangle(as_square(t), not lower, True) * CHO_FACTOR_KEEPS_A, 0.0),


# x = (L L^T)^-1 b with L read from c_and_lower = (c, lower): db = cho_solve(c_and_lower, dx),
# dA = -db x^T, dL = (dA + dA^T) L, placed back in c's triangle
@adjoint(linalg.cho_solve)
def cho_solve_adjoint(ct, ans, c_and_lower, b, overwrite_b=False, check_finite=True):
    return ((triangle(transposed_if(
        -(column_outer(linalg.cho_solve(c_and_lower, ct), ans)
          + column_outer(ans, linalg.cho_solve(c_and_lower, ct)))
        @ transposed_if(triangle(c_and_lower[0], c_and_lower[1]), not c_and_lower[1]),
        not c_and_lower[1]), c_and_lower[1]), 0.0),
        linalg.cho_solve(c_and_lower, ct))


@tangent(linalg.cho_solve)
def cho_solve_tangent(t, ans, c_and_lower, b, overwrite_b=False, check_finite=True):
    return (-linalg.cho_solve(c_and_lower, (
        transposed_if(triangle(t[0], c_and_lower[1]), not c_and_lower[1])
        @ mT(transposed_if(triangle(c_and_lower[0], c_and_lower[1]), not c_and_lower[1]))
        + transposed_if(triangle(c_and_lower[0], c_and_lower[1]), not c_and_lower[1])
        @ mT(transposed_if(triangle(t[0], c_and_lower[1]), not c_and_lower[1]))) @ ans),
        linalg.cho_solve(c_and_lower, t))


# the Frechet derivative of expm at A in the direction E is the top-right block of
# expm([[A, E], [0, A]]); its adjoint is the Frechet derivative at A^T (a number, 0-d or one-element
# 1-D, is read as a 1 x 1 matrix)
@adjoint(linalg.expm)
def expm_adjoint(ct, ans, A):
    return np.reshape(upper_right_block(linalg.expm(block_triangular(mT(as_square(A)), ct))), np.shape(A))


@tangent(linalg.expm)
def expm_tangent(t, ans, A):
    return upper_right_block(linalg.expm(block_triangular(as_square(A), as_square(t))))


# scipy.linalg.solve, inv, det: numpy.linalg's rules for the matrix SciPy really uses
@adjoint(linalg.solve)
def solve_adjoint(ct, ans, a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
                  assume_a=None, transposed=False):
    return (effective_matrix_adjoint(
        -np.linalg.solve(mT(effective_matrix(a, assume_a, lower, transposed)), scipy_solve_columns(ct, a, b))
        @ mT(scipy_solve_columns(ans, a, b)), assume_a, lower, transposed),
        np.reshape(np.linalg.solve(mT(effective_matrix(a, assume_a, lower, transposed)),
                                   scipy_solve_columns(ct, a, b)), np.shape(b)))


@tangent(linalg.solve)
def solve_tangent(t, ans, a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True,
                  assume_a=None, transposed=False):
    return (-np.reshape(np.linalg.solve(effective_matrix(a, assume_a, lower, transposed),
                                        effective_matrix(t, assume_a, lower, transposed)
                                        @ scipy_solve_columns(ans, a, b)),
                        np.shape(ans)),
            np.reshape(np.linalg.solve(effective_matrix(a, assume_a, lower, transposed),
                                       scipy_solve_columns(t, a, b)), np.shape(ans)))


@adjoint(linalg.inv)
def inv_adjoint(ct, ans, a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    return effective_matrix_adjoint(-mT(ans) @ ct @ mT(ans), assume_a, lower)


@tangent(linalg.inv)
def inv_tangent(t, ans, a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    return -ans @ effective_matrix(t, assume_a, lower) @ ans


@adjoint(linalg.det)
def det_adjoint(ct, ans, a, overwrite_a=False, check_finite=True):
    return np.expand_dims(ct * ans, (-2, -1)) * mT(np.linalg.inv(a))


@tangent(linalg.det)
def det_tangent(t, ans, a, overwrite_a=False, check_finite=True):
    return ans * np.trace(np.linalg.solve(a, t), axis1=-2, axis2=-1)


# The other analytic matrix functions differentiate like expm: Frechet derivatives read off the
# function of [[A, E], [0, A]] (sqrtm and logm need A free of eigenvalues on the closed negative
# real axis, as their real values do). sqrtm of a number is refused where SciPy returns its exp.
@adjoint(linalg.sqrtm)
def sqrtm_adjoint(ct, ans, A):
    # np.real: SciPy before 1.16 returns a complex square root with no imaginary part for some real A
    return np.reshape(np.real(upper_right_block(linalg.sqrtm(block_triangular(mT(sqrtm_operand(A, ans)), ct)))),
                      np.shape(A))


@tangent(linalg.sqrtm)
def sqrtm_tangent(t, ans, A):
    return np.real(upper_right_block(linalg.sqrtm(block_triangular(sqrtm_operand(A, ans), as_square(t)))))


@adjoint(linalg.logm)
def logm_adjoint(ct, ans, A):
    return upper_right_block(linalg.logm(block_triangular(mT(A), ct)))


@tangent(linalg.logm)
def logm_tangent(t, ans, A):
    return upper_right_block(linalg.logm(block_triangular(A, t)))


@adjoint(linalg.cosm)
def cosm_adjoint(ct, ans, A):
    return upper_right_block(linalg.cosm(block_triangular(mT(A), ct)))


@tangent(linalg.cosm)
def cosm_tangent(t, ans, A):
    return upper_right_block(linalg.cosm(block_triangular(A, t)))


@adjoint(linalg.sinm)
def sinm_adjoint(ct, ans, A):
    return upper_right_block(linalg.sinm(block_triangular(mT(A), ct)))


@tangent(linalg.sinm)
def sinm_tangent(t, ans, A):
    return upper_right_block(linalg.sinm(block_triangular(A, t)))


@adjoint(linalg.tanm)
def tanm_adjoint(ct, ans, A):
    return upper_right_block(linalg.tanm(block_triangular(mT(A), ct)))


@tangent(linalg.tanm)
def tanm_tangent(t, ans, A):
    return upper_right_block(linalg.tanm(block_triangular(A, t)))


@adjoint(linalg.coshm)
def coshm_adjoint(ct, ans, A):
    return upper_right_block(linalg.coshm(block_triangular(mT(A), ct)))


@tangent(linalg.coshm)
def coshm_tangent(t, ans, A):
    return upper_right_block(linalg.coshm(block_triangular(A, t)))


@adjoint(linalg.sinhm)
def sinhm_adjoint(ct, ans, A):
    return upper_right_block(linalg.sinhm(block_triangular(mT(A), ct)))


@tangent(linalg.sinhm)
def sinhm_tangent(t, ans, A):
    return upper_right_block(linalg.sinhm(block_triangular(A, t)))


@adjoint(linalg.tanhm)
def tanhm_adjoint(ct, ans, A):
    return upper_right_block(linalg.tanhm(block_triangular(mT(A), ct)))


@tangent(linalg.tanhm)
def tanhm_tangent(t, ans, A):
    return upper_right_block(linalg.tanhm(block_triangular(A, t)))


# A**t for a constant real power t (the tangent rule calls its tangent dA, as t is taken)
@adjoint(linalg.fractional_matrix_power, differentiable=("A",))
def fractional_matrix_power_adjoint(ct, ans, A, t):
    return upper_right_block(linalg.fractional_matrix_power(block_triangular(mT(A), ct), t))


@tangent(linalg.fractional_matrix_power, differentiable=("A",))
def fractional_matrix_power_tangent(dA, ans, A, t):
    return upper_right_block(linalg.fractional_matrix_power(block_triangular(A, dA), t))
