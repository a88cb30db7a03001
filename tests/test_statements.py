"""Statements numeric code keeps for their effect: print, logging, warnings.warn, assert, raise,
del of a local, and ``with np.errstate(...)``.

They run in the forward sweep exactly as in the primal: in the same order relative to the values
they show, once per call of any derivative (a vjp's pullback and a Hessian's later columns do not
run them again), never differentiated, never removed. The oracle for what they print is the plain
function itself: each mode must print exactly what one call of `f` prints. Every derivative is
checked against central finite differences and against autograd run on a twin of the function
without the effect statements (autograd cannot format its traced values).
"""

import logging
import os
import pathlib
import warnings

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import sourcead
from sourcead.errors import SourceADError, UnboundNameError, UnsupportedSyntaxError

logger = logging.getLogger("sourcead.tests.statements")
GOLDEN = pathlib.Path(__file__).resolve().parent / "golden"


# ---- the functions, each with its twin for autograd (same numbers, no effects) ---------------


def printed_loop(x, n=3):
    print("start", x)
    y = x
    for i in range(n):
        y = y * np.sin(y) + x
        print(f"iteration {i}: y = {y:.6f}")
    print("end", y)
    return y * y


def printed_loop_twin(x, n=3):
    y = x
    for i in range(n):
        y = y * np.sin(y) + x
    return y * y


def until_large(x):
    """A data-dependent while loop printing each step, a branch printing only when taken."""
    y = x
    k = 0
    while y < 4.0:
        y = y * 1.5 + np.cos(x)
        k = k + 1
        print("step", k, y)
    if y > 5.0:
        print("overshot by", y - 5.0)
    else:
        print("landed at", y)
    return y * x


def until_large_twin(x):
    y = x
    while y < 4.0:
        y = y * 1.5 + anp.cos(x)
    return y * x


def validated(x):
    """Input validation by raise and assert; a message formatted from primal values."""
    if x.ndim != 1:
        raise ValueError(f"x must be a vector, got {x.ndim} dimensions")
    assert np.all(np.isfinite(x)), "x must be finite"
    assert x.shape[0] > 1
    s = np.sum(x ** 2)
    if s > 100.0:
        raise OverflowError("too large: %.1f" % s)
    return np.sum(np.sin(x) * x) + s


def validated_twin(x):
    return anp.sum(anp.sin(x) * x) + anp.sum(x ** 2)


def logged(x):
    logger.info("x = %s", x)
    logging.debug("computing")
    y = np.tanh(x) * 3.0
    for i in range(2):
        logger.debug("y[%d] = %s", i, y)
        y = y * x
    if y > 1.0:
        warnings.warn(f"y is large: {y!r}")
    return y


def logged_twin(x):
    y = anp.tanh(x) * 3.0
    for i in range(2):
        y = y * x
    return y


def deleting(x):
    t = x * 2.0
    y = np.exp(t) + x
    del t
    z = y * x
    del y
    return z


def deleting_twin(x):
    return (anp.exp(x * 2.0) + x) * x


def entropy(p):
    """x log x with 0 log 0 = 0: np.log(0) warns unless silenced, and so does its derivative."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, p * np.log(p), 0.0)
    return -np.sum(terms) + np.sum(p ** 2)


def entropy_twin(p):
    return -anp.sum(anp.where(p > 0, p * anp.log(p), 0.0)) + anp.sum(p ** 2)


def entropy_unsilenced(p):
    terms = np.where(p > 0, p * np.log(p), 0.0)
    return -np.sum(terms) + np.sum(p ** 2)


def guarded_loop(x):
    """errstate inside a loop, and at the function's level ending with its return."""
    s = 0.0
    for i in range(3):
        with np.errstate(divide="ignore"):
            s = s + np.sum(np.log(x * (i + 1)))
            print("partial", i)
    with np.errstate(divide="ignore", invalid="ignore"):
        return s + np.sum(np.log(x) * x)


def guarded_loop_twin(x):
    return sum(anp.sum(anp.log(x * (i + 1))) for i in range(3)) + anp.sum(anp.log(x) * x)


