"""forward: a function -> one that also computes the tangent of its results (a jvp).

Output guarantees: the result takes the primal's parameters, then one tangent per `wrt`
parameter; each varied value is followed by its tangent, computed from the tangent rules (one
entry per differentiable argument, the entries summed); an `If` and a loop carry the tangents of
the values they yield or carry beside them. It returns ``(*results, *tangents of the results)``.

    z = mul(x, y)                  z = mul(x, y)
    return z             ->        dz = dx * y + x * dy        (rules inlined, entries summed)
                                   return z, dz

A value pushed on a tape has its tangent pushed right after it, and popped right before it, so
forward mode works on generated reverse-mode code (forward over reverse: Hessian-vector products).
"""

from __future__ import annotations

import operator

from .. import runtime
from ..errors import InternalError, UnsupportedCallError
from ..ir.builder import clone_region
from ..ir.core import (Call, Const, For, Function, If, Operand, Param, Pop, Push, Region, Var, While, derivative,
                       like, make_list, make_tuple, walk)
from ..passes import kinds as kinds_mod
from ..passes.activity import varied
from ..rules.registry import rule_key
from ..rules import registry
from . import templates
from .reverse import _IDENTITY_OPS, _describe

TANGENT = "tangent"


class Forward:
    def __init__(self, fn: Function, wrt: list[int], kinds: dict, rule_ir):
        self.fn = fn
        self.rule_ir = rule_ir
        self.kinds = kinds
        self.active = varied(fn, [fn.params[i].var for i in wrt])
        self.pushed = {s.op.slot: s for s in walk(fn.body.body) if isinstance(s, Call) and isinstance(s.op, Push)}

    def tangent_of(self, x, tan: dict):
        return tan.get(x) if isinstance(x, Var) else None

    def zero(self, v, emit: list, loc) -> Operand:
        if kinds_mod.of(v, self.kinds) == kinds_mod.SCALAR or isinstance(v, Const):
            return Const(0.0)
        z = derivative(v)
        emit.append(Call([z], runtime.zeros_like_input, [v], {}, loc, None, TANGENT))
        return z

    def know(self, t, primal) -> None:
        k = self.kinds.get(primal) if isinstance(primal, Var) else None
        if isinstance(t, Var) and k is not None and t not in self.kinds:
            self.kinds[t] = k

    def add(self, a, b, v, emit, loc):
        if a is None:
            return b
        total = derivative(v)
        op = operator.add if kinds_mod.numeric(self.kinds.get(v)) else runtime.add_cotangents
        emit.append(Call([total], op, [a, b], {}, loc, None, TANGENT))
        return total

    # ---- statements ---------------------------------------------------------------------------
    def region(self, region: Region, tan: dict, emit: list) -> None:
        for stmt in region.body:
            if isinstance(stmt, Call):
                self.call(stmt, tan, emit)
            elif isinstance(stmt, If):
                self.if_(stmt, tan, emit)
            elif isinstance(stmt, (While, For)):
                self.loop(stmt, tan, emit)
            else:
                raise InternalError(f"unknown statement {stmt!r}")

    def call(self, stmt: Call, tan: dict, emit: list) -> None:
        op, args, kwargs, loc = stmt.op, stmt.args, stmt.kwargs, stmt.loc
        if isinstance(op, Pop):
            push = self.pushed.get(op.slot)
            # the paired push pushed a tangent right after the value exactly when the value varies
            if push is not None and isinstance(push.args[1], Var) and push.args[1] in self.active:
                t = derivative(stmt.outs[0])
                emit.append(Call([t], Pop(op.slot.derived(TANGENT)), list(args), {}, None, None, stmt.tag))
                emit.append(stmt)
                tan[stmt.outs[0]] = t
                self.know(t, stmt.outs[0])
            else:
                emit.append(stmt)
            return
        emit.append(stmt)
        if isinstance(op, Push):
            v = args[1]
            if isinstance(v, Var) and v in self.active:
                t = self.tangent_of(v, tan)
                if t is None:
                    t = self.zero(v, emit, loc)
                emit.append(Call([], Push(op.slot.derived(TANGENT)), [args[0], t], {}, None, None, stmt.tag))
            return
        if not stmt.outs:
            return
        out = stmt.outs[0]
        if out not in self.active:
            return
        if not any(self.tangent_of(a, tan) is not None for a in (*args, *kwargs.values())):
            return
        if op is make_tuple or op is make_list:
            elts = [self.tangent_of(a, tan) or self.zero(a, emit, loc) for a in args]
            t = derivative(out)
            emit.append(Call([t], op, elts, {}, loc, None, TANGENT))
            tan[out] = t
            return
        if op in _IDENTITY_OPS:
            tan[out] = self.tangent_of(args[0], tan)
            return
        key = rule_key(op)
        rule = registry.lookup_tangent(key)
        if rule is None:
            raise UnsupportedCallError(
                f"sourcead has no forward-mode (tangent) rule for {_describe(stmt)}, and it is called here "
                "with a value that depends on the differentiated inputs", loc,
                f"register one: @sourcead.tangent({_describe(stmt)})\n"
                "def rule(t, ans, *args): return <the tangent contribution of each differentiable argument>")
        total = None
        for index, name in enumerate(rule.diff_params):
            bound = templates.bind(rule, Const(None), out, args, kwargs, loc)
            arg = bound.get(name)
            t_arg = self.tangent_of(arg, tan)
            if t_arg is None:
                continue
            bound[list(rule.signature.parameters)[0]] = t_arg
            start = len(emit)
            contribution = templates.instantiate(rule, self.rule_ir(rule), bound, index, emit, loc, TANGENT)
            for st in emit[start:]:
                for o in st.outs:
                    self.know(o, out)
            if contribution is not None:
                total = self.add(total, contribution, out, emit, loc)
        if total is not None:
            if isinstance(total, Var) and total.temporary:
                total.hint, total.of = None, out  # computed here: it is out's tangent
            tan[out] = total
            self.know(total, out)

    def if_(self, stmt: If, tan: dict, emit: list) -> None:
        active_outs = [i for i, o in enumerate(stmt.outs) if o in self.active]
        branches = []
        for region in (stmt.then, stmt.orelse):
            local = dict(tan)
            body: list = []
            self.region(region, local, body)
            extra = []
            for i in active_outs:
                y = region.yields[i]
                t = self.tangent_of(y, local)
                extra.append(t if t is not None else self.zero(y, body, stmt.loc))
            branches.append(Region([], body, list(region.yields) + extra))
        outs = list(stmt.outs) + [derivative(stmt.outs[i]) for i in active_outs]
        emit.append(If(outs, stmt.cond, branches[0], branches[1], stmt.loc, stmt.tag))
        for i, t in zip(active_outs, outs[len(stmt.outs):], strict=True):
            tan[stmt.outs[i]] = t
            self.know(t, stmt.outs[i])

    def loop(self, stmt, tan: dict, emit: list) -> None:
        body = stmt.body
        offset = 1 if isinstance(stmt, For) else 0
        params = body.params[offset:]
        carried = [i for i, p in enumerate(params) if p in self.active]
        loc = stmt.loc
        inits = []
        for i in carried:
            t = self.tangent_of(stmt.inits[i], tan)
            inits.append(t if t is not None else self.zero(stmt.inits[i], emit, loc))
        t_params = [derivative(params[i]) for i in carried]
        local = dict(tan)
        for i, t in zip(carried, t_params, strict=True):
            local[params[i]] = t
            self.know(t, params[i])
        new_body: list = []
        self.region(body, local, new_body)
        yields = []
        for i in carried:
            y = body.yields[i]
            t = self.tangent_of(y, local)
            yields.append(t if t is not None else self.zero(y, new_body, loc))
        body.body = new_body
        body.params = body.params + t_params
        body.yields = list(body.yields) + yields
        if isinstance(stmt, While):
            c_params = [derivative(params[i]) for i in carried]
            stmt.cond.params = stmt.cond.params + c_params
            cond_body: list = []
            self.region(stmt.cond, dict(tan), cond_body)
            stmt.cond.body = cond_body
        outs = [derivative(params[i]) for i in carried]
        stmt.inits = list(stmt.inits) + inits
        stmt.outs = list(stmt.outs) + outs
        emit.append(stmt)
        for i, o in zip(carried, outs, strict=True):
            tan[stmt.outs[i]] = o
            self.know(o, params[i])


