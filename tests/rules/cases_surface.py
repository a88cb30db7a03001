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
]
