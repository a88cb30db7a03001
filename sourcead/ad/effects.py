"""The reverse sweep of ``with np.errstate(...):`` (`lower/effects.py`).

The adjoint statements of a block run under the same error state as the block, in a block of
their own: the reverse sweep meets the block's end first, and enters a new manager made as the
primal's was; at the block's start it leaves it again. Pairs nest as the primal's do.

    t = np.errstate(divide='ignore')         (forward)  with np.errstate(divide='ignore'):
    enter_context(t); y = log(x);                           y = np.log(x)
    exit_context(t)                          (reverse)  with np.errstate(divide='ignore'):
                                                            dx = dy / x
"""

from __future__ import annotations

from ..errors import InternalError
from ..ir.core import Call, Var
from ..runtime import enter_context, exit_context
from .common import GRAD


def is_context(stmt: Call) -> bool:
    return stmt.op is enter_context or stmt.op is exit_context


def context_adjoint(stmt: Call, defs: dict, emit: list) -> None:
    """Emit the reverse sweep's side of a primal `enter_context` or `exit_context`."""
    if stmt.op is exit_context:
        made = defs.get(stmt.args[0])
        if made is None:
            raise InternalError("a with statement's manager is not made by a call")
        manager = Var()
        emit.append(Call([manager], made.op, list(made.args), dict(made.kwargs), made.loc, made.ref, GRAD))
        emit.append(Call([], enter_context, [manager], {}, stmt.loc, None, GRAD))
    elif emit and isinstance(emit[-1], Call) and emit[-1].op is enter_context and emit[-1].tag == GRAD:
        del emit[-2:]  # no adjoint statement in the block: no block
    else:
        emit.append(Call([], exit_context, [_open(emit)], {}, stmt.loc, None, GRAD))


def _open(emit: list):
    """The manager of the innermost block the adjoint statements entered and have not left."""
    depth = 0
    for st in reversed(emit):
        if isinstance(st, Call) and st.op is exit_context:
            depth += 1
        elif isinstance(st, Call) and st.op is enter_context:
            if depth == 0:
                return st.args[0]
            depth -= 1
    raise InternalError("the reverse sweep leaves a with block it did not enter")
