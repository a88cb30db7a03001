"""Calls as people write them, resolved while lowering: functions defined inside the function
(nested ``def``, ``lambda``), function values (arguments, locals, ``functools.partial``),
callable objects, bound, static and class methods, ``*args`` and ``**kwargs``.

What this module guarantees of the IR it helps build: a function value never becomes a run-time
value. It is a `Const` while lowering -- a Python object, a `LocalDef` (a nested def or lambda), a
`Closure` (one bound to the environment it was passed from), a `Partial` or `KwArgs` -- and a
call of it is either a call of an object with a rule or library code, or the callee's body
inlined. A callee is inlined from its (desugared) tree, in a context of its own, when a plain
inlining of its cached IR cannot express the call: a function-valued argument, ``*args`` or
``**kwargs`` in its signature, a nested function. A nested function runs in the environment of
the call (Python's late binding: a free variable holds what it holds when the function runs).
Recursion is refused (see docs/architecture.md, "Calls"). `check_escapes` refuses a function
value left anywhere in the finished IR (returned, stored in a container, carried by a loop).

    def f(x):                       t = mul(x, 2.0)        (g's body, x read at the call)
        g = lambda y: x * y    ->   return t
        return g(2.0)
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import inspect
import types

import gast

from ..errors import UnsupportedCallError
from ..frontend.desugar_functions import LocalDef
from ..ir.core import Call, Const, Operand, Var, make_list, make_tuple, operands, regions, walk
from ..rules import registry
from .context import Context, Unit

MAX_INLINE_DEPTH = 32  # nested inlined calls (a guard against runaway inlining; recursion is refused first)


@dataclasses.dataclass(frozen=True, eq=False)
class Closure:
    """A nested function bound to the environment of the function that defined it, as that
    environment is when the closure is passed on (the callee runs within that call)."""

    local: LocalDef
    env: dict
    maybe_unbound: frozenset
    locals: frozenset

    def __repr__(self) -> str:
        return repr(self.local)


@dataclasses.dataclass(frozen=True, eq=False)
class Partial:
    """``functools.partial(func, *args, **kwargs)`` made inside the function: a compile-time value."""

    func: Const
    args: tuple
    kwargs: dict

    def __repr__(self) -> str:
        return f"functools.partial({self.func!r}, ...)"


@dataclasses.dataclass(frozen=True, eq=False)
class KwArgs:
    """The ``**kwargs`` of an inlined function: its keys known at compile time."""

    items: dict

    def __repr__(self) -> str:
        return f"**{{{', '.join(self.items)}}}"


_COMPILE_TIME = (LocalDef, Closure, Partial, KwArgs)


# ---- arguments --------------------------------------------------------------------------------


def arguments(ctx: Context, node, lower_expr) -> tuple[list, dict]:
    """A call's arguments as operands, ``*xs`` (a sequence of known length) and ``**kw`` (the
    ``**kwargs`` of an inlined function) spread."""
    args: list = []
    for a in node.args:
        if isinstance(a, gast.Starred):
            args.extend(_spread(ctx, lower_expr(ctx, a.value), a))
        else:
            args.append(lower_expr(ctx, a))
    kwargs: dict = {}
    for kw in node.keywords:
        if kw.arg is not None:
            _keyword(ctx, kwargs, kw.arg, lower_expr(ctx, kw.value), kw.value)
            continue
        value = lower_expr(ctx, kw.value)
        if not (isinstance(value, Const) and isinstance(value.value, KwArgs)):
            ctx.unit.error(kw.value, "**kwargs of a value whose keys are not known when compiling is not "
                           "supported by sourcead", "pass the keyword arguments one by one",
                           cls=UnsupportedCallError)
        for name, item in value.value.items.items():
            _keyword(ctx, kwargs, name, item, kw.value)
    return args, kwargs


def _keyword(ctx: Context, kwargs: dict, name: str, value, node) -> None:
    if name in kwargs:
        ctx.unit.error(node, f"the keyword argument {name!r} is given twice", cls=UnsupportedCallError)
    kwargs[name] = value


def _spread(ctx: Context, value: Operand, node) -> list:
    if isinstance(value, Const) and isinstance(value.value, (tuple, list)) and value.spelling is None:
        return [Const(v) for v in value.value]
    known = ctx.unit.calls.setdefault("sequences", {})
    if isinstance(value, Var) and value in known:
        return list(known[value])
    for stmt in reversed(ctx.stmts):
        if isinstance(stmt, Call) and stmt.outs == [value] and stmt.op in (make_tuple, make_list):
            return list(stmt.args)
    ctx.unit.error(node, "*args of a sequence whose length is not known when compiling is not supported by "
                   "sourcead", "spread a tuple built in the function (xs = (a, b)), or index it",
                   cls=UnsupportedCallError)


def keyword_item(ctx: Context, value, index, node) -> Operand | None:
    """``kwargs["name"]`` of an inlined function's ``**kwargs``: the argument itself."""
    if not (isinstance(value, Const) and isinstance(value.value, KwArgs)):
        return None
    items = value.value.items
    if not (isinstance(index, Const) and index.spelling is None and index.value in items):
        ctx.unit.error(node, f"this key is not one of the keyword arguments given ({', '.join(items) or 'none'})",
                       cls=UnsupportedCallError)
    return items[index.value]


