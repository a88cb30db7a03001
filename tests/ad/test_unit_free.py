"""Arrays with no axis of length 1 (kinds.Array.unit_free, part of what a derivative is specialised
for): NumPy broadcasts two of them of one rank only when their shapes are equal, so an elementwise
result has the shape of each operand of the largest rank, and the cotangent of such an operand
needs no `unbroadcast` (nor its shape kept on a loop's tape). Checked here: the RNN of #11 pushes no
shapes, and one gradient object called on arrays that do broadcast (an axis of length 1, a lower
rank) gets a specialisation that sums them back -- every result against central finite
differences and autograd, in grad, vjp, jvp and hessian.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import (assert_close, autograd_grad, autograd_hessian, autograd_jvp, autograd_vjp,  # noqa: E402
                    numeric_grad, numeric_hessian, numeric_jvp)

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # benchmarks/

import sourcead  # noqa: E402
from sourcead.passes import kinds  # noqa: E402
from sourcead.passes.kinds import Array, same_shape  # noqa: E402


from benchmarks.workloads.rnn import rnn_loss as rnn  # noqa: E402  (the #11 workload)


def rnn_args(batch=3, h0_rows=None, hidden=4, inputs=2, steps=4, seed=0):
    rng = np.random.RandomState(seed)
    return (rng.normal(size=(inputs, hidden)), 0.5 * rng.normal(size=(hidden, hidden)), 0.1 * rng.normal(size=hidden),
            rng.normal(size=(steps, batch, inputs)), 0.3 * rng.normal(size=(h0_rows or batch, hidden)))


def check_grad(df, f, args, wrt):
    got = df(*args)
    assert_close(got, autograd_grad(f, args, wrt=wrt), rtol=1e-9, atol=1e-11)
    assert_close(got, numeric_grad(f, args, wrt=wrt), rtol=1e-6, atol=1e-8)


def test_the_rnn_of_arrays_without_unit_axes_keeps_no_shapes():
    """The #11 RNN: xs[t] @ W + h @ U + b has the shape of both products, so no unbroadcast (b's,
    of a lower rank with no axis of length 1, is the sum over the batch) and nothing measured on
    the tape."""
    args = rnn_args()
    df = sourcead.grad(rnn, wrt=(0, 1, 2))
    text = sourcead.source(df, *args)
    assert "shape_of" not in text
    assert "unbroadcast(" not in text and "db = db + dt.sum(axis=0)" in text
    check_grad(df, rnn, args, (0, 1, 2))


@pytest.mark.parametrize("batch, h0_rows", [(3, 1), (1, 1), (1, 3)], ids=["h0-one-row", "batch-one", "xs-one-row"])
def test_one_gradient_serves_arrays_that_broadcast(batch, h0_rows):
    """The same gradient object, first called on arrays without unit axes, then on an h0 of one row
    broadcast against a batch (the first step's h @ U widens), or a batch of one: the call picks
    the specialisation for those kinds, which sums the cotangents back (a stale one would be wrong
    or raise)."""
    df = sourcead.grad(rnn, wrt=(0, 1, 2))
    check_grad(df, rnn, rnn_args(), (0, 1, 2))
    args = rnn_args(batch=batch, h0_rows=h0_rows)
    check_grad(df, rnn, args, (0, 1, 2))
    assert "unbroadcast(dt_1" in sourcead.source(df, *args) or "shape_of" in sourcead.source(df, *args)
    check_grad(df, rnn, rnn_args(seed=1), (0, 1, 2))  # and back


@pytest.mark.parametrize("h0_rows", [None, 1], ids=["unit-free", "h0-one-row"])
def test_rnn_in_every_mode(h0_rows):
    """vjp, jvp and the Hessian with respect to b of the RNN, against autograd (and finite
    differences for the Hessian), with and without an axis that broadcasts."""
    args = rnn_args(batch=3, h0_rows=h0_rows, steps=3)
    out, pullback = sourcead.vjp(rnn, *args)
    expected_out, expected = autograd_vjp(rnn, args, 1.5)
    assert_close(out, expected_out)
    assert_close(pullback(1.5), expected, rtol=1e-9, atol=1e-11)
    tangents = tuple(np.random.RandomState(5).normal(size=np.shape(a)) for a in args)
    assert_close(sourcead.jvp(rnn, args, tangents), autograd_jvp(rnn, args, tangents), rtol=1e-9, atol=1e-11)
    got = sourcead.hessian(rnn, wrt=2)(*args)
    assert_close(got, autograd_hessian(rnn, args, wrt=2), rtol=1e-8, atol=1e-10)
    assert_close(got, numeric_hessian(rnn, args, wrt=2), rtol=1e-5, atol=1e-7)


def blend(x, y):
    z = x * y + x
    return np.sin(z) * y + np.tanh(x - y)


SHAPES = [((3, 4), (3, 4)), ((3, 4), (1, 4)), ((3, 4), (4,)), ((3, 1), (1, 4)), ((1, 4), (3, 4)), ((3, 4), (3, 1)),
          ((4,), (3, 4)), ((2, 3, 4), (3, 4)), ((2, 1, 4), (3, 4)), ((4,), (1,))]


def shaped(shapes, seed=0):
    rng = np.random.RandomState(seed)
    return tuple(rng.normal(size=s) for s in shapes)


def test_broadcasting_shapes_in_turn_on_one_gradient():
    """Every pair of shapes, one after the other on one gradient object: each gradient has its
    argument's shape and the right values."""
    df = sourcead.grad(blend, wrt=(0, 1))
    for shapes in SHAPES:
        args = shaped(shapes)
        check_grad(df, blend, args, (0, 1))
        assert [g.shape for g in df(*args)] == [s for s in shapes]


@pytest.mark.parametrize("shapes", SHAPES, ids=str)
def test_vjp_and_jvp_where_shapes_broadcast(shapes):
    args = shaped(shapes)
    out = blend(*args)
    ct = np.random.RandomState(1).normal(size=out.shape)
    got_out, pullback = sourcead.vjp(blend, *args)
    expected_out, expected = autograd_vjp(blend, args, ct)
    assert_close(got_out, expected_out)
    assert_close(pullback(ct), expected, rtol=1e-9, atol=1e-11)
    tangents = shaped(shapes, seed=2)
    got = sourcead.jvp(blend, args, tangents)
    assert_close(got, autograd_jvp(blend, args, tangents), rtol=1e-9, atol=1e-11)
    assert_close(got[1], numeric_jvp(blend, args, tangents)[1], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("shapes", [((3, 4), (3, 4)), ((3, 4), (1, 4)), ((1, 4), (3, 4))], ids=str)
def test_hessian_where_shapes_broadcast(shapes):
    args = shaped(shapes)
    got = sourcead.hessian(blend, wrt=0)(*args)
    assert_close(got, autograd_hessian(blend, args, wrt=0), rtol=1e-8, atol=1e-10)
    assert_close(got, numeric_hessian(blend, args, wrt=0), rtol=1e-5, atol=1e-7)


SCALE = np.ones((3, 4))


def reads_scale(x):
    return np.sum(np.tanh(x * SCALE))


def test_a_global_that_gains_a_unit_axis_is_a_new_specialisation():
    """A data global's kind (unit axes included) is checked on every call: rebinding it to an
    array of one row, which broadcasts, recompiles rather than reuses the proof of the old one."""
    global SCALE
    df = sourcead.grad(reads_scale)
    x = np.random.RandomState(0).normal(size=(3, 4))
    try:
        check_grad(df, reads_scale, (x,), 0)
        SCALE = np.array([[0.5, 1.0, 2.0, -1.0]])
        check_grad(df, reads_scale, (x,), 0)
        x1 = x[:1]
        SCALE = np.full((3, 4), 0.7)
        check_grad(df, reads_scale, (x1,), 0)  # x of one row against a 3x4 global: summed back
        assert df(x1).shape == (1, 4)
    finally:
        SCALE = np.ones((3, 4))


# ---- the kinds themselves ---------------------------------------------------------------------

def test_the_kind_of_an_array_says_whether_it_has_a_unit_axis():
    assert kinds.kind_of_value(np.ones((2, 3))).unit_free
    assert not kinds.kind_of_value(np.ones((2, 1))).unit_free
    assert not kinds.kind_of_value(np.ones((1,))).unit_free
    assert kinds.kind_of_value(np.ones((0, 3))).unit_free  # an empty axis broadcasts with none but 1


def call_kind(op, *ks):
    from sourcead.ir.core import Call, Var
    args = [Var() for _ in ks]
    table = dict(zip(args, ks))
    stmt = Call([Var()], op, args, {}, None)
    return kinds.kind_of_call(stmt, table), args


def test_an_elementwise_result_of_unit_free_arrays_shares_each_operands_shape():
    import operator
    A, B = Array("A", 2, True), Array("B", 2, True)
    k, _ = call_kind(operator.add, A, B)
    assert same_shape(k, A) and same_shape(k, B) and k.unit_free
    k, _ = call_kind(np.multiply, A, Array("v", 1, True), Array("B", 2, True))
    assert same_shape(k, A) and same_shape(k, B) and not same_shape(k, Array("v", 1, True))
    C = Array("C", 2, False)  # C may have an axis of length 1, broadcast up to A's
    k, _ = call_kind(operator.add, A, C)
    assert same_shape(k, A) and k.unit_free and not same_shape(k, C)
    k, _ = call_kind(operator.add, Array("v", 1, True), C)  # v is of a lower rank: nothing known
    assert not same_shape(k, Array("v", 1, True)) and not same_shape(k, C) and not k.unit_free
    k, _ = call_kind(operator.add, Array("v", 1, False), Array("w", 1, False))
    assert not same_shape(k, Array("v", 1)) and not k.unit_free


def test_products_and_items_of_unit_free_arrays_are_unit_free():
    import operator
    A, B, v = Array("A", 2, True), Array("B", 2, True), Array("v", 1, True)
    k, _ = call_kind(operator.matmul, A, B)
    assert k.unit_free and k.ndim == 2 and not same_shape(k, A)
    assert not call_kind(operator.matmul, A, Array("C", 2, False))[0].unit_free


def test_a_generalised_ufunc_is_not_elementwise():
    """np.matmul is a NumPy ufunc with core dimensions: a matrix times a vector is a vector, of
    neither operand's shape."""
    A, v = Array("A", 2, True), Array("v", 1, True)
    k, _ = call_kind(np.matmul, A, v)
    assert k.ndim == 1 and not same_shape(k, v) and not same_shape(k, A)


def test_either_of_two_values_keeps_what_both_are_known_to_share():
    a = Array("t", 2, True, frozenset({"x"}))
    b = Array("x", 2, True)
    joined = kinds._join(a, b)
    assert same_shape(joined, Array("x", 2)) and joined.unit_free
    assert not kinds._join(a, Array("y", 2, True)).shape
    assert not kinds._join(a, Array("x", 2, False)).unit_free


def softmax_xent(W, b, X, Y):
    logits = X @ W + b
    z = logits - np.max(logits, axis=1, keepdims=True)
    lse = np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.sum(Y * (z - lse)) / X.shape[0] + 0.1 * np.sum(np.mean(np.tanh(logits), axis=0) ** 2)


@pytest.mark.parametrize("batch, classes", [(5, 3), (1, 3), (5, 1)], ids=["plain", "batch-one", "one-class"])
def test_reductions_along_an_axis_broadcast_back(batch, classes):
    """The MLP's loss: a row max and a row sum with keepdims (an axis of length 1) broadcast back
    against the logits, which have no axis of length 1 when batch and classes are not 1."""
    rng = np.random.RandomState(4)
    args = (rng.normal(size=(2, classes)), rng.normal(size=classes), rng.normal(size=(batch, 2)),
            np.eye(classes)[rng.randint(classes, size=batch)])
    df = sourcead.grad(softmax_xent, wrt=(0, 1))
    check_grad(df, softmax_xent, args, (0, 1))
    if batch > 1 and classes > 1:
        text = sourcead.source(df, *args)
        assert "unbroadcast(dz" not in text and "unbroadcast(dt, t" not in text


def test_a_reduction_along_literal_axes_is_an_array_of_that_many_axes_fewer():
    from sourcead.ir.core import Call, Const, Var
    A = Array("A", 3, True)
    for kw, expected in [({"axis": Const(1)}, Array(None, 2, True)), ({"axis": Const((0, 2))}, Array(None, 1, True)),
                         ({"axis": Const(1), "keepdims": Const(True)}, Array(None, 3)),
                         ({"axis": Const((0, 1, 2))}, kinds.SCALAR)]:
        a = Var()
        got = kinds.kind_of_call(Call([Var()], np.sum, [a], kw, None), {a: A})
        assert got == expected, kw
    a, n = Var(), Var()
    assert kinds.kind_of_call(Call([Var()], np.sum, [a], {"axis": n}, None), {a: A, n: kinds.SCALAR}) is None


def biased(x, b):
    return np.sum(np.tanh(x + b) * x)


@pytest.mark.parametrize("shapes, summed", [
    (((4, 3), (3,)), ".sum(axis=0)"), (((2, 4, 3), (3,)), ".sum(axis=(0, 1))"),
    (((2, 4, 3), (4, 3)), ".sum(axis=0)"), (((4, 3), ()), "vdot("),
    (((4, 3), (1, 3)), None), (((4, 3), (4, 1)), None),
], ids=str)
def test_a_lower_rank_operand_s_cotangent_is_a_sum_over_the_leading_axes(shapes, summed):
    """unbroadcast(g, b) of a b with fewer axes, none of length 1 (or a number), is g summed over
    its leading axes, written as the method (for a number b, the sum of a product is a vdot);
    with an axis of length 1 the general helper stays."""
    x, b = shaped(shapes[:1])[0], (0.3 if shapes[1] == () else shaped(shapes[1:], seed=3)[0])
    df = sourcead.grad(biased, wrt=(0, 1))
    check_grad(df, biased, (x, b), (0, 1))
    text = sourcead.source(df, x, b)
    if summed:
        assert summed in text and "unbroadcast(" not in text
    else:
        assert "unbroadcast(" in text


def grows(x, y):
    s = 0.0
    for i in range(3):
        s = s * 0.5 + np.sin(x * y)
    return np.sum(s * y)


def test_a_number_that_becomes_an_array_in_a_loop_is_not_summed_to_a_number():
    """Regression: s is a number on the first iteration and y's array after. The loop's kinds were
    inferred to a fixed point, but what the first round found for the body (s * 0.5 a number) was
    kept as if established, and s * 0.5's cotangent was summed to a number (a wrong gradient)."""
    args = (0.7, np.array([1.0, 2.0, -0.5]))
    check_grad(sourcead.grad(grows, wrt=(0, 1)), grows, args, (0, 1))
    out, pullback = sourcead.vjp(grows, *args)
    assert_close(pullback(1.0), autograd_vjp(grows, args, 1.0)[1], rtol=1e-9, atol=1e-11)
