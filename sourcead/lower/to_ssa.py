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

import inspect
import operator
import os
import sysconfig
import types

import gast

from ..errors import Loc, UnsupportedCallError, UnsupportedSyntaxError
from ..frontend.parse import Parsed
from ..ir.core import (Attr, Call, Const, For, Function, If, Method, Operand, Param, Region, Var, While,
                       make_list, make_tuple)
from ..ir.builder import clone_region
from ..ir.ops import BINOPS, CMPOPS, UNARYOPS
from ..rules import registry
from ..runtime import UNBOUND, check_bound, not_shared, unpacked

class Lowerer:
    def __init__(self, parsed: Parsed, callee_ir):
        self.parsed = parsed
        self.callee_ir = callee_ir  # (function, call's Loc) -> its lowered IR, from the pipeline
        self.stmts: list = []  # the statement list being appended to
        self.env: dict[str, Operand] = {}
        self.maybe_unbound: set[str] = set()
        self.return_shape: tuple[int, bool] | None = None  # (number of values, a tuple?)
        self.callees: list = []  # the functions inlined, and how their callers named them
        self.conditional = 0  # > 0 while lowering an expression that only some paths evaluate
        self.held: list = []  # sequences enclosing `for` loops iterate over (not always named)
        tree = parsed.tree
        self.locals = _assigned_names(tree.body) | {a.id for a in _all_args(tree.args)}

    # ---- helpers ------------------------------------------------------------------------------
    def loc(self, node) -> Loc:
        return self.parsed.loc(node)

    def error(self, node, message, hint=None, cls=UnsupportedSyntaxError):
        raise cls(message, self.loc(node), hint)

    def emit(self, op, args, kwargs=None, node=None, hint=None, ref=None) -> Var:
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
        ended = self.block(tree.body, None)
        results, returns_tuple = ended if ended is not None else ([Const(None)], False)
        return Function(name=tree.name, params=params, body=Region([], self.stmts, results),
                        returns_tuple=returns_tuple, loc=self.loc(tree), lines=self.parsed.lines,
                        filename=self.parsed.filename, callees=self.callees)

    # ---- statements ----------------------------------------------------------------------------
    # A block is lowered in a context: None for the function's own body, or the loop whose body it
    # is. A path ends at `return`, `break` or `continue`; statements after an `if` some of whose
    # paths end are lowered into the paths that fall through (so every region has one exit).
    # In the function's body, `block` returns (results, is_tuple) once the function has returned
    # on every path, and None if it falls off the end. In a loop's body, it returns None: the
    # environment then holds the values the iteration yields (a `break` sets the loop's flag).

    def block(self, stmts, ctx: "_Loop | None"):
        for i, stmt in enumerate(stmts):
            rest = list(stmts[i + 1:])
            if isinstance(stmt, gast.Return):
                values, is_tuple = self.return_values(stmt)
                if ctx is None:
                    return values, is_tuple
                self.record_return(stmt, values, is_tuple)
                self.env[ctx.flag] = Const(True)
                return None
            if isinstance(stmt, gast.Break):
                self.env[ctx.flag] = Const(True)
                return None
            if isinstance(stmt, gast.Continue):
                return None
            if isinstance(stmt, gast.If) and _ends_inside(stmt):
                return self.ending_if(stmt, rest, ctx)
            if isinstance(stmt, (gast.While, gast.For)):
                loop = self.loop(stmt)
                after = []
                if stmt.orelse:
                    if loop.flag is None:
                        after.extend(stmt.orelse)
                    else:
                        after.append(_synth(gast.If(test=_not(_load(loop.flag)), body=stmt.orelse, orelse=[]), stmt))
                if loop.returns:
                    leave = [self.return_node(stmt)] if ctx is None else [_synth(gast.Break(), stmt)]
                    after.append(_synth(gast.If(test=_load(_RETURNED), body=leave, orelse=[]), stmt))
                if after:
                    return self.block(after + rest, ctx)
                continue
            self.stmt(stmt)
        return None

    def return_values(self, node: gast.Return):
        if node.value is None:
            values, is_tuple = [Const(None)], False
        elif isinstance(node.value, gast.Tuple):
            values, is_tuple = [self.expr(e) for e in node.value.elts], True
        else:
            values, is_tuple = [self.expr(node.value)], False
        if self.return_shape is None:
            self.return_shape = (len(values), is_tuple)
        elif self.return_shape != (len(values), is_tuple):
            self.error(node, "this return gives a different number of values than another return of the function",
                       "return the same number of values (a tuple of the same length) on every path")
        return values, is_tuple

    def record_return(self, node, values, is_tuple) -> None:
        """A return inside a loop: remember the values, raise the flag; the loop then ends."""
        self.env[_RETURNED] = Const(True)
        for k, v in enumerate(values):
            self.env[f"{_RESULT}{k}"] = v

    def return_node(self, near):
        n, is_tuple = self.return_shape
        values = [_load(f"{_RESULT}{k}") for k in range(n)]
        value = gast.Tuple(elts=values, ctx=gast.Load()) if is_tuple else values[0]
        return _synth(gast.Return(value=value), near)

    def ending_if(self, node: gast.If, rest, ctx):
        """``if c: ...return/break/continue...``: the statements after the `if` run only on the
        paths that fall through, so they are lowered into those paths."""
        cond = self.truth(node.test)
        before, before_unbound = dict(self.env), set(self.maybe_unbound)

        def branch(body):
            self.env, self.maybe_unbound = dict(before), set(before_unbound)
            region, ended = self.region([], lambda: self.block(list(body) + list(rest), ctx))
            return region, ended, self.env, self.maybe_unbound

        then, then_end, then_env, then_unb = branch(node.body)
        orelse, else_end, else_env, else_unb = branch(node.orelse)
        if ctx is None:  # the function returns on both paths (falling off its end returns None)
            then_vals, then_tuple = then_end or self.fall_off(node)
            else_vals, else_tuple = else_end or self.fall_off(node)
            then.yields, orelse.yields = list(then_vals), list(else_vals)
            outs = [Var() for _ in then_vals]
            self.stmts.append(If(outs, cond, then, orelse, self.loc(node)))
            self.env = before
            return list(outs), then_tuple
        self.merge(node, cond, before, (then, then_env, then_unb), (orelse, else_env, else_unb))
        return None

    def fall_off(self, node):
        if self.return_shape is not None and self.return_shape != (1, False):
            self.error(node, "a path through this function ends without a return, where others return "
                       f"{self.return_shape[0]} values", "return on every path")
        return [Const(None)], False

    def merge(self, node, cond, before, then_side, else_side) -> None:
        """Close an `if`: it yields every variable either branch rebound."""
        (then, then_env, then_unb), (orelse, else_env, else_unb) = then_side, else_side
        names = sorted(n for n in set(then_env) | set(else_env)
                       if then_env.get(n) is not before.get(n) or else_env.get(n) is not before.get(n))
        self.env = dict(before)
        self.maybe_unbound = then_unb | else_unb
        outs = []
        for name in names:
            out = Var(_hint(name))
            then.yields.append(then_env.get(name, Const(UNBOUND)))
            orelse.yields.append(else_env.get(name, Const(UNBOUND)))
            if name not in then_env or name not in else_env:
                self.maybe_unbound.add(name)
            self.env[name] = out
            outs.append(out)
        self.stmts.append(If(outs, cond, then, orelse, self.loc(node)))

    def stmt(self, node) -> None:
        if isinstance(node, gast.Assign):
            self.assign(node.targets[0], node.value, node)
        elif isinstance(node, gast.If):
            self.if_stmt(node)
        else:
            self.error(node, f"the statement {type(node).__name__} is not supported by sourcead")

    def assign(self, target, value_node, node) -> None:
        if isinstance(target, gast.Name) and id(node) in self.parsed.augmented and target.id in self.env:
            self.not_shared(target.id, node)
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

    def not_shared(self, name: str, node) -> None:
        """``x op= v`` changes an array in place: exact as ``x = x op v`` unless another name
        holds the same memory. Checked at run time, against every other value a name holds."""
        others = [v for n, v in self.env.items() if n != name and isinstance(v, Var) and not n.startswith("$")]
        others += [v for v in self.held if isinstance(v, Var) and v not in others]
        loc = self.loc(node)
        held = self.emit(make_tuple, others, node=node) if others else Const(())
        self.env[name] = self.emit(not_shared, [self.env[name], Const(name), Const((loc.filename, loc.line, loc.col)),
                                                held], node=node, hint=name)

    def unpack(self, target, value: Operand, node) -> None:
        n = len(target.elts)
        checked = self.emit(unpacked, [value, Const(n)], node=node, hint=None)
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
        if isinstance(value, Var) and value.hint is None and value.of is None \
                and any(value in s.outs for s in self.stmts[n_before:]):
            value.hint = name
        self.env[name] = value
        self.maybe_unbound.discard(name)

    def if_stmt(self, node: gast.If) -> None:
        cond = self.truth(node.test)
        before, before_unbound = dict(self.env), set(self.maybe_unbound)

        def branch(body):
            self.env, self.maybe_unbound = dict(before), set(before_unbound)
            region, _ = self.region([], lambda: self.block(body, None))
            return region, self.env, self.maybe_unbound

        self.merge(node, cond, before, branch(node.body), branch(node.orelse))

    # ---- loops ---------------------------------------------------------------------------------
    def loop(self, node) -> "_Loop":
        """Lower a loop. A `break` (or a `return`) inside it raises a carried flag that ends it; a
        `for` with one becomes a `while` over the index."""
        held = len(self.held)
        try:
            return self._loop(node)
        finally:
            del self.held[held:]  # the sequences this loop iterated are no longer held

    def _loop(self, node) -> "_Loop":
        loop = _Loop(flag=f"$broke{len(self.stmts)}_{node.lineno}" if _breaks(node) else None,
                     returns=_has_return(node))
        if loop.returns:
            if self.return_shape is None:
                first = next(n for n in gast.walk(node) if isinstance(n, gast.Return))
                value = first.value
                self.return_shape = (len(value.elts), True) if isinstance(value, gast.Tuple) else (1, False)
            self.env.setdefault(_RETURNED, Const(False))
            for k in range(self.return_shape[0]):
                self.env.setdefault(f"{_RESULT}{k}", Const(None))
        if loop.flag is not None:
            self.env[loop.flag] = Const(False)
        if isinstance(node, gast.While):
            self.while_loop(node, loop)
        elif loop.flag is None:
            self.for_loop(node, loop)
        else:
            self.for_as_while(node, loop)
        return loop

    def carried(self, node, loop: "_Loop", extra=()) -> list[str]:
        names = set(_assigned_names(node.body)) | set(extra)
        if isinstance(node, gast.For):
            names |= _target_names(node.target)
        if loop.flag is not None:
            names.add(loop.flag)
        if loop.returns:
            names.add(_RETURNED)
            names.update(f"{_RESULT}{k}" for k in range(self.return_shape[0]))
        return sorted(names)

    def enter(self, names, n_params: int):
        """Start a loop: each region gets fresh parameters for the carried names."""
        inits = [self.env.get(n, Const(UNBOUND)) for n in names]
        before_unbound = set(self.maybe_unbound) | {n for n in names if n not in self.env}
        saved = dict(self.env)
        param_sets = [[Var(_hint(n)) for n in names] for _ in range(n_params)]
        return inits, before_unbound, saved, param_sets

    def bind_params(self, names, params, unbound) -> None:
        for n, p in zip(names, params, strict=True):
            self.env[n] = p
        self.maybe_unbound = set(unbound)

    def leave(self, names, saved, unbound) -> list[Var]:
        self.env = saved
        outs = [Var(_hint(n)) for n in names]
        for n, out in zip(names, outs, strict=True):
            self.env[n] = out
        self.maybe_unbound = unbound
        return outs

    def loop_condition(self, test, loop: "_Loop"):
        if loop.flag is None:
            return test
        return _synth(gast.BoolOp(op=gast.And(), values=[_not(_load(loop.flag)), test]), test)

    def while_loop(self, node: gast.While, loop: "_Loop") -> None:
        names = self.carried(node, loop)
        inits, unbound, saved, (cond_params, body_params) = self.enter(names, 2)
        self.bind_params(names, cond_params, unbound)
        # the condition is a region of its own: what it learns about bound names stays there
        cond_region, cond = self.region(cond_params, lambda: self.conditional_expr(self.loop_condition(node.test, loop)))
        cond_region.yields = [cond]
        self.bind_params(names, body_params, unbound)
        body_region, _ = self.region(body_params, lambda: self.block(node.body, loop))
        body_region.yields = [self.env[n] for n in names]
        outs = self.leave(names, saved, unbound)
        self.stmts.append(While(outs, inits, cond_region, body_region, self.loc(node)))

    def for_loop(self, node: gast.For, loop: "_Loop") -> None:
        """Every for loop runs over a range of indices: ``for x in xs`` reads ``xs[i]``, and
        ``enumerate`` and ``zip`` likewise, so the reverse sweep can run the indices backwards."""
        iterable, read_item = self.iteration(node.iter)
        names = self.carried(node, loop)
        inits, unbound, saved, (params,) = self.enter(names, 1)
        index = Var("i")
        self.bind_params(names, params, unbound)

        def body():
            n_before = len(self.stmts)
            item = read_item(index) if read_item is not None else index
            self.bind_target(node.target, item, n_before, node)
            if read_item is None and isinstance(node.target, gast.Name):
                index.hint = node.target.id
            self.block(node.body, loop)

        body_region, _ = self.region([index, *params], body)
        body_region.yields = [self.env[n] for n in names]
        outs = self.leave(names, saved, unbound)
        self.stmts.append(For(outs, iterable, inits, body_region, self.loc(node)))

    def for_as_while(self, node: gast.For, loop: "_Loop") -> None:
        """``for x in xs: ... break ...`` -> ``k = 0; while not broke and k < len(r): x = r[k]...``"""
        iterable, read_item = self.iteration(node.iter)
        n = self.emit(len, [iterable], node=node, ref=Const(len, "len"))
        counter = f"$k{node.lineno}"
        self.env[counter] = Const(0)
        names = self.carried(node, loop, extra=[counter])
        inits, unbound, saved, (cond_params, body_params) = self.enter(names, 2)
        self.bind_params(names, cond_params, unbound)

        def condition():
            self.env["$more"] = self.emit(operator.lt, [self.env[counter], n], node=node)
            try:
                return self.conditional_expr(self.loop_condition(_load("$more"), loop))
            finally:
                del self.env["$more"]

        cond_region, cond = self.region(cond_params, condition)
        cond_region.yields = [cond]
        self.bind_params(names, body_params, unbound)

        def body():
            k = self.env[counter]
            index = self.emit(operator.getitem, [iterable, k], node=node, hint="i")
            self.env[counter] = self.emit(operator.add, [k, Const(1)], node=node, hint="k")
            n_before = len(self.stmts)
            item = read_item(index) if read_item is not None else index
            self.bind_target(node.target, item, n_before, node)
            self.block(node.body, loop)

        body_region, _ = self.region(body_params, body)
        body_region.yields = [self.env[n] for n in names]
        outs = self.leave(names, saved, unbound)
        self.stmts.append(While(outs, inits, cond_region, body_region, self.loc(node)))
        self.env.pop(counter, None)

    def iteration(self, node):
        """(a range operand, a function index -> item operand, or None when the item is the index)."""
        if isinstance(node, gast.Call) and not node.keywords:
            callee = self.expr(node.func) if isinstance(node.func, (gast.Name, gast.Attribute)) else None
            fn = callee.value if isinstance(callee, Const) else None
            if fn is range:
                args = [self.expr(a) for a in node.args]
                return self.emit(range, args, node=node, ref=callee), None
            if fn is enumerate and len(node.args) == 1:
                inner, read_inner = self.iteration(node.args[0])
                n = self.emit(len, [inner], node=node, ref=Const(len, "len"))
                r = self.emit(range, [n], node=node, ref=Const(range, "range"))

                def read(j):
                    at = self.emit(operator.getitem, [inner, j], node=node)
                    item = read_inner(at) if read_inner is not None else at
                    return self.emit(make_tuple, [j, item], node=node)
                return r, read
            if fn is reversed and len(node.args) == 1:
                inner, read_inner = self.iteration(node.args[0])
                backwards = self.emit(operator.getitem, [inner, Const(slice(None, None, -1))], node=node)
                return backwards, read_inner  # the same items, the indices backwards (still a range)
            if fn is zip and node.args:
                seqs = [self.expr(a) for a in node.args]
                self.held.extend(seqs)
                lens = [self.emit(len, [q], node=node, ref=Const(len, "len")) for q in seqs]
                n = lens[0] if len(lens) == 1 else self.emit(min, lens, node=node, ref=Const(min, "min"))
                r = self.emit(range, [n], node=node, ref=Const(range, "range"))
                return r, lambda i: self.emit(make_tuple, [self.emit(operator.getitem, [q, i], node=node)
                                                           for q in seqs], node=node)
        seq = self.expr(node)
        self.held.append(seq)
        if isinstance(node, gast.Call) and isinstance(seq, Var) and self.stmts and \
                self.stmts[-1].op in (reversed, map, filter, iter, sorted):
            # an iterator without a length: its items, as a list, read by index
            seq = self.emit(list, [seq], node=node, ref=Const(list, "list"))
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

    def conditional_expr(self, node) -> Operand:
        """An expression evaluated only on some paths (the right of `and`, a branch of `x if c
        else y`): what it learns about bound names stays inside."""
        self.conditional += 1
        try:
            return self.expr(node)
        finally:
            self.conditional -= 1

    def expr_Constant(self, node):
        return Const(node.value)

    def expr_Name(self, node):
        name = node.id
        if name in self.env or name in self.locals:
            # a local: bound, bound on some paths only (checked where read), or not bound on this
            # path at all -- which raises here at run time, as Python does, if the path is taken
            value = self.env.get(name, Const(UNBOUND))
            if name in self.maybe_unbound or name not in self.env:
                loc = self.loc(node)
                value = self.emit(check_bound, [value, Const(name), Const((loc.filename, loc.line, loc.col))],
                                  node=node, hint=name)
                if not self.conditional:  # a check made inside `a and b` or `x if c else y` stays there
                    self.env[name] = value
                    self.maybe_unbound.discard(name)
            return value
        found, value, _where = self.parsed.lookup(name)
        if not found:
            self.error(node, f"name {name!r} is not defined", cls=UnsupportedSyntaxError)
        return Const(value, name, self.parsed.scope)

    def expr_Attribute(self, node):
        base = self.expr(node.value)
        if _resolvable(base):
            try:
                value = getattr(base.value, node.attr)
            except AttributeError:
                self.error(node, f"{base.spelling or base.value!r} has no attribute {node.attr!r}")
            return Const(value, f"{base.spelling}.{node.attr}" if base.spelling else None, base.scope)
        return self.emit(Attr(node.attr), [base], node=node)

    def expr_BinOp(self, node):
        op = BINOPS.get(type(node.op))
        left, right = self.expr(node.left), self.expr(node.right)
        return self.emit(op, [left, right], node=node)

    def expr_UnaryOp(self, node):
        if isinstance(node.op, gast.USub) and isinstance(node.operand, gast.Constant) \
                and isinstance(node.operand.value, (int, float)) and not isinstance(node.operand.value, bool):
            return Const(-node.operand.value)
        operand = self.expr(node.operand)
        return self.emit(UNARYOPS[type(node.op)], [operand], node=node)

    def expr_Compare(self, node):
        left, right = self.expr(node.left), self.expr(node.comparators[0])
        return self.emit(CMPOPS[type(node.ops[0])], [left, right], node=node)

    def expr_BoolOp(self, node):
        # a and b  ==  b if a else a;   a or b  ==  a if a else b   (short-circuit kept: b is lowered
        # inside the branch that evaluates it)
        first = self.expr(node.values[0])
        if len(node.values) == 1:
            return first
        rest = gast.BoolOp(op=node.op, values=node.values[1:])
        gast.copy_location(rest, node.values[1])
        evaluate, _ = self.region([], lambda: self.conditional_expr(rest))
        evaluate.yields = [_ or Const(None)]
        keep = Region([], [], [first])
        if isinstance(node.op, gast.And):
            then, orelse = evaluate, keep
        else:
            then, orelse = keep, evaluate
        out = Var()
        self.stmts.append(If([out], first, then, orelse, self.loc(node)))
        return out

    def expr_IfExp(self, node):
        cond = self.expr(node.test)
        then, a = self.region([], lambda: self.conditional_expr(node.body))
        orelse, b = self.region([], lambda: self.conditional_expr(node.orelse))
        then.yields, orelse.yields = [a], [b]
        out = Var()
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
            if not _resolvable(base):
                args = [self.expr(a) for a in node.args]
                kwargs = {kw.arg: self.expr(kw.value) for kw in node.keywords}
                if func.attr in ("reshape", "transpose") and len(args) > 1:
                    # x.reshape(2, 3) is x.reshape((2, 3)): one form for rules and readers alike
                    if all(isinstance(a, Const) and a.spelling is None for a in args):
                        args = [Const(tuple(a.value for a in args))]
                    else:
                        args = [self.emit(make_tuple, args, node=node)]
                return self.emit(Method(func.attr), [base, *args], kwargs, node=node)
            callee = self.expr_Attribute(func)
        else:
            callee = self.expr(func)
        if not isinstance(callee, Const):
            self.error(node, "calling a computed value is not supported by sourcead",
                       "call a function by its name", cls=UnsupportedCallError)
        args = [self.expr(a) for a in node.args]
        kwargs = {kw.arg: self.expr(kw.value) for kw in node.keywords}
        if _inlinable(callee.value):
            self.callees.append((callee.scope, callee.spelling, callee.value))
            return self.inline(callee.value, args, kwargs, node)
        return self.emit(callee.value, args, kwargs, node=node, ref=callee)

    def inline(self, fn, args, kwargs, node):
        """A call to a user's Python function without a rule: its body, lowered, takes the call's
        place (values renamed, parameters bound to the arguments, defaults filled in)."""
        callee = self.callee_ir(fn, self.loc(node))
        try:
            bound = inspect.signature(fn).bind(*[_Arg(a) for a in args], **{k: _Arg(v) for k, v in kwargs.items()})
        except TypeError as err:
            self.error(node, f"this call to {fn.__qualname__} does not match its parameters: {err}",
                       cls=UnsupportedCallError)
        bound.apply_defaults()
        self.callees.extend(callee.callees)
        mapping = {}
        for param in callee.params:
            value = bound.arguments[param.var.hint]
            mapping[param.var] = value.operand if isinstance(value, _Arg) else Const(value)
        region = clone_region(callee.body, mapping)
        self.stmts.extend(region.body)
        if callee.returns_tuple:
            return self.emit(make_tuple, region.yields, node=node)
        return region.yields[0]