def forward(fn: Function, wrt: list[int], arg_kinds: dict | None = None, global_kinds: dict | None = None, *,
            rule_ir) -> Function:
    """The jvp function of `fn`: takes (*params, *tangents of the wrt params), returns
    (*results, *tangents of the results)."""
    mapping: dict = {}
    params = []
    for p in fn.params:
        v = like(p.var)
        mapping[p.var] = v
        params.append(Param(v, p.default, p.keyword_only))
    body = clone_region(fn.body, mapping)
    primal = Function(fn.name, params, body, fn.returns_tuple, fn.loc, fn.lines, fn.filename)
    primal.facts = {mapping.get(v, v): k for v, k in fn.facts.items()}
    kinds = kinds_mod.infer(primal, {params[i].var: k for i, k in (arg_kinds or {}).items()}, global_kinds)
    fwd = Forward(primal, wrt, kinds, rule_ir)
    tan: dict = {}
    t_params = []
    for i in wrt:
        t = derivative(params[i].var)
        tan[params[i].var] = t
        t_params.append(Param(t))
        fwd.know(t, params[i].var)
    emit: list = []
    fwd.region(body, tan, emit)
    results = []
    for y in body.yields:
        t = fwd.tangent_of(y, tan)
        results.append(t if t is not None else fwd.zero(y, emit, fn.loc))
    new_body = Region([], emit, list(body.yields) + results)
    out = Function(fn.name, params + t_params, new_body, True, fn.loc, fn.lines, fn.filename)
    out.facts = {v: k for v, k in fwd.kinds.items() if isinstance(v, Var)}
    return out
