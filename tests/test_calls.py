"""Calls as people write them (issue #9, item 4): functions defined inside the differentiated
function (closures with late binding, lambdas), function values (arguments, locals,
functools.partial), callable objects and bound, static and class methods, *args and **kwargs,
recursion (refused), and a sourcead derivative called inside a differentiated function.

Every derivative is checked in grad, vjp, jvp, hessian and grad of grad, against central finite
differences and autograd running the same function (or, where the function holds NumPy objects
autograd cannot trace -- np.tanh passed as an argument, methods of a class -- a functional twin
written with autograd.numpy)."""

import functools
import math
import os
import sys

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from located import assert_located  # noqa: E402
from oracle import (assert_close, autograd_grad, autograd_hessian, autograd_hvp, autograd_jacobian,  # noqa: E402
                    autograd_jvp, numeric_grad, numeric_hessian, numeric_jacobian, numeric_jvp)

import sourcead  # noqa: E402
from sourcead.errors import SourceADError, UnsupportedCallError, UnsupportedSyntaxError, UsageError  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), "golden")
X = np.array([0.3, -0.4])


# ---- the harness: every mode, against finite differences and autograd ---------------------------


def check_all(f, args, wrt=0, twin=None, twin_args=None, second=True):
    """grad, value_and_grad, vjp, jvp, hessian and grad of grad of `f` at `args` (scalar result),
    each against central finite differences of `f` and autograd of `twin` (default: `f`)."""
    twin, twin_args = twin or f, args if twin_args is None else twin_args
    x = args[wrt]
    g = sourcead.grad(f, wrt=wrt)(*args)
    assert_close(g, numeric_grad(f, args, wrt), rtol=1e-6, atol=1e-8, what="grad vs finite differences")
    expected = autograd_grad(twin, twin_args, wrt)
    assert_close(g, expected, rtol=1e-9, atol=1e-12, what="grad vs autograd")
    value, g2 = sourcead.value_and_grad(f, wrt=wrt)(*args)
    assert value == pytest.approx(f(*args)) and np.allclose(g2, expected)
    _, pullback = sourcead.vjp(f, *args)
    assert np.allclose(pullback(1.0)[wrt], expected, rtol=1e-9, atol=1e-12)
    v = np.linspace(0.5, 1.5, np.size(x)).reshape(np.shape(x)) if isinstance(x, np.ndarray) else 0.7
    tangents = [None] * len(args)
    tangents[wrt] = v
    _, tout = sourcead.jvp(f, args, tangents)
    assert tout == pytest.approx(float(np.sum(expected * v)), rel=1e-9, abs=1e-12)
    if not second:
        return
    h = sourcead.hessian(f, wrt=wrt)(*args)
    assert np.allclose(h, autograd_hessian(twin, twin_args, wrt), rtol=1e-8, atol=1e-10)
    assert np.allclose(h, numeric_hessian(f, args, wrt), rtol=1e-5, atol=1e-6)
    gg = sourcead.grad(sourcead.grad(f, wrt=wrt), wrt=wrt)(*args)
    assert np.allclose(gg, np.sum(np.reshape(h, (np.size(x), np.size(x))), axis=0).reshape(np.shape(x)))


# ---- 1. functions defined inside the differentiated function ------------------------------------


def closure_late_binding(x):
    def g(y):
        return x * y + np.sin(x)
    x = x * 1.5  # g reads this x: Python binds a free variable when g runs
    return g(2.0)


def lambda_activation(x):
    act = lambda z: np.tanh(z) * x  # noqa: E731
    return act(x) + act(2.0 * x)


def closure_in_a_loop(x):
    def step(v):
        return np.sin(v) * x
    h = x
    for i in range(3):
        h = h + 0.5 * step(h)
    return h


def closure_with_control_flow(x):
    def clipped(v, limit=1.0):
        if v > limit:
            return limit + 0.1 * v
        total = 0.0
        for k in range(3):
            total = total + v ** k
            if total > 5.0:
                return total
        return total
    return clipped(x) + clipped(3.0 * x) * x


def nested_twice(x):
    def outer(v):
        def inner(w):
            return w * x + v
        return inner(v) * inner(2.0)
    return outer(np.cos(x))


def shadowed(x):
    def g():
        return x * 2.0

    def h(y):
        x = y * 10.0  # h's own x: g still reads the function's x
        return g() + x
    return h(x ** 2)


