"""kinds: what each value is known to be, from the kinds of the arguments a derivative is
specialised for. A kind is SCALAR (a Python or NumPy number), an array `("array", token, ndim)`
whose `token` names a shape class (values with the same token have the same shape; None: not
known) and `ndim` its rank (None: not known), SEQ (a tuple or list), SHAPE, or None (unknown).

It is a performance and readability device, never a correctness one: it lets `simplify` drop an
`unbroadcast(g, x)` that cannot change `g`, and pick `1.0` rather than `ones_like_output(y)`.
"""

from __future__ import annotations

import operator
import types

import numpy as np

from .. import runtime
from ..ir.core import Attr, Call, Const, For, Function, If, Method, Region, Var, While, make_list, make_tuple

SCALAR = "scalar"
SEQ = "seq"  # a tuple or list
SHAPE = "shape"  # a tuple of ints (x.shape): its items are scalars

_ELEMENTWISE = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow, operator.neg,
                operator.pos, operator.floordiv, operator.mod, abs, pow}
_REDUCTIONS = {np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.var, np.std}
_METHOD_REDUCTIONS = {"sum", "mean", "prod", "max", "min", "var", "std"}


def kind_of_value(x):
    """The kind of a run-time value (used for arguments, to key specialisations)."""
    if isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return SCALAR
    if isinstance(x, np.ndarray):
        return ("array", x.ndim)
    if isinstance(x, (tuple, list)):
        return SEQ
    return None


def infer(fn: Function, arg_kinds: dict[Var, object], global_kinds: dict | None = None) -> dict:
    """Kinds of the values of `fn`, given its arguments' and those of the free variables holding
    data that it reads (keyed (id(scope), name)); the specialisation key guards them, since
    generated code reads them live."""
    kinds: dict = dict(fn.facts)
    for key, k in (global_kinds or {}).items():
        if k is not None:
            kinds[("global", key)] = k
    for v, k in arg_kinds.items():
        if k in (SCALAR, SEQ):
            kinds[v] = k
        elif isinstance(k, tuple) and k[0] == "array":
            kinds[v] = ("array", v, k[1])
    _region(fn.body, kinds)
    return kinds


def numeric(k) -> bool:
    """Whether a kind is a number or an array (whose cotangents add with +)."""
    return k == SCALAR or isinstance(k, tuple)


def of(x, kinds):
    if isinstance(x, Const):
        v = x.value
        number = isinstance(v, (float, int)) and not isinstance(v, bool)
        # a literal, or a module constant such as np.pi
        if number and (x.spelling is None or _module_constant(x)):
            return SCALAR
        # a free variable holding data: the kind it has now, which the specialisation key guards
        if x.spelling and "." not in x.spelling and x.scope is not None:
            key = ("global", (id(x.scope), x.spelling))
            k = kinds.get(key)
            return ("array", key, k[2] if len(k) > 2 else None) if isinstance(k, tuple) else k
        return None
    return kinds.get(x)


def _module_constant(c: Const) -> bool:
    root = c.spelling.split(".")[0] if c.spelling else ""
    return "." in (c.spelling or "") and isinstance(getattr(c.scope, "lookup", None) and c.scope.lookup(root)[1],
                                                   types.ModuleType)


def _join(a, b):
    return a if a == b else None


def _elementwise(ks):
    if any(k is None or k == SEQ or k == SHAPE for k in ks):
        return None
    arrays = [k for k in ks if k != SCALAR]
    if not arrays:
        return SCALAR
    tokens = {k[1] for k in arrays}
    ndims = {k[2] for k in arrays}
    ndim = max(ndims) if None not in ndims else None  # broadcasting: the largest rank
    return ("array", tokens.pop(), ndim) if len(tokens) == 1 else ("array", None, ndim)


def _matmul(a, b):
    """The kind of a @ b from the operands' ranks (NumPy's rules: vectors lose their axis)."""
    if a == SCALAR and b == SCALAR:
        return SCALAR
    if not (isinstance(a, tuple) and isinstance(b, tuple)) or a[2] is None or b[2] is None:
        return None
    rank = max(a[2], b[2]) if min(a[2], b[2]) >= 2 else a[2] + b[2] - 2
    return SCALAR if rank == 0 else ("array", None, rank)


def _is_none(x):
    return isinstance(x, Const) and x.value is None and x.spelling is None


