"""desugar: rewrite Python's conveniences into the core the lowering understands, keeping lines.

Output guarantees (on top of fence's): no AugAssign, AnnAssign or Pass; every Assign has one
target; comparisons have one operator (chains become `and`); docstrings are gone. The
assignments made from augmented ones are listed in `parsed.augmented` (by id): on an array, `+=`
works in place, which the lowering must check.

    x += y          ->  x = x + y
    a = b = e       ->  b = e; a = b
    lo < x <= hi    ->  lo < x and x <= hi
"""

from __future__ import annotations

import copy

import gast

from .parse import Parsed


def desugar(parsed: Parsed) -> Parsed:
    tree = parsed.tree
    tree.body = _block(tree.body, parsed.augmented)
    _Exprs().visit(tree)
    return parsed


def _block(stmts: list, augmented: set) -> list:
    out = []
    for stmt in stmts:
        out.extend(_stmt(stmt, augmented))
    return out


def _stmt(node, augmented: set) -> list:
    if isinstance(node, gast.Pass):
        return []
    if isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant):
        return []
    if isinstance(node, gast.AugAssign):
        load = copy.deepcopy(node.target)
        load.ctx = gast.Load()
        value = gast.copy_location(gast.BinOp(left=load, op=node.op, right=node.value), node)
        assign = gast.copy_location(gast.Assign(targets=[node.target], value=value, type_comment=None), node)
        augmented.add(id(assign))  # in place on an array: the lowering checks for sharing
        return [assign]
    if isinstance(node, gast.AnnAssign):
        if node.value is None:
            return []
        return [gast.copy_location(gast.Assign(targets=[node.target], value=node.value, type_comment=None), node)]
    if isinstance(node, gast.Assign) and len(node.targets) > 1:
        last = node.targets[-1]
        out = [gast.copy_location(gast.Assign(targets=[last], value=node.value, type_comment=None), node)]
        for target in node.targets[:-1]:
            value = copy.deepcopy(last)
            _set_load(value)
            out.append(gast.copy_location(gast.Assign(targets=[target], value=value, type_comment=None), node))
        return out
    if isinstance(node, (gast.If, gast.While, gast.For)):
        node.body = _block(node.body, augmented)
        node.orelse = _block(node.orelse, augmented)
    return [node]


def _set_load(node) -> None:
    for n in gast.walk(node):
        if hasattr(n, "ctx"):
            n.ctx = gast.Load()


class _Exprs(gast.NodeTransformer):
    def visit_Compare(self, node):
        self.generic_visit(node)
        if len(node.ops) == 1:
            return node
        parts = []
        left = node.left
        for op, right in zip(node.ops, node.comparators, strict=True):
            parts.append(gast.copy_location(gast.Compare(left=left, ops=[op], comparators=[right]), node))
            left = right
        return gast.copy_location(gast.BoolOp(op=gast.And(), values=parts), node)
