"""to_ssa: the desugared (core) tree -> structured SSA, in one walk with a scoped environment.

It reads only the core `frontend/desugar.py` produces (loops with one exit, `for` over ranges of
indices, returns only at the function's level) and `Parsed.invented`, which says what each name
the desugaring made up stands for. One function per statement kind, each taking the `Context` of
the region it builds (`lower/context.py`); expressions are in `lower/expressions.py`.

Output guarantees: every `Var` is defined once; free names are resolved to `Const` objects with
their spelling; each `if` yields the variables either branch rebinds, each loop carries the
variables its body rebinds; an `if` that returns yields the function's results from both paths,
so the function has one exit.

    y = x * 2            y = mul(x, 2)
    if y > 1:            t = gt(y, 1)
        y = y - 1   ->   y_1 = if t:
    return y               then: y_2 = sub(y, 1); yield y_2
                           else: yield y
                         return y_1
"""

from __future__ import annotations

import operator

import gast

from ..frontend.parse import Parsed
from ..ir.core import Const, For, Function, If, Operand, Param, Region, Var, While, make_tuple
from ..runtime import UNBOUND, not_shared, unpacked
from . import effects
from .calls import check_escapes
from . import mutation
from .context import Context, Unit
from .expressions import lower_expr


def to_ssa(parsed: Parsed, callee_ir, callee_tree=None, static=None) -> Function:
    """The SSA IR of a desugared function. `callee_ir(fn, loc)` gives the IR of a user function it
    calls (lowered by the pipeline, once), which is inlined; `callee_tree(fn, loc)` its desugared
    tree, for the calls `lower/calls.py` inlines from the tree. `static` maps the positions of
    parameters holding functions to the function the IR is specialised for."""
    tree = parsed.tree
    unit = Unit(parsed, callee_ir, frozenset(_stored(tree.body) | {a.id for a in _all_args(tree.args)}),
                callee_tree=callee_tree)
    ctx = Context(unit, {}, [], set())
    params = _params(ctx, parsed)
    for i, value in (static or {}).items():
        ctx.env[params[i].var.hint] = Const(value)
    ended = lower_body(ctx, tree.body)
    results, returns_tuple = ended if ended is not None else ([Const(None)], False)
    fn = Function(name=tree.name, params=params, body=Region([], ctx.stmts, results),
                  returns_tuple=returns_tuple, loc=unit.loc(tree), lines=parsed.lines,
                  filename=parsed.filename, callees=unit.callees)
    check_escapes(fn, unit)
    return fn


def _params(ctx: Context, parsed: Parsed) -> list[Param]:
    fn, args = parsed.fn, parsed.tree.args
    positional = list(getattr(args, "posonlyargs", []) or []) + list(args.args)
    defaults = list(fn.__defaults__ or ())
    first_default = len(positional) - len(defaults)
    params = []
    for i, a in enumerate(positional):
        ctx.env[a.id] = v = Var(a.id)
        params.append(Param(v, Const(defaults[i - first_default]) if i >= first_default else None))
    if args.vararg is not None:  # *args: one parameter holding the tuple (as the API passes it)
        ctx.env[args.vararg.id] = v = Var(args.vararg.id)
        params.append(Param(v))
    kwdefaults = fn.__kwdefaults__ or {}
    for a in args.kwonlyargs:
        ctx.env[a.id] = v = Var(a.id)
        params.append(Param(v, Const(kwdefaults[a.id]) if a.id in kwdefaults else None, keyword_only=True))
    if args.kwarg is not None:  # **kwargs: one parameter holding the dict
        ctx.env[args.kwarg.id] = v = Var(args.kwarg.id)
        params.append(Param(v, keyword_only=True))
    return params


# ---- blocks ----------------------------------------------------------------------------------------


