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
from ..runtime import (as_gradient, broadcast_like, cast_like, cov_jvp, cumprod_hvp, cumprod_jvp, cumprod_second,
                        diagonal_of, diff_jvp, ediff1d_jvp,
                        einsum_cospec, einsum_general, expand_reduced, gather_positions, gradient_of,
                        interp_bound, interp_slope, item_of, log_or_zero, matmul_adjoint_left,
                        matmul_adjoint_right, norm_weight_dnorm, norm_weight_dx, permute, power_slope,
                        quantile_jvp, rechoose, reconcatenate, reselect, scatter_positions, sinc_curvature,
                        tensordot_adjoint_left, tensordot_adjoint_right, unbroadcast, unchoose,
                        unconcatenate, unconvolve, uncov, uncumprod, uncumsum, uncumulative, undiag,
                        undiagonal, undiff, unediff1d, ungradient, unindex, uninterp, unitem, unkron_left,
                        unkron_right, unpack_like, unpermute, unpolyder, unpolyint, unpolyval, unquantile,
                        unrepeat, unselect, unslope, unstack, unsum, untake, untake_along, untile, untrace,
                        weights_back, weights_like)
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
def norm_weight_adjoint(ct, ans, x, norm, ord=None, axis=None, keepdims=False, vector=False):
    return (ct * norm_weight_dx(x, norm, ord, axis, keepdims, vector),
            np.sum(ct * norm_weight_dnorm(x, norm, ord, axis, keepdims, vector), axis=axis, keepdims=keepdims))


@tangent(runtime.norm_weight)
def norm_weight_tangent(t, ans, x, norm, ord=None, axis=None, keepdims=False, vector=False):
    return (t * norm_weight_dx(x, norm, ord, axis, keepdims, vector),
            expand_reduced(t, x, axis, keepdims) * norm_weight_dnorm(x, norm, ord, axis, keepdims, vector))


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
    runtime.ones_like_output, runtime.zeros_like_input, runtime.shape_of, runtime.kept_count,
)


# add_cotangents: the sum of two cotangents of any structure (linear in both)
@adjoint(runtime.add_cotangents)
def add_cotangents_adjoint(ct, ans, a, b):
    return ct, ct


@tangent(runtime.add_cotangents)
def add_cotangents_tangent(t, ans, a, b):
    return t, t


# ---- helpers of the NumPy rules -----------------------------------------------------------------


# d/dy of y * x**(y - 1) is x**(y - 1) * (1 + y log x): infinite at x == 0 for y < 1, as it is
@adjoint(runtime.power_slope)
def power_slope_adjoint(ct, ans, x, y):
    return (unbroadcast(ct * y * power_slope(x, y - 1), x),
            unbroadcast(ct * (np.power(x, y - 1) + ans * log_or_zero(x)), y))


@tangent(runtime.power_slope)
def power_slope_tangent(t, ans, x, y):
    return t * y * power_slope(x, y - 1), t * (np.power(x, y - 1) + ans * log_or_zero(x))


@adjoint(runtime.sinc_slope)
def sinc_slope_adjoint(ct, ans, x):
    return ct * sinc_curvature(x)


@tangent(runtime.sinc_slope)
def sinc_slope_tangent(t, ans, x):
    return t * sinc_curvature(x)


# cumprod's adjoint and tangent are linear in g (t) and each other's transposes; along x both are
# its second derivative (exact with zeros), which has no rules: third derivatives are refused
@adjoint(runtime.uncumprod)
def uncumprod_adjoint(ct, ans, g, x, axis=None):
    return cumprod_jvp(ct, x, axis), cumprod_hvp(g, ct, x, axis)


@tangent(runtime.uncumprod)
def uncumprod_tangent(t, ans, g, x, axis=None):
    return uncumprod(t, x, axis), cumprod_hvp(g, t, x, axis)


@adjoint(runtime.cumprod_jvp)
def cumprod_jvp_adjoint(ct, ans, g, x, axis=None):
    return uncumprod(ct, x, axis), cumprod_hvp(ct, g, x, axis)


@tangent(runtime.cumprod_jvp)
def cumprod_jvp_tangent(t, ans, g, x, axis=None):
    return cumprod_jvp(t, x, axis), cumprod_second(g, t, x, axis)