def _integrate(g, a, b, n=8):
    """The midpoint rule: `g` is a function passed in."""
    s = 0.0
    for i in range(n):
        t = a + (b - a) * (i + 0.5) / n
        s = s + g(t)
    return s * (b - a) / n


def integrates_a_closure(x):
    def g(t):
        return np.sin(x * t) * t
    return _integrate(g, 0.0, 1.0)


def integrates_a_lambda(x):
    return _integrate(lambda t: np.exp(-x * t * t), 0.0, x)


def def_inside_a_loop(x):
    total = 0.0
    h = x
    for i in range(4):
        def term(v):
            return np.sin(v * (i + 1)) * h  # i and h as they are when term runs
        total = total + term(x)
        h = h * 0.9 + total * 0.1
    return total


def closure_reads_array(w):
    def layer(v):
        return np.tanh(w * v)
    return np.sum(layer(layer(np.array([0.5, -1.0]))))


@pytest.mark.parametrize("f", [closure_late_binding, lambda_activation, closure_in_a_loop, closure_with_control_flow,
                               nested_twice, shadowed, integrates_a_closure, integrates_a_lambda, def_inside_a_loop],
                         ids=lambda f: f.__name__)
def test_local_functions_every_mode(f):
    check_all(f, (0.7,))


def test_stages_show_the_lifted_functions():
    """The desugar stage names each nested function $fnN and shows what it stands for."""
    desugared = dict(sourcead.stages(nested_twice, 0.7))["desugar"]
    assert "outer = $fn1" in desugared and "# $fn1 is:\ndef outer(v):" in desugared
    assert "# $fn1 (in outer) is:\ndef inner(w):" in desugared


def test_closure_over_an_array():
    check_all(closure_reads_array, (X,))


def test_late_binding_matches_python():
    """The free variable is read when the function runs: closure_late_binding uses the x bound
    after the def (a function read at its definition would give 2x + sin(x), not 3x + sin(1.5x))."""
    assert closure_late_binding(0.7) == pytest.approx(0.7 * 1.5 * 2.0 + np.sin(0.7 * 1.5))
    assert sourcead.grad(closure_late_binding)(0.7) == pytest.approx(3.0 + 1.5 * np.cos(1.05))


def test_a_closure_lowers_to_its_body_at_the_call():
    """The IR holds no function value: g's body is lowered where g is called, reading x_1."""
    assert sourcead.ssa(closure_late_binding) == (
        "def closure_late_binding(x):\n"
        "  x_1 = mul(x, 1.5)\n"
        "  t = mul(x_1, 2.0)\n"
        "  t_1 = numpy.sin(x_1)\n"
        "  t_2 = add(t, t_1)\n"
        "  return t_2")


def test_shadowing_inside_a_nested_function():
    assert shadowed(0.6) == pytest.approx(0.6 * 2.0 + 3.6)
    assert sourcead.grad(shadowed)(0.6) == pytest.approx(2.0 + 12.0)


def test_golden_closure_source():
    """The derivative of a closure called in a loop reads like the function: one pass, the
    closure's body inlined, its line named in the comments."""
    text = sourcead.source(sourcead.grad(integrates_a_closure), 0.7)
    path = os.path.join(GOLDEN, "integrates_a_closure_grad.py")
    if os.environ.get("SOURCEAD_UPDATE_GOLDEN"):
        with open(path, "w") as fh:
            fh.write(text)
    with open(path) as fh:
        assert text == fh.read()
    assert "# grad of: return np.sin(x * t) * t" in text


# ---- 2. function values: arguments, locals, functools.partial -----------------------------------


def apply(act, x):
    return act(x) * 2.0 + act(0.5 * x)


def with_activation(x, act):
    return act(x) + apply(act, x)


def softplus(z):
    return np.log1p(np.exp(z))


def local_alias(x):
    act = np.sin
    other = softplus
    return act(x) * other(x)


def scaled(x, a=1.0, b=2.0):
    return a * x + b * x ** 2


def uses_partials(x):
    h = functools.partial(scaled, b=x)
    times3 = functools.partial(np.multiply, 3.0)
    return h(x) + times3(np.sin(x))


def partial_of_a_closure(x):
    def power(v, k):
        return v ** k * x
    cube = functools.partial(power, k=3)
    return _integrate(cube, 0.0, 1.0) + cube(x)


GLOBAL_PARTIAL = functools.partial(scaled, a=0.5, b=-1.0)


def global_partial(x):
    return GLOBAL_PARTIAL(np.sin(x))


