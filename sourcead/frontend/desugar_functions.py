"""Functions defined inside the differentiated function: nested ``def`` and ``lambda``, lifted out.

Part of desugar. Each nested ``def g(...)`` statement becomes ``g = $fn1`` and each ``lambda``
expression becomes the name ``$fnN``; the invented name's record (role "function") holds a
`LocalDef`: the nested function's own tree, desugared on its own (its returns are its own). The
lowering inlines a call of it in the environment of the call -- Python's late binding: a free
variable is read when the function runs, not when it is defined.

    def f(x):                          def f(x):
        def g(y):                          g = $fn1           $fn1: def g(y): return x * y
            return x * y          ->       x = x + 1
        x = x + 1                          return g(2.0)      (reads the x bound by then)
        return g(2.0)

fence has checked the nested functions with the rest of the tree (their bodies, decorators,
defaults); what it guarantees holds for them too.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import gast

from .invented import Invented, Namer, assign, load, located
from .parse import Parsed, reject


@dataclasses.dataclass(frozen=True, eq=False)
class LocalDef:
    """A def or lambda inside the function being compiled: its desugared tree (`parsed.tree`, a
    FunctionDef; a lambda's body is one return) and the name it was given."""

    parsed: Parsed
    name: str

    def __repr__(self) -> str:
        return f"<function {self.name} defined inside {self.parsed.name}>"


def lift_functions(parsed: Parsed, tree: gast.FunctionDef, namer: Namer, desugar: Callable) -> None:
    """Replace, in `tree` (a copy the caller owns), every nested def and lambda by an invented
    name whose record holds the nested function, desugared by `desugar`."""
    _Lifter(parsed, namer, desugar).lift_body(tree)


class _Lifter(gast.NodeTransformer):
    def __init__(self, parsed: Parsed, namer: Namer, desugar: Callable):
        self.parsed, self.namer, self.desugar = parsed, namer, desugar
        self.bound_once: set = set()
        self.hoisted: list = []

    def lift_body(self, tree) -> None:
        """A def inside a loop or a branch whose name nothing else binds moves to the top of the
        function: a closure reads its free variables when it runs, so where it is defined does
        not change what it computes, and the loop need not carry a function."""
        self.bound_once = _bound_once(tree.body)
        body = []
        for stmt in tree.body:
            body.append(self._top_level_def(stmt) if isinstance(stmt, gast.FunctionDef) else self.visit(stmt))
        tree.body = self.hoisted + body

    def _top_level_def(self, node):
        return assign(node.name, located(load(self._record(node, node.name)), node), node)

    def _record(self, fdef: gast.FunctionDef, name: str) -> str:
        invented = self.namer.new("temporary", "fn")
        inner = self.desugar(dataclasses.replace(self.parsed, tree=fdef, invented={}))
        self.namer.table[invented] = Invented("function", None, LocalDef(inner, name))
        return invented

    def visit_FunctionDef(self, node):  # inside a loop or a branch
        binding = self._top_level_def(node)
        if node.name in self.bound_once:
            self.hoisted.append(binding)
            return None
        return binding

    def visit_Lambda(self, node):
        body = gast.Return(value=node.body)
        gast.copy_location(body, node.body)
        fdef = gast.FunctionDef(name="<lambda>", args=node.args, body=[body], decorator_list=[], returns=None,
                                type_comment=None, type_params=[])
        gast.copy_location(fdef, node)
        return located(load(self._record(fdef, "<lambda>")), node)


def lifted_text(parsed: Parsed) -> str:
    """The functions lifted out of `parsed` (and out of them), as text following its own: what
    each invented ``$fn`` name stands for, for the stages a person reads."""
    parts = []
    where = f" (in {parsed.tree.name})" if parsed.tree.name != parsed.name else ""
    for name, invented in parsed.invented.items():
        if invented.role == "function":
            inner = invented.value.parsed
            parts.append(f"\n\n# {name}{where} is:\n{gast.unparse(inner.tree).strip()}{lifted_text(inner)}")
    return "".join(parts)


def _bound_once(stmts) -> set:
    """The names bound exactly once in `stmts` (nested functions' own bodies aside)."""
    counts: dict = {}

    def visit(node):
        if isinstance(node, gast.FunctionDef):
            counts[node.name] = counts.get(node.name, 0) + 1
            return
        if isinstance(node, gast.Lambda):
            return
        if isinstance(node, gast.Name) and isinstance(node.ctx, (gast.Store, gast.Del)):
            counts[node.id] = counts.get(node.id, 0) + 1
        for child in gast.iter_child_nodes(node):
            visit(child)

    for stmt in stmts:
        visit(stmt)
    return {name for name, n in counts.items() if n == 1}


def check_local_function(parsed: Parsed, node) -> None:
    """fence's check of a nested def or lambda: no decorators, defaults that are literals (a
    default is evaluated where the function is defined, which the lowering does not model)."""


    for decorator in getattr(node, "decorator_list", []) or []:
        reject(parsed, decorator, "a decorator on a function defined inside a differentiated function is not "
               "supported by sourcead", "define the decorated function at module level")
    for default in list(node.args.defaults) + [d for d in node.args.kw_defaults if d is not None]:
        if not _literal(default):
            reject(parsed, default, "a default value computed inside a differentiated function (it is evaluated "
                   "where the function is defined) is not supported by sourcead",
                   "pass the value as an argument, or read it as a free variable of the function")


def _literal(node) -> bool:
    if isinstance(node, gast.Constant):
        return True
    if isinstance(node, gast.UnaryOp) and isinstance(node.op, (gast.USub, gast.UAdd)):
        return isinstance(node.operand, gast.Constant)
    return isinstance(node, gast.Tuple) and all(_literal(e) for e in node.elts)
