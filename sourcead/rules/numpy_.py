"""Derivative rules for NumPy: elementwise functions, reductions and scans, statistics, products,
shapes, orderings and the functions that move elements around.

Rules are keyed by the NumPy objects themselves: ``np.sum`` for the function, the unbound
``np.ndarray.sum`` for the method (its array is the first argument), the descriptor
``np.ndarray.T`` for the attribute. Parameters mirror NumPy's positional order, so ``np.sum(x, 0)``
binds ``axis``; an option a rule does not take is refused when a call passes it. Arithmetic ufuncs
(np.add, np.multiply, np.power, np.matmul, ...) share the operator rules in `arith`.

Where a function is not differentiable at a point the rules pick a subgradient, stated on the rule
(and in docs/supported.md): ties of np.maximum/np.minimum give each side half, ties of a max/min
reduction share the cotangent evenly, np.abs has derivative 0 at 0, a tie of np.clip goes to x, a
sort or quantile sends equal values' cotangents where a stable argsort puts them, np.std at zero
spread has subgradient 0. NaN-skipping reductions send NaNs nothing. Integer arguments (indices,
counts, positions) and the sample points of np.interp, np.gradient and np.trapezoid are constants.
"""

from __future__ import annotations

import math

import numpy as np

from ..runtime import (append_positions, broadcast_like, cast_like, clip_mask, corrcoef_cov_ct, corrcoef_jvp,
                        cov_jvp, cumprod_jvp, diagonal_of, diff_jvp, dot_axes, ediff1d_jvp, einsum_cospec,
                        einsum_general, einsum_spec, expand_reduced, gather_positions,
                        gradient_of, hstack_axis, index_grid, inner_axes, insert_positions, interp_bound,
                        interp_slope, inverse_axes, item_of, kept_count, masked_extremum_share, norm_weight,
                        pad_positions, partition_order, permute, power_slope, prod_others, quantile_jvp,
                        rechoose, reselect, resize_positions, rolled_axes, scatter_positions, select_rest,
                        sinc_slope, sort_order, tensordot_adjoint_left, tensordot_adjoint_right, tie_share,
                        trapezoid_weights, unbroadcast, unchoose, unconcatenate, unconvolve, uncov,
                        uncumprod, uncumsum, uncumulative, undiag, undiagonal, undiff, unediff1d, ungradient,
                        uninterp, unitem, unkron_left, unkron_right, unpack_like, unpermute, unpolyder,
                        unpolyint, unpolyval, unquantile, unrepeat, unselect, unstack, untake, untake_along,
                        untile, untrace, vander_powers, weights_back, weights_like)
from .registry import adjoint, nondifferentiable, tangent

# Trigonometric functions


@adjoint(np.sin)
def sin_adjoint(ct, ans, x):
    return ct * np.cos(x)


@tangent(np.sin)
def sin_tangent(t, ans, x):
    return t * np.cos(x)


@adjoint(np.cos)
def cos_adjoint(ct, ans, x):
    return -ct * np.sin(x)


@tangent(np.cos)
def cos_tangent(t, ans, x):
    return -t * np.sin(x)


@adjoint(np.tan)
def tan_adjoint(ct, ans, x):
    return ct / np.cos(x) ** 2


@tangent(np.tan)
def tan_tangent(t, ans, x):
    return t / np.cos(x) ** 2


@adjoint(np.arcsin)
def arcsin_adjoint(ct, ans, x):
    return ct / np.sqrt(1.0 - x ** 2)


@tangent(np.arcsin)
def arcsin_tangent(t, ans, x):
    return t / np.sqrt(1.0 - x ** 2)


@adjoint(np.arccos)
def arccos_adjoint(ct, ans, x):
    return -ct / np.sqrt(1.0 - x ** 2)


@tangent(np.arccos)
def arccos_tangent(t, ans, x):
    return -t / np.sqrt(1.0 - x ** 2)


@adjoint(np.arctan)
def arctan_adjoint(ct, ans, x):
    return ct / (1.0 + x ** 2)


@tangent(np.arctan)
def arctan_tangent(t, ans, x):
    return t / (1.0 + x ** 2)


# arctan2(y, x) is the angle of the point (x, y)
@adjoint(np.arctan2)
def arctan2_adjoint(ct, ans, y, x):
    return unbroadcast(ct * x / (x ** 2 + y ** 2), y), unbroadcast(-ct * y / (x ** 2 + y ** 2), x)


@tangent(np.arctan2)
def arctan2_tangent(t, ans, y, x):
    return t * x / (x ** 2 + y ** 2), -t * y / (x ** 2 + y ** 2)


@adjoint(np.hypot)
def hypot_adjoint(ct, ans, x, y):
    return unbroadcast(ct * x / ans, x), unbroadcast(ct * y / ans, y)


@tangent(np.hypot)
def hypot_tangent(t, ans, x, y):
    return t * x / ans, t * y / ans


@adjoint(np.deg2rad, np.radians)
def deg2rad_adjoint(ct, ans, x):
    return ct * (math.pi / 180.0)


@tangent(np.deg2rad, np.radians)
def deg2rad_tangent(t, ans, x):
    return t * (math.pi / 180.0)


@adjoint(np.rad2deg, np.degrees)
def rad2deg_adjoint(ct, ans, x):
    return ct * (180.0 / math.pi)


@tangent(np.rad2deg, np.degrees)
def rad2deg_tangent(t, ans, x):
    return t * (180.0 / math.pi)


# Hyperbolic functions


@adjoint(np.sinh)
def sinh_adjoint(ct, ans, x):
    return ct * np.cosh(x)


@tangent(np.sinh)
def sinh_tangent(t, ans, x):
    return t * np.cosh(x)


@adjoint(np.cosh)
def cosh_adjoint(ct, ans, x):
    return ct * np.sinh(x)


@tangent(np.cosh)
def cosh_tangent(t, ans, x):
    return t * np.sinh(x)


@adjoint(np.tanh)
def tanh_adjoint(ct, ans, x):
    return ct * (1.0 - ans ** 2)


@tangent(np.tanh)
def tanh_tangent(t, ans, x):
    return t * (1.0 - ans ** 2)


@adjoint(np.arcsinh)
def arcsinh_adjoint(ct, ans, x):
    return ct / np.sqrt(x ** 2 + 1.0)


@tangent(np.arcsinh)
def arcsinh_tangent(t, ans, x):
    return t / np.sqrt(x ** 2 + 1.0)


@adjoint(np.arccosh)
def arccosh_adjoint(ct, ans, x):
    return ct / np.sqrt(x ** 2 - 1.0)


@tangent(np.arccosh)
def arccosh_tangent(t, ans, x):
    return t / np.sqrt(x ** 2 - 1.0)


@adjoint(np.arctanh)
def arctanh_adjoint(ct, ans, x):
    return np.divide(ct, 1.0 - x ** 2)


@tangent(np.arctanh)
def arctanh_tangent(t, ans, x):
    return np.divide(t, 1.0 - x ** 2)


# Exponentials and logarithms


@adjoint(np.exp)
def exp_adjoint(ct, ans, x):
    return ct * ans


@tangent(np.exp)
def exp_tangent(t, ans, x):
    return t * ans


@adjoint(np.exp2)
def exp2_adjoint(ct, ans, x):
    return ct * ans * math.log(2.0)


@tangent(np.exp2)
def exp2_tangent(t, ans, x):
    return t * ans * math.log(2.0)


@adjoint(np.expm1)
def expm1_adjoint(ct, ans, x):
    return ct * (ans + 1.0)


@tangent(np.expm1)
def expm1_tangent(t, ans, x):
    return t * (ans + 1.0)


@adjoint(np.log)
def log_adjoint(ct, ans, x):
    # np.divide, not `/` (here and in log2, log10, log1p, arctanh): at the pole a Python float gives
    # inf and a warning, as the primal np.log(0.0) does, where `/` raises ZeroDivisionError
    return np.divide(ct, x)


@tangent(np.log)
def log_tangent(t, ans, x):
    return np.divide(t, x)


@adjoint(np.log2)
def log2_adjoint(ct, ans, x):
    return np.divide(ct, x * math.log(2.0))


@tangent(np.log2)
def log2_tangent(t, ans, x):
    return np.divide(t, x * math.log(2.0))


@adjoint(np.log10)
def log10_adjoint(ct, ans, x):
    return np.divide(ct, x * math.log(10.0))


@tangent(np.log10)
def log10_tangent(t, ans, x):
    return np.divide(t, x * math.log(10.0))


@adjoint(np.log1p)
def log1p_adjoint(ct, ans, x):
    return np.divide(ct, 1.0 + x)


