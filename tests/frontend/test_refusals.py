"""Compile-time refusals of the front half (fence, and what lowering refuses), through the public
API: each is an `UnsupportedSyntaxError` (or `UnboundNameError`) that names this file and the line
where the construct is written, shows the line with a caret under it, says what is not supported
and what to write instead. tests/frontend/test_fence.py checks the fence's table on its own.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from located import assert_located  # noqa: E402

import sourcead  # noqa: E402
from sourcead import SourceADError, UnboundNameError, UnsupportedSyntaxError  # noqa: E402


def refusal(fn, *args, **kwargs) -> SourceADError:
    with pytest.raises(SourceADError) as info:
        sourcead.grad(fn)(*args, **kwargs)
    assert not isinstance(info.value, sourcead.InternalError), str(info.value)
    return info.value


# ---- unsupported syntax ------------------------------------------------------------------------


def uses_try(x):
    try:
        y = x * 2
    except ValueError:
        y = x
    return y


def uses_with(x):
    with open(os.devnull) as fh:  # noqa: F841
        y = x
    return y


def uses_global_statement(x):
    global G
    return x


def assigns_into_an_element(x):
    x[0][1] = 1.0
    return x


def shuffles(x):
    np.random.shuffle(x)
    return x


@pytest.mark.parametrize("fn, snippet, construct, hint", [
    (uses_try, "try:", "try/except", "outside"),
    (uses_with, "with", "with statement", "outside"),
    (uses_global_statement, "global", "global statement", "argument"),
    (assigns_into_an_element, "x[0][1]", "x[i][j] = ...", "x[i, j] = ..."),
    (shuffles, "np.random.shuffle(x)", "expression statement", "outside the differentiated function"),
], ids=lambda v: v.__name__ if callable(v) else None)
def test_unsupported_syntax_is_refused_where_it_is_written(fn, snippet, construct, hint):
    err = refusal(fn, np.ones((2, 2)) if fn is assigns_into_an_element else 1.0)
    assert type(err) is UnsupportedSyntaxError
    assert_located(err, fn, snippet)
    assert construct in err.message
    assert err.hint and hint in err.hint


def reads_before_assigning(x):
    y = z * 2  # noqa: F821
    z = x
    return y


def test_a_local_read_before_any_assignment_is_refused_at_compile_time():
    err = refusal(reads_before_assigning, 1.0)
    assert isinstance(err, UnboundNameError) and isinstance(err, UnboundLocalError)
    assert_located(err, reads_before_assigning, "z * 2")
    assert "'z'" in err.message and err.hint


def returns_one_or_two(x):
    if x > 0:
        return x, x
    return x


def test_returns_of_different_arity_are_refused_at_the_second():
    err = refusal(returns_one_or_two, 1.0)
    assert isinstance(err, UnsupportedSyntaxError)
    assert_located(err, returns_one_or_two, "return x\n")
    assert "number of values" in err.message and "every path" in err.hint


def test_a_refusal_is_raised_before_anything_runs():
    """Compile-time refusals do not depend on the arguments, and ssa() reports them too."""
    with pytest.raises(UnsupportedSyntaxError):
        sourcead.ssa(uses_try)
