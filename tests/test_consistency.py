"""Self-consistency of sourcead's modes over every catalog function (tests/catalog/*.py).

Without any outside reference, the modes must agree with each other:

* jvp and vjp are transposes: <v, J u> == <J^T v, u> for random u and v;
* grad equals vjp with a cotangent of ones (the gradient of the sum);
* the forward Jacobian (columns by jvp) equals the reverse one (rows by vjp);
* on the higher-order catalog: the Hessian is symmetric and equals the Jacobian of the gradient.

Each case runs on its own inputs and on variants where the function accepts them: a float made a
0-d array, an array cut to length 1 on every axis, an array emptied along its first axis (a variant
is kept when the function runs on it without warnings and returns finite numbers). Then list and
tuple primals, which vjp and jvp used to skip (None, or a zero tangent) while grad was right.
"""

import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

import catalog  # noqa: E402
import catalog.control_flow as control_flow  # noqa: E402
import catalog.higher_order as higher_order  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402
from catalog_checks import all_float_args, is_float_like, output_of  # noqa: E402
from oracle import assert_close, numeric_grad  # noqa: E402

import sourcead  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

RTOL, ATOL = 1e-9, 1e-10  # exact against exact: only rounding differs
MAX_JACOBIAN = 12  # forward and reverse Jacobians are compared when both sides are this small

ALL = catalog.cases(straight_line) + catalog.cases(control_flow) + catalog.cases(higher_order)
FLOAT_CASES = [c for c in ALL if all_float_args(c)]


# ---- inputs: the case's own, and 0-d, length-1 and empty variants ---------------------------------


def _accepted(fn, args):
    """f's output on args, or None when f does not accept them (raises, warns, non-finite)."""
    try:
        with warnings.catch_warnings(), _line_budget(20_000):
            warnings.simplefilter("error")
            out = fn(*_copy(args))
    except Exception:
        return None
    parts = out if isinstance(out, tuple) else (out,)
    if not parts or not all(is_float_like(p) or isinstance(p, (int, np.integer)) for p in parts):
        return None
    if not all(np.all(np.isfinite(p)) for p in parts):
        return None
    return out


class _TooLong(Exception):
    pass


class _line_budget:
    """Stop a call after `n` lines: a loop `while norm(b) < 1000` never ends on an empty b."""

    def __init__(self, n):
        self.left = n

    def _trace(self, frame, event, arg):
        if event == "line":
            self.left -= 1
            if self.left < 0:
                raise _TooLong()
        return self._trace

    def __enter__(self):
        self.previous = sys.gettrace()
        sys.settrace(self._trace)

    def __exit__(self, *exc):
        sys.settrace(self.previous)
        return False


def _copy(args):
    return tuple(a.copy() if isinstance(a, np.ndarray) else a for a in args)


_VARIANTS: dict = {}


def variants(case) -> tuple:
    if case.id not in _VARIANTS:
        _VARIANTS[case.id] = tuple(_make_variants(case))
    return _VARIANTS[case.id]


def _make_variants(case):
    """(label, args) pairs: the case's own inputs, then each argument in turn made 0-d, cut to
    length 1 or emptied, where the function accepts it."""
    args = case.make_args()
    yield "as-is", args
    for i, a in enumerate(args):
        options = []
        if isinstance(a, float):
            options.append(("0d", np.asarray(a)))
        elif isinstance(a, np.ndarray) and a.ndim >= 1:
            options.append(("len1", a[(slice(0, 1),) * a.ndim].copy()))
            options.append(("empty", a[:0].copy()))
        for label, new in options:
            changed = args[:i] + (new,) + args[i + 1:]
            if _accepted(case.fn, changed) is not None:
                yield f"{label}-arg{i}", changed


def _random_like(x, rs):
    if isinstance(x, tuple):
        return tuple(_random_like(e, rs) for e in x)
    if isinstance(x, np.ndarray):
        return rs.normal(size=x.shape)
    return float(rs.normal())


def _inner(a, b) -> float:
    """<a, b> summed over tuples and arrays (None counts as zero)."""
    if a is None or b is None:
        return 0.0
    if isinstance(a, (tuple, list)):
        return sum(_inner(x, y) for x, y in zip(a, b, strict=True))
    return float(np.sum(np.asarray(a, dtype=float) * np.asarray(b, dtype=float)))


def _ones_like(x):
    if isinstance(x, tuple):
        return tuple(_ones_like(e) for e in x)
    return np.ones(np.shape(x)) if isinstance(x, np.ndarray) else 1.0


