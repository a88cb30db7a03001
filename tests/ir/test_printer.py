"""The IR's text form (sourcead/ir/printer.py): IR built by hand prints exactly as expected, for
every statement kind, operation kind and constant kind; names are given by first appearance
(`hint`, `hint_1`, ...; `t` for a temporary, `d` + the name for a derivative), so the text is
deterministic and does not depend on which Var objects carry the values.
"""

import math
import operator
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from irtext import call, function, ir, square_plus  # noqa: E402

from sourcead.ir.core import (Attr, Call, Const, For, Function, If, Method, Param, Pop, Push, Region,  # noqa: E402
                              Slot, Tape, Var, While, derivative, make_list, make_tuple)
from sourcead.ir.printer import format_function, format_region  # noqa: E402
from sourcead.runtime import UNBOUND  # noqa: E402


def test_a_straight_line_function():
    assert format_function(square_plus()[0]) == ir("""
        def square_plus(x):
          y = mul(x, x)
          z = add(y, 1.0)
          return z
    """)


def test_parameters_defaults_and_keyword_only_parameters():
    x, k, s, u = Var("x"), Var("k"), Var("s"), Var("u")
    fn = Function("f", [Param(x), Param(k, Const(2.0)), Param(s, Const(1), keyword_only=True),
                        Param(u, keyword_only=True)], Region([], [], [x]))
    assert format_function(fn) == ir("""
        def f(x, k=2.0, *, s=1, u):
          return x
    """)


def test_operations_and_constants_of_every_kind():
    x, t, t1, y = Var("x"), Var(), Var(), Var("x")
    body = [
        call(np.sin, x, out=t),
        call(Method("sum"), t, axis=0, out=t1),
        call(Attr("T"), t1, out=y),
        call(make_tuple, x, y, out=Var("p")),
        call(make_list, out=Var("stack")),
        call(math.sqrt, Const(np, "np"), out=Var()),
        call(operator.getitem, x, Const(slice(1, None)), out=Var()),
        Call([Var()], np.add, [Const(UNBOUND), Const(np.ones(2))]),
        Call([Var()], np.cos, [Const(np.ones(2), "W")]),
    ]
    fn = function("f", [x], body, [y, derivative(y), derivative(t)], returns_tuple=True)
    assert format_function(fn) == ir("""
        def f(x):
          t = numpy.sin(x)
          t_1 = .sum(t, axis=0)
          x_1 = .T(t_1)
          p = tuple(x, x_1)
          stack = list()
          t_2 = math.sqrt(np)
          t_3 = getitem(x, slice(1, None, None))
          t_4 = numpy.add(UNBOUND, <ndarray>)
          t_5 = numpy.cos(W)
          return (x_1, dx, dt)
    """)


def test_a_one_element_tuple_result_keeps_its_comma():
    x = Var("x")
    assert format_function(function("f", [x], [], [x], returns_tuple=True)).endswith("return (x,)")


def test_regions_of_if_while_and_for():
    x, c, w, w1 = Var("x"), Var(), Var("w"), Var("w")
    branch = If([w], c, Region([], [call(operator.neg, x, out=w1)], [w1]), Region([], [], [x]))
    s, s_cond, s_body, s_next, done = Var("s"), Var("s"), Var("s"), Var("s"), Var()
    loop = While([s], [w], Region([s_cond], [call(operator.gt, s_cond, 1.0, out=done)], [done]),
                 Region([s_body], [call(operator.truediv, s_body, 2, out=s_next)], [s_next]))
    i, acc, acc_in, acc_next = Var("i"), Var("acc"), Var("acc"), Var("acc")
    count = For([acc], Const(range(3), "range(3)"), [s],
                Region([i, acc_in], [call(operator.add, acc_in, i, out=acc_next)], [acc_next]))
    fn = function("f", [x], [call(operator.gt, x, 0, out=c), branch, loop, count], [acc])
    assert format_function(fn) == ir("""
        def f(x):
          t = gt(x, 0)
          w = if t:
            then:
              w_1 = neg(x)
              yield w_1
            else:
              yield x
          s = while(w):
            cond(s_1):
              t_1 = gt(s_1, 1.0)
              yield t_1
            body(s_2):
              s_3 = truediv(s_2, 2)
              yield s_3
          acc = for(range(3); s):
            body(i, acc_1):
              acc_2 = add(acc_1, i)
              yield acc_2
          return acc
    """)


def test_tape_operations_and_effect_only_calls():
    x, stack, push, pop, y = Var("x"), Var("stack"), Var(), Var(), Var("x")
    slot = Slot(Tape())
    body = [call(make_list, out=stack), call(Attr("append"), stack, out=push), call(Attr("pop"), stack, out=pop),
            Call([], Push(slot), [push, x]), Call([y], Pop(slot), [pop])]
    assert format_function(function("f", [x], body, [y])) == ir("""
        def f(x):
          stack = list()
          t = .append(stack)
          t_1 = .pop(stack)
          _ = push(t, x)
          x_1 = pop(t_1)
          return x_1
    """)


def test_names_follow_first_appearance_not_identity():
    """The same program built from other Var objects, in another order, prints the same."""
    a = square_plus()[0]
    b = square_plus()[0]
    assert format_function(a) == format_function(b)
    x1, x2 = Var("x"), Var("x")
    swapped = function("f", [x2], [call(operator.neg, x2, out=x1)], [x1])
    assert format_function(swapped) == ir("""
        def f(x):
          x_1 = neg(x)
          return x_1
    """)


def test_a_region_prints_on_its_own():
    fn, x, y, z = square_plus()
    assert format_region(fn.body, indent="    ") == "    y = mul(x, x)\n    z = add(y, 1.0)"