# ---- calls ------------------------------------------------------------------------------------


def call(ctx: Context, callee: Const, args: list, kwargs: dict, node, inlinable) -> Operand | None:
    """The value of calling the compile-time value `callee`, when this module handles the call;
    None when the ordinary path does (a call with a rule, library code, a plain inlining)."""
    v = callee.value
    if getattr(v, "chain", None) and callee.spelling:  # a gradient object: rebinding its name relowers
        ctx.unit.callees.append((callee.scope, callee.spelling, v))
    if isinstance(v, (LocalDef, Closure)):
        return _inline_local(ctx, v, args, kwargs, node)
    if _has_rule(v):  # a rule registered for the object itself wins over reading its code
        return None
    if isinstance(v, Partial):
        return _call_or_emit(ctx, v.func, [*v.args, *args], {**v.kwargs, **kwargs}, node, inlinable)
    if v is functools.partial:
        return _make_partial(ctx, args, kwargs, node)
    if _transform(v) and all(_plain_constant(a) for a in [*args, *kwargs.values()]):
        # sourcead.grad(loss) in the function: the transform is made once, when compiling
        return Const(v(*[a.value for a in args], **{k: a.value for k, a in kwargs.items()}))
    if isinstance(v, functools.partial):
        inner = [Const(a) for a in v.args]
        return _call_or_emit(ctx, Const(v.func), [*inner, *args], {**{k: Const(a) for k, a in v.keywords.items()},
                                                                   **kwargs}, node, inlinable)
    if isinstance(v, types.MethodType) and inlinable(v.__func__):  # self (or cls) is known: inline from the tree
        return _inline_function(ctx, Const(v.__func__), [_self(callee), *args], kwargs, node)
    if not isinstance(v, (types.FunctionType, type)) and inlinable(getattr(type(v), "__call__", None)):
        return _inline_function(ctx, Const(type(v).__call__), [callee, *args], kwargs, node)
    if inlinable(v) and _needs_tree(v, args, kwargs):
        return _inline_function(ctx, callee, args, kwargs, node)
    return None


def _call_or_emit(ctx: Context, callee: Const, args, kwargs, node, inlinable) -> Operand:
    """A call of what a partial, a method or a callable object stands for."""
    from .expressions import inline  # noqa: PLC0415  (expressions imports this module)

    done = call(ctx, callee, args, kwargs, node, inlinable)
    if done is not None:
        return done
    if inlinable(callee.value):
        ctx.unit.callees.append((callee.scope, callee.spelling, callee.value))
        return inline(ctx, callee.value, args, kwargs, node)
    return ctx.emit(callee.value, args, kwargs, node=node, ref=callee if callee.spelling else None)


_TRANSFORMS = {"grad", "value_and_grad", "hessian", "jacobian", "hvp"}


def _transform(v) -> bool:
    """One of sourcead's own transforms (read by name: lowering does not import the API)."""
    return getattr(v, "__module__", None) == "sourcead.api" and getattr(v, "__name__", None) in _TRANSFORMS


def _plain_constant(x) -> bool:
    return isinstance(x, Const) and not isinstance(x.value, _COMPILE_TIME)


def _has_rule(v) -> bool:
    try:
        return registry.lookup_adjoint(v) is not None or registry.is_nondifferentiable(v)
    except TypeError:  # an unhashable object has no rule
        return False


def _self(callee: Const) -> Const:
    """The object a bound method is bound to, spelled as the source spelled it when it did."""
    spelling = callee.spelling.rpartition(".")[0] if callee.spelling and "." in callee.spelling else None
    return Const(callee.value.__self__, spelling or None, callee.scope if spelling else None)


def _make_partial(ctx: Context, args, kwargs, node) -> Const:
    if not args or not isinstance(args[0], Const) or not callable_value(args[0].value):
        ctx.unit.error(node, "functools.partial of a value computed in the function is not supported by sourcead",
                       "pass partial a function by its name", cls=UnsupportedCallError)
    return Const(Partial(args[0], tuple(args[1:]), dict(kwargs)))


