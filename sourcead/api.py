"""The public API: grad, value_and_grad, vjp, jvp, hessian, hvp, jacobian, source, show, ssa.

`grad(f)` returns a `Derivative`: a callable with f's signature. On a call it binds the arguments,
promotes the differentiated ones to float, and runs the generated derivative specialised for the
kinds of the arguments (floats need no `unbroadcast`). Derivatives are compiled once per function
object, chain of transforms, argument kinds and rule-registry version, and kept (weakly, per
function). A derivative of a derivative (``grad(grad(f))``, the Hessian) is compiled by running
the transforms again on the IR the first one generated: a *chain* of (mode, wrt) steps.
"""

from __future__ import annotations

import copy
import functools
import inspect
import os
import types
import weakref

import numpy as np

from . import check, display, pytrees
from . import entry as entry_points
from .backend.standalone import standalone_source
from .errors import InternalError, NonDifferentiableError, SourceADError, SourceUnavailableError, UsageError
from .frontend.callables import as_function
from .frontend.parse import caller_loc as _caller_loc
from .ir.printer import format_function
from .passes.kinds import kind_of_value
from .rules import registry
from .runtime import as_gradient, to_float

from .cache import DERIVED as _DERIVED, LOWERED as _LOWERED  # noqa: F401  (tests look inside)
from .cache import derived as _derived, global_kinds as _global_kinds, kinds as _kinds, lowered as _lowered
from .cache import name as _name, specialisation as _specialisation, stages as _stages
from .cache import static_arguments as _static_arguments


def _user_facing(fn):
    """A public function whose refusals reach the user from their own call: a `SourceADError`
    (not an `InternalError`, whose frames a bug report needs) leaves without sourcead's frames and
    chained internal exceptions -- it names the user's file and line itself. With the environment
    variable SOURCEAD_TRACEBACK=full, everything is kept."""
    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except SourceADError as err:
            if _keep_traceback(err):
                raise
            raise err.with_traceback(None) from None
    return call


def _keep_traceback(err: SourceADError) -> bool:
    """Whether a refusal keeps sourcead's frames: an InternalError does (a bug report needs them),
    and everything does with SOURCEAD_TRACEBACK=full."""
    return isinstance(err, InternalError) or os.environ.get("SOURCEAD_TRACEBACK") == "full"


def _base(f, what: str):
    """(user function, chain so far) for a plain function or a Derivative."""
    if isinstance(f, Derivative):
        if f.chain[-1][0] not in ("grad",):
            raise UsageError(f"{what} of a {f.chain[-1][0]} is not supported; differentiate a grad or a function")
        return f.f, f.chain
    if not callable(f):
        raise UsageError(f"{what} needs a function, got {f!r}")
    if not isinstance(f, types.FunctionType):
        made = as_function(f)  # a bound method, a callable object, a partial: a function calling it
        if made is not None:
            return made, ()
        name = getattr(f, "__qualname__", None) or getattr(f, "__name__", None) or type(f).__name__
        if isinstance(f, types.MethodType):
            raise SourceUnavailableError(
                f"{name} is a bound method taking *args or **kwargs, or one of a library; {what} differentiates "
                "bound methods with explicit parameters",
                hint="differentiate the underlying function and pass the instance explicitly")
        raise SourceUnavailableError(
            f"{name} is not a Python function (it is a {type(f).__name__}), so {what} cannot read its source",
            hint="wrap it in a def: def f(x): return ... (functools.partial and callable objects: call them "
                 "from a def; a NumPy or math function: sourcead already has its rule, call it from a def)")
    return f, ()


def _signature(f):
    try:
        return inspect.signature(f, follow_wrapped=False)  # the function's own parameters
    except (TypeError, ValueError) as err:
        raise UsageError(f"cannot read the signature of {f!r}") from err


def _positions(f, wrt) -> tuple[tuple[int, ...], bool]:
    """wrt (a position, a name, or a tuple of them) -> parameter positions, and whether a tuple."""
    params = list(_signature(f).parameters.values())
    names = [p.name for p in params]
    several = isinstance(wrt, (tuple, list))
    items = list(wrt) if several else [wrt]
    if several and not items:
        raise _usage("wrt=() asks for no gradient", hint="pass a position or a name, e.g. wrt=0")
    out = []
    for item in items:
        if isinstance(item, str):
            if item not in names:
                raise _usage(f"{f.__name__} has no parameter named {item!r}; its parameters are {names}",
                             hint=f"wrt takes one of {names}, or their positions 0 to {len(names) - 1}")
            out.append(names.index(item))
        elif isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            i = int(item)
            if not -len(names) <= i < len(names):
                raise _usage(f"wrt={item} is out of range: {f.__name__} has {len(names)} parameters {names}",
                             hint=f"positions run from 0 to {len(names) - 1} (or -{len(names)} to -1)")
            out.append(i % len(names))
        else:
            raise _usage(f"wrt must be a parameter position or name, or a tuple of them; got {_describe(item)}",
                         hint=f"e.g. wrt=0 or wrt={names[0]!r}" if names else None)
    if len(set(out)) != len(out):
        raise _usage(f"wrt={wrt!r} names a parameter twice", hint="name each parameter once")
    for i in out:
        if params[i].kind is params[i].VAR_KEYWORD:
            raise _usage(f"cannot differentiate with respect to **{names[i]} (a dict)",
                         hint="give the function an explicit parameter for the value")
    return tuple(out), several


_FAST_KIND = {float: "f", int: "i", np.float64: "f", bool: "b"}


def _fast_kind(a):
    """A cheap key for what a derivative is specialised on: a type, and an array's rank and dtype."""
    if type(a) is np.ndarray:
        return (a.ndim, a.dtype.kind, 1 not in a.shape)  # kinds.kind_of_value's unit_free
    return (type(a), kind_of_value(a))


_gradient = entry_points.gradient  # as_gradient, short-circuited where g already is what the user gets back


class _Bound:
    """Argument handling shared by everything that calls generated code."""

    def __init__(self, f):
        self.signature = _signature(f)
        self.n_params = len(self.signature.parameters)
        self.fname = getattr(f, "__name__", "f")
        plain = all(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) for p in self.signature.parameters.values())
        self.n_positional = self.n_params if plain else -1  # n arguments are the n parameters (no *args)

    def args(self, args, kwargs) -> list:
        if not kwargs and len(args) == self.n_positional:
            return list(args)
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as err:
            raise UsageError(f"{self.fname}{self.signature}: {err}") from None
        bound.apply_defaults()
        return [bound.arguments[name] for name in self.signature.parameters]


