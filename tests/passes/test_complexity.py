"""complexity (sourcead/passes/complexity.py): which values may be complex, and the check that
refuses what does not hold for them. Each case: a function, the kinds of its arguments, and the set
of printed names the analysis calls possibly complex."""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import by_name, kinds_of, lowered  # noqa: E402

import sourcead  # noqa: E402
from sourcead.passes import complexity  # noqa: E402
from sourcead.passes.kinds import SCALAR, Array, ComplexArray, ComplexScalar, kind_of_value  # noqa: E402

REAL_VEC = Array(None, 1)
COMPLEX_VEC = ComplexArray(None, 1)


def complex_names(f, *arg_kinds) -> set:
    fn = lowered(f)
    found = complexity.complex_values(fn, kinds_of(fn, *arg_kinds))
    return {name for name, v in by_name(fn).items() if v in found}


def literal(x):
    a = x * 2.0
    b = a * 1j
    c = np.real(b) + a
    return c


def made(x):
    a = x.astype(complex)
    b = np.fft.rfft(x)
    c = np.abs(b) + np.angle(a[0])
    d = np.reshape(x, (-1,), order="F")
    e = np.zeros(3, dtype="complex64")
    return c, d, e


def joined(z, n):
    acc = 0.0
    for k in range(n):
        acc = acc + z
    if n > 2:
        w = acc
    else:
        w = 1.0
    return np.imag(w)


def fft_back(x):
    spectrum = np.fft.rfft(x)
    return np.fft.irfft(spectrum * 2.0)


@pytest.mark.parametrize("f, arg_kinds, expected", [
    (literal, (SCALAR,), {"b"}),
    (made, (REAL_VEC,), {"a", "b", "t_1", "e"}),  # t_1: a[0]; order="F" is not a complex dtype
    (joined, (ComplexScalar(), SCALAR), {"z", "acc", "acc_1", "acc_2", "w"}),
    (joined, (SCALAR, SCALAR), set()),
    (fft_back, (REAL_VEC,), {"spectrum", "t"}),
], ids=["literal", "made", "joined-complex", "joined-real", "fft-back"])
def test_possibly_complex_values(f, arg_kinds, expected):
    assert complex_names(f, *arg_kinds) == expected


def test_kinds_of_complex_arguments_are_their_own():
    assert kind_of_value(1j) == ComplexScalar() and kind_of_value(1.0) == SCALAR
    assert kind_of_value(np.ones(2) * 1j) == ComplexArray(None, 1, True) != kind_of_value(np.ones(2))
    assert isinstance(ComplexScalar(), type(SCALAR))  # whatever holds for a number holds for it


def ordered(z):
    return np.sum(np.abs(np.sort(z)))


def only_constant(x, z):
    return x * np.sum(np.abs(np.sort(z)))  # z is not differentiated: NumPy's own sort of a constant


def test_the_check_refuses_only_varied_complex_operands():
    with pytest.raises(sourcead.UnsupportedCallError, match="np.sort of a complex value"):
        sourcead.grad(ordered)(np.array([1j, 2.0]))
    assert sourcead.grad(only_constant)(2.0, np.array([1j, 2.0])) == 3.0
