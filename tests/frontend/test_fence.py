"""fence, construct by construct: every entry of its refusal table (sourcead/frontend/fence.py), and
every other check it makes, refuses the construct with its message and hint, in this file, at the
construct's line, with the caret under it; and the constructs the later stages understand pass
through untouched.

A case is a function defined here (parse reads its source with inspect), the snippet the caret must
sit under, the message and the hint. Constructs that no plain function can hold (``await`` and
``async for``/``async with`` are syntax errors outside ``async def``; ``except*`` needs Python 3.11)
are checked on a tree parsed from text, since fence's contract is about the tree it is given.
"""

import os
import sys
import textwrap

import gast
import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from located import assert_located  # noqa: E402

from sourcead.errors import UnsupportedSyntaxError  # noqa: E402
from sourcead.frontend.fence import fence  # noqa: E402
from sourcead.frontend.parse import Parsed, parse  # noqa: E402

G = 1.0


def helper(*args, **kwargs):
    return 0.0


# ---- one function per refused construct ------------------------------------------------------


def has_set_comprehension(x):
    ys = {x * i for i in range(3)}
    return x


def has_set(x):
    s = {x, 2.0}
    return x


def has_yield(x):
    y = yield x
    return y


def has_yield_from(x):
    y = yield from range(3)
    return x


def has_named_expression(x):
    y = (z := x * 2) + z
    return y


def has_f_string(x):
    s = f"{x}"
    return x


def has_starred_argument(x):
    y = helper(*x)
    return y


def has_global(x):
    global G
    return x * G


def has_nonlocal(x):
    def inner():
        nonlocal x
        return x
    return x


def has_try(x):
    try:
        y = x * 2
    except ValueError:
        y = x
    return y


def has_with(x):
    with open(os.devnull) as fh:  # noqa: F841
        y = x
    return y


def has_async_function(x):
    async def inner():
        return 1
    return x


def has_nested_def(x):
    def g(t):
        return t
    return g(x)


def has_class(x):
    class Box:
        pass
    return x


def has_import(x):
    import math
    return math.sin(x)


def has_import_from(x):
    from math import sin
    return sin(x)


def has_del(x):
    y = [x, x]
    del y[0]
    return x


def has_match(x):
    match x:
        case 0.0:
            y = 1.0
        case _:
            y = x
    return y


TABLE = [
    # function, snippet under the caret, message, hint
    (has_set_comprehension, "{x * i", "a set comprehension", "use a list or an array"),
    (has_set, "{x, 2.0}", "a set", "use a tuple or an array"),
    (has_yield, "yield x", "yield (a generator)", "return the values instead"),
    (has_yield_from, "yield from", "yield from (a generator)", "return the values instead"),
    (has_named_expression, "z := x", "an assignment expression (:=)", "assign the value in its own statement"),
    (has_f_string, 'f"{x}"', "an f-string", "compute strings outside the differentiated function"),
    (has_global, "global G", "a global statement", "pass the value as an argument and return the new one"),
    # the nested def is met first: fence refuses the outermost construct it does not support
    (has_nonlocal, "nonlocal x", "a nonlocal statement", "pass the value as an argument and return the new one"),
    (has_try, "try:", "try/except", "move error handling outside the differentiated function"),
    (has_with, "with open", "a with statement", "move the context manager outside the differentiated function "
     "(only `with np.errstate(...):` is kept)"),
    (has_async_function, "async def", "an async function", "differentiate a plain synchronous function"),
    (has_class, "class Box", "a class definition", "define the class outside the differentiated function"),
    (has_import, "import math", "an import statement", "import at module level"),
    (has_import_from, "from math", "an import statement", "import at module level"),
    (has_del, "del y", "del of an element or an attribute", "build a new value instead (del of a name is kept)"),
    (has_match, "match x", "a match statement", "write it with if/elif/else"),
]


def refusal(fn) -> UnsupportedSyntaxError:
    with pytest.raises(UnsupportedSyntaxError) as info:
        fence(parse(fn))
    assert type(info.value) is UnsupportedSyntaxError
    return info.value


@pytest.mark.parametrize("fn, snippet, what, hint", TABLE, ids=[case[0].__name__ for case in TABLE])
def test_a_construct_of_the_table_is_refused_where_it_is_written(fn, snippet, what, hint):
    err = refusal(fn)
    assert err.message == f"{what} is not supported by sourcead"
    assert err.hint == hint
    assert err.loc.function == fn.__name__
    assert_located(err, fn, snippet)


# ---- the checks outside the table ---------------------------------------------------------------


def shuffles(x):
    np.random.shuffle(x)
    return x


def calls_a_method_for_its_effect(x):
    x.sort()
    return x


def assigns_into_an_element(x):
    x[0][1] = 1.0  # a write into x[0]: nested subscripts are refused (x[i] = v alone is supported)
    return x


def adds_into_a_slice(x):
    x.parts[1:] += 1.0
    return x


def assigns_an_attribute(x):
    x.value = 1.0
    return x


def for_into_an_element(x):
    for x[0] in range(3):
        pass
    return x


def unpacks_into_a_starred_target(x):
    a, *b = x
    return a


def passes_star_star_kwargs(x):
    options = helper()
    return helper(x, **options)


def has_bytes(x):
    b = b"ab"
    return x


EXPRESSION_STATEMENT = ("an expression statement (a call whose result is unused, other than print, logging, "
                        "warnings.warn and a list's append, extend, insert or pop) is not supported: its effect "
                        "is not something sourcead can differentiate")
INTO_AN_ELEMENT = ("assignment into an element here (in a tuple target, a for target or an annotated assignment) "
                   "is not supported yet")
