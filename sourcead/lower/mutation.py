"""Aliases during lowering: which names a write into an array or a list changes besides its own.

desugar_mutation turns every in-place change into ``x = $not_shared(x)`` followed by a rebinding of
`x` to a new value (a functional update). In Python other names may hold the same object
(``z = y``) or a view of it (``head = y[:2]``, ``row = P[i]``, ``for row in P``); they change too.
The lowering keeps, per region, a table of such aliases (`Aliases`: name -> the name it was made
from and the index, None for the same object), built from plain assignments whose value is a name
or a subscript of a name. After a write into `x` it rebinds, with run-time helpers that check that
the alias is real (a list's slice is a copy, an array's element a number):

    head = y[:2]                    head = y[:2]                        (head: a view of y at :2)
    head *= 3            ->         head_1 = head * 3
                                    y_1 = write_back(y, :2, head, head_1)   (the base gets the write)
                                    (every other alias of y: z_1 = view_of(z, y_1, idx, through))

Guarantees: every name the table relates to a written name is rebound after the write; a name
whose relation the lowering cannot follow (a rebinding in one branch only, a view made by a call
such as ``x.reshape``, a value read out of a list it does not track) has no entry, so the run-time
check before the next write (`runtime.not_shared`, against every other live name) refuses it,
located; a loop carries every name related to one its body writes. A write into a global or
closure variable is refused at compile time.
"""

from __future__ import annotations

import operator

import gast

from ..ir.core import Call, Const, Operand, Var, make_list, make_tuple, walk
from ..ir.core import regions as regions_of
from ..runtime import as_list, check_bound, index_update, list_insert, list_without, not_shared, view_of, write_back
from .context import Context

_WRITERS = ("$index_update", "$list_insert", "$list_without")
_CALLEE_WRITES = (index_update, list_insert, list_without, write_back)


class Aliases:
    """name -> (the name it was made from, its index operand or None for the same object); and the
    write in progress (the name a ``$not_shared`` check announced, with its value before).

    `separated`: the names whose relation a write has already carried out (`write_back`,
    `view_of`): their values no longer share memory as their Python objects do, so the run-time
    check cannot see the relation any more. `unfollowed`: the names of such a relation that was
    lost at the end of an `if` (the branches disagree on it): a later write into one of them is
    refused when compiling, since the run-time check would not catch it."""

    def __init__(self, made_from: dict | None = None, separated=(), unfollowed=()):
        self.made_from = dict(made_from or {})
        self.writing: tuple | None = None
        self.separated, self.unfollowed = set(separated), set(unfollowed)

    def copy(self) -> "Aliases":
        return Aliases(self.made_from, self.separated, self.unfollowed)

    def group(self, name: str) -> set[str]:
        """Every name related to `name` through the table, `name` included."""
        seen, todo = {name}, [name]
        while todo:
            n = todo.pop()
            related = [p for c, (p, _) in self.made_from.items() if c == n]
            related += [c for c, (p, _) in self.made_from.items() if p == n]
            for r in related:
                if r not in seen:
                    seen.add(r)
                    todo.append(r)
        return seen

    def forget(self, name: str) -> None:
        """`name` is rebound to a new object: it leaves the table; what was made from it keeps
        its relation to the object where that can be said (through the same object's names)."""
        self.unfollowed.discard(name)
        self.separated.discard(name)
        parent = self.made_from.pop(name, None)
        children = sorted(c for c, (p, _) in self.made_from.items() if p == name)
        same = [c for c in children if self.made_from[c][1] is None]
        holder = same[0] if same else None
        for c in children:
            idx = self.made_from[c][1]
            if c == holder:
                if parent is None:
                    del self.made_from[c]
                else:
                    self.made_from[c] = parent
            elif holder is not None:
                self.made_from[c] = (holder, idx)
            elif idx is None and parent is not None:
                self.made_from[c] = parent
            else:
                del self.made_from[c]


def aliases(ctx: Context) -> Aliases:
    if ctx.aliases is None:
        ctx.aliases = Aliases()
    return ctx.aliases


# ---- the hooks to_ssa calls ----------------------------------------------------------------------


