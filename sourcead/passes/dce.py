"""dce: remove what no result needs.

Output guarantees: every remaining pure statement has an output that is used; an `If` keeps only
the outputs that are used and disappears when none are; effectful calls (checks that raise as
Python would, tape pushes and pops) are always kept.
"""

from __future__ import annotations

from .. import runtime
from ..ir.core import Call, For, Function, If, Region, Var, While, call_value, operands

EFFECTS: set = {runtime.check_bound, call_value}


def is_effect(op) -> bool:
    if op in EFFECTS:
        return True
    return getattr(op, "__name__", "") == "_unpack_check"


def run(fn: Function) -> Function:
    live: set[Var] = set()
    _region(fn.body, live)
    return fn


def _uses(xs, live: set) -> None:
    live.update(x for x in xs if isinstance(x, Var))


def _region(region: Region, live: set) -> bool:
    """Prune `region` given that its yields are live; return whether it has effects."""
    _uses(region.yields, live)
    kept = []
    effects = False
    for stmt in reversed(region.body):
        if isinstance(stmt, Call):
            if any(o in live for o in stmt.outs) or is_effect(stmt.op) or not stmt.outs:
                effects |= is_effect(stmt.op) or not stmt.outs
                _uses(operands(stmt), live)
                kept.append(stmt)
            continue
        if isinstance(stmt, If):
            keep = [i for i, o in enumerate(stmt.outs) if o in live]
            stmt.outs = [stmt.outs[i] for i in keep]
            for r in (stmt.then, stmt.orelse):
                r.yields = [r.yields[i] for i in keep]
            inner = set(live)
            e1 = _region(stmt.then, inner)
            e2 = _region(stmt.orelse, inner)
            if not stmt.outs and not (e1 or e2):
                continue
            effects |= e1 or e2
            live |= inner
            _uses(operands(stmt), live)
            kept.append(stmt)
            continue
        if isinstance(stmt, (While, For)):
            loop_effects = _loop(stmt, live)
            if not stmt.outs and not loop_effects:
                continue
            effects |= loop_effects
            kept.append(stmt)
            continue
    region.body = kept[::-1]
    return effects


def _loop(stmt, live: set) -> bool:
    """Loops: a carried value is dead when its output is unused and the body reads its parameter
    only to compute its own next value. Solved to a fixed point."""
    body = stmt.body
    offset = 0 if isinstance(stmt, While) else 1
    n = len(stmt.inits)
    needed = {i for i in range(n) if stmt.outs[i] in live}
    while True:
        inner = set(live)
        probe = Region(body.params, list(body.body), [body.yields[i] for i in sorted(needed)])
        effects = _region(probe, inner)
        if isinstance(stmt, While):
            cprobe = Region(stmt.cond.params, list(stmt.cond.body), list(stmt.cond.yields))
            effects |= _region(cprobe, inner)
        grown = needed | {i for i in range(n) if body.params[i + offset] in inner
                          or (isinstance(stmt, While) and stmt.cond.params[i] in inner)}
        if grown == needed:
            break
        needed = grown
    keep = sorted(needed)
    stmt.outs = [stmt.outs[i] for i in keep]
    stmt.inits = [stmt.inits[i] for i in keep]
    body.params = body.params[:offset] + [body.params[i + offset] for i in keep]
    body.yields = [body.yields[i] for i in keep]
    if isinstance(stmt, While):
        stmt.cond.params = [stmt.cond.params[i] for i in keep]
    inner = set(live)
    effects = _region(body, inner)
    if isinstance(stmt, While):
        effects |= _region(stmt.cond, inner)
    live |= inner
    _uses(operands(stmt), live)
    return effects
