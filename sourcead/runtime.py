"""What generated derivatives call at run time.

Everything here is small, plain and fast on floats: generated code runs these in its inner loops.
Rule helpers that need more than one line live here too, so that rules themselves stay one line.
Each of these functions has derivative rules of its own (``rules/runtime_.py``), so generated
code can be differentiated again.
"""

from __future__ import annotations

import copy
import dataclasses
import linecache

import numpy as np

from .errors import Loc, NonDifferentiableError, UnboundNameError, UnsupportedCallError, UnsupportedSyntaxError

_float = float
_ndarray = np.ndarray


def unbroadcast(g, x):
    """Sum the cotangent `g` down to the shape of `x`: the adjoint of broadcasting `x` up to g."""
    xs = getattr(x, "shape", None)  # an array's own (NumPy, foreign, or a ShapeOf): no call
    if xs is None:
        if isinstance(x, (list, tuple)):
            raise _seq_arithmetic()
        xs = np.shape(x)
    gs = getattr(g, "shape", None)
    if gs is None:
        gs = np.shape(g)
    if gs == xs:
        return g
    lead = len(gs) - len(xs)
    if lead < 0:  # a cotangent smaller than x (a scalar cotangent of an array): broadcast it
        out = np.empty(xs, dtype=np.result_type(g, getattr(x, "dtype", 1.0), 1.0))  # a Python-float g keeps x's float32
        out[...] = g
        return out
    if lead:
        g = np.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(xs) if n == 1 and np.shape(g)[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g


def ones_like_output(y):
    """The seed cotangent of a result whose sum is differentiated: 1.0, ones of y's shape, or a
    list of those for a list or tuple of results (a dict for a dict or a dataclass's fields)."""
    if isinstance(y, _ndarray):
        if y.dtype.kind not in "biuf":
            raise _not_numeric(y)
        return np.ones(y.shape, dtype=_gradient_dtype(y))
    if isinstance(y, (list, tuple)):
        return [ones_like_output(e) for e in y]
    if isinstance(y, dict) or is_record(y):
        return {k: ones_like_output(e) for k, e in items_of(y)}
    if isinstance(y, (int, float, np.integer, np.floating)) and not isinstance(y, (bool, np.bool_)):
        return 1.0
    raise _not_numeric(y)


def numeric_result(y, where=None):
    """The result a gradient starts from, checked to be a real number or array (or a list or tuple
    of them) when the compiler cannot tell from the code: a path returning a string, an object or a
    complex value is refused where the primal returns it (kept by dead-code elimination). `where`
    is (file, line, column) of the function's definition."""
    if isinstance(y, _ndarray):
        if y.dtype.kind in "biuf":
            return y
    elif isinstance(y, (list, tuple)):
        for e in y:
            numeric_result(e, where)
        return y
    elif isinstance(y, dict) or is_record(y):
        for _, e in items_of(y):
            numeric_result(e, where)
        return y
    elif isinstance(y, (int, float, np.integer, np.floating)) and not isinstance(y, (bool, np.bool_)):
        return y
    loc = None
    if where is not None:
        filename, line, col = where
        loc = Loc(filename, line, col, linecache.getline(filename, line).rstrip("\n"))
    raise _not_numeric(y, loc)


def _a(noun: str) -> str:
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _not_numeric(y, loc=None):
    if np.iscomplexobj(y):
        return NonDifferentiableError(
            f"the function returned a complex value ({y!r:.60}): grad differentiates a real-valued function", loc,
            hint="return a real number (the real part, abs(...), the squared modulus), or use vjp with a "
                 "cotangent (vjp(f, z)[1](1.0) is f'(z) for a holomorphic f)")
    return NonDifferentiableError(
        f"the function returned {_a(type(y).__name__)} ({y!r:.60}), which has no gradient", loc,
        hint="grad differentiates a function returning numbers or arrays (or tuples or lists of them); "
             "check that it ends with a return of the value you want to differentiate")


def zeros_like_input(x):
    """A zero gradient in x's type: 0.0 for a number, a float array of x's shape (and float
    dtype: float32 stays float32) for an array, a list of zeros for a list or tuple, a dict of
    zeros for a dict or a dataclass's fields."""
    if isinstance(x, _ndarray):
        return np.zeros(x.shape, dtype=_gradient_dtype(x))
    if isinstance(x, (list, tuple)):
        return [zeros_like_input(e) for e in x]
    if isinstance(x, dict) or is_record(x):
        return {k: zeros_like_input(e) for k, e in items_of(x)}
    return 0.0


def _gradient_dtype(x):
    """The dtype of a seed or gradient for the array `x`: its own when it is a real float (float32
    stays float32, as NumPy's arithmetic keeps it), float64 for integers and booleans (and for
    complex arrays: passes/shapes.py may read zeros of a complex value's shape from a real value
    of that shape, so this must not depend on complexness; `as_gradient` makes a complex one's
    gradient complex)."""
    return x.dtype if x.dtype.kind == "f" else np.float64


def to_float(x):
    """Promote a differentiated integer array to float64, as autograd does. An integer scalar
    stays as it is -- it may be a count (`range(n)`); its gradient is a float all the same, since
    derivative rules do not depend on the primal's type: never a silent zero."""
    if isinstance(x, _ndarray) and x.dtype.kind in "biu" and x.dtype.kind != "b":
        return x.astype(np.float64)
    return x


def as_gradient(g, x):
    """Give the gradient `g` the type and shape of the primal `x` (float, or a float ndarray --
    float32 for float32 x, else float64 unless g is wider; a list of gradients for a list or tuple;
    a dict, namedtuple or dataclass of gradients for one)."""
    if isinstance(x, dict) or is_record(x) or isinstance(x, tuple) and hasattr(type(x), "_fields"):
        return structured_gradient(g, x)
    if isinstance(x, (list, tuple)):
        if isinstance(g, (list, tuple)):
            return type(x)(as_gradient(gi, xi) for gi, xi in zip(g, x, strict=True))
        return type(x)(as_gradient(g, xi) for xi in x)
    if _complex_value(g) and not _complex_value(x):
        if np.any(np.imag(g) != 0):
            raise _complex_leak()
        g = np.real(g)  # a complex dtype with no imaginary part (SciPy's matrix functions, NumPy 2.5's eig)
    if isinstance(x, _ndarray):
        like = x.dtype if x.dtype.kind == "c" else _gradient_dtype(x)  # a complex array's gradient is complex
        if isinstance(g, _ndarray) and g.shape == x.shape and g.dtype.kind in "fc" \
                and np.result_type(g, like) == g.dtype:
            return g
        if not isinstance(g, _ndarray) or g.ndim == 0:
            return np.full(x.shape, g, dtype=np.result_type(g, like))
        return np.broadcast_to(np.asarray(g, dtype=np.result_type(g, like)), x.shape).copy()
    if isinstance(g, _ndarray):
        if g.size != 1:
            return g
        g = g.reshape(())[()]
    if isinstance(g, complex):
        return g
    if isinstance(x, (complex, np.complexfloating)):
        return complex(g)  # a complex number's gradient is complex (0j when it is zero)
    if isinstance(x, np.floating) and type(x) is not np.float64:
        return type(x)(g)  # a float32 number's gradient is a float32 number
    return _float(g)


def _complex_value(v) -> bool:
    return isinstance(v, (complex, np.complexfloating)) or getattr(getattr(v, "dtype", None), "kind", "") == "c"


def _complex_leak() -> NonDifferentiableError:
    """A complex derivative of a real value: a complex value the compiler could not see (an
    attribute of an object, a callable without source) met a rule that may not hold for it."""
    return NonDifferentiableError(
        "a complex value reached the derivative of a real value, but sourcead could not tell when compiling "
        "that it was complex (so it could not check the rules it went through)",
        hint="make the complex value visible to the compiler: a complex argument, a literal such as 1j, a "
             "module-level array, or np.asarray(..., dtype=complex)")


class _Unbound:
    """The value of a variable that a path through the function never assigned."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "UNBOUND"

    def __reduce__(self):
        return "UNBOUND"


UNBOUND = _Unbound()


def unpacked(value, n):
    """Tuple unpacking (``a, b = value``): Python's own error when the counts differ, else the
    value itself."""
    if len(value) != n:
        raise ValueError(f"cannot unpack {len(value)} values into {n} names")
    return value


def enter_context(manager):
    """``with manager:`` (``np.errstate(...)``) begins; the back end prints the with statement."""
    manager.__enter__()


def exit_context(manager):
    """The end of ``with manager:`` (its block ended normally; in generated code, a with statement)."""
    manager.__exit__(None, None, None)


def raise_error(exc):
    """``raise exc``: a user's `raise` (or failed `assert`), kept in the forward sweep; the back end
    prints it as a raise statement."""
    raise exc


def not_shared(value, name, where, others, tracked=()):
    """Before ``name op= ...`` (or a write into an element, or a list method): an array that shares
    memory with another variable's value would be changed in place behind that variable's back.
    `others` are the values of the names the write does not update; `tracked` holds the (alias,
    base, index) relations it does update, whose values are checked too unless the relation really
    holds (the same object, or a basic-index view of an array: then the update is exact)."""
    mutable = type(value) is _ndarray or type(value) is list
    unfollowed = [v for alias, base, idx in tracked if not _aliased(alias, base, idx)
                  for v in (alias, base) if v is not value]
    for other in [*others, *unfollowed] if mutable else ():
        if _shares(value, other) if type(value) is _ndarray else _holds(other, value):
            filename, line, col = where
            raise UnsupportedSyntaxError(
                f"{name} is {'an array' if type(value) is _ndarray else 'a list'} that another variable also "
                f"refers to (or a view of its memory), and an augmented assignment (+=, *=, ...), a write "
                f"into an element or a list method changes it in place: sourcead cannot tell here which "
                f"variables change with it",
                Loc(filename, line, col, linecache.getline(filename, line).rstrip("\n")),
                f"copy it first ({name} = {name}.copy(), or list({name})), or write {name} = {name} + ... "
                f"(a new value) instead")
    return value


def _holds(other, value) -> bool:
    """Whether `other` is the list `value`, or a container (list, tuple, dict, dataclass) holding it."""
    if other is value:
        return True
    return any(_holds(item, value) for item in _held(other))


def _shares(value, other) -> bool:
    """Whether `other` (an array, or a container holding arrays) shares memory with `value`."""
    if type(other) is _ndarray:
        return np.may_share_memory(value, other)
    return any(_shares(value, item) for item in _held(other))


def _held(other) -> tuple:
    """The items of a list, tuple or dict, or the fields of a dataclass instance (else none)."""
    if isinstance(other, (list, tuple)):
        return tuple(other)
    if isinstance(other, dict):
        return tuple(other.values())
    if dataclasses.is_dataclass(other) and not isinstance(other, type):
        return tuple(getattr(other, f.name) for f in dataclasses.fields(other))
    return ()


def check_bound(value, name, where=None):
    """Raise as Python would when a variable bound on only some paths is read on another;
    `where` is (file, line, column) of the read in the user's source."""
    if value is UNBOUND:


        loc = None
        if where is not None:
            filename, line, col = where
            loc = Loc(filename, line, col, linecache.getline(filename, line).rstrip("\n"))
        raise UnboundNameError(f"local variable {name!r} is read before it is assigned on this path", loc,
                               "assign it on every path before this line")
    return value


# ---- rule helpers ----
# Called from the one-line rules in rules/ when a derivative needs a branch or a loop. A helper
# linear in a cotangent (or tangent) takes it first. Each helper has rules in rules/runtime_.py or
# is declared nondifferentiable there, except norm_weight_dx and norm_weight_dnorm (no third
# derivatives of np.linalg.norm).


def _axes_tuple(axis, ndim):
    """`axis` (None, an int or a tuple, possibly negative) as a sorted tuple of non-negative axes."""
    if axis is None:
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        return tuple(sorted(a % ndim for a in axis))
    return (axis % ndim,)


def _with_kept_dims(r, axis, keepdims):
    """A reduction's result `r` with the reduced axes restored as length-1 axes (broadcastable)."""
    if keepdims or axis is None:
        return r
    return np.expand_dims(r, axis)


def broadcast_like(g, x):
    """`g` given x's shape: broadcast up (the adjoint of `unbroadcast`), or summed down if larger.

    Returns `g` itself when the shapes agree, else a fresh writable array.
    """
    if type(g) is float and type(x) is _ndarray and x.ndim:  # a scalar seed spread (the common case, fast)
        return np.full(x.shape, g, dtype=x.dtype if x.dtype.kind in "fc" else np.float64)
    xs = np.shape(x)
    if np.shape(g) == xs:
        return g
    try:
        out = np.empty(xs, dtype=np.result_type(g, getattr(x, "dtype", 1.0), 1.0))
        out[...] = g
    except ValueError:
        return unbroadcast(g, x)
    return out if xs else out[()]


class ShapeOf:
    """What a loop's tape keeps of an array its adjoint reads only for its shape (the second
    operand of `unbroadcast`, `expand_reduced`...): the shape, not the array (`np.shape`,
    `np.ndim` and `np.size` read these attributes)."""

    __slots__ = ("shape",)

    def __init__(self, shape):
        self.shape = shape

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return _count(self.shape)

    def __repr__(self):
        return f"ShapeOf({self.shape!r})"


def shape_of(x):
    """``ShapeOf(np.shape(x))``: pushed instead of an array read back only for its shape."""
    return ShapeOf(np.shape(x))


def expand_reduced(g, x, axis=None, keepdims=False):
    """The cotangent `g` of a reduction of `x` over `axis`, spread back over x's shape (a copy)."""
    xs = np.shape(x)
    g = _with_kept_dims(g, axis, keepdims)
    out = np.empty(xs, dtype=np.result_type(g, getattr(x, "dtype", 1.0), 1.0))  # a Python-float g keeps x's float32
    out[...] = g
    return out if xs else out[()]


def _is_basic_index(idx):
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


def unindex(g, x, idx):
    """Zeros shaped like `x` with `g` added at ``x[idx]``: the adjoint of indexing.

    Repeated integer indices accumulate. `x` may be a list or tuple (the result is then a list).
    """
    if isinstance(x, (list, tuple, dict)):
        out = zeros_like_input(x)
        out[idx] = g
        return out
    out = np.zeros(np.shape(x), dtype=np.result_type(g, 1.0))
    if _is_basic_index(idx):
        out[idx] = g
    else:
        np.add.at(out, idx, g)
    return out


def log_or_zero(x):
    """log(x), and 0 where x == 0: the factor of d(x**y)/dy, finite where x**y is 0."""
    return np.log(np.where(x == 0, 1.0, x))


def tie_share(x, ans, y):
    """The share of ``maximum(x, y)`` (or minimum) that comes from x: 1, 0, or 0.5 on a tie."""
    return (x == ans) / (1.0 + (x == y))


def extremum_share(x, ans, axis=None, keepdims=False):
    """The share of a max/min reduction each element of `x` supplies: ties split it evenly."""
    won = x == _with_kept_dims(ans, axis, keepdims)
    return np.divide(won, np.sum(won, axis=axis, keepdims=True), dtype=np.result_type(x, 1.0))  # float32 stays


def clip_mask(x, a_min, a_max, part):
    """1.0 where `part` ('x', 'a_min' or 'a_max') is what np.clip returns, else 0.0.

    A bound of None is absent. On a tie the value is taken from x; when a_min > a_max, NumPy
    returns a_max.
    """
    low = np.False_ if a_min is None else np.less(x, a_min)
    high = np.False_ if a_max is None else np.greater(x, a_max)
    if a_min is not None and a_max is not None:
        high = np.logical_or(high, np.greater(a_min, a_max))
    if part == "x":
        return 1.0 * np.logical_not(np.logical_or(low, high))
    if part == "a_min":
        return 1.0 * np.logical_and(low, np.logical_not(high))
    return 1.0 * high


def kept_count(x, axis, where):
    """How many elements `where` keeps in each slice of `x` reduced over `axis`, shaped to
    broadcast against x (the `n` of a mean, var or std with where=)."""
    counts = np.sum(np.broadcast_to(where, np.shape(x)), axis=axis, keepdims=True)
    return counts.astype(np.result_type(x, np.float32))  # float32 data keeps its precision


def prod_others(x, axis=None):
    """For each element of `x`, the product of the other elements it is reduced with along `axis`.

    This is d prod / d x, computed without dividing, so it is exact where x has zeros.
    """
    if np.ndim(x) == 0:
        return np.ones_like(x, dtype=np.result_type(x, 1.0))[()]
    if _count(np.shape(x)) == 0:
        return np.zeros(np.shape(x))
    axes = _axes_tuple(axis, np.ndim(x))
    ends = tuple(range(-len(axes), 0))
    moved = np.moveaxis(np.asarray(x), axes, ends)
    flat = moved.reshape(moved.shape[: moved.ndim - len(axes)] + (_count(moved.shape[moved.ndim - len(axes):]),))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=np.result_type(flat, 1.0))
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis((before * after).reshape(moved.shape), ends, axes)