@tangent(np.log1p)
def log1p_tangent(t, ans, x):
    return np.divide(t, 1.0 + x)


# logaddexp(x, y) = log(exp(x) + exp(y)); its partials are the softmax weights
@adjoint(np.logaddexp)
def logaddexp_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.exp(x - ans), x), unbroadcast(ct * np.exp(y - ans), y)


@tangent(np.logaddexp)
def logaddexp_tangent(t, ans, x, y):
    return t * np.exp(x - ans), t * np.exp(y - ans)


@adjoint(np.logaddexp2)
def logaddexp2_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.exp2(x - ans), x), unbroadcast(ct * np.exp2(y - ans), y)


@tangent(np.logaddexp2)
def logaddexp2_tangent(t, ans, x, y):
    return t * np.exp2(x - ans), t * np.exp2(y - ans)


# Powers and roots (np.power shares operator.pow's rule in arith)


@adjoint(np.sqrt)
def sqrt_adjoint(ct, ans, x):
    return ct * 0.5 / ans


@tangent(np.sqrt)
def sqrt_tangent(t, ans, x):
    return t * 0.5 / ans


@adjoint(np.cbrt)
def cbrt_adjoint(ct, ans, x):
    return ct / (3.0 * ans ** 2)


@tangent(np.cbrt)
def cbrt_tangent(t, ans, x):
    return t / (3.0 * ans ** 2)


@adjoint(np.square)
def square_adjoint(ct, ans, x):
    return ct * 2.0 * x


@tangent(np.square)
def square_tangent(t, ans, x):
    return t * 2.0 * x


@adjoint(np.reciprocal)
def reciprocal_adjoint(ct, ans, x):
    return -ct * ans ** 2


@tangent(np.reciprocal)
def reciprocal_tangent(t, ans, x):
    return -t * ans ** 2


# Piecewise functions: abs, maximum/minimum (ties split evenly), where, clip


@adjoint(np.absolute, np.fabs)
def absolute_adjoint(ct, ans, x):
    """Slope 0 at x == 0."""
    return ct * np.sign(x)


@tangent(np.absolute, np.fabs)
def absolute_tangent(t, ans, x):
    return t * np.sign(x)


@adjoint(np.maximum, np.minimum, np.fmax, np.fmin)
def maximum_minimum_adjoint(ct, ans, x, y):
    """A tie gives each side half."""
    return unbroadcast(ct * tie_share(x, ans, y), x), unbroadcast(ct * tie_share(y, ans, x), y)


@tangent(np.maximum, np.minimum, np.fmax, np.fmin)
def maximum_minimum_tangent(t, ans, x, y):
    return t * tie_share(x, ans, y), t * tie_share(y, ans, x)


@adjoint(np.where)
def where_adjoint(ct, ans, cond, x, y):
    return None, unbroadcast(np.where(cond, ct, 0.0), x), unbroadcast(np.where(cond, 0.0, ct), y)


@tangent(np.where)
def where_tangent(t, ans, cond, x, y):
    return None, broadcast_like(np.where(cond, t, 0.0), ans), broadcast_like(np.where(cond, 0.0, t), ans)


@adjoint(np.clip, np.ndarray.clip)
def clip_adjoint(ct, ans, x, a_min, a_max):
    """A tie with a bound goes to x; where a_min > a_max, to a_max (as NumPy returns it)."""
    return (unbroadcast(ct * clip_mask(x, a_min, a_max, "x"), x),
            unbroadcast(ct * clip_mask(x, a_min, a_max, "a_min"), a_min),
            unbroadcast(ct * clip_mask(x, a_min, a_max, "a_max"), a_max))


@tangent(np.clip, np.ndarray.clip)
def clip_tangent(t, ans, x, a_min, a_max):
    return (t * clip_mask(x, a_min, a_max, "x"),
            t * clip_mask(x, a_min, a_max, "a_min"),
            t * clip_mask(x, a_min, a_max, "a_max"))


# Reductions over `axis` (None: all axes), with keepdims; functions and methods alike


# `where` masks the elements summed (its default 1, all of them, vanishes from generated code);
# `initial` is added and changes no derivative
@adjoint(np.sum, np.ndarray.sum)
def sum_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=1):
    return expand_reduced(ct, x, axis, keepdims) * where


@tangent(np.sum, np.ndarray.sum)
def sum_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=1):
    return np.sum(t * where, axis=axis, keepdims=keepdims)


# each element of x counts size(x) / size(ans) times less than the sum; with `where`, each element
# it keeps counts 1 / (the number kept in its slice) (the literal default True folds the test away)
@adjoint(np.mean, np.ndarray.mean)
def mean_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False, where=True):
    return (expand_reduced(ct * (np.size(ans) / np.size(x)), x, axis, keepdims) if where is True
            else expand_reduced(ct, x, axis, keepdims) * where / kept_count(x, axis, where))


@tangent(np.mean, np.ndarray.mean)
def mean_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False, where=True):
    return (np.mean(t, axis=axis, keepdims=keepdims) if where is True
            else np.mean(broadcast_like(t, x), axis=axis, keepdims=keepdims, where=where))


# exact where x has zeros; `initial` multiplies the product; `where` leaves elements out (as 1s)
@adjoint(np.prod, np.ndarray.prod)
def prod_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=1, where=True):
    return (expand_reduced(ct * initial, x, axis, keepdims) * prod_others(x, axis) if where is True
            else expand_reduced(ct * initial, x, axis, keepdims) * prod_others(np.where(where, x, 1.0), axis)
            * where)


@tangent(np.prod, np.ndarray.prod)
def prod_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=1, where=True):
    return (np.sum(t * initial * prod_others(x, axis), axis=axis, keepdims=keepdims) if where is True
            else np.sum(t * initial * where * prod_others(np.where(where, x, 1.0), axis), axis=axis,
                        keepdims=keepdims))


# Ties share the cotangent evenly; elements that `where` leaves out, that `initial` beats, or that
# are NaN (nanmax, nanmin) get none.
@adjoint(np.max, np.amax, np.ndarray.max, np.min, np.amin, np.ndarray.min, np.nanmax, np.nanmin)
def max_min_adjoint(ct, ans, x, axis=None, out=None, keepdims=False, initial=None, where=True):
    return expand_reduced(ct, x, axis, keepdims) * masked_extremum_share(x, ans, axis, keepdims, where)


@tangent(np.max, np.amax, np.ndarray.max, np.min, np.amin, np.ndarray.min, np.nanmax, np.nanmin)
def max_min_tangent(t, ans, x, axis=None, out=None, keepdims=False, initial=None, where=True):
    return np.sum(t * masked_extremum_share(x, ans, axis, keepdims, where), axis=axis, keepdims=keepdims)


# var = sum((x - mean)**2) / (n - ddof), n = size(x) / size(ans) elements per result; with
# `where`, over the elements kept (n their number per slice, the mean theirs)
@adjoint(np.var, np.ndarray.var)
def var_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True):
    return ((expand_reduced(ct * (2.0 / (np.size(x) / np.size(ans) - ddof)), x, axis, keepdims)
             * (x - np.mean(x, axis=axis, keepdims=True))) if where is True
            else expand_reduced(ct * 2.0, x, axis, keepdims) * where
            * (x - np.mean(x, axis=axis, keepdims=True, where=where)) / (kept_count(x, axis, where) - ddof))


@tangent(np.var, np.ndarray.var)
def var_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True):
    return ((np.sum(t * (x - np.mean(x, axis=axis, keepdims=True)), axis=axis, keepdims=keepdims)
             * (2.0 / (np.size(x) / np.size(ans) - ddof))) if where is True
            else np.sum(t * where * (x - np.mean(x, axis=axis, keepdims=True, where=where))
                        * (2.0 / (kept_count(x, axis, where) - ddof)), axis=axis, keepdims=keepdims))


# where std is 0 (one element, or all equal) it has a kink like abs at 0: the subgradient 0
@adjoint(np.std, np.ndarray.std)
def std_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True):
    return ((expand_reduced(ct / (np.where(ans == 0, np.inf, ans) * (np.size(x) / np.size(ans) - ddof)), x, axis,
                            keepdims) * (x - np.mean(x, axis=axis, keepdims=True))) if where is True
            else expand_reduced(ct / np.where(ans == 0, np.inf, ans), x, axis, keepdims) * where
            * (x - np.mean(x, axis=axis, keepdims=True, where=where)) / (kept_count(x, axis, where) - ddof))


