"""seed: keep the seed of a gradient a number where a number will do.

The gradient of the sum of an array result starts from ones of its shape
(``dy = ones_like_output(y)``). Where every operation the cotangent then flows through is
elementwise, among numbers and arrays of that very shape, a plain ``1.0`` broadcasts to the same
values: the reverse sweep then computes on numbers (a person's ``db = db * 2``, not a loop over an
array), and each result is broadcast to its parameter's shape once, at the end.

Output guarantees: the function computes the same values; where the condition holds, the seed is
``1.0``, the `unbroadcast`s it made unnecessary are gone, and each result that came from the seed
is ``broadcast_like(g, x)`` of its parameter `x`. Where it does not hold, the function is unchanged.
Run on the output of `ad.reverse` with seed="ones", with its kinds.

    dy = ones_like_output(y)                       # grad of: return b
    db = dy * 2                          ->        da = broadcast_like(1.0 * 2, a)
    da = unbroadcast(db, a)
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.builder import clone_function, substitute
from ..ir.core import Call, Const, For, Function, If, Region, Var, While, derivative
from . import kinds as kinds_mod

_ELEMENTWISE = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg, operator.pos,
                runtime.add_cotangents}


def run(fn: Function, kinds: dict, wrt: list[int], seed) -> tuple[Function, dict]:
    """The gradient `fn` (results: one cotangent per `wrt` parameter; `seed`: the cotangent of its
    one result) with a number for a seed where that computes the same, and its kinds."""
    if not isinstance(seed, Var):
        return fn, kinds
    mapping: dict = {}
    fn = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    seed = mapping[seed]
    kind = kinds_mod.of(seed, kinds)
    if not (isinstance(kind, kinds_mod.Array) and kind.shape is not None):
        return fn, kinds
    uniform = _Uniform(kinds, kind, seed)
    wrt_vars = [fn.params[i].var for i in wrt]
    results = fn.body.yields[len(fn.body.yields) - len(wrt):]
    if not uniform.region(fn.body.body) or any(
            g in uniform.values and not kinds_mod.same_shape(kinds_mod.of(v, kinds), kind)
            for v, g in zip(wrt_vars, results, strict=True)):
        return fn, kinds  # a number standing for an array cannot be summed down to a number here
    _rewrite(fn, kinds, uniform, seed, wrt_vars)
    return fn, kinds


class _Uniform:
    """Which values may be a number standing for a uniform array of the seed's shape."""

    def __init__(self, kinds: dict, kind, seed: Var):
        self.kinds, self.kind = kinds, kind
        self.values = {seed}
        self.elided: dict = {}  # unbroadcast(g, x) of such a value to that shape: g itself

    def fine(self, x) -> bool:
        """An operand that broadcasts like a number or an array of the seed's shape."""
        k = kinds_mod.of(x, self.kinds)
        return x in self.values or isinstance(k, kinds_mod.Scalar) or kinds_mod.same_shape(k, self.kind)

    def region(self, stmts) -> bool:
        """Whether every statement touching such a value keeps the condition (and extend them)."""
        for st in stmts:
            ok = self.call(st) if isinstance(st, Call) else self.if_(st) if isinstance(st, If) else self.loop(st)
            if not ok:
                return False
        return True

    def call(self, st: Call) -> bool:
        if not any(isinstance(a, Var) and a in self.values for a in (*st.args, *st.kwargs.values())):
            return True
        if st.op is runtime.unbroadcast and st.args[0] in self.values and st.args[1] not in self.values \
                and kinds_mod.same_shape(kinds_mod.of(st.args[1], self.kinds), self.kind):
            self.values.add(st.outs[0])
            self.elided[st.outs[0]] = st.args[0]
            return True
        elementwise = st.op in _ELEMENTWISE or isinstance(st.op, np.ufunc)
        if not elementwise or st.kwargs or not st.outs or not all(self.fine(a) for a in st.args):
            return False
        if all(a in self.values or kinds_mod.is_scalar(a, self.kinds) for a in st.args):
            self.values.add(st.outs[0])
        return True

    def if_(self, st: If) -> bool:
        for _ in range(2):
            if not self.region(st.then.body) or not self.region(st.orelse.body):
                return False
            for out, a, b in zip(st.outs, st.then.yields, st.orelse.yields, strict=True):
                if a in self.values or b in self.values:
                    self.values.add(out)
        return True

    def loop(self, st) -> bool:
        offset = 1 if isinstance(st, For) else 0
        for _ in range(3):  # carried values: to a fixed point
            for i, init in enumerate(st.inits):
                if init in self.values or st.body.yields[i] in self.values:
                    self.values.add(st.body.params[i + offset])
                    self.values.add(st.outs[i])
            if isinstance(st, While) and not self.region(st.cond.body) or not self.region(st.body.body):
                return False
        return True


def _rewrite(fn: Function, kinds: dict, uniform: _Uniform, seed: Var, wrt_vars: list) -> None:
    """The seed becomes 1.0, the elided unbroadcasts go, and the results take their shapes."""
    body = fn.body
    n = len(wrt_vars)
    mapping = {seed: Const(1.0), **uniform.elided}
    for out in list(mapping):  # through chains of elided unbroadcasts
        g = mapping[out]
        while isinstance(g, Var) and g in mapping:
            g = mapping[g]
        mapping[out] = g
    body.body = [st for st in body.body if not (isinstance(st, Call) and seed in st.outs)]
    region = Region([], body.body, list(body.yields))
    substitute(region, mapping)
    for v in uniform.values:
        fn.facts.pop(v, None)
        kinds.pop(v, None)
    made = {o: st for st in body.body if isinstance(st, Call) for o in st.outs}
    results = list(region.yields[len(region.yields) - n:])
    for k, (v, g) in enumerate(zip(wrt_vars, results, strict=True)):
        if isinstance(g, Var) and g in uniform.values or isinstance(g, Const):
            shaped = derivative(v)
            loc = made[g].loc if g in made else None  # grouped with the line that computed it
            body.body.append(Call([shaped], runtime.broadcast_like, [g, v], {}, loc, None, "grad"))
            results[k] = shaped
    body.yields = region.yields[:len(region.yields) - n] + results
