"""The dtype of derivatives: a float32 function's gradient is float32, in every mode, as NumPy's
own arithmetic on float32 keeps it (JAX and PyTorch do the same); float64 stays float64, and an
integer array's gradient is float64.

The seeds and zero gradients (`runtime.ones_like_output`, `zeros_like_input`), the spreading of a
Python-float seed over an array (`expand_reduced`, `broadcast_like`, `unbroadcast`) and
`as_gradient` once promoted float32 to float64 (issue #10).
"""

from __future__ import annotations

import numpy as np
import pytest

import sourcead
from sourcead import runtime

_M = np.array([[0.5, -1.0, 0.25, 2.0], [1.5, 0.75, -0.5, 1.0]], dtype=np.float32)


def summed(x):
    return np.sum(np.sin(x) * x)


def elementwise(x):
    return np.tanh(x) * x + 1.0


def two_results(x):
    return x * 2.0, np.exp(x)


def reductions(x):
    return np.mean(x ** 2) + np.max(x) * np.linalg.norm(x) + np.sum(_M @ x)


def unused_argument(x, y):
    return np.sum(x * x)


_X = np.linspace(0.1, 1.0, 4)
FUNCTIONS = [summed, elementwise, two_results, reductions]


def _dtypes(value):
    return [np.result_type(v) for v in (value if isinstance(value, (tuple, list)) else [value])]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_grad_keeps_the_float_dtype(f, dtype):
    g = sourcead.grad(f)(_X.astype(dtype))
    assert g.dtype == dtype and g.shape == _X.shape


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_vjp_keeps_the_float_dtype(f, dtype):
    x = _X.astype(dtype)
    out, pullback = sourcead.vjp(f, x)
    (ct,) = pullback(list(out) if isinstance(out, tuple) else out)
    assert ct.dtype == dtype


@pytest.mark.parametrize("f", FUNCTIONS, ids=lambda f: f.__name__)
def test_jvp_keeps_float32(f):
    x = _X.astype(np.float32)
    _, t = sourcead.jvp(f, (x,), (np.ones_like(x),))
    assert all(d == np.float32 for d in _dtypes(t)), _dtypes(t)


def test_hessian_and_jacobian_keep_float32():
    x = _X.astype(np.float32)
    assert sourcead.hessian(summed)(x).dtype == np.float32
    assert sourcead.jacobian(elementwise)(x).dtype == np.float32


def test_jvp_of_float64_is_float64():
    _, t = sourcead.jvp(elementwise, (_X,), (np.ones_like(_X),))
    assert t.dtype == np.float64


def test_an_unused_float32_argument_gets_a_float32_zero_gradient():
    x = _X.astype(np.float32)
    dx, dy = sourcead.grad(unused_argument, wrt=(0, 1))(x, x)
    assert dx.dtype == dy.dtype == np.float32
    assert not np.any(dy)


def test_an_integer_array_gets_a_float64_gradient():
    g = sourcead.grad(summed)(np.arange(4))
    assert g.dtype == np.float64
    np.testing.assert_allclose(g, np.sin(np.arange(4)) + np.arange(4) * np.cos(np.arange(4)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64, np.bool_])
def test_seeds_and_zeros(dtype):
    want = dtype if np.dtype(dtype).kind == "f" else np.float64
    x = np.ones((2, 3), dtype=dtype)
    assert runtime.ones_like_output(x).dtype == want
    assert runtime.zeros_like_input(x).dtype == want
    assert runtime.as_gradient(1.0, x).dtype == want
    assert runtime.expand_reduced(1.0, x).dtype == want
    assert runtime.broadcast_like(1.0, x).dtype == want
    assert runtime.unbroadcast(1.0, x).dtype == want


def test_a_wider_cotangent_is_not_narrowed():
    """A float64 cotangent of a float32 value stays float64 (NumPy's promotion), never rounded."""
    x = np.ones(3, dtype=np.float32)
    assert runtime.expand_reduced(np.float64(0.1), x).dtype == np.float64
    assert runtime.as_gradient(np.ones(3), x).dtype == np.float64
