"""Comprehensions and generator expressions into loops that build a list, a dict or a running sum.

Output guarantees, for the statements of a function's body: no ListComp and no GeneratorExp is
left. Each is computed by statements placed right before the statement that evaluated it (inside
the same block, so an ``if``'s test and a ``for``'s iterable see it once, where Python evaluated
it), every statement located at the user's comprehension:

    ys = [f(x) for x in xs if x > 0]      ->   $ys1 = []
                                               for $x2 in xs:
                                                   if $x2 > 0:
                                                       $ys1 = $ys1 + [f($x2)]
                                               ys = $ys1

    s = sum(x * x for x in xs)            ->   $acc1 = 0
                                               for $x2 in xs:
                                                   $acc1 = $acc1 + $x2 * $x2
                                               s = $acc1

- a comprehension's variables are fresh invented names (role "local", labelled with the user's
  name), so they neither leak into nor clobber the function's names (Python 3's scoping); its
  first iterable is read in the enclosing scope, everything else in its own;
- the list is built by ``acc = acc + [item]`` (an invented name of role "accumulator", which every
  loop binding it carries), which the containers pass makes a concatenation with its own rules;
- a dict comprehension builds its dict by ``acc = dict_with(acc, key, value)`` from ``{}``
  (`runtime.dict_with`, with rules of its own), its keys known only when it runs;
- ``sum(...)`` of a generator or a list comprehension is a running sum from `start` (0);
  ``max``/``min`` of one are a running ``max(m, item)`` over the list from its first item (ties
  keep the first, as Python's); ``tuple(...)`` builds a tuple; ``list``, ``np.stack``, ``np.array``,
  ``any``, ``all`` (and NumPy's joining functions) take the list built;
- a comprehension in a branch of a conditional expression or in the right operand of
  ``and``/``or`` is computed inside an ``if`` on the same test, into a temporary, so it runs
  exactly when Python runs it;
- refused, located: a generator expression anywhere else, an ``async`` comprehension, a
  comprehension in a ``while`` test (Python evaluates it again on every iteration).
"""

from __future__ import annotations

import builtins
import copy

import gast
import numpy as np

from .invented import Invented, Namer, assign, load, located, store
from .parse import Parsed, reject

_COMPREHENSIONS = (gast.ListComp, gast.GeneratorExp, gast.DictComp)
# callables that may take a generator expression: what each makes of it
_JOINS = {np.stack, np.array, np.asarray, np.concatenate, np.hstack, np.vstack, np.column_stack}
_CONSUMERS = {sum: "sum", max: "extremum", min: "extremum", tuple: "tuple", list: "list", any: "list",
              all: "list", **{f: "list" for f in _JOINS}}


class _Unit:
    """What rewriting one function's comprehensions shares."""

    def __init__(self, parsed: Parsed, namer: Namer, locals_: set):
        self.parsed, self.namer, self.locals = parsed, namer, locals_

    def name(self, role: str, label: str | None, prefix: str) -> str:
        """A fresh invented name (``$x3``) recorded with its role and label."""
        self.namer.count += 1
        name = f"${prefix}{self.namer.count}"
        self.namer.table[name] = Invented(role, label)
        return name

    def resolve(self, func):
        """The object a callee's name denotes when it is not one of the function's names."""
        if isinstance(func, gast.Name):
            if func.id in self.locals or func.id.startswith("$"):
                return None
            found, value, _ = self.parsed.lookup(func.id)
            return value if found else None
        if isinstance(func, gast.Attribute):
            base = self.resolve(func.value)
            return getattr(base, func.attr, None) if base is not None and type(base).__name__ == "module" else None
        return None


def comprehensions(parsed: Parsed, tree: gast.FunctionDef, namer: Namer) -> list:
    """The function's body with every comprehension and generator expression made a loop."""
    if not any(isinstance(n, _COMPREHENSIONS) for n in gast.walk(tree)):
        return tree.body
    params = {a.id for a in [*getattr(tree.args, "posonlyargs", []), *tree.args.args, *tree.args.kwonlyargs]}
    stored = {n.id for n in gast.walk(tree) if isinstance(n, gast.Name) and isinstance(n.ctx, gast.Store)}
    return _block(_Unit(parsed, namer, stored | params), tree.body)


def _block(unit: _Unit, stmts: list) -> list:
    out = []
    for stmt in stmts:
        out.extend(_stmt(unit, stmt))
    return out


