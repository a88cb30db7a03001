"""complexity: which values may be complex, and the refusal of what is not differentiated right
for them (an analysis; the IR is not changed).

A value may be complex when it is a complex argument or data global (its kind:
`kinds.ComplexScalar`, `ComplexArray`), a complex literal or a constant holding one (``1j``, a
complex dtype given to ``astype`` or ``np.zeros``), the result of an operation that makes complex
values (``complex(a, b)``, np.fft's transforms: `rules.complex_.COMPLEX_RESULT`), or of any other
operation on a value that may be complex, except those whose result is real whatever they read
(np.real, np.abs, comparisons: `rules.complex_.REAL_RESULT`). Branches and loops join: a value is
complex when it may be on some path. The analysis over-approximates: a value it calls real is.

`check` guarantees, before a transform runs, that every operation reading a varied value that may
be complex is one whose rules hold for complex operands (`rules.complex_.supports`), and that a
gradient is asked only of a real result; anything else is refused with the user's line.
"""

from __future__ import annotations

import re

import numpy as np

from ..errors import NonDifferentiableError, UnsupportedCallError
from ..ir.core import Call, Const, Function, If, Pop, Push, Var, While, walk
from ..ir.printer import op_name
from ..rules import complex_
from ..rules.registry import rule_key
from . import kinds as kinds_mod
from .activity import varied


def complex_values(fn: Function, kinds: dict) -> set:
    """The values of `fn` that may be complex, given the kinds of its arguments and globals."""
    found = {p.var for p in fn.params if kinds_mod.is_complex(kinds.get(p.var))}
    pushed = {}
    for _ in range(8):  # a push of a complex value makes its pops complex: to a fixed point
        size = len(found)
        _region(fn.body, kinds, found, pushed)
        if len(found) == size:
            break
    return found


def may_be_complex(x, kinds: dict, found: set) -> bool:
    """Whether an operand may hold a complex value."""
    if isinstance(x, Var):
        return x in found
    if isinstance(x, Const):
        return _complex_constant(x.value) or kinds_mod.is_complex(kinds_mod.of(x, kinds))
    return False


def _complex_constant(v) -> bool:
    if isinstance(v, (complex, np.complexfloating)):
        return True
    if isinstance(v, np.ndarray):
        return v.dtype.kind == "c"
    if isinstance(v, (tuple, list)):
        return any(_complex_constant(e) for e in v)
    if isinstance(v, type) and (v is complex or issubclass(v, np.complexfloating)) \
            or isinstance(v, np.dtype) and v.kind == "c":
        return True
    if isinstance(v, str):  # a dtype's name ("complex128", "c16"); not a one-letter code ("F" is an order)
        return _COMPLEX_NAME.match(v) is not None
    return False


_COMPLEX_NAME = re.compile(r"^[<>=|]?(complex\d*|c\d+)$")


def _region(region, kinds: dict, found: set, pushed: dict) -> None:
    for stmt in region.body:
        if isinstance(stmt, Call):
            _call(stmt, kinds, found, pushed)
        elif isinstance(stmt, If):
            _region(stmt.then, kinds, found, pushed)
            _region(stmt.orelse, kinds, found, pushed)
            for out, a, b in zip(stmt.outs, stmt.then.yields, stmt.orelse.yields, strict=True):
                if may_be_complex(a, kinds, found) or may_be_complex(b, kinds, found):
                    found.add(out)
        else:
            _loop(stmt, kinds, found, pushed)


def _call(stmt: Call, kinds: dict, found: set, pushed: dict) -> None:
    if isinstance(stmt.op, Push):
        if may_be_complex(stmt.args[1], kinds, found):
            pushed[stmt.op.slot] = True
        return
    if isinstance(stmt.op, Pop):
        if pushed.get(stmt.op.slot):
            found.update(stmt.outs)
        return
    key = rule_key(stmt.op, stmt.args)
    if _member(key, complex_.REAL_RESULT):
        return
    if _member(key, complex_.COMPLEX_RESULT) or \
            any(may_be_complex(a, kinds, found) for a in (*stmt.args, *stmt.kwargs.values())):
        found.update(stmt.outs)


def _member(key, table) -> bool:
    try:
        return key in table
    except TypeError:  # an unhashable operation
        return False


def _loop(stmt, kinds: dict, found: set, pushed: dict) -> None:
    params = stmt.body.params if isinstance(stmt, While) else stmt.body.params[1:]
    while True:
        size = len(found)
        for i, init in enumerate(stmt.inits):
            if may_be_complex(init, kinds, found) or may_be_complex(stmt.body.yields[i], kinds, found):
                found.add(params[i])
                if isinstance(stmt, While):
                    found.add(stmt.cond.params[i])
        if isinstance(stmt, While):
            _region(stmt.cond, kinds, found, pushed)
        _region(stmt.body, kinds, found, pushed)
        if len(found) == size:
            break
    found.update(out for out, p in zip(stmt.outs, params, strict=True) if p in found)


def check(fn: Function, kinds: dict, wrt, mode: str) -> None:
    """Refuse an operation on a varied value that may be complex whose rules do not hold for
    complex operands, and a gradient of a result that may be complex (see the module's docstring)."""
    found = complex_values(fn, kinds)
    if not found:
        return
    active = varied(fn, [fn.params[i].var for i in wrt])
    for stmt in walk(fn.body.body):
        if not isinstance(stmt, Call) or isinstance(stmt.op, (Push, Pop)):
            continue
        operands = (*stmt.args, *stmt.kwargs.values())
        if not any(isinstance(a, Var) and a in active and a in found for a in operands):
            continue
        key = rule_key(stmt.op, stmt.args)
        if not complex_.supports(key):
            raise UnsupportedCallError(
                f"{_describe(stmt)} of a complex value: {complex_.refusal(key)}", stmt.loc,
                "a second derivative through complex values meets this in the first derivative's code: "
                "differentiate with respect to real and imaginary parts as floats" if stmt.tag else
                "compute with np.real(z), np.imag(z) or np.abs(z) (real values) before it, or register "
                "a rule that holds for complex numbers")
    if mode in ("grad", "value_and_grad", "grad_aux"):
        _refuse_complex_result(fn, kinds, found, mode)


def _refuse_complex_result(fn: Function, kinds: dict, found: set, mode: str) -> None:
    results = fn.body.yields[:1] if mode == "grad_aux" else fn.body.yields
    if any(may_be_complex(y, kinds, found) for y in results):
        raise NonDifferentiableError(
            f"grad of {fn.name}: the result may be complex, and grad differentiates a real-valued function",
            fn.loc, "return a real value (np.real(...), np.abs(...) ** 2), or for a holomorphic f use "
                    "sourcead.vjp(f, z)[1](1.0), which is f'(z) (JAX's convention)")


def _describe(stmt: Call) -> str:
    if stmt.ref is not None and stmt.ref.spelling:
        return stmt.ref.spelling
    return op_name(stmt.op)
