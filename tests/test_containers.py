"""Comprehensions, generator expressions and dicts as values inside a differentiated function.

A comprehension is desugared into a loop that builds a list (or a running sum: `sum(...)`), its
variables renamed so that they neither leak nor clobber the function's names; a dict is a value
with constant keys whose cotangent is a dict of the same keys. Every function of the catalog is
checked in grad, vjp, jvp and (for one float argument) hessian, against central finite
differences and against autograd running the same source; refusals are located at the construct.
"""

import math

import numpy as np
import pytest

import sourcead
from located import assert_located
from oracle import (assert_close, autograd_grad, autograd_hessian, autograd_jvp, autograd_vjp, numeric_grad,
                    numeric_jvp)
from sourcead.errors import SourceADError, UnsupportedSyntaxError

XS = np.array([0.3, -0.8, 1.2])
YS = np.array([0.5, 0.25, -1.5])
M = np.array([[0.2, -0.4, 0.6], [1.1, 0.3, -0.7]])


# ---- comprehensions ----------------------------------------------------------------------------


def filtered(x):
    ys = [x * i for i in range(5) if i % 2 == 1]
    return ys[0] * ys[1] + math.sin(ys[-1])


def power_sum(x):
    return sum(x ** k / (k + 1) for k in range(4))


def sum_with_start(x):
    return sum([np.sin(x * k) for k in range(3)], 1.5 * x)


def two_fors(xs):
    return np.sum(np.array([xs[i] * xs[j] for i in range(3) for j in range(i)]))


def over_zip_and_enumerate(xs, ys):
    return sum(k * a * b for k, (a, b) in enumerate(zip(xs, ys)))


def over_rows(m):
    return np.sum(np.stack([np.tanh(row) * row for row in m]) ** 2)


def array_of_powers(x):
    v = np.array([x ** k for k in range(1, 4)])
    return v @ v


def largest(xs):
    return max(a * a - a for a in xs) + 2.0 * min(np.sin(a) for a in xs)


def as_tuple(x):
    t = tuple(x * c for c in (1.0, 2.0, 3.0))
    return t[0] * t[1] - t[2] ** 2


def in_a_branch(x):
    return x * x if x > 0 else sum([x * i for i in range(3)]) - (x > 1.0 or max(x * c for c in (1.0, 2.0)))


def gated(xs):
    if any(v > 1.0 for v in xs) and not all(v > 0 for v in xs):
        return np.sum(xs ** 3)
    return np.sum(xs)


def nested(x):
    rows = [[x * a + b for b in range(2)] for a in range(3)]
    return sum(sum(v * v for v in row) for row in rows)


def shadowing(x):
    """Python 3 scoping: the comprehension's x is its own; the function's x is untouched."""
    ys = [x * 2.0 for x in range(3)]
    k = 10.0
    zs = [x * k for k in ys]
    return x * ys[2] + zs[1] * k


def in_statements(xs):
    total = 0.0
    for v in [a * 2.0 for a in xs]:
        if sum(w for w in xs) > v:
            total = total + v * v
    return total + np.sum(np.array([total * a for a in xs]))


# ---- dicts -----------------------------------------------------------------------------------------


def dict_literal(x, y):
    d = {"w": x * 2.0, "b": y}
    return d["w"] * d["b"] + d.get("c", 1.0) * x + d.get("b", 5.0)


def nested_defaults(x):
    """Regression (the fuzzer): a default that is itself a dict's default was left undefined."""
    return {"p": x}.get("r", {"p": x}.get("r", x)) * {"p": x, "q": 2.0 * x}.get("q", 1.0)


def dict_views(x):
    d = {"a": x, "b": x * x, "c": np.sin(x)}
    s = 0.0
    for k, v in d.items():
        s = s + v * len(k)
    return s + sum(v for v in d.values()) * len(d) + (2.0 * x if "a" in d else 0.0)


def dict_keys_loop(xs):
    d = {"u": xs * 2.0, "v": xs ** 2}
    total = 0.0
    for k in d:
        total = total + np.sum(d[k] * xs)
    for k in d.keys():
        total = total + np.sum(d[k])
    return total


def make_layer(w, b):
    return {"w": w, "b": b}


def apply_layer(layer, x):
    return np.tanh(layer["w"] * x + layer["b"])


def dict_through_helpers(x):
    layer = make_layer(x, 0.5 * x)
    return apply_layer(layer, 1.5) * apply_layer(make_layer(0.3, x), x)


