"""Spec cases for the SciPy rules (`sourcead/rules/scipy_*.py`); none when SciPy is not installed.

Arguments sit inside each function's domain and away from its kinks: logit's and ndtri's in
(0.1, 0.9), gamma's x above loc, beta's inside (loc, loc + scale), Laplace's away from loc.
"""

from __future__ import annotations

import numpy as np

from cases_linalg import spd, square
from spec import C, pos, rnd, unit

try:
    from scipy import linalg, special, stats
except ImportError:  # SciPy is optional: its rules are then never loaded, and have no cases
    CASES = []
else:
    import sourcead.rules.scipy_  # noqa: F401  (registers the SciPy rules, as a first lookup would)
    from sourcead.rules import registry

    def registered(method):
        """The very object a bound method's rules are registered under: each attribute access
        makes a new bound method (equal, but not identical), and the coverage check in
        test_rules.py compares identities."""
        return registry.lookup_adjoint(method).target

    def inside(*shape):
        """Values in (0.1, 0.9)."""
        return 0.1 + 0.8 * np.random.default_rng(7).uniform(size=shape)

    def stats_cases(dist, x, *shape_params, loc=0.3, scale=1.7):
        out = []
        for method in ("logpdf", "pdf", "cdf", "logcdf", "sf", "logsf", "ppf", "isf"):
            f = registered(getattr(dist, method))
            arg = inside(5) if method in ("ppf", "isf") else x
            out += [C("positional", f, arg, *shape_params, loc, scale),
                    C("keywords", f, arg, *shape_params, loc=loc, scale=scale),
                    C("defaults", f, arg, *shape_params)]
        return out

    _c_upper = linalg.cho_factor(spd(3, 3))
    _c_lower = linalg.cho_factor(spd(3, 3), lower=True)

    CASES = [
        # ---- scipy.special ----
        *[C("x", f, rnd(3, 4)) for f in (special.expit, special.log_expit, special.softplus, special.erf,
                                        special.erfc, special.erfi, special.erfcx, special.dawsn,
                                        special.ndtr, special.log_ndtr, special.j0, special.j1)],
        C("scalar", special.expit, rnd()),
        C("left-tail", special.log_ndtr, np.array([-12.0, -3.0, 0.5])),
        *[C("x", f, inside(3, 4)) for f in (special.logit, special.ndtri)],
        C("x", special.erfinv, unit(3, 4)),
        C("x", special.erfcinv, 1.0 + unit(3, 4)),
        *[C("x", f, pos(3, 4) + 0.5) for f in (special.gamma, special.gammaln, special.rgamma,
                                               special.digamma, special.entr, special.y0, special.y1,
                                               special.k0, special.k1)],
        C("negative", special.gammaln, np.array([-0.5, -1.5, -2.3])),
        C("n1", special.polygamma, 1, pos(4)),
        C("n2-array", special.polygamma, np.array([2, 3]), pos(2)),
        C("broadcast", special.betaln, pos(3, 1), pos(4)),
        C("broadcast", special.beta, pos(3, 1), pos(4)),
        C("x", special.gammainc, pos() + 1.0, pos(4)),
        C("x", special.gammaincc, pos(4) + 1.0, pos(4)),
        C("x", special.betainc, pos() + 1.0, pos(), inside(4)),
        *[C("broadcast", f, rnd(3, 1), pos(4)) for f in (special.xlogy, special.xlog1py)],
        *[C("broadcast", f, pos(3, 1), pos(4)) for f in (special.rel_entr, special.kl_div)],
        *[C("x", f, rnd(5) + np.array([0.5, -0.5, 0.5, -0.5, 0.5])) for f in (special.i0, special.i0e,
                                                                              special.i1, special.i1e)],
        *[C("order2", f, 2, pos(4)) for f in (special.iv, special.ive, special.jv, special.yv, special.kv)],
        *[C("order1.5", f, 1.5, pos(4)) for f in (special.iv, special.jv, special.kv)],
        C("negative-x", special.ive, 1, -pos(4)),
        *[C("x", f, pos(3, 4)) for f in (special.exp1, special.expi, special.log1p)],
        C("order2", special.expn, 2, pos(4)),
        *[C("m", f, inside(4)) for f in (special.ellipk, special.ellipe)],
        C("hurwitz", special.zeta, 3.0, pos(4)),
        *[C("x", f, rnd(3, 4)) for f in (special.exp2, special.exp10, special.expm1, special.cbrt,
                                        special.cosm1)],
        *[C("degrees", f, rnd(3, 4) * 90.0) for f in (special.sindg, special.cosdg)],
        C("both-sides", special.huber, 1.0, np.array([-2.5, -0.4, 0.3, 1.7])),
        C("broadcast", special.pseudo_huber, pos(3, 1), rnd(4)),
        C("all", special.logsumexp, rnd(3, 4)),
        C("axis1", special.logsumexp, rnd(3, 4), 1),
        C("axis0-keep", special.logsumexp, rnd(3, 4), axis=0, keepdims=True),
        C("weights", special.logsumexp, rnd(3, 4), b=pos(3, 4)),
        C("weights-axis", special.logsumexp, rnd(3, 4), axis=-1, b=pos(4)),
        C("all", special.softmax, rnd(3, 4)),
        C("axis1", special.softmax, rnd(3, 4), axis=1),
        C("all", special.log_softmax, rnd(3, 4)),
        C("axis0", special.log_softmax, rnd(3, 4), axis=0),

        # ---- scipy.stats ----
        *stats_cases(stats.norm, rnd(5)),
        C("broadcast", registered(stats.norm.logpdf), rnd(5), rnd(5), pos()),
        *stats_cases(stats.t, rnd(5), pos() * 3.0),
        *stats_cases(stats.gamma, pos(5) + 0.5, pos() + 1.0, loc=0.2),
        *stats_cases(stats.beta, inside(5), pos() + 1.0, pos() + 1.0, loc=0.0, scale=1.0),
        C("shifted", registered(stats.beta.logpdf), inside(5) * 2.0 - 0.5, pos() + 1.0, pos() + 1.0, -0.5, 2.0),
        *stats_cases(stats.expon, pos(5) + 0.5, loc=0.2),
        *stats_cases(stats.laplace, np.array([-1.3, -0.2, 0.9, 1.5, 2.8])),
        *stats_cases(stats.cauchy, rnd(5)),
        *stats_cases(stats.logistic, rnd(5)),
        *stats_cases(stats.chi2, pos(5) + 0.5, pos() * 3.0, loc=0.2),
        *stats_cases(stats.lognorm, pos(5) + 0.5, pos() * 0.5 + 0.3, loc=0.2),
        *stats_cases(stats.uniform, inside(5) * 0.5 + 0.35, loc=0.3, scale=1.7),
        *[C("rate", registered(f), np.array([0, 1, 3, 6]), pos() * 2.0)
          for f in (stats.poisson.logpmf, stats.poisson.pmf, stats.poisson.cdf, stats.poisson.sf)],
        C("shifted", registered(stats.poisson.logpmf), np.array([2, 3, 5]), pos() * 2.0, 1),
        C("points", registered(stats.multivariate_normal.logpdf), rnd(4, 3), rnd(3), spd(3, 3)),
        C("one-point", registered(stats.multivariate_normal.logpdf), rnd(3), rnd(3), spd(3, 3)),
        C("diagonal-cov", registered(stats.multivariate_normal.logpdf), rnd(4, 3), rnd(3), pos(3)),
        C("scalar-cov", registered(stats.multivariate_normal.logpdf), rnd(4, 2), rnd(2), pos()),
        C("points", registered(stats.multivariate_normal.pdf), rnd(4, 2), rnd(2), spd(2, 2)),
        C("one-point", registered(stats.multivariate_normal.pdf), rnd(3), rnd(3), np.eye(3) * 0.8),
        C("keywords", registered(stats.multivariate_normal.logpdf), rnd(4, 3), mean=rnd(3), cov=spd(3, 3)),
        # dimension 1: a number is one point, a vector a column of points; SciPy squeezes results
        *[C(label, registered(f), *args) for f in (stats.multivariate_normal.logpdf, stats.multivariate_normal.pdf)
          for label, args in (("number", (np.array(0.3), 0.1, pos())), ("number-no-mean", (np.array(0.3),)),
                              ("numbers", (rnd(4), 0.1, pos())), ("numbers-matrix-cov", (rnd(3), rnd(1), spd(1, 1))),
                              ("one-row", (rnd(1, 3), rnd(3), spd(3, 3))))],

        # ---- scipy.linalg ----
        C("upper-vector", linalg.solve_triangular, square(3, 3), rnd(3)),
        C("lower-matrix", linalg.solve_triangular, square(3, 3), rnd(3, 2), lower=True),
        C("transposed", linalg.solve_triangular, square(3, 3), rnd(3, 2), trans=1, lower=True),
        C("trans-T-upper", linalg.solve_triangular, square(3, 3), rnd(3), "T"),
        C("unit-diagonal", linalg.solve_triangular, square(3, 3) / 3.0, rnd(3), lower=True, unit_diagonal=True),
        C("upper", linalg.cholesky, spd(3, 3)),
        C("lower", linalg.cholesky, spd(3, 3), lower=True),
        C("number", linalg.cholesky, np.array(2.5)),
        C("one-element-lower", linalg.cholesky, np.array([2.5]), lower=True),
        C("upper", linalg.cho_factor, spd(3, 3)),
        C("number", linalg.cho_factor, np.array(2.5)),
        C("one-element-lower", linalg.cho_factor, np.array([2.5]), lower=True),
        C("lower", linalg.cho_factor, spd(3, 3), lower=True),
        C("upper-vector", linalg.cho_solve, _c_upper, rnd(3)),
        C("lower-matrix", linalg.cho_solve, _c_lower, rnd(3, 2)),
        C("matrix", linalg.expm, rnd(3, 3) * 0.5),
        C("batch", linalg.expm, rnd(2, 3, 3) * 0.5),
        C("number", linalg.expm, np.array(0.7)),
        C("one-element", linalg.expm, np.array([0.7])),
        *[C("matrix", f, rnd(3, 3) * 0.3) for f in (linalg.cosm, linalg.sinm, linalg.tanm, linalg.coshm,
                                                     linalg.sinhm, linalg.tanhm)],
        *[C("positive", f, spd(3, 3)) for f in (linalg.sqrtm, linalg.logm)],
        C("nonsymmetric", linalg.sqrtm, square(3, 3)),
        C("power", linalg.fractional_matrix_power, spd(3, 3), 0.7),
        C("vector", linalg.solve, square(3, 3), rnd(3)),
        C("matrix", linalg.solve, square(3, 3), rnd(3, 2)),
        C("transposed", linalg.solve, square(3, 3), rnd(3, 2), transposed=True),
        C("pos-lower", linalg.solve, spd(3, 3), rnd(3), lower=True, assume_a="pos"),
        C("sym-upper", linalg.solve, spd(3, 3), rnd(3, 2), assume_a="sym"),
        C("one-by-one", linalg.solve, square(1, 1), rnd(1)),
        C("matrix", linalg.inv, square(3, 3)),
        C("matrix", linalg.det, square(3, 3)),
    ]
