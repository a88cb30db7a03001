"""reverse (sourcead/ad/reverse.py), snippet by snippet: a small function's lowered IR -> the text
of its gradient IR right after the transform, before simplify, seed and dce clean it up.

What the texts show, and a reader can check line by line: the forward sweep is the primal; each
adjoint statement reads the primal's values by name; rule bodies are inlined with the cotangent
substituted; an If becomes an If on the same condition; a while loop counts its iterations and the
reverse loop runs that many times; a loop pushes, per iteration, exactly the values its adjoint
reads, and pops them in the reverse loop. What the texts also show, and cleaning removes: a rule
whose body gives several cotangents is inlined once per cotangent taken from it, and the cotangents
of literal operands are computed and never read (``unbroadcast(t, 2.0)``).

Then the properties that hold for every case: the input IR is not changed; the gradient IR,
run by the reference interpreter, matches finite differences.
"""

import operator
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, kinds_of, lowered  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.ad.reverse import reverse  # noqa: E402
from sourcead.ir.builder import defined_in, used_in  # noqa: E402
from sourcead.ir.core import Call, For, Pop, Push, Region, walk  # noqa: E402
from sourcead.ir.interpret import interpret  # noqa: E402
from sourcead.ir.verify import verify  # noqa: E402
from sourcead.passes.kinds import SCALAR  # noqa: E402


def sine(x):
    b = x * 2.0
    return np.sin(b)


def branch(x):
    if x > 0:
        y = x * x
    else:
        y = -x
    return y


def halve(x):
    while x > 1.0:
        x = x / 2.0
    return x


def doubling(x):
    b = x * 2
    for i in range(3):
        b = b * 2
    return b


def sine_loop(x, n):
    y = x
    for i in range(n):
        y = np.sin(y) * x
    return y


def pair(x, y):
    return x * y, x + y


def in_a_loop(x):
    for i in range(3):
        if x > 0.5:
            x = x * x
        else:
            x = x * 2.0
    return x


def gradient(f, wrt=(0,), seed="ones", with_value=False):
    primal = lowered(f)
    kinds = kinds_of(primal, *[SCALAR] * len(primal.params))
    before = format_function(primal)
    fn, _, seeds = reverse(primal, list(wrt), kinds, seed=seed, with_value=with_value, rule_ir=cache.rule_ir)
    assert format_function(primal) == before, "the transform does not change its input"
    verify(primal, "primal after reverse")
    assert not shares_anything(fn, primal), "the transform works on a copy"
    return fn, seeds


def shares_anything(a, b) -> bool:
    """Whether two functions share a statement object or define a value in common."""
    values = lambda fn: defined_in(fn.body) | {p.var for p in fn.params}  # noqa: E731
    return bool({id(s) for s in walk(a.body.body)} & {id(s) for s in walk(b.body.body)} or values(a) & values(b))


