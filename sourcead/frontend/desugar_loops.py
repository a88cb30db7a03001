"""Control flow into the core: loops with one exit, every `for` over a range of indices.

Output guarantees, for the statements of a function's body:

- no Break, Continue or Return inside a loop. A path that ends (``return``, ``break``,
  ``continue``) ends there: the statements after it are dropped, and those after an `if` some of
  whose paths end are moved into the paths that fall through. ``break`` sets the loop's flag,
  which its test reads; ``return v`` inside a loop stores `v` and sets the flags of every loop
  around it, and after the outermost one ``if $returned: return $result0``;
- ``for ... else`` and ``while ... else``: the else clause runs after the loop when no break did;
- every `for` iterates a range of indices (``range(...)``, or such a range reversed) and its
  target is a name; the items are read by index in the body. A `for` that can end early is a
  `while` over a counter;
- the invented names a loop uses only while it runs are deleted after it (``del $s1``).

    for v in xs:                 $broke1 = False
        if v < 0:                $s2 = xs
            break                $t3 = $range($len($s2))
        s = s + v         ->     $n4 = $len($t3)
                                 $k5 = 0
                                 while not $broke1 and $k5 < $n4:
                                     $i6 = $t3[$k5]
                                     $k5 = $k5 + 1
                                     v = $s2[$i6]
                                     if v < 0:
                                         $broke1 = True
                                     else:
                                         s = s + v
                                 del $s2, $t3, $n4, $k5
"""

from __future__ import annotations

import copy
import dataclasses
import types
from typing import Callable

import gast

from .invented import Namer, RETURNED, assign, load, located, store
from .parse import Parsed, reject


@dataclasses.dataclass
class _Unit:
    """What rewriting one function's control flow shares: its names and its returns' shape."""

    parsed: Parsed
    namer: Namer
    locals: set
    shape: tuple | None  # (number of values, a tuple?) of the function's returns


@dataclasses.dataclass(frozen=True)
class _Flow:
    """Where a block is: inside which loop (its flag), and whether a return inside a loop has
    its result names bound on this path already."""

    in_loop: bool = False
    flag: str | None = None
    results_bound: bool = False


@dataclasses.dataclass
class _Iteration:
    """How a `for` loop's iterable is iterated by index."""

    prelude: list  # statements binding what the loop reads, before it
    indices: object  # an expression: the range of indices
    item: Callable | None  # index expression -> item expression; None: the item is the index
    temps: list  # invented names to delete after the loop


def control_flow(parsed: Parsed, tree: gast.FunctionDef, namer: Namer) -> list:
    params = {a.id for a in [*getattr(tree.args, "posonlyargs", []), *tree.args.args, *tree.args.kwonlyargs]}
    unit = _Unit(parsed, namer, _assigned(tree.body) | params, _return_shape(parsed, tree))
    return _block(unit, tree.body, _Flow())


def _return_shape(parsed: Parsed, tree) -> tuple | None:
    """The shape of the function's first return; a return of another shape is refused."""
    shape = None
    for node in _preorder(tree.body):
        if isinstance(node, gast.Return):
            this = (len(node.value.elts), True) if isinstance(node.value, gast.Tuple) else (1, False)
            if shape is not None and this != shape:
                reject(parsed, node, "this return gives a different number of values than another return "
                       "of the function", "return the same number of values (a tuple of the same length) on every path")
            shape = shape or this
    return shape


def _block(unit: _Unit, stmts: list, flow: _Flow) -> list:
    """The statements of a block, rewritten; a path that ends drops what follows it, and what
    follows an `if` some of whose paths end goes into the paths that fall through."""
    out = []
    for i, stmt in enumerate(stmts):
        rest = stmts[i + 1:]
        if isinstance(stmt, gast.Return):
            return out + _return(unit, stmt, flow)
        if isinstance(stmt, gast.Break):
            return out + [assign(flow.flag, _const(True), stmt)]
        if isinstance(stmt, gast.Continue):
            return out
        if isinstance(stmt, gast.If) and _ends_inside(stmt):
            then = _block(unit, stmt.body + rest, flow)
            orelse = _block(unit, stmt.orelse + copy.deepcopy(rest), flow)
            return out + [_if(stmt.test, then, orelse, stmt)]
        if isinstance(stmt, (gast.While, gast.For)):
            loop, after, flow = _loop(unit, stmt, flow)
            out.extend(loop)
            if after:
                return out + _block(unit, after + rest, flow)
            continue
        if isinstance(stmt, gast.If):
            stmt = _if(stmt.test, _block(unit, stmt.body, flow), _block(unit, stmt.orelse, flow), stmt)
        elif isinstance(stmt, gast.With):  # with np.errstate(...): no path leaves its block early
            stmt.body = _block(unit, stmt.body, flow)
        out.append(stmt)
    return out


def _return(unit: _Unit, node: gast.Return, flow: _Flow) -> list:
    """At the function's level a return stays; inside a loop it stores its values, raises the
    flags and ends the loop."""
    if not flow.in_loop:
        return [node]
    values = node.value.elts if isinstance(node.value, gast.Tuple) else [node.value or _const(None)]
    out = [assign(unit.namer.result(k), value, node) for k, value in enumerate(values)]
    return out + [assign(unit.namer.returned(), _const(True), node), assign(flow.flag, _const(True), node)]


