"""desugar: rewrite Python's conveniences into the small core the lowering understands.

A pure stage: it works on a copy of the function's tree and returns a new `Parsed` whose `tree` is
the core tree and whose `invented` maps every name it made up (all start with "$") to what the name
stands for (see `frontend/invented.py`). Every statement and expression it makes carries the
location of the user's code it came from.

Output guarantees (on top of fence's):

- no AugAssign, AnnAssign, Pass, docstring; every Assign has one target;
- comparisons have one operator, `and` / `or` two operands;
- every loop has one exit and loops hold no Break, Continue or Return (they became flags);
  a Return ends every path of the function that has one, and nothing follows an `if` some of
  whose paths return (the statements after it were moved into the paths that fall through);
- every `for` runs over a range of indices, its target a name (see `desugar_loops.py`);
- ``Delete`` statements name invented names a loop no longer needs, or the user's locals;
- no `if` has one branch that ends by raising and one that does not (the other branch follows it).

    x += y              ->  x = $not_shared(x); x = x + y     (in place on an array: checked)
    a = b = e           ->  b = e; a = b
    lo < x <= hi        ->  lo < x and x <= hi
    a or b or c         ->  a or (b or c)
"""

from __future__ import annotations

import copy
import dataclasses

import gast

from .desugar_functions import lift_functions
from .desugar_comprehensions import comprehensions
from .desugar_loops import control_flow
from .desugar_statements import split_raising_if
from .desugar_mutation import rewrite as rewrite_mutation
from .invented import Namer, assign, located, load
from .parse import Parsed
from .tree_copy import copy_tree


def desugar(parsed: Parsed) -> Parsed:
    tree = copy_tree(parsed.tree)
    table: dict = {}
    namer = Namer(table)
    lift_functions(parsed, tree, namer, desugar)
    tree.body = _block(comprehensions(parsed, tree, namer), namer)
    tree = _Exprs().visit(tree)
    tree.body = control_flow(parsed, tree, namer)
    return dataclasses.replace(parsed, tree=tree, invented=table)


def core_source(parsed: Parsed) -> str:
    """The desugared function as Python-like text (an empty block prints as ``pass``); invented
    names keep their "$", so the text shows what the desugaring made up."""
    tree = copy.deepcopy(parsed.tree)
    for node in gast.walk(tree):
        if isinstance(node, (gast.If, gast.While, gast.For, gast.FunctionDef)) and not node.body:
            node.body = [gast.Pass()]
    return gast.unparse(tree)


def _block(stmts: list, namer: Namer) -> list:
    out = []
    for stmt in stmts:
        out.extend(_stmt(stmt, namer))
    return out


def _stmt(node, namer: Namer) -> list:
    mutation = rewrite_mutation(node, namer)  # x[i] = v, x[i] += v, hs.append(h), ...
    if mutation is not None:
        return mutation
    if isinstance(node, gast.Pass) or isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant):
        return []
    if isinstance(node, gast.AugAssign):
        return _augmented(node, namer)
    if isinstance(node, gast.AnnAssign):
        return [] if node.value is None else [assign(node.target, node.value, node)]
    if isinstance(node, gast.Assign) and len(node.targets) > 1:
        last = node.targets[-1]
        out = [assign(last, node.value, node)]
        for target in node.targets[:-1]:
            out.append(assign(target, _as_load(copy.deepcopy(last)), node))
        return out
    if isinstance(node, (gast.If, gast.While, gast.For)):
        node.body = _block(node.body, namer)
        node.orelse = _block(node.orelse, namer)
        if isinstance(node, gast.If):  # a branch that raises: desugar_statements.py
            return split_raising_if(node)
    elif isinstance(node, gast.With):  # with np.errstate(...): (frontend/statements.py)
        node.body = _block(node.body, namer)
    return [node]


def _augmented(node: gast.AugAssign, namer: Namer) -> list:
    """``x op= v`` is ``x = x op v``, done in place when `x` is an array: first a check that no
    other name holds x's memory (the lowering makes it, knowing which values are alive)."""
    name = node.target.id  # fence allows only names as targets
    check = assign(name, located(gast.Call(func=load(namer.not_shared()), args=[load(name)], keywords=[]), node),
                   node)
    value = located(gast.BinOp(left=_as_load(copy.deepcopy(node.target)), op=node.op, right=node.value), node)
    return [check, assign(node.target, value, node)]


def _as_load(node):
    for n in gast.walk(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()
    return node


class _Exprs(gast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1:
            return node
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts.append(gast.copy_location(gast.Compare(left=left, ops=[op], comparators=[right]), node))
            left = copy.deepcopy(right)  # read by two comparisons (each evaluates it: pure expressions)
        return _binary(gast.And(), parts, node)

    def visit_BoolOp(self, node):
        self.generic_visit(node)
        return _binary(node.op, node.values, node)


def _binary(op, values: list, near):
    """``a op b op c`` as ``a op (b op c)``, the inner one located at `b`."""
    if len(values) > 2:
        values = [values[0], _binary(op, values[1:], values[1])]
    return gast.copy_location(gast.BoolOp(op=op, values=values), near)
