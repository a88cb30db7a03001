"""simplify (sourcead/passes/simplify.py), rewrite by rewrite: each entry of its table fires on a
snippet whose kinds allow it, and does not fire where they do not (a rewrite that could change a
value's type, such as ``x * 1.0`` on an integer array, only fires on known numbers). `run` returns a
simplified copy and leaves its input alone.

Each case: a function, the kinds of its parameters, its IR right after to_ssa, and the expected
text after simplify. (Dead statements stay: removing them is dce's job.)
"""

import collections
import dataclasses
import operator
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, kinds_of, to_ssa_of  # noqa: E402

from sourcead import runtime  # noqa: E402
from sourcead.ir.core import Call, Const, Function, Param, Region, Var, make_dict, make_tuple  # noqa: E402
from sourcead.passes import simplify  # noqa: E402
from sourcead.passes.kinds import SCALAR, Array  # noqa: E402

VEC = Array(None, 1)


def fold(x):
    return x * (2.0 * 3.0 - 1)


def times_one(x):
    return x * 1.0 + 1.0 * x


def times_int_one(x):
    return x * 1


def plus_zero(x):
    return (x + 0.0) - 0.0 + (0 + x)


def zero_minus(x):
    return 0 - x


def times_minus_one(x):
    return x * -1


def power_one(x):
    return x ** 1


def over_one(x):
    return x / 1.0


def double_negation(x):
    return -(-x)


def plus_negation(x, y):
    return x + (-y)


def minus_negation(x, y):
    return x - (-y)


def negation_times(x, y):
    return (-x) * y


def negation_times_literal(x):
    return (-x) * 3.0


def negation_over(x, y):
    return (-x) / y


def item_of_a_built_tuple(x, y):
    p = (x, y)
    return p[1]


def item_of_a_literal_tuple(x):
    return x * (1.0, 2.0)[1]


def unpack_a_built_tuple(x, y):
    p = (x, y)
    a, b = p
    return a * b


def slice_of_literals(x):
    return x[slice(1, 3)]


def size_of_a_number(x):
    return np.size(x) * x


def augmented(x):
    s = x
    s += 1.0
    return s


def number_alias(x):
    s = x
    s += 1.0
    return s + x  # x is s when it is an array (write_back), not when it is a number


def number_view(x):
    s = x
    x += 1.0
    return s * x  # s is x when it is an array (view_of), not when it is a number


def constant_condition(x):
    if True:
        y = x * 2.0
    else:
        y = -x
    return y


S, A, U = (SCALAR,), (VEC,), (None,)

