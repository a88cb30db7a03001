"""Expressions of the core tree -> SSA values, one function per expression kind.

Each takes the `Context` it appends statements to and returns the operand holding the value.
Free names resolve to `Const` objects with their spelling; a local read on a path where it may be
unbound is checked at run time (`check_bound`); `and`, `or` and ``x if c else y`` evaluate their
conditional parts in regions of their own, so short-circuiting is kept; a call to a user's function
without a rule is inlined.
"""

from __future__ import annotations

import inspect
import operator
import os
import sysconfig
import types

import gast

from ..errors import UnsupportedCallError, UnsupportedSyntaxError
from ..ir.builder import clone_region
from ..ir.core import Attr, Const, If, Method, Operand, Region, Var, make_dict, make_list, make_tuple
from ..ir.ops import BINOPS, CMPOPS, UNARYOPS
from ..rules import registry
from ..runtime import UNBOUND, check_bound
from . import calls
from . import mutation
from .context import Context
from .formatting import lower_joined_str


def lower_expr(ctx: Context, node) -> Operand:
    lower = _EXPRESSIONS.get(type(node))
    if lower is None:
        ctx.unit.error(node, f"the expression {type(node).__name__} is not supported by sourcead")
    return lower(ctx, node)


def lower_constant(ctx: Context, node) -> Operand:
    return Const(node.value)


def lower_name(ctx: Context, node) -> Operand:
    name = node.id
    invented = ctx.unit.invented(name)
    if invented is not None and invented.role == "builtin":
        return Const(invented.value, invented.label)
    if invented is not None and invented.role == "function":  # a nested def or lambda (lower/calls.py)
        return Const(invented.value)
    if name in ctx.env or name in ctx.unit.locals:
        return _local(ctx, node)
    found, value, _where = ctx.unit.parsed.lookup(name)
    if not found:
        ctx.unit.error(node, f"name {name!r} is not defined", cls=UnsupportedSyntaxError)
    return Const(value, name, ctx.unit.parsed.scope)


def _local(ctx: Context, node) -> Operand:
    """A local: bound, bound on some paths only (checked where read), or not bound on this path
    at all -- which raises here at run time, as Python does, if the path is taken."""
    name = node.id
    value = ctx.env.get(name, Const(UNBOUND))
    if name in ctx.maybe_unbound or name not in ctx.env:
        loc = ctx.unit.loc(node)
        value = ctx.emit(check_bound, [value, Const(name), Const((loc.filename, loc.line, loc.col))],
                         node=node, hint=name)
        if not ctx.conditional:  # a check made inside `a and b` or `x if c else y` stays there
            ctx.env[name] = value
            ctx.maybe_unbound.discard(name)
    return value


def lower_attribute(ctx: Context, node) -> Operand:
    base = lower_expr(ctx, node.value)
    if _resolvable(base):
        try:
            value = getattr(base.value, node.attr)
        except AttributeError:
            ctx.unit.error(node, f"{base.spelling or base.value!r} has no attribute {node.attr!r}")
        return Const(value, f"{base.spelling}.{node.attr}" if base.spelling else None, base.scope)
    return ctx.emit(Attr(node.attr), [base], node=node)


def lower_binop(ctx: Context, node) -> Operand:
    left, right = lower_expr(ctx, node.left), lower_expr(ctx, node.right)
    return ctx.emit(BINOPS.get(type(node.op)), [left, right], node=node)


def lower_unaryop(ctx: Context, node) -> Operand:
    if isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant) \
            and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
        return Const(-node.operand.value)
    operand = lower_expr(ctx, node.operand)
    return ctx.emit(UNARYOPS[type(node.op)], [operand], node=node)


def lower_compare(ctx: Context, node) -> Operand:
    left, right = lower_expr(ctx, node.left), lower_expr(ctx, node.comparators[0])
    return ctx.emit(CMPOPS[type(node.ops[0])], [left, right], node=node)


