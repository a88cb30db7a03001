"""tape (sourcead/ad/tape.py) as `Reverse.loop` uses it: a loop's forward sweep pushes only what
its adjoint cannot get otherwise. A carried value's next value is carried over from the adjoint's
previous iteration instead of pushed a second time; a number one cheap operator makes from values
the adjoint has is computed again instead of pushed. Checked by counting the pushes in the
generated gradient and by every gradient against central finite differences and autograd,
including loops that run no iteration, while loops, nested loops and arrays.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))  # benchmarks/

from oracle import assert_close, autograd_grad, autograd_hessian, numeric_grad, numeric_hessian  # noqa: E402

import sourcead  # noqa: E402
from benchmarks.workloads.recurrence import energy as oscillator  # noqa: E402  (the #11 workload)
from sourcead.ir.core import Call, Push  # noqa: E402




def growth(k, x):
    e = 0.0
    while x < 10.0:
        x = x * 1.5 + k
        e = e + x * x * k
    return e


def nested(k, n):
    s = 1.0
    for i in range(n):
        u = s
        for j in range(3):
            u = u * k + 0.1
            s = s + 0.5 * u * u
    return s


def array_state(w, T):
    h = np.ones(3)
    for i in range(T):
        h = np.tanh(w * h) + 0.1 * h
    return np.sum(h * h)


def reads_old_and_new(k, T):
    x = 0.5
    e = 0.0
    for i in range(T):
        y = x * k
        e = e + x * y
        x = y + 0.25
    return e


CASES = [
    (oscillator, (1.3, 0.4, 50), (0, 1)), (oscillator, (1.3, 0.4, 0), (0, 1)), (oscillator, (1.3, 0.4, 1), (0, 1)),
    (growth, (0.7, 1.2), (0, 1)), (growth, (0.7, 20.0), (0, 1)), (nested, (0.9, 4), 0), (nested, (0.9, 0), 0),
    (array_state, (np.array([0.3, -0.2, 0.5]), 6), 0), (reads_old_and_new, (0.8, 7), 0),
]


def pushes_per_iteration(df, *args):
    """The pushes of the outermost loop's body in the generated gradient (statically)."""
    df(*args)
    body = next(st for st in df._last.ir.body.body if hasattr(st, "body")).body
    return sum(1 for st in body.body if isinstance(st, Call) and isinstance(st.op, Push))


@pytest.mark.parametrize("f, args, wrt", CASES, ids=[f"{c[0].__name__}-{i}" for i, c in enumerate(CASES)])
def test_gradients_agree_with_finite_differences_and_autograd(f, args, wrt):
    got = sourcead.grad(f, wrt=wrt)(*args)
    assert_close(got, numeric_grad(f, args, wrt=wrt), rtol=1e-6, atol=1e-8)
    assert_close(got, autograd_grad(f, args, wrt=wrt), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("f, args", [(oscillator, (1.3, 0.4, 6)), (growth, (0.7, 1.2)), (reads_old_and_new, (0.8, 5))])
def test_second_derivatives_through_the_planned_tape(f, args):
    h = sourcead.hessian(f, wrt=0)(*args)
    assert_close(h, autograd_hessian(f, args, wrt=0), rtol=1e-9, atol=1e-10)
    assert np.allclose(h, numeric_hessian(f, args, wrt=0), rtol=1e-4, atol=1e-6)


def test_the_oscillator_pushes_its_two_states_once_per_step():
    """Before: seven pushes per step (v and x before and after their update, 0.5 * v, 0.5 * k,
    (0.5 * k) * x). The hand-written gradient stores the two states."""
    assert pushes_per_iteration(sourcead.grad(oscillator, wrt=(0, 1)), 1.3, 0.4, 10) == 2


def test_a_value_made_from_the_new_state_is_computed_again():
    """reads_old_and_new reads x (pushed) and y = x * k, the next x's source: y is recomputed from
    x, x's next value carried over; one push per iteration."""
    assert pushes_per_iteration(sourcead.grad(reads_old_and_new), 0.8, 5) == 1


def test_the_generated_loop_carries_the_next_state_over():
    df = sourcead.grad(oscillator, wrt=(0, 1))
    text = sourcead.source(df, 1.3, 0.4, 10)
    assert text.count("push(") == 2 and "dt + t_1 * x, v_1, x_1" in text.replace("\n", " ")


def halves(x, T):
    e = 0.0
    for i in range(T):
        z = x * 0.5
        e = e + z * x
        x = x + 0.1
    return np.sum(e)


@pytest.mark.parametrize("x", [0.7, np.array([0.7, -0.2])], ids=["number", "array"])
def test_numbers_are_computed_again_arrays_are_pushed(x):
    """z = x * 0.5 is computed again from the pushed x when it is a number; for an array a push
    (a reference) is cheaper than an array operation, so it is pushed."""
    df = sourcead.grad(halves)
    text = sourcead.source(df, x, 4)
    assert ("push(z)" in text) == isinstance(x, np.ndarray)
    if not isinstance(x, np.ndarray):
        assert pushes_per_iteration(df, x, 4) == 1
    assert_close(df(x, 4), autograd_grad(halves, (x, 4)), rtol=1e-10, atol=1e-12)
    assert_close(df(x, 4), numeric_grad(halves, (x, 4)), rtol=1e-6, atol=1e-8)


def rnn(W, U, xs, h0):
    h = h0
    loss = 0.0
    for t in range(xs.shape[0]):
        h = np.tanh(xs[t] @ W + h @ U)
        loss = loss + np.sum(h * h)
    return loss


def test_arrays_read_only_for_their_shapes_are_pushed_as_shapes():
    """The matrix products of an RNN step are read back only as unbroadcast's shape operands: the
    tape keeps ShapeOf objects, not a step's temporaries (the memory of the gradient). h0 has one
    row, broadcast against the batch of two on the first step: h @ U may be narrower than the sum
    (its shape is kept), xs[t] @ W has no axis of length 1 and so the sum's shape (nothing kept)."""
    rng = np.random.RandomState(0)
    args = (rng.normal(size=(3, 4)), 0.3 * rng.normal(size=(4, 4)), rng.normal(size=(5, 2, 3)), np.zeros((1, 4)))
    df = sourcead.grad(rnn, wrt=(0, 1))
    text = sourcead.source(df, *args)
    assert text.count("push(shape_of(") == 1 and "push(shape_of(t_3))" in text and "t_3 = h @ U" in text
    assert_close(df(*args), autograd_grad(rnn, args, wrt=(0, 1)), rtol=1e-10, atol=1e-12)
    assert_close(df(*args), numeric_grad(rnn, args, wrt=(0, 1)), rtol=1e-6, atol=1e-8)


def test_a_shape_of_answers_what_the_helpers_ask():
    from sourcead import runtime
    x = np.ones((2, 3))
    s = runtime.shape_of(x)
    assert (np.shape(s), np.ndim(s), np.size(s)) == ((2, 3), 2, 6)
    g = np.arange(6.0).reshape(2, 3)
    assert runtime.unbroadcast(g, s) is g
    assert np.array_equal(runtime.unbroadcast(g, runtime.shape_of(np.ones(3))), g.sum(axis=0))
    assert np.array_equal(runtime.expand_reduced(2.0, s), np.full((2, 3), 2.0))