_MISSING = object()  # an argument not given


class Derivative:
    """A derivative of `f`: call it like f. `source(df)` shows its generated code."""

    def __init__(self, f, mode: str, wrt=0, has_aux: bool = False, check_first: bool = False):
        base, chain = _base(f, mode)
        self.f = base
        self.wrt, self.several = _positions(base, wrt)
        self.chain = chain + (("grad_aux" if has_aux else mode, self.wrt),)
        self.mode = mode
        self.has_aux = has_aux
        self.bound = _Bound(base)
        self.floats = tuple(sorted({i for _, w in self.chain for i in w}))
        self._last = None
        self._returns_tuple = None
        self._entries: dict = {}
        self._fast: dict = {}  # kinds key -> entry.Spec, for the entry point
        self._entry_point_due = False  # specialisations made since the entry point was written
        self._defaults = entry_points.parameter_defaults(self.bound.signature)
        self.check_first = check_first  # check the first call against finite differences
        functools.update_wrapper(self, base)
        self.__name__ = _name(base, self.chain)
        self.__qualname__ = self.__name__

    def prepare(self, args) -> list:
        for i in self.floats:
            args[i] = to_float(args[i]) if not _pytree(args[i]) else pytrees.map_leaves(to_float, args[i])
        return args

    @_user_facing
    def __call__(self, *args, **kwargs):
        if self.check_first:
            return self._checked_call(args, kwargs)
        if kwargs or len(args) != self.bound.n_positional:
            args = self.bound.args(args, kwargs)
        # The general path: one dictionary hit on the arguments' types (and ranks and dtypes). From
        # the second call on, calls like this one take the entry point `_install_entry_point` writes
        # (not on the first: a derivative called once does not pay for writing it).
        entry = self._entries.get(tuple([_FAST_KIND.get(type(a)) or _fast_kind(a) for a in args]))
        if entry is None or entry[0] != registry.version():
            entry = self._entry(list(args))
        elif self._entry_point_due:
            self._install_entry_point()
        self._last = entry[2]
        return entry[1](args)

    def _checked_call(self, args, kwargs):
        """grad(f, check=True): the first call is checked against central finite differences."""
        self.check_first = False
        _refuse_structure("check=True", self.f, self.bound.args(args, kwargs), self.wrt)
        _refuse_complex("check=True", self.f, self.bound.args(args, kwargs), self.wrt, _NO_COMPLEX_CHECK)
        report = check.compare(self, self.bound.args(args, kwargs))
        if not report.ok:
            raise check.mismatch(report)
        return self(*args, **kwargs)

    def _entry(self, args):
        """Compile (or find) the derivative for these arguments' kinds, and make the function
        that calls it and gives the results their arguments' types."""
        _check_arguments(self.f, args, self.floats, self.mode)
        key = tuple([_FAST_KIND.get(type(a)) or _fast_kind(a) for a in args])
        lowered = _lowered(self.f, static=_static_arguments(args))
        promote = any(isinstance(args[i], np.ndarray) and args[i].dtype.kind in "iu" for i in self.floats)
        specialised = _kinds(self.f, self.prepare(list(args)), lowered)
        d = self._last = _derived(self.f, self.chain, specialised)
        if len(self.chain) == 1:
            self._returns_tuple = lowered.ir.returns_tuple
        run = self._runner(d, promote)
        if lowered.guards or lowered.ir.callees:
            # The key does not cover the globals' kinds nor the helpers inlined: check on every call.
            def guarded(args, run=run, lowered=lowered, global_kinds=specialised[1]):
                if _lowered(self.f, static=_static_arguments(args)) is not lowered or \
                        _global_kinds(lowered) != global_kinds:
                    return self._entry(list(args))[1](args)
                return run(args)
            entry = (registry.version(), guarded, d)
        else:
            entry = (registry.version(), run, d)
        self._entries[key] = entry
        self._fast.pop(key, None)
        spec = self._entry_spec(args, d, lowered, specialised[1]) if not promote else None
        if spec is not None:
            self._fast[key] = spec
        self._entry_point_due = True
        if type(self) is not Derivative:  # the entry point written before is out of date
            type(self).__call__ = Derivative.__call__  # (the next call writes another)
        return entry

    def _entry_spec(self, args, d, lowered, global_kinds):
        """How the entry point calls `d` for arguments like `args`, or None where the general path
        must (see entry.py)."""
        guards = entry_points.guards(args)
        if not entry_points.enabled() or guards is None or self.check_first or self.bound.n_positional < 0 \
                or not (d.ir.returns_tuple or len(self.wrt) == 1):
            return None
        validity = (lowered, global_kinds) if lowered.guards or lowered.ir.callees else None
        single_value = self.mode == "value_and_grad" and not self.has_aux and not self._primal_returns_tuple()
        shape = (self.mode, self.several, self.wrt, d.ir.returns_tuple, single_value, self.has_aux)
        return entry_points.Spec(guards, d.fn, d, shape, registry.version(), validity)

    def _install_entry_point(self) -> None:
        """Give this Derivative's own class a `__call__` calling the derivatives compiled so far
        for the current rules (the latest few) without the general path's dispatch; or the general
        path itself when there are none. It runs on a warm call: it calls no Python function
        outside sourcead (a debugger skipping sourcead's frames steps straight into the derivative)."""
        self._entry_point_due = False
        specs = [spec for spec in self._fast.values() if spec.version == registry.version()]
        cls = type(self)
        if cls is Derivative:
            if not specs:
                return
            cls = self.__class__ = type(Derivative.__name__, (Derivative,), {"__module__": Derivative.__module__,
                                                                            "__qualname__": Derivative.__qualname__})
        _WITH_ENTRY_POINTS[id(self)] = weakref.ref(self, functools.partial(_forget_entry_point, id(self)))
        cls.__call__ = Derivative.__call__ if not specs else entry_points.compile_entry(
            self.__name__, self._defaults,
            specs[-entry_points.MAX_SPECIALISATIONS:], Derivative.__call__.__wrapped__, _keep_traceback,
            _lowered, _global_kinds, self.f, record_last=len(self._entries) > 1)

    def _runner(self, d, promote: bool):
        """The function that calls the compiled derivative `d` and shapes its results."""
        fn, n, wrt = d.fn, len(self.wrt), self.wrt
        prepare = self.prepare
        if self.has_aux:
            return self._aux_runner(d, promote)
        if self.mode == "grad" and not self.several and not d.ir.returns_tuple and not promote:
            i = wrt[0]

            def run(args):  # the common case, kept short: it runs on every call
                return _gradient(fn(*args), args[i])
            return run
        several, value_mode = self.several, self.mode == "value_and_grad"
        returns_tuple, single_value = d.ir.returns_tuple, not self._primal_returns_tuple()

        def run(args):
            results = fn(*(prepare(list(args)) if promote else args))
            if not returns_tuple:
                results = (results,)
            grads = tuple([_gradient(g, args[i]) for g, i in zip(results[len(results) - n:], wrt)])
            grads = grads if several else grads[0]
            if value_mode:
                values = results[: len(results) - n]
                return (values[0] if len(values) == 1 and single_value else tuple(values)), grads
            return grads
        return run

    def _aux_runner(self, d, promote: bool):
        """(grads, aux) for grad, ((value, aux), grads) for value_and_grad."""
        fn, wrt, prepare, several = d.fn, self.wrt, self.prepare, self.several
        value_mode = self.mode == "value_and_grad"

        def run(args):
            value, aux, *results = fn(*(prepare(list(args)) if promote else args))
            grads = tuple([_gradient(g, args[i]) for g, i in zip(results, wrt, strict=True)])
            grads = grads if several else grads[0]
            return ((value, aux), grads) if value_mode else (grads, aux)
        return run

    def _primal_returns_tuple(self) -> bool:
        if self._returns_tuple is None:
            self._returns_tuple = _lowered(self.f).ir.returns_tuple if len(self.chain) == 1 else True
        return self._returns_tuple

    def __repr__(self) -> str:
        steps = " of ".join(f"{m} wrt {w if len(w) > 1 else w[0]}" for m, w in reversed(self.chain))
        return f"<sourcead {steps} of {self.f.__qualname__}>"

    def _repr_html_(self) -> str:
        """A notebook shows the repr and the generated source, highlighted."""
        return display.derivative_html(repr(self), *self._source_or_error())

    def _repr_pretty_(self, printer, cycle) -> None:
        """IPython's terminal shows the repr, then the generated source."""
        display.derivative_pretty(printer, cycle, repr(self), self._source_or_error()[0])

    def _source_or_error(self) -> tuple[str, bool]:
        try:
            return source(self), True
        except SourceADError as err:
            return str(err), False