def test_function_argument_numpy():
    check_all(with_activation, (0.7, np.tanh), twin=with_activation, twin_args=(0.7, anp.tanh))


def test_function_argument_user_function():
    check_all(with_activation, (0.7, softplus))


@pytest.mark.parametrize("f", [local_alias, uses_partials, partial_of_a_closure, global_partial],
                         ids=lambda f: f.__name__)
def test_function_values_every_mode(f):
    check_all(f, (0.7,))


def test_partial_passed_as_argument():
    check_all(with_activation, (0.7, functools.partial(scaled, b=0.3)))


def test_function_argument_is_in_the_cache_key():
    """The derivative is specialised on the function it is given: another function compiles
    another derivative, never reuses the first (a silently wrong gradient)."""
    df = sourcead.grad(with_activation)
    # with_activation(x, act) = 3 act(x) + act(x / 2)
    assert df(0.7, np.sin) == pytest.approx(3 * np.cos(0.7) + 0.5 * np.cos(0.35))
    assert df(0.7, np.cos) == pytest.approx(-3 * np.sin(0.7) - 0.5 * np.sin(0.35))
    assert df(0.7, np.sin) == pytest.approx(3 * np.cos(0.7) + 0.5 * np.cos(0.35))
    assert "np.cos" in sourcead.source(df, 0.7, np.sin) and "np.cos" not in sourcead.source(df, 0.7, np.cos)


def test_wrt_a_function_argument_is_refused_with_a_hint():
    with pytest.raises(UsageError, match="is a function") as info:
        sourcead.grad(with_activation, wrt=1)(0.7, np.tanh)
    assert "out of wrt" in info.value.hint


# ---- 3. callable objects, bound methods, static and class methods --------------------------------


class Model:
    def __init__(self, W):
        self.W = W

    def predict(self, x):
        return np.tanh(self.W @ x)

    def loss(self, x):
        return np.sum(self.predict(x) ** 2) + Model.penalty(x) + Model.scaled_penalty(x)

    @staticmethod
    def penalty(x):
        return 0.1 * np.sum(x ** 2)

    @classmethod
    def scaled_penalty(cls, x):
        return cls.penalty(x) * 2.0

    def __call__(self, x):
        return self.loss(x) * 0.5


W = np.array([[1.0, 0.5], [-0.3, 2.0]])
model = Model(W)


def model_loss_twin(x, W=W):
    """Model.loss written with autograd.numpy: the independent oracle for the methods."""
    return anp.sum(anp.tanh(anp.dot(W, x)) ** 2) + 0.3 * anp.sum(x ** 2)


def uses_global_model(x):
    return model.loss(x) + model(x)


def uses_model_argument(x, m):
    return m(x) + m.loss(x)


def test_bound_method():
    check_all(model.loss, (X,), twin=model_loss_twin, twin_args=(X,))


def test_callable_object():
    check_all(model, (X,), twin=lambda x: 0.5 * model_loss_twin(x), twin_args=(X,))


def test_methods_of_a_global_object():
    check_all(uses_global_model, (X,), twin=lambda x: 1.5 * model_loss_twin(x), twin_args=(X,))


def test_callable_object_as_argument():
    check_all(uses_model_argument, (X, model), twin=lambda x: 1.5 * model_loss_twin(x), twin_args=(X,))


class Variadic:
    def total(self, x, *rest):
        return x * rest[0]


def test_a_bound_method_taking_star_args_is_refused_with_a_hint():
    with pytest.raises(SourceADError, match="bound method taking") as info:
        sourcead.grad(Variadic().total)(0.5, 2.0)
    assert "instance explicitly" in info.value.hint


def test_attributes_of_self_are_read_live():
    """self.W is a constant of the bound object, read when the derivative runs (like a global)."""
    m = Model(W.copy())
    df = sourcead.grad(m.loss)
    before = df(X)
    m.W = 2.0 * W
    assert np.allclose(df(X), autograd_grad(lambda x: model_loss_twin(x, 2.0 * W), (X,)))
    assert not np.allclose(before, df(X))
    assert "self.W" in sourcead.source(df, X)


def test_unknown_attribute_of_an_active_value_stays_refused():
    def f(x):
        return x.real_part * 2.0
    with pytest.raises(SourceADError):
        sourcead.grad(f)(0.7)


# ---- 4. *args and **kwargs ---------------------------------------------------------------------------