def lower_body(ctx: Context, stmts) -> tuple | None:
    """A block of the function's own level: (results, is_tuple) once it returns, or None when it
    falls off the end. An `if` holding a return is the block's last statement (desugar moved what
    followed it into its paths)."""
    for stmt in stmts:
        if isinstance(stmt, gast.Return):
            return lower_return(ctx, stmt)
        if isinstance(stmt, gast.If) and _returns(stmt):
            return lower_returning_if(ctx, stmt)
        if isinstance(stmt, gast.With):  # with np.errstate(...): (lower/effects.py), maybe returning
            ended = effects.lower_with(ctx, stmt, lower_body)
            if ended is not None:
                return ended
            continue
        lower_stmt(ctx, stmt)
    return None


def lower_block(ctx: Context, stmts) -> None:
    for stmt in stmts:
        lower_stmt(ctx, stmt)


def lower_stmt(ctx: Context, node) -> None:
    lower = _STATEMENTS.get(type(node))
    if lower is None:
        ctx.unit.error(node, f"the statement {type(node).__name__} is not supported by sourcead")
    lower(ctx, node)


# ---- returns -----------------------------------------------------------------------------------


def lower_return(ctx: Context, node: gast.Return) -> tuple:
    if node.value is None:
        values, is_tuple = [Const(None)], False
    elif isinstance(node.value, gast.Tuple):
        values, is_tuple = [lower_expr(ctx, e) for e in node.value.elts], True
    else:
        values, is_tuple = [lower_expr(ctx, node.value)], False
    _check_shape(ctx, node, (len(values), is_tuple))
    return values, is_tuple


def _check_shape(ctx: Context, node, shape: tuple) -> None:
    unit = ctx.unit
    if unit.return_shape is None:
        unit.return_shape = shape
    elif unit.return_shape != shape:
        unit.error(node, "this return gives a different number of values than another return of the function",
                   "return the same number of values (a tuple of the same length) on every path")


def lower_returning_if(ctx: Context, node: gast.If) -> tuple:
    """``if c: ...return a... else: ...return b...``: the `if` yields the function's results."""
    cond = lower_expr(ctx, node.test)
    then, orelse = ctx.child(), ctx.child()
    then_end, else_end = lower_body(then, node.body), lower_body(orelse, node.orelse)
    then_values, then_tuple = then_end or _fall_off(ctx, node)
    else_values, _ = else_end or _fall_off(ctx, node)
    outs = [Var() for _ in then_values]
    ctx.stmts.append(If(outs, cond, Region([], then.stmts, list(then_values)),
                        Region([], orelse.stmts, list(else_values)), ctx.unit.loc(node)))
    return list(outs), then_tuple


def _fall_off(ctx: Context, node) -> tuple:
    shape = ctx.unit.return_shape
    if shape is not None and shape != (1, False):
        ctx.unit.error(node, "a path through this function ends without a return, where others return "
                       f"{shape[0]} values", "return on every path")
    return [Const(None)], False


# ---- assignments -------------------------------------------------------------------------------


def lower_assign(ctx: Context, node: gast.Assign) -> None:
    target, value = node.targets[0], node.value
    if _is_check(ctx, value):
        lower_not_shared(ctx, target.id, node)
    elif isinstance(target, gast.Name):
        n_before = len(ctx.stmts)
        ctx.bind(target.id, lower_expr(ctx, value), n_before)
        mutation.after_assign(ctx, target.id, value)  # a write's aliases; what this binding aliases
    elif isinstance(target, (gast.Tuple, gast.List)):
        if isinstance(value, (gast.Tuple, gast.List)) and len(value.elts) == len(target.elts):
            values = []
            for elt in value.elts:
                n_before = len(ctx.stmts)
                values.append((lower_expr(ctx, elt), n_before))
            for t, (v, n_before) in zip(target.elts, values, strict=True):
                _bind_target(ctx, t, v, n_before, node)
        else:
            _unpack(ctx, target, lower_expr(ctx, value), node)
    else:
        ctx.unit.error(target, f"assignment to {type(target).__name__} is not supported by sourcead")


def _is_check(ctx: Context, value) -> bool:
    if not (isinstance(value, gast.Call) and isinstance(value.func, gast.Name)):
        return False
    invented = ctx.unit.invented(value.func.id)
    return invented is not None and invented.role == "check"


