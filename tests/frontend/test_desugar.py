"""Desugaring, snippet by snippet: each function below, desugared, prints exactly as expected.

The expected text is `core_source` of the desugared tree (gast.unparse, with ``pass`` in empty
blocks); names starting with "$" are the ones the desugaring invented. Further tests check that the
core means what the function means (it is run, with its invented names made valid), that the stage
leaves its input alone, that the side table says what each invented name is, and that the core
keeps the user's lines.
"""

import inspect
import textwrap

import gast
import pytest

import sourcead
from sourcead.errors import UnsupportedSyntaxError
from sourcead.frontend.desugar import core_source, desugar
from sourcead.frontend.fence import fence
from sourcead.frontend.invented import Invented
from sourcead.frontend.parse import parse

# ---- the snippets ------------------------------------------------------------------------------

def augmented(x):
    s = x
    s += 1.0
    s *= x
    return s


def annotated_and_multiple(x):
    """A docstring is dropped, and so is pass."""
    pass
    y: float = x * 2
    z: int
    a = b = y
    return a + b


def chained_comparison(x, lo, hi):
    return lo < x <= hi < 10.0


def boolean_chain(x, y):
    return x > 0 or y > 0 or x < y


def while_break_continue(x):
    i = 0
    while i < 10:
        i = i + 1
        if i == 2:
            continue
        if x > 100.0:
            break
        x = x * 2
    return x


def for_break(xs):
    s = 0.0
    for v in xs:
        if v < 0:
            break
        s = s + v
    return s


def for_continue(n):
    s = 0
    for i in range(n):
        if i % 2 == 0:
            continue
        s = s + i
    return s


def for_else(x):
    for i in range(3):
        if x > 5.0:
            break
        x = x + 1.0
    else:
        x = x * 10
    return x


def while_else(x):
    while x < 5.0:
        if x < 0.0:
            break
        x = x + 2.0
    else:
        x = x * 10
    return x


def return_in_nested_loops(x):
    for i in range(3):
        j = 0
        while j < 3:
            if x > 20.0:
                return x, i
            x = x * 2
            j = j + 1
    return -x, 0


def zip_enumerate_reversed(xs, ys):
    s = 0.0
    for a, b in zip(xs, ys):
        s = s + a * b
    for i, v in enumerate(reversed(xs)):
        s = s + i * v
    return s


def iterator_without_len(xs):
    s = 0.0
    for v in map(abs, xs):
        s = s + v
    return s


def ending_if(x):
    if x > 0:
        return x
    elif x < -5:
        y = -x
    else:
        y = x * x
    z = y + 1
    return z


def user_names_like_ours(x):
    broke = 2.0
    k = 3.0
    for i in range(4):
        if x > 50.0:
            break
        x = x * broke + k
    return x


def reversed_and_enumerated_ranges(n):
    s = 0
    for i in reversed(range(n)):
        s = s * 2 + i
    for j, k in enumerate(range(2, n)):
        s = s + j * k
    return s


# ---- the expected core -------------------------------------------------------------------------


def core(text: str) -> str:
    return textwrap.dedent(text).strip("\n")