@tangent(np.std, np.ndarray.std)
def std_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False, where=True):
    return ((np.sum(t * (x - np.mean(x, axis=axis, keepdims=True)), axis=axis, keepdims=keepdims)
             / (np.where(ans == 0, np.inf, ans) * (np.size(x) / np.size(ans) - ddof))) if where is True
            else np.sum(t * where * (x - np.mean(x, axis=axis, keepdims=True, where=where))
                        / (kept_count(x, axis, where) - ddof), axis=axis, keepdims=keepdims)
            / np.where(ans == 0, np.inf, ans))


# vector p-norms (2, 1, inf, -inf, any p) and the Frobenius norm of matrices; up to second derivatives
@adjoint(np.linalg.norm)
def norm_adjoint(ct, ans, x, ord=None, axis=None, keepdims=False):
    return expand_reduced(ct, x, axis, keepdims) * norm_weight(x, ans, ord, axis, keepdims)


@tangent(np.linalg.norm)
def norm_tangent(t, ans, x, ord=None, axis=None, keepdims=False):
    return np.sum(t * norm_weight(x, ans, ord, axis, keepdims), axis=axis, keepdims=keepdims)


@adjoint(np.cumsum, np.ndarray.cumsum)
def cumsum_adjoint(ct, ans, x, axis=None, dtype=None, out=None):
    return uncumsum(ct, x, axis)


@tangent(np.cumsum, np.ndarray.cumsum)
def cumsum_tangent(t, ans, x, axis=None, dtype=None, out=None):
    return np.cumsum(t, axis=axis)


# Linear algebra: each product is bilinear, so its cotangents are products with the other operand


@adjoint(np.dot, np.ndarray.dot)
def dot_adjoint(ct, ans, x, y):
    return (tensordot_adjoint_left(ct, x, y, dot_axes(x, y)),
            tensordot_adjoint_right(ct, x, y, dot_axes(x, y)))


@tangent(np.dot, np.ndarray.dot)
def dot_tangent(t, ans, x, y):
    return np.dot(t, y), np.dot(x, t)


@adjoint(np.inner)
def inner_adjoint(ct, ans, x, y):
    return (tensordot_adjoint_left(ct, x, y, inner_axes(x, y)),
            tensordot_adjoint_right(ct, x, y, inner_axes(x, y)))


@tangent(np.inner)
def inner_tangent(t, ans, x, y):
    return np.inner(t, y), np.inner(x, t)


@adjoint(np.tensordot)
def tensordot_adjoint(ct, ans, x, y, axes=2):
    return tensordot_adjoint_left(ct, x, y, axes), tensordot_adjoint_right(ct, x, y, axes)


@tangent(np.tensordot)
def tensordot_tangent(t, ans, x, y, axes=2):
    return np.tensordot(t, y, axes), np.tensordot(x, t, axes)


# outer flattens its operands: ans[i, j] = ravel(x)[i] * ravel(y)[j]
@adjoint(np.outer)
def outer_adjoint(ct, ans, x, y):
    return np.reshape(np.dot(ct, np.ravel(y)), np.shape(x)), np.reshape(np.dot(np.ravel(x), ct), np.shape(y))


@tangent(np.outer)
def outer_tangent(t, ans, x, y):
    return np.outer(t, y), np.outer(x, t)


_EINSUM_ARGS = ("o0", "o1", "o2", "o3", "o4", "o5", "o6")


# einsum in its string and sublist forms, any number of operands (up to seven positional
# arguments); optimize= is accepted and plays no part in the derivative
@adjoint(np.einsum, differentiable=_EINSUM_ARGS)
def einsum_adjoint(ct, ans, o0, o1=None, o2=None, o3=None, o4=None, o5=None, o6=None, optimize=False):
    return (einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 0), ct, o1, o2, o3, o4, o5, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 1), o0, ct, o2, o3, o4, o5, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 2), o0, o1, ct, o3, o4, o5, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 3), o0, o1, o2, ct, o4, o5, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 4), o0, o1, o2, o3, ct, o5, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 5), o0, o1, o2, o3, o4, ct, o6),
            einsum_general(einsum_cospec(einsum_spec(o0, o1, o2, o3, o4, o5, o6), 6), o0, o1, o2, o3, o4, o5, ct))


@tangent(np.einsum, differentiable=_EINSUM_ARGS)
def einsum_tangent(t, ans, o0, o1=None, o2=None, o3=None, o4=None, o5=None, o6=None, optimize=False):
    return (einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), t, o1, o2, o3, o4, o5, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, t, o2, o3, o4, o5, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, o1, t, o3, o4, o5, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, o1, o2, t, o4, o5, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, o1, o2, o3, t, o5, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, o1, o2, o3, o4, t, o6),
            einsum_general(einsum_spec(o0, o1, o2, o3, o4, o5, o6), o0, o1, o2, o3, o4, o5, t))


