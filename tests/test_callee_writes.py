"""A function the differentiated one calls, writing in place into its own parameter (``a += v``).

In Python the write also changes the caller's array; inlining rebinds the callee's name instead. So
the run-time check of that write also looks at the caller's values: an array the caller still
holds is refused at the callee's line (it was a silently wrong primal and gradient); a number, or a
temporary array nobody else holds, is differentiated (checked against autograd and finite
differences).
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from located import assert_located  # noqa: E402
from oracle import assert_close, autograd_grad, numeric_grad  # noqa: E402

import sourcead  # noqa: E402


def bump(a):
    a += 1.0
    return a * 2.0


def passes_its_array(x):
    y = x * 3.0
    z = bump(y)
    return np.sum(y * z)


def passes_a_temporary(x):
    z = bump(x * 3.0)
    return np.sum(x * z)


def passes_a_number(x):
    s = np.sum(x)
    z = bump(s)
    return z * s


X = np.array([1.0, 2.0])


@pytest.mark.parametrize("mode", ["grad", "value_and_grad", "jvp"])
def test_an_array_the_caller_holds_is_refused_at_the_write(mode):
    """Regression: the primal gave 108 where Python gives 130, and a gradient to match."""
    run = {"grad": lambda: sourcead.grad(passes_its_array)(X),
           "value_and_grad": lambda: sourcead.value_and_grad(passes_its_array)(X),
           "jvp": lambda: sourcead.jvp(passes_its_array, (X,), (np.ones(2),))}[mode]
    with pytest.raises(sourcead.UnsupportedSyntaxError) as info:
        run()
    assert_located(info.value, bump, "a += 1.0")


@pytest.mark.parametrize("f", [passes_a_temporary, passes_a_number], ids=lambda f: f.__name__)
def test_what_nobody_else_holds_is_differentiated(f):
    value, g = sourcead.value_and_grad(f)(X.copy())
    assert value == f(X.copy())
    assert_close(g, numeric_grad(f, (X.copy(),)), rtol=1e-6, atol=1e-8)
    if f is passes_a_number:  # (autograd cannot trace an in-place += into an array)
        assert_close(g, autograd_grad(f, (X.copy(),)), rtol=1e-10, atol=1e-12)
