"""The rest of NumPy's surface (issue #10) through the compiler: the singular values alone, every
order of np.linalg.norm, NaN order statistics, np.nansum's where=, np.meshgrid, np.block,
np.polyfit, np.linalg.tensorinv and tensorsolve.

Each function is checked in grad, vjp, jvp (and, where it has one, the Hessian) against central
finite differences and against an independent oracle: autograd, run on a functional twin written
with what autograd differentiates (autograd has no meshgrid, block, nanmedian or matrix 2-norm).
"""

from __future__ import annotations

import numpy as np
import pytest

import sourcead
from oracle import autograd_grad, autograd_hessian, numeric_grad, numeric_hessian, numeric_jvp

_rng = np.random.default_rng(101)
_W = np.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1], [2.0, 0.1, 0.4], [-0.6, 1.3, 0.9]])
_MASK = np.array([[True, False, True], [False, True, True], [True, True, False], [True, False, True]])
_NAN = np.where(_MASK, 0.0, np.nan)  # NaN where the mask is False


def _spread(m, n):
    u, _ = np.linalg.qr(_rng.standard_normal((m, min(m, n))))
    v, _ = np.linalg.qr(_rng.standard_normal((n, min(m, n))))
    return (u * (1.0 + np.arange(min(m, n)))) @ v.T


# ---- the functions, each with its twin -----------------------------------------------------------


def singular_values(x):
    return np.sum(np.linalg.svd(x, compute_uv=False) ** 2 * np.array([3.0, 2.0, 1.0]))


def singular_values_twin(x):
    return np.sum(np.linalg.svd(x, full_matrices=False)[1] ** 2 * np.array([3.0, 2.0, 1.0]))


def matrix_norms(x):
    return (np.linalg.norm(x, "nuc") + np.linalg.norm(x, 2) * np.linalg.norm(x, -2) + np.linalg.norm(x, 1)
            + np.linalg.norm(x, -1) + np.linalg.norm(x, np.inf) + np.linalg.norm(x, -np.inf))


def matrix_norms_twin(x):
    s = np.linalg.svd(x, full_matrices=False)[1]
    cols, rows = np.sum(np.abs(x), axis=0), np.sum(np.abs(x), axis=1)
    return np.sum(s) + s[0] * s[-1] + np.max(cols) + np.min(cols) + np.max(rows) + np.min(rows)


def norms_over_axes(x):
    stack = np.stack([x, 2.0 * x + _W])
    return np.sum(np.linalg.norm(stack, "nuc", axis=(2, 1), keepdims=True) * np.array([1.0, -0.5])[:, None, None])


def norms_over_axes_twin(x):
    return (np.sum(np.linalg.svd(x, full_matrices=False)[1])
            - 0.5 * np.sum(np.linalg.svd(2.0 * x + _W, full_matrices=False)[1]))


def vector_orders(x):
    v = x.ravel()
    return np.linalg.norm(v, 0.5) + np.linalg.norm(v, -1) + np.sum(np.linalg.norm(x, -2.5, axis=0))


def vector_orders_twin(x):
    v = x.ravel()
    return (np.sum(np.abs(v) ** 0.5) ** 2.0 + np.sum(np.abs(v) ** -1.0) ** -1.0
            + np.sum(np.sum(np.abs(x) ** -2.5, axis=0) ** (1 / -2.5)))


def nan_statistics(x):
    y = x + _NAN
    return (np.sum(np.nanmedian(y, axis=1) ** 2) + np.sum(np.nanquantile(y, [0.25, 0.6], axis=0))
            + np.nanpercentile(y, 70.0) + np.sum(np.nansum(x, axis=1, where=_MASK, initial=1.0) ** 2))


def _quantile_of(values, q):
    s = np.sort(values)
    pos = q * (len(values) - 1)
    lo = int(np.floor(pos))
    hi = min(lo + 1, len(values) - 1)
    return s[lo] * (1.0 - (pos - lo)) + s[hi] * (pos - lo)