_WITH_ENTRY_POINTS: dict = {}  # id -> weak reference, of the Derivatives that have an entry point


def _forget_entry_point(key: int, ref) -> None:
    if _WITH_ENTRY_POINTS.get(key) is ref:
        del _WITH_ENTRY_POINTS[key]


def _drop_entry_points() -> None:
    """A rule was registered: every entry point goes back to the general path (which compiles
    anew for the new rules and installs a new entry point); entry points test no version."""
    for df in [ref() for ref in list(_WITH_ENTRY_POINTS.values())]:
        if df is None:
            continue
        df._fast.clear()
        type(df).__call__ = Derivative.__call__


registry.on_change(_drop_entry_points)


_NO_FUNCTION = object()  # grad() and grad(wrt=...) as decorators; grad(None) is a mistake


@_user_facing
def grad(f=_NO_FUNCTION, wrt=0, has_aux=False, check=False):
    """The gradient of `f` with respect to the parameter(s) `wrt` (positions or names).

    A non-scalar result's gradient is the gradient of its sum. Also a decorator: ``@grad`` and
    ``@grad(wrt=(0, 1))``. `f` may itself be a gradient: ``grad(grad(f))``. With ``has_aux=True``,
    `f` returns ``(value, aux)``: the gradient is that of `value`, and the call returns
    ``(gradient, aux)``, `aux` as `f` returned it. With ``check=True`` the first call is compared
    with central finite differences, and a mismatch raises `GradientCheckError`.
    """
    if f is _NO_FUNCTION:
        return lambda g: Derivative(g, "grad", wrt, has_aux, check)
    if f is None:
        raise _usage("grad needs the function to differentiate, got None",
                     hint="grad(f) or grad(f, wrt=...); as a decorator, @grad or @grad(wrt=...)")
    if isinstance(f, (int, float, str, tuple, list)) and not callable(f):
        raise _usage("grad's first argument is the function; pass wrt by keyword: grad(f, wrt=...)",
                     hint="grad(f, wrt=0)")
    if not callable(f):
        raise _usage(f"grad needs a function, got {_describe(f)}", hint="grad(f) or grad(f, wrt=...)")
    try:
        _base(f, "grad")
    except SourceADError as err:
        raise _located(err) from None
    return Derivative(f, "grad", wrt, has_aux, check)


_NO_COMPLEX_CHECK = "finite-difference checks of complex arguments are not supported yet"


@_user_facing
def check_grad(f, *args, wrt=0, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7,
               raise_on_mismatch: bool = False) -> check.GradientCheck:
    """Check `sourcead.grad(f, wrt)` at `args` against central finite differences.

    Returns a `GradientCheck` (printable as a table, true when all agree); with
    ``raise_on_mismatch=True`` raises `GradientCheckError` when some argument disagrees.
    """
    if isinstance(f, Derivative):
        raise UsageError("check_grad takes the function itself, not its gradient",
                         hint="check_grad(f, *args, wrt=...) differentiates f and checks that")
    df = grad(f, wrt=wrt)
    _refuse_structure("check_grad", df.f, df.bound.args(list(args), {}), df.wrt)
    _refuse_complex("check_grad", df.f, df.bound.args(list(args), {}), df.wrt, _NO_COMPLEX_CHECK)
    report = check.compare(df, args, eps, rtol, atol)
    if raise_on_mismatch and not report.ok:
        raise check.mismatch(report)
    return report


@_user_facing
def value_and_grad(f=None, wrt=0, has_aux=False):
    """Like `grad`, but returns ``(f(*args), gradient)`` from one run; with ``has_aux=True``,
    ``((value, aux), gradient)``."""
    if f is None:
        return lambda g: Derivative(g, "value_and_grad", wrt, has_aux)
    return Derivative(f, "value_and_grad", wrt, has_aux)