def _call(stmt: Call, kinds):
    op = stmt.op
    args = stmt.args
    ks = [of(a, kinds) for a in args]
    if op in _ELEMENTWISE or isinstance(op, np.ufunc) or op is getattr(runtime, "log_or_zero", None):
        if stmt.kwargs:
            return None
        return _elementwise(ks)
    if isinstance(op, types.BuiltinFunctionType) and getattr(op, "__module__", None) == "math":
        return SCALAR if all(k == SCALAR for k in ks) else None
    if op is make_tuple or op is make_list:
        return SEQ
    if op is runtime.unpacked:
        return ks[0]
    if op is runtime.unbroadcast or op is getattr(runtime, "broadcast_like", None):
        return ks[1] if len(ks) == 2 else None
    if op in (getattr(runtime, "expand_reduced", None), getattr(runtime, "unindex", None)) and len(ks) >= 2:
        return ks[1]  # a cotangent shaped like the argument it belongs to
    if op is runtime.ones_like_output or op is runtime.check_bound or op is runtime.not_shared:
        return ks[0]
    if (op in (operator.matmul, np.matmul, np.dot) or isinstance(op, Method) and op.name == "dot") \
            and len(ks) == 2 and not stmt.kwargs:
        k = _matmul(*ks)
        # a shape known to no one, but the same for everything computed from it elementwise
        return ("array", stmt.outs[0], k[2]) if isinstance(k, tuple) else k
    if (isinstance(op, Attr) and op.name == "T" or op is np.transpose and len(args) == 1) \
            and isinstance(ks[0], tuple):
        return ("array", stmt.outs[0] if ks[0][2] != 1 else ks[0][1], ks[0][2])  # same rank; a vector's .T is itself
    if op is float or op is len or op is int or op in (np.ndim, np.size) \
            or isinstance(op, Attr) and op.name in ("ndim", "size"):
        return SCALAR
    if isinstance(op, Attr) and op.name == "shape" or op is np.shape:
        return SHAPE
    if op is operator.getitem and ks and ks[0] == SHAPE and len(args) == 2 and isinstance(args[1], Const) \
            and type(args[1].value) is int:
        return SCALAR
    if op is operator.getitem and len(args) == 2 and isinstance(ks[0], tuple) and ks[0][2] is not None:
        index = args[1]
        ints = 1 if (isinstance(index, Const) and type(index.value) is int) or \
            (isinstance(index, Var) and kinds.get(index) == SCALAR) else \
            len(index.value) if isinstance(index, Const) and isinstance(index.value, tuple) and \
            all(type(i) is int for i in index.value) else 0
        if ints:  # integers only: one axis fewer each
            rank = ks[0][2] - ints
            return SCALAR if rank == 0 else ("array", None, rank)
    reduction = op in _REDUCTIONS or (isinstance(op, Method) and op.name in _METHOD_REDUCTIONS)
    if reduction:
        rest = args[1:]
        axis = stmt.kwargs.get("axis", rest[0] if rest else None)
        keep = stmt.kwargs.get("keepdims")
        if (axis is None or _is_none(axis)) and (keep is None or isinstance(keep, Const) and not keep.value) \
                and len(rest) <= 1 and set(stmt.kwargs) <= {"axis", "keepdims", "ddof"}:
            return SCALAR  # a full reduction is a number, whatever it reduces
        return None
    return None


def _region(region: Region, kinds) -> None:
    for stmt in region.body:
        if isinstance(stmt, Call):
            if stmt.outs:
                k = _call(stmt, kinds)
                if k is not None:
                    kinds[stmt.outs[0]] = k
        elif isinstance(stmt, If):
            _region(stmt.then, kinds)
            _region(stmt.orelse, kinds)
            for out, a, b in zip(stmt.outs, stmt.then.yields, stmt.orelse.yields, strict=True):
                # a None yielded by one branch is a placeholder that path never reads
                k = of(b, kinds) if _is_none(a) else of(a, kinds) if _is_none(b) else _join(of(a, kinds), of(b, kinds))
                if k is not None:
                    kinds[out] = k
        elif isinstance(stmt, (While, For)):
            params = stmt.body.params if isinstance(stmt, While) else stmt.body.params[1:]
            if isinstance(stmt, For):
                kinds[stmt.body.params[0]] = SCALAR  # an index from a range
            current = [of(a, kinds) for a in stmt.inits]
            for _ in range(4):
                for i, p in enumerate(params):
                    _set(kinds, p, current[i])
                    if isinstance(stmt, While):
                        _set(kinds, stmt.cond.params[i], current[i])
                if isinstance(stmt, While):
                    _region(stmt.cond, kinds)
                _region(stmt.body, kinds)
                new = [_join(c, of(y, kinds)) for c, y in zip(current, stmt.body.yields, strict=True)]
                if new == current:
                    break
                current = new
            else:
                current = [None] * len(params)
                for i, p in enumerate(params):
                    _set(kinds, p, None)
                _region(stmt.body, kinds)
            for out, k in zip(stmt.outs, current, strict=True):
                _set(kinds, out, k)


def _set(kinds, v, k):
    if k is None:
        kinds.pop(v, None)
    else:
        kinds[v] = k

