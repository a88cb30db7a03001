"""Derivative rules for the rest of NumPy's surface a model reaches for (issue #10): the singular
values alone (np.linalg.svdvals), NaN-skipping order statistics (np.nanmedian, np.nanquantile,
np.nanpercentile), coordinate grids (np.meshgrid), block matrices (np.block), tensor inverses and
solves, least-squares polynomial fits (np.polyfit), NumPy 2's numpy.linalg spellings -- and the
run-time helpers those rules call, so that they can be differentiated again.

Conventions: the NaN statistics send NaNs no cotangent and interpolate among the other values as
np.quantile does (ties: where a stable argsort puts them); np.meshgrid takes one to three inputs
(each raveled, as NumPy does), either indexing, sparse or not; np.svdvals needs distinct singular
values for its second derivatives (its first derivative U diag(ds) Vh is defined everywhere);
np.polyfit is differentiated in y (the fit is linear in it) for a Vandermonde matrix of full rank;
np.linalg.tensorinv and tensorsolve (without axes=) where the square matrix they read is regular.
NumPy 2's numpy.linalg spellings of matmul, outer, tensordot, vecdot, cross and matrix_transpose
share the rules of the NumPy functions; its trace, diagonal and matrix_norm work on the last two
axes, vector_norm over any axes.
"""

from __future__ import annotations

import numpy as np

from .. import runtime
from ..runtime import (cond_weight, expand_reduced, mesh_tangent, quantile_jvp, unquantile,
                       mT, norm_weight, polyfit_matrix, polyfit_weights, tensor_square, unblock, undiagonal,
                       unmesh, untrace, usv_product, usv_sandwich)
from .registry import adjoint, lookup_adjoint, lookup_tangent, nondifferentiable, tangent

# ---- singular values ---------------------------------------------------------------------------

if hasattr(np.linalg, "svdvals"):  # NumPy 2.0 and later

    # ds = diag(U^T dA V): the cotangent is U diag(ds-bar) Vh
    @adjoint(np.linalg.svdvals)
    def svdvals_adjoint(ct, ans, x):
        return usv_product(np.linalg.svd(x, full_matrices=False), ct)

    @tangent(np.linalg.svdvals)
    def svdvals_tangent(t, ans, x):
        return usv_sandwich(np.linalg.svd(x, full_matrices=False), t)


# ---- condition numbers: second derivatives are not supported (cond_weight has no rules) -------------


@adjoint(np.linalg.cond)
def cond_adjoint(ct, ans, x, p=None):
    """Distinct extreme singular values (p None, 2, -2), an invertible matrix (the other orders)."""
    return expand_reduced(ct, x, (-2, -1), False) * cond_weight(x, p)


@tangent(np.linalg.cond)
def cond_tangent(t, ans, x, p=None):
    return np.sum(t * cond_weight(x, p), axis=(-2, -1))


# ---- NaN-skipping order statistics: as np.quantile among the non-NaN values ----------------------


@adjoint(np.nanquantile, differentiable=("a",))
def nanquantile_adjoint(ct, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                        keepdims=False):
    """NaNs get no cotangent; the others as in np.quantile (linear interpolation)."""
    return unquantile(ct, a, q, axis, keepdims, method, overwrite_input, skip_nan=True)


@tangent(np.nanquantile, differentiable=("a",))
def nanquantile_tangent(t, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                        keepdims=False):
    return quantile_jvp(t, a, q, axis, keepdims, method, overwrite_input, skip_nan=True)


@adjoint(np.nanpercentile, differentiable=("a",))
def nanpercentile_adjoint(ct, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                          keepdims=False):
    """As np.nanquantile (q in percent)."""
    return unquantile(ct, a, np.true_divide(q, 100.0), axis, keepdims, method, overwrite_input, skip_nan=True)


@tangent(np.nanpercentile, differentiable=("a",))
def nanpercentile_tangent(t, ans, a, q, axis=None, out=None, overwrite_input=False, method="linear",
                          keepdims=False):
    return quantile_jvp(t, a, np.true_divide(q, 100.0), axis, keepdims, method, overwrite_input, skip_nan=True)