def before_write(ctx: Context, name: str, node) -> tuple[Operand, set]:
    """``name = $not_shared(name)``: a write into `name` follows. Returns the tuple of (alias, base,
    index) relations the write will update, and the names they relate (the group): the run-time
    check compares the value with every other name's, and with these where a relation fails."""
    if name not in ctx.env:
        found, _value, where = ctx.unit.parsed.lookup(name)
        if found and where != "builtin":
            ctx.unit.error(node, f"{name} is a {where} variable, and this changes it in place for every "
                           "caller: sourcead's derivatives never change a global",
                           f"work on a copy: local = {name}.copy() (or list({name})), then change that")
        return Const(()), set()
    table = aliases(ctx)
    if name in table.unfollowed:
        ctx.unit.error(node, f"{name} may share its memory with another variable, through a view made on "
                       "only one path of an `if` (or a different one on each), and this changes it in place: "
                       "sourcead cannot follow which variables change with it",
                       f"copy it where it is made ({name} = ....copy()), or write {name} = {name} + ... "
                       "(a new value) instead")
    table.writing = (name, ctx.env[name])
    group = table.group(name)
    tracked = []
    for child, (parent, idx) in sorted(table.made_from.items()):
        if child in group and child in ctx.env and parent in ctx.env:
            tracked.append(ctx.emit(make_tuple, [ctx.env[child], ctx.env[parent], _idx(idx)], node=node))
    return (ctx.emit(make_tuple, tracked, node=node) if tracked else Const(())), group


def after_assign(ctx: Context, name: str, value_node) -> None:
    """`name` has just been bound (``ctx.env[name]``): finish a write into it, or record what
    the new binding aliases."""
    table = aliases(ctx)
    if table.writing is not None and table.writing[0] == name and _is_write(value_node, name):
        old = table.writing[1]
        table.writing = None
        _propagate(ctx, table, name, old, value_node)
        return
    table.forget(name)
    made_from = _made_from(ctx, name, value_node)
    if made_from is not None and made_from[0] != name:
        table.made_from[name] = made_from


def carried(ctx: Context, body: list) -> set[str]:
    """The names bound here that a loop with this body must carry because of writes: the names it
    writes into and every name related to them (in the table, or by an alias made in the body)."""
    written, links = set(), []
    for node in _walk_statements(body):
        if isinstance(node, gast.Assign) and isinstance(node.targets[0], gast.Name):
            target = node.targets[0].id
            if _is_check(ctx, node.value):
                written.add(target)
            source = _source_name(node.value)
            if source is not None:
                links.append((target, source))
    table = aliases(ctx)
    names = set()
    for w in written:
        names |= table.group(w) | {w}
    grew = True
    while grew:
        grew = False
        for a, b in links:
            if (a in names) != (b in names):
                names |= table.group(a) | table.group(b) | {a, b}
                grew = True
    return {n for n in names if n in ctx.env}


def enter_loop(body_ctx: Context, body: list) -> None:
    """A loop's body starts from the table of its entry, less what the body rebinds (an alias
    made in one iteration is not one in the next)."""
    table = aliases(body_ctx)
    for name in sorted(_rebound(body_ctx, body)):
        table.forget(name)


def exit_loop(ctx: Context, body_ctx: Context, body: list, unbound) -> None:
    """After a loop, whose body was lowered in `body_ctx` (`unbound`: the names it carries that
    are unbound when it starts). A relation the body ends with, carried out by a write, that the
    next iteration does not start with (its names rebound in the body) is a view the run-time
    check cannot see there: writing into its names before the body rebinds them is refused. After
    the loop, the relations of no iteration (the entry's) and of the last (the body's end) join as
    at the end of an `if`."""
    entry, end = aliases(ctx), aliases(body_ctx)
    start = entry.copy()
    for name in sorted(_rebound(ctx, body)):
        start.forget(name)
    stale = {c: r for c, r in end.made_from.items()
             if c in end.separated and not (c in start.made_from and _same(start.made_from[c], r))}
    if stale:
        _refuse_stale_writes(ctx, body, stale)
    ctx.aliases = _joined(entry, end, set(), set(unbound))


def _refuse_stale_writes(ctx: Context, body: list, stale: dict) -> None:
    """Refuse, among the body's statements before it rebinds a `stale` relation's child (child ->
    (parent, index)) at its top level, a write into the child (the previous iteration's view may
    be what it holds), or a write into the parent where the child is read there too (it would see
    the write in Python)."""
    before = _before_rebinding(ctx, body, set(stale))
    for child, (parent, _) in sorted(stale.items()):
        reads_child = any(isinstance(n, gast.Name) and n.id == child and isinstance(n.ctx, gast.Load)
                          for node in before[child] for n in gast.walk(node))
        for node in before[child]:
            for inner in _walk_statements([node]):
                if not (isinstance(inner, gast.Assign) and isinstance(inner.targets[0], gast.Name)
                        and _is_check(ctx, inner.value)):
                    continue
                name = inner.targets[0].id
                if name == child or name == parent and reads_child:
                    ctx.unit.error(inner, f"{name} may still share its memory with {parent if name == child else child} "
                                   "through a view the previous iteration of this loop made, and this changes it in "
                                   "place before the loop rebinds it: sourcead cannot follow which variables change "
                                   "with it", f"copy the view where it is made ({child} = ....copy()), or rebind "
                                   f"{child} first in the loop")


