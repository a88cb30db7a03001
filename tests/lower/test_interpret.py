"""The lowered IR means what the function means: the reference interpreter (ir/interpret.py) run on
`cache.lowered(f).ir` returns what calling f returns, for every case of the straight-line and
control-flow catalogs. And every IR a stage produces passes the checker (ir/verify.py): the
lowered IR, and the derivative IR of each case (grad and value_and_grad, and vjp where every
argument is differentiable), which the interpreter also evaluates to what the compiled derivative
returns -- code generation adds nothing the IR did not say.

A catalog function that sourcead refuses on purpose (an `UnsupportedSyntaxError`, e.g. list.append)
is skipped here: the catalog tests are where a refusal shows up as a failure.
"""

import inspect
import operator
import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

import catalog  # noqa: E402
import catalog.control_flow as control_flow  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402

import sourcead  # noqa: E402
from sourcead import cache  # noqa: E402
from sourcead.errors import InternalError, UnsupportedCallError, UnsupportedSyntaxError  # noqa: E402
from sourcead.ir.interpret import interpret  # noqa: E402
from sourcead.ir.verify import verify  # noqa: E402
from sourcead.runtime import to_float  # noqa: E402

CASES = catalog.cases(straight_line) + catalog.cases(control_flow)
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")


def params():
    return [pytest.param(c, id=f"{c.fn.__module__.rsplit('.', 1)[-1]}-{c.id}") for c in CASES]


def lowered(case):
    try:
        return cache.lowered(case.fn)
    except (UnsupportedSyntaxError, UnsupportedCallError) as err:
        pytest.skip(f"refused by sourcead: {err.message}")


def full_args(case) -> list:
    """The case's arguments as one positional list, defaults filled in (what the IR's params take)."""
    bound = inspect.signature(case.fn).bind(*case.make_args(), **case.make_kwargs())
    bound.apply_defaults()
    return list(bound.arguments.values())


def assert_same(got, expected, what):
    """Same value, and the same kind of value: a tuple for a tuple, a float for a float."""
    if isinstance(expected, tuple):
        assert isinstance(got, tuple) and len(got) == len(expected), f"{what}: {got!r} vs {expected!r}"
        for g, e in zip(got, expected, strict=True):
            assert_same(g, e, what)
        return
    assert type(got) is type(expected), f"{what}: a {type(got).__name__} where f gives a {type(expected).__name__}"
    if isinstance(expected, np.ndarray):
        assert got.shape == expected.shape and got.dtype == expected.dtype, f"{what}: {got!r} vs {expected!r}"
    assert np.allclose(got, expected, rtol=1e-12, atol=0.0, equal_nan=True), f"{what}: {got!r} vs {expected!r}"


