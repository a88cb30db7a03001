"""activity: which values depend on the differentiated inputs (are *varied*).

Only varied values get derivatives; integer counters, shapes, comparisons and constants do not.
The output of a call to a `nondifferentiable` function is never varied, nor is anything a statement
kept for its effect computes (`ir/effects.py`). Loop-carried values are
solved to a fixed point. A value popped from a tape is varied when the value pushed in its slot
is (generated code differentiated again). Whether the output depends on a value is implicit in
the reverse sweep, which only visits values that received a cotangent.
"""

from __future__ import annotations

from ..ir.core import Call, For, Function, If, Pop, Push, Region, Var, While, walk
from ..ir.effects import is_effect_statement
from ..rules import registry
from ..rules.registry import rule_key


def varied(fn: Function, wrt_vars) -> set[Var]:
    pushed = {s.op.slot: s.args[1] for s in walk(fn.body.body) if isinstance(s, Call) and isinstance(s.op, Push)}
    active: set[Var] = set(wrt_vars)
    _region(fn.body, active, pushed)
    return active


def _is_varied(x, active) -> bool:
    return isinstance(x, Var) and x in active


def _region(region: Region, active: set, pushed: dict) -> None:
    for stmt in region.body:
        if is_effect_statement(stmt):
            continue  # a print, an assert, a raise: its arguments are inactive by construction
        if isinstance(stmt, Call):
            if isinstance(stmt.op, Pop):
                if _is_varied(pushed.get(stmt.op.slot), active):
                    active.update(stmt.outs)
            elif stmt.outs and not registry.is_nondifferentiable(rule_key(stmt.op, stmt.args)):
                if any(_is_varied(a, active) for a in (*stmt.args, *stmt.kwargs.values())):
                    active.update(stmt.outs)
        elif isinstance(stmt, If):
            _region(stmt.then, active, pushed)
            _region(stmt.orelse, active, pushed)
            for out, a, b in zip(stmt.outs, stmt.then.yields, stmt.orelse.yields, strict=True):
                if _is_varied(a, active) or _is_varied(b, active):
                    active.add(out)
        elif isinstance(stmt, (While, For)):
            body = stmt.body
            params = body.params if isinstance(stmt, While) else body.params[1:]
            while True:
                size = len(active)
                for i, init in enumerate(stmt.inits):
                    if _is_varied(init, active) or _is_varied(body.yields[i], active):
                        active.add(params[i])
                        if isinstance(stmt, While):
                            active.add(stmt.cond.params[i])
                if isinstance(stmt, While):
                    _region(stmt.cond, active, pushed)
                _region(body, active, pushed)
                if len(active) == size:
                    break
            for i, out in enumerate(stmt.outs):
                if params[i] in active:
                    active.add(out)
