"""split: a vjp in two functions, the forward sweep and the pullback, so that the primal runs once.

`vjp(f, *x)` returns f's value and a pullback that may be called many times (once per row of a
Jacobian). From the vjp IR that returns ``(*values, *cotangents)`` this pass makes:

- **forward**: the primal part (the function's parameters; every statement before the first
  that reads an output cotangent), returning ``(*values, *residuals)``: the values the reverse sweep reads;
- **backward**: the reverse sweep, taking ``(*residuals, *output cotangents)`` and returning the
  cotangents. It pops a copy of the forward sweep's tape (``list(stack)``), so each call of the
  pullback starts from the same tape.

Output guarantee: forward then backward compute what the vjp IR computes. Returns None where the
IR does not split cleanly (a statement of the primal, such as a print, after the reverse sweep
began), and the caller keeps the single function.
"""

from __future__ import annotations

from .. import runtime
from ..ir.builder import clone_function, defined_in, ordered_uses, substitute
from ..ir.core import Attr, Call, Const, Function, Param, Region, Var, like, walk
from . import dce


def run(fn: Function, n_values: int, n_seeds: int) -> tuple[Function, Function] | None:
    """(forward, backward) of the vjp function `fn` (results: `n_values` values, then the
    cotangents; its last `n_seeds` parameters are the output cotangents), or None. `fn` is not
    changed (the parts are made from a copy)."""
    fn = clone_function(fn)
    seeds = [p.var for p in fn.params[len(fn.params) - n_seeds:]]
    body = fn.body.body
    start = next((k for k, st in enumerate(body) if _reads(st, set(seeds))), len(body))
    forward_part, moved = _stays(body[:start], fn.body.yields[:n_values])
    backward_part = moved + body[start:]
    if any(not st.tag and dce.is_effect(getattr(st, "op", None)) for st in walk(backward_part)):
        return None  # an effect of the primal's after the sweep began: keep one function
    if any(isinstance(st, Call) and st.op in (runtime.enter_context, runtime.exit_context) for st in walk(body)):
        return None  # a with block (np.errstate) may span both sweeps
    values = fn.body.yields[:n_values]
    cotangents = fn.body.yields[n_values:]
    back = Region([], list(backward_part), list(cotangents))
    inputs = {p.var for p in fn.params[:len(fn.params) - n_seeds]}
    defined = {o for st in forward_part for o in st.outs} | defined_in(Region([], forward_part, []))
    if any(isinstance(v, Var) and v not in defined and v not in inputs for v in values):
        return None  # a value computed after the reverse sweep began
    residuals = [v for v in ordered_uses(back) if v in defined or v in inputs]
    copies = _tape_copies(forward_part, residuals)
    if copies:
        back.body[:0] = [st for stmts, _ in copies.values() for st in stmts]
        substitute(back, {pop: new for pop, (_, new) in copies.items()})
        residuals = [v for v in ordered_uses(back) if v in defined or v in inputs]
    forward = Function(fn.name, list(fn.params[:len(fn.params) - n_seeds]),
                       Region([], list(forward_part), [*values, *residuals]), True, fn.loc, fn.lines, fn.filename)
    backward = Function(fn.name + "_backward", [Param(v) for v in residuals] + [Param(s) for s in seeds],
                        back, True, fn.loc, fn.lines, fn.filename)
    return forward, backward


def _stays(stmts: list, values: list) -> tuple[list, list]:
    """(statements the forward sweep keeps, those that move to the pullback): a pure statement of
    the reverse sweep's that nothing in the forward sweep reads moves, so that what it makes -- an
    iterator such as ``reversed(range(n))``, which a first pullback would use up -- is made anew
    by each call of the pullback."""
    needed = {v for v in values if isinstance(v, Var)}
    stay, move = [], []
    for st in reversed(stmts):
        pure = isinstance(st, Call) and st.tag == "grad" and not dce.is_effect(st.op)
        if pure and not any(o in needed for o in st.outs):
            move.append(st)
            continue
        stay.append(st)
        needed.update(ordered_uses(Region([], [st], [])))
    return stay[::-1], move[::-1]


def _reads(stmt, values: set) -> bool:
    return any(v in values for v in ordered_uses(Region([], [stmt], [])))


def _tape_copies(forward_part: list, residuals: list) -> dict:
    """pop -> ([``stack_1 = list(stack)``, ``pop_1 = stack_1.pop``], pop_1) for each tape the forward
    part made and the backward part pops (its pushes happened in the forward part)."""
    made = {st.outs[0]: st for st in forward_part if isinstance(st, Call) and st.outs}
    pushers = {st.args[0]: st.outs[0] for st in forward_part
               if isinstance(st, Call) and st.outs and st.op == Attr("append") and st.args}
    out = {}
    for v in residuals:
        st = made.get(v)
        if st is None or st.op != Attr("pop") or not st.args:
            continue
        stack = st.args[0]
        if not (isinstance(stack, Var) and stack in made and made[stack].op is list and not made[stack].args):
            continue
        if pushers.get(stack) in residuals:
            continue  # the pullback pushes onto it too (a cotangent tape): it empties it again itself
        copy, pop = like(stack), like(v)
        copying = Call([copy], list, [stack], {}, None, Const(list, "list"), "grad")
        popping = Call([pop], Attr("pop"), [copy], {}, None, None, "grad")
        out[v] = ([copying, popping], pop)
    return out
