"""reverse: a primal function -> one function that runs it and then its reverse sweep.

Output guarantees: the result is a `Function` with the primal's parameters (plus the output
cotangent for a vjp), whose body is the primal (the forward sweep) followed by the adjoint
statements, tagged "grad" and located at the primal line they differentiate; it returns
``(*values, *cotangents)``: the primal results when asked for, then one cotangent per `wrt`.

    z = mul(x, y)                  z = mul(x, y)
    return z             ->        # grad of z = x * y
                                   dx = unbroadcast(dz * y, x)     (rules inlined)
                                   dy = unbroadcast(dz * x, y)
                                   return dx, dy

Cotangents accumulate: the first contribution is bound, later ones are added. A zero cotangent is
simply absent from the environment, so it produces no code. An `If` becomes an `If` on the same
condition whose branches are the adjoints of the primal branches; values a reverse branch reads
from its primal branch are yielded out of the primal `If`.
"""

from __future__ import annotations

import operator

import numpy as np

from ..errors import InternalError, NonDifferentiableError, UnsupportedCallError
from ..ir.builder import clone_region, defined_in, substitute, used_in
from ..ir.core import (Call, Const, For, Function, If, Operand, Param, Pop, Push, Region, Slot, Tape, Var, While,
                       derivative, like, make_list, make_tuple, walk)
from ..passes import kinds as kinds_mod
from ..passes.activity import varied
from ..rules.registry import rule_key
from .. import runtime
from ..rules import registry
from . import templates

GRAD = "grad"
ADJOINT = "adjoint"
_IDENTITY_OPS = {runtime.check_bound, runtime.unpacked, runtime.not_shared}  # the value itself, after a check


