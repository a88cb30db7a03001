"""The statements numeric code keeps for their effect, as the fence accepts them.

Accepted (and only these; any other expression statement stays refused by `fence`):

- a call of `print`, of a `logging` function (``logging.info(...)``), of a method of a
  module-level `logging.Logger` (``logger.debug(...)``) or of `warnings.warn`, as a statement;
- ``assert cond`` and ``assert cond, message``;
- ``raise SomeError(...)`` / ``raise SomeError`` of an exception class the function can name;
- ``del name`` of local names;
- ``with np.errstate(...):`` around a block that neither breaks out of nor continues an
  enclosing loop; it may end with the function's return when it is at the function's level.

Inside their arguments (and the message of an assert or raise), f-strings and ``"..." % args``
are accepted: they format primal values, never differentiated. `kept_nodes` tells the fence
which nodes of a statement are accepted that way; `effect_callee` resolves the callee (shared
with the lowering, so both agree on what is kept).
"""

from __future__ import annotations

import builtins
import logging
import warnings

import gast
import numpy

from .parse import Parsed, reject

_LOGGING_METHODS = frozenset({"debug", "info", "warning", "warn", "error", "exception", "critical", "log"})


def function_locals(parsed: Parsed) -> set[str]:
    """The names the function binds (its parameters included): they shadow globals and builtins."""
    args = parsed.tree.args
    names = {a.id for a in [*(getattr(args, "posonlyargs", None) or []), *args.args, *args.kwonlyargs]}
    for node in gast.walk(parsed.tree):
        if isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
            names.add(node.id)
    return names


def resolve(parsed: Parsed, node, local: set[str]) -> tuple[bool, object, str]:
    """(found, object, spelling) of a dotted free name (``print``, ``np.errstate``, ``log.info``)."""
    if isinstance(node, gast.Name):
        if node.id in local or node.id.startswith("$"):
            return False, None, ""
        found, value, _ = parsed.lookup(node.id)
        return found, value, node.id
    if isinstance(node, gast.Attribute):
        found, base, spelling = resolve(parsed, node.value, local)
        if found and hasattr(base, node.attr):
            return True, getattr(base, node.attr), f"{spelling}.{node.attr}"
    return False, None, ""


def is_effect_callable(obj) -> bool:
    """print, a logging function or a Logger's logging method, warnings.warn."""
    if obj is builtins.print or obj is warnings.warn:
        return True
    name = getattr(obj, "__name__", None)
    if name not in _LOGGING_METHODS:
        return False
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, (logging.Logger, logging.LoggerAdapter)):
        return True
    return getattr(logging, name, None) is obj


def effect_callee(parsed: Parsed, call, local: set[str]) -> tuple[object, str] | None:
    """(the object, its spelling) when `call` is a call kept for its effect, else None."""
    if not isinstance(call, gast.Call):
        return None
    found, obj, spelling = resolve(parsed, call.func, local)
    return (obj, spelling) if found and is_effect_callable(obj) else None


def exception_class(parsed: Parsed, node, local: set[str]) -> tuple[object, str] | None:
    """(class, spelling) of ``SomeError`` in ``raise SomeError(...)`` or ``raise SomeError``."""
    func = node.func if isinstance(node, gast.Call) else node
    found, obj, spelling = resolve(parsed, func, local)
    if found and isinstance(obj, type) and issubclass(obj, BaseException):
        return obj, spelling
    return None


def kept_nodes(parsed: Parsed, tree) -> set[int]:
    """The ids of the nodes in `tree` that the fence accepts as parts of kept statements: the
    statements themselves and the string formatting in their arguments. A `raise` the lowering
    could not keep is refused here, with what to write instead."""
    local = function_locals(parsed)
    kept: set[int] = set()
    for node in gast.walk(tree):
        if isinstance(node, gast.Expr) and effect_callee(parsed, node.value, local) is not None:
            kept |= {id(node)} | _formatting(node.value)
        elif isinstance(node, gast.Raise):
            _check_raise(parsed, node, local)
            kept |= {id(node)} | _formatting(node.exc)
        elif isinstance(node, gast.Assert):
            kept |= {id(node)} | (_formatting(node.msg) if node.msg is not None else set())
        elif isinstance(node, gast.Delete) and all(isinstance(t, gast.Name) for t in node.targets):
            kept.add(id(node))
        elif isinstance(node, gast.With) and _is_errstate(parsed, node, local):
            _check_with(parsed, node, top=node is tree)
            kept.add(id(node))
    return kept


def _formatting(node) -> set[int]:
    """f-strings and ``"..." % args`` inside `node` (they format primal values)."""
    return {id(n) for n in gast.walk(node)
            if isinstance(n, gast.JoinedStr) or isinstance(n, gast.BinOp) and isinstance(n.op, gast.Mod)}


def _check_raise(parsed: Parsed, node: gast.Raise, local: set[str]) -> None:
    if node.exc is None:
        reject(parsed, node, "a bare raise (re-raising the exception being handled) is not supported by sourcead",
               "raise an exception of a named class: raise ValueError(\"...\")")
    if node.cause is not None and not (isinstance(node.cause, gast.Constant) and node.cause.value is None):
        reject(parsed, node.cause, "raise ... from <exception> is not supported by sourcead",
               "raise the exception without a cause")
    if exception_class(parsed, node.exc, local) is None:
        reject(parsed, node.exc, "sourcead keeps a raise only of an exception class the function names "
               "(raise ValueError(...), raise MyError)", "raise an exception class by its name")


def _is_errstate(parsed: Parsed, node: gast.With, local: set[str]) -> bool:
    """``with np.errstate(...):``, one manager and no ``as``."""
    expr = node.items[0].context_expr
    if len(node.items) != 1 or node.items[0].optional_vars is not None or not isinstance(expr, gast.Call):
        return False
    found, obj, _ = resolve(parsed, expr.func, local)
    return found and obj is numpy.errstate


def _check_with(parsed: Parsed, node: gast.With, top: bool) -> None:
    """A path leaves the block only at its end (or by the function's return, its last statement)."""
    last = node.body[-1]
    for inner in _leaving(node.body):
        if not (top and inner is last):
            reject(parsed, inner, f"{type(inner).__name__.lower()} inside `with np.errstate(...)` is not "
                   "supported by sourcead", "end the with block first, then return, break or continue")


def _leaving(stmts: list):
    """The return statements in `stmts`, and the break and continue statements that leave them."""
    for stmt in stmts:
        for n in gast.walk(stmt):
            if isinstance(n, gast.Return):
                yield n
        yield from _loose_jumps(stmt)


def _loose_jumps(node):
    if isinstance(node, (gast.Break, gast.Continue)):
        yield node
    elif not isinstance(node, (gast.While, gast.For)):
        for child in gast.iter_child_nodes(node):
            yield from _loose_jumps(child)