def callable_value(v) -> bool:
    return isinstance(v, _COMPILE_TIME) and not isinstance(v, KwArgs) or callable(v)


def _is_function_value(x) -> bool:
    return isinstance(x, Const) and (isinstance(x.value, _COMPILE_TIME) or
                                     callable(x.value) and not isinstance(x.value, type))


def _needs_tree(fn, args, kwargs) -> bool:
    """Whether a call of user function `fn` is inlined from its tree: its cached IR has one
    parameter per value, which a function value, ``*args`` or ``**kwargs`` is not."""
    try:
        params = inspect.signature(fn, follow_wrapped=False).parameters.values()
    except (TypeError, ValueError):
        return False
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return True
    return any(_is_function_value(a) for a in [*args, *kwargs.values()])


def method_of(base: Operand, name: str) -> Const | None:
    """``obj.name`` as a compile-time bound method, when `obj` is a constant object (a global, a
    bound `self`) and `name` is a method of its class written in Python; else None (the
    attribute is read when the code runs)."""
    if not isinstance(base, Const) or isinstance(base.value, (int, float, complex, str, bytes, tuple)):
        return None
    try:
        static = inspect.getattr_static(base.value, name)
    except AttributeError:
        return None
    if not isinstance(static, (types.FunctionType, staticmethod, classmethod)):
        return None
    value = getattr(base.value, name)
    return Const(value, f"{base.spelling}.{name}" if base.spelling else None, base.scope)


# ---- inlining from the tree -------------------------------------------------------------------


def _inline_function(ctx: Context, callee: Const, args, kwargs, node) -> Operand:
    fn = callee.value
    if ctx.unit.callee_tree is None:
        ctx.unit.error(node, f"{fn.__qualname__} cannot be inlined here", cls=UnsupportedCallError)
    ctx.unit.callees.append((callee.scope, callee.spelling, fn))
    parsed = ctx.unit.callee_tree(fn, ctx.unit.loc(node))
    signature = inspect.signature(fn, follow_wrapped=False)
    return _inline(ctx, parsed, signature, args, kwargs, node, fn, ({}, frozenset(), frozenset()))


def _inline_local(ctx: Context, v, args, kwargs, node) -> Operand:
    if isinstance(v, Closure):
        enclosing = (v.env, v.maybe_unbound, v.locals)
        local = v.local
    else:  # called where it is defined: the environment is the caller's, now
        enclosing = (ctx.env, frozenset(ctx.maybe_unbound), ctx.unit.locals)
        local = v
    return _inline(ctx, local.parsed, _signature(local.parsed.tree.args), args, kwargs, node, local, enclosing)


def _inline(ctx: Context, parsed, signature, args, kwargs, node, key, enclosing) -> Operand:
    """The body of `parsed.tree` lowered where the call is, its parameters bound to the call's
    arguments, its free names to `enclosing` (environment, maybe-unbound names, local names)."""
    from .to_ssa import lower_body  # noqa: PLC0415  (to_ssa imports expressions, which imports this)

    stack = ctx.unit.calls.setdefault("stack", [])
    name = getattr(key, "__qualname__", None) or getattr(key, "name", "the function")
    if any(k is key for k in stack):
        ctx.unit.error(node, f"{name} calls itself (recursion), which sourcead does not differentiate",
                       "rewrite the recursion as a loop", cls=UnsupportedCallError)
    if len(stack) >= MAX_INLINE_DEPTH:
        ctx.unit.error(node, f"calls nested more than {MAX_INLINE_DEPTH} deep", cls=UnsupportedCallError)
    bound = _bind(ctx, signature, args, kwargs, node, name)
    tree = parsed.tree
    own = _stored(tree.body) | set(signature.parameters)
    env_in, unbound_in, locals_in = enclosing
    unit = Unit(parsed, ctx.unit.callee_ir, frozenset(own | set(locals_in)), callees=ctx.unit.callees,
                callee_tree=ctx.unit.callee_tree, calls=ctx.unit.calls)
    env = {n: _bound_value(ctx, v) for n, v in env_in.items() if n not in own and not n.startswith("$")}
    for pname, param in signature.parameters.items():
        env[pname] = _parameter(ctx, param, bound.arguments.get(pname, param.default), node)
    inner = Context(unit, env, ctx.stmts, set(unbound_in) - own, ctx.conditional)
    stack.append(key)
    try:
        ended = lower_body(inner, tree.body)
    finally:
        stack.pop()
    results, is_tuple = ended if ended is not None else ([Const(None)], False)
    if is_tuple:
        return ctx.emit(make_tuple, results, node=node)
    return results[0]