def _is_matrix_norm(x, ord, axis):
    """Whether np.linalg.norm(x, ord, axis) is a matrix norm (over two axes)."""
    return (isinstance(axis, (tuple, list)) and len(axis) == 2) or (
        axis is None and ord is not None and np.ndim(x) == 2)


def _norm_power(x, ord, axis, vector=False):
    """The p of the elementwise p-norm np.linalg.norm(x, ord, axis) computes (2 for Frobenius),
    or None for a matrix norm that is not elementwise ('nuc', 1, -1, 2, -2, inf, -inf). With
    `vector` (np.linalg.vector_norm) it is a p-norm over `axis` whatever the axes are."""
    if vector:
        return 2.0 if ord is None else float(ord)
    if ord is None or (ord == "fro" and _is_matrix_norm(x, ord, axis)):
        return 2.0
    if _is_matrix_norm(x, ord, axis):
        return None
    return float(ord)


def norm_weight(x, norm, ord=None, axis=None, keepdims=False, vector=False):
    """d norm / d x for ``norm = np.linalg.norm(x, ord, axis, keepdims)``, in x's shape.

    Where the norm is not differentiable (a zero vector, a tie in the inf-norm) it gives a
    subgradient: 0 for a zero vector, ties shared evenly. `vector`: as np.linalg.vector_norm.
    """
    p = _norm_power(x, ord, axis, vector)
    if p is None:
        return matrix_norm_weight(x, norm, ord, axis, keepdims)
    a = _with_kept_dims(norm, axis, keepdims)
    if p == 2.0:
        return x / np.where(a == 0, 1.0, a)
    if p == 1.0:
        return np.sign(x)
    if np.isinf(p):
        return np.sign(x) * extremum_share(np.abs(x), norm, axis, keepdims)
    if p == 0.0:
        return np.zeros(np.shape(x))
    return np.sign(x) * (np.abs(x) / np.where(a == 0, 1.0, a)) ** (p - 1)


def _nonzero_norm(norm, axis, keepdims):
    a = _with_kept_dims(norm, axis, keepdims)
    return np.where(a == 0, 1.0, a)


def _spectral_second_order_refused(x, ord, axis, vector=False):
    """`_norm_power`, after refusing the matrix ords whose weight is not elementwise and not
    piecewise constant ('nuc', 2, -2): their second derivatives go through the SVD's vectors.
    The weights of the matrix ords 1, -1, inf, -inf are piecewise constant (p None: slope 0)."""
    p = _norm_power(x, ord, axis, vector)
    if p is None and ord in ("nuc", 2, -2):
        raise UnsupportedCallError(
            f"np.linalg.norm of a matrix with ord={ord!r} is differentiated once, not twice",
            hint="for second derivatives write the norm from the singular values: "
                 "np.sum(np.linalg.svd(a, compute_uv=False)) for 'nuc', [0] of them for 2")
    return p


def norm_weight_dx(x, norm, ord=None, axis=None, keepdims=False, vector=False):
    """d norm_weight / d x (elementwise: the weight of x_i depends on x_i and its group's norm).

    Has no rules of its own: third derivatives of np.linalg.norm are not supported.
    """
    p = _spectral_second_order_refused(x, ord, axis, vector)
    if p is None or p in (0.0, 1.0) or np.isinf(p):
        return np.zeros(np.shape(x))
    a = _nonzero_norm(norm, axis, keepdims)
    if p == 2.0:
        return np.broadcast_to(1.0 / a, np.shape(x)).copy()
    return (p - 1) * np.abs(x) ** (p - 2) / a ** (p - 1)


def norm_weight_dnorm(x, norm, ord=None, axis=None, keepdims=False, vector=False):
    """d norm_weight / d norm, in x's shape (no rules of its own, like norm_weight_dx)."""
    p = _spectral_second_order_refused(x, ord, axis, vector)
    if p is None or p in (0.0, 1.0) or np.isinf(p):
        return np.zeros(np.shape(x))
    return (1 - p) * norm_weight(x, norm, ord, axis, keepdims, vector) / _nonzero_norm(norm, axis, keepdims)


def _pair_axes(na, nb, axes):
    """np.tensordot's `axes` as two lists of non-negative axes of a and b."""
    if isinstance(axes, (int, np.integer)):
        return list(range(na - axes, na)), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, (int, np.integer)) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, (int, np.integer)) else list(b_axes)
    return [a % na for a in a_axes], [b % nb for b in b_axes]


def tensordot_adjoint_left(g, a, b, axes=2):
    """The cotangent of `a` in ``np.tensordot(a, b, axes)`` given the result's cotangent `g`."""
    na, nb = np.ndim(a), np.ndim(b)
    a_axes, b_axes = _pair_axes(na, nb, axes)
    a_free = [i for i in range(na) if i not in a_axes]
    b_free = [i for i in range(nb) if i not in b_axes]
    r = np.tensordot(g, b, axes=(list(range(len(a_free), np.ndim(g))), b_free))
    # r's axes: a's free axes, then a's contracted axes in the order of their partners in b
    order = a_free + [a_axes[k] for k in np.argsort(b_axes, kind="stable")]
    return np.transpose(r, np.argsort(order, kind="stable"))


def tensordot_adjoint_right(g, a, b, axes=2):
    """The cotangent of `b` in ``np.tensordot(a, b, axes)`` given the result's cotangent `g`."""
    na, nb = np.ndim(a), np.ndim(b)
    a_axes, b_axes = _pair_axes(na, nb, axes)
    a_free = [i for i in range(na) if i not in a_axes]
    b_free = [i for i in range(nb) if i not in b_axes]
    r = np.tensordot(a, g, axes=(a_free, list(range(len(a_free)))))
    # r's axes: b's contracted axes in the order of their partners in a, then b's free axes
    order = [b_axes[k] for k in np.argsort(a_axes, kind="stable")] + b_free
    return np.transpose(r, np.argsort(order, kind="stable"))


def dot_axes(a, b):
    """np.dot(a, b) as np.tensordot(a, b, dot_axes(a, b))."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return 0
    return [np.ndim(a) - 1], [max(np.ndim(b) - 2, 0)]


def inner_axes(a, b):
    """np.inner(a, b) as np.tensordot(a, b, inner_axes(a, b))."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        return 0
    return [np.ndim(a) - 1], [np.ndim(b) - 1]


def matmul_adjoint_left(g, a, b):
    """The cotangent of `a` in ``a @ b`` (1-D operands promoted, batch axes broadcast)."""
    if np.ndim(b) == 1:
        g = np.expand_dims(g, -1)
        b = b[:, None]
    if np.ndim(a) == 1:
        g = np.expand_dims(g, -2)
        return unbroadcast(np.matmul(g, np.swapaxes(b, -1, -2))[..., 0, :], a)
    return unbroadcast(np.matmul(g, np.swapaxes(b, -1, -2)), a)


def matmul_adjoint_right(g, a, b):
    """The cotangent of `b` in ``a @ b`` (1-D operands promoted, batch axes broadcast)."""
    if np.ndim(b) == 1:
        g = np.expand_dims(g, -1)
    if np.ndim(a) == 1:
        g = np.expand_dims(g, -2)
        a = a[None, :]
    if np.ndim(b) == 1:
        return unbroadcast(np.matmul(np.swapaxes(a, -1, -2), g)[..., 0], b)
    return unbroadcast(np.matmul(np.swapaxes(a, -1, -2), g), b)


_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def untrace(g, x, offset=0, axis1=0, axis2=1):
    """Zeros shaped like `x` with `g` on the diagonal that np.trace(x, offset, axis1, axis2) sums."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, 1.0))
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    n, m = view.shape[-2:]
    i = np.arange(max(0, -offset), max(0, min(n, m - offset)))
    view[..., i, i + offset] = np.expand_dims(g, -1)
    return out


def transpose_axes(axes):
    """ndarray.transpose's *axes ((), (None,), ((1, 0),) or (1, 0)) as np.transpose's axes."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
        axes = axes[0]
    return None if axes is None or len(axes) == 0 else tuple(axes)


def inverse_axes(axes, ndim):
    """The permutation that undoes np.transpose(x, axes) for an x of `ndim` axes."""
    if axes is None:
        return None
    return tuple(int(i) for i in np.argsort([a % ndim for a in axes]))


def cast_like(g, like, dtype=None):
    """`g` in like's float dtype; zeros of like's shape when `dtype` is boolean or integer."""
    if dtype is not None and np.dtype(dtype).kind in "biu":
        return np.zeros(np.shape(like)) if np.ndim(like) else 0.0
    if isinstance(like, _ndarray) and like.dtype.kind in "fc" and np.result_type(g) != like.dtype:
        return np.asarray(g if like.dtype.kind == "c" else np.real(g), dtype=like.dtype)  # (a real like: Re g)
    return g


def unpack_like(g, obj, dtype=None):
    """The cotangent of np.array(obj) split back into obj's nesting of lists, tuples and arrays."""
    if dtype is not None and np.dtype(dtype).kind in "biu":
        g = np.zeros(np.shape(g))
    if isinstance(obj, (list, tuple)):
        return [unpack_like(g[i], o) for i, o in enumerate(obj)]
    if isinstance(obj, _ndarray):
        return np.reshape(g, obj.shape)
    return g[()] if isinstance(g, _ndarray) else g


def unsum(g, xs):
    """The cotangent of builtin ``sum(xs)``: g for each element of xs, summed to its shape."""
    if isinstance(xs, _ndarray):
        return expand_reduced(g, xs, 0)
    return [unbroadcast(g, x) for x in xs]


