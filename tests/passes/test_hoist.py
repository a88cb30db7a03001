"""hoist (sourcead/passes/hoist.py): a loop's invariant number arithmetic moves before the loop;
nothing that can raise, nothing on arrays, nothing that reads the loop's values moves. `run`
returns a copy; the values computed are the same (reference interpreter), also for a loop that
runs no iteration.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, kinds_of, lowered  # noqa: E402

from sourcead.ir.interpret import interpret  # noqa: E402
from sourcead.passes import hoist  # noqa: E402
from sourcead.passes.kinds import SCALAR, Array  # noqa: E402

VEC = Array(None, 1)


def invariant_product(k, x, n):
    e = 0.0
    for i in range(n):
        t = 0.5 * k
        u = -t
        e = e + t * x + u
    return e


def nested(k, n):
    e = 0.0
    for i in range(n):
        for j in range(n):
            e = e + k * 2.0
    return e


def division_and_arrays(k, w, n):
    e = 0.0
    for i in range(n):
        q = 1.0 / k
        a = w * 2.0
        e = e + q + np.sum(a)
    return e


def while_loop(k, x):
    while x < 10.0:
        x = x + k * k
    return x


CASES = [
    (invariant_product, (SCALAR, SCALAR, SCALAR), """
        def invariant_product(k, x, n):
          t = range(n)
          t_1 = mul(0.5, k)
          u = neg(t_1)
          t_2 = mul(t_1, x)
          e, i, t_3, u_1 = for(t; 0.0, UNBOUND, UNBOUND, UNBOUND):
            body(i_1, e_1, i_2, t_4, u_2):
              t_5 = add(e_1, t_2)
              e_2 = sub(t_5, t_1)
              yield e_2, i_1, t_1, u
          return e
     """),
    # the inner loop's invariant moves out of both loops
    (nested, (SCALAR, SCALAR), """
        def nested(k, n):
          t = range(n)
          t_1 = mul(k, 2.0)
          e, i, j = for(t; 0.0, UNBOUND, UNBOUND):
            body(i_1, e_1, i_2, j_1):
              t_2 = range(n)
              e_2, j_2 = for(t_2; e_1, j_1):
                body(j_3, e_3, j_4):
                  e_4 = add(e_3, t_1)
                  yield e_4, j_3
              yield e_2, i_1, j_2
          return e
     """),
    # a division may raise, an array product is not a number's: both stay
    (division_and_arrays, (SCALAR, VEC, SCALAR), None),
    (while_loop, (SCALAR, SCALAR), """
        def while_loop(k, x):
          t = mul(k, k)
          x_1 = while(x):
            cond(x_2):
              t_1 = lt(x_2, 10.0)
              yield t_1
            body(x_3):
              x_4 = add(x_3, t)
              yield x_4
          return x_1
     """),
]


@pytest.mark.parametrize("f, arg_kinds, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_invariant_number_arithmetic_moves_before_its_loop(f, arg_kinds, expected):
    fn = lowered(f)
    before = format_function(fn)
    out, _ = hoist.run(fn, kinds_of(fn, *arg_kinds))
    assert format_function(fn) == before, "run() does not change its input"
    assert format_function(out) == (ir(expected) if expected is not None else before)


@pytest.mark.parametrize("f, args", [
    (invariant_product, (1.5, 0.3, 4)), (invariant_product, (1.5, 0.3, 0)), (nested, (0.7, 3)),
    (division_and_arrays, (2.0, np.arange(3.0), 2)), (while_loop, (0.9, 1.0)),
])
def test_the_values_are_the_same(f, args):
    fn = lowered(f)
    kinds = kinds_of(fn, *[VEC if isinstance(a, np.ndarray) else SCALAR for a in args])
    out, _ = hoist.run(fn, kinds)
    assert interpret(out, *args) == interpret(fn, *args)
