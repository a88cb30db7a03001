"""A Derivative's entry point (sourcead/entry.py) and its general path agree.

From its second call on, a `Derivative` has a generated `__call__` that tests the arguments' types (an
array's rank and dtype) inline and calls the compiled derivative directly. Every case here
is run two ways: by a Derivative whose entry points are off (SOURCEAD_FAST_CALLS=0: the general
path alone), and by one with its entry point, called three times -- the third must be served by
the entry point where the case says so (the general path's dictionary is not consulted) and by the
general path otherwise. Results must be identical (type, dtype, shape, every bit), refusals the
same error with the same message, and the gradients right (central finite differences and
autograd, `tests/oracle.py`).
"""

import collections
import dataclasses
import os
import sys
import textwrap
import traceback

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import assert_close, autograd_grad, numeric_grad  # noqa: E402

import sourcead  # noqa: E402
from sourcead import entry  # noqa: E402
from sourcead.api import Derivative  # noqa: E402
from sourcead.errors import SourceADError, UnboundNameError, UsageError  # noqa: E402


@pytest.fixture(autouse=True)
def _entry_points_on(monkeypatch):
    """Each test starts with entry points on and leaves the setting as it found it (the tests
    set SOURCEAD_FAST_CALLS=0 where they want the general path alone)."""
    monkeypatch.delenv("SOURCEAD_FAST_CALLS", raising=False)


class _CountingDict(dict):
    """The general path's table of specialisations, counting its look-ups."""

    def __init__(self, *args):
        super().__init__(*args)
        self.lookups = 0

    def get(self, *args):
        self.lookups += 1
        return super().get(*args)


def _identical(a, b, what="result"):
    """Same type, and for arrays the same dtype, shape and bits; containers item by item."""
    assert type(a) is type(b), f"{what}: {type(a).__name__} against {type(b).__name__}"
    if isinstance(a, (tuple, list)):
        assert len(a) == len(b), what
        for i, (x, y) in enumerate(zip(a, b)):
            _identical(x, y, f"{what}[{i}]")
    elif isinstance(a, dict):
        assert list(a) == list(b), what
        for k in a:
            _identical(a[k], b[k], f"{what}[{k!r}]")
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, f"{what}: {a.dtype}{a.shape} against {b.dtype}{b.shape}"
        assert a.tobytes() == b.tobytes(), what
    elif isinstance(a, float):
        assert a == b or (a != a and b != b), f"{what}: {a!r} against {b!r}"
    else:
        assert a == b, what


def _outcome(df, args, kwargs):
    try:
        return "value", df(*args, **kwargs)
    except Exception as err:  # noqa: BLE001 -- compared below: the same type and message
        return "raised", err


def _agree(make, args, kwargs=None, fast=True):
    """Call a general-path-only Derivative and one with its entry point (three times: the second
    call writes the entry point, the third is the one compared); return the result. `fast`:
    whether the entry point serves the call."""
    kwargs = kwargs or {}
    previous = os.environ.pop("SOURCEAD_FAST_CALLS", None)
    try:
        os.environ["SOURCEAD_FAST_CALLS"] = "0"
        general = make()
        expected = _outcome(general, args, kwargs)
        assert type(general).__call__ is Derivative.__call__, "SOURCEAD_FAST_CALLS=0 leaves the general path alone"
        del os.environ["SOURCEAD_FAST_CALLS"]
        df = make()
        _outcome(df, args, kwargs)
        _outcome(df, args, kwargs)
        df._entries = _CountingDict(df._entries)
        got = _outcome(df, args, kwargs)
    finally:
        os.environ.pop("SOURCEAD_FAST_CALLS", None)
        if previous is not None:
            os.environ["SOURCEAD_FAST_CALLS"] = previous
    if expected[0] == "raised":
        assert got[0] == "raised", f"the general path raised {expected[1]!r}; the entry point returned"
        assert type(got[1]) is type(expected[1]) and getattr(got[1], "message", str(got[1])) == \
            getattr(expected[1], "message", str(expected[1]))
        return got[1]
    assert got[0] == "value", f"the entry point raised {got[1]!r}"
    _identical(got[1], expected[1])
    served = df._entries.lookups == 0
    assert served == fast, "the entry point served the call" if served else "the general path served the call"
    return got[1]


