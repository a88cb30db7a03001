"""End-to-end tests of the numpy.linalg and SciPy rules: realistic user functions through
sourcead.grad, jvp and hessian, against central finite differences and against autograd (its
autograd.scipy twins) where autograd has the function. Skipped when SciPy is not installed.

Also: SciPy stays optional -- ``import sourcead`` does not import it, and its rules load the first
time a differentiated function calls it -- and the options the rules do not differentiate are
refused with an error that says what to write instead.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import types

import numpy as np
import pytest

import sourcead
from sourcead.errors import NonDifferentiableError, UnsupportedCallError

scipy = pytest.importorskip("scipy")
autograd = pytest.importorskip("autograd")

import autograd.numpy as anp  # noqa: E402
import autograd.scipy.linalg as alinalg  # noqa: E402
import autograd.scipy.special as aspecial  # noqa: E402
import autograd.scipy.stats as astats  # noqa: E402
from scipy import linalg, special, stats  # noqa: E402

# ---- oracles ------------------------------------------------------------------------------------


def numeric_grad(f, args, wrt, eps=1e-6):
    """Central finite differences of f's (scalar) value in argument `wrt`, element by element."""
    x = np.array(args[wrt], dtype=float)
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        plus, minus = x.copy(), x.copy()
        plus[i] += eps
        minus[i] -= eps
        g[i] = (f(*args[:wrt], plus, *args[wrt + 1:]) - f(*args[:wrt], minus, *args[wrt + 1:])) / (2 * eps)
    return g


def under_autograd(f):
    """f rebuilt with autograd's NumPy and SciPy modules in place of the real ones."""
    names = dict(f.__globals__, np=anp, special=aspecial, stats=astats, linalg=alinalg)
    return types.FunctionType(f.__code__, names, f.__name__, f.__defaults__, f.__closure__)


def check(f, args, wrt=0, oracle=True, rtol=1e-6, atol=1e-8):
    """sourcead's gradient and jvp of f in argument `wrt` against finite differences and autograd."""
    g = sourcead.grad(f, wrt=wrt)(*args)
    np.testing.assert_allclose(g, numeric_grad(f, args, wrt), rtol=1e-5, atol=1e-6)
    if oracle:
        np.testing.assert_allclose(g, autograd.grad(under_autograd(f), wrt)(*args), rtol=rtol, atol=atol)
    v = np.random.default_rng(3).standard_normal(np.shape(args[wrt]))
    tangents = tuple(v if i == wrt else np.zeros_like(a, dtype=float) for i, a in enumerate(args))
    value, jv = sourcead.jvp(f, args, tangents)
    np.testing.assert_allclose(value, f(*args))
    np.testing.assert_allclose(jv, np.vdot(g, v), rtol=1e-6, atol=1e-8)
    return g


_rng = np.random.default_rng(20261201)
X = _rng.standard_normal((8, 2))
Y = np.sin(X[:, 0]) + 0.1 * _rng.standard_normal(8)


# ---- a Gaussian-process negative log-likelihood: cholesky, solve_triangular ------------------------


def gp_nll(theta, X, y):
    n = y.shape[0]
    sq = np.sum((X[:, None, :] - X[None, :, :]) ** 2, axis=-1)
    K = np.exp(theta[0]) * np.exp(-0.5 * sq / np.exp(2.0 * theta[1])) + np.exp(theta[2]) * np.eye(n)
    L = np.linalg.cholesky(K)
    alpha = linalg.solve_triangular(L, y, lower=True)
    idx = np.arange(n)
    return 0.5 * np.sum(alpha ** 2) + np.sum(np.log(L[idx, idx])) + 0.5 * n * np.log(2.0 * np.pi)


def test_gp_nll_in_hyperparameters():
    check(gp_nll, (np.array([0.3, -0.2, -1.5]), X, Y))


def test_gp_nll_in_inputs_and_targets():
    check(gp_nll, (np.array([0.3, -0.2, -1.5]), X, Y), wrt=1)
    check(gp_nll, (np.array([0.3, -0.2, -1.5]), X, Y), wrt=2)


