"""grad and value_and_grad with has_aux=True: `f` returns (value, aux); the gradient is that of
value alone, and aux comes back as f returned it (JAX's convention)."""

import numpy as np
import pytest

import sourcead
from sourcead.errors import UsageError


def loss_with_stats(w, x):
    pred = np.tanh(x @ w)
    err = pred - 1.0
    loss = np.mean(err ** 2)
    return loss, (pred, np.max(np.abs(err)), "note")


def scalar_aux(a, b):
    y = a * b + np.sin(a)
    return y ** 2, y


W = np.array([0.3, -0.2, 0.5])
X = np.array([[1.0, 2.0, 0.5], [0.1, -0.3, 0.8]])


def fd(f, x, e=1e-6):
    x = np.asarray(x, dtype=float)
    out = np.zeros_like(x)
    for k in range(x.size):
        d = np.zeros_like(x)
        d.flat[k] = e
        out.flat[k] = (f(x + d) - f(x - d)) / (2 * e)
    return out


def test_grad_returns_gradient_and_aux():
    g, aux = sourcead.grad(loss_with_stats, has_aux=True)(W, X)
    np.testing.assert_allclose(g, fd(lambda w: loss_with_stats(w, X)[0], W), rtol=1e-6, atol=1e-9)
    pred, worst, note = aux
    np.testing.assert_allclose(pred, np.tanh(X @ W))
    assert worst == pytest.approx(np.max(np.abs(np.tanh(X @ W) - 1.0)))
    assert note == "note"


def test_value_and_grad_with_aux():
    (value, aux), g = sourcead.value_and_grad(scalar_aux, wrt=(0, 1), has_aux=True)(0.4, 1.5)
    assert value == pytest.approx(scalar_aux(0.4, 1.5)[0]) and aux == pytest.approx(scalar_aux(0.4, 1.5)[1])
    y = 0.4 * 1.5 + np.sin(0.4)
    assert g[0] == pytest.approx(2 * y * (1.5 + np.cos(0.4)))
    assert g[1] == pytest.approx(2 * y * 0.4)


def test_the_aux_is_not_differentiated():
    """Only value's gradient: an aux that depends on w changes nothing."""
    plain = sourcead.grad(lambda_free_loss)(W, X)
    g, _ = sourcead.grad(loss_with_stats, has_aux=True)(W, X)
    np.testing.assert_allclose(g, plain)


def lambda_free_loss(w, x):
    pred = np.tanh(x @ w)
    err = pred - 1.0
    return np.mean(err ** 2)


def test_has_aux_needs_two_results():
    with pytest.raises(UsageError, match="two values"):
        sourcead.grad(lambda_free_loss, has_aux=True)(W, X)


def test_decorator_form():
    @sourcead.grad(wrt=0, has_aux=True)
    def f(a, b):
        return a * a * b, a + b
    assert f(3.0, 2.0) == (12.0, 5.0)
