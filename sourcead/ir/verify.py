"""The IR checker: every use is defined before it, every value is defined once, every region
yields what its statement declares. Run after every stage in tests (and by `pipeline` when
``SOURCEAD_VERIFY=1``); a fault is an `InternalError` that prints the IR around it.
"""

from __future__ import annotations

from ..errors import InternalError
from .core import Call, Const, For, Function, If, Region, Var, While, operands
from .printer import Namer, format_function


class _Fault(Exception):
    """A malformation; `values` are named in the message as the dump around it names them."""

    def __init__(self, template: str, *values):
        super().__init__(template)
        self.template, self.values = template, values

    def render(self, namer: Namer) -> str:
        return self.template.format(*(namer(v) if isinstance(v, Var) else v for v in self.values))


def verify(fn: Function, stage: str = "") -> Function:
    try:
        defined: set[Var] = set()
        for p in fn.params:
            _define(p.var, defined)
        _region(fn.body, defined, scope=set(defined))
    except _Fault as fault:
        namer = Namer()
        dump = format_function(fn, namer)
        raise InternalError(f"the IR after stage {stage or '?'} is malformed: {fault.render(namer)}\n{dump}") from None
    return fn


def _define(v, defined: set) -> None:
    if not isinstance(v, Var):
        raise _Fault("{} is defined but is not a Var", v)
    if v in defined:
        raise _Fault("{} is defined twice", v)
    defined.add(v)


def _use(x, scope: set, where: str) -> None:
    if isinstance(x, Const):
        return
    if not isinstance(x, Var):
        raise _Fault("operand {} of {} is neither a Var nor a Const", x, where)
    if x not in scope:
        raise _Fault("{} is used by {} but not defined in scope", x, where)


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
                raise _Fault("while with {} carried values has mismatched params/outs", n)
            _region(stmt.cond, defined, scope, 1)
            _region(stmt.body, defined, scope, n)
        elif isinstance(stmt, For):
            n = len(stmt.inits)
            if len(stmt.body.params) != n + 1 or len(stmt.outs) != n:
                raise _Fault("for with {} carried values has mismatched params/outs", n)
            _region(stmt.body, defined, scope, n)
        elif not isinstance(stmt, Call):
            raise _Fault("unknown statement {}", stmt)
        for v in stmt.outs:
            _define(v, defined)
            scope.add(v)
    if n_yields is not None and len(region.yields) != n_yields:
        raise _Fault("a region yields {} values where {} are expected", len(region.yields), n_yields)
    for y in region.yields:
        _use(y, scope, "yield")
