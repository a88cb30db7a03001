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
from ..runtime import (as_list, base_part, insert_position, kept_back, kept_tangent, list_insert, list_without,
                        old_part, old_tangent, placed,
                        updated_part, view_part, written_back, wrote_back, zero_at, zeros_like_input)
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


# Aliases: after a write through `view`, its base is written back and every other alias re-read;
# whether they alias is decided at run time (the helpers' branches), and each helper is linear in
# its first argument; the pairs of adjoints: kept_back and kept_tangent, old_part and old_tangent,
# written_back and wrote_back, base_part and view_part (a list alias's cotangent and tangent may differ
# in length, so none of them is its own adjoint).


@adjoint(runtime.write_back)
def write_back_adjoint(ct, ans, base, idx, view, new):
    return kept_back(ct, base, idx, view), None, None, written_back(ct, base, idx, view, new)


@tangent(runtime.write_back)
def write_back_tangent(t, ans, base, idx, view, new):
    return kept_tangent(t, base, idx, view, new), None, None, wrote_back(t, base, idx, view)


@adjoint(runtime.view_of)
def view_of_adjoint(ct, ans, old, base, idx, through):
    return old_part(ct, old, base, idx, through), base_part(ct, old, base, idx, through), None, None


@tangent(runtime.view_of)
def view_of_tangent(t, ans, old, base, idx, through):
    return old_tangent(t, old, base, idx, through), view_part(t, old, base, idx, through), None, None


@adjoint(runtime.kept_back)
def kept_back_adjoint(ct, ans, g, base, idx, view):
    return kept_tangent(ct, base, idx, view, g), None, None, None


@tangent(runtime.kept_back)
def kept_back_tangent(t, ans, g, base, idx, view):
    return kept_back(t, base, idx, view), None, None, None


@adjoint(runtime.written_back)
def written_back_adjoint(ct, ans, g, base, idx, view, new):
    return wrote_back(ct, base, idx, view), None, None, None, None


@tangent(runtime.written_back)
def written_back_tangent(t, ans, g, base, idx, view, new):
    return written_back(t, base, idx, view, new), None, None, None, None


@adjoint(runtime.wrote_back)
def wrote_back_adjoint(ct, ans, t, base, idx, view):
    return written_back(ct, base, idx, view, t), None, None, None


@tangent(runtime.wrote_back)
def wrote_back_tangent(s, ans, t, base, idx, view):
    return wrote_back(s, base, idx, view), None, None, None


@adjoint(runtime.old_part)
def old_part_adjoint(ct, ans, g, old, base, idx, through):
    return old_tangent(ct, old, base, idx, through), None, None, None, None


@tangent(runtime.old_part)
def old_part_tangent(t, ans, g, old, base, idx, through):
    return old_part(t, old, base, idx, through), None, None, None, None


@adjoint(runtime.base_part)
def base_part_adjoint(ct, ans, g, old, base, idx, through):
    return view_part(ct, old, base, idx, through), None, None, None, None


@tangent(runtime.base_part)
def base_part_tangent(t, ans, g, old, base, idx, through):
    return base_part(t, old, base, idx, through), None, None, None, None


@adjoint(runtime.view_part)
def view_part_adjoint(ct, ans, t, old, base, idx, through):
    return base_part(ct, old, base, idx, through), None, None, None, None


@tangent(runtime.view_part)
def view_part_tangent(s, ans, t, old, base, idx, through):
    return view_part(s, old, base, idx, through), None, None, None, None


@adjoint(runtime.kept_tangent)
def kept_tangent_adjoint(ct, ans, t, base, idx, view, new):
    return kept_back(ct, base, idx, view), None, None, None, None


@tangent(runtime.kept_tangent)
def kept_tangent_tangent(s, ans, t, base, idx, view, new):
    return kept_tangent(s, base, idx, view, new), None, None, None, None


@adjoint(runtime.old_tangent)
def old_tangent_adjoint(ct, ans, t, old, base, idx, through):
    return old_part(ct, old, base, idx, through), None, None, None, None


@tangent(runtime.old_tangent)
def old_tangent_tangent(s, ans, t, old, base, idx, through):
    return old_tangent(s, old, base, idx, through), None, None, None, None
