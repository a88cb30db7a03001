"""Derivative rules for lists and tuples combined with + and *.

The compiler writes ``a + b`` and ``s * n`` of values it knows to be lists or tuples as
`runtime.concat` and `runtime.repeat_seq` (printed back as + and *): a concatenation's cotangent
is split between its parts, a repetition's summed over its copies -- never the arithmetic rules'
sums and products. Cotangents and tangents of sequences are lists.
"""

from __future__ import annotations

from .. import runtime
from ..runtime import concat_parts, repeat_parts, unrepeat_seq, zeros_like_input
from .registry import adjoint, tangent


@adjoint(runtime.concat, runtime.concat_parts)
def concat_adjoint(ct, ans, a, b):
    return ct[:len(a)], ct[len(a):]


@tangent(runtime.concat, runtime.concat_parts)
def concat_tangent(t, ans, a, b):
    return concat_parts(t, zeros_like_input(b)), concat_parts(zeros_like_input(a), t)


@adjoint(runtime.repeat_seq)
def repeat_seq_adjoint(ct, ans, seq, n):
    return unrepeat_seq(ct, seq, n), None


@tangent(runtime.repeat_seq)
def repeat_seq_tangent(t, ans, seq, n):
    return repeat_parts(t, n), None


@adjoint(runtime.repeat_parts)
def repeat_parts_adjoint(ct, ans, a, n):
    return unrepeat_seq(ct, a, n), None


@tangent(runtime.repeat_parts)
def repeat_parts_tangent(t, ans, a, n):
    return repeat_parts(t, n), None


@adjoint(runtime.unrepeat_seq)
def unrepeat_seq_adjoint(ct, ans, g, seq, n):
    return repeat_parts(ct, n), None, None


@tangent(runtime.unrepeat_seq)
def unrepeat_seq_tangent(t, ans, g, seq, n):
    return unrepeat_seq(t, seq, n), None, None