class Reverse:
    def __init__(self, fn: Function, wrt: list[int], kinds: dict, rule_ir):
        self.fn = fn
        self.rule_ir = rule_ir
        self.wrt = wrt
        self.kinds = kinds
        self.active = varied(fn, [fn.params[i].var for i in wrt])
        self._tape = None
        self._ctapes: dict = {}
        self.own_tape = Tape()
        self.facts: dict = {}  # kinds the transform knows and the IR cannot show (cotangents, pops)
        self.prologue: list = []  # statements the function starts with (the tape)
        self.defs = {o: s for s in walk(fn.body.body) if isinstance(s, Call) for o in s.outs}

    # ---- cotangent environment ------------------------------------------------------------------
    def accumulate(self, ct: dict, var: Var, contribution: Operand | None, emit: list, loc,
                   fresh: list = ()) -> None:
        """Add `contribution` to var's cotangent; `fresh` lists the statements that computed it,
        whose result then takes the cotangent's name."""
        if contribution is None:
            return
        prev = ct.get(var)
        if prev is None:
            if isinstance(contribution, Var) and contribution.temporary \
                    and any(contribution in s.outs for s in fresh):
                contribution.hint, contribution.of = None, var  # computed here: it is var's cotangent
            ct[var] = contribution
            self.know(contribution, var)
            return
        total = derivative(var)
        add = operator.add if kinds_mod.numeric(self.kinds.get(var)) else runtime.add_cotangents
        emit.append(Call([total], add, [prev, contribution], {}, loc, None, GRAD))
        ct[var] = total
        self.know(total, var)

    def know(self, ct_var, primal) -> None:
        """A cotangent has its primal's kind (rules promise the argument's shape)."""
        if isinstance(ct_var, Var) and isinstance(primal, Var):
            k = self.kinds.get(primal)
            if k is not None and ct_var not in self.kinds:
                self.kinds[ct_var] = k
                self.facts[ct_var] = k

    def zero(self, var: Var, emit: list, loc) -> Operand:
        if kinds_mod.of(var, self.kinds) == kinds_mod.SCALAR:
            return Const(0.0)
        z = derivative(var)
        emit.append(Call([z], runtime.zeros_like_input, [var], {}, loc, None, GRAD))
        return z

    # ---- statements ---------------------------------------------------------------------------
    def region(self, region: Region, ct: dict, emit: list) -> None:
        for stmt in reversed(region.body):
            if isinstance(stmt, Call):
                self.call(stmt, ct, emit)
            elif isinstance(stmt, If):
                self.if_(stmt, ct, emit)
            elif isinstance(stmt, (While, For)):
                self.loop(stmt, ct, emit)
            else:
                raise InternalError(f"unknown statement {stmt!r}")

    def call(self, stmt: Call, ct: dict, emit: list) -> None:
        if isinstance(stmt.op, Push):  # the value's cotangent comes back from the pop's
            v = stmt.args[1]
            if isinstance(v, Var) and v in self.active:
                g = derivative(v)
                slot = stmt.op.slot.derived(ADJOINT)
                emit.append(Call([g], Pop(slot), [self.cotangent_tape(slot.tape)[1]], {}, None, None, GRAD))
                self.accumulate(ct, v, g, emit, stmt.loc, emit[-1:])
            return
        if isinstance(stmt.op, Pop):  # a popped value's cotangent goes back to where it was pushed
            w = stmt.outs[0]
            if w in self.active:
                g = ct.get(w)
                if g is None:
                    g = self.zero(w, emit, stmt.loc)
                slot = stmt.op.slot.derived(ADJOINT)
                emit.append(Call([], Push(slot), [self.cotangent_tape(slot.tape)[0], g], {}, None, None, GRAD))
            return
        if not stmt.outs:
            return
        out = stmt.outs[0]
        g = ct.get(out)
        if g is None:
            return
        args, kwargs = stmt.args, stmt.kwargs
        if not any(isinstance(a, Var) and a in self.active for a in (*args, *kwargs.values())):
            return
        op = stmt.op
        loc = stmt.loc
        if op is make_tuple or op is make_list:
            for i, a in enumerate(args):
                if isinstance(a, Var) and a in self.active:
                    item = Var()
                    emit.append(Call([item], operator.getitem, [g, Const(i)], {}, loc, None, GRAD))
                    self.accumulate(ct, a, item, emit, loc, emit[-1:])
            return
        if op in _IDENTITY_OPS:
            self.accumulate(ct, args[0], g, emit, loc)
            return
        key = rule_key(op)
        rule = registry.lookup_adjoint(key)
        if rule is None:
            if registry.is_nondifferentiable(key):
                return
            raise UnsupportedCallError(
                f"sourcead has no derivative rule for {_describe(stmt)}, and it is called here with a "
                "value that depends on the differentiated inputs", loc,
                f"register one: @sourcead.adjoint({_describe(stmt)})\n"
                f"def rule(ct, ans, *args): return <cotangent of each differentiable argument>")
        bound = templates.bind(rule, g, out, args, kwargs, loc)
        for index, name in enumerate(rule.diff_params):
            arg = bound.get(name)
            if isinstance(arg, Var) and arg in self.active:
                start = len(emit)
                contribution = templates.instantiate(rule, self.rule_ir(rule), bound, index, emit, loc, GRAD)
                self.accumulate(ct, arg, contribution, emit, loc, emit[start:])
        for name in list(rule.signature.parameters)[2:]:
            value = bound.get(name)
            if name in rule.diff_params or value is None:
                continue
            values = value if isinstance(value, tuple) else (value,) if not isinstance(value, dict) else ()
            if any(isinstance(v, Var) and v in self.active for v in values):
                raise NonDifferentiableError(
                    f"the argument {name!r} of {_describe(stmt)} depends on the differentiated inputs, but "
                    f"the rule {rule.name} treats it as a constant", loc,
                    "make it independent of the inputs, or register a rule that differentiates it")

    def tape_flow(self, stmts) -> bool:
        """Whether statements push or pop varied values: their cotangents travel through a tape,
        so the reverse sweep must visit them even when no result of theirs has a cotangent."""
        return any(isinstance(st, Call) and (
            isinstance(st.op, Push) and isinstance(st.args[1], Var) and st.args[1] in self.active
            or isinstance(st.op, Pop) and st.outs[0] in self.active) for st in walk(stmts))

    def if_(self, stmt: If, ct: dict, emit: list) -> None:
        if not any(ct.get(o) is not None for o in stmt.outs) and not self.tape_flow([stmt]):
            return
        loc = stmt.loc
        branches = []
        for region in (stmt.then, stmt.orelse):
            local = dict(ct)
            body: list = []
            for out, y in zip(stmt.outs, region.yields, strict=True):
                g = ct.get(out)
                if g is not None and isinstance(y, Var) and y in self.active:
                    self.accumulate(local, y, g, body, loc)
            self.region(region, local, body)
            branches.append((region, local, body))
        inside = defined_in(stmt.then) | defined_in(stmt.orelse)
        changed = []
        for var in list(dict.fromkeys([*branches[0][1], *branches[1][1]])):
            if var in inside or var in stmt.outs:
                continue
            if any(local.get(var) is not ct.get(var) for _, local, _ in branches):
                changed.append(var)
        outs = [derivative(v) for v in changed]
        regions = []
        for region, local, body in branches:
            yields = []
            for v in changed:
                g = local.get(v)
                if g is None:
                    g = self.zero(v, body, loc)
                yields.append(g)
            adj = Region([], body, yields)
            self.escape(stmt, region, adj)
            regions.append(adj)
        emit.append(If(outs, stmt.cond, regions[0], regions[1], loc, GRAD))
        for v, o in zip(changed, outs, strict=True):
            ct[v] = o

    def loop(self, stmt, ct: dict, emit: list) -> None:
        """A loop's adjoint is a loop over the same indices backwards (a `for`) or over the recorded
        trip count (a `while`). It carries the cotangents of the loop-carried values and of the
        outer values the body reads; per iteration the forward loop pushes exactly the values of
        its body that the adjoint body reads, and the adjoint pops them."""
        loc = stmt.loc
        is_for = isinstance(stmt, For)
        body = stmt.body
        offset = 1 if is_for else 0
        params = body.params[offset:]
        read = used_in(body)
        # A carried value needs a cotangent if its result has one, or if the body reads it (then
        # cotangent flows from one iteration to the one before).
        carried = [i for i, o in enumerate(stmt.outs)
                   if params[i] in self.active and (ct.get(o) is not None or params[i] in read)]
        if not self.tape_flow(body.body) and not any(ct.get(stmt.outs[i]) is not None for i in carried):
            return
        inside = defined_in(body)
        outer = [v for v in _ordered_uses(body) if v in self.active and v not in inside]
        # The adjoint body: cotangents of this iteration's results in, of its parameters out.
        d_next = {i: derivative(params[i]) for i in carried}
        accs = {v: derivative(v) for v in outer}
        for i in carried:
            self.know(d_next[i], params[i])
        for v in outer:
            self.know(accs[v], v)
        local: dict = dict(accs)
        adj: list = []
        for i in carried:
            y = body.yields[i]
            if isinstance(y, Var) and y in self.active:
                self.accumulate(local, y, d_next[i], adj, loc)
        self.region(body, local, adj)
        adj_region = Region([], adj, [])
        changed = [v for v in outer if local.get(v) is not accs[v]]
        d_params = [d_next[i] for i in carried] + [accs[v] for v in changed]
        inits = []
        for i in carried:
            g = ct.get(stmt.outs[i])
            inits.append(g if g is not None else self.zero(stmt.outs[i], emit, loc))
        for v in changed:
            g = ct.get(v)
            inits.append(g if g is not None else self.zero(v, emit, loc))
        results = []
        for i in carried:
            g = local.get(params[i])
            results.append(g if g is not None else self.zero(params[i], adj_region.body, loc))
        results += [local[v] for v in changed]
        adj_region.yields = results
        # Tidy the adjoint body before deciding what it needs from the forward loop.
        from ..passes import dce, simplify

        kinds_mod._region(adj_region, self.kinds)
        simplify._Simplifier(self.kinds).region(adj_region)
        dce.prune_region(adj_region)
        index = body.params[0] if is_for else None
        inside = defined_in(body)  # again: the adjoint may have made an `if` yield more values
        position = {p: -1 for p in body.params}
        for k, st in enumerate(body.body):
            for o in st.outs:
                position[o] = k
        needed = [v for v in _ordered_uses(adj_region) if v in inside and v is not index]
        needed.sort(key=lambda v: position.get(v, -2))  # stable: ties keep first-use order
        if any(v not in position for v in needed):
            raise InternalError("a loop's adjoint reads a value nested in its body's regions")
        # Forward loop: push each value the adjoint reads right after it is computed.
        tape = self.tape(loc)
        slots = {v: Slot(self.own_tape) for v in needed}
        # The adjoint pops these before its inner loops pop theirs: so each is pushed after its
        # definition and after every statement that pushes onto this tape itself (inner loops).
        last = max((k for k, st in enumerate(body.body) if self.pushes(st)), default=-1)
        at = {v: max(position[v], last) for v in needed}
        new_body = [Call([], Push(slots[v]), [tape[0], v], {}, None) for v in needed if at[v] < 0]
        for k, st in enumerate(body.body):
            new_body.append(st)
            new_body.extend(Call([], Push(slots[v]), [tape[0], v], {}, None) for v in needed if at[v] == k)
        body.body[:] = new_body
        if is_for:
            source = stmt.iterable
            made = self.defs.get(source)
            if made is not None and made.op is reversed and not made.kwargs:
                # a loop over reversed(r) (generated code, differentiated again) runs back over r
                iterable = made.args[0]
            else:
                if made is not None and made.op is range and not made.kwargs:  # reversed(range(n)), anew
                    source = Var()
                    emit.append(Call([source], range, list(made.args), {}, loc, made.ref, GRAD))
                iterable = Var()
                emit.append(Call([iterable], reversed, [source], {}, loc, Const(reversed, "reversed"), GRAD))
            item = like(index) if index in used_in(adj_region) else Var("_")
            if item.hint != "_":
                substitute(adj_region, {index: item})
        else:
            count = self.count_iterations(stmt)
            iterable = Var()
            emit.append(Call([iterable], range, [count], {}, loc, Const(range, "range"), GRAD))
            item = Var("_")
        pops = []
        mapping = {}
        for v in reversed(needed):
            w = like(v)
            pops.append(Call([w], Pop(slots[v]), [tape[1]], {}, None, None, GRAD))
            mapping[v] = w
            if self.kinds.get(v) is not None:  # a popped value has the kind of the value pushed
                self.facts[w] = self.kinds[w] = self.kinds[v]
        substitute(adj_region, mapping)
        adj_region.body[:0] = pops
        adj_region.params = [item, *d_params]
        outs = [derivative(params[i]) for i in carried] + [derivative(v) for v in changed]
        emit.append(For(outs, iterable, inits, adj_region, loc, GRAD))
        for v, o in zip(changed, outs[len(carried):], strict=True):
            ct[v] = o
            self.know(o, v)
        for i, o in zip(carried, outs[:len(carried)], strict=True):
            self.know(o, params[i])
            self.accumulate_init(ct, stmt.inits[i], o, emit, loc)

    def pushes(self, stmt) -> bool:
        """Whether `stmt` (or a region inside it) pushes onto this transform's own tape."""
        return any(isinstance(st, Call) and isinstance(st.op, Push) and st.op.slot.tape is self.own_tape
                   for st in walk([stmt]))

    def accumulate_init(self, ct, init, g, emit, loc) -> None:
        if isinstance(init, Var) and init in self.active:
            self.accumulate(ct, init, g, emit, loc)

    def tape(self, loc):
        """The function's tape: ``stack = []; push, pop = stack.append, stack.pop`` (made once)."""
        if self._tape is None:
            from ..ir.core import Attr

            stack, push, pop = Var("stack"), Var("push"), Var("pop")
            self.prologue.extend([
                Call([stack], list, [], {}, None, Const(list, "list")),
                Call([push], Attr("append"), [stack], {}, None),
                Call([pop], Attr("pop"), [stack], {}, None),
            ])
            self._tape = (push, pop)
        return self._tape

    def cotangent_tape(self, tape: Tape):
        """The tape for the cotangents of values that went through one of the primal's tapes
        (generated code differentiated again): one per primal tape, made once."""
        made = self._ctapes.get(tape)
        if made is None:
            from ..ir.core import Attr

            stack, push, pop = Var("cstack"), Var("cpush"), Var("cpop")
            self.prologue.extend([
                Call([stack], list, [], {}, None, Const(list, "list")),
                Call([push], Attr("append"), [stack], {}, None),
                Call([pop], Attr("pop"), [stack], {}, None),
            ])
            made = self._ctapes[tape] = (push, pop)
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

    def escape(self, stmt: If, primal: Region, adjoint: Region) -> None:
        """Values the adjoint branch reads from its primal branch leave the primal If as outputs."""
        inside = defined_in(primal)
        needed = [v for v in _ordered_uses(adjoint) if v in inside]
        if not needed:
            return
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
        substitute(adjoint, mapping)


