"""Derivative rules for the run-time helpers that generated derivatives call (`sourcead.runtime`).

A first derivative calls these helpers with active arguments, so differentiating it again (a
Hessian, forward-over-reverse) needs their rules. Most helpers are linear in their first argument
and come in adjoint pairs: the adjoint of `unbroadcast` is `broadcast_like` and back again, the
adjoint of a product's cotangent helper is the product itself or its partner helper. Helpers that
only compute piecewise-constant weights (ties, masks, axes) carry no derivative.
"""

from __future__ import annotations

import numpy as np

from .. import runtime
from ..runtime import (as_gradient, broadcast_like, cast_like, einsum_adjoint_left, einsum_adjoint_right,
                        expand_reduced, matmul_adjoint_left, matmul_adjoint_right, norm_weight_dnorm,
                        norm_weight_dx, reconcatenate,
                        tensordot_adjoint_left, tensordot_adjoint_right, unbroadcast, unconcatenate,
                        uncumsum, unindex, unpack_like, unrepeat, unstack, unsum, untile, untrace)
from .registry import adjoint, nondifferentiable, tangent

# Broadcasting and reductions: unbroadcast and broadcast_like are each other's adjoints


@adjoint(runtime.unbroadcast)
def unbroadcast_adjoint(ct, ans, g, x):
    return broadcast_like(ct, g), None


@tangent(runtime.unbroadcast)
def unbroadcast_tangent(t, ans, g, x):
    return unbroadcast(t, x), None


@adjoint(runtime.broadcast_like)
def broadcast_like_adjoint(ct, ans, g, x):
    return unbroadcast(ct, g), None


@tangent(runtime.broadcast_like)
def broadcast_like_tangent(t, ans, g, x):
    return broadcast_like(t, x), None


@adjoint(runtime.expand_reduced)
def expand_reduced_adjoint(ct, ans, g, x, axis=None, keepdims=False):
    return np.sum(ct, axis=axis, keepdims=keepdims), None


@tangent(runtime.expand_reduced)
def expand_reduced_tangent(t, ans, g, x, axis=None, keepdims=False):
    return expand_reduced(t, x, axis, keepdims), None


# d/dx of prod_others uses the products over the others divided by x: exact only where x != 0
@adjoint(runtime.prod_others)
def prod_others_adjoint(ct, ans, x, axis=None):
    return ans * (np.sum(ct / x, axis=axis, keepdims=True) - ct / x)


@tangent(runtime.prod_others)
def prod_others_tangent(t, ans, x, axis=None):
    return ans * (np.sum(t / x, axis=axis, keepdims=True) - t / x)


# norm_weight(x, norm): the weight of x_i depends on x_i and on its group's norm only
@adjoint(runtime.norm_weight)
def norm_weight_adjoint(ct, ans, x, norm, ord=None, axis=None, keepdims=False):
    return (ct * norm_weight_dx(x, norm, ord, axis, keepdims),
            np.sum(ct * norm_weight_dnorm(x, norm, ord, axis, keepdims), axis=axis, keepdims=keepdims))


@tangent(runtime.norm_weight)
def norm_weight_tangent(t, ans, x, norm, ord=None, axis=None, keepdims=False):
    return (t * norm_weight_dx(x, norm, ord, axis, keepdims),
            expand_reduced(t, x, axis, keepdims) * norm_weight_dnorm(x, norm, ord, axis, keepdims))


@adjoint(runtime.log_or_zero)
def log_or_zero_adjoint(ct, ans, x):
    return ct / np.where(x == 0, np.inf, x)


@tangent(runtime.log_or_zero)
def log_or_zero_tangent(t, ans, x):
    return t / np.where(x == 0, np.inf, x)


# Products. For a bilinear p(a, b), left(g, a, b) is v -> p(v, b) transposed, so its adjoint in g
# is p(ct, b) and its adjoint in b is right(g, ct, b); right(g, a, b) mirrors it.


@adjoint(runtime.tensordot_adjoint_left)
def tensordot_left_adjoint(ct, ans, g, a, b, axes=2):
    return np.tensordot(ct, b, axes), None, tensordot_adjoint_right(g, ct, b, axes)


@tangent(runtime.tensordot_adjoint_left)
def tensordot_left_tangent(t, ans, g, a, b, axes=2):
    return tensordot_adjoint_left(t, a, b, axes), None, tensordot_adjoint_left(g, a, t, axes)


@adjoint(runtime.tensordot_adjoint_right)
def tensordot_right_adjoint(ct, ans, g, a, b, axes=2):
    return np.tensordot(a, ct, axes), tensordot_adjoint_left(g, a, ct, axes), None


@tangent(runtime.tensordot_adjoint_right)
def tensordot_right_tangent(t, ans, g, a, b, axes=2):
    return tensordot_adjoint_right(t, a, b, axes), tensordot_adjoint_right(g, t, b, axes), None


@adjoint(runtime.matmul_adjoint_left)
def matmul_left_adjoint(ct, ans, g, a, b):
    return np.matmul(ct, b), None, matmul_adjoint_right(g, ct, b)


@tangent(runtime.matmul_adjoint_left)
def matmul_left_tangent(t, ans, g, a, b):
    return matmul_adjoint_left(t, a, b), None, matmul_adjoint_left(g, a, t)


@adjoint(runtime.matmul_adjoint_right)
def matmul_right_adjoint(ct, ans, g, a, b):
    return np.matmul(a, ct), matmul_adjoint_left(g, a, ct), None


@tangent(runtime.matmul_adjoint_right)
def matmul_right_tangent(t, ans, g, a, b):
    return matmul_adjoint_right(t, a, b), matmul_adjoint_right(g, t, b), None