def _differentiable(x) -> bool:
    """Whether vjp and jvp differentiate a primal they are given: floats, float arrays, and lists
    and tuples (nested too) of numbers holding at least one float (an integer alone is a count or
    an index; pass it as a float, or use grad's wrt, to differentiate). What they cannot handle
    yet and would otherwise drop (complex numbers, dicts, namedtuples, dataclasses holding floats,
    a list mixing floats with other values) is refused by `_refuse_undifferentiable`."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (float, np.floating, complex, np.complexfloating)):
        return True
    if isinstance(x, np.ndarray):
        return x.dtype.kind in "fc"
    if _plain_sequence(x) or pytrees.is_structure(x):
        return any(_differentiable(e) for _, e in pytrees.children(x))
    return False


def _star(signature):
    """The position of the *args parameter in `signature`, or None."""
    return next((i for i, p in enumerate(signature.parameters.values()) if p.kind is p.VAR_POSITIONAL), None)


def _parameters(f, primals, kwargs, what) -> tuple[list, int, int | None]:
    """vjp's and jvp's primals (positional, as in a call of f; `kwargs` by keyword, never
    differentiated) as the derivative takes them: one value per parameter, the *args part one
    tuple, defaults applied; how many leading parameters the primals give; the *args position."""
    base, _ = _base(f, what)
    if not primals:
        raise _usage(f"{what} needs the primal arguments", hint=f"{what}(f, x, ...): pass f's arguments after f")
    bound = _Bound(base)
    try:
        b = bound.signature.bind(*primals, **kwargs)
    except TypeError as err:
        raise _usage(f"{what}({bound.fname}, ...): {err}", hint=f"pass {bound.fname}'s arguments as in a call") from None
    b.apply_defaults()
    star = _star(bound.signature)
    given = len(primals) if star is None or len(primals) < star else star + 1
    return [b.arguments[name] for name in bound.signature.parameters], given, star


def _call(f, params):
    """f called with one value per parameter of its signature (the *args tuple spread, keywords by name)."""
    signature = _signature(_base(f, "call")[0])
    b = inspect.BoundArguments(signature, dict(zip(signature.parameters, params)))
    return f(*b.args, **b.kwargs)


def _call_args(f, params, given, what):
    """(user function, chain, args, positions of differentiable parameters among the first `given`;
    keyword arguments are never differentiated)."""
    base, chain = _base(f, what)
    signature = _signature(base)
    names = list(signature.parameters)
    floats = {i for _, w in chain for i in w}
    fname = getattr(base, "__name__", "f")
    for i, a in enumerate(params):
        _refuse_undifferentiable(fname, names[i], a, what, differentiated=i in floats)
    kinds = [p.kind for p in signature.parameters.values()]
    positions = tuple(i for i, p in enumerate(params[:given])
                      if kinds[i] is not inspect.Parameter.VAR_KEYWORD and _differentiable(p))
    args = [to_float(a) if i in floats else a for i, a in enumerate(params)]
    return base, chain, args, positions


@_user_facing
def vjp(f, *primals, **kwargs):
    """``(out, pullback)``: f's result at `primals`, and a function mapping a cotangent of the
    result (same structure as `out`) to one cotangent per primal: for a list or tuple primal, a
    list or tuple of the same structure; None for a primal that is not differentiated (an int).
    For an f taking *args, one cotangent per positional primal still; keyword arguments
    (`kwargs`, passed to f) are not differentiated."""
    params, given, star = _parameters(f, primals, kwargs, "vjp")
    out, pullback = _vjp(f, params, given)
    if star is None or given <= star:
        return out, pullback

    @_user_facing
    def spread_pullback(ct):  # the *args tuple's cotangent as one cotangent per positional primal
        cts = pullback(ct)
        rest = cts[star] if cts[star] is not None else (None,) * len(params[star])
        return tuple(cts[:star]) + tuple(c if _differentiable(p) else None for c, p in zip(rest, params[star]))

    return out, spread_pullback


def _vjp(f, params, given, out=_MISSING):
    """`vjp` of f at `params` (one value per parameter, see `_parameters`): the pullback returns
    one cotangent per parameter among the first `given`; `out`: f's result, when just computed."""
    base, chain, args, positions = _call_args(f, params, given, "vjp")
    kinds = _kinds(base, args)
    split = _forward_sweep(base, chain, args, params, positions, kinds) if out is _MISSING else None
    if split is not None:  # (the generated forward sweep never writes into its arguments)
        out, split = split
    out = _call(f, _fresh(params)) if out is _MISSING else out  # (f may write into its arguments)
    n_out = len(out) if isinstance(out, tuple) else 1
    if not isinstance(out, tuple):
        _refuse_output(base, out, "vjp")

    @_user_facing
    def pullback(ct):
        cts = tuple(ct) if isinstance(out, tuple) else (ct,)
        if len(cts) != n_out:
            raise _usage(f"the cotangent has {len(cts)} parts; the function returns {n_out}",
                         hint="pass one cotangent per result, shaped like it")
        outs = out if isinstance(out, tuple) else (out,)
        for k, (c, o) in enumerate(zip(cts, outs)):
            if not _is_zero_tangent(c):
                _refuse_output(base, o, "vjp", f" (result {k})" if isinstance(out, tuple) else "")
        cts = tuple(_cotangent_like(c, o) for c, o in zip(cts, outs))
        if not positions:
            return tuple(None for _ in range(given))
        if split is not None:  # the forward sweep ran once, above: the pullback is the reverse sweep alone
            results = split[0].backward(*split[1], *cts)
        else:  # f ran above, with its prints and checks: the pullback runs without them (passes/effects.py)
            d = _derived(base, chain + (("vjp_quiet", positions),), kinds)
            results = d.fn(*args, *cts)
            if not d.ir.returns_tuple:
                results = (results,)
        grads = {i: as_gradient(g, params[i]) for i, g in zip(positions, results, strict=True)}
        return tuple(grads.get(i) for i in range(given))

    return out, pullback


@_user_facing
def _forward_sweep(base, chain, args, primals, positions, kinds):
    """(f's result, (derived, residuals)) from a split vjp's forward sweep (passes/split.py): f runs
    once, its pullback is the reverse sweep alone. None where it does not apply (a derivative of a
    derivative, a promoted integer argument, nothing differentiated, no split)."""
    if chain or not positions or any(a is not p for a, p in zip(args, primals)):
        return None
    try:
        d = _derived(base, (("vjp_split", positions),), kinds)
    except NonDifferentiableError:
        return None  # (a result with no cotangent: refused below, at the user's call, as vjp's)
    if d.backward is None:
        return None
    results = d.fn(*args)
    values, residuals = results[:d.n_values], results[d.n_values:]
    out = tuple(values) if _lowered(base, static=_static_arguments(args)).ir.returns_tuple else values[0]
    return out, (d, residuals)