def test_gp_nll_hessian_matches_differences_of_gradients():
    theta = np.array([0.3, -0.2, -1.5])
    h = sourcead.hessian(gp_nll)(theta, X, Y)
    grad = sourcead.grad(gp_nll)
    fd = np.stack([(grad(theta + 1e-5 * e, X, Y) - grad(theta - 1e-5 * e, X, Y)) / 2e-5 for e in np.eye(3)])
    np.testing.assert_allclose(h, fd, rtol=1e-5, atol=1e-6)


def gaussian_nll_cho(cov, x):
    c = linalg.cho_factor(cov, lower=True)
    r = linalg.cho_solve(c, x)
    idx = np.arange(x.shape[0])
    return 0.5 * np.dot(x, r) + np.sum(np.log(c[0][idx, idx]))


def test_gaussian_nll_through_cho_factor_and_cho_solve():
    a = _rng.standard_normal((4, 4))
    cov = a @ a.T + 4.0 * np.eye(4)
    x = _rng.standard_normal(4)
    # autograd's cho_factor rule has no VJP for the factor, so finite differences are the oracle
    check(gaussian_nll_cho, (cov, x), wrt=1, oracle=False)
    g = check(gaussian_nll_cho, (cov, x), wrt=0, oracle=False)
    # cho_factor reads only the lower triangle (lower=True): the gradient lives there
    np.testing.assert_array_equal(np.triu(g, 1), 0.0)


# ---- logistic regression: expit, log_expit, logsumexp, softmax ----------------------------------------


def logistic_loss(w, X, y):
    p = special.expit(X @ w[1:] + w[0])
    return -np.sum(y * np.log(p) + (1.0 - y) * np.log(1.0 - p)) + 0.1 * np.sum(w ** 2)


def logistic_loss_stable(w, X, y):
    z = X @ w[1:] + w[0]
    return -np.sum(y * special.log_expit(z) + (1.0 - y) * special.log_expit(-z))


def softmax_regression(W, X, labels):
    scores = X @ W
    return np.sum(special.logsumexp(scores, axis=1)) - np.sum(scores * labels)


_labels = (Y > 0.0) * 1.0
_onehot = np.eye(3)[_rng.integers(0, 3, 8)]


def test_logistic_regression():
    check(logistic_loss, (np.array([0.1, -0.4, 0.7]), X, _labels))


def test_logistic_regression_in_log_expit_form_matches_expit_form():
    w = np.array([0.1, -0.4, 0.7])
    g = check(logistic_loss_stable, (w, X, _labels), oracle=False)
    ridge = 0.2 * w
    np.testing.assert_allclose(g, sourcead.grad(logistic_loss)(w, X, _labels) - ridge, rtol=1e-9)


def test_softmax_regression_with_logsumexp():
    check(softmax_regression, (_rng.standard_normal((2, 3)), X, _onehot))


def test_softmax_rows_sum_to_one_so_their_sum_has_zero_gradient():
    def total(z):
        return np.sum(special.softmax(z, axis=1))

    np.testing.assert_allclose(sourcead.grad(total)(_rng.standard_normal((3, 4))), 0.0, atol=1e-12)


# ---- log densities ------------------------------------------------------------------------------------


def stats_loglik(params, x):
    mu, log_sigma = params[0], params[1]
    return (np.sum(stats.norm.logpdf(x, mu, np.exp(log_sigma)))
            + np.sum(stats.t.logpdf(x, 4.0, mu, 2.0 * np.exp(log_sigma)))
            + np.sum(stats.poisson.logpmf(np.array([0, 2, 5]), np.exp(mu))))


def positive_loglik(a, x):
    return np.sum(stats.gamma.logpdf(x, a)) + np.sum(stats.beta.logpdf(x / 4.0, a, 2.0))


def mvn_loglik(mean, cov, x):
    return np.sum(stats.multivariate_normal.logpdf(x, mean, cov))