# np.average's weights: spreading over a's shape and summing back are each other's adjoints
@adjoint(runtime.weights_like)
def weights_like_adjoint(ct, ans, w, a, axis=None, returned=False):
    return weights_back(ct, w, axis), None


@tangent(runtime.weights_like)
def weights_like_tangent(t, ans, w, a, axis=None, returned=False):
    return weights_like(t, a, axis, returned), None


@adjoint(runtime.weights_back)
def weights_back_adjoint(ct, ans, g, w, axis=None):
    return weights_like(ct, g, axis), None


@tangent(runtime.weights_back)
def weights_back_tangent(t, ans, g, w, axis=None):
    return weights_back(t, w, axis), None


# quantile weights are piecewise constant in x: these helpers are linear in g and flat in x
@adjoint(runtime.unquantile, differentiable=("g", "x"))
def unquantile_adjoint(ct, ans, g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False,
                       skip_nan=False):
    return quantile_jvp(ct, x, q, axis, keepdims, method, overwrite_input, skip_nan), None


@tangent(runtime.unquantile, differentiable=("g", "x"))
def unquantile_tangent(t, ans, g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False,
                       skip_nan=False):
    return unquantile(t, x, q, axis, keepdims, method, overwrite_input, skip_nan), None


@adjoint(runtime.quantile_jvp, differentiable=("g", "x"))
def quantile_jvp_adjoint(ct, ans, g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False,
                         skip_nan=False):
    return unquantile(ct, x, q, axis, keepdims, method, overwrite_input, skip_nan), None


@tangent(runtime.quantile_jvp, differentiable=("g", "x"))
def quantile_jvp_tangent(t, ans, g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False,
                         skip_nan=False):
    return quantile_jvp(t, x, q, axis, keepdims, method, overwrite_input, skip_nan), None


@adjoint(runtime.undiff)
def undiff_adjoint(ct, ans, g, x, n=1, axis=-1, prepend=None, append=None):
    return diff_jvp(ct, x, n, axis, prepend, append), None


@tangent(runtime.undiff)
def undiff_tangent(t, ans, g, x, n=1, axis=-1, prepend=None, append=None):
    return undiff(t, x, n, axis, prepend, append), None


@adjoint(runtime.diff_jvp)
def diff_jvp_adjoint(ct, ans, g, x, n=1, axis=-1, prepend=None, append=None):
    return undiff(ct, x, n, axis, prepend, append), None


@tangent(runtime.diff_jvp)
def diff_jvp_tangent(t, ans, g, x, n=1, axis=-1, prepend=None, append=None):
    return diff_jvp(t, x, n, axis, prepend, append), None


@adjoint(runtime.ungradient)
def ungradient_adjoint(ct, ans, g, f, spacing=None, axis=None, edge_order=1):
    return gradient_of(ct, spacing, axis, edge_order), None


@tangent(runtime.ungradient)
def ungradient_tangent(t, ans, g, f, spacing=None, axis=None, edge_order=1):
    return ungradient(t, f, spacing, axis, edge_order), None


@adjoint(runtime.gradient_of)
def gradient_of_adjoint(ct, ans, g, spacing=None, axis=None, edge_order=1):
    return ungradient(ct, g, spacing, axis, edge_order)


@tangent(runtime.gradient_of)
def gradient_of_tangent(t, ans, g, spacing=None, axis=None, edge_order=1):
    return gradient_of(t, spacing, axis, edge_order)


# Scatters and gathers by position (index-moving functions: pad, insert, append, delete)


@adjoint(runtime.scatter_positions)
def scatter_positions_adjoint(ct, ans, g, x, positions):
    return unbroadcast(gather_positions(ct, positions), g), None, None


@tangent(runtime.scatter_positions)
def scatter_positions_tangent(t, ans, g, x, positions):
    return scatter_positions(t, x, positions), None, None


@adjoint(runtime.gather_positions)
def gather_positions_adjoint(ct, ans, g, positions):
    return scatter_positions(ct, g, positions), None


@tangent(runtime.gather_positions)
def gather_positions_tangent(t, ans, g, positions):
    return gather_positions(t, positions), None


@adjoint(runtime.unpermute)
def unpermute_adjoint(ct, ans, g, perm, axis=-1):
    return np.reshape(permute(ct, perm, axis), np.shape(g)), None


