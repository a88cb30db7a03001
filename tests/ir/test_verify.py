"""The IR checker (sourcead/ir/verify.py) accepts well-formed IR and catches each malformation it
promises to: a use before (or outside the scope of) its definition, a double definition, a region
that yields the wrong number of values, loops whose params and outs disagree with their carried
values, and operands that are neither Var nor Const. Each is an `InternalError` naming the stage
and printing the IR around the fault.
"""

import operator
import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from irtext import call, function, ir, square_plus  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.errors import InternalError  # noqa: E402
from sourcead.ir.core import Const, For, If, Region, Var, While  # noqa: E402
from sourcead.ir.verify import verify  # noqa: E402


def fault(fn, stage="to_ssa") -> str:
    with pytest.raises(InternalError) as info:
        verify(fn, stage)
    text = info.value.message
    assert text.startswith(f"internal error: the IR after stage {stage} is malformed: "), text
    assert f"\ndef {fn.name}(" in text, "the IR around the fault is printed"
    return text.split(": ", 2)[2].split("\n")[0]


def branchy(x, n):
    s = 0.0
    for i in range(n):
        if x > i:
            s = s + x
    while s > 1.0:
        s = s / 2.0
    return s


def test_well_formed_ir_passes_and_is_returned():
    fn = square_plus()[0]
    assert verify(fn, "any") is fn
    lowered = cache.lowered(branchy).ir
    assert verify(lowered) is lowered


def test_a_use_before_its_definition():
    x, y, z = Var("x"), Var("y"), Var("z")
    fn = function("f", [x], [call(operator.add, y, 1.0, out=z), call(operator.mul, x, x, out=y)], [z])
    assert fault(fn) == "y is used by Call but not defined in scope"  # named as the dump names it


def test_a_result_that_is_never_defined():
    x, ghost = Var("x"), Var()
    assert fault(function("f", [x], [], [ghost])) == "t is used by yield but not defined in scope"


def test_a_value_used_outside_the_branch_that_defines_it():
    x, c, w, inner = Var("x"), Var(), Var("w"), Var("v")
    branch = If([w], c, Region([], [call(operator.neg, x, out=inner)], [inner]), Region([], [], [x]))
    fn = function("f", [x], [call(operator.gt, x, 0, out=c), branch, call(operator.add, inner, w, out=Var("r"))],
                  [w])
    assert fault(fn) == "v is used by Call but not defined in scope"


def test_a_double_definition():
    x, y = Var("x"), Var("y")
    fn = function("f", [x], [call(operator.mul, x, x, out=y), call(operator.add, x, 1.0, out=y)], [y])
    assert fault(fn, "simplify") == "y is defined twice"


def test_a_double_definition_across_regions():
    x, c, y = Var("x"), Var(), Var("y")
    branch = If([y], c, Region([], [call(operator.neg, x, out=y)], [y]), Region([], [], [x]))
    fn = function("f", [x], [call(operator.gt, x, 0, out=c), branch], [y])
    assert fault(fn) == "y is defined twice"


def test_a_parameter_defined_again():
    x = Var("x")
    fn = function("f", [x], [call(operator.neg, x, out=x)], [x])
    assert fault(fn) == "x is defined twice"


def test_a_branch_that_yields_the_wrong_number_of_values():
    x, c, w = Var("x"), Var(), Var("w")
    branch = If([w], c, Region([], [], [x, x]), Region([], [], [x]))
    fn = function("f", [x], [call(operator.gt, x, 0, out=c), branch], [w])
    assert fault(fn, "reverse") == "a region yields 2 values where 1 are expected"


def test_a_while_condition_that_yields_two_values():
    x, s, out = Var("x"), Var("s"), Var("s")
    loop = While([out], [x], Region([s], [], [s, s]), Region([Var("s")], [], [x]))
    fn = function("f", [x], [loop], [out])
    assert fault(fn) == "a region yields 2 values where 1 are expected"


def test_a_loop_body_that_yields_too_few_values():
    x, item, s, out = Var("x"), Var("i"), Var("s"), Var("s")
    loop = For([out], Const(range(3)), [x], Region([item, s], [], []))
    assert fault(function("f", [x], [loop], [out])) == "a region yields 0 values where 1 are expected"


def test_a_while_whose_params_disagree_with_its_carried_values():
    x, out = Var("x"), Var("s")
    loop = While([out], [x], Region([Var("s")], [], [Const(True)]), Region([], [], [x]))
    assert fault(function("f", [x], [loop], [out])) == "while with 1 carried values has mismatched params/outs"


def test_a_for_without_its_item_param():
    x, s, out = Var("x"), Var("s"), Var("s")
    loop = For([out], Const(range(3)), [x], Region([s], [], [s]))
    assert fault(function("f", [x], [loop], [out])) == "for with 1 carried values has mismatched params/outs"


def test_an_operand_that_is_neither_var_nor_const():
    x, y = Var("x"), Var("y")
    fn = function("f", [x], [call(operator.mul, x, x, out=y)], [y])
    fn.body.body[0].args[1] = 2.0  # a bare Python number where a Const belongs
    assert fault(fn) == "operand 2.0 of Call is neither a Var nor a Const"


def test_a_definition_that_is_not_a_var():
    x = Var("x")
    fn = function("f", [x], [call(operator.mul, x, x, out=Var("y"))], [x])
    fn.body.body[0].outs = [Const(1.0)]
    assert fault(fn) == "Const(1.0) is defined but is not a Var"


def test_the_printed_ir_is_the_whole_function():
    x, y = Var("x"), Var("y")
    fn = function("shown", [x], [call(operator.mul, x, x, out=y), call(operator.add, x, 1.0, out=y)], [y])
    with pytest.raises(InternalError) as info:
        verify(fn)
    assert str(info.value).split("\n", 1)[1].startswith(ir("""
        def shown(x):
          y = mul(x, x)
          y = add(x, 1.0)
          return y
    """))
    assert "stage ?" in info.value.message