def _close(a, b, what):
    a, b = float(a), float(b)
    scale = max(1.0, abs(a), abs(b))
    assert abs(a - b) <= 1e-9 * scale, f"{what}: {a!r} != {b!r}"


# ---- jvp and vjp are transposes; grad is vjp with ones -----------------------------------------------


def check_transpose(case, args, label):
    out = _accepted(case.fn, args)
    rs = np.random.RandomState(7)
    u = tuple(_random_like(a, rs) for a in args)
    v = _random_like(out, rs)
    value, ju = sourcead.jvp(case.fn, _copy(args), u)
    _, pullback = sourcead.vjp(case.fn, *_copy(args))
    jtv = pullback(v)
    _close(_inner(v, ju), _inner(jtv, u), f"{case.id} [{label}]: <v, J u> vs <J^T v, u>")
    assert all(np.shape(g) == np.shape(a) for g, a in zip(jtv, args, strict=True)), \
        f"{case.id} [{label}]: cotangent shapes {[np.shape(g) for g in jtv]} vs {[np.shape(a) for a in args]}"


def check_grad_is_vjp_of_ones(case, args, label):
    out = _accepted(case.fn, args)
    positions = tuple(range(len(args)))
    g = sourcead.grad(case.fn, wrt=positions)(*_copy(args))
    _, pullback = sourcead.vjp(case.fn, *_copy(args))
    ones = pullback(_ones_like(out))
    for i, (a, b) in enumerate(zip(g, ones, strict=True)):
        assert_close(a, np.asarray(b) if isinstance(args[i], np.ndarray) else b, RTOL, ATOL,
                     f"{case.id} [{label}]: grad vs vjp(ones), argument {i}")


def _basis(x):
    if isinstance(x, np.ndarray):
        for k in range(x.size):
            e = np.zeros(x.size)
            e[k] = 1.0
            yield e.reshape(x.shape)
    else:
        yield 1.0


def check_forward_and_reverse_jacobians(case, args, label):
    """Column j by jvp along e_j equals column j of the rows vjp gives for each e_i of the output."""
    out = _accepted(case.fn, args)
    if isinstance(out, tuple):
        return
    n, m = sum(int(np.size(a)) for a in args), int(np.size(out))
    if n > MAX_JACOBIAN or m > MAX_JACOBIAN:
        return
    columns = []
    for i, a in enumerate(args):
        for e in _basis(a):
            tangents = tuple(e if j == i else None for j in range(len(args)))
            columns.append(np.reshape(sourcead.jvp(case.fn, _copy(args), tangents)[1], -1))
    forward = np.stack(columns, axis=-1) if columns else np.zeros((m, 0))
    _, pullback = sourcead.vjp(case.fn, *_copy(args))
    rows = []
    for e in _basis(np.asarray(out, dtype=float) if isinstance(out, np.ndarray) else float(out)):
        cts = pullback(e)
        rows.append(np.concatenate([np.reshape(c, -1) for c in cts]) if cts else np.zeros(0))
    reverse = np.stack(rows, axis=0) if rows else np.zeros((0, n))
    assert_close(forward.reshape(m, n), reverse.reshape(m, n), RTOL, ATOL,
                 f"{case.id} [{label}]: forward vs reverse Jacobian")


# (case id, variant label) -> why the derivative fails there today
KNOWN: dict = {}  # none left: prod_others handles empty arrays


def _mode_params():
    out = []
    for case in FLOAT_CASES:
        for label, args in variants(case):
            reason = KNOWN.get((case.id, label))
            marks = [pytest.mark.xfail(strict=True, raises=ValueError, reason=reason)] if reason else []
            out.append(pytest.param(case, label, args, marks=marks, id=f"{case.id}-{label}"))
    return out


# normalize on an empty array: the primal divides an empty array by 0 (no warning), its derivative
# divides the scalar 0 by 0 (a warning, and a nan that multiplies only empty arrays)
@pytest.mark.filterwarnings("ignore:invalid value encountered in scalar divide:RuntimeWarning")
@pytest.mark.parametrize("case, label, args", _mode_params())
def test_modes_agree(case, label, args):
    check_transpose(case, args, label)
    check_grad_is_vjp_of_ones(case, args, label)
    check_forward_and_reverse_jacobians(case, args, label)


def test_known_failures_are_still_variants():
    """Each KNOWN entry names a variant that exists (so its xfail is not silently dropped)."""
    ids = {(c.id, label) for c in FLOAT_CASES for label, _ in variants(c)}
    assert set(KNOWN) <= ids