CASES = [
    (fold, S, """
        def fold(x):
          t = mul(2.0, 3.0)
          t_1 = sub(t, 1)
          t_2 = mul(x, t_1)
          return t_2
     """, """
        def fold(x):
          t = mul(x, 5.0)
          return t
     """),
    (times_one, S, """
        def times_one(x):
          t = mul(x, 1.0)
          t_1 = mul(1.0, x)
          t_2 = add(t, t_1)
          return t_2
     """, """
        def times_one(x):
          t = add(x, x)
          return t
     """),
    # an integer array times 1.0 is a float array: kept
    (times_one, A, None, """
        def times_one(x):
          t = mul(x, 1.0)
          t_1 = mul(1.0, x)
          t_2 = add(t, t_1)
          return t_2
     """),
    # nothing known about x: kept
    (times_one, U, None, """
        def times_one(x):
          t = mul(x, 1.0)
          t_1 = mul(1.0, x)
          t_2 = add(t, t_1)
          return t_2
     """),
    # an integer 1 keeps any array's type
    (times_int_one, A, """
        def times_int_one(x):
          t = mul(x, 1)
          return t
     """, """
        def times_int_one(x):
          return x
     """),
    (times_int_one, U, None, """
        def times_int_one(x):
          t = mul(x, 1)
          return t
     """),
    (plus_zero, S, """
        def plus_zero(x):
          t = add(x, 0.0)
          t_1 = sub(t, 0.0)
          t_2 = add(0, x)
          t_3 = add(t_1, t_2)
          return t_3
     """, """
        def plus_zero(x):
          t = add(x, x)
          return t
     """),
    (plus_zero, A, None, """
        def plus_zero(x):
          t = add(x, 0.0)
          t_1 = sub(t, 0.0)
          t_2 = add(t_1, x)
          return t_2
     """),
    (zero_minus, S, """
        def zero_minus(x):
          t = sub(0, x)
          return t
     """, """
        def zero_minus(x):
          t = neg(x)
          return t
     """),
    (zero_minus, A, None, """
        def zero_minus(x):
          t = sub(0, x)
          return t
     """),
    (times_minus_one, S, """
        def times_minus_one(x):
          t = mul(x, -1)
          return t
     """, """
        def times_minus_one(x):
          t = neg(x)
          return t
     """),
    (power_one, S, """
        def power_one(x):
          t = pow(x, 1)
          return t
     """, """
        def power_one(x):
          return x
     """),
    (over_one, S, """
        def over_one(x):
          t = truediv(x, 1.0)
          return t
     """, """
        def over_one(x):
          return x
     """),
    (over_one, A, None, """
        def over_one(x):
          t = truediv(x, 1.0)
          return t
     """),
    (double_negation, U, """
        def double_negation(x):
          t = neg(x)
          t_1 = neg(t)
          return t_1
     """, """
        def double_negation(x):
          t = neg(x)
          return x
     """),
    (plus_negation, U, """
        def plus_negation(x, y):
          t = neg(y)
          t_1 = add(x, t)
          return t_1
     """, """
        def plus_negation(x, y):
          t = neg(y)
          t_1 = sub(x, y)
          return t_1
     """),
    (minus_negation, U, """
        def minus_negation(x, y):
          t = neg(y)
          t_1 = sub(x, t)
          return t_1
     """, """
        def minus_negation(x, y):
          t = neg(y)
          t_1 = add(x, y)
          return t_1
     """),
    (negation_times, U, """
        def negation_times(x, y):
          t = neg(x)
          t_1 = mul(t, y)
          return t_1
     """, """
        def negation_times(x, y):
          t = neg(x)
          t_1 = mul(x, y)
          t_2 = neg(t_1)
          return t_2
     """),
    (negation_times_literal, U, """
        def negation_times_literal(x):
          t = neg(x)
          t_1 = mul(t, 3.0)
          return t_1
     """, """
        def negation_times_literal(x):
          t = neg(x)
          t_1 = mul(x, -3.0)
          return t_1
     """),
    (negation_over, U, """
        def negation_over(x, y):
          t = neg(x)
          t_1 = truediv(t, y)
          return t_1
     """, """
        def negation_over(x, y):
          t = neg(x)
          t_1 = truediv(x, y)
          t_2 = neg(t_1)
          return t_2
     """),
    (item_of_a_built_tuple, U, """
        def item_of_a_built_tuple(x, y):
          p = tuple(x, y)
          t = getitem(p, 1)
          return t
     """, """
        def item_of_a_built_tuple(x, y):
          p = tuple(x, y)
          return y
     """),
    (item_of_a_literal_tuple, U, """
        def item_of_a_literal_tuple(x):
          t = getitem((1.0, 2.0), 1)
          t_1 = mul(x, t)
          return t_1
     """, """
        def item_of_a_literal_tuple(x):
          t = mul(x, 2.0)
          return t
     """),
    # a tuple built here has as many items as names: the run-time check goes
    (unpack_a_built_tuple, U, """
        def unpack_a_built_tuple(x, y):
          p = tuple(x, y)
          t = unpacked(p, 2)
          a = getitem(t, 0)
          b = getitem(t, 1)
          t_1 = mul(a, b)
          return t_1
     """, """
        def unpack_a_built_tuple(x, y):
          p = tuple(x, y)
          t = mul(x, y)
          return t
     """),
    (slice_of_literals, U, """
        def slice_of_literals(x):
          t = slice(1, 3)
          t_1 = getitem(x, t)
          return t_1
     """, """
        def slice_of_literals(x):
          t = getitem(x, slice(1, 3, None))
          return t
     """),
    (size_of_a_number, S, """
        def size_of_a_number(x):
          t = numpy.size(x)
          t_1 = mul(t, x)
          return t_1
     """, """
        def size_of_a_number(x):
          return x
     """),
    (size_of_a_number, A, None, """
        def size_of_a_number(x):
          t = numpy.size(x)
          t_1 = mul(t, x)
          return t_1
     """),
    # a number is never changed in place: no check that no other name holds it
    (augmented, S, """
        def augmented(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = not_shared(x, 's', AT, (), t_1)
          s_1 = add(s, 1.0)
          x_1 = write_back(x, None, x, s_1)
          return s_1
     """, """
        def augmented(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = add(x, 1.0)
          return s
     """),
    (augmented, A, None, """
        def augmented(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = not_shared(x, 's', AT, (), t_1)
          s_1 = add(s, 1.0)
          x_1 = write_back(x, None, x, s_1)
          return s_1
     """),
    (number_alias, S, None, """
        def number_alias(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          s = add(x, 1.0)
          t_2 = add(s, x)
          return t_2
     """),
    (number_view, S, None, """
        def number_view(x):
          t = tuple(x, x, None)
          t_1 = tuple(t)
          x_1 = add(x, 1.0)
          t_2 = mul(x, x_1)
          return t_2
     """),
    (constant_condition, U, """
        def constant_condition(x):
          y = if True:
            then:
              y_1 = mul(x, 2.0)
              yield y_1
            else:
              y_2 = neg(x)
              yield y_2
          return y
     """, """
        def constant_condition(x):
          y = mul(x, 2.0)
          return y
     """),
]


