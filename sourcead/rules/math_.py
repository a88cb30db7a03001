"""Derivative rules for the `math` module.

Its functions take and return Python floats, so the rules use `math` too (cheaper than NumPy on
scalars) and never need `unbroadcast`. ``math.log(x, base)`` is differentiable in both.
"""

from __future__ import annotations

import math

import numpy as np

from ..runtime import log_or_zero
from .registry import adjoint, nondifferentiable, tangent

# Trigonometric functions


@adjoint(math.sin)
def sin_adjoint(ct, ans, x):
    return ct * math.cos(x)


@tangent(math.sin)
def sin_tangent(t, ans, x):
    return t * math.cos(x)


@adjoint(math.cos)
def cos_adjoint(ct, ans, x):
    return -ct * math.sin(x)


@tangent(math.cos)
def cos_tangent(t, ans, x):
    return -t * math.sin(x)


@adjoint(math.tan)
def tan_adjoint(ct, ans, x):
    return ct / math.cos(x) ** 2


@tangent(math.tan)
def tan_tangent(t, ans, x):
    return t / math.cos(x) ** 2


@adjoint(math.asin)
def asin_adjoint(ct, ans, x):
    return ct / math.sqrt(1.0 - x ** 2)


@tangent(math.asin)
def asin_tangent(t, ans, x):
    return t / math.sqrt(1.0 - x ** 2)


@adjoint(math.acos)
def acos_adjoint(ct, ans, x):
    return -ct / math.sqrt(1.0 - x ** 2)


@tangent(math.acos)
def acos_tangent(t, ans, x):
    return -t / math.sqrt(1.0 - x ** 2)


@adjoint(math.atan)
def atan_adjoint(ct, ans, x):
    return ct / (1.0 + x ** 2)


@tangent(math.atan)
def atan_tangent(t, ans, x):
    return t / (1.0 + x ** 2)


# atan2(y, x) is the angle of the point (x, y)
@adjoint(math.atan2)
def atan2_adjoint(ct, ans, y, x):
    return ct * x / (x ** 2 + y ** 2), -ct * y / (x ** 2 + y ** 2)


@tangent(math.atan2)
def atan2_tangent(t, ans, y, x):
    return t * x / (x ** 2 + y ** 2), -t * y / (x ** 2 + y ** 2)


@adjoint(math.hypot)
def hypot_adjoint(ct, ans, x, y):
    return ct * x / ans, ct * y / ans


@tangent(math.hypot)
def hypot_tangent(t, ans, x, y):
    return t * x / ans, t * y / ans


@adjoint(math.degrees)
def degrees_adjoint(ct, ans, x):
    return ct * (180.0 / math.pi)


@tangent(math.degrees)
def degrees_tangent(t, ans, x):
    return t * (180.0 / math.pi)


@adjoint(math.radians)
def radians_adjoint(ct, ans, x):
    return ct * (math.pi / 180.0)


@tangent(math.radians)
def radians_tangent(t, ans, x):
    return t * (math.pi / 180.0)


# Hyperbolic functions


@adjoint(math.sinh)
def sinh_adjoint(ct, ans, x):
    return ct * math.cosh(x)


@tangent(math.sinh)
def sinh_tangent(t, ans, x):
    return t * math.cosh(x)


@adjoint(math.cosh)
def cosh_adjoint(ct, ans, x):
    return ct * math.sinh(x)


@tangent(math.cosh)
def cosh_tangent(t, ans, x):
    return t * math.sinh(x)


@adjoint(math.tanh)
def tanh_adjoint(ct, ans, x):
    return ct * (1.0 - ans ** 2)


@tangent(math.tanh)
def tanh_tangent(t, ans, x):
    return t * (1.0 - ans ** 2)


@adjoint(math.asinh)
def asinh_adjoint(ct, ans, x):
    return ct / math.sqrt(x ** 2 + 1.0)


@tangent(math.asinh)
def asinh_tangent(t, ans, x):
    return t / math.sqrt(x ** 2 + 1.0)


@adjoint(math.acosh)
def acosh_adjoint(ct, ans, x):
    return ct / math.sqrt(x ** 2 - 1.0)


