"""desugar_mutation: writes into arrays and lists, and the in-place list methods, as rebindings.

An SSA value never changes, so a statement that changes an array or a list in place becomes an
assignment of a new value to its name, through a functional update (`runtime.index_update`,
`runtime.list_insert`, `runtime.list_without`, or ``+`` of lists), after a check that no other
live name holds the same memory (``$not_shared``, made by the lowering, which knows which names
are alive: an alias that would have changed with it is refused at run time, located, never
silently left stale). `passes/inplace.py` writes the update in place again where that is safe.

    x[i] = v             ->  x = $not_shared(x); x = $index_update(x, i, v)
    x[m] += v            ->  x = $not_shared(x); $t1 = m; x = $index_update(x, $t1, x[$t1] + v)
    hs.append(h)         ->  hs = $not_shared(hs); hs = hs + [h]
    hs.extend(e)         ->  hs = $not_shared(hs); hs = hs + $as_list(e)
    hs.insert(i, v)      ->  hs = $not_shared(hs); hs = $list_insert(hs, i, v)
    v = hs.pop(i)        ->  hs = $not_shared(hs); v = hs[i]; hs = $list_without(hs, i)

`fence` accepts only these shapes (`check_target`, `is_list_method`): the subscripted value is a
plain name; anything else (``a.b[i] = v``, ``x[i][j] = v``) is refused there with a hint.
"""

from __future__ import annotations

import copy

import gast

from .. import runtime
from .invented import Invented, Namer, assign, load, located
from .parse import Parsed, reject

LIST_METHODS = ("append", "extend", "insert", "pop")
_HELPERS = {"$index_update": runtime.index_update, "$list_insert": runtime.list_insert,
            "$list_without": runtime.list_without, "$as_list": runtime.as_list}


# ---- fence's part --------------------------------------------------------------------------------


def check_subscript_target(parsed: Parsed, target: gast.Subscript) -> None:
    """``x[...] = v`` is supported when `x` is a plain name."""
    if not isinstance(target.value, gast.Name):
        reject(parsed, target, "assignment into an element of something that is not a plain variable "
               "(x[i][j] = ..., obj.a[i] = ...) is not supported yet",
               "index once with a tuple (x[i, j] = ...), or bind the inner value to a name, write into "
               "it, and store it back")


def is_list_method(node) -> bool:
    """Whether `node` is ``name.append(...)`` (or extend, insert, pop) with positional arguments."""
    return (isinstance(node, gast.Call) and isinstance(node.func, gast.Attribute)
            and isinstance(node.func.value, gast.Name) and node.func.attr in LIST_METHODS
            and not node.keywords)


# ---- desugar's part ------------------------------------------------------------------------------


def rewrite(node, namer: Namer) -> list | None:
    """The core statements for a mutating statement, or None when `node` mutates nothing."""
    if isinstance(node, gast.Expr) and is_list_method(node.value):
        return _list_method(node.value, None, namer, node)
    if isinstance(node, gast.Assign) and len(node.targets) == 1 and isinstance(node.value, gast.Call) \
            and is_list_method(node.value) and node.value.func.attr == "pop":
        return _list_method(node.value, node.targets[0], namer, node)
    if isinstance(node, gast.Assign) and any(isinstance(t, gast.Subscript) for t in node.targets):
        return _assign_targets(node, namer)
    if isinstance(node, gast.AugAssign) and isinstance(node.target, gast.Subscript):
        return _augmented_write(node, namer)
    return None


def _assign_targets(node: gast.Assign, namer: Namer) -> list:
    if len(node.targets) == 1:
        target = node.targets[0]
        return _write(target.value.id, target.slice, node.value, namer, node)
    value = namer.new("temporary")  # ``a[0] = b = v``: v once, then each target, left to right
    out = [assign(value, node.value, node)]
    for target in node.targets:
        single = located(gast.Assign(targets=[target], value=load(value), type_comment=None), node)
        out.extend(rewrite(single, namer) or [single])
    return out


def _augmented_write(node: gast.AugAssign, namer: Namer) -> list:
    """``x[idx] op= v`` is ``x[idx] = x[idx] op v``: NumPy's buffered semantics (a repeated index
    is read once and written once, so it gets the operation once)."""
    name, index, out = node.target.value.id, node.target.slice, []
    if not _simple(index):
        temp = namer.new("temporary")
        out.append(assign(temp, index, node))
        index = load(temp)
    read = located(gast.Subscript(value=load(name), slice=copy.deepcopy(index), ctx=gast.Load()), node)
    value = located(gast.BinOp(left=read, op=node.op, right=node.value), node)
    return out + _write(name, index, value, namer, node)


def _write(name: str, index, value, namer: Namer, near) -> list:
    update = _call(namer, "$index_update", [load(name), _as_load(index), value], near)
    return [_check(name, namer, near), assign(name, update, near)]


def _list_method(call: gast.Call, target, namer: Namer, near) -> list:
    name, method, args = call.func.value.id, call.func.attr, call.args
    out = [_check(name, namer, near)]
    if method == "append" and len(args) == 1:
        joined = gast.List(elts=[args[0]], ctx=gast.Load())
        out.append(assign(name, located(gast.BinOp(left=load(name), op=gast.Add(), right=joined), near), near))
    elif method == "extend" and len(args) == 1:
        listed = _call(namer, "$as_list", [args[0]], near)
        if isinstance(args[0], (gast.List, gast.Tuple)):
            listed = gast.List(elts=args[0].elts, ctx=gast.Load())
        out.append(assign(name, located(gast.BinOp(left=load(name), op=gast.Add(), right=listed), near), near))
    elif method == "insert" and len(args) == 2:
        out.append(assign(name, _call(namer, "$list_insert", [load(name), *args], near), near))
    elif method == "pop" and len(args) <= 1:
        index = args[0] if args else located(gast.Constant(value=-1, kind=None), near)
        if target is not None:
            read = gast.Subscript(value=load(name), slice=copy.deepcopy(index), ctx=gast.Load())
            out.append(assign(target, located(read, near), near))
        out.append(assign(name, _call(namer, "$list_without", [load(name), index], near), near))
    else:
        return [near]  # a wrong number of arguments: lowered as the call it is, which Python refuses
    return out


def _check(name: str, namer: Namer, near):
    """``name = $not_shared(name)``: the lowering checks that no other live name holds its value."""
    return assign(name, located(gast.Call(func=load(namer.not_shared()), args=[load(name)], keywords=[]), near),
                  near)


def _call(namer: Namer, helper: str, args: list, near):
    namer.table[helper] = Invented("builtin", helper[1:], _HELPERS[helper])
    return located(gast.Call(func=load(helper), args=args, keywords=[]), near)


def _simple(index) -> bool:
    """An index cheap and clear enough to write twice: names, numbers, slices and tuples of them."""
    return all(isinstance(n, (gast.Name, gast.Constant, gast.Slice, gast.Tuple, gast.Load, gast.USub,
                              gast.UnaryOp)) for n in gast.walk(index))


def _as_load(node):
    for n in gast.walk(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return node