def _ordered_uses(region: Region) -> list[Var]:
    """The Vars `region` reads, in order of first reading, each once."""
    from ..ir.core import operands, regions

    seen: dict = {}

    def visit(r: Region):
        for stmt in r.body:
            for x in operands(stmt):
                if isinstance(x, Var):
                    seen.setdefault(x, None)
            for sub in regions(stmt):
                visit(sub)
        for y in r.yields:
            if isinstance(y, Var):
                seen.setdefault(y, None)

    visit(region)
    return list(seen)


def _definition_order(region: Region, v: Var) -> int:
    for i, stmt in enumerate(region.body):
        if v in stmt.outs:
            return i
    return -1


def _describe(stmt: Call) -> str:
    if stmt.ref is not None and stmt.ref.spelling:
        return stmt.ref.spelling
    from ..ir.printer import op_name

    return op_name(stmt.op)


def reverse(fn: Function, wrt: list[int], arg_kinds: dict | None = None, global_kinds: dict | None = None, *,
            seed: str = "ones", with_value: bool = False, rule_ir) -> Function:
    """Build the gradient function of `fn` with respect to the parameters at positions `wrt`.

    seed="ones": the output's cotangent is 1 (or ones of its shape): the gradient of the sum of the
    outputs. seed="param": the function takes one extra parameter per output, its cotangent (vjp).
    """
    mapping: dict = {}
    params = [Param(_fresh(p.var, mapping), p.default, p.keyword_only) for p in fn.params]
    body = clone_region(fn.body, mapping)
    primal = Function(fn.name, params, body, fn.returns_tuple, fn.loc, fn.lines, fn.filename)
    primal.facts = {mapping.get(v, v): k for v, k in fn.facts.items()}
    kinds = kinds_mod.infer(primal, {params[i].var: k for i, k in (arg_kinds or {}).items()}, global_kinds)
    rev = Reverse(primal, wrt, kinds, rule_ir)
    params_set = {p.var for p in params}
    ct: dict = {}
    emit: list = []
    seeds = []
    loc = fn.loc
    for i, y in enumerate(body.yields):
        if isinstance(y, Const) and (y.value is None or isinstance(y.value, (str, bytes))) and not y.spelling:
            raise NonDifferentiableError(
                f"{fn.name} returns {y.value!r} on some path, which has no gradient", fn.loc,
                "end every path with a return of the value to differentiate")
        if seed == "param":
            s = derivative(y)
            seeds.append(s)
        elif kinds_mod.of(y, kinds) == kinds_mod.SCALAR:
            s = Const(1.0)
        else:
            s = derivative(y)
            k = kinds_mod.of(y, kinds)
            # ones of the result's shape: read it from a parameter of the same shape, if one is known
            like = k[1] if isinstance(k, tuple) and isinstance(k[1], Var) and k[1] in params_set else y
            emit.append(Call([s], runtime.ones_like_output, [like], {}, None, None, GRAD))
            rev.know(s, y)
        if isinstance(y, Var) and y in rev.active:
            rev.accumulate(ct, y, s, emit, loc)
    rev.region(body, ct, emit)
    results = []
    for i in wrt:
        v = params[i].var
        g = ct.get(v)
        if g is None:
            g = rev.zero(v, emit, loc)
        results.append(g)
    if seed == "ones" and len(body.yields) == 1 and isinstance(s, Var):
        results = _uniform_seed(rev, emit, s, kinds_mod.of(body.yields[0], kinds), [params[i].var for i in wrt],
                                results)
    out_params = list(params) + [Param(s) for s in seeds]
    values = list(body.yields) if with_value else []
    new_body = Region([], rev.prologue + body.body + emit, values + results)
    out = Function(fn.name, out_params, new_body, True, fn.loc, fn.lines, fn.filename)
    out.facts = rev.facts
    return out