@tangent(runtime.unpermute)
def unpermute_tangent(t, ans, g, perm, axis=-1):
    return unpermute(t, perm, axis), None


@adjoint(runtime.permute)
def permute_adjoint(ct, ans, g, perm, axis=-1):
    return np.reshape(unpermute(ct, perm, axis), np.shape(g)), None


@tangent(runtime.permute)
def permute_tangent(t, ans, g, perm, axis=-1):
    return permute(t, perm, axis), None


@adjoint(runtime.untake)
def untake_adjoint(ct, ans, g, x, indices, axis=None):
    return np.take(ct, indices, axis), None, None


@tangent(runtime.untake)
def untake_tangent(t, ans, g, x, indices, axis=None):
    return untake(t, x, indices, axis), None, None


@adjoint(runtime.untake_along)
def untake_along_adjoint(ct, ans, g, x, indices, axis=-1):
    return np.take_along_axis(ct, indices, axis), None, None


@tangent(runtime.untake_along)
def untake_along_tangent(t, ans, g, x, indices, axis=-1):
    return untake_along(t, x, indices, axis), None, None


@adjoint(runtime.undiagonal)
def undiagonal_adjoint(ct, ans, g, x, offset=0, axis1=0, axis2=1):
    return diagonal_of(ct, offset, axis1, axis2), None


@tangent(runtime.undiagonal)
def undiagonal_tangent(t, ans, g, x, offset=0, axis1=0, axis2=1):
    return undiagonal(t, x, offset, axis1, axis2), None


@adjoint(runtime.diagonal_of)
def diagonal_of_adjoint(ct, ans, g, offset=0, axis1=0, axis2=1):
    return undiagonal(ct, g, offset, axis1, axis2)


@tangent(runtime.diagonal_of)
def diagonal_of_tangent(t, ans, g, offset=0, axis1=0, axis2=1):
    return diagonal_of(t, offset, axis1, axis2)


@adjoint(runtime.undiag)
def undiag_adjoint(ct, ans, g, v, k=0):
    return np.array(np.diag(ct, k)), None


@tangent(runtime.undiag)
def undiag_tangent(t, ans, g, v, k=0):
    return undiag(t, v, k), None


# Bilinear products: as for tensordot above, each helper's adjoint is the product or its partner


@adjoint(runtime.unconvolve)
def unconvolve_adjoint(ct, ans, g, a, v, mode="full"):
    return np.convolve(ct, v, mode), None, unconvolve(g, v, ct, mode)


@tangent(runtime.unconvolve)
def unconvolve_tangent(t, ans, g, a, v, mode="full"):
    return unconvolve(t, a, v, mode), None, unconvolve(g, a, t, mode)


@adjoint(runtime.unkron_left)
def unkron_left_adjoint(ct, ans, g, a, b):
    return np.kron(ct, b), None, unkron_right(g, ct, b)


@tangent(runtime.unkron_left)
def unkron_left_tangent(t, ans, g, a, b):
    return unkron_left(t, a, b), None, unkron_left(g, a, t)


@adjoint(runtime.unkron_right)
def unkron_right_adjoint(ct, ans, g, a, b):
    return np.kron(a, ct), unkron_left(g, a, ct), None


@tangent(runtime.unkron_right)
def unkron_right_tangent(t, ans, g, a, b):
    return unkron_right(t, a, b), unkron_right(g, t, b), None


# np.polyval's coefficient cotangent: linear in g, a polynomial in x
# (p is read for its length only: it varies when polyval is differentiated twice in p)
@adjoint(runtime.unpolyval, differentiable=("g", "p", "x"))
def unpolyval_adjoint(ct, ans, g, p, x):
    return np.polyval(ct, x), None, g * np.polyval(ct[:-1] * np.arange(len(ct) - 1, 0, -1), x)


@tangent(runtime.unpolyval, differentiable=("g", "p", "x"))
def unpolyval_tangent(t, ans, g, p, x):
    return unpolyval(t, p, x), None, np.append(unpolyval(g * t, p[:-1], x) * np.arange(len(p) - 1, 0, -1), 0.0)