def test_location_scale_log_likelihood():
    check(stats_loglik, (np.array([0.3, -0.2]), _rng.standard_normal(6)))


def test_gamma_and_beta_shape_parameters():
    check(positive_loglik, (1.7, np.array([0.4, 1.1, 2.5, 3.2])), oracle=False)


def test_multivariate_normal_in_mean_and_covariance():
    a = _rng.standard_normal((3, 3))
    cov = a @ a.T + 3.0 * np.eye(3)
    points = _rng.standard_normal((5, 3))
    check(mvn_loglik, (np.array([0.1, -0.3, 0.2]), cov, points))
    g = check(mvn_loglik, (np.array([0.1, -0.3, 0.2]), cov, points), wrt=1, oracle=False)
    # SciPy reads cov's lower triangle; the symmetric gradient autograd gives is its symmetrization
    sym = autograd.grad(under_autograd(mvn_loglik), 1)(np.array([0.1, -0.3, 0.2]), cov, points)
    np.testing.assert_allclose(np.tril(g) + np.tril(g, -1).T, sym + sym.T - np.diag(np.diag(sym)), rtol=1e-6)


# ---- special functions: higher order --------------------------------------------------------------------


def log_gamma_sum(x):
    return np.sum(special.gammaln(x)) + np.sum(special.erf(x / 3.0))


def test_hessian_of_gammaln_is_trigamma():
    x = np.array([0.7, 1.5, 3.2])
    h = sourcead.hessian(log_gamma_sum)(x)
    expected = special.polygamma(1, x) - (2.0 / np.sqrt(np.pi)) * np.exp(-(x / 3.0) ** 2) * 2.0 * x / 27.0
    np.testing.assert_allclose(h, np.diag(expected), rtol=1e-9)


def test_special_functions_with_autograd_twins():
    def f(x):
        return (np.sum(special.digamma(x) * special.i0(x)) + np.sum(special.j1(x) * special.y0(x))
                + np.sum(special.erfinv(x / 4.0)) + np.sum(special.betaln(x, 2.0 * x)))

    check(f, (np.array([0.7, 1.5, 3.2]),))


# ---- numpy.linalg ---------------------------------------------------------------------------------------


def spectral(a):
    s = a + a.T
    w, v = np.linalg.eigh(s)
    return np.sum(w ** 3 * np.arange(3.0)) + np.sum(v[:, -1] ** 4)


def spectral_values(a):
    return np.sum(np.linalg.eigvalsh(a + a.T) ** 3 * np.arange(3.0))