def lower_not_shared(ctx: Context, name: str, node) -> None:
    """``x = $not_shared(x)`` before ``x op= v``, which changes an array in place: exact as
    ``x = x op v`` unless another name holds the same memory. Checked at run time, against every
    value a user's name holds and every sequence an enclosing loop iterates over."""
    tracked, group = mutation.before_write(ctx, name, node)  # the aliases the write will update
    if name not in ctx.env:
        return  # not bound here: reading it raises
    others = []
    for n, v in ctx.env.items():
        invented = ctx.unit.invented(n)
        if n != name and n not in group and isinstance(v, Var) and invented is None:
            others.append(v)
    for n, v in ctx.env.items():
        invented = ctx.unit.invented(n)
        if invented is not None and invented.held and n not in group and isinstance(v, Var) and v not in others:
            others.append(v)
    loc = ctx.unit.loc(node)
    held = ctx.emit(make_tuple, others, node=node) if others else Const(())
    args = [ctx.env[name], Const(name), Const((loc.filename, loc.line, loc.col)), held]
    ctx.env[name] = ctx.emit(not_shared, args + ([tracked] if isinstance(tracked, Var) else []), node=node, hint=name)


def _unpack(ctx: Context, target, value: Operand, node) -> None:
    checked = ctx.emit(unpacked, [value, Const(len(target.elts))], node=node)
    for i, elt in enumerate(target.elts):
        n_before = len(ctx.stmts)
        item = ctx.emit(operator.getitem, [checked, Const(i)], node=node)
        _bind_target(ctx, elt, item, n_before, node)


def _bind_target(ctx: Context, target, value: Operand, n_before: int, node) -> None:
    if isinstance(target, gast.Name):
        ctx.bind(target.id, value, n_before)
    else:
        _unpack(ctx, target, value, node)


def lower_delete(ctx: Context, node: gast.Delete) -> None:
    """``del $s``: an invented name the desugaring no longer needs (a loop's sequence, its counter);
    ``del y`` of the user's: see `effects.lower_delete`."""
    if any(ctx.unit.invented(t.id) is None for t in node.targets):
        return effects.lower_delete(ctx, node)
    for target in node.targets:
        ctx.env.pop(target.id, None)
        ctx.maybe_unbound.discard(target.id)


# ---- if ------------------------------------------------------------------------------------------


def lower_if(ctx: Context, node: gast.If) -> None:
    """An `if` yields every variable either branch rebinds."""
    cond = lower_expr(ctx, node.test)
    then, orelse = ctx.child(), ctx.child()
    lower_block(then, node.body)
    lower_block(orelse, node.orelse)
    names = sorted(n for n in set(then.env) | set(orelse.env)
                   if then.env.get(n) is not ctx.env.get(n) or orelse.env.get(n) is not ctx.env.get(n))
    ctx.maybe_unbound = then.maybe_unbound | orelse.maybe_unbound
    mutation.merge(ctx, then, orelse)
    then_region, else_region = Region([], then.stmts, []), Region([], orelse.stmts, [])
    outs = []
    for name in names:
        out = Var(ctx.unit.hint(name))
        then_region.yields.append(then.env.get(name, Const(UNBOUND)))
        else_region.yields.append(orelse.env.get(name, Const(UNBOUND)))
        if name not in then.env or name not in orelse.env:
            ctx.maybe_unbound.add(name)
        ctx.env[name] = out
        outs.append(out)
    ctx.stmts.append(If(outs, cond, then_region, else_region, ctx.unit.loc(node)))


# ---- loops ---------------------------------------------------------------------------------------


