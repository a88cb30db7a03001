"""What generated derivatives call at run time.

Everything here is small, plain and fast on floats: generated code runs these in its inner loops.
Rule helpers that need more than one line live here too, so that rules themselves stay one line.
Each of these functions has derivative rules of its own (``rules/runtime_.py``), so generated
code can be differentiated again.
"""

from __future__ import annotations

import linecache

import numpy as np

from .errors import Loc, NonDifferentiableError, UnboundNameError, UnsupportedCallError, UnsupportedSyntaxError

_float = float
_ndarray = np.ndarray


def unbroadcast(g, x):
    """Sum the cotangent `g` down to the shape of `x`: the adjoint of broadcasting `x` up to g."""
    if isinstance(x, (list, tuple)):
        raise _seq_arithmetic()
    xs = np.shape(x)
    gs = np.shape(g)
    if gs == xs:
        return g
    lead = len(gs) - len(xs)
    if lead < 0:  # a cotangent smaller than x (a scalar cotangent of an array): broadcast it
        return np.broadcast_to(g, xs) * 1.0
    if lead:
        g = np.sum(g, axis=tuple(range(lead)))
    axes = tuple(i for i, n in enumerate(xs) if n == 1 and np.shape(g)[i] != 1)
    if axes:
        g = np.sum(g, axis=axes, keepdims=True)
    return g


def ones_like_output(y):
    """The seed cotangent of a result whose sum is differentiated: 1.0, ones of y's shape, or a
    list of those for a list or tuple of results."""
    if isinstance(y, _ndarray):
        if y.dtype.kind not in "biufc":
            raise _not_numeric(y)
        return np.ones(y.shape)
    if isinstance(y, (list, tuple)):
        return [ones_like_output(e) for e in y]
    if isinstance(y, (int, float, complex, np.number)) and not isinstance(y, (bool, np.bool_)):
        return 1.0
    raise _not_numeric(y)


def _not_numeric(y):

    return NonDifferentiableError(
        f"the function returned a {type(y).__name__} ({y!r:.60}), which has no gradient",
        hint="grad differentiates a function returning numbers or arrays (or tuples or lists of them); "
             "check that it ends with a return of the value you want to differentiate")


def zeros_like_input(x):
    """A zero gradient in x's type: 0.0 for a number, a float array of x's shape for an array,
    a list of zeros for a list or tuple."""
    if isinstance(x, _ndarray):
        return np.zeros(x.shape)
    if isinstance(x, (list, tuple)):
        return [zeros_like_input(e) for e in x]
    return 0.0


def to_float(x):
    """Promote a differentiated integer array to float64, as autograd does. An integer scalar
    stays as it is -- it may be a count (`range(n)`); its gradient is a float all the same, since
    derivative rules do not depend on the primal's type: never a silent zero."""
    if isinstance(x, _ndarray) and x.dtype.kind in "biu" and x.dtype.kind != "b":
        return x.astype(np.float64)
    return x


def as_gradient(g, x):
    """Give the gradient `g` the type and shape of the primal `x` (float, or float64 ndarray;
    a list of gradients for a list or tuple)."""
    if isinstance(x, (list, tuple)):
        if isinstance(g, (list, tuple)):
            return type(x)(as_gradient(gi, xi) for gi, xi in zip(g, x, strict=True))
        return type(x)(as_gradient(g, xi) for xi in x)
    if isinstance(x, _ndarray):
        if isinstance(g, _ndarray) and g.shape == x.shape and g.dtype.kind in "fc":
            return g
        if not isinstance(g, _ndarray) or g.ndim == 0:
            return np.full(x.shape, g, dtype=np.result_type(g, np.float64))
        return np.broadcast_to(np.asarray(g, dtype=np.result_type(g, np.float64)), x.shape).copy()
    if isinstance(g, _ndarray):
        if g.size != 1:
            return g
        g = g.reshape(())[()]
    if isinstance(g, complex):
        return g
    return _float(g)


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