_LIBRARIES = {"numpy", "scipy", "math", "builtins", "sourcead", "autograd", "operator", "functools"}


class _Arg:
    __slots__ = ("operand",)

    def __init__(self, operand):
        self.operand = operand


def _resolvable(base) -> bool:
    """Whether an attribute of `base` is resolved at compile time: of a module, a class, or a library
    object that is not data (``scipy.stats.norm.logpdf``); an attribute of a value or of a global
    array (``A.T``) is read when the code runs."""
    if not isinstance(base, Const) or base.spelling is None:
        return False
    v = base.value
    return isinstance(v, (types.ModuleType, type)) or callable(v) and not isinstance(v, types.FunctionType)


def _inlinable(fn) -> bool:
    """A plain Python function of the user's (not a library's) that has no rule of its own."""
    if not isinstance(fn, types.FunctionType):
        return False
    if registry.lookup_adjoint(fn) is not None or registry.is_nondifferentiable(fn):
        return False
    root = (fn.__module__ or "").split(".")[0]
    if root in _LIBRARIES:
        return False
    # a library's own Python function is not the user's to differentiate through: anything that
    # lives in the standard library's or an installed package's directory
    path = os.path.abspath(fn.__code__.co_filename)
    return not any(path.startswith(p + os.sep) for p in _library_dirs())


