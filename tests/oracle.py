"""Independent oracles for the test catalog: finite differences and autograd.

sourcead's derivatives are checked against two references that share no code with it:

* `numeric_grad` -- central finite differences (a five-point stencil) of the *sum* of a function's
  output, argument by argument and element by element;
* `autograd_grad` (and `autograd_hessian`, `autograd_jacobian`, `autograd_jvp`, `autograd_vjp`) --
  the same plain function run under HIPS autograd. The catalog functions are written once, with
  ordinary ``np`` and ``math``; `autograd_version` rebuilds a function from its code object with a
  copy of its globals in which the NumPy module is replaced by ``autograd.numpy`` and the math module
  by a small shim over ``autograd.numpy`` (helpers defined next to the function are rebuilt the same
  way, so calls between catalog functions stay traced).

autograd lacks a few things plain NumPy code uses; the oracle fills them in, for this process only
and with rules of its own (never sourcead's): ``np.cbrt``, ``np.flip``, ``np.broadcast_to`` (as
new primitives), forward-mode rules for ``hypot`` and ``astype``, the ndarray methods ``copy``,
``dot``, ``transpose(*axes)``, unary ``+`` and ``//`` on traced arrays, and ``float(x)`` / ``int(x)``
on traced values (the builtins are shadowed in the rebuilt function's globals). Known gaps that
remain -- ``norm(ord=1)``, ``norm(ord=inf)``, ``norm(..., keepdims=True)``, adding a traced value in
place into a plain ndarray -- are catalog cases marked ``oracle=False``.

`assert_close` compares a result with an expected value and checks its *kind* as well as its
numbers: a float where a float is expected (never a 0-d array), an ndarray of the expected shape
and a floating dtype where an array is expected, tuples element by element.

Conventions shared by every helper here:

* ``args`` is the tuple of positional arguments and ``kwargs`` (optional) the keyword arguments of
  one call of ``f``.
* ``wrt`` is a parameter position, a parameter name, or a tuple of them; a position counts in the
  function's signature (so it also reaches a parameter that the call passes by keyword). A single
  ``wrt`` gives a single result, a tuple gives a tuple.
* Integer arguments that are differentiated are promoted to float first (autograd cannot trace an
  int); the gradient of an int or float scalar is a Python float, that of an array is a float64
  array of the same shape.
"""

from __future__ import annotations

import copy
import inspect
import math
import types

import autograd
import autograd.numpy as anp
import autograd.numpy.numpy_wrapper as _anp_wrapper
import numpy as np
from autograd.extend import defjvp, defvjp, primitive
from autograd.numpy.numpy_boxes import ArrayBox
from autograd.tracer import Box, getval

__all__ = [
    "numeric_grad",
    "numeric_jacobian",
    "autograd_version",
    "autograd_grad",
    "autograd_hessian",
    "autograd_jacobian",
    "autograd_jvp",
    "autograd_vjp",
    "autograd_derivative",
    "autograd_hvp",
    "numeric_hessian",
    "numeric_jvp",
    "assert_close",
    "output_sum",
]


# --------------------------------------------------------------------------------------------
# Arguments: binding, wrt resolution, promotion
# --------------------------------------------------------------------------------------------


def _bind(f, args, kwargs):
    """The call's arguments as an ordered name -> value dict (copies, so no call sees another's)."""
    bound = inspect.signature(f).bind(*args, **(kwargs or {}))
    return {name: copy.deepcopy(value) for name, value in bound.arguments.items()}


def _call(f, arguments):
    """Call f with a name -> value dict built by `_bind` (positional where the signature allows)."""
    params = inspect.signature(f).parameters
    pos, kw = [], {}
    for name, p in params.items():
        if name not in arguments:
            continue
        value = arguments[name]
        if p.kind is p.VAR_POSITIONAL:
            pos.extend(value)
        elif p.kind is p.VAR_KEYWORD:
            kw.update(value)
        elif p.kind is p.KEYWORD_ONLY:
            kw[name] = value
        else:
            pos.append(value)
    return f(*pos, **kw)