@adjoint(np.nanmedian)
def nanmedian_adjoint(ct, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    """As np.nanquantile(a, 0.5): NaNs get no cotangent, an even count splits it between the two
    middle values."""
    return unquantile(ct, a, 0.5, axis, keepdims, "linear", overwrite_input, skip_nan=True)


@tangent(np.nanmedian)
def nanmedian_tangent(t, ans, a, axis=None, out=None, overwrite_input=False, keepdims=False):
    return quantile_jvp(t, a, 0.5, axis, keepdims, "linear", overwrite_input, skip_nan=True)


# ---- grids and blocks: linear, each the other's transpose ---------------------------------------


# one to three inputs (a call with more is refused: the rule takes no more); each input's
# cotangent is its grid's summed over the axes it does not vary along
@adjoint(np.meshgrid, differentiable=("x1", "x2", "x3"))
def meshgrid_adjoint(ct, ans, x1, x2=None, x3=None, *, copy=True, sparse=False, indexing="xy"):
    return unmesh(ct, ans, 0, indexing, x1), unmesh(ct, ans, 1, indexing, x2), unmesh(ct, ans, 2, indexing, x3)


@tangent(np.meshgrid, differentiable=("x1", "x2", "x3"))
def meshgrid_tangent(t, ans, x1, x2=None, x3=None, *, copy=True, sparse=False, indexing="xy"):
    return mesh_tangent(t, ans, 0, indexing), mesh_tangent(t, ans, 1, indexing), mesh_tangent(t, ans, 2, indexing)


@adjoint(runtime.unmesh, differentiable=("g", "grids", "x"))
def unmesh_adjoint(ct, ans, g, grids, k, indexing="xy", x=None):
    return mesh_tangent(ct, grids, k, indexing), None, None


@tangent(runtime.unmesh, differentiable=("g", "grids", "x"))
def unmesh_tangent(t, ans, g, grids, k, indexing="xy", x=None):
    return unmesh(t, grids, k, indexing, x), None, None


@adjoint(runtime.mesh_tangent, differentiable=("t", "grids"))
def mesh_tangent_adjoint(ct, ans, t, grids, k, indexing="xy"):
    return unmesh(ct, grids, k, indexing, t), None


@tangent(runtime.mesh_tangent, differentiable=("t", "grids"))
def mesh_tangent_tangent(t_, ans, t, grids, k, indexing="xy"):
    return mesh_tangent(t_, grids, k, indexing), None


# each block's cotangent is the piece of the result's that it filled
@adjoint(np.block)
def block_adjoint(ct, ans, arrays):
    return unblock(ct, arrays)


@tangent(np.block)
def block_tangent(t, ans, arrays):
    return np.block(t)


@adjoint(runtime.unblock)
def unblock_adjoint(ct, ans, g, arrays):
    return np.block(ct), None


@tangent(runtime.unblock)
def unblock_tangent(t, ans, g, arrays):
    return unblock(t, arrays), None


# ---- NumPy 2's numpy.linalg spellings -------------------------------------------------------------

# the same functions of their arrays as NumPy's (an option they do not share is refused)
for _name in ("matmul", "outer", "tensordot", "vecdot", "cross", "matrix_transpose"):
    if hasattr(np.linalg, _name) and getattr(np.linalg, _name) is not getattr(np, _name, None):
        adjoint(getattr(np.linalg, _name))(lookup_adjoint(getattr(np, _name)).fn)
        tangent(getattr(np.linalg, _name))(lookup_tangent(getattr(np, _name)).fn)

if hasattr(np.linalg, "matrix_norm"):  # NumPy 2.0 and later: trace, diagonal, norms of the last two axes

    @adjoint(np.linalg.trace)
    def linalg_trace_adjoint(ct, ans, x, *, offset=0, dtype=None):
        return untrace(ct, x, offset, -2, -1)

    @tangent(np.linalg.trace)
    def linalg_trace_tangent(t, ans, x, *, offset=0, dtype=None):
        return np.linalg.trace(t, offset=offset)

    @adjoint(np.linalg.diagonal)
    def linalg_diagonal_adjoint(ct, ans, x, *, offset=0):
        return undiagonal(ct, x, offset, -2, -1)

    @tangent(np.linalg.diagonal)
    def linalg_diagonal_tangent(t, ans, x, *, offset=0):
        return np.linalg.diagonal(t, offset=offset)

    @adjoint(np.linalg.matrix_norm)
    def matrix_norm_adjoint(ct, ans, x, *, keepdims=False, ord="fro"):
        """As np.linalg.norm(x, ord, axis=(-2, -1)): every matrix order."""
        return expand_reduced(ct, x, (-2, -1), keepdims) * norm_weight(x, ans, ord, (-2, -1), keepdims)

    @tangent(np.linalg.matrix_norm)
    def matrix_norm_tangent(t, ans, x, *, keepdims=False, ord="fro"):
        return np.sum(t * norm_weight(x, ans, ord, (-2, -1), keepdims), axis=(-2, -1), keepdims=keepdims)

    @adjoint(np.linalg.vector_norm)
    def vector_norm_adjoint(ct, ans, x, *, axis=None, keepdims=False, ord=2):
        """A p-norm over `axis` (all axes by default) for every real p: ties of inf and -inf share
        evenly, a zero vector has subgradient 0, ord=0 (a count) has slope 0."""
        return expand_reduced(ct, x, axis, keepdims) * norm_weight(x, ans, ord, axis, keepdims, True)

    @tangent(np.linalg.vector_norm)
    def vector_norm_tangent(t, ans, x, *, axis=None, keepdims=False, ord=2):
        return np.sum(t * norm_weight(x, ans, ord, axis, keepdims, True), axis=axis, keepdims=keepdims)


# ---- tensor inverses and solves: inv and solve of `a` read as a square matrix A ----------------------


# tensorinv(a, ind) is inv(A) reshaped: d = -inv(A) dA inv(A)
@adjoint(np.linalg.tensorinv)
def tensorinv_adjoint(ct, ans, a, ind=2):
    return np.reshape(-mT(np.reshape(ans, tensor_square(a, ind))) @ np.reshape(ct, tensor_square(a, ind))
                      @ mT(np.reshape(ans, tensor_square(a, ind))), np.shape(a))


@tangent(np.linalg.tensorinv)
def tensorinv_tangent(t, ans, a, ind=2):
    return np.reshape(-np.reshape(ans, tensor_square(a, ind)) @ np.reshape(t, tensor_square(a, ind))
                      @ np.reshape(ans, tensor_square(a, ind)), np.shape(ans))


# tensorsolve(a, b) is solve(A, ravel(b)) reshaped (its axes= option is refused: the rules take none)
@adjoint(np.linalg.tensorsolve)
def tensorsolve_adjoint(ct, ans, a, b):
    return (np.reshape(-np.outer(np.linalg.solve(mT(np.reshape(a, tensor_square(a, b))), np.ravel(ct)),
                                 np.ravel(ans)), np.shape(a)),
            np.reshape(np.linalg.solve(mT(np.reshape(a, tensor_square(a, b))), np.ravel(ct)), np.shape(b)))


@tangent(np.linalg.tensorsolve)
def tensorsolve_tangent(t, ans, a, b):
    return (np.reshape(np.linalg.solve(np.reshape(a, tensor_square(a, b)), -np.reshape(t, tensor_square(a, b))
                                       @ np.ravel(ans)), np.shape(ans)),
            np.reshape(np.linalg.solve(np.reshape(a, tensor_square(a, b)), np.ravel(t)), np.shape(ans)))


# ---- fits ------------------------------------------------------------------------------------------


# p = pinv(A) (w y) with A the (weighted) Vandermonde matrix: linear in y, so its tangent is the fit
# of the tangent; the cotangent w pinv(A)^T ct is the least-norm solution of A^T z = ct
@adjoint(np.polyfit, differentiable=("y",))
def polyfit_adjoint(ct, ans, x, y, deg, rcond=None, full=False, w=None, cov=False):
    return polyfit_weights(w, y) * np.linalg.lstsq(polyfit_matrix(x, deg, w, full, cov).T, ct)[0]


@tangent(np.polyfit, differentiable=("y",))
def polyfit_tangent(t, ans, x, y, deg, rcond=None, full=False, w=None, cov=False):
    return np.polyfit(x, t, deg, rcond, full, w, cov)


nondifferentiable(runtime.mesh_other_axes, runtime.polyfit_matrix, runtime.polyfit_weights, runtime.tensor_square)
