"""The derivative-rule registry: tables keyed by the real Python objects the rules differentiate.

A rule is an ordinary Python function. Both kinds share one calling convention:

    @adjoint(numpy.multiply)
    def multiply(ct, ans, x, y):          # cotangent of the result, the result, the call's arguments
        return unbroadcast(ct * y, x), unbroadcast(ct * x, y)

    @tangent(numpy.multiply)
    def multiply(t, ans, x, y):           # t: the tangent of the argument whose entry is computed
        return t * y, x * t

The *differentiable parameters* of a rule are its positional parameters after the first two that
have no default value; parameters with a default are options (``axis=None``). A rule returns one
entry per differentiable parameter (a bare expression when there is only one), ``None`` where that
argument has no derivative (an index, a shape). An adjoint entry is the cotangent of that argument;
a tangent entry is the tangent contribution of that argument alone, linear in ``t`` -- each entry is
evaluated with ``t`` bound to its own argument's tangent, and the contributions are added.

A rule whose body is a single ``return`` is inlined into generated code with names substituted;
others are called. Rule bodies are written in the Python subset sourcead accepts, so that they can
themselves be differentiated (higher order).

Functions whose result carries no derivative (comparisons, ``len``, ``numpy.floor``, ``argmax``)
are registered with `nondifferentiable`.

SciPy's rules load on first use: ``import sourcead`` does not import SciPy, and the first lookup
that misses for an object of scipy.special, scipy.linalg or scipy.stats (by its ``__module__``, or
for a bound method its object's class's; or as one of scipy.special's ufuncs) imports that
subpackage's rule module (`rules.scipy_special`, ...) once and looks again.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import operator
import sys
from typing import Any, Callable

import numpy

from ..errors import RuleError
from ..ir.core import Attr, Method

_version = 0
_ADJOINT: dict[Any, "Rule"] = {}
_TANGENT: dict[Any, "Rule"] = {}
_NONDIFF: dict[Any, bool] = {}


@dataclasses.dataclass(frozen=True, eq=False)
class Rule:
    """A registered rule: the function, what it differentiates, and its parameter layout."""

    fn: Callable
    target: Any
    kind: str  # "adjoint" | "tangent"
    signature: inspect.Signature
    diff_params: tuple[str, ...]  # names of the differentiable parameters, in order

    @property
    def name(self) -> str:
        return getattr(self.fn, "__qualname__", repr(self.fn))


def version() -> int:
    """Increases on every registration; part of every cache key, so late rules are never missed."""
    return _version


_LISTENERS: list[Callable[[], None]] = []


def on_change(listener: Callable[[], None]) -> None:
    """Call `listener()` after every registration (api: the entry points that skip the version
    test drop what they call)."""
    _LISTENERS.append(listener)


def _notify() -> None:
    for listener in _LISTENERS:
        listener()


def _key(target: Any) -> Any:
    # Bound methods of the same descriptor compare equal; everything else by identity/hash.
    try:
        hash(target)
    except TypeError as err:
        raise RuleError(f"cannot register a rule for unhashable object {target!r}") from err
    return target


def _make_rule(fn: Callable, target: Any, kind: str, differentiable=None) -> Rule:
    if not callable(fn):
        raise RuleError(f"a {kind} rule must be a function, got {fn!r}")
    sig = inspect.signature(fn)
    params = list(sig.parameters.values())
    if len(params) < 2 or any(p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in params[:2]):
        first = "ct" if kind == "adjoint" else "t"
        raise RuleError(
            f"{kind} rule {fn.__qualname__} must take ({first}, ans, *arguments)",
            hint=f"write it as def rule({first}, ans, x, ...): return ...",
        )
    if differentiable is not None:
        names = [p.name for p in params[2:]]
        diff = tuple(differentiable)
        unknown = [d for d in diff if d not in names]
        if unknown:
            raise RuleError(f"{kind} rule {fn.__qualname__} has no parameter {unknown[0]!r}")
        diff = tuple(n for n in names if n in diff)
    else:
        diff = tuple(
            p.name
            for p in params[2:]
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is p.empty
        )
    return Rule(fn=fn, target=target, kind=kind, signature=sig, diff_params=diff)


def _register(table: dict, kind: str, targets: tuple, differentiable=None) -> Callable[[Callable], Callable]:
    if not targets:
        raise RuleError(f"@{kind}() needs the function the rule differentiates")

    def decorate(fn: Callable) -> Callable:
        global _version
        for target in targets:
            table[_key(target)] = _make_rule(fn, target, kind, differentiable)
            _NONDIFF.pop(target, None)
        _version += 1
        _notify()
        return fn

    return decorate


def adjoint(*targets: Any, differentiable=None) -> Callable[[Callable], Callable]:
    """Register a reverse-mode rule ``rule(ct, ans, *args)`` for each of `targets`.

    `differentiable` names the parameters the rule returns entries for, when that is not simply
    those without a default (``math.log(x, base=e)`` is differentiable in both)."""
    return _register(_ADJOINT, "adjoint", targets, differentiable)


def tangent(*targets: Any, differentiable=None) -> Callable[[Callable], Callable]:
    """Register a forward-mode rule ``rule(t, ans, *args)`` for each of `targets`."""
    return _register(_TANGENT, "tangent", targets, differentiable)


def rules(kind: str = "adjoint") -> dict:
    """The registered rules of a kind ("adjoint" or "tangent"): target -> Rule."""
    return dict(_ADJOINT if kind == "adjoint" else _TANGENT)


def nondifferentiable_targets() -> list:
    return list(_NONDIFF)


def nondifferentiable(*targets: Any) -> None:
    """Declare that the results of `targets` carry no derivative (piecewise constant or discrete)."""
    global _version
    for target in targets:
        _NONDIFF[_key(target)] = True
    _version += 1
    _notify()


_SUBSCRIPTABLE_DATA = (numpy.ndarray, numpy.generic, list, tuple)


def rule_key(op, args=()):
    """The object rules for a call of `op` on `args` are registered under: methods and attributes
    on ndarray; a subscript of an object that is not an array, list or tuple (``np.r_[...]``) is a
    call of that object's own ``__getitem__``, which needs rules of its own."""
    if isinstance(op, (Method, Attr)):
        return getattr(numpy.ndarray, op.name, op)
    if op is operator.getitem and args and getattr(args[0], "spelling", None) \
            and not isinstance(args[0].value, _SUBSCRIPTABLE_DATA):
        return type(args[0].value).__getitem__
    return op