def resolve_wrt(f, wrt):
    """(names, single): the parameter names that `wrt` designates, and whether it was a single one."""
    single = not isinstance(wrt, (tuple, list))
    items = (wrt,) if single else tuple(wrt)
    names = list(inspect.signature(f).parameters)
    out = []
    for w in items:
        if isinstance(w, str):
            if w not in names:
                raise ValueError(f"{f.__name__} has no parameter {w!r}")
            out.append(w)
        else:
            out.append(names[w])
    return tuple(out), single


def _promote(value):
    """An int becomes a float, an integer or bool array a float64 array; floats pass through."""
    if isinstance(value, np.ndarray):
        return value.astype(np.float64) if not np.issubdtype(value.dtype, np.floating) else value.copy()
    if isinstance(value, (bool, int, float, np.integer, np.floating)):
        return float(value)
    raise TypeError(f"cannot differentiate with respect to a {type(value).__name__}")


def _shaped_like(g, like):
    """g as a Python float if `like` is a scalar, else as a float64 array of like's shape."""
    if isinstance(like, np.ndarray):
        return np.asarray(g, dtype=np.float64).reshape(like.shape)
    return float(np.asarray(g, dtype=np.float64).reshape(()))


def output_sum(out):
    """The scalar whose gradient is taken: the output itself, or the sum of a non-scalar output."""
    return float(np.sum(np.asarray(out, dtype=np.float64)))


# --------------------------------------------------------------------------------------------
# Finite differences
# --------------------------------------------------------------------------------------------

_STENCIL = ((-2, 1.0 / 12), (-1, -8.0 / 12), (1, 8.0 / 12), (2, -1.0 / 12))


def _derivative(phi, x0, eps):
    """d/dt phi(x0 + t) at t = 0 by the five-point central stencil, step eps * max(1, |x0|)."""
    h = eps * max(1.0, abs(x0))
    h = (x0 + h) - x0  # a step that is exactly representable next to x0
    return sum(c * phi(x0 + k * h) for k, c in _STENCIL) / h


def numeric_grad(f, args, wrt=0, eps=1e-4, kwargs=None):
    """Central finite differences of sum(f(*args, **kwargs)) with respect to each `wrt` argument.

    Returns a float for a scalar argument and a float64 array of the argument's shape for an array,
    or a tuple of those when `wrt` is a tuple. The five-point stencil's error is O(eps**4), so the
    default step gives ~1e-9 relative accuracy on smooth functions; keep inputs at least 3 * eps
    (relative) away from kinks.
    """
    names, single = resolve_wrt(f, wrt)
    base = _bind(f, args, kwargs)
    for name in names:
        base[name] = _promote(base[name])
    grads = []
    for name in names:
        x = base[name]
        if isinstance(x, np.ndarray):
            g = np.zeros(x.shape, dtype=np.float64)
            for idx in np.ndindex(*x.shape):

                def phi(v, idx=idx, name=name):
                    arguments = copy.deepcopy(base)
                    arguments[name][idx] = v
                    return output_sum(_call(f, arguments))

                g[idx] = _derivative(phi, float(x[idx]), eps)
            grads.append(g)
        else:

            def phi(v, name=name):
                arguments = copy.deepcopy(base)
                arguments[name] = v
                return output_sum(_call(f, arguments))

            grads.append(float(_derivative(phi, x, eps)))
    return grads[0] if single else tuple(grads)


def numeric_jacobian(f, args, wrt=0, eps=1e-4, kwargs=None):
    """Finite-difference Jacobian of f's output with respect to one argument: out.shape + arg.shape.

    A scalar output and a scalar argument give a float.
    """
    names, single = resolve_wrt(f, wrt)
    if not single:
        raise ValueError("numeric_jacobian takes a single wrt")
    (name,) = names
    base = _bind(f, args, kwargs)
    base[name] = _promote(base[name])
    out0 = np.asarray(_call(f, copy.deepcopy(base)), dtype=np.float64)
    x = base[name]
    xshape = np.shape(x)
    jac = np.zeros(out0.shape + xshape)
    for idx in np.ndindex(*xshape):
        for oidx in np.ndindex(*out0.shape):

            def phi(v, idx=idx, oidx=oidx):
                arguments = copy.deepcopy(base)
                if xshape:
                    arguments[name][idx] = v
                else:
                    arguments[name] = v
                return float(np.asarray(_call(f, arguments), dtype=np.float64)[oidx])

            x0 = float(x[idx]) if xshape else x
            jac[oidx + idx] = _derivative(phi, x0, eps)
    if jac.shape == ():
        return float(jac)
    return jac


