"""Lowering, snippet by snippet: each function below, lowered, prints exactly as expected.

The expected text is `sourcead.ssa(f)`: the primal IR after to_ssa and simplify, in the printer's
format (sourcead/ir/printer.py). A case is a function defined in this module (sourcead reads source
with inspect) and its expected text; adding one is adding the pair to `CASES`.
"""

import math
import textwrap

import numpy as np
import pytest

import sourcead

# ---- the snippets ------------------------------------------------------------------------------


def arithmetic(x, y):
    return (x ** 2 + 4) * y - x / y


def named_values(x):
    y = x * 2
    z = y * x
    return z


def augmented(x):
    s = x
    s += 1.0
    s *= x
    return s


def multiple_targets(x):
    a = b = x * 2
    return a + b


def docstring_and_pass(x):
    """A docstring is dropped, and so is pass."""
    pass
    return x


def unary_and_negative_literal(x):
    return -x + -2.0


def chained_comparison(x):
    return 0.0 < x <= 1.0


def unpack_literal(x, y):
    a, b = y, x
    return a * b


def unpack_value(p):
    a, b = p
    return a - b


def unpack_nested(p):
    (a, b), c = p
    return a * b + c


def tuple_return(x, y):
    return x + y, x * y


def if_elif_else(x):
    if x > 0:
        y = x * 2
    elif x < -1:
        y = -x
    else:
        y = x
    return y


def if_rebinds(x):
    y = x
    if x > 1.0:
        y = y * 3
    return y


def bound_in_one_branch(x):
    if x > 0:
        y = x
    return y


def conditional_expression(x):
    return x if x > 0 else -x


def and_or(x, y):
    return x > 0 and y > 0 or x < y


def not_condition(x):
    if not x > 1.0:
        x = x + 1.0
    return x


def while_loop(x):
    i = 0
    while i < 3:
        x = x * 2
        i = i + 1
    return x


def while_continue(x):
    i = 0
    while i < 4:
        i = i + 1
        if i == 2:
            continue
        x = x * 2
    return x


def while_else(x):
    while x < 5.0:
        if x < 0.0:
            break
        x = x + 2.0
    else:
        x = x * 10
    return x


def for_range(x, n):
    s = 0.0
    for i in range(n):
        s = s + x * i
    return s


def for_sequence(xs):
    s = 0.0
    for v in xs:
        s = s + v
    return s


def for_enumerate(xs):
    s = 0.0
    for i, v in enumerate(xs):
        s = s + i * v
    return s


def for_zip(xs, ys):
    s = 0.0
    for a, b in zip(xs, ys):
        s = s + a * b
    return s


def nested_loops(x):
    for i in range(2):
        for j in range(3):
            x = x * j + i
    return x


def for_break(x):
    for i in range(10):
        if x > 100.0:
            break
        x = x * 2
    return x


def for_continue(x):
    for i in range(4):
        if i == 2:
            continue
        x = x + i
    return x


def return_in_if(x):
    if x > 0:
        return x
    y = x * x
    return y


def several_returns(x):
    if x < -1.0:
        return -x
    elif x < 1.0:
        return x * x
    return x


def return_in_loop(x):
    for i in range(5):
        if x > 10.0:
            return x
        x = x * 3
    return -x


def for_else(x):
    for i in range(3):
        if x > 5.0:
            break
        x = x + 1.0
    else:
        x = x * 10
    return x


def attribute_and_method(x):
    return x.T.sum(axis=0)


def slices(x):
    return x[1:3, ::2]


def computed_slice(x, n):
    return x[n:, 0]


def scale(u, k=2.0):
    return u * k


def calls_helper(x):
    y = scale(x)
    return y + 1


def split(u):
    return u * 2, u + 1


def calls_tuple_helper(x):
    a, b = split(x)
    return a * b


def module_constants(x):
    return np.sin(x) * np.pi + math.e


def defaults_and_keyword_only(x, k=2.0, *, p=3):
    return x * k ** p


def for_reversed(xs):
    s = 0.0
    for v in reversed(xs):
        s = s * 0.5 + v
    return s


def for_iterator(xs):
    s = 0.0
    for v in map(abs, xs):
        s = s + v
    return s


def augmented_in_loop(x, n):
    s = x
    for v in np.sin(x):
        s += v
    return s