def dict_in_a_loop(x):
    state = {"pos": x, "vel": 0.0}
    for i in range(4):
        state = {"pos": state["pos"] + 0.1 * state["vel"], "vel": state["vel"] - 0.1 * np.sin(state["pos"])}
    return state["pos"] * state["vel"] + state["pos"]


def dict_comprehension(x):
    d = {i: x ** i for i in range(1, 4)}
    named = {name: d[i] * 2.0 for i, name in [(1, "a"), (3, "b")] if name != "c"}
    return d[1] * d[3] + d[2] + named["b"] * named["a"]


def dict_comprehension_over_a_dict(xs):
    d = {"u": xs * 2.0, "v": np.sin(xs)}
    squared = {k: v ** 2 for k, v in d.items()}
    return np.sum(squared["u"] * squared["v"])


def dict_in_branches(x):
    if x > 0:
        d = {"s": x * x}
    else:
        d = {"s": -x}
    return d["s"] * 3.0


CATALOG = [
    (filtered, (0.7,)), (power_sum, (0.9,)), (sum_with_start, (0.4,)), (two_fors, (XS,)),
    (over_zip_and_enumerate, (XS, YS)), (over_rows, (M,)), (array_of_powers, (0.6,)), (largest, (XS,)),
    (as_tuple, (0.8,)), (in_a_branch, (0.5,)), (in_a_branch, (-0.5,)), (gated, (XS,)), (gated, (np.abs(XS) + 0.1,)), (nested, (0.35,)), (shadowing, (0.45,)),
    (in_statements, (XS,)), (dict_literal, (1.5, 2.0)), (nested_defaults, (0.6,)), (dict_views, (0.6,)), (dict_keys_loop, (XS,)),
    (dict_through_helpers, (0.7,)), (dict_comprehension, (0.7,)), (dict_comprehension_over_a_dict, (XS,)), (dict_in_a_loop, (0.9,)), (dict_in_branches, (0.8,)),
    (dict_in_branches, (-0.8,)),
]
IDS = [f"{f.__name__}-{i}" for i, (f, _) in enumerate(CATALOG)]


def _every(args):
    return tuple(range(len(args)))


@pytest.mark.parametrize("f, args", CATALOG, ids=IDS)
def test_grad(f, args):
    wrt = _every(args) if len(args) > 1 else 0
    got = sourcead.grad(f, wrt=wrt)(*args)
    assert_close(got, numeric_grad(f, args, wrt), rtol=1e-6, atol=1e-8, what="grad vs finite differences")
    assert_close(got, autograd_grad(f, args, wrt), rtol=1e-9, atol=1e-12, what="grad vs autograd")


@pytest.mark.parametrize("f, args", CATALOG, ids=IDS)
def test_vjp(f, args):
    out, pullback = sourcead.vjp(f, *args)
    assert_close(out, f(*args))
    got = pullback(-1.75)
    _, expected = autograd_vjp(f, args, -1.75)
    assert_close(got, expected, rtol=1e-9, atol=1e-12, what="vjp vs autograd")


@pytest.mark.parametrize("f, args", CATALOG, ids=IDS)
def test_jvp(f, args):
    rng = np.random.default_rng(len(f.__name__))
    tangents = tuple(rng.standard_normal(np.shape(a)) if np.ndim(a) else float(rng.standard_normal()) for a in args)
    out, t = sourcead.jvp(f, args, tangents)
    _, fd = numeric_jvp(f, args, tangents)
    _, ag = autograd_jvp(f, args, tangents)
    assert_close(t, fd, rtol=1e-6, atol=1e-8, what="jvp vs finite differences")
    assert_close(t, ag, rtol=1e-9, atol=1e-12, what="jvp vs autograd")


@pytest.mark.parametrize("f, args", [c for c in CATALOG if len(c[1]) == 1 and np.ndim(c[1][0]) == 0],
                         ids=[i for i, c in zip(IDS, CATALOG) if len(c[1]) == 1 and np.ndim(c[1][0]) == 0])
def test_hessian(f, args):
    h = sourcead.hessian(f)(*args)
    assert_close(h, autograd_hessian(f, args), rtol=1e-8, atol=1e-10, what="hessian vs autograd")
    assert_close(h, numeric_grad(sourcead.grad(f), args), rtol=1e-5, atol=1e-7, what="hessian vs FD of grad")


def test_hessian_of_an_array_function_through_a_dict():
    x = XS
    h = sourcead.hessian(dict_keys_loop)(x)
    assert_close(h, autograd_hessian(dict_keys_loop, (x,)), rtol=1e-8, atol=1e-10)


# ---- what the desugaring guarantees ----------------------------------------------------------


