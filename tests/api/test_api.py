"""The public API (DESIGN.md section 6): grad as a function and as a decorator, wrt by position and
by name, value_and_grad, vjp with a head cotangent, keyword arguments and defaults at call time,
the type and shape of every gradient (structurally zero ones included), show, ssa, source, repr.
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from oracle import assert_close, numeric_grad  # noqa: E402

import sourcead  # noqa: E402


def poly(x, y):
    return (x ** 2 + 4) * y - x / y


def chain(x):
    y = x * 2
    z = y * x
    return z


def pair(x, y):
    return x * y, x + y


def independent_of_x(x, y):
    return y * 2.0


def with_options(x, scale=2.0, *, power=2):
    return scale * x ** power


def counts(x, items):
    return x * len(items)


# ---- grad: function, decorator, wrt ------------------------------------------------------------


def test_grad_of_a_function():
    assert sourcead.grad(poly)(101.0, 12.0) == pytest.approx(2 * 101.0 * 12.0 - 1 / 12.0)


def test_grad_as_a_bare_decorator():
    @sourcead.grad
    def square_plus_four(x):
        return x ** 2 + 4

    assert isinstance(square_plus_four, sourcead.Derivative)
    assert square_plus_four(3.0) == 6.0


def test_grad_as_a_decorator_with_wrt():
    @sourcead.grad(wrt=(0, 1))
    def product(x1, x2):
        return x1 * x2

    assert product(1.0, 2.0) == (2.0, 1.0)


def test_value_and_grad_as_a_decorator():
    @sourcead.value_and_grad
    def cube(x):
        return x ** 3

    assert cube(2.0) == (8.0, 12.0)


@pytest.mark.parametrize("wrt, expected", [
    (0, 2 * 3.0 * 5.0 - 1 / 5.0),
    (1, 3.0 ** 2 + 4 + 3.0 / 25.0),
    ("x", 2 * 3.0 * 5.0 - 1 / 5.0),
    ("y", 3.0 ** 2 + 4 + 3.0 / 25.0),
    (-1, 3.0 ** 2 + 4 + 3.0 / 25.0),
], ids=["position-0", "position-1", "name-x", "name-y", "negative-position"])
def test_wrt_by_position_or_name_gives_one_gradient(wrt, expected):
    g = sourcead.grad(poly, wrt=wrt)(3.0, 5.0)
    assert type(g) is float and g == pytest.approx(expected)


@pytest.mark.parametrize("wrt", [(0, 1), ("x", "y"), (0, "y"), [0, 1]], ids=["positions", "names", "mixed", "list"])
def test_a_tuple_wrt_gives_a_tuple_in_that_order(wrt):
    g = sourcead.grad(poly, wrt=wrt)(3.0, 5.0)
    assert type(g) is tuple and len(g) == 2
    assert g == pytest.approx((2 * 3.0 * 5.0 - 1 / 5.0, 3.0 ** 2 + 4 + 3.0 / 25.0))
    assert sourcead.grad(poly, wrt=(1, 0))(3.0, 5.0) == pytest.approx(g[::-1])


def test_a_one_element_tuple_wrt_gives_a_one_element_tuple():
    g = sourcead.grad(poly, wrt=(1,))(3.0, 5.0)
    assert type(g) is tuple and len(g) == 1


def test_a_non_scalar_result_is_differentiated_through_its_sum():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    assert np.array_equal(sourcead.grad(chain)(x), 4 * x)
    assert sourcead.grad(pair, wrt=(0, 1))(2.0, 3.0) == (4.0, 3.0)


# ---- value_and_grad --------------------------------------------------------------------------------


def test_value_and_grad_returns_the_value_and_the_gradient():
    value, g = sourcead.value_and_grad(poly, wrt=(0, 1))(3.0, 5.0)
    assert value == poly(3.0, 5.0)
    assert g == sourcead.grad(poly, wrt=(0, 1))(3.0, 5.0)


def test_value_and_grad_of_an_array_function():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    value, g = sourcead.value_and_grad(chain)(x)
    assert np.array_equal(value, chain(x)) and np.array_equal(g, 4 * x)


def test_value_and_grad_of_a_tuple_returning_function():
    value, g = sourcead.value_and_grad(pair, wrt=(0, 1))(2.0, 3.0)
    assert value == (6.0, 5.0) and g == (4.0, 3.0)


# ---- vjp -------------------------------------------------------------------------------------------


def test_vjp_with_a_head_cotangent():
    """MXNet's head-gradient example: z = (x * 2) * x, z.backward(head) gives x.grad = 4 x head."""
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    head = np.array([[10.0, 1.0], [0.1, 0.01]])
    out, pullback = sourcead.vjp(chain, x)
    assert np.array_equal(out, chain(x))
    (dx,) = pullback(head)
    assert_close(dx, np.array([[40.0, 8.0], [1.2, 0.16]]), 1e-12, 1e-15)


