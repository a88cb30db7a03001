"""The errors a user can cause through the API: each is a `SourceADError` subclass that names the
user's own file and line, shows the line with a caret under the construct, says what is not
supported and what to write instead (errors.py, STYLE.md habit 10): calls without a rule or source,
names unbound on a path, API misuse, things that are not functions (the front end's syntax
refusals are in tests/frontend/test_refusals.py). Then a small fuzz: weird but valid functions either
differentiate correctly or are refused with a SourceADError -- never an AttributeError, KeyError or
TypeError from inside sourcead.

The functions differentiated here are defined in this file, so the file every message must name is
this one, at the line where the offending construct is written.
"""

import functools
import inspect
import math
import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

from located import assert_located  # noqa: E402
from oracle import assert_close, numeric_grad  # noqa: E402

import sourcead  # noqa: E402
from sourcead import (SourceADError, SourceUnavailableError, UnboundNameError, UnsupportedCallError,  # noqa: E402
                      UsageError)


def refusal(fn, *args, **kwargs) -> SourceADError:
    """The error sourcead raises on purpose (an InternalError is a bug of ours: it fails here)."""
    with pytest.raises(SourceADError) as info:
        sourcead.grad(fn)(*args, **kwargs)
    assert not isinstance(info.value, sourcead.InternalError), str(info.value)
    return info.value


# ---- calls without a rule or source ---------------------------------------------------------------


def calls_i0(x):
    return np.sum(np.i0(x))


def calls_fsum(x):
    return math.fsum((x, x))


@pytest.mark.parametrize("fn, arg, snippet, name", [
    (calls_i0, np.eye(2) * 2.0, "np.i0", "np.i0"),
    (calls_fsum, 1.5, "math.fsum", "math.fsum"),
], ids=["np.i0", "math.fsum"])
def test_a_call_with_neither_rule_nor_source_names_it_and_shows_how_to_register_a_rule(fn, arg, snippet, name):
    err = refusal(fn, arg)
    assert isinstance(err, UnsupportedCallError)
    assert_located(err, fn, snippet)
    assert name in err.message
    assert f"@sourcead.adjoint({name})" in err.hint and "def rule(ct, ans" in err.hint


def test_the_register_a_rule_hint_is_laid_out_on_two_lines():
    """Regression: the hint was built with an escaped '\\n' and showed a literal backslash-n."""
    err = refusal(calls_fsum, 1.5)
    assert "\\n" not in err.hint
    assert "@sourcead.adjoint(math.fsum)\ndef rule(ct, ans" in err.hint


def recursive(x, n):
    if n == 0:
        return x
    return recursive(x * 2, n - 1)


def test_recursion_is_refused_at_the_recursive_call():
    err = refusal(recursive, 1.0, 2)
    assert isinstance(err, UnsupportedCallError)
    assert_located(err, recursive, "recursive(x * 2")
    assert "recursion" in err.message and "loop" in err.hint


# ---- unbound on a path: a run-time error that is also Python's ------------------------------------


def bound_on_one_path(x):
    if x > 0:
        y = x
    return y * 2


def test_a_variable_unbound_on_the_path_taken_raises_at_call_time():
    df = sourcead.grad(bound_on_one_path)
    assert df(1.0) == 2.0
    with pytest.raises(UnboundNameError) as info:
        df(-1.0)
    assert isinstance(info.value, UnboundLocalError) and isinstance(info.value, SourceADError)
    assert "'y'" in str(info.value)
    with pytest.raises(UnboundLocalError):
        bound_on_one_path(-1.0)  # as Python itself does


def test_a_variable_unbound_on_the_path_taken_is_located_in_the_users_file():
    with pytest.raises(UnboundNameError) as info:
        sourcead.grad(bound_on_one_path)(-1.0)
    assert_located(info.value, bound_on_one_path, "y * 2")


# ---- API misuse: UsageError -------------------------------------------------------------------------


def two_params(x, y):
    return x * y


@pytest.mark.parametrize("wrt, words", [
    (2, "out of range"),
    (-3, "out of range"),
    ("z", "no parameter named 'z'"),
    ((0, 0), "twice"),
    ((0, "x"), "twice"),
    ((), "no gradient"),
    (1.5, "position or name"),
], ids=["too-large", "too-negative", "unknown-name", "duplicate", "duplicate-by-name", "empty", "a-float"])
def test_a_bad_wrt_is_a_usage_error(wrt, words):
    with pytest.raises(UsageError, match=words):
        sourcead.grad(two_params, wrt=wrt)


def takes_star_args(x, *rest):
    return x


def test_wrt_a_star_star_parameter_is_a_usage_error():
    def takes_options(x, **options):
        return x

    with pytest.raises(UsageError, match=r"\*\*options"):
        sourcead.grad(takes_options, wrt=1)


@pytest.mark.parametrize("call, words", [
    (lambda df: df(1.0), "missing"),
    (lambda df: df(1.0, 2.0, 3.0), "too many"),
    (lambda df: df(1.0, 2.0, z=3.0), "unexpected keyword"),
], ids=["too-few", "too-many", "unknown-keyword"])
def test_calling_a_derivative_with_the_wrong_arguments_is_a_usage_error(call, words):
    with pytest.raises(UsageError, match=words):
        call(sourcead.grad(two_params))


