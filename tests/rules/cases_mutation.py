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
]