@_user_facing
def jvp(f, primals, tangents, **kwargs):
    """``(out, tangent_out)``: f's result at `primals` and its directional derivative along
    `tangents` (one per primal, shaped like it: a list or tuple for a list or tuple primal; None
    or 0 for a primal that is not differentiated). Forward mode, as generated source; `f` may be a
    gradient (forward over reverse). For an f taking *args, one tangent per positional primal
    still; keyword arguments (`kwargs`, passed to f) are not differentiated."""
    primals, tangents = tuple(primals), tuple(tangents)
    if len(primals) != len(tangents):
        raise _usage(f"jvp needs one tangent per primal: {len(primals)} primals, {len(tangents)} tangents",
                     hint="pass None as the tangent of a primal that is not differentiated")
    params, given, star = _parameters(f, primals, kwargs, "jvp")
    if star is not None and given > star:  # the *args part's tangents as one tuple, like its primals
        name = list(_signature(_base(f, "jvp")[0]).parameters)[star]
        for k in range(star, len(primals)):
            if not _differentiable(primals[k]) and not _is_zero_tangent(tangents[k]):
                raise _usage(f"jvp: the argument {name}[{k - star}] is {_describe(primals[k])}, which jvp does not "
                             f"differentiate, but its tangent is {_describe(tangents[k])}",
                             hint="pass None as its tangent, or pass it as a float to differentiate it")
        tangents = tangents[:star] + (tangents[star:],)
    return _jvp(f, params, tangents + (None,) * (len(params) - given), given)


def _jvp(f, params, tangents, given=None, quiet: bool = False):
    """`jvp` of f at `params` (one value per parameter, see `_parameters`) along `tangents` (one
    per parameter); `quiet`: without the primal's prints and checks (f has just run)."""
    given = len(params) if given is None else given
    base, chain, args, positions = _call_args(f, params, given, "jvp")
    names = list(_signature(base).parameters)
    for i, t in enumerate(tangents):
        if i not in positions and not _is_zero_tangent(t):
            raise _usage(f"jvp: the argument {names[i]} is {_describe(params[i])}, which jvp does not differentiate, "
                         f"but its tangent is {_describe(t)}",
                         hint=f"pass None as {names[i]}'s tangent, or pass {names[i]} as a float to differentiate it")
    wrt = tuple(i for i in positions if tangents[i] is not None)
    kinds = _kinds(base, args)
    d = _derived(base, chain + (("jvp_quiet" if quiet else "jvp", wrt),), kinds)
    tans = [_tangent_like(tangents[i], args[i], names[i]) for i in wrt]
    results = d.fn(*args, *tans)
    n = len(results) // 2
    outs, touts = results[:n], results[n:]
    touts = tuple(as_gradient(t, o) if _numeric(o) or _pytree(o) else t for t, o in zip(touts, outs, strict=True))
    if len(outs) == 1:
        _refuse_output(base, outs[0], "jvp")
    touts = tuple(t if _value_problem(o) is None else None for t, o in zip(touts, outs, strict=True))
    if isinstance(f, Derivative):
        single = not f.several and f.mode == "grad"
        if single:
            return as_gradient(outs[0], params[f.wrt[0]]), as_gradient(touts[0], params[f.wrt[0]])
        return tuple(outs), tuple(touts)
    if _lowered(base, static=_static_arguments(args)).ir.returns_tuple:
        return tuple(outs), tuple(touts)
    return outs[0], touts[0]


def _numeric(x) -> bool:
    return isinstance(x, (int, float, np.ndarray, np.number)) and not isinstance(x, bool)


def _fresh(primals, memo=None):
    """Copies of `primals` for running f itself: its arrays copied, its lists, tuples and dicts
    rebuilt (an object met twice is copied once, so arguments that alias still do). A function
    that writes into its arguments then leaves the caller's values, and the points vjp's pullback
    and jacobian differentiate at, as they were given."""
    memo = {} if memo is None else memo
    if id(primals) in memo:
        return memo[id(primals)]
    if isinstance(primals, np.ndarray):
        out = primals.copy()
    elif type(primals) in (list, tuple):
        out = type(primals)(_fresh(v, memo) for v in primals)
    elif type(primals) is dict:
        out = {k: _fresh(v, memo) for k, v in primals.items()}
    else:
        return primals
    memo[id(primals)] = out
    return out


def _tangent_like(t, x, name="x"):
    """The tangent `t` given for primal `x` (parameter `name`), as the generated code takes it:
    float64 (or a floating array primal's dtype), shaped like `x` (a scalar broadcast to an array), the structure of a list or tuple."""
    if _plain_sequence(x):
        if not isinstance(t, (list, tuple)) or len(t) != len(x):
            raise _usage(f"jvp: the tangent of {name} must be a list or tuple of {len(x)} like {name}; "
                         f"got {_describe(t)}", hint="give each element of the primal its own tangent")
        return type(x)(_tangent_like(ti, xi, f"{name}[{k}]") for k, (ti, xi) in enumerate(zip(t, x)))
    if _pytree(x):
        expected = pytrees.same_structure(t, x)
        if expected is not None:
            raise _usage(f"jvp: the tangent of {name} must be {expected}, like {name}; got {_describe(t)}",
                         hint=f"give the tangent {name}'s structure")
        parts = [_tangent_like(ti, xi, name + pytrees.describe_key(x, k))
                 for (k, xi), (_, ti) in zip(pytrees.children(x), pytrees.children(t), strict=True)]
        return pytrees.internal(pytrees.rebuild(x, parts), x)
    if t is None:
        t = 0.0
    problem = _value_problem(t)
    if problem is not None or isinstance(t, (list, tuple)):
        raise _usage(f"jvp: the tangent of {name} is {problem or _describe(t)}",
                     hint=f"pass a float or a float array shaped like {name}")
    if _is_complex(t) and not _is_complex(x):
        raise _usage(f"jvp: the tangent of {name} is {_describe(t)}, but {name} is real",
                     hint="a real primal's tangent is real; pass a complex primal to move it off the real axis")
    # a floating primal's dtype (float32 stays float32, as NumPy's arithmetic keeps it), else float64
    dtype = x.dtype if isinstance(x, np.ndarray) and x.dtype.kind in "fc" else \
        np.complex128 if _is_complex(x) else np.float64
    t = to_float(t) if not isinstance(t, np.ndarray) else t.astype(dtype, copy=False)
    t = complex(t) if isinstance(x, (complex, np.complexfloating)) else t
    if isinstance(x, np.ndarray):
        try:
            t = np.broadcast_to(np.asarray(t, dtype=dtype), x.shape)
        except ValueError:
            raise _usage(f"jvp: the tangent of {name} has shape {np.shape(t)}; {name} has shape {x.shape}",
                         hint=f"pass a tangent shaped like {name}") from None
    elif np.ndim(t) != 0:
        raise _usage(f"jvp: the tangent of {name} has shape {np.shape(t)}; {name} is a scalar",
                     hint="pass a float")
    return t