@adjoint(np.trace, np.ndarray.trace)
def trace_adjoint(ct, ans, x, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return untrace(ct, x, offset, axis1, axis2)


@tangent(np.trace, np.ndarray.trace)
def trace_tangent(t, ans, x, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    return np.trace(t, offset, axis1, axis2)


# Axis permutations: the cotangent goes through the inverse permutation


@adjoint(np.transpose)
def transpose_adjoint(ct, ans, x, axes=None):
    return np.transpose(ct, inverse_axes(axes, np.ndim(x)))


@tangent(np.transpose)
def transpose_tangent(t, ans, x, axes=None):
    return np.transpose(t, axes)


# x.transpose(), x.transpose(1, 0) and x.transpose((1, 0))
@adjoint(np.ndarray.transpose, differentiable=("x",))
def transpose_method_adjoint(ct, ans, x, axes=None):
    return np.transpose(ct, inverse_axes(axes, np.ndim(x)))


@tangent(np.ndarray.transpose, differentiable=("x",))
def transpose_method_tangent(t, ans, x, axes=None):
    return np.transpose(t, axes)


@adjoint(np.ndarray.T)
def T_adjoint(ct, ans, x):
    return ct.T


@tangent(np.ndarray.T)
def T_tangent(t, ans, x):
    return t.T


@adjoint(np.swapaxes, np.ndarray.swapaxes)
def swapaxes_adjoint(ct, ans, x, axis1, axis2):
    return np.swapaxes(ct, axis1, axis2), None, None


@tangent(np.swapaxes, np.ndarray.swapaxes)
def swapaxes_tangent(t, ans, x, axis1, axis2):
    return np.swapaxes(t, axis1, axis2), None, None


@adjoint(np.moveaxis)
def moveaxis_adjoint(ct, ans, x, source, destination):
    return np.moveaxis(ct, destination, source), None, None


@tangent(np.moveaxis)
def moveaxis_tangent(t, ans, x, source, destination):
    return np.moveaxis(t, source, destination), None, None


@adjoint(np.flip)
def flip_adjoint(ct, ans, x, axis=None):
    return np.flip(ct, axis)


@tangent(np.flip)
def flip_tangent(t, ans, x, axis=None):
    return np.flip(t, axis)


# Reshaping: the cotangent is reshaped back (in the same index order)


@adjoint(np.reshape)
def reshape_adjoint(ct, ans, x, shape, order="C"):
    return np.reshape(ct, np.shape(x), order=order), None


@tangent(np.reshape)
def reshape_tangent(t, ans, x, shape, order="C"):
    return np.reshape(t, np.shape(ans), order=order), None


# x.reshape(2, 3) and x.reshape((2, 3))
@adjoint(np.ndarray.reshape, differentiable=("x",))
def reshape_method_adjoint(ct, ans, x, shape, order="C"):
    return np.reshape(ct, np.shape(x), order=order)


@tangent(np.ndarray.reshape, differentiable=("x",))
def reshape_method_tangent(t, ans, x, shape, order="C"):
    return np.reshape(t, np.shape(ans), order=order)


@adjoint(np.ravel, np.ndarray.ravel, np.ndarray.flatten)
def ravel_adjoint(ct, ans, x, order="C"):
    return np.reshape(ct, np.shape(x), order=order)


@tangent(np.ravel, np.ndarray.ravel, np.ndarray.flatten)
def ravel_tangent(t, ans, x, order="C"):
    return np.ravel(t, order=order)


@adjoint(np.squeeze, np.ndarray.squeeze)
def squeeze_adjoint(ct, ans, x, axis=None):
    return np.reshape(ct, np.shape(x))


@tangent(np.squeeze, np.ndarray.squeeze)
def squeeze_tangent(t, ans, x, axis=None):
    return np.squeeze(t, axis)


@adjoint(np.expand_dims)
def expand_dims_adjoint(ct, ans, x, axis):
    return np.reshape(ct, np.shape(x)), None


@tangent(np.expand_dims)
def expand_dims_tangent(t, ans, x, axis):
    return np.expand_dims(t, axis), None


@adjoint(np.broadcast_to)
def broadcast_to_adjoint(ct, ans, x, shape):
    return unbroadcast(ct, x), None


@tangent(np.broadcast_to)
def broadcast_to_tangent(t, ans, x, shape):
    return broadcast_like(t, ans), None


@adjoint(np.repeat, np.ndarray.repeat)
def repeat_adjoint(ct, ans, x, repeats, axis=None):
    return unrepeat(ct, x, repeats, axis), None


@tangent(np.repeat, np.ndarray.repeat)
def repeat_tangent(t, ans, x, repeats, axis=None):
    return np.repeat(t, repeats, axis), None


@adjoint(np.tile)
def tile_adjoint(ct, ans, x, reps):
    return untile(ct, x, reps), None


@tangent(np.tile)
def tile_tangent(t, ans, x, reps):
    return np.tile(t, reps), None


# Copies and casts; a cast to an integer or boolean dtype has derivative zero


@adjoint(np.copy, np.ndarray.copy)
def copy_adjoint(ct, ans, x, order="K"):
    return ct


@tangent(np.copy, np.ndarray.copy)
def copy_tangent(t, ans, x, order="K"):
    return t


@adjoint(np.ndarray.astype)
def astype_adjoint(ct, ans, x, dtype):
    return cast_like(ct, x, dtype), None


@tangent(np.ndarray.astype)
def astype_tangent(t, ans, x, dtype):
    return cast_like(t, ans, dtype), None


@adjoint(np.float64)
def float64_adjoint(ct, ans, x):
    return ct


@tangent(np.float64)
def float64_tangent(t, ans, x):
    return np.float64(t)


# np.array(obj) of a (nested) list or tuple: the cotangent mirrors obj's nesting
@adjoint(np.array, np.asarray, np.asanyarray)
def array_adjoint(ct, ans, obj, dtype=None, copy=True, order="K"):
    return unpack_like(ct, obj, dtype)


@tangent(np.array, np.asarray, np.asanyarray)
def array_tangent(t, ans, obj, dtype=None, copy=True, order="K"):
    return cast_like(np.array(t), ans, dtype)


# at least 1-d, in C or Fortran memory order
@adjoint(np.ascontiguousarray, np.asfortranarray)
def ascontiguousarray_adjoint(ct, ans, a, dtype=None):
    return cast_like(np.reshape(ct, np.shape(a)), a, dtype)


@tangent(np.ascontiguousarray, np.asfortranarray)
def ascontiguousarray_tangent(t, ans, a, dtype=None):
    return cast_like(np.reshape(t, np.shape(ans)), ans, dtype)


# Joining arrays: the cotangent of a sequence argument is a list, one entry per array


@adjoint(np.concatenate)
def concatenate_adjoint(ct, ans, arrays, axis=0):
    return unconcatenate(ct, arrays, axis)


@tangent(np.concatenate)
def concatenate_tangent(t, ans, arrays, axis=0):
    return np.concatenate(t, axis=axis)


@adjoint(np.hstack)
def hstack_adjoint(ct, ans, arrays):
    return unconcatenate(ct, arrays, hstack_axis(ct))


@tangent(np.hstack)
def hstack_tangent(t, ans, arrays):
    return np.hstack(t)


@adjoint(np.vstack)
def vstack_adjoint(ct, ans, arrays):
    return unconcatenate(ct, arrays, 0)


@tangent(np.vstack)
def vstack_tangent(t, ans, arrays):
    return np.vstack(t)


@adjoint(np.stack)
def stack_adjoint(ct, ans, arrays, axis=0):
    return unstack(ct, axis)


@tangent(np.stack)
def stack_tangent(t, ans, arrays, axis=0):
    return np.stack(t, axis=axis)


# Constructors with a differentiable value: the fill value, and linspace's end points


@adjoint(np.full)
def full_adjoint(ct, ans, shape, fill_value, dtype=None, order="C"):
    return None, unbroadcast(ct, fill_value)


@tangent(np.full)
def full_tangent(t, ans, shape, fill_value, dtype=None, order="C"):
    return None, broadcast_like(t, ans)


@adjoint(np.full_like)
def full_like_adjoint(ct, ans, a, fill_value, dtype=None, order="K"):
    return None, unbroadcast(ct, fill_value)


@tangent(np.full_like)
def full_like_tangent(t, ans, a, fill_value, dtype=None, order="K"):
    return None, broadcast_like(t, ans)


# linspace(start, stop, num)[k] = start + (stop - start) * s_k, with s = linspace(0, 1, num)
@adjoint(np.linspace)
def linspace_adjoint(ct, ans, start, stop, num=50, endpoint=True):
    return (unbroadcast(np.tensordot(np.linspace(1.0, 0.0, num, endpoint=endpoint), ct, 1), start),
            unbroadcast(np.tensordot(np.linspace(0.0, 1.0, num, endpoint=endpoint), ct, 1), stop))


@tangent(np.linspace)
def linspace_tangent(t, ans, start, stop, num=50, endpoint=True):
    return np.linspace(t, 0.0, num, endpoint=endpoint), np.linspace(0.0, t, num, endpoint=endpoint)


# Piecewise-constant and integer-valued functions, predicates, constructors, shape queries.
nondifferentiable(
    np.sign, np.floor, np.ceil, np.round, np.around, np.trunc, np.rint, np.fix,
    np.floor_divide, np.heaviside, np.signbit,
    np.argmax, np.argmin, np.argsort, np.nonzero, np.flatnonzero, np.count_nonzero,
    np.searchsorted, np.ndarray.argmax, np.ndarray.argmin, np.ndarray.argsort, np.ndarray.nonzero,
    np.shape, np.ndim, np.size, np.ndarray.shape, np.ndarray.ndim, np.ndarray.size, np.ndarray.dtype,
    np.zeros, np.ones, np.empty, np.eye, np.identity, np.arange,
    np.zeros_like, np.ones_like, np.empty_like,
    np.isnan, np.isfinite, np.isinf, np.isclose, np.allclose, np.array_equal,
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor,
    np.any, np.all, np.ndarray.any, np.ndarray.all,
)


def _if_present(register, *names, owner=np):
    """`register` (adjoint or tangent) for the members `names` of `owner` this NumPy has (newer
    ones: np.vecdot, np.matvec, np.unstack, ndarray.mT, ...); a no-op when it has none of them."""
    targets = [getattr(owner, name) for name in names if hasattr(owner, name)]
    return register(*targets) if targets else (lambda fn: fn)


# ---- more elementwise functions -------------------------------------------------------------------


# sinc(x) = sin(pi x) / (pi x), with sinc(0) = 1 and slope 0 there; up to second derivatives
@adjoint(np.sinc)
def sinc_adjoint(ct, ans, x):
    return ct * sinc_slope(x)


@tangent(np.sinc)
def sinc_tangent(t, ans, x):
    return t * sinc_slope(x)


# copysign(x, y) = |x| with y's sign: slope 0 at x == 0 (as abs), none in y
@adjoint(np.copysign)
def copysign_adjoint(ct, ans, x, y):
    return unbroadcast(ct * np.sign(x) * np.copysign(1.0, y), x), None


@tangent(np.copysign)
def copysign_tangent(t, ans, x, y):
    return broadcast_like(t * np.sign(x) * np.copysign(1.0, y), ans), None


# fmod(x, y) = x - y * trunc(x / y), and trunc is piecewise constant
@adjoint(np.fmod)
def fmod_adjoint(ct, ans, x, y):
    return unbroadcast(ct, x), unbroadcast(-ct * np.trunc(x / y), y)


@tangent(np.fmod)
def fmod_tangent(t, ans, x, y):
    return broadcast_like(t, ans), -t * np.trunc(x / y)


# ldexp(x, n) = x * 2**n for an integer n
@adjoint(np.ldexp)
def ldexp_adjoint(ct, ans, x, n):
    return unbroadcast(ct * np.exp2(n), x), None


@tangent(np.ldexp)
def ldexp_tangent(t, ans, x, n):
    return t * np.exp2(n), None


@adjoint(np.conjugate, np.ndarray.conjugate, np.ndarray.conj)
def conjugate_adjoint(ct, ans, x):
    return np.conjugate(ct)


@tangent(np.conjugate, np.ndarray.conjugate, np.ndarray.conj)
def conjugate_tangent(t, ans, x):
    return np.conjugate(t)


@adjoint(np.real, np.ndarray.real)
def real_adjoint(ct, ans, x):
    """Re(dz) pairs with a real ct as Re(ct * dz): the cotangent is ct (rules/complex_.py)."""
    return ct


@tangent(np.real, np.ndarray.real)
def real_tangent(t, ans, x):
    return np.real(t)


# ---- more reductions and scans --------------------------------------------------------------------


# ptp = max - min: the cotangent goes to the maxima (ties share it) and, negated, to the minima
@adjoint(np.ptp)
def ptp_adjoint(ct, ans, x, axis=None, out=None, keepdims=False):
    return expand_reduced(ct, x, axis, keepdims) * (
        masked_extremum_share(x, np.max(x, axis=axis, keepdims=True), axis, True)
        - masked_extremum_share(x, np.min(x, axis=axis, keepdims=True), axis, True))


@tangent(np.ptp)
def ptp_tangent(t, ans, x, axis=None, out=None, keepdims=False):
    return np.sum(t * (masked_extremum_share(x, np.max(x, axis=axis, keepdims=True), axis, True)
                       - masked_extremum_share(x, np.min(x, axis=axis, keepdims=True), axis, True)),
                  axis=axis, keepdims=keepdims)


# exact where x has zeros (never divides by one); up to second derivatives
@adjoint(np.cumprod, np.ndarray.cumprod)
def cumprod_adjoint(ct, ans, x, axis=None, dtype=None, out=None):
    return uncumprod(ct, x, axis)


@tangent(np.cumprod, np.ndarray.cumprod)
def cumprod_tangent(t, ans, x, axis=None, dtype=None, out=None):
    return cumprod_jvp(t, x, axis)


# NaNs are skipped: they receive no cotangent; as np.sum, `where` masks and `initial` is added
@adjoint(np.nansum)
def nansum_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=1):
    return np.where(np.isnan(x), 0.0, expand_reduced(ct, x, axis, keepdims) * where)


@tangent(np.nansum)
def nansum_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False, initial=0, where=1):
    return np.sum(np.where(np.isnan(x), 0.0, t) * where, axis=axis, keepdims=keepdims)