def _before_rebinding(ctx: Context, body: list, names: set) -> dict:
    """name -> the top-level statements of `body` before the first that rebinds it (all of them
    where none does)."""
    out = {n: [] for n in names}
    open_ = set(names)
    for node in body:
        for n in open_:
            out[n].append(node)
        if isinstance(node, gast.Assign) and isinstance(node.targets[0], gast.Name) and not _is_check(ctx, node.value):
            open_.discard(node.targets[0].id)
    for n in names - open_:  # the rebinding statement itself reads the old value only in its right side
        out[n][-1] = out[n][-1].value
    return out


def merge(ctx: Context, then: Context, orelse: Context) -> None:
    """After an `if`: the relations both branches agree on, and those of a name that only one
    branch binds (unbound on the other path, where a rebinding of it leaves it unbound). A
    relation dropped that a write had carried out (`separated`) leaves its names unfollowed."""
    ctx.aliases = _joined(aliases(then), aliases(orelse), set(then.env) - set(orelse.env),
                          set(orelse.env) - set(then.env))


def _joined(ta: Aliases, tb: Aliases, only_a: set, only_b: set) -> Aliases:
    """The table after two paths meet: the relations both agree on, and those of names that only
    one path binds (`only_a`, `only_b`: unbound on the other), where their index outlives the
    path; names of any other relation a write had carried out (`separated`) are unfollowed."""
    a, b = ta.made_from, tb.made_from
    kept = {n: r for n, r in a.items() if b.get(n) is not None and _same(r, b[n])}
    for side, only in ((a, only_a), (b, only_b)):
        kept.update({n: r for n, r in side.items() if n not in kept and n in only and _portable(r[1])})
    separated = ta.separated | tb.separated
    lost = {m for n, r in [*a.items(), *b.items()] if n not in kept and n in separated for m in (n, r[0])}
    return Aliases(kept, separated & set(kept), ta.unfollowed | tb.unfollowed | lost)


def _portable(idx) -> bool:
    """An index a relation can keep past the end of an `if` (not a value of one branch)."""
    return idx is None or isinstance(idx, Const)


def check_callee(ctx: Context, callee, fn, node) -> None:
    """A function the differentiated one calls (and lowering inlines) must not write into its own
    parameters: in Python that changes the caller's array or list, which inlining would not."""
    params = {p.var for p in callee.params}
    defs = {out: stmt for stmt in walk(callee.body.body) if isinstance(stmt, Call) for out in stmt.outs}
    for stmt in walk(callee.body.body):
        if not isinstance(stmt, Call) or not stmt.args:
            continue
        target = stmt.args[0]
        if stmt.op is operator.add and not _made_as_list(stmt.args[1], defs):
            continue  # ``a += v``: a new value unless `a` is an array (checked at run time, as ever)
        if stmt.op not in _CALLEE_WRITES and stmt.op is not operator.add:
            continue
        while isinstance(target, Var) and target in defs and defs[target].op in (not_shared, check_bound):
            target = defs[target].args[0]
        if target in params:
            ctx.unit.error(node, f"{fn.__qualname__} writes into its parameter {target.hint}, which would change "
                           "the caller's array or list too: sourcead inlines the call and does not follow that",
                           f"return the new value and rebind it here ({target.hint} = ...), or copy it "
                           f"inside {fn.__qualname__} first")


def _made_as_list(x, defs) -> bool:
    return isinstance(x, Var) and x in defs and defs[x].op in (make_list, as_list)


# ---- how a write changes its aliases -------------------------------------------------------------


