"""desugar, for the statements kept for their effect (`frontend/statements.py`): an `if` one of
whose branches ends by raising is an `if` that only raises, followed by the other branch.

    if c:                             if c:
        y = np.log(x)        ->           pass
    else:                             else:
        raise ValueError(...)             raise ValueError(...)
                                      y = np.log(x)

The same program (nothing after a raise runs), but every variable the surviving branch binds is
bound on every path that goes on: no value is unbound on some path, so no read needs a check,
and the values keep their kinds (an array stays an array, not "an array or nothing").
"""

from __future__ import annotations

import gast


def split_raising_if(node: gast.If) -> list:
    """`node`, or the `if` that raises followed by the statements of its other branch."""
    then_raises, else_raises = _raises(node.body), _raises(node.orelse)
    if then_raises == else_raises:
        return [node]
    if then_raises:
        rest, node.orelse = node.orelse, []
    else:
        rest, node.body = node.body, []
    return [node, *rest]


def _raises(stmts: list) -> bool:
    return bool(stmts) and isinstance(stmts[-1], gast.Raise)
