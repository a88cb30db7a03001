"""activity (sourcead/passes/activity.py): a value is varied when it depends on a differentiated
input through differentiable operations. Comparisons, lengths, shapes and the results of
`nondifferentiable` functions never are; an If's output is varied when a branch yields a varied
value (the condition does not make it so); loop-carried values are solved to a fixed point; a value
popped from a tape is varied when the value pushed in its slot is.

Each case: a function, its lowered IR (printed, so the names below are visible), and the names of
the values varied with respect to each parameter.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import format_function, ir, lowered, names  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.ad.reverse import reverse  # noqa: E402
from sourcead.ir.core import Call, Pop, Push, walk  # noqa: E402
from sourcead.passes import kinds  # noqa: E402
from sourcead.passes.activity import varied  # noqa: E402


def straight(x, y, n):
    a = x * y
    b = y * 2.0
    c = np.floor(a)
    k = len((x, y))
    d = x > 0
    s = np.shape(x)
    return a + b + c


def carried(x, y, n):
    u = y
    v = y
    for i in range(n):
        v = u * 2.0
        u = x + 1.0
    return v


def branch(x, y):
    if x > y:
        z = y
    else:
        z = 2.0
    return z


def while_loop(x, y):
    z = y
    while x > z:
        z = z + x
    return z


CASES = [
    (straight, ir("""
        def straight(x, y, n):
          a = mul(x, y)
          b = mul(y, 2.0)
          c = numpy.floor(a)
          t = tuple(x, y)
          k = len(t)
          d = gt(x, 0)
          s = numpy.shape(x)
          t_1 = add(a, b)
          t_2 = add(t_1, c)
          return t_2
     """), {"x": ["a", "t", "t_1", "t_2", "x"], "y": ["a", "b", "t", "t_1", "t_2", "y"], "n": ["n"]}),
    # v depends on x only through u, from the second iteration on: found by iterating to a fixed point
    (carried, ir("""
        def carried(x, y, n):
          t = range(n)
          i, u, v = for(t; UNBOUND, y, y):
            body(i_1, i_2, u_1, v_1):
              v_2 = mul(u_1, 2.0)
              u_2 = add(x, 1.0)
              yield i_1, u_2, v_2
          return v
     """), {"x": ["u", "u_1", "u_2", "v", "v_1", "v_2", "x"], "y": ["u", "u_1", "v", "v_1", "v_2", "y"],
            "n": ["n"]}),  # range is not differentiable
    # z depends on x only through the condition: no derivative flows that way
    (branch, ir("""
        def branch(x, y):
          t = gt(x, y)
          z = if t:
            then:
              yield y
            else:
              yield 2.0
          return z
     """), {"x": ["x"], "y": ["y", "z"]}),
    (while_loop, ir("""
        def while_loop(x, y):
          z = while(y):
            cond(z_1):
              t = gt(x, z_1)
              yield t
            body(z_2):
              z_3 = add(z_2, x)
              yield z_3
          return z
     """), {"x": ["x", "z", "z_1", "z_2", "z_3"], "y": ["y", "z", "z_1", "z_2", "z_3"]}),
]


@pytest.mark.parametrize("f, text, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_varied_values(f, text, expected):
    fn = lowered(f)
    assert format_function(fn) == text
    for i, p in enumerate(fn.params):
        name = fn.params[i].var.hint
        if name in expected:
            assert names(fn, varied(fn, [p.var])) == expected[name], f"with respect to {name}"


def test_varied_with_respect_to_several_inputs_is_the_union():
    fn = lowered(straight)
    x, y = fn.params[0].var, fn.params[1].var
    assert varied(fn, [x, y]) == varied(fn, [x]) | varied(fn, [y])


def test_the_ir_is_not_changed():
    fn = lowered(carried)
    before = format_function(fn)
    varied(fn, [fn.params[0].var])
    assert format_function(fn) == before


def tape_loop(x, n):
    y = x
    for i in range(n):
        y = np.sin(y) * x
    return y


def test_a_value_popped_from_a_tape_is_varied_when_the_value_pushed_is():
    """The reverse sweep of `tape_loop` pops what its forward loop pushed: differentiated again
    (higher order), the popped values are varied exactly when the pushed ones are."""
    primal = lowered(tape_loop)
    k = kinds.infer(primal, {primal.params[0].var: kinds.SCALAR, primal.params[1].var: kinds.SCALAR}, {})
    grad, _, _ = reverse(primal, [0], k, rule_ir=cache.rule_ir)
    pushes = [s for s in walk(grad.body.body) if isinstance(s, Call) and isinstance(s.op, Push)]
    pops = [s for s in walk(grad.body.body) if isinstance(s, Call) and isinstance(s.op, Pop)]
    assert len(pushes) == len(pops) == 2
    active = varied(grad, [grad.params[0].var])
    for pop in pops:
        (pushed,) = [s.args[1] for s in pushes if s.op.slot is pop.op.slot]
        assert pushed in active and pop.outs[0] in active
    assert not varied(grad, [grad.params[1].var]) & {pop.outs[0] for pop in pops}