def _propagate(ctx: Context, table: Aliases, name: str, old: Operand, node) -> None:
    """`name` went from `old` to its new value in place: write it back into what it was made from,
    up the chain, then re-read every other alias of the objects changed."""
    changed = {name: (old, False)}  # name -> (its value before, changed through one of its elements?)
    current = name
    while current in table.made_from:
        parent, idx = table.made_from[current]
        if parent not in ctx.env or parent in changed:
            break
        before = ctx.env[parent]
        ctx.env[parent] = ctx.emit(write_back, [before, _idx(idx), changed[current][0], ctx.env[current]],
                                   node=node, hint=ctx.unit.hint(parent))
        changed[parent] = (before, True)
        table.separated.add(current)  # its relation to parent is rebound, not shared memory, from now on
        current = parent
    todo = sorted(changed)
    while todo:
        base = todo.pop(0)
        for child, (parent, idx) in sorted(table.made_from.items()):
            if parent != base or child in changed or child not in ctx.env:
                continue
            before = ctx.env[child]
            through = changed[base][1]
            ctx.env[child] = ctx.emit(view_of, [before, ctx.env[base], _idx(idx), Const(through)],
                                      node=node, hint=ctx.unit.hint(child))
            changed[child] = (before, True)
            table.separated.add(child)
            todo.append(child)


def _idx(idx) -> Operand:
    return Const(None) if idx is None else idx


def _made_from(ctx: Context, name: str, value_node):
    """(name, index operand or None) when `value_node` is a name or a subscript of one."""
    source = _source_name(value_node)
    if source is None or source not in ctx.env:
        return None
    if isinstance(value_node, gast.Name):
        return source, None
    value = ctx.env[name]
    for stmt in reversed(ctx.stmts):
        if value in stmt.outs:
            return (source, stmt.args[1]) if len(stmt.args) == 2 and stmt.args[0] is ctx.env[source] else None
    return None


def _source_name(value_node) -> str | None:
    if isinstance(value_node, gast.Name):
        return value_node.id
    if isinstance(value_node, gast.Subscript) and isinstance(value_node.value, gast.Name):
        return value_node.value.id
    return None


def _is_write(value_node, name: str) -> bool:
    """The rebinding that follows ``name = $not_shared(name)``: an update, or ``name op v``."""
    if isinstance(value_node, gast.Call) and isinstance(value_node.func, gast.Name):
        return value_node.func.id in _WRITERS
    return isinstance(value_node, gast.BinOp) and isinstance(value_node.left, gast.Name) \
        and value_node.left.id == name


def _is_check(ctx: Context, value) -> bool:
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)):
        return False
    invented = ctx.unit.invented(value.func.id)
    return invented is not None and invented.role == "check"


def _rebound(ctx: Context, body: list) -> set[str]:
    """The names a body binds to a new object (not the rebinding that completes a write)."""
    out = set()
    for stmts in _statement_lists(body):
        writing = set()
        for node in stmts:
            if isinstance(node, gast.Assign) and isinstance(node.targets[0], gast.Name):
                target = node.targets[0].id
                if _is_check(ctx, node.value):
                    writing.add(target)
                elif target in writing and _is_write(node.value, target):
                    writing.discard(target)
                else:
                    out.add(target)
            elif isinstance(node, gast.For):
                out.add(node.target.id)
    return out


def _statement_lists(body: list):
    yield body
    for node in body:
        for field in ("body", "orelse"):
            inner = getattr(node, field, None)
            if isinstance(inner, list) and not isinstance(node, gast.FunctionDef):
                yield from _statement_lists(inner)


def _walk_statements(body: list):
    for stmts in _statement_lists(body):
        yield from stmts


def _same(a: tuple, b: tuple) -> bool:
    return a[0] == b[0] and a[1] is b[1]


__all__ = ["Aliases", "after_assign", "before_write", "carried", "check_callee", "enter_loop", "exit_loop", "merge"]


def check_against_caller(ctx: Context, region, arguments: set) -> None:
    """An inlined callee's in-place write into its parameter (``a += v``) also changes the
    caller's array in Python, which inlining's rebinding would not: its run-time check
    (`not_shared`) also looks at every value the caller's names hold, so that such a write into
    an array the caller still holds is refused where it is written, never computed as a copy."""
    held = [v for n, v in ctx.env.items() if isinstance(v, Var) and ctx.unit.invented(n) is None]
    if held:
        _widen_checks(region, arguments, held)


def _widen_checks(region, arguments: set, held: list) -> None:
    out = []
    for stmt in region.body:
        for inner in regions_of(stmt):
            _widen_checks(inner, arguments, held)
        if isinstance(stmt, Call) and stmt.op is not_shared and len(stmt.args) > 3 and stmt.args[0] in arguments:
            widened = Var()
            out.append(Call([widened], make_tuple, [stmt.args[3], *held], {}, stmt.loc, None, stmt.tag))
            stmt.args[3] = widened
        out.append(stmt)
    region.body[:] = out