def _of_one_argument(f, args, wrt, kwargs):
    """(g, x0): g(x) calls f with the single `wrt` argument replaced by x; x0 is its promoted value."""
    names, single = resolve_wrt(f, wrt)
    if not single:
        raise ValueError("takes a single wrt")
    (name,) = names
    base = _bind(f, args, kwargs)
    base[name] = _promote(base[name])

    def g(x):
        arguments = copy.deepcopy(base)
        arguments[name] = x
        return _call(f, arguments)

    return g, base[name]


def numeric_hessian(f, args, wrt=0, eps=1e-3, kwargs=None):
    """Finite-difference Hessian of sum(f) with respect to one argument (nested five-point
    stencils): arg.shape + arg.shape, a float for a scalar argument. Accurate to ~1e-8 relative."""
    g, x0 = _of_one_argument(f, args, wrt, kwargs)
    return numeric_jacobian(lambda x: numeric_grad(g, (x,), 0, eps), (x0,), 0, eps)


def numeric_jvp(f, primals, tangents, eps=1e-4, kwargs=None):
    """(out, tangent_out): f's output and d/dt f(primals + t * tangents) at t = 0."""
    if len(tangents) != len(primals):
        raise ValueError("one tangent per primal")
    ps = tuple(_promote(p) for p in primals)
    ts = tuple(_promote(t) for t in tangents)
    out = _call(f, _bind(f, primals, kwargs))

    def along(t):
        return np.asarray(f(*(p + t * d for p, d in zip(ps, ts, strict=True)), **(kwargs or {})), dtype=np.float64)

    shape = np.shape(out)
    t_out = np.zeros(shape)
    for idx in np.ndindex(*shape):
        t_out[idx] = _derivative(lambda t, idx=idx: float(along(t)[idx]), 0.0, eps)
    return out, (t_out if isinstance(out, np.ndarray) else float(t_out))


# --------------------------------------------------------------------------------------------
# The autograd oracle: the same function, rebuilt over autograd.numpy
# --------------------------------------------------------------------------------------------
#
# autograd lacks a few things that plain NumPy code uses; they are added here, for the oracle only.
# Each vjp/jvp below is written with autograd.numpy, so it can be differentiated again.


@primitive
def _cbrt(x):
    return np.cbrt(x)


defvjp(_cbrt, lambda ans, x: lambda g: g / (3.0 * ans**2))
defjvp(_cbrt, lambda g, ans, x: g / (3.0 * ans**2))


@primitive
def _flip(x, axis=None):
    return np.flip(x, axis)


defvjp(_flip, lambda ans, x, axis=None: lambda g: _flip(g, axis))
defjvp(_flip, lambda g, ans, x, axis=None: _flip(g, axis))


def _sum_to_shape(g, shape):
    lead = anp.ndim(g) - len(shape)
    if lead:
        g = anp.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and anp.shape(g)[i] != 1)
    if axes:
        g = anp.sum(g, axis=axes, keepdims=True)
    return g


@primitive
def _broadcast_to(x, shape):
    return np.broadcast_to(x, shape)


defvjp(_broadcast_to, lambda ans, x, shape: lambda g: _sum_to_shape(g, anp.shape(x)))
defjvp(_broadcast_to, lambda g, ans, x, shape: _broadcast_to(g, shape))


# Forward-mode rules autograd lacks (registered on autograd's own primitives, in this process only).
defjvp(anp.hypot, lambda g, ans, x, y: g * x / ans, lambda g, ans, x, y: g * y / ans)
defjvp(_anp_wrapper._astype, lambda g, ans, A, dtype, *args, **kwargs: _anp_wrapper._astype(g, dtype))


