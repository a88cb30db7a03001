"""cache: derivatives are compiled once and kept.

Per function object (kept on the function itself: a function that goes away takes its lowering
and derivatives along, even through the cycle its module's globals make), per chain of
transforms ((mode, wrt), ...), per kinds of the arguments and of the free variables holding data
that the function reads, and per rule-registry version (a rule registered later is never missed).
A lowering is used only while every helper inlined into it is still what its name denotes. A hit
costs a dictionary lookup; `api.Derivative` adds a per-object fast path on the arguments' types.
"""

from __future__ import annotations

import threading
import weakref

from . import pipeline
from .errors import UnsupportedCallError
from .passes.kinds import Static, kind_of_value
from .rules import registry

class _OnFunction:
    """A table kept on each function object itself (in its ``__dict__``, with the function as the
    owner of the entry), so that it lives and dies with the function. A weak-keyed table would not
    do: its values -- derivatives that run in the function's globals -- keep their key alive
    through those globals, which hold a module-level function. An entry copied to another
    function (``functools.wraps`` copies ``__dict__``) is not that function's: its owner differs."""

    def __init__(self, attr: str):
        self.attr = attr

    def get(self, f, default=None):
        entry = getattr(f, "__dict__", {}).get(self.attr)
        return entry[1] if entry is not None and entry[0] is f else default

    def __contains__(self, f) -> bool:
        return self.get(f, _ABSENT) is not _ABSENT

    def __setitem__(self, f, value) -> None:
        f.__dict__[self.attr] = (f, value)

    def pop(self, f, default=None):
        value = self.get(f, default)
        getattr(f, "__dict__", {}).pop(self.attr, None)
        return value


_ABSENT = object()
LOWERED = _OnFunction("__sourcead_lowered__")
DERIVED = _OnFunction("__sourcead_derived__")
TREES = _OnFunction("__sourcead_tree__")  # a callee's desugared tree (lower/calls.py inlines some calls from it)
STATIC = _OnFunction("__sourcead_static__")  # lowerings specialised on function-valued arguments
_SUFFIX = {"grad": "grad", "value_and_grad": "value_and_grad", "grad_aux": "grad", "vjp": "vjp", "jvp": "jvp",
           "vjp_quiet": "vjp", "jvp_quiet": "jvp", "vjp_split": "vjp"}


RULES: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()  # Rule -> its body's IR, or None
_lowering = threading.local()  # the functions being lowered on this thread, innermost last


_lock = threading.RLock()  # one compilation at a time: threads asking for the same derivative share it


def lowered(f, loc=None, static=()) -> pipeline.Lowered:
    """The primal IR of `f`, lowered once (again when a rule is registered or a helper rebound).
    `loc` is where a caller being lowered calls `f` (a recursive call is refused there). `static`
    ((position, function), ...): the lowering specialised on those function-valued arguments."""
    if static:
        return _lowered_static(f, static)
    entry = LOWERED.get(f)
    if entry is not None and entry[0] == registry.version() and _current(entry[1]):
        return entry[1]
    with _lock:
        stack = _lowering.__dict__.setdefault("stack", [])
        if f in stack:
            raise UnsupportedCallError(f"{f.__qualname__} calls itself (recursion), which sourcead does not "
                                       "differentiate", loc, "rewrite the recursion as a loop")
        entry = LOWERED.get(f)
        if entry is None or entry[0] != registry.version() or not _current(entry[1]):
            stack.append(f)
            try:
                entry = (registry.version(), pipeline.lower(f, callee_ir, callee_tree))
            finally:
                stack.pop()
            LOWERED[f] = entry
            DERIVED.pop(f, None)
        return entry[1]


def _lowered_static(f, static: tuple) -> pipeline.Lowered:
    """A lowering specialised on function-valued arguments, kept per their identities."""
    key = tuple((i, id(v)) for i, v in static)
    table = STATIC.get(f)
    entry = table.get(key) if table is not None else None
    if entry is not None and entry[0] == registry.version() and _current(entry[1]):
        return entry[1]
    with _lock:
        low = pipeline.lower(f, callee_ir, callee_tree, dict(static))
        if table is None:
            table = STATIC[f] = {}
        table[key] = (registry.version(), low, static)  # the functions kept alive with their ids
        return low


def static_arguments(args) -> tuple:
    """((position, function), ...) of the arguments a derivative is specialised on: functions,
    callable objects, partials (never differentiated; like JAX's static arguments)."""
    return tuple((i, a) for i, a in enumerate(args) if isinstance(kind_of_value(a), Static))


def _current(low: pipeline.Lowered) -> bool:
    """Whether every function inlined into a lowering is still what its caller's name denotes (a
    helper rebound after differentiating must not leave a stale derivative)."""
    for scope, spelling, fn in low.ir.callees:
        if scope is None or not spelling:
            continue
        root, *attrs = spelling.split(".")
        found, value, _ = scope.lookup(root)
        for attr in attrs:
            value = getattr(value, attr, None)
        if not found or value is not fn:
            return False
    return True


