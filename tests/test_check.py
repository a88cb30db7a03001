"""sourcead.check_grad: a per-argument report against central finite differences, and
GradientCheckError when asked to raise on a mismatch."""

import numpy as np
import pytest

import sourcead
from sourcead.check import GradientCheck, numeric_gradient


def seed_poly(x, y):
    return (x ** 2 + 4) * y - x / y


def loss(w, b, x):
    return np.sum((w * x + b - 3.0) ** 2)


def kink(x):
    if x > 0:
        return x
    return 2 * x


def wrongly_ruled(x):
    return x ** 3


def uses_wrong_rule(x):
    return wrongly_ruled(x) * 2.0


def test_a_correct_gradient_passes_with_one_row_per_argument():
    report = sourcead.check_grad(seed_poly, 101.0, 12.0, wrt=(0, 1))
    assert isinstance(report, GradientCheck) and report.ok and bool(report)
    assert [row.name for row in report.rows] == ["x", "y"]
    assert report.rows[0].analytic == pytest.approx(2423.9166666666665, rel=1e-12)
    assert report.rows[0].numeric == pytest.approx(2423.9166666666665, rel=1e-7)
    assert all(row.max_rel_error < 1e-8 for row in report.rows)


def test_the_report_prints_as_a_table():
    x, b = np.array([0.5, 1.5, -2.0]), 0.25
    text = str(sourcead.check_grad(loss, x, b, np.array([1.0, 2.0, 3.0]), wrt=("w", "b")))
    lines = text.splitlines()
    assert lines[0].startswith("gradient check of loss")
    assert lines[1].split()[:2] == ["argument", "shape"]
    assert lines[2].split()[:2] == ["w", "3"] and lines[2].endswith("yes")
    assert lines[3].split()[:2] == ["b", "scalar"] and lines[3].endswith("yes")


def test_a_kink_is_reported_not_raised_by_default():
    report = sourcead.check_grad(kink, 0.0)  # the else branch's slope 2 against (h + 2h) / 2h
    assert not report.ok and report.rows[0].max_abs_error == pytest.approx(0.5)
    assert str(report).splitlines()[-1].endswith("NO")


def test_a_wrong_rule_raises_when_asked():
    @sourcead.adjoint(wrongly_ruled)
    def _wrong(ct, ans, x):
        return ct * 2 * x ** 2  # should be 3 * x ** 2

    assert sourcead.check_grad(uses_wrong_rule, 1.5).ok is False
    with pytest.raises(sourcead.GradientCheckError) as info:
        sourcead.check_grad(uses_wrong_rule, 1.5, raise_on_mismatch=True)
    assert isinstance(info.value, sourcead.SourceADError)
    assert "disagrees with finite differences" in str(info.value) and "uses_wrong_rule" in str(info.value)
    assert info.value.hint and "sourcead.show" in info.value.hint


def test_integer_arguments_are_checked_as_floats():
    report = sourcead.check_grad(seed_poly, 3, 2, wrt=(0, 1))
    assert report.ok and report.rows[0].analytic == pytest.approx(2 * 3 * 2 - 1 / 2)


def test_a_derivative_is_refused_with_a_hint():
    with pytest.raises(sourcead.UsageError, match="not its gradient"):
        sourcead.check_grad(sourcead.grad(seed_poly), 1.0, 2.0)


def test_numeric_gradient_of_an_array_argument():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(numeric_gradient(lambda a: 2 * a * a, [x], 0), 4 * x, rtol=1e-8)


def concatenated(x):
    out = (x ** 0,)
    out = out + (x ** 1,)
    out = out + (x ** 2,)
    return out[0] + out[1] + out[2]


def concatenated_list(x):
    a = [x]
    b = [x * x]
    c = a + b
    return c[1]


@pytest.mark.parametrize("f, x, want", [(concatenated, 2.0, 5.0), (concatenated_list, 2.0, 4.0)])
def test_check_grad_catches_a_wrong_gradient_of_concatenation(f, x, want):
    """Found while writing docs/limitations.md: 1 + x + x**2 built by tuple concatenation got
    d/dx = 15.0 at x = 2 (the right value is 5.0), a silently wrong number; concatenation is now
    differentiated as such (passes/containers.py)."""
    assert sourcead.grad(f)(x) == pytest.approx(want)
    assert sourcead.check_grad(f, x).ok


def test_grad_with_check_checks_the_first_call():
    """grad(f, check=True) compares its first call with finite differences; a wrong custom rule is
    caught there (and later calls run unchecked)."""
    def wrong(x):
        return x * 3.0

    @sourcead.adjoint(wrong)
    def wrong_adjoint(ct, ans, x):
        return ct * 2.0  # should be 3.0

    @sourcead.tangent(wrong)
    def wrong_tangent(t, ans, x):
        return t * 2.0

    def uses(x):
        return wrong(x) + x * x

    with pytest.raises(sourcead.GradientCheckError, match="disagrees"):
        sourcead.grad(uses, check=True)(1.5)
    assert sourcead.grad(lambda_free, check=True)(1.5) == pytest.approx(2 * 1.5 + np.cos(1.5))


def lambda_free(x):
    return x * x + np.sin(x)