def nan_statistics_twin(x):
    rows = [x[i][_MASK[i]] for i in range(4)]
    cols = [x[:, j][_MASK[:, j]] for j in range(3)]
    total = sum(_quantile_of(r, 0.5) ** 2 for r in rows)
    total = total + sum(_quantile_of(c, 0.25) + _quantile_of(c, 0.6) for c in cols)
    total = total + _quantile_of(x[_MASK], 0.7)
    return total + np.sum((np.sum(np.where(_MASK, x, 0.0), axis=1) + 1.0) ** 2)


def grids(x):
    a, b = np.meshgrid(x[0], x[1, :2])
    c, d, e = np.meshgrid(x[2], x[3, :2], x[0, :2], indexing="ij", sparse=True)
    return np.sum(a * b ** 2) + np.sum(np.sin(c * d + e))


def grids_twin(x):
    a = x[0][None, :] + 0.0 * x[1, :2][:, None]
    b = x[1, :2][:, None] + 0.0 * x[0][None, :]
    c, d, e = x[2][:, None, None], x[3, :2][None, :, None], x[0, :2][None, None, :]
    return np.sum(a * b ** 2) + np.sum(np.sin(c * d + e))


def blocks(x):
    m = np.block([[x[:2, :2], x[:2, 2:]], [x[2:, :]]])
    return np.sum(np.tanh(m) * _W) + np.sum(np.block([x[0], 2.0, x[1]]) ** 3)


def blocks_twin(x):
    m = np.concatenate([np.concatenate([x[:2, :2], x[:2, 2:]], axis=1), x[2:, :]], axis=0)
    return np.sum(np.tanh(m) * _W) + np.sum(np.concatenate([x[0], np.array([2.0]), x[1]]) ** 3)


_XS = np.linspace(-1.0, 1.0, 7)
_WEIGHTS = np.linspace(0.5, 2.0, 7)


def fits(y):
    return np.sum(np.polyfit(_XS, y, 2) * np.array([1.0, -2.0, 0.5])) + np.sum(np.polyfit(_XS, y, 3, w=_WEIGHTS) ** 2)


def fits_twin(y):
    a = np.vander(_XS, 3)
    b = np.vander(_XS, 4) * _WEIGHTS[:, None]
    p = np.linalg.solve(a.T @ a, a.T @ y)
    q = np.linalg.solve(b.T @ b, b.T @ (_WEIGHTS * y))
    return np.sum(p * np.array([1.0, -2.0, 0.5])) + np.sum(q ** 2)


_B = np.array([[0.5, -1.0, 2.0], [1.5, 0.3, -0.7]])


def tensors(x):
    a = np.reshape(x + 4.0 * np.eye(6), (2, 3, 6))
    return np.sum(np.linalg.tensorinv(a) ** 2 * np.arange(36.0).reshape(6, 2, 3)) + np.sum(
        np.linalg.tensorsolve(a, _B * x[0, :1]) ** 3)


def tensors_twin(x):
    m = x + 4.0 * np.eye(6)
    return np.sum(np.reshape(np.linalg.inv(m), (6, 2, 3)) ** 2 * np.arange(36.0).reshape(6, 2, 3)) + np.sum(
        np.linalg.solve(m, np.reshape(_B * x[0, :1], (6,))) ** 3)


