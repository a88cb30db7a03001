"""inplace: write a functional update in place where nothing can tell the difference.

``y = index_update(x, idx, v)`` copies `x`; ``g2 = zero_at(g, idx)`` copies `g`. A loop that fills an
output element by element would copy it at every step (O(n^2)). This pass, run on the derivative
program after dce (and only for the code it emits: the IR kept for higher order stays functional),
turns such an update into `runtime.write_into` / `runtime.clear_at`, which write into their first
argument and return it, when that argument is

- *owned*: made in this function by an allocating operation (``np.zeros``, ``x.copy()``,
  arithmetic on arrays, an earlier update), or carried by the loop whose body holds the update with
  an owned initial value and an owned next value -- never a parameter, a global, a view, or a value
  on the tape;
- *dead* afterwards: every other use of it (and of the values that are it, such as the result of a
  check that returns its argument) is a read that keeps no reference (arithmetic, a reduction, its
  shape) and comes before the update, in the derivative program as emitted: forward sweep, tape,
  reverse sweep. An update is moved after later reads of its argument that do not need its result
  (the adjoint of ``x[i] = v`` reads the cotangent for `v` before clearing it for `x`).

The back end prints ``write_into`` as the user wrote it, ``out[i] = v`` (an owned value is an array
or a list, for which that is what ``index_update`` computes); ``clear_at`` stays a call, which writes
in place only into a floating array (a cotangent whose kind the pass may not know).

    for i in range(n):                         for i in range(n):
        out_1 = index_update(out, i, t)   ->       out[i] = t
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.builder import clone_function
from ..ir.core import (Call, For, Function, Method, Pop, Push, Region, Var, While, make_tuple, nested, operands, regions,
                       walk)
from . import kinds as kinds_mod
from .shapes import SHAPE_ONLY

_UPDATES = {runtime.index_update: runtime.write_into, runtime.zero_at: runtime.clear_at}
_IN_PLACE = {runtime.write_into, runtime.clear_at, runtime.add_into}  # their result is their (owned) input
_PASS_THROUGH = {runtime.not_shared, runtime.check_bound, runtime.unbroadcast}  # may return arg 0 itself
_ARITHMETIC = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow, operator.neg,
               operator.pos, operator.floordiv, operator.mod, operator.matmul, runtime.add_cotangents}
_FRESH = {np.zeros, np.empty, np.ones, np.full, np.zeros_like, np.ones_like, np.empty_like, np.full_like,
          np.copy, Method("copy"), runtime.index_update, runtime.zero_at, runtime.placed, runtime.unindex,
          runtime.zeros_like_input, runtime.expand_reduced,  # (not updated_part: a list's item is itself)
          runtime.complex_zeros_like}
# reads that keep no reference to their operands (their results are new objects or numbers)
_READS = _ARITHMETIC | {np.sum, np.mean, np.dot, np.matmul, len, np.shape, np.ndim, runtime.updated_part,
                        runtime.unindex, runtime.placed, runtime.zero_at, Method("sum"), Method("mean")}


def run(fn: Function, kinds: dict) -> Function:
    """A copy of `fn` whose updates of owned, dead arrays write in place."""
    if not any(isinstance(s, Call) and _hashable(s.op) and (_key(s.op) in _UPDATES or s.op in (runtime.unindex,
               runtime.placed)) for s in walk(fn.body.body)):
        return fn
    mapping: dict = {}
    fn = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    _fuse(fn.body)
    _unpush(fn.body)
    _Pass(fn, kinds).region(fn.body, None)
    return fn


_SAME_SHAPE = {runtime.index_update, runtime.not_shared, runtime.check_bound}  # their result: arg 0's shape


def _unpush(top: Region) -> None:
    """A loop that fills an array pushes it at every step when the reverse sweep reads it, even
    only for its shape (the adjoint of reading ``out[i - 1]``): O(n^2). Where every version the
    loop carries has one shape (each step an update of the last), the loop's result, alive after
    it, has that shape too; the pair goes, and the reverse sweep measures the result."""
    defs, where = {}, {}
    for region in nested(top):
        for stmt in region.body:
            where[id(stmt)] = region
            for out in getattr(stmt, "outs", []):
                defs[out] = stmt
    loops = {id(r): (s, where[id(s)]) for s in walk(top.body) if isinstance(s, (For, While)) for r in [s.body]}
    pops = {s.op.slot: s for s in walk(top.body) if isinstance(s, Call) and isinstance(s.op, Pop)}
    for push in [s for s in walk(top.body) if isinstance(s, Call) and isinstance(s.op, Push)]:
        body, pop = where[id(push)], pops.get(push.op.slot)
        if pop is None or id(body) not in loops or not pop.outs:
            continue
        loop, outer = loops[id(body)]
        k = _carried_index(push.args[1], loop, defs)
        back = where[id(pop)]
        reverse = next((s for s in outer.body if isinstance(s, (For, While)) and s.body is back), None)
        if k is None or reverse is None or outer.body.index(reverse) < outer.body.index(loop):
            continue
        value = pop.outs[0]
        if not all(_shape_only(s, value) for s in walk(back.body) if value in _reads(s)) or value in back.yields:
            continue
        for s in walk(back.body):
            if isinstance(s, Call):
                s.args = [loop.outs[k] if a is value else a for a in s.args]
        body.body.remove(push)
        back.body.remove(pop)


def _carried_index(v, loop, defs):
    """k when `v` is the loop's k-th carried value (or a version of it of the same shape) and each
    step's next value is an update of it; else None."""
    params = loop.body.params[1:] if isinstance(loop, For) else loop.body.params
    while isinstance(v, Var) and v not in params and v in defs and isinstance(defs[v], Call) \
            and defs[v].op in _SAME_SHAPE and not defs[v].kwargs:
        v = defs[v].args[0]
    if v not in params:
        return None
    k = params.index(v)
    nxt = loop.body.yields[k]
    while isinstance(nxt, Var) and nxt is not v and nxt in defs and isinstance(defs[nxt], Call) \
            and defs[nxt].op in _SAME_SHAPE and not defs[nxt].kwargs:
        nxt = defs[nxt].args[0]
    return k if nxt is v else None


