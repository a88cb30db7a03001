"""derivative calls: a sourcead gradient called inside the function being differentiated, on
values that vary, replaced by the gradient's own program.

``def helper(x): return sourcead.grad(f)(x) * 2`` lowers to a call of the gradient object. Before
the transform runs, each such call whose arguments are not all constants is replaced by the
generated program of that gradient -- the IR `derive` produced for f, specialised for the kinds
the call's arguments have here -- with its parameters bound to the arguments: ordinary IR that
the transform differentiates again (``grad(grad(f))`` works the same way). A call on constants
only stays a call (the gradient object runs; its result is a constant of the derivative).

Output guarantees: no call of a gradient object with a varying argument is left; what replaces
it computes what the call computed (the gradient of the sum of f's result, one value per `wrt`
position, a tuple for several). Calls it cannot replace (a `value_and_grad`, `has_aux`, a
signature that does not bind) are left for the transform, which refuses them (they have no rule).
"""

from __future__ import annotations

import inspect

from ..ir.builder import clone_function, clone_region, substitute
from ..ir.core import Call, Const, Function, Pop, Push, Region, Slot, Tape, Var, make_tuple, regions, walk
from .kinds import Array, kind_of_value


def run(fn: Function, kinds: dict, derivative_ir) -> Function:
    """`fn` with gradient calls on varying values inlined (a copy; `fn` itself is left as it
    was). `derivative_ir(gradient, arg_kinds)` is the IR of that gradient for those kinds."""
    if not needed(fn):
        return fn
    mapping: dict = {}
    fn = clone_function(fn, mapping)
    kinds = {mapping.get(v, v): k for v, k in kinds.items()}
    replaced: dict = {}
    _region(fn.body, kinds, derivative_ir, replaced, fn.facts)
    substitute(fn.body, replaced)
    return fn


def needed(fn: Function) -> bool:
    """Whether `fn` calls a gradient on a varying value."""
    return any(_replaceable(s) for s in walk(fn.body.body))


def _replaceable(stmt) -> bool:
    if not isinstance(stmt, Call) or not _is_gradient(stmt.op):
        return False
    return any(isinstance(a, Var) for a in [*stmt.args, *stmt.kwargs.values()])


def _is_gradient(op) -> bool:
    """A sourcead Derivative whose last step is a plain grad (read by its attributes: the passes do
    not import the API)."""
    chain = getattr(op, "chain", None)
    return bool(chain) and hasattr(op, "f") and getattr(op, "has_aux", True) is False and \
        getattr(op, "mode", None) == "grad" and chain[-1][0] == "grad"


def _region(region: Region, kinds: dict, derivative_ir, replaced: dict, facts: dict) -> None:
    body = []
    for stmt in region.body:
        for r in regions(stmt):
            _region(r, kinds, derivative_ir, replaced, facts)
        if _replaceable(stmt):
            inlined = _inline(stmt, kinds, derivative_ir, facts)
            if inlined is not None:
                stmts, result = inlined
                body.extend(stmts)
                replaced[stmt.outs[0]] = result
                continue
        body.append(stmt)
    region.body = body


def _inline(stmt: Call, kinds: dict, derivative_ir, facts: dict):
    gradient = stmt.op
    try:
        bound = inspect.signature(gradient.f, follow_wrapped=False).bind(*stmt.args, **stmt.kwargs)
    except TypeError:
        return None
    bound.apply_defaults()
    values = [bound.arguments[name] for name in inspect.signature(gradient.f, follow_wrapped=False).parameters]
    values = [v if isinstance(v, (Var, Const)) else Const(v) for v in values]
    ir = derivative_ir(gradient, tuple(_key_kind(v, kinds) for v in values))
    if len(ir.params) != len(values):
        return None
    mapping = {p.var: v for p, v in zip(ir.params, values, strict=True)}
    body = clone_region(ir.body, mapping)
    _fresh_tapes(body, {})  # two calls of one gradient: each copy pairs its own pushes and pops
    facts.update({mapping[v]: k for v, k in ir.facts.items() if v in mapping})  # what the transform established
    if ir.returns_tuple:
        out = Var()
        return body.body + [Call([out], make_tuple, list(body.yields), {}, stmt.loc)], out
    return body.body, body.yields[0]


def _fresh_tapes(region: Region, renamed: dict) -> None:
    """Give the tape operations of a copied region slots (and tapes) of their own."""
    for stmt in region.body:
        if isinstance(stmt, Call) and isinstance(stmt.op, (Push, Pop)):
            old = stmt.op.slot
            if old not in renamed:
                tape = renamed.setdefault(old.tape, Tape())
                renamed[old] = Slot(tape)
            stmt.op = type(stmt.op)(renamed[old])
        for r in regions(stmt):
            _fresh_tapes(r, renamed)


def _key_kind(x, kinds: dict):
    """The kind a gradient is specialised on for this argument (a shape class is not part of it)."""
    if isinstance(x, Const):
        return kind_of_value(x.value)
    k = kinds.get(x)
    if isinstance(k, Array):
        return Array(None, k.ndim)
    return k
