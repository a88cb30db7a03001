"""to_ast (sourcead/backend/to_ast.py): IR -> Python source. Operators print as Python's syntax
(with the parentheses precedence needs and no others), subscripts as subscripts with slices and
``...``, containers as displays; a temporary used once in its region is folded into its use; and
every group of reverse-sweep statements is preceded by a ``# grad of:`` comment quoting the primal
line it differentiates, one comment per run of statements from the same line.

The snippets here go through to_ast alone: a function's lowered IR (after dce) -> `emit_source`.
"""

import math
import os
import sys
import textwrap

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from stages import lowered  # noqa: E402

import sourcead  # noqa: E402
from sourcead import cache, runtime  # noqa: E402
from sourcead.backend.to_ast import emit_source, fold_candidates  # noqa: E402
from sourcead.passes import dce  # noqa: E402


def source(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def emitted(f, name=None):
    fn = dce.run(lowered(f))
    return emit_source(fn, name or f"{f.__name__}_copy", cache.lowered(f).scope)


def operators(x, y, n):
    a = -x ** 2 / (y - 1.0) + x // 2 % 3 - (+y) ** -1
    b = (x @ y) * (x < y) + (not n) + (x >= y) + (x != y) + (~n) + (n & 1 | 2 ^ 3) + (n << 1) + (n >> 1)
    return a + b


def subscripts(x, n):
    return x[1:3] + x[::2][0] + x[..., 0] + x[:, None] + x[n] + x[(1, 2)] + x[n:-1, 2]


def calls_and_containers(x, y):
    d = np.sum(x, axis=0, keepdims=True) + x.T + x.sum() + math.pi + np.pi
    e = (x, y)
    f = [x, y]
    g = x is None
    h = 1 in e
    return d, e, f, g, h


def temporaries(x, y):
    t = x * y
    return np.sin(t) + np.cos(x * y) * (x * y)


CASES = [
    (operators, """
        def operators_copy(x, y, n):
            a = -(x ** 2 / (y - 1.0)) + x // 2 % 3 - (+y) ** -1
            b = x @ y * (x < y) + (not n) + (x >= y) + (x != y) + ~n + (n & 1 | 2 ^ 3) + (n << 1) + (n >> 1)
            return a + b
     """),
    (subscripts, """
        def subscripts_copy(x, n):
            return x[1:3] + x[::2][0] + x[..., 0] + x[:, None] + x[n] + x[1, 2] + x[n:-1, 2]
     """),
    (calls_and_containers, """
        def calls_and_containers_copy(x, y):
            d = np.sum(x, axis=0, keepdims=True) + x.T + x.sum() + math.pi + np.pi
            e = (x, y)
            f = [x, y]
            g = x is None
            h = 1 in e
            return d, e, f, g, h
     """),
    # x * y is computed three times (no common subexpressions here): each use its own, folded
    (temporaries, """
        def temporaries_copy(x, y):
            t = x * y
            return np.sin(t) + np.cos(x * y) * (x * y)
     """),
]


@pytest.mark.parametrize("f, expected", CASES, ids=[c[0].__name__ for c in CASES])
def test_the_emitted_source(f, expected):
    text, bindings, user_free, _ = emitted(f)
    assert text == source(expected)
    assert bindings == {}, "every object is spelled as the user spelled it"
    compile(text, "<emitted>", "exec")


@pytest.mark.parametrize("f, args", [(operators, (np.array([1.0, 2.0]), np.array([0.5, 3.0]), 3)),
                                     (subscripts, (np.arange(16.0).reshape(4, 4), 2)),
                                     (temporaries, (0.3, 0.7))], ids=lambda v: getattr(v, "__name__", None))
def test_the_emitted_source_computes_what_the_function_computes(f, args):
    text, bindings, _, _ = emitted(f)
    namespace = dict(f.__globals__, **bindings)
    exec(compile(text, "<emitted>", "exec"), namespace)
    assert np.array_equal(namespace[f"{f.__name__}_copy"](*args), f(*args))


def test_the_free_names_are_those_of_the_user_function():
    _, _, user_free, _ = emitted(calls_and_containers)
    assert user_free == {"np": "global", "math": "global"}


def test_a_temporary_used_once_in_its_region_is_a_fold_candidate():
    fn = dce.run(lowered(temporaries))
    folded = fold_candidates(fn)
    by_text = sorted(f"{type(stmt).__name__}:{getattr(stmt.op, '__name__', stmt.op)}" for stmt in folded.values())
    assert all(v.temporary for v in folded)
    # the three products x * y and np.cos(...): folded; t is the user's; np.sin(t) + ... is returned
    assert by_text == ["Call:add", "Call:cos", "Call:mul", "Call:mul", "Call:mul", "Call:sin"]


def spread(x, y):
    a = x * y
    b = np.sin(a) + a
    return b * y


def test_each_run_of_adjoint_statements_names_its_primal_line_once():
    """The return line's cotangents are copies (db is y, dy starts as b): they fold into the
    statements of the lines below, which carry their own comments."""
    text = sourcead.source(sourcead.grad(spread, wrt=(0, 1)), 0.5, 1.5)
    assert text == source("""
        def spread_grad(x, y):
            a = x * y
            b = np.sin(a) + a
            # grad of: b = np.sin(a) + a
            da = y + y * np.cos(a)
            # grad of: a = x * y
            dx = da * y
            dy = b + x * da
            return dx, dy
     """)
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    assert len(comments) == len(set(comments)) == 2


def broadcasting(x, y):
    return np.sum(x * y)


def test_objects_the_user_did_not_spell_are_bound_by_name():
    """A general derivative calls runtime helpers the user's module does not have: they are bound,
    under their own names, for the compiled function. (x of one row: x * y need not have x's
    shape, so the unbroadcasts stay.)"""
    df = sourcead.grad(broadcasting, wrt=(0, 1))
    df(np.ones((1, 3)), np.ones(3))
    derived = df._last
    text, bindings, _, _ = emit_source(derived.ir, derived.name, cache.lowered(broadcasting).scope)
    assert text == derived.source, "emitting the same IR again gives the same text"
    assert text == source("""
        def broadcasting_grad(x, y):
            # grad of: return np.sum(x * y)
            t = expand_reduced(1.0, x * y, None, False)
            dx = unbroadcast(t * y, x)
            dy = (x * t).sum(axis=0)
            return dx, dy
     """)
    assert set(bindings) == {"expand_reduced", "unbroadcast"}
    helpers = {name: obj for name, obj in bindings.items() if getattr(obj, "__module__", "") == runtime.__name__}
    assert helpers and all(f"{name}(" in text for name in helpers)
    assert all(getattr(runtime, name, None) is obj for name, obj in helpers.items())


def sin_then_square(x):
    y = np.sin(x)
    return y * y


def test_each_emitted_statement_remembers_the_users_line_it_comes_from():
    """emit_source maps the lines of the text to the user's lines (errors raised while the
    derivative runs are located with it); lines moved by the layout keep theirs."""
    df = sourcead.grad(sin_then_square)
    df(0.5)
    derived = df._last
    text, _, _, line_locs = emit_source(derived.ir, derived.name, cache.lowered(sin_then_square).scope)
    lines = text.splitlines()
    cos_line = next(i for i, line in enumerate(lines, 1) if "np.cos" in line)
    assert line_locs[cos_line].text.strip() == "y = np.sin(x)"
    assert line_locs[cos_line].filename == __file__
    assert all(lines[i - 1].strip() and not lines[i - 1].strip().startswith("def ") for i in line_locs)
