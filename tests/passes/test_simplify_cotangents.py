"""simplify's rewrites of cotangent arithmetic (sourcead/passes/simplify.py), seen in the generated
gradients they shape, each checked against autograd as well:

- the cotangent of a full reduction, spread over an array (``expand_reduced(c, x)``), multiplies
  an array of x's shape as the number c does: no array of copies of c is made;
- a product met twice (``r * r``: ``dt * r + r * dt``) is doubled, not computed twice;
- numbers multiplying a product with an array are gathered (``2.0 * (c * r)`` -> ``(2.0 * c) * r``);
- a number factor leaves an unbroadcast (linear) when it is the only reader of the product or when
  the result is a number, and the sum of a product of two arrays of one shape is ``np.vdot``.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import assert_close, autograd_grad, numeric_grad  # noqa: E402

import sourcead  # noqa: E402


def mse(w, b, x, y):
    r = w * x + b - y
    return np.mean(r * r)


def square_sum(x):
    return np.sum(x * x)


def scaled_mean(x, c):
    return np.mean(x) * c


def weighted(w, x):
    return np.sum(w * x) * 3.0


def twice_used(x, y):
    r = x * 2.0
    return np.sum(r * y) + np.sum(r)


def body(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines()[1:] if line.strip() and not line.strip().startswith("#")]


VEC = np.array([0.3, -1.2, 2.0, 0.5])


@pytest.mark.parametrize("f, args, wrt, expected", [
    (mse, (0.5, -0.2, VEC, 2 * VEC + 0.1), (0, 1), [
        "r = w * x + b - y", "t = 2.0 * (1 / np.size(r))",
        "db = t * r.sum(axis=0)", "dw = t * vdot(r, x)", "return dw, db"]),
    # x with an axis of length 1: r = w * x + b - y is not known to have x's shape
    (mse, (0.5, -0.2, VEC[None, :], 2 * VEC + 0.1), (0, 1), [
        "r = w * x + b - y", "t = 2.0 * (1 / np.size(r))", "t_1 = unbroadcast(r, x)",
        "db = t * t_1.sum(axis=(0, 1))", "dw = t * vdot(t_1, x)", "return dw, db"]),
    (square_sum, (VEC,), 0, ["dx = 2.0 * x", "return dx"]),
])
def test_the_generated_gradient(f, args, wrt, expected):
    df = sourcead.grad(f, wrt=wrt)
    assert body(sourcead.source(df, *args)) == expected
    assert_close(df(*args), autograd_grad(f, args, wrt=wrt), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("f, args, wrt", [
    (mse, (0.5, -0.2, VEC, 2 * VEC + 0.1), (0, 1)), (mse, (0.5, -0.2, VEC, 1.0), (0, 1, 2)),
    (mse, (0.5, -0.2, VEC.reshape(2, 2), np.ones((3, 2, 2))), (0, 1, 2, 3)),
    (square_sum, (VEC,), 0), (square_sum, (VEC.reshape(2, 2),), 0), (scaled_mean, (VEC, 1.5), (0, 1)),
    (weighted, (0.7, VEC), (0, 1)), (weighted, (VEC, VEC[::-1].copy()), (0, 1)), (twice_used, (VEC, VEC + 1), (0, 1)),
])
def test_gradients_agree_with_autograd_and_finite_differences(f, args, wrt):
    """Broadcasting among the operands (a number y, a batch of targets) keeps the rewrites honest:
    they fire only where shapes are provably equal."""
    got = sourcead.grad(f, wrt=wrt)(*args)
    assert_close(got, autograd_grad(f, args, wrt=wrt), rtol=1e-10, atol=1e-12)
    assert_close(got, numeric_grad(f, args, wrt=wrt), rtol=1e-6, atol=1e-8)


def test_no_array_of_copies_of_a_reductions_cotangent_is_made():
    text = sourcead.source(sourcead.grad(square_sum), VEC)
    assert "expand_reduced" not in text and "ones" not in text


def test_a_product_read_twice_keeps_its_scale_inside():
    """r = x * 2.0 is read by two sums: the factor is not pulled out of an unbroadcast whose
    argument another statement reads too (that would compute the product twice). The arrays have
    an axis of length 1, so that nothing proves r * y of x's shape and the unbroadcasts stay."""
    text = sourcead.source(sourcead.grad(twice_used, wrt=(0, 1)), VEC[None, :], VEC[None, :] + 1)
    statements = [line for line in body(text) if "2.0" in line]
    assert statements == ["r = x * 2.0", "dx = dr * 2.0"]
