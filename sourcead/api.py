"""The public API: grad, value_and_grad, vjp, source, show, ssa.

`grad(f)` returns a `Derivative`: a callable with f's signature. On a call it binds the arguments,
promotes the differentiated ones to float, and runs the generated derivative specialised for the
kinds of the arguments (floats need no `unbroadcast`); derivatives are compiled once per function
object, mode, wrt, argument kinds and rule-registry version, and kept (weakly, per function).
"""

from __future__ import annotations

import functools
import inspect
import weakref

import numpy as np

from . import pipeline
from .ad import registry
from .errors import SourceADError, UsageError
from .ir.printer import format_function
from .passes.kinds import kind_of_value
from .runtime import as_gradient, to_float

_LOWERED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()
_DERIVED: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def _lowered(f):
    entry = _LOWERED.get(f)
    if entry is None or entry[0] != registry.version():
        entry = (registry.version(), pipeline.lower(f))
        _LOWERED[f] = entry
    return entry[1]


def _derived(f, mode, wrt, kinds):
    table = _DERIVED.get(f)
    if table is None:
        table = _DERIVED[f] = {}
    key = (mode, wrt, kinds, registry.version())
    d = table.get(key)
    if d is None:
        lowered = _lowered(f)
        arg_kinds = {i: k for i, k in enumerate(kinds) if k is not None}
        d = pipeline.derive(lowered, mode=mode, wrt=wrt, arg_kinds=arg_kinds, name=_name(f, mode))
        table[key] = d
    return d


def _name(f, mode) -> str:
    base = f.__name__ if f.__name__.isidentifier() else "f"
    return {"grad": f"{base}_grad", "value_and_grad": f"{base}_value_and_grad", "vjp": f"{base}_vjp"}[mode]


def _check_function(f, what: str):
    if isinstance(f, Derivative):
        raise UsageError(
            f"{what} of a derivative (higher-order differentiation) is not supported yet",
            hint="second derivatives arrive with forward mode and higher order")
    if not callable(f):
        raise UsageError(f"{what} needs a function, got {f!r}")


def _positions(f, wrt) -> tuple[tuple[int, ...], bool]:
    """wrt (a position, a name, or a tuple of them) -> parameter positions, and whether a tuple."""
    try:
        params = list(inspect.signature(f).parameters.values())
    except (TypeError, ValueError) as err:
        raise UsageError(f"cannot read the signature of {f!r}") from err
    names = [p.name for p in params]
    several = isinstance(wrt, (tuple, list))
    items = list(wrt) if several else [wrt]
    if several and not items:
        raise UsageError("wrt=() asks for no gradient", hint="pass a position or a name, e.g. wrt=0")
    out = []
    for item in items:
        if isinstance(item, str):
            if item not in names:
                raise UsageError(f"{f.__name__} has no parameter named {item!r}; its parameters are {names}")
            out.append(names.index(item))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            i = int(item)
            if not -len(names) <= i < len(names):
                raise UsageError(f"wrt={item} is out of range: {f.__name__} has {len(names)} parameters")
            out.append(i % len(names))
        else:
            raise UsageError(f"wrt must be a parameter position or name, or a tuple of them; got {item!r}")
    if len(set(out)) != len(out):
        raise UsageError(f"wrt={wrt!r} names a parameter twice")
    for i in out:
        if params[i].kind in (params[i].VAR_POSITIONAL, params[i].VAR_KEYWORD):
            raise UsageError(f"cannot differentiate with respect to *{names[i]}")
    return tuple(out), several


class Derivative:
    """A derivative of `f`: call it like f. `source(df)` shows its generated code."""

    def __init__(self, f, mode: str, wrt=0):
        _check_function(f, mode)
        self.f = f
        self.mode = mode
        self.wrt, self.several = _positions(f, wrt)
        self.signature = inspect.signature(f)
        self.n_params = len(self.signature.parameters)
        self._last = None
        functools.update_wrapper(self, f)
        self.__name__ = _name(f, mode)
        self.__qualname__ = self.__name__

    def _args(self, args, kwargs) -> list:
        if not kwargs and len(args) == self.n_params:
            return list(args)
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as err:
            raise UsageError(f"{self.f.__name__}{self.signature}: {err}") from None
        bound.apply_defaults()
        return [bound.arguments[name] for name in self.signature.parameters]

    def compiled(self, args):
        kinds = tuple(kind_of_value(a) for a in args)
        return _derived(self.f, self.mode, self.wrt, kinds)

    def __call__(self, *args, **kwargs):
        args = self._args(args, kwargs)
        originals = list(args)
        for i in self.wrt:
            args[i] = to_float(args[i])
        d = self.compiled(args)
        self._last = d
        results = d.fn(*args)
        if not d.ir.returns_tuple:
            results = (results,)
        grads = tuple(as_gradient(g, originals[i]) for g, i in zip(results[-len(self.wrt):], self.wrt, strict=True))
        grads = grads if self.several else grads[0]
        if self.mode == "value_and_grad":
            values = results[: len(results) - len(self.wrt)]
            value = values[0] if len(values) == 1 and not _lowered(self.f).ir.returns_tuple else tuple(values)
            return value, grads
        return grads

    def __repr__(self) -> str:
        return f"<sourcead {self.mode} of {self.f.__qualname__} wrt {self.wrt if self.several else self.wrt[0]}>"


