"""desugar: rewrite Python's conveniences into the core the lowering understands, keeping lines.

Output guarantees (on top of fence's): no AugAssign, AnnAssign or Pass; every Assign has one
target; comparisons have one operator (chains become `and`); docstrings are gone.

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
    tree.body = _block(tree.body)
    _Exprs().visit(tree)
    return parsed


def _block(stmts: list) -> list:
    out = []
    for stmt in stmts:
        out.extend(_stmt(stmt))
    return out


def _stmt(node) -> list:
    if isinstance(node, gast.Pass):
        return []
    if isinstance(node, gast.Expr) and isinstance(node.value, gast.Constant):
        return []
    if isinstance(node, gast.AugAssign):
        load = copy.deepcopy(node.target)
        load.ctx = gast.Load()
        value = gast.copy_location(gast.BinOp(left=load, op=node.op, right=node.value), node)
        return [gast.copy_location(gast.Assign(targets=[node.target], value=value, type_comment=None), node)]
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
        node.body = _block(node.body)
        node.orelse = _block(node.orelse)
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