class _NumpyShim(types.ModuleType):
    """``autograd.numpy`` with the oracle's additions; anything else is looked up in autograd.numpy."""

    def __getattr__(self, name):
        return getattr(anp, name)


_np_shim = _NumpyShim("oracle_numpy")
_np_shim.cbrt = _cbrt
_np_shim.flip = _flip
_np_shim.broadcast_to = _broadcast_to
_np_shim.linalg = anp.linalg


# ArrayBox (autograd's traced array) lacks some ndarray methods; give it the ones the catalog uses.
def _box_transpose(self, *axes):
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return anp.transpose(self, axes or None)


ArrayBox.copy = lambda self: anp.array(self)
ArrayBox.__pos__ = lambda self: self
ArrayBox.dot = lambda self, other: anp.dot(self, other)
ArrayBox.transpose = _box_transpose
ArrayBox.__floordiv__ = lambda self, other: anp.floor_divide(self, other)
ArrayBox.__rfloordiv__ = lambda self, other: anp.floor_divide(other, self)


def _nondiff(fn):
    """A math function whose result carries no derivative (floor, ceil, isfinite...)."""

    def wrapped(*args):
        return fn(*(getval(a) for a in args))

    wrapped.__name__ = fn.__name__
    return wrapped


def _math_log(x, base=None):
    return anp.log(x) if base is None else anp.log(x) / anp.log(base)


def _math_hypot(*xs):
    return anp.sqrt(sum(x * x for x in xs))


class _MathShim(types.ModuleType):
    """The math module over autograd.numpy. Constants pass through; a math function that is not
    mapped here refuses traced arguments rather than silently dropping their derivative."""

    def __getattr__(self, name):
        real = getattr(math, name)
        if not callable(real):
            return real

        def refuse(*args):
            if any(isinstance(a, Box) for a in args):
                raise NotImplementedError(f"the autograd oracle has no math.{name}; add it to _MathShim")
            return real(*args)

        return refuse


_math_shim = _MathShim("oracle_math")
for _name, _fn in {
    "sin": anp.sin, "cos": anp.cos, "tan": anp.tan,
    "asin": anp.arcsin, "acos": anp.arccos, "atan": anp.arctan, "atan2": anp.arctan2,
    "sinh": anp.sinh, "cosh": anp.cosh, "tanh": anp.tanh,
    "asinh": anp.arcsinh, "acosh": anp.arccosh, "atanh": anp.arctanh,
    "exp": anp.exp, "expm1": anp.expm1, "log": _math_log, "log1p": anp.log1p,
    "log2": anp.log2, "log10": anp.log10, "sqrt": anp.sqrt, "pow": anp.power,
    "fabs": anp.abs, "hypot": _math_hypot, "copysign": lambda x, y: anp.abs(x) * anp.sign(getval(y)),
    "floor": _nondiff(math.floor), "ceil": _nondiff(math.ceil), "trunc": _nondiff(math.trunc),
    "isfinite": _nondiff(math.isfinite), "isnan": _nondiff(math.isnan), "isclose": _nondiff(math.isclose),
}.items():
    setattr(_math_shim, _name, _fn)


class _FloatMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, float)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, float)


class _float(metaclass=_FloatMeta):
    """The builtin float, except that a traced value stays traced (autograd boxes refuse float()).

    It still works as a dtype (``x.astype(float)``, via the ``dtype`` attribute) and in isinstance.
    """

    dtype = np.dtype(np.float64)

    def __new__(cls, x=0.0):
        return x if isinstance(x, Box) else float(x)


class _IntMeta(type):
    def __instancecheck__(cls, obj):
        return isinstance(obj, int)

    def __subclasscheck__(cls, sub):
        return issubclass(sub, int)


class _int(metaclass=_IntMeta):
    """The builtin int, accepting a traced value (its integer part carries no derivative)."""

    dtype = np.dtype(np.int64)

    def __new__(cls, x=0, *base):
        return int(getval(x), *base)


