"""Building and copying IR (sourcead/ir/builder.py): a clone is the same program over fresh values
and leaves its original alone; pre-seeded mappings substitute free values; `substitute` rewrites
uses in place and never definitions; `defined_in`, `used_in` and `ordered_uses` see nested regions.
"""

import operator
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from irtext import call, function, ir  # noqa: E402

from sourcead import cache  # noqa: E402
from sourcead.ir.builder import clone_function, clone_region, defined_in, ordered_uses, substitute, used_in  # noqa: E402
from sourcead.ir.core import If, Region, Var, walk  # noqa: E402
from sourcead.ir.printer import format_function, format_region  # noqa: E402
from sourcead.ir.verify import verify  # noqa: E402


def branchy(x, n):
    s = 0.0
    for i in range(n):
        if x > i:
            s = s + x * i
    while s > 1.0:
        s = s / 2.0
    return s


def every_var(fn) -> set:
    return {p.var for p in fn.params} | defined_in(fn.body)


def branch_fn():
    """``w = x > 0 ? -x : y``, then ``r = w * y``: (fn, x, y, w, inner)."""
    x, y, c, w, inner, r = Var("x"), Var("y"), Var(), Var("w"), Var("w"), Var("r")
    branch = If([w], c, Region([], [call(operator.neg, x, out=inner)], [inner]), Region([], [], [y]))
    fn = function("f", [x, y], [call(operator.gt, x, 0, out=c), branch, call(operator.mul, w, y, out=r)], [r])
    return fn, x, y, w, inner


def test_a_clone_is_the_same_program_over_fresh_values():
    original = cache.lowered(branchy).ir
    text = format_function(original)
    mapping = {}
    copy = clone_function(original, mapping)
    assert format_function(copy) == text
    assert format_function(original) == text, "cloning leaves the original alone"
    assert not every_var(copy) & every_var(original)
    assert set(mapping) == every_var(original) and set(mapping.values()) == every_var(copy)
    assert all(new.hint == old.hint and new.of is old.of for old, new in mapping.items())
    verify(copy, "clone")
    copied, kept = list(walk(copy.body.body)), list(walk(original.body.body))
    assert len(copied) == len(kept) and all(a is not b for a, b in zip(copied, kept, strict=True))


def test_a_clone_carries_facts_over_to_the_fresh_values():
    fn, x, y, w, inner = branch_fn()
    fn.facts = {w: "kind of w"}
    mapping = {}
    copy = clone_function(fn, mapping)
    assert copy.facts == {mapping[w]: "kind of w"}
    assert fn.facts == {w: "kind of w"}


def test_a_pre_seeded_mapping_substitutes_free_values():
    fn, x, y, w, inner = branch_fn()
    z = Var("z")
    region = clone_region(fn.body, {y: z})
    assert format_region(region) == ir("""
        t = gt(x, 0)
        w = if t:
          then:
            w_1 = neg(x)
            yield w_1
          else:
            yield z
        r = mul(w, z)
    """)
    assert region.body[1].orelse.yields == [z] and region.body[1].outs[0] is not w


def test_substitute_rewrites_uses_in_place_and_not_definitions():
    fn, x, y, w, inner = branch_fn()
    z = Var("z")
    substitute(fn.body, {x: z, w: y})
    assert fn.body.body[1].outs == [w]
    assert format_function(fn) == ir("""
        def f(x, y):
          t = gt(z, 0)
          w = if t:
            then:
              w_1 = neg(z)
              yield w_1
            else:
              yield y
          r = mul(y, y)
          return r
    """)


def test_defined_and_used_values_include_nested_regions():
    fn, x, y, w, inner = branch_fn()
    cond = fn.body.body[0].outs[0]
    result = fn.body.yields[0]
    assert defined_in(fn.body) == {cond, w, inner, result}
    assert used_in(fn.body) == {x, y, cond, inner, w, result}
    assert used_in(fn.body.body[1].then) == {x, inner}
    assert ordered_uses(fn.body) == [x, cond, inner, y, w, result]
