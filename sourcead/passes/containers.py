"""containers: ``+`` and ``*`` on lists and tuples are concatenation and repetition, not arithmetic.

Output guarantees: every ``a + b`` whose operands are both known (by their kinds) to be lists or
tuples is `runtime.concat(a, b)`, and every ``s * n`` (or ``n * s``) of a sequence and a number is
`runtime.repeat_seq(s, n)`: the transforms then use their rules, which split a cotangent between
the parts or sum it over the copies. The back end prints both as + and * again. Where an operand's
kind is not known, the arithmetic rules stay, and their run-time helpers refuse a list or tuple
(`runtime.unbroadcast`, `runtime.add_cotangents`), so a wrong derivative is never computed.

    hs_1 = add(hs, t)        ->   hs_1 = concat(hs, t)          (hs, t: lists)
    t_1 = mul(2, t)          ->   t_1 = repeat_seq(t, 2)        (t: a tuple)
"""

from __future__ import annotations

import operator

from .. import runtime
from ..errors import UnsupportedSyntaxError
from ..ir.builder import clone_function
from ..ir.core import Call, Function, walk
from . import kinds as kinds_mod


def run(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """A copy of `fn` with sequence + and * made explicit, and its kinds."""
    if not any(_rewrite(st, kinds) for st in walk(fn.body.body) if isinstance(st, Call)):
        return fn, kinds
    mapping: dict = {}
    copy = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    for st in walk(copy.body.body):
        if isinstance(st, Call):
            new = _rewrite(st, kinds)
            if new is not None:
                st.op, st.args = new
    return copy, kinds


def _rewrite(st: Call, kinds: dict):
    """(op, args) for a sequence + or *, else None; refused where a sequence meets a value whose
    kind is not known (Python would concatenate a list, NumPy would add an array)."""
    if st.kwargs or len(st.args) != 2 or st.op not in (operator.add, operator.mul):
        return None
    ks = [kinds_mod.of(a, kinds) for a in st.args]
    seqs = [isinstance(k, kinds_mod.Seq) for k in ks]
    if any(seqs) and None in ks:
        raise UnsupportedSyntaxError(
            f"{'+' if st.op is operator.add else '*'} of a list or tuple and a value sourcead cannot tell "
            "is a list, a tuple, a number or an array", st.loc,
            "make both sides visibly lists (list(...)) to join them, or arrays (np.asarray(...)) to add them")
    if st.op is operator.add and all(seqs):
        return runtime.concat, list(st.args)
    if st.op is operator.mul and any(seqs) and any(isinstance(k, kinds_mod.Scalar) for k in ks):
        seq, n = st.args if seqs[0] else st.args[::-1]
        return runtime.repeat_seq, [seq, n]
    return None