@tangent(math.acosh)
def acosh_tangent(t, ans, x):
    return t / math.sqrt(x ** 2 - 1.0)


@adjoint(math.atanh)
def atanh_adjoint(ct, ans, x):
    return ct / (1.0 - x ** 2)


@tangent(math.atanh)
def atanh_tangent(t, ans, x):
    return t / (1.0 - x ** 2)


# Exponentials and logarithms


@adjoint(math.exp)
def exp_adjoint(ct, ans, x):
    return ct * ans


@tangent(math.exp)
def exp_tangent(t, ans, x):
    return t * ans


if hasattr(math, "exp2"):  # Python 3.11+

    @adjoint(math.exp2)
    def exp2_adjoint(ct, ans, x):
        return ct * ans * math.log(2.0)

    @tangent(math.exp2)
    def exp2_tangent(t, ans, x):
        return t * ans * math.log(2.0)


@adjoint(math.expm1)
def expm1_adjoint(ct, ans, x):
    return ct * (ans + 1.0)


@tangent(math.expm1)
def expm1_tangent(t, ans, x):
    return t * (ans + 1.0)


# math.log(x) and math.log(x, base); both are differentiable
@adjoint(math.log, differentiable=("x", "base"))
def log_adjoint(ct, ans, x, base=math.e):
    return ct / (x * math.log(base)), -ct * ans / (base * math.log(base))


@tangent(math.log, differentiable=("x", "base"))
def log_tangent(t, ans, x, base=math.e):
    return t / (x * math.log(base)), -t * ans / (base * math.log(base))


@adjoint(math.log1p)
def log1p_adjoint(ct, ans, x):
    return ct / (1.0 + x)


@tangent(math.log1p)
def log1p_tangent(t, ans, x):
    return t / (1.0 + x)


@adjoint(math.log2)
def log2_adjoint(ct, ans, x):
    return ct / (x * math.log(2.0))


@tangent(math.log2)
def log2_tangent(t, ans, x):
    return t / (x * math.log(2.0))


@adjoint(math.log10)
def log10_adjoint(ct, ans, x):
    return ct / (x * math.log(10.0))


@tangent(math.log10)
def log10_tangent(t, ans, x):
    return t / (x * math.log(10.0))


# Powers and roots


@adjoint(math.sqrt)
def sqrt_adjoint(ct, ans, x):
    return ct * 0.5 / ans


@tangent(math.sqrt)
def sqrt_tangent(t, ans, x):
    return t * 0.5 / ans


if hasattr(math, "cbrt"):  # Python 3.11+

    @adjoint(math.cbrt)
    def cbrt_adjoint(ct, ans, x):
        return ct / (3.0 * ans ** 2)

    @tangent(math.cbrt)
    def cbrt_tangent(t, ans, x):
        return t / (3.0 * ans ** 2)


@adjoint(math.pow)
def pow_adjoint(ct, ans, x, y):
    return ct * y * x ** (y - 1), ct * ans * log_or_zero(x)


@tangent(math.pow)
def pow_tangent(t, ans, x, y):
    return t * y * x ** (y - 1), t * ans * log_or_zero(x)


# fabs has derivative 0 at 0
@adjoint(math.fabs)
def fabs_adjoint(ct, ans, x):
    return ct * np.sign(x)


@tangent(math.fabs)
def fabs_tangent(t, ans, x):
    return t * np.sign(x)


# Error functions


@adjoint(math.erf)
def erf_adjoint(ct, ans, x):
    return ct * 2.0 / math.sqrt(math.pi) * math.exp(-x ** 2)


@tangent(math.erf)
def erf_tangent(t, ans, x):
    return t * 2.0 / math.sqrt(math.pi) * math.exp(-x ** 2)


@adjoint(math.erfc)
def erfc_adjoint(ct, ans, x):
    return -ct * 2.0 / math.sqrt(math.pi) * math.exp(-x ** 2)


@tangent(math.erfc)
def erfc_tangent(t, ans, x):
    return -t * 2.0 / math.sqrt(math.pi) * math.exp(-x ** 2)


# Rounding, classification and integer functions carry no derivative.
nondifferentiable(
    math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite, math.isclose,
    math.factorial, math.gcd, math.comb, math.perm,
)