def summed(*xs):
    total = 0.0
    for v in xs:
        total = total + np.sin(v)
    return total * xs[0]


def with_options(x, **opts):
    return x * opts["scale"] + forwarded(x, **opts)


def forwarded(x, scale=1.0, shift=0.0):
    return np.exp(scale * x) + shift


def spreads(x):
    t = (x, 2.0 * x, 0.5)
    return summed(*t) + summed(x, x) + with_options(x, scale=x, shift=1.0)


def local_star_args(x):
    def mean(*vs, power=1):
        s = 0.0
        for v in vs:
            s = s + v ** power
        return s / len(vs)
    return mean(x, np.sin(x), power=2) + mean(*(x, x * x))


def top_star_args(x, *rest):
    return x * rest[0] + np.sin(rest[1] * x)


def top_kwargs(x, **opts):
    return np.sin(x * opts["scale"]) + opts["shift"]


def test_star_args_and_kwargs_of_callees():
    check_all(spreads, (0.7,))


def test_star_args_of_a_nested_function():
    check_all(local_star_args, (0.7,))


def test_star_args_in_the_signature():
    """The *args parameter is one tuple parameter; wrt=0 is x, wrt=1 the tuple (its gradient a tuple)."""
    assert sourcead.grad(top_star_args)(0.7, 2.0, 3.0) == pytest.approx(2.0 + 3.0 * np.cos(2.1))
    g = sourcead.grad(top_star_args, wrt=1)(0.7, 2.0, 3.0)
    assert g == pytest.approx((0.7, 0.7 * np.cos(2.1)))
    assert sourcead.grad(sourcead.grad(top_star_args))(0.7, 2.0, 3.0) == pytest.approx(-9.0 * np.sin(2.1))
    assert numeric_grad(top_star_args, (0.7, 2.0, 3.0)) == pytest.approx(2.0 + 3.0 * np.cos(2.1))


def star_default(x, y=1.0, *rest):
    s = x * y
    for r in rest:
        s = s + np.sin(r * x)
    return s


def star_default_twin(x, y, r):
    return x * y + anp.sin(r * x)


def test_star_args_bound_whatever_the_number_of_arguments():
    """As many arguments as parameters is still a call: the last ones are *rest, a tuple."""
    args = (0.7, 2.0, 3.0)
    explicit = lambda x, y, r: star_default(x, y, r)  # noqa: E731
    for k in range(2):
        g = sourcead.grad(star_default, wrt=k)(*args)
        assert_close(g, autograd_grad(star_default_twin, args, k), rtol=1e-9, atol=1e-12, what="grad vs autograd")
        assert_close(g, numeric_grad(explicit, args, k), rtol=1e-6, atol=1e-8, what="grad vs FD")
    h = sourcead.hessian(star_default, wrt=(0, 1))(*args)
    assert h[0][0] == pytest.approx(autograd_hessian(star_default_twin, args, 0), rel=1e-9)
    assert h[0][1] == pytest.approx(1.0) and h[1][1] == 0.0
    assert sourcead.vjp(star_default, 0.7, 2.0)[1](1.0) == pytest.approx((2.0, 0.7))  # *rest empty
    dk = sourcead.grad(keyword_only)
    assert dk(0.7, 1.3) == pytest.approx(autograd_grad(keyword_only, (0.7, 1.3), 0), rel=1e-9)
    assert dk(0.7, 1.3, scale=1.5) == pytest.approx(autograd_grad(keyword_only, (0.7, 1.3), 0, {"scale": 1.5}))
    with pytest.raises(UsageError, match="too many positional arguments"):
        dk(0.7, 1.3, 2.0)  # a keyword-only parameter is not positional, after all-float calls too


def star_energy(w, *xs, power=2, **opts):
    """*args of an array and floats, a keyword-only option and **kwargs."""
    s = np.sum(np.tanh(w * xs[0])) + xs[1] * np.sum(w ** power)
    return opts["scale"] * s + np.sin(xs[1] * xs[2])


def star_energy_twin(w, a, b, c):
    return 1.5 * (anp.sum(anp.tanh(w * a)) + b * anp.sum(w ** 2)) + anp.sin(b * c)


def star_energy_explicit(w, a, b, c):
    """The real function with one parameter per argument, for finite differences."""
    return star_energy(w, a, b, c, scale=1.5)


STAR = (X, np.array([0.9, -1.2]), 0.7, 1.3)


