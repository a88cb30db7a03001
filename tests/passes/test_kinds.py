"""kinds (sourcead/passes/kinds.py): what each value of a function is known to be, given the kinds
of its arguments. Each case: a function, its lowered IR, the kinds of its parameters, and the kind
inferred for every value, written as text:

    "Scalar", "Seq", "Shape"   as they say
    "Array(x, 1)"              an array of rank 1 with the shape of the value printed `x`
    "Array(?, 1)"              an array of rank 1 whose shape class is not known
    "-"                        nothing known (absent from the table)
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import by_name, format_function, ir, lowered  # noqa: E402

from sourcead.ir.core import Const, walk, operands  # noqa: E402
from sourcead.passes import kinds  # noqa: E402
from sourcead.passes.kinds import SCALAR, SEQ, SHAPE, Array, Scalar, Seq, Shape  # noqa: E402

VEC, MAT = Array(None, 1), Array(None, 2)


def describe(fn, table) -> dict:
    """Printed name -> the kind of that value, as text (see the module docstring)."""
    named = by_name(fn)
    name_of = {v: n for n, v in named.items()}
    out = {}
    for name, v in named.items():
        k = table.get(v)
        if k is None:
            out[name] = "-"
        elif isinstance(k, Array):
            token = "?" if k.shape is None else name_of.get(k.shape, "own")
            out[name] = f"Array({token}, {k.ndim})"
        elif isinstance(k, Seq) and k.item is not None:
            item = k.item
            out[name] = f"Seq[{'empty' if item == kinds.NOTHING else type(item).__name__ if not isinstance(item, Array) else f'Array(?, {item.ndim})'}]"
        else:
            out[name] = type(k).__name__
    return out


def elementwise(x, y):
    a = x * y
    b = np.sin(a) + 1.0
    c = x + 1.0
    return b, c


def matmul(A, v, B):
    a = A @ v
    b = A @ B
    c = v @ v
    d = np.dot(v, A)
    return a, b, c, d


def transposes(A, v):
    d = A.T
    e = v.T
    f = np.transpose(A)
    g = d * 2.0
    return d, e, f, g


def items(A, v, i):
    a = A[0]
    b = A[0, 1]
    c = v[i]
    d = A[1:]
    e = A.shape
    f = e[0]
    return a, b, c, d, e, f


def reductions(A):
    a = np.sum(A)
    b = np.sum(A, axis=0)
    c = A.mean()
    d = np.max(A, keepdims=True)
    e = len(A)
    f = A.sum(0)
    return a, b, c, d, e, f


def loops(x, n):
    s = 0.0
    for i in range(n):
        s = s + x
    t = 0
    while t < 3:
        t = t + x
    return s, t


def late_join(x, n):
    a = 0.0
    b = 0.0
    for i in range(n):
        a = b
        b = x
    return a


def cumulative(A, v):
    a = np.cumsum(A, axis=0)
    b = np.cumsum(A)
    c = v.cumprod()
    d = np.cumsum(2.0)
    return a, b, c, d


def appends(x, n):
    hs = []
    for i in range(n):
        hs.append(x * i)
    return hs[0], [x, n][1]


def containers(x, y):
    p = (x, y)
    q = [x, y]
    r = p[0]
    return r


CASES = [
    (elementwise, (VEC, SCALAR), ir("""
        def elementwise(x, y):
          a = mul(x, y)
          t = numpy.sin(a)
          b = add(t, 1.0)
          c = add(x, 1.0)
          return (b, c)
     """), {"x": "Array(x, 1)", "y": "Scalar", "a": "Array(x, 1)", "t": "Array(x, 1)", "b": "Array(x, 1)",
            "c": "Array(x, 1)"}),
    (elementwise, (SCALAR, SCALAR), None,
     {"x": "Scalar", "y": "Scalar", "a": "Scalar", "t": "Scalar", "b": "Scalar", "c": "Scalar"}),
    # two arrays of unknown shape classes broadcast to an array of the larger rank, shape unknown:
    # a class of its own, that what is computed from it elementwise shares
    (elementwise, (VEC, MAT), None, {"x": "Array(x, 1)", "y": "Array(y, 2)", "a": "Array(?, 2)",
                                     "t": "Array(a, 2)", "b": "Array(a, 2)", "c": "Array(x, 1)"}),
    # NumPy's ranks: a matrix times a vector is a vector, a vector times a vector a number
    (matmul, (MAT, VEC, MAT), ir("""
        def matmul(A, v, B):
          a = matmul(A, v)
          b = matmul(A, B)
          c = matmul(v, v)
          d = numpy.dot(v, A)
          return (a, b, c, d)
     """), {"A": "Array(A, 2)", "v": "Array(v, 1)", "B": "Array(B, 2)", "a": "Array(a, 1)", "b": "Array(b, 2)",
            "c": "Scalar", "d": "Array(d, 1)"}),
    # a transpose has a shape of its own, except a vector's, which is itself
    (transposes, (MAT, VEC), ir("""
        def transposes(A, v):
          d = .T(A)
          e = .T(v)
          f = numpy.transpose(A)
          g = mul(d, 2.0)
          return (d, e, f, g)
     """), {"A": "Array(A, 2)", "v": "Array(v, 1)", "d": "Array(d, 2)", "e": "Array(v, 1)", "f": "Array(f, 2)",
            "g": "Array(d, 2)"}),
    # integer indices take one axis each; a slice's result is not inferred; a shape's item is a number
    (items, (MAT, VEC, SCALAR), ir("""
        def items(A, v, i):
          a = getitem(A, 0)
          b = getitem(A, (0, 1))
          c = getitem(v, i)
          d = getitem(A, slice(1, None, None))
          e = .shape(A)
          f = getitem(e, 0)
          return (a, b, c, d, e, f)
     """), {"A": "Array(A, 2)", "v": "Array(v, 1)", "i": "Scalar", "a": "Array(?, 1)", "b": "Scalar",
            "c": "Scalar", "d": "-", "e": "Shape", "f": "Scalar"}),
    # a full reduction is a number; along a literal axis an array of one axis fewer; with keepdims
    # and no axis it is not inferred
    (reductions, (MAT,), ir("""
        def reductions(A):
          a = numpy.sum(A)
          b = numpy.sum(A, axis=0)
          c = .mean(A)
          d = numpy.max(A, keepdims=True)
          e = len(A)
          f = .sum(A, 0)
          return (a, b, c, d, e, f)
     """), {"A": "Array(A, 2)", "a": "Scalar", "b": "Array(?, 1)", "c": "Scalar", "d": "-", "e": "Scalar",
                   "f": "Array(?, 1)"}),
    # s starts a number and becomes x's array: after the loop it is either, so not known, nor is
    # s_1 + x inside (each round of the loop's fixed point infers the body afresh: what the
    # first, where s_1 was a number, found does not stay)
    (loops, (VEC, SCALAR), ir("""
        def loops(x, n):
          t = range(n)
          i, s = for(t; UNBOUND, 0.0):
            body(i_1, i_2, s_1):
              s_2 = add(s_1, x)
              yield i_1, s_2
          t_1 = while(0):
            cond(t_2):
              t_3 = lt(t_2, 3)
              yield t_3
            body(t_4):
              t_5 = add(t_4, x)
              yield t_5
          return (s, t_1)
     """), {"x": "Array(x, 1)", "n": "Scalar", "t": "-", "i": "-", "s": "-", "i_1": "Scalar", "i_2": "-",
            "s_1": "-", "s_2": "-", "t_1": "-", "t_2": "-", "t_3": "Bool", "t_4": "-", "t_5": "-"}),
    (loops, (SCALAR, SCALAR), None,
     {"x": "Scalar", "n": "Scalar", "t": "-", "i": "-", "s": "Scalar", "i_1": "Scalar", "i_2": "-",
      "s_1": "Scalar", "s_2": "Scalar", "t_1": "Scalar", "t_2": "Scalar", "t_3": "Bool", "t_4": "Scalar",
      "t_5": "Scalar"}),
    # a reaches x's kind only in the second iteration: the fixed point, not the first pass, decides
    (late_join, (VEC, SCALAR), ir("""
        def late_join(x, n):
          t = range(n)
          a, b, i = for(t; 0.0, 0.0, UNBOUND):
            body(i_1, a_1, b_1, i_2):
              yield b_1, x, i_1
          return a
     """), {"x": "Array(x, 1)", "n": "Scalar", "t": "-", "a": "-", "b": "-", "i": "-", "i_1": "Scalar",
            "a_1": "-", "b_1": "-", "i_2": "-"}),
    # a cumulative sum keeps its operand's kind along an axis (or of a vector); flat, its own
    (cumulative, (MAT, VEC), ir("""
        def cumulative(A, v):
          a = numpy.cumsum(A, axis=0)
          b = numpy.cumsum(A)
          c = .cumprod(v)
          d = numpy.cumsum(2.0)
          return (a, b, c, d)
     """), {"A": "Array(A, 2)", "v": "Array(v, 1)", "a": "Array(A, 2)", "b": "Array(?, 1)", "c": "Array(v, 1)",
            "d": "Array(?, 1)"}),
    (containers, (SCALAR, SCALAR), ir("""
        def containers(x, y):
          p = tuple(x, y)
          q = list(x, y)
          return x
     """), {"x": "Scalar", "y": "Scalar", "p": "Seq[Scalar]", "q": "Seq[Scalar]"}),
    # a list built here knows its items' rank (not their shape class: items may differ in shape)
    (appends, (VEC, SCALAR), None,
{"x": "Array(x, 1)", "n": "Scalar", "hs": "Seq[empty]", "t": "-", "hs_1": "Seq[Array(?, 1)]",
            "i": "-", "i_1": "Scalar", "hs_2": "Seq[Array(?, 1)]", "i_2": "-", "t_1": "Seq", "hs_3": "Seq[Array(?, 1)]",
            "t_2": "Array(x, 1)", "t_3": "Seq[Array(?, 1)]", "hs_4": "Seq[Array(?, 1)]", "t_4": "Array(?, 1)",
            "t_5": "Seq", "t_6": "-"}),
]


@pytest.mark.parametrize("f, arg_kinds, text, expected", CASES,
                         ids=[f"{c[0].__name__}-{'-'.join(type(k).__name__ for k in c[1])}" for c in CASES])
def test_kinds_of_every_value(f, arg_kinds, text, expected):
    fn = lowered(f)
    if text is not None:
        assert format_function(fn) == text
    table = kinds.infer(fn, {p.var: k for p, k in zip(fn.params, arg_kinds)}, {})
    assert describe(fn, table) == expected


W = np.ones(3)


def reads_a_global(x):
    return W * x


def test_a_global_has_the_kind_it_is_guarded_for():
    fn = lowered(reads_a_global)
    (w,) = [a for s in walk(fn.body.body) for a in operands(s) if isinstance(a, Const) and a.spelling == "W"]
    key = (id(w.scope), "W")
    table = kinds.infer(fn, {fn.params[0].var: VEC}, {key: kinds.kind_of_value(W)})
    (result,) = fn.body.yields
    assert kinds.same_shape(table[result], Array(("global", key), 1)) and table[result].unit_free, \
        "W has no axis of length 1: x is of its length or 1 (or W * x raises), W * x of W's shape"
    assert table[result].shape is None, "its class stays its own (it need not have W's dtype)"
    assert kinds.of(w, table) == Array(("global", key), 1, unit_free=True), "W = np.ones(3): no axis of length 1"
    table = kinds.infer(fn, {fn.params[0].var: SCALAR}, {key: kinds.kind_of_value(W)})
    assert table[result] == Array(("global", key), 1, unit_free=True), "a number times W has W's shape"
    assert result not in kinds.infer(fn, {fn.params[0].var: SCALAR}, {}), "an unguarded global: not known"
    table = kinds.infer(fn, {fn.params[0].var: VEC}, {key: Array(None, 1)})
    assert table[result] == Array(None, 1), "W may have length 1: x's shape class and W's differ"
    assert not kinds.same_shape(kinds.of(result, table), Array(("global", key), 1))


def test_an_argument_array_of_unknown_shape_class_gets_its_own():
    fn = lowered(elementwise)
    x = fn.params[0].var
    assert kinds.infer(fn, {x: VEC}, {})[x] == Array(x, 1)
    assert kinds.infer(fn, {x: Array("given", 1)}, {})[x] == Array("given", 1)


@pytest.mark.parametrize("value, kind", [
    (1.5, SCALAR), (3, SCALAR), (np.float32(1.0), SCALAR), (np.int64(2), SCALAR), (True, None), (np.bool_(True), None),
    (np.ones((2, 3)), Array(None, 2, True)), (np.ones((2, 1)), Array(None, 2)), (np.array(1.0), Array(None, 0, True)),
    ((1.0, 2.0), SEQ), ([1.0], SEQ),
    ("text", None), (None, None),
], ids=lambda v: type(v).__name__)
def test_the_kind_of_a_run_time_value(value, kind):
    assert kinds.kind_of_value(value) == kind


def test_extend_adds_the_kinds_of_new_statements():
    fn = lowered(elementwise)
    table = kinds.infer(fn, {fn.params[0].var: SCALAR, fn.params[1].var: SCALAR}, {})
    more = lowered(transposes)
    A = more.params[0].var
    table[A] = Array(A, 2)
    kinds.extend(more.body.body, table)
    d = more.body.yields[0]
    assert table[d] == Array(d, 2)


def test_kinds_are_frozen_values():
    assert Scalar() == SCALAR and Seq() == SEQ and Shape() == SHAPE and Array("s", 1) == Array("s", 1)
    assert hash(Array("s", 1)) == hash(Array("s", 1))
    with pytest.raises(AttributeError):
        VEC.ndim = 3
