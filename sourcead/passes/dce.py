"""dce: remove what no result needs.

Output guarantees: every remaining pure statement has an output that is used; an `If` keeps only
the outputs that are used and disappears when none are; a loop keeps only the carried values that
are used after it or that the values it keeps are computed from; effectful calls (checks that
raise as Python would, tape pushes and pops) are always kept.

Liveness is computed first, without touching the IR (loops need a fixed point); then the IR is
pruned once.
"""

from __future__ import annotations

from .. import runtime
from ..ir.builder import clone_function, used_in
from ..ir.core import Call, For, Function, If, Pop, Push, Region, Var, While, operands

# Runtime checks that may raise as Python would (their value is their first operand's).
EFFECTS = frozenset({runtime.check_bound, runtime.unpacked, runtime.not_shared, runtime.numeric_result,
                     runtime.write_into, runtime.clear_at, runtime.add_into})  # the last three: passes/inplace.py


def is_effect(op) -> bool:
    """Whether a call must run even if nothing reads its result (a check, tape traffic)."""
    return isinstance(op, (Push, Pop)) or op in EFFECTS


def run(fn: Function) -> Function:
    """A copy of `fn` without what no result needs."""
    fn = clone_function(fn)
    prune_region(fn.body)
    return fn


def prune_region(region: Region) -> None:
    """Prune a region in place (one a transform is building and owns), all of its yields kept."""
    _prune(region, set(), list(range(len(region.yields))))


def _vars(xs):
    return {x for x in xs if isinstance(x, Var)}


# ---- analysis (pure) ------------------------------------------------------------------------------


def _live_region(region: Region, live: set, keep_yields) -> tuple[set, bool]:
    """Values live at the start of `region` (free or its params), given which of its yields are
    needed and what is live after it; and whether it has effects."""
    live = set(live) | _vars(region.yields[i] for i in keep_yields)
    effects = False
    for stmt in reversed(region.body):
        if isinstance(stmt, Call):
            if not stmt.outs or is_effect(stmt.op) or any(o in live for o in stmt.outs):
                effects |= not stmt.outs or is_effect(stmt.op)
                live |= _vars(operands(stmt))
        elif isinstance(stmt, If):
            keep = [i for i, o in enumerate(stmt.outs) if o in live]
            l1, e1 = _live_region(stmt.then, live, keep)
            l2, e2 = _live_region(stmt.orelse, live, keep)
            if keep or e1 or e2:
                effects |= e1 or e2
                live |= l1 | l2 | _vars([stmt.cond])
        else:
            keep, inner, e = _live_loop(stmt, live)
            if keep or e:
                effects |= e
                live |= inner | _vars(operands_of_loop(stmt, keep))
    return live, effects


def operands_of_loop(stmt, keep) -> list:
    inits = [stmt.inits[i] for i in keep]
    return inits + ([stmt.iterable] if isinstance(stmt, For) else [])


def _live_loop(stmt, live: set) -> tuple[list[int], set, bool]:
    """The carried values to keep (a fixed point), what the loop reads, and whether it has effects."""
    body = stmt.body
    offset = 1 if isinstance(stmt, For) else 0
    n = len(stmt.inits)
    keep = {i for i in range(n) if stmt.outs[i] in live}
    while True:
        inner, effects = _live_region(body, live, sorted(keep))
        if isinstance(stmt, While):
            c, ce = _live_region(stmt.cond, inner, [0])
            inner |= c
            effects |= ce
        grown = keep | {i for i in range(n) if body.params[i + offset] in inner
                        or (isinstance(stmt, While) and stmt.cond.params[i] in inner)}
        if grown == keep:
            return sorted(keep), inner, effects
        keep = grown


# ---- pruning --------------------------------------------------------------------------------------


def _prune(region: Region, live: set, keep_yields) -> None:
    """Prune `region` in place, given what is live after it and which of its yields are kept."""
    region.yields = [region.yields[i] for i in keep_yields]
    live = set(live) | _vars(region.yields)
    kept = []
    for stmt in reversed(region.body):
        if isinstance(stmt, Call):
            if not stmt.outs or is_effect(stmt.op) or any(o in live for o in stmt.outs):
                live |= _vars(operands(stmt))
                kept.append(stmt)
            continue
        if isinstance(stmt, If):
            keep = [i for i, o in enumerate(stmt.outs) if o in live]
            _, e1 = _live_region(stmt.then, live, keep)
            _, e2 = _live_region(stmt.orelse, live, keep)
            if not keep and not (e1 or e2):
                continue
            stmt.outs = [stmt.outs[i] for i in keep]
            after = set(live)
            _prune(stmt.then, after, keep)
            _prune(stmt.orelse, after, keep)
            live |= _free(stmt.then) | _free(stmt.orelse) | _vars([stmt.cond])
            kept.append(stmt)
            continue
        keep, inner, effects = _live_loop(stmt, live)
        if not keep and not effects:
            continue
        offset = 1 if isinstance(stmt, For) else 0
        stmt.outs = [stmt.outs[i] for i in keep]
        stmt.inits = [stmt.inits[i] for i in keep]
        stmt.body.params = stmt.body.params[:offset] + [stmt.body.params[i + offset] for i in keep]
        if isinstance(stmt, While):
            stmt.cond.params = [stmt.cond.params[i] for i in keep]
            _prune(stmt.cond, inner, [0])
        _prune(stmt.body, live | inner, keep)
        live |= inner | _vars(operands(stmt))
        kept.append(stmt)
    region.body = kept[::-1]


def _free(region: Region) -> set:
    """Everything `region` reads (after pruning), nested regions included."""
    return used_in(region)