def test_vjp_of_star_args_gives_one_cotangent_per_positional_primal():
    out, pullback = sourcead.vjp(star_energy, *STAR, scale=1.5)
    assert out == pytest.approx(star_energy_explicit(*STAR))
    cts = pullback(1.0)
    assert len(cts) == 4
    for k in range(4):
        assert_close(cts[k], autograd_grad(star_energy_twin, STAR, k), rtol=1e-9, atol=1e-12, what=f"vjp {k} vs autograd")
        assert_close(cts[k], numeric_grad(star_energy_explicit, STAR, k), rtol=1e-6, atol=1e-8, what=f"vjp {k} vs FD")
    assert isinstance(cts[1], np.ndarray) and cts[1].shape == (2,) and isinstance(cts[2], float)
    cts = sourcead.vjp(star_energy, *STAR, scale=1.5)[1](2.0)
    assert_close(cts[3], 2.0 * autograd_grad(star_energy_twin, STAR, 3), rtol=1e-9, atol=1e-12)


def test_vjp_of_star_args_an_int_positional_gets_none():
    """An int among the *args positionals is not differentiated, like an int primal anywhere."""
    _, pullback = sourcead.vjp(top_star_args, 0.7, 2, 3.0)
    g = pullback(1.0)
    assert g[1] is None and len(g) == 3
    assert g[0] == pytest.approx(autograd_grad(lambda x, a, b: x * a + anp.sin(b * x), (0.7, 2.0, 3.0), 0))
    assert g[2] == pytest.approx(numeric_grad(lambda x, a, b: top_star_args(x, a, b), (0.7, 2.0, 3.0), 2))
    assert sourcead.vjp(lambda_star, 0.5)[1](1.0) == pytest.approx((np.cos(0.5),))  # *rest empty


def lambda_star(x, *rest):
    return np.sin(x) + len(rest)


def test_jvp_of_star_args_takes_one_tangent_per_positional_primal():
    tangents = (np.array([0.3, 0.8]), np.array([-0.5, 0.25]), 1.5, -0.75)
    out, tout = sourcead.jvp(star_energy, STAR, tangents, scale=1.5)
    assert out == pytest.approx(star_energy_explicit(*STAR))
    assert tout == pytest.approx(autograd_jvp(star_energy_twin, STAR, tangents)[1], rel=1e-9, abs=1e-12)
    assert tout == pytest.approx(numeric_jvp(star_energy_explicit, STAR, tangents)[1], rel=1e-6, abs=1e-8)
    partial = (None, None, 1.5, None)  # only one element of *xs moves
    _, tout = sourcead.jvp(star_energy, STAR, partial, scale=1.5)
    assert tout == pytest.approx(1.5 * autograd_grad(star_energy_twin, STAR, 2), rel=1e-9)
    with pytest.raises(UsageError, match="one tangent per primal"):
        sourcead.jvp(star_energy, STAR, tangents[:3], scale=1.5)
    with pytest.raises(UsageError, match=r"rest\[0\] is an int"):
        sourcead.jvp(top_star_args, (0.7, 2, 3.0), (0.0, 1.0, 0.0))
    _, tout = sourcead.jvp(top_star_args, (0.7, 2, 3.0), (1.0, None, 0.5))
    twin = lambda x, a, b: x * a + anp.sin(b * x)  # noqa: E731
    assert tout == pytest.approx(autograd_jvp(twin, (0.7, 2.0, 3.0), (1.0, 0.0, 0.5))[1], rel=1e-9)


def test_hessian_jacobian_and_hvp_of_star_args():
    """wrt names ordinary parameters (hessian, jacobian, hvp) or the *args tuple (hvp: v is a tuple);
    keyword arguments pass through."""
    h = sourcead.hessian(star_energy)(*STAR, scale=1.5)
    assert_close(h, autograd_hessian(star_energy_twin, STAR, 0), rtol=1e-8, atol=1e-10, what="hessian vs autograd")
    assert_close(h, numeric_hessian(star_energy_explicit, STAR, 0), rtol=1e-5, atol=1e-6, what="hessian vs FD")
    assert_close(sourcead.jacobian(star_energy, wrt="w")(*STAR, scale=1.5),
                 autograd_grad(star_energy_twin, STAR, 0), rtol=1e-9, atol=1e-12)
    J = sourcead.jacobian(star_vector)(*STAR)
    assert_close(J, autograd_jacobian(star_vector_twin, STAR, 0), rtol=1e-9, atol=1e-12, what="jacobian vs autograd")
    assert_close(J, numeric_jacobian(lambda w, a, b, c: star_vector(w, a, b, c), STAR, 0), rtol=1e-6, atol=1e-8)
    v = np.array([0.4, -1.1])
    hv = sourcead.hvp(star_energy)(*STAR, v, scale=1.5)
    assert_close(hv, autograd_hvp(star_energy_twin, STAR, v, 0), rtol=1e-8, atol=1e-10, what="hvp vs autograd")
    assert_close(hv, numeric_hessian(star_energy_explicit, STAR, 0) @ v, rtol=1e-5, atol=1e-6, what="hvp vs FD")


