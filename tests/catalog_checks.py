"""The checks that the catalog test files run on each case (shared by test_catalog_*.py).

Each `check_*` takes a `catalog.Case`, runs one sourcead transform on it, and compares with the
oracles of tests/oracle.py: finite differences always, autograd unless the case says `oracle=False`.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from oracle import (  # noqa: E402
    assert_close,
    autograd_derivative,
    autograd_grad,
    autograd_hessian,
    autograd_hvp,
    autograd_jacobian,
    autograd_jvp,
    autograd_vjp,
    numeric_grad,
    numeric_hessian,
    numeric_jacobian,
    numeric_jvp,
    resolve_wrt,
)

# Exact derivatives (sourcead) against finite differences: the five-point stencil is good to ~1e-9
# on the catalog's inputs (tests/api/test_catalog_oracle.py measures it); this leaves a wide margin.
FD_RTOL, FD_ATOL = 1e-6, 1e-8
# Against finite differences of second order (Hessians, nested stencils).
FD2_RTOL, FD2_ATOL = 1e-5, 1e-6
# Exact against exact (sourcead against autograd): only rounding differs.
EXACT_RTOL, EXACT_ATOL = 1e-8, 1e-10
# The primal value that value_and_grad / vjp / jvp return against calling the function.
VALUE_RTOL, VALUE_ATOL = 1e-10, 1e-12


def sourcead():
    import sourcead as sa

    return sa


def fd_tol(case, rtol=FD_RTOL, atol=FD_ATOL):
    return dict(rtol=case.rtol if case.rtol is not None else rtol, atol=case.atol if case.atol is not None else atol)


def params(cases, by_sourcead=True):
    """pytest parameters with readable ids (function name + path label). (Cases tagged
    "list-append" use list mutation, refused until sourcead supported it; they run like the others.)"""
    return [pytest.param(c, id=c.id) for c in cases]


def is_float_like(x):
    return (isinstance(x, (float, np.floating)) and not isinstance(x, bool)) or (
        isinstance(x, np.ndarray) and np.issubdtype(x.dtype, np.floating)
    )


def all_float_args(case):
    """True when every argument is a float or a float array and nothing is passed by keyword:
    the cases on which vjp and jvp (which differentiate every primal) are checked."""
    return not case.make_kwargs() and all(is_float_like(a) for a in case.make_args())


def wrt_argument(case):
    """The value of the (single) wrt argument of a case."""
    names, single = resolve_wrt(case.fn, case.wrt)
    bound = inspect.signature(case.fn).bind(*case.make_args(), **case.make_kwargs())
    return bound.arguments[names[0]]


def single_wrt(case):
    return not isinstance(case.wrt, (tuple, list))


def scalar_second_derivative_cases(cases):
    """The cases on which grad(grad(f)) is a second derivative: a single float wrt argument, a
    scalar output, nothing passed by keyword."""
    out = []
    for c in cases:
        if not single_wrt(c) or c.make_kwargs():
            continue
        x = wrt_argument(c)
        if isinstance(x, (float, np.floating)) and np.ndim(output_of(c)) == 0:
            out.append(c)
    return out


def output_of(case):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return case.call()


def assert_value(actual, expected, what="value"):
    """The primal value sourcead returns equals the function's: arrays as arrays of that shape,
    scalars (float, np.float64 or a 0-d array from np.where and friends) as scalars."""
    if isinstance(expected, np.ndarray) and expected.ndim > 0:
        assert_close(actual, expected, VALUE_RTOL, VALUE_ATOL, what)
    else:
        assert np.ndim(actual) == 0, f"{what}: expected a scalar, got shape {np.shape(actual)}"
        assert_close(float(np.asarray(actual)), float(np.asarray(expected)), VALUE_RTOL, VALUE_ATOL, what)


def assert_unchanged(after, before, what):
    """Generated code must not mutate an argument that the function itself does not mutate."""
    for i, (a, b) in enumerate(zip(after, before, strict=True)):
        if isinstance(b, np.ndarray):
            assert np.array_equal(a, b), f"{what}: argument {i} was modified in place"


def random_like(x, seed=0):
    rs = np.random.RandomState(seed)
    if isinstance(x, np.ndarray) and x.ndim > 0:
        return rs.normal(size=x.shape)
    return float(rs.normal())


# ---- first order -----------------------------------------------------------------------------


def check_grad(case):
    """grad(f, wrt) matches finite differences and autograd, with the arguments' kinds and shapes."""
    args, kwargs = case.make_args(), case.make_kwargs()
    before = copy.deepcopy(args)
    got = sourcead().grad(case.fn, wrt=case.wrt)(*args, **kwargs)
    assert_unchanged(args, before, "grad")
    assert_close(got, numeric_grad(case.fn, args, case.wrt, kwargs=kwargs), what="grad vs finite differences", **fd_tol(case))
    if case.oracle:
        assert_close(got, autograd_grad(case.fn, args, case.wrt, kwargs=kwargs), EXACT_RTOL, EXACT_ATOL, "grad vs autograd")


