"""reverse: a primal function -> one function that runs it and then its reverse sweep.

Output guarantees: the result is a `Function` with the primal's parameters (plus the output
cotangent for a vjp), whose body is the primal (the forward sweep) followed by the adjoint
statements, tagged "grad" and located at the primal line they differentiate; it returns
``(*values, *cotangents)``: the primal results when asked for, then one cotangent per `wrt`.
The input is not changed (the transform works on a copy), and the kinds table handed back covers
every value of the result.

    z = mul(x, y)                  z = mul(x, y)
    return z             ->        # grad of z = x * y
                                   dx = unbroadcast(dz * y, x)     (rules inlined)
                                   dy = unbroadcast(dz * x, y)
                                   return dx, dy

Cotangents accumulate: the first contribution is bound, later ones are added. A zero cotangent is
simply absent from the environment, so it produces no code. An `If` becomes an `If` on the same
condition whose branches are the adjoints of the primal branches; values a reverse branch reads
from its primal branch are yielded out of the primal `If`. A loop becomes a loop over the same
indices backwards (see `Reverse.loop`).
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..rules import complex_
from ..errors import InternalError, NonDifferentiableError
from ..ir.builder import defined_in, ordered_uses, substitute, used_in
from ..ir.core import (Attr, Call, Const, For, Function, If, Operand, Param, Pop, Push, Region, Scope, Slot, Tape, Var,
                       While, derivative, like, make_dict, make_list, make_tuple, walk)
from ..passes import dce, simplify
from ..passes import kinds as kinds_mod
from . import tape, templates
from .effects import context_adjoint, is_context
from .common import GRAD, IDENTITY_OPS, Transform, copy_function

ADJOINT = "adjoint"


class Reverse(Transform):
    tag = GRAD
    backwards = True

    def __init__(self, fn: Function, wrt: list[int], kinds: dict, rule_ir):
        super().__init__(fn, wrt, kinds, rule_ir)
        self._tapes: dict = {}  # primal tape (None: this transform's own) -> (push, pop)
        self.own_tape = Tape()
        self.prologue: list = []  # statements the function starts with (the tapes)
        self.defs = {o: s for s in walk(fn.body.body) if isinstance(s, Call) for o in s.outs}
        self.complex_cts: set = set()  # cotangents that may be complex (of complex values, or from them)

    def accumulate(self, ct: dict, var, contribution: Operand | None, emit: list, loc, fresh: list = ()) -> None:
        """Add `contribution` to var's cotangent; `fresh` lists the statements that computed it,
        whose result is then recorded as var's cotangent."""
        if contribution is None or not self.varies(var):
            return
        if self.complex and var not in self.complex and self.complex_cotangent(contribution):
            contribution, fresh = self.real_part(contribution, emit, loc), emit[-1:]
        prev = ct.get(var)
        if prev is not None:
            ct[var] = self.add(prev, contribution, var, emit, loc)
            return
        if isinstance(contribution, Var) and contribution.temporary and any(contribution in s.outs for s in fresh):
            contribution.hint, contribution.of = None, var  # computed here: it is var's cotangent
        ct[var] = contribution
        self.know(contribution, var)
        if var in self.complex:
            self.complex_cts.add(contribution)

    def complex_cotangent(self, g) -> bool:
        """Whether a cotangent may be complex: that of a complex value, or computed from one."""
        if isinstance(g, Const):
            return isinstance(g.value, complex)
        return g in self.complex_cts or g.of in self.complex

    def real_part(self, g: Operand, emit: list, loc) -> Var:
        """``np.real(g)``: a complex cotangent reaching a real value (JAX's convention: a real change
        pairs with the real part only)."""
        out = Var()
        emit.append(Call([out], np.real, [g], {}, loc, Const(np.real, "np.real", Scope(Reverse.real_part)), GRAD))
        self.note(emit[-1:])
        return out

    # ---- calls ----------------------------------------------------------------------------------
    def call(self, stmt: Call, ct: dict, emit: list) -> None:
        if isinstance(stmt.op, Push):
            self.push_adjoint(stmt, ct, emit)
        elif isinstance(stmt.op, Pop):
            self.pop_adjoint(stmt, ct, emit)
        elif is_context(stmt):  # with np.errstate(...): the adjoint runs under it too (ad/effects.py)
            context_adjoint(stmt, self.defs, emit)
        elif stmt.outs and ct.get(stmt.outs[0]) is not None \
                and any(self.varies(a) for a in (*stmt.args, *stmt.kwargs.values())):
            self.call_adjoint(stmt, ct[stmt.outs[0]], ct, emit)

    def push_adjoint(self, stmt: Call, ct: dict, emit: list) -> None:
        """A pushed value's cotangent comes back from the pop of the cotangent tape."""
        v = stmt.args[1]
        if self.varies(v):
            g = derivative(v)
            slot = stmt.op.slot.derived(ADJOINT)
            emit.append(Call([g], Pop(slot), [self.tape(slot.tape)[1]], {}, None, None, GRAD))
            self.accumulate(ct, v, g, emit, stmt.loc, emit[-1:])

    def pop_adjoint(self, stmt: Call, ct: dict, emit: list) -> None:
        """A popped value's cotangent goes back to where it was pushed, on the cotangent tape."""
        w = stmt.outs[0]
        if self.varies(w):
            g = ct.get(w)
            if g is None:
                g = self.zero(w, emit, stmt.loc)
            slot = stmt.op.slot.derived(ADJOINT)
            emit.append(Call([], Push(slot), [self.tape(slot.tape)[0], g], {}, None, None, GRAD))

    def call_adjoint(self, stmt: Call, g: Operand, ct: dict, emit: list) -> None:
        op, loc = stmt.op, stmt.loc
        if op is make_tuple or op is make_list:
            for i, a in enumerate(stmt.args):
                if self.varies(a):
                    item = Var()
                    emit.append(Call([item], operator.getitem, [g, Const(i)], {}, loc, None, GRAD))
                    self.accumulate(ct, a, item, emit, loc, emit[-1:])
        elif op is make_dict:  # a dict's cotangent is a dict of the same keys
            for key, a in zip(stmt.args[0].value, stmt.args[1:], strict=True):
                if self.varies(a):
                    item = Var()
                    emit.append(Call([item], operator.getitem, [g, Const(key)], {}, loc, None, GRAD))
                    self.accumulate(ct, a, item, emit, loc, emit[-1:])
        elif op in IDENTITY_OPS:
            self.accumulate(ct, stmt.args[0], g, emit, loc)
        else:
            rule = self.rule(stmt, "adjoint")
            if rule is not None:
                self.apply_rule(rule, stmt, g, ct, emit)

    def apply_rule(self, rule, stmt: Call, g: Operand, ct: dict, emit: list) -> None:
        """Each differentiable argument's cotangent, from the rule inlined (or called)."""
        bound = templates.bind(rule, g, stmt.outs[0], stmt.args, stmt.kwargs, stmt.loc)
        templates.check_varargs(rule, bound, self.varies, stmt.loc)
        self.check_constants(rule, bound, stmt)
        for index, name in enumerate(rule.diff_params):
            arg = bound.get(name)
            if self.varies(arg):
                start = len(emit)
                contribution = templates.instantiate(rule, self.rule_ir(rule), bound, index, emit, stmt.loc, GRAD)
                self.note(emit[start:])
                if self.complex and isinstance(contribution, Var) and self.touches_complex(stmt) \
                        and not (complex_.gives_real_for_real(rule) and arg not in self.complex):
                    self.complex_cts.add(contribution)
                self.accumulate(ct, arg, contribution, emit, stmt.loc, emit[start:])

    # ---- if -------------------------------------------------------------------------------------
    def tape_flow(self, stmts) -> bool:
        """Whether statements push or pop varied values: their cotangents travel through a tape,
        so the reverse sweep must visit them even when no result of theirs has a cotangent."""
        return any(isinstance(st, Call) and (isinstance(st.op, Push) and self.varies(st.args[1])
                                             or isinstance(st.op, Pop) and self.varies(st.outs[0]))
                   for st in walk(stmts))

    def if_(self, stmt: If, ct: dict, emit: list) -> None:
        if not any(ct.get(o) is not None for o in stmt.outs) and not self.tape_flow([stmt]):
            return
        branches = [self.branch_adjoint(stmt, region, ct) for region in (stmt.then, stmt.orelse)]
        inside = defined_in(stmt.then) | defined_in(stmt.orelse)
        changed = [v for v in dict.fromkeys([*branches[0][1], *branches[1][1]])
                   if v not in inside and v not in stmt.outs
                   and any(local.get(v) is not ct.get(v) for _, local, _ in branches)]
        regions = []
        for region, local, body in branches:
            yields = [local.get(v) if local.get(v) is not None else self.zero(v, body, stmt.loc) for v in changed]
            adj = Region([], body, yields)
            self.escape(stmt, region, adj)
            regions.append(adj)
        outs = [derivative(v) for v in changed]
        emit.append(If(outs, stmt.cond, regions[0], regions[1], stmt.loc, GRAD))
        for v, o in zip(changed, outs, strict=True):
            ct[v] = o
            self.know(o, v)

    def branch_adjoint(self, stmt: If, region: Region, ct: dict):
        """(region, cotangents after its adjoint, the adjoint's statements)."""
        local, body = dict(ct), []
        for out, y in zip(stmt.outs, region.yields, strict=True):
            if ct.get(out) is not None:
                self.accumulate(local, y, ct[out], body, stmt.loc)
        self.region(region, local, body)
        return region, local, body

    def escape(self, stmt: If, primal: Region, adjoint: Region) -> None:
        """Values the adjoint branch reads from its primal branch leave the primal If as outputs."""
        inside = defined_in(primal)
        needed = [v for v in ordered_uses(adjoint) if v in inside]
        needed.sort(key=lambda v: _definition_order(primal, v))  # stable: ties keep first-use order
        mapping = {}
        for v in needed:
            out = like(v)
            if self.kinds.get(v) is not None:
                self.kinds[out] = self.kinds[v]
            stmt.outs.append(out)
            for region in (stmt.then, stmt.orelse):
                region.yields.append(v if region is primal else Const(None))
            mapping[v] = out
        if mapping:
            substitute(adjoint, mapping)

    # ---- loops ----------------------------------------------------------------------------------
    def loop(self, stmt, ct: dict, emit: list) -> None:
        """A loop's adjoint is a loop over the same indices backwards (a `for`) or over the recorded
        trip count (a `while`). It carries the cotangents of the loop-carried values and of the
        outer values the body reads; per iteration the forward loop pushes exactly the values of
        its body that the adjoint body reads, and the adjoint pops them."""
        carried, outer = self.loop_cotangents(stmt, ct)
        if not self.tape_flow(stmt.body.body) and not any(ct.get(stmt.outs[i]) is not None for i in carried):
            return
        adj, changed, d_params = self.adjoint_body(stmt, carried, outer)
        inits = [ct.get(stmt.outs[i]) for i in carried] + [ct.get(v) for v in changed]
        primals = [stmt.outs[i] for i in carried] + changed
        inits = [g if g is not None else self.zero(v, emit, stmt.loc) for g, v in zip(inits, primals, strict=True)]
        self.tidy(adj)
        needed = self.tape_values(stmt.body, adj, stmt.body.params[0] if isinstance(stmt, For) else None)
        over = tape.carried_over(stmt, needed)
        again = tape.recomputed(stmt.body, needed, over, self.kinds)
        again_outs = {st.outs[0] for st in again}
        pushed = [v for v in needed if v not in over and v not in again_outs]
        slots = self.push_values(stmt.body, pushed, stmt.loc, tape.measured(adj, pushed, self.kinds))
        iterable, item = self.reversed_iteration(stmt, adj, emit)
        params = stmt.body.params[1:] if isinstance(stmt, For) else stmt.body.params
        nexts = {y: like(y) for y in over}
        popped = self.pop_values(adj, pushed, slots, again, dict(nexts))
        adj.params = [item, *d_params, *nexts.values()]
        adj.yields.extend(popped[params[j]] for j in over.values())
        outs = [derivative(params[i]) for i in carried] + [derivative(v) for v in changed]
        inits = inits + [stmt.outs[j] for j in over.values()]
        emit.append(For(outs + [like(y) for y in over], iterable, inits, adj, stmt.loc, GRAD))
        for v, o in zip(changed, outs[len(carried):], strict=True):
            ct[v] = o
            self.know(o, v)
        for i, o in zip(carried, outs[:len(carried)], strict=True):
            self.know(o, params[i])
            self.accumulate(ct, stmt.inits[i], o, emit, stmt.loc)

    def loop_cotangents(self, stmt, ct: dict) -> tuple[list[int], list[Var]]:
        """The carried values (by position) whose cotangents the adjoint loop carries: those whose
        result has one, or that the body reads (cotangent flows from one iteration to the one
        before); and the varied outer values the body reads, in order of first reading."""
        body = stmt.body
        params = body.params[1:] if isinstance(stmt, For) else body.params
        read = used_in(body)
        carried = [i for i, o in enumerate(stmt.outs)
                   if self.varies(params[i]) and (ct.get(o) is not None or params[i] in read)]
        inside = defined_in(body)
        outer = [v for v in ordered_uses(body) if self.varies(v) and v not in inside]
        return carried, outer

    def adjoint_body(self, stmt, carried: list[int], outer: list[Var]):
        """The adjoint of one iteration: cotangents of its results in (the region's params), of
        its parameters and of the outer values it changed out (its yields)."""
        body, loc = stmt.body, stmt.loc
        params = body.params[1:] if isinstance(stmt, For) else body.params
        d_next = {i: derivative(params[i]) for i in carried}
        accs = {v: derivative(v) for v in outer}
        for i in carried:
            self.know(d_next[i], params[i])
        for v in outer:
            self.know(accs[v], v)
        local: dict = dict(accs)
        adj: list = []
        for i in carried:
            self.accumulate(local, body.yields[i], d_next[i], adj, loc)
        self.region(body, local, adj)
        changed = [v for v in outer if local.get(v) is not accs[v]]
        yields = [local.get(params[i]) if local.get(params[i]) is not None else self.zero(params[i], adj, loc)
                  for i in carried] + [local[v] for v in changed]
        return Region([], adj, yields), changed, [d_next[i] for i in carried] + [accs[v] for v in changed]

    def tidy(self, adj: Region) -> None:
        """Simplify the adjoint body and drop what it does not need, before deciding what it
        needs from the forward loop (see the passes' contracts)."""
        kinds_mod.extend(adj.body, self.kinds)
        simplify.simplify_region(adj, self.kinds)
        dce.prune_region(adj)

    def tape_values(self, body: Region, adj: Region, index) -> list[Var]:
        """The values of one forward iteration that its adjoint reads, in order of definition."""
        inside = defined_in(body)  # the adjoint may have made an `if` yield more values
        position = {p: -1 for p in body.params}
        for k, st in enumerate(body.body):
            for o in st.outs:
                position[o] = k
        needed = [v for v in ordered_uses(adj) if v in inside and v is not index]
        if any(v not in position for v in needed):
            raise InternalError("a loop's adjoint reads a value nested in its body's regions")
        return sorted(needed, key=position.__getitem__)  # stable: ties keep first-use order

    def push_values(self, body: Region, needed: list[Var], loc, measured: set = frozenset()) -> dict:
        """Push each needed value right after it is computed, and after every statement that
        pushes onto this tape itself (inner loops): the adjoint pops these before theirs. Of a
        `measured` value, its shape is pushed (see `tape`)."""
        push = self.tape(None)[0]
        slots = {v: Slot(self.own_tape) for v in needed}
        position = {p: -1 for p in body.params}
        for k, st in enumerate(body.body):
            for o in st.outs:
                position[o] = k
        last = max((k for k, st in enumerate(body.body) if self.pushes(st)), default=-1)
        at = {v: max(position[v], last) for v in needed}

        def pushes(v) -> list:
            if v not in measured:
                return [Call([], Push(slots[v]), [push, v], {}, None)]
            shape = Var()
            return [Call([shape], runtime.shape_of, [v], {}, None), Call([], Push(slots[v]), [push, shape], {}, None)]
        new_body = [c for v in needed if at[v] < 0 for c in pushes(v)]
        for k, st in enumerate(body.body):
            new_body.append(st)
            new_body.extend(c for v in needed if at[v] == k for c in pushes(v))
        body.body[:] = new_body
        return slots

    def pop_values(self, adj: Region, pushed: list[Var], slots: dict, again: list, mapping: dict) -> dict:
        """The adjoint body starts by popping, last pushed first, what the forward body pushed,
        then computes `again` the values planned so (see `tape`); `mapping` holds the values it
        reads otherwise (carried over). Returns primal value -> the adjoint's."""
        pop = self.tape(None)[1]
        pops = []
        for v in reversed(pushed):
            w = like(v)
            pops.append(Call([w], Pop(slots[v]), [pop], {}, None, None, GRAD))
            mapping[v] = w
        for st in again:
            w = like(st.outs[0])
            pops.append(Call([w], st.op, [mapping.get(a, a) for a in st.args], {}, st.loc, st.ref, GRAD))
            mapping[st.outs[0]] = w
        for v, w in mapping.items():
            if self.kinds.get(v) is not None:  # the adjoint's value has the kind of the primal's
                self.facts[w] = self.kinds[w] = self.kinds[v]
        substitute(adj, mapping)
        adj.body[:0] = pops
        return mapping

    def reversed_iteration(self, stmt, adj: Region, emit: list):
        """(what the adjoint loop iterates over, its item): the indices backwards for a `for`,
        the trip count for a `while`."""
        loc = stmt.loc
        if isinstance(stmt, While):
            iterable = Var()
            emit.append(Call([iterable], range, [self.count_iterations(stmt)], {}, loc, Const(range, "range"), GRAD))
            return iterable, Var("_")
        source = stmt.iterable
        made = self.defs.get(source)
        if made is not None and made.op is reversed and not made.kwargs:
            iterable = made.args[0]  # a loop over reversed(r) (generated code, differentiated again) runs over r
        else:
            if made is not None and made.op is range and not made.kwargs:  # reversed(range(n)), anew
                source = Var()
                emit.append(Call([source], range, list(made.args), {}, loc, made.ref, GRAD))
            iterable = Var()
            emit.append(Call([iterable], reversed, [source], {}, loc, Const(reversed, "reversed"), GRAD))
        index = stmt.body.params[0]
        if index not in used_in(adj):
            return iterable, Var("_")
        item = like(index)
        substitute(adj, {index: item})
        return iterable, item

    def pushes(self, stmt) -> bool:
        """Whether `stmt` (or a region inside it) pushes onto this transform's own tape."""
        return any(isinstance(st, Call) and isinstance(st.op, Push) and st.op.slot.tape is self.own_tape
                   for st in walk([stmt]))

    def tape(self, primal: Tape | None):
        """(push, pop) of a tape, made once, at the start of the function: ``stack = []; push, pop
        = stack.append, stack.pop``. None: this transform's own tape; a primal tape (generated
        code differentiated again): the tape of the cotangents of the values it carried."""
        made = self._tapes.get(primal)
        if made is None:
            names = ("stack", "push", "pop") if primal is None else ("cstack", "cpush", "cpop")
            stack, push, pop = (Var(n) for n in names)
            self.prologue.extend([
                Call([stack], list, [], {}, None, Const(list, "list")),
                Call([push], Attr("append"), [stack], {}, None),
                Call([pop], Attr("pop"), [stack], {}, None),
            ])
            made = self._tapes[primal] = (push, pop)
        return made

    def count_iterations(self, stmt: While) -> Var:
        """Give a while loop a carried counter; its final value is the trip count."""
        n_cond, n_body, n_next, n_out = (Var("iterations") for _ in range(4))
        stmt.inits.append(Const(0))
        stmt.cond.params.append(n_cond)
        stmt.body.params.append(n_body)
        stmt.body.body.append(Call([n_next], operator.add, [n_body, Const(1)], {}, stmt.loc))
        stmt.body.yields.append(n_next)
        stmt.outs.append(n_out)
        return n_out