def star_vector(w, *xs):
    return np.tanh(w * xs[0]) * xs[1] + np.array([1.0, 2.0, 3.0]).sum() * w ** 2 * xs[2]


def star_vector_twin(w, a, b, c):
    return anp.tanh(w * a) * b + 6.0 * w ** 2 * c


def test_hvp_with_respect_to_the_star_args_tuple():
    """hvp(f, wrt=the *args parameter): v is a tuple like it, the product a tuple."""
    v = (np.array([0.2, -0.6]), 0.9, -0.4)
    hv = sourcead.hvp(star_energy, wrt="xs")(*STAR, v, scale=1.5)
    xs = STAR[1:]
    packed = lambda xs: star_energy_twin(STAR[0], *xs)  # noqa: E731
    directional = lambda xs: sum(anp.sum(g * vi) for g, vi in zip(autograd.grad(packed)(xs), v))  # noqa: E731
    expected = [e if np.ndim(e) else float(e) for e in autograd.grad(directional)(xs)]
    assert isinstance(hv, tuple) and len(hv) == 3
    for k in range(3):
        assert_close(hv[k], expected[k], rtol=1e-8, atol=1e-10, what=f"hvp[{k}] vs autograd")
    eps = 1e-5  # central differences of sourcead's own gradient along v, against the same product
    grad_at = lambda t: sourcead.grad(star_energy, wrt="xs")(  # noqa: E731
        STAR[0], *(x + t * vi for x, vi in zip(xs, v)), scale=1.5)
    fd = [(p - m) / (2 * eps) for p, m in zip(grad_at(eps), grad_at(-eps))]
    for k in range(3):
        assert_close(hv[k], fd[k], rtol=1e-5, atol=1e-7, what=f"hvp[{k}] vs FD")


def test_hessian_and_jacobian_with_respect_to_star_args_are_refused():
    for what in (sourcead.hessian, sourcead.jacobian):
        with pytest.raises(UsageError, match=r"\*xs \(a tuple\) is not supported") as info:
            what(star_energy, wrt="xs")(*STAR, scale=1.5)
        assert "hvp" in str(info.value)
    with pytest.raises(UsageError, match=r"\*xs"):
        sourcead.jacobian(star_energy, wrt=(0, 1))


def test_kwargs_in_the_signature():
    df = sourcead.grad(top_kwargs)
    assert df(0.7, scale=2.0, shift=1.0) == pytest.approx(2.0 * np.cos(1.4))
    assert sourcead.grad(df)(0.7, scale=2.0, shift=1.0) == pytest.approx(-4.0 * np.sin(1.4))
    assert numeric_grad(lambda x: top_kwargs(x, scale=2.0, shift=1.0), (0.7,)) == pytest.approx(2.0 * np.cos(1.4))


def keyword_only(x, y, *, scale=2.0, clip=3):
    return np.sin(x * scale) * y + np.minimum(x, clip) * y ** 2


KEYWORDS = [(top_kwargs, (0.7,), {"scale": 2.0, "shift": 1.0}),
            (keyword_only, (0.7, 1.3), {"scale": 1.5, "clip": 5}),
            (keyword_only, (0.7, 1.3), {})]


