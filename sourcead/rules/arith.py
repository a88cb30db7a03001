"""Derivative rules for Python's operators and numeric builtins.

Operators are keyed by the `operator` functions the compiler lowers them to (``x * y`` is
``operator.mul(x, y)``, ``x[i]`` is ``operator.getitem(x, i)``); NumPy's ufuncs for the same
arithmetic share their rules. Binary rules hold for floats and broadcasting arrays alike: each
cotangent is summed back to its operand's shape by `unbroadcast`, and each tangent entry has the
result's shape.
"""

from __future__ import annotations

import operator

import numpy as np

from ..runtime import (broadcast_like, log_or_zero, matmul_adjoint_left, matmul_adjoint_right,
                        power_slope, unbroadcast, unindex, unsum)
from .registry import adjoint, nondifferentiable, tangent

# Arithmetic: + - * / % ** and unary - +


@adjoint(operator.add, np.add)
def add_adjoint(ct, ans, x, y):
    return unbroadcast(ct, x), unbroadcast(ct, y)


@tangent(operator.add, np.add)
def add_tangent(t, ans, x, y):
    return broadcast_like(t, ans), broadcast_like(t, ans)


@adjoint(operator.sub, np.subtract)
def sub_adjoint(ct, ans, x, y):
    return unbroadcast(ct, x), unbroadcast(-ct, y)


@tangent(operator.sub, np.subtract)
def sub_tangent(t, ans, x, y):
    return broadcast_like(t, ans), broadcast_like(-t, ans)


@adjoint(operator.mul, np.multiply)
def mul_adjoint(ct, ans, x, y):
    return unbroadcast(ct * y, x), unbroadcast(x * ct, y)


@tangent(operator.mul, np.multiply)
def mul_tangent(t, ans, x, y):
    return t * y, x * t


@adjoint(operator.truediv, np.divide)
def truediv_adjoint(ct, ans, x, y):
    return unbroadcast(ct / y, x), unbroadcast(-ct * ans / y, y)


@tangent(operator.truediv, np.divide)
def truediv_tangent(t, ans, x, y):
    return t / y, -t * ans / y


# x % y == x - y * (x // y), and x // y is piecewise constant
@adjoint(operator.mod, np.mod)
def mod_adjoint(ct, ans, x, y):
    return unbroadcast(ct, x), unbroadcast(-ct * (x // y), y)


@tangent(operator.mod, np.mod)
def mod_tangent(t, ans, x, y):
    return broadcast_like(t, ans), -t * (x // y)


# d(x**y)/dy = x**y log x, taken as 0 where x == 0 (x**y is then 0 for y > 0). The operator's
# rule reads as the maths (``2 * x`` for ``x ** 2``); it leaves d(x**0)/dx at x == 0 undefined.
@adjoint(operator.pow)
def pow_adjoint(ct, ans, x, y):
    return unbroadcast(ct * y * x ** (y - 1), x), unbroadcast(ct * ans * log_or_zero(x), y)


@tangent(operator.pow)
def pow_tangent(t, ans, x, y):
    return t * y * x ** (y - 1), t * ans * log_or_zero(x)


# the functions' rules take d(x**0)/dx as 0 everywhere, x == 0 included
@adjoint(pow, np.power, np.float_power)
def power_adjoint(ct, ans, x, y):
    return unbroadcast(ct * power_slope(x, y), x), unbroadcast(ct * ans * log_or_zero(x), y)


@tangent(pow, np.power, np.float_power)
def power_tangent(t, ans, x, y):
    return t * power_slope(x, y), t * ans * log_or_zero(x)


@adjoint(operator.neg, np.negative)
def neg_adjoint(ct, ans, x):
    return -ct


@tangent(operator.neg, np.negative)
def neg_tangent(t, ans, x):
    return -t


@adjoint(operator.pos, np.positive)
def pos_adjoint(ct, ans, x):
    return ct


@tangent(operator.pos, np.positive)
def pos_tangent(t, ans, x):
    return t


# Matrix product (NumPy semantics: 1-D operands promoted, batch axes broadcast)


@adjoint(operator.matmul, np.matmul)
def matmul_adjoint(ct, ans, x, y):
    return matmul_adjoint_left(ct, x, y), matmul_adjoint_right(ct, x, y)


@tangent(operator.matmul, np.matmul)
def matmul_tangent(t, ans, x, y):
    return t @ y, x @ t


# Indexing: x[idx] for any NumPy index; the index has no derivative


@adjoint(operator.getitem)
def getitem_adjoint(ct, ans, x, idx):
    return unindex(ct, x, idx), None


@tangent(operator.getitem)
def getitem_tangent(t, ans, x, idx):
    return t[idx], None


# Builtins. abs has derivative 0 at 0.


@adjoint(abs, operator.abs)
def abs_adjoint(ct, ans, x):
    """Slope 0 at x == 0."""
    return ct * np.sign(x)


@tangent(abs, operator.abs)
def abs_tangent(t, ans, x):
    return t * np.sign(x)


# max(x, y) returns x unless y > x, so a tie goes to x; min(x, y) likewise
@adjoint(max)
def max_adjoint(ct, ans, x, y):
    return ct * (x >= y), ct * (y > x)


@tangent(max)
def max_tangent(t, ans, x, y):
    return t * (x >= y), t * (y > x)


@adjoint(min)
def min_adjoint(ct, ans, x, y):
    """min(x, y) returns x unless y < x: a tie goes to x."""
    return ct * (x <= y), ct * (y < x)


@tangent(min)
def min_tangent(t, ans, x, y):
    return t * (x <= y), t * (y < x)


# sum(xs): one cotangent per element of xs (xs a list, a tuple, or an array summed over axis 0)
@adjoint(sum)
def sum_adjoint(ct, ans, xs, start=0):
    return unsum(ct, xs)


@tangent(sum)
def sum_tangent(t, ans, xs, start=0):
    return sum(t)


@adjoint(float)
def float_adjoint(ct, ans, x):
    return ct


@tangent(float)
def float_tangent(t, ans, x):
    return float(t)


# Comparisons, truth tests and integer-valued builtins carry no derivative.
nondifferentiable(
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne,
    operator.not_, operator.truth, operator.is_, operator.is_not, operator.contains,
    operator.floordiv, operator.index,
    int, bool, len, round, range, isinstance,
)
