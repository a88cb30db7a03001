"""Regressions of the linear-algebra and SciPy rules at edge shapes and in float32.

The spec table (`test_rules.py`) runs every case again at 0-d, length-1 and empty shapes and in
float32; these tests pin down what it found, each with a docstring saying what broke.
"""

from __future__ import annotations

import numpy as np
import pytest

import sourcead
from sourcead import runtime
from sourcead.errors import InternalError, UnsupportedCallError
from sourcead.rules import registry

linalg = pytest.importorskip("scipy.linalg")
special = pytest.importorskip("scipy.special")


def _adjoint(target):
    return registry.lookup_adjoint(target).fn


def _sqrtm_of_a_number_is_its_exp():
    try:
        return bool(np.isclose(linalg.sqrtm(np.array(4.0))[0, 0], np.exp(4.0)))
    except ValueError:  # SciPy before 1.16 refuses a number ("Non-matrix input to matrix function")
        return False


# ---- numbers read as 1 x 1 matrices ----------------------------------------------------------------


@pytest.mark.parametrize("a", [np.array(0.7), np.array([0.7])], ids=["0-d", "one-element"])
def test_expm_of_a_number_through_the_compiler(a):
    """scipy.linalg.expm takes a 0-d or one-element array as a 1 x 1 matrix; its rules swapped axes a
    0-d array does not have (AxisError) and gave a (1, 1) cotangent for it."""
    def f(x):
        return np.sum(linalg.expm(x) ** 2)

    g = sourcead.grad(f)(a)
    assert np.shape(g) == np.shape(a)
    np.testing.assert_allclose(g, 2.0 * np.exp(2.0 * 0.7) * np.ones(np.shape(a)), rtol=1e-12)
    _, t = sourcead.jvp(f, (a,), (np.ones(np.shape(a)),))
    np.testing.assert_allclose(t, 2.0 * np.exp(2.0 * 0.7), rtol=1e-12)


@pytest.mark.parametrize("lower", [False, True])
def test_cholesky_of_a_number_through_the_compiler(lower):
    """scipy.linalg.cholesky of a 0-d a is [[sqrt(a)]]: d/da = 1 / (2 sqrt(a)), in a's shape."""
    def f(x):
        return np.sum(linalg.cholesky(x, lower=lower) * 3.0)

    a = np.array(2.25)
    g = sourcead.grad(f)(a)
    assert np.shape(g) == ()
    np.testing.assert_allclose(g, 3.0 / (2.0 * 1.5), rtol=1e-12)


def test_sqrtm_of_a_number_is_refused_where_scipy_returns_its_exp():
    """SciPy 1.16-1.17 return [[exp(a)]] for sqrtm of a number (scipy/scipy#25610): differentiating
    that as a square root would be silently wrong, so the rules refuse it."""
    a = np.array(2.25)
    if not _sqrtm_of_a_number_is_its_exp():
        pytest.skip("this SciPy's sqrtm of a number is its square root, or is refused (checked by the next test)")
    ans = linalg.sqrtm(a)
    with pytest.raises(UnsupportedCallError, match="exp") as info:
        _adjoint(linalg.sqrtm)(np.ones((1, 1)), ans, a)
    assert "reshape" in info.value.hint


def test_sqrtm_of_a_number_is_differentiated_where_scipy_returns_its_square_root():
    """Where SciPy's sqrtm of a number is [[sqrt(a)]] (SciPy with #25610 fixed, simulated here by
    passing that result), the rules read the number as a 1 x 1 matrix."""
    a = np.array(2.25)
    g = _adjoint(linalg.sqrtm)(np.ones((1, 1)), np.array([[1.5]]), a)
    assert np.shape(g) == ()
    np.testing.assert_allclose(g, 1.0 / (2.0 * 1.5), rtol=1e-10)


def test_logsumexp_tangent_of_a_number_keeps_scipys_axis():
    """special.logsumexp(0-d a, axis=0, keepdims=True) has shape (1,) where np.sum's has (): the
    tangent had the shape ()."""
    a = np.array(0.3)
    _, t = sourcead.jvp(lambda x: special.logsumexp(x, axis=0, keepdims=True) * 2.0, (a,), (np.array(1.0),))
    assert np.shape(t) == (1,)
    np.testing.assert_allclose(t, [2.0])


# ---- helpers outside their domain are our bugs, not wrong-shaped cotangents ----------------------


@pytest.mark.parametrize("helper", [runtime.upper_right_block, runtime.diagonal_blocks_sum])
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (2, 4, 5)])
def test_block_helpers_refuse_odd_sizes(helper, shape):
    """A 1 x 1 matrix has no quarters; upper_right_block took a (0, 1) slice of it, and its adjoint
    returned a (0, 2) cotangent for a (1, 1) argument."""
    with pytest.raises(InternalError, match="2n x 2m"):
        helper(np.ones(shape))


def test_covariance_adjoint_refuses_a_non_square_cotangent():
    """covariance_adjoint's g is the cotangent of a square covariance matrix; for a scalar cov and a
    (0, 3) g its adjoint returned a 3 x 3 identity."""
    with pytest.raises(InternalError, match="square"):
        runtime.covariance_adjoint(np.ones((0, 3)), 1.5)


