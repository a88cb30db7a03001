"""The contenders: how each tool turns a workload into a gradient function, with its arguments in
the tool's own types and the key of its own primal.

Every builder imports its library lazily and may raise (not installed, cannot take the function):
the harness reports that as "unavailable" with the reason, and goes on. `make(f)` must do all of
the tool's preparation from a fresh function object `f`, so timing ``make(f)(*args)`` measures
the whole first call (parse, transform, compile, or trace, then run).
"""

from __future__ import annotations

import os
import sys
import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np

from benchmarks.fd import as_list
from benchmarks.workload import rebind

PEERS = ("autograd", "tangent", "torch", "jax")


@dataclass
class Tool:
    name: str
    make: Callable          # make(fresh function object) -> gradient function
    base: Callable          # the function make is given (copied fresh for every first call)
    args: tuple             # the arguments, in the tool's types
    primal: str             # the key of this tool's primal ("numpy" for the plain function)
    primal_call: tuple      # (primal function, its arguments), timed once per key
    to_numpy: Callable      # the gradient function's result -> list of NumPy values
    traced: bool = True     # tracemalloc sees its allocations (NumPy and Python objects only)
    compiles: bool = True   # it has a first-call cost worth reporting


def _wrt(w):
    return w.wrt if len(w.wrt) > 1 else w.wrt[0]


def _numpy_list(w):
    return lambda g: [np.asarray(x, dtype=float) for x in as_list(g, len(w.wrt))]


def hand(w, args, fn=None, name="hand-written") -> Tool:
    fn = fn or w.hand
    return Tool(name, lambda f: fn, w.primal, args, "numpy", (w.primal, args), _numpy_list(w), compiles=False)


def sourcead(w, args) -> Tool:
    import sourcead as sa

    def make(f):
        g = sa.grad(f, wrt=_wrt(w))
        return sa.grad(g) if w.order == 2 else g
    return Tool("sourcead", make, w.primal, args, "numpy", (w.primal, args), _numpy_list(w))


def generated_alone(w, args, df) -> Tool:
    """sourcead's compiled function without the Derivative wrapper (argument binding, the cache
    lookup, gradient types): df must have been called on args once."""
    fn = df._last.fn
    return Tool("sourcead: generated function alone", lambda f: fn, w.primal, args, "numpy", (w.primal, args),
                _numpy_list(w), compiles=False)


def autograd(w, args) -> Tool:
    import autograd as ag
    import autograd.numpy as anp

    def make(f):
        h = (lambda *a: anp.sum(f(*a))) if w.sum_output else f
        g = ag.grad(h, argnum=_wrt(w))
        return ag.grad(g) if w.order == 2 else g
    base = rebind(w.primal, np=anp, math=anp)
    key = "autograd" if _uses(w.primal, "np", "math") else "numpy"
    return Tool("autograd", make, base, args, key, (base, args), _numpy_list(w))


def tangent(w, args) -> Tool:
    """tangent-ad 0.4 caches generated gradients in memory (keyed on the function's source) and on
    disk: both are off here, so that its first call is a first call, as sourcead's is."""
    os.environ["TANGENT_DISK_CACHE"] = "0"
    import tangent as tg

    def make(f):
        if hasattr(tg, "clear_cache"):
            tg.clear_cache()
        with warnings.catch_warnings():  # tangent's generated code trips SyntaxWarnings on 3.8+
            warnings.simplefilter("ignore", SyntaxWarning)
            g = tg.grad(f, wrt=w.wrt, verbose=0)
            return tg.grad(g, verbose=0) if w.order == 2 else g
    base = rebind(w.primal, math=np)  # tangent has no reverse rule for math.sin
    key = "tangent-ad" if _uses(w.primal, "math") else "numpy"
    return Tool("tangent-ad", make, base, args, key, (base, args), _numpy_list(w))


def _uses(fn, *names) -> bool:
    return any(n in fn.__code__.co_names for n in names)


def torch(w, args) -> Tool:
    import torch as th

    th.set_num_threads(1)
    if w.torch is None:
        raise LookupError("no torch version of this workload")
    f64 = th.float64

    def tensor(i, a):
        if isinstance(a, (int, np.integer)) and not isinstance(a, bool) and i not in w.wrt:
            return a
        t = th.tensor(a, dtype=f64) if np.ndim(a) == 0 else th.from_numpy(np.array(a, dtype=float))
        return t.requires_grad_(i in w.wrt)

    def make(f):
        def torch_grad(*a):
            out = f(*a)
            out = out.sum() if w.sum_output else out
            params = [a[i] for i in w.wrt]
            grads = th.autograd.grad(out, params, create_graph=w.order == 2)
            return th.autograd.grad(grads[0], params) if w.order == 2 else grads
        return torch_grad
    targs = tuple(tensor(i, a) for i, a in enumerate(args))
    plain = tuple(a.detach() if isinstance(a, th.Tensor) else a for a in targs)
    base = w.torch(th)
    return Tool("torch", make, base, targs, "torch", (base, plain),
                lambda g: [x.detach().numpy() for x in g], traced=False)


def _jax():
    import jax

    jax.config.update("jax_enable_x64", True)  # the workloads are float64, as NumPy's
    import jax.numpy as jnp
    from jax import lax
    return jax, jnp, lax


def _jax_args(jnp, args):
    return tuple(a if isinstance(a, (int, np.integer)) else jnp.asarray(a, dtype=jnp.float64) for a in args)


def jax(w, args, jit: bool) -> Tool:
    jx, jnp, lax = _jax()

    def make(f):
        h = (lambda *a: jnp.sum(f(*a))) if w.sum_output else f
        g = jx.grad(h, argnums=_wrt(w))
        g = jx.grad(g) if w.order == 2 else g
        g = jx.jit(g, static_argnums=w.static) if jit else g
        return lambda *a: jx.block_until_ready(g(*a))
    base = rebind(w.primal, np=jnp, math=jnp)
    if jit and w.jax_jit is not None:
        base = w.jax_jit(jnp, lax)
    run = jx.jit(base, static_argnums=w.static) if jit else base
    jargs = _jax_args(jnp, args)
    return Tool("jax.jit" if jit else "jax (eager)", make, base, jargs, "jax.jit" if jit else "jax",
                (lambda *a: jx.block_until_ready(run(*a)), jargs), _numpy_list(w), traced=False)


def builders(peers) -> list:
    """(name, builder(w, args) -> Tool) for the peers asked for, in table order."""
    out = []
    for peer in peers:
        if peer == "jax":
            out += [("jax (eager)", lambda w, a: jax(w, a, jit=False)), ("jax.jit", lambda w, a: jax(w, a, jit=True))]
        else:
            out.append(({"tangent": "tangent-ad"}.get(peer, peer), getattr(sys.modules[__name__], peer)))
    return out
