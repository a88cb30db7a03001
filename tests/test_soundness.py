"""Sound by construction: the compiler treats as constant only what it can prove constant. An
operation on a value that depends on the differentiated inputs, which it does not model -- a
callable or subscriptable object with no rule and no source, an unknown method or attribute of an
active value, a container operator whose operands it cannot see -- is refused with a located
`SourceADError`, in every mode, never differentiated as if it were constant (a silent zero)."""

import functools
import math
import operator

import numpy as np
import pytest

import sourcead
from sourcead.errors import InternalError, SourceADError


def _double(v):
    return 2.0 * v


scale = np.vectorize(_double)  # a callable object of a library: no rule, and its __call__ is not the user's


def r_concatenation(x):
    return np.sum(np.r_[x, 2.0 * x] ** 2)


def c_concatenation(x):
    return np.sum(np.c_[x, 2.0 * x] ** 2)


def callable_object(x):
    return np.sum(scale(x))


def unknown_method(x):
    return np.sum(x.byteswap().byteswap())


def unknown_attribute(x):
    return np.sum(x.flat)


def library_function(x):
    return functools.reduce(operator.add, [x[0], x[1]])


def math_without_rule(x):
    return math.fsum([x[0], x[1]])


def opaque_sequence_plus(x):
    parts = np.split(x, 2)
    return np.sum((parts + [x])[0])


CASES = [r_concatenation, c_concatenation, callable_object, unknown_method, unknown_attribute,
         library_function, math_without_rule, opaque_sequence_plus]
X = np.array([0.3, -0.4])


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_grad_refuses(f):
    with pytest.raises(SourceADError) as info:
        sourcead.grad(f)(X)
    assert not isinstance(info.value, InternalError)
    assert info.value.loc is None or info.value.loc.filename == __file__


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_jvp_refuses(f):
    with pytest.raises(SourceADError) as info:
        sourcead.jvp(f, (X,), (np.ones(2),))
    assert not isinstance(info.value, InternalError)


@pytest.mark.parametrize("f", CASES, ids=lambda f: f.__name__)
def test_the_primal_itself_runs(f):
    """Each case is ordinary, working Python: the refusal is about its derivative."""
    f(X)