NESTED_HINT = ("index once with a tuple (x[i, j] = ...), or bind the inner value to a name, write into it, "
               "and store it back")
NESTED = ("assignment into an element of something that is not a plain variable (x[i][j] = ..., obj.a[i] = ...) "
          "is not supported yet")

OTHER_CHECKS = [
    (shuffles, "np.random.shuffle(x)", EXPRESSION_STATEMENT, "assign its result and use it, or move the call outside the differentiated function"),
    (calls_a_method_for_its_effect, "x.sort()", EXPRESSION_STATEMENT,
     "assign its result and use it, or move the call outside the differentiated function"),
    (assigns_into_an_element, "x[0][1]", NESTED, NESTED_HINT),
    (adds_into_a_slice, "x.parts[1:]", NESTED, NESTED_HINT),
    (for_into_an_element, "x[0] in", INTO_AN_ELEMENT, "write x[i] = v as a statement of its own"),
    (assigns_an_attribute, "x.value", "assignment to an attribute is not supported by sourcead",
     "return the new value instead of storing it on an object"),
    (has_bytes, 'b"ab"', "bytes literals are not supported by sourcead",
     "compute bytes outside the differentiated function"),
]


@pytest.mark.parametrize("fn, snippet, message, hint", OTHER_CHECKS, ids=[case[0].__name__ for case in OTHER_CHECKS])
def test_a_construct_outside_the_table_is_refused_where_it_is_written(fn, snippet, message, hint):
    err = refusal(fn)
    assert err.message == message
    assert err.hint == hint
    assert_located(err, fn, snippet)


def test_a_starred_assignment_target_is_refused_at_the_target():
    err = refusal(unpacks_into_a_starred_target)
    assert err.message == "assignment to Starred is not supported by sourcead"
    assert_located(err, unpacks_into_a_starred_target, "*b")


@pytest.mark.xfail(strict=True, reason="needs: fence._check_target to name a starred target in the user's "
                   "words ('a starred assignment target (a, *b = ...)') and give a hint (unpack by index)")
def test_a_starred_assignment_target_is_refused_with_a_hint():
    err = refusal(unpacks_into_a_starred_target)
    assert "Starred" not in err.message and err.hint


# ---- constructs no plain function can hold: checked on a tree parsed from text -----------------


def parsed_from_text(source: str, first_line: int = 40) -> Parsed:
    """A Parsed whose tree is `source`'s first function, as if written at `first_line` of
    "model.py" (parse needs a function object: any will do, fence only reads the tree)."""
    text = textwrap.dedent(source).strip("\n")
    lines = {first_line + i: line for i, line in enumerate(text.splitlines())}
    tree = gast.parse(text).body[0]
    return Parsed(helper, tree, "model.py", first_line, 0, lines, tree.name)


TEXT_ONLY = [
    ("""
     def f(x):
         y = await x
         return y
     """, 41, 8, "await", "differentiate a plain synchronous function"),
    ("""
     def f(x):
         async for i in x:
             pass
         return x
     """, 41, 4, "async for", "differentiate a plain synchronous function"),
    ("""
     def f(x):
         async with x as y:
             pass
         return x
     """, 41, 4, "async with", "differentiate a plain synchronous function"),
]
if sys.version_info >= (3, 11):
    TEXT_ONLY.append(("""
     def f(x):
         try:
             y = x
         except* ValueError:
             y = 0.0
         return y
     """, 41, 4, "try/except*", "move error handling outside the function"))


@pytest.mark.parametrize("source, line, col, what, hint", TEXT_ONLY, ids=[case[3] for case in TEXT_ONLY])
def test_a_construct_only_a_tree_can_hold_is_refused_where_it_is_written(source, line, col, what, hint):
    with pytest.raises(UnsupportedSyntaxError) as info:
        fence(parsed_from_text(source))
    err = info.value
    assert err.message == f"{what} is not supported by sourcead" and err.hint == hint
    assert (err.loc.filename, err.loc.line, err.loc.col, err.loc.function) == ("model.py", line, col, "f")
    shown = str(err).splitlines()
    assert shown[0] == f'File "model.py", line {line}, in f'
    assert shown[2] == "    " + " " * (col - 4) + "^"


def test_every_entry_of_the_table_has_a_case_here():
    from sourcead.frontend import fence as fence_module
    covered = {what for _, _, what, _ in TABLE} | {case[3] for case in TEXT_ONLY}
    table = {what for what, _ in fence_module._REFUSED.values()}
    if sys.version_info < (3, 11):
        table.discard("try/except*")
    assert table - covered == set()


# ---- what passes --------------------------------------------------------------------------------


def accepted(x, y=2.0, *, scale=1.0):
    """A docstring."""
    pass
    a: float = x * y
    a += 1.0
    b, (c, d) = x, (y, a)
    e = [x, y][0] + (x, y)[1] + np.ones(3)[1:][0] + np.ones((2, 2))[0, ...][0]
    f = x if x > 0 else -x
    g = x > 0 and y < 1 or not x <= y < 3
    h = np.sum(np.ones(3) * x, axis=0, keepdims=False) + x.real
    i = 0
    while i < 3:
        i = i + 1
        if i == 2:
            continue
        elif i > 5:
            break
    for j, k in enumerate(range(3)):
        h = h + j * k
    else:
        h = h * 1.0
    for row in np.ones((2, 2)):
        h = h + row[0]
    return (a + b + c + d + e + f + h) * scale, g


def test_accepted_constructs_pass_untouched():
    parsed = parse(accepted)
    before = gast.dump(parsed.tree)
    assert fence(parsed) is parsed
    assert gast.dump(parsed.tree) == before
