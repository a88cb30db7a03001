"""Statements kept for their effect: what the user's `print`, `logging`, `warnings.warn`,
`assert` and `raise` become.

An effect is a `Call` with no result (``print(x)``, ``raise_error(exc)``); the statements that
compute its arguments, and the effect itself, carry the tag `EFFECT`. Two guarantees follow:

- nothing tagged `EFFECT` is differentiated: activity analysis never marks its results as varied
  (the arguments of an effect are inactive by construction, so a message formatted from `x` needs
  no derivative rule), and no value outside the statement reads them (lowering keeps them local);
- an effect is never removed by dead-code elimination (it has no result), and every transform
  keeps it exactly once, where the primal has it: the reverse sweep does not revisit it, forward
  mode copies it.

    print("x =", x)        ->   print('x =', x)                 (tag EFFECT, no result)
    raise ValueError(m)    ->   t = ValueError(m); raise_error(t)
"""

from __future__ import annotations

from .core import Call, walk

EFFECT = "effect"


def tag_effect(stmts: list) -> None:
    """Tag `stmts` (and every statement nested in them) as part of an effect statement."""
    for stmt in walk(stmts):
        stmt.tag = EFFECT


def is_effect_statement(stmt) -> bool:
    """Whether `stmt` is one the user kept for its effect (or computes what such a one reads)."""
    return stmt.tag == EFFECT


def effect_calls(stmts: list) -> list[Call]:
    """The effect calls (no result, tagged `EFFECT`) among `stmts`, nested ones included."""
    return [s for s in walk(stmts) if isinstance(s, Call) and not s.outs and s.tag == EFFECT]