def autograd_version(f, _memo=None):
    """f rebuilt from its code object over autograd.numpy and the math shim.

    Globals that are the numpy or math module are swapped; plain Python functions defined in the
    same module are rebuilt too (sharing the new globals, so helpers and recursion stay traced).
    Defaults and closure cells are reused as they are.
    """
    memo = {} if _memo is None else _memo
    key = id(f.__globals__)
    if key not in memo:
        g = dict(f.__globals__)
        memo[key] = g
        for name, value in list(g.items()):
            if value is np:
                g[name] = _np_shim
            elif value is math:
                g[name] = _math_shim
        g["float"] = _float
        g["int"] = _int
        for name, value in list(g.items()):
            if isinstance(value, types.FunctionType) and value.__globals__ is f.__globals__:
                g[name] = _rebuild(value, g)
    return _rebuild(f, memo[key])


def _rebuild(f, new_globals):
    g = types.FunctionType(f.__code__, new_globals, f.__name__, f.__defaults__, f.__closure__)
    g.__kwdefaults__ = f.__kwdefaults__
    g.__qualname__ = f.__qualname__
    return g


def _wrt_function(f, args, wrt, kwargs):
    """(h, xs, names, single, base): h(*xs) calls autograd_version(f) with the wrt arguments
    replaced by xs, which are the promoted wrt values."""
    names, single = resolve_wrt(f, wrt)
    base = _bind(f, args, kwargs)
    for name in names:
        base[name] = _promote(base[name])
    af = autograd_version(f)

    def h(*xs):
        arguments = dict(base)
        for name, x in zip(names, xs, strict=True):
            arguments[name] = x
        return _call(af, arguments)

    return h, tuple(base[n] for n in names), names, single, base


def _summed(h):
    return lambda *xs: anp.sum(h(*xs))


def autograd_grad(f, args, wrt=0, kwargs=None):
    """autograd's gradient of sum(f(*args, **kwargs)), shaped like numeric_grad's."""
    h, xs, names, single, _ = _wrt_function(f, args, wrt, kwargs)
    # All wrt arguments are traced together (as one tuple), as in one call of the real function:
    # a method of a plain ndarray given a traced argument (M.dot(v)) would silently drop the trace.
    grads = autograd.grad(lambda packed: anp.sum(h(*packed)))(xs)
    grads = tuple(_shaped_like(g, x) for g, x in zip(grads, xs, strict=True))
    return grads[0] if single else grads


def autograd_hessian(f, args, wrt=0, kwargs=None):
    """Hessian of sum(f) with respect to one argument: arg.shape + arg.shape (a float for a scalar)."""
    h, xs, names, single, _ = _wrt_function(f, args, wrt, kwargs)
    if not single:
        raise ValueError("autograd_hessian takes a single wrt")
    (x,) = xs
    hess = np.asarray(autograd.hessian(_summed(h))(x), dtype=np.float64)
    if not isinstance(x, np.ndarray):
        return float(hess.reshape(()))
    return hess.reshape(x.shape + x.shape)


def autograd_derivative(f, args, wrt=0, order=2, kwargs=None):
    """The order-th derivative of a scalar function with respect to one scalar argument (a float)."""
    g, x0 = _of_one_argument(autograd_version(f), args, wrt, kwargs)
    if isinstance(x0, np.ndarray):
        raise ValueError("autograd_derivative takes a scalar argument")
    d = lambda x: anp.sum(g(x))  # noqa: E731
    for _ in range(order):
        d = autograd.grad(d)
    return float(d(x0))


def autograd_hvp(f, args, v, wrt=0, kwargs=None):
    """Hessian of sum(f) with respect to one argument, times v (shaped like the argument)."""
    hess = autograd_hessian(f, args, wrt, kwargs)
    x = _bind(f, args, kwargs)[resolve_wrt(f, wrt)[0][0]]
    if not isinstance(x, np.ndarray):
        return float(hess * v)
    n = x.size
    return (np.asarray(hess).reshape(n, n) @ np.asarray(v, dtype=np.float64).reshape(n)).reshape(x.shape)


