"""dce (sourcead/passes/dce.py): what no result needs goes -- dead statements, the unused outputs of
an If (and the If when none is used), loop-carried values nothing after the loop needs -- while
effects stay: checks that raise as Python would, tape pushes and pops. `run` returns a copy.

Each case: a function, its lowered IR (to_ssa, then simplify, as a transform receives it) and the
expected text after dce.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import numpy as np  # noqa: E402
from stages import format_function, ir, lowered  # noqa: E402

from sourcead import runtime  # noqa: E402
from sourcead.ir.core import Attr, Call, Function, Param, Pop, Push, Region, Slot, Tape, Var, make_list, walk  # noqa: E402
from sourcead.passes import dce  # noqa: E402


def dead_statement(x):
    a = x * 2
    b = np.sin(x)
    return a


def dead_if_output(x):
    if x > 0:
        a = x * 2
        b = x * 3
    else:
        a = -x
        b = x
    return a


def dead_if(x):
    if x > 0:
        b = x * 3
    else:
        b = x
    return x


def dead_carried_value(x, n):
    s = x
    c = 0.0
    for i in range(n):
        s = s * x
        c = c + 1.0
    return s


def carried_value_read_by_a_kept_one(x, n):
    s = x
    c = 1.0
    for i in range(n):
        s = s * c
        c = c + 1.0
    return s


def dead_for(x, n):
    s = x
    for i in range(n):
        s = s * 2.0
    return x


def dead_while(x):
    k = 0
    w = x
    while k < 3:
        k = k + 1
        w = w * 2
    return x


def unbound_check(x):
    if x > 0:
        y = x
    z = y * 2
    return x


def in_place_check(x):
    s = x
    s += 1.0
    return x


CASES = [
    (dead_statement, """
        def dead_statement(x):
          a = mul(x, 2)
          b = numpy.sin(x)
          return a
     """, """
        def dead_statement(x):
          a = mul(x, 2)
          return a
     """),
    (dead_if_output, """
        def dead_if_output(x):
          t = gt(x, 0)
          a, b = if t:
            then:
              a_1 = mul(x, 2)
              b_1 = mul(x, 3)
              yield a_1, b_1
            else:
              a_2 = neg(x)
              yield a_2, x
          return a
     """, """
        def dead_if_output(x):
          t = gt(x, 0)
          a = if t:
            then:
              a_1 = mul(x, 2)
              yield a_1
            else:
              a_2 = neg(x)
              yield a_2
          return a
     """),
    (dead_if, """
        def dead_if(x):
          t = gt(x, 0)
          b = if t:
            then:
              b_1 = mul(x, 3)
              yield b_1
            else:
              yield x
          return x
     """, """
        def dead_if(x):
          return x
     """),
    (dead_carried_value, """
        def dead_carried_value(x, n):
          t = range(n)
          c, i, s = for(t; 0.0, UNBOUND, x):
            body(i_1, c_1, i_2, s_1):
              s_2 = mul(s_1, x)
              c_2 = add(c_1, 1.0)
              yield c_2, i_1, s_2
          return s
     """, """
        def dead_carried_value(x, n):
          t = range(n)
          s = for(t; x):
            body(i, s_1):
              s_2 = mul(s_1, x)
              yield s_2
          return s
     """),
    # c is not used after the loop, but s, which is, is computed from it
    (carried_value_read_by_a_kept_one, """
        def carried_value_read_by_a_kept_one(x, n):
          t = range(n)
          c, i, s = for(t; 1.0, UNBOUND, x):
            body(i_1, c_1, i_2, s_1):
              s_2 = mul(s_1, c_1)
              c_2 = add(c_1, 1.0)
              yield c_2, i_1, s_2
          return s
     """, """
        def carried_value_read_by_a_kept_one(x, n):
          t = range(n)
          c, s = for(t; 1.0, x):
            body(i, c_1, s_1):
              s_2 = mul(s_1, c_1)
              c_2 = add(c_1, 1.0)
              yield c_2, s_2
          return s
     """),
    (dead_for, None, """
        def dead_for(x, n):
          return x
     """),
    # a while loop runs until its condition fails, which may never happen: it stays, with only
    # what its condition reads
    (dead_while, """
        def dead_while(x):
          k, w = while(0, x):
            cond(k_1, w_1):
              t = lt(k_1, 3)
              yield t
            body(k_2, w_2):
              k_3 = add(k_2, 1)
              w_3 = mul(w_2, 2)
              yield k_3, w_3
          return x
     """, """
        def dead_while(x):
          k = while(0):
            cond(k_1):
              t = lt(k_1, 3)
              yield t
            body(k_2):
              k_3 = add(k_2, 1)
              yield k_3
          return x
     """),
    # reading y where it is unbound raises as Python would: the check stays, its product goes
    (unbound_check, """
        def unbound_check(x):
          t = gt(x, 0)
          y = if t:
            then:
              yield x
            else:
              yield UNBOUND
          y_1 = check_bound(y, 'y', AT)
          z = mul(y_1, 2)
          return x
     """, """
        def unbound_check(x):
          t = gt(x, 0)
          y = if t:
            then:
              yield x
            else:
              yield UNBOUND
          y_1 = check_bound(y, 'y', AT)
          return x
     """),
    (in_place_check, """
        def in_place_check(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = not_shared(x, 's', AT, (), t_1)
          s_1 = add(s, 1.0)
          x_1 = write_back(x, None, x, s_1)
          return x_1
     """, """
        def in_place_check(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = not_shared(x, 's', AT, (), t_1)
          s_1 = add(s, 1.0)
          x_1 = write_back(x, None, x, s_1)
          return x_1
     """),
]

# where each check points: (file, line, column) of the read it guards
AT = {unbound_check: (3, 8), in_place_check: (2, 4)}


def expected_text(f, text):
    text = ir(text)
    if f in AT:
        line, col = AT[f]
        text = text.replace("AT", repr((__file__, f.__code__.co_firstlineno + line, col)))
    return text


@pytest.mark.parametrize("f, before, after", CASES, ids=[c[0].__name__ for c in CASES])
def test_what_no_result_needs_goes(f, before, after):
    fn = lowered(f)
    text = format_function(fn)
    if before is not None:
        assert text == expected_text(f, before)
    out = dce.run(fn)
    assert format_function(out) == expected_text(f, after)
    assert format_function(fn) == text, "run() does not change its input"
    assert out is not fn and out.body is not fn.body


def test_tape_traffic_is_kept_though_nothing_reads_it():
    x, stack, push, pop, popped, dead = Var("x"), Var("stack"), Var(), Var(), Var("y"), Var()
    slot = Slot(Tape())
    body = [Call([stack], make_list, []), Call([push], Attr("append"), [stack]), Call([pop], Attr("pop"), [stack]),
            Call([], Push(slot), [push, x]), Call([popped], Pop(slot), [pop]), Call([dead], np.sin, [x])]
    fn = Function("f", [Param(x)], Region([], body, [x]))
    assert format_function(dce.run(fn)) == ir("""
        def f(x):
          stack = list()
          t = .append(stack)
          t_1 = .pop(stack)
          _ = push(t, x)
          y = pop(t_1)
          return x
    """)


def test_effects_are_the_checks_and_the_tape():
    assert all(dce.is_effect(op) for op in (runtime.check_bound, runtime.unpacked, runtime.not_shared,
                                            Push(Slot(Tape())), Pop(Slot(Tape()))))
    assert not any(dce.is_effect(op) for op in (np.sin, runtime.unbroadcast, len))


def test_prune_region_works_in_place_and_keeps_every_yield():
    fn = lowered(dead_if_output)
    region = fn.body
    dce.prune_region(region)
    assert fn.body is region
    assert [type(s).__name__ for s in walk(region.body)] == ["Call", "If", "Call", "Call"]
