"""Derivative rules for mutation as the IR writes it: functional updates of arrays and lists.

``x[idx] = v`` is ``index_update(x, idx, v)``: its cotangent splits into what was kept (`x`'s, with
``[idx]`` zeroed) and what was written (`v`'s: ``g[idx]``, where a repeated index gives only its
last write anything, summed down to v's shape); its tangent is the update of the tangents. The
helpers these rules call are linear in their first argument and come in adjoint pairs
(`updated_part` and `placed`; `zero_at` is its own adjoint), so every order can be differentiated.
The list methods (``insert``, ``pop``) move one element, and their cotangents move it back.
"""

from __future__ import annotations

from .. import runtime
from ..runtime import (as_list, insert_position, list_insert, list_without, placed, updated_part, zero_at,
                        zeros_like_input)
from .registry import adjoint, nondifferentiable, tangent

nondifferentiable(runtime.insert_position)  # an int


@adjoint(runtime.index_update)
def index_update_adjoint(ct, ans, x, idx, v):
    return zero_at(ct, idx), None, updated_part(ct, idx, v)


@tangent(runtime.index_update)
def index_update_tangent(t, ans, x, idx, v):
    return zero_at(t, idx), None, placed(t, x, idx)


@adjoint(runtime.zero_at)
def zero_at_adjoint(ct, ans, g, idx):
    return zero_at(ct, idx), None


@tangent(runtime.zero_at)
def zero_at_tangent(t, ans, g, idx):
    return zero_at(t, idx), None


@adjoint(runtime.updated_part)
def updated_part_adjoint(ct, ans, g, idx, v):
    return placed(ct, g, idx), None, None


@tangent(runtime.updated_part)
def updated_part_tangent(t, ans, g, idx, v):
    return updated_part(t, idx, v), None, None


@adjoint(runtime.placed)
def placed_adjoint(ct, ans, s, x, idx):
    return updated_part(ct, idx, s), None, None


@tangent(runtime.placed)
def placed_tangent(t, ans, s, x, idx):
    return placed(t, x, idx), None, None


@adjoint(runtime.list_insert)
def list_insert_adjoint(ct, ans, seq, i, v):
    return list_without(ct, insert_position(seq, i)), None, ct[insert_position(seq, i)]


@tangent(runtime.list_insert)
def list_insert_tangent(t, ans, seq, i, v):
    return list_insert(t, i, zeros_like_input(v)), None, list_insert(zeros_like_input(seq), i, t)


@adjoint(runtime.list_without)
def list_without_adjoint(ct, ans, seq, i):
    return list_insert(ct, i % len(seq), zeros_like_input(seq[i])), None


@tangent(runtime.list_without)
def list_without_tangent(t, ans, seq, i):
    return list_without(t, i), None



@adjoint(runtime.as_list)
def as_list_adjoint(ct, ans, items):
    return ct


@tangent(runtime.as_list)
def as_list_tangent(t, ans, items):
    return as_list(t)