def lower_boolop(ctx: Context, node) -> Operand:
    """``a and b`` is ``b if a else a``; ``a or b`` is ``a if a else b``: `b` is lowered inside the
    branch that evaluates it (desugar made every `and` / `or` binary)."""
    first = lower_expr(ctx, node.values[0])
    evaluate = _conditional_region(ctx, node.values[1])
    keep = Region([], [], [first])
    then, orelse = (evaluate, keep) if isinstance(node.op, gast.And) else (keep, evaluate)
    out = Var()
    ctx.stmts.append(If([out], first, then, orelse, ctx.unit.loc(node)))
    return out


def lower_ifexp(ctx: Context, node) -> Operand:
    cond = lower_expr(ctx, node.test)
    then, orelse = _conditional_region(ctx, node.body), _conditional_region(ctx, node.orelse)
    out = Var()
    ctx.stmts.append(If([out], cond, then, orelse, ctx.unit.loc(node)))
    return out


def _conditional_region(ctx: Context, node) -> Region:
    """A region that evaluates `node` on the paths that need it; what it learns about bound names
    stays inside."""
    inner = ctx.child(conditional=True)
    value = lower_expr(inner, node)
    return Region([], inner.stmts, [value])


def lower_tuple(ctx: Context, node) -> Operand:
    elts = [lower_expr(ctx, e) for e in node.elts]
    if all(isinstance(e, Const) and e.spelling is None for e in elts):
        return Const(tuple(e.value for e in elts))
    return ctx.emit(make_tuple, elts, node=node)


def lower_list(ctx: Context, node) -> Operand:
    return ctx.emit(make_list, [lower_expr(ctx, e) for e in node.elts], node=node)


def lower_dict(ctx: Context, node) -> Operand:
    """``{"w": w, "b": b}``: its keys are constants (strings or numbers), known when compiling."""
    keys = []
    for key in node.keys:
        if not (isinstance(key, gast.Constant) and isinstance(key.value, (str, int)) and not isinstance(key.value, bool)):
            ctx.unit.error(key if key is not None else node, "a dict whose keys are not string or integer literals "
                           "(or that unpacks another with **) is not supported by sourcead",
                           hint='write the keys as literals: {"w": w, "b": b}', cls=UnsupportedSyntaxError)
        if key.value in keys:
            ctx.unit.error(key, f"the key {key.value!r} appears twice in this dict", cls=UnsupportedSyntaxError)
        keys.append(key.value)
    values = [lower_expr(ctx, v) for v in node.values]
    return ctx.emit(make_dict, [Const(tuple(keys)), *values], node=node)


def lower_slice(ctx: Context, node) -> Operand:
    parts = [lower_expr(ctx, p) if p is not None else Const(None) for p in (node.lower, node.upper, node.step)]
    if all(isinstance(p, Const) and p.spelling is None for p in parts):
        return Const(slice(*(p.value for p in parts)))
    return ctx.emit(slice, parts, node=node)


def lower_subscript(ctx: Context, node) -> Operand:
    value = lower_expr(ctx, node.value)
    index = lower_expr(ctx, node.slice)
    item = calls.keyword_item(ctx, value, index, node)
    if item is not None:
        return item
    return ctx.emit(operator.getitem, [value, index], node=node)


def lower_call(ctx: Context, node) -> Operand:
    func = node.func
    if isinstance(func, gast.Attribute):
        base = lower_expr(ctx, func.value)
        callee = calls.method_of(base, func.attr) if not _resolvable(base) else lower_attribute(ctx, func)
        if callee is None:
            return _method_call(ctx, node, base)
    else:
        callee = lower_expr(ctx, func)
    if not isinstance(callee, Const):
        ctx.unit.error(node, "calling a computed value is not supported by sourcead",
                       "call a function by its name, or pass it as an argument (the derivative is specialised on it)",
                       cls=UnsupportedCallError)
    args, kwargs = calls.arguments(ctx, node, lower_expr)
    done = calls.call(ctx, callee, args, kwargs, node, _inlinable)
    if done is not None:
        return done
    if _inlinable(callee.value):
        ctx.unit.callees.append((callee.scope, callee.spelling, callee.value))
        return inline(ctx, callee.value, args, kwargs, node)
    return ctx.emit(callee.value, args, kwargs, node=node, ref=callee)


