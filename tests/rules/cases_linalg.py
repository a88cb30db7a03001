"""Spec cases for the numpy.linalg rules (`sourcead/rules/linalg.py`) and their matrix helpers.

Matrices are well conditioned and, for the eigen- and singular-value decompositions, have
well-separated spectra, so that central finite differences are accurate to the table's tolerance.
"""

from __future__ import annotations

import numpy as np

from sourcead import runtime
from spec import C, rnd


def square(*shape):
    """Random square matrices (a stack of them) well away from singular."""
    return rnd(*shape) + 3.0 * np.eye(shape[-1])


def spd(*shape):
    """Random symmetric positive definite matrices."""
    x = rnd(*shape)
    return x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])


def symmetric(*shape):
    """Random symmetric matrices with eigenvalues at least 1 apart."""
    q, _ = np.linalg.qr(rnd(*shape))
    w = np.arange(shape[-1]) * 1.5 + rnd(shape[-1]) * 0.2
    return (q * w[..., None, :]) @ np.swapaxes(q, -1, -2) + 0.0 * rnd(*shape)


def nonsymmetric(*shape):
    """Random non-symmetric matrices near a diagonal one, with real eigenvalues about 1.5 apart.
    (np.linalg.eig does not sort its results: near a diagonal matrix LAPACK's order stays put
    under small perturbations, so finite differences compare like with like.)"""
    noise = np.random.default_rng(11).uniform(-0.25, 0.25, shape)
    a = np.eye(shape[-1]) * (1.0 + 1.5 * np.arange(shape[-1])) + noise
    assert not np.any(np.imag(np.linalg.eigvals(a)))  # real (NumPy 2.5 gives them a complex dtype)
    return a


def spread(*shape):
    """Random matrices with singular values 1, 2, 3, ... (times a little noise)."""
    k = min(shape[-2:])
    u, _ = np.linalg.qr(rnd(*shape[:-1], k))
    v, _ = np.linalg.qr(rnd(*shape[:-2], shape[-1], k))
    s = 1.0 + np.arange(k) + rnd(k) * 0.1
    return (u * s[..., None, :]) @ np.swapaxes(v, -1, -2)


_usv = tuple(np.linalg.svd(spread(4, 3), full_matrices=False))