def test_a_pullback_can_be_called_again_with_another_cotangent():
    x = np.array([1.0, -2.0])
    _, pullback = sourcead.vjp(chain, x)
    assert np.array_equal(pullback(np.ones(2))[0], 4 * x)
    assert np.array_equal(pullback(np.array([0.0, 2.0]))[0], np.array([0.0, -16.0]))


def test_vjp_of_a_tuple_returning_function():
    out, pullback = sourcead.vjp(pair, 2.0, 3.0)
    assert out == (6.0, 5.0)
    dx, dy = pullback((1.0, 10.0))
    assert (dx, dy) == (3.0 + 10.0, 2.0 + 10.0)
    assert type(dx) is float and type(dy) is float


def test_vjp_gives_none_for_a_primal_that_is_not_differentiable():
    out, pullback = sourcead.vjp(counts, 2.0, [1, 2, 3])
    assert out == 6.0
    assert pullback(1.0) == (3.0, None)


def test_vjp_fills_in_defaults():
    out, pullback = sourcead.vjp(poly_with_default, 3.0)
    assert out == 9.0 * 2.0
    assert pullback(1.0) == (12.0,)


def poly_with_default(x, k=2.0):
    return k * x ** 2


def test_vjp_of_a_function_with_a_keyword_only_parameter():
    out, pullback = sourcead.vjp(with_options, 3.0)
    assert out == 18.0
    assert pullback(1.0) == (12.0,)


# ---- calls: keywords and defaults ------------------------------------------------------------------


def test_defaults_are_used_when_arguments_are_left_out():
    assert sourcead.grad(with_options)(3.0) == 2.0 * 2 * 3.0


def test_keyword_arguments_at_call_time():
    df = sourcead.grad(with_options)
    assert df(3.0, scale=5.0) == 5.0 * 2 * 3.0
    assert df(x=3.0, power=3) == 2.0 * 3 * 9.0
    assert df(3.0, 5.0, power=1) == 5.0


def test_wrt_a_parameter_passed_by_keyword_or_left_to_its_default():
    assert sourcead.grad(with_options, wrt="scale")(3.0) == 9.0
    assert sourcead.grad(with_options, wrt="scale")(3.0, power=3, scale=1.0) == 27.0
    g = sourcead.grad(with_options, wrt="power")(2.0, power=3)
    assert type(g) is float and g == pytest.approx(2.0 * 8.0 * np.log(2.0))


# ---- the types and shapes of gradients -----------------------------------------------------------


@pytest.mark.parametrize("x", [
    3.0, 3, np.float64(3.0), np.int64(3),
], ids=["float", "int", "numpy-float64", "numpy-int64"])
def test_a_scalar_gets_a_python_float(x):
    g = sourcead.grad(chain)(x)
    assert type(g) is float and g == 12.0


@pytest.mark.parametrize("shape", [(3,), (2, 3), (2, 1, 2), (0,)], ids=["vector", "matrix", "3-d", "empty"])
def test_an_array_gets_a_float64_array_of_its_shape(shape):
    x = np.arange(int(np.prod(shape)), dtype=float).reshape(shape)
    g = sourcead.grad(chain)(x)
    assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == shape
    assert np.array_equal(g, 4 * x)


def test_a_0d_array_gets_a_0d_float64_array():
    g = sourcead.grad(chain)(np.array(3.0))
    assert isinstance(g, np.ndarray) and g.shape == () and g.dtype == np.float64 and g == 12.0


def test_a_float32_array_gets_a_float_array_of_its_shape():
    g = sourcead.grad(chain)(np.ones(3, dtype=np.float32))
    assert isinstance(g, np.ndarray) and g.shape == (3,) and g.dtype.kind == "f"


@pytest.mark.parametrize("x", [2.0, 2, np.ones((2, 3)), np.array(1.0), np.arange(3)],
                         ids=["float", "int", "matrix", "0-d", "int-vector"])