# each non-NaN element counts 1 / (the number of non-NaN elements it is averaged with)
@adjoint(np.nanmean)
def nanmean_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.where(np.isnan(x), 0.0, expand_reduced(ct, x, axis, keepdims)
                    / np.sum(np.logical_not(np.isnan(x)), axis=axis, keepdims=True))


@tangent(np.nanmean)
def nanmean_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.nanmean(np.where(np.isnan(x), np.nan, t), axis=axis, keepdims=keepdims)


@adjoint(np.nancumsum)
def nancumsum_adjoint(ct, ans, x, axis=None, dtype=None, out=None):
    return np.where(np.isnan(x), 0.0, uncumsum(ct, x, axis))


@tangent(np.nancumsum)
def nancumsum_tangent(t, ans, x, axis=None, dtype=None, out=None):
    return np.cumsum(np.where(np.isnan(x), 0.0, t), axis=axis)


# average = sum(w a) / sum(w): differentiable in a and in the weights
@adjoint(np.average, differentiable=("a", "weights"))
def average_adjoint(ct, ans, a, axis=None, weights=None, returned=False, keepdims=False):
    return (expand_reduced(ct, a, axis, keepdims) * weights_like(weights, a, axis, returned)
            / np.sum(weights_like(weights, a, axis), axis=axis, keepdims=True),
            weights_back(expand_reduced(ct, a, axis, keepdims) * (a - expand_reduced(ans, a, axis, keepdims))
                         / np.sum(weights_like(weights, a, axis), axis=axis, keepdims=True), weights, axis))


@tangent(np.average, differentiable=("a", "weights"))
def average_tangent(t, ans, a, axis=None, weights=None, returned=False, keepdims=False):
    return (np.average(t, axis=axis, weights=weights, returned=returned, keepdims=keepdims),
            np.sum(weights_like(t, a, axis, returned) * (a - expand_reduced(ans, a, axis, keepdims)), axis=axis,
                   keepdims=keepdims)
            / np.sum(weights_like(weights, a, axis), axis=axis, keepdims=keepdims))


# order statistics: linear interpolation between the two nearest ranks; the cotangent goes back
# through the sort (equal values: to the one a stable argsort places at that rank)
@adjoint(np.quantile, differentiable=("a",))
def quantile_adjoint(ct, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                     keepdims=False):
    return unquantile(ct, a, q, axis, keepdims, method, overwrite_input)


@tangent(np.quantile, differentiable=("a",))
def quantile_tangent(t, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                     keepdims=False):
    return quantile_jvp(t, a, q, axis, keepdims, method, overwrite_input)


@adjoint(np.percentile, differentiable=("a",))
def percentile_adjoint(ct, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                       keepdims=False):
    """As np.quantile (q in percent)."""
    return unquantile(ct, a, np.true_divide(q, 100.0), axis, keepdims, method, overwrite_input)


@tangent(np.percentile, differentiable=("a",))
def percentile_tangent(t, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                       keepdims=False):
    return quantile_jvp(t, a, np.true_divide(q, 100.0), axis, keepdims, method, overwrite_input)