def grad(f=None, wrt=0):
    """The gradient of `f` with respect to the parameter(s) `wrt` (positions or names).

    A non-scalar result's gradient is the gradient of its sum. Also a decorator: ``@grad`` and
    ``@grad(wrt=(0, 1))``.
    """
    if f is None:
        return lambda g: Derivative(g, "grad", wrt)
    if isinstance(f, (int, str, tuple, list)) and not callable(f):
        raise UsageError("grad's first argument is the function; pass wrt by keyword: grad(f, wrt=...)")
    return Derivative(f, "grad", wrt)


def value_and_grad(f=None, wrt=0):
    """Like `grad`, but returns ``(f(*args), gradient)`` from one run."""
    if f is None:
        return lambda g: Derivative(g, "value_and_grad", wrt)
    return Derivative(f, "value_and_grad", wrt)


def vjp(f, *primals):
    """``(out, pullback)``: f's result at `primals`, and a function mapping a cotangent of the
    result (same structure as `out`) to one cotangent per primal."""
    _check_function(f, "vjp")
    if not primals:
        raise UsageError("vjp needs the primal arguments: vjp(f, x, y, ...)")
    positions = tuple(i for i, p in enumerate(primals) if _differentiable(p))
    signature = inspect.signature(f)
    try:
        bound = signature.bind(*primals)
    except TypeError as err:
        raise UsageError(f"vjp({f.__name__}, ...): {err}") from None
    bound.apply_defaults()
    args = [bound.arguments[name] for name in signature.parameters]
    args = [to_float(p) if i in positions else p for i, p in enumerate(args)]
    out = f(*args)
    kinds = tuple(kind_of_value(a) for a in args)

    def pullback(ct):
        lowered = _lowered(f)
        cts = tuple(ct) if lowered.ir.returns_tuple else (ct,)
        if len(cts) != len(lowered.ir.body.yields):
            raise UsageError(f"the cotangent has {len(cts)} parts; {f.__name__} returns {len(lowered.ir.body.yields)}")
        if not positions:
            return tuple(None for _ in primals)
        d = _derived(f, "vjp", positions, kinds)
        results = d.fn(*args, *cts)
        grads = {i: as_gradient(g, primals[i]) for i, g in zip(positions, results, strict=True)}
        return tuple(grads.get(i) for i in range(len(primals)))

    return out, pullback


def _differentiable(x) -> bool:
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (int, float, np.integer, np.floating)):
        return True
    return isinstance(x, np.ndarray) and x.dtype.kind in "biuf" and x.dtype.kind != "b"


def _derived_for(df, args):
    if not isinstance(df, Derivative):
        raise UsageError(f"{df!r} is not a derivative made by sourcead (grad, value_and_grad)")
    if args:
        args = df._args(args, {})
        for i in df.wrt:
            args[i] = to_float(args[i])
        return df.compiled(args)
    if df._last is not None:
        return df._last
    return _derived(df.f, df.mode, df.wrt, tuple(None for _ in range(df.n_params)))


def source(df, *args) -> str:
    """The generated source of a derivative: specialised for `args` when given, else the one that
    last ran, else the general one (valid for any argument kinds)."""
    return _derived_for(df, args).source


def show(df, *args) -> None:
    """Print `source(df, *args)`."""
    print(source(df, *args), end="")


def ssa(f) -> str:
    """The SSA IR of a function (or of a derivative's generated program) as text."""
    if isinstance(f, Derivative):
        return format_function(_derived_for(f, ()).ir)
    _check_function(f, "ssa")
    return format_function(_lowered(f).ir)


__all__ = ["grad", "value_and_grad", "vjp", "source", "show", "ssa", "Derivative", "SourceADError"]