def test_a_structurally_zero_gradient_has_the_type_and_shape_of_its_argument(x):
    g = sourcead.grad(independent_of_x)(x, 3.0)
    if isinstance(x, np.ndarray):
        assert isinstance(g, np.ndarray) and g.dtype == np.float64 and g.shape == x.shape
        assert not g.any()
    else:
        assert type(g) is float and g == 0.0


def test_a_structurally_zero_gradient_in_a_tuple():
    gx, gy = sourcead.grad(independent_of_x, wrt=(0, 1))(np.ones(2), np.ones(3))
    assert np.array_equal(gx, np.zeros(2)) and gx.dtype == np.float64
    assert np.array_equal(gy, np.full(3, 2.0))


def test_gradients_match_finite_differences():
    x, y = np.array([0.5, -1.5, 2.0]), 1.7
    assert_close(sourcead.grad(poly, wrt=(0, 1))(x, y), numeric_grad(poly, (x, y), (0, 1)), 1e-6, 1e-8)


# ---- show, ssa, source, repr -----------------------------------------------------------------------


def test_show_prints_the_generated_source(capsys):
    df = sourcead.grad(chain)
    df(3.0)
    sourcead.show(df)
    printed = capsys.readouterr().out
    assert printed == sourcead.source(df)
    assert printed.startswith("def chain_grad(x):") and "return" in printed
    assert "# grad of: " in printed


def test_show_with_arguments_prints_that_specialisation(capsys):
    df = sourcead.grad(chain)
    sourcead.show(df, np.ones(2))
    assert capsys.readouterr().out == sourcead.source(df, np.ones(2))


def test_source_is_specialised_for_the_arguments_given():
    df = sourcead.grad(poly)
    first = sourcead.source(df)  # before any call: the version for floats, and a line saying so
    assert first.startswith("# specialised for float") and "unbroadcast" not in first
    assert "unbroadcast" not in sourcead.source(df, 3.0, 5.0)
    assert sourcead.source(df, np.ones(2), 5.0) != sourcead.source(df, 3.0, 5.0)


def test_ssa_returns_the_ir_as_text():
    text = sourcead.ssa(chain)
    assert isinstance(text, str)
    assert text.splitlines() == ["def chain(x):", "  y = mul(x, 2)", "  z = mul(y, x)", "  return z"]


def test_ssa_of_a_derivative_shows_its_program():
    df = sourcead.grad(chain)
    df(3.0)
    text = sourcead.ssa(df)
    assert isinstance(text, str) and text.startswith("def ")
    assert "mul(x, 2)" in text and "return d" in text


def test_the_repr_of_a_derivative_names_the_transform_the_function_and_wrt():
    text = repr(sourcead.grad(poly, wrt=1))
    assert text.startswith("<sourcead") and "grad" in text and "poly" in text and "wrt 1" in text
    assert "(0, 1)" in repr(sourcead.grad(poly, wrt=(0, 1)))
    assert "value_and_grad" in repr(sourcead.value_and_grad(poly))


def test_a_derivative_wraps_its_function():
    df = sourcead.grad(poly)
    assert df.__wrapped__ is poly and df.__name__ == "poly_grad" and df.__module__ == poly.__module__


# ---- outputs and arguments that are not numbers or arrays -----------------------------------------


def forgets_to_return(x):
    y = x * 2  # noqa: F841


def returns_a_string(x):
    return "done"


def returns_a_list(x):
    return [x, x * 2]


def takes_a_list(xs):
    return xs[0] * xs[1]


@pytest.mark.parametrize("fn", [forgets_to_return, returns_a_string], ids=["None", "str"])
def test_a_result_that_is_not_a_number_has_no_gradient(fn):
    with pytest.raises(sourcead.NonDifferentiableError):
        sourcead.grad(fn)(1.0)


# The refusals a caller may get for a container result or argument (an InternalError is not one).
REFUSALS = (sourcead.UnsupportedSyntaxError, sourcead.UnsupportedCallError, sourcead.NonDifferentiableError,
            sourcead.UsageError)


def test_a_list_result_is_differentiated_through_its_sum_or_refused():
    try:
        g = sourcead.grad(returns_a_list)(1.5)
    except REFUSALS:
        return
    assert g == 3.0


@pytest.mark.parametrize("xs", [[1.5, 2.0], (1.5, 2.0)], ids=["list", "tuple"])
def test_a_sequence_argument_gets_a_gradient_or_a_usage_error(xs):
    try:
        g = sourcead.grad(takes_a_list)(xs)
    except REFUSALS:
        return
    assert list(g) == [2.0, 1.5]
