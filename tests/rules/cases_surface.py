"""Spec cases for the rest of NumPy's surface (issue #10): the singular values alone, every matrix
and vector order of np.linalg.norm, `where=` and `initial=` on the reductions, NaN statistics,
grids and blocks -- and the run-time helpers their rules are written with."""

from __future__ import annotations

import numpy as np

from cases_linalg import spread
from sourcead import runtime
from spec import C, rnd

_usv = tuple(np.linalg.svd(spread(4, 3), full_matrices=False))

_MATRIX_ORDS = ["nuc", 1, -1, 2, -2, np.inf, -np.inf]

CASES = [
    # ---- singular values alone ----
    C("values-tall", np.linalg.svd, spread(5, 3), compute_uv=False),
    C("values-wide", np.linalg.svd, spread(3, 5), full_matrices=False, compute_uv=False),
    C("values-batch", np.linalg.svd, spread(2, 4, 3), compute_uv=False),
    C("factors", runtime.usv_product, _usv, rnd(3)),
    C("factors", runtime.usv_sandwich, _usv, rnd(4, 3)),

    # ---- np.linalg.norm: every matrix order, over the last two axes or any two ----
    *[C(f"matrix-ord{o}", np.linalg.norm, spread(3, 4), ord=o) for o in _MATRIX_ORDS],
    *[C(f"axes(2,0)-ord{o}-keep", np.linalg.norm, np.moveaxis(spread(2, 3, 4), 0, 2), ord=o, axis=(2, 0),
        keepdims=True) for o in _MATRIX_ORDS],
    # vector orders: 0 counts nonzeros (piecewise constant), negative and fractional p
    C("ord0", np.linalg.norm, rnd(5), ord=0),
    C("ord-1", np.linalg.norm, rnd(5), ord=-1),
    C("ord0.5", np.linalg.norm, rnd(5), ord=0.5),
    C("ord-2.5-axis0", np.linalg.norm, rnd(4, 3), ord=-2.5, axis=0),

    # ---- np.linalg.cond: every order, square and (for the singular-value orders) rectangular ----
    *[C(f"p{o}", np.linalg.cond, spread(3, 3), o) for o in [None, "fro", *_MATRIX_ORDS]],
    C("tall", np.linalg.cond, spread(4, 3)),
    C("wide-p-2", np.linalg.cond, spread(2, 4), -2),
    C("batch", np.linalg.cond, spread(2, 3, 3)),
    C("batch-p1", np.linalg.cond, spread(2, 3, 3), 1),
]

_nan = np.array([[0.3, np.nan, -1.2, 0.8, 2.1], [np.nan, np.nan, 0.5, -0.4, 1.7], [1.1, -0.6, 0.2, np.nan, 0.9]])
_mask = np.array([[True, False, True, True], [False, True, True, False], [True, True, False, True]])

CASES += [
    # ---- NaN-skipping order statistics (odd and even non-NaN counts per row) ----
    C("all", np.nanmedian, _nan),
    C("axis1", np.nanmedian, _nan, axis=1),
    C("axis0-keep", np.nanmedian, _nan, axis=0, keepdims=True),
    C("q-list-axis1", np.nanquantile, _nan, [0.2, 0.75], axis=1),
    C("scalar-q", np.nanquantile, _nan, 0.3),
    C("axis1-keep", np.nanpercentile, _nan, 40.0, axis=1, keepdims=True),
    C("no-nans", np.nanpercentile, rnd(3, 4), [10.0, 90.0], axis=0),
    C("axis1-skip-nan", runtime.unquantile, rnd(2, 3), _nan, [0.2, 0.75], 1, skip_nan=True),
    C("axis1-skip-nan", runtime.quantile_jvp, rnd(3, 5), _nan, [0.2, 0.75], 1, skip_nan=True),

    # ---- where= and initial= on np.nansum ----
    C("where-axis1", np.nansum, np.where(_mask, rnd(3, 4), np.nan), axis=1, where=_mask),
    C("initial", np.nansum, rnd(3, 4), axis=0, initial=1.5),

    # ---- grids ----
    C("xy", np.meshgrid, rnd(3), rnd(4)),
    C("ij", np.meshgrid, rnd(3), rnd(4), indexing="ij"),
    C("one", np.meshgrid, rnd(3)),
    C("three-xy-sparse", np.meshgrid, rnd(2), rnd(3), rnd(4), sparse=True),
    C("three-ij-2d-input", np.meshgrid, rnd(2, 2), rnd(3), rnd(2), indexing="ij"),
    C("xy", runtime.unmesh, [rnd(4, 3), rnd(4, 3)], np.meshgrid(rnd(3), rnd(4)), 0, "xy", rnd(3)),
    C("ij-sparse", runtime.unmesh, [rnd(2, 1), rnd(1, 3)], np.meshgrid(rnd(2), rnd(3), indexing="ij", sparse=True),
      1, "ij", rnd(3)),
    C("xy", runtime.mesh_tangent, rnd(4), np.meshgrid(rnd(3), rnd(4)), 1, "xy"),

    # ---- blocks ----
    C("2x2", np.block, [[rnd(2, 2), rnd(2, 1)], [rnd(1, 3)]]),
    C("1d-and-number", np.block, [rnd(2), rnd(), rnd(3)]),
    C("promoted", np.block, [[rnd(2)], [rnd(1, 2)]]),
    C("2x2", runtime.unblock, rnd(3, 3), [[rnd(2, 2), rnd(2, 1)], [rnd(1, 3)]]),
]

