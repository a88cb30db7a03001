"""f-strings -> SSA values, inside the statements kept for their effect (the fence refuses them
anywhere else): the string is the sum of its pieces, each formatted from a primal value.

    f"n = {n:3d}, x = {x!r}"   ->   'n = ' + format(n, '3d') + ', x = ' + format(repr(x))
"""

from __future__ import annotations

import operator

import gast

from ..ir.core import Const, Operand
from .context import Context


def lower_joined_str(ctx: Context, node: gast.JoinedStr) -> Operand:
    """An f-string (only inside kept statements: the fence refuses it elsewhere), as the sum of
    its pieces: ``f"n = {n:3d}"`` is ``'n = ' + format(n, '3d')``."""
    total: Operand | None = None
    for part in node.values:
        piece = _piece(ctx, part)
        total = piece if total is None else ctx.emit(operator.add, [total, piece], node=node)
    return total if total is not None else Const("")


_CONVERSIONS = {ord("s"): str, ord("r"): repr, ord("a"): ascii}


def _piece(ctx: Context, part) -> Operand:
    from .expressions import lower_expr  # (expressions dispatches f-strings here)

    if isinstance(part, gast.Constant):
        return Const(part.value)
    value = lower_expr(ctx, part.value)
    convert = _CONVERSIONS.get(part.conversion)
    if convert is not None:
        value = ctx.emit(convert, [value], node=part, ref=Const(convert, convert.__name__))
    spec = [lower_joined_str(ctx, part.format_spec)] if part.format_spec is not None else []
    return ctx.emit(format, [value, *spec], node=part, ref=Const(format, "format"))
