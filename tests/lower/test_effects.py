"""Lowering the statements kept for their effect (sourcead/lower/effects.py), stage by stage: what
the IR holds, that activity analysis never marks what they compute as varied, that the reference
interpreter runs them as Python does, and that `passes/effects.quiet` drops them (and only them)."""

import numpy as np
import pytest

from sourcead import cache
from sourcead.ir.core import Call, If, walk
from sourcead.ir.effects import EFFECT, effect_calls
from sourcead.ir.interpret import interpret
from sourcead.passes.activity import varied
from sourcead.passes.effects import quiet
from sourcead.runtime import enter_context, exit_context, raise_error


def kept(x):
    print("x", x)
    assert x > 0, f"bad {x:.2f}"
    with np.errstate(divide="ignore"):
        y = np.log(x) * x
    if y > 10.0:
        raise OverflowError("too large: %g" % y)
    return y


def ir_of(f):
    return cache.lowered(f).ir


def test_effects_are_calls_with_no_result_tagged_effect():
    stmts = list(walk(ir_of(kept).body.body))
    effects = effect_calls(ir_of(kept).body.body)
    assert [c.op for c in effects] == [print, raise_error, raise_error]
    assert all(c.loc is not None and c.loc.function == "kept" for c in effects)
    assert all(s.tag == EFFECT for s in stmts if isinstance(s, Call) and s.op in (AssertionError, OverflowError, format))
    contexts = [s for s in stmts if isinstance(s, Call) and s.op in (enter_context, exit_context)]
    assert [s.op for s in contexts] == [enter_context, exit_context] and all(s.tag != EFFECT for s in contexts)
    assert contexts[0].args[0] is contexts[1].args[0]


def test_what_an_effect_computes_is_never_varied():
    fn = ir_of(kept)
    active = varied(fn, [fn.params[0].var])
    for stmt in walk(fn.body.body):
        if stmt.tag == EFFECT:
            assert not any(o in active for o in stmt.outs), stmt
    y = next(s for s in walk(fn.body.body) if isinstance(s, Call) and s.outs and s.outs[0].hint == "y")
    assert y.outs[0] in active  # (the test can fail: ordinary values are varied)


def test_the_interpreter_runs_them_as_python_does(capsys):
    assert interpret(ir_of(kept), 2.0) == pytest.approx(kept(2.0))
    out = capsys.readouterr().out
    assert out == "x 2.0\nx 2.0\n"
    with pytest.raises(AssertionError, match="^bad -1.00$"):
        interpret(ir_of(kept), -1.0)
    with pytest.raises(OverflowError, match="^too large: 16.63"):
        interpret(ir_of(kept), 8.0)
    assert np.geterr()["divide"] != "ignore"


def test_quiet_drops_the_effects_and_keeps_the_error_state(capsys):
    q = quiet(ir_of(kept))
    assert effect_calls(q.body.body) == []
    assert not any(s.tag == EFFECT for s in walk(q.body.body))
    assert [s.op for s in walk(q.body.body) if isinstance(s, Call) and s.op in (enter_context, exit_context)] \
        == [enter_context, exit_context]
    assert interpret(q, 8.0) == pytest.approx(8.0 * np.log(8.0))  # (the raise is gone with the print)
    assert capsys.readouterr().out == ""
    assert len(effect_calls(ir_of(kept).body.body)) == 3  # the input is left as it was


def raising_branch(x):
    if x > 0:
        y = np.sqrt(x)
    else:
        raise ValueError("x must be positive")
    return y


def test_a_raising_branch_leaves_its_if_and_the_other_branch_follows():
    """No value is unbound on a path that goes on: no check_bound, y defined at the top level."""
    body = ir_of(raising_branch).body.body
    top = [s for s in body if isinstance(s, If)]
    assert len(top) == 1 and top[0].outs == [] and top[0].then.body == []
    assert any(isinstance(s, Call) and s.outs and s.outs[0].hint == "y" for s in body)
    assert "check_bound" not in repr([s.op for s in walk(body) if isinstance(s, Call)])
