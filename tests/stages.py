"""Helpers for the stage tests: a function's IR at a given stage, its text, and the printed names
of a set of values (so a test can say "x and a are varied" in the IR's own words)."""

import textwrap

from sourcead import cache
from sourcead.frontend.desugar import desugar
from sourcead.frontend.fence import fence
from sourcead.frontend.parse import parse
from sourcead.ir.printer import Namer, format_function, format_region
from sourcead.lower.to_ssa import to_ssa
from sourcead.passes import kinds as kinds_mod


def ir(text: str) -> str:
    """An expected IR text written indented in a test: dedented, without the surrounding blank lines."""
    return textwrap.dedent(text).strip("\n")


def to_ssa_of(f):
    """f's IR right after to_ssa (before the simplify that `cache.lowered` also runs)."""
    return to_ssa(desugar(fence(parse(f))), cache.callee_ir)


def lowered(f):
    """f's primal IR as the pipeline hands it to a transform: to_ssa, then simplify."""
    return cache.lowered(f).ir


def kinds_of(fn, *arg_kinds, global_kinds=None) -> dict:
    """The kinds of fn's values, its parameters having `arg_kinds` in order."""
    return kinds_mod.infer(fn, {p.var: k for p, k in zip(fn.params, arg_kinds)}, global_kinds or {})


def namer_of(fn) -> Namer:
    """The names `format_function(fn)` gives fn's values."""
    namer = Namer()
    for p in fn.params:
        namer(p.var)
    format_region(fn.body, namer)
    for y in fn.body.yields:
        if hasattr(y, "hint"):
            namer(y)
    return namer


def names(fn, values) -> list[str]:
    """The printed names of `values` (Vars of fn), sorted."""
    namer = namer_of(fn)
    return sorted(namer(v) for v in values)


def by_name(fn) -> dict:
    """Printed name -> Var, for every value of fn."""
    return {name: v for v, name in namer_of(fn).names.items()}


__all__ = ["ir", "to_ssa_of", "lowered", "kinds_of", "names", "by_name", "format_function"]