CASES = [
    (sine, {}, """
        def sine(x):
          b = mul(x, 2.0)
          t = numpy.sin(b)
          t_1 = numpy.cos(b)
          db = mul(1.0, t_1)
          t_2 = mul(db, 2.0)
          dx = unbroadcast(t_2, x)
          t_3 = mul(x, db)
          t_4 = unbroadcast(t_3, 2.0)
          return (dx,)
     """),
    # vjp: the output cotangent is a parameter
    (sine, {"seed": "param"}, """
        def sine(x, dt):
          b = mul(x, 2.0)
          t = numpy.sin(b)
          t_1 = numpy.cos(b)
          db = mul(dt, t_1)
          t_2 = mul(db, 2.0)
          dx = unbroadcast(t_2, x)
          t_3 = mul(x, db)
          t_4 = unbroadcast(t_3, 2.0)
          return (dx,)
     """),
    # value_and_grad: the primal result first
    (sine, {"with_value": True}, """
        def sine(x):
          b = mul(x, 2.0)
          t = numpy.sin(b)
          t_1 = numpy.cos(b)
          db = mul(1.0, t_1)
          t_2 = mul(db, 2.0)
          dx = unbroadcast(t_2, x)
          t_3 = mul(x, db)
          t_4 = unbroadcast(t_3, 2.0)
          return (t, dx)
     """),
    # the multiply rule gives two cotangents, x being both operands: inlined twice, each time twice
    (branch, {}, """
        def branch(x):
          t = gt(x, 0)
          y = if t:
            then:
              y_1 = mul(x, x)
              yield y_1
            else:
              y_2 = neg(x)
              yield y_2
          dx = if t:
            then:
              t_1 = mul(1.0, x)
              dx_1 = unbroadcast(t_1, x)
              t_2 = mul(x, 1.0)
              t_3 = unbroadcast(t_2, x)
              t_4 = mul(1.0, x)
              t_5 = unbroadcast(t_4, x)
              t_6 = mul(x, 1.0)
              t_7 = unbroadcast(t_6, x)
              dx_2 = add(dx_1, t_7)
              yield dx_2
            else:
              dx_3 = neg(1.0)
              yield dx_3
          return (dx,)
     """),
    # the adjoint of x / 2.0 reads nothing from the iteration: a count, no tape
    (halve, {}, """
        def halve(x):
          stack = list()
          push = .append(stack)
          pop = .pop(stack)
          x_1, iterations = while(x, 0):
            cond(x_2, iterations_1):
              t = gt(x_2, 1.0)
              yield t
            body(x_3, iterations_2):
              x_4 = truediv(x_3, 2.0)
              iterations_3 = add(iterations_2, 1)
              yield x_4, iterations_3
          t_1 = range(iterations)
          dx = for(t_1; 1.0):
            body(_, dx_1):
              dx_2 = truediv(dx_1, 2.0)
              yield dx_2
          return (dx,)
     """),
    (doubling, {}, """
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
          return (dx,)
     """),
    # the adjoint reads y (for cos(y)) and sin(y) (for dx): both pushed, popped in reverse order
    (sine_loop, {}, """
        def sine_loop(x, n):
          stack = list()
          push = .append(stack)
          pop = .pop(stack)
          t = range(n)
          i, y = for(t; UNBOUND, x):
            body(i_1, i_2, y_1):
              _ = push(push, y_1)
              t_1 = numpy.sin(y_1)
              _ = push(push, t_1)
              y_2 = mul(t_1, x)
              yield i_1, y_2
          t_2 = range(n)
          t_3 = reversed(t_2)
          dy, dx = for(t_3; 1.0, 0.0):
            body(_, dy_1, dx_1):
              t_4 = pop(pop)
              y_3 = pop(pop)
              t_5 = mul(dy_1, x)
              t_6 = mul(t_4, dy_1)
              dx_2 = add(dx_1, t_6)
              t_7 = numpy.cos(y_3)
              dy_2 = mul(t_5, t_7)
              yield dy_2, dx_2
          dx_3 = add(dx, dy)
          return (dx_3,)
     """),
    # the branch flag and x are pushed; the reverse loop pops them and branches on the flag; x is
    # read by the adjoint of x * x only (a loop body's adjoint is cleaned as it is built)
    (in_a_loop, {}, """
        def in_a_loop(x):
          stack = list()
          push = .append(stack)
          pop = .pop(stack)
          t = range(3)
          i, x_1 = for(t; UNBOUND, x):
            body(i_1, i_2, x_2):
              _ = push(push, x_2)
              t_1 = gt(x_2, 0.5)
              _ = push(push, t_1)
              x_3 = if t_1:
                then:
                  x_4 = mul(x_2, x_2)
                  yield x_4
                else:
                  x_5 = mul(x_2, 2.0)
                  yield x_5
              yield i_1, x_3
          t_2 = range(3)
          t_3 = reversed(t_2)
          dx = for(t_3; 1.0):
            body(_, dx_1):
              t_4 = pop(pop)
              x_6 = pop(pop)
              dx_2 = if t_4:
                then:
                  dx_3 = mul(dx_1, x_6)
                  dx_4 = mul(2.0, dx_3)
                  yield dx_4
                else:
                  dx_5 = mul(dx_1, 2.0)
                  yield dx_5
              yield dx_2
          return (dx,)
     """),
    # two results, each with its cotangent parameter
    (pair, {"seed": "param"}, """
        def pair(x, y, dt, dt_1):
          t = mul(x, y)
          t_1 = add(x, y)
          dx = unbroadcast(dt_1, x)
          t_2 = unbroadcast(dt_1, y)
          t_3 = mul(dt, y)
          t_4 = unbroadcast(t_3, x)
          t_5 = mul(x, dt)
          t_6 = unbroadcast(t_5, y)
          dx_1 = add(dx, t_4)
          return (dx_1,)
     """),
]


