"""simplify: algebraic clean-up of IR, so generated code reads as a careful person writes it.

Output guarantees: no arithmetic on literal numbers only and no comparison, `is` or `not` of
literals (folded), no multiplication by one, no
addition of zero, no double negation, no `unbroadcast(g, x)` where `g` provably has x's shape, no
read of an element of a tuple built in the same function, and no `if` on a constant condition.
Rewrites that could change a value's type (``1.0 * int_array``) only fire on known scalars.
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.builder import clone_function
from ..ir.core import Attr, Call, Const, For, Function, If, Method, Region, Var, While, make_dict, make_tuple, operands, regions
from . import kinds as kinds_mod

_FOLD = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg, operator.pos, operator.pow}
# tests on literals (a helper inlined with a literal argument, a rule branching on an option)
_TESTS = {operator.gt, operator.lt, operator.ge, operator.le, operator.eq, operator.ne, operator.is_,
          operator.is_not, operator.not_}


def _plain(x) -> bool:
    """A literal None, bool, number or string (its tests are plain Python values)."""
    return isinstance(x, Const) and x.spelling is None and (x.value is None or type(x.value) in (bool, int, float, str))


def run(fn: Function, kinds: dict | None = None) -> tuple[Function, dict]:
    """A simplified copy of `fn`, and its kinds (`kinds` gives fn's: inferred from nothing when
    not given, as for a primal function before any derivation)."""
    mapping: dict = {}
    copy = clone_function(fn, mapping)
    if kinds is None:
        kinds = kinds_mod.infer(copy, {})
    else:
        kinds = kinds_mod.renamed(kinds, mapping)
    simplify_region(copy.body, kinds)
    return copy, kinds


def simplify_region(region: Region, kinds: dict) -> None:
    """Simplify a region in place (one a transform is building and owns), given the kinds of the
    values it reads; the output guarantees above hold for it, its yields keep their meaning."""
    simplifier = _Simplifier(kinds)
    simplifier.uses = _use_counts(region)
    simplifier.region(region)


def _use_counts(region: Region) -> dict:
    """How many times each value is read in `region` (nested regions and yields included)."""
    counts: dict = {}

    def count(x):
        if isinstance(x, Var):
            counts[x] = counts.get(x, 0) + 1

    def visit(r: Region):
        for stmt in r.body:
            for x in operands(stmt):
                count(x)
            for inner in regions(stmt):
                visit(inner)
        for y in r.yields:
            count(y)
    visit(region)
    return counts


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
        self.uses: dict = {}  # value -> how many times it is read (as the region came in)

    def sub(self, x):
        while isinstance(x, Var) and x in self.mapping:
            x = self.mapping[x]
        return x

    def scalar(self, x) -> bool:
        return kinds_mod.is_scalar(x, self.kinds)

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
                for _ in range(3):  # a rewrite's result may simplify further
                    again = self.call(new) if isinstance(new, Call) else None
                    if again is None:
                        break
                    new = again
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
                    if isinstance(new, Var):
                        self.uses[new] = self.uses.get(new, 0) + self.uses.get(stmt.outs[0], 0)
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
                self.unchanged(stmt, stmt.body.params, stmt.cond.params)
                self.region(stmt.cond)
                self.region(stmt.body)
            elif isinstance(stmt, For):
                stmt.iterable = self.sub(stmt.iterable)
                stmt.inits = [self.sub(a) for a in stmt.inits]
                self.unchanged(stmt, stmt.body.params[1:])
                self.region(stmt.body)
            out.append(stmt)
        region.body = out
        region.yields = [self.sub(y) for y in region.yields]

    def unchanged(self, loop, params: list, cond_params: list = ()) -> None:
        """A carried value that every iteration yields unchanged is its initial value throughout
        (a cotangent that only flows out of the loop, such as ``de = 1.0``): its uses read that."""
        for j, (p, y) in enumerate(zip(params, loop.body.yields, strict=True)):
            if y is p:
                init = loop.inits[j]
                self.mapping[p] = self.mapping[loop.outs[j]] = init
                if cond_params:
                    self.mapping[cond_params[j]] = init

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
        if stmt.kwargs or not stmt.outs:
            return None
        lits = [_lit(a) for a in stmt.args]
        if stmt.op in _FOLD and all(v is not None for v in lits):
            return _fold(stmt.op, lits)
        if stmt.op in _TESTS and all(_plain(a) for a in stmt.args):  # 2 > 1, option is None, not True
            value = stmt.op(*(a.value for a in stmt.args))
            return Const(value) if isinstance(value, bool) else None
        try:
            rule = _RULES.get(stmt.op)
        except TypeError:  # an unhashable operation
            return None
        return rule(self, stmt, stmt.args, lits) if rule is not None else None

    def mul_(self, stmt, args, lits):
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
        return (self.pull_negation(stmt, operator.mul, na, nb) or self.uniform_factor(stmt, a, b)
                or self.gather_numbers(stmt, a, b))

    def uniform_factor(self, stmt, a, b):
        """``expand_reduced(c, x) * b`` -> ``c * b`` when c is a number and b has x's shape: the
        cotangent of a full reduction is c everywhere, and broadcasting c gives the same values."""
        for u, other, first in ((a, b, True), (b, a, False)):
            d = self.defs.get(u) if isinstance(u, Var) else None
            if d is None or d.op is not runtime.expand_reduced or d.kwargs or len(d.args) not in (2, 4) \
                    or len(d.args) == 4 and not (_is_none(d.args[2]) and _is_false(d.args[3])):
                continue
            c, x = d.args[0], d.args[1]
            kx = kinds_mod.of(x, self.kinds)
            if self.scalar(c) and isinstance(kx, kinds_mod.Array) and kx.shape is not None \
                    and kinds_mod.same_shape(kinds_mod.of(other, self.kinds), kx):
                return self.derive(stmt, operator.mul, [c, other] if first else [other, c])
            if self.scalar(c) and self.scalar(other) and stmt.tag == "grad":  # spread c, times s: spread c * s
                scaled = self.product(stmt, c, other)
                return Call(stmt.outs, runtime.expand_reduced, [scaled, x, Const(None), Const(False)], {},
                            stmt.loc, None, stmt.tag)
        return None

    def product(self, stmt, a, b):
        """The number ``a * b``: folded when both are literals, else a pending statement."""
        folded = _fold(operator.mul, [_lit(a), _lit(b)]) if _lit(a) is not None and _lit(b) is not None else None
        if folded is not None:
            return folded
        out = Var()
        self.pending.append(Call([out], operator.mul, [a, b], {}, stmt.loc, None, stmt.tag))
        self.kinds[out] = kinds_mod.SCALAR
        return out

    def gather_numbers(self, stmt, a, b):
        """``a * (p * q)`` -> ``(a * p) * q`` when a and p are numbers and q is not: one pass over
        the array instead of two (in derivative code: the user's own arithmetic is not reordered)."""
        if stmt.tag != "grad":
            return None
        if not self.scalar(a):
            a, b = b, a
        inner = self.defining(b, operator.mul)
        if not self.scalar(a) or inner is None:
            return None
        p, q = inner.args
        if not self.scalar(p):
            p, q = q, p
        if not self.scalar(p) or self.scalar(q):
            return None
        factor = _fold(operator.mul, [_lit(a), _lit(p)]) if _lit(a) is not None and _lit(p) is not None else None
        if factor is None:
            factor = Var()
            self.pending.append(Call([factor], operator.mul, [a, p], {}, stmt.loc, None, stmt.tag))
            self.kinds[factor] = kinds_mod.SCALAR
        return self.derive(stmt, operator.mul, [factor, q])

    def truediv_(self, stmt, args, lits):
        if self.neutral(lits[1], args[0], 1):
            return args[0]
        return self.pull_negation(stmt, operator.truediv, self.defining(args[0], operator.neg), None)

    def add_(self, stmt, args, lits):
        a, b = args
        if self.neutral(lits[1], a, 0):
            return a
        if self.neutral(lits[0], b, 0):
            return b
        nb = self.defining(b, operator.neg)
        if nb is not None:  # a + (-b)  ->  a - b
            return self.derive(stmt, operator.sub, [a, nb.args[0]])
        return self.doubled(stmt, a, b)

    def doubled(self, stmt, a, b):
        """``u * v + v * u`` (a cotangent met twice, as in ``r * r``) -> ``2.0 * (u * v)``."""
        if stmt.tag != "grad":
            return None  # cotangents are floats; the user's own int arithmetic keeps its type
        pa, pb = self.defining(a, operator.mul), self.defining(b, operator.mul)
        if a is b or pa is not None and pb is not None and _same_product(pa, pb):
            return self.derive(stmt, operator.mul, [Const(2.0), a])
        inner = self.defining(a, operator.add)  # (x + u * v) + v * u  ->  x + 2.0 * (u * v)
        pi = self.defining(inner.args[1], operator.mul) if inner is not None and inner.tag == "grad" else None
        if pi is None or pb is None or not _same_product(pi, pb):
            return None
        twice = Var()
        lit = next((_lit(x) for x in pb.args if _lit(x) is not None), None)
        others = [x for x in pb.args if _lit(x) is None]
        if lit is not None and len(others) == 1:  # x + 2.0 * (1.0 * h)  ->  x + 2.0 * h
            self.pending.append(Call([twice], operator.mul, [Const(2.0 * lit), others[0]], {}, stmt.loc, None, stmt.tag))
        else:
            self.pending.append(Call([twice], operator.mul, [Const(2.0), b], {}, stmt.loc, None, stmt.tag))
        kinds_mod.extend(self.pending[-1:], self.kinds)
        return self.derive(stmt, operator.add, [inner.args[0], twice])

    def subtract(self, stmt, args, lits):
        a, b = args
        if self.neutral(lits[1], a, 0):
            return a
        if lits[0] is not None and lits[0] == 0 and self.scalar(b):
            return self.derive(stmt, operator.neg, [b])
        nb = self.defining(b, operator.neg)
        return self.derive(stmt, operator.add, [a, nb.args[0]]) if nb is not None else None  # a - (-b)  ->  a + b

    def pow_(self, stmt, args, lits):
        if lits[1] is not None and lits[1] == 1 and (self.scalar(args[0]) or type(lits[1]) is int):
            return args[0]
        if type(lits[1]) is int and lits[1] == 2 and isinstance(args[0], Var) and self.scalar(args[0]) \
                and not kinds_mod.is_complex(kinds_mod.of(args[0], self.kinds)):
            return self.derive(stmt, operator.mul, [args[0], args[0]])  # x * x: a float's ** 2 is a pow() call
        return None

    def neg_(self, stmt, args, lits):
        inner = self.defining(args[0], operator.neg)
        return inner.args[0] if inner is not None else None

    def shaped_like(self, stmt, args, lits):
        """unbroadcast(g, x), broadcast_like(g, x): g itself when it provably has x's shape;
        unbroadcast(u * v, x) of a number x, u and v of one shape: np.vdot(u, v) (the sum of the
        products, in one pass); unbroadcast(g, x) of a number x or of an x of a lower rank with no
        axis of length 1: ``g.sum(axis=0)`` (the leading axes summed, the others x's)."""
        kg, kx = kinds_mod.of(args[0], self.kinds), kinds_mod.of(args[1], self.kinds)
        if isinstance(kg, kinds_mod.Scalar) and kg == kx or kinds_mod.same_shape(kg, kx):
            return args[0]
        product = self.defining(args[0], operator.mul)
        if stmt.op is not runtime.unbroadcast or product is None:
            return self.leading_sum(stmt, args[0], args[1])
        scaled = self.scaled(product)
        if scaled is not None and (isinstance(kx, kinds_mod.Scalar) or self.uses.get(args[0], 0) == 1):
            # unbroadcast(s * g, x) -> s * unbroadcast(g, x): linear; on a number, the scaling is free
            axis = self.leading_axes(stmt, scaled[1], args[1])
            if axis is not None:
                return self.after(stmt, Method("sum"), [scaled[1]], scaled[0], {"axis": axis})
            return self.after(stmt, runtime.unbroadcast, [scaled[1], args[1]], scaled[0])
        if isinstance(kx, kinds_mod.Scalar):
            ku, kv = (kinds_mod.of(x, self.kinds) for x in product.args)
            if isinstance(ku, kinds_mod.Array) and ku.shape is not None and kinds_mod.same_shape(ku, kv):
                for i, factor in enumerate(product.args):  # vdot(s * u, v) -> s * vdot(u, v)
                    inner = self.defining(factor, operator.mul)
                    scaled = self.scaled(inner) if inner is not None else None
                    if scaled is not None and kinds_mod.same_shape(self.kinds_of(scaled[1]), ku):
                        pair = [scaled[1], product.args[1 - i]] if i == 0 else [product.args[0], scaled[1]]
                        return self.after(stmt, np.vdot, pair, scaled[0])
                return self.derive(stmt, np.vdot, product.args)
        return self.leading_sum(stmt, args[0], args[1])

    def leading_sum(self, stmt: Call, g, x):
        """``g.sum(axis=...)`` for ``unbroadcast(g, x)``, where `leading_axes` says which."""
        axis = self.leading_axes(stmt, g, x)
        return None if axis is None else Call(stmt.outs, Method("sum"), [g], {"axis": axis}, stmt.loc, None, stmt.tag)

    def leading_axes(self, stmt: Call, g, x):
        """The axes ``unbroadcast(g, x)`` sums when x is a number or an array of fewer axes than g
        and none of length 1: g's leading ones (x's are g's last; unbroadcast's sum over x's axes
        of length 1 is a no-op). None when that is not known."""
        kg, kx = self.kinds_of(g), self.kinds_of(x)
        rank = 0 if isinstance(kx, kinds_mod.Scalar) else kx.ndim if isinstance(kx, kinds_mod.Array) and kx.unit_free \
            else None
        if stmt.op is not runtime.unbroadcast or not isinstance(kg, kinds_mod.Array) or rank is None \
                or kg.ndim is None or kg.ndim <= rank:
            return None
        lead = kg.ndim - rank
        return Const(0) if lead == 1 else Const(tuple(range(lead)))

    def kinds_of(self, x):
        return kinds_mod.of(x, self.kinds)

    def scaled(self, product: Call):
        """(s, g) of a product ``s * g`` (or ``g * s``) of a number s and an array g, else None."""
        a, b = product.args
        if self.scalar(a) and isinstance(self.kinds_of(b), kinds_mod.Array):
            return a, b
        if self.scalar(b) and isinstance(self.kinds_of(a), kinds_mod.Array):
            return b, a
        return None

    def after(self, stmt: Call, op, args: list, factor, kwargs: dict | None = None):
        """``factor * op(*args, **kwargs)``: op's result computed first (a pending statement)."""
        inner = Var()
        self.pending.append(Call([inner], op, list(args), dict(kwargs or {}), stmt.loc, None, stmt.tag))
        kinds_mod.extend(self.pending[-1:], self.kinds)
        return self.derive(stmt, operator.mul, [factor, inner])

    def slice_(self, stmt, args, lits):
        if all(isinstance(a, Const) and a.spelling is None and (a.value is None or _lit(a) is not None) for a in args):
            return Const(slice(*(a.value for a in args)))
        return None

    def tuple_(self, stmt, args, lits):
        if all(isinstance(a, Const) and a.spelling is None and _literal(a.value) for a in args):
            return Const(tuple(a.value for a in args))
        return None

    def unpacked(self, stmt, args, lits):
        """A tuple built here, unpacked into as many names: no check needed."""
        built = self.defining(args[0], make_tuple)
        return args[0] if built is not None and _lit(args[1]) == len(built.args) else None

    def not_shared(self, stmt, args, lits):
        return args[0] if self.scalar(args[0]) else None  # a number is never changed in place

    def write_back(self, stmt, args, lits):
        return args[0] if self.scalar(args[2]) else None  # a number is nobody's alias (mutation)

    def view_of(self, stmt, args, lits):
        return args[0] if self.scalar(args[0]) else None

    def size(self, stmt, args, lits):
        return Const(1) if len(args) == 1 and self.scalar(args[0]) else None

    def rank(self, x):
        k = kinds_mod.of(x, self.kinds)
        return 0 if isinstance(k, kinds_mod.Scalar) else k.ndim if isinstance(k, kinds_mod.Array) else None

    def transposed(self, stmt, x) -> Var:
        t = Var()
        self.pending.append(Call([t], Attr("T"), [x], {}, stmt.loc, None, stmt.tag))
        self.kinds[t] = kinds_mod.Array(t, 2)
        return t

    def product_left(self, stmt, args, lits):
        """The cotangent of `a` in a product of matrices is ``g @ b.T``; with a vector b,
        ``np.outer(g, b)``; of a vector a with a matrix b, ``b @ g``."""
        g, a, b = args[:3]
        if stmt.op is runtime.tensordot_adjoint_left and (len(args) < 4 or self.defining(args[3], runtime.dot_axes) is None):
            return None
        ra, rb = self.rank(a), self.rank(b)
        if (ra, rb) == (2, 2):
            return self.derive(stmt, operator.matmul, [g, self.transposed(stmt, b)])
        if (ra, rb) == (2, 1):
            return self.derive(stmt, np.outer, [g, b])
        if (ra, rb) == (1, 2):
            return self.derive(stmt, operator.matmul, [b, g])
        return None

    def product_right(self, stmt, args, lits):
        """The cotangent of `b` in a product of matrices is ``a.T @ g``; with a vector b,
        ``g @ a``; of a matrix b after a vector a, ``np.outer(a, g)``."""
        g, a, b = args[:3]
        if stmt.op is runtime.tensordot_adjoint_right and (len(args) < 4 or self.defining(args[3], runtime.dot_axes) is None):
            return None
        ra, rb = self.rank(a), self.rank(b)
        if (ra, rb) == (2, 2):
            return self.derive(stmt, operator.matmul, [self.transposed(stmt, a), g])
        if (ra, rb) == (2, 1):
            return self.derive(stmt, operator.matmul, [g, a])
        if (ra, rb) == (1, 2):
            return self.derive(stmt, np.outer, [a, g])
        return None

    def getitem(self, stmt, args, lits):
        """An item of a tuple built here, or of a literal tuple, is that item; so is an item of a
        dict or a namedtuple built here."""
        t, i = args
        if isinstance(i, Const) and i.spelling is None and (isinstance(t, Var) and t in self.defs):
            item = self.built_item(t, i.value)
            if item is not None:
                return item
        if not (isinstance(i, Const) and type(i.value) is int):
            return None
        built = self.defining(t, make_tuple)
        if built is not None and -len(built.args) <= i.value < len(built.args):
            return built.args[i.value]
        if isinstance(t, Const) and t.spelling is None and isinstance(t.value, tuple) \
                and -len(t.value) <= i.value < len(t.value):
            return Const(t.value[i.value])
        return None


    def built_item(self, t: Var, key):
        """The value stored under `key` (a dict's key, a record's field name or a namedtuple's
        position) in `t`, when `t` was built here: by a dict display and `dict_with` steps, or by
        `make_record`; else None."""
        for _ in range(64):  # (a chain of dict_with steps: d["a"] = ..., d["b"] = ...)
            built = self.defs.get(t)
            if built is None or built.kwargs:
                return None
            if built.op is make_dict:
                keys = built.args[0].value
                return built.args[1 + keys.index(key)] if key in keys else None
            if built.op is runtime.not_shared:  # a check, which passes its value on
                t = built.args[0]
                continue
            if built.op is runtime.dict_with and isinstance(built.args[1], Const):
                if built.args[1].value == key:
                    return built.args[2]
                t = built.args[0]
                continue
            if built.op is runtime.make_record and isinstance(built.args[2], Var):
                values, names = self.defining(built.args[2], make_tuple), built.args[1].value
                index = names.index(key) if key in names else key if type(key) is int and issubclass(
                    built.args[0].value, tuple) and -len(names) <= key < len(names) else None
                return values.args[index] if values is not None and index is not None else None
            return None
        return None

    def field(self, stmt, args, lits):
        """A field of a dataclass instance built here is the value it was built with."""
        p, name = args
        return self.built_item(p, name.value) if isinstance(p, Var) and isinstance(name, Const) else None


def _same_product(p: Call, q: Call) -> bool:
    """Whether two products multiply the same operands (in either order)."""
    return sorted(map(_key, p.args)) == sorted(map(_key, q.args))


def _key(x):
    return ("c", repr(x.value)) if isinstance(x, Const) and x.spelling is None else ("v", id(x))


def _is_false(x) -> bool:
    return isinstance(x, Const) and x.value is False and x.spelling is None


def _is_none(x) -> bool:
    return isinstance(x, Const) and x.value is None and x.spelling is None


def _fold(op, values):
    """The literal an operation on literals gives, if it is a plain number."""
    try:
        value = op(*values)
    except (ArithmeticError, ValueError, OverflowError):
        return None
    if isinstance(value, (int, float)) and abs(value) < 1e15:
        return Const(value)
    return None


# op -> the rewrite that applies to its calls
_RULES = {
    operator.mul: _Simplifier.mul_, operator.truediv: _Simplifier.truediv_, operator.add: _Simplifier.add_,
    operator.sub: _Simplifier.subtract, operator.pow: _Simplifier.pow_, operator.neg: _Simplifier.neg_,
    runtime.unbroadcast: _Simplifier.shaped_like, runtime.broadcast_like: _Simplifier.shaped_like,
    slice: _Simplifier.slice_, make_tuple: _Simplifier.tuple_, runtime.unpacked: _Simplifier.unpacked,
    runtime.not_shared: _Simplifier.not_shared, runtime.write_back: _Simplifier.write_back,
    runtime.view_of: _Simplifier.view_of, np.size: _Simplifier.size, operator.getitem: _Simplifier.getitem,
    runtime.field: _Simplifier.field,
    runtime.matmul_adjoint_left: _Simplifier.product_left, runtime.tensordot_adjoint_left: _Simplifier.product_left,
    runtime.matmul_adjoint_right: _Simplifier.product_right, runtime.tensordot_adjoint_right: _Simplifier.product_right,
}