def _definition_order(region: Region, v: Var) -> int:
    for i, stmt in enumerate(region.body):
        if v in stmt.outs:
            return i
    return -1


def reverse(fn: Function, wrt: list[int], kinds: dict, *, seed: str = "ones", with_value: bool = False,
            outputs: list[int] | None = None, rule_ir) -> tuple[Function, dict, list]:
    """The gradient function of `fn` with respect to the parameters at positions `wrt`, the kinds
    of its values (`kinds` gives those of fn's), and the cotangents it starts from (one per result).

    seed="ones": the output's cotangent is 1 (or ones of its shape): the gradient of the sum of the
    outputs. seed="param": the function takes one extra parameter per output, its cotangent (vjp).
    `outputs`: the positions of the results differentiated (all by default; the others are returned
    as values only, as an auxiliary result is).
    """
    primal, kinds = copy_function(fn, kinds)
    rev = Reverse(primal, wrt, kinds, rule_ir)
    body = primal.body
    ct: dict = {}
    emit: list = []
    chosen = range(len(body.yields)) if outputs is None else outputs
    seeds = [_seed(rev, body.yields[k], seed, ct, emit) for k in chosen]
    rev.region(body, ct, emit)
    results = []
    for i in wrt:
        v = primal.params[i].var
        results.append(ct[v] if ct.get(v) is not None else rev.zero(v, emit, fn.loc))
    params = list(primal.params) + ([Param(s) for s in seeds] if seed == "param" else [])
    values = list(body.yields) if with_value else []
    new_body = Region([], rev.prologue + body.body + emit, values + results)
    out = Function(fn.name, params, new_body, True, fn.loc, fn.lines, fn.filename)
    out.facts = rev.facts
    return out, rev.kinds, seeds


