"""The test catalog: plain Python/NumPy functions, grouped by feature, each with its inputs.

A catalog entry is an ordinary function plus one `@case(...)` line per input to try it on:

    @case(args=(rand(3, seed=1),))
    @case(args=(rand(3, seed=2), 2.0), wrt=(0, 1), path="scaled")
    def scaled_sum(x, k=1.0):
        return np.sum(k * x ** 2)

Adding the function and its decorator line is the whole test: the catalog tests check every case
against finite differences and autograd (`tests/oracle.py`). The decorator returns the function
unchanged, so catalog functions stay plain and are also documentation of what sourcead supports.

Arguments are literal values (copied before every use) or a zero-argument callable returning the
tuple; use the seeded makers below (`rand`, `pos`, `away`, `unit`) rather than global randomness.
"""

from __future__ import annotations

import copy
import dataclasses
from typing import Any, Callable

import numpy as np

__all__ = ["Case", "case", "cases", "functions", "rand", "pos", "away", "unit", "ints"]


@dataclasses.dataclass(frozen=True)
class Case:
    """One function on one input.

    fn      the plain function
    args    a tuple of positional arguments, or a zero-argument callable returning one
    kwargs  keyword arguments (dict) or a callable returning one; None for none
    wrt     position(s) or parameter name(s) to differentiate with respect to (default 0)
    path    a short label for what this input exercises ("else", "zero-trip", "break-first")
    rtol, atol  tolerance overrides for comparisons with finite differences (None: the default)
    tags    free-form labels ("grad3", "vjp", "mutation"...)
    oracle  False when autograd cannot run the function; `reason` says why
    """

    fn: Callable
    args: Any = ()
    kwargs: Any = None
    wrt: Any = 0
    path: str | None = None
    rtol: float | None = None
    atol: float | None = None
    tags: frozenset = frozenset()
    oracle: bool = True
    reason: str | None = None
    id: str = ""

    @property
    def name(self) -> str:
        return self.fn.__name__

    def make_args(self) -> tuple:
        args = self.args() if callable(self.args) else self.args
        if not isinstance(args, tuple):
            raise TypeError(f"case {self.id}: args must be a tuple (or make one), got {type(args).__name__}")
        return copy.deepcopy(args)

    def make_kwargs(self) -> dict:
        kwargs = self.kwargs() if callable(self.kwargs) else self.kwargs
        return copy.deepcopy(dict(kwargs or {}))

    def call(self):
        """The function's value on this case's inputs."""
        return self.fn(*self.make_args(), **self.make_kwargs())

    def __repr__(self) -> str:
        return f"Case({self.id})"


# module name -> function name -> the cases of that function, in decorator order (top line first)
_REGISTRY: dict[str, dict[str, list[Case]]] = {}


def case(args=(), *, kwargs=None, wrt=0, path=None, rtol=None, atol=None, tags=(), oracle=True, reason=None):
    """Register the decorated function with one input; stack several for several inputs."""
    if not oracle and not reason:
        raise ValueError("a case with oracle=False must give the reason")

    def register(fn):
        entry = Case(fn, args, kwargs, wrt, path, rtol, atol, frozenset(tags), oracle, reason)
        by_fn = _REGISTRY.setdefault(fn.__module__, {})
        previous = by_fn.get(fn.__name__)
        if previous and previous[0].fn is not fn:
            raise ValueError(f"{fn.__module__}: two catalog functions are named {fn.__name__}")
        by_fn.setdefault(fn.__name__, []).insert(0, entry)  # decorators apply bottom-up
        return fn

    return register


def _with_ids(entries: list[Case]) -> list[Case]:
    """Ids are `name-path`; an unlabelled case is `name` alone if it is the function's only one."""
    out = []
    paths = [c.path for c in entries]
    for i, c in enumerate(entries):
        if paths.count(c.path) == 1:
            label = c.name if c.path is None else f"{c.name}-{c.path}"
        else:
            label = f"{c.name}-{c.path or 'case'}{i}"
        out.append(dataclasses.replace(c, id=label))
    return out


def cases(module) -> list[Case]:
    """Every case of a catalog module (the module object or its name), functions in source order."""
    name = module if isinstance(module, str) else module.__name__
    by_fn = _REGISTRY.get(name, {})
    order = sorted(by_fn.values(), key=lambda entries: entries[0].fn.__code__.co_firstlineno)
    return [c for entries in order for c in _with_ids(entries)]


def functions(module) -> list[Callable]:
    """The distinct catalog functions of a module, in source order."""
    seen = []
    for c in cases(module):
        if c.fn not in seen:
            seen.append(c.fn)
    return seen


# ---- deterministic argument makers -----------------------------------------------------------


def rand(*shape, seed=0, lo=-1.0, hi=1.0):
    """Uniform values in [lo, hi); a float when no shape is given."""
    v = np.random.RandomState(seed).uniform(lo, hi, size=shape or None)
    return float(v) if not shape else v


def pos(*shape, seed=0, lo=0.5, hi=2.0):
    """Positive values, for logs, square roots, divisions."""
    return rand(*shape, seed=seed, lo=lo, hi=hi)


def unit(*shape, seed=0):
    """Values in (-0.8, 0.8), for arcsin, arccos, arctanh."""
    return rand(*shape, seed=seed, lo=-0.8, hi=0.8)


def away(*shape, seed=0, lo=0.2, hi=1.5):
    """Values with magnitude in [lo, hi) and random sign: safely away from the kink of abs/sign at 0."""
    rs = np.random.RandomState(seed)
    mag = rs.uniform(lo, hi, size=shape or None)
    sign = np.where(rs.uniform(size=shape or None) < 0.5, -1.0, 1.0)
    v = mag * sign
    return float(v) if not shape else v


def ints(*shape, seed=0, lo=0, hi=5):
    """Integers in [lo, hi) (an int when no shape is given)."""
    v = np.random.RandomState(seed).randint(lo, hi, size=shape or None)
    return int(v) if not shape else v