@adjoint(np.median)
def median_adjoint(ct, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """As np.quantile(a, 0.5): an even count splits the cotangent between the middle values."""
    return unquantile(ct, a, 0.5, axis, keepdims, "linear", overwrite_input)


@tangent(np.median)
def median_tangent(t, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return quantile_jvp(t, a, 0.5, axis, keepdims, "linear", overwrite_input)


# ---- more shapes, orderings and index-moving functions --------------------------------------------
# Each moves or copies elements, so its adjoint sends each cotangent entry back where it came from.


@adjoint(np.diff)
def diff_adjoint(ct, ans, a, n=1, axis=-1, prepend=None, append=None):
    """prepend= and append= are constants."""
    return undiff(ct, a, n, axis, prepend, append)


@tangent(np.diff)
def diff_tangent(t, ans, a, n=1, axis=-1, prepend=None, append=None):
    return diff_jvp(t, a, n, axis, prepend, append)


# the spacings (up to three: scalars or coordinate arrays) are constants
@adjoint(np.gradient)
def gradient_adjoint(ct, ans, f, d0=None, d1=None, d2=None, axis=None, edge_order=1):
    return ungradient(ct, f, (d0, d1, d2), axis, edge_order)


@tangent(np.gradient)
def gradient_tangent(t, ans, f, d0=None, d1=None, d2=None, axis=None, edge_order=1):
    return gradient_of(t, (d0, d1, d2), axis, edge_order)


@adjoint(np.roll)
def roll_adjoint(ct, ans, a, shift, axis=None):
    return np.roll(ct, np.negative(shift), axis), None


@tangent(np.roll)
def roll_tangent(t, ans, a, shift, axis=None):
    return np.roll(t, shift, axis), None


# constant_values are constants; modes that copy elements (constant, edge, reflect, symmetric, wrap)
@adjoint(np.pad)
def pad_adjoint(ct, ans, array, pad_width, mode="constant", constant_values=0):
    return scatter_positions(ct, array, pad_positions(array, pad_width, mode)), None


@tangent(np.pad)
def pad_tangent(t, ans, array, pad_width, mode="constant", constant_values=0):
    return gather_positions(t, pad_positions(array, pad_width, mode)), None


@adjoint(np.diag)
def diag_adjoint(ct, ans, v, k=0):
    return undiag(ct, v, k)


@tangent(np.diag)
def diag_tangent(t, ans, v, k=0):
    return np.diag(t, k)


@adjoint(np.diagonal, np.ndarray.diagonal)
def diagonal_adjoint(ct, ans, a, offset=0, axis1=0, axis2=1):
    return undiagonal(ct, a, offset, axis1, axis2)


@tangent(np.diagonal, np.ndarray.diagonal)
def diagonal_tangent(t, ans, a, offset=0, axis1=0, axis2=1):
    return diagonal_of(t, offset, axis1, axis2)


@adjoint(np.diagflat)
def diagflat_adjoint(ct, ans, v, k=0):
    return np.reshape(undiag(ct, np.ravel(v), k), np.shape(v))


@tangent(np.diagflat)
def diagflat_tangent(t, ans, v, k=0):
    return np.diagflat(t, k)


@adjoint(np.tril)
def tril_adjoint(ct, ans, m, k=0):
    return np.tril(ct, k)


@tangent(np.tril)
def tril_tangent(t, ans, m, k=0):
    return np.tril(t, k)


@adjoint(np.triu)
def triu_adjoint(ct, ans, m, k=0):
    return np.triu(ct, k)


@tangent(np.triu)
def triu_tangent(t, ans, m, k=0):
    return np.triu(t, k)


@adjoint(np.fliplr)
def fliplr_adjoint(ct, ans, m):
    return np.fliplr(ct)


@tangent(np.fliplr)
def fliplr_tangent(t, ans, m):
    return np.fliplr(t)


@adjoint(np.flipud)
def flipud_adjoint(ct, ans, m):
    return np.flipud(ct)


@tangent(np.flipud)
def flipud_tangent(t, ans, m):
    return np.flipud(t)


# (axes defaults to a list: the compiler's rule binding reads a tuple default as a *args tuple)

@adjoint(np.rot90)
def rot90_adjoint(ct, ans, m, k=1, axes=[0, 1]):  # noqa: B006 (never mutated)
    return np.rot90(ct, -k, axes)


@tangent(np.rot90)
def rot90_tangent(t, ans, m, k=1, axes=[0, 1]):  # noqa: B006
    return np.rot90(t, k, axes)


@adjoint(np.rollaxis)
def rollaxis_adjoint(ct, ans, a, axis, start=0):
    return np.transpose(ct, inverse_axes(rolled_axes(np.ndim(a), axis, start), np.ndim(a))), None


@tangent(np.rollaxis)
def rollaxis_tangent(t, ans, a, axis, start=0):
    return np.rollaxis(t, axis, start), None


@_if_present(adjoint, "mT", owner=np.ndarray)
def mT_adjoint(ct, ans, x):
    return np.swapaxes(ct, -1, -2)


@_if_present(tangent, "mT", owner=np.ndarray)
def mT_tangent(t, ans, x):
    return np.swapaxes(t, -1, -2)


# one array only (several return a list and are refused)
@adjoint(np.atleast_1d, np.atleast_2d, np.atleast_3d)
def atleast_adjoint(ct, ans, x):
    return np.reshape(ct, np.shape(x))


@tangent(np.atleast_1d, np.atleast_2d, np.atleast_3d)
def atleast_tangent(t, ans, x):
    return np.reshape(t, np.shape(ans))


# splitting: the result is a list, and so is its cotangent
@adjoint(np.split, np.array_split)
def split_adjoint(ct, ans, ary, indices_or_sections, axis=0):
    return np.concatenate(ct, axis=axis), None


@tangent(np.split)
def split_tangent(t, ans, ary, indices_or_sections, axis=0):
    return np.split(t, indices_or_sections, axis), None


@tangent(np.array_split)
def array_split_tangent(t, ans, ary, indices_or_sections, axis=0):
    return np.array_split(t, indices_or_sections, axis), None


@adjoint(np.hsplit)
def hsplit_adjoint(ct, ans, ary, indices_or_sections):
    return np.concatenate(ct, axis=hstack_axis(ary)), None


@tangent(np.hsplit)
def hsplit_tangent(t, ans, ary, indices_or_sections):
    return np.hsplit(t, indices_or_sections), None


@adjoint(np.vsplit)
def vsplit_adjoint(ct, ans, ary, indices_or_sections):
    return np.concatenate(ct, axis=0), None


@tangent(np.vsplit)
def vsplit_tangent(t, ans, ary, indices_or_sections):
    return np.vsplit(t, indices_or_sections), None


@adjoint(np.dsplit)
def dsplit_adjoint(ct, ans, ary, indices_or_sections):
    return np.concatenate(ct, axis=2), None


@tangent(np.dsplit)
def dsplit_tangent(t, ans, ary, indices_or_sections):
    return np.dsplit(t, indices_or_sections), None


@adjoint(np.column_stack)
def column_stack_adjoint(ct, ans, tup):
    return unconcatenate(ct, tup, 1)


@tangent(np.column_stack)
def column_stack_tangent(t, ans, tup):
    return np.column_stack(t)


@adjoint(np.dstack)
def dstack_adjoint(ct, ans, tup):
    return unconcatenate(ct, tup, 2)


@tangent(np.dstack)
def dstack_tangent(t, ans, tup):
    return np.dstack(t)


@adjoint(np.take, np.ndarray.take)
def take_adjoint(ct, ans, a, indices, axis=None):
    return untake(ct, a, indices, axis), None


@tangent(np.take, np.ndarray.take)
def take_tangent(t, ans, a, indices, axis=None):
    return np.take(t, indices, axis), None


@adjoint(np.take_along_axis)
def take_along_axis_adjoint(ct, ans, arr, indices, axis=-1):
    return untake_along(ct, arr, indices, axis), None


@tangent(np.take_along_axis)
def take_along_axis_tangent(t, ans, arr, indices, axis=-1):
    return np.take_along_axis(t, indices, axis), None


# sorting: each value's cotangent goes back to where it was (equal values: by a stable argsort)
@adjoint(np.sort)
def sort_adjoint(ct, ans, a, axis=-1, kind=None, order=None):
    return np.reshape(unpermute(ct, sort_order(a, axis), axis), np.shape(a))


@tangent(np.sort)
def sort_tangent(t, ans, a, axis=-1, kind=None, order=None):
    return permute(t, sort_order(a, axis), axis)


@adjoint(np.partition)
def partition_adjoint(ct, ans, a, kth, axis=-1, kind="introselect", order=None):
    return np.reshape(unpermute(ct, partition_order(a, ans, axis), axis), np.shape(a)), None


@tangent(np.partition)
def partition_tangent(t, ans, a, kth, axis=-1, kind="introselect", order=None):
    return permute(t, partition_order(a, ans, axis), axis), None


# select: each choice where its condition is the first that holds, the default where none does
@adjoint(np.select, differentiable=("condlist", "choicelist", "default"))
def select_adjoint(ct, ans, condlist, choicelist, default=0):
    return None, unselect(ct, condlist, choicelist), unbroadcast(ct * select_rest(condlist, ans), default)


@tangent(np.select, differentiable=("condlist", "choicelist", "default"))
def select_tangent(t, ans, condlist, choicelist, default=0):
    return None, reselect(t, condlist, ans), broadcast_like(t * select_rest(condlist, ans), ans)


@adjoint(np.append)
def append_adjoint(ct, ans, arr, values, axis=None):
    return (scatter_positions(ct, arr, append_positions(arr, values, axis, "arr")),
            scatter_positions(ct, values, append_positions(arr, values, axis, "values")))


@tangent(np.append)
def append_tangent(t, ans, arr, values, axis=None):
    return (gather_positions(t, append_positions(arr, values, axis, "arr")),
            gather_positions(t, append_positions(arr, values, axis, "values")))


@adjoint(np.insert)
def insert_adjoint(ct, ans, arr, obj, values, axis=None):
    return (scatter_positions(ct, arr, insert_positions(arr, obj, values, axis, "arr")), None,
            scatter_positions(ct, values, insert_positions(arr, obj, values, axis, "values")))


@tangent(np.insert)
def insert_tangent(t, ans, arr, obj, values, axis=None):
    return (gather_positions(t, insert_positions(arr, obj, values, axis, "arr")), None,
            gather_positions(t, insert_positions(arr, obj, values, axis, "values")))


@adjoint(np.delete)
def delete_adjoint(ct, ans, arr, obj, axis=None):
    return scatter_positions(ct, arr, np.delete(index_grid(arr), obj, axis)), None


@tangent(np.delete)
def delete_tangent(t, ans, arr, obj, axis=None):
    return np.delete(t, obj, axis), None


# interp is linear in fp and piecewise linear in x (at a knot x takes the slope on its right;
# outside [xp[0], xp[-1]] the slope is 0); the knots xp are constants
@adjoint(np.interp, differentiable=("x", "fp"))
def interp_adjoint(ct, ans, x, xp, fp, left=None, right=None):
    return ct * interp_slope(x, xp, fp, left, right), uninterp(ct, x, xp, fp, left, right)


@tangent(np.interp, differentiable=("x", "fp"))
def interp_tangent(t, ans, x, xp, fp, left=None, right=None):
    return t * interp_slope(x, xp, fp, left, right), np.interp(x, xp, t, interp_bound(left), interp_bound(right))


@adjoint(np.polyval)
def polyval_adjoint(ct, ans, p, x):
    return unpolyval(ct, p, x), unbroadcast(ct * np.polyval(p[:-1] * np.arange(len(p) - 1, 0, -1), x), x)


@tangent(np.polyval)
def polyval_tangent(t, ans, p, x):
    return np.polyval(t, x), t * np.polyval(p[:-1] * np.arange(len(p) - 1, 0, -1), x)


# ---- more products --------------------------------------------------------------------------------


@adjoint(np.convolve)
def convolve_adjoint(ct, ans, a, v, mode="full"):
    return unconvolve(ct, a, v, mode), unconvolve(ct, v, a, mode)


@tangent(np.convolve)
def convolve_tangent(t, ans, a, v, mode="full"):
    return np.convolve(t, v, mode), np.convolve(a, t, mode)


# correlate(a, v) = convolve(a, v[::-1])
@adjoint(np.correlate)
def correlate_adjoint(ct, ans, a, v, mode="valid"):
    return unconvolve(ct, a, v[::-1], mode), unconvolve(ct, v[::-1], a, mode)[::-1]


@tangent(np.correlate)
def correlate_tangent(t, ans, a, v, mode="valid"):
    return np.correlate(t, v, mode), np.correlate(a, t, mode)


# 3-vectors along the last axis
@adjoint(np.cross)
def cross_adjoint(ct, ans, a, b):
    return unbroadcast(np.cross(b, ct), a), unbroadcast(np.cross(ct, a), b)


@tangent(np.cross)
def cross_tangent(t, ans, a, b):
    return np.cross(t, b), np.cross(a, t)


@adjoint(np.kron)
def kron_adjoint(ct, ans, a, b):
    return unkron_left(ct, a, b), unkron_right(ct, a, b)


@tangent(np.kron)
def kron_tangent(t, ans, a, b):
    return np.kron(t, b), np.kron(a, t)


@adjoint(np.vdot)
def vdot_adjoint(ct, ans, a, b):
    return np.reshape(ct * np.ravel(b), np.shape(a)), np.reshape(ct * np.ravel(a), np.shape(b))


@tangent(np.vdot)
def vdot_tangent(t, ans, a, b):
    return np.vdot(t, b), np.vdot(a, t)


# vector products along an axis, broadcasting over the others (NumPy >= 2.2)
@_if_present(adjoint, "vecdot")
def vecdot_adjoint(ct, ans, x, y, axis=-1):
    return unbroadcast(np.expand_dims(ct, axis) * y, x), unbroadcast(np.expand_dims(ct, axis) * x, y)


@_if_present(tangent, "vecdot")
def vecdot_tangent(t, ans, x, y, axis=-1):
    return np.vecdot(t, y, axis=axis), np.vecdot(x, t, axis=axis)


@_if_present(adjoint, "matvec")
def matvec_adjoint(ct, ans, a, v):
    return unbroadcast(np.expand_dims(ct, -1) * np.expand_dims(v, -2), a), unbroadcast(np.vecmat(ct, a), v)


@_if_present(tangent, "matvec")
def matvec_tangent(t, ans, a, v):
    return np.matvec(t, v), np.matvec(a, t)


@_if_present(adjoint, "vecmat")
def vecmat_adjoint(ct, ans, v, a):
    return unbroadcast(np.matvec(a, ct), v), unbroadcast(np.expand_dims(v, -1) * np.expand_dims(ct, -2), a)


@_if_present(tangent, "vecmat")
def vecmat_tangent(t, ans, v, a):
    return np.vecmat(t, a), np.vecmat(v, t)


@_if_present(adjoint, "matrix_transpose")
def matrix_transpose_adjoint(ct, ans, x):
    return np.swapaxes(ct, -1, -2)


@_if_present(tangent, "matrix_transpose")
def matrix_transpose_tangent(t, ans, x):
    return np.swapaxes(t, -1, -2)


@_if_present(adjoint, "unstack")
def unstack_adjoint(ct, ans, x, axis=0):
    return np.stack(ct, axis=axis)


@_if_present(tangent, "unstack")
def unstack_tangent(t, ans, x, axis=0):
    return unstack(t, axis)


# the sample points x (or the spacing dx) are constants
@_if_present(adjoint, "trapezoid")
def trapezoid_adjoint(ct, ans, y, x=None, dx=1.0, axis=-1):
    return broadcast_like(np.expand_dims(ct, axis) * trapezoid_weights(y, x, dx, axis), y)


@_if_present(tangent, "trapezoid")
def trapezoid_tangent(t, ans, y, x=None, dx=1.0, axis=-1):
    return np.sum(t * trapezoid_weights(y, x, dx, axis), axis=axis)


# infinities and NaNs are replaced by constants: they receive no cotangent
@adjoint(np.nan_to_num)
def nan_to_num_adjoint(ct, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return ct * np.isfinite(x)


@tangent(np.nan_to_num)
def nan_to_num_tangent(t, ans, x, copy=True, nan=0.0, posinf=None, neginf=None):
    return t * np.isfinite(x)


# NaNs count as 1 and receive no cotangent; exact where x has zeros
@adjoint(np.nanprod)
def nanprod_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.where(np.isnan(x), 0.0, expand_reduced(ct, x, axis, keepdims)
                    * prod_others(np.where(np.isnan(x), 1.0, x), axis))


@tangent(np.nanprod)
def nanprod_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.sum(np.where(np.isnan(x), 0.0, t) * prod_others(np.where(np.isnan(x), 1.0, x), axis), axis=axis,
                  keepdims=keepdims)


@adjoint(np.resize)
def resize_adjoint(ct, ans, a, new_shape):
    return scatter_positions(ct, a, resize_positions(a, new_shape)), None


@tangent(np.resize)
def resize_tangent(t, ans, a, new_shape):
    return np.resize(t, new_shape), None


@adjoint(np.compress)
def compress_adjoint(ct, ans, condition, a, axis=None):
    return None, scatter_positions(ct, a, np.compress(condition, index_grid(a), axis))


@tangent(np.compress)
def compress_tangent(t, ans, condition, a, axis=None):
    return None, np.compress(condition, t, axis)


# x.compress(condition, axis): the array comes first
@adjoint(np.ndarray.compress)
def compress_method_adjoint(ct, ans, a, condition, axis=None):
    return scatter_positions(ct, a, np.compress(condition, index_grid(a), axis)), None


@tangent(np.ndarray.compress)
def compress_method_tangent(t, ans, a, condition, axis=None):
    return np.compress(condition, t, axis), None


@adjoint(np.extract)
def extract_adjoint(ct, ans, condition, arr):
    return None, scatter_positions(ct, arr, np.extract(condition, index_grid(arr)))


@tangent(np.extract)
def extract_tangent(t, ans, condition, arr):
    return None, np.extract(condition, t)


# Integer-valued, boolean and piecewise-constant functions; in-place methods (x.sort(),
# x.partition(), x.fill(), x.put(), x.resize()) have no rules at all, so they are refused.
nondifferentiable(
    np.bitwise_and, np.bitwise_or, np.bitwise_xor, np.invert, np.left_shift, np.right_shift,
    np.gcd, np.lcm, np.spacing, np.isreal, np.iscomplex, np.isneginf, np.isposinf, np.isnat,
    np.argpartition, np.ndarray.argpartition, np.ndarray.searchsorted, np.ndarray.round,
    np.digitize, np.argwhere, np.lexsort, np.isin, np.unravel_index, np.ravel_multi_index,
    np.tri, np.tril_indices, np.triu_indices, np.diag_indices, np.indices,
    np.iscomplexobj, np.isrealobj, np.isscalar, np.result_type, np.broadcast_shapes,
)


# ---- yet more: NaN statistics, covariance, choosing, casts, spaced ranges, items ------------------


# NaNs are left out: they receive no cotangent
@adjoint(np.nanvar)
def nanvar_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.where(np.isnan(x), 0.0, expand_reduced(ct, x, axis, keepdims) * 2.0
                    * (x - np.nanmean(x, axis=axis, keepdims=True))
                    / (np.sum(np.logical_not(np.isnan(x)), axis=axis, keepdims=True) - ddof))


@tangent(np.nanvar)
def nanvar_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.nansum(2.0 * t * (x - np.nanmean(x, axis=axis, keepdims=True))
                     / (np.sum(np.logical_not(np.isnan(x)), axis=axis, keepdims=True) - ddof),
                     axis=axis, keepdims=keepdims)


# NaNs are left out; where the std is 0 (a kink, as abs at 0) the subgradient is 0 (the deviations
# of NaNs are masked too: the reverse of this rule sums them against zero cotangents, NaN * 0)
@adjoint(np.nanstd)
def nanstd_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.where(np.isnan(x), 0.0, expand_reduced(ct / np.where(ans == 0, np.inf, ans), x, axis, keepdims)
                    * np.where(np.isnan(x), 0.0, x - np.nanmean(x, axis=axis, keepdims=True))
                    / (np.sum(np.logical_not(np.isnan(x)), axis=axis, keepdims=True) - ddof))


@tangent(np.nanstd)
def nanstd_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return np.nansum(t * (x - np.nanmean(x, axis=axis, keepdims=True))
                     / (np.sum(np.logical_not(np.isnan(x)), axis=axis, keepdims=True) - ddof),
                     axis=axis, keepdims=keepdims) / np.where(ans == 0, np.inf, ans)


# NaNs count as 1 and receive no cotangent
@adjoint(np.nancumprod)
def nancumprod_adjoint(ct, ans, x, axis=None, dtype=None, out=None):
    return np.where(np.isnan(x), 0.0, uncumprod(ct, np.where(np.isnan(x), 1.0, x), axis))


@tangent(np.nancumprod)
def nancumprod_tangent(t, ans, x, axis=None, dtype=None, out=None):
    return cumprod_jvp(np.where(np.isnan(x), 0.0, t), np.where(np.isnan(x), 1.0, x), axis)


# one data array (a second array y, fweights= and aweights= are refused); rows are variables
# unless rowvar=False
@adjoint(np.cov)
def cov_adjoint(ct, ans, m, y=None, rowvar=True, bias=False, ddof=None):
    return uncov(ct, m, y, rowvar, bias, ddof)


@tangent(np.cov)
def cov_tangent(t, ans, m, y=None, rowvar=True, bias=False, ddof=None):
    return cov_jvp(t, m, y, rowvar, bias, ddof)


@adjoint(np.choose, np.ndarray.choose)
def choose_adjoint(ct, ans, a, choices):
    return None, unchoose(ct, a, choices)


@tangent(np.choose, np.ndarray.choose)
def choose_tangent(t, ans, a, choices):
    return None, rechoose(t, a, ans)


# nextafter(x, y) is x moved by one unit in the last place
@adjoint(np.nextafter)
def nextafter_adjoint(ct, ans, x, y):
    return unbroadcast(ct, x), None


@tangent(np.nextafter)
def nextafter_tangent(t, ans, x, y):
    return broadcast_like(t, ans), None


# logspace(start, stop)[k] = base ** (start + (stop - start) s_k): the base is a constant
@adjoint(np.logspace)
def logspace_adjoint(ct, ans, start, stop, num=50, endpoint=True, base=10.0):
    return (unbroadcast(np.tensordot(np.linspace(1.0, 0.0, num, endpoint=endpoint), ct * ans * np.log(base), 1), start),
            unbroadcast(np.tensordot(np.linspace(0.0, 1.0, num, endpoint=endpoint), ct * ans * np.log(base), 1), stop))


@tangent(np.logspace)
def logspace_tangent(t, ans, start, stop, num=50, endpoint=True, base=10.0):
    return (ans * np.log(base) * np.linspace(t, 0.0, num, endpoint=endpoint),
            ans * np.log(base) * np.linspace(0.0, t, num, endpoint=endpoint))


# geomspace(start, stop)[k] = start * (stop / start) ** s_k
@adjoint(np.geomspace)
def geomspace_adjoint(ct, ans, start, stop, num=50, endpoint=True):
    return (unbroadcast(np.tensordot(np.linspace(1.0, 0.0, num, endpoint=endpoint), ct * ans, 1) / start, start),
            unbroadcast(np.tensordot(np.linspace(0.0, 1.0, num, endpoint=endpoint), ct * ans, 1) / stop, stop))


@tangent(np.geomspace)
def geomspace_tangent(t, ans, start, stop, num=50, endpoint=True):
    return (ans * np.linspace(t / start, 0.0, num, endpoint=endpoint),
            ans * np.linspace(0.0, t / stop, num, endpoint=endpoint))


# x.item(), x.item(i), x.item(i, j, ...) (up to four indices): one element as a Python number
@adjoint(np.ndarray.item)
def item_adjoint(ct, ans, x, i0=None, i1=None, i2=None, i3=None):
    return unitem(ct, x, (i0, i1, i2, i3))


@tangent(np.ndarray.item)
def item_tangent(t, ans, x, i0=None, i1=None, i2=None, i3=None):
    return item_of(t, (i0, i1, i2, i3))


@adjoint(np.ndarray.tolist)
def tolist_adjoint(ct, ans, x):
    return np.reshape(np.asarray(ct, dtype=float), np.shape(x))


@tangent(np.ndarray.tolist)
def tolist_tangent(t, ans, x):
    return np.asarray(t).tolist()


@_if_present(adjoint, "cumulative_sum")
def cumulative_sum_adjoint(ct, ans, x, axis=None, dtype=None, out=None, include_initial=False):
    return uncumulative(ct, x, axis, include_initial)


@_if_present(tangent, "cumulative_sum")
def cumulative_sum_tangent(t, ans, x, axis=None, dtype=None, out=None, include_initial=False):
    return np.cumulative_sum(t, axis=axis, include_initial=include_initial)


@_if_present(adjoint, "row_stack")
def row_stack_adjoint(ct, ans, tup):
    return unconcatenate(ct, tup, 0)


@_if_present(tangent, "row_stack")
def row_stack_tangent(t, ans, tup):
    return np.vstack(t)


nondifferentiable(np.nanargmax, np.nanargmin)


# ---- polynomials, counts, correlations, identities ------------------------------------------------


# the bin indices x are constants; the weights are differentiable
@adjoint(np.bincount, differentiable=("weights",))
def bincount_adjoint(ct, ans, x, weights=None, minlength=0):
    return np.take(ct, x)


@tangent(np.bincount, differentiable=("weights",))
def bincount_tangent(t, ans, x, weights=None, minlength=0):
    return np.bincount(x, t, minlength)


@adjoint(np.polyder)
def polyder_adjoint(ct, ans, p, m=1):
    return unpolyder(ct, p, m)


@tangent(np.polyder)
def polyder_tangent(t, ans, p, m=1):
    return np.polyder(t, m)


# the integration constants k are constants
@adjoint(np.polyint)
def polyint_adjoint(ct, ans, p, m=1, k=None):
    return unpolyint(ct, p, m)


@tangent(np.polyint)
def polyint_tangent(t, ans, p, m=1, k=None):
    return np.polyint(t, m)


# the shorter coefficient array is padded with leading zeros
@adjoint(np.polyadd)
def polyadd_adjoint(ct, ans, a1, a2):
    return ct[len(ct) - len(a1):], ct[len(ct) - len(a2):]


@tangent(np.polyadd)
def polyadd_tangent(t, ans, a1, a2):
    return np.pad(t, (len(ans) - len(t), 0)), np.pad(t, (len(ans) - len(t), 0))


@adjoint(np.polysub)
def polysub_adjoint(ct, ans, a1, a2):
    return ct[len(ct) - len(a1):], -ct[len(ct) - len(a2):]


@tangent(np.polysub)
def polysub_tangent(t, ans, a1, a2):
    return np.pad(t, (len(ans) - len(t), 0)), -np.pad(t, (len(ans) - len(t), 0))


@adjoint(np.vander)
def vander_adjoint(ct, ans, x, N=None, increasing=False):
    return np.sum(ct * power_slope(np.expand_dims(x, -1), vander_powers(x, N, increasing)), axis=-1)


@tangent(np.vander)
def vander_tangent(t, ans, x, N=None, increasing=False):
    return np.expand_dims(t, -1) * power_slope(np.expand_dims(x, -1), vander_powers(x, N, increasing))


# to_end and to_begin are constants
@adjoint(np.ediff1d)
def ediff1d_adjoint(ct, ans, ary, to_end=None, to_begin=None):
    return unediff1d(ct, ary, to_end, to_begin)


@tangent(np.ediff1d)
def ediff1d_tangent(t, ans, ary, to_end=None, to_begin=None):
    return ediff1d_jvp(t, to_end, to_begin)


# one data array (a second array y is refused); second derivatives are refused
@adjoint(np.corrcoef)
def corrcoef_adjoint(ct, ans, x, y=None, rowvar=True):
    return uncov(corrcoef_cov_ct(ct, ans, np.cov(x, y, rowvar)), x, y, rowvar)


@tangent(np.corrcoef)
def corrcoef_tangent(t, ans, x, y=None, rowvar=True):
    return corrcoef_jvp(cov_jvp(t, x, y, rowvar), ans, np.cov(x, y, rowvar))


# unwrap adds multiples of the period (piecewise constant); real_if_close and
# asarray_chkfinite return their argument's values (each rule names its options: a rule taking
# *options is called, not inlined, and cannot be differentiated again)
@adjoint(np.unwrap)
def unwrap_adjoint(ct, ans, p, discont=None, axis=-1, *, period=2 * np.pi):
    return ct


@tangent(np.unwrap)
def unwrap_tangent(t, ans, p, discont=None, axis=-1, *, period=2 * np.pi):
    return t


@adjoint(np.real_if_close)
def real_if_close_adjoint(ct, ans, a, tol=100):
    return ct


@tangent(np.real_if_close)
def real_if_close_tangent(t, ans, a, tol=100):
    return t


@adjoint(np.asarray_chkfinite)
def asarray_chkfinite_adjoint(ct, ans, a, dtype=None, order=None):
    return ct


@tangent(np.asarray_chkfinite)
def asarray_chkfinite_tangent(t, ans, a, dtype=None, order=None):
    return t


nondifferentiable(np.einsum_path, np.diag_indices_from, np.tril_indices_from, np.triu_indices_from,
                  np.mask_indices)