@pytest.mark.parametrize("f, args, kwargs", KEYWORDS)
def test_keyword_arguments_pass_through_every_mode(f, args, kwargs):
    """**kwargs and keyword-only parameters: keywords are passed to f and never differentiated, in
    vjp, jvp, hessian, jacobian and hvp alike."""
    n = len(args)
    grads = [autograd_grad(f, args, k, kwargs=kwargs) for k in range(n)]
    for k in range(n):
        assert_close(grads[k], numeric_grad(f, args, k, kwargs=kwargs), rtol=1e-6, atol=1e-8, what="oracles")
    out, pullback = sourcead.vjp(f, *args, **kwargs)
    assert out == pytest.approx(f(*args, **kwargs))
    assert_close(pullback(1.0), tuple(grads), rtol=1e-9, atol=1e-12, what="vjp")
    tangents = tuple(0.5 + k for k in range(n))
    _, tout = sourcead.jvp(f, args, tangents, **kwargs)
    assert tout == pytest.approx(sum(g * t for g, t in zip(grads, tangents)), rel=1e-9)
    assert tout == pytest.approx(numeric_jvp(f, args, tangents, kwargs=kwargs)[1], rel=1e-6)
    h = sourcead.hessian(f)(*args, **kwargs)
    assert h == pytest.approx(autograd_hessian(f, args, 0, kwargs=kwargs), rel=1e-8)
    assert h == pytest.approx(numeric_hessian(f, args, 0, kwargs=kwargs), rel=1e-5)
    assert sourcead.hvp(f)(*args, 0.3, **kwargs) == pytest.approx(0.3 * h, rel=1e-9)
    assert sourcead.jacobian(f, wrt=n - 1)(*args, **kwargs) == pytest.approx(grads[-1], rel=1e-9)


def star_of_unknown_length(x, xs):
    return summed(*xs) * x


def test_star_of_a_sequence_of_unknown_length_is_refused():
    with pytest.raises(UnsupportedCallError, match="length is not known") as info:
        sourcead.grad(star_of_unknown_length)(0.7, (1.0, 2.0))
    assert_located(info.value, star_of_unknown_length, "*xs)")


# ---- 5. recursion -----------------------------------------------------------------------------------


def power_rec(n, x):
    if n == 0:
        return 1.0
    return x * power_rec(n - 1, x)


def local_recursion(x):
    def r(n):
        return x if n == 0 else x * r(n - 1)
    return r(3)


def test_recursion_is_refused_where_it_happens():
    with pytest.raises(UnsupportedCallError, match="recursion") as info:
        sourcead.grad(power_rec, wrt=1)(3, 0.5)
    assert_located(info.value, power_rec, "power_rec(n - 1, x)")
    assert "loop" in info.value.hint


def test_local_recursion_is_refused_where_it_happens():
    with pytest.raises(UnsupportedCallError, match="recursion") as info:
        sourcead.grad(local_recursion)(0.5)
    assert_located(info.value, local_recursion, "r(n - 1)")


# ---- 6. a sourcead derivative called inside a differentiated function ----------------------------


W0 = np.array([0.5, -0.2])


def inner_loss(w):
    return np.sum(np.sin(w) * w) + 0.5 * np.sum(w ** 2)


dinner = sourcead.grad(inner_loss)


def meta(lr):
    w = W0 - lr * dinner(W0)
    return inner_loss(w)


def meta_inline(lr):
    w = W0 - lr * sourcead.grad(inner_loss)(W0)
    return inner_loss(w)


def meta_twin(lr):
    w = W0 - lr * autograd.grad(lambda v: anp.sum(anp.sin(v) * v) + 0.5 * anp.sum(v ** 2))(W0)
    return anp.sum(anp.sin(w) * w) + 0.5 * anp.sum(w ** 2)


@pytest.mark.parametrize("f", [meta, meta_inline], ids=lambda f: f.__name__)
def test_meta_learning_step(f):
    """The inner gradient is taken at a constant point: it is a constant of the outer derivative."""
    check_all(f, (0.1,), twin=meta_twin)


def wavy(x):
    return np.sin(x) * x ** 2


def wavy_loop(x):
    y = x
    for i in range(3):
        y = np.sin(y) * x
    return y


dwavy_loop = sourcead.grad(wavy_loop)


def slope_helper(x):
    return sourcead.grad(wavy)(x) * 2.0


def two_slopes(x):
    return dwavy_loop(x) + dwavy_loop(0.5 * x) * x


def twin_wavy(x):
    return anp.sin(x) * x ** 2


def twin_wavy_loop(x):
    y = x
    for i in range(3):
        y = anp.sin(y) * x
    return y


def test_gradient_of_a_helper_that_takes_a_gradient():
    """grad(f) inside a helper, on a varying value: its generated program is inlined and
    differentiated again (third order through grad of grad)."""
    check_all(slope_helper, (0.7,), twin=lambda x: autograd.grad(twin_wavy)(x) * 2.0, twin_args=(0.7,))


