"""parse: a function object -> its tree, where it came from, and its namespace.

Its guarantees (sourcead/frontend/parse.py), each checked on functions written in this file: the
tree is the function's own definition with decorators dropped; `loc(node)` maps a node to this
file's real line and column (indented and decorated definitions, lambdas included); free names
resolve through `Scope.lookup` as Python resolves them when the function runs (closure cells, then
globals, then builtins); what has no readable source is refused with `SourceUnavailableError`.
"""

import functools
import inspect
import math
import os

import gast
import pytest

from sourcead.errors import SourceUnavailableError
from sourcead.frontend.parse import parse, single_return

THIS_FILE = os.path.abspath(__file__)
K = 3.0


def line_of(fn, snippet: str) -> tuple[int, int]:
    """This file's (line, column) of the first occurrence of `snippet` in fn's source."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if snippet in line:
            return first + i, line.index(snippet)
    raise AssertionError(f"{snippet!r} is not in {fn.__name__}")


def node_of(parsed, kind, pick=lambda n: True):
    return next(n for n in gast.walk(parsed.tree) if isinstance(n, kind) and pick(n))


def decorate(f):
    return f


@decorate
def decorated(x):
    y = x * K
    return math.sin(y)


def test_the_tree_is_the_definition_without_its_decorators():
    parsed = parse(decorated)
    assert isinstance(parsed.tree, gast.FunctionDef) and parsed.tree.name == "decorated"
    assert parsed.tree.decorator_list == []
    assert [type(s).__name__ for s in parsed.tree.body] == ["Assign", "Return"]
    assert (parsed.fn, parsed.name, os.path.abspath(parsed.filename)) == (decorated, "decorated", THIS_FILE)


def test_a_location_is_the_real_file_line_and_column():
    parsed = parse(decorated)
    mul = node_of(parsed, gast.BinOp)
    loc = parsed.loc(mul)
    assert (os.path.abspath(loc.filename), loc.function) == (THIS_FILE, "decorated")
    assert (loc.line, loc.col) == line_of(decorated, "x * K")
    assert loc.text == "    y = x * K"
    assert parsed.loc(parsed.tree).line == line_of(decorated, "def decorated")[0]


def test_a_location_in_an_indented_definition_counts_the_columns_dedent_removed():
    def nested(x):
        return x * K

    parsed = parse(nested)
    assert parsed.dedent == 4
    loc = parsed.loc(node_of(parsed, gast.BinOp))
    assert (loc.line, loc.col) == line_of(nested, "x * K")
    assert loc.text.strip() == "return x * K"


def test_a_node_without_a_position_is_placed_at_the_first_line():
    parsed = parse(decorated)
    loc = parsed.loc(gast.Name(id="x", ctx=gast.Load(), annotation=None, type_comment=None))
    assert loc.line == parsed.first_line


def test_the_lines_map_covers_the_whole_file():
    """An error raised for a callee or a rule can show a line outside the function's own source."""
    parsed = parse(decorated)
    with open(THIS_FILE) as fh:
        first = fh.readline().rstrip("\n")
    assert parsed.lines[1] == first
    line, _ = line_of(decorated, "return math.sin(y)")
    assert parsed.lines[line] == "    return math.sin(y)"


scale_by = lambda x: x * K  # noqa: E731
pair = (lambda a, b: a * b, lambda c: c + 1.0)


def test_a_lambda_becomes_a_function_returning_its_body():
    parsed = parse(scale_by)
    assert parsed.tree.name == "<lambda>" and [a.id for a in parsed.tree.args.args] == ["x"]
    (ret,) = parsed.tree.body
    assert isinstance(ret, gast.Return) and isinstance(ret.value, gast.BinOp)
    loc = parsed.loc(ret.value)
    assert os.path.abspath(loc.filename) == THIS_FILE
    assert (loc.line, loc.col) == line_of(scale_by, "x * K")


def test_of_two_lambdas_on_a_line_the_one_with_these_parameters_is_taken():
    first, second = (parse(f) for f in pair)
    assert [a.id for a in first.tree.args.args] == ["a", "b"]
    assert [a.id for a in second.tree.args.args] == ["c"]
    loc = second.loc(second.tree.body[0].value)
    assert (loc.line, loc.col) == (pair[1].__code__.co_firstlineno, inspect.getsource(pair[1]).index("c + 1.0"))


twins = (lambda t: t * 2.0, lambda t: t * 3.0)


def test_two_lambdas_with_the_same_parameters_on_a_line_are_refused():
    with pytest.raises(SourceUnavailableError, match="more than one lambda") as info:
        parse(twins[0])
    assert info.value.hint == "define the function with def"
    assert info.value.loc.line == twins[0].__code__.co_firstlineno


def make_closure(k):
    offset = 1.0

    def scaled(x):
        return k * x + offset + K + len((x,))

    return scaled


def make_unfilled():
    def reads_later(x):
        return x * later

    return reads_later
    later = 1.0  # noqa: F841  (never runs: the cell stays empty)


def test_free_names_resolve_through_the_scope_as_python_would():
    parsed = parse(make_closure(5.0))
    assert parsed.lookup("k") == (True, 5.0, "closure")
    assert parsed.lookup("offset") == (True, 1.0, "closure")
    assert parsed.lookup("K") == (True, K, "global")
    assert parsed.lookup("len") == (True, len, "builtin")
    assert parsed.lookup("nowhere") == (False, None, "global")
    assert parsed.scope.lookup("k") == parsed.lookup("k")
    assert parsed.scope.module == __name__


def test_a_global_is_read_when_looked_up_not_when_parsed(monkeypatch):
    parsed = parse(decorated)
    monkeypatch.setitem(globals(), "K", 7.0)
    assert parsed.lookup("K") == (True, 7.0, "global")


def test_an_empty_closure_cell_is_not_found():
    parsed = parse(make_unfilled())
    assert parsed.lookup("later") == (False, None, "closure")


def test_a_builtin_shadowed_by_a_global_is_the_global(monkeypatch):
    monkeypatch.setitem(globals(), "abs", math.fabs)
    assert parse(decorated).lookup("abs") == (True, math.fabs, "global")


class Squarer:
    def method(self, x):
        return x * x


def test_what_has_no_readable_source_is_refused():
    namespace = {}
    exec("def made(x):\n    return x\n", namespace)
    cases = [
        (Squarer().method, "bound method", "pass the instance explicitly"),
        (math.sin, "is not a Python function", "def"),
        (functools.partial(decorated), "is not a Python function", "def"),
        (namespace["made"], "is not available", "@sourcead.adjoint"),
    ]
    for fn, words, hint in cases:
        with pytest.raises(SourceUnavailableError) as info:
            parse(fn)
        assert words in info.value.message and hint in info.value.hint, str(info.value)


def one_return(x):
    """A docstring does not count."""
    return x * 2.0


def two_statements(x):
    y = x
    return y


def test_single_return_tells_an_inlinable_body():
    assert single_return(parse(one_return))
    assert not single_return(parse(two_statements))
    assert single_return(parse(scale_by))
