"""hoist: compute a loop's invariant number arithmetic once, before the loop.

A statement of a loop's body that only combines numbers defined before the loop (``t = 0.5 * k``
in a loop over ``i``) gives the same value in every iteration. Computed once, before the loop, it
is not recomputed per iteration, not pushed on the tape of a reverse sweep per iteration, and its
cotangent is accumulated across the loop and passed back once (``dk = dk + 0.5 * dt``), as a
person writes it.

Only arithmetic operators on numbers (kind Scalar) move: they cannot raise, so computing one
before a loop that runs no iteration changes nothing a user can see (division, powers and every
call stay where they are). Output guarantees: the function computes the same values; a hoisted
statement keeps its location and sits right before its loop; the kinds table is unchanged (the
values are the same). The input is not changed.

    for i in range(n):               t = mul(0.5, k)
        t = mul(0.5, k)      ->      for i in range(n):
        e = add(e, mul(t, x))            e = add(e, mul(t, x))
"""

from __future__ import annotations

import operator

from ..ir.builder import clone_function
from ..ir.core import Call, For, Function, If, Region, Var, While
from . import kinds as kinds_mod

# operators that cannot raise on numbers (float or int): overflow gives inf, never an exception
_SAFE = frozenset({operator.add, operator.sub, operator.mul, operator.neg, operator.pos})


def run(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """A copy of `fn` whose loops compute their invariant number arithmetic before they start,
    and its kinds."""
    mapping: dict = {}
    fn = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    _region(fn.body, kinds)
    return fn, kinds


def _region(region: Region, kinds: dict) -> None:
    out = []
    for stmt in region.body:
        if isinstance(stmt, If):
            _region(stmt.then, kinds)
            _region(stmt.orelse, kinds)
        elif isinstance(stmt, (For, While)):
            if isinstance(stmt, While):
                _region(stmt.cond, kinds)
            _region(stmt.body, kinds)  # inner loops first: what they hoist may move on out
            out.extend(_invariant(stmt, kinds))
        out.append(stmt)
    region.body[:] = out


def _invariant(loop, kinds: dict) -> list[Call]:
    """Take the invariant statements out of `loop`'s body (top level), in order."""
    body = loop.body
    inside = set(body.params)
    for stmt in body.body:
        inside.update(stmt.outs)
    moved, kept = [], []
    for stmt in body.body:
        if _hoistable(stmt, inside, kinds):
            moved.append(stmt)
            inside.difference_update(stmt.outs)
        else:
            kept.append(stmt)
    body.body[:] = kept
    return moved


def _hoistable(stmt, inside: set, kinds: dict) -> bool:
    if not (isinstance(stmt, Call) and stmt.op in _SAFE and not stmt.kwargs and len(stmt.outs) == 1):
        return False
    for a in stmt.args:
        if isinstance(a, Var) and a in inside:
            return False
        if not kinds_mod.is_scalar(a, kinds):
            return False
    return kinds_mod.is_scalar(stmt.outs[0], kinds)
