"""forward (sourcead/ad/forward.py), snippet by snippet: a small function's lowered IR -> the text of
its jvp IR right after the transform, before simplify and dce.

What the texts show: the result takes the primal's parameters, then one tangent per `wrt`
parameter; each varied value is followed by its tangent from the inlined tangent rule; an If and a
loop carry the tangents beside the values; the function returns the results, then their tangents.
Like reverse, a rule is inlined once per differentiable argument, and the terms of the other
arguments in that copy are computed and never read (cleaning removes them).

Then: the input is not changed; the jvp IR, run by the reference interpreter, matches finite
differences; on reverse-mode IR with a tape (forward over reverse), a pushed value's tangent is
pushed right after it and popped right before it.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, kinds_of, lowered  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.ad.forward import forward  # noqa: E402
from sourcead.ad.reverse import reverse  # noqa: E402
from sourcead.ir.builder import defined_in  # noqa: E402
from sourcead.ir.core import Call, For, Pop, Push, walk  # noqa: E402
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


def sine_loop(x, n):
    y = x
    for i in range(n):
        y = np.sin(y) * x
    return y


def pair(x, y):
    return x * y, x + y


def jvp_ir(fn, wrt=(0,)):
    kinds = kinds_of(fn, *[SCALAR] * len(fn.params))
    before = format_function(fn)
    out, _ = forward(fn, list(wrt), kinds, rule_ir=cache.rule_ir)
    assert format_function(fn) == before, "the transform does not change its input"
    verify(fn, "primal after forward")
    assert not shares_anything(out, fn), "the transform works on a copy"
    return out


def shares_anything(a, b) -> bool:
    """Whether two functions share a statement object or define a value in common."""
    values = lambda fn: defined_in(fn.body) | {p.var for p in fn.params}  # noqa: E731
    return bool({id(s) for s in walk(a.body.body)} & {id(s) for s in walk(b.body.body)} or values(a) & values(b))


CASES = [
    (sine, (0,), """
        def sine(x, dx):
          b = mul(x, 2.0)
          db = mul(dx, 2.0)
          t = mul(x, dx)
          t_1 = numpy.sin(b)
          t_2 = numpy.cos(b)
          dt = mul(db, t_2)
          return (t_1, dt)
     """),
    # x * x: one copy of the product rule per operand, the term of the operand taken summed
    (branch, (0,), """
        def branch(x, dx):
          t = gt(x, 0)
          y, dy = if t:
            then:
              y_1 = mul(x, x)
              t_1 = mul(dx, x)
              t_2 = mul(x, dx)
              t_3 = mul(dx, x)
              t_4 = mul(x, dx)
              dy_1 = add(t_1, t_4)
              yield y_1, dy_1
            else:
              y_2 = neg(x)
              dy_2 = neg(dx)
              yield y_2, dy_2
          return (y, dy)
     """),
    (halve, (0,), """
        def halve(x, dx):
          x_1, dx_1 = while(x, dx):
            cond(x_2, dx_2):
              t = gt(x_2, 1.0)
              yield t
            body(x_3, dx_3):
              x_4 = truediv(x_3, 2.0)
              dx_4 = truediv(dx_3, 2.0)
              t_1 = neg(dx_3)
              t_2 = mul(t_1, x_4)
              t_3 = truediv(t_2, 2.0)
              yield x_4, dx_4
          return (x_1, dx_1)
     """),
    (sine_loop, (0,), """
        def sine_loop(x, n, dx):
          t = range(n)
          i, y, dy = for(t; UNBOUND, x, dx):
            body(i_1, i_2, y_1, dy_1):
              t_1 = numpy.sin(y_1)
              t_2 = numpy.cos(y_1)
              dt = mul(dy_1, t_2)
              y_2 = mul(t_1, x)
              t_3 = mul(dt, x)
              t_4 = mul(t_1, dt)
              t_5 = mul(dx, x)
              t_6 = mul(t_1, dx)
              dy_2 = add(t_3, t_6)
              yield i_1, y_2, dy_2
          return (y, dy)
     """),
    # with respect to y only: x has no tangent
    (pair, (1,), """
        def pair(x, y, dy):
          t = mul(x, y)
          t_1 = mul(dy, y)
          dt = mul(x, dy)
          t_2 = add(x, y)
          t_3 = broadcast_like(dy, t_2)
          dt_1 = broadcast_like(dy, t_2)
          return (t, t_2, dt, dt_1)
     """),
]


@pytest.mark.parametrize("f, wrt, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_jvp_ir(f, wrt, expected):
    assert format_function(jvp_ir(lowered(f), wrt)) == ir(expected)


def numeric(f, args, i, eps=1e-6):
    hi, lo = list(args), list(args)
    hi[i] += eps
    lo[i] -= eps
    return (np.asarray(f(*hi)) - np.asarray(f(*lo))) / (2 * eps)


@pytest.mark.parametrize("f, args", [(sine, (0.7,)), (branch, (0.7,)), (branch, (-0.7,)), (halve, (5.0,)),
                                     (sine_loop, (0.7, 3))], ids=lambda v: getattr(v, "__name__", None))
def test_the_jvp_ir_computes_the_directional_derivative(f, args):
    value, tangent = interpret(jvp_ir(lowered(f)), *args, 0.5)
    assert np.isclose(value, f(*args))
    assert np.isclose(tangent, 0.5 * numeric(f, args, 0), rtol=1e-6)


def test_forward_over_reverse_pushes_a_tangent_right_after_its_value_and_pops_it_right_before():
    primal = lowered(sine_loop)
    grad, _, _ = reverse(primal, [0], kinds_of(primal, SCALAR, SCALAR), rule_ir=cache.rule_ir)
    hvp = jvp_ir(grad)
    (forward_loop, reverse_loop) = [s for s in hvp.body.body if isinstance(s, For)]
    pushed = [s.args[1] for s in forward_loop.body.body if isinstance(s, Call) and isinstance(s.op, Push)]
    popped = [s.outs[0] for s in reverse_loop.body.body if isinstance(s, Call) and isinstance(s.op, Pop)]
    assert len(pushed) == len(popped) == 4
    assert [v.hint for v in pushed] == ["y", None, None, None]  # y, its tangent, sin(y), its tangent
    assert [pushed[1].of, pushed[3].of] == [pushed[0], pushed[2]], "each value, then its tangent"
    assert [v.of is not None for v in popped] == [True, False, True, False], "each tangent, then its value"
    pops = [s for s in walk(hvp.body.body) if isinstance(s, Call) and isinstance(s.op, Pop)]
    pushes = [s for s in walk(hvp.body.body) if isinstance(s, Call) and isinstance(s.op, Push)]
    assert [p.op.slot for p in pushes][::-1] == [p.op.slot for p in pops]
    # d/dx of the gradient, times the tangent 0.5: the second derivative, by finite differences
    gradient_of = lambda x: interpret(grad, x, 3)[0]  # noqa: E731
    (_, second) = interpret(hvp, 0.7, 3, 0.5)
    assert np.isclose(second, 0.5 * numeric(gradient_of, (0.7,), 0, eps=1e-5), rtol=1e-5)