def not_shared(value, name, where, others):
    """Before ``name op= ...``: an array that shares memory with another variable's value would be
    changed in place behind that variable's back, which sourcead does not differentiate (yet)."""
    if type(value) is _ndarray:
        for other in others:
            if type(other) is _ndarray and np.may_share_memory(value, other):


                filename, line, col = where
                raise UnsupportedSyntaxError(
                    f"{name} is an array that another variable also refers to, and an augmented assignment "
                    f"(+=, *=, ...) changes it in place: sourcead does not differentiate mutation yet",
                    Loc(filename, line, col, linecache.getline(filename, line).rstrip("\n")),
                    f"write {name} = {name} + ... (a new array) instead")
    return value


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
    xs = np.shape(x)
    if np.shape(g) == xs:
        return g
    try:
        out = np.empty(xs, dtype=np.result_type(g, 1.0))
        out[...] = g
    except ValueError:
        return unbroadcast(g, x)
    return out if xs else out[()]


def expand_reduced(g, x, axis=None, keepdims=False):
    """The cotangent `g` of a reduction of `x` over `axis`, spread back over x's shape (a copy)."""
    xs = np.shape(x)
    g = _with_kept_dims(g, axis, keepdims)
    out = np.empty(xs, dtype=np.result_type(g, 1.0))
    out[...] = g
    return out if xs else out[()]


def _is_basic_index(idx):
    parts = idx if isinstance(idx, tuple) else (idx,)
    return all(p is None or p is Ellipsis or isinstance(p, (int, np.integer, slice)) for p in parts)


def unindex(g, x, idx):
    """Zeros shaped like `x` with `g` added at ``x[idx]``: the adjoint of indexing.

    Repeated integer indices accumulate. `x` may be a list or tuple (the result is then a list).
    """
    if isinstance(x, (list, tuple)):
        out = [zeros_like_input(e) for e in x]
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
    return won / np.sum(won, axis=axis, keepdims=True)


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


def prod_others(x, axis=None):
    """For each element of `x`, the product of the other elements it is reduced with along `axis`.

    This is d prod / d x, computed without dividing, so it is exact where x has zeros.
    """
    if np.ndim(x) == 0:
        return np.ones_like(x, dtype=np.result_type(x, 1.0))[()]
    axes = _axes_tuple(axis, np.ndim(x))
    ends = tuple(range(-len(axes), 0))
    moved = np.moveaxis(np.asarray(x), axes, ends)
    flat = moved.reshape(moved.shape[: moved.ndim - len(axes)] + (-1,))
    ones = np.ones(flat.shape[:-1] + (1,), dtype=np.result_type(flat, 1.0))
    before = np.cumprod(np.concatenate([ones, flat[..., :-1]], axis=-1), axis=-1)
    after = np.cumprod(np.concatenate([ones, flat[..., :0:-1]], axis=-1), axis=-1)[..., ::-1]
    return np.moveaxis((before * after).reshape(moved.shape), ends, axes)


def _norm_power(x, ord, axis):
    """The p of the elementwise p-norm np.linalg.norm(x, ord, axis) computes (2 for Frobenius)."""
    ndim = np.ndim(x)
    matrix = (isinstance(axis, (tuple, list)) and len(axis) == 2) or (
        axis is None and ord is not None and ndim == 2)
    if ord is None or (matrix and ord == "fro"):
        return 2.0
    if matrix:

        raise UnsupportedCallError(
            f"np.linalg.norm of a matrix with ord={ord!r} has no derivative rule",
            hint="use ord=None or 'fro', or register a rule with @sourcead.adjoint")
    return float(ord)


def norm_weight(x, norm, ord=None, axis=None, keepdims=False):
    """d norm / d x for ``norm = np.linalg.norm(x, ord, axis, keepdims)``, in x's shape.

    Where the norm is not differentiable (a zero vector, a tie in the inf-norm) it gives a
    subgradient: 0 for a zero vector, ties shared evenly.
    """
    p = _norm_power(x, ord, axis)
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


def norm_weight_dx(x, norm, ord=None, axis=None, keepdims=False):
    """d norm_weight / d x (elementwise: the weight of x_i depends on x_i and its group's norm).

    Has no rules of its own: third derivatives of np.linalg.norm are not supported.
    """
    p = _norm_power(x, ord, axis)
    if p in (0.0, 1.0) or np.isinf(p):
        return np.zeros(np.shape(x))
    a = _nonzero_norm(norm, axis, keepdims)
    if p == 2.0:
        return np.broadcast_to(1.0 / a, np.shape(x)).copy()
    return (p - 1) * np.abs(x) ** (p - 2) / a ** (p - 1)