def lower_while(ctx: Context, node: gast.While) -> None:
    names = _carried(ctx, node)
    inits, unbound = _entry(ctx, names)
    cond_ctx, cond_params = _loop_region(ctx, names, unbound, conditional=True)
    cond = lower_expr(cond_ctx, node.test)  # a region of its own: what it learns stays there
    body_ctx, body_params = _loop_region(ctx, names, unbound)
    mutation.enter_loop(body_ctx, node.body)
    lower_block(body_ctx, node.body)
    cond_region = Region(cond_params, cond_ctx.stmts, [cond])
    body_region = Region(body_params, body_ctx.stmts, [body_ctx.env[n] for n in names])
    outs = _exit(ctx, names, unbound)
    mutation.exit_loop(ctx, body_ctx, node.body, unbound)  # the aliases of no iteration or of the last
    ctx.stmts.append(While(outs, inits, cond_region, body_region, ctx.unit.loc(node)))


def lower_for(ctx: Context, node: gast.For) -> None:
    """``for i in <range of indices>``: the body takes the index, then the carried values, so
    the reverse sweep can run the indices backwards."""
    iterable = lower_expr(ctx, node.iter)
    names = _carried(ctx, node)
    inits, unbound = _entry(ctx, names)
    index = Var(ctx.unit.hint(node.target.id))
    body_ctx, params = _loop_region(ctx, names, unbound)
    mutation.enter_loop(body_ctx, node.body)
    body_ctx.bind(node.target.id, index, len(body_ctx.stmts))
    lower_block(body_ctx, node.body)
    body_region = Region([index, *params], body_ctx.stmts, [body_ctx.env[n] for n in names])
    outs = _exit(ctx, names, unbound)
    mutation.exit_loop(ctx, body_ctx, node.body, unbound)
    ctx.stmts.append(For(outs, iterable, inits, body_region, ctx.unit.loc(node)))


def _carried(ctx: Context, node) -> list[str]:
    """The names a loop carries: the user's names its body (or a `for`'s target) binds, the
    invented names its test reads and its body rebinds (its flag, its counter), and a return's
    flag and values. An iteration's index and temporaries are not carried."""
    stored = _stored(node.body) | ({node.target.id} if isinstance(node, gast.For) else set())
    tested = _loaded(node.test) if isinstance(node, gast.While) else set()
    names = []
    for name in stored:
        invented = ctx.unit.invented(name)
        if invented is None or name in tested or invented.function_wide:
            names.append(name)
    return sorted(set(names) | mutation.carried(ctx, node.body))  # and what a write changes with it


def _entry(ctx: Context, names) -> tuple[list, set]:
    """The loop's initial values, and the names maybe unbound inside it."""
    inits = [ctx.env.get(n, Const(UNBOUND)) for n in names]
    return inits, set(ctx.maybe_unbound) | {n for n in names if n not in ctx.env}


def _loop_region(ctx: Context, names, unbound, conditional: bool = False) -> tuple[Context, list[Var]]:
    """A child context for a loop's region, its carried names bound to fresh parameters."""
    inner = ctx.child(conditional)
    params = [Var(ctx.unit.hint(n)) for n in names]
    inner.env.update(zip(names, params, strict=True))
    inner.maybe_unbound = set(unbound)
    return inner, params


def _exit(ctx: Context, names, unbound) -> list[Var]:
    outs = [Var(ctx.unit.hint(n)) for n in names]
    ctx.env.update(zip(names, outs, strict=True))
    ctx.maybe_unbound = set(unbound)
    return outs


_STATEMENTS = {gast.Assign: lower_assign, gast.If: lower_if, gast.While: lower_while, gast.For: lower_for,
               gast.Delete: lower_delete, gast.With: lambda ctx, node: effects.lower_with(ctx, node, lower_body),
               **effects.STATEMENTS}


# ---- what a statement holds ----------------------------------------------------------------------


def _all_args(args):
    extra = [a for a in (args.vararg, args.kwarg) if a is not None]
    return list(getattr(args, "posonlyargs", []) or []) + list(args.args) + list(args.kwonlyargs) + extra


def _stored(stmts) -> set[str]:
    return {n.id for stmt in stmts for n in gast.walk(stmt)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


def _loaded(node) -> set[str]:
    return {n.id for n in gast.walk(node) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Load)}


def _returns(node) -> bool:
    return any(isinstance(n, gast.Return) for n in gast.walk(node))