X = np.array([0.4, 1.3, 0.7])
SCALARS = [(printed_loop, printed_loop_twin, (0.7,)), (until_large, until_large_twin, (0.9,)),
           (logged, logged_twin, (0.8,)), (deleting, deleting_twin, (0.3,))]
ARRAYS = [(validated, validated_twin, (X,)), (entropy, entropy_twin, (X,)), (guarded_loop, guarded_loop_twin, (X,))]
ALL = SCALARS + ARRAYS


def ids(case):
    return case[0].__name__


def fd_grad(f, x, e=1e-6):
    if isinstance(x, float):
        return (f(x + e) - f(x - e)) / (2 * e)
    g = np.zeros_like(x)
    for k in range(x.size):
        d = np.zeros_like(x)
        d[k] = e
        g[k] = (np.sum(f(x + d)) - np.sum(f(x - d))) / (2 * e)
    return g


def printed(capsys, run):
    """What `run()` prints, and its result."""
    capsys.readouterr()
    result = run()
    return capsys.readouterr().out, result


@pytest.fixture
def quiet_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # logged's warnings.warn
        yield


# ---- each mode prints exactly what one call of f prints, and is right -------------------------


@pytest.mark.parametrize("case", ALL, ids=ids)
def test_grad(case, capsys, quiet_warnings):
    f, twin, args = case
    expected, _ = printed(capsys, lambda: f(*args))
    out, g = printed(capsys, lambda: sourcead.grad(f)(*args))
    assert out == expected
    assert (out != "") == (f in (printed_loop, until_large, guarded_loop))
    np.testing.assert_allclose(g, fd_grad(lambda x: f(x, *args[1:]), args[0]), rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(g, autograd.grad(twin)(*args), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", ALL, ids=ids)
def test_value_and_grad(case, capsys, quiet_warnings):
    f, twin, args = case
    expected, value = printed(capsys, lambda: f(*args))
    out, (v, g) = printed(capsys, lambda: sourcead.value_and_grad(f)(*args))
    assert out == expected
    assert v == pytest.approx(value, rel=1e-12)
    np.testing.assert_allclose(g, autograd.grad(twin)(*args), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", ALL, ids=ids)
def test_vjp_prints_once_however_often_the_pullback_runs(case, capsys, quiet_warnings):
    f, twin, args = case
    expected, value = printed(capsys, lambda: f(*args))
    out, (primal, pullback) = printed(capsys, lambda: sourcead.vjp(f, *args))
    assert out == expected
    for ct in (1.0, -2.5):
        again, (g,) = printed(capsys, lambda: pullback(ct))
        assert again == ""
        np.testing.assert_allclose(g, ct * autograd.grad(twin)(*args), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("case", ALL, ids=ids)
def test_jvp(case, capsys, quiet_warnings):
    f, twin, args = case
    expected, value = printed(capsys, lambda: f(*args))
    t = 1.0 if isinstance(args[0], float) else np.array([0.3, -1.0, 0.5])
    out, (v, tangent) = printed(capsys, lambda: sourcead.jvp(f, args, (t,) + (None,) * (len(args) - 1)))
    assert out == expected
    oracle = np.sum(autograd.grad(twin)(*args) * t)
    assert tangent == pytest.approx(oracle, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("case", ALL, ids=ids)
def test_hessian_and_grad_of_grad(case, capsys, quiet_warnings):
    """A Hessian over an array runs one forward-over-reverse pass per column: f's prints once."""
    f, twin, args = case
    expected, _ = printed(capsys, lambda: f(*args))
    out, h = printed(capsys, lambda: sourcead.hessian(f)(*args))
    assert out == expected
    np.testing.assert_allclose(h, autograd.hessian(twin)(*args), rtol=1e-8, atol=1e-10)
    if isinstance(args[0], float):
        out, gg = printed(capsys, lambda: sourcead.grad(sourcead.grad(f))(*args))
        assert out == expected
        assert gg == pytest.approx(h, rel=1e-10)
        fd = fd_grad(lambda x: sourcead.grad(f)(x, *args[1:]), args[0], e=1e-5)
        capsys.readouterr()
        assert gg == pytest.approx(fd, rel=1e-5, abs=1e-7)


@pytest.mark.parametrize("case", ARRAYS, ids=ids)
def test_jacobian(case, capsys, quiet_warnings):
    f, twin, args = case
    expected, _ = printed(capsys, lambda: f(*args))
    out, jac = printed(capsys, lambda: sourcead.jacobian(f)(*args))
    assert out == expected
    np.testing.assert_allclose(jac, autograd.jacobian(twin)(*args), rtol=1e-10, atol=1e-12)


# ---- what they print, exactly ------------------------------------------------------------------


def test_a_print_in_a_loop_prints_once_per_iteration_in_order(capsys):
    out, _ = printed(capsys, lambda: sourcead.grad(printed_loop)(0.7, 2))
    lines = out.splitlines()
    assert lines[0] == "start 0.7" and lines[1].startswith("iteration 0: y = ")
    assert lines[2].startswith("iteration 1: y = ") and lines[3].startswith("end ") and len(lines) == 4


def test_printing_an_active_value_prints_its_primal_value(capsys):
    """In forward over reverse, the value printed is the float, not a tangent or a box."""
    out, _ = printed(capsys, lambda: sourcead.hessian(printed_loop)(0.7))
    assert out.splitlines()[0] == "start 0.7"


def test_a_branch_prints_only_when_taken(capsys):
    out_small, _ = printed(capsys, lambda: sourcead.grad(until_large)(0.9))
    out_large, _ = printed(capsys, lambda: sourcead.grad(until_large)(3.9))
    assert out_small == printed(capsys, lambda: until_large(0.9))[0]
    assert out_large == printed(capsys, lambda: until_large(3.9))[0]
    assert "step 1" in out_large and out_large.count("step") == 1


def test_logging_calls_log_once(caplog):
    with caplog.at_level(logging.DEBUG, logger="sourcead.tests.statements"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sourcead.grad(logged)(0.8)
        out, pullback = sourcead.vjp(logged, 0.8)
        pullback(1.0)
    mine = [r.getMessage() for r in caplog.records if r.name == "sourcead.tests.statements"]
    assert mine == ["x = 0.8", "y[0] = %s" % (np.tanh(0.8) * 3.0), "y[1] = %s" % (np.tanh(0.8) * 3.0 * 0.8)] * 2


def test_warnings_warn_warns_once_when_its_branch_runs():
    with pytest.warns(UserWarning, match="y is large") as record:
        sourcead.grad(logged)(1.3)
    assert len([w for w in record if "y is large" in str(w.message)]) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        sourcead.grad(logged)(0.5)  # the branch is not taken: no warning


# ---- raise and assert --------------------------------------------------------------------------


MODES = {
    "grad": lambda f, x: sourcead.grad(f)(x),
    "value_and_grad": lambda f, x: sourcead.value_and_grad(f)(x),
    "vjp": lambda f, x: sourcead.vjp(f, x)[1](1.0),
    "jvp": lambda f, x: sourcead.jvp(f, (x,), (np.ones_like(x),)),
    "hessian": lambda f, x: sourcead.hessian(f)(x),
}


@pytest.mark.parametrize("mode", MODES)
def test_raise_in_a_branch_raises_the_users_exception(mode):
    with pytest.raises(ValueError, match="^x must be a vector, got 2 dimensions$"):
        MODES[mode](validated, np.ones((2, 2)))
    with pytest.raises(OverflowError, match=r"^too large: 147\.0$"):
        MODES[mode](validated, np.full(3, 7.0))


@pytest.mark.parametrize("mode", MODES)
def test_assert_raises_with_the_users_message(mode):
    with pytest.raises(AssertionError, match="^x must be finite"):
        MODES[mode](validated, np.array([1.0, np.inf]))
    with pytest.raises(AssertionError) as info:
        MODES[mode](validated, np.array([1.0]))
    assert mode == "vjp" or info.value.args == ()  # (vjp runs f itself, whose asserts pytest rewrites)


def test_assert_and_raise_in_a_loop():
    def checked_steps(x):
        y = x
        for i in range(4):
            assert y < 10.0, f"diverged at step {i}"
            y = y * y + 1.0
        return y

    assert sourcead.grad(checked_steps)(0.5) == pytest.approx(fd_grad(checked_steps, 0.5), rel=1e-6)
    with pytest.raises(AssertionError, match="^diverged at step 2$"):
        sourcead.grad(checked_steps)(1.5)


# ---- del ---------------------------------------------------------------------------------------


def test_reading_a_deleted_name_raises_as_python_does():
    def reads_deleted(x):
        t = x * 2.0
        del t
        return t

    with pytest.raises(UnboundLocalError):
        reads_deleted(1.0)
    with pytest.raises(UnboundNameError):
        sourcead.grad(reads_deleted)(1.0)


def test_del_in_a_branch():
    def maybe_deleted(x):
        t = x * 3.0
        if x > 0:
            del t
            t = x * x
        return t

    for x in (0.5, -0.5):
        assert sourcead.grad(maybe_deleted)(x) == pytest.approx(fd_grad(maybe_deleted, x), rel=1e-6)


# ---- with np.errstate --------------------------------------------------------------------------


P0 = np.array([0.0, 0.25, 0.75])


def test_errstate_silences_the_primal_and_its_derivative_in_every_mode():
    """With warnings as errors the unsilenced function fails (the test can fail); the silenced one
    runs its derivative lines under the same error state."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(RuntimeWarning):
            sourcead.grad(entropy_unsilenced)(P0)
        g = sourcead.grad(entropy)(P0)
        _, t = sourcead.jvp(entropy, (P0,), (np.array([0.0, 1.0, 1.0]),))
        sourcead.hessian(entropy)(np.array([0.2, 0.25, 0.75]))
        sourcead.grad(guarded_loop)(X)
    np.testing.assert_allclose(g[1:], -(np.log(P0[1:]) + 1.0) + 2 * P0[1:])
    assert t == pytest.approx(np.sum(g[1:]))


def test_errstate_leaves_the_error_state_as_it_was():
    before = np.geterr()
    sourcead.grad(entropy)(P0)
    sourcead.jvp(entropy, (P0,), (np.ones(3),))
    assert np.geterr() == before


def test_errstate_in_the_generated_code():
    text = sourcead.source(sourcead.grad(entropy), X)
    forward, _, backward = text.partition("# grad of")
    assert "with np.errstate(divide='ignore', invalid='ignore'):" in forward
    assert "with np.errstate(divide='ignore', invalid='ignore'):" in backward


# ---- the generated code ------------------------------------------------------------------------


def test_golden_print_in_a_loop():
    """The print stays in the forward loop, once; the reverse loop has none."""
    text = sourcead.source(sourcead.grad(printed_loop), 0.7, 3)
    path = GOLDEN / "printed_loop_grad.py"
    if os.environ.get("SOURCEAD_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text()
    forward, _, backward = text.partition("# grad of")
    assert forward.count("print(") == 3 and "print(" not in backward


def test_effects_survive_in_a_function_whose_result_does_not_need_them():
    def only_prints(x):
        print("value", x)
        return 2.0 * x

    text = sourcead.source(sourcead.grad(only_prints), 1.0)
    assert "print('value', x)" in text


# ---- still refused -------------------------------------------------------------------------------


def shuffles(x):
    np.random.shuffle(x)
    return np.sum(x)


def calls_a_method(x):
    x.sort()
    return np.sum(x)


def bare_raise(x):
    if x < 0:
        raise
    return x


def raises_an_instance(x):
    err = ValueError("no")
    if x < 0:
        raise err
    return x


def returns_inside_errstate(x):
    if x > 0:
        with np.errstate(divide="ignore"):
            return np.log(x)
    return x


def breaks_inside_errstate(x):
    for i in range(3):
        with np.errstate(divide="ignore"):
            x = x * 2.0
            if x > 1.0:
                break
    return x


def f_string_as_a_value(x):
    name = f"{x}"
    return x


REFUSED = [
    (shuffles, 1, "expression statement"), (calls_a_method, 1, "expression statement"),
    (bare_raise, 2, "bare raise"), (raises_an_instance, 3, "exception class"),
    (returns_inside_errstate, 3, "return inside `with np.errstate"),
    (breaks_inside_errstate, 5, "break inside `with np.errstate"),
    (f_string_as_a_value, 1, "f-string"),
]


@pytest.mark.parametrize("f, offset, what", REFUSED, ids=lambda v: getattr(v, "__name__", None))
def test_other_statements_stay_refused_with_file_line_and_hint(f, offset, what):
    with pytest.raises(UnsupportedSyntaxError) as info:
        sourcead.grad(f)(np.array([0.5, 0.2]) if f in (shuffles, calls_a_method) else 0.5)
    err = info.value
    assert what in err.message and err.hint
    assert err.loc.filename == __file__ and err.loc.line == f.__code__.co_firstlineno + offset


def test_a_shadowed_print_is_not_kept():
    def print(*args):  # noqa: A001 (a local function named print is the user's own)
        return None

    def uses_own_print(x):
        print(x)
        return x

    with pytest.raises(SourceADError):
        sourcead.grad(uses_own_print)(1.0)


def test_a_raising_branch_keeps_the_kinds_of_the_other_branch():
    """`if ok: y = ... else: raise` binds y on every path that goes on: the gradient reads y as the
    array it is (no check that it is bound, nothing computed only for its shape)."""
    def positive_log(x):
        if np.all(x > 0):
            y = np.log(x)
        else:
            raise ValueError("x must be positive")
        return np.sum(y * x)

    x = np.array([1.0, 2.0])
    text = sourcead.source(sourcead.grad(positive_log), x)
    assert "check_bound" not in text and "y * x, None" not in text
    np.testing.assert_allclose(sourcead.grad(positive_log)(x), np.log(x) + 1.0)
    with pytest.raises(ValueError, match="^x must be positive$"):
        sourcead.grad(positive_log)(-x)


def log_branch(x):
    y = x
    if x > 0.5:
        with np.errstate(divide="raise", over="ignore"):
            y = np.log(x) * x
            print("in the block", y)
    k = 0
    while k < 2:
        with np.errstate(divide="raise"):
            y = y + np.sqrt(x) * y
        k = k + 1
    return y * y


def log_branch_twin(x):
    y = anp.log(x) * x if x > 0.5 else x
    for _ in range(2):
        y = y + anp.sqrt(x) * y
    return y * y


@pytest.mark.parametrize("x", [0.9, 0.3])
def test_errstate_in_a_branch_and_a_while_loop_to_second_order(x, capsys):
    """Blocks nested in an if and a while, differentiated twice: each adjoint block is a block of
    its own, the error state is back as it was, and the block's print runs once."""
    before = np.geterr()
    expected, _ = printed(capsys, lambda: log_branch(x))
    out, gg = printed(capsys, lambda: sourcead.grad(sourcead.grad(log_branch))(x))
    assert out == expected and np.geterr() == before
    assert gg == pytest.approx(autograd.grad(autograd.grad(log_branch_twin))(x), rel=1e-10)
    fd = fd_grad(sourcead.grad(log_branch), x, e=1e-5)
    assert gg == pytest.approx(fd, rel=1e-5)
    _, t = sourcead.jvp(sourcead.grad(log_branch), (x,), (1.0,))
    assert t == pytest.approx(gg, rel=1e-10)
    text = sourcead.source(sourcead.grad(sourcead.grad(log_branch)), x)
    # the primal loop, its adjoint, and the adjoints of both in the second derivative's reverse sweep
    assert text.count("with np.errstate(divide='raise'):") == 4
