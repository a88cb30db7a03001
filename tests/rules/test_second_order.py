"""Second order from the spec table: every rule differentiated again, through the compiler.

For one case of each target of the spec table (`test_rules.CASES`, its first with a float array or
float argument the rule differentiates), a scalar function

    f(x) = sum over the result's leaves of  c * target(..., x, ...)

is written to a module (the other arguments are its globals, c a fixed random cotangent) and
compiled. Its Hessian-vector product, forward over reverse (``jvp(grad(f))``) and reverse over
reverse (``vjp(grad(f))``), must agree with central finite differences of ``grad(f)`` along v --
which is the rule's adjoint body differentiated by the rules of everything it calls.

`SECOND_ORDER_OPT_OUT` lists the targets that are not checked, each with its reason: those whose
second derivative is refused on purpose, and those whose cases sit where finite differences of the
gradient are not the Hessian (a kink of a piecewise-linear function is fine: both sides agree on 0).
"""

from __future__ import annotations

import importlib.util
import math
import sys
import zlib

import numpy as np
import pytest

import sourcead
from sourcead import runtime
from sourcead.rules import registry
from spec import target_name
from test_rules import CASES, is_float_leaf, locate

# target -> why its second derivative is not checked here
SECOND_ORDER_OPT_OUT = {
    runtime.norm_weight: "its rules call norm_weight_dx/dnorm, which have no rules: third order is refused",
    runtime.sinc_slope: "its rules call sinc_curvature, which has no rules: third derivatives of sinc are refused",
    np.linalg.cond: "its rules call cond_weight, which has no rules: second order is refused",
    np.corrcoef: "its rules call corrcoef_cov_ct/corrcoef_jvp, which have no rules: second order is refused",
    runtime.unfield: "its result is a dict (a dataclass's fields), which this harness's directions do not span; "
                     "second order through dataclass fields is checked by hvp in tests/api/test_pytrees.py",
    runtime.dict_with: "its result is a dict, which this harness's directions do not span; second order of "
                       "d[k] = v is checked by hessian in tests/test_containers.py",
}

_EPS = 1e-5
_RTOL, _ATOL = 1e-5, 1e-6


def _argument_index(case, rule):
    """The position (in case.args) of the first float argument the rule differentiates, or None."""
    for name in rule.diff_params:
        where = locate(rule, name, case.args, case.kwargs)
        if where[0] != "args":
            continue
        value = case.args[where[1]]
        if is_float_leaf(value) and not isinstance(value, (list, tuple)) and not np.iscomplexobj(value):
            return where[1]  # (second derivatives with respect to complex values are not supported)
    return None


def _second_order_cases():
    seen, out = set(), []
    for case in CASES:
        key = id(case.target)
        if key in seen or case.target in SECOND_ORDER_OPT_OUT or not callable(case.target):
            continue
        rule = registry.lookup_adjoint(case.target)
        if rule is None or _argument_index(case, rule) is None:
            continue
        seen.add(key)
        out.append(case)
    return out


CASES_2 = _second_order_cases()


def _literal(v) -> bool:
    if isinstance(v, tuple):
        return all(_literal(e) for e in v)
    return v is None or isinstance(v, (bool, int, float, str)) and not isinstance(v, np.generic)


def _source(index, case, k, ans):
    """The module text of case `index`'s scalar function of its k-th argument."""
    names = {}

    def spell(value, name):
        if _literal(value) and not (isinstance(value, float) and not math.isfinite(value)):
            return repr(value)
        names[name] = value
        return name

    args = [("x" if i == k else spell(a, f"A{i}")) for i, a in enumerate(case.args)]
    kwargs = [f"{key}={spell(v, f'K_{key}')}" for key, v in case.kwargs.items()]
    call = f"TARGET({', '.join(args + kwargs)})"
    if isinstance(ans, (list, tuple)):
        if any(isinstance(a, (list, tuple)) for a in ans):
            return None, names
        body = "    out = " + call + "\n    return " + " + ".join(
            f"np.sum(np.real(C[{j}] * out[{j}]))" if np.iscomplexobj(a) else f"np.sum(C[{j}] * out[{j}])"
            for j, a in enumerate(ans))
    elif np.iscomplexobj(ans):  # a real function of the complex result
        body = f"    return np.sum(np.real(C * {call}))"
    else:
        body = f"    return np.sum(C * {call})"
    return f"import numpy as np\n\n\ndef case_{index}(x):\n{body}\n", names


def _compiled(tmp_path_factory, index, case, k, ans, c):
    text, names = _source(index, case, k, ans)
    if text is None:
        pytest.skip("a result of nested lists")
    path = tmp_path_factory.mktemp("second_order") / f"case_{index}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(f"second_order_case_{index}", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    module.__dict__.update(names, TARGET=case.target, C=c)
    return getattr(module, f"case_{index}")


def _like(v, rng):
    if isinstance(v, (list, tuple)):
        return [_like(e, rng) for e in v]
    if np.iscomplexobj(v) and np.any(np.imag(v)):  # (NumPy 2.5's eig gives real results a complex dtype)
        return rng.standard_normal(np.shape(v)) + 1j * rng.standard_normal(np.shape(v))
    return rng.standard_normal(np.shape(v)) if np.ndim(v) else float(rng.standard_normal())


@pytest.mark.parametrize("index", range(len(CASES_2)), ids=[c.id for c in CASES_2])
def test_hessian_vector_product_of_each_rule(index, tmp_path_factory):
    case = CASES_2[index]
    rule = registry.lookup_adjoint(case.target)
    k = _argument_index(case, rule)
    rng = np.random.default_rng(zlib.crc32(case.id.encode()))
    with np.errstate(all="ignore"):
        ans = case.target(*case.args, **case.kwargs)
    f = _compiled(tmp_path_factory, index, case, k, ans, _like(ans, rng))
    x = case.args[k]
    v = _like(x, rng) if isinstance(x, np.ndarray) else float(rng.standard_normal())
    v = np.asarray(v) if isinstance(x, np.ndarray) else v
    g = sourcead.grad(f)
    fd = (np.asarray(g(x + _EPS * v)) - np.asarray(g(x - _EPS * v))) / (2 * _EPS)
    _, forward = sourcead.jvp(g, (x,), (v,))
    np.testing.assert_allclose(forward, fd, rtol=_RTOL, atol=_ATOL, err_msg="forward over reverse")
    _, pullback = sourcead.vjp(g, x)
    (reverse,) = pullback(v)
    np.testing.assert_allclose(reverse, fd, rtol=_RTOL, atol=_ATOL, err_msg="reverse over reverse")


def test_the_sample_covers_most_rules():
    assert len(CASES_2) > 300


def test_every_opt_out_has_a_rule():
    for target in SECOND_ORDER_OPT_OUT:
        assert registry.lookup_adjoint(target) is not None, target_name(target)