def scalar_wrt_cases(cases):
    """Cases whose differentiated arguments are all Python scalars (float or int)."""
    out = []
    for c in cases:
        names, _ = resolve_wrt(c.fn, c.wrt)
        bound = inspect.signature(c.fn).bind(*c.make_args(), **c.make_kwargs()).arguments
        if all(type(bound[n]) in (float, int) for n in names):
            out.append(c)
    return out


def check_python_float_gradients(case):
    """The gradient of a Python float or int argument is a Python float: not np.float64 (which
    assert_close lets pass, being a float subclass) and not a 0-d array."""
    got = sourcead().grad(case.fn, wrt=case.wrt)(*case.make_args(), **case.make_kwargs())
    for g in got if isinstance(got, tuple) else (got,):
        assert type(g) is float, f"expected a Python float, got {type(g).__module__}.{type(g).__name__} {g!r}"


def check_value_and_grad(case):
    """value_and_grad returns f's value and the same gradient as the references."""
    args, kwargs = case.make_args(), case.make_kwargs()
    value, got = sourcead().value_and_grad(case.fn, wrt=case.wrt)(*args, **kwargs)
    assert_value(value, output_of(case), "value_and_grad value")
    if case.oracle:
        expected, rtol, atol = autograd_grad(case.fn, args, case.wrt, kwargs=kwargs), EXACT_RTOL, EXACT_ATOL
    else:
        expected, rtol, atol = numeric_grad(case.fn, args, case.wrt, kwargs=kwargs), *fd_tol(case).values()
    assert_close(got, expected, rtol, atol, "value_and_grad gradient")


def check_vjp(case):
    """vjp(f, *args) gives f's value and, for a random cotangent, one cotangent per primal."""
    if not all_float_args(case):
        pytest.skip("vjp is checked on cases whose arguments are all floats or float arrays")
    args = case.make_args()
    out = output_of(case)
    ct = random_like(np.asarray(out), seed=3)
    value, pullback = sourcead().vjp(case.fn, *args)
    assert_value(value, out, "vjp value")
    cts = pullback(ct)
    assert isinstance(cts, tuple) and len(cts) == len(args), f"pullback must return {len(args)} cotangents, got {cts!r}"
    weighted = _weighted(case.fn, ct)
    expected_fd = numeric_grad(weighted, args, tuple(range(len(args))))
    assert_close(cts, expected_fd, what="vjp vs finite differences", **fd_tol(case))
    if case.oracle:
        _, expected = autograd_vjp(case.fn, args, ct)
        assert_close(cts, expected, EXACT_RTOL, EXACT_ATOL, "vjp vs autograd")


def _weighted(fn, ct):
    """sum(ct * fn(...)) with fn's signature, so its gradient is the vjp of fn with cotangent ct."""

    def weighted(*args):
        return np.sum(np.asarray(ct) * fn(*args))

    weighted.__signature__ = inspect.signature(fn)
    return weighted


# ---- forward mode and higher order ----------------------------------------------------------


