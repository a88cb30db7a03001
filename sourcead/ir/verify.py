"""The IR checker: every use is defined before it, every value is defined once, every region
yields what its statement declares. Run after every stage in tests (and by `pipeline` when
``SOURCEAD_VERIFY=1``); a fault is an `InternalError` that prints the IR around it.
"""

from __future__ import annotations

from ..errors import InternalError
from .core import Call, Const, For, Function, If, Region, Var, While, operands
from .printer import Namer, format_function


class _Fault(Exception):
    pass


def verify(fn: Function, stage: str = "") -> Function:
    try:
        defined: set[Var] = set()
        for p in fn.params:
            _define(p.var, defined)
        _region(fn.body, defined, scope=set(defined))
    except _Fault as fault:
        raise InternalError(
            f"the IR after stage {stage or '?'} is malformed: {fault}\n{format_function(fn)}"
        ) from None
    return fn


def _define(v, defined: set) -> None:
    if not isinstance(v, Var):
        raise _Fault(f"{v!r} is defined but is not a Var")
    if v in defined:
        raise _Fault(f"{v!r} is defined twice")
    defined.add(v)


def _use(x, scope: set, where: str) -> None:
    if isinstance(x, Const):
        return
    if not isinstance(x, Var):
        raise _Fault(f"operand {x!r} of {where} is neither a Var nor a Const")
    if x not in scope:
        raise _Fault(f"{x!r} is used by {where} but not defined in scope (by {Namer()(x)!r})")


def _region(region: Region, defined: set, scope: set, n_yields: int | None = None) -> None:
    scope = set(scope)
    for p in region.params:
        _define(p, defined)
        scope.add(p)
    for stmt in region.body:
        where = type(stmt).__name__
        for x in operands(stmt):
            _use(x, scope, where)
        if isinstance(stmt, If):
            _region(stmt.then, defined, scope, len(stmt.outs))
            _region(stmt.orelse, defined, scope, len(stmt.outs))
        elif isinstance(stmt, While):
            n = len(stmt.inits)
            if len(stmt.cond.params) != n or len(stmt.body.params) != n or len(stmt.outs) != n:
                raise _Fault(f"while with {n} carried values has mismatched params/outs")
            _region(stmt.cond, defined, scope, 1)
            _region(stmt.body, defined, scope, n)
        elif isinstance(stmt, For):
            n = len(stmt.inits)
            if len(stmt.body.params) != n + 1 or len(stmt.outs) != n:
                raise _Fault(f"for with {n} carried values has mismatched params/outs")
            _region(stmt.body, defined, scope, n)
        elif not isinstance(stmt, Call):
            raise _Fault(f"unknown statement {stmt!r}")
        for v in stmt.outs:
            _define(v, defined)
            scope.add(v)
    if n_yields is not None and len(region.yields) != n_yields:
        raise _Fault(f"a region yields {len(region.yields)} values where {n_yields} are expected")
    for y in region.yields:
        _use(y, scope, "yield")
