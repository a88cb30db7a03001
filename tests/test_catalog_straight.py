"""sourcead on the straight-line catalog (tests/catalog/straight_line.py).

For every case: grad matches finite differences and autograd and has the arguments' kinds and
shapes; value_and_grad returns the function's value with that gradient; vjp with a random
cotangent matches both references (on cases whose arguments are all floats or float arrays).
"""

import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))

import catalog  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402
from catalog_checks import check_grad, check_value_and_grad, check_vjp, params  # noqa: E402

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