def _loop(unit: _Unit, node, flow: _Flow):
    """(the loop's statements, the statements that follow it, the flow after it)."""
    returns = _returns_inside(node)
    before = []
    if returns and not flow.results_bound:
        before = [assign(unit.namer.result(k), _const(None), node) for k in range(unit.shape[0])]
        before.append(assign(unit.namer.returned(), _const(False), node))
        flow = dataclasses.replace(flow, results_bound=True)
    flag = unit.namer.new("flag") if _breaks(node) else None
    if flag is not None:
        before.append(assign(flag, _const(False), node))
    inner = _Flow(in_loop=True, flag=flag, results_bound=flow.results_bound)
    if isinstance(node, gast.While):
        test = node.test if flag is None else _and(_not(load(flag)), node.test, node.test)
        loop = [located(gast.While(test=test, body=_block(unit, node.body, inner), orelse=[]), node)]
    elif flag is None:
        loop = _for(unit, node, inner)
    else:
        loop = _for_as_while(unit, node, inner)
    after = []
    if node.orelse:
        after = node.orelse if flag is None else [_if(_not(load(flag)), node.orelse, [], node)]
    if returns:
        leave = gast.Break() if flow.in_loop else gast.Return(value=_results(unit))
        after.append(_if(load(RETURNED), [located(leave, node)], [], node))
    return before + loop, after, flow


def _results(unit: _Unit):
    n, is_tuple = unit.shape
    values = [load(unit.namer.result(k)) for k in range(n)]
    return gast.Tuple(elts=values, ctx=gast.Load()) if is_tuple else values[0]


def _for(unit: _Unit, node: gast.For, inner: _Flow) -> list:
    """``for x in xs: body`` -> ``for $i in range(len(xs)): x = xs[$i]; body``."""
    it = _iteration(unit, node.iter)
    if it.item is None and isinstance(node.target, gast.Name):
        target, head = node.target, []
    else:
        index = unit.namer.new("index")
        target, head = store(index), _bind_item(unit, node, it, index)
    body = head + _block(unit, node.body, inner)
    loop = located(gast.For(target=target, iter=it.indices, body=body, orelse=[], type_comment=None), node)
    return it.prelude + [loop] + _forget(it.temps, node)


def _for_as_while(unit: _Unit, node: gast.For, inner: _Flow) -> list:
    """A `for` that can end early: ``while not $broke and $k < $n`` over the range of indices."""
    it = _iteration(unit, node.iter)
    namer = unit.namer
    indices, n = namer.new("temporary"), namer.new("temporary", "n")
    k, index = namer.new("counter"), namer.new("index")
    before = [assign(indices, it.indices, node), assign(n, _builtin(unit, "len", load(indices)), node),
              assign(k, _const(0), node)]
    more = gast.Compare(left=load(k), ops=[gast.Lt()], comparators=[load(n)])
    test = located(_and(_not(load(inner.flag)), more, node), node)
    head = [assign(index, gast.Subscript(value=load(indices), slice=load(k), ctx=gast.Load()), node),
            assign(k, gast.BinOp(left=load(k), op=gast.Add(), right=_const(1)), node),
            *_bind_item(unit, node, it, index)]
    loop = located(gast.While(test=test, body=head + _block(unit, node.body, inner), orelse=[]), node)
    return it.prelude + before + [loop] + _forget(it.temps + [indices, n, k], node)


def _bind_item(unit: _Unit, node: gast.For, it: _Iteration, index: str) -> list:
    """The loop's target bound to the item at `index` (a tuple item through a temporary, then unpacked)."""
    if it.item is None:
        return [assign(node.target, load(index), node)]
    value = it.item(load(index))
    if isinstance(node.target, gast.Name):
        return [assign(node.target, value, node)]
    item = unit.namer.new("temporary")
    return [assign(item, value, node), assign(node.target, load(item), node)]


def _forget(names: list, near) -> list:
    if not names:
        return []
    targets = [gast.Name(id=n, ctx=gast.Del(), annotation=None, type_comment=None) for n in names]
    return [located(gast.Delete(targets=targets), near)]


# ---- iterables -----------------------------------------------------------------------------------


def _iteration(unit: _Unit, node) -> _Iteration:
    """``range(...)`` as it is; ``enumerate``, ``reversed`` and ``zip`` of iterables through their
    indices; any other sequence bound once and read by index (an iterator without a length --
    ``map``, ``filter``, ``iter``, ``sorted`` -- made a list first)."""
    fn = _resolve(unit, node.func) if isinstance(node, gast.Call) and not node.keywords else None
    if fn is range:
        return _Iteration([], node, None, [])
    if fn is enumerate and len(node.args) == 1:
        return _enumerate(unit, node)
    if fn is reversed and len(node.args) == 1:
        inner = _iteration(unit, node.args[0])
        backwards = gast.Slice(lower=None, upper=None, step=gast.UnaryOp(op=gast.USub(), operand=_const(1)))
        indices = located(gast.Subscript(value=inner.indices, slice=backwards, ctx=gast.Load()), node)
        return _Iteration(inner.prelude, indices, inner.item, inner.temps)
    if fn is zip and node.args:
        return _zip(unit, node)
    return _sequence(unit, node, fn)