def _bind(ctx: Context, signature, args, kwargs, node, name):
    try:
        bound = signature.bind(*[_Given(a) for a in args], **{k: _Given(v) for k, v in kwargs.items()})
    except TypeError as err:
        ctx.unit.error(node, f"this call to {name} does not match its parameters: {err}", cls=UnsupportedCallError)
    return bound


class _Given:
    """An argument of the call, told apart from a parameter's default."""

    __slots__ = ("operand",)

    def __init__(self, operand):
        self.operand = operand


def _parameter(ctx: Context, param, value, node) -> Operand:
    if param.kind is param.VAR_POSITIONAL:
        items = [_bound_value(ctx, a.operand) for a in (value if value is not param.empty else ())]
        if all(isinstance(i, Const) and i.spelling is None and not isinstance(i.value, _COMPILE_TIME)
               for i in items):
            return Const(tuple(i.value for i in items))
        out = ctx.emit(make_tuple, items, node=node, hint=param.name)
        ctx.unit.calls.setdefault("sequences", {})[out] = items
        return out
    if param.kind is param.VAR_KEYWORD:
        given = value if value is not param.empty else {}
        return Const(KwArgs({k: _bound_value(ctx, a.operand) for k, a in given.items()}))
    if isinstance(value, _Given):
        return _bound_value(ctx, value.operand)
    if value is param.empty:
        raise AssertionError("bind leaves no required parameter unbound")
    return Const(value)


def _bound_value(ctx: Context, x):
    """A nested function that leaves the function defining it (passed to a callee, or read by
    another nested function) is bound to the environment it leaves (late binding: the callee
    runs within this call, while the environment is this one)."""
    if isinstance(x, Const) and isinstance(x.value, LocalDef):
        return Const(Closure(x.value, dict(ctx.env), frozenset(ctx.maybe_unbound), ctx.unit.locals))
    if isinstance(x, Const) and isinstance(x.value, Partial):
        p = x.value
        return Const(Partial(_bound_value(ctx, p.func), tuple(_bound_value(ctx, a) for a in p.args),
                             {k: _bound_value(ctx, a) for k, a in p.kwargs.items()}))
    return x


def _signature(args) -> inspect.Signature:
    """The signature of a nested def or lambda, from its tree (defaults are literals: fence)."""
    params = []
    positional = list(getattr(args, "posonlyargs", []) or []) + list(args.args)
    first_default = len(positional) - len(args.defaults)
    n_posonly = len(getattr(args, "posonlyargs", []) or [])
    for i, a in enumerate(positional):
        kind = inspect.Parameter.POSITIONAL_ONLY if i < n_posonly else inspect.Parameter.POSITIONAL_OR_KEYWORD
        default = _literal(args.defaults[i - first_default]) if i >= first_default else inspect.Parameter.empty
        params.append(inspect.Parameter(a.id, kind, default=default))
    if args.vararg is not None:
        params.append(inspect.Parameter(args.vararg.id, inspect.Parameter.VAR_POSITIONAL))
    for a, d in zip(args.kwonlyargs, args.kw_defaults, strict=True):
        default = inspect.Parameter.empty if d is None else _literal(d)
        params.append(inspect.Parameter(a.id, inspect.Parameter.KEYWORD_ONLY, default=default))
    if args.kwarg is not None:
        params.append(inspect.Parameter(args.kwarg.id, inspect.Parameter.VAR_KEYWORD))
    return inspect.Signature(params)


def _literal(node):
    return ast.literal_eval(gast.unparse(node).strip())


def _stored(stmts) -> set[str]:
    return {n.id for stmt in stmts for n in gast.walk(stmt)
            if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}


# ---- the finished function --------------------------------------------------------------------


def check_escapes(fn, unit: Unit) -> None:
    """Refuse a compile-time function value that became a run-time one: returned, put in a
    container, carried by a loop or chosen by a branch, passed to library code."""
    for stmt in walk(fn.body.body):
        for x in operands(stmt) + _yields(stmt):
            if isinstance(x, Const) and isinstance(x.value, _COMPILE_TIME):
                raise UnsupportedCallError(
                    f"{x.value!r} is used as a value here; sourcead resolves such functions when compiling, so "
                    "it can be called, or passed to a function of yours that calls it, but not returned, stored, "
                    "chosen by a branch, carried by a loop or passed to library code",
                    getattr(stmt, "loc", None) or fn.loc, "define it at module level and call it by its name")
    for x in fn.body.yields:
        if isinstance(x, Const) and isinstance(x.value, _COMPILE_TIME):
            raise UnsupportedCallError(f"{x.value!r} is returned; sourcead differentiates functions that return "
                                       "numbers", fn.loc, "return the value it computes")


def _yields(stmt) -> list:
    return [y for r in regions(stmt) for y in r.yields]
