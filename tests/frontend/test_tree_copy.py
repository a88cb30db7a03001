"""`frontend.tree_copy.copy_tree` makes the tree `copy.deepcopy` makes: the same dump (fields and
locations), no node or list shared with the original, a node reached twice copied once; for every
function of the test catalog and every rule body sourcead inlines."""

import copy
import types

import gast
import pytest

from sourcead.frontend.parse import parse
from sourcead.frontend.tree_copy import copy_tree
from sourcead.rules import registry
from tests.catalog import control_flow, higher_order, straight_line


def _functions():
    found = []
    for module in (control_flow, higher_order, straight_line):
        found += [f for _, f in sorted(vars(module).items())
                  if isinstance(f, types.FunctionType) and f.__module__ == module.__name__]
    rules = sorted(registry.rules("adjoint").values(), key=lambda r: r.name)[:60]
    return found + [r.fn for r in rules]


def _nodes_and_lists(tree):
    found = []
    for node in gast.walk(tree):
        found.append(node)
        found += [v for v in vars(node).values() if isinstance(v, list)]
    return found


@pytest.mark.parametrize("fn", _functions(), ids=lambda f: f.__qualname__)
def test_the_copy_is_the_deepcopy(fn):
    try:
        tree = parse(fn).tree
    except Exception:  # noqa: BLE001 -- a rule with no source to read (it is called, not inlined)
        pytest.skip("no source")
    expected, got = copy.deepcopy(tree), copy_tree(tree)
    assert gast.dump(got, include_attributes=True) == gast.dump(expected, include_attributes=True)
    assert [type(n) for n in gast.walk(got)] == [type(n) for n in gast.walk(tree)]
    mine = {id(x) for x in _nodes_and_lists(tree)}
    assert not mine & {id(x) for x in _nodes_and_lists(got)}, "nothing mutable shared with the original"


def test_a_node_reached_twice_is_copied_once_and_extra_attributes_are_kept():
    name = gast.Name(id="x", ctx=gast.Load(), annotation=None, type_comment=None)
    tree = gast.BinOp(left=name, op=gast.Add(), right=name)
    tree.note = ["kept"]
    got = copy_tree(tree)
    assert got.left is got.right and got.left is not name
    assert got.note == ["kept"] and got.note is not tree.note
    pair, deep = copy_tree([tree, tree]), copy.deepcopy([tree, tree])
    assert pair[0] is pair[1] and deep[0] is deep[1] and pair[0] is not tree, "as deepcopy: one copy per node"