def _checked_numeric(rev: Reverse, y: Var, emit: list) -> Var:
    """``numeric_result(y)``: the code does not show that the result is a number, so the gradient
    checks it, located at the function's definition (an effect: kept even when the seed is not
    used, as for a result that does not depend on the inputs)."""
    loc = rev.fn.loc
    where = Const((loc.filename, loc.line, loc.col)) if loc is not None else Const(None)
    checked = Var(y.hint)
    emit.append(Call([checked], runtime.numeric_result, [y, where], {}, loc, None, GRAD))
    rev.note(emit[-1:])
    return checked


def _seed(rev: Reverse, y: Operand, seed: str, ct: dict, emit: list) -> Operand:
    """The cotangent of one result: a parameter (vjp), 1.0 for a number, else ones of its shape
    (read from a parameter known to have the same shape, when there is one)."""
    if isinstance(y, Const) and (y.value is None or isinstance(y.value, (str, bytes))) and not y.spelling:
        raise NonDifferentiableError(
            f"{rev.fn.name} returns {y.value!r} on some path, which has no gradient", rev.fn.loc,
            "end every path with a return of the value to differentiate")
    if isinstance(kinds_mod.of(y, rev.kinds), kinds_mod.Bool):
        raise NonDifferentiableError(
            f"{rev.fn.name} returns the result of a comparison (True or False), which has no gradient",
            rev.defs[y].loc if y in rev.defs else rev.fn.loc,
            "return the number to differentiate (a comparison's 0 or 1 has derivative 0)")
    checked = y
    if seed != "param" and isinstance(y, Var) and not kinds_mod.numeric(kinds_mod.of(y, rev.kinds)):
        checked = _checked_numeric(rev, y, emit)
    if seed == "param":
        s = derivative(y)
    elif kinds_mod.is_scalar(y, rev.kinds):
        s = Const(1.0)
    else:
        s = derivative(y)
        k = kinds_mod.of(y, rev.kinds)
        shape = k.shape if isinstance(k, kinds_mod.Array) else None
        like_ = shape if isinstance(shape, Var) and shape in {p.var for p in rev.fn.params} else checked
        emit.append(Call([s], runtime.ones_like_output, [like_], {}, None, None, GRAD))
        rev.know(s, y)
    rev.accumulate(ct, y, s, emit, rev.fn.loc)
    return s