def _piece_shapes(arrays, like, axis):
    """The shapes the pieces of np.concatenate/hstack/vstack have inside the result `like`."""
    shape = list(np.shape(like))
    rest = max(int(np.prod(shape[:axis] + shape[axis + 1:])), 1)
    return [tuple(shape[:axis] + [np.size(a) // rest] + shape[axis + 1:]) for a in arrays]


def unconcatenate(g, arrays, axis=0):
    """`g` cut into pieces shaped like `arrays`: the adjoint of np.concatenate, hstack, vstack."""
    if isinstance(arrays, _ndarray):  # np.vstack(x) of one array: the sequence of its rows
        return np.reshape(np.stack(unconcatenate(g, list(arrays), axis)), arrays.shape)
    if axis is None:
        g, axis = np.ravel(g), 0
    sizes = [s[axis] for s in _piece_shapes(arrays, g, axis)]
    pieces = np.split(g, np.cumsum(sizes)[:-1], axis=axis)
    return [np.reshape(p, np.shape(a)) for p, a in zip(pieces, arrays, strict=True)]


def reconcatenate(pieces, like, axis=0):
    """Pieces shaped like the arrays of np.concatenate/hstack/vstack joined into like's shape."""
    if axis is None:
        return np.concatenate([np.ravel(p) for p in pieces])
    shapes = _piece_shapes(pieces, like, axis)
    return np.concatenate([np.reshape(p, s) for p, s in zip(pieces, shapes, strict=True)], axis=axis)


def hstack_axis(g):
    """The axis np.hstack joins along, for its result `g`."""
    return 0 if np.ndim(g) == 1 else 1


def unstack(g, axis=0):
    """`g` cut along `axis` into a list: the adjoint of np.stack(arrays, axis)."""
    return list(np.moveaxis(np.asarray(g), axis, 0))


def unrepeat(g, x, repeats, axis=None):
    """The cotangent of np.repeat(x, repeats, axis): the copies of each element summed."""
    if axis is None:
        g, axis, n = np.ravel(g), 0, np.size(x)
    else:
        n = np.shape(x)[axis]
    g = np.moveaxis(g, axis, 0)
    counts = np.ravel(repeats)
    if counts.size == 1:
        out = g.reshape((n, int(counts[0])) + g.shape[1:]).sum(axis=1)
    else:
        out = np.zeros((n,) + g.shape[1:], dtype=np.result_type(g, 1.0))
        np.add.at(out, np.repeat(np.arange(n), counts), g)
    return np.reshape(np.moveaxis(out, 0, axis), np.shape(x))


def untile(g, x, reps):
    """The cotangent of np.tile(x, reps): the tiles summed."""
    reps = (reps,) if np.ndim(reps) == 0 else tuple(reps)
    d = max(np.ndim(x), len(reps))
    shape = (1,) * (d - np.ndim(x)) + np.shape(x)
    reps = (1,) * (d - len(reps)) + reps
    pairs = np.reshape(g, [k for r, s in zip(reps, shape) for k in (r, s)])
    return np.reshape(np.sum(pairs, axis=tuple(range(0, 2 * d, 2))), np.shape(x))


def uncumsum(g, x, axis=None):
    """The cotangent of np.cumsum(x, axis): a cumulative sum from the end."""
    if axis is None or np.ndim(x) == 0:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(x))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


# ---- helpers of the NumPy rules (ufuncs, reductions, scans, shapes, indexing) --------------------


def _count(shape):
    """The number of elements of an array of `shape` (from its shape alone: no np.size)."""
    n = 1
    for k in shape:
        n *= k
    return n


def power_slope(x, y):
    """d(x**y)/dx = y * x**(y - 1), and 0 where y == 0 (x**0 is 1 everywhere, even at x == 0)."""
    zero = np.equal(y, 0)
    return np.where(zero, 0.0, y * np.power(np.where(zero, 1.0, x), np.where(zero, 1.0, y) - 1))[()]


# ---- complex numbers and the FFT (rules/complex_.py, rules/fft.py) -------------------------------


def like_input(g, x):
    """`g` as the cotangent of `x`: its real part when `x` is real. Under the pairing Re(a * b), a
    real change dx pairs with the real part of a complex cotangent only (JAX's convention)."""
    return g if np.iscomplexobj(x) else np.real(g)


def complex_zeros_like(x):
    """The zero derivative of a value that may be complex: complex zeros of x's shape (its dtype is
    not read, so that any value of its shape may stand for x: passes/shapes.py)."""
    return np.zeros(np.shape(x), dtype=complex) if np.ndim(x) else 0j


def fitted(g, like, axes):
    """`g` cut, or padded with zeros, along `axes` to like's length there: what the FFT's `n` and
    `s` do to its input, and the adjoint of that (cutting and padding are each other's transposes)."""
    target = np.shape(like)
    for axis in axes:
        have, want = np.shape(g)[axis], target[axis]
        if have > want:
            index = [slice(None)] * np.ndim(g)
            index[axis] = slice(0, want)
            g = g[tuple(index)]
        elif have < want:
            widths = [(0, 0)] * np.ndim(g)
            widths[axis] = (0, want - have)
            g = np.pad(g, widths)
    return g


def fft_axes(x, s=None, axes=None):
    """The axes np.fft.fftn(x, s, axes) transforms: `axes`, else the last len(s), else all."""
    if axes is not None:
        return tuple(axes)
    if s is not None:
        return tuple(range(-len(s), 0))
    return tuple(range(np.ndim(x)))


def dual_norm(norm):
    """The `norm` of a forward FFT that scales as the inverse FFT under `norm` does."""
    return {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}[norm]


def rfft_weights(ans, axis):
    """How often each entry of irfft's half spectrum counts in the full Hermitian one it stands
    for (1 for the mean and, at even length, the Nyquist entry; 2 for the others), shaped to
    broadcast along `axis` of a half spectrum of the real result `ans`."""
    n = np.shape(ans)[axis]
    w = np.full(n // 2 + 1, 2.0, dtype=getattr(ans, "dtype", np.float64))
    w[0] = 1.0
    if n % 2 == 0:
        w[-1] = 1.0
    shape = [1] * np.ndim(ans)
    shape[axis] = n // 2 + 1
    return np.reshape(w, shape)


def sinc_slope(x):
    """d sinc(x)/dx = (cos(pi x) - sinc(x)) / x; its Taylor series near 0, where that cancels."""
    small = np.abs(x) < 1e-3
    safe = np.where(small, 1.0, x)
    series = -np.pi ** 2 * x / 3.0 + np.pi ** 4 * x ** 3 / 30.0
    return np.where(small, series, (np.cos(np.pi * safe) - np.sinc(safe)) / safe)[()]


def sinc_curvature(x):
    """d^2 sinc(x)/dx^2, by its Taylor series near 0 (no rules of its own: no third derivatives)."""
    small = np.abs(x) < 1e-3
    safe = np.where(small, 1.0, x)
    series = -np.pi ** 2 / 3.0 + np.pi ** 4 * x ** 2 / 10.0
    return np.where(small, series, (-np.pi * np.sin(np.pi * safe) - 2.0 * sinc_slope(safe)) / safe)[()]


def masked_extremum_share(x, ans, axis=None, keepdims=False, where=True):
    """The share of a max/min reduction (with ``where=``/``initial=``) each element of `x` supplies:
    ties split it evenly; elements left out by `where`, or beaten by `initial`, get 0."""
    if np.ndim(x) == 0:
        return 1.0 * np.logical_and(x == ans, where)
    won = np.logical_and(x == _with_kept_dims(ans, axis, keepdims), where)
    count = np.maximum(np.sum(won, axis=axis, keepdims=True), 1)
    return np.divide(won, count, dtype=np.result_type(x, 1.0))  # float32 stays float32


def _cumprod_parts(x, axis):
    """For np.cumprod along `axis` (moved first; the flattened array when None): the array a, the
    first-zero mask (True at the first zero of each slice), "before the first zero", the product of
    the elements before the first zero, and the running product after it (prod(a[z+1 .. j]))."""
    a = np.ravel(x) if axis is None else np.moveaxis(x, axis, 0)
    zero = a == 0
    seen = np.cumsum(zero, axis=0)
    first = zero & (seen == 1)
    before = seen == 0
    prefix = np.prod(np.where(before, a, 1.0), axis=0)
    after = np.cumprod(np.where(seen >= 1, np.where(first, 1.0, a), 1.0), axis=0)
    return a, first, before, prefix, after


def _cumprod_layout(out, x, axis):
    return np.reshape(out, np.shape(x)) if axis is None else np.moveaxis(out, 0, axis)


def uncumprod(g, x, axis=None):
    """The cotangent of np.cumprod(x, axis), exact where x has zeros (never divides by one).

    Before a slice's first zero z, d ans_j / d x_i = ans_j / x_i; at z it is the product of the
    others, prod(x[:z]) * prod(x[z+1 .. j]); after z it is 0.
    """
    if np.ndim(x) == 0:
        axis = None
    a, first, before, prefix, after = _cumprod_parts(x, axis)
    gm = np.ravel(g) if axis is None else np.moveaxis(g, axis, 0)
    ans = np.cumprod(a, axis=0)
    head = np.flip(np.cumsum(np.flip(np.where(before, gm * ans, 0.0), 0), axis=0), 0)
    head = np.where(before, head / np.where(before, a, 1.0), 0.0)
    at_zero = prefix * np.sum(np.where(before, 0.0, gm * after), axis=0)
    return _cumprod_layout(head + first * at_zero, x, axis)


def cumprod_jvp(t, x, axis=None):
    """The tangent of np.cumprod(x, axis) for a tangent `t` of x, exact where x has zeros: before
    the first zero z, ans_j * sum(t_i / x_i, i <= j); from z on, t_z prod(x[:z]) prod(x[z+1 .. j]).
    Has no rules (as uncumprod)."""
    if np.ndim(x) == 0:
        axis = None
    a, first, before, prefix, after = _cumprod_parts(x, axis)
    tm = np.ravel(np.broadcast_to(t, np.shape(x))) if axis is None else np.moveaxis(np.broadcast_to(t, np.shape(x)),
                                                                                   axis, 0)
    ans = np.cumprod(a, axis=0)
    head = np.where(before, ans * np.cumsum(np.where(before, tm / np.where(before, a, 1.0), 0.0), axis=0), 0.0)
    t_zero = np.sum(np.where(first, tm, 0.0), axis=0)
    out = head + np.where(before, 0.0, t_zero * prefix * after)
    return out if axis is None else np.moveaxis(out, 0, axis)


def _cumprod_second_parts(x, axis):
    """For the second derivatives of np.cumprod along `axis` (moved first): with u_i = 1 / x_i (1 at
    a zero) and P_j the product of the nonzero x_k, k <= j, d2 ans_j / dx_i dx_l = P_j u_i u_l when
    i != l, both <= j, and the zeros up to j are among {i, l}; else 0. Returns (u, P, m, first, second)
    with m_j the number of zeros up to j and first/second marking each slice's first two zeros."""
    a = np.ravel(x) if axis is None else np.moveaxis(x, axis, 0)
    zero = a == 0
    m = np.cumsum(zero, axis=0)
    nonzero = np.where(zero, 1.0, a)
    return 1.0 / nonzero, np.cumprod(nonzero, axis=0), m, zero & (m == 1), zero & (m == 2)


def _along(v, x, axis):
    return np.ravel(np.broadcast_to(v, np.shape(x))) if axis is None else np.moveaxis(
        np.broadcast_to(v, np.shape(x)), axis, 0)


def cumprod_second(t, v, x, axis=None):
    """The second derivative of np.cumprod(x, axis) along tangents t and v (symmetric in them),
    exact where x has zeros. No rules: third derivatives of cumprod are refused."""
    if np.ndim(x) == 0:
        axis = None
    u, p, m, first, second = _cumprod_second_parts(x, axis)
    tm, vm = _along(t, x, axis), _along(v, x, axis)
    st, sv, stv = (np.cumsum(q, axis=0) for q in (tm * u, vm * u, tm * vm * u * u))
    t1, v1 = (np.cumsum(np.where(first, q, 0.0), axis=0) for q in (tm, vm))
    t2, v2 = (np.cumsum(np.where(second, q, 0.0), axis=0) for q in (tm, vm))
    out = np.where(m == 0, st * sv - stv, 0.0)
    out = out + np.where(m == 1, t1 * (sv - v1) + v1 * (st - t1), 0.0)  # the zero's u is 1
    out = out + np.where(m == 2, t1 * v2 + t2 * v1, 0.0)
    return out * p if axis is None else np.moveaxis(out * p, 0, axis)


def _rev_cumsum(q):
    return np.flip(np.cumsum(np.flip(q, 0), axis=0), 0)


def cumprod_hvp(g, c, x, axis=None):
    """sum_j g_j sum_l c_l d2 ans_j / dx_i dx_l for ans = np.cumprod(x, axis): the derivative of
    uncumprod(g, x) along c, exact where x has zeros. No rules (as cumprod_second)."""
    if np.ndim(x) == 0:
        axis = None
    u, p, m, first, second = _cumprod_second_parts(x, axis)
    gm, cm = np.ravel(g) if axis is None else np.moveaxis(g, axis, 0), _along(c, x, axis)
    cu = np.cumsum(cm * u, axis=0)
    c1 = np.sum(np.where(first, cm, 0.0), axis=0)
    c2 = np.sum(np.where(second, cm, 0.0), axis=0)
    gp = gm * p
    b0, a0 = _rev_cumsum(np.where(m == 0, gp, 0.0)), _rev_cumsum(np.where(m == 0, gp * cu, 0.0))
    d1, e1 = _rev_cumsum(np.where(m == 1, gp, 0.0)), _rev_cumsum(np.where(m == 1, gp * cu, 0.0))
    d2 = _rev_cumsum(np.where(m == 2, gp, 0.0))
    out = a0 - cm * u * b0 + np.where(first, e1 - c1 * d1, c1 * d1) + d2 * (c2 * first + c1 * second)
    out = out * u
    return np.reshape(out, np.shape(x)) if axis is None else np.moveaxis(out, 0, axis)


def _refuse(what, hint):

    raise UnsupportedCallError(what, hint=hint)


def weights_like(w, a, axis=None, returned=False):
    """np.average's `weights` spread over the shape of `a` (1-D weights lie along `axis`)."""
    if returned:
        _refuse("np.average(..., returned=True) has no derivative rule",
                "compute the sum of weights separately: np.average(a, axis, w) and np.sum(w, axis)")
    if w is None:
        return np.ones(np.shape(a), dtype=np.result_type(a, 1.0))
    if np.shape(w) == np.shape(a):
        return w
    shape = [1] * np.ndim(a)
    shape[axis % np.ndim(a)] = np.shape(w)[0]
    return broadcast_like(np.reshape(w, shape), a)


def weights_back(g, w, axis=None):
    """The cotangent of `w` from a cotangent `g` of weights_like(w, a, axis): summed back."""
    if w is None:
        return None
    if np.shape(g) == np.shape(w):
        return g
    k = axis % np.ndim(g)
    return np.sum(g, axis=tuple(i for i in range(np.ndim(g)) if i != k))


def _quantile_weights(x, q, axis, method, overwrite_input=False, skip_nan=False):
    """W of shape q.shape + x.shape with np.quantile(x, q, axis) == sum(W * x) over x's reduced
    axes (linear interpolation between order statistics; ties go where argsort puts them). With
    `skip_nan` (np.nanquantile) each slice interpolates among its non-NaN values, which argsort
    puts first; a NaN gets weight 0."""
    if overwrite_input:
        _refuse("np.quantile/percentile/median with overwrite_input=True reorder the array they are given, "
                "so its derivative cannot be traced back", "leave overwrite_input at False")
    if method != "linear":

        raise UnsupportedCallError(f"np.quantile with method={method!r} has no derivative rule",
                                   hint="use the default method='linear'")
    axes = _axes_tuple(axis, np.ndim(x))
    ends = tuple(range(-len(axes), 0))
    moved = np.moveaxis(x, axes, ends)
    flat = moved.reshape(moved.shape[: moved.ndim - len(axes)] + (_count(moved.shape[moved.ndim - len(axes):]),))
    n = flat.shape[-1]
    order = np.argsort(flat, axis=-1, kind="stable")
    qs = np.asarray(q, dtype=float)
    count = np.sum(np.logical_not(np.isnan(flat)), axis=-1) if skip_nan else np.full(flat.shape[:-1], n)
    pos = np.reshape(qs, qs.shape + (1,) * (flat.ndim - 1)) * (count - 1)  # q.shape + the slices' shape
    lo = np.where(count > 0, np.floor(pos), -1).astype(int)  # a slice of NaNs only: no weights
    hi = np.minimum(lo + 1, count - 1)
    frac = pos - lo
    w = np.zeros(qs.shape + flat.shape, dtype=np.result_type(flat, 1.0))
    ranks = np.arange(n)
    sel_lo = ranks == lo[..., None]
    sel_hi = ranks == hi[..., None]
    f = frac[..., None]
    by_rank = sel_lo * (1.0 - f) + sel_hi * f  # weight of the element of each rank
    np.put_along_axis(w, np.broadcast_to(order, w.shape), np.broadcast_to(by_rank, w.shape), axis=-1)
    w = w.reshape(qs.shape + moved.shape)
    return np.moveaxis(w, tuple(w.ndim + e for e in ends), tuple(qs.ndim + a for a in axes))


def unquantile(g, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False, skip_nan=False):
    """The cotangent of `x` in np.quantile(x, q, axis, keepdims=keepdims) given the result's `g`;
    with `skip_nan`, of np.nanquantile (among each slice's non-NaN values; NaNs get 0)."""
    w = _quantile_weights(x, q, axis, method, overwrite_input, skip_nan)
    lead = np.ndim(q)
    axes = _axes_tuple(axis, np.ndim(x))
    if not keepdims:
        g = np.expand_dims(g, tuple(lead + a for a in axes))
    return np.sum(w * g, axis=tuple(range(lead)))


def quantile_jvp(t, x, q, axis=None, keepdims=False, method="linear", overwrite_input=False, skip_nan=False):
    """The tangent of np.quantile(x, q, axis, keepdims=keepdims) for a tangent `t` of x; with
    `skip_nan`, of np.nanquantile (a NaN's tangent does not count)."""
    w = _quantile_weights(x, q, axis, method, overwrite_input, skip_nan)
    if skip_nan:
        t = np.where(np.isnan(x), 0.0, t)
    lead = np.ndim(q)
    axes = _axes_tuple(axis, np.ndim(x))
    out = np.sum(w * t, axis=tuple(lead + a for a in axes), keepdims=keepdims)
    return out if np.ndim(out) else out[()]


def undiff(g, x, n=1, axis=-1, prepend=None, append=None):
    """The cotangent of `x` in np.diff(x, n, axis, prepend=..., append=...): each difference
    transposed (``-diff`` of g padded with a zero at each end), then the padding cut away."""
    k = axis % max(np.ndim(x), 1)
    for _ in range(n):
        pad = [(0, 0)] * np.ndim(g)
        pad[k] = (1, 1)
        g = -np.diff(np.pad(g, pad), axis=k)
    start = 0 if prepend is None else _edge_len(prepend, x, k)
    return np.take(g, np.arange(start, start + np.shape(x)[k]), axis=k)


def _edge_len(v, x, k):
    """How many entries along axis k a prepend/append value of np.diff adds."""
    return np.shape(v)[k] if np.ndim(v) == np.ndim(x) else 1


def diff_jvp(t, x, n=1, axis=-1, prepend=None, append=None):
    """The tangent of np.diff(x, n, axis, prepend=..., append=...): the constants pad with zeros."""
    k = axis % max(np.ndim(x), 1)
    pad = [(0, 0)] * np.ndim(x)
    pad[k] = (0 if prepend is None else _edge_len(prepend, x, k), 0 if append is None else _edge_len(append, x, k))
    return np.diff(np.pad(broadcast_like(t, x), pad), n, axis=k)


def _gradient_bands(n, spacing, edge_order):
    """np.gradient along one axis of length n is a banded matrix D (row i reads f[i-2 .. i+2]):
    {offset d: D[i, i + d] for each row i}, found with five probes, so no n x n matrix is built."""
    rows = np.arange(n)
    bands = {d: np.zeros(n) for d in range(-2, 3)}
    for r in range(5):
        probe = 1.0 * (rows % 5 == r)  # row i of D @ probe is D[i, j] for the one j = r (mod 5) in its band
        column = np.gradient(probe, *spacing, edge_order=edge_order)
        offset = (r - rows) % 5
        offset = np.where(offset > 2, offset - 5, offset)
        for d in range(-2, 3):
            bands[d] = np.where(offset == d, column, bands[d])
    return bands


def _gradient_transpose(g, n, spacing, edge_order):
    """D^T g along axis 0 of g, for the banded D of np.gradient."""
    out = np.zeros(np.shape(g), dtype=np.result_type(g, 1.0))
    expand = (slice(None),) + (None,) * (np.ndim(g) - 1)
    for d, coef in _gradient_bands(n, spacing, edge_order).items():
        lo, hi = max(0, -d), min(n, n - d)  # rows i with i + d inside
        if lo < hi:
            out[lo + d:hi + d] += coef[lo:hi].astype(out.dtype)[expand] * g[lo:hi]
    return out


def _gradient_axes(f, axis):
    return list(range(np.ndim(f))) if axis is None else list(_axes_tuple(axis, np.ndim(f)))


def _present(values):
    """`values` (a tuple, possibly None) without its trailing Nones: the arguments a rule passed."""
    values = tuple(values or ())
    while values and values[-1] is None:
        values = values[:-1]
    return values


def _axis_spacing(spacing, i, count):
    """The spacing argument of np.gradient for the i-th of `count` differentiated axes."""
    spacing = _present(spacing)
    if not spacing:
        return ()
    if len(spacing) == 1:
        return (spacing[0],)
    return (spacing[i],)


def ungradient(g, f, spacing=(), axis=None, edge_order=1):
    """The cotangent of `f` in np.gradient(f, *spacing, axis=axis, edge_order=edge_order)."""
    axes = _gradient_axes(f, axis)
    parts = [g] if len(axes) == 1 else list(g)
    out = np.zeros(np.shape(f))
    for i, (k, gk) in enumerate(zip(axes, parts, strict=True)):
        moved = np.moveaxis(gk, k, 0)
        back = _gradient_transpose(moved, np.shape(f)[k], _axis_spacing(spacing, i, len(axes)), edge_order)
        out = out + np.moveaxis(back, 0, k)
    return out


def gradient_of(t, spacing=(), axis=None, edge_order=1):
    """np.gradient(t, *spacing, axis=axis, edge_order=edge_order), a list for several axes."""
    out = np.gradient(t, *_present(spacing), axis=axis, edge_order=edge_order)
    return list(out) if isinstance(out, (list, tuple)) else out


def index_grid(x):
    """The flat index of each element of `x`, in x's shape (integers)."""
    return np.reshape(np.arange(_count(np.shape(x))), np.shape(x))


def scatter_positions(g, x, positions):
    """Zeros shaped like `x` plus g[j] added at flat index positions[j] (entries < 0 skipped):
    the adjoint of a function that copies elements of x to places, given where each came from."""
    out = np.zeros(_count(np.shape(x)), dtype=np.result_type(g, 1.0))
    keep = positions >= 0
    np.add.at(out, positions[keep], np.broadcast_to(g, np.shape(positions))[keep])
    return np.reshape(out, np.shape(x))


def gather_positions(t, positions):
    """t's flat element positions[j] at each j, 0 where positions[j] < 0 (scatter_positions'
    adjoint)."""
    if _count(np.shape(t)) == 0:
        return np.zeros(np.shape(positions))
    return np.where(positions >= 0, np.ravel(t)[positions], 0.0)


def pad_positions(x, pad_width, mode="constant"):
    """Where each element of np.pad(x, pad_width, mode) comes from in x (-1: a constant)."""
    if mode == "constant":
        return np.pad(index_grid(x), pad_width, mode="constant", constant_values=-1)
    if mode in ("edge", "reflect", "symmetric", "wrap"):
        return np.pad(index_grid(x), pad_width, mode=mode)

    raise UnsupportedCallError(f"np.pad with mode={mode!r} has no derivative rule",
                               hint="use mode 'constant', 'edge', 'reflect', 'symmetric' or 'wrap'")


def resize_positions(a, new_shape):
    """Where each element of np.resize(a, new_shape) comes from in a (-1: the zeros NumPy fills
    in when a is empty)."""
    if _count(np.shape(a)) == 0:
        return np.full(new_shape, -1)
    return np.resize(index_grid(a), new_shape)


def insert_positions(arr, obj, values, axis=None, part="arr"):
    """Where each element of np.insert(arr, obj, values, axis) comes from in `part` ('arr' or
    'values'), -1 where it comes from the other."""
    if part == "arr":
        return np.insert(index_grid(arr), obj, -1, axis=axis)
    return np.insert(np.full(np.shape(arr), -1), obj, index_grid(values), axis=axis)


def append_positions(arr, values, axis=None, part="arr"):
    """Where each element of np.append(arr, values, axis) comes from in `part`, else -1."""
    if part == "arr":
        return np.append(index_grid(arr), np.full(np.shape(values), -1), axis=axis)
    return np.append(np.full(np.shape(arr), -1), index_grid(values), axis=axis)


def unpermute(g, perm, axis=-1):
    """The cotangent of x in np.take_along_axis(x, perm, axis) for a permutation `perm` (axis None:
    of the flattened x, perm 1-D)."""
    if axis is None:
        out = np.zeros(np.shape(perm), dtype=np.result_type(g, 1.0))
        out[perm] = g
        return out
    out = np.zeros(np.shape(perm), dtype=np.result_type(g, 1.0))
    np.put_along_axis(out, perm, g, axis=axis)
    return out


def permute(t, perm, axis=-1):
    """np.take_along_axis(t, perm, axis) (t flattened first when axis is None)."""
    if axis is None:
        return np.ravel(t)[perm]
    return np.take_along_axis(t, perm, axis=axis)


def sort_order(x, axis=-1):
    """The stable argsort of x along axis (flattened when None): np.sort(x, axis) == permute(x, ...)."""
    return np.argsort(np.ravel(x) if axis is None else x, axis=-1 if axis is None else axis, kind="stable")


def partition_order(x, ans, axis=-1):
    """A permutation p with np.take_along_axis(x, p, axis) == ans = np.partition(x, kth, axis):
    equal values are matched by rank, so it holds whatever order NumPy's selection leaves."""
    if axis is None:
        x, axis = np.ravel(x), -1
    by_x = np.argsort(x, axis=axis, kind="stable")
    rank_in_ans = np.argsort(np.argsort(ans, axis=axis, kind="stable"), axis=axis, kind="stable")
    return np.take_along_axis(by_x, rank_in_ans, axis=axis)


def untake(g, x, indices, axis=None):
    """The cotangent of `x` in np.take(x, indices, axis): g added back at the indices."""
    if axis is None:
        out = np.zeros(_count(np.shape(x)), dtype=np.result_type(g, 1.0))
        np.add.at(out, np.ravel(indices), np.ravel(g))
        return np.reshape(out, np.shape(x))
    k = axis % np.ndim(x)
    out = np.zeros(np.shape(x), dtype=np.result_type(g, 1.0))
    idx = (slice(None),) * k + (indices,)
    np.add.at(out, idx, g)
    return out


def untake_along(g, x, indices, axis=-1):
    """The cotangent of `x` in np.take_along_axis(x, indices, axis) (repeats accumulate)."""
    if axis is None:
        return untake(g, x, np.ravel(indices), None)
    k = axis % np.ndim(x)
    shape = np.broadcast_shapes(np.shape(indices), tuple(1 if i == k else n for i, n in enumerate(np.shape(x))))
    grids = list(np.ix_(*[np.arange(n) for n in shape]))
    grids[k] = np.broadcast_to(indices, shape)
    out = np.zeros(np.shape(x), dtype=np.result_type(g, 1.0))
    np.add.at(out, tuple(grids), g)
    return out


def undiagonal(g, x, offset=0, axis1=0, axis2=1):
    """Zeros shaped like `x` with `g` on the diagonal np.diagonal(x, offset, axis1, axis2) reads."""
    out = np.zeros(np.shape(x), dtype=np.result_type(g, 1.0))
    view = np.moveaxis(out, (axis1, axis2), (-2, -1))
    n, m = view.shape[-2:]
    i = np.arange(max(0, -offset), max(0, min(n, m - offset)))
    view[..., i, i + offset] = g
    return out


def diagonal_of(t, offset=0, axis1=0, axis2=1):
    """np.diagonal(t, offset, axis1, axis2) as a fresh writable array."""
    return np.array(np.diagonal(t, offset, axis1, axis2))


def undiag(g, v, k=0):
    """The cotangent of `v` in np.diag(v, k): the k-th diagonal of g (v 1-D), or g placed on the
    k-th diagonal of zeros shaped like v (v 2-D)."""
    if np.ndim(v) == 1:
        return np.array(np.diag(g, k))
    return undiagonal(g, v, k)


def rolled_axes(ndim, axis, start=0):
    """The permutation np.rollaxis(x, axis, start) applies to the axes of x."""
    axis = axis % ndim
    start = start + ndim if start < 0 else start
    if axis < start:
        start -= 1
    order = [i for i in range(ndim) if i != axis]
    order.insert(start, axis)
    return tuple(order)


def _convolution_window(n, m, mode):
    """(start, length) of np.convolve(a, v, mode)'s result inside the full convolution."""
    longer, shorter = max(n, m), min(n, m)
    if mode == "full":
        return 0, n + m - 1
    if mode == "same":
        return (shorter - 1) // 2, longer
    return shorter - 1, longer - shorter + 1


def unconvolve(g, a, v, mode="full"):
    """The cotangent of `a` in np.convolve(a, v, mode) (1-D): the full-length cotangent correlated
    with v."""
    n, m = np.shape(a)[0], np.shape(v)[0]
    start, length = _convolution_window(n, m, mode)
    full = np.zeros(n + m - 1, dtype=np.result_type(g, v, 1.0))
    full[start:start + length] = g
    return np.correlate(full, v, "valid")


def interp_bound(value):
    """The fill value a tangent of np.interp's fp uses outside xp: 0 when a constant was given."""
    return None if value is None else 0.0


def _interp_cells(x, xp, left, right):
    """For each x: the cell i of xp it falls in, its position w in [0, 1] inside, and whether
    np.interp takes it from fp (False where left/right supply the value)."""
    xp = np.asarray(xp)
    n = xp.shape[0]
    i = np.clip(np.searchsorted(xp, x, side="right") - 1, 0, max(n - 2, 0))
    span = np.where(xp[i + 1] == xp[i], 1.0, xp[i + 1] - xp[i]) if n > 1 else 1.0
    w = np.clip((x - xp[i]) / span, 0.0, 1.0) if n > 1 else np.zeros(np.shape(x))
    inside = np.ones(np.shape(x), dtype=bool)
    if left is not None:
        inside = inside & (x >= xp[0])
    if right is not None:
        inside = inside & (x <= xp[-1])
    return i, w, inside


def uninterp(g, x, xp, fp, left=None, right=None):
    """The cotangent of `fp` in np.interp(x, xp, fp, left, right) (np.interp is linear in fp)."""
    i, w, inside = _interp_cells(x, xp, left, right)
    out = np.zeros(np.shape(fp), dtype=np.result_type(g, 1.0))
    g = np.broadcast_to(g, np.shape(x)) * inside
    n = np.shape(fp)[0]
    np.add.at(out, np.ravel(i), np.ravel(g * (1.0 - w)))
    np.add.at(out, np.ravel(np.minimum(i + 1, n - 1)), np.ravel(g * w))
    return out


def interp_slope(x, xp, fp, left=None, right=None):
    """d np.interp(x, xp, fp) / dx: the slope of the cell x lies in, 0 outside [xp[0], xp[-1]]
    (at a knot, the cell to its right)."""
    xp = np.asarray(xp)  # the knots are constants
    i, w, _ = _interp_cells(x, xp, left, right)
    if xp.shape[0] < 2:
        return np.zeros(np.shape(x))
    slope = (np.take(fp, i + 1) - np.take(fp, i)) / np.where(xp[i + 1] == xp[i], np.inf, xp[i + 1] - xp[i])
    return np.where((x < xp[0]) | (x > xp[-1]), 0.0, slope)


def unslope(g, x, xp, fp, left=None, right=None):
    """The cotangent of `fp` in interp_slope(x, xp, fp, ...) (linear in fp)."""
    xp = np.asarray(xp)
    i, _, _ = _interp_cells(x, xp, left, right)
    out = np.zeros(np.shape(fp), dtype=np.result_type(g, 1.0))
    if xp.shape[0] < 2:
        return out
    span = np.where(xp[i + 1] == xp[i], np.inf, xp[i + 1] - xp[i])
    g = np.where((x < xp[0]) | (x > xp[-1]), 0.0, np.broadcast_to(g, np.shape(x)) / span)
    np.add.at(out, np.ravel(i + 1), np.ravel(g))
    np.add.at(out, np.ravel(i), -np.ravel(g))
    return out


def unpolyval(g, p, x):
    """The cotangent of the coefficients `p` in np.polyval(p, x): sum(g * x**(n-1-i)) for each i."""
    n = np.shape(p)[0]
    g = np.broadcast_to(g, np.broadcast_shapes(np.shape(g), np.shape(x)))
    powers = np.vander(np.ravel(np.broadcast_to(x, np.shape(g))), n)
    return np.dot(np.ravel(g), powers) if n else np.zeros(0)


def _kron_shapes(a, b):
    nd = max(np.ndim(a), np.ndim(b))
    sa = (1,) * (nd - np.ndim(a)) + np.shape(a)
    sb = (1,) * (nd - np.ndim(b)) + np.shape(b)
    return nd, sa, sb


def unkron_left(g, a, b):
    """The cotangent of `a` in np.kron(a, b)."""
    nd, sa, sb = _kron_shapes(a, b)
    pairs = np.reshape(g, [k for i in range(nd) for k in (sa[i], sb[i])])
    r = np.tensordot(pairs, np.reshape(b, sb), axes=(list(range(1, 2 * nd, 2)), list(range(nd))))
    return np.reshape(r, np.shape(a))


def unkron_right(g, a, b):
    """The cotangent of `b` in np.kron(a, b)."""
    nd, sa, sb = _kron_shapes(a, b)
    pairs = np.reshape(g, [k for i in range(nd) for k in (sa[i], sb[i])])
    r = np.tensordot(np.reshape(a, sa), pairs, axes=(list(range(nd)), list(range(0, 2 * nd, 2))))
    return np.reshape(r, np.shape(b))


def select_rest(condlist, like):
    """1.0 where none of np.select's conditions holds (its default is taken), else 0.0."""
    none = np.ones(np.shape(like), dtype=bool)
    for c in condlist:
        none = none & np.logical_not(c)
    return 1.0 * none


def unselect(g, condlist, choicelist):
    """The cotangents of np.select's choices: each gets g where it is the first true condition."""
    taken = np.zeros(np.shape(g), dtype=bool)
    out = []
    for c, choice in zip(condlist, choicelist, strict=True):
        first = np.logical_and(c, np.logical_not(taken))
        out.append(unbroadcast(np.where(first, g, 0.0), choice))
        taken = taken | first
    return out


def reselect(t, condlist, like):
    """The tangent of np.select(condlist, choicelist) for tangents `t` of the choices."""
    return broadcast_like(np.select(condlist, [broadcast_like(ti, like) for ti in t], 0.0), like)



def trapezoid_weights(y, x=None, dx=1.0, axis=-1):
    """w with np.trapezoid(y, x, dx, axis) == sum(w * y, axis): half the spacing on each side of a
    sample, shaped to broadcast against y."""
    k = axis % np.ndim(y)
    if np.shape(y)[k] == 0:
        return np.zeros([0 if i == k else 1 for i in range(np.ndim(y))])
    if x is None:
        d = np.full(np.shape(y)[k] - 1, dx, dtype=np.result_type(y, dx, 1.0))
        along = 0
    else:
        along = k if np.ndim(x) > 1 else 0
        d = np.diff(x, axis=along)
    pad = [(0, 0)] * np.ndim(d)
    pad[along] = (1, 1)
    padded = np.pad(d, pad)
    w = 0.5 * (np.take(padded, np.arange(np.shape(padded)[along] - 1), axis=along)
               + np.take(padded, np.arange(1, np.shape(padded)[along]), axis=along))
    if np.ndim(w) == 1:
        shape = [1] * np.ndim(y)
        shape[k] = np.shape(w)[0]
        w = np.reshape(w, shape)
    return w


def _cov_data(m, y=None, rowvar=True, bias=False, ddof=None):
    """np.cov's observations as rows of variables (2-D), centered, and the divisor n - ddof."""
    if y is not None:

        raise UnsupportedCallError("np.cov and np.corrcoef with a second array y have no derivative rule",
                                   hint="stack the variables into one array: np.cov(np.vstack([m, y]))")
    x = np.atleast_2d(m)
    if not rowvar and np.ndim(m) > 1:
        x = x.T
    n = np.shape(x)[1]
    ddof = (0 if bias else 1) if ddof is None else ddof
    return x - np.mean(x, axis=1, keepdims=True), n - ddof


def uncov(g, m, y=None, rowvar=True, bias=False, ddof=None):
    """The cotangent of `m` in np.cov(m, rowvar=..., bias=..., ddof=...) given the result's `g`:
    (G + G^T) Xc / (n - ddof), returned in m's layout."""
    xc, d = _cov_data(m, y, rowvar, bias, ddof)
    k = np.shape(xc)[0]
    gm = np.reshape(g, (k, k))
    dx = np.matmul(gm + gm.T, xc) / d
    if not rowvar and np.ndim(m) > 1:
        dx = dx.T
    return np.reshape(dx, np.shape(m))


def cov_jvp(t, m, y=None, rowvar=True, bias=False, ddof=None):
    """The tangent of np.cov(m, ...) for a tangent `t` of m: (Tc Xc^T + Xc Tc^T) / (n - ddof)."""
    xc, d = _cov_data(m, y, rowvar, bias, ddof)
    tc, _ = _cov_data(t, y, rowvar, bias, ddof)
    out = (np.matmul(tc, xc.T) + np.matmul(xc, tc.T)) / d
    return out if np.shape(out) != (1, 1) else out[0, 0]



def uncumulative(g, x, axis=None, include_initial=False):
    """The cotangent of `x` in np.cumulative_sum(x, axis, include_initial=...): a cumulative sum
    from the end (the leading 0 that include_initial adds takes nothing)."""
    if include_initial:
        k = 0 if axis is None else axis
        g = np.take(g, np.arange(1, np.shape(g)[k]), axis=k)
    return uncumsum(g, x, axis)

def unchoose(g, a, choices):
    """The cotangents of np.choose(a, choices): each choice gets g where a picks it."""
    return [unbroadcast(np.where(np.equal(a, k), g, 0.0), c) for k, c in enumerate(choices)]


def rechoose(t, a, like):
    """The tangent of np.choose(a, choices) for tangents `t` of the choices."""
    return broadcast_like(np.choose(a, [broadcast_like(ti, like) for ti in t]), like)


def unitem(g, x, index=()):
    """The cotangent of `x` in x.item(*index): zeros with g at that element."""
    index = _present(index)
    out = np.zeros(np.shape(x))
    flat = out.reshape(-1) if out.size else out
    if len(index) == 1 and not isinstance(index[0], tuple):
        flat[index[0]] = g
    elif len(index) == 0:
        flat[0] = g
    else:
        out[index[0] if len(index) == 1 else tuple(index)] = g
    return out


def item_of(t, index=()):
    """t.item(*index) (a Python number)."""
    return np.asarray(t).item(*_present(index))


def unpolyder(g, p, m=1):
    """The cotangent of `p` in np.polyder(p, m): each derivative step transposed."""
    lengths = [np.shape(p)[0]]
    for _ in range(m):
        lengths.append(max(lengths[-1] - 1, 0))
    for n in reversed(lengths[:-1]):
        out = np.zeros(n, dtype=np.result_type(g, 1.0))
        if n > 1:
            out[: n - 1] = g * np.arange(n - 1, 0, -1)
        g = out
    return g


def unpolyint(g, p, m=1):
    """The cotangent of `p` in np.polyint(p, m, k): each integration step transposed (the
    integration constants k take the last entries)."""
    for _ in range(m):
        n = np.shape(g)[0] - 1
        g = g[:-1] / np.arange(n, 0, -1)
    return g


def vander_powers(x, n=None, increasing=False):
    """The exponents of the columns of np.vander(x, n, increasing)."""
    n = np.shape(x)[0] if n is None else n
    return np.arange(n) if increasing else np.arange(n - 1, -1, -1)


def _edge_count(v):
    return 0 if v is None else _count(np.shape(v))


def unediff1d(g, ary, to_end=None, to_begin=None):
    """The cotangent of `ary` in np.ediff1d(ary, to_end, to_begin): the differences' part of g
    transposed (the constants at either end take nothing)."""
    b, e = _edge_count(to_begin), _edge_count(to_end)
    core = g[b: np.shape(g)[0] - e]
    return np.reshape(undiff(core, np.ravel(ary)), np.shape(ary))


def ediff1d_jvp(t, to_end=None, to_begin=None):
    """The tangent of np.ediff1d(ary, to_end, to_begin) for a tangent `t` of ary."""
    return np.ediff1d(t, None if to_end is None else np.zeros(_edge_count(to_end)),
                      None if to_begin is None else np.zeros(_edge_count(to_begin)))


def corrcoef_cov_ct(g, r, c):
    """The cotangent of the covariance C from the cotangent `g` of R = np.corrcoef (R is C scaled
    by the standard deviations). No rules: second derivatives of np.corrcoef are refused."""
    if np.ndim(r) == 0:
        return np.zeros(np.shape(c))
    s = np.sqrt(np.diagonal(c))
    out = g / np.outer(s, s)
    gr = g * r
    return out - np.diag(0.5 * (np.sum(gr, axis=0) + np.sum(gr, axis=1)) / np.diagonal(c))


def corrcoef_jvp(dc, r, c):
    """The tangent of R = np.corrcoef(x) for a tangent `dc` of the covariance C (no rules)."""
    if np.ndim(r) == 0:
        return 0.0
    s = np.sqrt(np.diagonal(c))
    u = np.diagonal(dc) / np.diagonal(c)
    return dc / np.outer(s, s) - 0.5 * r * (u[:, None] + u[None, :])

# einsum, any number of operands, in its string or sublist form. Every derivative of an einsum is
# again an einsum-like product, `einsum_general(spec, a0, ..., a6)`: up to seven array slots, a spec
# naming each used slot's subscripts and shape, and an output that may repeat a letter (a diagonal:
# zeros elsewhere) or name a letter no operand has, or a larger size (broadcast back by summing).
_EINSUM_SLOTS = 7


def _sublist_letters(sub, ellipsis):
    return "".join(ellipsis if s is Ellipsis else _LETTERS[s] for s in sub)


def _einsum_inputs(args):
    """np.einsum's positional arguments as (subscript strings per operand, output or None,
    positions of the operands in args)."""
    if isinstance(args[0], str):
        s = args[0].replace(" ", "")
        ins, out = s.split("->") if "->" in s else (s, None)
        return ins.split(","), out, list(range(1, len(args)))
    ops, subs = list(range(0, len(args) - 1, 2)), []
    for k in ops:
        subs.append(_sublist_letters(args[k + 1], "..."))
    out = _sublist_letters(args[-1], "...") if len(args) % 2 == 1 else None
    return subs, out, ops


def einsum_spec(*args):
    """The spec of ``np.einsum(*args)`` for einsum_general: '...' spelled out as letters, the output
    explicit, each operand in the slot of its position in args."""
    while args and args[-1] is None:
        args = args[:-1]
    subs, out, positions = _einsum_inputs(args)
    arrays = [args[k] for k in positions]
    used = "".join(subs) + (out or "")
    free = [c for c in _LETTERS if c not in used]
    spans = [np.ndim(x) - (len(sub) - 3) if "..." in sub else 0 for sub, x in zip(subs, arrays)]
    width = max(spans) if spans else 0
    ell = "".join(free[:width])
    subs = [sub.replace("...", ell[width - n:]) for sub, n in zip(subs, spans)]
    if out is None:
        plain = "".join(subs)
        singles = sorted(c for c in set(plain) if plain.count(c) == 1 and c not in ell)
        out = ell + "".join(singles)
    out = out.replace("...", ell)
    sizes = {}
    for sub, x in zip(subs, arrays):
        for c, n in zip(sub, np.shape(x)):
            sizes[c] = n if sizes.get(c, 1) == 1 else sizes[c]  # 1 broadcasts (even to 0)
    slots = [None] * _EINSUM_SLOTS
    for sub, k, x in zip(subs, positions, arrays):
        slots[k] = (sub, tuple(np.shape(x)))
    return tuple(slots), (out, tuple(sizes[c] for c in out))


def einsum_cospec(spec, k):
    """The spec of the cotangent of slot k of einsum_general(spec, ...): slot k takes the result's
    cotangent (subscripts and shape of the output), and the output takes slot k's."""
    slots, out = spec
    if slots[k] is None:
        return None  # not an array: a subscript string or sublist
    slots = list(slots)
    slots[k], out = out, slots[k]
    return tuple(slots), out


def einsum_general(spec, a0=None, a1=None, a2=None, a3=None, a4=None, a5=None, a6=None):
    """The product `spec` describes of the arrays in its slots (see einsum_spec, einsum_cospec);
    None for no spec (the cotangent of an argument that is not an array)."""
    if spec is None:
        return None
    slots, (out, shape) = spec
    used = [(sub, a) for (sub_shape, a) in zip(slots, (a0, a1, a2, a3, a4, a5, a6)) if sub_shape is not None
            for sub in (sub_shape[0],)]
    letters = "".join(sub for sub, _ in used)
    unique = "".join(dict.fromkeys(out))
    kept = "".join(c for c in unique if c in letters)
    r = np.einsum(",".join(sub for sub, _ in used) + "->" + kept, *[a for _, a in used])
    sizes = dict(zip(out, shape))
    r = np.reshape(r, [np.shape(r)[kept.index(c)] if c in kept else 1 for c in unique])
    full = np.zeros([sizes[c] for c in unique], dtype=np.result_type(r, 1.0))
    full[...] = unbroadcast(r, full)
    if len(unique) == len(out):
        return full if shape else full[()]
    result = np.zeros(shape, dtype=full.dtype)  # a repeated letter: the diagonal of the result
    np.einsum(f"{out}->{unique}", result)[...] = full
    return result


# ---- helpers of the linear-algebra rules (numpy.linalg, scipy.linalg) ---------------------------
# Their rules are in rules/linalg.py (registered whether or not SciPy is installed).

def mT(x):
    """The matrix transpose of `x` (of each matrix in a stack, or in a list): its last two axes
    swapped."""
    if isinstance(x, (list, tuple)):
        return [mT(e) for e in x]
    return np.swapaxes(x, -1, -2)


def _tril_mask(x, k=0):
    n, m = np.shape(x)[-2:]
    return np.tri(n, m, k, dtype=bool)


def tril_half(x):
    """The lower triangle of `x` with its diagonal halved (the Phi of Cholesky derivatives)."""
    return np.where(_tril_mask(x, -1), x, 0.0) + 0.5 * np.where(np.eye(np.shape(x)[-1], dtype=bool), x, 0.0)


def _reads_lower(uplo):
    """Whether `uplo` ('L' or 'U' as NumPy spells it, or SciPy's boolean `lower`) names the lower
    triangle."""
    return uplo in ("L", "l") if isinstance(uplo, str) else bool(uplo)


def symmetric_from_triangle(x, uplo="L"):
    """The symmetric matrix that LAPACK reads from one triangle of `x` (the lower for 'L' or True,
    as np.linalg.cholesky and eigh do; the upper for 'U' or False): what those functions factor."""
    part = tril_half(x) if _reads_lower(uplo) else tril_half(mT(x))
    return part + mT(part)


def triangle_of_symmetric(g, uplo="L"):
    """The adjoint of `symmetric_from_triangle`: g + g^T on the triangle read, its diagonal once."""
    part = tril_half(g + mT(g))
    return part if _reads_lower(uplo) else mT(part)


def triangle(x, lower=False, unit_diagonal=False):
    """The lower (or upper) triangle of `x`, without the diagonal when `unit_diagonal`: the part
    of a triangular matrix that scipy.linalg's triangular solvers read."""
    return np.where(_tril_mask(x, -1 if unit_diagonal else 0) if lower
                    else ~_tril_mask(x, 0 if unit_diagonal else -1), x, 0.0)


def transposed_if(x, flag):
    """mT(x) when `flag` is true, else x."""
    return mT(x) if flag else x


def transposes(trans):
    """Whether scipy.linalg's `trans` option (0, 1, 2 or 'N', 'T', 'C') solves with the transpose."""
    return trans in (1, 2, "T", "C", "t", "c")


def other_trans(trans):
    """The `trans` option that solves with the transpose of what `trans` solves with."""
    return 0 if transposes(trans) else 1


def as_matrix(v):
    """A vector as a one-column matrix; a matrix as it is (an empty one too)."""
    return np.reshape(v, (np.shape(v)[0], _count(np.shape(v)[1:])))


def as_square(a):
    """`a` as scipy.linalg's cholesky, cho_factor and expm read it: a 0-d or one-element 1-D array
    as a 1 x 1 matrix, a matrix (or a stack of them) as it is."""
    return np.reshape(a, (1, 1)) if np.ndim(a) < 2 else a


def sqrtm_operand(a, sqrtm_of_a):
    """`as_square(a)`, after checking that `sqrtm_of_a` (scipy.linalg.sqrtm(a)) is its square
    root: SciPy 1.16 and 1.17 return [[exp(a)]] for a 0-d or one-element 1-D `a`
    (scipy/scipy#25610), which the sqrtm rules would silently differentiate as a square root."""
    if np.ndim(a) >= 2:
        return a
    if not np.allclose(sqrtm_of_a * sqrtm_of_a, a):

        raise UnsupportedCallError(
            "scipy.linalg.sqrtm of a number (a 0-d or one-element 1-D array) returned exp(a) rather than "
            "its square root (a bug of SciPy 1.16-1.17, scipy/scipy#25610); sourcead does not differentiate it",
            hint="pass a 1 x 1 matrix, np.reshape(a, (1, 1)), or use np.sqrt for a number")
    return np.reshape(a, (1, 1))


def column_outer(u, v):
    """u @ v^T for vectors or matrices of columns: the outer product of a solve's two sides."""
    return as_matrix(u) @ mT(as_matrix(v))


_GENERAL = (None, "gen", "general")
_SYMMETRIC = ("sym", "her", "pos", "symmetric", "hermitian", "positive definite")


def effective_matrix(a, assume_a=None, lower=False, transposed=False):
    """The matrix scipy.linalg.solve or inv really uses for `a`: a itself (or a^T when
    `transposed`), or for a symmetric `assume_a` the symmetric matrix of the triangle `lower`
    names. Other structures (banded, diagonal, triangular...) are refused, and so is a number
    (which scipy.linalg.solve divides by)."""
    if np.ndim(a) < 2:
        raise _number_solve_error()
    if assume_a in _GENERAL:
        return mT(a) if transposed else a
    if assume_a in _SYMMETRIC:
        return symmetric_from_triangle(a, lower)

    raise UnsupportedCallError(f"scipy.linalg is differentiated with assume_a in {_GENERAL + _SYMMETRIC}, "
                               f"not {assume_a!r}", hint="leave assume_a out (the general solver)")


def effective_matrix_adjoint(g, assume_a=None, lower=False, transposed=False):
    """The adjoint of `effective_matrix` in a."""
    if assume_a in _SYMMETRIC:
        return triangle_of_symmetric(g, lower)
    return mT(g) if transposed else g


def fold_upper(c):
    """The upper triangle of `c` plus its strict lower triangle transposed (an upper triangle)."""
    lower = np.where(_tril_mask(c, -1), c, 0.0)
    return c - lower + mT(lower)


def symmetric_from_upper(b):
    """The symmetric matrix whose upper triangle is b's: the adjoint of `fold_upper`."""
    upper = np.where(_tril_mask(b, -1), 0.0, b)
    strict = np.where(_tril_mask(b, 0), 0.0, b)
    return upper + mT(strict)


def diagonal(x):
    """The diagonal of `x` (of each matrix in a stack)."""
    return np.diagonal(x, 0, -2, -1) * 1.0


def diag_embed(d):
    """Square matrices with `d` (its last axis) on the diagonal, zeros elsewhere, in d's float
    dtype (float32 stays float32): the adjoint of `diagonal`."""
    n = np.shape(d)[-1]
    return np.where(np.eye(n, dtype=bool), np.expand_dims(d, -1), 0.0)


def inverse_gaps(w):
    """F[..., i, j] = 1 / (w[j] - w[i]) off the diagonal, 0 on it: the weights of eigenvector and
    singular-vector derivatives. Eigenvalues must be distinct (a repeated one divides by zero)."""
    gaps = np.expand_dims(w, -2) - np.expand_dims(w, -1)
    eye = np.eye(np.shape(w)[-1], dtype=bool)
    return np.where(eye, 0.0, 1.0 / np.where(eye, 1.0, gaps))


def real_only(x, what):
    """`x`, after checking that it is real: sourcead differentiates `what` (np.linalg.eig) only
    where its results are real (distinct real eigenvalues)."""
    if np.iscomplexobj(x):
        if not np.any(np.imag(x)):
            return np.real(x)  # NumPy 2.5 returns complex eigen-results of real matrices too
        raise UnsupportedCallError(
            f"{what} returned complex values here, and sourcead differentiates it only where its "
            "results are real (complex numbers are not supported)",
            hint="for a symmetric matrix use np.linalg.eigh, whose results are always real")
    return x


def matrix_norm_weight(x, norm, ord=None, axis=None, keepdims=False):
    """d norm / d x, in x's shape, for the matrix norm ``norm = np.linalg.norm(x, ord, axis,
    keepdims)`` of a 2-D x (or of the matrices on the two axes `axis` names), for ord in
    None/'fro', 'nuc', 2, -2, 1, -1, inf, -inf.

    'nuc' is U V^T and 2 / -2 the outer product of the largest / smallest singular pair (they
    need distinct singular values there: a tie has no unique gradient, and U V^T needs no zero
    singular value). 1 / -1 (largest / smallest absolute column sum) and inf / -inf (rows) give
    sign(x) on the winning columns or rows, ties sharing evenly. A zero matrix gives 0.
    """
    if 0 in np.shape(x):  # an empty matrix: its norm is 0 whatever x is
        return np.zeros(np.shape(x), dtype=np.result_type(x, 1.0))
    rows, cols = (axis[0] % np.ndim(x), axis[1] % np.ndim(x)) if axis is not None else (0, 1)
    m = np.moveaxis(x, (rows, cols), (-2, -1))
    n = np.expand_dims(np.moveaxis(_with_kept_dims(norm, axis, keepdims) * np.ones_like(x),
                                   (rows, cols), (-2, -1))[..., 0, 0], (-2, -1))
    return np.moveaxis(_matrix_norm_weight(m, n, ord), (-2, -1), (rows, cols))


def _matrix_norm_weight(m, n, ord):
    """matrix_norm_weight for the stack of matrices `m` (last two axes) with norms `n` (..., 1, 1)."""
    if ord is None or ord == "fro":
        return m / np.where(n == 0, 1.0, n)
    if ord in ("nuc", 2, -2):
        u, s, vh = np.linalg.svd(m, full_matrices=False)
        if ord == "nuc":
            return u @ vh
        k = 0 if ord == 2 else np.shape(s)[-1] - 1  # the largest or the smallest singular value
        return u[..., :, k:k + 1] @ vh[..., k:k + 1, :]
    if ord in (1, -1, np.inf, -np.inf):
        axis = -2 if ord in (1, -1) else -1
        sums = np.sum(np.abs(m), axis=axis, keepdims=True)
        won = sums == (np.max(sums, axis=-1 - (axis == -1), keepdims=True) if ord in (1, np.inf)
                       else np.min(sums, axis=-1 - (axis == -1), keepdims=True))
        return np.sign(m) * np.divide(won, np.sum(won, axis=(-2, -1), keepdims=True), dtype=np.result_type(m, 1.0))

    raise UnsupportedCallError(f"np.linalg.norm of a matrix with ord={ord!r} has no derivative rule",
                               hint="use ord in None, 'fro', 'nuc', 1, -1, 2, -2, inf, -inf")


def residual_cotangent(g, k):
    """The cotangent `g` of np.linalg.lstsq's residuals as k column weights: zeros when lstsq
    returned no residuals (an empty array: a wide or rank-deficient matrix), in g's dtype."""
    return g if np.shape(g)[0] else np.zeros_like(g, shape=(k,))


def residual_tangent(v, residuals):
    """The tangent `v` of np.linalg.lstsq's residuals, or an empty one like `residuals`."""
    return v if np.shape(residuals)[0] else np.zeros_like(residuals)


def square_r(r):
    """`r`, after checking it is square: the R of np.linalg.qr's reduced mode for a square or tall
    matrix, which is what the qr rules differentiate."""
    if np.shape(r)[-1] != np.shape(r)[-2]:

        raise UnsupportedCallError(
            "np.linalg.qr is differentiated for square or tall matrices (R square), not for a wide one",
            hint="factor the transpose instead: q, r = np.linalg.qr(a.T) gives a = r.T @ q.T")
    return r


def diag_sandwich(u, c, v):
    """diagonal(u^T @ c @ v) without forming the off-diagonal entries."""
    return np.sum(u * (c @ v), axis=-2)


def scaled_product(u, g, v):
    """u @ diag(g) @ v^T: the adjoint of `diag_sandwich` in c."""
    return (u * np.expand_dims(g, -2)) @ mT(v)


def diag_congruence(c, v):
    """diagonal(v^T @ c @ v): the eigenvalue derivatives of a symmetric matrix with eigenvectors v."""
    return np.sum(v * (c @ v), axis=-2)


def scaled_congruence(v, g):
    """v @ diag(g) @ v^T: the adjoint of `diag_congruence` in c."""
    return (v * np.expand_dims(g, -2)) @ mT(v)


def svd_gaps(usv, a, full_matrices=True, compute_uv=True, hermitian=False):
    """inverse_gaps(s**2) for the factors ``usv = np.linalg.svd(a, ...)``, after checking that
    the call returned what the svd rules differentiate."""
    if hermitian or (compute_uv and full_matrices and np.shape(a)[-1] != np.shape(a)[-2]):

        raise UnsupportedCallError(
            "np.linalg.svd is differentiated with hermitian=False, and with full_matrices=False for a "
            "matrix that is not square",
            hint="write np.linalg.svd(a, full_matrices=False), or np.linalg.svd(a, compute_uv=False) "
                 "for the singular values alone")
    return inverse_gaps(usv[1] ** 2)


def as_columns(v, a, b):
    """`v` (shaped like np.linalg.solve(a, b) or like b) as a stack of matrices: a vector b (one
    NumPy solves as a vector) gains a trailing axis of length 1."""
    return np.expand_dims(v, -1) if _solve_vector(a, b) else v


def scipy_solve_columns(v, a, b):
    """`as_columns(v, a, b)` for scipy.linalg.solve, after checking that (a, b) is a linear system
    of a square matrix: SciPy also takes a number for a (0-d, one-element, or 1 x 1 against a b with
    other than one row) and divides b by it, which its rules do not differentiate."""
    rows = np.shape(b)[-2] if np.ndim(b) >= 2 else (np.shape(b)[0] if np.ndim(b) else 0)
    if np.ndim(a) < 2 or (_count(np.shape(a)) == 1 and rows != 1):
        raise _number_solve_error()
    return as_columns(v, a, b)


def _number_solve_error():

    return UnsupportedCallError(
        "scipy.linalg.solve of a number a (0-d, one-element, or 1 x 1 against a b without exactly one "
        "row) divides b by it; sourcead differentiates solve for a square matrix a and a b of matching rows",
        hint="write b / a for a number a")


_NUMPY_2 = int(np.__version__.split(".")[0]) >= 2


def _solve_vector(a, b):
    """Whether np.linalg.solve(a, b) takes b as a vector (NumPy 2: b is 1-D; before: one axis
    fewer than a)."""
    return np.ndim(b) == 1 if _NUMPY_2 else np.ndim(b) == np.ndim(a) - 1


def block_triangular(a, d):
    """[[a, d], [0, a]] (for each matrix in a stack, or each pair of two lists): an analytic
    matrix function f of it has f(a) on the diagonal and the Frechet derivative of f at a in the
    direction d top right; a product of such blocks has the product rule's sum top right."""
    if isinstance(a, (list, tuple)):
        return [block_triangular(x, y) for x, y in zip(a, d, strict=True)]
    top = np.concatenate([a, d], axis=-1)
    bottom = np.concatenate([np.zeros_like(a), a], axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def _quarter_shape(x, what):
    """The shape (n, m) of each quarter of the 2n x 2m block matrices `x`; any other shape is a
    bug of ours (`what` only ever receives results of `block_triangular`)."""
    rows, cols = np.shape(x)[-2:]
    if rows % 2 or cols % 2:
        from .errors import InternalError

        raise InternalError(f"runtime.{what} takes 2n x 2m block matrices, not a {rows} x {cols} one")
    return rows // 2, cols // 2


def upper_right_block(x):
    """The top-right quarter of the 2n x 2m matrix `x` (of each matrix in a stack, or in a list)."""
    if isinstance(x, (list, tuple)):
        return [upper_right_block(e) for e in x]
    n, m = _quarter_shape(x, "upper_right_block")
    return x[..., :n, m:] * 1.0


def diagonal_blocks_sum(x):
    """The sum of the top-left and bottom-right quarters of the 2n x 2m matrix `x` (of each matrix
    in a stack, or in a list): with `upper_right_block`, the adjoint of `block_triangular`."""
    if isinstance(x, (list, tuple)):
        return [diagonal_blocks_sum(e) for e in x]
    n, m = _quarter_shape(x, "diagonal_blocks_sum")
    return x[..., :n, :m] + x[..., n:, m:]


def zeros_like_float(x):
    """Zeros shaped like `x` (like each array of a list) in x's float dtype -- float32 stays
    float32, other dtypes give float64: the zero blocks of `block_triangular`'s derivatives."""
    if isinstance(x, (list, tuple)):
        return [zeros_like_float(e) for e in x]
    dtype = np.result_type(x)
    return np.zeros_like(x, dtype=dtype if dtype.kind == "f" else float)


def chain_matrices(arrays):
    """np.linalg.multi_dot's operands as matrices: a 1-D first one as a row, a 1-D last one as a
    column."""
    out = list(arrays)
    if np.ndim(out[0]) == 1:
        out[0] = np.reshape(out[0], (1, -1))
    if np.ndim(out[-1]) == 1:
        out[-1] = np.reshape(out[-1], (-1, 1))
    return out


def unchain_matrices(gs, arrays):
    """Matrices shaped like `chain_matrices(arrays)` given the shapes of `arrays` again."""
    return [np.reshape(g, np.shape(a)) for g, a in zip(gs, arrays, strict=True)]


def as_chain_result(g, arrays):
    """`g`, shaped like np.linalg.multi_dot(arrays), as the matrix product of chain_matrices(arrays)."""
    chain = chain_matrices(arrays)
    return np.reshape(g, (np.shape(chain[0])[0], np.shape(chain[-1])[1]))


def multi_dot_cotangents(g, matrices):
    """For each matrix of the product ``M = matrices[0] @ ... @ matrices[-1]``, its cotangent given
    M's cotangent `g`: the transposed product of the matrices before it, g, and the transposed
    product of those after it."""
    k = len(matrices)
    before = [None] * k
    after = [None] * k
    for i in range(1, k):
        before[i] = matrices[0] if i == 1 else before[i - 1] @ matrices[i - 1]
    for i in range(k - 2, -1, -1):
        after[i] = matrices[k - 1] if i == k - 2 else matrices[i + 1] @ after[i + 1]
    out = []
    for i in range(k):
        left = g if before[i] is None else mT(before[i]) @ g
        out.append(left if after[i] is None else left @ mT(after[i]))
    return out


# ---- helpers of the SciPy rules (scipy.special, scipy.stats) -------------------------------------
# NumPy only; their rules are in rules/linalg.py too, so that they are always registered.


def one_if_none(v):
    """`v`, or 1.0 when it is None (an absent weight, such as logsumexp's b)."""
    return 1.0 if v is None else v


def zero_if_none(v):
    """`v`, or 0.0 when it is None (an absent offset, such as a distribution's mean)."""
    return 0.0 if v is None else v


def as_covariance(cov, x):
    """The covariance matrix scipy.stats.multivariate_normal reads from `cov` for points `x`:
    a number times the identity, a diagonal, or the symmetric matrix of cov's lower triangle."""
    if np.ndim(cov) == 0:
        return np.where(np.eye(np.shape(x)[-1] if np.ndim(x) else 1, dtype=bool), cov, 0.0)
    if np.ndim(cov) == 1:
        return diag_embed(cov)
    return symmetric_from_triangle(cov, "L")


def mvn_points(x, mean=None, cov=1):
    """`x` as scipy.stats.multivariate_normal reads it, points along the last axis: its dimension is
    mean's size, or else cov's order (1 for a number or a vector); a number is one point of dimension
    1, and with dimension 1 a vector is a column of points (where the rules' x is one point)."""
    if np.ndim(x) == 0:
        return np.reshape(x, (1,))
    dim = _count(np.shape(mean)) if mean is not None else (np.shape(cov)[0] if np.ndim(cov) >= 2 else 1)
    return np.reshape(x, (np.shape(x)[0], 1)) if np.ndim(x) == 1 and dim == 1 else x


def covariance_adjoint(g, cov):
    """The adjoint of `as_covariance` in cov: the cotangent `g` of the (square) matrix mapped back
    to cov."""
    if np.ndim(g) < 2 or np.shape(g)[-1] != np.shape(g)[-2]:
        from .errors import InternalError

        raise InternalError(f"runtime.covariance_adjoint takes the cotangent of a square covariance matrix, "
                            f"not one of shape {np.shape(g)}")
    if np.ndim(cov) == 0:
        return np.trace(g)
    if np.ndim(cov) == 1:
        return diagonal(g)
    return triangle_of_symmetric(g, "L")


# ---- cotangent arithmetic for values of any structure -------------------------------------------


def add_cotangents(a, b):
    """a + b for cotangents: numbers and arrays add; a list or tuple's cotangent (a list) adds
    element by element -- never concatenates."""
    if isinstance(a, (list, tuple)):
        if not isinstance(b, (list, tuple)) or len(a) != len(b):
            raise _seq_arithmetic()
        return [add_cotangents(x, y) for x, y in zip(a, b, strict=True)]
    if isinstance(a, dict) or is_record(a):
        return add_fields(a, b)
    return a + b


def _seq_arithmetic() -> UnsupportedSyntaxError:
    return UnsupportedSyntaxError(
        "a list or tuple is combined with + or * here, where sourcead could not tell when compiling "
        "that it is one (its derivative is not that of arithmetic)",
        hint="build it where the function can see it is a list (hs = [] ... hs = hs + [h]), or "
             "use np.concatenate / np.stack on arrays")


# ---- lists and tuples: + and * ------------------------------------------------------------------
# The compiler writes `a + b` and `s * n` on values it knows are lists or tuples as these (printed
# back as + and *), so that their derivatives are those of concatenation and repetition.


def concat(a, b):
    """``a + b`` of two lists or two tuples."""
    return a + b


def repeat_seq(seq, n):
    """``seq * n`` of a list or tuple and an int."""
    return seq * n


def concat_parts(a, b):
    """The cotangents (or tangents) of two sequences, joined: a list."""
    return [*a, *b]


def repeat_parts(a, n):
    """The cotangents (or tangents) of a sequence, repeated `n` times: a list."""
    return [*a] * n


def unrepeat_seq(g, seq, n):
    """The cotangent of ``seq * n``: each element's cotangents from its `n` copies, summed."""
    k = len(seq)
    out = list(g[:k])
    for j in range(1, n):
        out = add_cotangents(out, g[j * k:(j + 1) * k])
    return out if n > 0 else zeros_like_input(seq)



# ---- the singular values alone (rules10) --------------------------------------------------------


def usv_product(usv, g):
    """U diag(g) Vh for the factors ``usv = (U, s, Vh)`` of a reduced SVD: the cotangent of a
    matrix whose singular values have the cotangent `g`."""
    return scaled_product(usv[0], g, mT(usv[2]))


def usv_sandwich(usv, c):
    """diagonal(U^T c Vh^T) for the factors ``usv = (U, s, Vh)``: the tangent of the singular values
    along `c` (the adjoint of `usv_product` in g)."""
    return diag_sandwich(usv[0], c, mT(usv[2]))


# ---- condition numbers --------------------------------------------------------------------------


def cond_weight(x, p=None):
    """d cond / d x for ``np.linalg.cond(x, p)``, in x's shape (stacks of matrices too).

    For p None, 2 or -2, cond is the ratio of the extreme singular values s_max / s_min (or its
    inverse), each moving by u_i^T dx v_i (distinct extreme singular values, as for np.linalg.svd).
    For the other orders, cond = norm(x, p) * norm(inv(x), p), and d inv(x) = -inv(x) dx inv(x).
    """
    if p is None or p in (2, -2):
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        top = u[..., :, :1] * vh[..., :1, :]  # d s_max / dx
        bottom = u[..., :, -1:] * vh[..., -1:, :]  # d s_min / dx
        s_max, s_min = s[..., :1, None], s[..., -1:, None]
        if p == -2:
            return bottom / s_max - (s_min / s_max ** 2) * top
        return top / s_min - (s_max / s_min ** 2) * bottom
    inverse = np.linalg.inv(x)
    a = np.linalg.norm(x, p, axis=(-2, -1))
    b = np.linalg.norm(inverse, p, axis=(-2, -1))
    wa = norm_weight(x, a, p, (-2, -1))
    wb = norm_weight(inverse, b, p, (-2, -1))
    return b[..., None, None] * wa - a[..., None, None] * (mT(inverse) @ wb @ mT(inverse))


# ---- grids and blocks (rules10) -----------------------------------------------------------------


def _mesh_axis(k, n, indexing):
    """The axis of np.meshgrid's results along which its k-th of n inputs varies."""
    if indexing == "xy" and n >= 2 and k < 2:
        return 1 - k
    return k


def mesh_other_axes(grids, k, indexing="xy"):
    """The axes of np.meshgrid's results `grids` along which its k-th input does not vary."""
    along = _mesh_axis(k, len(grids), indexing)
    return tuple(i for i in range(np.ndim(grids[k])) if i != along)


def mesh_tangent(t, grids, k, indexing="xy"):
    """The tangent of np.meshgrid's results `grids` along the tangent `t` of its k-th input alone:
    `t` laid along that input's axis (broadcast as its grid is), zeros for the other grids."""
    shape = [1] * np.ndim(grids[k])
    shape[_mesh_axis(k, len(grids), indexing)] = -1
    line = np.reshape(t, shape)
    return tuple(np.broadcast_to(line, np.shape(g)) * 1.0 if j == k else np.zeros_like(g, dtype=line.dtype)
                 for j, g in enumerate(grids))


def _block_depth(arrays):
    return 1 + _block_depth(arrays[0]) if isinstance(arrays, list) else 0


def _block_ndim(arrays):
    return max(_block_ndim(a) for a in arrays) if isinstance(arrays, list) else np.ndim(arrays)


def _block_extent(item, axis, depth, levels, ndim):
    """How far `item` (an array, or a list at nesting `depth` of `levels`) reaches along `axis` in
    np.block, whose result has `ndim` axes (a list at depth d joins its items along d - levels)."""
    if not isinstance(item, list):
        return ((1,) * (ndim - np.ndim(item)) + np.shape(item))[axis]
    if axis == depth - levels:
        return sum(_block_extent(i, axis, depth + 1, levels, ndim) for i in item)
    return _block_extent(item[0], axis, depth + 1, levels, ndim)


def unblock(g, arrays):
    """The cotangents of the blocks `arrays` (np.block's nested lists) given the result's `g`: the
    pieces of g each block filled, in the nesting of `arrays`."""
    levels = _block_depth(arrays)
    return _unblock(g, arrays, 0, levels, max(levels, _block_ndim(arrays)))


def _unblock(g, item, depth, levels, ndim):
    if not isinstance(item, list):
        return np.reshape(g, np.shape(item))
    axis = depth - levels
    cuts = np.cumsum([_block_extent(i, axis, depth + 1, levels, ndim) for i in item])[:-1]
    return [_unblock(piece, i, depth + 1, levels, ndim)
            for piece, i in zip(np.split(g, cuts, axis=axis), item, strict=True)]


def unmesh(g, grids, k, indexing="xy", x=None):
    """The cotangent of np.meshgrid's k-th input `x` given the cotangents `g` of its results
    `grids`: the k-th cotangent summed over the axes that input does not vary along (None when the
    call had fewer than k + 1 inputs)."""
    if k >= len(grids):
        return None
    return np.reshape(np.sum(g[k], axis=mesh_other_axes(grids, k, indexing)), np.shape(x))


# ---- least-squares polynomial fits (rules10) ----------------------------------------------------


def polyfit_matrix(x, deg, w=None, full=False, cov=False):
    """The matrix A of np.polyfit(x, y, deg, w=w)'s least-squares problem A p = w y (the Vandermonde
    matrix of x, its rows scaled by w), after checking the call returns the coefficients alone."""
    if full or cov:
        _refuse("np.polyfit is differentiated for its coefficients alone (full=False, cov=False)",
                "call it without full= and cov=; compute residuals or a covariance from the coefficients")
    a = np.vander(x, deg + 1)
    return a if w is None else a * np.reshape(w, (-1, 1))


def polyfit_weights(w, y):
    """np.polyfit's weights as factors of y's rows (1.0 without weights)."""
    return 1.0 if w is None else np.reshape(w, (-1,) + (1,) * (np.ndim(y) - 1))


# ---- tensor inverses and solves (rules10) -------------------------------------------------------


def tensor_square(a, ind):
    """The square matrix shape (n, n) that np.linalg.tensorinv / tensorsolve read `a` as: `ind` an
    int (tensorinv's: the leading axes that form the rows) or the right-hand side b (tensorsolve's:
    its shape forms the rows)."""
    rows = np.shape(a)[:ind] if isinstance(ind, int) else np.shape(ind)
    n = 1
    for k in rows:
        n *= k
    return n, n


# ---- mutation: functional updates -----------------------------------------------------------------
# ``x[idx] = v`` is ``x = index_update(x, idx, v)`` in the IR: a new array or list, `x` unchanged
# (`passes/inplace.py` writes it in place where `x` is owned and dead). List methods are functional
# too: ``hs.insert(i, v)`` is ``hs = list_insert(hs, i, v)``, ``hs.pop(i)`` ``hs = list_without(hs, i)``.


def index_update(x, idx, v):
    """`x` with ``x[idx] = v`` (NumPy's semantics: `v` broadcast and cast to x's dtype, the last
    of repeated indices wins): a new array or list."""
    if isinstance(x, list):
        out = list(x)
    elif isinstance(x, _ndarray):
        out = x.copy()
    else:
        raise TypeError(f"'{type(x).__name__}' object does not support item assignment")
    out[idx] = v
    return out


def zero_at(g, idx):
    """`g` with ``g[idx]`` zeroed (a copy): the cotangent of what ``x[idx] = v`` overwrote."""
    if isinstance(g, (list, tuple)):
        out = list(g)
        part = out[idx]
        out[idx] = [zeros_like_input(e) for e in part] if isinstance(idx, slice) else zeros_like_input(part)
        return out
    out = np.array(g, dtype=np.result_type(g, 1.0))
    out[idx] = 0.0
    return out


def updated_part(g, idx, v):
    """``g[idx]`` where ``x[idx] = v`` took each element from `v` (an element overwritten by a later
    repeat of its index gets none), summed down to v's shape: the cotangent of `v`."""
    part = g[idx]
    if isinstance(g, (list, tuple)):
        return list(part) if isinstance(idx, slice) else part
    if type(part) is _ndarray and _is_basic_index(idx):
        part = part.copy()  # not a view of g, which passes/inplace may clear in place next
    elif not _is_basic_index(idx):
        ids = np.arange(part.size).reshape(part.shape)
        order = np.full(np.shape(g), -1)
        order[idx] = ids
        part = np.where(order[idx] == ids, part, 0.0)
    return unbroadcast(part, v)


def placed(t, x, idx):
    """Zeros shaped like `x` with ``[idx] = t`` (broadcast, the last of repeated indices wins): the
    tangent of ``x[idx] = v`` from v's tangent, and the adjoint of `updated_part`."""
    if isinstance(x, (list, tuple)):
        out = zeros_like_input(x)
        out[idx] = t
        return out
    out = np.zeros(np.shape(x), dtype=np.result_type(t, 1.0))
    out[idx] = t
    return out


def write_into(x, idx, v):
    """``x[idx] = v``, in place, and `x` (passes/inplace.py uses it where nothing else holds `x`;
    the back end prints it as that assignment)."""
    x[idx] = v
    return x


def clear_at(g, idx):
    """`zero_at` where nothing else holds `g`: in place when `g` is a floating array."""
    if type(g) is not _ndarray or g.dtype.kind not in "fc":
        return zero_at(g, idx)
    g[idx] = 0.0
    return g


def add_into(acc, idx, g, x):
    """``acc + unindex(g, x, idx)``, in place into `acc` when it is a floating array of x's shape
    (passes/inplace.py: the cotangent of a read ``x[idx]`` accumulated without a zeros array)."""
    if type(acc) is not _ndarray or acc.dtype.kind not in "fc" or acc.shape != np.shape(x) \
            or np.result_type(acc, g) != acc.dtype:
        return add_cotangents(acc, unindex(g, x, idx))
    if _is_basic_index(idx):
        acc[idx] += g
    else:
        np.add.at(acc, idx, g)
    return acc


def insert_position(seq, i):
    """Where ``seq.insert(i, v)`` puts `v` (Python clamps `i` into ``0..len(seq)``)."""
    n = len(seq)
    return max(0, n + i) if i < 0 else min(i, n)


def list_insert(seq, i, v):
    """``seq.insert(i, v)`` as a new list."""
    out = list(seq)
    out.insert(i, v)
    return out


def list_without(seq, i):
    """``seq.pop(i)`` as a new list (the value popped is ``seq[i]``, read before)."""
    out = list(seq)
    del out[i]
    return out


def as_list(items):
    """``list(items)`` for ``hs.extend(items)``: `items` must be a list or a tuple (an array's rows
    or an iterator are refused rather than differentiated as something else)."""
    if not isinstance(items, (list, tuple)):
        raise UnsupportedSyntaxError(
            f"extend(...) of a {type(items).__name__}: sourcead extends a list by a list or a tuple only",
            hint="pass a list, e.g. hs.extend(list(x)) outside the differentiated code, or append in a loop")
    return list(items)


# ---- mutation: aliases ----------------------------------------------------------------------------
# The lowering tracks which names hold the same object (``z = y``: idx None) or a view of another's
# (``head = y[:2]``: idx ``slice(None, 2)``). Whether such a name really shares memory is known at run
# time only (a slice of a list is a copy, an array's element a number), so after a write the base
# is updated with `write_back` and each alias re-read with `view_of`, both of which check it.


def _aliased(view, base, idx) -> bool:
    """Whether `view`, made as ``base`` (`idx` None) or ``base[idx]``, changes when base does."""
    if idx is None:
        return type(view) is _ndarray or type(view) is list
    return type(base) is _ndarray and type(view) is _ndarray and _is_basic_index(idx)


def _zero_like(x):
    """A zero cotangent in x's type, keeping a floating array's dtype."""
    if isinstance(x, _ndarray):
        return np.zeros(x.shape, dtype=np.result_type(x, 1.0))
    return zeros_like_input(x)


def write_back(base, idx, view, new):
    """`base` once its alias `view` (``base``, or ``base[idx]``) has become `new` in place."""
    if not _aliased(view, base, idx):
        return base
    return new if idx is None else index_update(base, idx, new)


def view_of(old, base, idx, through):
    """The alias `old` (made as ``base`` or ``base[idx]``) once `base` changed. (An element read
    out of a list is not tracked: `not_shared` refuses writing into it or its list while both live.
    `through` says whether base changed through one of its views; the result does not depend on it.)"""
    if not _viewed(old, base, idx, through):
        return old
    return base if idx is None else base[idx]


def _viewed(old, base, idx, through) -> bool:
    return _aliased(old, base, idx)


def kept_back(g, base, idx, view):
    """The part of `write_back`'s cotangent `g` that flows to `base`."""
    if not _aliased(view, base, idx):
        return g
    return _zero_like(base) if idx is None else zero_at(g, idx)


def kept_tangent(t, base, idx, view, new):
    """`write_back`'s tangent from base's tangent `t` (the adjoint of `kept_back`): shaped like the
    result, which is `new` when `view` is base itself."""
    if not _aliased(view, base, idx):
        return t
    return _zero_like(new) if idx is None else zero_at(t, idx)


def written_back(g, base, idx, view, new):
    """The part of `write_back`'s cotangent `g` that flows to `new`."""
    if not _aliased(view, base, idx):
        return _zero_like(new)
    return g if idx is None else updated_part(g, idx, new)


def wrote_back(t, base, idx, view):
    """`write_back`'s tangent from new's tangent `t` (the adjoint of `written_back`)."""
    if not _aliased(view, base, idx):
        return _zero_like(base)
    return t if idx is None else placed(t, base, idx)


def old_part(g, old, base, idx, through):
    """The part of `view_of`'s cotangent (or tangent) `g` that flows to `old`."""
    return _zero_like(old) if _viewed(old, base, idx, through) else g


def old_tangent(t, old, base, idx, through):
    """`view_of`'s tangent from old's tangent `t` (the adjoint of `old_part`): shaped like the result."""
    if not _viewed(old, base, idx, through):
        return t
    return _zero_like(base) if idx is None else _zero_like(old)


def base_part(g, old, base, idx, through):
    """The part of `view_of`'s cotangent `g` that flows to `base`."""
    if not _viewed(old, base, idx, through):
        return _zero_like(base)
    return g if idx is None else unindex(g, base, idx)


def view_part(t, old, base, idx, through):
    """`view_of`'s tangent from base's tangent `t` (the adjoint of `base_part`)."""
    if not _viewed(old, base, idx, through):
        return _zero_like(old)
    return t if idx is None else t[idx]


# ---- dicts and records (namedtuples, dataclasses) ------------------------------------------------
# A dict's cotangent (and tangent) is a dict of the same keys; a dataclass instance's, inside
# generated code, a dict of its fields (`field` reads either); `as_gradient` gives the user one of
# the primal's own type.


def is_record(x) -> bool:
    """Whether `x` is a dataclass instance."""
    return dataclasses.is_dataclass(x) and not isinstance(x, type)


def items_of(x):
    """(key, value) of a dict, or (field name, value) of a dataclass instance."""
    if isinstance(x, dict):
        return list(x.items())
    return [(f.name, getattr(x, f.name)) for f in dataclasses.fields(x)]


NO_DEFAULT = object()  # a field without a default value (see `record_fields`)


def record_fields(cls):
    """((field name, default or NO_DEFAULT), ...) of a namedtuple or dataclass class whose
    constructor only stores its arguments (the one namedtuple or @dataclass generated: no __new__,
    __init__ or __post_init__ of the user's, every field an __init__ parameter); else None."""
    if not isinstance(cls, type):
        return None
    if issubclass(cls, tuple) and hasattr(cls, "_fields") and hasattr(cls, "_field_defaults"):
        if _generated(cls.__new__) and cls.__init__ is object.__init__:
            return tuple((f, cls._field_defaults.get(f, NO_DEFAULT)) for f in cls._fields)
        return None
    params = getattr(cls, "__dataclass_params__", None)
    if params is None or not params.init or hasattr(cls, "__post_init__") or not _generated(cls.__init__) \
            or cls.__new__ is not object.__new__:
        return None
    fields = dataclasses.fields(cls)
    if any(not f.init or f.default_factory is not dataclasses.MISSING for f in fields):
        return None
    return tuple((f.name, NO_DEFAULT if f.default is dataclasses.MISSING else f.default) for f in fields)


def _generated(fn) -> bool:
    """Whether a constructor was generated by namedtuple or @dataclass (compiled from a string)."""
    return getattr(getattr(fn, "__code__", None), "co_filename", None) == "<string>"


def make_record(cls, names, values):
    """``cls(*values)`` of a namedtuple class, ``cls(**dict(zip(names, values)))`` of a dataclass:
    a record built inside a differentiated function, its fields in `names` order."""
    if issubclass(cls, tuple):
        return cls(*values)
    return cls(**dict(zip(names, values)))


def fields_of(g, cls, names):
    """The fields of a record's cotangent or tangent `g` (a dict for a dataclass, a sequence for a
    namedtuple), as a list in `names` order: the cotangent of `make_record`'s values."""
    return list(g) if issubclass(cls, tuple) else [g[name] for name in names]


def record_like(g, cls, names):
    """A record's cotangent or tangent from its fields' (a sequence in `names` order): a dict of
    the fields for a dataclass, a list for a namedtuple (as `zeros_like_input` makes them)."""
    return list(g) if issubclass(cls, tuple) else dict(zip(names, g))


def field(x, name):
    """``x.name`` of a dataclass instance, or of its cotangent or tangent (a dict of its fields)."""
    return x[name] if isinstance(x, dict) else getattr(x, name)


def unfield(g, x, name):
    """The cotangent of ``x.name``: zeros for x's fields, `g` for `name`."""
    out = zeros_like_input(x)
    out[name] = g
    return out


def add_fields(a, b):
    """Two cotangents of a dict or a dataclass instance, added key by key."""
    b = dict(items_of(b))
    out = {}
    for k, v in items_of(a):
        out[k] = add_cotangents(v, b.pop(k)) if k in b else v
    out.update(b)
    return out


def structured_gradient(g, x):
    """`g` (a dict, or a list for a namedtuple) as a gradient of x's type: a dict of the same keys,
    the same namedtuple, a dataclass instance of the same class with the gradients as fields."""
    if isinstance(x, tuple):
        parts = list(g) if isinstance(g, (list, tuple)) else [g] * len(x)
        return type(x)(*[as_gradient(gi, xi) for gi, xi in zip(parts, x, strict=True)])
    values = dict(items_of(g)) if isinstance(g, dict) or is_record(g) else None
    grads = {k: as_gradient(values[k] if values is not None else g, v) for k, v in items_of(x)}
    if isinstance(x, dict):
        return grads
    out = copy.copy(x)
    for k, v in grads.items():
        object.__setattr__(out, k, v)
    return out


def unmodelled_attribute(x, name):
    """``x.name`` of a dict or a record that is not one of its keys or fields: it has no derivative
    rule, so it is refused where it meets a differentiated value (never read as ndarray's)."""
    return getattr(x, name)


def unmodelled_method(x, name, *args, **kwargs):
    """``x.name(...)`` of a dict or a record, other than the reads sourcead models: no derivative
    rule, so refused where it meets a differentiated value (never taken for ndarray's method)."""
    return getattr(x, name)(*args, **kwargs)


def dict_with(d, key, value):
    """``{**d, key: value}``: one step of a dict comprehension (a new dict; `d` is not changed)."""
    out = dict(d)
    out[key] = value
    return out


def dict_without(ct, key, d):
    """The cotangent of `d` in ``dict_with(d, key, value)``: `ct` on d's keys, zero where `key`
    replaced d's value."""
    return {k: zeros_like_input(v) if k == key else ct[k] for k, v in d.items()}
