"""Derivative rules for NumPy: elementwise functions, reductions, linear algebra, shapes.

Rules are keyed by the NumPy objects themselves: ``np.sum`` for the function, the unbound
``np.ndarray.sum`` for the method (its array is the first argument), the descriptor
``np.ndarray.T`` for the attribute. Parameters mirror NumPy's positional order, so ``np.sum(x, 0)``
binds ``axis``. Arithmetic ufuncs (np.add, np.multiply, np.power, np.matmul, ...) share the
operator rules in `arith`.

Where a function is not differentiable at a point the rules pick a subgradient: ties of
np.maximum/np.minimum give each side half, ties of a max/min reduction share the cotangent evenly,
np.abs has derivative 0 at 0, a tie of np.clip goes to x.
"""

from __future__ import annotations

import math

import numpy as np

from ..runtime import (broadcast_like, cast_like, clip_mask, dot_axes, einsum_adjoint_left,
                        einsum_adjoint_right, expand_reduced, extremum_share, hstack_axis, inner_axes,
                        inverse_axes, norm_weight, prod_others, tensordot_adjoint_left,
                        tensordot_adjoint_right, tie_share, unbroadcast,
                        unconcatenate, uncumsum, unpack_like, unrepeat, unstack, untile, untrace)
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
    return ct / (1.0 - x ** 2)


@tangent(np.arctanh)
def arctanh_tangent(t, ans, x):
    return t / (1.0 - x ** 2)


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
    return ct / x


@tangent(np.log)
def log_tangent(t, ans, x):
    return t / x


@adjoint(np.log2)
def log2_adjoint(ct, ans, x):
    return ct / (x * math.log(2.0))


@tangent(np.log2)
def log2_tangent(t, ans, x):
    return t / (x * math.log(2.0))


@adjoint(np.log10)
def log10_adjoint(ct, ans, x):
    return ct / (x * math.log(10.0))


@tangent(np.log10)
def log10_tangent(t, ans, x):
    return t / (x * math.log(10.0))


@adjoint(np.log1p)
def log1p_adjoint(ct, ans, x):
    return ct / (1.0 + x)


@tangent(np.log1p)
def log1p_tangent(t, ans, x):
    return t / (1.0 + x)


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
    return ct * np.sign(x)


@tangent(np.absolute, np.fabs)
def absolute_tangent(t, ans, x):
    return t * np.sign(x)


@adjoint(np.maximum, np.minimum, np.fmax, np.fmin)
def maximum_minimum_adjoint(ct, ans, x, y):
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
    return (unbroadcast(ct * clip_mask(x, a_min, a_max, "x"), x),
            unbroadcast(ct * clip_mask(x, a_min, a_max, "a_min"), a_min),
            unbroadcast(ct * clip_mask(x, a_min, a_max, "a_max"), a_max))


@tangent(np.clip, np.ndarray.clip)
def clip_tangent(t, ans, x, a_min, a_max):
    return (t * clip_mask(x, a_min, a_max, "x"),
            t * clip_mask(x, a_min, a_max, "a_min"),
            t * clip_mask(x, a_min, a_max, "a_max"))


# Reductions over `axis` (None: all axes), with keepdims; functions and methods alike


@adjoint(np.sum, np.ndarray.sum)
def sum_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return expand_reduced(ct, x, axis, keepdims)


@tangent(np.sum, np.ndarray.sum)
def sum_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.sum(t, axis=axis, keepdims=keepdims)


# each element of x counts size(x) / size(ans) times less than the sum
@adjoint(np.mean, np.ndarray.mean)
def mean_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return expand_reduced(ct * (np.size(ans) / np.size(x)), x, axis, keepdims)


@tangent(np.mean, np.ndarray.mean)
def mean_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.mean(t, axis=axis, keepdims=keepdims)


@adjoint(np.prod, np.ndarray.prod)
def prod_adjoint(ct, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return expand_reduced(ct, x, axis, keepdims) * prod_others(x, axis)


@tangent(np.prod, np.ndarray.prod)
def prod_tangent(t, ans, x, axis=None, dtype=None, out=None, keepdims=False):
    return np.sum(t * prod_others(x, axis), axis=axis, keepdims=keepdims)


@adjoint(np.max, np.amax, np.ndarray.max, np.min, np.amin, np.ndarray.min)
def max_min_adjoint(ct, ans, x, axis=None, out=None, keepdims=False):
    return expand_reduced(ct, x, axis, keepdims) * extremum_share(x, ans, axis, keepdims)


@tangent(np.max, np.amax, np.ndarray.max, np.min, np.amin, np.ndarray.min)
def max_min_tangent(t, ans, x, axis=None, out=None, keepdims=False):
    return np.sum(t * extremum_share(x, ans, axis, keepdims), axis=axis, keepdims=keepdims)


# var = sum((x - mean)**2) / (n - ddof), n = size(x) / size(ans) elements per result
@adjoint(np.var, np.ndarray.var)
def var_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return (expand_reduced(ct * (2.0 / (np.size(x) / np.size(ans) - ddof)), x, axis, keepdims)
            * (x - np.mean(x, axis=axis, keepdims=True)))


@tangent(np.var, np.ndarray.var)
def var_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return (np.sum(t * (x - np.mean(x, axis=axis, keepdims=True)), axis=axis, keepdims=keepdims)
            * (2.0 / (np.size(x) / np.size(ans) - ddof)))


@adjoint(np.std, np.ndarray.std)
def std_adjoint(ct, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return (expand_reduced(ct / (ans * (np.size(x) / np.size(ans) - ddof)), x, axis, keepdims)
            * (x - np.mean(x, axis=axis, keepdims=True)))


@tangent(np.std, np.ndarray.std)
def std_tangent(t, ans, x, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    return (np.sum(t * (x - np.mean(x, axis=axis, keepdims=True)), axis=axis, keepdims=keepdims)
            / (ans * (np.size(x) / np.size(ans) - ddof)))


# vector p-norms (2, 1, inf, -inf, any p) and the Frobenius norm of matrices
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


# einsum with two operands; '...' and repeated subscripts (diagonals) are supported
@adjoint(np.einsum)
def einsum_adjoint(ct, ans, subscripts, x, y, optimize=False):
    return None, einsum_adjoint_left(ct, subscripts, x, y), einsum_adjoint_right(ct, subscripts, x, y)


@tangent(np.einsum)
def einsum_tangent(t, ans, subscripts, x, y, optimize=False):
    return None, np.einsum(subscripts, t, y, optimize=optimize), np.einsum(subscripts, x, t, optimize=optimize)


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
@adjoint(np.array, np.asarray)
def array_adjoint(ct, ans, obj, dtype=None, copy=True, order="K"):
    return unpack_like(ct, obj, dtype)


@tangent(np.array, np.asarray)
def array_tangent(t, ans, obj, dtype=None, copy=True, order="K"):
    return cast_like(np.array(t), ans, dtype)


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
