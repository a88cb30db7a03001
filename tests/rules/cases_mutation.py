"""Spec cases for the rules of mutation as functional updates (sourcead/rules/mutation.py):
``x[idx] = v`` (basic, sliced, broadcast, masked, repeated indices: the last write wins) and the
list methods insert and pop."""

import numpy as np
from spec import C, rnd

from sourcead import runtime

REPEATED = np.array([0, 2, 0, 3])

CASES = [
    C("element", runtime.index_update, rnd(4), 1, rnd()),
    C("slice", runtime.index_update, rnd(5), slice(1, -1), rnd(3)),
    C("column-broadcast", runtime.index_update, rnd(3, 4), (slice(None), 2), rnd()),
    C("ellipsis-row", runtime.index_update, rnd(3, 4), (Ellipsis, 0), rnd(3)),
    C("mask", runtime.index_update, rnd(5), np.array([True, False, True, True, False]), rnd(3)),
    C("repeated", runtime.index_update, rnd(5), REPEATED, rnd(4)),
    C("repeated-broadcast", runtime.index_update, rnd(5, 2), REPEATED, rnd(2)),
    C("list", runtime.index_update, [rnd(), rnd(2), rnd()], 1, rnd(2)),
    C("basic", runtime.zero_at, rnd(3, 4), (slice(None), 1)),
    C("repeated", runtime.zero_at, rnd(5), REPEATED),
    C("list", runtime.zero_at, [rnd(), rnd(3)], 0),
    C("slice", runtime.updated_part, rnd(5), slice(1, 4), rnd(3)),
    C("repeated", runtime.updated_part, rnd(5), REPEATED, rnd(4)),
    C("broadcast", runtime.updated_part, rnd(5, 2), REPEATED, rnd(2)),
    C("list", runtime.updated_part, [rnd(), rnd(3)], 1, rnd(3)),
    C("slice", runtime.placed, rnd(3), rnd(5), slice(1, 4)),
    C("repeated", runtime.placed, rnd(4), rnd(5), REPEATED),
    C("broadcast", runtime.placed, rnd(2), rnd(5, 2), REPEATED),
    C("middle", runtime.list_insert, [rnd(), rnd(2), rnd()], 1, rnd(3)),
    C("negative", runtime.list_insert, [rnd(), rnd()], -1, rnd()),
    C("past-end", runtime.list_insert, [rnd(), rnd()], 7, rnd()),
    C("last", runtime.list_without, [rnd(), rnd(2), rnd()], -1),
    C("first", runtime.list_without, [rnd(2), rnd()], 0),
    C("tuple", runtime.as_list, (rnd(), rnd(2))),
    # aliases: a view (basic index of an array), the same object (None), a copy (a list's slice)
    C("view", runtime.write_back, rnd(3, 4), 1, rnd(4), rnd(4)),
    C("same", runtime.write_back, rnd(3), None, rnd(3), rnd(3)),
    C("copy", runtime.write_back, [rnd(), rnd()], slice(0, 1), [rnd()], [rnd()]),
    C("view", runtime.view_of, rnd(4), rnd(3, 4), 2, False),
    C("same", runtime.view_of, rnd(3), rnd(3), None, False),
    C("number", runtime.view_of, rnd(), rnd(3), 0, True),
    C("list-slot", runtime.view_of, rnd(2), [rnd(2), rnd(2)], 1, False),
    C("list-through", runtime.view_of, rnd(2), [rnd(2), rnd(2)], 1, True),
    C("view", runtime.kept_back, rnd(3, 4), rnd(3, 4), (slice(None), 1), rnd(3)),
    C("same", runtime.kept_back, rnd(3), rnd(3), None, rnd(3)),
    C("view", runtime.written_back, rnd(3, 4), rnd(3, 4), (slice(None), 1), rnd(3), rnd(3)),
    C("copy", runtime.written_back, rnd(3), rnd(3), np.array([0, 1]), rnd(2), rnd(2)),
    C("view", runtime.wrote_back, rnd(3), rnd(3, 4), (slice(None), 1), rnd(3)),
    C("same", runtime.wrote_back, rnd(3), rnd(3), None, rnd(3)),
    C("view", runtime.old_part, rnd(4), rnd(4), rnd(3, 4), 0, True),
    C("number", runtime.old_part, rnd(), rnd(), rnd(3), 0, True),
    C("view", runtime.old_tangent, rnd(4), rnd(4), rnd(3, 4), 0, True),
    C("same-list", runtime.old_tangent, [rnd()], [rnd()], [rnd(), rnd()], None, False),
    C("view", runtime.kept_tangent, rnd(3, 4), rnd(3, 4), (slice(None), 1), rnd(3), rnd(3)),
    C("same-list", runtime.kept_tangent, [rnd()], [rnd()], None, [rnd()], [rnd(), rnd()]),
    C("same-list", runtime.kept_back, [rnd(), rnd()], [rnd()], None, [rnd()]),
    C("same-list", runtime.old_part, [rnd(), rnd()], [rnd()], [rnd(), rnd()], None, False),
    C("view", runtime.base_part, rnd(4), rnd(4), rnd(3, 4), 0, True),
    C("same", runtime.base_part, rnd(3), rnd(3), rnd(3), None, False),
    C("view", runtime.view_part, rnd(3, 4), rnd(4), rnd(3, 4), 0, True),
    C("copy", runtime.view_part, rnd(3), rnd(2), rnd(3), np.array([0, 2]), True),
]