CASES = [
    (augmented, core("""
        def augmented(x):
            s = x
            s = $not_shared(s)
            s = s + 1.0
            s = $not_shared(s)
            s = s * x
            return s
    """)),
    (annotated_and_multiple, core("""
        def annotated_and_multiple(x):
            y = x * 2
            b = y
            a = b
            return a + b
    """)),
    (chained_comparison, core("""
        def chained_comparison(x, lo, hi):
            return lo < x and (x <= hi and hi < 10.0)
    """)),
    (boolean_chain, core("""
        def boolean_chain(x, y):
            return x > 0 or (y > 0 or x < y)
    """)),
    (while_break_continue, core("""
        def while_break_continue(x):
            i = 0
            $broke1 = False
            while not $broke1 and i < 10:
                i = i + 1
                if i == 2:
                    pass
                elif x > 100.0:
                    $broke1 = True
                else:
                    x = x * 2
            return x
    """)),
    (for_break, core("""
        def for_break(xs):
            s = 0.0
            $broke1 = False
            $s2 = xs
            $t3 = $range($len($s2))
            $n4 = $len($t3)
            $k5 = 0
            while not $broke1 and $k5 < $n4:
                $i6 = $t3[$k5]
                $k5 = $k5 + 1
                v = $s2[$i6]
                if v < 0:
                    $broke1 = True
                else:
                    s = s + v
            del $s2, $t3, $n4, $k5
            return s
    """)),
    (for_continue, core("""
        def for_continue(n):
            s = 0
            for i in range(n):
                if i % 2 == 0:
                    pass
                else:
                    s = s + i
            return s
    """)),
    (for_else, core("""
        def for_else(x):
            $broke1 = False
            $t2 = range(3)
            $n3 = $len($t2)
            $k4 = 0
            while not $broke1 and $k4 < $n3:
                $i5 = $t2[$k4]
                $k4 = $k4 + 1
                i = $i5
                if x > 5.0:
                    $broke1 = True
                else:
                    x = x + 1.0
            del $t2, $n3, $k4
            if not $broke1:
                x = x * 10
            return x
    """)),
    (while_else, core("""
        def while_else(x):
            $broke1 = False
            while not $broke1 and x < 5.0:
                if x < 0.0:
                    $broke1 = True
                else:
                    x = x + 2.0
            if not $broke1:
                x = x * 10
            return x
    """)),
    (return_in_nested_loops, core("""
        def return_in_nested_loops(x):
            $result0 = None
            $result1 = None
            $returned = False
            $broke1 = False
            $t2 = range(3)
            $n3 = $len($t2)
            $k4 = 0
            while not $broke1 and $k4 < $n3:
                $i5 = $t2[$k4]
                $k4 = $k4 + 1
                i = $i5
                j = 0
                $broke6 = False
                while not $broke6 and j < 3:
                    if x > 20.0:
                        $result0 = x
                        $result1 = i
                        $returned = True
                        $broke6 = True
                    else:
                        x = x * 2
                        j = j + 1
                if $returned:
                    $broke1 = True
            del $t2, $n3, $k4
            if $returned:
                return ($result0, $result1)
            else:
                return (-x, 0)
    """)),
    (zip_enumerate_reversed, core("""
        def zip_enumerate_reversed(xs, ys):
            s = 0.0
            $s1 = xs
            $s2 = ys
            for $i3 in $range($min($len($s1), $len($s2))):
                $t4 = ($s1[$i3], $s2[$i3])
                a, b = $t4
                s = s + a * b
            del $s1, $s2
            $s5 = xs
            $t6 = $range($len($s5))[::-1]
            for $i7 in $range($len($t6)):
                $t8 = ($i7, $s5[$t6[$i7]])
                i, v = $t8
                s = s + i * v
            del $s5, $t6
            return s
    """)),
    (iterator_without_len, core("""
        def iterator_without_len(xs):
            s = 0.0
            $s1 = map(abs, xs)
            $t2 = $list($s1)
            for $i3 in $range($len($t2)):
                v = $t2[$i3]
                s = s + v
            del $s1, $t2
            return s
    """)),
    (ending_if, core("""
        def ending_if(x):
            if x > 0:
                return x
            else:
                if x < -5:
                    y = -x
                else:
                    y = x * x
                z = y + 1
                return z
    """)),
    (user_names_like_ours, core("""
        def user_names_like_ours(x):
            broke = 2.0
            k = 3.0
            $broke1 = False
            $t2 = range(4)
            $n3 = $len($t2)
            $k4 = 0
            while not $broke1 and $k4 < $n3:
                $i5 = $t2[$k4]
                $k4 = $k4 + 1
                i = $i5
                if x > 50.0:
                    $broke1 = True
                else:
                    x = x * broke + k
            del $t2, $n3, $k4
            return x
    """)),
    (reversed_and_enumerated_ranges, core("""
        def reversed_and_enumerated_ranges(n):
            s = 0
            for i in range(n)[::-1]:
                s = s * 2 + i
            $t1 = range(2, n)
            for $i2 in $range($len($t1)):
                $t3 = ($i2, $t1[$i2])
                j, k = $t3
                s = s + j * k
            del $t1
            return s
    """)),
]


def desugared(fn):
    return desugar(fence(parse(fn)))


@pytest.mark.parametrize("fn, expected", [pytest.param(f, e, id=f.__name__) for f, e in CASES])
def test_desugaring(fn, expected):
    assert core_source(desugared(fn)) == expected


# ---- the core means what the function means ------------------------------------------------------

XS, YS = [1.5, -0.5, 2.0, 3.0], [0.5, 2.0, -1.0]
ARGUMENTS = {
    augmented: [(2.0,), (-1.5,)],
    annotated_and_multiple: [(3.0,)],
    chained_comparison: [(0.5, 0.0, 1.0), (1.5, 0.0, 1.0), (0.5, 0.0, 20.0), (-1.0, 0.0, 1.0)],
    boolean_chain: [(1.0, -1.0), (-1.0, 1.0), (-2.0, -1.0), (-1.0, -2.0)],
    while_break_continue: [(1.0,), (30.0,), (-3.0,)],
    for_break: [(XS,), ([1.0, 2.0],), ([],)],
    for_continue: [(0,), (7,)],
    for_else: [(0.0,), (4.5,), (9.0,)],
    while_else: [(1.0,), (-1.0,), (7.0,)],
    return_in_nested_loops: [(1.0,), (0.001,), (30.0,)],
    zip_enumerate_reversed: [(XS, YS), ([], YS)],
    iterator_without_len: [(XS,), ([],)],
    ending_if: [(2.0,), (-7.0,), (-2.0,)],
    user_names_like_ours: [(1.0,), (100.0,)],
    reversed_and_enumerated_ranges: [(0,), (5,)],
}


