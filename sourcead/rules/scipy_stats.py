"""Derivative rules for scipy.stats: the densities, distribution and quantile functions of norm, t,
gamma, beta, expon, laplace, logistic, chi2, lognorm, uniform and cauchy (logpdf, pdf, cdf, logcdf,
sf, logsf, ppf, isf) in x (q), loc and scale, and in the shape parameters where the derivative is
elementary (logpdf and pdf of t's and chi2's df, gamma's a, beta's a and b, lognorm's s);
poisson's logpmf, pmf, cdf and sf in the rate; multivariate_normal's logpdf and pdf in x, mean
and cov, with x read as SciPy reads it (in dimension 1 a vector is a column of points).

Rules are registered for the bound methods themselves (``scipy.stats.norm.logpdf``): bound methods
of one distribution object compare and hash equal, so the compiler's resolved call finds them.
Parameters named here are the ones differentiated; any other argument (a shape parameter of a
distribution function, a count k) is a constant, and a call where it depends on the inputs is
refused. Imported only when a differentiated function calls into SciPy (see `registry`).

The location-scale part of this file follows one pattern, from each distribution's logpdf partial
derivatives (its first section): pdf's are ans times logpdf's, the distribution functions move by
the density (x) and through z = (x - loc) / scale (loc and scale), and the quantile functions are
their inverses.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from ..runtime import as_covariance, covariance_adjoint, mT, mvn_points, unbroadcast, zero_if_none
from .registry import adjoint, tangent

# ---- the normal distribution: logpdf = -z**2 / 2 - log(scale) - log(2 pi) / 2, z = (x - loc) / scale


@adjoint(stats.norm.logpdf, differentiable=("x", "loc", "scale"))
def norm_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-(x - loc) / scale ** 2), x),
            unbroadcast(ct * ((x - loc) / scale ** 2), loc),
            unbroadcast(ct * ((((x - loc) / scale) ** 2 - 1.0) / scale), scale))


@tangent(stats.norm.logpdf, differentiable=("x", "loc", "scale"))
def norm_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * (-(x - loc) / scale ** 2),
            t * ((x - loc) / scale ** 2),
            t * ((((x - loc) / scale) ** 2 - 1.0) / scale))


@adjoint(stats.norm.pdf, differentiable=("x", "loc", "scale"))
def norm_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-(x - loc) / scale ** 2), x),
            unbroadcast(ct * ans * ((x - loc) / scale ** 2), loc),
            unbroadcast(ct * ans * ((((x - loc) / scale) ** 2 - 1.0) / scale), scale))


@tangent(stats.norm.pdf, differentiable=("x", "loc", "scale"))
def norm_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (-(x - loc) / scale ** 2),
            t * ans * ((x - loc) / scale ** 2),
            t * ans * ((((x - loc) / scale) ** 2 - 1.0) / scale))


@adjoint(stats.norm.cdf, differentiable=("x", "loc", "scale"))
def norm_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.norm.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.norm.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.norm.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.norm.cdf, differentiable=("x", "loc", "scale"))
def norm_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.norm.pdf(x, loc, scale),
            -t * stats.norm.pdf(x, loc, scale),
            -t * stats.norm.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.norm.logcdf, differentiable=("x", "loc", "scale"))
def norm_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.norm.logcdf, differentiable=("x", "loc", "scale"))
def norm_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.norm.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.norm.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.norm.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.norm.sf, differentiable=("x", "loc", "scale"))
def norm_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.norm.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.norm.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.norm.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.norm.sf, differentiable=("x", "loc", "scale"))
def norm_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.norm.pdf(x, loc, scale),
            t * stats.norm.pdf(x, loc, scale),
            t * stats.norm.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.norm.logsf, differentiable=("x", "loc", "scale"))
def norm_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.norm.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.norm.logsf, differentiable=("x", "loc", "scale"))
def norm_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.norm.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.norm.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.norm.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.norm.ppf, differentiable=("q", "loc", "scale"))
def norm_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.norm.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.norm.ppf, differentiable=("q", "loc", "scale"))
def norm_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.norm.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.norm.isf, differentiable=("q", "loc", "scale"))
def norm_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.norm.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.norm.isf, differentiable=("q", "loc", "scale"))
def norm_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.norm.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- Student's t: logpdf = const(df) - log(scale) - (df + 1) / 2 log(1 + z**2 / df)


@adjoint(stats.t.logpdf, differentiable=("x", "df", "loc", "scale"))
def t_logpdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-(df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)), x),
            unbroadcast(ct * (0.5 * (special.digamma((df + 1.0) / 2.0) - special.digamma(df / 2.0) - 1.0 / df
                                     - np.log1p((x - loc) ** 2 / (df * scale ** 2))
                                     + (df + 1.0) * (x - loc) ** 2 / (df * (df * scale ** 2 + (x - loc) ** 2)))), df),
            unbroadcast(ct * ((df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)), loc),
            unbroadcast(ct * (((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2) - 1.0) / scale), scale))


@tangent(stats.t.logpdf, differentiable=("x", "df", "loc", "scale"))
def t_logpdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * (-(df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)),
            t * (0.5 * (special.digamma((df + 1.0) / 2.0) - special.digamma(df / 2.0) - 1.0 / df
                        - np.log1p((x - loc) ** 2 / (df * scale ** 2))
                        + (df + 1.0) * (x - loc) ** 2 / (df * (df * scale ** 2 + (x - loc) ** 2)))),
            t * ((df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)),
            t * (((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2) - 1.0) / scale))


@adjoint(stats.t.pdf, differentiable=("x", "df", "loc", "scale"))
def t_pdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-(df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)), x),
            unbroadcast(ct * ans * (0.5 * (special.digamma((df + 1.0) / 2.0) - special.digamma(df / 2.0) - 1.0 / df
                                           - np.log1p((x - loc) ** 2 / (df * scale ** 2))
                                           + (df + 1.0) * (x - loc) ** 2 / (df * (df * scale ** 2 + (x - loc) ** 2)))), df),
            unbroadcast(ct * ans * ((df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)), loc),
            unbroadcast(ct * ans * (((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2) - 1.0) / scale), scale))


@tangent(stats.t.pdf, differentiable=("x", "df", "loc", "scale"))
def t_pdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * ans * (-(df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)),
            t * ans * (0.5 * (special.digamma((df + 1.0) / 2.0) - special.digamma(df / 2.0) - 1.0 / df
                              - np.log1p((x - loc) ** 2 / (df * scale ** 2))
                              + (df + 1.0) * (x - loc) ** 2 / (df * (df * scale ** 2 + (x - loc) ** 2)))),
            t * ans * ((df + 1.0) * (x - loc) / (df * scale ** 2 + (x - loc) ** 2)),
            t * ans * (((df + 1.0) * (x - loc) ** 2 / (df * scale ** 2 + (x - loc) ** 2) - 1.0) / scale))


@adjoint(stats.t.cdf, differentiable=("x", "loc", "scale"))
def t_cdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.t.pdf(x, df, loc, scale), x),
            unbroadcast(-ct * stats.t.pdf(x, df, loc, scale), loc),
            unbroadcast(-ct * stats.t.pdf(x, df, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.t.cdf, differentiable=("x", "loc", "scale"))
def t_cdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * stats.t.pdf(x, df, loc, scale),
            -t * stats.t.pdf(x, df, loc, scale),
            -t * stats.t.pdf(x, df, loc, scale) * (x - loc) / scale)


@adjoint(stats.t.logcdf, differentiable=("x", "loc", "scale"))
def t_logcdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.t.logcdf, differentiable=("x", "loc", "scale"))
def t_logcdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans),
            -t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans),
            -t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.t.sf, differentiable=("x", "loc", "scale"))
def t_sf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.t.pdf(x, df, loc, scale), x),
            unbroadcast(ct * stats.t.pdf(x, df, loc, scale), loc),
            unbroadcast(ct * stats.t.pdf(x, df, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.t.sf, differentiable=("x", "loc", "scale"))
def t_sf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (-t * stats.t.pdf(x, df, loc, scale),
            t * stats.t.pdf(x, df, loc, scale),
            t * stats.t.pdf(x, df, loc, scale) * (x - loc) / scale)


@adjoint(stats.t.logsf, differentiable=("x", "loc", "scale"))
def t_logsf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.t.logsf, differentiable=("x", "loc", "scale"))
def t_logsf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans),
            t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans),
            t * np.exp(stats.t.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.t.ppf, differentiable=("q", "loc", "scale"))
def t_ppf_adjoint(ct, ans, q, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.t.pdf(ans, df, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.t.ppf, differentiable=("q", "loc", "scale"))
def t_ppf_tangent(t, ans, q, df, loc=0.0, scale=1.0):
    return t / stats.t.pdf(ans, df, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.t.isf, differentiable=("q", "loc", "scale"))
def t_isf_adjoint(ct, ans, q, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.t.pdf(ans, df, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.t.isf, differentiable=("q", "loc", "scale"))
def t_isf_tangent(t, ans, q, df, loc=0.0, scale=1.0):
    return -t / stats.t.pdf(ans, df, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the gamma distribution: logpdf = (a - 1) log z - z - gammaln(a) - log(scale), for z > 0


@adjoint(stats.gamma.logpdf, differentiable=("x", "a", "loc", "scale"))
def gamma_logpdf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ((a - 1.0) / (x - loc) - 1.0 / scale), x),
            unbroadcast(ct * (np.log((x - loc) / scale) - special.digamma(a)), a),
            unbroadcast(ct * (1.0 / scale - (a - 1.0) / (x - loc)), loc),
            unbroadcast(ct * (((x - loc) / scale - a) / scale), scale))


@tangent(stats.gamma.logpdf, differentiable=("x", "a", "loc", "scale"))
def gamma_logpdf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (t * ((a - 1.0) / (x - loc) - 1.0 / scale),
            t * (np.log((x - loc) / scale) - special.digamma(a)),
            t * (1.0 / scale - (a - 1.0) / (x - loc)),
            t * (((x - loc) / scale - a) / scale))


@adjoint(stats.gamma.pdf, differentiable=("x", "a", "loc", "scale"))
def gamma_pdf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * ((a - 1.0) / (x - loc) - 1.0 / scale), x),
            unbroadcast(ct * ans * (np.log((x - loc) / scale) - special.digamma(a)), a),
            unbroadcast(ct * ans * (1.0 / scale - (a - 1.0) / (x - loc)), loc),
            unbroadcast(ct * ans * (((x - loc) / scale - a) / scale), scale))


@tangent(stats.gamma.pdf, differentiable=("x", "a", "loc", "scale"))
def gamma_pdf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (t * ans * ((a - 1.0) / (x - loc) - 1.0 / scale),
            t * ans * (np.log((x - loc) / scale) - special.digamma(a)),
            t * ans * (1.0 / scale - (a - 1.0) / (x - loc)),
            t * ans * (((x - loc) / scale - a) / scale))


@adjoint(stats.gamma.cdf, differentiable=("x", "loc", "scale"))
def gamma_cdf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.gamma.pdf(x, a, loc, scale), x),
            unbroadcast(-ct * stats.gamma.pdf(x, a, loc, scale), loc),
            unbroadcast(-ct * stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.gamma.cdf, differentiable=("x", "loc", "scale"))
def gamma_cdf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (t * stats.gamma.pdf(x, a, loc, scale),
            -t * stats.gamma.pdf(x, a, loc, scale),
            -t * stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale)


@adjoint(stats.gamma.logcdf, differentiable=("x", "loc", "scale"))
def gamma_logcdf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.gamma.logcdf, differentiable=("x", "loc", "scale"))
def gamma_logcdf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans),
            -t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans),
            -t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.gamma.sf, differentiable=("x", "loc", "scale"))
def gamma_sf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.gamma.pdf(x, a, loc, scale), x),
            unbroadcast(ct * stats.gamma.pdf(x, a, loc, scale), loc),
            unbroadcast(ct * stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.gamma.sf, differentiable=("x", "loc", "scale"))
def gamma_sf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (-t * stats.gamma.pdf(x, a, loc, scale),
            t * stats.gamma.pdf(x, a, loc, scale),
            t * stats.gamma.pdf(x, a, loc, scale) * (x - loc) / scale)


@adjoint(stats.gamma.logsf, differentiable=("x", "loc", "scale"))
def gamma_logsf_adjoint(ct, ans, x, a, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.gamma.logsf, differentiable=("x", "loc", "scale"))
def gamma_logsf_tangent(t, ans, x, a, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans),
            t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans),
            t * np.exp(stats.gamma.logpdf(x, a, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.gamma.ppf, differentiable=("q", "loc", "scale"))
def gamma_ppf_adjoint(ct, ans, q, a, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.gamma.pdf(ans, a, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.gamma.ppf, differentiable=("q", "loc", "scale"))
def gamma_ppf_tangent(t, ans, q, a, loc=0.0, scale=1.0):
    return t / stats.gamma.pdf(ans, a, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.gamma.isf, differentiable=("q", "loc", "scale"))
def gamma_isf_adjoint(ct, ans, q, a, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.gamma.pdf(ans, a, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.gamma.isf, differentiable=("q", "loc", "scale"))
def gamma_isf_tangent(t, ans, q, a, loc=0.0, scale=1.0):
    return -t / stats.gamma.pdf(ans, a, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the beta distribution: logpdf = (a - 1) log z + (b - 1) log(1 - z) - betaln(a, b) - log(scale)


@adjoint(stats.beta.logpdf, differentiable=("x", "a", "b", "loc", "scale"))
def beta_logpdf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ((a - 1.0) / (x - loc) - (b - 1.0) / (loc + scale - x)), x),
            unbroadcast(ct * (np.log((x - loc) / scale) - special.digamma(a) + special.digamma(a + b)), a),
            unbroadcast(ct * (np.log1p(-(x - loc) / scale) - special.digamma(b) + special.digamma(a + b)), b),
            unbroadcast(ct * ((b - 1.0) / (loc + scale - x) - (a - 1.0) / (x - loc)), loc),
            unbroadcast(ct * (((b - 1.0) * (x - loc) / (loc + scale - x) - a) / scale), scale))


@tangent(stats.beta.logpdf, differentiable=("x", "a", "b", "loc", "scale"))
def beta_logpdf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (t * ((a - 1.0) / (x - loc) - (b - 1.0) / (loc + scale - x)),
            t * (np.log((x - loc) / scale) - special.digamma(a) + special.digamma(a + b)),
            t * (np.log1p(-(x - loc) / scale) - special.digamma(b) + special.digamma(a + b)),
            t * ((b - 1.0) / (loc + scale - x) - (a - 1.0) / (x - loc)),
            t * (((b - 1.0) * (x - loc) / (loc + scale - x) - a) / scale))


@adjoint(stats.beta.pdf, differentiable=("x", "a", "b", "loc", "scale"))
def beta_pdf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (loc + scale - x)), x),
            unbroadcast(ct * ans * (np.log((x - loc) / scale) - special.digamma(a) + special.digamma(a + b)), a),
            unbroadcast(ct * ans * (np.log1p(-(x - loc) / scale) - special.digamma(b) + special.digamma(a + b)), b),
            unbroadcast(ct * ans * ((b - 1.0) / (loc + scale - x) - (a - 1.0) / (x - loc)), loc),
            unbroadcast(ct * ans * (((b - 1.0) * (x - loc) / (loc + scale - x) - a) / scale), scale))


@tangent(stats.beta.pdf, differentiable=("x", "a", "b", "loc", "scale"))
def beta_pdf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (t * ans * ((a - 1.0) / (x - loc) - (b - 1.0) / (loc + scale - x)),
            t * ans * (np.log((x - loc) / scale) - special.digamma(a) + special.digamma(a + b)),
            t * ans * (np.log1p(-(x - loc) / scale) - special.digamma(b) + special.digamma(a + b)),
            t * ans * ((b - 1.0) / (loc + scale - x) - (a - 1.0) / (x - loc)),
            t * ans * (((b - 1.0) * (x - loc) / (loc + scale - x) - a) / scale))


@adjoint(stats.beta.cdf, differentiable=("x", "loc", "scale"))
def beta_cdf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.beta.pdf(x, a, b, loc, scale), x),
            unbroadcast(-ct * stats.beta.pdf(x, a, b, loc, scale), loc),
            unbroadcast(-ct * stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.beta.cdf, differentiable=("x", "loc", "scale"))
def beta_cdf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (t * stats.beta.pdf(x, a, b, loc, scale),
            -t * stats.beta.pdf(x, a, b, loc, scale),
            -t * stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale)


@adjoint(stats.beta.logcdf, differentiable=("x", "loc", "scale"))
def beta_logcdf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.beta.logcdf, differentiable=("x", "loc", "scale"))
def beta_logcdf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans),
            -t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans),
            -t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.beta.sf, differentiable=("x", "loc", "scale"))
def beta_sf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.beta.pdf(x, a, b, loc, scale), x),
            unbroadcast(ct * stats.beta.pdf(x, a, b, loc, scale), loc),
            unbroadcast(ct * stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.beta.sf, differentiable=("x", "loc", "scale"))
def beta_sf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (-t * stats.beta.pdf(x, a, b, loc, scale),
            t * stats.beta.pdf(x, a, b, loc, scale),
            t * stats.beta.pdf(x, a, b, loc, scale) * (x - loc) / scale)


@adjoint(stats.beta.logsf, differentiable=("x", "loc", "scale"))
def beta_logsf_adjoint(ct, ans, x, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.beta.logsf, differentiable=("x", "loc", "scale"))
def beta_logsf_tangent(t, ans, x, a, b, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans),
            t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans),
            t * np.exp(stats.beta.logpdf(x, a, b, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.beta.ppf, differentiable=("q", "loc", "scale"))
def beta_ppf_adjoint(ct, ans, q, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.beta.pdf(ans, a, b, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.beta.ppf, differentiable=("q", "loc", "scale"))
def beta_ppf_tangent(t, ans, q, a, b, loc=0.0, scale=1.0):
    return t / stats.beta.pdf(ans, a, b, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.beta.isf, differentiable=("q", "loc", "scale"))
def beta_isf_adjoint(ct, ans, q, a, b, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.beta.pdf(ans, a, b, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.beta.isf, differentiable=("q", "loc", "scale"))
def beta_isf_tangent(t, ans, q, a, b, loc=0.0, scale=1.0):
    return -t / stats.beta.pdf(ans, a, b, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the exponential distribution: logpdf = -z - log(scale), for z >= 0


@adjoint(stats.expon.logpdf, differentiable=("x", "loc", "scale"))
def expon_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-np.ones_like(ans) / scale), x),
            unbroadcast(ct * (np.ones_like(ans) / scale), loc),
            unbroadcast(ct * (((x - loc) / scale - 1.0) / scale), scale))


@tangent(stats.expon.logpdf, differentiable=("x", "loc", "scale"))
def expon_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * (-np.ones_like(ans) / scale),
            t * (np.ones_like(ans) / scale),
            t * (((x - loc) / scale - 1.0) / scale))


@adjoint(stats.expon.pdf, differentiable=("x", "loc", "scale"))
def expon_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-np.ones_like(ans) / scale), x),
            unbroadcast(ct * ans * (np.ones_like(ans) / scale), loc),
            unbroadcast(ct * ans * (((x - loc) / scale - 1.0) / scale), scale))


@tangent(stats.expon.pdf, differentiable=("x", "loc", "scale"))
def expon_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (-np.ones_like(ans) / scale),
            t * ans * (np.ones_like(ans) / scale),
            t * ans * (((x - loc) / scale - 1.0) / scale))


@adjoint(stats.expon.cdf, differentiable=("x", "loc", "scale"))
def expon_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.expon.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.expon.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.expon.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.expon.cdf, differentiable=("x", "loc", "scale"))
def expon_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.expon.pdf(x, loc, scale),
            -t * stats.expon.pdf(x, loc, scale),
            -t * stats.expon.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.expon.logcdf, differentiable=("x", "loc", "scale"))
def expon_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.expon.logcdf, differentiable=("x", "loc", "scale"))
def expon_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.expon.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.expon.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.expon.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.expon.sf, differentiable=("x", "loc", "scale"))
def expon_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.expon.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.expon.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.expon.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.expon.sf, differentiable=("x", "loc", "scale"))
def expon_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.expon.pdf(x, loc, scale),
            t * stats.expon.pdf(x, loc, scale),
            t * stats.expon.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.expon.logsf, differentiable=("x", "loc", "scale"))
def expon_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.expon.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.expon.logsf, differentiable=("x", "loc", "scale"))
def expon_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.expon.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.expon.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.expon.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.expon.ppf, differentiable=("q", "loc", "scale"))
def expon_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.expon.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.expon.ppf, differentiable=("q", "loc", "scale"))
def expon_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.expon.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.expon.isf, differentiable=("q", "loc", "scale"))
def expon_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.expon.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.expon.isf, differentiable=("q", "loc", "scale"))
def expon_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.expon.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the Laplace distribution: logpdf = -|z| - log(2 scale) (at z = 0 the subgradient 0 for x and loc)


@adjoint(stats.laplace.logpdf, differentiable=("x", "loc", "scale"))
def laplace_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-np.sign(x - loc) / scale), x),
            unbroadcast(ct * (np.sign(x - loc) / scale), loc),
            unbroadcast(ct * ((np.abs(x - loc) / scale - 1.0) / scale), scale))


@tangent(stats.laplace.logpdf, differentiable=("x", "loc", "scale"))
def laplace_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * (-np.sign(x - loc) / scale),
            t * (np.sign(x - loc) / scale),
            t * ((np.abs(x - loc) / scale - 1.0) / scale))


@adjoint(stats.laplace.pdf, differentiable=("x", "loc", "scale"))
def laplace_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-np.sign(x - loc) / scale), x),
            unbroadcast(ct * ans * (np.sign(x - loc) / scale), loc),
            unbroadcast(ct * ans * ((np.abs(x - loc) / scale - 1.0) / scale), scale))


@tangent(stats.laplace.pdf, differentiable=("x", "loc", "scale"))
def laplace_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (-np.sign(x - loc) / scale),
            t * ans * (np.sign(x - loc) / scale),
            t * ans * ((np.abs(x - loc) / scale - 1.0) / scale))


@adjoint(stats.laplace.cdf, differentiable=("x", "loc", "scale"))
def laplace_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.laplace.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.laplace.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.laplace.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.laplace.cdf, differentiable=("x", "loc", "scale"))
def laplace_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.laplace.pdf(x, loc, scale),
            -t * stats.laplace.pdf(x, loc, scale),
            -t * stats.laplace.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.laplace.logcdf, differentiable=("x", "loc", "scale"))
def laplace_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.laplace.logcdf, differentiable=("x", "loc", "scale"))
def laplace_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.laplace.sf, differentiable=("x", "loc", "scale"))
def laplace_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.laplace.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.laplace.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.laplace.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.laplace.sf, differentiable=("x", "loc", "scale"))
def laplace_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.laplace.pdf(x, loc, scale),
            t * stats.laplace.pdf(x, loc, scale),
            t * stats.laplace.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.laplace.logsf, differentiable=("x", "loc", "scale"))
def laplace_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.laplace.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.laplace.logsf, differentiable=("x", "loc", "scale"))
def laplace_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.laplace.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.laplace.ppf, differentiable=("q", "loc", "scale"))
def laplace_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.laplace.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.laplace.ppf, differentiable=("q", "loc", "scale"))
def laplace_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.laplace.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.laplace.isf, differentiable=("q", "loc", "scale"))
def laplace_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.laplace.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.laplace.isf, differentiable=("q", "loc", "scale"))
def laplace_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.laplace.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the logistic distribution: logpdf = -z - 2 log(1 + exp(-z)) - log(scale), d/dz = -tanh(z / 2)


@adjoint(stats.logistic.logpdf, differentiable=("x", "loc", "scale"))
def logistic_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-np.tanh((x - loc) / (2.0 * scale)) / scale), x),
            unbroadcast(ct * (np.tanh((x - loc) / (2.0 * scale)) / scale), loc),
            unbroadcast(ct * (((x - loc) / scale * np.tanh((x - loc) / (2.0 * scale)) - 1.0) / scale), scale))


@tangent(stats.logistic.logpdf, differentiable=("x", "loc", "scale"))
def logistic_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * (-np.tanh((x - loc) / (2.0 * scale)) / scale),
            t * (np.tanh((x - loc) / (2.0 * scale)) / scale),
            t * (((x - loc) / scale * np.tanh((x - loc) / (2.0 * scale)) - 1.0) / scale))


@adjoint(stats.logistic.pdf, differentiable=("x", "loc", "scale"))
def logistic_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-np.tanh((x - loc) / (2.0 * scale)) / scale), x),
            unbroadcast(ct * ans * (np.tanh((x - loc) / (2.0 * scale)) / scale), loc),
            unbroadcast(ct * ans * (((x - loc) / scale * np.tanh((x - loc) / (2.0 * scale)) - 1.0) / scale), scale))


@tangent(stats.logistic.pdf, differentiable=("x", "loc", "scale"))
def logistic_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (-np.tanh((x - loc) / (2.0 * scale)) / scale),
            t * ans * (np.tanh((x - loc) / (2.0 * scale)) / scale),
            t * ans * (((x - loc) / scale * np.tanh((x - loc) / (2.0 * scale)) - 1.0) / scale))


@adjoint(stats.logistic.cdf, differentiable=("x", "loc", "scale"))
def logistic_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.logistic.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.logistic.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.logistic.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.logistic.cdf, differentiable=("x", "loc", "scale"))
def logistic_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.logistic.pdf(x, loc, scale),
            -t * stats.logistic.pdf(x, loc, scale),
            -t * stats.logistic.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.logistic.logcdf, differentiable=("x", "loc", "scale"))
def logistic_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.logistic.logcdf, differentiable=("x", "loc", "scale"))
def logistic_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.logistic.sf, differentiable=("x", "loc", "scale"))
def logistic_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.logistic.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.logistic.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.logistic.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.logistic.sf, differentiable=("x", "loc", "scale"))
def logistic_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.logistic.pdf(x, loc, scale),
            t * stats.logistic.pdf(x, loc, scale),
            t * stats.logistic.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.logistic.logsf, differentiable=("x", "loc", "scale"))
def logistic_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.logistic.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.logistic.logsf, differentiable=("x", "loc", "scale"))
def logistic_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.logistic.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.logistic.ppf, differentiable=("q", "loc", "scale"))
def logistic_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.logistic.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.logistic.ppf, differentiable=("q", "loc", "scale"))
def logistic_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.logistic.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.logistic.isf, differentiable=("q", "loc", "scale"))
def logistic_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.logistic.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.logistic.isf, differentiable=("q", "loc", "scale"))
def logistic_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.logistic.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the chi-squared distribution: logpdf = (df/2 - 1) log z - z/2 - df/2 log 2 - gammaln(df/2) - log(scale)


@adjoint(stats.chi2.logpdf, differentiable=("x", "df", "loc", "scale"))
def chi2_logpdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ((df / 2.0 - 1.0) / (x - loc) - 0.5 / scale), x),
            unbroadcast(ct * (0.5 * (np.log((x - loc) / (2.0 * scale)) - special.digamma(df / 2.0))), df),
            unbroadcast(ct * (0.5 / scale - (df / 2.0 - 1.0) / (x - loc)), loc),
            unbroadcast(ct * (((x - loc) / scale - df) / (2.0 * scale)), scale))


@tangent(stats.chi2.logpdf, differentiable=("x", "df", "loc", "scale"))
def chi2_logpdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * ((df / 2.0 - 1.0) / (x - loc) - 0.5 / scale),
            t * (0.5 * (np.log((x - loc) / (2.0 * scale)) - special.digamma(df / 2.0))),
            t * (0.5 / scale - (df / 2.0 - 1.0) / (x - loc)),
            t * (((x - loc) / scale - df) / (2.0 * scale)))


@adjoint(stats.chi2.pdf, differentiable=("x", "df", "loc", "scale"))
def chi2_pdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * ((df / 2.0 - 1.0) / (x - loc) - 0.5 / scale), x),
            unbroadcast(ct * ans * (0.5 * (np.log((x - loc) / (2.0 * scale)) - special.digamma(df / 2.0))), df),
            unbroadcast(ct * ans * (0.5 / scale - (df / 2.0 - 1.0) / (x - loc)), loc),
            unbroadcast(ct * ans * (((x - loc) / scale - df) / (2.0 * scale)), scale))


@tangent(stats.chi2.pdf, differentiable=("x", "df", "loc", "scale"))
def chi2_pdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * ans * ((df / 2.0 - 1.0) / (x - loc) - 0.5 / scale),
            t * ans * (0.5 * (np.log((x - loc) / (2.0 * scale)) - special.digamma(df / 2.0))),
            t * ans * (0.5 / scale - (df / 2.0 - 1.0) / (x - loc)),
            t * ans * (((x - loc) / scale - df) / (2.0 * scale)))


@adjoint(stats.chi2.cdf, differentiable=("x", "loc", "scale"))
def chi2_cdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.chi2.pdf(x, df, loc, scale), x),
            unbroadcast(-ct * stats.chi2.pdf(x, df, loc, scale), loc),
            unbroadcast(-ct * stats.chi2.pdf(x, df, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.chi2.cdf, differentiable=("x", "loc", "scale"))
def chi2_cdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * stats.chi2.pdf(x, df, loc, scale),
            -t * stats.chi2.pdf(x, df, loc, scale),
            -t * stats.chi2.pdf(x, df, loc, scale) * (x - loc) / scale)


@adjoint(stats.chi2.logcdf, differentiable=("x", "loc", "scale"))
def chi2_logcdf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.chi2.logcdf, differentiable=("x", "loc", "scale"))
def chi2_logcdf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans),
            -t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans),
            -t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.chi2.sf, differentiable=("x", "loc", "scale"))
def chi2_sf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.chi2.pdf(x, df, loc, scale), x),
            unbroadcast(ct * stats.chi2.pdf(x, df, loc, scale), loc),
            unbroadcast(ct * stats.chi2.pdf(x, df, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.chi2.sf, differentiable=("x", "loc", "scale"))
def chi2_sf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (-t * stats.chi2.pdf(x, df, loc, scale),
            t * stats.chi2.pdf(x, df, loc, scale),
            t * stats.chi2.pdf(x, df, loc, scale) * (x - loc) / scale)


@adjoint(stats.chi2.logsf, differentiable=("x", "loc", "scale"))
def chi2_logsf_adjoint(ct, ans, x, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.chi2.logsf, differentiable=("x", "loc", "scale"))
def chi2_logsf_tangent(t, ans, x, df, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans),
            t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans),
            t * np.exp(stats.chi2.logpdf(x, df, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.chi2.ppf, differentiable=("q", "loc", "scale"))
def chi2_ppf_adjoint(ct, ans, q, df, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.chi2.pdf(ans, df, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.chi2.ppf, differentiable=("q", "loc", "scale"))
def chi2_ppf_tangent(t, ans, q, df, loc=0.0, scale=1.0):
    return t / stats.chi2.pdf(ans, df, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.chi2.isf, differentiable=("q", "loc", "scale"))
def chi2_isf_adjoint(ct, ans, q, df, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.chi2.pdf(ans, df, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.chi2.isf, differentiable=("q", "loc", "scale"))
def chi2_isf_tangent(t, ans, q, df, loc=0.0, scale=1.0):
    return -t / stats.chi2.pdf(ans, df, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the log-normal distribution: logpdf = -log(s z sqrt(2 pi)) - log(z)**2 / (2 s**2) - log(scale)


@adjoint(stats.lognorm.logpdf, differentiable=("x", "s", "loc", "scale"))
def lognorm_logpdf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-(1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)), x),
            unbroadcast(ct * ((np.log((x - loc) / scale) ** 2 / s ** 2 - 1.0) / s), s),
            unbroadcast(ct * ((1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)), loc),
            unbroadcast(ct * (np.log((x - loc) / scale) / (s ** 2 * scale)), scale))


@tangent(stats.lognorm.logpdf, differentiable=("x", "s", "loc", "scale"))
def lognorm_logpdf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (t * (-(1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)),
            t * ((np.log((x - loc) / scale) ** 2 / s ** 2 - 1.0) / s),
            t * ((1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)),
            t * (np.log((x - loc) / scale) / (s ** 2 * scale)))


@adjoint(stats.lognorm.pdf, differentiable=("x", "s", "loc", "scale"))
def lognorm_pdf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-(1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)), x),
            unbroadcast(ct * ans * ((np.log((x - loc) / scale) ** 2 / s ** 2 - 1.0) / s), s),
            unbroadcast(ct * ans * ((1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)), loc),
            unbroadcast(ct * ans * (np.log((x - loc) / scale) / (s ** 2 * scale)), scale))


@tangent(stats.lognorm.pdf, differentiable=("x", "s", "loc", "scale"))
def lognorm_pdf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (t * ans * (-(1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)),
            t * ans * ((np.log((x - loc) / scale) ** 2 / s ** 2 - 1.0) / s),
            t * ans * ((1.0 + np.log((x - loc) / scale) / s ** 2) / (x - loc)),
            t * ans * (np.log((x - loc) / scale) / (s ** 2 * scale)))


@adjoint(stats.lognorm.cdf, differentiable=("x", "loc", "scale"))
def lognorm_cdf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.lognorm.pdf(x, s, loc, scale), x),
            unbroadcast(-ct * stats.lognorm.pdf(x, s, loc, scale), loc),
            unbroadcast(-ct * stats.lognorm.pdf(x, s, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.lognorm.cdf, differentiable=("x", "loc", "scale"))
def lognorm_cdf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (t * stats.lognorm.pdf(x, s, loc, scale),
            -t * stats.lognorm.pdf(x, s, loc, scale),
            -t * stats.lognorm.pdf(x, s, loc, scale) * (x - loc) / scale)


@adjoint(stats.lognorm.logcdf, differentiable=("x", "loc", "scale"))
def lognorm_logcdf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.lognorm.logcdf, differentiable=("x", "loc", "scale"))
def lognorm_logcdf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans),
            -t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans),
            -t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.lognorm.sf, differentiable=("x", "loc", "scale"))
def lognorm_sf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.lognorm.pdf(x, s, loc, scale), x),
            unbroadcast(ct * stats.lognorm.pdf(x, s, loc, scale), loc),
            unbroadcast(ct * stats.lognorm.pdf(x, s, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.lognorm.sf, differentiable=("x", "loc", "scale"))
def lognorm_sf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (-t * stats.lognorm.pdf(x, s, loc, scale),
            t * stats.lognorm.pdf(x, s, loc, scale),
            t * stats.lognorm.pdf(x, s, loc, scale) * (x - loc) / scale)


@adjoint(stats.lognorm.logsf, differentiable=("x", "loc", "scale"))
def lognorm_logsf_adjoint(ct, ans, x, s, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.lognorm.logsf, differentiable=("x", "loc", "scale"))
def lognorm_logsf_tangent(t, ans, x, s, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans),
            t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans),
            t * np.exp(stats.lognorm.logpdf(x, s, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.lognorm.ppf, differentiable=("q", "loc", "scale"))
def lognorm_ppf_adjoint(ct, ans, q, s, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.lognorm.pdf(ans, s, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.lognorm.ppf, differentiable=("q", "loc", "scale"))
def lognorm_ppf_tangent(t, ans, q, s, loc=0.0, scale=1.0):
    return t / stats.lognorm.pdf(ans, s, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.lognorm.isf, differentiable=("q", "loc", "scale"))
def lognorm_isf_adjoint(ct, ans, q, s, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.lognorm.pdf(ans, s, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.lognorm.isf, differentiable=("q", "loc", "scale"))
def lognorm_isf_tangent(t, ans, q, s, loc=0.0, scale=1.0):
    return -t / stats.lognorm.pdf(ans, s, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the uniform distribution on [loc, loc + scale]: logpdf = -log(scale) inside


@adjoint(stats.uniform.logpdf, differentiable=("x", "loc", "scale"))
def uniform_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (np.zeros_like(ans)), x),
            unbroadcast(ct * (np.zeros_like(ans)), loc),
            unbroadcast(ct * (-np.ones_like(ans) / scale), scale))


@tangent(stats.uniform.logpdf, differentiable=("x", "loc", "scale"))
def uniform_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return t * (np.zeros_like(ans)), t * (np.zeros_like(ans)), t * (-np.ones_like(ans) / scale)


@adjoint(stats.uniform.pdf, differentiable=("x", "loc", "scale"))
def uniform_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (np.zeros_like(ans)), x),
            unbroadcast(ct * ans * (np.zeros_like(ans)), loc),
            unbroadcast(ct * ans * (-np.ones_like(ans) / scale), scale))


@tangent(stats.uniform.pdf, differentiable=("x", "loc", "scale"))
def uniform_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (np.zeros_like(ans)),
            t * ans * (np.zeros_like(ans)),
            t * ans * (-np.ones_like(ans) / scale))


@adjoint(stats.uniform.cdf, differentiable=("x", "loc", "scale"))
def uniform_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.uniform.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.uniform.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.uniform.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.uniform.cdf, differentiable=("x", "loc", "scale"))
def uniform_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.uniform.pdf(x, loc, scale),
            -t * stats.uniform.pdf(x, loc, scale),
            -t * stats.uniform.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.uniform.logcdf, differentiable=("x", "loc", "scale"))
def uniform_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.uniform.logcdf, differentiable=("x", "loc", "scale"))
def uniform_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.uniform.sf, differentiable=("x", "loc", "scale"))
def uniform_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.uniform.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.uniform.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.uniform.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.uniform.sf, differentiable=("x", "loc", "scale"))
def uniform_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.uniform.pdf(x, loc, scale),
            t * stats.uniform.pdf(x, loc, scale),
            t * stats.uniform.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.uniform.logsf, differentiable=("x", "loc", "scale"))
def uniform_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.uniform.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.uniform.logsf, differentiable=("x", "loc", "scale"))
def uniform_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.uniform.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.uniform.ppf, differentiable=("q", "loc", "scale"))
def uniform_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.uniform.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.uniform.ppf, differentiable=("q", "loc", "scale"))
def uniform_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.uniform.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.uniform.isf, differentiable=("q", "loc", "scale"))
def uniform_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.uniform.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.uniform.isf, differentiable=("q", "loc", "scale"))
def uniform_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.uniform.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the Cauchy distribution: logpdf = -log(pi scale (1 + z**2))


@adjoint(stats.cauchy.logpdf, differentiable=("x", "loc", "scale"))
def cauchy_logpdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * (-2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)), x),
            unbroadcast(ct * (2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)), loc),
            unbroadcast(ct * (((x - loc) ** 2 - scale ** 2) / (scale * (scale ** 2 + (x - loc) ** 2))), scale))


@tangent(stats.cauchy.logpdf, differentiable=("x", "loc", "scale"))
def cauchy_logpdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * (-2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)),
            t * (2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)),
            t * (((x - loc) ** 2 - scale ** 2) / (scale * (scale ** 2 + (x - loc) ** 2))))


@adjoint(stats.cauchy.pdf, differentiable=("x", "loc", "scale"))
def cauchy_pdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * ans * (-2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)), x),
            unbroadcast(ct * ans * (2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)), loc),
            unbroadcast(ct * ans * (((x - loc) ** 2 - scale ** 2) / (scale * (scale ** 2 + (x - loc) ** 2))), scale))


@tangent(stats.cauchy.pdf, differentiable=("x", "loc", "scale"))
def cauchy_pdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * ans * (-2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)),
            t * ans * (2.0 * (x - loc) / (scale ** 2 + (x - loc) ** 2)),
            t * ans * (((x - loc) ** 2 - scale ** 2) / (scale * (scale ** 2 + (x - loc) ** 2))))


@adjoint(stats.cauchy.cdf, differentiable=("x", "loc", "scale"))
def cauchy_cdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * stats.cauchy.pdf(x, loc, scale), x),
            unbroadcast(-ct * stats.cauchy.pdf(x, loc, scale), loc),
            unbroadcast(-ct * stats.cauchy.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.cauchy.cdf, differentiable=("x", "loc", "scale"))
def cauchy_cdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * stats.cauchy.pdf(x, loc, scale),
            -t * stats.cauchy.pdf(x, loc, scale),
            -t * stats.cauchy.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.cauchy.logcdf, differentiable=("x", "loc", "scale"))
def cauchy_logcdf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans), x),
            unbroadcast(-ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(-ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.cauchy.logcdf, differentiable=("x", "loc", "scale"))
def cauchy_logcdf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans),
            -t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.cauchy.sf, differentiable=("x", "loc", "scale"))
def cauchy_sf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * stats.cauchy.pdf(x, loc, scale), x),
            unbroadcast(ct * stats.cauchy.pdf(x, loc, scale), loc),
            unbroadcast(ct * stats.cauchy.pdf(x, loc, scale) * (x - loc) / scale, scale))


@tangent(stats.cauchy.sf, differentiable=("x", "loc", "scale"))
def cauchy_sf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * stats.cauchy.pdf(x, loc, scale),
            t * stats.cauchy.pdf(x, loc, scale),
            t * stats.cauchy.pdf(x, loc, scale) * (x - loc) / scale)


@adjoint(stats.cauchy.logsf, differentiable=("x", "loc", "scale"))
def cauchy_logsf_adjoint(ct, ans, x, loc=0.0, scale=1.0):
    return (unbroadcast(-ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans), x),
            unbroadcast(ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans), loc),
            unbroadcast(ct * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans) * (x - loc) / scale, scale))


@tangent(stats.cauchy.logsf, differentiable=("x", "loc", "scale"))
def cauchy_logsf_tangent(t, ans, x, loc=0.0, scale=1.0):
    return (-t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans),
            t * np.exp(stats.cauchy.logpdf(x, loc, scale) - ans) * (x - loc) / scale)


@adjoint(stats.cauchy.ppf, differentiable=("q", "loc", "scale"))
def cauchy_ppf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(ct / stats.cauchy.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.cauchy.ppf, differentiable=("q", "loc", "scale"))
def cauchy_ppf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return t / stats.cauchy.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


@adjoint(stats.cauchy.isf, differentiable=("q", "loc", "scale"))
def cauchy_isf_adjoint(ct, ans, q, loc=0.0, scale=1.0):
    return (unbroadcast(-ct / stats.cauchy.pdf(ans, loc, scale), q),
            unbroadcast(ct * np.ones_like(ans), loc),
            unbroadcast(ct * (ans - loc) / scale, scale))


@tangent(stats.cauchy.isf, differentiable=("q", "loc", "scale"))
def cauchy_isf_tangent(t, ans, q, loc=0.0, scale=1.0):
    return -t / stats.cauchy.pdf(ans, loc, scale), t * np.ones_like(ans), t * (ans - loc) / scale


# ---- the Poisson distribution, in its rate mu (k is a count; loc shifts it by an integer)


@adjoint(stats.poisson.logpmf, differentiable=("mu",))
def poisson_logpmf_adjoint(ct, ans, k, mu, loc=0):
    return unbroadcast(ct * ((k - loc) / mu - 1.0), mu)


@tangent(stats.poisson.logpmf, differentiable=("mu",))
def poisson_logpmf_tangent(t, ans, k, mu, loc=0):
    return t * ((k - loc) / mu - 1.0)


@adjoint(stats.poisson.pmf, differentiable=("mu",))
def poisson_pmf_adjoint(ct, ans, k, mu, loc=0):
    return unbroadcast(ct * ans * ((k - loc) / mu - 1.0), mu)


@tangent(stats.poisson.pmf, differentiable=("mu",))
def poisson_pmf_tangent(t, ans, k, mu, loc=0):
    return t * ans * ((k - loc) / mu - 1.0)


# d/dmu P(K <= k) = -P(K = floor(k))
@adjoint(stats.poisson.cdf, differentiable=("mu",))
def poisson_cdf_adjoint(ct, ans, k, mu, loc=0):
    return unbroadcast(-ct * stats.poisson.pmf(np.floor(k), mu, loc), mu)


@tangent(stats.poisson.cdf, differentiable=("mu",))
def poisson_cdf_tangent(t, ans, k, mu, loc=0):
    return -t * stats.poisson.pmf(np.floor(k), mu, loc)


@adjoint(stats.poisson.sf, differentiable=("mu",))
def poisson_sf_adjoint(ct, ans, k, mu, loc=0):
    return unbroadcast(ct * stats.poisson.pmf(np.floor(k), mu, loc), mu)


@tangent(stats.poisson.sf, differentiable=("mu",))
def poisson_sf_tangent(t, ans, k, mu, loc=0):
    return t * stats.poisson.pmf(np.floor(k), mu, loc)


# ---- the multivariate normal: with r = x - mean and P = cov^-1 (cov as SciPy reads it: a number,
# a diagonal, or the lower triangle of a matrix), logpdf = -r P r / 2 - log det(cov) / 2 - const.
# x is read as SciPy reads it (`mvn_points`: one point (d,) or points (..., d), a number or, in
# dimension 1, a vector of numbers as points); SciPy squeezes the result's length-1 axes, so a
# cotangent is laid out per point, and a tangent shaped like the result


@adjoint(stats.multivariate_normal.logpdf, differentiable=("x", "mean", "cov"))
def multivariate_normal_logpdf_adjoint(ct, ans, x, mean=None, cov=1, allow_singular=False):
    return (np.reshape(-np.expand_dims(np.reshape(ct, np.shape(mvn_points(x, mean, cov))[:-1]), -1)
                       * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                          @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))), np.shape(x)),
            unbroadcast(np.expand_dims(np.reshape(ct, np.shape(mvn_points(x, mean, cov))[:-1]), -1)
                        * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                           @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))), mean),
            covariance_adjoint(0.5 * mT(np.reshape((mvn_points(x, mean, cov) - zero_if_none(mean))
                                                   @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))),
                                                   (-1, np.shape(mvn_points(x, mean, cov))[-1])))
                               @ (np.reshape((mvn_points(x, mean, cov) - zero_if_none(mean))
                                             @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))),
                                             (-1, np.shape(mvn_points(x, mean, cov))[-1])) * np.reshape(ct, (-1, 1)))
                               - 0.5 * np.sum(ct) * np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))), cov))


@tangent(stats.multivariate_normal.logpdf, differentiable=("x", "mean", "cov"))
def multivariate_normal_logpdf_tangent(t, ans, x, mean=None, cov=1, allow_singular=False):
    return (np.reshape(-np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                                @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))))
                               * mvn_points(t, mean, cov), axis=-1), np.shape(ans)),
            np.reshape(np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                               @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))) * t, axis=-1),
                       np.shape(ans)),
            np.reshape(0.5 * np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                                     @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))))
                                    * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                                       @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))
                                       @ as_covariance(t, mvn_points(x, mean, cov))), axis=-1)
                       - 0.5 * np.trace(np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))
                                        @ as_covariance(t, mvn_points(x, mean, cov))), np.shape(ans)))


# pdf = exp(logpdf): logpdf's rules with the cotangent (tangent) scaled by ans
@adjoint(stats.multivariate_normal.pdf, differentiable=("x", "mean", "cov"))
def multivariate_normal_pdf_adjoint(ct, ans, x, mean=None, cov=1, allow_singular=False):
    return (np.reshape(-np.expand_dims(np.reshape(ct * ans, np.shape(mvn_points(x, mean, cov))[:-1]), -1)
                       * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                          @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))), np.shape(x)),
            unbroadcast(np.expand_dims(np.reshape(ct * ans, np.shape(mvn_points(x, mean, cov))[:-1]), -1)
                        * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                           @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))), mean),
            covariance_adjoint(0.5 * mT(np.reshape((mvn_points(x, mean, cov) - zero_if_none(mean))
                                                   @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))),
                                                   (-1, np.shape(mvn_points(x, mean, cov))[-1])))
                               @ (np.reshape((mvn_points(x, mean, cov) - zero_if_none(mean))
                                             @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))),
                                             (-1, np.shape(mvn_points(x, mean, cov))[-1]))
                                  * np.reshape(ct * ans, (-1, 1)))
                               - 0.5 * np.sum(ct * ans) * np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))),
                               cov))


@tangent(stats.multivariate_normal.pdf, differentiable=("x", "mean", "cov"))
def multivariate_normal_pdf_tangent(t, ans, x, mean=None, cov=1, allow_singular=False):
    return (-ans * np.reshape(np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                                      @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))))
                                     * mvn_points(t, mean, cov), axis=-1), np.shape(ans)),
            ans * np.reshape(np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                                     @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))) * t, axis=-1),
                             np.shape(ans)),
            ans * np.reshape(0.5 * np.sum(((mvn_points(x, mean, cov) - zero_if_none(mean))
                                           @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov))))
                                          * ((mvn_points(x, mean, cov) - zero_if_none(mean))
                                             @ np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))
                                             @ as_covariance(t, mvn_points(x, mean, cov))), axis=-1)
                             - 0.5 * np.trace(np.linalg.inv(as_covariance(cov, mvn_points(x, mean, cov)))
                                              @ as_covariance(t, mvn_points(x, mean, cov))), np.shape(ans)))