def _shape_only(stmt, v: Var) -> bool:
    """Whether `stmt` reads `v` (inside its regions too) only for its shape."""
    if not isinstance(stmt, Call):
        return v not in operands(stmt) and all(
            v not in r.yields and all(_shape_only(s, v) for s in r.body if v in _reads(s)) for r in regions(stmt))
    if not _hashable(stmt.op) or v in stmt.kwargs.values():
        return False
    position = SHAPE_ONLY.get(stmt.op)
    return position is not None and all(k == position for k, a in enumerate(stmt.args) if a is v)


def _fuse(region: Region) -> None:
    """A tangent of ``x[idx] = v`` (forward mode) is ``zero_at(dx, idx) + placed(dv, x, idx)``, two
    arrays; it is ``index_update(dx, idx, dv)``, one (then written in place where it may be)."""
    defs, uses = {}, {}
    for stmt in region.body:
        for x in _reads(stmt):
            uses[x] = uses.get(x, 0) + 1
        for out in getattr(stmt, "outs", []):
            defs[out] = stmt
    for y in region.yields:
        uses[y] = uses.get(y, 0) + 1
    for stmt in list(region.body):
        for r in regions(stmt):
            _fuse(r)
        if not (isinstance(stmt, Call) and stmt.op in (operator.add, runtime.add_cotangents)
                and len(stmt.args) == 2 and not stmt.kwargs):
            continue
        parts = [defs.get(a) if isinstance(a, Var) and uses.get(a) == 1 else None for a in stmt.args]
        kept = next((p for p in parts if isinstance(p, Call) and p.op is runtime.zero_at and not p.kwargs), None)
        put = next((p for p in parts if isinstance(p, Call) and p.op is runtime.placed and not p.kwargs), None)
        if kept is None or put is None or kept.args[1] is not put.args[2]:
            continue
        region.body.remove(kept)
        region.body.remove(put)
        stmt.op, stmt.args, stmt.ref = runtime.index_update, [kept.args[0], kept.args[1], put.args[0]], None


def _key(op):
    try:
        return op if op in _UPDATES or op in _FRESH or op in _READS or op in _PASS_THROUGH or op in _IN_PLACE \
            else None
    except TypeError:
        return None