def autograd_jacobian(f, args, wrt=0, kwargs=None):
    """Jacobian of f's output with respect to one argument: out.shape + arg.shape (float if both
    are scalars)."""
    h, xs, names, single, _ = _wrt_function(f, args, wrt, kwargs)
    if not single:
        raise ValueError("autograd_jacobian takes a single wrt")
    (x,) = xs
    jac = np.asarray(autograd.jacobian(h)(x), dtype=np.float64)
    if jac.shape == ():
        return float(jac)
    return jac


def autograd_jvp(f, primals, tangents, kwargs=None):
    """(out, tangent_out) of f at `primals` along `tangents` (one per primal, all differentiated)."""
    if len(tangents) != len(primals):
        raise ValueError("one tangent per primal")
    out = _call(f, _bind(f, primals, kwargs))
    h, xs, _, _, _ = _wrt_function(f, primals, tuple(range(len(primals))), kwargs)
    ts = tuple(_promote(t) for t in tangents)
    _, t_out = autograd.make_jvp(lambda packed: h(*packed))(xs)(ts)
    if isinstance(out, np.ndarray):
        return out, _shaped_like(t_out, out)
    return out, float(np.asarray(t_out, dtype=np.float64).reshape(()))


def autograd_vjp(f, primals, cotangent, kwargs=None):
    """(out, cotangents): f's output and one cotangent per primal for the output cotangent given."""
    out = _call(f, _bind(f, primals, kwargs))
    h, xs, _, _, _ = _wrt_function(f, primals, tuple(range(len(primals))), kwargs)
    vjp, _ = autograd.make_vjp(lambda packed: h(*packed))(xs)
    cts = vjp(np.asarray(cotangent, dtype=np.float64) if isinstance(out, np.ndarray) else np.float64(cotangent))
    return out, tuple(_shaped_like(g, x) for g, x in zip(cts, xs, strict=True))


# --------------------------------------------------------------------------------------------
# Comparison
# --------------------------------------------------------------------------------------------


def _kind(x):
    if isinstance(x, np.ndarray):
        return f"ndarray{x.shape}"
    if isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, bool):
        return "float"
    return type(x).__name__


def assert_close(actual, expected, rtol=1e-7, atol=1e-9, what="value"):
    """Assert that `actual` has the kind of `expected` and close numbers.

    Kinds: a float (Python float; np.float64, being a float subclass, is accepted; an int is
    accepted only where an int is expected) for a scalar; an ndarray with expected's shape and a
    floating dtype for an array; a tuple of the same length compared element by element.
    """
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple), f"{what}: expected a tuple of {len(expected)}, got {_kind(actual)}"
        assert len(actual) == len(expected), f"{what}: expected {len(expected)} items, got {len(actual)}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_close(a, e, rtol, atol, f"{what}[{i}]")
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(actual, np.ndarray), f"{what}: expected ndarray{expected.shape}, got {_kind(actual)}"
        assert actual.shape == expected.shape, f"{what}: expected shape {expected.shape}, got {actual.shape}"
        if np.issubdtype(expected.dtype, np.floating):
            assert np.issubdtype(actual.dtype, np.floating), f"{what}: expected a float array, got dtype {actual.dtype}"
    else:
        if isinstance(expected, (int, np.integer)) and not isinstance(expected, bool):
            ok = isinstance(actual, (int, float, np.integer, np.floating)) and not isinstance(actual, bool)
        else:
            ok = isinstance(actual, (float, np.floating))
        assert ok and not isinstance(actual, np.ndarray), f"{what}: expected a float, got {_kind(actual)} {actual!r}"
    a = np.asarray(actual, dtype=np.float64)
    e = np.asarray(expected, dtype=np.float64)
    if not np.allclose(a, e, rtol=rtol, atol=atol, equal_nan=False):
        err = np.abs(a - e)
        worst = np.unravel_index(np.argmax(err - rtol * np.abs(e)), err.shape) if err.shape else ()
        raise AssertionError(
            f"{what}: not close (rtol={rtol}, atol={atol}); worst at {worst}: "
            f"actual {a[worst]!r} vs expected {e[worst]!r}\nactual:\n{a!r}\nexpected:\n{e!r}"
        )
