"""The run-time helpers that rules call: shapes, dtypes, fresh writable results, edge cases.

Their derivatives are checked in test_rules.py; here they are checked as plain functions, against
brute-force references, and for the properties generated code relies on: a cotangent is never a
read-only view, float inputs stay float, inputs are never written to.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sourcead import runtime as rt
from sourcead.errors import UnsupportedCallError

rng = np.random.default_rng(7)


def fresh(a):
    return isinstance(a, np.ndarray) and a.flags.writeable and a.flags.owndata


# ---- unbroadcast and broadcast_like: adjoint to each other ---------------------------------------


@st.composite
def broadcast_pair(draw):
    """A shape and a smaller shape that broadcasts to it."""
    big = draw(st.lists(st.integers(1, 4), min_size=0, max_size=4))
    drop = draw(st.integers(0, len(big)))
    small = [n if draw(st.booleans()) else 1 for n in big[drop:]]
    return tuple(big), tuple(small)


@settings(max_examples=60, deadline=None)
@given(broadcast_pair())
def test_unbroadcast_and_broadcast_like_are_adjoint(shapes):
    big, small = shapes
    g, v = rng.standard_normal(big), rng.standard_normal(small)
    down = rt.unbroadcast(g, v)
    up = rt.broadcast_like(v, g)
    assert np.shape(down) == small and np.shape(up) == big
    np.testing.assert_allclose(np.sum(down * v), np.sum(g * up))
    if small != big:
        assert fresh(up)


def test_broadcast_like_returns_its_argument_when_shapes_agree():
    g = rng.standard_normal((2, 3))
    assert rt.broadcast_like(g, np.zeros((2, 3))) is g
    assert rt.broadcast_like(2.0, 3.0) == 2.0


def test_broadcast_like_of_a_scalar_is_a_float_array():
    out = rt.broadcast_like(2, np.zeros((2, 2)))
    assert out.dtype == np.float64 and fresh(out) and np.all(out == 2.0)


def test_broadcast_like_sums_down_a_larger_value():
    np.testing.assert_allclose(rt.broadcast_like(np.ones((2, 3)), np.zeros(3)), [2.0, 2.0, 2.0])


def test_unbroadcast_of_a_scalar_cotangent_is_writable():
    out = rt.unbroadcast(1.5, np.zeros((2, 2)))
    assert out.shape == (2, 2) and out.flags.writeable


# ---- reductions ------------------------------------------------------------------------------------


@pytest.mark.parametrize("axis, keepdims", [(None, False), (None, True), (0, False), (-1, True),
                                            ((0, 2), False), ((0, 2), True)])
def test_expand_reduced_is_the_adjoint_of_sum(axis, keepdims):
    x = rng.standard_normal((2, 3, 4))
    g = rng.standard_normal(np.shape(np.sum(x, axis=axis, keepdims=keepdims)))
    out = rt.expand_reduced(g, x, axis, keepdims)
    assert out.shape == x.shape and fresh(out)
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.sum(x, axis=axis, keepdims=keepdims)))


def test_expand_reduced_of_a_scalar_input_is_a_scalar():
    out = rt.expand_reduced(2.0, 3.0)
    assert np.shape(out) == () and not isinstance(out, np.ndarray)


def test_expand_reduced_keeps_float32_and_promotes_ints():
    assert rt.expand_reduced(np.float32(1.0), np.zeros(3, np.float32)).dtype == np.float32
    assert rt.expand_reduced(np.array([1, 2]), np.zeros((2, 2)), 1).dtype == np.float64


def test_extremum_share_splits_ties():
    x = np.array([[1.0, 5.0, 5.0, 5.0], [0.0, -1.0, 2.0, 2.0]])
    share = rt.extremum_share(x, x.max(axis=1), 1)
    np.testing.assert_allclose(share, [[0, 1 / 3, 1 / 3, 1 / 3], [0, 0, 0.5, 0.5]])


@pytest.mark.parametrize("axis", [None, 0, 1, (0, 2), -1])
def test_prod_others_matches_brute_force_with_zeros(axis):
    x = rng.standard_normal((3, 4, 2))
    x[0, 1, 0] = 0.0
    x[2, 2, 1] = 0.0
    x[2, 3, 1] = 0.0
    got = rt.prod_others(x, axis)
    want = np.empty_like(x)
    axes = tuple(range(3)) if axis is None else np.atleast_1d(axis) % 3
    for idx in np.ndindex(x.shape):
        group = [j for j in np.ndindex(x.shape)
                 if all(j[a] == idx[a] for a in range(3) if a not in axes) and j != idx]
        want[idx] = np.prod([x[j] for j in group])
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_prod_others_of_a_scalar_is_one():
    assert rt.prod_others(3.0) == 1.0


# ---- indexing --------------------------------------------------------------------------------------


@pytest.mark.parametrize("idx", [2, slice(1, 4), (1, slice(None, None, 2)), (None, Ellipsis, 1),
                                 np.array([0, 2, 2, 4, 0]), [1, 1, 3], np.array([True, False, True, True, False]),
                                 (np.array([0, 0]), np.array([1, 1]))])
def test_unindex_is_the_adjoint_of_indexing(idx):
    x = rng.standard_normal((5, 4))
    g = rng.standard_normal(np.shape(x[idx]))
    g_before = g.copy()
    out = rt.unindex(g, x, idx)
    assert out.shape == x.shape and fresh(out) and out.dtype == np.float64
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * x[idx]))
    np.testing.assert_array_equal(g, g_before)


def test_unindex_accumulates_repeated_indices():
    np.testing.assert_array_equal(rt.unindex(np.ones(3), np.zeros(3), [1, 1, 1]), [0.0, 3.0, 0.0])


def test_unindex_of_a_list_is_a_list():
    assert rt.unindex(2.5, [1.0, 2.0, 3.0], 1) == [0.0, 2.5, 0.0]
    assert rt.unindex([1.0, 2.0], [0.0, 0.0, 0.0], slice(1, 3)) == [0.0, 1.0, 2.0]


# ---- elementwise helpers ------------------------------------------------------------------------


def test_log_or_zero():
    np.testing.assert_array_equal(rt.log_or_zero(np.array([0.0, 1.0])), [0.0, 0.0])
    assert np.isclose(rt.log_or_zero(np.e), 1.0)


def test_tie_share():
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 4.0])
    np.testing.assert_array_equal(rt.tie_share(x, np.maximum(x, y), y), [0.5, 1.0, 0.0])
    assert rt.tie_share(2.0, 2.0, 1.0) == 1.0


def test_clip_mask_partitions_the_result():
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0])
    lo, hi = -1.0, np.array([1.0, 1.0, 1.0, 1.0, 3.0])
    parts = [rt.clip_mask(x, lo, hi, p) for p in ("x", "a_min", "a_max")]
    np.testing.assert_array_equal(sum(parts), np.ones(5))
    np.testing.assert_array_equal(parts[0], [0, 1, 1, 1, 1])
    np.testing.assert_array_equal(parts[1], [1, 0, 0, 0, 0])


def test_clip_mask_with_crossed_bounds_takes_a_max():
    # np.clip returns a_max where a_min > a_max
    assert rt.clip_mask(0.0, 1.0, -1.0, "a_max") == 1.0
    assert rt.clip_mask(0.0, 1.0, -1.0, "a_min") == 0.0


def test_clip_mask_without_bounds():
    np.testing.assert_array_equal(rt.clip_mask(np.array([-5.0, 5.0]), None, 1.0, "x"), [1.0, 0.0])
    assert rt.clip_mask(3.0, None, None, "x") == 1.0


# ---- norms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("ord, axis", [(None, None), (1, None), (np.inf, None), (-np.inf, None), (3, None),
                                       (None, 1), (1, 0), ("fro", None), (None, (0, 1))])
def test_norm_weight_is_the_gradient_of_norm(ord, axis):
    x = rng.standard_normal(5) if ord not in (None, "fro") and axis is None else rng.standard_normal((3, 4))
    norm = np.linalg.norm(x, ord, axis)
    w = rt.norm_weight(x, norm, ord, axis)
    fd = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = 1e-6
        fd[i] = np.sum(np.linalg.norm(x + e, ord, axis) - np.linalg.norm(x - e, ord, axis)) / 2e-6
    np.testing.assert_allclose(w, fd, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("ord", ["nuc", 2, -2, 1, -1, np.inf, -np.inf])
def test_norm_weight_of_matrix_norms_is_matrix_norm_weight(ord):
    x = rng.standard_normal((3, 4))
    norm = np.linalg.norm(x, ord)
    np.testing.assert_array_equal(rt.norm_weight(x, norm, ord), rt.matrix_norm_weight(x, norm, ord))


def test_norm_weight_refuses_a_matrix_ord_numpy_does_not_have():
    x = rng.standard_normal((3, 3))
    with pytest.raises(UnsupportedCallError, match="ord=3"):
        rt.norm_weight(x, 1.0, 3)


# ---- products -------------------------------------------------------------------------------------


@pytest.mark.parametrize("a_shape, b_shape", [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 4)), ((2, 3), (3, 4)),
                                              ((5, 2, 3), (3, 4)), ((2, 3), (5, 3, 4)), ((5, 1, 2, 3), (4, 3, 2))])
def test_matmul_adjoints(a_shape, b_shape):
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    g = rng.standard_normal(np.shape(a @ b))
    da, db = rt.matmul_adjoint_left(g, a, b), rt.matmul_adjoint_right(g, a, b)
    assert da.shape == a.shape and db.shape == b.shape
    va, vb = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    np.testing.assert_allclose(np.sum(da * va), np.sum(g * (va @ b)))
    np.testing.assert_allclose(np.sum(db * vb), np.sum(g * (a @ vb)))


@pytest.mark.parametrize("a_shape, b_shape, axes", [((2, 3), (3, 4), 1), ((2, 3, 4), (3, 4, 5), 2),
                                                    ((2,), (3,), 0), ((3, 2, 4), (2, 5, 3), ([1, 0], [0, 2])),
                                                    ((3, 4), (4, 3), ([0, 1], [1, 0]))])
def test_tensordot_adjoints(a_shape, b_shape, axes):
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    g = rng.standard_normal(np.shape(np.tensordot(a, b, axes)))
    va, vb = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    np.testing.assert_allclose(np.sum(rt.tensordot_adjoint_left(g, a, b, axes) * va),
                               np.sum(g * np.tensordot(va, b, axes)))
    np.testing.assert_allclose(np.sum(rt.tensordot_adjoint_right(g, a, b, axes) * vb),
                               np.sum(g * np.tensordot(a, vb, axes)))


@pytest.mark.parametrize("a_shape, b_shape", [((), (3,)), ((3,), (3,)), ((2, 3), (3, 4)), ((2, 3, 4), (5, 4, 2))])
def test_dot_and_inner_axes_reproduce_numpy(a_shape, b_shape):
    a, b = rng.standard_normal(a_shape), rng.standard_normal(b_shape)
    np.testing.assert_allclose(np.tensordot(a, b, rt.dot_axes(a, b)), np.dot(a, b))
    b_inner = rng.standard_normal(b_shape[:-1] + a_shape[-1:]) if a_shape else b
    np.testing.assert_allclose(np.tensordot(a, b_inner, rt.inner_axes(a, b_inner)), np.inner(a, b_inner))


@pytest.mark.parametrize("shape, offset, axis1, axis2", [((3, 3), 0, 0, 1), ((3, 5), 2, 0, 1), ((5, 3), -1, 0, 1),
                                                         ((2, 3, 4), 1, 2, 1), ((3, 3), 5, 0, 1)])
def test_untrace_is_the_adjoint_of_trace(shape, offset, axis1, axis2):
    x = rng.standard_normal(shape)
    g = rng.standard_normal(np.shape(np.trace(x, offset, axis1, axis2)))
    out = rt.untrace(g, x, offset, axis1, axis2)
    assert out.shape == x.shape and fresh(out)
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.trace(x, offset, axis1, axis2)))


# ---- axes, casts, sequences ----------------------------------------------------------------------


@pytest.mark.parametrize("axes", [(1, 2, 0), (-1, 0, 1), (0, 1, 2)])
def test_inverse_axes(axes):
    x = rng.standard_normal((2, 3, 4))
    np.testing.assert_array_equal(np.transpose(np.transpose(x, axes), rt.inverse_axes(axes, 3)), x)
    assert rt.inverse_axes(None, 3) is None


@pytest.mark.parametrize("varargs, axes", [((), None), ((None,), None), (((1, 0),), (1, 0)), ((1, 0), (1, 0)),
                                           (([2, 0, 1],), (2, 0, 1))])
def test_transpose_axes(varargs, axes):
    assert rt.transpose_axes(varargs) == axes


def test_cast_like():
    g = np.ones(3)
    assert rt.cast_like(g, np.zeros(3), float) is g
    assert rt.cast_like(g, np.zeros(3, np.float32)).dtype == np.float32
    zero = rt.cast_like(g, np.zeros(3, int), int)
    assert zero.dtype == np.float64 and not zero.any() and fresh(zero)
    assert rt.cast_like(1.0, 2.0, bool) == 0.0


def test_unpack_like_mirrors_nesting():
    g = np.arange(6.0).reshape(3, 2)
    out = rt.unpack_like(g, [(1.0, 2.0), [3, 4], np.zeros(2)])
    assert isinstance(out, list) and len(out) == 3
    assert out[0] == [0.0, 1.0] and out[1] == [2.0, 3.0]
    np.testing.assert_array_equal(out[2], [4.0, 5.0])
    assert all(isinstance(v, float) for v in out[0])
    assert rt.unpack_like(g, [[1, 2], [3, 4], [5, 6]], int) == [[0.0, 0.0]] * 3


def test_unsum():
    parts = rt.unsum(np.ones((2, 3)), [np.zeros(3), np.zeros((2, 3)), 0.0])
    assert [np.shape(p) for p in parts] == [(3,), (2, 3), ()]
    np.testing.assert_array_equal(parts[0], [2.0, 2.0, 2.0])
    assert parts[2] == 6.0
    out = rt.unsum(np.ones(3), np.zeros((4, 3)))
    assert out.shape == (4, 3) and fresh(out)


@pytest.mark.parametrize("join, arrays, kwargs", [
    (np.concatenate, [np.zeros((2, 3)), np.zeros((4, 3))], {"axis": 0}),
    (np.concatenate, [np.zeros((2, 3)), np.zeros((2, 1))], {"axis": 1}),
    (np.concatenate, [np.zeros((2, 2)), np.zeros(3)], {"axis": None}),
    (np.hstack, [np.zeros(3), 0.0, np.zeros(2)], {}),
    (np.hstack, [np.zeros((2, 3)), np.zeros((2, 1))], {}),
    (np.vstack, [np.zeros(3), np.zeros(3)], {}),
    (np.vstack, [np.zeros((2, 3)), np.zeros((1, 3))], {}),
])
def test_unconcatenate_and_reconcatenate_invert_each_other(join, arrays, kwargs):
    g = rng.standard_normal(np.shape(join(arrays, **kwargs)))
    axis = kwargs.get("axis", 0) if join is not np.hstack else rt.hstack_axis(g)
    pieces = rt.unconcatenate(g, arrays, axis)
    assert [np.shape(p) for p in pieces] == [np.shape(a) for a in arrays]
    np.testing.assert_array_equal(rt.reconcatenate(pieces, g, axis), np.ravel(g) if axis is None else g)
    np.testing.assert_array_equal(join(pieces, **kwargs), g)


def test_unstack():
    g = rng.standard_normal((2, 3, 4))
    for axis in range(3):
        pieces = rt.unstack(g, axis)
        assert isinstance(pieces, list)
        np.testing.assert_array_equal(np.stack(pieces, axis=axis), g)


@pytest.mark.parametrize("shape, repeats, axis", [((2, 3), 2, None), ((3, 2), [1, 0, 2], 0), ((2, 3), 3, 1),
                                                  ((3,), np.array([2]), 0), ((2, 2), [1, 2, 0, 1], None)])
def test_unrepeat_is_the_adjoint_of_repeat(shape, repeats, axis):
    x = rng.standard_normal(shape)
    g = rng.standard_normal(np.shape(np.repeat(x, repeats, axis)))
    out = rt.unrepeat(g, x, repeats, axis)
    assert out.shape == x.shape
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.repeat(x, repeats, axis)))


@pytest.mark.parametrize("shape, reps", [((2, 3), (2, 1)), ((3,), 3), ((2, 3), (2, 1, 2)), ((2, 1, 3), (2,))])
def test_untile_is_the_adjoint_of_tile(shape, reps):
    x = rng.standard_normal(shape)
    g = rng.standard_normal(np.shape(np.tile(x, reps)))
    out = rt.untile(g, x, reps)
    assert out.shape == x.shape
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.tile(x, reps)))


@pytest.mark.parametrize("axis", [None, 0, 1, -1])
def test_uncumsum_is_the_adjoint_of_cumsum(axis):
    x = rng.standard_normal((3, 4))
    g = rng.standard_normal(np.shape(np.cumsum(x, axis)))
    out = rt.uncumsum(g, x, axis)
    assert out.shape == x.shape and out.flags.writeable
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.cumsum(x, axis)))


# ---- no helper writes into its inputs ------------------------------------------------------------


def test_helpers_leave_their_inputs_alone():
    g, x = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    g0, x0 = g.copy(), x.copy()
    calls = [
        lambda: rt.expand_reduced(g[:, 0], x, 1), lambda: rt.prod_others(x, 1),
        lambda: rt.norm_weight(x, np.linalg.norm(x, axis=1), None, 1), lambda: rt.untrace(g[0, 0], x),
        lambda: rt.uncumsum(g, x, 1), lambda: rt.unconcatenate(g, [x[:1], x[1:]]),
        lambda: rt.unrepeat(g, x[:, :2], 2, 1), lambda: rt.matmul_adjoint_left(g[:, :3], x, x.T),
        lambda: rt.einsum_general(rt.einsum_cospec(rt.einsum_spec("ij,jk->ik", x, np.eye(4)), 1), "ij,jk->ik", g,
                                  np.eye(4)),
    ]
    for fn, i in zip(calls, itertools.count()):
        fn()
        np.testing.assert_array_equal(g, g0, err_msg=f"call {i} wrote into g")
        np.testing.assert_array_equal(x, x0, err_msg=f"call {i} wrote into x")


# ---- helpers of the NumPy rules: each linear helper is the transpose of its partner ------------

_r = np.random.default_rng(11)
_xp = np.array([-1.0, -0.2, 0.5, 1.3, 2.0])
_xs = np.array([-1.5, -0.2, 0.1, 1.0, 2.0, 2.5])
_conds = [_r.uniform(size=(3, 4)) > 0.5, _r.uniform(size=(4,)) > 0.3]

# (name, u shape, w shape, L(u), LT(w)): <L(u), w> must equal <u, LT(w)>
_PAIRS = [
    ("cumprod", (3, 4), (3, 4), lambda u: rt.cumprod_jvp(u, _X34, 1), lambda w: rt.uncumprod(w, _X34, 1)),
    ("cumprod-flat", (3, 4), (12,), lambda u: rt.cumprod_jvp(u, _X34), lambda w: rt.uncumprod(w, _X34)),
    ("quantile", (3, 5), (2, 3), lambda u: rt.quantile_jvp(u, _X35, np.array([0.3, 0.8]), 1),
     lambda w: rt.unquantile(w, _X35, np.array([0.3, 0.8]), 1)),
    ("diff", (3, 5), (3, 4), lambda u: rt.diff_jvp(u, _X35, 2, -1, 0.5),
     lambda w: rt.undiff(w, _X35, 2, -1, 0.5)),
    ("gradient", (4, 5), None, lambda u: rt.gradient_of(u, (0.5, 2.0)),
     lambda w: rt.ungradient(w, np.zeros((4, 5)), (0.5, 2.0))),
    ("positions", (2, 3), (4, 5), lambda u: rt.gather_positions(u, _POS),
     lambda w: rt.scatter_positions(w, np.zeros((2, 3)), _POS)),
    ("permute", (3, 4), (3, 4), lambda u: rt.permute(u, _PERM, 0), lambda w: rt.unpermute(w, _PERM, 0)),
    ("take", (3, 4), (3, 5), lambda u: np.take(u, [0, 3, 3, 1, 0], axis=1),
     lambda w: rt.untake(w, np.zeros((3, 4)), [0, 3, 3, 1, 0], 1)),
    ("take-along", (3, 4), (3, 2), lambda u: np.take_along_axis(u, _IDX, 1),
     lambda w: rt.untake_along(w, np.zeros((3, 4)), _IDX, 1)),
    ("diagonal", (2, 3, 4), (2, 3), lambda u: rt.diagonal_of(u, 1, 1, 2),
     lambda w: rt.undiagonal(w, np.zeros((2, 3, 4)), 1, 1, 2)),
    *[(f"convolve-{mode}-{n}-{m}", (n,), (len(np.convolve(np.ones(n), np.ones(m), mode)),),
       (lambda u, m=m, mode=mode: np.convolve(u, _V[:m], mode)),
       (lambda w, n=n, m=m, mode=mode: rt.unconvolve(w, np.zeros(n), _V[:m], mode)))
      for mode in ("full", "same", "valid") for n, m in ((6, 3), (3, 6), (4, 4), (5, 2))],
    ("kron-left", (2, 3), (6, 6), lambda u: np.kron(u, _K), lambda w: rt.unkron_left(w, np.zeros((2, 3)), _K)),
    ("kron-right", (3, 2), (6, 6), lambda u: np.kron(_K.T, u), lambda w: rt.unkron_right(w, _K.T, np.zeros((3, 2)))),
    ("interp-fp", (5,), (6,), lambda u: np.interp(_xs, _xp, u, 0.0, 0.0),
     lambda w: rt.uninterp(w, _xs, _xp, np.zeros(5), 1.0, 2.0)),
    ("interp-slope", (5,), (6,), lambda u: rt.interp_slope(_xs, _xp, u),
     lambda w: rt.unslope(w, _xs, _xp, np.zeros(5))),
    ("polyval", (4,), (2, 3), lambda u: np.polyval(u, _X23), lambda w: rt.unpolyval(w, np.zeros(4), _X23)),
    ("weights", (4,), (3, 4), lambda u: rt.weights_like(u, _X34, 1), lambda w: rt.weights_back(w, np.zeros(4), 1)),
]

_X34 = _r.uniform(0.5, 2.0, (3, 4)) * np.array([1.0, 0.0, -1.0, 1.0])
_X35 = _r.standard_normal((3, 5))
_X23 = _r.standard_normal((2, 3))
_V = _r.standard_normal(6)
_K = _r.standard_normal((3, 2))
_POS = np.pad(rt.index_grid(np.zeros((2, 3))), 1, mode="constant", constant_values=-1)[:, :5]
_PERM = np.argsort(_r.standard_normal((3, 4)), axis=0)
_IDX = np.array([[0, 3], [1, 1], [2, 0]])


@pytest.mark.parametrize("name, ushape, wshape, op, op_t", _PAIRS, ids=[p[0] for p in _PAIRS])
def test_linear_helpers_are_transposes(name, ushape, wshape, op, op_t):
    u = _r.standard_normal(ushape)
    out = op(u)
    w = [_r.standard_normal(np.shape(o)) for o in out] if isinstance(out, list) else _r.standard_normal(np.shape(out))
    if wshape is not None:
        assert np.shape(out) == wshape
    back = op_t(w)
    assert np.shape(back) == ushape
    lhs = sum(np.sum(o * wi) for o, wi in zip(out, w)) if isinstance(out, list) else np.sum(out * w)
    np.testing.assert_allclose(lhs, np.sum(u * back), rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("subscripts, shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ii->i", [(3, 3)]), ("ij,jk,kl", [(2, 3), (3, 4), (4, 2)]),
    ("...i,...i->...", [(1, 3), (4, 3)]), ("i,i,i->i", [(3,), (3,), (3,)]), ("ijk->", [(2, 3, 4)]),
    ("ii,i->i", [(3, 3), (3,)]), ("ij,k->k", [(2, 3), (4,)]),
])
def test_einsum_general_matches_einsum_and_its_cospecs_are_adjoint(subscripts, shapes):
    ops = [_r.standard_normal(s) for s in shapes]
    args = (subscripts, *ops)
    spec = rt.einsum_spec(*args)
    np.testing.assert_allclose(rt.einsum_general(spec, *args), np.einsum(*args))
    g = _r.standard_normal(np.shape(np.einsum(*args)))
    for k in range(1, len(args)):
        ct = rt.einsum_general(rt.einsum_cospec(spec, k), *args[:k], g, *args[k + 1:])
        assert ct.shape == ops[k - 1].shape and fresh(ct)
        v = _r.standard_normal(ops[k - 1].shape)
        moved = np.einsum(*args[:k], v, *args[k + 1:])
        np.testing.assert_allclose(np.sum(ct * v), np.sum(g * moved), rtol=1e-10, atol=1e-10)


def test_einsum_spec_reads_the_sublist_form():
    a, b = _r.standard_normal((2, 3)), _r.standard_normal((3, 4))
    args = (a, [0, 1], b, [1, 2], [0, 2])
    np.testing.assert_allclose(rt.einsum_general(rt.einsum_spec(*args), *args), np.einsum(*args))
    args = (_r.standard_normal((5, 2, 3)), [Ellipsis, 0, 1], _r.standard_normal(3), [1], [Ellipsis, 0])
    np.testing.assert_allclose(rt.einsum_general(rt.einsum_spec(*args), *args), np.einsum(*args))


def test_quantile_weights_reproduce_numpy():
    x = _r.standard_normal((4, 7))
    for q in (0.0, 0.25, 0.5, 0.9, 1.0, np.array([0.1, 0.6])):
        w = rt._quantile_weights(x, q, 1, "linear")
        np.testing.assert_allclose(np.sum(w * x, axis=-1), np.quantile(x, q, axis=1))


def test_quantile_other_methods_are_refused():
    with pytest.raises(UnsupportedCallError, match="method='nearest'"):
        rt.unquantile(1.0, np.arange(4.0), 0.5, None, False, "nearest")


def test_pad_modes_that_do_not_copy_elements_are_refused():
    with pytest.raises(UnsupportedCallError, match="linear_ramp"):
        rt.pad_positions(np.zeros(3), 1, "linear_ramp")


def test_partition_order_matches_numpy_whatever_its_selection_order():
    x = _r.standard_normal((4, 9))
    ans = np.partition(x, [2, 6], axis=1)
    np.testing.assert_array_equal(np.take_along_axis(x, rt.partition_order(x, ans, 1), axis=1), ans)


def test_power_slope_is_zero_for_a_zero_exponent_and_finite_floats():
    assert rt.power_slope(0.0, 0.0) == 0.0 and isinstance(rt.power_slope(2.0, 3.0), float)
    np.testing.assert_allclose(rt.power_slope(np.array([0.5, 2.0]), 3.0), [0.75, 12.0])


def test_sinc_derivatives_at_zero():
    assert rt.sinc_slope(0.0) == 0.0
    np.testing.assert_allclose(rt.sinc_curvature(0.0), -np.pi ** 2 / 3)
    for x in (1e-9, 1e-6, 9e-4, 1.1e-3, 0.02):  # no cancellation near 0, no seam at the switch
        np.testing.assert_allclose(rt.sinc_slope(x), np.pi * (np.pi * x * np.cos(np.pi * x) - np.sin(np.pi * x))
                                   / (np.pi * x) ** 2 if x > 1e-3 else -np.pi ** 2 * x / 3, rtol=1e-6)
    e = 1e-5
    np.testing.assert_allclose(rt.sinc_curvature(0.7), (rt.sinc_slope(0.7 + e) - rt.sinc_slope(0.7 - e)) / (2 * e),
                               rtol=1e-6)


def test_unconcatenate_of_one_array_is_an_array():
    x = _r.standard_normal((2, 3, 4))
    g = _r.standard_normal(np.hstack(x).shape)
    out = rt.unconcatenate(g, x, 1)
    assert isinstance(out, np.ndarray) and out.shape == x.shape
    np.testing.assert_allclose(np.sum(out * x), np.sum(g * np.hstack(x)))


def test_average_returned_and_overwritten_quantiles_are_refused():
    with pytest.raises(UnsupportedCallError, match="returned=True"):
        rt.weights_like(None, np.zeros(3), None, True)
    with pytest.raises(UnsupportedCallError, match="overwrite_input"):
        rt.unquantile(1.0, np.arange(4.0), 0.5, None, False, "linear", True)


def _cumprod_jacobian(v):
    n = len(v)
    return np.array([[np.prod([v[k] for k in range(j + 1) if k != i]) if i <= j else 0.0 for i in range(n)]
                     for j in range(n)])


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_cumprod_helpers_match_the_jacobian_with_zeros(axis):
    """uncumprod and cumprod_jvp never divide by an element; checked against the brute-force
    Jacobian on slices with zeros anywhere (one, several, at the ends)."""
    for _ in range(30):
        x = _r.standard_normal((3, 6))
        x[_r.uniform(size=x.shape) < 0.3] = 0.0
        g = _r.standard_normal(np.cumprod(x, axis=axis).shape)
        t = _r.standard_normal(x.shape)
        if axis is None:
            jac = _cumprod_jacobian(x.ravel())
            want_ct, want_t = (g @ jac).reshape(x.shape), jac @ t.ravel()
        else:
            xm, gm, tm = (np.moveaxis(a, axis, -1) for a in (x, g, t))
            want_ct, want_t = np.zeros_like(xm), np.zeros_like(xm)
            for idx in np.ndindex(xm.shape[:-1]):
                jac = _cumprod_jacobian(xm[idx])
                want_ct[idx], want_t[idx] = gm[idx] @ jac, jac @ tm[idx]
            want_ct, want_t = np.moveaxis(want_ct, -1, axis), np.moveaxis(want_t, -1, axis)
        np.testing.assert_allclose(rt.uncumprod(g, x, axis), want_ct, atol=1e-12)
        np.testing.assert_allclose(rt.cumprod_jvp(t, x, axis), want_t, atol=1e-12)


def test_gradient_adjoint_needs_no_square_matrix():
    g = rt.ungradient(np.ones(200_000), np.zeros(200_000))
    np.testing.assert_allclose(g[:3], [-1.5, 0.5, 0.0])


def _cumprod_hessian(v):
    n = len(v)
    h = np.zeros((n, n, n))
    for j, i, m in itertools.product(range(n), repeat=3):
        if i != m and i <= j and m <= j:
            h[j, i, m] = np.prod([v[k] for k in range(j + 1) if k not in (i, m)])
    return h


@pytest.mark.parametrize("axis", [None, 0, 1])
def test_cumprod_second_derivatives_match_the_hessian_with_zeros(axis):
    for _ in range(30):
        x = _r.standard_normal((3, 5))
        x[_r.uniform(size=x.shape) < 0.35] = 0.0
        g = _r.standard_normal(np.cumprod(x, axis=axis).shape)
        t, v = _r.standard_normal(x.shape), _r.standard_normal(x.shape)
        if axis is None:
            h = _cumprod_hessian(x.ravel())
            want2 = np.einsum("jil,i,l->j", h, t.ravel(), v.ravel())
            wanth = np.einsum("jil,j,l->i", h, g, t.ravel()).reshape(x.shape)
        else:
            xm, gm, tm, vm = (np.moveaxis(a, axis, -1) for a in (x, g, t, v))
            want2, wanth = np.zeros_like(xm), np.zeros_like(xm)
            for idx in np.ndindex(xm.shape[:-1]):
                h = _cumprod_hessian(xm[idx])
                want2[idx] = np.einsum("jil,i,l->j", h, tm[idx], vm[idx])
                wanth[idx] = np.einsum("jil,j,l->i", h, gm[idx], tm[idx])
            want2, wanth = np.moveaxis(want2, -1, axis), np.moveaxis(wanth, -1, axis)
        np.testing.assert_allclose(rt.cumprod_second(t, v, x, axis), want2, atol=1e-12)
        np.testing.assert_allclose(rt.cumprod_hvp(g, t, x, axis), wanth, atol=1e-12)