def _stmt(unit: _Unit, stmt) -> list:
    """`stmt` preceded by the statements that compute the comprehensions it evaluates."""
    if isinstance(stmt, gast.While):
        for n in gast.walk(stmt.test):
            if isinstance(n, _COMPREHENSIONS):
                reject(unit.parsed, n, "a comprehension in a while loop's test is not supported by sourcead",
                       "compute it into a variable before the loop and again at the end of the body")
    if isinstance(stmt, (gast.If, gast.While, gast.For)):
        stmt.body, stmt.orelse = _block(unit, stmt.body), _block(unit, stmt.orelse)
    field = {gast.If: "test", gast.For: "iter"}.get(type(stmt), "value")
    value = getattr(stmt, field, None)
    if value is None or isinstance(stmt, gast.While) \
            or not any(isinstance(n, _COMPREHENSIONS) for n in gast.walk(value)):
        return [stmt]
    label = stmt.targets[0].id if isinstance(stmt, gast.Assign) and len(stmt.targets) == 1 \
        and isinstance(stmt.targets[0], gast.Name) else None
    hoister = _Hoister(unit, label)
    setattr(stmt, field, hoister.visit(value))
    return hoister.before + [stmt]


class _Hoister(gast.NodeTransformer):
    """Replaces the comprehensions of one expression by names, collecting the statements that
    compute them (`before`); refuses those Python might not evaluate."""

    def __init__(self, unit: _Unit, label: str | None):
        self.unit, self.label, self.before = unit, label, []

    def visit_IfExp(self, node):
        """``a if c else b`` holding a comprehension in a branch: an `if` statement that computes
        the branch Python takes, into a temporary."""
        node.test = self.visit(node.test)
        if not _holds_comprehension([node.body, node.orelse]):
            return node
        value = self.unit.namer.new("temporary")
        branches = [self.guarded(value, branch) for branch in (node.body, node.orelse)]
        self.before.append(located(gast.If(test=node.test, body=branches[0], orelse=branches[1]), node))
        return located(load(value), node)

    def visit_BoolOp(self, node):
        """``a and b`` holding a comprehension in `b`: `b` computed only when Python computes it."""
        node.values[0] = self.visit(node.values[0])
        if not _holds_comprehension(node.values[1:]):
            return node
        value = self.unit.namer.new("temporary")
        self.before.append(assign(value, node.values[0], node))
        for operand in node.values[1:]:
            test = load(value) if isinstance(node.op, gast.And) else gast.UnaryOp(op=gast.Not(), operand=load(value))
            self.before.append(located(gast.If(test=test, body=self.guarded(value, operand), orelse=[]), node))
        return located(load(value), node)

    def guarded(self, name: str, expr) -> list:
        """The statements computing `expr` into `name`, its comprehensions included."""
        inner = _Hoister(self.unit, None)
        value = inner.visit(expr)
        return inner.before + [assign(name, value, expr)]

    def visit_Lambda(self, node):
        return node  # refused by fence

    def visit_Call(self, node):
        consumer = _consumer(self.unit, node)
        if consumer is None:
            return self.generic_visit(node)
        node.func = self.visit(node.func)
        comp, how = node.args[0], _CONSUMERS[consumer]
        if how == "sum":
            start = self.visit(node.args[1]) if len(node.args) > 1 else gast.Constant(value=0, kind=None)
            return self.emit(comp, start, lambda acc, item: gast.BinOp(left=acc, op=gast.Add(), right=item))
        if how == "tuple":
            return self.emit(comp, gast.Tuple(elts=[], ctx=gast.Load()), _joined(gast.Tuple))
        label = self.label
        if how == "extremum":
            self.label = None  # the list is a temporary; the extremum takes the assignment's name
        built = self.emit(comp, gast.List(elts=[], ctx=gast.Load()), _joined(gast.List))
        if how == "extremum":
            return self.extremum(node, built, label)
        node.args = [built]
        return node

    def visit_ListComp(self, node):
        return self.emit(node, gast.List(elts=[], ctx=gast.Load()), _joined(gast.List))

    def visit_DictComp(self, node):
        """``{k: v for ...}``: ``acc = {}``, then ``acc = dict_with(acc, k, v)`` (its keys are
        known only when it runs)."""
        with_ = self.unit.namer.builtin("dict_with")
        return self.emit(node, gast.Dict(keys=[], values=[]),
                         lambda acc, item: gast.Call(func=load(with_), args=[acc, *item.elts], keywords=[]))

    def visit_GeneratorExp(self, node):
        reject(self.unit.parsed, node, "a generator expression is supported only as the argument of sum, max, "
               "min, tuple, list, any, all, np.stack or np.array",
               "write a list comprehension [...] instead")

    def emit(self, comp, init, step):
        """Statements computing `comp` into a fresh accumulator; a load of it."""
        unit = self.unit
        acc = unit.name("accumulator", self.label, self.label or "acc")
        self.label = None  # only the outermost value takes the assignment's name
        loop = _loop(unit, comp, lambda item: assign(acc, step(load(acc), item), comp))
        stmts = [assign(acc, init, comp), *loop]
        self.before.extend(_block(unit, [located(s, comp) for s in stmts]))
        return located(load(acc), comp)

    def extremum(self, call, built, label):
        """``m = items[0]; for v in items[1:]: m = max(m, v)`` (or min)."""
        unit, near = self.unit, call
        m, v = unit.name("accumulator", label, label or "m"), unit.name("local", None, "v")
        first = gast.Subscript(value=copy.deepcopy(built), slice=gast.Constant(value=0, kind=None), ctx=gast.Load())
        rest = gast.Subscript(value=copy.deepcopy(built), ctx=gast.Load(),
                              slice=gast.Slice(lower=gast.Constant(value=1, kind=None), upper=None, step=None))
        step = gast.Call(func=copy.deepcopy(call.func), args=[load(m), load(v)], keywords=[])
        loop = gast.For(target=store(v), iter=rest, body=[assign(m, step, near)], orelse=[], type_comment=None)
        self.before.extend(located(s, near) for s in [assign(m, first, near), loop])
        return located(load(m), near)