if hasattr(np.linalg, "svdvals"):
    CASES += [C("tall", np.linalg.svdvals, spread(5, 3)), C("batch-wide", np.linalg.svdvals, spread(2, 3, 4))]

_xs = np.linspace(-1.0, 1.0, 7)

CASES += [
    # ---- least-squares polynomial fits, in y ----
    C("1d", np.polyfit, _xs, rnd(7), 3),
    C("columns", np.polyfit, _xs, rnd(7, 2), 2),
    C("weighted", np.polyfit, _xs, rnd(7), 2, w=np.linspace(0.5, 2.0, 7)),
]

if hasattr(np.linalg, "matrix_norm"):  # NumPy 2's numpy.linalg spellings
    CASES += [
        C("batch", np.linalg.matmul, rnd(2, 3, 4), rnd(4, 2)),
        C("vectors", np.linalg.outer, rnd(3), rnd(4)),
        C("axes1", np.linalg.tensordot, rnd(2, 3), rnd(3, 4), axes=1),
        C("axis0", np.linalg.vecdot, rnd(3, 2), rnd(3, 2), axis=0),
        C("batch", np.linalg.cross, rnd(4, 3), rnd(4, 3)),
        C("batch", np.linalg.matrix_transpose, rnd(2, 3, 4)),
        C("batch-offset", np.linalg.trace, rnd(2, 3, 4), offset=1),
        C("batch-offset", np.linalg.diagonal, rnd(2, 4, 3), offset=-1),
        C("fro-batch", np.linalg.matrix_norm, rnd(2, 3, 4)),
        *[C(f"ord{o}-keep", np.linalg.matrix_norm, spread(3, 4), ord=o, keepdims=True) for o in _MATRIX_ORDS],
    ]

CASES += [
    # ---- tensor inverses and solves ----
    C("ind2", np.linalg.tensorinv, np.reshape(np.eye(6) * 3.0 + rnd(6, 6), (2, 3, 6))),
    C("ind1", np.linalg.tensorinv, np.reshape(np.eye(4) * 3.0 + rnd(4, 4), (4, 2, 2)), ind=1),
    C("2x3", np.linalg.tensorsolve, np.reshape(np.eye(6) * 3.0 + rnd(6, 6), (2, 3, 6)), rnd(2, 3)),
    C("vector", np.linalg.tensorsolve, np.reshape(np.eye(4) * 3.0 + rnd(4, 4), (4, 2, 2)), rnd(4)),
]

if hasattr(np.linalg, "vector_norm"):
    CASES += [
        C("default-2d", np.linalg.vector_norm, rnd(3, 4)),
        C("ord1-axes(0,2)-keep", np.linalg.vector_norm, rnd(2, 3, 4), axis=(0, 2), keepdims=True, ord=1),
        C("ord-inf-axis1", np.linalg.vector_norm, rnd(3, 4), axis=1, ord=-np.inf),
        C("ord3-2d", np.linalg.vector_norm, rnd(3, 4), ord=3),
        C("ord0.5-axis0", np.linalg.vector_norm, rnd(3, 4), axis=0, ord=0.5),
    ]