def test_a_comprehension_leaves_the_functions_names_alone():
    """The first comprehension's `x` is its own (ys = [0, 2, 4]), the second reads the parameter
    (zs = [0, 2x, 4x]) and its `k` is not the function's (10): the result is 4x + 2x * 10."""
    assert shadowing(0.45) == pytest.approx(0.45 * 4.0 + 0.45 * 2.0 * 10.0)
    assert sourcead.grad(shadowing)(0.45) == pytest.approx(24.0)


def test_sum_of_a_generator_is_a_running_sum():
    text = sourcead.source(sourcead.grad(power_sum), 0.9)
    assert "[" not in text  # no list is built, none is pushed
    assert dict(sourcead.stages(power_sum, 0.9))["desugar"].count("for ") == 1


def test_desugared_form_reads_like_a_loop():
    desugared = dict(sourcead.stages(filtered, 0.7))["desugar"]
    assert "$ys" in desugared and "$ys" in desugared.split("= [")[0]


def test_generated_code_builds_the_list_and_names_it():
    text = sourcead.source(sourcead.grad(filtered), 0.7)
    assert "ys = []" in text and "ys + [x * i]" in text


def pair(x, y):
    return {"sum": x + y, "prod": x * y}


def test_a_dict_cotangent_has_the_dicts_keys():
    """vjp of a function returning a dict takes a cotangent dict and gives the arguments' cotangents."""
    out, pullback = sourcead.vjp(pair, 2.0, 3.0)
    assert out == {"sum": 5.0, "prod": 6.0}
    assert pullback({"sum": 1.0, "prod": 0.5}) == (1.0 + 0.5 * 3.0, 1.0 + 0.5 * 2.0)
    out, t = sourcead.jvp(pair, (2.0, 3.0), (1.0, 0.0))
    assert t == {"sum": 1.0, "prod": 3.0} and type(t) is dict


def test_generated_code_prints_the_dict():
    """A dict is built as a literal, its tangent as a dict of the same keys, its cotangent read by key."""
    assert sourcead.source(pair, 2.0, 3.0, mode="jvp") == (
        "def pair_jvp(x, y, dx, dy):\n"
        "    return {'sum': x + y, 'prod': x * y}, {'sum': dx + dy, 'prod': dx * y + x * dy}\n")
    vjp = sourcead.source(pair, 2.0, 3.0, mode="vjp")
    assert "dt['sum']" in vjp and "dt['prod']" in vjp


# ---- refusals ----------------------------------------------------------------------------------


def generator_kept(x):
    g = (x * i for i in range(3))
    return x


def comprehension_in_a_while_test(x):
    while sum(x * i for i in range(2)) < 10.0:
        x = x * 2.0
    return x


def iterates_a_dict_comprehension(x):
    d = {k: x * k for k in range(3)}
    return sum(d[k] for k in d)


def missing_key(x):
    d = {"a": x}
    return d["b"]


def computed_key(x):
    d = {str(x): x}
    return x


def writes_a_dict(x):
    d = {"a": x}
    d["a"] = 2.0 * x
    return d["a"]


def test_a_write_into_a_dict_built_here():
    """d["a"] = ... on a dict literal: the dict with that key replaced (runtime.dict_with)."""
    assert sourcead.grad(writes_a_dict)(0.5) == 2.0
    assert sourcead.jvp(writes_a_dict, (0.5,), (1.0,)) == (1.0, 2.0)
    assert sourcead.hessian(writes_a_dict)(0.5) == 0.0


def max_with_a_key(xs):
    return max((a for a in xs), key=abs)


REFUSALS = [
    (generator_kept, 0.5, "(x * i for", "generator expression is supported only as the argument"),
    (comprehension_in_a_while_test, 0.5, "(x * i for", "while loop's test"),
    (iterates_a_dict_comprehension, 0.5, "d)", "iterating over (or len() of) a dict whose keys"),
    (missing_key, 0.5, 'd["b"]', "'b' is not in this dict"),
    (computed_key, 0.5, "str(x)", "keys are not string or integer literals"),
    (max_with_a_key, XS, "max((a for", "with more arguments"),
]


@pytest.mark.parametrize("f, arg, snippet, words", REFUSALS, ids=[r[0].__name__ for r in REFUSALS])
def test_refused_at_the_construct(f, arg, snippet, words):
    with pytest.raises(SourceADError) as info:
        sourcead.grad(f)(arg)
    err = info.value
    assert isinstance(err, UnsupportedSyntaxError), type(err)
    assert words in err.message, err.message
    assert err.hint
    assert_located(err, f, snippet)
