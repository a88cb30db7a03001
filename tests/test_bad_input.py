"""Bad input is refused, never a crash or a silent number: each case raises a `SourceADError`
subclass whose message names this file (where the offending function or call is written) and the
line, and ends with a hint.

* `BAD_FUNCTIONS`: functions using something sourcead does not differentiate; the error points at
  the construct, in this file.
* `BAD_CALLS`: API misuse (a function without source, a bad wrt, a complex or dict argument, a
  tangent or cotangent of the wrong shape); a usage error has no construct to point at, so it
  names the line of this file that called sourcead.
* Arguments that grad cannot take (complex, strings, None, dicts, namedtuples): refused in every
  mode (grad, value_and_grad, vjp, jvp, hessian, hvp, jacobian, grad of grad).
* NaN and inf propagate as in the primal; the value at kinks follows a documented convention
  (docs/errors.md, "Values at kinks"); the NaN-gradient pitfall of np.where and its safe pattern.
"""

import collections
import dataclasses
import functools
import inspect
import math
import os
import sys
import warnings

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from oracle import assert_close, numeric_grad  # noqa: E402

import sourcead  # noqa: E402
from sourcead import (NonDifferentiableError, SourceADError, SourceUnavailableError,  # noqa: E402
                      UnsupportedCallError, UnsupportedSyntaxError, UsageError)

THIS_FILE = os.path.abspath(__file__)
G = 1.0