def norm_weight_dnorm(x, norm, ord=None, axis=None, keepdims=False):
    """d norm_weight / d norm, in x's shape (no rules of its own, like norm_weight_dx)."""
    p = _norm_power(x, ord, axis)
    if p in (0.0, 1.0) or np.isinf(p):
        return np.zeros(np.shape(x))
    return (1 - p) * norm_weight(x, norm, ord, axis, keepdims) / _nonzero_norm(norm, axis, keepdims)


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


def _einsum_spec(subscripts, a, b):
    """Two-operand einsum subscripts with '...' spelled out and the output made explicit."""
    s = subscripts.replace(" ", "")
    ins, out = s.split("->") if "->" in s else (s, None)
    subs = ins.split(",")
    if len(subs) != 2:

        raise UnsupportedCallError(f"np.einsum rules take two operands, got {subscripts!r}")
    free = [c for c in _LETTERS if c not in s]
    spans = [np.ndim(x) - (len(sub) - 3) if "..." in sub else 0 for sub, x in zip(subs, (a, b))]
    width = max(spans)
    ell = "".join(free[:width])
    sa, sb = (sub.replace("...", ell[width - n:]) for sub, n in zip(subs, spans))
    if out is None:
        plain = ins.replace("...", "").replace(",", "")
        out = ell + "".join(sorted(c for c in set(plain) if plain.count(c) == 1))
    return sa, sb, out.replace("...", ell)


def _einsum_adjoint(g, s_out, s_x, s_other, other, x):
    """The cotangent of operand `x` (subscripts s_x) of einsum(s_x, s_other -> s_out)."""
    unique = "".join(dict.fromkeys(s_x))
    have = set(s_out) | set(s_other)
    kept = "".join(c for c in unique if c in have)
    r = np.einsum(f"{s_out},{s_other}->{kept}", g, other)
    # letters that only x carries were summed away: they come back by broadcasting
    r = np.reshape(r, [np.shape(r)[kept.index(c)] if c in have else 1 for c in unique])
    sizes = dict(zip(s_x, np.shape(x)))
    full = np.zeros([sizes[c] for c in unique], dtype=np.result_type(r, 1.0))
    full[...] = unbroadcast(r, full)
    if len(unique) == len(s_x):
        return full
    out = np.zeros(np.shape(x), dtype=full.dtype)  # repeated letters: x's diagonal
    np.einsum(f"{s_x}->{unique}", out)[...] = full
    return out


def einsum_adjoint_left(g, subscripts, a, b):
    """The cotangent of `a` in ``np.einsum(subscripts, a, b)``."""
    sa, sb, so = _einsum_spec(subscripts, a, b)
    return _einsum_adjoint(g, so, sa, sb, b, a)


def einsum_adjoint_right(g, subscripts, a, b):
    """The cotangent of `b` in ``np.einsum(subscripts, a, b)``."""
    sa, sb, so = _einsum_spec(subscripts, a, b)
    return _einsum_adjoint(g, so, sb, sa, a, b)


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
        return np.asarray(g, dtype=like.dtype)
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
    if axis is None:
        return np.reshape(np.cumsum(np.ravel(g)[::-1])[::-1], np.shape(x))
    return np.flip(np.cumsum(np.flip(g, axis), axis), axis)


# ---- helpers of the NumPy rules (ufuncs, reductions, scans, shapes, indexing) --------------------


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
    """A vector as a one-column matrix; a matrix as it is."""
    return np.reshape(v, (np.shape(v)[0], -1))


def column_outer(u, v):
    """u @ v^T for vectors or matrices of columns: the outer product of a solve's two sides."""
    return as_matrix(u) @ mT(as_matrix(v))


_GENERAL = (None, "gen", "general")
_SYMMETRIC = ("sym", "her", "pos", "symmetric", "hermitian", "positive definite")


