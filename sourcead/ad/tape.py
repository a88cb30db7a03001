"""tape: what a loop's forward sweep need not push, because its adjoint has it another way.

`Reverse.loop` pushes, per iteration, the values of the body that the adjoint body reads. Two
kinds of those values are cheaper to get back without the tape, as a person writing the reverse
loop by hand would:

- **recomputed**: a number computed by one arithmetic operator from numbers the adjoint iteration
  has anyway (pushed values, values from before the loop, literals) -- ``0.5 * v`` when ``v`` is
  pushed -- is computed again in the adjoint (one multiplication instead of a push and a pop);
- **carried over**: a value the body yields as a carried value's next value, when that carried
  value is itself pushed at the start of the iteration (``v`` and the new ``v``): the new value of
  iteration i is the old value of iteration i + 1, which the adjoint loop, running backwards,
  popped one iteration earlier -- or, for the last iteration, the loop's result. The adjoint loop
  carries it from one iteration to the next instead of the forward loop pushing it twice.

And an array the adjoint reads only for its shape (the second operand of ``unbroadcast``, a
matrix product's result that broadcasting might have widened) is **measured**: the tape keeps
``shape_of(x)``, not the array, so a loop's gradient does not hold every iteration's temporaries.

These are plans over the primal loop; `Reverse.loop` carries them out.
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.core import Attr, Call, Const, For, Var, operands, regions, walk
from ..passes import kinds as kinds_mod

# operators cheap enough to run again rather than push and pop their result (a number's)
CHEAP = frozenset({operator.add, operator.sub, operator.mul, operator.neg, operator.pos, operator.truediv})


# operation -> the position of an operand it reads only through np.shape / .shape / .ndim / .size
MEASURING = {
    runtime.unbroadcast: 1, runtime.broadcast_like: 1, runtime.expand_reduced: 1, runtime.unindex: 1,
    np.size: 0, np.shape: 0, np.ndim: 0, Attr("shape"): 0, Attr("size"): 0, Attr("ndim"): 0,
}


def measured(adjoint, pushed: list[Var], kinds: dict) -> set[Var]:
    """The pushed arrays the adjoint body reads only for their shapes."""
    arrays = {v for v in pushed if isinstance(kinds_mod.of(v, kinds), kinds_mod.Array)}
    for st in walk(adjoint.body):
        position = _measuring(st.op) if isinstance(st, Call) and not st.kwargs else None
        for k, x in enumerate(operands(st)):
            if k != position:
                arrays.discard(x)
    _discard_yields(adjoint, arrays)
    return arrays


def _measuring(op):
    try:
        return MEASURING.get(op)
    except TypeError:  # an unhashable operation
        return None


def _discard_yields(region, arrays: set) -> None:
    arrays.difference_update(region.yields)
    for st in region.body:
        for inner in regions(st):
            _discard_yields(inner, arrays)


def carried_over(loop, needed: list[Var]) -> dict[Var, int]:
    """needed value -> the position of the carried value it is the next value of, where that
    carried value is needed too (pushed at the start of each iteration)."""
    params = loop.body.params[1:] if isinstance(loop, For) else loop.body.params
    defined = {o for st in loop.body.body for o in st.outs}
    wanted = set(needed)
    out: dict[Var, int] = {}
    for j, y in enumerate(loop.body.yields):
        if isinstance(y, Var) and y in defined and y in wanted and params[j] in wanted and y not in out:
            out[y] = j
    return out


def recomputed(body, needed: list[Var], carried: dict, kinds: dict) -> list[Call]:
    """The statements of `body` (in order) whose needed number the adjoint recomputes: one cheap
    operator over numbers it has (pushed, carried over, recomputed before it, from outside the
    loop, literals)."""
    available = set(needed) - {v for v in needed if _defined_at(body, v) is not None} | set(carried)
    inside = set(body.params) | {o for st in body.body for o in st.outs}
    plan = []
    wanted = set(needed)
    for st in body.body:
        if not (isinstance(st, Call) and len(st.outs) == 1 and st.outs[0] in wanted and st.outs[0] not in carried):
            continue
        if _cheap(st, kinds) and all(_has(a, available, inside) for a in st.args):
            plan.append(st)
            available.add(st.outs[0])
        elif st.outs[0] in wanted:
            available.add(st.outs[0])  # pushed
    return plan


def _defined_at(body, v):
    for k, st in enumerate(body.body):
        if v in st.outs:
            return k
    return None


def _cheap(st: Call, kinds: dict) -> bool:
    return st.op in CHEAP and not st.kwargs and kinds_mod.is_scalar(st.outs[0], kinds) \
        and all(kinds_mod.is_scalar(a, kinds) for a in st.args)


def _has(a, available: set, inside: set) -> bool:
    """Whether the adjoint iteration has operand `a` without the tape's help for it."""
    return isinstance(a, Const) or a in available or a not in inside