@pytest.mark.parametrize("case", params())
def test_interpreting_the_lowered_ir_equals_calling_the_function(case):
    low = lowered(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = case.call()
        got = interpret(low.ir, *full_args(case))
    assert_same(got, expected, f"interpret(lower({case.fn.__name__}))")


@pytest.mark.parametrize("case", params())
def test_the_lowered_ir_verifies(case):
    verify(lowered(case).ir, "lower")


def derived_ir(case, transform):
    """Run `transform(f, wrt=...)` on the case; return the IR and compiled function that ran."""
    df = transform(case.fn, wrt=case.wrt)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        df(*case.make_args(), **case.make_kwargs())
    return df._last


def promoted_args(case):
    """The arguments the generated derivative receives: defaults filled in, wrt ones as floats."""
    args = full_args(case)
    wrt = case.wrt if isinstance(case.wrt, (tuple, list)) else (case.wrt,)
    names = list(inspect.signature(case.fn).parameters)
    for w in wrt:
        i = names.index(w) if isinstance(w, str) else w
        args[i] = to_float(args[i])
    return args


def as_tuple(x):
    return x if isinstance(x, tuple) else (x,)


@pytest.mark.parametrize("transform", [sourcead.grad, sourcead.value_and_grad], ids=["grad", "value_and_grad"])
@pytest.mark.parametrize("case", params())
def test_the_derivative_ir_verifies_and_interprets_like_its_code(case, transform):
    lowered(case)
    d = derived_ir(case, transform)
    verify(d.ir, transform.__name__)
    args = promoted_args(case)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        by_interpreter = interpret(d.ir, *args)
        by_code = d.fn(*args)
    for a, b in zip(as_tuple(by_interpreter), as_tuple(by_code), strict=True):
        assert np.allclose(a, b, rtol=1e-12, atol=1e-300, equal_nan=True), f"{a!r} vs {b!r}"


def _all_floats(case):
    return not case.make_kwargs() and all(
        isinstance(a, float) or isinstance(a, np.ndarray) and a.dtype.kind == "f" for a in case.make_args())


@pytest.mark.parametrize("case", [p for p in params() if _all_floats(p.values[0])])
def test_the_vjp_ir_verifies(case):
    lowered(case)
    args = case.make_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out, pullback = sourcead.vjp(case.fn, *args)
        ct = tuple(np.ones_like(o) if isinstance(o, np.ndarray) else 1.0 for o in out) \
            if isinstance(out, tuple) else np.ones_like(out) if isinstance(out, np.ndarray) else 1.0
        pullback(ct)
    compiled = list(sourcead.api._DERIVED.get(case.fn, {}).values())
    assert compiled, "the vjp left no compiled derivative in the cache"
    for d in compiled:
        verify(d.ir, "derive")


# ---- loops over iterables without a length -------------------------------------------------------


def over_reversed_range(x):
    s = 0.0
    for i in reversed(range(3)):
        s = s * x + i
    return s


def over_a_map(x):
    s = 0.0
    for v in map(float, (1, 2)):
        s = s + v * x
    return s


@pytest.mark.parametrize("fn", [over_reversed_range, over_a_map], ids=["reversed-range", "map"])
def test_a_loop_over_an_iterator_without_a_length_interprets_like_python(fn):
    assert interpret(cache.lowered(fn).ir, 0.7) == fn(0.7)


# ---- the checker catches what it promises to catch ------------------------------------------------
# Hand-made faulty IR: each fault is an InternalError that names it and prints the IR around it.


def _faulty(kind):
    from sourcead.ir.core import Call, Const, For, Function, If, Param, Region, Var, While

    x, t, u = Var("x"), Var("t"), Var("u")
    mul = operator.mul
    if kind == "use-before-definition":
        body = [Call([t], mul, [x, u]), Call([u], mul, [x, x])]
        return Function("f", [Param(x)], Region([], body, [t]))
    if kind == "defined-twice":
        body = [Call([t], mul, [x, x]), Call([t], mul, [t, x])]
        return Function("f", [Param(x)], Region([], body, [t]))
    if kind == "branch-value-used-after-the-if":
        inner = Call([u], mul, [x, x])
        body = [If([t], Const(True), Region([], [inner], [u]), Region([], [], [x])), Call([Var("w")], mul, [u, t])]
        return Function("f", [Param(x)], Region([], body, [t]))
    if kind == "if-yields-too-few":
        body = [If([t, u], Const(True), Region([], [], [x, x]), Region([], [], [x]))]
        return Function("f", [Param(x)], Region([], body, [t]))
    if kind == "while-params-mismatch":
        a, b, c = Var("a"), Var("b"), Var("c")
        loop = While([t], [x], Region([a], [], [Const(False)]), Region([b, c], [], [b]))
        return Function("f", [Param(x)], Region([], [loop], [t]))
    if kind == "for-yields-too-many":
        i, a = Var("i"), Var("a")
        loop = For([t], Const(range(2)), [x], Region([i, a], [], [a, a]))
        return Function("f", [Param(x)], Region([], [loop], [t]))
    raise ValueError(kind)


@pytest.mark.parametrize("kind, words", [
    ("use-before-definition", "not defined in scope"),
    ("defined-twice", "defined twice"),
    ("branch-value-used-after-the-if", "not defined in scope"),
    ("if-yields-too-few", "yields 1 values where 2"),
    ("while-params-mismatch", "mismatched"),
    ("for-yields-too-many", "yields 2 values where 1"),
])
def test_the_checker_reports_a_fault_with_the_ir_around_it(kind, words):
    with pytest.raises(InternalError, match=words) as info:
        verify(_faulty(kind), "hand-made")
    text = str(info.value)
    assert "after stage hand-made" in text and "def f(x):" in text and "please report" in text


def test_the_checker_accepts_a_well_formed_function_and_returns_it():
    fn = cache.lowered(straight_line.seed_poly).ir
    assert verify(fn, "lower") is fn