def test_one_gradient_called_twice_on_varying_values():
    """Each inlined copy of a gradient with a loop keeps its own tape."""
    twin = lambda x: autograd.grad(twin_wavy_loop)(x) + autograd.grad(twin_wavy_loop)(0.5 * x) * x  # noqa: E731
    check_all(two_slopes, (0.7,), twin=twin, twin_args=(0.7,))


DWAVY = sourcead.grad(wavy)


def gradient_dot(w):
    return np.sum(DWAVY(w) * w)


def test_gradient_inside_on_arrays():
    twin = lambda w: anp.sum(autograd.elementwise_grad(twin_wavy)(w) * w)  # noqa: E731
    check_all(gradient_dot, (X,), twin=twin, twin_args=(X,))


def scaled_by_slope(x, slope):
    return slope(x) * x


def test_gradient_passed_as_an_argument():
    """A gradient object is a function value like any other: the derivative is specialised on it."""
    slope = sourcead.grad(wavy)
    twin = lambda x: autograd.grad(twin_wavy)(x) * x  # noqa: E731
    g = sourcead.grad(scaled_by_slope)(0.7, slope)
    fd = numeric_grad(lambda x: scaled_by_slope(x, slope), (0.7,))  # (the oracle cannot copy a gradient object)
    assert g == pytest.approx(fd, rel=1e-6) and g == pytest.approx(autograd.grad(twin)(0.7), rel=1e-9)
    assert sourcead.jvp(scaled_by_slope, (0.7, slope), (1.0, None))[1] == pytest.approx(g, rel=1e-9)
    assert sourcead.vjp(scaled_by_slope, 0.7, slope)[1](1.0)[0] == pytest.approx(g, rel=1e-9)
    h = sourcead.hessian(scaled_by_slope)(0.7, slope)
    assert h == pytest.approx(autograd.grad(autograd.grad(twin))(0.7), rel=1e-8)
    assert sourcead.grad(sourcead.grad(scaled_by_slope))(0.7, slope) == pytest.approx(h, rel=1e-9)


def test_rebinding_a_gradient_called_inside_recompiles():
    global DWAVY
    df = sourcead.grad(gradient_dot)
    before = df(X)
    saved = DWAVY
    try:
        DWAVY = sourcead.grad(wavy_loop)
        twin = lambda w: anp.sum(autograd.elementwise_grad(twin_wavy_loop)(w) * w)  # noqa: E731
        assert np.allclose(df(X), autograd_grad(twin, (X,)))
        assert not np.allclose(df(X), before)
    finally:
        DWAVY = saved


# ---- refusals --------------------------------------------------------------------------------------


def returns_a_function(x):
    def g(y):
        return x * y
    return g


def computed_default(x):
    def g(y, k=x * 2):
        return y * k
    return g(x)


def calls_a_computed_value(x, fs):
    return fs[0](x)


def chosen_by_a_branch(x):
    if x > 0:
        g = lambda v: v * 2.0  # noqa: E731
    else:
        g = lambda v: v * 3.0  # noqa: E731
    return g(x)


def test_a_function_chosen_by_a_branch_is_refused_where_it_is_called():
    with pytest.raises(UnsupportedCallError, match="computed value") as info:
        sourcead.grad(chosen_by_a_branch)(0.7)
    assert_located(info.value, chosen_by_a_branch, "g(x)")


def test_returning_a_local_function_is_refused():
    with pytest.raises(UnsupportedCallError, match="returned"):
        sourcead.grad(returns_a_function)(0.7)


def test_a_computed_default_is_refused_where_it_is_written():
    with pytest.raises(UnsupportedSyntaxError, match="default value") as info:
        sourcead.grad(computed_default)(0.7)
    assert_located(info.value, computed_default, "x * 2")


def test_calling_a_computed_value_is_refused_where_it_is_written():
    with pytest.raises(UnsupportedCallError, match="computed value") as info:
        sourcead.grad(calls_a_computed_value)(0.7, [np.sin])
    assert_located(info.value, calls_a_computed_value, "fs[0](x)")


def test_math_of_the_cases_is_right():
    """The cases compute what they say (the oracles run them, so a typo would hide)."""
    assert integrates_a_closure(0.7) == pytest.approx(
        sum(math.sin(0.7 * (i + 0.5) / 8) * (i + 0.5) / 8 for i in range(8)) / 8)
    assert spreads(0.7) == pytest.approx(summed(0.7, 1.4, 0.5) + summed(0.7, 0.7) + 0.49 + math.exp(0.49) + 1.0)
