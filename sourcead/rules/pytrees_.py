"""Derivative rules for reading a dataclass instance's fields, for building a namedtuple or
dataclass instance, and for the steps of a dict comprehension.

The compiler writes ``p.W`` of a dataclass argument as `runtime.field(p, "W")`; inside generated
code a dataclass's cotangent (or tangent) is a dict of its fields, which `field` reads too, so
the rules hold at every order. (A dict's items are read with the indexing rule, whose
`runtime.unindex` makes the dict cotangent.)
"""

from __future__ import annotations

from .. import runtime
from ..runtime import dict_with, dict_without, field, fields_of, record_like, unfield, zeros_like_input
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


# A namedtuple or dataclass instance built inside (``Params(w, b)``) is `make_record(cls, names, values)`;
# its cotangent and tangent are those of a record argument: a dict of fields, or a list
@adjoint(runtime.make_record)
def make_record_adjoint(ct, ans, cls, names, values):
    return None, None, fields_of(ct, cls, names)


@tangent(runtime.make_record)
def make_record_tangent(t, ans, cls, names, values):
    return None, None, record_like(t, cls, names)


@adjoint(runtime.fields_of)
def fields_of_adjoint(ct, ans, g, cls, names):
    return record_like(ct, cls, names), None, None


@tangent(runtime.fields_of)
def fields_of_tangent(t, ans, g, cls, names):
    return fields_of(t, cls, names), None, None


@adjoint(runtime.record_like)
def record_like_adjoint(ct, ans, g, cls, names):
    return fields_of(ct, cls, names), None, None


@tangent(runtime.record_like)
def record_like_tangent(t, ans, g, cls, names):
    return record_like(t, cls, names), None, None


# A dict comprehension builds its dict by `dict_with` steps (keys known only when it runs)
@adjoint(runtime.dict_with)
def dict_with_adjoint(ct, ans, d, key, value):
    return dict_without(ct, key, d), None, ct[key]


@tangent(runtime.dict_with)
def dict_with_tangent(t, ans, d, key, value):
    return dict_with(t, key, zeros_like_input(value)), None, dict_with(zeros_like_input(d), key, t)


@adjoint(runtime.dict_without)
def dict_without_adjoint(ct, ans, g, key, d):
    return dict_with(ct, key, zeros_like_input(g[key])), None, zeros_like_input(d)


@tangent(runtime.dict_without)
def dict_without_tangent(t, ans, g, key, d):
    return dict_without(t, key, d), None, zeros_like_input(ans)


nondifferentiable(runtime.is_record, runtime.items_of)
