"""effects: a copy of a function without the statements kept for their effect (`ir/effects.py`).

Used where the same primal has just run at the same arguments with its effects -- a vjp's
pullback after ``out = f(x)``, the second and later columns of a Hessian or a Jacobian -- so a
print in the primal prints once per call of the public function, and an assert it passed is not
checked again. Output guarantees: no effect remains (no call kept for its effect, no assert);
what the effects alone read is gone with them. A value an effect's arguments computed stays if
something else reads it (a later pass may have taken it as a shape's representative).

    QUIET = "_quiet"; a chain mode "vjp_quiet" is "vjp" on `quiet(fn)`.
"""

from __future__ import annotations

from ..ir.builder import clone_function
from ..ir.core import Function, Region, regions
from ..ir.effects import is_effect_statement
from . import dce

QUIET = "_quiet"  # the suffix of a mode whose derivative runs without the primal's effects


def split_mode(mode: str) -> tuple[str, bool]:
    """("vjp", True) for "vjp_quiet"; (mode, False) otherwise."""
    if mode.endswith(QUIET):
        return mode[: -len(QUIET)], True
    return mode, False


def quiet(fn: Function) -> Function:
    """A copy of `fn` without its effect statements."""
    fn = clone_function(fn)
    _strip(fn.body)
    dce.prune_region(fn.body)
    return fn


def _strip(region: Region) -> None:
    region.body = [s for s in region.body if not (is_effect_statement(s) and not s.outs)]
    for stmt in region.body:
        for inner in regions(stmt):
            _strip(inner)