def expected_text(f, text):
    at = repr((__file__, f.__code__.co_firstlineno + 2, 4))
    return ir(text).replace("AT", at)


@pytest.mark.parametrize("f, arg_kinds, before, after", CASES,
                         ids=[f"{c[0].__name__}-{type(c[1][0]).__name__}" for c in CASES])
def test_a_rewrite_fires_where_the_kinds_allow_it(f, arg_kinds, before, after):
    fn = to_ssa_of(f)
    if before is not None:
        assert format_function(fn) == expected_text(f, before)
    text = format_function(fn)
    out, _ = simplify.run(fn, kinds_of(fn, *arg_kinds))
    assert format_function(out) == expected_text(f, after)
    assert format_function(fn) == text, "run() does not change its input"


def test_the_rewrites_of_the_table_all_have_a_case():
    """Every operation simplify rewrites appears in a case above (unbroadcast and the tuple of
    literals are built by hand below: no source snippet reaches them before simplify)."""
    covered = {operator.mul, operator.truediv, operator.add, operator.sub, operator.pow, operator.neg,
               slice, runtime.unpacked, runtime.not_shared, np.size, operator.getitem, runtime.write_back, runtime.view_of,
               runtime.unbroadcast, runtime.broadcast_like, make_tuple, runtime.field,  # field: by hand below
               runtime.matmul_adjoint_left, runtime.matmul_adjoint_right,  # products: by hand below
               runtime.tensordot_adjoint_left, runtime.tensordot_adjoint_right}
    assert set(simplify._RULES) == covered


def shaped_like(op, g_kind, x_kind):
    g, x, out = Var("g"), Var("x"), Var()
    fn = Function("f", [Param(g), Param(x)], Region([], [Call([out], op, [g, x])], [out]))
    return fn, {g: g_kind, x: x_kind}