CASES = [
    # ---- solving and inverting ----
    C("vector", np.linalg.solve, square(3, 3), rnd(3)),
    C("matrix", np.linalg.solve, square(3, 3), rnd(3, 2)),
    C("batch", np.linalg.solve, square(4, 3, 3), rnd(4, 3, 2)),
    C("batch-vector", np.linalg.solve, square(4, 3, 3), rnd(3)),
    C("batch-broadcast-b", np.linalg.solve, square(4, 3, 3), rnd(3, 2)),
    C("matrix", np.linalg.inv, square(3, 3)),
    C("batch", np.linalg.inv, square(2, 3, 3)),
    C("tall", np.linalg.pinv, spread(5, 3)),
    C("wide", np.linalg.pinv, spread(3, 4)),
    C("square", np.linalg.pinv, square(3, 3)),
    C("tall-vector", np.linalg.lstsq, spread(5, 3), rnd(5)),
    C("tall-matrix", np.linalg.lstsq, spread(5, 3), rnd(5, 2), None),
    C("square", np.linalg.lstsq, square(3, 3), rnd(3), rcond=None),
    C("wide", np.linalg.lstsq, spread(3, 5), rnd(3, 2), None),
    C("matrix", np.linalg.det, square(3, 3)),
    C("batch", np.linalg.det, square(2, 3, 3)),
    C("negative", np.linalg.slogdet, -square(3, 3)),
    C("batch", np.linalg.slogdet, square(2, 3, 3)),
    C("cube", np.linalg.matrix_power, square(3, 3) / 3.0, 3),
    C("zero", np.linalg.matrix_power, square(3, 3), 0),
    C("one", np.linalg.matrix_power, square(3, 3), 1),
    C("inverse-square", np.linalg.matrix_power, square(3, 3), -2),
    C("batch", np.linalg.matrix_power, square(2, 3, 3) / 3.0, 4),

    C("three", np.linalg.multi_dot, [rnd(2, 3), rnd(3, 4), rnd(4, 2)]),
    C("vector-ends", np.linalg.multi_dot, [rnd(3), rnd(3, 4), rnd(4, 2), rnd(2)]),
    C("two", np.linalg.multi_dot, (rnd(2, 3), rnd(3))),

    # ---- factorizations ----
    C("matrix", np.linalg.cholesky, spd(4, 4)),
    C("batch", np.linalg.cholesky, spd(2, 3, 3)),
    C("square", np.linalg.qr, square(3, 3)),
    C("tall", np.linalg.qr, rnd(5, 3)),
    C("batch", np.linalg.qr, rnd(2, 4, 3)),
    C("matrix", np.linalg.eigh, symmetric(4, 4)),
    C("upper", np.linalg.eigh, symmetric(3, 3), "U"),
    C("batch", np.linalg.eigh, symmetric(2, 3, 3)),
    C("matrix", np.linalg.eigvalsh, symmetric(4, 4)),
    C("upper", np.linalg.eigvalsh, symmetric(3, 3), UPLO="U"),
    C("batch", np.linalg.eigvalsh, symmetric(2, 3, 3)),
    C("real", np.linalg.eig, nonsymmetric(4, 4)),
    C("batch", np.linalg.eig, nonsymmetric(2, 3, 3)),
    C("real", np.linalg.eigvals, nonsymmetric(4, 4)),
    C("batch", np.linalg.eigvals, nonsymmetric(2, 3, 3)),
    C("tall", np.linalg.svd, spread(5, 3), full_matrices=False),
    C("wide", np.linalg.svd, spread(3, 5), full_matrices=False),
    C("square", np.linalg.svd, spread(4, 4)),
    C("batch", np.linalg.svd, spread(2, 4, 3), full_matrices=False),

    # ---- the helpers of these rules ----
    C("batch", runtime.mT, rnd(2, 3, 4)),
    C("matrix", runtime.tril_half, rnd(3, 3)),
    C("lower", runtime.symmetric_from_triangle, rnd(3, 3)),
    C("upper-batch", runtime.symmetric_from_triangle, rnd(2, 3, 3), "U"),
    C("lower", runtime.triangle_of_symmetric, rnd(3, 3)),
    C("upper-batch", runtime.triangle_of_symmetric, rnd(2, 3, 3), "U"),
    C("matrix", runtime.fold_upper, rnd(3, 3)),
    C("matrix", runtime.symmetric_from_upper, rnd(3, 3)),
    C("batch", runtime.diagonal, rnd(2, 3, 3)),
    C("batch", runtime.diag_embed, rnd(2, 3)),
    C("vector", runtime.inverse_gaps, np.array([0.3, 1.1, 2.5, -1.0])),
    C("batch", runtime.inverse_gaps, np.array([[0.3, 1.1, 2.5], [-1.0, 0.4, 2.0]])),
    C("factors", runtime.svd_gaps, _usv, spread(4, 3), False),
    C("matrices", runtime.diag_sandwich, rnd(4, 3), rnd(4, 5), rnd(5, 3)),
    C("matrices", runtime.scaled_product, rnd(4, 3), rnd(3), rnd(5, 3)),
    C("batch", runtime.diag_congruence, rnd(2, 4, 4), rnd(2, 4, 3)),
    C("batch", runtime.scaled_congruence, rnd(2, 4, 3), rnd(2, 3)),
    C("vector", runtime.as_columns, rnd(3), rnd(3, 3), rnd(3)),
    C("matrix", runtime.as_columns, rnd(3, 2), rnd(3, 3), rnd(3, 2)),
    C("batch", runtime.block_triangular, rnd(2, 3, 3), rnd(2, 3, 3)),
    C("lists", runtime.block_triangular, [rnd(2, 3), rnd(3, 3)], [rnd(2, 3), rnd(3, 3)]),
    C("list", runtime.mT, [rnd(2, 3), rnd(3, 4)]),
    C("list", runtime.upper_right_block, [rnd(4, 6), rnd(2, 2)]),
    C("list", runtime.diagonal_blocks_sum, [rnd(4, 6), rnd(2, 2)]),
    C("vector-ends", runtime.chain_matrices, [rnd(3), rnd(3, 4), rnd(4)]),
    C("matrices", runtime.chain_matrices, [rnd(2, 3), rnd(3, 4)]),
    C("vector-ends", runtime.unchain_matrices, [rnd(1, 3), rnd(3, 4), rnd(4, 1)], [rnd(3), rnd(3, 4), rnd(4)]),
    C("vector-ends", runtime.as_chain_result, rnd(), [rnd(3), rnd(3, 4), rnd(4)]),
    C("row-start", runtime.as_chain_result, rnd(4), [rnd(3), rnd(3, 4)]),
    C("three", runtime.multi_dot_cotangents, rnd(2, 5), [rnd(2, 3), rnd(3, 4), rnd(4, 5)]),
    C("two", runtime.multi_dot_cotangents, rnd(2, 4), [rnd(2, 3), rnd(3, 4)]),
    C("non-square", runtime.upper_right_block, rnd(4, 6)),
    C("batch", runtime.upper_right_block, rnd(2, 6, 6)),
    C("matrix", runtime.diagonal_blocks_sum, rnd(6, 6)),
]