def _method_call(ctx: Context, node, base: Operand) -> Operand:
    name = node.func.attr
    args, kwargs = calls.arguments(ctx, node, lower_expr)
    if name in ("reshape", "transpose") and len(args) > 1:
        # x.reshape(2, 3) is x.reshape((2, 3)): one form for rules and readers alike
        if all(isinstance(a, Const) and a.spelling is None for a in args):
            args = [Const(tuple(a.value for a in args))]
        else:
            args = [ctx.emit(make_tuple, args, node=node)]
    return ctx.emit(Method(name), [base, *args], kwargs, node=node)


def inline(ctx: Context, fn, args, kwargs, node) -> Operand:
    """A call to a user's Python function without a rule: its body, lowered, takes the call's
    place (values renamed, parameters bound to the arguments, defaults filled in)."""
    callee = ctx.unit.callee_ir(fn, ctx.unit.loc(node))
    mutation.check_callee(ctx, callee, fn, node)  # a write into its parameter would reach the caller
    try:
        bound = inspect.signature(fn, follow_wrapped=False).bind(*[_Arg(a) for a in args], **{k: _Arg(v) for k, v in kwargs.items()})
    except TypeError as err:
        ctx.unit.error(node, f"this call to {fn.__qualname__} does not match its parameters: {err}",
                       cls=UnsupportedCallError)
    bound.apply_defaults()
    ctx.unit.callees.extend(callee.callees)
    mapping = {}
    for param in callee.params:
        value = bound.arguments[param.var.hint]
        mapping[param.var] = value.operand if isinstance(value, _Arg) else Const(value)
    region = clone_region(callee.body, mapping)
    mutation.check_against_caller(ctx, region, {m for m in mapping.values() if isinstance(m, Var)})
    ctx.stmts.extend(region.body)
    if callee.returns_tuple:
        return ctx.emit(make_tuple, region.yields, node=node)
    return region.yields[0]


class _Arg:
    """An argument of an inlined call, told apart from a default value when binding parameters."""

    __slots__ = ("operand",)

    def __init__(self, operand):
        self.operand = operand


_LIBRARIES = {"numpy", "scipy", "math", "builtins", "sourcead", "autograd", "operator", "functools"}


def _resolvable(base) -> bool:
    """Whether an attribute of `base` is resolved at compile time: of a module, a class, or a library
    object that is not data (``scipy.stats.norm.logpdf``); an attribute of a value or of a global
    array (``A.T``) is read when the code runs."""
    if not isinstance(base, Const) or base.spelling is None:
        return False
    v = base.value
    return isinstance(v, (types.ModuleType, type)) or callable(v) and not isinstance(v, types.FunctionType)


def _inlinable(fn) -> bool:
    """A plain Python function of the user's (not a library's) that has no rule of its own."""
    if not isinstance(fn, types.FunctionType):
        return False
    if registry.lookup_adjoint(fn) is not None or registry.is_nondifferentiable(fn):
        return False
    root = (fn.__module__ or "").split(".")[0]
    if root in _LIBRARIES:
        return False
    # a library's own Python function is not the user's to differentiate through: anything that
    # lives in the standard library's or an installed package's directory
    path = os.path.abspath(fn.__code__.co_filename)
    return not any(path.startswith(p + os.sep) for p in _library_dirs())


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(os.path.abspath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths)


_EXPRESSIONS = {
    gast.Constant: lower_constant, gast.Name: lower_name, gast.Attribute: lower_attribute,
    gast.BinOp: lower_binop, gast.UnaryOp: lower_unaryop, gast.Compare: lower_compare,
    gast.BoolOp: lower_boolop, gast.IfExp: lower_ifexp, gast.Tuple: lower_tuple, gast.List: lower_list, gast.Dict: lower_dict,
    gast.Slice: lower_slice, gast.Subscript: lower_subscript, gast.Call: lower_call,
    gast.JoinedStr: lower_joined_str,
}
