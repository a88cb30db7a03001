"""Building and copying IR: fresh copies of regions with values renamed, and substitution."""

from __future__ import annotations

import dataclasses

from .core import Call, For, Function, If, Param, Region, Var, While, like, operands, regions


def clone_function(fn: Function, mapping: dict | None = None) -> Function:
    """A copy of `fn` with fresh values throughout (`mapping` collects old -> new), for a stage
    that rewrites its input's copy rather than its input."""
    mapping = {} if mapping is None else mapping
    params = [Param(_fresh(p.var, mapping), p.default, p.keyword_only) for p in fn.params]
    body = clone_region(fn.body, mapping)
    return dataclasses.replace(fn, params=params, body=body,
                               facts={mapping.get(v, v): k for v, k in fn.facts.items()},
                               callees=list(fn.callees))


def clone_region(region: Region, mapping: dict) -> Region:
    """A copy of `region` whose definitions are fresh Vars; `mapping` (old -> new operand) is
    extended with them, and pre-seeded entries substitute free values."""
    params = [_fresh(p, mapping) for p in region.params]
    body = [clone_stmt(s, mapping) for s in region.body]
    return Region(params, body, [_sub(y, mapping) for y in region.yields])


def clone_stmt(stmt, mapping: dict):
    if isinstance(stmt, Call):
        new = _replaced(stmt, args=[_sub(a, mapping) for a in stmt.args],
                       kwargs={k: _sub(v, mapping) for k, v in stmt.kwargs.items()}, outs=[])
    elif isinstance(stmt, If):
        new = _replaced(stmt, cond=_sub(stmt.cond, mapping), then=clone_region(stmt.then, mapping),
                       orelse=clone_region(stmt.orelse, mapping), outs=[])
    elif isinstance(stmt, While):
        new = _replaced(stmt, inits=[_sub(a, mapping) for a in stmt.inits],
                       cond=clone_region(stmt.cond, mapping), body=clone_region(stmt.body, mapping),
                       outs=[])
    elif isinstance(stmt, For):
        new = _replaced(stmt, iterable=_sub(stmt.iterable, mapping),
                       inits=[_sub(a, mapping) for a in stmt.inits],
                       body=clone_region(stmt.body, mapping), outs=[])
    else:
        raise TypeError(stmt)
    new.outs = [_fresh(v, mapping) for v in stmt.outs]
    return new


def _replaced(stmt, **changes):
    """`dataclasses.replace(stmt, **changes)` (the statement classes run nothing on __init__),
    without its cost: clone_stmt runs for every statement of every copy a stage makes."""
    new = object.__new__(stmt.__class__)
    new.__dict__.update(stmt.__dict__)
    new.__dict__.update(changes)
    return new


def _fresh(v: Var, mapping: dict) -> Var:
    new = like(v)
    mapping[v] = new
    return new


def _sub(x, mapping: dict):
    if isinstance(x, Var):
        return mapping.get(x, x)
    return x


def substitute(region: Region, mapping: dict) -> None:
    """Replace operands in place throughout `region` (definitions are untouched)."""
    for stmt in region.body:
        if isinstance(stmt, Call):
            stmt.args = [_sub(a, mapping) for a in stmt.args]
            stmt.kwargs = {k: _sub(v, mapping) for k, v in stmt.kwargs.items()}
        elif isinstance(stmt, If):
            stmt.cond = _sub(stmt.cond, mapping)
            substitute(stmt.then, mapping)
            substitute(stmt.orelse, mapping)
        elif isinstance(stmt, While):
            stmt.inits = [_sub(a, mapping) for a in stmt.inits]
            substitute(stmt.cond, mapping)
            substitute(stmt.body, mapping)
        elif isinstance(stmt, For):
            stmt.iterable = _sub(stmt.iterable, mapping)
            stmt.inits = [_sub(a, mapping) for a in stmt.inits]
            substitute(stmt.body, mapping)
    region.yields = [_sub(y, mapping) for y in region.yields]


def defined_in(region: Region) -> set:
    """Every Var defined inside `region`, its nested regions included (params too)."""
    out = set(region.params)
    for stmt in region.body:
        out.update(stmt.outs)
        for r in regions(stmt):
            out |= defined_in(r)
    return out


def used_in(region: Region) -> set:
    """Every Var read inside `region`, nested regions included."""
    out = set()
    for stmt in region.body:
        out.update(x for x in operands(stmt) if isinstance(x, Var))
        for r in regions(stmt):
            out |= used_in(r)
    out.update(y for y in region.yields if isinstance(y, Var))
    return out


def ordered_uses(region: Region) -> list[Var]:
    """The Vars `region` reads (nested regions included), in order of first reading, each once."""
    seen: dict = {}

    def visit(r: Region):
        for stmt in r.body:
            for x in operands(stmt):
                if isinstance(x, Var):
                    seen.setdefault(x, None)
            for sub in regions(stmt):
                visit(sub)
        for y in r.yields:
            if isinstance(y, Var):
                seen.setdefault(y, None)

    visit(region)
    return list(seen)
