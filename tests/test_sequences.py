"""Lists and tuples combined with + and * are concatenation and repetition: their derivatives split
a cotangent between the parts or sum it over the copies (a family of silently wrong gradients once:
`hs = hs + [h]` got every element's cotangent summed into `h`, `[W] * depth` a cotangent times
`depth`). Every mode, against central finite differences and autograd."""

import math

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import sourcead
from sourcead.errors import SourceADError


def history(x):
    hs = [x]
    h = x
    for i in range(4):
        h = np.sin(h) * x + 0.5
        hs = hs + [h]
    return hs[1] * hs[3] + hs[-1] ** 2


def trajectory(x):
    traj = ()
    y = x
    for i in range(3):
        y = y * 1.5 - 0.2 * y ** 2
        traj = traj + (y,)
    return traj[0] + 2.0 * traj[1] * traj[2]


def layers(w):
    ws = [w] * 3
    out = 0.7
    for v in ws:
        out = np.tanh(out * v)
    return out


def repeated_tuple(x):
    t = (x, 2 * x) * 2
    return t[0] * t[1] + t[2] * t[3] ** 2


def repeated_left(x):
    t = 3 * [x, x ** 2]
    return t[1] + t[4] * t[5]


def joined(x):
    a = [x, 2 * x] + [3 * x]
    return a[0] * a[1] * a[2]


def sliding_window(x):
    hist = [0.0, 0.0, x]
    for k in range(4):
        v = 0.5 * hist[-1] + 0.3 * hist[-2] - 0.1 * hist[0] + np.sin(x * k)
        hist = hist[1:] + [v]
    return hist[0] + hist[1] * hist[2]


def list_argument(xs, y):
    both = xs + [y]
    return both[0] * both[1] + both[2] ** 2


CASES = [history, trajectory, layers, repeated_tuple, repeated_left, joined, sliding_window]


def fd(f, x, e=1e-6):
    return (f(x + e) - f(x - e)) / (2 * e)


def oracle(f):
    """The same function under autograd (np rebound), an independent derivative."""
    g = type(f)(f.__code__, {**f.__globals__, "np": anp}, f.__name__)
    return autograd.grad(g)


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_grad(f):
    x = 0.7
    got = sourcead.grad(f)(x)
    assert math.isclose(got, fd(f, x), rel_tol=1e-6, abs_tol=1e-8)
    assert math.isclose(got, oracle(f)(x), rel_tol=1e-9, abs_tol=1e-12)


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_value_and_grad_vjp_jvp_agree(f):
    x = 0.7
    g = sourcead.grad(f)(x)
    value, g2 = sourcead.value_and_grad(f)(x)
    assert value == pytest.approx(f(x)) and g2 == pytest.approx(g)
    out, pullback = sourcead.vjp(f, x)
    assert pullback(1.0)[0] == pytest.approx(g)
    assert sourcead.jvp(f, (x,), (1.0,))[1] == pytest.approx(g)


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_second_derivative(f):
    x = 0.7
    h = sourcead.hessian(f)(x)
    assert h == pytest.approx(fd(sourcead.grad(f), x), rel=1e-5, abs=1e-7)
    assert sourcead.grad(sourcead.grad(f))(x) == pytest.approx(h, rel=1e-9)


def test_list_argument():
    """A list parameter: its kind is known, so + is concatenation."""
    g = sourcead.grad(list_argument, wrt=1)(np.array([0.5, 1.5]).tolist(), 0.3)
    assert g == pytest.approx(2 * 0.3)


def test_generated_code_keeps_the_operators():
    text = sourcead.source(sourcead.grad(joined), 0.7)
    assert "concat" not in text.split("# grad of")[0]
    assert "[x, 2 * x] + [3 * x]" in text


def test_unknown_sequence_arithmetic_is_refused():
    """A sequence whose kind the compiler cannot see (it comes from a call it does not model)
    combined with + is refused when its derivative is needed, never differentiated as arithmetic."""
    def opaque(x):
        parts = np.split(np.array([x, 2 * x]), 2)  # a list, but no kind says so
        return np.sum((parts + [x])[0])

    with pytest.raises(SourceADError):
        sourcead.grad(opaque)(0.7)


B = np.array([1.0, 2.0])


def concatenated_with_constants(x):
    return np.sum(np.concatenate((B, x, B)) ** 2)


def test_jvp_of_a_concatenation_with_constant_parts():
    """Regression: the tangent of a tuple holding constant arrays had 0.0 for them, which
    np.concatenate refused (zero-dimensional arrays cannot be concatenated)."""
    x = np.array([0.3, -0.5])
    g = sourcead.grad(concatenated_with_constants)(x)
    np.testing.assert_allclose(g, 2 * x)
    assert sourcead.jvp(concatenated_with_constants, (x,), (np.ones(2),))[1] == pytest.approx(np.sum(2 * x))


# ---- the items of a list built here -------------------------------------------------------------


def list_rnn(W, xs):
    h = np.zeros(W.shape[0])
    hs = []
    for x in xs:
        h = np.tanh(W @ h + x)
        hs.append(h)
    return sum(np.sum(h ** 2) for h in hs)


def list_rnn_autograd(W, xs):
    h = anp.zeros(W.shape[0])
    hs = []
    for x in xs:
        h = anp.tanh(anp.dot(W, h) + x)
        hs.append(h)
    return sum(anp.sum(h ** 2) for h in hs)


def test_an_item_of_a_list_built_here_is_an_array_of_its_rank():
    """The items of hs are vectors (kinds: a list built here knows its items' rank), so the
    derivative of sum(np.sum(h ** 2) for h in hs) is 2 * h: no h ** 2 computed and pushed only
    for its shape, no seed spread into an array."""
    W = np.array([[0.5, -0.2, 0.1], [0.3, 0.4, -0.6], [0.0, 0.2, 0.7]])
    xs = np.linspace(-1.0, 1.0, 12).reshape(4, 3)
    df = sourcead.grad(list_rnn)
    np.testing.assert_allclose(df(W, xs), autograd.grad(list_rnn_autograd)(W, xs), rtol=1e-12, atol=1e-14)
    eps, fd = 1e-6, np.zeros_like(W)
    for i in np.ndindex(W.shape):
        e = np.zeros_like(W)
        e[i] = eps
        fd[i] = (list_rnn(W + e, xs) - list_rnn(W - e, xs)) / (2 * eps)
    np.testing.assert_allclose(df(W, xs), fd, rtol=1e-6, atol=1e-8)
    text = sourcead.source(df, W, xs)
    assert "expand_reduced" not in text and " ** 2)" not in text.split("# grad of")[0], text
