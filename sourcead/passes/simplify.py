"""simplify: algebraic clean-up of IR, so generated code reads as a careful person writes it.

Output guarantees: no arithmetic on literal numbers only (folded), no multiplication by one, no
addition of zero, no double negation, no `unbroadcast(g, x)` where `g` provably has x's shape, no
read of an element of a tuple built in the same function, and no `if` on a constant condition.
Rewrites that could change a value's type (``1.0 * int_array``) only fire on known scalars.
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.core import Call, Const, For, Function, If, Region, Var, While, make_tuple
from . import kinds as kinds_mod

_FOLD = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg, operator.pos, operator.pow}


def run(fn: Function, arg_kinds: dict | None = None, global_kinds: dict | None = None) -> Function:
    kinds = kinds_mod.infer(fn, {fn.params[i].var: k for i, k in (arg_kinds or {}).items()}, global_kinds)
    s = _Simplifier(kinds)
    s.region(fn.body)
    return fn


def _lit(x):
    """The number a literal operand holds, else None."""
    if isinstance(x, Const) and x.spelling is None and isinstance(x.value, (int, float)) \
            and not isinstance(x.value, bool):
        return x.value
    return None


def _literal(v) -> bool:
    return v is None or v is Ellipsis or isinstance(v, (int, float, str, slice)) or \
        isinstance(v, tuple) and all(_literal(e) for e in v)


class _Simplifier:
    def __init__(self, kinds):
        self.kinds = kinds
        self.mapping: dict = {}
        self.defs: dict[Var, Call] = {}
        self.pending: list[Call] = []  # statements a rewrite needs before its result

    def sub(self, x):
        while isinstance(x, Var) and x in self.mapping:
            x = self.mapping[x]
        return x

    def scalar(self, x) -> bool:
        return kinds_mod.of(x, self.kinds) == kinds_mod.SCALAR

    def neutral(self, c, x, value) -> bool:
        """Whether combining x with the literal c (== value) leaves x unchanged, type included."""
        if c is None or c != value:
            return False
        return self.scalar(x) or (type(c) is int and kinds_mod.of(x, self.kinds) is not None)

    def region(self, region: Region) -> None:
        out = []
        for stmt in region.body:
            if isinstance(stmt, Call):
                stmt.args = [self.sub(a) for a in stmt.args]
                stmt.kwargs = {k: self.sub(v) for k, v in stmt.kwargs.items()}
                new = self.call(stmt)
                for extra in self.pending:
                    out.append(extra)
                    self.defs[extra.outs[0]] = extra
                self.pending.clear()
                if new is None:
                    out.append(stmt)
                    if stmt.outs:
                        self.defs[stmt.outs[0]] = stmt
                elif isinstance(new, Call):
                    out.append(new)
                    self.defs[new.outs[0]] = new
                else:
                    made = self.defs.get(new) if isinstance(new, Var) else None
                    if made is not None and made.tag == stmt.tag:
                        self.rename(new, stmt.outs[0])
                    self.mapping[stmt.outs[0]] = new
                continue
            if isinstance(stmt, If):
                stmt.cond = self.sub(stmt.cond)
                if isinstance(stmt.cond, Const) and stmt.cond.spelling is None:
                    taken = stmt.then if stmt.cond.value else stmt.orelse
                    self.region(taken)
                    out.extend(taken.body)
                    for o, y in zip(stmt.outs, taken.yields, strict=True):
                        self.mapping[o] = self.sub(y)
                    continue
                self.region(stmt.then)
                self.region(stmt.orelse)
            elif isinstance(stmt, While):
                stmt.inits = [self.sub(a) for a in stmt.inits]
                self.region(stmt.cond)
                self.region(stmt.body)
            elif isinstance(stmt, For):
                stmt.iterable = self.sub(stmt.iterable)
                stmt.inits = [self.sub(a) for a in stmt.inits]
                self.region(stmt.body)
            out.append(stmt)
        region.body = out
        region.yields = [self.sub(y) for y in region.yields]

    @staticmethod
    def rename(new, old: Var) -> None:
        """A temporary that replaces a named value is what that value was (a version of the same
        variable, or the same derivative)."""
        if isinstance(new, Var) and new.temporary and not old.temporary:
            new.hint, new.of = old.hint, old.of

    def derive(self, stmt: Call, op, args) -> Call:
        return Call(stmt.outs, op, list(args), {}, stmt.loc, None, stmt.tag)

    def pull_negation(self, stmt: Call, op, na, nb):
        """(-a) * b  ->  -(a * b), so that a sum of such terms reads a - b * c."""
        a, b = stmt.args
        if na is not None and nb is not None:
            return self.derive(stmt, op, [na.args[0], nb.args[0]])
        if na is None and nb is None:
            return None
        inner = Var()
        args = [na.args[0], b] if na is not None else [a, nb.args[0]]
        self.pending.append(Call([inner], op, args, {}, stmt.loc, None, stmt.tag))
        return self.derive(stmt, operator.neg, [inner])

    def defining(self, x, op):
        d = self.defs.get(x) if isinstance(x, Var) else None
        return d if d is not None and d.op is op and not d.kwargs else None

    def call(self, stmt: Call):
        """A replacement operand, a replacement Call, or None to keep the statement."""
        op, args = stmt.op, stmt.args
        if stmt.kwargs or not stmt.outs:
            return None
        lits = [_lit(a) for a in args]
        if op in _FOLD and all(v is not None for v in lits):
            try:
                value = op(*lits)
            except (ArithmeticError, ValueError, OverflowError):
                return None
            if isinstance(value, (int, float)) and not isinstance(value, complex) and abs(value) < 1e15:
                return Const(value)
            return None
        if op is operator.mul:
            a, b = args
            la, lb = lits
            if self.neutral(lb, a, 1):
                return a
            if self.neutral(la, b, 1):
                return b
            if lb is not None and lb == -1 and (self.scalar(a) or type(lb) is int):
                return self.derive(stmt, operator.neg, [a])
            if la is not None and la == -1 and (self.scalar(b) or type(la) is int):
                return self.derive(stmt, operator.neg, [b])
            na, nb = self.defining(a, operator.neg), self.defining(b, operator.neg)
            if lb is not None and na is not None:  # (-a) * c  ->  a * -c
                return self.derive(stmt, operator.mul, [na.args[0], Const(-lb)])
            if la is not None and nb is not None:  # c * (-b)  ->  -c * b
                return self.derive(stmt, operator.mul, [Const(-la), nb.args[0]])
            return self.pull_negation(stmt, operator.mul, na, nb)
        if op is operator.truediv:
            if self.neutral(lits[1], args[0], 1):
                return args[0]
            return self.pull_negation(stmt, operator.truediv, self.defining(args[0], operator.neg), None)
        if op is operator.add:
            a, b = args
            if self.neutral(lits[1], a, 0):
                return a
            if self.neutral(lits[0], b, 0):
                return b
            nb = self.defining(b, operator.neg)
            if nb is not None:  # a + (-b)  ->  a - b
                return self.derive(stmt, operator.sub, [a, nb.args[0]])
            return None
        if op is operator.sub:
            a, b = args
            if self.neutral(lits[1], a, 0):
                return a
            if lits[0] is not None and lits[0] == 0 and self.scalar(b):
                return self.derive(stmt, operator.neg, [b])
            nb = self.defining(b, operator.neg)
            if nb is not None:  # a - (-b)  ->  a + b
                return self.derive(stmt, operator.add, [a, nb.args[0]])
            return None
        if op is operator.pow:
            if lits[1] is not None and lits[1] == 1 and (self.scalar(args[0]) or type(lits[1]) is int):
                return args[0]
            return None
        if op is operator.neg:
            inner = self.defining(args[0], operator.neg)
            if inner is not None:
                return inner.args[0]
            return None
        if op is runtime.unbroadcast or op is getattr(runtime, "broadcast_like", None):
            g, x = args
            kg, kx = kinds_mod.of(g, self.kinds), kinds_mod.of(x, self.kinds)
            if kg is not None and kg == kx and (kg == kinds_mod.SCALAR or kg[1] is not None):
                return g
            return None
        if op is slice and all(a.spelling is None and (a.value is None or _lit(a) is not None)
                               for a in args if isinstance(a, Const)) and all(isinstance(a, Const) for a in args):
            return Const(slice(*(a.value for a in args)))
        if op is make_tuple and all(isinstance(a, Const) and a.spelling is None and _literal(a.value) for a in args):
            return Const(tuple(a.value for a in args))
        if op is runtime.unpacked:
            built = self.defining(args[0], make_tuple)
            if built is not None and _lit(args[1]) == len(built.args):
                return args[0]
            return None
        if op is runtime.not_shared and self.scalar(args[0]):  # a number is never changed in place
            return args[0]
        if op is np.size and len(args) == 1 and self.scalar(args[0]):
            return Const(1)
        if op is operator.getitem:
            t, i = args
            built = self.defining(t, make_tuple)
            if built is not None and isinstance(i, Const) and type(i.value) is int \
                    and -len(built.args) <= i.value < len(built.args):
                return built.args[i.value]
            if isinstance(t, Const) and t.spelling is None and isinstance(t.value, tuple) \
                    and isinstance(i, Const) and type(i.value) is int and -len(t.value) <= i.value < len(t.value):
                return Const(t.value[i.value])
            return None
        return None