# (function, twin, argument, whether its Hessian is checked)
CASES = [
    (singular_values, singular_values_twin, _spread(4, 3), True),
    (singular_values, singular_values_twin, _spread(3, 4).T.copy(), True),
    (matrix_norms, matrix_norms_twin, _spread(4, 3) + 0.05 * _W, False),
    (norms_over_axes, norms_over_axes_twin, _spread(3, 4).T.copy(), False),
    (vector_orders, vector_orders_twin, _W, True),
    (nan_statistics, nan_statistics_twin, _W * np.array([1.0, 1.1, 0.9]), False),
    (grids, grids_twin, _W, True),
    (blocks, blocks_twin, _W, True),
    (fits, fits_twin, np.sin(3.0 * _XS), True),
    (tensors, tensors_twin, 0.3 * np.cos(np.arange(36.0)).reshape(6, 6), True),
]
if hasattr(np.linalg, "svdvals"):
    def svdvals_squared(x):
        return np.sum(np.linalg.svdvals(x) ** 2 * np.array([3.0, 2.0, 1.0]))

    def array_api_norms(x):
        return np.linalg.vector_norm(x, ord=3) + np.sum(np.linalg.vector_norm(x, axis=1, ord=1.5)) + np.sum(
            np.linalg.matrix_norm(np.stack([x, x ** 2]), ord="nuc"))

    def array_api_norms_twin(x):
        return (np.sum(np.abs(x) ** 3) ** (1 / 3) + np.sum(np.sum(np.abs(x) ** 1.5, axis=1) ** (1 / 1.5))
                + np.sum(np.linalg.svd(x, full_matrices=False)[1]) + np.sum(np.linalg.svd(x ** 2, full_matrices=False)[1]))

    CASES.append((svdvals_squared, singular_values_twin, _spread(4, 3), True))
    CASES.append((array_api_norms, array_api_norms_twin, _spread(4, 3) + 0.1, False))

_IDS = [f"{f.__name__}-{i}" for i, (f, *_) in enumerate(CASES)]


@pytest.mark.parametrize("f,twin,x,hessian", CASES, ids=_IDS)
def test_grad_and_vjp(f, twin, x, hessian):
    g = sourcead.grad(f)(x)
    np.testing.assert_allclose(g, numeric_grad(f, (x,)), rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(g, autograd_grad(twin, (x,)), rtol=1e-8, atol=1e-10)
    out, pullback = sourcead.vjp(f, x)
    np.testing.assert_allclose(out, f(x))
    (ct,) = pullback(2.0)
    np.testing.assert_allclose(ct, 2.0 * g, rtol=1e-12)


@pytest.mark.parametrize("f,twin,x,hessian", CASES, ids=_IDS)
def test_jvp(f, twin, x, hessian):
    v = np.cos(np.arange(x.size) * 1.7).reshape(x.shape)
    out, t = sourcead.jvp(f, (x,), (v,))
    np.testing.assert_allclose(out, f(x))
    np.testing.assert_allclose(t, numeric_jvp(f, (x,), (v,))[1], rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(t, np.vdot(autograd_grad(twin, (x,)), v), rtol=1e-8, atol=1e-10)


@pytest.mark.parametrize("f,twin,x,hessian", [c for c in CASES if c[3]], ids=[i for i, c in zip(_IDS, CASES) if c[3]])
def test_hessian(f, twin, x, hessian):
    h = sourcead.hessian(f)(x)
    np.testing.assert_allclose(h, numeric_hessian(f, (x,)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(h, autograd_hessian(twin, (x,)), rtol=1e-7, atol=1e-9)


def test_second_derivative_of_a_spectral_norm_is_refused_with_a_hint():
    """'nuc', 2 and -2 are differentiated once; twice is refused (the hint names the SVD route)."""
    from sourcead.errors import UnsupportedCallError

    def nuclear(x):
        return np.linalg.norm(x, "nuc")

    with pytest.raises(UnsupportedCallError, match="ord='nuc'") as info:
        sourcead.hessian(nuclear)(_spread(4, 3))
    assert "compute_uv=False" in info.value.hint


def test_meshgrid_of_four_inputs_is_refused():
    """The rule takes one to three inputs; a call with four is refused where it is made."""
    from sourcead.errors import UnsupportedCallError

    def four(x):
        return np.sum(np.meshgrid(x, x, x, x)[0])

    with pytest.raises(UnsupportedCallError, match="meshgrid"):
        sourcead.grad(four)(np.array([0.5, 1.5]))