def test_wide_empty_qr_is_refused_with_a_hint():
    """A 0 x 3 matrix is wide: the qr rules differentiate square and tall ones only."""
    a = np.zeros((0, 3))
    with pytest.raises(UnsupportedCallError, match="wide") as info:
        _adjoint(np.linalg.qr)(tuple(np.zeros_like(r) for r in np.linalg.qr(a)), np.linalg.qr(a), a)
    assert "transpose" in info.value.hint


# ---- float32 stays float32 ----------------------------------------------------------------------


def test_diag_embed_keeps_dtype_and_puts_no_nan_off_the_diagonal():
    """diag_embed multiplied by a float64 identity: float32 became float64, and an infinite entry
    made NaNs off the diagonal (inf * 0)."""
    out = runtime.diag_embed(np.array([1.0, np.inf], dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out, [[1.0, 0.0], [0.0, np.inf]])


def test_zero_blocks_keep_float32_and_make_integers_float():
    assert runtime.zeros_like_float(np.ones((2, 2), np.float32)).dtype == np.float32
    assert runtime.zeros_like_float(np.ones((2, 2), int)).dtype == np.float64
    assert [z.dtype for z in runtime.zeros_like_float([np.ones(2, np.float32), np.ones(2)])] == [np.float32,
                                                                                               np.float64]
    assert runtime.block_triangular(np.ones((2, 2), np.float32), np.ones((2, 2), np.float32)).dtype == np.float32


@pytest.mark.parametrize("target,arg", [
    (np.linalg.eigh, np.diag([1.0, 2.5, 4.0])),
    (np.linalg.matrix_power, np.diag([1.0, 2.5, 4.0])),
    (linalg.expm, np.diag([0.1, 0.5, 0.9])),
    (special.digamma, np.array([0.7, 1.5, 3.0])),
], ids=["eigh", "matrix_power", "expm", "digamma"])
def test_float32_cotangents(target, arg):
    """These rules built float64 identities or zero blocks (np.eye, np.zeros) or called
    special.polygamma, whose integer order promotes to float64."""
    a = arg.astype(np.float32)
    extra = (3,) if target is np.linalg.matrix_power else ()
    ans = target(a, *extra)
    ct = tuple(np.ones_like(r) for r in ans) if isinstance(ans, tuple) else np.ones_like(ans)
    entries = _adjoint(target)(ct, ans, a, *extra)
    entry = entries[0] if extra else entries
    assert entry.dtype == np.float32


def test_digamma_derivative_is_trigamma():
    x = np.array([0.4, 1.5, -0.5, 7.0])
    np.testing.assert_array_equal(_adjoint(special.digamma)(np.ones(4), special.digamma(x), x),
                                  special.polygamma(1, x))


# ---- scipy.stats.multivariate_normal in dimension 1 ----------------------------------------------


def test_multivariate_normal_of_numbers_through_the_compiler():
    """In dimension 1 SciPy reads a vector x as a column of points (and a number as one point); the
    rules read x as one point of dimension len(x), so their cotangents raised (matmul of mismatched
    shapes) and their tangents had one number for several points."""
    stats = pytest.importorskip("scipy.stats")

    def f(x):
        return np.sum(stats.multivariate_normal.logpdf(x, 0.2, 1.7) * np.array([1.0, 2.0, 3.0]))

    x = np.array([0.3, -0.5, 1.1])
    want = -(x - 0.2) / 1.7 * np.array([1.0, 2.0, 3.0])
    np.testing.assert_allclose(sourcead.grad(f)(x), want, rtol=1e-12)
    _, t = sourcead.jvp(f, (x,), (np.ones(3),))
    np.testing.assert_allclose(t, np.sum(want), rtol=1e-12)
    np.testing.assert_allclose(sourcead.hessian(f)(x), np.diag(-np.array([1.0, 2.0, 3.0]) / 1.7), rtol=1e-10)

    def h(x):
        return stats.multivariate_normal.pdf(x, 0.2, 1.7)

    number = np.array(0.3)
    np.testing.assert_allclose(sourcead.grad(h)(number), -h(number) * (0.3 - 0.2) / 1.7, rtol=1e-12)


@pytest.mark.parametrize("a,b", [(np.array(2.0), np.array([1.0, 3.0])), (np.array(2.0), np.array(1.0)),
                                 (np.array([[2.0]]), np.array([1.0, 3.0])), (np.array([[2.0]]), np.array(1.0))],
                         ids=["0-d", "0-d-0-d", "1x1-two-rows", "1x1-0-d"])
def test_scipy_solve_of_a_number_is_refused(a, b):
    """scipy.linalg.solve divides b by a number a (0-d, or 1 x 1 against a b of other than one row);
    the rules raised AxisError or mismatched matmul errors, or gave a tangent of the wrong shape."""
    def f(x):
        return np.sum(linalg.solve(x, b))

    with pytest.raises(UnsupportedCallError, match="number") as info:
        sourcead.grad(f)(a)
    assert "b / a" in info.value.hint
    with pytest.raises(UnsupportedCallError, match="number"):
        sourcead.jvp(f, (a,), (np.ones(np.shape(a)),))