def test_the_variants_reach_0d_length_1_and_empty_inputs():
    """The variants are not vacuous: many cases run on each kind of edge input."""
    labels = [label.split("-")[0] for c in FLOAT_CASES for label, _ in variants(c)]
    assert labels.count("0d") >= 50 and labels.count("len1") >= 50 and labels.count("empty") >= 10, \
        {k: labels.count(k) for k in ("as", "0d", "len1", "empty")}


# ---- the Hessian: symmetric, the Jacobian of the gradient ------------------------------------------


def _second_order_cases():
    out = []
    for c in catalog.cases(higher_order):
        args = c.make_args()
        if c.make_kwargs() or isinstance(c.wrt, (tuple, list)) or not isinstance(c.wrt, int):
            continue
        x = args[c.wrt]
        if is_float_like(x) and np.size(x) <= MAX_JACOBIAN and np.ndim(output_of(c)) == 0:
            out.append(c)
    return out


SECOND = _second_order_cases()


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in SECOND])
def test_the_hessian_is_symmetric_and_the_jacobian_of_the_gradient(case):
    args = case.make_args()
    x = args[case.wrt]
    n = int(np.size(x))
    H = np.reshape(sourcead.hessian(case.fn, wrt=case.wrt)(*_copy(args)), (n, n))
    assert_close(H, H.T, 1e-8, 1e-9, f"{case.id}: Hessian symmetry")
    J = sourcead.jacobian(sourcead.grad(case.fn, wrt=case.wrt), wrt=case.wrt)(*_copy(args))
    assert_close(np.reshape(J, (n, n)), H, 1e-8, 1e-9, f"{case.id}: Jacobian of grad vs hessian")


def test_there_are_second_order_cases():
    assert len(SECOND) >= 30


# ---- list and tuple primals: vjp and jvp differentiate them like grad ------------------------------


def concatenate(xs):
    return np.sum(np.concatenate(xs) ** 2)


def stack(xs):
    return np.sum(np.sin(np.stack(xs)) * np.arange(1.0, 3.0)[:, None])


def vstack(xs):
    return np.sum(np.vstack(xs) ** 3)


def hstack(xs):
    return np.sum(np.hstack(xs) * np.hstack(xs)[::-1])


def column_stack(xs):
    return np.sum(np.column_stack(xs) ** 2 * np.array([1.0, 2.0]))


def append(xs):
    return np.sum(np.append(xs[0], xs[1]) ** 2)


def select(xs, x):
    return np.sum(np.select([x > 0, x <= 0], xs) ** 2)


def tuple_items(t):
    return t[0] * t[1] ** 2


def nested(t):
    return t[0][0] * t[0][1] + np.sum(t[1] ** 2)


def list_and_scalar(xs, y):
    return np.sum(np.stack([xs[0] * y, xs[1]]) ** 2)


A, B = np.array([1.0, -2.0, 0.5]), np.array([0.3, 1.5, -1.0])
CONTAINER_CASES = [
    (concatenate, ([A, B[:2]],)),
    (concatenate, ((A, B),)),
    (stack, ([A, B],)),
    (vstack, ((A, B),)),
    (hstack, ([A, B],)),
    (column_stack, ([A, B],)),
    (append, ([A, B],)),
    (select, ([A, B], np.array([1.0, -1.0, 2.0]))),
    (tuple_items, ((2.0, 3.0),)),
    (tuple_items, ([2.0, 3.0],)),
    (nested, (((2.0, 3.0), A),)),
    (list_and_scalar, ([A, B], 1.5)),
]


def _container_params():
    out = []
    for i, (fn, args, *no_rule) in enumerate(CONTAINER_CASES):
        marks = [pytest.mark.xfail(strict=True, raises=sourcead.UnsupportedCallError,
                                   reason=f"needs: a rule for {no_rule[0]} (sourcead/rules/numpy_.py)")] if no_rule else []
        out.append(pytest.param(fn, args, marks=marks, id=f"{fn.__name__}-{type(args[0]).__name__}{i}"))
    return out


def _flat_basis_directions(args, rs):
    return tuple(_random_structure(a, rs) for a in args)


def _random_structure(a, rs):
    if isinstance(a, (list, tuple)):
        return type(a)(_random_structure(e, rs) for e in a)
    return rs.normal(size=a.shape) if isinstance(a, np.ndarray) else float(rs.normal())