# np.interp's helpers: linear in g and fp, piecewise linear (or constant) in x
@adjoint(runtime.uninterp, differentiable=("g", "x"))
def uninterp_adjoint(ct, ans, g, x, xp, fp, left=None, right=None):
    return np.interp(x, xp, ct, interp_bound(left), interp_bound(right)), g * interp_slope(x, xp, ct, left, right)


@tangent(runtime.uninterp, differentiable=("g", "x"))
def uninterp_tangent(t, ans, g, x, xp, fp, left=None, right=None):
    return uninterp(t, x, xp, fp, left, right), unslope(g * t, x, xp, fp, left, right)


@adjoint(runtime.interp_slope, differentiable=("x", "fp"))
def interp_slope_adjoint(ct, ans, x, xp, fp, left=None, right=None):
    return None, unslope(ct, x, xp, fp, left, right)


@tangent(runtime.interp_slope, differentiable=("x", "fp"))
def interp_slope_tangent(t, ans, x, xp, fp, left=None, right=None):
    return None, interp_slope(x, xp, t, left, right)


@adjoint(runtime.unslope, differentiable=("g", "x"))
def unslope_adjoint(ct, ans, g, x, xp, fp, left=None, right=None):
    return interp_slope(x, xp, ct, left, right), None


@tangent(runtime.unslope, differentiable=("g", "x"))
def unslope_tangent(t, ans, g, x, xp, fp, left=None, right=None):
    return unslope(t, x, xp, fp, left, right), None


@adjoint(runtime.unselect)
def unselect_adjoint(ct, ans, g, condlist, choicelist):
    return reselect(ct, condlist, g), None, None


@tangent(runtime.unselect)
def unselect_tangent(t, ans, g, condlist, choicelist):
    return unselect(t, condlist, choicelist), None, None


@adjoint(runtime.reselect)
def reselect_adjoint(ct, ans, g, condlist, like):
    return unselect(ct, condlist, g), None, None


@tangent(runtime.reselect)
def reselect_tangent(t, ans, g, condlist, like):
    return reselect(t, condlist, like), None, None


# einsum_general is multilinear in its slots: the cotangent of slot k is the product its cospec
# describes, with the result's cotangent in slot k
_SLOTS = ("a0", "a1", "a2", "a3", "a4", "a5", "a6")


@adjoint(runtime.einsum_general, differentiable=_SLOTS)
def einsum_general_adjoint(ct, ans, spec, a0=None, a1=None, a2=None, a3=None, a4=None, a5=None, a6=None):
    return (einsum_general(einsum_cospec(spec, 0), ct, a1, a2, a3, a4, a5, a6),
            einsum_general(einsum_cospec(spec, 1), a0, ct, a2, a3, a4, a5, a6),
            einsum_general(einsum_cospec(spec, 2), a0, a1, ct, a3, a4, a5, a6),
            einsum_general(einsum_cospec(spec, 3), a0, a1, a2, ct, a4, a5, a6),
            einsum_general(einsum_cospec(spec, 4), a0, a1, a2, a3, ct, a5, a6),
            einsum_general(einsum_cospec(spec, 5), a0, a1, a2, a3, a4, ct, a6),
            einsum_general(einsum_cospec(spec, 6), a0, a1, a2, a3, a4, a5, ct))


@tangent(runtime.einsum_general, differentiable=_SLOTS)
def einsum_general_tangent(t, ans, spec, a0=None, a1=None, a2=None, a3=None, a4=None, a5=None, a6=None):
    return (einsum_general(spec, t, a1, a2, a3, a4, a5, a6),
            einsum_general(spec, a0, t, a2, a3, a4, a5, a6),
            einsum_general(spec, a0, a1, t, a3, a4, a5, a6),
            einsum_general(spec, a0, a1, a2, t, a4, a5, a6),
            einsum_general(spec, a0, a1, a2, a3, t, a5, a6),
            einsum_general(spec, a0, a1, a2, a3, a4, t, a6),
            einsum_general(spec, a0, a1, a2, a3, a4, a5, t))


# np.cov's helpers are bilinear in (g, m) and (t, m): each one's partner is its adjoint
@adjoint(runtime.uncov)
def uncov_adjoint(ct, ans, g, m, y=None, rowvar=True, bias=False, ddof=None):
    return cov_jvp(ct, m, y, rowvar, bias, ddof), uncov(g, ct, y, rowvar, bias, ddof)