# the SciPy subpackages that have rules, and the rule module of each (imported on first use)
_SCIPY_RULES = {"scipy.special": "scipy_special", "scipy.linalg": "scipy_linalg", "scipy.stats": "scipy_stats"}
_scipy_loaded: set = set()


def _scipy_subpackage(obj: Any) -> str | None:
    """The SciPy subpackage with rules that `obj` belongs to, if any."""
    if isinstance(obj, numpy.ufunc):
        special = sys.modules.get("scipy.special")
        return "scipy.special" if special is not None and getattr(special, obj.__name__, None) is obj else None
    owner = getattr(obj, "__self__", None)
    for module in (getattr(obj, "__module__", None), type(owner).__module__ if owner is not None else None):
        if isinstance(module, str):
            for package in _SCIPY_RULES:
                if module == package or module.startswith(package + "."):
                    return package
    return None


def _loaded_scipy_rules_for(obj: Any) -> bool:
    """Import the rules of `obj`'s SciPy subpackage, once, if it has some; whether that happened now."""
    package = _scipy_subpackage(obj)
    if package is None or package in _scipy_loaded:
        return False
    _scipy_loaded.add(package)
    importlib.import_module(f"{__package__}.{_SCIPY_RULES[package]}")
    return True


def _get(table: dict, obj: Any):
    try:
        return table.get(obj)
    except TypeError:
        return None


def lookup_adjoint(obj: Any) -> Rule | None:
    rule = _get(_ADJOINT, obj)
    if rule is None and _loaded_scipy_rules_for(obj):
        rule = _get(_ADJOINT, obj)
    return rule


def lookup_tangent(obj: Any) -> Rule | None:
    rule = _get(_TANGENT, obj)
    if rule is None and _loaded_scipy_rules_for(obj):
        rule = _get(_TANGENT, obj)
    return rule


def is_nondifferentiable(obj: Any) -> bool:
    found = _get(_NONDIFF, obj) is not None
    if not found and _loaded_scipy_rules_for(obj):
        found = _get(_NONDIFF, obj) is not None
    return found


def has_rule(obj: Any) -> bool:
    return lookup_adjoint(obj) is not None or is_nondifferentiable(obj)
