"""private (sourcead/passes/private.py): the alias check before a write is dropped exactly where
the written value is one the function made and let nothing else hold; it stays wherever another
name, a list, a view, the caller or the result could see the write. `run` returns a copy, and the
values computed are the same (reference interpreter).

Each case: a function and how many of its checks stay; the dropped ones are differentiated
against finite differences, the kept ones still refuse the aliasing they guard against."""

import dataclasses
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import numeric_grad  # noqa: E402
from stages import format_function, kinds_of, lowered  # noqa: E402

import sourcead  # noqa: E402
from sourcead import runtime  # noqa: E402
from sourcead.errors import UnsupportedSyntaxError  # noqa: E402
from sourcead.ir.core import walk  # noqa: E402
from sourcead.ir.interpret import interpret  # noqa: E402
from sourcead.passes import containers, private, pytree_ops  # noqa: E402
from sourcead.passes.kinds import Array  # noqa: E402

VEC = Array(None, 1)


# ---- the function made the array and nothing else holds it: every check goes ---------------------


def fills_zeros(x):
    a = np.zeros(3)
    a[0] = x[0] * x[1]
    a[1:] = np.sin(x[2]) * x[0]
    return np.sum(a * a)


def fills_in_a_loop(x):
    b = np.zeros(x.shape[0])
    for i in range(x.shape[0]):
        b[i] = x[i] * b[i - 1] + x[i]
    return np.sum(b)


def updates_arithmetic_result(x):
    y = x * 2.0
    y += np.cos(x)
    y[0] = y[1] * y[2]
    return np.sum(y ** 2)


def writes_on_both_paths(x):
    a = np.ones(3)
    if x[0] > 0:
        a[0] = x[0]
    else:
        a[1] = x[1]
    a[2] = np.sum(a) * x[2]
    return np.sum(a * x[:3])


def builds_a_list(x):
    hs = []
    for i in range(3):
        hs.append(x[i] * 2.0)
    return hs[0] + hs[1] * hs[2]


def writes_a_dict(x):
    d = {"a": x[0], "b": x[1]}
    d["a"] = d["a"] * x[2]
    d["c"] = d["a"] + d["b"]
    return d["a"] * d["c"]


# ---- another name, a container, a view, the caller or the result sees the write: checks stay -----


def writes_its_argument_copy_then_alias(x):
    a = x.copy()
    z = a  # z is a: the write below changes z too
    a[0] = 5.0
    return np.sum(z * x)


def writes_the_argument(x):
    x[0] = x[1] * 2.0
    return np.sum(x)


def array_held_by_a_list(x):
    a = x * 1.0
    box = [a]
    a[0] = 0.0
    return np.sum(box[0] * x)


def array_held_by_a_dict(x):
    a = x * 1.0
    d = {"a": a}
    a[0] = 0.0
    return np.sum(d["a"] * x)


@dataclasses.dataclass
class Box:
    w: np.ndarray


def named_view_then_write(x):
    a = x * 1.0
    row = a[1:]
    a[1] = 0.0
    return np.sum(row * x[1:])


def iterates_rows_then_writes(x):
    a = x[:, None] * x[None, :]
    total = 0.0
    for row in a:  # the last row stays bound to `row`, a view of a
        total = total + np.sum(row)
    a[0, 0] = total
    return np.sum(a) + np.sum(row)


def iterates_numbers_then_writes(x):
    a = x * 1.0
    total = 0.0
    for v in a:  # numbers: no view of a
        total = total + v
    a[0] = total
    return np.sum(a) * v


CASES = [
    (fills_zeros, 0), (fills_in_a_loop, 0), (updates_arithmetic_result, 0), (writes_on_both_paths, 0),
    (builds_a_list, 0), (iterates_numbers_then_writes, 0), (writes_a_dict, 0),
    (writes_its_argument_copy_then_alias, 1), (writes_the_argument, 1), (array_held_by_a_list, 1), (array_held_by_a_dict, 1),
    (named_view_then_write, 1), (iterates_rows_then_writes, 1),
]

X = np.array([0.7, -1.3, 0.4, 2.1])


def _checks(fn) -> int:
    return sum(1 for st in walk(fn.body.body) if getattr(st, "op", None) is runtime.not_shared)


@pytest.mark.parametrize("f", [writes_its_argument_copy_then_alias, named_view_then_write], ids=lambda f: f.__name__)
def test_a_kept_check_lets_the_lowering_follow_the_alias(f):
    """z = a and row = a[1:] are aliases the lowering follows (it rebinds them after the write)."""
    g = sourcead.grad(f)(X.copy())
    np.testing.assert_allclose(g, numeric_grad(f, (X.copy(),)), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("f, kept", CASES, ids=[f.__name__ for f, _ in CASES])
def test_checks_that_stay(f, kept):
    fn = lowered(f)
    fn, kinds = pytree_ops.run(fn, kinds_of(fn, VEC))  # as the pipeline hands it on: d[k] = v is dict_with
    fn, kinds = containers.run(fn, kinds)
    before = format_function(fn)
    out, _ = private.run(fn, kinds)
    assert format_function(fn) == before, "the input changed"
    assert _checks(out) == min(kept, _checks(fn)), format_function(out)
    assert _outcome(out) == _outcome(fn)


def _outcome(fn):
    """What interpreting fn on X gives: its value, or that it refuses the alias."""
    try:
        return round(float(interpret(fn, X.copy())), 12)
    except UnsupportedSyntaxError:
        return "refused"


@pytest.mark.parametrize("f", [f for f, kept in CASES if kept == 0], ids=lambda f: f.__name__)
def test_without_checks_the_gradient_is_right(f):
    g = sourcead.grad(f)(X.copy())
    np.testing.assert_allclose(g, numeric_grad(f, (X.copy(),)), rtol=1e-6, atol=1e-8)
    assert "not_shared" not in sourcead.source(sourcead.grad(f), X)


@pytest.mark.parametrize("f", [array_held_by_a_list, array_held_by_a_dict, iterates_rows_then_writes], ids=lambda f: f.__name__)
def test_a_kept_check_still_refuses_the_alias(f):
    with pytest.raises(UnsupportedSyntaxError, match="another variable also refers to"):
        sourcead.grad(f)(X.copy())


@pytest.mark.parametrize("holder", [lambda a: [a], lambda a: (1.0, [a[1:]]), lambda a: {"k": a},
                                    lambda a: {"k": {"j": a[::2]}}, lambda a: Box(a)],
                         ids=["list", "view-in-nested-list", "dict", "view-in-nested-dict", "dataclass"])
def test_the_run_time_check_finds_an_array_inside_any_container(holder):
    """A dict's values and a dataclass's fields are searched too: an array held by a dict was
    written in place unnoticed (a silently wrong gradient) before."""
    a = np.arange(4.0)
    with pytest.raises(UnsupportedSyntaxError, match="another variable also refers to"):
        runtime.not_shared(a, "a", (__file__, 1, 0), (holder(a),))
    assert runtime.not_shared(a, "a", (__file__, 1, 0), (holder(a.copy()),)) is a