@pytest.mark.parametrize("op", [runtime.unbroadcast, runtime.broadcast_like], ids=["unbroadcast", "broadcast_like"])
@pytest.mark.parametrize("g_kind, x_kind, gone", [
    (SCALAR, SCALAR, True),
    (Array("s", 1), Array("s", 1), True),
    (Array("s", 1), Array("other", 1), False),
    (Array(None, 1), Array(None, 1), False),
    (SCALAR, Array("s", 1), False),
    (None, SCALAR, False),
], ids=["numbers", "same-shape-class", "other-shape-class", "unknown-shape-class", "number-to-array", "unknown"])
def test_a_reshaping_that_cannot_change_the_value_goes(op, g_kind, x_kind, gone):
    fn, table = shaped_like(op, g_kind, x_kind)
    name = "unbroadcast" if op is runtime.unbroadcast else "broadcast_like"
    out, _ = simplify.run(fn, table)
    assert format_function(out) == ("def f(g, x):\n  return g" if gone else
                                    f"def f(g, x):\n  t = {name}(g, x)\n  return t")


Pair = collections.namedtuple("Pair", "w b")


@dataclasses.dataclass
class Fields:
    w: float
    b: float


@pytest.mark.parametrize("built, read, expected", [
    ("dict", (operator.getitem, "a"), "z"), ("dict", (operator.getitem, "b"), "y"),
    ("dict", (operator.getitem, "c"), None),  # a key it lacks: Python's KeyError, as it runs
    ("namedtuple", (operator.getitem, 1), "y"), ("namedtuple", (operator.getitem, -2), "x"),
    ("dataclass", (runtime.field, "w"), "x"), ("dataclass", (operator.getitem, 0), None),
], ids=["replaced-key", "kept-key", "missing-key", "namedtuple-item", "namedtuple-negative", "dataclass-field",
        "dataclass-item"])
def test_an_item_of_a_dict_or_record_built_here_is_the_value_stored(built, read, expected):
    """d = {"a": x, "b": y}; d["a"] = z (through its alias check); Pair(x, y); Fields(x, y): an item
    read back is the value stored, so the derivative never goes through the container."""
    x, y, z, c, d, t, out = Var("x"), Var("y"), Var("z"), Var("c"), Var("d"), Var("t"), Var()
    if built == "dict":
        body = [Call([c], make_dict, [Const(("a", "b")), x, y]),
                Call([t], runtime.not_shared, [c, Const("d"), Const(None), Const(())]),
                Call([d], runtime.dict_with, [t, Const("a"), z])]
    else:
        body = [Call([t], make_tuple, [x, y]),
                Call([d], runtime.make_record, [Const(Pair if built == "namedtuple" else Fields), Const(("w", "b")), t])]
    body.append(Call([out], read[0], [d, Const(read[1])]))
    fn = Function("f", [Param(x), Param(y), Param(z)], Region([], body, [out]))
    out_fn, _ = simplify.run(fn, {})
    text = format_function(out_fn)
    if expected is not None:
        assert text.splitlines()[-1] == f"  return {expected}", text
    else:  # read as it runs
        assert text.splitlines()[-2].endswith(f"{'getitem' if read[0] is operator.getitem else 'field'}(d, {read[1]!r})")


def product_adjoint(op, ra, rb, dot=False):
    g, a, b, out = Var("g"), Var("a"), Var("b"), Var()
    body = [Call([out], op, [g, a, b])]
    if dot:
        axes = Var("axes")
        body = [Call([axes], runtime.dot_axes, [a, b]), Call([out], op, [g, a, b, axes])]
    fn = Function("f", [Param(g), Param(a), Param(b)], Region([], body, [out]))
    kind = {0: SCALAR, 1: Array(None, 1), 2: Array(None, 2), 3: Array(None, 3)}
    return fn, {a: kind[ra], b: kind[rb]}