def factorizations(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    q, r = np.linalg.qr(a)
    return np.sum(s ** 2 * np.arange(1.0, 4.0)) + np.sum((u @ vh) ** 2 * a) + np.sum(np.abs(r) ** 3) + np.sum(q * a)


def inverses(a, b):
    sign, logdet = np.linalg.slogdet(a)
    x = np.linalg.solve(a, b)
    return (logdet + np.sum(np.linalg.inv(a) ** 2) + np.linalg.det(a) + np.sum(x ** 2)
            + np.sum(np.linalg.matrix_power(a / 4.0, 3)) + np.sum(np.linalg.pinv(a[:, :2]) ** 2))


def test_eigh_and_eigvalsh():
    a = np.diag([1.0, 2.5, 4.0]) + 0.3 * _rng.standard_normal((3, 3))
    check(spectral, (a,))
    # autograd has no eigvalsh rule: finite differences, and eigh's values, are the oracles
    np.testing.assert_allclose(check(spectral_values, (a,), oracle=False),
                               autograd.grad(lambda m: anp.sum(anp.linalg.eigh(m + m.T)[0] ** 3 * anp.arange(3.0)))(a),
                               rtol=1e-6)


def test_svd_and_qr_of_a_tall_matrix():
    a = np.array([[2.0, 0.3, -0.1], [0.1, 1.2, 0.4], [0.5, -0.2, 3.1], [0.3, 0.7, 0.2], [-0.4, 0.1, 0.6]])
    check(factorizations, (a,), oracle=False)


def test_solve_inverse_determinant_power_pinv():
    a = _rng.standard_normal((3, 3)) + 3.0 * np.eye(3)
    check(inverses, (a, _rng.standard_normal(3)), oracle=False)
    check(inverses, (a, _rng.standard_normal(3)), wrt=1)


def eig_values(a):
    w, v = np.linalg.eig(a)  # real here, but of a complex dtype from NumPy 2.5 on: np.real says so
    return np.real(np.sum(w ** 2) + np.sum(v[0] * np.linalg.eigvals(a)))


def test_eig_with_real_eigenvalues():
    a = np.array([[1.2, 0.3, -0.4], [0.1, 2.4, 0.5], [-0.2, 0.3, 4.1]])
    check(eig_values, (a,), oracle=False)


def test_eig_with_complex_eigenvalues_is_refused():
    rotation = np.array([[0.0, -1.0], [1.0, 0.0]])
    with pytest.raises(UnsupportedCallError, match="complex"):
        sourcead.grad(eig_values)(rotation)


def test_multi_dot_with_vector_ends():
    def f(a, b):
        return np.linalg.multi_dot([b, a, a.T, b]) + np.sum(np.linalg.multi_dot([a, a, a]) ** 2)

    a, b = 0.5 * _rng.standard_normal((3, 3)), _rng.standard_normal(3)
    check(f, (a, b), wrt=0)
    check(f, (a, b), wrt=1)


def test_expm():
    def f(a):
        return np.sum(linalg.expm(a) * np.arange(9.0).reshape(3, 3))

    check(f, (0.5 * _rng.standard_normal((3, 3)),), oracle=False)


_MATRIX_ORDS = [None, "fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf]


@pytest.mark.parametrize("ord", _MATRIX_ORDS, ids=str)
@pytest.mark.parametrize("shape,axis", [((3, 4), None), ((2, 3, 4), (1, 2)), ((3, 4, 2), (1, 0))], ids=str)
def test_matrix_norm_weight_is_the_gradient_of_matrix_norms(ord, shape, axis):
    from sourcead.runtime import matrix_norm_weight

    x = np.random.default_rng(5).standard_normal(shape)
    v = np.random.default_rng(6).standard_normal(shape)
    for keepdims in (False, True):
        def norm(y):
            return np.linalg.norm(y, ord, axis, keepdims)

        weight = matrix_norm_weight(x, norm(x), ord, axis, keepdims)
        directional = np.sum(weight * v, axis=(0, 1) if axis is None else axis, keepdims=keepdims)
        np.testing.assert_allclose(directional, (norm(x + 1e-6 * v) - norm(x - 1e-6 * v)) / 2e-6, rtol=1e-5, atol=1e-7)


def nuclear_and_spectral(a):
    return np.linalg.norm(a, "nuc") + np.linalg.norm(a, 2) + np.linalg.norm(a, -np.inf)


def test_matrix_norms_differentiate():
    check(nuclear_and_spectral, (_rng.standard_normal((3, 4)),), oracle=False)


# ---- second derivatives: every rule body is differentiable again ---------------------------------------

_A = np.array([[2.0, 0.3, -0.1], [0.1, 1.2, 0.4], [0.5, -0.2, 3.1]])
_TALL = np.vstack([_A, [[0.3, 0.7, 0.2], [-0.4, 0.1, 0.6]]])


def h_cholesky(a):
    return np.sum(np.linalg.cholesky(a @ a.T + np.eye(3)) ** 3)


def h_eigh(a):
    w, v = np.linalg.eigh(a + a.T)
    return np.sum(w ** 3) + np.sum(v ** 4) + np.sum(np.linalg.eigvalsh(a + a.T) ** 3)


def h_svd(a):
    u, s, vh = np.linalg.svd(a, full_matrices=False)
    return np.sum(s ** 3) + np.sum(u ** 4) + np.sum(vh ** 4)


def h_qr(a):
    q, r = np.linalg.qr(a)
    return np.sum(q ** 3) + np.sum(r ** 3)


def h_inverses(a):
    return (np.sum(np.linalg.inv(a) ** 2) + np.linalg.det(a) + np.linalg.slogdet(a)[1]
            + np.sum(np.linalg.solve(a, np.arange(3.0)) ** 2))


def h_pinv_lstsq(a):
    x, res, rank, s = np.linalg.lstsq(a, np.arange(5.0), rcond=None)
    return np.sum(np.linalg.pinv(a) ** 3) + np.sum(x ** 3) + np.sum(res) + np.sum(s ** 2)


def h_matrix_functions(a):
    return np.sum(linalg.expm(a / 3.0) ** 2) + np.sum(np.linalg.matrix_power(a / 2.0, 3) ** 2) + np.sum(
        np.linalg.matrix_power(a, -2))


def h_eig(a):
    w, v = np.linalg.eig(a)
    return np.real(np.sum(w ** 3) + np.sum(v ** 3))


def h_scipy_solvers(a):
    c = linalg.cho_factor(a @ a.T + np.eye(3))
    return (np.sum(linalg.solve_triangular(a, np.arange(3.0), lower=True, trans=1) ** 3)
            + np.sum(linalg.cho_solve(c, np.arange(3.0)) ** 3) + np.sum(c[0] ** 3)
            + np.sum(linalg.solve(a @ a.T + np.eye(3), np.arange(3.0), assume_a="pos") ** 3))


def h_multi_dot(a):
    return np.linalg.multi_dot([np.arange(3.0), a, a.T @ a, a, np.ones(3)]) ** 2


@pytest.mark.parametrize("f, x", [(h_multi_dot, _A), (h_cholesky, _A), (h_eigh, _A), (h_svd, _TALL), (h_qr, _TALL), (h_inverses, _A),
                                  (h_pinv_lstsq, _TALL), (h_matrix_functions, _A), (h_eig, _A),
                                  (h_scipy_solvers, _A)], ids=lambda v: getattr(v, "__name__", ""))
def test_hessian_vector_products_match_differences_of_gradients(f, x):
    grad = sourcead.grad(f)
    v = np.random.default_rng(9).standard_normal(x.shape)
    hv = np.tensordot(sourcead.hessian(f)(x), v, axes=2)
    np.testing.assert_allclose(hv, (grad(x + 1e-5 * v) - grad(x - 1e-5 * v)) / 2e-5, rtol=1e-6, atol=1e-6)
    _, jv = sourcead.jvp(grad, (x,), (v,))
    np.testing.assert_allclose(jv, hv, rtol=1e-9, atol=1e-9)


def test_matrix_rank_carries_no_derivative():
    def f(a):
        return np.linalg.matrix_rank(a) * np.sum(a)

    np.testing.assert_allclose(sourcead.grad(f)(np.eye(3)), 3.0 * np.ones((3, 3)))


# ---- SciPy stays optional -------------------------------------------------------------------------------


def _run(code):
    result = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_import_sourcead_does_not_import_scipy():
    out = _run("""
        import sys
        import sourcead
        print(sorted(m for m in sys.modules if m == "scipy" or m.startswith("scipy.")))
    """)
    assert out.strip() == "[]"


def test_scipy_rules_load_on_first_use(tmp_path):
    module = tmp_path / "user_model.py"
    module.write_text(textwrap.dedent("""
        import numpy as np
        from scipy.special import gammaln

        def f(x):
            return np.sum(gammaln(x) * x)
    """))
    out = _run(f"""
        import sys
        sys.path.insert(0, {str(tmp_path)!r})
        import numpy as np
        import sourcead
        from user_model import f
        assert "sourcead.rules.scipy_special" not in sys.modules
        from scipy.special import digamma, gammaln
        x = np.array([0.5, 1.5, 4.0])
        g = sourcead.grad(f)(x)
        assert "sourcead.rules.scipy_special" in sys.modules
        assert "scipy.stats" not in sys.modules and "sourcead.rules.scipy_stats" not in sys.modules
        np.testing.assert_allclose(g, gammaln(x) + x * digamma(x), rtol=1e-12)
        print("ok")
    """)
    assert out.strip() == "ok"


def test_sourcead_works_without_scipy(tmp_path):
    module = tmp_path / "no_scipy_model.py"
    module.write_text(textwrap.dedent("""
        import numpy as np

        def f(a):
            return np.linalg.slogdet(a @ a.T + np.eye(2))[1]
    """))
    out = _run(f"""
        import sys
        sys.modules["scipy"] = None  # as if SciPy were not installed: importing it fails
        sys.path.insert(0, {str(tmp_path)!r})
        import numpy as np
        import sourcead
        from no_scipy_model import f
        a = np.array([[1.0, 0.5], [0.2, 2.0]])
        g = sourcead.grad(f)(a)
        s = a @ a.T + np.eye(2)
        np.testing.assert_allclose(g, 2.0 * np.linalg.inv(s) @ a, rtol=1e-12)
        print("ok")
    """)
    assert out.strip() == "ok"


# ---- what the rules refuse ------------------------------------------------------------------------------


def singular_values_only(a):
    return np.sum(np.linalg.svd(a, compute_uv=False))


def full_svd_of_tall(a):
    u, s, vh = np.linalg.svd(a)
    return np.sum(s)


def signed_logsumexp(x):
    return special.logsumexp(x, return_sign=False)


def t_cdf_in_df(df):
    return stats.t.cdf(0.5, df)


def hermitian_singular_values(a):
    return np.sum(np.linalg.svd(a, compute_uv=False, hermitian=True))


def singular_values_squared(a):
    return np.sum(np.linalg.svd(a, compute_uv=False) ** 2 * np.array([3.0, 2.0, 1.0]))


def test_singular_values_alone_differentiate():
    """np.linalg.svd(a, compute_uv=False) was refused; its derivative is U diag(ds) Vh."""
    a = _rng.standard_normal((4, 3))
    check(singular_values_only, (a,))
    check(singular_values_only, (a.T,))
    check(singular_values_squared, (a,))
    h = sourcead.hessian(singular_values_squared)(a)
    g = sourcead.grad(singular_values_squared)
    v = _rng.standard_normal(a.shape)
    np.testing.assert_allclose(np.tensordot(h, v, 2), (g(a + 1e-6 * v) - g(a - 1e-6 * v)) / 2e-6, rtol=1e-5,
                               atol=1e-6)


def test_svd_with_unsupported_options_is_refused_with_a_hint():
    with pytest.raises(UnsupportedCallError, match="full_matrices=False") as info:
        sourcead.grad(full_svd_of_tall)(_rng.standard_normal((4, 3)))
    assert "compute_uv=False" in info.value.hint
    a = _rng.standard_normal((3, 3))
    with pytest.raises(UnsupportedCallError, match="hermitian=False"):
        sourcead.grad(hermitian_singular_values)(a + a.T)


def qr_of(a):
    q, r = np.linalg.qr(a)
    return np.sum(r ** 2)


def test_qr_of_a_wide_matrix_is_refused_with_a_hint():
    with pytest.raises(UnsupportedCallError, match="wide"):
        sourcead.grad(qr_of)(_rng.standard_normal((2, 3)))


def test_logsumexp_return_sign_is_refused():
    with pytest.raises(UnsupportedCallError, match="return_sign"):
        sourcead.grad(signed_logsumexp)(np.array([0.1, 0.2]))


def test_a_constant_shape_parameter_that_depends_on_the_input_is_refused():
    with pytest.raises(NonDifferentiableError, match="df"):
        sourcead.grad(t_cdf_in_df)(3.0)


def test_forward_mode_refuses_a_constant_shape_parameter_that_depends_on_the_input():
    with pytest.raises(NonDifferentiableError):
        sourcead.jvp(t_cdf_in_df, (3.0,), (1.0,))
