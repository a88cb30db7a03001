"""seed (sourcead/passes/seed.py): the gradient of an array result's sum starts from
``ones_like_output(y)``; where every operation that seed flows through is elementwise among numbers
and arrays of its shape, the seed becomes ``1.0`` and each result that came from it alone is
broadcast to its parameter's shape once, at the end. Anywhere else the function is unchanged.

Each case: a function, the kinds of its arguments, and the text of its reverse-mode IR (reverse
with seed="ones") after the seed pass. The unbroadcasts the pass makes unnecessary lose their uses
and are left for dce to remove.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, kinds_of, lowered  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.ad.reverse import reverse  # noqa: E402
from sourcead.ir.core import Const, Var  # noqa: E402
from sourcead.ir.interpret import interpret  # noqa: E402
from sourcead.passes import seed  # noqa: E402
from sourcead.passes.kinds import SCALAR, Array  # noqa: E402

VEC, MAT = Array(None, 1), Array(None, 2)


def doubling(x):
    b = x * 2
    for i in range(3):
        b = b * 2
    return b


def sine(x):
    b = x * 2
    return np.sin(b)


def through_matmul(A, v):
    b = A @ v
    return b * 2.0


def through_cumsum(x):
    b = x * 2.0
    return np.cumsum(b)


def gradient(f, *arg_kinds):
    primal = lowered(f)
    kinds = kinds_of(primal, *arg_kinds)
    fn, kinds, seeds = reverse(primal, [0], kinds, seed="ones", rule_ir=cache.rule_ir)
    return fn, kinds, seeds[0]


CASES = [
    # the README's example: the reverse loop computes on the number 1.0, and the gradient takes
    # x's shape once, at the end
    (doubling, (VEC,), """
        def doubling(x):
          stack = list()
          push = .append(stack)
          pop = .pop(stack)
          b = mul(x, 2)
          t = range(3)
          b_1, i = for(t; b, UNBOUND):
            body(i_1, b_2, i_2):
              b_3 = mul(b_2, 2)
              yield b_3, i_1
          t_1 = range(3)
          t_2 = reversed(t_1)
          db = for(t_2; 1.0):
            body(_, db_1):
              db_2 = mul(db_1, 2)
              yield db_2
          t_3 = mul(db, 2)
          dx = unbroadcast(t_3, x)
          t_4 = mul(x, db)
          t_5 = unbroadcast(t_4, 2)
          dx_1 = broadcast_like(t_3, x)
          return (dx_1,)
     """),
    # the seed meets cos(b), an array of x's shape: the product already has the shape
    (sine, (VEC,), """
        def sine(x):
          b = mul(x, 2)
          t = numpy.sin(b)
          t_1 = numpy.cos(b)
          db = mul(1.0, t_1)
          t_2 = mul(db, 2)
          dx = unbroadcast(t_2, x)
          t_3 = mul(x, db)
          t_4 = unbroadcast(t_3, 2)
          return (dx,)
     """),
    # the adjoint of a matrix product needs the cotangent as an array: unchanged
    (through_matmul, (MAT, VEC), """
        def through_matmul(A, v):
          b = matmul(A, v)
          t = mul(b, 2.0)
          dt = ones_like_output(t)
          t_1 = mul(dt, 2.0)
          db = unbroadcast(t_1, b)
          t_2 = mul(b, dt)
          t_3 = unbroadcast(t_2, 2.0)
          dA = matmul_adjoint_left(db, A, v)
          t_4 = matmul_adjoint_right(db, A, v)
          return (dA,)
     """),
    # so does a cumulative sum's
    (through_cumsum, (VEC,), """
        def through_cumsum(x):
          b = mul(x, 2.0)
          t = numpy.cumsum(b)
          dt = ones_like_output(x)
          db = uncumsum(dt, b, None)
          t_1 = mul(db, 2.0)
          dx = unbroadcast(t_1, x)
          t_2 = mul(x, db)
          t_3 = unbroadcast(t_2, 2.0)
          return (dx,)
     """),
]


@pytest.mark.parametrize("f, arg_kinds, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_seed_is_a_number_where_a_number_will_do(f, arg_kinds, expected):
    fn, kinds, seed_var = gradient(f, *arg_kinds)
    assert isinstance(seed_var, Var)
    before = format_function(fn)
    out, _ = seed.run(fn, kinds, [0], seed_var)
    assert format_function(out) == ir(expected)
    assert format_function(fn) == before, "run() does not change its input"
    args = [np.linspace(-0.5, 0.5, 3 * k.ndim).reshape((3,) * k.ndim) if k.ndim == 1 else np.eye(3) + 0.5
            for k in arg_kinds]
    (got,), (want,) = interpret(out, *args), interpret(fn, *args)
    assert got.shape == want.shape == args[0].shape and np.allclose(got, want), "the same values"


def test_a_number_seed_is_left_alone():
    fn, kinds, seed_const = gradient(sine, SCALAR)
    assert isinstance(seed_const, Const) and seed_const.value == 1.0
    assert seed.run(fn, kinds, [0], seed_const) == (fn, kinds)


def test_an_array_seed_of_unknown_shape_class_is_left_alone():
    fn, kinds, seed_var = gradient(doubling, VEC)
    kinds[seed_var] = Array(None, 1)
    out, _ = seed.run(fn, kinds, [0], seed_var)
    assert format_function(out) == format_function(fn)
    assert "ones_like_output" in format_function(out)
