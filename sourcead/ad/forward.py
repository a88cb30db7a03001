"""forward: a function -> one that also computes the tangent of its results (a jvp).

Output guarantees: the result takes the primal's parameters, then one tangent per `wrt`
parameter; each varied value is followed by its tangent, computed from the tangent rules (one
entry per differentiable argument, the entries summed); an `If` and a loop carry the tangents of
the values they yield or carry beside them. It returns ``(*results, *tangents of the results)``.
The input is not changed, and the kinds table handed back covers every value of the result.

    z = mul(x, y)                  z = mul(x, y)
    return z             ->        dz = dx * y + x * dy        (rules inlined, entries summed)
                                   return z, dz

A value pushed on a tape has its tangent pushed right after it, and popped right before it, so
forward mode works on generated reverse-mode code (forward over reverse: Hessian-vector products).
"""

from __future__ import annotations

from ..ir.core import (Call, Const, For, Function, If, Param, Pop, Push, Region, Var, While, derivative, make_dict,
                       make_list, make_tuple, walk)
from . import templates
from .common import IDENTITY_OPS, TANGENT, Transform, copy_function


class Forward(Transform):
    tag = TANGENT

    def __init__(self, fn: Function, wrt: list[int], kinds: dict, rule_ir):
        super().__init__(fn, wrt, kinds, rule_ir)
        self.pushed = {s.op.slot: s for s in walk(fn.body.body) if isinstance(s, Call) and isinstance(s.op, Push)}

    def tangent_of(self, x, tan: dict):
        return tan.get(x) if isinstance(x, Var) else None

    def or_zero(self, x, tan: dict, emit: list, loc):
        t = self.tangent_of(x, tan)
        return t if t is not None else self.zero(x, emit, loc)

    # ---- calls ----------------------------------------------------------------------------------
    def call(self, stmt: Call, tan: dict, emit: list) -> None:
        op, args, loc = stmt.op, stmt.args, stmt.loc
        if isinstance(op, Pop):
            self.pop_tangent(stmt, tan, emit)
            return
        emit.append(stmt)
        if isinstance(op, Push):
            if self.varies(args[1]):  # the value's tangent is pushed right after it
                t = self.or_zero(args[1], tan, emit, loc)
                emit.append(Call([], Push(op.slot.derived(TANGENT)), [args[0], t], {}, None, None, stmt.tag))
            return
        if not stmt.outs or not self.varies(stmt.outs[0]):
            return
        if not any(self.tangent_of(a, tan) is not None for a in (*args, *stmt.kwargs.values())):
            return
        out = stmt.outs[0]
        if op is make_tuple or op is make_list:
            t = derivative(out)
            emit.append(Call([t], op, [self.or_zero(a, tan, emit, loc) for a in args], {}, loc, None, TANGENT))
            tan[out] = t
        elif op is make_dict:
            t = derivative(out)
            tangents = [self.or_zero(a, tan, emit, loc) for a in args[1:]]
            emit.append(Call([t], op, [args[0], *tangents], {}, loc, None, TANGENT))
            tan[out] = t
        elif op in IDENTITY_OPS:
            tan[out] = self.tangent_of(args[0], tan)
        else:
            rule = self.rule(stmt, "tangent")
            if rule is not None:
                self.apply_rule(rule, stmt, tan, emit)

    def pop_tangent(self, stmt: Call, tan: dict, emit: list) -> None:
        """The paired push pushed a tangent right after the value exactly when the value varies:
        pop it right before the value."""
        push = self.pushed.get(stmt.op.slot)
        if push is not None and self.varies(push.args[1]):
            t = derivative(stmt.outs[0])
            emit.append(Call([t], Pop(stmt.op.slot.derived(TANGENT)), list(stmt.args), {}, None, None, stmt.tag))
            tan[stmt.outs[0]] = t
            self.know(t, stmt.outs[0])
        emit.append(stmt)

    def apply_rule(self, rule, stmt: Call, tan: dict, emit: list) -> None:
        """The sum of each differentiable argument's tangent contribution, from the rule."""
        out, loc = stmt.outs[0], stmt.loc
        bound = templates.bind(rule, Const(None), out, stmt.args, stmt.kwargs, loc)
        templates.check_varargs(rule, bound, self.varies, loc)
        if not stmt.tag:  # the user's call; a rule's own body (higher order) is checked by its spec tests
            self.check_constants(rule, bound, stmt)
        total = None
        for index, name in enumerate(rule.diff_params):
            bound = templates.bind(rule, Const(None), out, stmt.args, stmt.kwargs, loc)
            t_arg = self.tangent_of(bound.get(name), tan)
            if t_arg is None:
                continue
            bound[list(rule.signature.parameters)[0]] = t_arg
            start = len(emit)
            contribution = templates.instantiate(rule, self.rule_ir(rule), bound, index, emit, loc, TANGENT)
            for st in emit[start:]:
                for o in st.outs:
                    self.know(o, out)
            self.note(emit[start:])
            if contribution is not None:
                total = contribution if total is None else self.add(total, contribution, out, emit, loc)
        if total is not None:
            if isinstance(total, Var) and total.temporary:
                total.hint, total.of = None, out  # computed here: it is out's tangent
            tan[out] = total
            self.know(total, out)

    # ---- control flow ---------------------------------------------------------------------------
    def if_(self, stmt: If, tan: dict, emit: list) -> None:
        active = [i for i, o in enumerate(stmt.outs) if self.varies(o)]
        branches = []
        for region in (stmt.then, stmt.orelse):
            local, body = dict(tan), []
            self.region(region, local, body)
            extra = [self.or_zero(region.yields[i], local, body, stmt.loc) for i in active]
            branches.append(Region([], body, list(region.yields) + extra))
        outs = list(stmt.outs) + [derivative(stmt.outs[i]) for i in active]
        emit.append(If(outs, stmt.cond, branches[0], branches[1], stmt.loc, stmt.tag))
        for i, t in zip(active, outs[len(stmt.outs):], strict=True):
            tan[stmt.outs[i]] = t
            self.know(t, stmt.outs[i])

    def loop(self, stmt, tan: dict, emit: list) -> None:
        """The loop carries the tangents of its varied carried values beside them."""
        body, loc = stmt.body, stmt.loc
        params = body.params[1:] if isinstance(stmt, For) else body.params
        carried = [i for i, p in enumerate(params) if self.varies(p)]
        inits = [self.or_zero(stmt.inits[i], tan, emit, loc) for i in carried]
        t_params = [derivative(params[i]) for i in carried]
        local = dict(tan)
        for i, t in zip(carried, t_params, strict=True):
            local[params[i]] = t
            self.know(t, params[i])
        new_body: list = []
        self.region(body, local, new_body)
        yields = [self.or_zero(body.yields[i], local, new_body, loc) for i in carried]
        body.body, body.params, body.yields = new_body, body.params + t_params, list(body.yields) + yields
        if isinstance(stmt, While):
            stmt.cond.params = stmt.cond.params + [derivative(params[i]) for i in carried]
            cond_body: list = []
            self.region(stmt.cond, dict(tan), cond_body)
            stmt.cond.body = cond_body
        outs = [derivative(params[i]) for i in carried]
        stmt.inits, stmt.outs = list(stmt.inits) + inits, list(stmt.outs) + outs
        emit.append(stmt)
        for i, o in zip(carried, outs, strict=True):
            tan[stmt.outs[i]] = o
            self.know(o, params[i])


def forward(fn: Function, wrt: list[int], kinds: dict, *, rule_ir) -> tuple[Function, dict]:
    """The jvp function of `fn`: takes (*params, *tangents of the wrt params), returns (*results,
    *tangents of the results); and the kinds of its values (`kinds` gives those of fn's)."""
    primal, kinds = copy_function(fn, kinds)
    fwd = Forward(primal, wrt, kinds, rule_ir)
    tan: dict = {}
    t_params = []
    for i in wrt:
        v = primal.params[i].var
        t = tan[v] = derivative(v)
        t_params.append(Param(t))
        fwd.know(t, v)
    emit: list = []
    fwd.region(primal.body, tan, emit)
    results = [fwd.or_zero(y, tan, emit, fn.loc) for y in primal.body.yields]
    new_body = Region([], emit, list(primal.body.yields) + results)
    out = Function(fn.name, primal.params + t_params, new_body, True, fn.loc, fn.lines, fn.filename)
    out.facts = {v: k for v, k in fwd.kinds.items() if isinstance(v, Var)}
    return out, fwd.kinds
