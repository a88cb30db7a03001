"""The rules that claim to hold for complex operands, checked on complex operands.

Every case of the spec table (tests/rules) whose function is listed as holomorphic or linear in
`rules.complex_` is run again with its float arguments made complex (a random imaginary part
added), against central finite differences along random complex directions (the real and the
imaginary axis at once), paired as JAX pairs them: Re(a * b). The rules that complex operands get
in place of the real ones (|z|) are checked the same way.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

import test_rules as table
from sourcead.rules import complex_
from spec import C

_rng = np.random.default_rng(20261201)


def _complexified(v):
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return v + 1j * _rng.standard_normal(v.shape)
    if isinstance(v, float):
        return complex(v, _rng.standard_normal())
    if isinstance(v, (list, tuple)) and any(isinstance(e, (float, np.ndarray)) for e in v):
        return type(v)(_complexified(e) for e in v)
    return v


def _complex_cases():
    out = []
    for case in table.CASES:
        try:
            listed = case.target in complex_.HOLOMORPHIC_OR_LINEAR
        except TypeError:
            listed = False
        if not listed:
            continue
        args = tuple(_complexified(a) for a in case.args)
        if case.target in (operator.pow, np.power):  # a positive real part: away from the branch cut of log
            args = (case.args[0] + 0.3j * _rng.uniform(size=np.shape(case.args[0])), *args[1:])
        try:
            table.call(case.target, args, case.kwargs)
        except (TypeError, ValueError):  # NumPy's own refusal (np.array(z, dtype=int)): nothing to check
            continue
        out.append(C(case.label + "-complex", case.target, *args, **case.kwargs))
    return out


CASES = _complex_cases()
_Z = _rng.standard_normal((3, 4)) + 1j * _rng.standard_normal((3, 4))
OWN_RULES = [C("complex", np.absolute, _Z), C("complex", abs, complex(0.3, -1.2)),
             C("complex", operator.abs, _Z[0])]


def test_the_listed_rules_have_complex_cases():
    listed = {t for t in complex_.HOLOMORPHIC_OR_LINEAR if table.registry.lookup_adjoint(t) is not None}
    covered = {c.target for c in CASES}
    assert len(CASES) > 100 and listed - covered <= {complex}, sorted(map(str, listed - covered))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_adjoint_on_complex_operands(case):
    table.check_adjoint(case)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tangent_on_complex_operands(case):
    table.check_tangent(case)


class _Swapped:
    """The registry's view with the complex rule of a function in place of its real one."""

    def __init__(self, target):
        self.target = target

    def __enter__(self):
        reg = table.registry
        self.saved = reg._ADJOINT[self.target], reg._TANGENT[self.target]
        reg._ADJOINT[self.target] = complex_.complex_rule(self.target, "adjoint")
        reg._TANGENT[self.target] = complex_.complex_rule(self.target, "tangent")

    def __exit__(self, *exc):
        table.registry._ADJOINT[self.target], table.registry._TANGENT[self.target] = self.saved


@pytest.mark.parametrize("case", OWN_RULES, ids=[c.id for c in OWN_RULES])
def test_the_complex_rule_of_abs(case):
    with _Swapped(case.target):
        table.check_adjoint(case)
        table.check_tangent(case)


def test_abs_of_complex_zero_has_slope_zero():
    rule = complex_.complex_rule(np.absolute, "adjoint").fn
    assert rule(1.0, 0.0, 0j) == 0


@pytest.mark.parametrize("op", [np.maximum, operator.lt, np.sort, np.floor, np.sign, np.max, np.clip])
def test_order_is_refused_on_complex(op):
    assert not complex_.supports(op)
    assert "no order" in complex_.refusal(op)


def test_functions_without_a_complex_claim_are_refused():
    for op in (np.arctan, np.log1p, np.prod, np.linalg.norm, np.fft.rfft):
        assert not complex_.supports(op), op
