"""Derivative rules for scipy.special: logistic and log-sum-exp families, error functions, the
normal distribution function, gamma and beta functions, information measures, Bessel functions,
exponential and elliptic integrals, Hurwitz zeta, Huber losses, and SciPy's own spellings of
elementary functions.

Imported only when a differentiated function calls into SciPy (see `registry`), never by
``import sourcead``. Each rule's derivative is a special function itself, so every rule can be
differentiated again. Orders and other integer or shape parameters (polygamma's n, iv's v,
gammainc's a) are constants: a call whose such argument depends on the differentiated inputs is
refused. logsumexp is differentiated with ``return_sign=False`` only (a call passing return_sign
is refused). Where a function has a kink (huber at |r| = delta) the rule takes the inside branch.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from ..runtime import expand_reduced, one_if_none, unbroadcast
from .registry import adjoint, tangent

# ---- logistic function, log-sum-exp, softmax -------------------------------------------------------


@adjoint(special.expit)
def expit_adjoint(ct, ans, x):
    return ct * ans * (1.0 - ans)


@tangent(special.expit)
def expit_tangent(t, ans, x):
    return t * ans * (1.0 - ans)


@adjoint(special.logit)
def logit_adjoint(ct, ans, x):
    return ct / (x * (1.0 - x))


@tangent(special.logit)
def logit_tangent(t, ans, x):
    return t / (x * (1.0 - x))


# log(expit(x))' = 1 - expit(x) = expit(-x)
@adjoint(special.log_expit)
def log_expit_adjoint(ct, ans, x):
    return ct * special.expit(-x)


@tangent(special.log_expit)
def log_expit_tangent(t, ans, x):
    return t * special.expit(-x)


@adjoint(special.softplus)
def softplus_adjoint(ct, ans, x):
    return ct * special.expit(x)


@tangent(special.softplus)
def softplus_tangent(t, ans, x):
    return t * special.expit(x)


# logsumexp(a, b=b) = log(sum(b * exp(a))): d/da = b * exp(a - ans), d/db = exp(a - ans)
@adjoint(special.logsumexp, differentiable=("a", "b"))
def logsumexp_adjoint(ct, ans, a, axis=None, b=None, keepdims=False):
    return (unbroadcast(expand_reduced(ct, a, axis, keepdims) * one_if_none(b)
                        * np.exp(a - expand_reduced(ans, a, axis, keepdims)), a),
            unbroadcast(expand_reduced(ct, a, axis, keepdims)
                        * np.exp(a - expand_reduced(ans, a, axis, keepdims)), b))


# (shaped like ans: SciPy keeps a length-1 axis for a 0-d `a` with keepdims=True, where np.sum does not)
@tangent(special.logsumexp, differentiable=("a", "b"))
def logsumexp_tangent(t, ans, a, axis=None, b=None, keepdims=False):
    return (np.reshape(np.sum(t * one_if_none(b) * np.exp(a - expand_reduced(ans, a, axis, keepdims)), axis=axis,
                              keepdims=keepdims), np.shape(ans)),
            np.reshape(np.sum(t * np.exp(a - expand_reduced(ans, a, axis, keepdims)), axis=axis, keepdims=keepdims),
                       np.shape(ans)))


# the Jacobian of softmax is diag(s) - s s^T along the axis: symmetric, so both rules read alike
@adjoint(special.softmax)
def softmax_adjoint(ct, ans, x, axis=None):
    return ans * (ct - np.sum(ct * ans, axis=axis, keepdims=True))


@tangent(special.softmax)
def softmax_tangent(t, ans, x, axis=None):
    return ans * (t - np.sum(t * ans, axis=axis, keepdims=True))


@adjoint(special.log_softmax)
def log_softmax_adjoint(ct, ans, x, axis=None):
    return ct - np.exp(ans) * np.sum(ct, axis=axis, keepdims=True)


@tangent(special.log_softmax)
def log_softmax_tangent(t, ans, x, axis=None):
    return t - np.sum(np.exp(ans) * t, axis=axis, keepdims=True)


# ---- error functions and the normal distribution function ------------------------------------------


@adjoint(special.erf)
def erf_adjoint(ct, ans, x):
    return ct * (2.0 / math.sqrt(math.pi)) * np.exp(-x ** 2)


@tangent(special.erf)
def erf_tangent(t, ans, x):
    return t * (2.0 / math.sqrt(math.pi)) * np.exp(-x ** 2)


@adjoint(special.erfc)
def erfc_adjoint(ct, ans, x):
    return -ct * (2.0 / math.sqrt(math.pi)) * np.exp(-x ** 2)


@tangent(special.erfc)
def erfc_tangent(t, ans, x):
    return -t * (2.0 / math.sqrt(math.pi)) * np.exp(-x ** 2)


@adjoint(special.erfi)
def erfi_adjoint(ct, ans, x):
    return ct * (2.0 / math.sqrt(math.pi)) * np.exp(x ** 2)


@tangent(special.erfi)
def erfi_tangent(t, ans, x):
    return t * (2.0 / math.sqrt(math.pi)) * np.exp(x ** 2)


# the inverse of erf: 1 / erf'(ans)
@adjoint(special.erfinv)
def erfinv_adjoint(ct, ans, x):
    return ct * (math.sqrt(math.pi) / 2.0) * np.exp(ans ** 2)


@tangent(special.erfinv)
def erfinv_tangent(t, ans, x):
    return t * (math.sqrt(math.pi) / 2.0) * np.exp(ans ** 2)


@adjoint(special.erfcinv)
def erfcinv_adjoint(ct, ans, x):
    return -ct * (math.sqrt(math.pi) / 2.0) * np.exp(ans ** 2)


@tangent(special.erfcinv)
def erfcinv_tangent(t, ans, x):
    return -t * (math.sqrt(math.pi) / 2.0) * np.exp(ans ** 2)


# erfcx(x) = exp(x**2) erfc(x)
@adjoint(special.erfcx)
def erfcx_adjoint(ct, ans, x):
    return ct * (2.0 * x * ans - 2.0 / math.sqrt(math.pi))


@tangent(special.erfcx)
def erfcx_tangent(t, ans, x):
    return t * (2.0 * x * ans - 2.0 / math.sqrt(math.pi))


# Dawson's integral D(x) = exp(-x**2) * integral of exp(t**2) from 0 to x
@adjoint(special.dawsn)
def dawsn_adjoint(ct, ans, x):
    return ct * (1.0 - 2.0 * x * ans)


@tangent(special.dawsn)
def dawsn_tangent(t, ans, x):
    return t * (1.0 - 2.0 * x * ans)


# ndtr is the standard normal CDF; its derivative the density exp(-x**2 / 2) / sqrt(2 pi)
@adjoint(special.ndtr)
def ndtr_adjoint(ct, ans, x):
    return ct * np.exp(-0.5 * x ** 2) / math.sqrt(2.0 * math.pi)


@tangent(special.ndtr)
def ndtr_tangent(t, ans, x):
    return t * np.exp(-0.5 * x ** 2) / math.sqrt(2.0 * math.pi)


# density / CDF, computed in logs so that it stays finite far in the left tail
@adjoint(special.log_ndtr)
def log_ndtr_adjoint(ct, ans, x):
    return ct * np.exp(-0.5 * x ** 2 - ans) / math.sqrt(2.0 * math.pi)


@tangent(special.log_ndtr)
def log_ndtr_tangent(t, ans, x):
    return t * np.exp(-0.5 * x ** 2 - ans) / math.sqrt(2.0 * math.pi)


@adjoint(special.ndtri)
def ndtri_adjoint(ct, ans, x):
    return ct * math.sqrt(2.0 * math.pi) * np.exp(0.5 * ans ** 2)


@tangent(special.ndtri)
def ndtri_tangent(t, ans, x):
    return t * math.sqrt(2.0 * math.pi) * np.exp(0.5 * ans ** 2)


# ---- gamma and beta functions ---------------------------------------------------------------------


@adjoint(special.gamma)
def gamma_adjoint(ct, ans, x):
    return ct * ans * special.digamma(x)


@tangent(special.gamma)
def gamma_tangent(t, ans, x):
    return t * ans * special.digamma(x)


# log|gamma(x)|: digamma is its derivative on both sides of the poles
@adjoint(special.gammaln)
def gammaln_adjoint(ct, ans, x):
    return ct * special.digamma(x)


@tangent(special.gammaln)
def gammaln_tangent(t, ans, x):
    return t * special.digamma(x)


@adjoint(special.rgamma)
def rgamma_adjoint(ct, ans, x):
    return -ct * ans * special.digamma(x)


@tangent(special.rgamma)
def rgamma_tangent(t, ans, x):
    return -t * ans * special.digamma(x)


# trigamma: polygamma(1, x) is zeta(2, x) exactly as SciPy computes it (1! (-1)**2 zeta(2, x)), and
# zeta keeps a float32 x float32 (polygamma's integer order promotes it to float64)
@adjoint(special.digamma)
def digamma_adjoint(ct, ans, x):
    return ct * special.zeta(2.0, x)


@tangent(special.digamma)
def digamma_tangent(t, ans, x):
    return t * special.zeta(2.0, x)


# the order n is an integer constant
@adjoint(special.polygamma, differentiable=("x",))
def polygamma_adjoint(ct, ans, n, x):
    return ct * special.polygamma(n + 1, x)


@tangent(special.polygamma, differentiable=("x",))
def polygamma_tangent(t, ans, n, x):
    return t * special.polygamma(n + 1, x)


@adjoint(special.betaln)
def betaln_adjoint(ct, ans, a, b):
    return (unbroadcast(ct * (special.digamma(a) - special.digamma(a + b)), a),
            unbroadcast(ct * (special.digamma(b) - special.digamma(a + b)), b))


@tangent(special.betaln)
def betaln_tangent(t, ans, a, b):
    return t * (special.digamma(a) - special.digamma(a + b)), t * (special.digamma(b) - special.digamma(a + b))


@adjoint(special.beta)
def beta_adjoint(ct, ans, a, b):
    return (unbroadcast(ct * ans * (special.digamma(a) - special.digamma(a + b)), a),
            unbroadcast(ct * ans * (special.digamma(b) - special.digamma(a + b)), b))


@tangent(special.beta)
def beta_tangent(t, ans, a, b):
    return (t * ans * (special.digamma(a) - special.digamma(a + b)),
            t * ans * (special.digamma(b) - special.digamma(a + b)))


# regularized incomplete gamma and beta functions, in x only (the parameters are constants)
@adjoint(special.gammainc, differentiable=("x",))
def gammainc_adjoint(ct, ans, a, x):
    return unbroadcast(ct * np.exp((a - 1.0) * np.log(x) - x - special.gammaln(a)), x)


@tangent(special.gammainc, differentiable=("x",))
def gammainc_tangent(t, ans, a, x):
    return t * np.exp((a - 1.0) * np.log(x) - x - special.gammaln(a))


@adjoint(special.gammaincc, differentiable=("x",))
def gammaincc_adjoint(ct, ans, a, x):
    return unbroadcast(-ct * np.exp((a - 1.0) * np.log(x) - x - special.gammaln(a)), x)


@tangent(special.gammaincc, differentiable=("x",))
def gammaincc_tangent(t, ans, a, x):
    return -t * np.exp((a - 1.0) * np.log(x) - x - special.gammaln(a))


@adjoint(special.betainc, differentiable=("x",))
def betainc_adjoint(ct, ans, a, b, x):
    return unbroadcast(ct * np.exp((a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x) - special.betaln(a, b)), x)


@tangent(special.betainc, differentiable=("x",))
def betainc_tangent(t, ans, a, b, x):
    return t * np.exp((a - 1.0) * np.log(x) + (b - 1.0) * np.log1p(-x) - special.betaln(a, b))


# ---- x log y and information measures ----------------------------------------------------------


@adjoint(special.xlogy)
def xlogy_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.log(y), x), unbroadcast(ct * x / y, y)


@tangent(special.xlogy)
def xlogy_tangent(t, ans, x, y):
    return t * np.log(y), t * x / y


@adjoint(special.xlog1py)
def xlog1py_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.log1p(y), x), unbroadcast(ct * x / (1.0 + y), y)


@tangent(special.xlog1py)
def xlog1py_tangent(t, ans, x, y):
    return t * np.log1p(y), t * x / (1.0 + y)


# entr(x) = -x log x
@adjoint(special.entr)
def entr_adjoint(ct, ans, x):
    return -ct * (np.log(x) + 1.0)


@tangent(special.entr)
def entr_tangent(t, ans, x):
    return -t * (np.log(x) + 1.0)


# rel_entr(x, y) = x log(x / y)
@adjoint(special.rel_entr)
def rel_entr_adjoint(ct, ans, x, y):
    return unbroadcast(ct * (np.log(x / y) + 1.0), x), unbroadcast(-ct * x / y, y)


@tangent(special.rel_entr)
def rel_entr_tangent(t, ans, x, y):
    return t * (np.log(x / y) + 1.0), -t * x / y


# kl_div(x, y) = x log(x / y) - x + y
@adjoint(special.kl_div)
def kl_div_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.log(x / y), x), unbroadcast(ct * (1.0 - x / y), y)


@tangent(special.kl_div)
def kl_div_tangent(t, ans, x, y):
    return t * np.log(x / y), t * (1.0 - x / y)


# ---- Bessel functions: derivatives by the recurrences, orders are constants ------------------------


@adjoint(special.i0)
def i0_adjoint(ct, ans, x):
    return ct * special.i1(x)


@tangent(special.i0)
def i0_tangent(t, ans, x):
    return t * special.i1(x)


# i0e(x) = exp(-|x|) i0(x)
@adjoint(special.i0e)
def i0e_adjoint(ct, ans, x):
    return ct * (special.i1e(x) - np.sign(x) * ans)


@tangent(special.i0e)
def i0e_tangent(t, ans, x):
    return t * (special.i1e(x) - np.sign(x) * ans)


# I1' = (I0 + I2) / 2, finite at 0
@adjoint(special.i1)
def i1_adjoint(ct, ans, x):
    return ct * (special.i0(x) + special.iv(2, x)) / 2.0


@tangent(special.i1)
def i1_tangent(t, ans, x):
    return t * (special.i0(x) + special.iv(2, x)) / 2.0


@adjoint(special.i1e)
def i1e_adjoint(ct, ans, x):
    return ct * ((special.i0e(x) + special.ive(2, x)) / 2.0 - np.sign(x) * ans)


@tangent(special.i1e)
def i1e_tangent(t, ans, x):
    return t * ((special.i0e(x) + special.ive(2, x)) / 2.0 - np.sign(x) * ans)


@adjoint(special.iv, differentiable=("x",))
def iv_adjoint(ct, ans, v, x):
    return unbroadcast(ct * (special.iv(v - 1, x) + special.iv(v + 1, x)) / 2.0, x)


@tangent(special.iv, differentiable=("x",))
def iv_tangent(t, ans, v, x):
    return t * (special.iv(v - 1, x) + special.iv(v + 1, x)) / 2.0


@adjoint(special.ive, differentiable=("x",))
def ive_adjoint(ct, ans, v, x):
    return unbroadcast(ct * ((special.ive(v - 1, x) + special.ive(v + 1, x)) / 2.0 - np.sign(x) * ans), x)


@tangent(special.ive, differentiable=("x",))
def ive_tangent(t, ans, v, x):
    return t * ((special.ive(v - 1, x) + special.ive(v + 1, x)) / 2.0 - np.sign(x) * ans)


@adjoint(special.j0)
def j0_adjoint(ct, ans, x):
    return -ct * special.j1(x)


@tangent(special.j0)
def j0_tangent(t, ans, x):
    return -t * special.j1(x)


@adjoint(special.j1)
def j1_adjoint(ct, ans, x):
    return ct * (special.j0(x) - special.jv(2, x)) / 2.0


@tangent(special.j1)
def j1_tangent(t, ans, x):
    return t * (special.j0(x) - special.jv(2, x)) / 2.0


@adjoint(special.jv, differentiable=("x",))
def jv_adjoint(ct, ans, v, x):
    return unbroadcast(ct * (special.jv(v - 1, x) - special.jv(v + 1, x)) / 2.0, x)


@tangent(special.jv, differentiable=("x",))
def jv_tangent(t, ans, v, x):
    return t * (special.jv(v - 1, x) - special.jv(v + 1, x)) / 2.0


@adjoint(special.y0)
def y0_adjoint(ct, ans, x):
    return -ct * special.y1(x)


@tangent(special.y0)
def y0_tangent(t, ans, x):
    return -t * special.y1(x)


@adjoint(special.y1)
def y1_adjoint(ct, ans, x):
    return ct * (special.y0(x) - special.yv(2, x)) / 2.0


@tangent(special.y1)
def y1_tangent(t, ans, x):
    return t * (special.y0(x) - special.yv(2, x)) / 2.0


@adjoint(special.yv, differentiable=("x",))
def yv_adjoint(ct, ans, v, x):
    return unbroadcast(ct * (special.yv(v - 1, x) - special.yv(v + 1, x)) / 2.0, x)


@tangent(special.yv, differentiable=("x",))
def yv_tangent(t, ans, v, x):
    return t * (special.yv(v - 1, x) - special.yv(v + 1, x)) / 2.0


@adjoint(special.k0)
def k0_adjoint(ct, ans, x):
    return -ct * special.k1(x)


@tangent(special.k0)
def k0_tangent(t, ans, x):
    return -t * special.k1(x)


@adjoint(special.k1)
def k1_adjoint(ct, ans, x):
    return -ct * (special.k0(x) + special.kv(2, x)) / 2.0


@tangent(special.k1)
def k1_tangent(t, ans, x):
    return -t * (special.k0(x) + special.kv(2, x)) / 2.0


@adjoint(special.kv, differentiable=("x",))
def kv_adjoint(ct, ans, v, x):
    return unbroadcast(-ct * (special.kv(v - 1, x) + special.kv(v + 1, x)) / 2.0, x)


@tangent(special.kv, differentiable=("x",))
def kv_tangent(t, ans, v, x):
    return -t * (special.kv(v - 1, x) + special.kv(v + 1, x)) / 2.0


# ---- exponential integrals, elliptic integrals, Hurwitz zeta -------------------------------------


@adjoint(special.exp1)
def exp1_adjoint(ct, ans, x):
    return -ct * np.exp(-x) / x


@tangent(special.exp1)
def exp1_tangent(t, ans, x):
    return -t * np.exp(-x) / x


@adjoint(special.expi)
def expi_adjoint(ct, ans, x):
    return ct * np.exp(x) / x


@tangent(special.expi)
def expi_tangent(t, ans, x):
    return t * np.exp(x) / x


# E_n' = -E_(n-1), with E_0(x) = exp(-x) / x; n is an integer constant
@adjoint(special.expn, differentiable=("x",))
def expn_adjoint(ct, ans, n, x):
    return unbroadcast(-ct * special.expn(n - 1, x), x)


@tangent(special.expn, differentiable=("x",))
def expn_tangent(t, ans, n, x):
    return -t * special.expn(n - 1, x)


# complete elliptic integrals of the parameter m
@adjoint(special.ellipk)
def ellipk_adjoint(ct, ans, m):
    return ct * (special.ellipe(m) - (1.0 - m) * ans) / (2.0 * m * (1.0 - m))


@tangent(special.ellipk)
def ellipk_tangent(t, ans, m):
    return t * (special.ellipe(m) - (1.0 - m) * ans) / (2.0 * m * (1.0 - m))


@adjoint(special.ellipe)
def ellipe_adjoint(ct, ans, m):
    return ct * (ans - special.ellipk(m)) / (2.0 * m)


@tangent(special.ellipe)
def ellipe_tangent(t, ans, m):
    return t * (ans - special.ellipk(m)) / (2.0 * m)


# the Hurwitz zeta function zeta(x, q) in q (the exponent x is a constant)
@adjoint(special.zeta, differentiable=("q",))
def zeta_adjoint(ct, ans, x, q=None):
    return unbroadcast(-ct * x * special.zeta(x + 1.0, q), q)


@tangent(special.zeta, differentiable=("q",))
def zeta_tangent(t, ans, x, q=None):
    return -t * x * special.zeta(x + 1.0, q)


# ---- elementary functions SciPy spells its own way ----------------------------------------------


@adjoint(special.exp2)
def exp2_adjoint(ct, ans, x):
    return ct * ans * math.log(2.0)


@tangent(special.exp2)
def exp2_tangent(t, ans, x):
    return t * ans * math.log(2.0)


@adjoint(special.exp10)
def exp10_adjoint(ct, ans, x):
    return ct * ans * math.log(10.0)


@tangent(special.exp10)
def exp10_tangent(t, ans, x):
    return t * ans * math.log(10.0)


@adjoint(special.expm1)
def expm1_adjoint(ct, ans, x):
    return ct * (ans + 1.0)


@tangent(special.expm1)
def expm1_tangent(t, ans, x):
    return t * (ans + 1.0)


@adjoint(special.log1p)
def log1p_adjoint(ct, ans, x):
    return ct / (1.0 + x)


@tangent(special.log1p)
def log1p_tangent(t, ans, x):
    return t / (1.0 + x)


@adjoint(special.cbrt)
def cbrt_adjoint(ct, ans, x):
    return ct / (3.0 * ans ** 2)


@tangent(special.cbrt)
def cbrt_tangent(t, ans, x):
    return t / (3.0 * ans ** 2)


# cosm1(x) = cos(x) - 1
@adjoint(special.cosm1)
def cosm1_adjoint(ct, ans, x):
    return -ct * np.sin(x)


@tangent(special.cosm1)
def cosm1_tangent(t, ans, x):
    return -t * np.sin(x)


# trigonometric functions of an angle in degrees
@adjoint(special.sindg)
def sindg_adjoint(ct, ans, x):
    return ct * (math.pi / 180.0) * special.cosdg(x)


@tangent(special.sindg)
def sindg_tangent(t, ans, x):
    return t * (math.pi / 180.0) * special.cosdg(x)


@adjoint(special.cosdg)
def cosdg_adjoint(ct, ans, x):
    return -ct * (math.pi / 180.0) * special.sindg(x)


@tangent(special.cosdg)
def cosdg_tangent(t, ans, x):
    return -t * (math.pi / 180.0) * special.sindg(x)


# huber(delta, r): r**2 / 2 inside |r| <= delta, delta (|r| - delta / 2) outside
@adjoint(special.huber)
def huber_adjoint(ct, ans, delta, r):
    return (unbroadcast(ct * np.maximum(np.abs(r) - delta, 0.0), delta),
            unbroadcast(ct * np.clip(r, -delta, delta), r))


@tangent(special.huber)
def huber_tangent(t, ans, delta, r):
    return t * np.maximum(np.abs(r) - delta, 0.0), t * np.clip(r, -delta, delta)


# pseudo_huber(delta, r) = delta**2 (sqrt(1 + (r / delta)**2) - 1)
@adjoint(special.pseudo_huber)
def pseudo_huber_adjoint(ct, ans, delta, r):
    return (unbroadcast(ct * (2.0 * ans / delta - r ** 2 / (delta * np.sqrt(1.0 + (r / delta) ** 2))), delta),
            unbroadcast(ct * r / np.sqrt(1.0 + (r / delta) ** 2), r))


@tangent(special.pseudo_huber)
def pseudo_huber_tangent(t, ans, delta, r):
    return (t * (2.0 * ans / delta - r ** 2 / (delta * np.sqrt(1.0 + (r / delta) ** 2))),
            t * r / np.sqrt(1.0 + (r / delta) ** 2))
