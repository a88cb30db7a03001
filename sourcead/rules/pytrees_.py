"""Derivative rules for reading a dataclass instance's fields.

The compiler writes ``p.W`` of a dataclass argument as `runtime.field(p, "W")`; inside generated
code a dataclass's cotangent (or tangent) is a dict of its fields, which `field` reads too, so
the rules hold at every order. (A dict's items are read with the indexing rule, whose
`runtime.unindex` makes the dict cotangent.)
"""

from __future__ import annotations

from .. import runtime
from ..runtime import field, unfield
from .registry import adjoint, nondifferentiable, tangent


@adjoint(runtime.field)
def field_adjoint(ct, ans, x, name):
    return unfield(ct, x, name), None


@tangent(runtime.field)
def field_tangent(t, ans, x, name):
    return field(t, name), None


@adjoint(runtime.unfield)
def unfield_adjoint(ct, ans, g, x, name):
    return field(ct, name), None, None


@tangent(runtime.unfield)
def unfield_tangent(t, ans, g, x, name):
    return unfield(t, x, name), None, None


nondifferentiable(runtime.is_record, runtime.items_of)