def case_id(case):
    return "-".join([case[0].__name__, *(k for k in case[1])])


@pytest.mark.parametrize("f, options, expected", CASES, ids=[case_id(c) for c in CASES])
def test_the_gradient_ir(f, options, expected):
    fn, _ = gradient(f, **options)
    assert format_function(fn) == ir(expected)


ARGS = {sine: (0.7,), branch: (0.7,), in_a_loop: (0.7,), halve: (5.0,), doubling: (0.7,), sine_loop: (0.7, 3), pair: (0.7, 1.3)}


def numeric(f, args, i, eps=1e-6):
    hi, lo = list(args), list(args)
    hi[i] += eps
    lo[i] -= eps
    return (np.asarray(f(*hi)) - np.asarray(f(*lo))) / (2 * eps)


@pytest.mark.parametrize("f", [sine, branch, halve, doubling, sine_loop, in_a_loop], ids=lambda f: f.__name__)
def test_the_gradient_ir_computes_the_gradient(f):
    fn, _ = gradient(f)
    (got,) = interpret(fn, *ARGS[f])
    assert np.isclose(got, numeric(f, ARGS[f], 0), rtol=1e-6)


def test_a_vjp_ir_computes_the_vector_jacobian_product():
    fn, seeds = gradient(pair, seed="param")
    assert [p.var for p in fn.params[2:]] == seeds
    (got,) = interpret(fn, 0.7, 1.3, 2.0, -1.0)
    jac = numeric(pair, (0.7, 1.3), 0)
    assert np.isclose(got, 2.0 * jac[0] - 1.0 * jac[1])


def loop_pairs(fn):
    """(forward loop, reverse loop) of each loop that pushes, matched by the tape slots."""
    loops = [s for s in walk(fn.body.body) if isinstance(s, For)]
    pairs = []
    for forward in loops:
        pushed = {s.op.slot for s in walk(forward.body.body) if isinstance(s, Call) and isinstance(s.op, Push)}
        if pushed:
            (back,) = [s for s in loops if {p.op.slot for p in walk(s.body.body)
                                            if isinstance(p, Call) and isinstance(p.op, Pop)} == pushed]
            pairs.append((forward, back))
    return pairs


@pytest.mark.parametrize("f", [sine_loop, in_a_loop, doubling, halve], ids=lambda f: f.__name__)
def test_a_loop_pushes_exactly_what_its_adjoint_reads(f):
    """Every value pushed is popped once in the reverse loop, and every popped value is read there;
    a loop whose adjoint reads nothing from its iterations pushes nothing."""
    fn, _ = gradient(f)
    pushes = [s for s in walk(fn.body.body) if isinstance(s, Call) and isinstance(s.op, Push)]
    pops = [s for s in walk(fn.body.body) if isinstance(s, Call) and isinstance(s.op, Pop)]
    assert sorted(id(s.op.slot) for s in pushes) == sorted(id(s.op.slot) for s in pops)
    assert len({id(s.op.slot) for s in pushes}) == len(pushes), "one push per slot"
    for forward, back in loop_pairs(fn):
        adjoint = [s for s in back.body.body if not (isinstance(s, Call) and isinstance(s.op, Pop))]
        read = used_in(Region([], adjoint, back.body.yields))
        for pop in (s for s in back.body.body if isinstance(s, Call) and isinstance(s.op, Pop)):
            assert pop.outs[0] in read, "a popped value that the adjoint does not read"
    if f in (doubling, halve):
        assert not pushes
    else:
        assert pushes


def test_a_branch_flag_in_a_loop_is_pushed_and_read_by_the_reverse_branch():
    fn, _ = gradient(in_a_loop)
    text = format_function(fn)
    (forward, back), = loop_pairs(fn)
    (flag,) = [s.outs[0] for s in forward.body.body if isinstance(s, Call) and s.op is operator.gt]
    pushed = [s.args[1] for s in forward.body.body if isinstance(s, Call) and isinstance(s.op, Push)]
    assert flag in pushed, text
    (reverse_if,) = [s for s in back.body.body if type(s).__name__ == "If"]
    popped = {s.outs[0]: s for s in back.body.body if isinstance(s, Call) and isinstance(s.op, Pop)}
    assert reverse_if.cond in popped, text
    (got,) = interpret(fn, 0.7)
    assert np.isclose(got, numeric(in_a_loop, (0.7,), 0), rtol=1e-6)