def inner_break_outer_for(x):
    for i in range(2):
        while x < 10.0:
            if x < 0.0:
                break
            x = x + 4.0
    return x


# ---- the expected IR ---------------------------------------------------------------------------


def ir(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


CASES = [
    (arithmetic, ir("""
        def arithmetic(x, y):
          t = pow(x, 2)
          t_1 = add(t, 4)
          t_2 = mul(t_1, y)
          t_3 = truediv(x, y)
          t_4 = sub(t_2, t_3)
          return t_4
    """)),
    (named_values, ir("""
        def named_values(x):
          y = mul(x, 2)
          z = mul(y, x)
          return z
    """)),
    # `s += v` may work in place on an array: a run-time check that no name other than the aliases
    # the lowering follows (here x: s is x) holds it first; x is written back (when s is an array)
    (augmented, ir("""
        def augmented(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = not_shared(x, 's', AT_1, (), t_1)
          s_1 = add(s, 1.0)
          x_1 = write_back(x, None, x, s_1)
          t_2 = tuple(s_1, x_1, None)
          t_3 = tuple(t_2)
          s_2 = not_shared(s_1, 's', AT_2, (), t_3)
          s_3 = mul(s_2, x_1)
          x_2 = write_back(x_1, None, s_1, s_3)
          return s_3
    """).replace("AT_1", repr((__file__, augmented.__code__.co_firstlineno + 2, 4)))
        .replace("AT_2", repr((__file__, augmented.__code__.co_firstlineno + 3, 4)))),
    (multiple_targets, ir("""
        def multiple_targets(x):
          b = mul(x, 2)
          t = add(b, b)
          return t
    """)),
    (docstring_and_pass, ir("""
        def docstring_and_pass(x):
          return x
    """)),
    (unary_and_negative_literal, ir("""
        def unary_and_negative_literal(x):
          t = neg(x)
          t_1 = add(t, -2.0)
          return t_1
    """)),
    (chained_comparison, ir("""
        def chained_comparison(x):
          t = lt(0.0, x)
          t_1 = if t:
            then:
              t_2 = le(x, 1.0)
              yield t_2
            else:
              yield t
          return t_1
    """)),
    (unpack_literal, ir("""
        def unpack_literal(x, y):
          t = mul(y, x)
          return t
    """)),
    (unpack_value, ir("""
        def unpack_value(p):
          t = unpacked(p, 2)
          a = getitem(t, 0)
          b = getitem(t, 1)
          t_1 = sub(a, b)
          return t_1
    """)),
    (unpack_nested, ir("""
        def unpack_nested(p):
          t = unpacked(p, 2)
          t_1 = getitem(t, 0)
          t_2 = unpacked(t_1, 2)
          a = getitem(t_2, 0)
          b = getitem(t_2, 1)
          c = getitem(t, 1)
          t_3 = mul(a, b)
          t_4 = add(t_3, c)
          return t_4
    """)),
    (tuple_return, ir("""
        def tuple_return(x, y):
          t = add(x, y)
          t_1 = mul(x, y)
          return (t, t_1)
    """)),
    (if_elif_else, ir("""
        def if_elif_else(x):
          t = gt(x, 0)
          y = if t:
            then:
              y_1 = mul(x, 2)
              yield y_1
            else:
              t_1 = lt(x, -1)
              y_2 = if t_1:
                then:
                  y_3 = neg(x)
                  yield y_3
                else:
                  yield x
              yield y_2
          return y
    """)),
    (if_rebinds, ir("""
        def if_rebinds(x):
          t = gt(x, 1.0)
          y = if t:
            then:
              y_1 = mul(x, 3)
              yield y_1
            else:
              yield x
          return y
    """)),
    (bound_in_one_branch, ir("""
        def bound_in_one_branch(x):
          t = gt(x, 0)
          y = if t:
            then:
              yield x
            else:
              yield UNBOUND
          y_1 = check_bound(y, 'y', READ_OF_Y)
          return y_1
    """).replace("READ_OF_Y", repr((__file__, bound_in_one_branch.__code__.co_firstlineno + 3, 11)))),
    (conditional_expression, ir("""
        def conditional_expression(x):
          t = gt(x, 0)
          t_1 = if t:
            then:
              yield x
            else:
              t_2 = neg(x)
              yield t_2
          return t_1
    """)),
    (and_or, ir("""
        def and_or(x, y):
          t = gt(x, 0)
          t_1 = if t:
            then:
              t_2 = gt(y, 0)
              yield t_2
            else:
              yield t
          t_3 = if t_1:
            then:
              yield t_1
            else:
              t_4 = lt(x, y)
              yield t_4
          return t_3
    """)),
    (not_condition, ir("""
        def not_condition(x):
          t = gt(x, 1.0)
          t_1 = not_(t)
          x_1 = if t_1:
            then:
              x_2 = add(x, 1.0)
              yield x_2
            else:
              yield x
          return x_1
    """)),
    (while_loop, ir("""
        def while_loop(x):
          i, x_1 = while(0, x):
            cond(i_1, x_2):
              t = lt(i_1, 3)
              yield t
            body(i_2, x_3):
              x_4 = mul(x_3, 2)
              i_3 = add(i_2, 1)
              yield i_3, x_4
          return x_1
    """)),
    (while_continue, ir("""
        def while_continue(x):
          i, x_1 = while(0, x):
            cond(i_1, x_2):
              t = lt(i_1, 4)
              yield t
            body(i_2, x_3):
              i_3 = add(i_2, 1)
              t_1 = eq(i_3, 2)
              x_4 = if t_1:
                then:
                  yield x_3
                else:
                  x_5 = mul(x_3, 2)
                  yield x_5
              yield i_3, x_4
          return x_1
    """)),
    (while_else, ir("""
        def while_else(x):
          broke, x_1 = while(False, x):
            cond(broke_1, x_2):
              t = not_(broke_1)
              t_1 = if t:
                then:
                  t_2 = lt(x_2, 5.0)
                  yield t_2
                else:
                  yield t
              yield t_1
            body(broke_2, x_3):
              t_3 = lt(x_3, 0.0)
              broke_3, x_4 = if t_3:
                then:
                  yield True, x_3
                else:
                  x_5 = add(x_3, 2.0)
                  yield broke_2, x_5
              yield broke_3, x_4
          t_4 = not_(broke)
          x_6 = if t_4:
            then:
              x_7 = mul(x_1, 10)
              yield x_7
            else:
              yield x_1
          return x_6
    """)),
    (for_range, ir("""
        def for_range(x, n):
          t = range(n)
          i, s = for(t; UNBOUND, 0.0):
            body(i_1, i_2, s_1):
              t_1 = mul(x, i_1)
              s_2 = add(s_1, t_1)
              yield i_1, s_2
          return s
    """)),
    (for_sequence, ir("""
        def for_sequence(xs):
          t = len(xs)
          t_1 = range(t)
          s, v = for(t_1; 0.0, UNBOUND):
            body(i, s_1, v_1):
              v_2 = getitem(xs, i)
              s_2 = add(s_1, v_2)
              yield s_2, v_2
          return s
    """)),
    (for_enumerate, ir("""
        def for_enumerate(xs):
          t = len(xs)
          t_1 = range(t)
          t_2 = len(t_1)
          t_3 = range(t_2)
          i, s, v = for(t_3; UNBOUND, 0.0, UNBOUND):
            body(i_1, i_2, s_1, v_1):
              t_4 = getitem(t_1, i_1)
              v_2 = getitem(xs, t_4)
              t_5 = tuple(i_1, v_2)
              t_6 = mul(i_1, v_2)
              s_2 = add(s_1, t_6)
              yield i_1, s_2, v_2
          return s
    """)),
    (for_zip, ir("""
        def for_zip(xs, ys):
          t = len(xs)
          t_1 = len(ys)
          t_2 = min(t, t_1)
          t_3 = range(t_2)
          a, b, s = for(t_3; UNBOUND, UNBOUND, 0.0):
            body(i, a_1, b_1, s_1):
              a_2 = getitem(xs, i)
              b_2 = getitem(ys, i)
              t_4 = tuple(a_2, b_2)
              t_5 = mul(a_2, b_2)
              s_2 = add(s_1, t_5)
              yield a_2, b_2, s_2
          return s
    """)),
    (nested_loops, ir("""
        def nested_loops(x):
          t = range(2)
          i, j, x_1 = for(t; UNBOUND, UNBOUND, x):
            body(i_1, i_2, j_1, x_2):
              t_1 = range(3)
              j_2, x_3 = for(t_1; j_1, x_2):
                body(j_3, j_4, x_4):
                  t_2 = mul(x_4, j_3)
                  x_5 = add(t_2, i_1)
                  yield j_3, x_5
              yield i_1, j_2, x_3
          return x_1
    """)),
    (for_break, ir("""
        def for_break(x):
          t = range(10)
          t_1 = len(t)
          broke, k, i, x_1 = while(False, 0, UNBOUND, x):
            cond(broke_1, k_1, i_1, x_2):
              t_2 = not_(broke_1)
              t_3 = if t_2:
                then:
                  t_4 = lt(k_1, t_1)
                  yield t_4
                else:
                  yield t_2
              yield t_3
            body(broke_2, k_2, i_2, x_3):
              i_3 = getitem(t, k_2)
              k_3 = add(k_2, 1)
              t_5 = gt(x_3, 100.0)
              broke_3, x_4 = if t_5:
                then:
                  yield True, x_3
                else:
                  x_5 = mul(x_3, 2)
                  yield broke_2, x_5
              yield broke_3, k_3, i_3, x_4
          return x_1
    """)),
    (for_continue, ir("""
        def for_continue(x):
          t = range(4)
          i, x_1 = for(t; UNBOUND, x):
            body(i_1, i_2, x_2):
              t_1 = eq(i_1, 2)
              x_3 = if t_1:
                then:
                  yield x_2
                else:
                  x_4 = add(x_2, i_1)
                  yield x_4
              yield i_1, x_3
          return x_1
    """)),
    (return_in_if, ir("""
        def return_in_if(x):
          t = gt(x, 0)
          t_1 = if t:
            then:
              yield x
            else:
              y = mul(x, x)
              yield y
          return t_1
    """)),
    (several_returns, ir("""
        def several_returns(x):
          t = lt(x, -1.0)
          t_1 = if t:
            then:
              t_2 = neg(x)
              yield t_2
            else:
              t_3 = lt(x, 1.0)
              t_4 = if t_3:
                then:
                  t_5 = mul(x, x)
                  yield t_5
                else:
                  yield x
              yield t_4
          return t_1
    """)),
    (return_in_loop, ir("""
        def return_in_loop(x):
          t = range(5)
          t_1 = len(t)
          broke, k, retval, returned, i, x_1 = while(False, 0, None, False, UNBOUND, x):
            cond(broke_1, k_1, retval_1, returned_1, i_1, x_2):
              t_2 = not_(broke_1)
              t_3 = if t_2:
                then:
                  t_4 = lt(k_1, t_1)
                  yield t_4
                else:
                  yield t_2
              yield t_3
            body(broke_2, k_2, retval_2, returned_2, i_2, x_3):
              i_3 = getitem(t, k_2)
              k_3 = add(k_2, 1)
              t_5 = gt(x_3, 10.0)
              broke_3, retval_3, returned_3, x_4 = if t_5:
                then:
                  yield True, x_3, True, x_3
                else:
                  x_5 = mul(x_3, 3)
                  yield broke_2, retval_2, returned_2, x_5
              yield broke_3, k_3, retval_3, returned_3, i_3, x_4
          t_6 = if returned:
            then:
              yield retval
            else:
              t_7 = neg(x_1)
              yield t_7
          return t_6
    """)),
    (for_else, ir("""
        def for_else(x):
          t = range(3)
          t_1 = len(t)
          broke, k, i, x_1 = while(False, 0, UNBOUND, x):
            cond(broke_1, k_1, i_1, x_2):
              t_2 = not_(broke_1)
              t_3 = if t_2:
                then:
                  t_4 = lt(k_1, t_1)
                  yield t_4
                else:
                  yield t_2
              yield t_3
            body(broke_2, k_2, i_2, x_3):
              i_3 = getitem(t, k_2)
              k_3 = add(k_2, 1)
              t_5 = gt(x_3, 5.0)
              broke_3, x_4 = if t_5:
                then:
                  yield True, x_3
                else:
                  x_5 = add(x_3, 1.0)
                  yield broke_2, x_5
              yield broke_3, k_3, i_3, x_4
          t_6 = not_(broke)
          x_6 = if t_6:
            then:
              x_7 = mul(x_1, 10)
              yield x_7
            else:
              yield x_1
          return x_6
    """)),
    (attribute_and_method, ir("""
        def attribute_and_method(x):
          t = .T(x)
          t_1 = .sum(t, axis=0)
          return t_1
    """)),
    (slices, ir("""
        def slices(x):
          t = getitem(x, (slice(1, 3, None), slice(None, None, 2)))
          return t
    """)),
    (computed_slice, ir("""
        def computed_slice(x, n):
          t = slice(n, None, None)
          t_1 = tuple(t, 0)
          t_2 = getitem(x, t_1)
          return t_2
    """)),
    (calls_helper, ir("""
        def calls_helper(x):
          y = mul(x, 2.0)
          t = add(y, 1)
          return t
    """)),
    (calls_tuple_helper, ir("""
        def calls_tuple_helper(x):
          a = mul(x, 2)
          b = add(x, 1)
          t = tuple(a, b)
          t_1 = mul(a, b)
          return t_1
    """)),
    (module_constants, ir("""
        def module_constants(x):
          t = numpy.sin(x)
          t_1 = mul(t, np.pi)
          t_2 = add(t_1, math.e)
          return t_2
    """)),
    (defaults_and_keyword_only, ir("""
        def defaults_and_keyword_only(x, k=2.0, *, p=3):
          t = pow(k, p)
          t_1 = mul(x, t)
          return t_1
    """)),
    (for_reversed, ir("""
        def for_reversed(xs):
          t = len(xs)
          t_1 = range(t)
          t_2 = getitem(t_1, slice(None, None, -1))
          s, v = for(t_2; 0.0, UNBOUND):
            body(i, s_1, v_1):
              v_2 = getitem(xs, i)
              t_3 = mul(s_1, 0.5)
              s_2 = add(t_3, v_2)
              yield s_2, v_2
          return s
    """)),
    (for_iterator, ir("""
        def for_iterator(xs):
          t = map(abs, xs)
          t_1 = list(t)
          t_2 = len(t_1)
          t_3 = range(t_2)
          s, v = for(t_3; 0.0, UNBOUND):
            body(i, s_1, v_1):
              v_2 = getitem(t_1, i)
              s_2 = add(s_1, v_2)
              yield s_2, v_2
          return s
    """)),
    # the sequence a loop iterates over is held while it runs: `+=` must not write into it; the
    # loop carries x, which is s (written back when s is an array)
    (augmented_in_loop, ir("""
        def augmented_in_loop(x, n):
          t = numpy.sin(x)
          t_1 = len(t)
          t_2 = range(t_1)
          s, v, x_1 = for(t_2; x, UNBOUND, x):
            body(i, s_1, v_1, x_2):
              v_2 = getitem(t, i)
              t_3 = tuple(s_1, x_2, None)
              t_4 = tuple(t_3)
              t_5 = tuple(n, v_2, t)
              s_2 = not_shared(s_1, 's', AT, t_5, t_4)
              s_3 = add(s_2, v_2)
              x_3 = write_back(x_2, None, s_1, s_3)
              yield s_3, v_2, x_3
          return s
    """).replace("AT", repr((__file__, augmented_in_loop.__code__.co_firstlineno + 3, 8)))),
    # a break of the inner loop ends the inner loop only: the outer `for` stays a for
    (inner_break_outer_for, ir("""
        def inner_break_outer_for(x):
          t = range(2)
          i, x_1 = for(t; UNBOUND, x):
            body(i_1, i_2, x_2):
              broke, x_3 = while(False, x_2):
                cond(broke_1, x_4):
                  t_1 = not_(broke_1)
                  t_2 = if t_1:
                    then:
                      t_3 = lt(x_4, 10.0)
                      yield t_3
                    else:
                      yield t_1
                  yield t_2
                body(broke_2, x_5):
                  t_4 = lt(x_5, 0.0)
                  broke_3, x_6 = if t_4:
                    then:
                      yield True, x_5
                    else:
                      x_7 = add(x_5, 4.0)
                      yield broke_2, x_7
                  yield broke_3, x_6
              yield i_1, x_3
          return x_1
    """)),
]


@pytest.mark.parametrize("fn, expected", [pytest.param(f, e, id=f.__name__) for f, e in CASES])
def test_lowering(fn, expected):
    assert sourcead.ssa(fn) == expected
