"""sourcead on the straight-line catalog (tests/catalog/straight_line.py).

For every case: grad matches finite differences and autograd and has the arguments' kinds and
shapes; value_and_grad returns the function's value with that gradient; vjp with a random
cotangent matches both references (on cases whose arguments are all floats or float arrays).
`assert_close` accepts np.float64 where a float is expected; the stricter "a Python float, exactly"
of the API spec has its own test, so that it fails once per case rather than hiding other failures.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import catalog  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402
from catalog_checks import (  # noqa: E402
    check_grad,
    check_python_float_gradients,
    check_value_and_grad,
    check_vjp,
    params,
    scalar_wrt_cases,
)

CASES = catalog.cases(straight_line)

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")


@pytest.mark.parametrize("case", params(CASES))
def test_grad(case):
    check_grad(case)


@pytest.mark.parametrize("case", params(CASES))
def test_value_and_grad(case):
    check_value_and_grad(case)


@pytest.mark.parametrize("case", params(CASES))
def test_vjp(case):
    check_vjp(case)


@pytest.mark.parametrize("case", params(scalar_wrt_cases(CASES)))
def test_gradient_of_a_python_scalar_is_a_python_float(case):
    check_python_float_gradients(case)