def test_source_of_a_plain_function_needs_arguments_to_specialise_for():
    with pytest.raises(UsageError, match="needs the arguments"):
        sourcead.source(two_params)


def test_the_cotangent_must_match_the_output_structure():
    _, pullback = sourcead.vjp(returns_pair, 1.0)
    with pytest.raises(UsageError, match="parts"):
        pullback((1.0, 2.0, 3.0))


def returns_pair(x):
    return x * 2, x * 3


# ---- no source, not a function -------------------------------------------------------------------


def test_a_function_made_by_exec_from_a_string_has_no_source():
    ns = {}
    exec("def from_string(x):\n    return x * x\n", ns)
    with pytest.raises(SourceUnavailableError) as info:
        sourcead.grad(ns["from_string"])(1.0)
    err = info.value
    assert "from_string" in err.message and "not available" in err.message
    assert "define the function in a file" in err.hint and "@sourcead.adjoint" in err.hint


@pytest.mark.parametrize("thing", [3, "f", (two_params,), [1.0]], ids=["int", "str", "tuple", "list"])
def test_grad_of_something_that_is_not_a_function_is_a_usage_error(thing):
    with pytest.raises(UsageError):
        sourcead.grad(thing)


def test_a_builtin_has_no_source():
    with pytest.raises(SourceUnavailableError, match="not a Python function"):
        sourcead.grad(math.sin)(1.0)


class Squarer:
    def __call__(self, x):
        return x * x

    def method(self, x):
        return x * x


def test_a_bound_method_is_differentiated():
    assert sourcead.grad(Squarer().method)(1.5) == 3.0


def test_grad_of_a_numpy_ufunc_is_a_sourcead_error():
    with pytest.raises(SourceUnavailableError, match="ufunc"):
        sourcead.grad(np.sin)(1.0)


def test_grad_of_a_callable_instance_is_differentiated():
    assert sourcead.grad(Squarer())(1.5) == 3.0


def test_grad_of_a_partial_is_differentiated():
    df = sourcead.grad(functools.partial(two_params, y=2.0))
    assert df(1.0) == pytest.approx(sourcead.grad(two_params)(1.0, 2.0))


# ---- a small fuzz: weird but valid functions ---------------------------------------------------


def helper_branch(u, k=2.0):
    if u > 0:
        return u * k
    return -u


def helper_loop(u):
    s = 0.0
    for i in range(3):
        s = s + u * i
    return s


def helper_return_in_loop(x):
    for i in range(4):
        if x > 5.0:
            return x
        x = x * 2
    return x


def w_truthiness(x):
    return x if x else 0.0


def w_self_assignment(x):
    y = x
    y = y
    return y


def w_chained_assignment(x):
    a = b = c = x
    return a * b * c


def w_literal_containers(x):
    return (x,)[0] * [x, x * 2][1] + (x, x * 2)[-1]


def w_unary_signs(x):
    return -(-x) + +x


def w_right_associative_power(x):
    return x ** 0.5 ** 2 + x ** -1


def w_builtins(x):
    return max(x, 0.5) + min(x, -3.0) + sum((x, x, x)) + float(x) * 2 + pow(x, 3) + len((x, x)) * x


def w_dead_loops(x):
    while False:
        x = x + 1
    for _ in range(0):
        x = 0.0
    return x * 3


def w_loop_variable_after_loop(x):
    for i in range(3):
        pass
    return x * i


def w_if_true(x):
    if True:
        return x * 2


def w_nested_conditional_expression(x):
    return x if x > 0 else (x if x < -1 else 2 * x)


def w_nested_unpacking(x):
    a, (b, c) = x, (x, 2.0)
    t = (x, 2.0)
    d, e = t
    return a * b * c + d ** e


def w_while_true_break(x):
    s = 0.0
    i = 0
    while True:
        i += 1
        s += x * i
        if i >= 3:
            break
    return s


def w_floor_and_mod(x):
    return x // 1.0 + x % 1.0 + round(x) + int(x)


def w_booleans_as_numbers(x):
    return (x > 0) * x + x * True


def w_continue_in_nested_loops(x):
    for i in range(2):
        for j in range(2):
            if i == j:
                continue
            x = x * 1.5
    return x


def w_rebound_parameter(x):
    y = x
    x = 2.0
    return x * y


def w_is_none_and_strings(x):
    return (x if x is not None else 0.0) + ("abc" and x) + (None or x)


def w_and_or_values(x):
    return (x < 1) and x or -x


def w_numpy_on_scalars(x):
    return np.sum([x, 2 * x]) + np.array([x, x]).sum() + np.float64(x) * 2 + np.where(x > 0, x, 0.0)


def w_conditional_in_loop(x):
    z = x
    for k in range(3):
        z = z * z if k % 2 else z + x
    return z


def w_while_else(x):
    i = 0
    while i < 3 and x < 100.0:
        x = x * 3
        i = i + 1
    else:
        x = x + 1
    return x