def _refuse_structure(what: str, f, primals, positions) -> None:
    """hessian, jacobian and the finite-difference checks take arrays and floats: a dict,
    namedtuple or dataclass argument is refused (JAX would give nested pytrees of blocks); hvp,
    jvp of grad and grad itself take pytrees."""
    names = list(_signature(f).parameters)
    for i in positions:
        if _pytree(primals[i]):
            hint = (f"use sourcead.hvp(f)(..., v) with v shaped like {names[i]} for Hessian-vector products, "
                    "or pass the leaves as separate arrays") if what in ("hessian", "jacobian") else \
                "check a function of the leaves, passed as separate arrays"
            raise _usage(f"{what} of {f.__name__} with respect to {names[i]}, {_describe(primals[i])}, is not "
                         "supported", hint=hint)


def _basis(x):
    """The unit vectors of x's space, shaped like x."""
    if isinstance(x, np.ndarray):
        for k in range(x.size):
            e = np.zeros(x.size)
            e[k] = 1.0
            yield e.reshape(x.shape)
    else:
        yield 1.0


@_user_facing
def hvp(f, wrt=0):
    """A function of ``(*args, v)``: the Hessian of `f` (w.r.t. parameter `wrt`) times `v`,
    forward over reverse."""
    g = Derivative(f, "grad", wrt)
    if g.several:
        raise UsageError("hvp takes one parameter; for several, use hessian")

    flexible = any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD, p.KEYWORD_ONLY)
                   for p in g.bound.signature.parameters.values())

    @_user_facing
    def hessian_vector_product(*args, **kwargs):
        if not flexible and len(args) != g.bound.n_params + 1 or not args:
            raise UsageError(f"hvp: pass the {g.bound.n_params} arguments of {g.f.__name__}, then v")
        *primals, v = args
        params = g.bound.args(primals, kwargs)
        _refuse_complex("hvp", g.f, params, g.wrt)
        tangents = [None] * len(params)
        tangents[g.wrt[0]] = v  # for wrt naming *args, a tuple: one tangent per element
        return _jvp(g, params, tangents)[1]

    return hessian_vector_product


@_user_facing
def hessian(f, wrt=0):
    """A function of f's arguments returning the Hessian of `f` (the gradient of its sum, for a
    non-scalar result) w.r.t. `wrt`: shape x.shape + x.shape (a float for a float x); for a tuple
    `wrt`, a nested tuple of blocks. Forward over reverse, one pass per input dimension."""
    g = Derivative(f, "grad", wrt)
    _refuse_star(g.f, g.wrt, "hessian")

    @_user_facing
    def hess(*args, **kwargs):
        primals = g.bound.args(args, kwargs)
        _refuse_structure("hessian", g.f, primals, g.wrt)
        _refuse_complex("hessian", g.f, primals, g.wrt)
        blocks = []
        for i in g.wrt:
            row = []
            for j in g.wrt:
                columns = []
                for e in _basis(to_float(primals[j])):
                    tangents = [None] * len(primals)
                    tangents[j] = e
                    _, t = _jvp(g, primals, tangents, quiet=bool(blocks or row or columns))  # f's prints once
                    t = t if g.several else (t,)
                    columns.append(_floating(t[g.wrt.index(i)]))
                xi, xj = primals[i], primals[j]
                block = np.stack(columns, axis=-1).reshape(np.shape(xi) + np.shape(xj))
                row.append(float(block) if block.ndim == 0 else block)
            blocks.append(tuple(row))
        return tuple(blocks) if g.several else blocks[0][0]

    return hess


def _refuse_star(f, positions, what: str) -> None:
    """hessian and jacobian take positions of ordinary parameters, not the *args tuple."""
    star = _star(_signature(f))
    if star is not None and star in positions:
        name = list(_signature(f).parameters)[star]
        raise _usage(f"{what} of {f.__name__} with respect to *{name} (a tuple) is not supported",
                     hint=f"name ordinary parameters in wrt; for *{name}, use hvp(f, wrt={name!r}), vjp or jvp, "
                          f"or give {f.__name__} one parameter per argument")


def _floating(a) -> np.ndarray:
    """`a` as an array of a floating dtype: its own if it has one (float32 stays), else float64."""
    a = np.asarray(a)
    return a if a.dtype.kind in "fc" else a.astype(np.float64)


@_user_facing
def jacobian(f, wrt=0):
    """A function of f's arguments returning the Jacobian of f's result w.r.t. `wrt`: shape
    out.shape + x.shape (a float when both are scalars). Reverse rows or forward columns,
    whichever needs fewer passes."""
    base, _ = _base(f, "jacobian")
    positions, several = _positions(base, wrt)
    _refuse_star(base, positions, "jacobian")
    if several:
        return lambda *a, **k: tuple(jacobian(f, i)(*a, **k) for i in positions)
    i = positions[0]
    bound = _Bound(base)

    @_user_facing
    def jac(*args, **kwargs):
        primals = bound.args(args, kwargs)
        _refuse_structure("jacobian", base, primals, (i,))
        x = to_float(primals[i])
        out = _call(f, _fresh(primals))  # (f may write into its arguments: they stay as given)
        if isinstance(out, tuple):
            raise UsageError("jacobian of a function returning a tuple: take each result separately")
        m, n = int(np.size(out)), int(np.size(x))
        if _is_complex(x) or _is_complex(out):  # rows of gradients, columns of directional derivatives
            n, m = (m + 1, m) if _is_complex(x) else (0, m)
            if _is_complex(x) and _is_complex(out):
                raise _usage("jacobian of a complex result with respect to a complex argument is not supported "
                             "(it is one complex matrix only for a holomorphic function)",
                             hint="use jvp along 1 and 1j, or vjp with a cotangent per result")
        if n <= m and _plain_sequence(primals[i]):  # (reverse rows flatten a list's cotangent; columns cannot)
            raise _usage(f"jacobian with respect to a list or tuple ({list(_signature(base).parameters)[i]}) of a "
                         "result with as many elements is not supported",
                         hint="pass it as an array (np.array(xs)), or use vjp/jvp, which take lists")
        if n <= m:
            cols = []
            for e in _basis(x):
                tangents = [None] * len(primals)
                tangents[i] = e
                cols.append(_floating(_jvp(f, primals, tangents, quiet=True)[1])  # f ran above
                            .reshape(np.shape(out)))
            J = np.stack(cols, axis=-1).reshape(np.shape(out) + np.shape(x))
        else:
            _, pullback = _vjp(f, primals, len(primals), out)  # f ran above: its prints once
            rows = []
            for e in _basis(_floating(out) if isinstance(out, np.ndarray) else float(out)):
                rows.append(_floating(pullback(e if isinstance(out, np.ndarray) else float(e))[i]))
            J = np.stack(rows, axis=0).reshape(np.shape(out) + np.shape(x))
        if J.ndim == 0:
            return complex(J) if J.dtype.kind == "c" else float(J)
        return J

    return jac