# ---- the functions ----------------------------------------------------------------------------


def poly(x, y):
    return (x ** 2 + 4) * y - x / y


def sines(x):
    return np.sum(np.sin(x) * x)


def damped(x, n=3):
    y = x
    for i in range(n):
        y = y + np.sin(y) * x
    return y


def scaled(x, k):
    return np.sum(x * k) + 0.5 * np.sum(x ** 2)


def pair_of_results(x, y):
    return x * y, np.sin(x)


def with_aux(w, x):
    loss = np.sum(np.tanh(x * w) ** 2)
    return loss, ("note", loss * 2)


def from_list(xs, c):
    return xs[0] * xs[1] + c * xs[1]


def with_label(x, label):
    return x * x if label == "square" else x


def branchy(x, flag):
    if flag:
        y = x * 2.0
    return y


Point = collections.namedtuple("Point", "a b")


@dataclasses.dataclass
class Params:
    w: float
    b: float


def from_point(p):
    return p.a * p.b + p.a


def from_params(p):
    return p.w * p.w + p.b


def from_dict(d):
    return d["a"] * d["b"]


def quartic(x):
    return 0.5 * x ** 4 - 3 * x ** 3 + 2 * x ** 2 - x + 1


def applied(fn, x):
    return fn(x) * x


A = 2.0


def reads_a_global(x):
    return A * x * x


def helper(x):
    return x * x


def calls_a_helper(x):
    return helper(x) + x


R = np.random.RandomState(0)
V3 = R.normal(size=3)
M23 = R.normal(size=(2, 3))

# (id, make, args, kwargs, the entry point serves it, oracle wrt or None)
CASES = [
    ("floats, two wrt", lambda: sourcead.grad(poly, wrt=(0, 1)), (1.5, -0.7), {}, True, (0, 1)),
    ("wrt by names", lambda: sourcead.grad(poly, wrt=("y", "x")), (1.5, -0.7), {}, True, (1, 0)),
    ("wrt a one-tuple", lambda: sourcead.grad(poly, wrt=(1,)), (1.5, -0.7), {}, True, (1,)),
    ("an int wrt", lambda: sourcead.grad(poly), (2, -0.7), {}, True, 0),
    ("np.float64", lambda: sourcead.grad(poly), (np.float64(1.5), -0.7), {}, True, 0),
    ("np.float32", lambda: sourcead.grad(poly), (np.float32(1.5), -0.7), {}, True, None),
    ("a vector", lambda: sourcead.grad(sines), (V3,), {}, True, 0),
    ("a matrix", lambda: sourcead.grad(sines), (M23,), {}, True, 0),
    ("a float32 vector", lambda: sourcead.grad(sines), (V3.astype(np.float32),), {}, True, None),
    ("an int vector (promoted)", lambda: sourcead.grad(sines), (np.arange(3),), {}, False, None),
    ("a 0-d array", lambda: sourcead.grad(sines), (np.array(0.7),), {}, True, 0),
    ("a default", lambda: sourcead.grad(damped), (0.4,), {}, True, 0),
    ("a default given", lambda: sourcead.grad(damped), (0.4, 4), {}, True, 0),
    ("by keyword", lambda: sourcead.grad(damped), (), {"x": 0.4}, False, None),
    ("an array and an int", lambda: sourcead.grad(scaled), (V3, 3), {}, True, 0),
    ("an array and a float array", lambda: sourcead.grad(scaled, wrt=(0, 1)), (V3, V3 * 2), {}, True, (0, 1)),
    ("an array and a float (broadcast)", lambda: sourcead.grad(scaled, wrt=(0, 1)), (V3, 0.5), {}, True, (0, 1)),
    ("value_and_grad", lambda: sourcead.value_and_grad(poly, wrt=(0, 1)), (1.5, -0.7), {}, True, None),
    ("value_and_grad, one wrt", lambda: sourcead.value_and_grad(sines), (V3,), {}, True, None),
    ("value_and_grad, two results", lambda: sourcead.value_and_grad(pair_of_results), (1.5, 0.3), {}, True, None),
    ("has_aux", lambda: sourcead.grad(with_aux, has_aux=True), (V3, 0.5), {}, True, None),
    ("has_aux, two wrt", lambda: sourcead.grad(with_aux, wrt=(0, 1), has_aux=True), (V3, 0.5), {}, True, None),
    ("value_and_grad, has_aux", lambda: sourcead.value_and_grad(with_aux, has_aux=True), (V3, 0.5), {}, True, None),
    ("a list", lambda: sourcead.grad(from_list), ([1.5, 2.0], 3.0), {}, True, None),
    ("a tuple", lambda: sourcead.grad(from_list), ((1.5, 2.0), 3.0), {}, True, None),
    ("a list not differentiated", lambda: sourcead.grad(from_list, wrt=1), ([1.5, 2.0], 3.0), {}, True, 1),
    ("a string", lambda: sourcead.grad(with_label), (1.5, "square"), {}, True, 0),
    ("a namedtuple", lambda: sourcead.grad(from_point), (Point(1.5, 2.0),), {}, False, None),
    ("a dataclass", lambda: sourcead.grad(from_params), (Params(1.5, 2.0),), {}, False, None),
    ("a dict", lambda: sourcead.grad(from_dict), ({"a": 1.5, "b": 2.0},), {}, False, None),
    ("a function", lambda: sourcead.grad(applied, wrt=1), (np.sin, 0.3), {}, False, None),
    ("grad of grad", lambda: sourcead.grad(sourcead.grad(quartic)), (1.3,), {}, True, None),
    ("a global read", lambda: sourcead.grad(reads_a_global), (1.5,), {}, True, 0),
    ("a helper inlined", lambda: sourcead.grad(calls_a_helper), (1.5,), {}, True, 0),
    ("check=True", lambda: sourcead.grad(poly, check=True), (1.5, -0.7), {}, True, 0),
]


