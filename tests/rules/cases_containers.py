"""Spec cases for the rules of + and * on lists and tuples (sourcead/rules/containers.py), and of
reading a dataclass's fields (sourcead/rules/pytrees_.py)."""

import collections
import dataclasses

from spec import C, rnd

from sourcead import runtime

Pair = collections.namedtuple("Pair", "w b")


@dataclasses.dataclass
class Fields:
    w: object
    b: object = 0.0


CASES = [
    C("lists", runtime.concat, [rnd(), rnd(3)], [rnd(2, 2)]),
    C("tuples", runtime.concat, (rnd(), rnd()), (rnd(),)),
    C("empty-left", runtime.concat, [], [rnd(), rnd()]),
    C("lists", runtime.concat_parts, [rnd(), rnd(3)], [rnd()]),
    C("tuple-twice", runtime.repeat_seq, (rnd(), rnd(3)), 2),
    C("list-thrice", runtime.repeat_seq, [rnd()], 3),
    C("list-twice", runtime.repeat_parts, [rnd(), rnd(2)], 2),
    C("two-copies", runtime.unrepeat_seq, [rnd(), rnd(3), rnd(), rnd(3)], [rnd(), rnd(3)], 2),
    # a dataclass's fields, read from its cotangent or tangent (a dict of them): sourcead/rules/pytrees_.py
    C("array-field", runtime.field, {"W": rnd(2, 3), "b": rnd()}, "W"),
    C("float-field", runtime.field, {"W": rnd(2, 3), "b": rnd()}, "b"),
    C("array-field", runtime.unfield, rnd(2, 3), {"W": rnd(2, 3), "b": rnd()}, "W"),
    # a namedtuple or dataclass built inside a function, and its cotangent's fields
    C("namedtuple", runtime.make_record, Pair, ("w", "b"), (rnd(2, 3), rnd())),
    # (make_record of a dataclass returns an instance, which this harness's directions do not span: it is
    # checked end to end by tests/api/test_pytrees.py, in every mode)
    C("namedtuple", runtime.fields_of, [rnd(2, 3), rnd()], Pair, ("w", "b")),
    C("dataclass", runtime.fields_of, {"w": rnd(3), "b": rnd()}, Fields, ("w", "b")),
    C("namedtuple", runtime.record_like, (rnd(2, 3), rnd()), Pair, ("w", "b")),
    C("dataclass", runtime.record_like, [rnd(3), rnd()], Fields, ("w", "b")),
    # a dict comprehension's steps
    C("new-key", runtime.dict_with, {"W": rnd(2, 3)}, "b", rnd()),
    C("replaced-key", runtime.dict_with, {"W": rnd(2, 3), "b": rnd(2)}, "b", rnd(2)),
    C("replaced-key", runtime.dict_without, {"W": rnd(2, 3), "b": rnd(2)}, "b", {"W": rnd(2, 3), "b": rnd(2)}),
    C("new-key", runtime.dict_without, {"W": rnd(2, 3), "b": rnd()}, "b", {"W": rnd(2, 3)}),
]