def _target(df, args, mode=None, wrt=None) -> tuple:
    """(user function, chain, kinds specialised for) of what `source(df, *args, ...)` shows."""
    if not isinstance(df, Derivative):
        # a plain function: the derivative `mode` would compile for these arguments
        base, _ = _base(df, "source")
        mode = mode or "grad"
        if mode not in ("grad", "value_and_grad", "jvp", "vjp"):
            raise UsageError(f"mode must be 'grad', 'value_and_grad', 'jvp' or 'vjp', not {mode!r}")
        if not args:
            raise UsageError("source(f, *args) of a plain function needs the arguments to specialise for",
                             hint="or pass a derivative: source(sourcead.grad(f))")
        primals = _Bound(base).args(args, {})
        if wrt is not None:
            positions = _positions(base, wrt)[0]
        elif mode in ("jvp", "vjp"):
            positions = tuple(i for i, p in enumerate(primals) if _differentiable(p))
        else:
            positions = (0,)
        return base, ((mode, positions),), _kinds(base, primals), ""
    if mode is not None or wrt is not None:
        raise UsageError("mode and wrt are for a plain function; a derivative already has its own")
    if args:
        return df.f, df.chain, _kinds(df.f, df.prepare(df.bound.args(args, {}))), ""
    if df._last is not None:
        return df.f, df.chain, _specialisation(df.f, df._last), ""
    args, note = display.example_arguments(df.f)  # the version for floats, never the general one
    return df.f, df.chain, _kinds(df.f, df.prepare(list(args))), note


def _derived_for(df, args, mode=None, wrt=None):
    f, chain, specialised, note = _target(df, args, mode, wrt)
    d = _derived(f, chain, specialised)
    return _noted(d, note) if note else d


@_user_facing
def stages(f, *args, mode=None, wrt=None) -> list[tuple[str, str]]:
    """Every stage's output, as (stage, text), for the derivative `source(f, *args, mode=...,
    wrt=...)` shows: the front end's as Python, the IR's as `ssa` prints it, the generated source."""
    return _stages(*_target(f, args, mode, wrt)[:3])


def _noted(derived, note: str):
    """A copy of `derived` whose source starts with the comment line `note`."""
    derived = copy.copy(derived)
    derived.source = note + derived.source
    return derived


@_user_facing
def source(df, *args, mode=None, wrt=None, standalone=False) -> str:
    """The generated source of a derivative: specialised for `args` when given, else the one that
    was compiled last, else the one for float arguments (a first comment line says so).

    `df` may also be a plain function, with `mode` "grad" (the default), "value_and_grad", "jvp" or
    "vjp", and `wrt`: ``source(f, 101.0, 12.0, mode="jvp")`` is the forward-mode code `jvp` runs.
    ``standalone=True`` gives a module that runs on its own (imports included); ``"inline"`` also
    copies in the sourcead helpers it calls, so it needs only NumPy.
    """
    derived = _derived_for(df, args, mode, wrt)
    if standalone:
        return standalone_source(derived, inline=standalone == "inline")
    return derived.source


@_user_facing
def show(df, *args, mode=None, wrt=None, standalone=False) -> None:
    """Print `source(df, *args, ...)`, highlighted on a colour terminal."""
    display.print_source(source(df, *args, mode=mode, wrt=wrt, standalone=standalone))


@_user_facing
def ssa(f) -> str:
    """The SSA IR of a function (or of a derivative's generated program) as text."""
    if isinstance(f, Derivative):
        return format_function(_derived_for(f, ()).ir)
    if not callable(f):
        raise UsageError(f"ssa needs a function, got {f!r}")
    return format_function(_lowered(f).ir)


__all__ = ["grad", "value_and_grad", "vjp", "jvp", "hessian", "hvp", "jacobian", "source", "show", "ssa",
           "Derivative", "SourceADError"]


# ---- argument checks: what the derivatives cannot handle is refused, never dropped -------------


def _plain_sequence(x) -> bool:
    """A list or tuple that is not a namedtuple: the containers derivatives take and give back."""
    return isinstance(x, (list, tuple)) and not hasattr(type(x), "_fields")


def _pytree(x) -> bool:
    """A dict, namedtuple or dataclass instance (a pytree node that is not a plain sequence)."""
    return pytrees.is_structure(x)


_leaves = pytrees.leaves


def _is_complex(x) -> bool:
    if isinstance(x, (complex, np.complexfloating)):
        return True
    return isinstance(x, np.ndarray) and x.dtype.kind == "c"


def _is_number(x) -> bool:
    """A real number or array of them: what a derivative can be taken with respect to."""
    if isinstance(x, (bool, np.bool_)):
        return False
    if isinstance(x, (int, float, np.integer, np.floating)):
        return True
    return isinstance(x, np.ndarray) and x.dtype.kind in "fiu"


def _describe(x) -> str:
    """What a value is, for a message: its type, and a short repr for scalars and strings."""
    if isinstance(x, np.ndarray):
        return f"an array of dtype {x.dtype} and shape {x.shape}"
    kind = type(x).__name__
    article = "an" if kind[:1].lower() in "aeiou" else "a"
    if x is None:
        return "None"
    if isinstance(x, (str, bytes, int, float, complex, np.number)) and len(repr(x)) <= 40:
        return f"{article} {kind} ({x!r})"
    return f"{article} {kind}"


def _value_problem(x, inside: bool = False) -> str | None:
    """Why `x` cannot be differentiated with respect to (None if it can); `inside`: x is an item
    of a list, tuple or pytree (where complex numbers are not supported yet)."""
    if _is_complex(x):
        return None if not inside else (f"{_describe(x)}: sourcead differentiates complex numbers passed as "
                                        "arguments of their own, not yet inside a container")
    if isinstance(x, dict) and not all(type(k) in (str, int) for k in x):
        return f"{_describe(x)} whose keys are not all strings or ints: sourcead does not differentiate it yet"
    if _plain_sequence(x) or _pytree(x):
        for k, e in pytrees.children(x):
            problem = _value_problem(e, inside=True)
            if problem is not None:
                where = f"element {k}" if _plain_sequence(x) else f"item {pytrees.describe_key(x, k)}"
                return f"a {type(x).__name__} whose {where} is {problem}"
        return None
    if _is_number(x):
        return None
    return f"{_describe(x)}, not a number"


