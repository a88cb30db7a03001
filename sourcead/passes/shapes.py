"""shapes: never compute a value only for its shape.

Some operations read an operand only for its shape (``unbroadcast(g, x)``, ``expand_reduced(g, x)``,
``zeros_like_input(x)``, ``np.size(x)``...). Where the kinds show that another value has the same
shape -- the value naming the operand's shape class, when it is a parameter or is computed at the
top of the function before the use (so it is alive anyway) -- the operation reads that one, and
dce can then drop a value that was computed only to be measured.

Output guarantees: the function computes the same values; each shape-only operand is the
representative of its shape class where that is available.

    t = x ** 2 + 1                          t = x ** 2 + 1
    s = np.sin(t)                  ->       (gone)
    dx = expand_reduced(1.0, s) * ...       dx = expand_reduced(1.0, x) * ...
"""

from __future__ import annotations

import numpy as np

from .. import runtime
from ..ir.builder import clone_function
from ..ir.core import Attr, Call, Function, Var, regions
from . import kinds as kinds_mod

# operation -> the position of the operand it reads only for its shape
SHAPE_ONLY = {
    runtime.unbroadcast: 1, runtime.broadcast_like: 1, runtime.expand_reduced: 1, runtime.unindex: 1,
    runtime.zeros_like_input: 0, runtime.complex_zeros_like: 0, runtime.ones_like_output: 0, runtime.placed: 1, runtime.updated_part: 2, runtime.add_into: 3,
    np.size: 0, np.shape: 0, np.ndim: 0, Attr("shape"): 0, Attr("size"): 0, Attr("ndim"): 0,
}


def run(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """A copy of `fn` whose shape-only operands are their shape classes' representatives."""
    mapping: dict = {}
    fn = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    available = set(fn.param_vars)
    for stmt in fn.body.body:
        _rewrite([stmt], kinds, available)
        available.update(stmt.outs)
    return fn, kinds


def _rewrite(stmts: list, kinds: dict, available: set) -> None:
    for stmt in stmts:
        if isinstance(stmt, Call):
            position = _position(stmt.op)
            if position is not None and len(stmt.args) > position:
                stmt.args[position] = _representative(stmt.args[position], kinds, available)
        for region in regions(stmt):
            _rewrite(region.body, kinds, available)


def _position(op):
    try:
        return SHAPE_ONLY.get(op)
    except TypeError:  # an unhashable operation
        return None


def _representative(x, kinds: dict, available: set):
    k = kinds_mod.of(x, kinds)
    token = k.shape if isinstance(k, kinds_mod.Array) else None
    return token if isinstance(token, Var) and token is not x and token in available else x
