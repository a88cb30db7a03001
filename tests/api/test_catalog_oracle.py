"""The catalog and its oracles, checked without sourcead.

If autograd and finite differences disagree on a case, the case's input sits on or near a kink, a
tie or a branch switch (or the oracle is wrong) -- and every sourcead test on that case would be
meaningless. These tests keep the catalog honest; they must pass whatever state sourcead is in.
"""

import ast
import inspect
import math
import os
import sys
import textwrap
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import catalog  # noqa: E402
import catalog.control_flow as control_flow  # noqa: E402
import catalog.higher_order as higher_order  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402
from catalog_checks import (  # noqa: E402
    all_float_args,
    output_of,
    params,
    random_like,
    scalar_second_derivative_cases,
    single_wrt,
    wrt_argument,
)
from oracle import (  # noqa: E402
    assert_close,
    autograd_derivative,
    autograd_grad,
    autograd_hessian,
    autograd_jacobian,
    autograd_jvp,
    autograd_vjp,
    numeric_grad,
    numeric_hessian,
    numeric_jacobian,
    numeric_jvp,
)

MODULES = (straight_line, control_flow, higher_order)
ALL_CASES = [c for m in MODULES for c in catalog.cases(m)]
ORACLE_CASES = [c for c in ALL_CASES if c.oracle]

# autograd and the five-point stencil must agree much more tightly than sourcead is held to (1e-6).
AGREE_RTOL, AGREE_ATOL = 1e-7, 1e-9

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


# ---- the catalog's shape ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "module, minimum", [(straight_line, 90), (control_flow, 55), (higher_order, 45)], ids=lambda v: getattr(v, "__name__", str(v))
)
def test_catalog_size(module, minimum):
    assert len(catalog.functions(module)) >= minimum