@tangent(runtime.uncov)
def uncov_tangent(t, ans, g, m, y=None, rowvar=True, bias=False, ddof=None):
    return uncov(t, m, y, rowvar, bias, ddof), uncov(g, t, y, rowvar, bias, ddof)


@adjoint(runtime.cov_jvp)
def cov_jvp_adjoint(ct, ans, g, m, y=None, rowvar=True, bias=False, ddof=None):
    return uncov(ct, m, y, rowvar, bias, ddof), uncov(ct, g, y, rowvar, bias, ddof)


@tangent(runtime.cov_jvp)
def cov_jvp_tangent(t, ans, g, m, y=None, rowvar=True, bias=False, ddof=None):
    return cov_jvp(t, m, y, rowvar, bias, ddof), cov_jvp(g, t, y, rowvar, bias, ddof)


@adjoint(runtime.unchoose)
def unchoose_adjoint(ct, ans, g, a, choices):
    return rechoose(ct, a, g), None, None


@tangent(runtime.unchoose)
def unchoose_tangent(t, ans, g, a, choices):
    return unchoose(t, a, choices), None, None


@adjoint(runtime.rechoose)
def rechoose_adjoint(ct, ans, g, a, like):
    return unchoose(ct, a, g), None, None


@tangent(runtime.rechoose)
def rechoose_tangent(t, ans, g, a, like):
    return rechoose(t, a, like), None, None


@adjoint(runtime.unitem)
def unitem_adjoint(ct, ans, g, x, index=None):
    return item_of(ct, index), None


@tangent(runtime.unitem)
def unitem_tangent(t, ans, g, x, index=None):
    return unitem(t, x, index), None


@adjoint(runtime.item_of)
def item_of_adjoint(ct, ans, g, index=None):
    return unitem(ct, g, index)


@tangent(runtime.item_of)
def item_of_tangent(t, ans, g, index=None):
    return item_of(t, index)


if hasattr(np, "cumulative_sum"):  # NumPy >= 2.1

    @adjoint(runtime.uncumulative)
    def uncumulative_adjoint(ct, ans, g, x, axis=None, include_initial=False):
        return np.cumulative_sum(ct, axis=axis, include_initial=include_initial), None

    @tangent(runtime.uncumulative)
    def uncumulative_tangent(t, ans, g, x, axis=None, include_initial=False):
        return uncumulative(t, x, axis, include_initial), None


@adjoint(runtime.unpolyder)
def unpolyder_adjoint(ct, ans, g, p, m=1):
    return np.polyder(ct, m), None


@tangent(runtime.unpolyder)
def unpolyder_tangent(t, ans, g, p, m=1):
    return unpolyder(t, p, m), None


@adjoint(runtime.unpolyint)
def unpolyint_adjoint(ct, ans, g, p, m=1):
    return np.polyint(ct, m), None


@tangent(runtime.unpolyint)
def unpolyint_tangent(t, ans, g, p, m=1):
    return unpolyint(t, p, m), None


@adjoint(runtime.unediff1d)
def unediff1d_adjoint(ct, ans, g, ary, to_end=None, to_begin=None):
    return ediff1d_jvp(ct, to_end, to_begin), None


@tangent(runtime.unediff1d)
def unediff1d_tangent(t, ans, g, ary, to_end=None, to_begin=None):
    return unediff1d(t, ary, to_end, to_begin), None


@adjoint(runtime.ediff1d_jvp)
def ediff1d_jvp_adjoint(ct, ans, g, to_end=None, to_begin=None):
    return unediff1d(ct, g, to_end, to_begin)


@tangent(runtime.ediff1d_jvp)
def ediff1d_jvp_tangent(t, ans, g, to_end=None, to_begin=None):
    return ediff1d_jvp(t, to_end, to_begin)


# Positions, permutations, masks and specs: integer-valued or piecewise constant.
nondifferentiable(
    runtime.masked_extremum_share, runtime.index_grid, runtime.pad_positions, runtime.insert_positions,
    runtime.append_positions, runtime.sort_order, runtime.partition_order, runtime.rolled_axes,
    runtime.interp_bound, runtime.select_rest, runtime.einsum_spec, runtime.einsum_cospec,
    runtime.trapezoid_weights, runtime.resize_positions, runtime.vander_powers,
)