def callee_tree(fn, loc):
    """A user function's desugared tree, made once (again when a rule is registered)."""
    entry = TREES.get(fn)
    if entry is None or entry[0] != registry.version():
        with pipeline.unrecorded():
            entry = (registry.version(), pipeline.front(fn))
        TREES[fn] = entry
    return entry[1]


def callee_ir(fn, loc):
    """The IR of a user function called from one being lowered: its own lowering, cached."""
    with pipeline.unrecorded():
        return lowered(fn, loc).ir


def rule_ir(rule):
    """A rule's body as IR (None: the rule is called, not inlined), lowered once per process."""
    try:
        return RULES[rule]
    except KeyError:
        with _lock:
            if rule not in RULES:
                with pipeline.unrecorded():
                    RULES[rule] = pipeline.lower_rule(rule, callee_ir)
            return RULES[rule]


def kinds(f, args, low: pipeline.Lowered | None = None) -> tuple:
    """What a derivative is specialised for: the kinds of the arguments and of the user's
    globals holding data that f reads (read live, so checked on every call)."""
    return tuple(kind_of_value(a) for a in args), global_kinds(low or lowered(f, static=static_arguments(args)))


def global_kinds(low: pipeline.Lowered) -> tuple:
    """The kinds the free variables holding data that a lowering reads have now."""
    return tuple(kind_of_value(scope.lookup(n)[1]) for scope, n in low.guards)


def derived(f, chain: tuple, specialised: tuple) -> pipeline.Derived:
    """The compiled derivative of user function `f` along `chain` ((mode, wrt), ...), specialised
    for `specialised` (see `kinds`); each step transforms the IR the step before generated."""
    low = lowered(f, static=_static_kinds(specialised))  # first: a stale lowering drops its derivatives
    key = (chain, specialised, registry.version())
    d = DERIVED.get(f, {}).get(key)
    if d is not None:
        return d
    with _lock:
        return _derive(f, low, chain, specialised, key)


def _static_kinds(specialised: tuple) -> tuple:
    return tuple((i, k.value) for i, k in enumerate(specialised[0]) if isinstance(k, Static))


def _derive(f, low: pipeline.Lowered, chain: tuple, specialised: tuple, key) -> pipeline.Derived:
    table = DERIVED.get(f)
    if table is None:
        table = DERIVED[f] = {}
    d = table.get(key)
    if d is None:
        primal = low.ir if len(chain) == 1 else derived(f, chain[:-1], specialised).ir
        d = table[key] = _step(f, low, primal, chain, specialised)
    return d


def _step(f, low: pipeline.Lowered, primal, chain: tuple, specialised: tuple) -> pipeline.Derived:
    """The last transform of `chain`, applied to `primal`."""
    mode, wrt = chain[-1]
    arg_kinds = {i: k for i, k in enumerate(specialised[0]) if k is not None and not isinstance(k, Static)}
    globals_ = {(id(scope), n): k for (scope, n), k in zip(low.guards, specialised[1], strict=True)}
    return pipeline.derive(low, primal, mode=mode, wrt=wrt, arg_kinds=arg_kinds, global_kinds=globals_,
                           name=name(f, chain), rule_ir=rule_ir, derivative_ir=derivative_ir)


def derivative_ir(gradient, arg_kinds: tuple):
    """The IR of a gradient object (an `api.Derivative`) called inside a function being
    differentiated, for the kinds of the call's arguments there (`passes/derivative_calls.py`)."""
    static = tuple((i, k.value) for i, k in enumerate(arg_kinds) if isinstance(k, Static))
    return derived(gradient.f, gradient.chain, (arg_kinds, global_kinds(lowered(gradient.f, static=static)))).ir


def specialisation(f, d: pipeline.Derived) -> tuple:
    """The kinds a compiled derivative of `f` is specialised for."""
    return next(key[1] for key, value in DERIVED.get(f, {}).items() if value is d)


def stages(f, chain: tuple, specialised: tuple) -> list[tuple[str, str]]:
    """(stage, its output as text) for every stage that compiling `f` along `chain` runs, computed
    afresh (what is cached stays as it is)."""
    with pipeline.recording() as forms:
        low = pipeline.lower(f, callee_ir, callee_tree, dict(_static_kinds(specialised)))
        primal = low.ir
        for k in range(len(chain)):
            primal = _step(f, low, primal, chain[:k + 1], specialised).ir
    return forms


def name(f, chain) -> str:
    """The generated function's name: f's, then one suffix per transform (``f_grad_grad``)."""
    base = f.__name__ if f.__name__.isidentifier() else "f"
    return "_".join([base] + [_SUFFIX[mode] for mode, _ in chain])
