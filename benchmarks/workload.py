"""What a workload is: a plain Python/NumPy function, its hand-written gradient, its inputs, and
optional versions of it for the peers that cannot run the plain one.

The plain function is what sourcead differentiates, as a user writes it. The hand-written gradient
is what a person would write with NumPy; the harness checks it against central finite differences
before anything is timed. A peer version is given only where a peer cannot run the plain function
(torch's own functions, JAX's `lax.fori_loop` for `jit`); autograd and JAX otherwise run the plain
function with ``np`` (and ``math``) rebound to their NumPy (`rebind`).
"""

from __future__ import annotations

import types
from dataclasses import dataclass, field
from typing import Callable, Optional


@dataclass(frozen=True)
class Workload:
    name: str                     # the name --only takes
    title: str                    # one line for the table
    primal: Callable              # the function sourcead differentiates
    hand: Callable                # its hand-written gradient: same arguments; a tuple for several wrt
    wrt: tuple                    # the positions differentiated
    make_args: Callable           # make_args(small: bool) -> the argument tuple
    order: int = 1                # 2: the second derivative (grad of grad), scalar wrt only
    goal: Optional[float] = None  # the goal: sourcead/hand-written at most this
    goal_source: str = "differentiation-speed issue"
    static: tuple = ()            # integer arguments (trip counts): static for jax.jit
    sum_output: bool = False      # the primal returns an array: the gradient is that of its sum
    torch: Optional[Callable] = None      # torch(torch_module) -> the primal over tensors
    jax_jit: Optional[Callable] = None    # jax_jit(jnp, lax) -> the primal for jax.jit, if not the plain one
    hand_extra: dict = field(default_factory=dict)  # other hand-written versions, shown for reference
    tangent_ok: bool = True       # False: tangent-ad is known not to take the plain function (reason below)
    note: str = ""                # printed under the table


def rebind(fn: Callable, **names) -> Callable:
    """A copy of `fn` whose globals have `names` replaced (e.g. np=autograd.numpy), where fn uses them.

    The copy shares fn's code, so it reads as the same function; only the modules it resolves differ.
    """
    scope = dict(fn.__globals__)
    scope.update({k: v for k, v in names.items() if k in fn.__code__.co_names})
    copy = types.FunctionType(fn.__code__, scope, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__qualname__, copy.__module__ = fn.__qualname__, fn.__module__
    return copy


def fresh(fn: Callable) -> Callable:
    """A new function object with fn's code and globals: no AD tool has seen it, so its first
    derivative call pays the whole cost (parse, transform, compile, or trace)."""
    copy = types.FunctionType(fn.__code__, fn.__globals__, fn.__name__, fn.__defaults__, fn.__closure__)
    copy.__qualname__, copy.__module__ = fn.__qualname__, fn.__module__
    return copy