def _library_dirs() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    return tuple(os.path.abspath(paths[k]) for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths)


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


_RETURNED = "$returned"
_RESULT = "$result"


def _hint(name: str) -> str:
    """The hint of a variable: the user's name, or a readable one for the lowering's own flags."""
    if not name.startswith("$"):
        return name
    if name.startswith("$broke"):
        return "broke"
    if name == _RETURNED:
        return "returned"
    if name.startswith(_RESULT):
        return "retval"
    if name.startswith("$k"):
        return "k"
    return name.lstrip("$")


class _Loop:
    """What lowering a loop's body needs to know: its break flag (if any) and whether a return
    inside it ends the function."""

    def __init__(self, flag, returns):
        self.flag = flag
        self.returns = returns


def _synth(node, near):
    """A node the lowering makes up, located at `near`."""
    for n in gast.walk(node):
        gast.copy_location(n, near)
    return node


def _load(name: str):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def _not(node):
    return gast.UnaryOp(op=gast.Not(), operand=node)


def _own(node):
    """The statements of `node` that belong to it: not those of nested loops' bodies."""
    stack = list(gast.iter_child_nodes(node))
    while stack:
        n = stack.pop()
        yield n
        if not isinstance(n, (gast.While, gast.For)):
            stack.extend(gast.iter_child_nodes(n))
        else:
            stack.extend(n.orelse)


def _breaks(loop) -> bool:
    """Whether the loop must be able to end early: a break of its own, or a return anywhere in it."""
    return any(isinstance(n, gast.Break) for n in _own_body(loop)) or _has_return(loop)


def _own_body(loop):
    for stmt in loop.body:
        yield stmt
        yield from _own(stmt)


def _has_return(node) -> bool:
    return any(isinstance(n, gast.Return) for n in gast.walk(node))


def _ends_inside(node: gast.If) -> bool:
    """Whether some path through this `if` ends (return, or break/continue of the enclosing loop)."""
    for n in _own(node):
        if isinstance(n, (gast.Return, gast.Break, gast.Continue)):
            return True
        if isinstance(n, (gast.While, gast.For)) and _has_return(n):
            return True
    return False


def to_ssa(parsed: Parsed, callee_ir) -> Function:
    """The SSA IR of a desugared function. `callee_ir(fn, loc)` gives the IR of a user function it
    calls (lowered by the pipeline, once), which is inlined."""
    return Lowerer(parsed, callee_ir).function()