def _joined(container):
    """acc, item -> ``acc + [item]`` (or ``acc + (item,)``)."""
    return lambda acc, item: gast.BinOp(left=acc, op=gast.Add(), right=container(elts=[item], ctx=gast.Load()))


def _consumer(unit: _Unit, node: gast.Call):
    """The builtin or NumPy function a call passes a comprehension to, when it is one that takes
    it (sum and max/min also a list comprehension); None otherwise."""
    if len(node.args) not in (1, 2) or not isinstance(node.args[0], (gast.ListComp, gast.GeneratorExp)):
        return None
    fn = unit.resolve(node.func)
    try:
        how = _CONSUMERS.get(fn)
    except TypeError:
        return None
    if how is None or (isinstance(node.args[0], gast.ListComp) and how not in ("sum", "extremum")):
        return None
    if node.keywords or (len(node.args) == 2 and how != "sum"):
        reject(unit.parsed, node, f"{getattr(fn, '__name__', 'this call')} of a comprehension with more "
               "arguments is not supported by sourcead", "build the list first, then call the function on it")
    if how == "extremum" and fn not in (builtins.max, builtins.min):
        return None
    return fn


def _holds_comprehension(nodes: list) -> bool:
    return any(isinstance(n, _COMPREHENSIONS) for node in nodes for n in gast.walk(node))


# ---- the loop ------------------------------------------------------------------------------------


def _loop(unit: _Unit, comp, innermost) -> list:
    """The nested `for`/`if` statements of `comp`'s generators, its variables renamed; at the
    innermost level, ``innermost(item)``."""
    mapping: dict = {}
    levels = []
    for k, gen in enumerate(comp.generators):
        if gen.is_async:
            reject(unit.parsed, comp, "an async comprehension is not supported by sourcead",
                   "differentiate a plain synchronous function")
        iterable = gen.iter if k == 0 else _renamed(gen.iter, mapping)
        target = _fresh_target(unit, gen.target, mapping)
        levels.append((target, iterable, [_renamed(c, mapping) for c in gen.ifs]))
    elt = comp.elt if not isinstance(comp, gast.DictComp) else gast.Tuple(elts=[comp.key, comp.value], ctx=gast.Load())
    body = [innermost(_renamed(elt, mapping))]
    for target, iterable, ifs in reversed(levels):
        for test in reversed(ifs):
            body = [gast.If(test=test, body=body, orelse=[])]
        body = [gast.For(target=target, iter=iterable, body=body, orelse=[], type_comment=None)]
    return body


def _fresh_target(unit: _Unit, target, mapping: dict):
    """The comprehension's target with each name a fresh invented one (recorded in `mapping`)."""
    if isinstance(target, gast.Name):
        fresh = unit.name("local", target.id, target.id)
        mapping[target.id] = fresh
        return gast.copy_location(store(fresh), target)
    if isinstance(target, (gast.Tuple, gast.List)):
        elts = [_fresh_target(unit, e, mapping) for e in target.elts]
        return gast.copy_location(gast.Tuple(elts=elts, ctx=gast.Store()), target)
    reject(unit.parsed, target, f"a comprehension over {type(target).__name__} targets is not supported by "
           "sourcead", "iterate into plain names")


def _renamed(node, mapping: dict):
    """`node` with the names of `mapping` renamed, except where a nested comprehension rebinds them."""
    return _Renamer(mapping).visit(node)


class _Renamer(gast.NodeTransformer):
    def __init__(self, mapping: dict):
        self.mapping = mapping

    def visit_Name(self, node):
        if node.id in self.mapping and isinstance(node.ctx, gast.Load):
            return gast.copy_location(load(self.mapping[node.id]), node)
        return node

    def _comprehension(self, node):
        inner = dict(self.mapping)
        for k, gen in enumerate(node.generators):
            gen.iter = _Renamer(self.mapping if k == 0 else inner).visit(gen.iter)
            for n in gast.walk(gen.target):
                if isinstance(n, gast.Name):
                    inner.pop(n.id, None)
            gen.ifs = [_Renamer(inner).visit(c) for c in gen.ifs]
        for field in ("elt", "key", "value"):
            if hasattr(node, field):
                setattr(node, field, _Renamer(inner).visit(getattr(node, field)))
        return node

    visit_ListComp = visit_GeneratorExp = visit_SetComp = visit_DictComp = _comprehension
