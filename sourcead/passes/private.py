"""private: drop the alias checks of writes into arrays and lists that nothing else can see.

Before every in-place change (``a[i] = v``, ``a += v``, ``hs.append(h)``) the lowering checks, when
the derivative runs, that no other variable holds the same object (`runtime.not_shared`): Python
would change it behind that variable's back, where the functional update of SSA does not. A value
the function made itself and never let anything else hold cannot be shared, so its check is
dropped, at compile time:

    a = np.zeros(n)                          a = np.zeros(n)
    a_1 = not_shared(a, 'a', loc, (x,))  ->  a_2 = index_update(a, i, t)
    a_2 = index_update(a_1, i, t)

A value is **private** when (1) it was made by the function as a new object -- by an allocating
NumPy constructor (`np.zeros`, `np.array` copying, ...), arithmetic, a ufunc, a list display, a
functional update (`index_update`, `list_insert`, `dict_with`, ...), or a loop or branch whose every incoming
value is private -- and (2) every use of it lets no reference escape: arithmetic, ufuncs and
reductions (new objects), its shape, reading a number out of it (or a view consumed at once by
arithmetic), the next check and write of the same variable, storing its data into an array, or
carrying it on through a loop or branch whose results are private too. A value another name
holds appears among the values that name's checks compare against: that is a use of another
kind, and the check stays. So does every check that updates tracked aliases (views).

Guarantees: a dropped check could never have failed; the function computes the same values; the
input is not changed (a copy is returned, or the input itself when no check goes); the kinds
table is unchanged but for the dropped checks' results, which are replaced by the values they
checked.
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.builder import clone_function, substitute
from ..ir.core import Attr, Call, Const, For, Function, If, Method, Region, Var, While, make_dict, make_list, nested
from . import kinds as kinds_mod

# operations that return a new object (an array, a list or a number)
_MAKERS = frozenset({
    np.zeros, np.ones, np.empty, np.full, np.zeros_like, np.ones_like, np.empty_like, np.full_like,
    np.eye, np.identity, np.arange, np.linspace, np.copy, np.concatenate, np.stack,
    make_list, make_dict, runtime.dict_with, runtime.index_update, runtime.list_insert, runtime.list_without,
    runtime.concat, runtime.repeat_seq, Method("copy"),
})

# operations whose result is a new object or a number, and holds no reference to its operands
_CONSUMERS = frozenset({
    operator.add, operator.sub, operator.mul, operator.truediv, operator.floordiv, operator.mod,
    operator.pow, operator.neg, operator.pos, operator.matmul, operator.lt, operator.le, operator.gt,
    operator.ge, operator.eq, operator.ne, len, np.shape, np.ndim, np.size, Attr("shape"), Attr("ndim"),
    Attr("size"), Attr("dtype"), np.sum, np.mean, np.prod, np.max, np.min, np.dot, np.linalg.norm,
    Method("sum"), Method("mean"), Method("prod"), Method("max"), Method("min"), Method("copy"), np.copy,
    runtime.concat, runtime.repeat_seq,  # a list of the elements (not the lists) of its operands
})

_NO_OUT = ("out", "where")  # keywords under which a ufunc writes into, or keeps, an operand


def run(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """`fn` without the alias checks that could never fail (a copy; `fn` itself when it has none),
    and its kinds."""
    analysis = _Analysis(fn, kinds)
    analysis.solve()
    dropped = [stmt for _, stmt in analysis.checks if _droppable(stmt, analysis)]
    if not dropped:
        return fn, kinds
    mapping: dict = {}
    copy = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    outs = {mapping[stmt.outs[0]] for stmt in dropped}
    replaced: dict = {}
    for region in nested(copy.body):
        for stmt in [st for st in region.body if isinstance(st, Call) and st.outs and st.outs[0] in outs]:
            replaced[stmt.outs[0]] = stmt.args[0]
            region.body.remove(stmt)
    substitute(copy.body, replaced)
    return copy, kinds


def _droppable(stmt: Call, analysis: "_Analysis") -> bool:
    tracked = stmt.args[4] if len(stmt.args) > 4 else Const(())
    return isinstance(tracked, Const) and tracked.value == () and analysis.private(stmt.outs[0])


def _fresh_op(stmt: Call) -> bool:
    op = stmt.op
    if isinstance(op, np.ufunc):
        return not any(k in stmt.kwargs for k in _NO_OUT)
    if op is np.array:
        return "copy" not in stmt.kwargs
    try:
        return op in _MAKERS or op in _CONSUMERS and op not in (np.shape, len) and not isinstance(op, Attr)
    except TypeError:  # an unhashable operation
        return False


def _consumes(stmt: Call, position: int) -> bool:
    """Whether operand `position` of `stmt` is only read: the result holds no reference to it."""
    op = stmt.op
    if isinstance(op, np.ufunc):
        return not any(k in stmt.kwargs for k in _NO_OUT)
    try:
        return op in _CONSUMERS
    except TypeError:
        return False


class _Analysis:
    """Definitions and uses of every value of `fn`, and which values are private (memoised)."""

    def __init__(self, fn: Function, kinds: dict):
        self.kinds = kinds
        self.defs: dict = {}  # Var -> ("call", stmt) | ("param", loop, j) | ("out", stmt, j) | ("arg",)
        self.uses: dict = {}  # Var -> [("call", stmt, position) | ("yield", owner, region, j) | ("init", loop, j)]
        self.checks: list = []  # (region, not_shared statement)
        self.candidates: set = set()
        for p in fn.params:
            self.defs[p.var] = ("arg",)
        self._region(fn.body, None)

    def _use(self, x, where) -> None:
        if isinstance(x, Var):
            self.uses.setdefault(x, []).append(where)

    def _region(self, region: Region, owner) -> None:
        for stmt in region.body:
            self._stmt(region, stmt)
        for j, y in enumerate(region.yields):
            self._use(y, ("yield", owner, region, j))

    def _stmt(self, region: Region, stmt) -> None:
        if isinstance(stmt, Call):
            if stmt.op is runtime.not_shared:
                self.checks.append((region, stmt))
            for o in stmt.outs:
                self.defs[o] = ("call", stmt)
            for k, a in enumerate(stmt.args):
                self._use(a, ("call", stmt, k))
            for a in stmt.kwargs.values():
                self._use(a, ("call", stmt, None))
            return
        for j, o in enumerate(stmt.outs):
            self.defs[o] = ("out", stmt, j)
        if isinstance(stmt, If):
            self._use(stmt.cond, ("call", stmt, None))
        else:
            if isinstance(stmt, For):
                self._use(stmt.iterable, ("call", stmt, None))
            for j, x in enumerate(stmt.inits):
                self._use(x, ("init", stmt, j))
            carried = stmt.body.params[1:] if isinstance(stmt, For) else stmt.body.params
            for j, p in enumerate(carried):
                self.defs[p] = ("param", stmt, j)
            if isinstance(stmt, While):
                for j, p in enumerate(stmt.cond.params):
                    self.defs[p] = ("param", stmt, j)
        for inner in (stmt.then, stmt.orelse) if isinstance(stmt, If) else \
                ((stmt.cond, stmt.body) if isinstance(stmt, While) else (stmt.body,)):
            self._region(inner, stmt)

    # ---- private values: the greatest set closed under the rules (a loop's value reaches itself) ----
    def solve(self) -> None:
        self.candidates = {v for v, d in self.defs.items() if d[0] != "arg"}
        changed = True
        while changed:
            changed = False
            for v in list(self.candidates):  # (the greatest fixpoint does not depend on the order)
                if not (self._made_here(v) and all(self._safe(v, use) for use in self.uses.get(v, ()))):
                    self.candidates.discard(v)
                    changed = True

    def private(self, v) -> bool:
        return isinstance(v, Var) and v in self.candidates

    def _made_here(self, v: Var) -> bool:
        d = self.defs.get(v)
        if d is None or d[0] == "arg":
            return False
        if d[0] == "call":
            stmt = d[1]
            return stmt.op is runtime.not_shared and self.private(stmt.args[0]) or _fresh_op(stmt)
        loop_or_if, j = d[1], d[2]
        return all(self.private(x) for x in _incoming(loop_or_if, j))

    def _safe(self, v: Var, use) -> bool:
        if use[0] == "init":
            return self._carried_private(use[1], use[2])
        if use[0] == "yield":
            owner, region, j = use[1], use[2], use[3]
            if owner is None or isinstance(owner, While) and region is owner.cond:
                return False  # the function's result, or a loop's condition
            return self._carried_private(owner, j)
        stmt, position = use[1], use[2]
        if not isinstance(stmt, Call) or position is None:
            return False
        op = stmt.op
        if op in (runtime.not_shared, runtime.index_update, runtime.list_insert, runtime.list_without,
                  runtime.dict_with) and position == 0:
            return self.private(stmt.outs[0])
        if op is runtime.index_update and position == 2:
            return isinstance(kinds_mod.of(stmt.args[0], self.kinds), kinds_mod.Array)  # the data is copied
        if op is operator.getitem and position == 0:
            return self._read_out(v, stmt.outs[0])
        return _consumes(stmt, position)

    def _read_out(self, v: Var, part: Var) -> bool:
        """``part = v[idx]`` holds no reference to v's memory that outlives the statement using it."""
        if isinstance(kinds_mod.of(v, self.kinds), (kinds_mod.Seq, kinds_mod.Dict)) or kinds_mod.is_scalar(part, self.kinds):
            return True  # a list's or a dict's item is its own object; a number is no view
        return all(use[0] == "call" and isinstance(use[1], Call) and use[2] is not None
                   and _consumes(use[1], use[2]) for use in self.uses.get(part, ()))

    def _carried_private(self, stmt, j: int) -> bool:
        """The j-th value a loop carries (or a branch gives) is private everywhere it goes."""
        if isinstance(stmt, If):
            return self.private(stmt.outs[j])
        params = [stmt.body.params[1:][j] if isinstance(stmt, For) else stmt.body.params[j]]
        if isinstance(stmt, While):
            params.append(stmt.cond.params[j])
        return all(self.private(p) for p in params) and self.private(stmt.outs[j])


def _incoming(stmt, j: int) -> list:
    """The values that can become the j-th result of a branch or loop (or a loop's j-th carried value)."""
    if isinstance(stmt, If):
        return [stmt.then.yields[j], stmt.orelse.yields[j]]
    return [stmt.inits[j], stmt.body.yields[j]]