_ELEMENTWISE = {operator.add, operator.sub, operator.mul, operator.truediv, operator.neg, operator.pos,
                runtime.add_cotangents}


def _uniform_seed(rev: Reverse, emit: list, seed: Var, kind, wrt_vars: list, results: list) -> list:
    """The gradient of the sum of an array result starts from ones of its shape. Where every
    operation the cotangent then flows through is elementwise, among numbers and arrays of that very
    shape, a plain 1.0 broadcasts to the same values: the reverse sweep then computes on numbers
    (a person's `db = db * 2`, not a loop over an array), and the results are broadcast to their
    parameters' shape once, at the end. This checks that condition on the adjoint statements; where
    it does not hold, the seed stays an array."""
    if not (isinstance(kind, tuple) and kind[1] is not None):
        return results
    token = kind
    uniform = {seed}  # values that may be a number standing for a uniform array of that shape
    elided: dict = {}

    def fine(x) -> bool:  # an operand that broadcasts like a number or an array of that shape
        k = kinds_mod.of(x, rev.kinds)
        return x in uniform or k == kinds_mod.SCALAR or k == token

    def region(stmts) -> bool:
        for st in stmts:
            if isinstance(st, Call):
                touched = [a for a in (*st.args, *st.kwargs.values()) if isinstance(a, Var) and a in uniform]
                if not touched:
                    continue
                if st.op is runtime.unbroadcast and st.args[0] in uniform and st.args[1] not in uniform \
                        and kinds_mod.of(st.args[1], rev.kinds) == token:
                    uniform.add(st.outs[0])
                    elided[st.outs[0]] = st.args[0]
                    continue
                elementwise = st.op in _ELEMENTWISE or isinstance(st.op, np.ufunc)
                if not elementwise or st.kwargs or not st.outs or not all(fine(a) for a in st.args):
                    return False
                if all(a in uniform or kinds_mod.of(a, rev.kinds) == kinds_mod.SCALAR for a in st.args):
                    uniform.add(st.outs[0])
            elif isinstance(st, If):
                for _ in range(2):
                    if not region(st.then.body) or not region(st.orelse.body):
                        return False
                    for out, a, b in zip(st.outs, st.then.yields, st.orelse.yields, strict=True):
                        if a in uniform or b in uniform:
                            uniform.add(out)
            else:
                offset = 1 if isinstance(st, For) else 0
                for _ in range(3):  # carried values: to a fixed point
                    for i, init in enumerate(st.inits):
                        if init in uniform or st.body.yields[i] in uniform:
                            uniform.add(st.body.params[i + offset])
                            uniform.add(st.outs[i])
                    if isinstance(st, While) and not region(st.cond.body) or not region(st.body.body):
                        return False
        return True

    if not region(emit):
        return results
    for v, g in zip(wrt_vars, results, strict=True):
        if g in uniform and kinds_mod.of(v, rev.kinds) != token:
            return results  # a number standing for an array cannot be summed down to a number here
    # Rewrite: the seed is 1.0, the elided unbroadcasts go, and the results take their shapes.
    emit[:] = [st for st in emit if not (isinstance(st, Call) and seed in st.outs)]
    mapping = {seed: Const(1.0), **elided}
    for out in list(mapping):
        g = mapping[out]
        while isinstance(g, Var) and g in mapping:
            g = mapping[g]
        mapping[out] = g
    region_all = Region([], emit, list(results))
    substitute(region_all, mapping)
    for v in uniform:
        rev.facts.pop(v, None)
        rev.kinds.pop(v, None)
    final = []
    made = {o: st for st in emit if isinstance(st, Call) for o in st.outs}
    for v, g in zip(wrt_vars, region_all.yields, strict=True):
        if isinstance(g, Var) and g in uniform or isinstance(g, Const):
            shaped = derivative(v)
            loc = made[g].loc if g in made else None  # grouped with the line that computed it
            emit.append(Call([shaped], runtime.broadcast_like, [g, v], {}, loc, None, GRAD))
            g = shaped
        final.append(g)
    return final


def _fresh(v: Var, mapping: dict) -> Var:
    new = like(v)
    mapping[v] = new
    return new