def effective_matrix(a, assume_a=None, lower=False, transposed=False):
    """The matrix scipy.linalg.solve or inv really uses for `a`: a itself (or a^T when
    `transposed`), or for a symmetric `assume_a` the symmetric matrix of the triangle `lower`
    names. Other structures (banded, diagonal, triangular...) are refused."""
    if assume_a in _GENERAL:
        return mT(a) if transposed else a
    if assume_a in _SYMMETRIC:
        return symmetric_from_triangle(a, lower)
    from .errors import UnsupportedCallError

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
    """Square matrices with `d` (its last axis) on the diagonal: the adjoint of `diagonal`."""
    n = np.shape(d)[-1]
    return np.expand_dims(d, -1) * np.eye(n)


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
        from .errors import UnsupportedCallError

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
    rows, cols = (axis[0] % np.ndim(x), axis[1] % np.ndim(x)) if axis is not None else (0, 1)
    m = np.moveaxis(x, (rows, cols), (-2, -1))
    n = np.expand_dims(np.moveaxis(_with_kept_dims(norm, axis, keepdims) * np.ones(np.shape(x)),
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
        return np.sign(m) * won / np.sum(won, axis=(-2, -1), keepdims=True)
    from .errors import UnsupportedCallError

    raise UnsupportedCallError(f"np.linalg.norm of a matrix with ord={ord!r} has no derivative rule",
                               hint="use ord in None, 'fro', 'nuc', 1, -1, 2, -2, inf, -inf")


def residual_cotangent(g, k):
    """The cotangent `g` of np.linalg.lstsq's residuals as k column weights: zeros when lstsq
    returned no residuals (an empty array: a wide or rank-deficient matrix)."""
    return g if np.shape(g)[0] else np.zeros(k)


def residual_tangent(v, residuals):
    """The tangent `v` of np.linalg.lstsq's residuals, or an empty one like `residuals`."""
    return v if np.shape(residuals)[0] else np.zeros(0)


def square_r(r):
    """`r`, after checking it is square: the R of np.linalg.qr's reduced mode for a square or tall
    matrix, which is what the qr rules differentiate."""
    if np.shape(r)[-1] != np.shape(r)[-2]:
        from .errors import UnsupportedCallError

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
    if not compute_uv or hermitian or (full_matrices and np.shape(a)[-1] != np.shape(a)[-2]):
        from .errors import UnsupportedCallError

        raise UnsupportedCallError(
            "np.linalg.svd is differentiated with compute_uv=True, hermitian=False, and "
            "full_matrices=False for a matrix that is not square",
            hint="write np.linalg.svd(a, full_matrices=False) (and take [1] for the singular values alone)")
    return inverse_gaps(usv[1] ** 2)


def as_columns(v, a, b):
    """`v` (shaped like np.linalg.solve(a, b) or like b) as a stack of matrices: a vector b (one
    NumPy solves as a vector) gains a trailing axis of length 1."""
    return np.expand_dims(v, -1) if _solve_vector(a, b) else v


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
    bottom = np.concatenate([np.zeros(np.shape(a)), a], axis=-1)
    return np.concatenate([top, bottom], axis=-2)


def upper_right_block(x):
    """The top-right quarter of `x` (of each matrix in a stack, or in a list)."""
    if isinstance(x, (list, tuple)):
        return [upper_right_block(e) for e in x]
    n, m = np.shape(x)[-2] // 2, np.shape(x)[-1] // 2
    return x[..., :n, m:] * 1.0


def diagonal_blocks_sum(x):
    """The sum of the top-left and bottom-right quarters of `x` (of each matrix in a stack, or in a
    list): with `upper_right_block`, the adjoint of `block_triangular`."""
    if isinstance(x, (list, tuple)):
        return [diagonal_blocks_sum(e) for e in x]
    n, m = np.shape(x)[-2] // 2, np.shape(x)[-1] // 2
    return x[..., :n, :m] + x[..., n:, m:]


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
        return cov * np.eye(np.shape(x)[-1] if np.ndim(x) else 1)
    if np.ndim(cov) == 1:
        return diag_embed(cov)
    return symmetric_from_triangle(cov, "L")


def covariance_adjoint(g, cov):
    """The adjoint of `as_covariance` in cov: the cotangent `g` of the matrix mapped back to cov."""
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