def w_isinstance(x):
    return x if isinstance(x, float) else 0.0


def w_helpers(x):
    return helper_branch(x) + helper_branch(x, k=3.0) + helper_branch(helper_branch(-x)) + helper_loop(x)


def w_helper_returning_in_loop(x):
    return helper_return_in_loop(x) * helper_return_in_loop(x * 3)


def w_locals_named_like_builtins_and_modules(x):
    len = x * 2
    range = 3.0
    np = len * range
    return np * x


def w_locals_named_like_generated_code(x):
    stack = x * 2
    push = stack + 1
    pop = push * x
    dx = pop * 2
    t_1 = dx + x
    UNBOUND = t_1 * x
    unbroadcast = UNBOUND + 1
    return unbroadcast


def w_loop_target_is_the_parameter(x):
    for x in (x, x * 2, x * 3):
        pass
    return x


def w_iterable_rebound_in_its_loop(x):
    xs = (x, 2 * x)
    for v in xs:
        xs = (v, v)
    return xs[0] * xs[1]


def w_for_else_with_return(x):
    for i in range(3):
        x = x * 2
        if x > 3.0:
            break
    else:
        return -x
    return x * i


def w_return_from_while_true(x):
    k = 0
    while True:
        k = k + 1
        if k > 2:
            return x * k
        x = x + 1.0


def w_swap(x):
    x, y = x * 2, x
    return x * y


def w_unsupported_method(x):
    return x.conjugate() * x


def w_unsupported_builtin(x):
    return divmod(x, 1.0)[1]


FUZZ = [v for k, v in sorted(globals().items()) if k.startswith("w_") and inspect.isfunction(v)]


def x_reversed_range(x):
    s = 0.0
    for i in reversed(range(3)):
        s = s * x + i
    return s


# once a bug (regression tests now): `for i in reversed(range(3))` failed at run time with a bare
# TypeError, because every loop was lowered over range(len(iterable))
KNOWN_BAD = [pytest.param(x_reversed_range, id="reversed_range")]


@pytest.mark.parametrize("fn", [pytest.param(f, id=f.__name__[2:]) for f in FUZZ] + KNOWN_BAD)
def test_weird_functions_differentiate_correctly_or_are_refused(fn):
    x = 0.7
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            got = sourcead.grad(fn)(x)
    except SourceADError as err:
        assert not isinstance(err, sourcead.InternalError), str(err)
        return
    assert_close(got, numeric_grad(fn, (x,)), 1e-6, 1e-8, fn.__name__)


def test_the_fuzz_is_large_and_mostly_differentiable():
    assert len(FUZZ) >= 30
    refused = 0
    for fn in FUZZ:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sourcead.grad(fn)(0.7)
        except SourceADError as err:
            assert not isinstance(err, sourcead.InternalError), f"{fn.__name__}: {err}"
            refused += 1
    assert refused <= 3


PROMPT_SCRIPT = """
import numpy as np
import sourcead
def f(x):
    return np.sin(x) * x
sourcead.grad(f)(1.0)
"""


def _run_stdin(script, **env):
    import subprocess
    full_env = {**os.environ, **env}
    return subprocess.run([sys.executable, "-"], input=script, capture_output=True, text=True, env=full_env,
                          cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def test_a_function_typed_at_a_prompt_is_refused_in_one_sentence_without_internal_frames():
    """A function read from standard input (the 3.10-3.12 prompt keeps no source): one located
    sentence saying what to do; the traceback holds the user's line and one frame of sourcead's
    entry point, no chained OSError."""
    err = _run_stdin(PROMPT_SCRIPT).stderr
    assert "typed at the interactive prompt" in err and "save the function in a file" in err
    assert "During handling" not in err and "OSError" not in err
    frames = [line for line in err.splitlines() if line.strip().startswith('File "') and "sourcead" in line]
    assert len(frames) == 1 and "api.py" in frames[0], err


def test_full_tracebacks_on_request():
    err = _run_stdin(PROMPT_SCRIPT, SOURCEAD_TRACEBACK="full").stderr
    frames = [line for line in err.splitlines() if line.strip().startswith('File "') and "sourcead" in line]
    assert len(frames) > 3 and any("parse.py" in f for f in frames), err


def products_of_items(xs):
    return np.array([xs[0] * xs[1], xs[0] + 2.0 * xs[1], xs[1] ** 2])


@pytest.mark.parametrize("xs", [[1.5, 2.0], (1.5, 2.0)], ids=["list", "tuple"])
def test_jacobian_with_respect_to_a_list_is_refused_with_a_hint(xs):
    """By forward columns (a result with at least as many elements), it raised a confusing jvp
    error; by reverse rows (a number), the list's cotangent flattened (test_consistency)."""
    with pytest.raises(sourcead.UsageError, match="list or tuple") as info:
        sourcead.jacobian(products_of_items)(xs)
    assert "np.array" in info.value.hint
    J = sourcead.jacobian(products_of_items)(np.array(xs))
    assert np.allclose(J, [[2.0, 1.5], [1.0, 2.0], [0.0, 4.0]])