CASES += [
    # ---- helpers of the scipy.linalg and scipy.stats rules (NumPy only) ----
    C("lower", runtime.triangle, rnd(3, 3), True),
    C("strict-upper", runtime.triangle, rnd(3, 3), False, True),
    C("yes", runtime.transposed_if, rnd(2, 3), True),
    C("no", runtime.transposed_if, rnd(2, 3), False),
    C("vector", runtime.as_matrix, rnd(3)),
    C("matrix", runtime.as_matrix, rnd(3, 2)),
    C("vectors", runtime.column_outer, rnd(3), rnd(4)),
    C("matrices", runtime.column_outer, rnd(3, 2), rnd(4, 2)),
    C("general-transposed", runtime.effective_matrix, rnd(3, 3), None, False, True),
    C("symmetric-lower", runtime.effective_matrix, rnd(3, 3), "pos", True),
    C("general", runtime.effective_matrix_adjoint, rnd(3, 3), "gen", False, True),
    C("symmetric-upper", runtime.effective_matrix_adjoint, rnd(3, 3), "sym", False),
    C("number", runtime.as_square, np.array(2.5)),
    C("one-element", runtime.as_square, np.array([2.5])),
    C("matrix", runtime.as_square, rnd(3, 3)),
    C("number", runtime.sqrtm_operand, np.array(2.25), np.array([[1.5]])),
    C("matrix", runtime.sqrtm_operand, rnd(3, 3), rnd(3, 3)),
    C("vector", runtime.scipy_solve_columns, rnd(3), rnd(3, 3), rnd(3)),
    C("one-by-one", runtime.scipy_solve_columns, rnd(1, 2), rnd(1, 1), rnd(1, 2)),
    C("value", runtime.one_if_none, rnd(3)),
    C("real", runtime.real_only, rnd(3), "eig"),
    C("square", runtime.square_r, rnd(3, 3)),
    C("residuals", runtime.residual_cotangent, rnd(2), 2),
    C("none", runtime.residual_cotangent, np.zeros(0), 2),
    C("residuals", runtime.residual_tangent, rnd(2), rnd(2)),
    C("none", runtime.residual_tangent, rnd(2), np.zeros(0)),
    C("value", runtime.zero_if_none, rnd(3)),
    C("scalar", runtime.as_covariance, rnd(), rnd(4, 3)),
    C("diagonal", runtime.as_covariance, rnd(3), rnd(4, 3)),
    C("matrix", runtime.as_covariance, rnd(3, 3), rnd(3)),
    C("number", runtime.mvn_points, np.array(0.3)),
    C("numbers", runtime.mvn_points, rnd(4), None, 2.0),
    C("numbers-mean", runtime.mvn_points, rnd(4), np.array([0.1])),
    C("point", runtime.mvn_points, rnd(3), rnd(3)),
    C("points", runtime.mvn_points, rnd(4, 3), None, rnd(3, 3)),
    C("scalar", runtime.covariance_adjoint, rnd(3, 3), rnd()),
    C("diagonal", runtime.covariance_adjoint, rnd(3, 3), rnd(3)),
    C("matrix", runtime.covariance_adjoint, rnd(3, 3), rnd(3, 3)),
]