def run_core(fn, *args):
    """The desugared function, its invented names made valid Python, called on `args`."""
    text = core_source(desugared(fn)).replace("$", "_d_")
    namespace = dict(fn.__globals__, _d_len=len, _d_range=range, _d_min=min, _d_list=list,
                     _d_not_shared=lambda value: value)
    exec(compile(text, "<core>", "exec"), namespace)
    return namespace[fn.__name__](*args)


@pytest.mark.parametrize("fn", [pytest.param(f, id=f.__name__) for f in ARGUMENTS])
def test_the_core_computes_what_the_function_computes(fn):
    for args in ARGUMENTS[fn]:
        assert run_core(fn, *args) == fn(*args), args


def test_every_case_is_run():
    assert set(ARGUMENTS) == {f for f, _ in CASES}


# ---- a pure stage with a side table ----------------------------------------------------------------


def test_desugar_leaves_its_input_alone():
    parsed = fence(parse(return_in_nested_loops))
    before = gast.dump(parsed.tree, include_attributes=True)
    tree, invented = parsed.tree, dict(parsed.invented)
    out = desugar(parsed)
    assert out is not parsed and out.tree is not tree
    assert parsed.tree is tree and gast.dump(tree, include_attributes=True) == before
    assert parsed.invented == invented == {}
    assert not {id(n) for n in gast.walk(out.tree)} & {id(n) for n in gast.walk(tree)}


def test_desugaring_twice_gives_the_same_core():
    parsed = fence(parse(zip_enumerate_reversed))
    assert core_source(desugar(parsed)) == core_source(desugar(parsed))


def test_the_side_table_says_what_each_invented_name_is():
    out = desugared(return_in_nested_loops)
    names = {n.id for n in gast.walk(out.tree) if isinstance(n, gast.Name) and n.id.startswith("$")}
    assert names == set(out.invented)
    assert out.invented["$returned"] == Invented("returned", "returned")
    assert out.invented["$result0"] == out.invented["$result1"] == Invented("result", "retval")
    assert out.invented["$broke1"] == out.invented["$broke6"] == Invented("flag", "broke")
    assert out.invented["$k4"] == Invented("counter", "k")
    assert out.invented["$i5"] == Invented("index", "i")
    assert out.invented["$len"] == Invented("builtin", "len", len)
    assert out.invented["$n3"].role == out.invented["$t2"].role == "temporary"
    assert desugared(for_break).invented["$s2"] == Invented("sequence", None)


def test_no_invented_name_is_an_identifier():
    for fn, _ in CASES:
        assert not any(name.isidentifier() for name in desugared(fn).invented), fn.__name__


# ---- locations ---------------------------------------------------------------------------------------


def lines_of(fn, *snippets):
    first = fn.__code__.co_firstlineno
    source = inspect.getsource(fn).splitlines()
    return [first + next(i for i, line in enumerate(source) if line.strip().startswith(s)) for s in snippets]


def test_the_core_keeps_the_users_lines():
    out = desugared(for_break)
    by_kind = {}
    for node in gast.walk(out.tree):
        if isinstance(node, gast.stmt):
            by_kind.setdefault(type(node).__name__, []).append(out.loc(node).line)
    loop, brk, add = lines_of(for_break, "for v in xs", "break", "s = s + v")
    assert by_kind["While"] == [loop] and by_kind["Delete"] == [loop]
    assigns = by_kind["Assign"]
    assert brk in assigns and add in assigns  # $broke1 = True where the break was
    assert all(line in (loop, brk, add, loop - 1) for line in assigns), assigns  # loop - 1: s = 0.0


def test_a_users_condition_keeps_its_columns():
    out = desugared(while_else)
    loop = next(n for n in gast.walk(out.tree) if isinstance(n, gast.While))
    users = loop.test.values[1]  # not $broke1 and <the user's test>
    assert isinstance(users, gast.Compare) and out.loc(users.comparators[0]).col > out.loc(users).col


def misspelt_in_for_else(x):
    for i in range(3):
        if x > 5.0:
            break
        x = x + 1.0
    else:
        x = x * undefined_name  # noqa: F821
    return x


def test_an_error_in_a_loops_else_clause_points_at_its_line():
    """Regression: the lowering used to relocate the statements of a for-else clause at the `for`."""
    with pytest.raises(UnsupportedSyntaxError) as info:
        sourcead.ssa(misspelt_in_for_else)
    (line,) = lines_of(misspelt_in_for_else, "x = x * undefined_name")
    assert info.value.loc.line == line
    assert info.value.loc.col == info.value.loc.text.index("undefined_name")