def test_case_ids_are_unique():
    ids = [c.id for c in ALL_CASES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_control_flow_cases_are_labelled():
    for fn in catalog.functions(control_flow):
        fn_cases = [c for c in catalog.cases(control_flow) if c.fn is fn]
        if len(fn_cases) > 1:
            labels = [c.path for c in fn_cases]
            assert labels.count(None) <= 1, f"{fn.__name__}: label the paths its cases take"


def test_oracle_false_cases_say_why():
    for c in ALL_CASES:
        assert c.oracle or c.reason, c.id


# ---- the oracles themselves -------------------------------------------------------------------


def _poly(x, y):
    return x ** 3 * y + np.sin(y)


def _vec(x, w):
    return np.tanh(x * w).sum()


def test_numeric_grad_on_known_derivatives():
    gx, gy = numeric_grad(_poly, (1.5, 0.5), (0, 1))
    assert_close(gx, 3 * 1.5 ** 2 * 0.5, 1e-9, 1e-11)
    assert_close(gy, 1.5 ** 3 + np.cos(0.5), 1e-9, 1e-11)
    x, w = np.array([0.1, -0.4]), np.array([[0.3, 0.2], [0.5, -1.0]])
    g = numeric_grad(_vec, (x, w), "w")
    assert_close(g, x * (1 - np.tanh(x * w) ** 2), 1e-8, 1e-10)


def test_gradient_kinds_follow_the_arguments():
    assert type(numeric_grad(_poly, (2, 0.5), 0)) is float  # an int argument is promoted
    assert type(autograd_grad(_poly, (2, 0.5), 0)) is float
    g = autograd_grad(_vec, (np.array([1, 2]), np.ones((2, 2))), 0)  # an int array too
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == (2,)


def test_assert_close_checks_kinds():
    with pytest.raises(AssertionError):
        assert_close(np.array(1.0), 1.0)  # a 0-d array is not a float
    with pytest.raises(AssertionError):
        assert_close(np.ones(3), np.ones((3, 1)))
    with pytest.raises(AssertionError):
        assert_close((1.0,), (1.0, 2.0))
    with pytest.raises(AssertionError):
        assert_close(np.ones(2, dtype=int), np.ones(2))
    assert_close(np.float64(2.0), 2.0)
    assert_close((1.0, np.zeros(2)), (1.0 + 1e-12, np.zeros(2)))


def _uses_math_float_int_and_methods(x):
    v = np.array([x, 2.0 * x])[: int(2.9)].astype(float)
    return math.sin(float(x)) * v.dot(np.ones(2)) + math.log(x, 2)


def test_autograd_oracle_runs_the_same_code():
    # math, float(), int() and ndarray methods inside a catalog-style function stay traced
    x = 0.7
    expected = math.cos(x) * 3 * x + math.sin(x) * 3 + 1 / (x * math.log(2))
    assert_close(autograd_grad(_uses_math_float_int_and_methods, (x,), 0), expected, 1e-12, 1e-12)


# ---- every case: autograd against finite differences ----------------------------------------


@pytest.mark.parametrize("case", params(ORACLE_CASES, by_sourcead=False))
def test_autograd_agrees_with_finite_differences(case):
    args, kwargs = case.make_args(), case.make_kwargs()
    expected = numeric_grad(case.fn, args, case.wrt, kwargs=kwargs)
    assert_close(autograd_grad(case.fn, args, case.wrt, kwargs=kwargs), expected, AGREE_RTOL, AGREE_ATOL)


@pytest.mark.parametrize("case", params(ALL_CASES, by_sourcead=False))
def test_finite_differences_are_stable(case):
    """Two step sizes agree: no kink, tie or branch switch within reach of the stencil."""
    args, kwargs = case.make_args(), case.make_kwargs()
    fine = numeric_grad(case.fn, args, case.wrt, kwargs=kwargs, eps=1e-4)
    coarse = numeric_grad(case.fn, args, case.wrt, kwargs=kwargs, eps=1e-3)
    assert_close(coarse, fine, 1e-5, 1e-7)


@pytest.mark.parametrize("case", params(ALL_CASES, by_sourcead=False))
def test_functions_are_deterministic_and_leave_arguments_alone(case):
    args, kwargs = case.make_args(), case.make_kwargs()
    first = case.fn(*args, **kwargs)
    for a, b in zip(args, case.make_args(), strict=True):
        if isinstance(b, np.ndarray):
            assert np.array_equal(a, b), "the catalog function mutates its argument"
    second = case.call()
    assert np.array_equal(np.asarray(first), np.asarray(second))
    assert np.all(np.isfinite(np.asarray(first, dtype=float)))


# ---- control flow: the cases of a function take all its paths -------------------------------


def _body_lines(fn):
    src, start = inspect.getsourcelines(fn)
    body_first = ast.parse(textwrap.dedent("".join(src))).body[0].body[0].lineno + start - 1
    return {line for _, _, line in fn.__code__.co_lines() if line is not None and line >= body_first}


def _lines_run(case):
    hit, code = set(), case.fn.__code__

    def local(frame, event, arg):
        if event == "line":
            hit.add(frame.f_lineno)
        return local

    def tracer(frame, event, arg):
        return local if frame.f_code is code else None

    old = sys.gettrace()
    sys.settrace(tracer)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            case.call()
    finally:
        sys.settrace(old)
    return hit


@pytest.mark.parametrize(
    "fn", [pytest.param(f, id=f.__name__) for m in (control_flow, higher_order) for f in catalog.functions(m)]
)
def test_cases_execute_every_line(fn):
    hit = set()
    for c in ALL_CASES:
        if c.fn is fn:
            hit |= _lines_run(c)
    missing = sorted(_body_lines(fn) - hit)
    assert not missing, f"no case of {fn.__name__} runs line(s) {missing}"


# ---- forward mode and higher order: the references agree ------------------------------------

JVP_CASES = [c for c in ALL_CASES if c.oracle and all_float_args(c)]
SCALAR_OUT = [c for c in catalog.cases(higher_order) if c.oracle and np.ndim(output_of(c)) == 0]
ARRAY_OUT = [c for c in catalog.cases(higher_order) if c.oracle and np.ndim(output_of(c)) > 0]
HIGHER_FNS = catalog.functions(higher_order)


@pytest.mark.parametrize("case", params(JVP_CASES, by_sourcead=False))
def test_autograd_jvp_and_vjp_agree_with_finite_differences(case):
    args = case.make_args()
    tangents = tuple(random_like(a, seed=10 + i) for i, a in enumerate(args))
    _, expected = numeric_jvp(case.fn, args, tangents)
    _, got = autograd_jvp(case.fn, args, tangents)
    assert_close(got, expected, AGREE_RTOL, AGREE_ATOL, "jvp")
    ct = random_like(np.asarray(output_of(case)), seed=3)
    _, cts = autograd_vjp(case.fn, args, ct)

    def weighted(*a):
        return np.sum(np.asarray(ct) * case.fn(*a))

    weighted.__signature__ = inspect.signature(case.fn)
    assert_close(cts, numeric_grad(weighted, args, tuple(range(len(args)))), AGREE_RTOL, AGREE_ATOL, "vjp")


@pytest.mark.parametrize("case", params(SCALAR_OUT, by_sourcead=False))
def test_autograd_hessian_agrees_with_finite_differences(case):
    args = case.make_args()
    assert_close(autograd_hessian(case.fn, args, case.wrt), numeric_hessian(case.fn, args, case.wrt), 1e-6, 1e-7)
    if not isinstance(wrt_argument(case), np.ndarray):
        assert_close(autograd_derivative(case.fn, args, case.wrt, 2), numeric_hessian(case.fn, args, case.wrt), 1e-6, 1e-7)


@pytest.mark.parametrize(
    "case", params([c for c in scalar_second_derivative_cases(ALL_CASES) if c.oracle and c.fn not in HIGHER_FNS])
)
def test_autograd_second_derivative_agrees_with_finite_differences(case):
    """grad(grad(f)) is also checked on the first-order catalogs' scalar cases."""
    args = case.make_args()
    assert_close(autograd_derivative(case.fn, args, case.wrt, 2), numeric_hessian(case.fn, args, case.wrt), 1e-6, 1e-7)


@pytest.mark.parametrize("case", params([c for c in SCALAR_OUT if "grad3" in c.tags]))
def test_autograd_third_derivative_agrees_with_finite_differences(case):
    args = case.make_args()

    def second(x):
        return autograd_derivative(case.fn, (x,) + args[1:], case.wrt, 2)

    assert_close(autograd_derivative(case.fn, args, case.wrt, 3), numeric_grad(second, (args[0],), 0), 1e-6, 1e-8)


@pytest.mark.parametrize("case", params(ARRAY_OUT, by_sourcead=False))
def test_autograd_jacobian_agrees_with_finite_differences(case):
    args = case.make_args()
    assert_close(autograd_jacobian(case.fn, args, case.wrt), numeric_jacobian(case.fn, args, case.wrt), AGREE_RTOL, AGREE_ATOL)


def test_higher_order_cases_have_a_single_wrt():
    for c in catalog.cases(higher_order):
        assert single_wrt(c), c.id
