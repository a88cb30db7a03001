"""sourcead on the control-flow catalog (tests/catalog/control_flow.py).

For every case: grad matches finite differences and autograd and has the arguments' kinds and
shapes; value_and_grad returns the function's value with that gradient; vjp with a random
cotangent matches both references (on cases whose arguments are all floats or float arrays).
Each function has one case per path; a test id names the function and the path it takes.
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import catalog  # noqa: E402
import catalog.control_flow as control_flow  # noqa: E402
from catalog_checks import check_grad, check_value_and_grad, check_vjp, params  # noqa: E402

CASES = catalog.cases(control_flow)

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