@adjoint(runtime.einsum_adjoint_left)
def einsum_left_adjoint(ct, ans, g, subscripts, a, b):
    return np.einsum(subscripts, ct, b), None, None, einsum_adjoint_right(g, subscripts, ct, b)


@tangent(runtime.einsum_adjoint_left)
def einsum_left_tangent(t, ans, g, subscripts, a, b):
    return einsum_adjoint_left(t, subscripts, a, b), None, None, einsum_adjoint_left(g, subscripts, a, t)


@adjoint(runtime.einsum_adjoint_right)
def einsum_right_adjoint(ct, ans, g, subscripts, a, b):
    return np.einsum(subscripts, a, ct), None, einsum_adjoint_left(g, subscripts, a, ct), None


@tangent(runtime.einsum_adjoint_right)
def einsum_right_tangent(t, ans, g, subscripts, a, b):
    return einsum_adjoint_right(t, subscripts, a, b), None, einsum_adjoint_right(g, subscripts, t, b), None


# Scatters and their gathers: each helper is linear in g; its adjoint is the primal operation


@adjoint(runtime.unindex)
def unindex_adjoint(ct, ans, g, x, idx):
    return ct[idx], None, None


@tangent(runtime.unindex)
def unindex_tangent(t, ans, g, x, idx):
    return unindex(t, x, idx), None, None


@adjoint(runtime.untrace)
def untrace_adjoint(ct, ans, g, x, offset=0, axis1=0, axis2=1):
    return np.trace(ct, offset, axis1, axis2), None


@tangent(runtime.untrace)
def untrace_tangent(t, ans, g, x, offset=0, axis1=0, axis2=1):
    return untrace(t, x, offset, axis1, axis2), None


@adjoint(runtime.unrepeat)
def unrepeat_adjoint(ct, ans, g, x, repeats, axis=None):
    return np.repeat(ct, repeats, axis), None, None


@tangent(runtime.unrepeat)
def unrepeat_tangent(t, ans, g, x, repeats, axis=None):
    return unrepeat(t, x, repeats, axis), None, None


@adjoint(runtime.untile)
def untile_adjoint(ct, ans, g, x, reps):
    return np.tile(ct, reps), None, None


@tangent(runtime.untile)
def untile_tangent(t, ans, g, x, reps):
    return untile(t, x, reps), None, None


@adjoint(runtime.uncumsum)
def uncumsum_adjoint(ct, ans, g, x, axis=None):
    return np.cumsum(ct, axis=axis), None


@tangent(runtime.uncumsum)
def uncumsum_tangent(t, ans, g, x, axis=None):
    return uncumsum(t, x, axis), None


# Splitting and joining sequences: unconcatenate and reconcatenate are each other's adjoints


@adjoint(runtime.unconcatenate)
def unconcatenate_adjoint(ct, ans, g, arrays, axis=0):
    return reconcatenate(ct, g, axis), None


@tangent(runtime.unconcatenate)
def unconcatenate_tangent(t, ans, g, arrays, axis=0):
    return unconcatenate(t, arrays, axis), None


@adjoint(runtime.reconcatenate)
def reconcatenate_adjoint(ct, ans, pieces, like, axis=0):
    return unconcatenate(ct, pieces, axis), None


@tangent(runtime.reconcatenate)
def reconcatenate_tangent(t, ans, pieces, like, axis=0):
    return reconcatenate(t, like, axis), None


@adjoint(runtime.unstack)
def unstack_adjoint(ct, ans, g, axis=0):
    return np.stack(ct, axis=axis)


@tangent(runtime.unstack)
def unstack_tangent(t, ans, g, axis=0):
    return unstack(t, axis)


@adjoint(runtime.unsum)
def unsum_adjoint(ct, ans, g, xs):
    return sum(ct), None


@tangent(runtime.unsum)
def unsum_tangent(t, ans, g, xs):
    return unsum(t, xs), None


@adjoint(runtime.unpack_like)
def unpack_like_adjoint(ct, ans, g, obj, dtype=None):
    return cast_like(np.array(ct), g, dtype), None


@tangent(runtime.unpack_like)
def unpack_like_tangent(t, ans, g, obj, dtype=None):
    return unpack_like(t, obj, dtype), None


# Casts and conversions


@adjoint(runtime.cast_like)
def cast_like_adjoint(ct, ans, g, like, dtype=None):
    return cast_like(ct, g, dtype), None


@tangent(runtime.cast_like)
def cast_like_tangent(t, ans, g, like, dtype=None):
    return cast_like(t, like, dtype), None


@adjoint(runtime.to_float)
def to_float_adjoint(ct, ans, x):
    return ct


@tangent(runtime.to_float)
def to_float_tangent(t, ans, x):
    return t


@adjoint(runtime.as_gradient)
def as_gradient_adjoint(ct, ans, g, x):
    return unbroadcast(ct, g), None


@tangent(runtime.as_gradient)
def as_gradient_tangent(t, ans, g, x):
    return as_gradient(t, x), None


# Weights, masks and axis bookkeeping: piecewise constant or integer-valued.
nondifferentiable(
    runtime.tie_share, runtime.extremum_share, runtime.clip_mask, runtime.dot_axes,
    runtime.inner_axes, runtime.inverse_axes, runtime.transpose_axes, runtime.hstack_axis,
    runtime.ones_like_output, runtime.zeros_like_input,
)


# add_cotangents: the sum of two cotangents of any structure (linear in both)
@adjoint(runtime.add_cotangents)
def add_cotangents_adjoint(ct, ans, a, b):
    return ct, ct


@tangent(runtime.add_cotangents)
def add_cotangents_tangent(t, ans, a, b):
    return t, t