def check_jvp(case):
    """jvp(f, primals, tangents) gives f's value and the directional derivative along tangents."""
    if not all_float_args(case):
        pytest.skip("jvp is checked on cases whose arguments are all floats or float arrays")
    args = case.make_args()
    tangents = tuple(random_like(a, seed=10 + i) for i, a in enumerate(args))
    out = output_of(case)
    value, t_out = sourcead().jvp(case.fn, args, tangents)
    assert_value(value, out, "jvp value")
    _, expected_fd = numeric_jvp(case.fn, args, tangents)
    assert_close(t_out, expected_fd, what="jvp vs finite differences", **fd_tol(case))
    if case.oracle:
        _, expected = autograd_jvp(case.fn, args, tangents)
        assert_close(t_out, expected, EXACT_RTOL, EXACT_ATOL, "jvp vs autograd")


def check_hessian(case):
    """hessian(f, wrt): arg.shape + arg.shape (a float for a scalar argument)."""
    args = case.make_args()
    got = sourcead().hessian(case.fn, wrt=case.wrt)(*args)
    assert_close(got, numeric_hessian(case.fn, args, case.wrt), what="hessian vs finite differences", **fd_tol(case, FD2_RTOL, FD2_ATOL))
    if case.oracle:
        assert_close(got, autograd_hessian(case.fn, args, case.wrt), EXACT_RTOL, EXACT_ATOL, "hessian vs autograd")


def check_hvp(case):
    """hvp(f, wrt)(*args, v) is the Hessian times v, shaped like the argument."""
    args = case.make_args()
    v = random_like(wrt_argument(case), seed=5)
    got = sourcead().hvp(case.fn, wrt=case.wrt)(*args, v)
    hess = numeric_hessian(case.fn, args, case.wrt)
    if isinstance(v, np.ndarray):
        expected_fd = (np.asarray(hess).reshape(v.size, v.size) @ v.reshape(-1)).reshape(v.shape)
    else:
        expected_fd = float(hess * v)
    assert_close(got, expected_fd, what="hvp vs finite differences", **fd_tol(case, FD2_RTOL, FD2_ATOL))
    if case.oracle:
        assert_close(got, autograd_hvp(case.fn, args, v, case.wrt), EXACT_RTOL, EXACT_ATOL, "hvp vs autograd")


def check_grad_of_grad(case):
    """grad(grad(f, wrt), wrt) for a scalar argument: the second derivative, a float."""
    sa = sourcead()
    args = case.make_args()
    got = sa.grad(sa.grad(case.fn, wrt=case.wrt), wrt=case.wrt)(*args)
    assert_close(got, numeric_hessian(case.fn, args, case.wrt), what="grad(grad) vs finite differences", **fd_tol(case, FD2_RTOL, FD2_ATOL))
    if case.oracle:
        assert_close(got, autograd_derivative(case.fn, args, case.wrt, 2), EXACT_RTOL, EXACT_ATOL, "grad(grad) vs autograd")


def check_third_derivative(case):
    """grad(grad(grad(f))) against autograd, and against finite differences of autograd's second
    derivative."""
    sa = sourcead()
    args = case.make_args()
    d = case.fn
    for _ in range(3):
        d = sa.grad(d, wrt=case.wrt)
    got = d(*args)
    expected = autograd_derivative(case.fn, args, case.wrt, 3)
    assert_close(got, expected, EXACT_RTOL, EXACT_ATOL, "third derivative vs autograd")
    names, _ = resolve_wrt(case.fn, case.wrt)
    position = list(inspect.signature(case.fn).parameters).index(names[0])

    def second(x):
        return autograd_derivative(case.fn, args[:position] + (x,) + args[position + 1:], case.wrt, 2)

    expected_fd = numeric_grad(second, (float(args[position]),), 0)
    assert_close(got, expected_fd, what="third derivative vs finite differences", **fd_tol(case))


def check_jacobian(case):
    """jacobian(f, wrt): out.shape + arg.shape."""
    args = case.make_args()
    got = sourcead().jacobian(case.fn, wrt=case.wrt)(*args)
    assert_close(got, numeric_jacobian(case.fn, args, case.wrt), what="jacobian vs finite differences", **fd_tol(case))
    if case.oracle:
        assert_close(got, autograd_jacobian(case.fn, args, case.wrt), EXACT_RTOL, EXACT_ATOL, "jacobian vs autograd")