@pytest.mark.parametrize("op, ra, rb, dot, expected", [
    (runtime.matmul_adjoint_left, 2, 2, False, "t = .T(b)\n  t_1 = matmul(g, t)\n  return t_1"),
    (runtime.matmul_adjoint_right, 2, 2, False, "t = .T(a)\n  t_1 = matmul(t, g)\n  return t_1"),
    (runtime.matmul_adjoint_left, 2, 1, False, "t = numpy.outer(g, b)\n  return t"),
    (runtime.matmul_adjoint_right, 2, 1, False, "t = matmul(g, a)\n  return t"),
    (runtime.matmul_adjoint_left, 1, 2, False, "t = matmul(b, g)\n  return t"),
    (runtime.matmul_adjoint_right, 1, 2, False, "t = numpy.outer(a, g)\n  return t"),
    (runtime.tensordot_adjoint_left, 2, 2, True, "axes = dot_axes(a, b)\n  t = .T(b)\n  t_1 = matmul(g, t)\n  return t_1"),
    (runtime.tensordot_adjoint_right, 2, 2, True, "axes = dot_axes(a, b)\n  t = .T(a)\n  t_1 = matmul(t, g)\n  return t_1"),
    (runtime.matmul_adjoint_left, 3, 2, False, None),  # batched: the helper broadcasts, stays
    (runtime.matmul_adjoint_right, 1, 1, False, None),  # vectors: a number times a vector, stays
    (runtime.tensordot_adjoint_left, 2, 2, False, None),  # axes not np.dot's: stays
])
def test_a_product_adjoint_of_known_ranks_is_written_out(op, ra, rb, dot, expected):
    """The cotangents of a product of matrices read as a person writes them (g @ b.T), not as a
    call of a generic helper that finds out the ranks at run time."""
    fn, table = product_adjoint(op, ra, rb, dot)
    out, _ = simplify.run(fn, table)
    text = format_function(out)
    if expected is None:
        assert op.__name__ in text.splitlines()[-2]
    else:
        assert text == f"def f(g, a, b):\n  {expected}"
    a = np.arange(1.0, 7.0).reshape(2, 3) if ra == 2 else np.array([1.0, -2.0])
    b = np.arange(1.0, 13.0).reshape(3, 4) if (ra, rb) == (2, 2) else np.array([0.5, 1.5, 2.0]) if rb == 1 \
        else np.arange(1.0, 9.0).reshape(2, 4)
    if expected is not None:
        from sourcead.ir.interpret import interpret
        g = np.ones(np.shape(np.matmul(a, b)))
        np.testing.assert_allclose(interpret(out, g, a, b), interpret(fn, g, a, b))


def test_a_tuple_of_literals_becomes_a_literal():
    x, shape, out = Var("x"), Var("shape"), Var()
    body = [Call([shape], make_tuple, [Const(2), Const(3)]), Call([out], np.reshape, [x, shape])]
    fn = Function("f", [Param(x)], Region([], body, [out]))
    simplified, _ = simplify.run(fn, {})
    assert format_function(simplified) == ir("""
        def f(x):
          t = numpy.reshape(x, (2, 3))
          return t
    """)


def test_run_returns_the_kinds_of_the_copy():
    fn = to_ssa_of(times_one)
    out, table = simplify.run(fn, kinds_of(fn, SCALAR))
    assert table[out.params[0].var] == SCALAR
    assert fn.params[0].var not in table


def test_simplify_region_works_in_place():
    fn = to_ssa_of(double_negation)
    region = fn.body
    simplify.simplify_region(region, {})
    assert fn.body is region and region.yields == [fn.params[0].var]


def scaled(x, n):
    if n > 1:
        return x * n
    return x


def calls_with_a_literal(x):
    return scaled(x, 2)


def test_a_comparison_of_literals_is_folded_and_its_if_goes():
    fn = to_ssa_of(calls_with_a_literal)
    out, _ = simplify.run(fn, kinds_of(fn, SCALAR))
    text = format_function(out)
    assert "gt(" not in text and " = if " not in text, text
    assert "mul(x, 2)" in text
