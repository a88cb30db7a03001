"""split (sourcead/passes/split.py): vjp as its forward sweep and its pullback. f's primal runs
once (in the forward sweep); the pullback pops a copy of the tape and makes its iterators anew, so
it can be called any number of times; forward then pullback give what the single vjp gives."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import assert_close, autograd_vjp  # noqa: E402

import sourcead  # noqa: E402
from sourcead import cache  # noqa: E402

def recurrence(x, y):
    s = 0.0
    for i in range(4):
        s = s + np.sin(x * y) * i + s * 0.1
    return s * x * y


def while_loop(a):
    x = a
    while x > 1.0:
        x = 0.5 * x + 0.1 * np.sqrt(x) + 0.001 * a
    return x


@pytest.mark.parametrize("f, primals, ct", [
    (recurrence, (0.7, np.array([1.0, 2.0])), np.array([1.0, -0.5])),
    (while_loop, (30.0,), 1.0),
], ids=["recurrence", "while"])
def test_the_pullback_can_run_again_and_agrees_with_autograd(f, primals, ct):
    out, pullback = sourcead.vjp(f, *primals)
    first, second, third = pullback(ct), pullback(ct), pullback(ct)
    for a, b in zip(first, second):
        assert_close(a, b, rtol=0, atol=0)
    for a, b in zip(first, third):
        assert_close(a, b, rtol=0, atol=0)
    want_out, want = autograd_vjp(f, primals, ct)
    assert_close(out, want_out, rtol=1e-12, atol=1e-12)
    for a, b in zip(first, want):
        assert_close(a, b, rtol=1e-10, atol=1e-12)


def test_the_vjp_was_split():
    sourcead.vjp(recurrence, 0.7, np.array([1.0, 2.0]))
    table = cache.DERIVED.get(recurrence)
    split = [d for key, d in table.items() if key[0][-1][0] == "vjp_split"]
    assert split and split[0].backward is not None
    assert "_pullback(" in split[0].source and "pop = stack.pop" in split[0].source.split("_pullback(")[1]
