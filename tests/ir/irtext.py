"""Small helpers for the IR tests: expected text, and IR built by hand without ceremony."""

import operator
import textwrap

from sourcead.ir.core import Call, Const, Function, Param, Region, Var


def ir(text: str) -> str:
    """An expected IR text written indented in a test: dedented, without the surrounding blank lines."""
    return textwrap.dedent(text).strip("\n")


def call(op, *args, out: Var | None = None, **kwargs) -> Call:
    """``out = op(*args)``; a Python number or string among the args is a Const."""
    wrap = lambda a: a if isinstance(a, (Var, Const)) else Const(a)  # noqa: E731
    return Call([out] if out is not None else [], op, [wrap(a) for a in args],
                {k: wrap(v) for k, v in kwargs.items()})


def function(name: str, params: list[Var], body: list, results: list, **options) -> Function:
    return Function(name, [Param(p) for p in params], Region([], body, results), **options)


def square_plus(name="square_plus"):
    """``def square_plus(x): y = x * x; z = y + 1.0; return z`` built by hand: (fn, x, y, z)."""
    x, y, z = Var("x"), Var("y"), Var("z")
    return function(name, [x], [call(operator.mul, x, x, out=y), call(operator.add, y, 1.0, out=z)], [z]), x, y, z