@pytest.mark.parametrize("make, args, kwargs, fast, wrt", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_entry_point_returns_what_the_general_path_returns(make, args, kwargs, fast, wrt):
    got = _agree(make, args, kwargs, fast)
    if wrt is not None:  # the gradient is right, too
        f = make().f
        assert_close(got, numeric_grad(f, args, wrt, kwargs=kwargs), 1e-6, 1e-8)
        assert_close(got, autograd_grad(f, args, wrt, kwargs=kwargs), 1e-9, 1e-12)


def test_the_float32_gradient_keeps_its_dtype_on_the_entry_point():
    x = V3.astype(np.float32)
    g = _agree(lambda: sourcead.grad(sines), (x,))
    assert g.dtype == np.float32
    np.testing.assert_allclose(g, np.sin(x) + x * np.cos(x), rtol=1e-5)


def test_grad_of_grad_is_the_second_derivative():
    got = _agree(lambda: sourcead.grad(sourcead.grad(quartic)), (1.3,))
    assert type(got) is float and got == pytest.approx(6 * 1.3 ** 2 - 18 * 1.3 + 4, rel=1e-12)


REFUSED = [
    ("a string differentiated", lambda: sourcead.grad(poly), ("a", 2.0), {}),
    ("a complex number", lambda: sourcead.grad(poly), (1.5 + 1j, 2.0), {}),
    ("too many arguments", lambda: sourcead.grad(poly), (1.5, 2.0, 3.0), {}),
    ("too few arguments", lambda: sourcead.grad(poly), (1.5,), {}),
    ("an unknown keyword", lambda: sourcead.grad(poly), (1.5, 2.0), {"z": 3.0}),
    ("a keyword given twice", lambda: sourcead.grad(poly), (1.5, 2.0), {"x": 3.0}),
    ("a list of strings", lambda: sourcead.grad(from_list), (["a", "b"], 3.0), {}),
    ("a function differentiated", lambda: sourcead.grad(applied), (np.sin, 0.3), {}),
]


@pytest.mark.parametrize("make, args, kwargs", [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_a_refusal_is_the_same_after_the_entry_point_is_made(make, args, kwargs):
    """Both Derivatives were called on good arguments twice first (one has its entry point then); the
    bad call is refused the same way by both, located at the user's line or not at all."""
    good = {poly: (1.5, -0.7), from_list: ([1.5, 2.0], 3.0), applied: (np.sin, 0.3)}
    outcomes = []
    for setting in ("0", None):
        if setting is not None:
            os.environ["SOURCEAD_FAST_CALLS"] = setting
        try:
            df = make()
            _outcome(df, good[df.f], {})
            _outcome(df, good[df.f], {})
            outcomes.append(_outcome(df, args, kwargs))
        finally:
            os.environ.pop("SOURCEAD_FAST_CALLS", None)
    (kind, expected), (got_kind, got) = outcomes
    assert kind == got_kind == "raised" and type(got) is type(expected)
    if isinstance(expected, SourceADError):
        assert (got.message, got.hint) == (expected.message, expected.hint)
        located = [e.loc.filename if e.loc is not None else None for e in (got, expected)]
        assert located[0] == located[1] and located[0] in (__file__, None), "at the user's line, or not at all"
    else:  # a list's contents are checked on the first call of its kind only, by either path
        assert str(got) == str(expected)


def _sourcead_frames(err) -> list:
    package = os.path.dirname(os.path.abspath(sourcead.__file__))
    return [f for f in traceback.extract_tb(err.__traceback__) if os.path.abspath(f.filename).startswith(package)]


def test_an_error_while_the_derivative_runs_is_trimmed_as_on_the_general_path():
    """A SourceADError raised by the generated code (a name unbound on the path taken) reaches the
    user with one frame of sourcead's and nothing chained, by either path."""
    errors = []
    for setting in ("0", None):
        if setting is not None:
            os.environ["SOURCEAD_FAST_CALLS"] = setting
        try:
            df = sourcead.grad(branchy)
            assert df(1.5, True) == 2.0 and df(1.5, True) == 2.0
            with pytest.raises(UnboundNameError) as info:
                df(1.5, False)
        finally:
            os.environ.pop("SOURCEAD_FAST_CALLS", None)
        errors.append(info.value)
        assert (type(df).__call__ is Derivative.__call__) == (setting == "0")
    general, fast = errors
    assert str(general) == str(fast)
    for err in errors:
        assert len(_sourcead_frames(err)) == 1 and err.__cause__ is None and err.__suppress_context__


def test_full_tracebacks_on_request_from_the_entry_point(monkeypatch):
    df = sourcead.grad(branchy)
    df(1.5, True)
    df(1.5, True)
    monkeypatch.setenv("SOURCEAD_TRACEBACK", "full")
    with pytest.raises(UnboundNameError) as info:
        df(1.5, False)
    assert len(_sourcead_frames(info.value)) > 1


def cube(x):
    return x * x * x


def test_a_rule_registered_later_is_used_by_the_next_call():
    def my_cube(x):
        return cube(x)

    df = sourcead.grad(my_cube)
    assert df(2.0) == 12.0 and df(2.0) == 12.0
    assert type(df).__call__ is not Derivative.__call__

    @sourcead.adjoint(cube)
    def cube_adjoint(ct, ans, x):
        return ct * 100.0

    try:
        assert type(df).__call__ is Derivative.__call__, "a registration drops the entry points"
        assert df(2.0) == 100.0 and df(2.0) == 100.0
    finally:
        sourcead.rules.registry._ADJOINT.pop(cube, None)
        sourcead.rules.registry._version += 1
        sourcead.rules.registry._notify()


def test_a_global_rebound_to_another_kind_is_seen():
    global A
    df = sourcead.grad(reads_a_global)
    assert df(1.5) == 6.0 and df(1.5) == 6.0
    try:
        A = np.array([1.0, 3.0])
        assert df(1.5) == 12.0 and df(1.5) == 12.0  # the gradient of sum(A * x * x): a float
        A = 3.0
        assert df(1.5) == 9.0 and df(1.5) == 9.0
    finally:
        A = 2.0


def test_a_helper_rebound_is_seen():
    global helper
    df = sourcead.grad(calls_a_helper)
    assert df(1.5) == 4.0 and df(1.5) == 4.0
    saved = helper
    try:
        helper = lambda x: x * x * x  # noqa: E731
        assert df(2.0) == 13.0 and df(2.0) == 13.0
    finally:
        helper = saved


def test_many_specialisations_alternate_and_the_last_is_shown():
    """More kinds than the entry point tests inline: every call still right; `source(df)` shows
    the derivative of the last call, whichever path served it."""
    df = sourcead.grad(sines)
    inputs = [0.5, V3, M23, np.array(0.3), R.normal(size=(2, 2, 2)), R.normal(size=(1, 1, 1, 2))]
    for _ in range(2):
        for x in inputs:
            g = df(x)
            assert type(g) is type(x) and np.shape(g) == np.shape(x)
            np.testing.assert_allclose(g, np.sin(x) + x * np.cos(x), rtol=1e-12)
            assert sourcead.source(df) == sourcead.source(df, x)
    assert len(df._fast) == len(inputs) and entry.MAX_SPECIALISATIONS < len(inputs)


def test_generated_entry_point_reads_as_documented():
    df = sourcead.grad(poly, wrt=(0, 1))
    df(1.5, -0.7)
    assert type(df).__call__ is Derivative.__call__, "a derivative called once has no entry point written"
    specs = list(df._fast.values())
    text = entry.source(entry.parameter_defaults(df.bound.signature), specs, {}, record_last=False)
    assert textwrap.indent(text, "    ") in entry.__doc__


def test_the_last_derivative_is_shown_after_a_new_kind_then_an_old_one():
    """The entry point of a Derivative with one specialisation does not record the last one run
    (it is the only one); a second specialisation must not leave that entry point in place."""
    df = sourcead.grad(sines)
    df(0.5)
    df(0.5)
    float_source = sourcead.source(df)
    df(V3)
    assert sourcead.source(df) == sourcead.source(df, V3) != float_source
    df(0.5)
    assert sourcead.source(df) == float_source
    df(V3)
    df(0.5)
    assert sourcead.source(df) == float_source


def test_a_derivative_that_goes_away_is_forgotten():
    import gc

    from sourcead import api

    df = sourcead.grad(poly)
    df(1.5, -0.7)
    df(1.5, -0.7)
    key = id(df)
    assert api._WITH_ENTRY_POINTS[key]() is df
    del df
    gc.collect()
    assert key not in api._WITH_ENTRY_POINTS


def test_pdb_skipping_sourcead_steps_from_the_entry_point_into_the_generated_code():
    """As tests/test_display.py checks for the call that writes the entry point: a debugger
    skipping sourcead's frames stops first in the generated function, not in the entry point."""
    import io
    import pdb

    df = sourcead.grad(poly, wrt=(0, 1))
    df(101.0, 12.0)
    df(101.0, 12.0)
    assert type(df).__call__ is not Derivative.__call__
    out = io.StringIO()
    pdb.Pdb(skip=["sourcead.*"], stdin=io.StringIO("s\nc\n"), stdout=out).runcall(df, 101.0, 12.0)
    assert "poly_grad()" in out.getvalue().splitlines()[1]


def broadcast_bias(x, b):
    return np.sum(np.tanh(x + b) * x)


def test_an_array_with_an_axis_of_length_1_does_not_take_the_entry_point_of_one_without():
    """Kinds specialise on whether an array has an axis of length 1 (it decides whether a sum
    broadcasts): the entry point made for (3, 4) + (3, 4) must not serve (3, 4) + (1, 4), of the
    same rank and dtype."""
    df = sourcead.grad(broadcast_bias, wrt=(0, 1))
    x = np.linspace(-1.0, 1.0, 12).reshape(3, 4)
    for b in (np.linspace(0.0, 0.5, 12).reshape(3, 4), np.array([[0.1, 0.2, 0.3, 0.4]]),
              np.array([[0.1], [0.2], [0.3]]), np.linspace(0.0, 0.5, 12).reshape(3, 4)):
        for _ in range(2):  # the second call of a kind is the entry point's
            g = df(x, b)
        expected = numeric_grad(broadcast_bias, (x, b), wrt=(0, 1))
        assert g[1].shape == b.shape
        assert_close(g, expected, 1e-6, 1e-8)
        assert_close(g, autograd_grad(broadcast_bias, (x, b), wrt=(0, 1)), 1e-12, 1e-14)