def _same_structure(g, x, what):
    assert type(g) is type(x), f"{what}: a {type(x).__name__}'s derivative is a {type(g).__name__}"
    if isinstance(x, (list, tuple)):
        assert len(g) == len(x), what
        for k, (gi, xi) in enumerate(zip(g, x)):
            _same_structure(gi, xi, f"{what}[{k}]")
    elif isinstance(x, np.ndarray):
        assert g.shape == x.shape and g.dtype.kind == "f", f"{what}: {g!r} for shape {x.shape}"


@pytest.mark.parametrize("fn, args", _container_params())
def test_vjp_and_jvp_differentiate_list_and_tuple_primals(fn, args):
    """Regression: vjp returned None as a list's cotangent and jvp a zero tangent (grad was right)."""
    g = sourcead.grad(fn, wrt=tuple(range(len(args))))(*args)
    def on_a_vector(vector):
        return fn(*_from_vector(args, vector))

    fd = numeric_grad(on_a_vector, (_to_vector(args),), 0)
    assert_close(_to_vector(g), fd, 1e-6, 1e-8, "grad vs finite differences")
    out, pullback = sourcead.vjp(fn, *args)
    cts = pullback(1.0)
    for i, (c, a) in enumerate(zip(cts, args, strict=True)):
        _same_structure(c, a, f"vjp cotangent of argument {i}")
    assert_close(_flatten(cts), _flatten(g), RTOL, ATOL, "vjp(1) vs grad")
    u = _flat_basis_directions(args, np.random.RandomState(3))
    value, t = sourcead.jvp(fn, args, u)
    assert value == out
    _close(t, _inner(_flatten(g), _flatten(u)), "jvp vs <grad, u>")


def _flatten(x) -> tuple:
    if isinstance(x, (list, tuple)):
        return tuple(leaf for e in x for leaf in _flatten(e))
    return (x,)


def _to_vector(x) -> np.ndarray:
    return np.concatenate([np.reshape(leaf, -1) for leaf in _flatten(x)]).astype(float)


def _from_vector(like, vector):
    """`like`'s structure with its leaves read in order from `vector`."""
    at = [0]

    def build(x):
        if isinstance(x, (list, tuple)):
            return type(x)(build(e) for e in x)
        n = int(np.size(x))
        chunk = vector[at[0]:at[0] + n]
        at[0] += n
        return chunk.reshape(np.shape(x)) if isinstance(x, np.ndarray) else chunk[0]

    return build(like)


def test_hvp_of_a_tuple_primal():
    """Regression: hvp (forward over reverse) gave (0.0, 0.0), the jvp's tangent being dropped.
    H of t0 * t1**2 is [[0, 2 t1], [2 t1, 2 t0]]."""
    got = sourcead.hvp(tuple_items)((2.0, 3.0), (1.0, 0.5))
    assert_close(got, (3.0, 6.0 + 2.0), RTOL, ATOL, "hvp")


def test_grad_of_grad_and_value_and_grad_of_a_tuple_primal():
    assert sourcead.value_and_grad(tuple_items)((2.0, 3.0)) == (18.0, (9.0, 12.0))
    # the gradient of the sum of the gradient: d/dt (t1**2 + 2 t0 t1) = (2 t1, 2 t0 + 2 t1)
    assert sourcead.grad(sourcead.grad(tuple_items))((2.0, 3.0)) == (6.0, 10.0)


def test_jacobian_of_a_tuple_primal():
    """Reverse rows: the cotangent of the tuple, flattened. (A tuple's Jacobian by forward columns
    would need hessian-style blocks per element; jacobian refuses it, through jvp.)"""
    got = sourcead.jacobian(tuple_items)((2.0, 3.0))
    assert_close(got, np.array([9.0, 12.0]), RTOL, ATOL, "jacobian")


def test_hessian_of_a_tuple_primal_is_refused_not_wrong():
    """hessian takes one basis vector per element of an array; a tuple gets one, so the blocks
    cannot be built. Until hessian builds blocks per element, it is refused (it crashed with a
    reshape ValueError)."""
    with pytest.raises(sourcead.UsageError, match="tuple"):
        sourcead.hessian(tuple_items)((2.0, 3.0))


def test_a_list_of_ints_is_not_differentiated_by_vjp():
    """An int is a count or an index for vjp: a list of them gets None, as an int does."""
    _, pullback = sourcead.vjp(list_and_scalar, [np.array([1, 2]), np.array([3, 4])], 2.0)
    cts = pullback(1.0)
    assert cts[0] is None and cts[1] == pytest.approx(2 * 2.0 * 5.0)