def line_of(fn, snippet: str) -> int:
    """The line of this file where `snippet` first occurs in fn's source (its def line included)."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if (i > 0 or snippet.startswith(("def", "async def"))) and snippet in line:
            return first + i
    raise AssertionError(f"{snippet!r} is not in the source of {fn.__name__}")


def assert_names_this_file(err: SourceADError, line: int) -> None:
    """The message names this file and `line`, shows that line, and ends with a hint."""
    text = str(err)
    assert err.loc is not None, f"no location:\n{text}"
    assert os.path.abspath(err.loc.filename) == THIS_FILE, text
    assert err.loc.line == line, f"line {err.loc.line}, expected {line}:\n{text}"
    assert f'File "{err.loc.filename}", line {line}' in text, text
    assert err.hint and "\nhint: " + err.hint in text and text.endswith(err.hint), text


# ---- functions that use what sourcead does not differentiate ----------------------------------


def a_generator(x):
    yield x * 2


def a_delegating_generator(x):
    yield from (x, x)


async def a_coroutine(x):
    return x * 2


def uses_try_except(x):
    try:
        y = x * 2
    except ZeroDivisionError:
        y = x
    return y


def uses_try_finally(x):
    try:
        y = x * 2
    finally:
        z = 1.0  # noqa: F841
    return y


def uses_with(x):
    with warnings.catch_warnings():
        y = x * 2
    return y


def writes_a_global(x):
    global G
    G = x
    return x * 2


def make_nonlocal_writer():
    k = 1.0

    def writes_a_nonlocal(x):
        nonlocal k
        k = x
        return x * k

    return writes_a_nonlocal


writes_a_nonlocal = make_nonlocal_writer()


def deletes(x):
    y = [x, x * 2]
    del y[0]
    return x


def defines_a_class(x):
    class Box:
        pass
    return x * 2


def calls_exec(x):
    exec("y = x * 2")
    return x


def calls_eval(x):
    return eval("x * 2")


def reads_locals(x):
    return locals()["x"] * 2


def reads_vars(x):
    return vars()["x"] * 2


def sets_an_attribute(x):
    x.scale = 2.0
    return x


def adds_to_an_attribute(x):
    x.scale += 2.0
    return x


def makes_an_fstring(x):
    label = f"x={x}"
    return float(label[2:])


def converts_to_str(x):
    return float(str(x))


def converts_to_repr(x):
    return float(repr(x))


def percent_formats(x):
    return float("%s" % x)


def formats(x):
    return float("{}".format(x))


def calls_i0(x):
    return np.sum(np.i0(x))


@dataclasses.dataclass
class Holder:
    """Its __post_init__ may change what it stores: sourcead does not model building it."""
    w: object

    def __post_init__(self):
        self.w = self.w * 1.0


def reads_a_field_of_an_object_it_made(x):
    box = Holder(x * 2.0)
    return np.sum(box.w * x)


def calls_frexp(x):
    return np.frexp(x)[0]


def calls_hfft(x):
    return np.sum(np.fft.hfft(x))


def calls_frombuffer(x):
    return np.frombuffer(x.tobytes())[0]


def calls_sorted(x):
    return sorted([x, 2.0])[0]


def calls_hash(x):
    return hash(x) * x


def calls_next(x):
    return next(iter([x]))


def calls_fsum(x):
    return math.fsum([x, x])


def returns_none(x):
    y = x * 2  # noqa: F841


def returns_a_string(x):
    return "negative"


def returns_a_string_on_one_path(x):
    if x > 0:
        return x * 2
    return "negative"


def raises(x):
    if x < 0:
        raise  # a bare raise: no exception is being handled
    return x


def imports(x):
    import math as m
    return m.sin(x)


def uses_walrus(x):
    if (y := x * 2) > 0:
        return y
    return x


def builds_a_dict_with_a_computed_key(x):
    d = {str(x): x}
    return d["x"]


def builds_a_set(x):
    return min({x, 2.0})


def writes_a_nested_element(x):
    out = [[x]]
    out[0][0] = x * 2  # (out.append(...) and x[0] = v are supported: mutation)
    return out[0][0]


GLOBAL_ARRAY = np.zeros(2)


def writes_a_global_array(x):
    GLOBAL_ARRAY[0] = 2.0 * x
    return np.sum(GLOBAL_ARRAY)


def uses_a_bytes_literal(x):
    tag = b"x"  # noqa: F841
    return x


def splats_keywords(x):
    options = dict(axis=0)
    return np.sum(x, **options)


def orders_complex_values(x):
    return np.sum(np.maximum(np.exp(1j * x), 0.5)).real


def uses_a_lambda(x):
    square = lambda t: t * t  # noqa: E731
    return square(x)


# (function, argument, error class, snippet on the line the error points at, words in the message)
BAD_FUNCTIONS = [
    (a_generator, 1.0, UnsupportedSyntaxError, "yield x", "generator"),
    (a_delegating_generator, 1.0, UnsupportedSyntaxError, "yield from", "yield from"),
    (a_coroutine, 1.0, UnsupportedSyntaxError, "async def", "async"),
    (uses_try_except, 1.0, UnsupportedSyntaxError, "try:", "try"),
    (uses_try_finally, 1.0, UnsupportedSyntaxError, "try:", "try"),
    (uses_with, 1.0, UnsupportedSyntaxError, "with warnings", "with statement"),
    (writes_a_global, 1.0, UnsupportedSyntaxError, "global G", "global"),
    (writes_a_nonlocal, 1.0, UnsupportedSyntaxError, "nonlocal k", "nonlocal"),
    (deletes, 1.0, UnsupportedSyntaxError, "del y", "del"),
    (defines_a_class, 1.0, UnsupportedSyntaxError, "class Box", "class definition"),
    (calls_exec, 1.0, UnsupportedSyntaxError, 'exec("y', "exec"),
    (calls_eval, 1.0, UnsupportedSyntaxError, 'eval("x', "eval"),
    (reads_locals, 1.0, UnsupportedSyntaxError, "locals()", "locals"),
    (reads_vars, 1.0, UnsupportedSyntaxError, "vars()", "vars"),
    (sets_an_attribute, 1.0, UnsupportedSyntaxError, "x.scale = 2.0", "attribute"),
    (adds_to_an_attribute, 1.0, UnsupportedSyntaxError, "x.scale += 2.0", "attribute"),
    (makes_an_fstring, 1.0, UnsupportedSyntaxError, 'f"x={x}"', "f-string"),
    (converts_to_str, 1.0, UnsupportedCallError, "str(x)", "str"),
    (converts_to_repr, 1.0, UnsupportedCallError, "repr(x)", "repr"),
    (percent_formats, 1.0, UnsupportedSyntaxError, '"%s" % x', "formatting"),
    (formats, 1.0, UnsupportedCallError, '"{}".format(x)', "format"),
    (calls_i0, np.eye(2) * 2.0, UnsupportedCallError, "np.i0", "np.i0"),
    (reads_a_field_of_an_object_it_made, np.ones(2), UnsupportedCallError, "box.w", "attribute .w"),
    (calls_frexp, np.array([2.0, 1.0]), UnsupportedCallError, "np.frexp", "np.frexp"),
    (calls_hfft, np.array([2.0, 1.0]), UnsupportedCallError, "np.fft.hfft", "hfft"),
    (calls_frombuffer, np.array([2.0, 1.0]), UnsupportedCallError, "np.frombuffer", "np.frombuffer"),
    (calls_sorted, 1.0, UnsupportedCallError, "sorted(", "sorted"),
    (calls_hash, 1.0, UnsupportedCallError, "hash(x)", "hash"),
    (calls_next, 1.0, UnsupportedCallError, "next(iter", "next"),
    (calls_fsum, 1.0, UnsupportedCallError, "math.fsum", "math.fsum"),
    (returns_none, 1.0, NonDifferentiableError, "def returns_none", "None"),
    (returns_a_string, -1.0, NonDifferentiableError, "def returns_a_string", "'negative'"),
    (returns_a_string_on_one_path, -1.0, NonDifferentiableError, "def returns_a_string_on_one_path", "'negative'"),
    (raises, 1.0, UnsupportedSyntaxError, "raise  #", "raise"),
    (imports, 1.0, UnsupportedSyntaxError, "import math as m", "import"),
    (uses_walrus, 1.0, UnsupportedSyntaxError, "(y := x * 2)", ":="),
    (builds_a_dict_with_a_computed_key, 1.0, UnsupportedSyntaxError, 'str(x)', "dict whose keys"),
    (builds_a_set, 1.0, UnsupportedSyntaxError, "{x, 2.0}", "set"),
    (writes_a_nested_element, 1.0, UnsupportedSyntaxError, "out[0][0]", "not a plain variable"),
    (writes_a_global_array, 1.0, UnsupportedSyntaxError, "GLOBAL_ARRAY[0] = 2.0 * x", "global"),
    (uses_a_bytes_literal, 1.0, UnsupportedSyntaxError, 'b"x"', "bytes"),
    (splats_keywords, np.ones(2), UnsupportedCallError, "options)", "**kwargs"),
    (orders_complex_values, np.ones(2), UnsupportedCallError, "np.maximum(", "complex numbers have no order"),
]


@pytest.mark.parametrize("fn, arg, cls, snippet, words", BAD_FUNCTIONS,
                         ids=[c.id if hasattr(c, "marks") else c[0].__name__ for c in BAD_FUNCTIONS])
def test_a_bad_function_is_refused_at_the_construct(fn, arg, cls, snippet, words):
    with pytest.raises(SourceADError) as info:
        sourcead.grad(fn)(arg)
    err = info.value
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    assert_names_this_file(err, line_of(fn, snippet))
    assert words in err.message, err.message


# ---- API misuse: located at the call in this file ----------------------------------------------


def two_params(x, y):
    return x * y ** 2


def of_a_pair(t):
    return t[0] * t[1] ** 2


def compiled_from_a_string():
    namespace = {}
    exec("def from_string(x):\n    return x * x\n", namespace)
    return namespace["from_string"]


Pair = collections.namedtuple("Pair", "a b")


@dataclasses.dataclass
class Params:
    a: float
    b: float


class Model:
    def loss(self, x):
        return x * x


def np_sin_directly():
    sourcead.grad(np.sin)(1.0)


def math_sin_directly():
    sourcead.grad(math.sin)(1.0)


def builtin_abs_directly():
    sourcead.grad(abs)(1.0)


def builtin_max_directly():
    sourcead.grad(max)(1.0)


def a_partial():
    sourcead.grad(functools.partial(two_params, y=2.0))(1.0)


def a_bound_method():
    sourcead.grad(Model().loss)(1.0)


def no_source_file():
    sourcead.grad(compiled_from_a_string())(1.0)


def grad_of_none():
    sourcead.grad(None)


def grad_of_a_number():
    sourcead.grad(3.0)


def wrt_a_missing_name():
    sourcead.grad(two_params, wrt="z")


def wrt_out_of_range():
    sourcead.grad(two_params, wrt=2)


def wrt_a_float():
    sourcead.grad(two_params, wrt=1.0)


def wrt_twice():
    sourcead.grad(two_params, wrt=(0, "x"))


def vjp_of_a_complex_in_a_tuple():
    sourcead.vjp(of_a_pair, (1.0 + 2.0j, 3.0))


def jvp_of_a_complex_array_in_a_list():
    sourcead.jvp(of_a_pair, ([np.array([1.0 + 1.0j]), 3.0],), ([np.ones(1), 1.0],))


def jvp_of_a_dict_with_other_keys():
    sourcead.jvp(product_of_entries, ({"a": 2.0, "b": 3.0},), ({"a": 1.0},))


def jvp_of_a_namedtuple_with_a_float_tangent():
    sourcead.jvp(product_of_fields, (Pair(2.0, 3.0),), (1.0,))


def hessian_of_a_dataclass():
    sourcead.hessian(product_of_fields)(Params(2.0, 3.0))


def jvp_tangent_of_the_wrong_shape():
    sourcead.jvp(two_params, (np.ones(3), 2.0), (np.ones(2), 0.0))


def jvp_tangent_of_the_wrong_structure():
    sourcead.jvp(of_a_pair, ((2.0, 3.0),), (1.0,))


def jvp_tangent_for_an_int():
    sourcead.jvp(two_params, (2.0, 3), (1.0, 1.0))


def jvp_complex_tangent():
    sourcead.jvp(two_params, (2.0, 3.0), (1.0j, 0.0))


def vjp_cotangent_of_the_wrong_shape():
    _, pullback = sourcead.vjp(two_params, np.ones(3), 2.0)
    pullback(np.ones(2))


def vjp_complex_cotangent():
    _, pullback = sourcead.vjp(two_params, 2.0, 3.0)
    pullback(1.0j)


def vjp_without_primals():
    sourcead.vjp(two_params)


def jvp_too_few_tangents():
    sourcead.jvp(two_params, (2.0, 3.0), (1.0,))


def hessian_of_a_complex():
    sourcead.hessian(two_params)(1.0j, 2.0)


def hvp_wrt_a_string():
    sourcead.hvp(two_params, wrt=1)(2.0, "three", 1.0)


def jacobian_of_a_complex():
    sourcead.jacobian(two_params)(np.ones(2) * 1j, 2.0)


def is_positive(x):
    return x > 0


def makes_an_object(x):
    return object()


def vjp_of_a_comparison():
    sourcead.vjp(is_positive, 2.0)


def jvp_of_an_object():
    sourcead.jvp(makes_an_object, (2.0,), (1.0,))


def vjp_of_a_bool_array():
    sourcead.vjp(is_positive, np.array([1.0, -1.0]))


# (the call, error class, snippet on the line of this file the error names, words in the message)
BAD_CALLS = [
    (vjp_of_a_comparison, NonDifferentiableError, "sourcead.vjp(is_positive, 2.0)", "bool"),
    (jvp_of_an_object, NonDifferentiableError, "sourcead.jvp(makes_an_object", "object"),
    (vjp_of_a_bool_array, NonDifferentiableError, "np.array([1.0, -1.0])", "bool"),
    (np_sin_directly, SourceUnavailableError, "sourcead.grad(np.sin)", "not a Python function"),
    (math_sin_directly, SourceUnavailableError, "sourcead.grad(math.sin)", "not a Python function"),
    (builtin_abs_directly, SourceUnavailableError, "sourcead.grad(abs)", "not a Python function"),
    (builtin_max_directly, SourceUnavailableError, "sourcead.grad(max)", "not a Python function"),
    (no_source_file, SourceUnavailableError, "compiled_from_a_string()", "compiled from a string"),
    (grad_of_none, UsageError, "sourcead.grad(None)", "None"),
    (grad_of_a_number, UsageError, "sourcead.grad(3.0)", "first argument is the function"),
    (wrt_a_missing_name, UsageError, 'wrt="z"', "no parameter named 'z'"),
    (wrt_out_of_range, UsageError, "wrt=2", "out of range"),
    (wrt_a_float, UsageError, "wrt=1.0", "position or name"),
    (wrt_twice, UsageError, 'wrt=(0, "x")', "twice"),
    (vjp_of_a_complex_in_a_tuple, UsageError, "1.0 + 2.0j", "complex"),
    (jvp_of_a_complex_array_in_a_list, UsageError, "1.0 + 1.0j", "complex"),
    (jvp_of_a_dict_with_other_keys, UsageError, '({"a": 2.0', "with the keys ['a', 'b']"),
    (jvp_of_a_namedtuple_with_a_float_tangent, UsageError, "(Pair(2.0, 3.0),)", "a Pair of 2 items"),
    (hessian_of_a_dataclass, UsageError, "Params(2.0, 3.0)", "is not supported"),
    (jvp_tangent_of_the_wrong_shape, UsageError, "np.ones(2), 0.0", "shape"),
    (jvp_tangent_of_the_wrong_structure, UsageError, "((2.0, 3.0),), (1.0,)", "list or tuple of 2"),
    (jvp_tangent_for_an_int, UsageError, "(2.0, 3), (1.0, 1.0)", "does not differentiate"),
    (jvp_complex_tangent, UsageError, "1.0j, 0.0", "complex"),
    (vjp_cotangent_of_the_wrong_shape, UsageError, "pullback(np.ones(2))", "shape"),
    (vjp_complex_cotangent, UsageError, "pullback(1.0j)", "complex"),
    (vjp_without_primals, UsageError, "sourcead.vjp(two_params)", "primal"),
    (jvp_too_few_tangents, UsageError, "(1.0,))", "one tangent per primal"),
    (hessian_of_a_complex, UsageError, "hessian(two_params)", "complex"),
    (hvp_wrt_a_string, UsageError, '"three"', "str"),
    (jacobian_of_a_complex, UsageError, "np.ones(2) * 1j", "complex"),
]


@pytest.mark.parametrize("call, cls, snippet, words", BAD_CALLS, ids=[c[0].__name__ for c in BAD_CALLS])
def test_api_misuse_is_refused_at_the_call(call, cls, snippet, words):
    with pytest.raises(SourceADError) as info:
        call()
    err = info.value
    assert type(err) is cls, f"{type(err).__name__}: {err}"
    assert_names_this_file(err, line_of(call, snippet))
    assert words in err.message, err.message


def test_there_are_at_least_forty_bad_input_cases():
    passing = [c for c in BAD_FUNCTIONS + BAD_CALLS if not hasattr(c, "marks")]  # not the xfailed
    assert len(passing) >= 40


def test_no_source_shows_no_chained_oserror():
    """Regression: the OSError of inspect was chained (shown as "During handling of the above
    exception...") although it only repeated that there is no source."""
    with pytest.raises(SourceUnavailableError) as info:
        sourcead.grad(compiled_from_a_string())(1.0)
    err = info.value
    assert err.__cause__ is None and err.__context__ is None
    assert "<string>" in err.message and "exec" in err.message


def test_a_generator_is_named_as_such_not_as_an_expression_statement():
    """Regression: `yield x` as a statement was refused as "an expression statement"."""
    with pytest.raises(UnsupportedSyntaxError, match="yield") as info:
        sourcead.grad(a_generator)(1.0)
    assert "expression statement" not in info.value.message


@pytest.mark.parametrize("fn", [calls_eval, reads_locals, reads_vars], ids=lambda f: f.__name__)
def test_eval_and_locals_were_a_silent_zero(fn):
    """Regression: eval("x * 2") and locals()["x"] read x behind the compiler's back, and the
    gradient was 0.0 (the true one is 2.0). They are refused at compile time, also by ssa()."""
    assert fn(1.5) == 3.0
    with pytest.raises(UnsupportedSyntaxError):
        sourcead.ssa(fn)


def make_a_caller_of_a_function_named_vars():
    def vars(x):  # noqa: A001  (shadows the builtin on purpose)
        return x * 2

    def calls_a_function_named_vars(x):
        return vars(x)

    return calls_a_function_named_vars


def test_a_name_shadowing_vars_is_not_refused():
    """Only the builtins are refused: a function that happens to be called `vars` is an ordinary call."""
    assert sourcead.grad(make_a_caller_of_a_function_named_vars())(1.5) == 2.0


# ---- arguments grad cannot take, in every mode -----------------------------------------------------


def square(z):
    return z * z


def scaled(x, s):
    return x * 2.0


def product_of_entries(t):
    return t["a"] * t["b"]


def product_of_fields(t):
    return t.a * t.b



MODES = {
    "grad": lambda f, args, wrt: sourcead.grad(f, wrt=wrt)(*args),
    "value_and_grad": lambda f, args, wrt: sourcead.value_and_grad(f, wrt=wrt)(*args),
    "grad_of_grad": lambda f, args, wrt: sourcead.grad(sourcead.grad(f, wrt=wrt), wrt=wrt)(*args),
    "vjp": lambda f, args, wrt: sourcead.vjp(f, *args)[1](1.0),
    "jvp": lambda f, args, wrt: sourcead.jvp(f, args, tuple(
        _one_like(a) if i == wrt else None for i, a in enumerate(args))),
    "hessian": lambda f, args, wrt: sourcead.hessian(f, wrt=wrt)(*args),
    "hvp": lambda f, args, wrt: sourcead.hvp(f, wrt=wrt)(*args, _one_like(args[wrt])),
    "jacobian": lambda f, args, wrt: sourcead.jacobian(f, wrt=wrt)(*args),
}


def _one_like(a):
    if isinstance(a, np.ndarray):
        return np.ones_like(a)
    if isinstance(a, (tuple, list)) and not hasattr(a, "_fields"):
        return type(a)(_one_like(e) for e in a)
    return 1.0 if not isinstance(a, complex) else 1.0 + 0j


def refused(call) -> UsageError:
    """The call raises a UsageError (an AssertionError otherwise: what the xfail expects today)."""
    try:
        result = call()
    except UsageError as err:
        return err
    except Exception as err:  # a crash is not a refusal
        raise AssertionError(f"crashed with {type(err).__name__}: {err}") from err
    raise AssertionError(f"returned {result!r} instead of refusing")


def mode_params(modes):
    out = []
    for mode in modes:
        out.append(pytest.param(mode, id=mode))
    return out


@pytest.mark.parametrize("mode", mode_params(MODES))
@pytest.mark.parametrize("z", [1.0 + 2.0j, np.complex128(1.0 - 1.0j), np.array([1.0 + 2.0j, 3.0 + 0j])],
                         ids=["complex", "np.complex128", "complex-array"])
def test_a_complex_argument_in_every_mode(mode, z):
    """Regression: grad returned the conjugate of the usual convention, jvp a zero tangent and vjp
    None for a complex argument. Now (JAX's convention, docs/complex.md): vjp and jvp of z * z give
    2z; grad of a complex result, and second derivatives, are refused with the reason."""
    if mode in ("vjp", "jvp"):
        result = MODES[mode](square, (z,), 0)
        np.testing.assert_allclose(result[0] if mode == "vjp" else result[1], 2 * np.asarray(z))
        return
    with pytest.raises(SourceADError) as info:
        MODES[mode](square, (z,), 0)
    err = info.value
    assert "complex" in err.message and err.hint
    assert os.path.abspath(err.loc.filename) in (THIS_FILE, os.path.abspath(inspect.getsourcefile(square)))


ROTATION = 1j


def times_a_complex_global(x):
    return x * ROTATION


@pytest.mark.parametrize("mode", mode_params(MODES))
def test_a_complex_argument_that_is_not_differentiated_is_taken(mode):
    """A complex value that is not differentiated is an ordinary constant: grad(scaled)(x, 1j) is 2."""
    result = MODES[mode](scaled, (2.0, 1.0j), 0)
    assert result is not None


@pytest.mark.parametrize("mode", ["grad", "value_and_grad"])
def test_a_complex_result_through_a_global_is_refused(mode):
    try:
        result = MODES[mode](times_a_complex_global, (2.0,), 0)
    except SourceADError:
        return
    raise AssertionError(f"{mode} returned {result!r}")


@pytest.mark.parametrize("mode", ["vjp", "jvp"])
def test_vjp_and_jvp_of_a_complex_result(mode):
    """x * 1j of a real x: its tangent is 1j; a real cotangent 1.0 pairs with Re(1.0 * 1j) = 0."""
    result = MODES[mode](times_a_complex_global, (2.0,), 0)
    assert result == ((0.0,) if mode == "vjp" else (2.0j, 1j))


@pytest.mark.parametrize("mode", mode_params(["grad", "value_and_grad", "grad_of_grad", "hessian", "hvp", "jacobian"]))
@pytest.mark.parametrize("s", ["three", None], ids=["str", "None"])
def test_wrt_a_string_or_none_is_refused_naming_the_parameter(mode, s):
    """Regression: grad with respect to a string or None argument returned 0.0."""
    err = refused(lambda: MODES[mode](scaled, (2.0, s), 1))
    assert "argument s" in err.message and ("None" if s is None else "str") in err.message and err.hint


@pytest.mark.parametrize("s", ["three", None], ids=["str", "None"])
def test_vjp_and_jvp_leave_a_string_or_none_undifferentiated(s):
    """vjp and jvp differentiate floats only: a string's cotangent is None, and a tangent for it is
    refused (a string has no tangent space)."""
    _, pullback = sourcead.vjp(scaled, 2.0, s)
    assert pullback(1.0) == (2.0, None)
    assert sourcead.jvp(scaled, (2.0, s), (1.0, None)) == (4.0, 2.0)
    err = refused(lambda: sourcead.jvp(scaled, (2.0, s), (1.0, 1.0)))
    assert "s" in err.message and "None" in err.hint


@pytest.mark.parametrize("mode", mode_params(MODES))
@pytest.mark.parametrize("tree", [{"a": 2.0, "b": 3.0}, Pair(2.0, 3.0), Params(2.0, 3.0)],
                         ids=["dict", "namedtuple", "dataclass"])
def test_a_pytree_argument_gets_a_gradient_of_its_structure_or_is_refused(mode, tree):
    """Regression: a dict in wrt raised IndexError from inside sourcead, a namedtuple TypeError;
    vjp gave None and jvp a zero tangent. Now the gradient has the argument's type; a float
    tangent for it is refused, and hessian and jacobian refuse it (hvp takes a pytree v)."""
    fn = product_of_entries if isinstance(tree, dict) else product_of_fields
    like = (lambda a, b: {"a": a, "b": b}) if isinstance(tree, dict) else type(tree)
    if mode in ("jvp", "hvp", "hessian", "jacobian"):
        err = refused(lambda: MODES[mode](fn, (tree,), 0))
        assert ("not supported" if mode in ("hessian", "jacobian") else "like t") in err.message and err.hint
        return
    result = MODES[mode](fn, (tree,), 0)
    expected = {"grad": like(3.0, 2.0), "value_and_grad": (6.0, like(3.0, 2.0)), "vjp": (like(3.0, 2.0),),
                "grad_of_grad": like(1.0, 1.0)}[mode]
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize("mode", ["grad", "value_and_grad"])
@pytest.mark.parametrize("fn", [is_positive, makes_an_object],
                         ids=["bool", "object"])
def test_grad_of_a_result_that_is_not_a_number_is_refused(fn, mode):
    try:
        result = MODES[mode](fn, (2.0,), 0)
    except NonDifferentiableError:
        return
    raise AssertionError(f"{mode} returned {result!r}")


def returns_a_string_for_a_positive_sum(x):
    if x.sum() > 0:
        return "positive"
    return np.sin(x) * x


def returns_an_object_for_a_positive_sum(x):
    if x.sum() > 0:
        return object()
    return np.sin(x) * x


@pytest.mark.parametrize("mode", ["grad", "value_and_grad", "grad_of_grad"])
@pytest.mark.parametrize("fn", [returns_a_string_for_a_positive_sum, returns_an_object_for_a_positive_sum],
                         ids=["str", "object"])
def test_an_array_function_returning_no_number_on_one_path_is_refused_there(fn, mode):
    """Regression: the array gradient's seed became 1.0 and the result was never checked, so the
    path returning a string or an object gave a silent zero gradient."""
    with pytest.raises(NonDifferentiableError, match=f"def {fn.__name__}"):
        MODES[mode](fn, (np.ones(3),), 0)
    x = -np.ones(3)
    if mode == "grad":
        assert np.allclose(sourcead.grad(fn)(x), np.sin(x) + x * np.cos(x))


def pads_with_a_ramp(x):
    y = np.sin(x)
    z = np.pad(y, 1, mode="linear_ramp")
    return np.sum(z ** 2)


@pytest.mark.parametrize("mode", ["grad", "value_and_grad", "vjp", "jvp", "hessian"])
def test_a_refusal_raised_while_a_derivative_runs_names_the_users_line(mode):
    """A rule helper refuses an option only when the derivative runs (np.pad's mode): the error
    names the user's line the running statement comes from, not a line of sourcead's."""
    with pytest.raises(UnsupportedCallError) as info:
        MODES[mode](pads_with_a_ramp, (np.ones(3),), 0)
    assert info.value.loc is not None and info.value.loc.filename == __file__
    assert 'np.pad(y, 1, mode="linear_ramp")' in str(info.value)


# ---- NaN and inf propagate as in the primal ------------------------------------------------------


def log(x):
    return np.log(x)


def sqrt(x):
    return np.sqrt(x)


def exp(x):
    return np.exp(x)


def tanh(x):
    return np.tanh(x)


def reciprocal(x):
    return np.reciprocal(x)


@pytest.mark.parametrize("fn, x, expected", [
    (log, np.nan, np.nan), (exp, np.nan, np.nan), (log, np.inf, 0.0), (exp, np.inf, np.inf),
    (exp, -np.inf, 0.0), (tanh, np.inf, 0.0), (sqrt, 0.0, np.inf), (reciprocal, 0.0, -np.inf),
    (log, np.float64(0.0), np.inf), (sqrt, -1.0, np.nan),
], ids=["log-nan", "exp-nan", "log-inf", "exp-inf", "exp-neg-inf", "tanh-inf", "sqrt-0", "reciprocal-0",
        "log-np.float64-0", "sqrt-negative"])
def test_nan_and_inf_propagate_as_in_the_primal(fn, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        g = sourcead.grad(fn)(x)
        t = sourcead.jvp(fn, (x,), (1.0,))[1]
        c = sourcead.vjp(fn, x)[1](1.0)[0]
        garr = sourcead.grad(fn)(np.array([x, 0.5]))
    for got in (g, t, c):
        assert got == expected or (np.isnan(expected) and np.isnan(got)), (got, expected)
    assert (garr[0] == expected or np.isnan(expected) and np.isnan(garr[0])) and np.isfinite(garr[1])


def log2(x):
    return np.log2(x)


def log10(x):
    return np.log10(x)


def log1p(x):
    return np.log1p(x)


def arctanh(x):
    return np.arctanh(x)


def half_power(x):
    return np.power(x, 0.5)


@pytest.mark.parametrize("fn, x, expected", [
    pytest.param(log, 0.0, np.inf, id="log"), pytest.param(log2, 0.0, np.inf, id="log2"),
    pytest.param(log10, 0.0, np.inf, id="log10"), pytest.param(log1p, -1.0, np.inf, id="log1p"),
    pytest.param(arctanh, 1.0, np.inf, id="arctanh"),
    pytest.param(half_power, 0.0, np.inf, id="power-0.5")])
def test_a_pole_at_a_python_float_gives_inf_like_the_primal(fn, x, expected):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert np.isinf(fn(x)) or fn(x) == 0.0
        assert sourcead.grad(fn)(x) == expected


# ---- values at kinks: the documented convention (docs/errors.md) ---------------------------------


def abs_builtin(x):
    return abs(x)


def abs_numpy(x):
    return np.abs(x)


def maximum(x, y):
    return np.maximum(x, y)


def minimum(x, y):
    return np.minimum(x, y)


def max_builtin(x, y):
    return max(x, y)


def min_builtin(x, y):
    return min(x, y)


def where_positive(x):
    return np.where(x > 0, 3.0 * x, -2.0 * x)


def where_nonnegative(x):
    return np.where(x >= 0, 3.0 * x, -2.0 * x)


def clip(x):
    return np.clip(x, -1.0, 1.0)


def relu(x):
    return np.maximum(x, 0.0)


def largest(x):
    return np.max(x)


@pytest.mark.parametrize("fn, args, wrt, expected", [
    (abs_builtin, (0.0,), 0, 0.0),
    (abs_numpy, (0.0,), 0, 0.0),
    (abs_numpy, (np.zeros(2),), 0, np.zeros(2)),
    (maximum, (1.0, 1.0), (0, 1), (0.5, 0.5)),
    (minimum, (1.0, 1.0), (0, 1), (0.5, 0.5)),
    (maximum, (np.ones(2), np.ones(2)), (0, 1), (np.full(2, 0.5), np.full(2, 0.5))),
    (relu, (0.0,), 0, 0.5),
    (max_builtin, (1.0, 1.0), (0, 1), (1.0, 0.0)),
    (min_builtin, (1.0, 1.0), (0, 1), (1.0, 0.0)),
    (where_positive, (0.0,), 0, -2.0),
    (where_nonnegative, (0.0,), 0, 3.0),
    (clip, (1.0,), 0, 1.0),
    (clip, (-1.0,), 0, 1.0),
    (clip, (np.array([-1.0, 1.0, 2.0, 0.0]),), 0, np.array([1.0, 1.0, 0.0, 1.0])),
    (largest, (np.array([1.0, 1.0, 0.0]),), 0, np.array([0.5, 0.5, 0.0])),
], ids=["abs", "np.abs", "np.abs-array", "np.maximum-tie", "np.minimum-tie", "np.maximum-tie-array", "relu-0",
        "max-first-wins", "min-first-wins", "np.where-strict-boundary", "np.where-closed-boundary",
        "clip-upper", "clip-lower", "clip-array", "np.max-ties"])
def test_the_value_at_a_kink_follows_the_convention(fn, args, wrt, expected):
    """abs at 0 -> 0; np.maximum/np.minimum/np.max ties split evenly; builtin max/min: the first
    argument wins; np.where at its boundary: the branch its condition selects; clip at a bound:
    the identity's derivative (1)."""
    got = sourcead.grad(fn, wrt=wrt)(*args)
    assert_close(got, expected, 0.0, 0.0, f"grad of {fn.__name__} at {args}")
    assert_close(sourcead.value_and_grad(fn, wrt=wrt)(*args)[1], expected, 0.0, 0.0, "value_and_grad")


# ---- the NaN-gradient pitfall of np.where ----------------------------------------------------------


def sqrt_where_positive(x):
    return np.sum(np.where(x > 0, np.sqrt(x), 0.0))


def sqrt_where_positive_safe(x):
    return np.sum(np.where(x > 0, np.sqrt(np.where(x > 0, x, 1.0)), 0.0))


def test_np_where_does_not_stop_a_nan_from_the_branch_not_taken():
    """Both branches of np.where are computed, and so are both cotangents: the one of np.sqrt(x)
    at x <= 0 is 0 * inf or 0 * nan = nan. The primal is the same for both versions; the gradient
    differs (docs/errors.md, "NaN gradients through np.where")."""
    x = np.array([0.0, 4.0, -1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        assert sqrt_where_positive(x) == sqrt_where_positive_safe(x) == 2.0
        naive = sourcead.grad(sqrt_where_positive)(x)
    assert np.isnan(naive[0]) and naive[1] == 0.25 and np.isnan(naive[2])
    safe = sourcead.grad(sqrt_where_positive_safe)(x)
    assert np.array_equal(safe, [0.0, 0.25, 0.0])
    assert_close(safe[1:2], numeric_grad(sqrt_where_positive_safe, (x,), 0)[1:2], 1e-6, 1e-8)


def test_the_docs_show_the_safe_pattern():
    docs = os.path.join(os.path.dirname(THIS_FILE), os.pardir, "docs", "errors.md")
    with open(docs) as fh:
        text = fh.read()
    assert "## NaN gradients through np.where" in text
    assert "np.sqrt(np.where(x > 0, x, 1.0))" in text
    assert "## Values at kinks" in text
