"""sourcead's forward mode and higher-order derivatives on the catalog.

* higher_order catalog: jvp on every case; hessian, hvp on scalar outputs; grad(grad(f)) where the
  wrt argument is a scalar; grad(grad(grad(f))) on cases tagged "grad3"; jacobian on array outputs.
* straight-line and control-flow catalogs: jvp (forward mode) on every case whose arguments are all
  floats or float arrays, and grad(grad(f)) on those with a scalar wrt argument and a scalar output.

Everything is compared with autograd and with finite differences (tests/oracle.py).
"""

import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import catalog  # noqa: E402
import catalog.control_flow as control_flow  # noqa: E402
import catalog.higher_order as higher_order  # noqa: E402
import catalog.straight_line as straight_line  # noqa: E402
from catalog_checks import (  # noqa: E402
    all_float_args,
    check_grad,
    check_grad_of_grad,
    check_hessian,
    check_hvp,
    check_jacobian,
    check_jvp,
    check_third_derivative,
    output_of,
    params,
    scalar_second_derivative_cases,
)

pytestmark = pytest.mark.filterwarnings("ignore:Output seems independent of input")

HIGHER = catalog.cases(higher_order)
SCALAR_OUT = [c for c in HIGHER if np.ndim(output_of(c)) == 0]
ARRAY_OUT = [c for c in HIGHER if np.ndim(output_of(c)) > 0]
SCALAR_ARG = scalar_second_derivative_cases(HIGHER)
GRAD3 = [c for c in SCALAR_ARG if "grad3" in c.tags]

FIRST_ORDER = catalog.cases(straight_line) + catalog.cases(control_flow)
FORWARD = [c for c in FIRST_ORDER if all_float_args(c)]
SECOND = scalar_second_derivative_cases(FIRST_ORDER)


# ---- the higher-order catalog ---------------------------------------------------------------


@pytest.mark.parametrize("case", params(HIGHER))
def test_grad(case):
    check_grad(case)


@pytest.mark.parametrize("case", params(HIGHER))
def test_jvp(case):
    check_jvp(case)


@pytest.mark.parametrize("case", params(SCALAR_OUT))
def test_hessian(case):
    check_hessian(case)


@pytest.mark.parametrize("case", params(SCALAR_OUT))
def test_hvp(case):
    check_hvp(case)


@pytest.mark.parametrize("case", params(SCALAR_ARG))
def test_grad_of_grad(case):
    check_grad_of_grad(case)


@pytest.mark.parametrize("case", params(GRAD3))
def test_third_derivative(case):
    check_third_derivative(case)


@pytest.mark.parametrize("case", params(ARRAY_OUT))
def test_jacobian(case):
    check_jacobian(case)


# ---- the first-order catalogs, again, in forward mode and to second order --------------------


@pytest.mark.parametrize("case", params(FORWARD))
def test_jvp_first_order_catalogs(case):
    check_jvp(case)


@pytest.mark.parametrize("case", params(SECOND))
def test_grad_of_grad_first_order_catalogs(case):
    check_grad_of_grad(case)
