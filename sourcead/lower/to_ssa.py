"""to_ssa: desugared gast -> structured SSA, in one walk with a scoped environment.

Output guarantees: every `Var` is defined once; free names are resolved to `Const` objects with
their spelling; each `if` yields the variables either branch rebinds, each loop carries the
variables its body rebinds; a `return` inside an `if` ends the function there (the statements that
follow are lowered into the branches that fall through), so the function has one exit.

    y = x * 2            y = mul(x, 2)
    if y > 1:            t = gt(y, 1)
        y = y - 1   ->   y_1 = if t:
    return y               then: y_2 = sub(y, 1); yield y_2
                           else: yield y
                         return y_1
"""

from __future__ import annotations

import operator
import types

import gast

from ..errors import Loc, UnboundNameError, UnsupportedCallError, UnsupportedSyntaxError
from ..frontend.parse import Parsed
from ..ir.core import (Attr, Call, Const, For, Function, If, Method, Operand, Param, Region, Var, While,
                       make_list, make_tuple)
from ..runtime import UNBOUND, check_bound

BINOPS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Div: operator.truediv,
    gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod, gast.Pow: operator.pow,
    gast.MatMult: operator.matmul, gast.BitAnd: operator.and_, gast.BitOr: operator.or_,
    gast.BitXor: operator.xor, gast.LShift: operator.lshift, gast.RShift: operator.rshift,
}
UNARYOPS = {gast.USub: operator.neg, gast.UAdd: operator.pos, gast.Not: operator.not_, gast.Invert: operator.invert}
CMPOPS = {
    gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt, gast.GtE: operator.ge,
    gast.Eq: operator.eq, gast.NotEq: operator.ne, gast.Is: operator.is_, gast.IsNot: operator.is_not,
}


def in_(x, container):
    return x in container


def not_in(x, container):
    return x not in container


class _Returned(Exception):
    """Internal signal: the block being lowered ended in a return."""


