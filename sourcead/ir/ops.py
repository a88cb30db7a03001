"""The operations Python's syntax denotes, one table each way.

The lowering reads ``a + b`` as ``operator.add(a, b)`` through these tables; the back end turns
them around to print ``operator.add(a, b)`` as ``a + b``. ``in`` and ``not in`` have no function in
`operator` that takes the operands in source order, so they get their own.
"""

from __future__ import annotations

import operator

import gast


def in_(x, container):
    return x in container


def not_in(x, container):
    return x not in container


BINOPS = {
    gast.Add: operator.add, gast.Sub: operator.sub, gast.Mult: operator.mul, gast.Div: operator.truediv,
    gast.FloorDiv: operator.floordiv, gast.Mod: operator.mod, gast.Pow: operator.pow,
    gast.MatMult: operator.matmul, gast.BitAnd: operator.and_, gast.BitOr: operator.or_,
    gast.BitXor: operator.xor, gast.LShift: operator.lshift, gast.RShift: operator.rshift,
}
UNARYOPS = {gast.USub: operator.neg, gast.UAdd: operator.pos, gast.Not: operator.not_, gast.Invert: operator.invert}
CMPOPS = {
    gast.Lt: operator.lt, gast.LtE: operator.le, gast.Gt: operator.gt, gast.GtE: operator.ge,
    gast.Eq: operator.eq, gast.NotEq: operator.ne, gast.Is: operator.is_, gast.IsNot: operator.is_not,
    gast.In: in_, gast.NotIn: not_in,
}

# operation -> the syntax node that prints it
BINARY_SYNTAX = {op: node for node, op in BINOPS.items()}
UNARY_SYNTAX = {op: node for node, op in UNARYOPS.items()}
COMPARE_SYNTAX = {op: node for node, op in CMPOPS.items()}