def _enumerate(unit: _Unit, node) -> _Iteration:
    inner = _iteration(unit, node.args[0])
    positions = unit.namer.new("temporary")
    prelude = inner.prelude + [assign(positions, inner.indices, node)]
    indices = located(_builtin(unit, "range", _builtin(unit, "len", load(positions))), node)

    def item(index):
        at = located(gast.Subscript(value=load(positions), slice=copy.deepcopy(index), ctx=gast.Load()), node)
        value = inner.item(at) if inner.item is not None else at
        return located(gast.Tuple(elts=[index, value], ctx=gast.Load()), node)
    return _Iteration(prelude, indices, item, inner.temps + [positions])


def _zip(unit: _Unit, node) -> _Iteration:
    seqs = [unit.namer.new("sequence") for _ in node.args]
    prelude = [assign(s, a, node) for s, a in zip(seqs, node.args, strict=True)]
    lens = [_builtin(unit, "len", load(s)) for s in seqs]
    n = lens[0] if len(lens) == 1 else _builtin(unit, "min", *lens)
    indices = located(_builtin(unit, "range", n), node)

    def item(index):
        elts = [gast.Subscript(value=load(s), slice=copy.deepcopy(index), ctx=gast.Load()) for s in seqs]
        return located(gast.Tuple(elts=elts, ctx=gast.Load()), node)
    return _Iteration(prelude, indices, item, seqs)


def _sequence(unit: _Unit, node, fn) -> _Iteration:
    seq = unit.namer.new("sequence")
    prelude, temps = [assign(seq, node, node)], [seq]
    if isinstance(node, gast.Call) and any(fn is f for f in (reversed, map, filter, iter, sorted)):
        items = unit.namer.new("temporary")
        prelude.append(assign(items, _builtin(unit, "list", load(seq)), node))
        temps.append(items)
        seq = items
    indices = located(_builtin(unit, "range", _builtin(unit, "len", load(seq))), node)
    return _Iteration(prelude, indices,
                      lambda index: located(gast.Subscript(value=load(seq), slice=index, ctx=gast.Load()), node),
                      temps)


def _resolve(unit: _Unit, func):
    """The object a callee's name denotes when it is not a local (``enumerate``, ``builtins.zip``)."""
    if isinstance(func, gast.Name):
        if func.id in unit.locals:
            return None
        found, value, _ = unit.parsed.lookup(func.id)
        return value if found else None
    if isinstance(func, gast.Attribute):
        base = _resolve(unit, func.value)
        return getattr(base, func.attr, None) if isinstance(base, types.ModuleType) else None
    return None


# ---- nodes -----------------------------------------------------------------------------------------


def _builtin(unit: _Unit, name: str, *args):
    return gast.Call(func=load(unit.namer.builtin(name)), args=list(args), keywords=[])


def _const(value):
    return gast.Constant(value=value, kind=None)


def _not(operand):
    return gast.UnaryOp(op=gast.Not(), operand=operand)


def _and(left, right, near):
    return located(gast.BoolOp(op=gast.And(), values=[left, right]), near)


def _if(test, body: list, orelse: list, near):
    return located(gast.If(test=test, body=body, orelse=orelse), near)


# ---- what a statement holds ----------------------------------------------------------------------


def _preorder(stmts):
    for stmt in stmts:
        yield stmt
        for child in gast.iter_child_nodes(stmt):
            yield from _preorder([child])


def _assigned(stmts) -> set:
    return {n.id for stmt in stmts for n in gast.walk(stmt)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _own(stmts):
    """The nodes of `stmts` that belong to them: not those of nested loops' bodies (their else
    clauses do: a break there ends the enclosing loop)."""
    stack = list(stmts)
    while stack:
        n = stack.pop()
        yield n
        if isinstance(n, (gast.While, gast.For)):
            stack.extend(n.orelse)
        else:
            stack.extend(gast.iter_child_nodes(n))


def _breaks(loop) -> bool:
    """Whether the loop must be able to end early: a break of its own (not one of a loop inside
    it), or a return in its body."""
    return any(isinstance(n, gast.Break) for n in _own(loop.body)) or _returns_inside(loop)


def _returns_inside(loop) -> bool:
    """Whether a return inside the loop's body ends it (one in its else clause runs after it)."""
    return any(_has_return(stmt) for stmt in loop.body)


def _has_return(node) -> bool:
    return any(isinstance(n, gast.Return) for n in gast.walk(node))


def _ends_inside(node: gast.If) -> bool:
    """Whether some path through this `if` ends (return, or break/continue of the enclosing loop)."""
    for n in _own(node.body + node.orelse):
        if isinstance(n, (gast.Return, gast.Break, gast.Continue)):
            return True
        if isinstance(n, (gast.While, gast.For)) and _returns_inside(n):
            return True
    return False
