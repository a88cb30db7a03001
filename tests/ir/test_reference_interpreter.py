"""The reference interpreter (sourcead/ir/interpret.py) on IR built by hand: each statement kind
means what it says, parameters take defaults, wrong argument counts are a TypeError, and a tuple
function returns a tuple. (tests/lower/test_interpret.py runs it on the lowered catalog.)
"""

import operator
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from irtext import call, function, square_plus  # noqa: E402

from sourcead.ir.core import Const, For, Function, If, Param, Region, Var, While, make_tuple  # noqa: E402
from sourcead.ir.interpret import interpret  # noqa: E402


def test_straight_line_code():
    fn = square_plus()[0]
    assert interpret(fn, 3.0) == 10.0
    assert np.array_equal(interpret(fn, np.array([1.0, 2.0])), [2.0, 5.0])


def branch_fn():
    x, c, w, inner = Var("x"), Var(), Var("w"), Var("w")
    branch = If([w], c, Region([], [call(operator.neg, x, out=inner)], [inner]), Region([], [], [x]))
    return function("f", [x], [call(operator.lt, x, 0, out=c), branch], [w])


@pytest.mark.parametrize("x, expected", [(-2.0, 2.0), (3.0, 3.0)], ids=["then", "else"])
def test_an_if_yields_the_values_of_the_branch_taken(x, expected):
    assert interpret(branch_fn(), x) == expected


def halve_until_small():
    """``s = x; while s > 1: s = s / 2; return s``"""
    x, s, s_cond, s_body, s_next, done = Var("x"), Var("s"), Var("s"), Var("s"), Var("s"), Var()
    loop = While([s], [x], Region([s_cond], [call(operator.gt, s_cond, 1.0, out=done)], [done]),
                 Region([s_body], [call(operator.truediv, s_body, 2, out=s_next)], [s_next]))
    return function("f", [x], [loop], [s])


def test_a_while_runs_its_body_until_the_condition_is_false():
    assert interpret(halve_until_small(), 12.0) == 0.75
    assert interpret(halve_until_small(), 0.5) == 0.5


def sum_of_items():
    """``acc = x; for i in items: acc = acc + i; return acc``"""
    x, items, i, acc, acc_in, acc_next = Var("x"), Var("items"), Var("i"), Var("acc"), Var("acc"), Var("acc")
    loop = For([acc], items, [x], Region([i, acc_in], [call(operator.add, acc_in, i, out=acc_next)], [acc_next]))
    return function("f", [x, items], [loop], [acc])


def test_a_for_runs_its_body_per_item_with_the_carried_values():
    assert interpret(sum_of_items(), 1.0, [2.0, 3.0, 4.0]) == 10.0
    assert interpret(sum_of_items(), 1.0, []) == 1.0


def test_defaults_and_argument_counts():
    x, k, y = Var("x"), Var("k"), Var("y")
    fn = Function("f", [Param(x), Param(k, Const(3.0))], Region([], [call(operator.mul, x, k, out=y)], [y]))
    assert interpret(fn, 2.0) == 6.0
    assert interpret(fn, 2.0, 5.0) == 10.0
    with pytest.raises(TypeError, match="missing argument 'x'"):
        interpret(fn)
    with pytest.raises(TypeError, match="takes 2 arguments, got 3"):
        interpret(fn, 1.0, 2.0, 3.0)


def test_a_tuple_function_returns_a_tuple_and_keywords_reach_the_call():
    x, t, p = Var("x"), Var(), Var("p")
    body = [call(np.sum, x, axis=0, out=t), call(make_tuple, t, x, out=p)]
    fn = function("f", [x], body, [t, p], returns_tuple=True)
    got = interpret(fn, np.ones((2, 3)))
    assert type(got) is tuple and len(got) == 2
    assert np.array_equal(got[0], [2.0, 2.0, 2.0]) and got[1][1].shape == (2, 3)
    single = function("g", [x], [], [x], returns_tuple=True)
    assert interpret(single, 1.5) == (1.5,)
    assert interpret(function("h", [x], [], []), 1.5) is None
