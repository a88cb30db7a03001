"""Statements kept for their effect -> `EFFECT` statements (see `ir/effects.py`).

Each statement is lowered in a child context: the values computed for its arguments stay local
to it (a read of a maybe-unbound name checked here is checked again where code reads it next),
and every statement it makes is tagged `EFFECT`, so nothing it computes is differentiated.

    print("x =", x)           print('x =', x)                          (a call with no result)
    assert x > 0, "neg"   ->  t = gt(x, 0); if t: pass else: t_1 = AssertionError('neg'); raise_error(t_1)
    raise ValueError(m)       t = ValueError(m); raise_error(t)
    del y                     y is unbound from here on (a read raises, as in Python)
    with np.errstate(...):    t = numpy.errstate(...); enter_context(t)
        y = np.log(x)         y = numpy.log(x)
                              exit_context(t)                          (not EFFECT: always kept)
"""

from __future__ import annotations

import gast

from ..frontend.statements import effect_callee, exception_class, function_locals
from ..ir.core import Call, Const, If, Operand, Region
from ..ir.effects import tag_effect
from ..runtime import UNBOUND, enter_context, exit_context, raise_error
from .context import Context
from .expressions import lower_expr, lower_name


def _kept(ctx: Context, lower) -> None:
    """Run `lower(inner)` in a child context; its statements join `ctx`'s, tagged `EFFECT`."""
    inner = ctx.child()
    lower(inner)
    tag_effect(inner.stmts)
    ctx.stmts.extend(inner.stmts)


def _arguments(ctx: Context, call: gast.Call) -> tuple[list, dict]:
    return [lower_expr(ctx, a) for a in call.args], {k.arg: lower_expr(ctx, k.value) for k in call.keywords}


def lower_expr_statement(ctx: Context, node: gast.Expr) -> None:
    """``print(...)``, ``logger.info(...)``, ``warnings.warn(...)``: a call with no result."""
    unit = ctx.unit
    callee = effect_callee(unit.parsed, node.value, function_locals(unit.parsed))
    if callee is None:
        unit.error(node, "an expression statement other than print, logging or warnings.warn is not "
                   "supported by sourcead", "assign its result and use it, or move the call outside the differentiated function")
    obj, spelling = callee

    def lower(inner: Context) -> None:
        args, kwargs = _arguments(inner, node.value)
        ref = Const(obj, spelling, unit.parsed.scope)
        inner.stmts.append(Call([], obj, args, kwargs, unit.loc(node), ref))
    _kept(ctx, lower)


def lower_raise(ctx: Context, node: gast.Raise) -> None:
    unit = ctx.unit
    cls, spelling = exception_class(unit.parsed, node.exc, function_locals(unit.parsed))
    ref = Const(cls, spelling, unit.parsed.scope)
    _kept(ctx, lambda inner: _raise(inner, node, ref, node.exc))


def _raise(ctx: Context, node, cls: Const, exc) -> None:
    """``raise cls(*exc's arguments)`` (`exc` a call or the class alone)."""
    if isinstance(exc, gast.Call):
        args, kwargs = _arguments(ctx, exc)
        value: Operand = ctx.emit(cls.value, args, kwargs, node=node, ref=cls)
    else:
        value = cls
    ctx.stmts.append(Call([], raise_error, [value], {}, ctx.unit.loc(node)))


def lower_assert(ctx: Context, node: gast.Assert) -> None:
    """``assert cond, msg``: ``if not cond: raise AssertionError(msg)``, the message evaluated
    only when the check fails, as Python does."""
    def lower(inner: Context) -> None:
        cond = lower_expr(inner, node.test)
        failed = inner.child()
        args = [lower_expr(failed, node.msg)] if node.msg is not None else []
        error = failed.emit(AssertionError, args, node=node, ref=Const(AssertionError, "AssertionError"))
        failed.stmts.append(Call([], raise_error, [error], {}, ctx.unit.loc(node)))
        inner.stmts.append(If([], cond, Region([], [], []), Region([], failed.stmts, []), ctx.unit.loc(node)))
    _kept(ctx, lower)


def lower_delete(ctx: Context, node: gast.Delete) -> None:
    """``del name``: reading an unbound name raises here, as Python does; afterwards the name is
    unbound (a later read raises where it is)."""
    for target in node.targets:
        if target.id not in ctx.env or target.id in ctx.maybe_unbound:
            _kept(ctx, lambda inner, t=target: lower_name(inner, t))
        ctx.env[target.id] = Const(UNBOUND)
        ctx.maybe_unbound.add(target.id)


def lower_with(ctx: Context, node: gast.With, lower_body) -> tuple | None:
    """``with np.errstate(...): block``: the block between entering and leaving the manager, its
    bindings visible after it; the block's return, when it ends with one (`lower_body`'s result).
    Not an `EFFECT`: a vjp's pullback runs its block under the same error state."""
    inner = ctx.child()
    manager = lower_expr(inner, node.items[0].context_expr)
    ctx.stmts.extend(inner.stmts)
    loc = ctx.unit.loc(node)
    ctx.stmts.append(Call([], enter_context, [manager], {}, loc))
    ended = lower_body(ctx, node.body)
    ctx.stmts.append(Call([], exit_context, [manager], {}, loc))
    return ended


STATEMENTS = {gast.Expr: lower_expr_statement, gast.Raise: lower_raise, gast.Assert: lower_assert}