class Lowerer:
    def __init__(self, parsed: Parsed):
        self.parsed = parsed
        self.stmts: list = []  # the statement list being appended to
        self.env: dict[str, Operand] = {}
        self.maybe_unbound: set[str] = set()
        tree = parsed.tree
        self.locals = _assigned_names(tree.body) | {a.id for a in _all_args(tree.args)}

    # ---- helpers ------------------------------------------------------------------------------
    def loc(self, node) -> Loc:
        return self.parsed.loc(node)

    def error(self, node, message, hint=None, cls=UnsupportedSyntaxError):
        raise cls(message, self.loc(node), hint)

    def emit(self, op, args, kwargs=None, node=None, hint="t", ref=None) -> Var:
        out = Var(hint)
        self.stmts.append(Call([out], op, list(args), dict(kwargs or {}), self.loc(node) if node else None, ref))
        return out

    def region(self, params, body_fn):
        """Lower `body_fn()` into a fresh region; returns (region, yields-producing result)."""
        saved = self.stmts
        self.stmts = []
        try:
            result = body_fn()
            return Region(list(params), self.stmts, []), result
        finally:
            self.stmts = saved

    # ---- function ------------------------------------------------------------------------------
    def function(self) -> Function:
        tree = self.parsed.tree
        fn = self.parsed.fn
        params = []
        args = tree.args
        positional = list(getattr(args, "posonlyargs", []) or []) + list(args.args)
        defaults = list(fn.__defaults__ or ())
        first_default = len(positional) - len(defaults)
        for i, a in enumerate(positional):
            v = Var(a.id)
            self.env[a.id] = v
            default = Const(defaults[i - first_default]) if i >= first_default else None
            params.append(Param(v, default))
        kwdefaults = fn.__kwdefaults__ or {}
        for a in args.kwonlyargs:
            v = Var(a.id)
            self.env[a.id] = v
            params.append(Param(v, Const(kwdefaults[a.id]) if a.id in kwdefaults else None, keyword_only=True))
        results, returns_tuple = self.block(tree.body, top=True)
        return Function(name=tree.name, params=params, body=Region([], self.stmts, results),
                        returns_tuple=returns_tuple, loc=self.loc(tree), lines=self.parsed.lines,
                        filename=self.parsed.filename)

    # ---- statements ----------------------------------------------------------------------------
    def block(self, stmts, top=False):
        """Lower a statement list. Returns (results, returns_tuple) if it returns, else None."""
        for i, stmt in enumerate(stmts):
            if isinstance(stmt, gast.Return):
                return self.return_values(stmt)
            if isinstance(stmt, gast.If) and _returns_inside(stmt):
                return self.returning_if(stmt, stmts[i + 1:])
            self.stmt(stmt)
        if top:
            return [Const(None)], False
        return None

    def return_values(self, node: gast.Return):
        if node.value is None:
            return [Const(None)], False
        if isinstance(node.value, gast.Tuple):
            return [self.expr(e) for e in node.value.elts], True
        return [self.expr(node.value)], False

    def returning_if(self, node: gast.If, rest):
        """``if c: ...return...`` ends the function: lower `rest` into each branch that falls through."""
        cond = self.truth(node.test)

        def branch(body):
            def lower():
                saved_env, saved_unbound = dict(self.env), set(self.maybe_unbound)
                try:
                    result = self.block(list(body) + list(rest), top=True)
                finally:
                    self.env, self.maybe_unbound = saved_env, saved_unbound
                return result
            return self.region([], lower)

        then, (then_vals, then_tuple) = branch(node.body)
        orelse, (else_vals, else_tuple) = branch(node.orelse)
        if then_tuple != else_tuple or len(then_vals) != len(else_vals):
            self.error(node, "the branches of this if return different numbers of values",
                       "return the same number of values (a tuple of the same length) on every path")
        then.yields, orelse.yields = then_vals, else_vals
        outs = [Var("result") for _ in then_vals]
        self.stmts.append(If(outs, cond, then, orelse, self.loc(node)))
        return list(outs), then_tuple

    def stmt(self, node) -> None:
        if isinstance(node, gast.Assign):
            self.assign(node.targets[0], node.value, node)
        elif isinstance(node, gast.If):
            self.if_stmt(node)
        elif isinstance(node, gast.While):
            self.while_stmt(node)
        elif isinstance(node, gast.For):
            self.for_stmt(node)
        elif isinstance(node, (gast.Break, gast.Continue)):
            self.error(node, f"{type(node).__name__.lower()} is not supported yet",
                       "rewrite the loop with a condition; break and continue arrive with control-flow support")
        else:
            self.error(node, f"the statement {type(node).__name__} is not supported by sourcead")

    def assign(self, target, value_node, node) -> None:
        if isinstance(target, gast.Name):
            n_before = len(self.stmts)
            value = self.expr(value_node)
            self.bind(target.id, value, n_before)
            return
        if isinstance(target, (gast.Tuple, gast.List)):
            if isinstance(value_node, (gast.Tuple, gast.List)) and len(value_node.elts) == len(target.elts) \
                    and not any(isinstance(e, gast.Starred) for e in target.elts):
                values = []
                for elt in value_node.elts:
                    n_before = len(self.stmts)
                    values.append((self.expr(elt), n_before))
                for t, (v, n_before) in zip(target.elts, values, strict=True):
                    self.bind_target(t, v, n_before, node)
                return
            value = self.expr(value_node)
            self.unpack(target, value, node)
            return
        self.error(target, f"assignment to {type(target).__name__} is not supported by sourcead")

    def unpack(self, target, value: Operand, node) -> None:
        n = len(target.elts)
        checked = self.emit(_unpack_check, [value, Const(n)], node=node, hint="t")
        for i, elt in enumerate(target.elts):
            n_before = len(self.stmts)
            item = self.emit(operator.getitem, [checked, Const(i)], node=node)
            self.bind_target(elt, item, n_before, node)

    def bind_target(self, target, value: Operand, n_before: int, node) -> None:
        if isinstance(target, gast.Name):
            self.bind(target.id, value, n_before)
        else:
            self.unpack(target, value, node)

    def bind(self, name: str, value: Operand, n_before: int) -> None:
        # A value computed by this very statement takes the user's name.
        if isinstance(value, Var) and len(self.stmts) > n_before:
            last = self.stmts[-1]
            if value in last.outs and value.hint in ("t", "result"):
                value.hint = name
        self.env[name] = value
        self.maybe_unbound.discard(name)

    def if_stmt(self, node: gast.If) -> None:
        cond = self.truth(node.test)
        before = dict(self.env)
        before_unbound = set(self.maybe_unbound)

        def branch(body):
            self.env = dict(before)
            self.maybe_unbound = set(before_unbound)
            region, _ = self.region([], lambda: self.block(body))
            return region, self.env, self.maybe_unbound

        then, then_env, then_unb = branch(node.body)
        orelse, else_env, else_unb = branch(node.orelse)
        names = sorted(n for n in set(then_env) | set(else_env)
                       if then_env.get(n) is not before.get(n) or else_env.get(n) is not before.get(n))
        outs = []
        self.env = dict(before)
        self.maybe_unbound = then_unb | else_unb
        for name in names:
            out = Var(name)
            then.yields.append(then_env.get(name, Const(UNBOUND)))
            orelse.yields.append(else_env.get(name, Const(UNBOUND)))
            if name not in then_env or name not in else_env:
                self.maybe_unbound.add(name)
            self.env[name] = out
            outs.append(out)
        self.stmts.append(If(outs, cond, then, orelse, self.loc(node)))

    def loop_body(self, node) -> None:
        if self.block(node.body) is not None:
            returns = [n for n in gast.walk(node) if isinstance(n, gast.Return)]
            self.error(returns[0] if returns else node, "return inside a loop is not supported yet",
                       "store the result in a variable, leave the loop with a condition, and return after it")

    def loop_carried(self, node) -> list[str]:
        assigned = _assigned_names(node.body)
        if isinstance(node, gast.For):
            assigned |= _target_names(node.target)
        return sorted(assigned)

    def while_stmt(self, node: gast.While) -> None:
        if node.orelse:
            self.error(node, "while ... else is not supported yet", "move the else block after the loop")
        names = self.loop_carried(node)
        inits = [self.env.get(n, Const(UNBOUND)) for n in names]
        before_unbound = set(self.maybe_unbound) | {n for n in names if n not in self.env}
        cond_params = [Var(n) for n in names]
        body_params = [Var(n) for n in names]

        def enter(params):
            for n, p in zip(names, params, strict=True):
                self.env[n] = p
            self.maybe_unbound = set(before_unbound)

        saved_env = dict(self.env)
        enter(cond_params)
        cond_region, cond = self.region(cond_params, lambda: self.truth(node.test))
        cond_region.yields = [cond]
        enter(body_params)
        body_region, _ = self.region(body_params, lambda: self.loop_body(node))
        body_region.yields = [self.env[n] for n in names]
        self.env = saved_env
        outs = [Var(n) for n in names]
        for n, out in zip(names, outs, strict=True):
            self.env[n] = out
        self.maybe_unbound = before_unbound
        self.stmts.append(While(outs, inits, cond_region, body_region, self.loc(node)))

    def for_stmt(self, node: gast.For) -> None:
        """Every for loop becomes a loop over a range of indices: ``for x in xs`` reads ``xs[i]``,
        ``enumerate`` and ``zip`` likewise, so the reverse sweep can always run the indices
        backwards (and a row's cotangent goes back through indexing)."""
        if node.orelse:
            self.error(node, "for ... else is not supported yet", "move the else block after the loop")
        iterable, read_item = self.iteration(node.iter)
        names = self.loop_carried(node)
        inits = [self.env.get(n, Const(UNBOUND)) for n in names]
        before_unbound = set(self.maybe_unbound) | {n for n in names if n not in self.env}
        index = Var("i")
        params = [Var(n) for n in names]
        saved_env = dict(self.env)
        for n, p in zip(names, params, strict=True):
            self.env[n] = p
        self.maybe_unbound = set(before_unbound)

        def body():
            n_before = len(self.stmts)
            item = read_item(index) if read_item is not None else index
            self.bind_target(node.target, item, n_before, node)
            if read_item is None and isinstance(node.target, gast.Name):
                index.hint = node.target.id
            self.loop_body(node)

        body_region, _ = self.region([index, *params], body)
        body_region.yields = [self.env[n] for n in names]
        self.env = saved_env
        outs = [Var(n) for n in names]
        for n, out in zip(names, outs, strict=True):
            self.env[n] = out
        self.maybe_unbound = before_unbound
        self.stmts.append(For(outs, iterable, inits, body_region, self.loc(node)))

    def iteration(self, node):
        """(a range operand, a function index -> item operand, or None when the item is the index)."""
        if isinstance(node, gast.Call) and not node.keywords:
            callee = self.expr(node.func) if isinstance(node.func, (gast.Name, gast.Attribute)) else None
            fn = callee.value if isinstance(callee, Const) else None
            if fn is range:
                args = [self.expr(a) for a in node.args]
                return self.emit(range, args, node=node, ref=callee), None
            if fn is enumerate and len(node.args) == 1:
                seq = self.expr(node.args[0])
                n = self.emit(len, [seq], node=node, ref=Const(len, "len"))
                r = self.emit(range, [n], node=node, ref=Const(range, "range"))
                return r, lambda i: self.emit(make_tuple, [i, self.emit(operator.getitem, [seq, i], node=node)],
                                              node=node)
            if fn is zip and node.args:
                seqs = [self.expr(a) for a in node.args]
                lens = [self.emit(len, [q], node=node, ref=Const(len, "len")) for q in seqs]
                n = lens[0] if len(lens) == 1 else self.emit(min, lens, node=node, ref=Const(min, "min"))
                r = self.emit(range, [n], node=node, ref=Const(range, "range"))
                return r, lambda i: self.emit(make_tuple, [self.emit(operator.getitem, [q, i], node=node)
                                                           for q in seqs], node=node)
        seq = self.expr(node)
        n = self.emit(len, [seq], node=node, ref=Const(len, "len"))
        r = self.emit(range, [n], node=node, ref=Const(range, "range"))
        return r, lambda i: self.emit(operator.getitem, [seq, i], node=node)

    # ---- expressions ---------------------------------------------------------------------------
    def truth(self, node) -> Operand:
        return self.expr(node)

    def expr(self, node) -> Operand:
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            self.error(node, f"the expression {type(node).__name__} is not supported by sourcead")
        return method(node)

    def expr_Constant(self, node):
        return Const(node.value)

    def expr_Name(self, node):
        name = node.id
        if name in self.env:
            value = self.env[name]
            if name in self.maybe_unbound:
                value = self.emit(check_bound, [value, Const(name)], node=node, hint=name)
                self.env[name] = value
                self.maybe_unbound.discard(name)
            return value
        if name in self.locals:
            self.error(node, f"local variable {name!r} is read before it is assigned",
                       "assign it on every path before this line", cls=UnboundNameError)
        found, value, _where = self.parsed.lookup(name)
        if not found:
            self.error(node, f"name {name!r} is not defined", cls=UnsupportedSyntaxError)
        return Const(value, name, self.parsed)

    def expr_Attribute(self, node):
        base = self.expr(node.value)
        if isinstance(base, Const) and isinstance(base.value, types.ModuleType):
            try:
                value = getattr(base.value, node.attr)
            except AttributeError:
                self.error(node, f"module {base.value.__name__!r} has no attribute {node.attr!r}")
            return Const(value, f"{base.spelling}.{node.attr}" if base.spelling else None, base.scope)
        return self.emit(Attr(node.attr), [base], node=node)

    def expr_BinOp(self, node):
        op = BINOPS.get(type(node.op))
        left, right = self.expr(node.left), self.expr(node.right)
        return self.emit(op, [left, right], node=node)

    def expr_UnaryOp(self, node):
        operand = self.expr(node.operand)
        return self.emit(UNARYOPS[type(node.op)], [operand], node=node)

    def expr_Compare(self, node):
        left, right = self.expr(node.left), self.expr(node.comparators[0])
        op = node.ops[0]
        if isinstance(op, gast.In):
            return self.emit(in_, [left, right], node=node)
        if isinstance(op, gast.NotIn):
            return self.emit(not_in, [left, right], node=node)
        return self.emit(CMPOPS[type(op)], [left, right], node=node)

    def expr_BoolOp(self, node):
        # a and b  ==  b if a else a;   a or b  ==  a if a else b   (short-circuit kept: b is lowered
        # inside the branch that evaluates it)
        first = self.expr(node.values[0])
        if len(node.values) == 1:
            return first
        rest = gast.BoolOp(op=node.op, values=node.values[1:])
        gast.copy_location(rest, node.values[1])
        evaluate, _ = self.region([], lambda: self.expr(rest))
        evaluate.yields = [_ or Const(None)]
        keep = Region([], [], [first])
        if isinstance(node.op, gast.And):
            then, orelse = evaluate, keep
        else:
            then, orelse = keep, evaluate
        out = Var("t")
        self.stmts.append(If([out], first, then, orelse, self.loc(node)))
        return out

    def expr_IfExp(self, node):
        cond = self.expr(node.test)
        then, a = self.region([], lambda: self.expr(node.body))
        orelse, b = self.region([], lambda: self.expr(node.orelse))
        then.yields, orelse.yields = [a], [b]
        out = Var("t")
        self.stmts.append(If([out], cond, then, orelse, self.loc(node)))
        return out

    def expr_Tuple(self, node):
        elts = [self.expr(e) for e in node.elts]
        if all(isinstance(e, Const) and e.spelling is None for e in elts):
            return Const(tuple(e.value for e in elts))
        return self.emit(make_tuple, elts, node=node)

    def expr_List(self, node):
        elts = [self.expr(e) for e in node.elts]
        return self.emit(make_list, elts, node=node)

    def expr_Slice(self, node):
        parts = [self.expr(p) if p is not None else Const(None) for p in (node.lower, node.upper, node.step)]
        if all(isinstance(p, Const) and p.spelling is None for p in parts):
            return Const(slice(*(p.value for p in parts)))
        return self.emit(slice, parts, node=node)

    def expr_Subscript(self, node):
        value = self.expr(node.value)
        index = self.expr(node.slice)
        return self.emit(operator.getitem, [value, index], node=node)

    def expr_Call(self, node):
        func = node.func
        if isinstance(func, gast.Attribute):
            base = self.expr(func.value)
            if not (isinstance(base, Const) and isinstance(base.value, types.ModuleType)):
                args = [self.expr(a) for a in node.args]
                kwargs = {kw.arg: self.expr(kw.value) for kw in node.keywords}
                return self.emit(Method(func.attr), [base, *args], kwargs, node=node)
            callee = self.expr_Attribute(func)
        else:
            callee = self.expr(func)
        if not isinstance(callee, Const):
            self.error(node, "calling a computed value is not supported by sourcead",
                       "call a function by its name", cls=UnsupportedCallError)
        args = [self.expr(a) for a in node.args]
        kwargs = {kw.arg: self.expr(kw.value) for kw in node.keywords}
        return self.emit(callee.value, args, kwargs, node=node, ref=callee)


def _unpack_check(value, n):
    """Tuple unpacking: Python's own error when the counts differ, then the value itself."""
    if len(value) != n:
        raise ValueError(f"cannot unpack {len(value)} values into {n} names")
    return value


def _all_args(args):
    return list(getattr(args, "posonlyargs", []) or []) + list(args.args) + list(args.kwonlyargs)


def _target_names(target) -> set[str]:
    return {n.id for n in gast.walk(target) if isinstance(n, gast.Name)}


def _assigned_names(stmts) -> set[str]:
    names = set()
    for stmt in stmts:
        for node in gast.walk(stmt):
            if isinstance(node, gast.Name) and isinstance(node.ctx, gast.Store):
                names.add(node.id)
    return names


def _returns_inside(node) -> bool:
    """Whether a return occurs in `node` outside of any loop (returns in loops are separate)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, gast.Return):
            return True
        if isinstance(n, (gast.While, gast.For)):
            if any(isinstance(m, gast.Return) for m in gast.walk(n)):
                return True
            continue
        stack.extend(gast.iter_child_nodes(n))
    return False


def to_ssa(parsed: Parsed) -> Function:
    return Lowerer(parsed).function()