def _reads(stmt) -> set:
    """The values a statement reads, inside its regions included."""
    out = {x for x in operands(stmt) if isinstance(x, Var)}
    for r in regions(stmt):
        for s in r.body:
            out |= _reads(s)
        out |= {y for y in r.yields if isinstance(y, Var)}
    return out


class _Pass:
    def __init__(self, fn: Function, kinds: dict):
        self.kinds = kinds
        self.defs: dict = {}  # Var -> (statement, region)
        self.loops: dict = {}  # a loop body Region -> (loop statement, region holding it)
        self.users: dict = {}  # Var -> the statements (or regions, by their yields) that read it directly
        self._index(fn.body)

    def _index(self, region: Region) -> None:
        for y in region.yields:
            if isinstance(y, Var):
                self.users.setdefault(y, []).append(region)
        for stmt in region.body:
            for x in operands(stmt):
                if isinstance(x, Var):
                    self.users.setdefault(x, []).append(stmt)
            for v in getattr(stmt, "outs", []):
                self.defs[v] = (stmt, region)
            for r in regions(stmt):
                if isinstance(stmt, (For, While)) and r is stmt.body:
                    self.loops[r] = (stmt, region)
                self._index(r)

    def region(self, region: Region, _parent) -> None:
        i = 0
        while i < len(region.body):
            stmt = region.body[i]
            if isinstance(stmt, Call) and _key(stmt.op) in _UPDATES and stmt.outs:
                i = self._sink(region, i)
                stmt = region.body[i]
                if self._writable(stmt.args[0], region, i):
                    stmt.op, stmt.ref = _UPDATES[stmt.op], None
            elif isinstance(stmt, Call) and stmt.op in (operator.add, runtime.add_cotangents) \
                    and len(stmt.args) == 2 and not stmt.kwargs:
                i = self._accumulate(region, i)
                stmt = region.body[i]
            for r in regions(stmt):
                self.region(r, region)
            i += 1

    def _sink(self, region: Region, i: int) -> int:
        """Move the update at `i` after the later reads of its argument that do not need its result."""
        stmt = region.body[i]
        x, outs = stmt.args[0], set(stmt.outs)
        last = i
        for j in range(i + 1, len(region.body)):
            reads = _reads(region.body[j])
            if reads & outs:
                break
            if x in reads:
                last = j
        if last != i:
            region.body.insert(last, region.body.pop(i))
        return last

    def _accumulate(self, region: Region, i: int) -> int:
        """``acc_1 = add(acc, t)`` (or `add_cotangents`) with ``t = unindex(g, x, idx)`` made just for
        it: ``add_into``, in place into `acc` where that is owned and dead. Returns its position."""
        stmt = region.body[i]
        acc, t = stmt.args
        if not isinstance(t, Var) or t not in self.defs or self.defs[t][1] is not region:
            return i
        made = self.defs[t][0]
        if not (isinstance(made, Call) and made.op is runtime.unindex and len(made.args) == 3 and not made.kwargs):
            return i
        if any(t in _reads(s) for s in region.body if s is not stmt) or t in region.yields:
            return i
        if not self._writable(acc, region, i):
            return i
        g, x, idx = made.args
        region.body.remove(made)
        stmt.op, stmt.args, stmt.ref = runtime.add_into, [acc, idx, g, x], None
        return region.body.index(stmt)

    # ---- may the update at region.body[i] write into x? ------------------------------------------

    def _writable(self, x, region: Region, i: int) -> bool:
        if not isinstance(x, Var):
            return False
        chain = [x]
        while x in self.defs and isinstance(self.defs[x][0], Call) and _key(self.defs[x][0].op) in _PASS_THROUGH \
                and self.defs[x][1] is region and isinstance(self.defs[x][0].args[0], Var):
            x = self.defs[x][0].args[0]
            chain.append(x)
        links = {id(self.defs[v][0]) for v in chain[:-1]} | {id(region.body[i])}
        if not all(self._only_read_before(v, region, i, links) for v in chain):
            return False
        root = chain[-1]
        if root in self.defs and self.defs[root][1] is region:
            return self._owned(root)
        return self._carried_owned(root, region)

    def _only_read_before(self, v: Var, region: Region, i: int, links: set) -> bool:
        """Every use of `v` in `region` is a link of the chain, or a read that keeps no reference
        and comes before `i`; `v` is not yielded."""
        if v in region.yields:
            return False
        for j, stmt in enumerate(region.body):
            if v not in _reads(stmt) or id(stmt) in links or self._shape_read(stmt, v):
                continue  # a shape read may come after: a write keeps the shape
            if j >= i or not self._plain_read(stmt, v):
                return False
        return True

    def _shape_read(self, stmt, v: Var) -> bool:
        return _shape_only(stmt, v)

    def _plain_read(self, stmt, v: Var) -> bool:
        if not isinstance(stmt, Call) or any(v in _reads(r_stmt) for r in regions(stmt) for r_stmt in r.body):
            return False
        shape_only = SHAPE_ONLY.get(stmt.op) if _hashable(stmt.op) else None
        positions = [k for k, a in enumerate(stmt.args) if a is v]
        if v in stmt.kwargs.values():
            return False
        if all(k == shape_only for k in positions):
            return True
        if stmt.op is make_tuple and stmt.outs:
            return self._only_checked(stmt.outs[0])
        if stmt.op is operator.getitem:
            return isinstance(kinds_mod.of(stmt.outs[0], self.kinds), kinds_mod.Scalar) if stmt.outs else False
        return _key(stmt.op) in _READS or isinstance(stmt.op, np.ufunc)

    def _only_checked(self, t: Var) -> bool:
        """The tuple `t` is read only by run-time alias checks (`runtime.not_shared`'s `others` and
        `tracked`), directly or inside such tuples: they look at its items and keep nothing."""
        users = self.users.get(t, [])
        return bool(users) and all(
            isinstance(u, Call) and (u.op is runtime.not_shared and t not in u.args[:3] and t not in u.kwargs.values()
                                     or u.op is make_tuple and u.outs and self._only_checked(u.outs[0]))
            for u in users)

    def _fresh(self, stmt) -> bool:
        if not isinstance(stmt, Call):
            return False
        # Python's operators and NumPy's ufuncs on numbers, arrays and lists make new objects
        return _key(stmt.op) in _FRESH or _key(stmt.op) in _ARITHMETIC or isinstance(stmt.op, np.ufunc) \
            or _key(stmt.op) in _IN_PLACE

    def _owned(self, v: Var) -> bool:
        """`v` is a new object: made by an allocating operation or an update, or the result of a
        loop whose body yields such a value."""
        stmt = self.defs[v][0]
        if isinstance(stmt, Call):
            return self._fresh(stmt) or _key(stmt.op) in _UPDATES
        if isinstance(stmt, (For, While)):
            nxt = stmt.body.yields[stmt.outs.index(v)]
            return isinstance(nxt, Var) and nxt in self.defs and self.defs[nxt][1] is stmt.body and self._owned(nxt)
        return False

    def _carried_owned(self, param: Var, body: Region) -> bool:
        """A loop-carried value: owned on entry (a fresh value nothing else reads after the loop
        starts) and on every next iteration (the body yields a fresh value of its own)."""
        if body not in self.loops or param not in body.params:
            return False
        loop, outer = self.loops[body]
        k = body.params.index(param) - (1 if isinstance(loop, For) else 0)
        if k < 0:
            return False
        if isinstance(loop, While) and not all(self._plain_read(s, loop.cond.params[k]) for s in loop.cond.body
                                               if loop.cond.params[k] in _reads(s)):
            return False
        nxt, init = body.yields[k], loop.inits[k]
        if not (isinstance(nxt, Var) and nxt in self.defs and self.defs[nxt][1] is body and self._owned(nxt)):
            return False
        if not all(self._plain_read(s, nxt) for s in body.body if nxt in _reads(s)):
            return False  # the next value is on the tape, or in a list: the next iteration may not write it
        if not isinstance(init, Var) or list(loop.inits).count(init) != 1:
            return False
        if any(init in _reads(s) or init in r.yields for r in regions(loop) for s in r.body):
            return False  # the loop reads the value it started from, which its first iteration writes
        at = outer.body.index(loop)
        return self._writable_init(init, outer, at)

    def _writable_init(self, init: Var, outer: Region, at: int) -> bool:
        """The value entering a loop at `outer.body[at]` is owned and read by nothing after."""
        return self._writable(init, outer, at)


def _hashable(op) -> bool:
    try:
        hash(op)
        return True
    except TypeError:
        return False


__all__ = ["run"]