def _refuse_complex(what: str, f, primals, positions,
                    why: str = "second derivatives of functions of complex values are not supported") -> None:
    """hessian and hvp of a function of complex values are refused (JAX asks a holomorphic f there),
    and the finite-difference checks (which step along the real axis only)."""
    names = list(_signature(f).parameters)
    for i in positions:
        if _is_complex(primals[i]):
            raise _usage(f"{what} of {f.__name__} with respect to {names[i]}, {_describe(primals[i])}: {why}",
                         hint="differentiate with respect to the real and imaginary parts as two float arguments")


_HINTS = {
    "complex": "pass each complex number or complex array as an argument of its own",
    "other": "differentiate with respect to a float, an int, a float array, or a list, tuple, dict, "
             "namedtuple or dataclass of them; leave other arguments out of wrt",
}


def _hint_for(problem: str) -> str:
    if "complex" in problem:
        return _HINTS["complex"]
    return _HINTS["other"]


def _refuse_undifferentiable(fname: str, name: str, x, what: str, differentiated: bool) -> None:
    """Refuse (UsageError naming the parameter) a value that `what` would otherwise get wrong:
    a differentiated one that is not a number or a list/tuple of numbers; any complex value; a
    pytree or a list holding floats (which vjp and jvp would skip, giving None or a zero)."""
    if differentiated and callable(x) and not isinstance(x, np.ndarray):
        raise _usage(f"{what} of {fname}: the argument {name} is a function; a derivative is specialised on the "
                     "function it is given (like a static argument), never differentiated with respect to it",
                     hint=f"leave {name} out of wrt")
    if differentiated:
        problem = _value_problem(x)
    elif any(_is_complex(leaf) for leaf in _leaves(x)):
        problem = _value_problem(x)
    elif (_pytree(x) or _plain_sequence(x)) and any(_differentiable(leaf) for leaf in _leaves(x)):
        problem = _value_problem(x)
    else:
        problem = None
    if problem is not None:
        raise _usage(f"{what} of {fname}: the argument {name} is {problem}", hint=_hint_for(problem))


def _check_arguments(f, args, positions, what: str) -> None:
    """The call-time check of a derivative's arguments (`positions`: those differentiated):
    for `Derivative` to call before compiling for new argument kinds."""
    params = list(_signature(f).parameters.values())
    for i, a in enumerate(args):
        if params[i].kind is params[i].VAR_KEYWORD:  # **kwargs: its values are the arguments, never differentiated
            for key, value in a.items():
                _refuse_undifferentiable(f.__name__, key, value, what, differentiated=False)
            continue
        _refuse_undifferentiable(f.__name__, params[i].name, a, what, differentiated=i in positions)


def _is_zero_tangent(t) -> bool:
    """None, or numbers that are all zero (the tangent of a primal that is not differentiated)."""
    if t is None:
        return True
    if _value_problem(t) is not None:
        return False
    return all(bool(np.all(np.asarray(leaf) == 0)) for leaf in _leaves(t))


def _cotangent_like(ct, out):
    """A cotangent given to a pullback for the result `out`: real, and shaped like `out` (a
    scalar is broadcast to an array result)."""
    if isinstance(out, (list, tuple)):
        if not isinstance(ct, (list, tuple)) or len(ct) != len(out):
            raise _usage(f"vjp: the result is a {type(out).__name__} of {len(out)} items; the cotangent is "
                         f"{_describe(ct)}", hint="pass a list or tuple of as many cotangents, each shaped like "
                                                  "its item")
        return [_cotangent_like(c, o) for c, o in zip(ct, out, strict=True)]
    if _pytree(out):
        expected = pytrees.same_structure(ct, out)
        if expected is not None:
            raise _usage(f"vjp: the result is {_describe(out)}; the cotangent must be {expected}; got "
                         f"{_describe(ct)}", hint="pass a cotangent with the result's structure")
        pairs = [(k, _cotangent_like(c, o)) for (k, o), (_, c) in zip(pytrees.children(out), pytrees.children(ct),
                                                                       strict=True)]
        return [c for _, c in pairs] if pytrees.is_named_tuple(out) else dict(pairs)
    if not _numeric(out):
        return ct
    problem = _value_problem(ct)
    if problem is not None or _plain_sequence(ct):
        raise _usage(f"vjp: the cotangent is {problem or _describe(ct)}",
                     hint="pass a float or a float array shaped like the result")
    if _is_complex(ct) and not _is_complex(out):
        raise _usage(f"vjp: the cotangent is {_describe(ct)}, of a real result",
                     hint="pass a real cotangent for a real result (a complex one for a complex result)")
    if np.shape(ct) == np.shape(out):
        return ct
    if np.ndim(ct) == 0 and isinstance(out, np.ndarray):
        return np.full(out.shape, ct, dtype=np.result_type(ct, np.float64))
    raise _usage(f"vjp: the cotangent has shape {np.shape(ct)}; the result has shape {np.shape(out)}",
                 hint="pass a cotangent shaped like the result")


def _refuse_output(f, out, what: str, which: str = "") -> None:
    """A result that has no derivative (a bool, None, a string, an object) or one that sourcead
    does not differentiate yet (complex) is refused rather than given a zero derivative."""
    problem = _value_problem(out)
    if problem is None:
        return
    if "complex" in problem:
        message, hint = f"{what} of {f.__name__}: the result{which} is {problem}", _hint_for(problem)
    else:
        message = f"{what} of {f.__name__}: the result{which} is {problem.replace(', not a number', '')}, " \
                  "which has no derivative"
        hint = ("return the float or array to differentiate (a comparison's derivative is zero wherever "
                "it is defined: return the value it compares instead)")
    raise NonDifferentiableError(message, _caller_loc(), hint)


def _usage(message: str, hint: str | None = None) -> UsageError:
    """A UsageError located at the user's call."""
    return UsageError(message, _caller_loc(), hint)


def _located(err: SourceADError) -> SourceADError:
    """`err` again, located at the user's call if it had no location of its own."""
    if err.loc is not None:
        return err
    return type(err)(err.message, _caller_loc(), err.hint)
