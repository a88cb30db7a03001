"""Complex numbers through the whole compiler, in JAX's convention (rules/complex_.py).

Every derivative is checked against central finite differences along the real AND the imaginary
direction of each complex input, and against HIPS autograd run on the same function (autograd's
vjp pairs cotangents with changes as JAX does, Re(a * b): `test_autograd_pairs_as_jax_does` pins
that down on a holomorphic and a non-holomorphic function, so its vjp is the oracle unchanged).
`grad` of a real-valued f of z is df/dx - i df/dy; `vjp` of a holomorphic f with cotangent g is
g f'(z); `jvp` along 1 and 1j gives the directional derivatives along the two axes.
"""

from __future__ import annotations

import numpy as np
import pytest
from autograd import make_vjp

import sourcead
from located import assert_located
from oracle import autograd_version

EPS = 1e-6
rng = np.random.default_rng(7)
A = rng.standard_normal((4, 3)) + 1j * rng.standard_normal((4, 3))
B = rng.standard_normal(4) + 1j * rng.standard_normal(4)
W = np.linspace(0.5, 2.0, 4)  # weights of the rfft of a signal of length 6 (autograd: even lengths only)
C = np.array([0.5 - 1j, 1.5 + 0.25j, -0.75 + 0.5j])


# ---- the functions ------------------------------------------------------------------------------

def squared_modulus(z):
    return np.sum(np.abs(z) ** 2)


def least_squares(z):
    r = A @ z - B
    return np.sum(np.real(r * np.conj(r)))


def spectral(x):
    X = np.fft.rfft(x)
    return np.sum(W * np.abs(X) ** 2)


def full_spectrum(x):
    X = np.fft.fft(x * np.exp(0.3j * x))
    return np.sum(np.abs(X[1:4])) + np.real(np.sum(np.fft.ifft(X * X)))


def phases(z):
    return np.sum(np.angle(z) ** 2) + np.sum(np.imag(z) * np.real(z))


def parts(z):
    w = np.conj(z) * np.real(z) + 2.0 * np.imag(z)
    return np.sum(np.abs(w))


def methods(z):
    w = z.conj() * z.real + 2.0 * z.imag
    return np.sum(np.abs(w))


def polynomial(z, n):
    acc = 0j
    for k in range(n):
        acc = acc * z + C[k % 3]
    return np.abs(acc) ** 2


def branchy(z):
    if np.abs(z) > 1.0:
        w = z * z
    else:
        w = np.conj(z) + 1j
    return np.real(w) + np.imag(w) ** 2


def mixed(x):
    return np.sum(np.real(np.exp(1j * x) * (2.0 + 1.0j)) + np.abs(x * 1j + 0.5) ** 2)


def mixed_two(x, z):
    return np.abs(x * z + 1j * x) ** 2 + np.real(complex(x, 2.0 * x) * z)


def mixed_two_twin(x, z):  # for autograd, which cannot trace complex(a, b)
    return np.abs(x * z + 1j * x) ** 2 + np.real((x + 2.0j * x) * z)


def holomorphic(z):
    return np.exp(z) * np.sin(z) + z ** 3 / (1.0 + z) - np.sqrt(z) * np.log(z)


def holomorphic_array(z):
    return np.cumsum(np.tanh(z) * z[::-1]) + np.fft.fft(z) @ np.cosh(z)


def two_dimensional(z):
    Z = np.fft.fftshift(np.fft.fft2(z, axes=(0, 1)), axes=(0,))
    return np.sum(np.abs(np.fft.ifft2(Z * Z, s=(3, 5))) ** 2)


def real_to_complex(x):
    return np.exp(1j * x) * x


def irfft_loss(z):
    return np.sum(np.fft.irfft(z, 8) ** 2)


# control flow, lists, calls, comprehensions with complex values

def listbuild(z):
    hs = []
    h = z[0]
    for k in range(3):
        h = h * z[k] + 0.5j
        hs.append(h)
    return np.sum(np.abs(np.stack(hs)) ** 2)

def listplus(z):
    hs = [z[0]]
    for k in range(1, 3):
        hs = hs + [hs[-1] * z[k]]
    return np.abs(sum(hs))

def iterate(z):
    acc = 0.0
    for w in z:
        acc = acc + np.real(w * np.conj(w) * w)
    return acc

def whileloop(z):
    w = z
    n = 0
    while np.abs(w) < 10.0:
        w = w * (1.5 + 0.5j) + z
        n = n + 1
    return np.abs(w) + np.angle(w)

def unpack(z):
    a, b = z[0], z[1]
    return np.real(a * b) + np.imag(a / b)

def comprehension(z):
    return np.sum(np.array([np.abs(w * 1j + 1) for w in z]))

def einsum_loss(z):
    m = np.einsum("i,j->ij", z, np.conj(z))
    return np.real(np.trace(m)) + np.abs(np.sum(m.T @ z))

def early(z):
    for k in range(3):
        if np.abs(z[k]) > 1.2:
            return np.abs(z[k] * z[0])
    return np.real(z[2])

def helper(w):
    return w * w + 1j

def calls(z):
    return np.abs(helper(z[0]) + helper(z[1]))

def mean_var(z):
    m = np.mean(z)
    return np.sum(np.abs(z - m) ** 2) / len(z)

def reshape(z):
    m = np.reshape(np.concatenate([z, np.conj(z)]), (2, 3))
    return np.sum(np.abs(m[:, ::-1] * np.arange(3)) ** 2)


# ---- finite differences along the real and the imaginary axis ---------------------------------

def fd_grad(f, args, i):
    """df/dx - i df/dy of a real-valued f, element by element (df/dx for a real argument)."""
    x = np.asarray(args[i])
    out = np.zeros(x.shape, dtype=x.dtype if x.dtype.kind == "c" else float)
    for k in np.ndindex(x.shape):
        directions = (1.0, 1j) if np.iscomplexobj(x) else (1.0,)
        for d, weight in zip(directions, (1.0, -1j)):
            out[k] += weight * _fd(f, args, i, k, d)
    return out if x.shape else out[()]


def _fd(f, args, i, k, d):
    def at(sign):
        moved = list(args)
        a = np.array(args[i], dtype=complex if np.iscomplexobj(args[i]) else float)
        a[k] += sign * EPS * d
        moved[i] = a if np.ndim(args[i]) else a[()]
        return f(*moved)
    return (at(1) - at(-1)) / (2 * EPS)


def fd_jvp(f, args, tangents):
    plus = f(*[a + EPS * t if t is not None else a for a, t in zip(args, tangents)])
    minus = f(*[a - EPS * t if t is not None else a for a, t in zip(args, tangents)])
    return (np.asarray(plus) - np.asarray(minus)) / (2 * EPS)


TWINS = {mixed_two: mixed_two_twin, methods: parts}


def autograd_vjp(f, args, ct):
    """autograd's cotangents of the float and complex arguments (None for the others)."""
    traced = autograd_version(TWINS.get(f, f))
    wrt = [i for i, a in enumerate(args) if not isinstance(a, int)]

    def of_floats(*xs):
        full = list(args)
        for i, x in zip(wrt, xs):
            full[i] = x
        return traced(*full)
    vjp, _ = make_vjp(of_floats, argnum=tuple(range(len(wrt))))(*[args[i] for i in wrt])
    cts = dict(zip(wrt, vjp(ct)))
    return [cts.get(i) for i in range(len(args))]


def close(a, b, tol=1e-6):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b), rtol=tol, atol=tol)


z0 = np.array([0.7 + 0.4j, -1.1 + 0.9j, 0.3 - 1.3j])
x0 = np.array([0.4, -1.2, 0.9, 1.7, -0.3])
REAL_VALUED = [  # (function, arguments, wrt)
    (squared_modulus, (z0,), 0), (squared_modulus, (0.6 - 0.8j,), 0),
    (least_squares, (z0,), 0), (spectral, (np.append(x0, 0.25),), 0), (full_spectrum, (x0,), 0),
    (phases, (z0,), 0), (parts, (z0,), 0), (methods, (z0,), 0), (polynomial, (0.8 + 0.3j, 5), 0),
    (branchy, (1.2 + 0.5j,), 0), (branchy, (0.3 - 0.4j,), 0), (mixed, (0.7,), 0),
    (mixed, (x0,), 0), (mixed_two, (0.6, 0.9 - 0.4j), (0, 1)),
    (two_dimensional, (rng.standard_normal((4, 5)) + 1j * rng.standard_normal((4, 5)),), 0),
    (irfft_loss, (rng.standard_normal(5) + 1j * rng.standard_normal(5),), 0),
    *[(f, (z0,), 0) for f in (listbuild, listplus, iterate, unpack, comprehension, einsum_loss, early, calls,
                             mean_var, reshape)],
    (whileloop, (0.3 + 0.2j,), 0), (whileloop, (-0.2 + 0.6j,), 0),
]
IDS = [f"{f.__name__}-{k}" for k, (f, _, _) in enumerate(REAL_VALUED)]


@pytest.mark.parametrize("f, args, wrt", REAL_VALUED, ids=IDS)
def test_grad_of_a_real_valued_function(f, args, wrt):
    got = sourcead.grad(f, wrt=wrt)(*args)
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    got = got if isinstance(wrt, tuple) else (got,)
    oracle = autograd_vjp(f, args, 1.0)
    for g, i in zip(got, positions):
        close(g, fd_grad(f, args, i), 1e-5)
        close(g, oracle[i])
        assert np.iscomplexobj(g) == np.iscomplexobj(args[i]), "a real argument's gradient is real"


@pytest.mark.parametrize("f, args, wrt", REAL_VALUED, ids=IDS)
def test_value_and_grad_and_vjp(f, args, wrt):
    value, g = sourcead.value_and_grad(f, wrt=wrt)(*args)
    close(value, f(*args))
    out, pullback = sourcead.vjp(f, *args)
    cts = pullback(-2.5)
    oracle = autograd_vjp(f, args, -2.5)
    for i, a in enumerate(args):
        if isinstance(a, int):
            continue
        close(cts[i], oracle[i])


@pytest.mark.parametrize("f, args, wrt", REAL_VALUED, ids=IDS)
def test_jvp_along_the_real_and_the_imaginary_axis(f, args, wrt):
    positions = wrt if isinstance(wrt, tuple) else (wrt,)
    for i in positions:
        for d in ((1.0, 1j) if np.iscomplexobj(args[i]) else (1.0,)):
            tangents = [None] * len(args)
            tangents[i] = np.full(np.shape(args[i]), d) if np.ndim(args[i]) else d
            _, t = sourcead.jvp(f, args, tangents)
            want = fd_jvp(f, args, tangents)
            close(t, want, 1e-5)
            # the transpose of the pushforward under Re(a * b) is autograd's pullback
            close(t, np.real(np.sum(autograd_vjp(f, args, 1.0)[i] * tangents[i])))


HOLOMORPHIC = [(holomorphic, 0.8 + 0.6j), (holomorphic, np.complex128(1.3 - 0.2j)),
               (holomorphic_array, np.array([0.3 + 0.2j, -0.4 + 0.5j, 0.6 - 0.1j]))]


@pytest.mark.parametrize("f, z", HOLOMORPHIC, ids=lambda v: getattr(v, "__name__", ""))
def test_vjp_of_a_holomorphic_function_is_the_complex_derivative(f, z):
    out, pullback = sourcead.vjp(f, z)
    close(out, f(z))
    ct = np.full(np.shape(out), 0.3 - 0.7j) if np.ndim(out) else 0.3 - 0.7j
    (got,) = pullback(ct)
    close(got, autograd_vjp(f, (z,), ct)[0])
    if np.ndim(z) == 0:  # g f'(z), f'(z) the same along both axes
        along_real = fd_jvp(f, (z,), (1.0,))
        along_imag = fd_jvp(f, (z,), (1j,)) / 1j
        close(along_real, along_imag, 1e-5)
        close(got, ct * along_real, 1e-5)


@pytest.mark.parametrize("f, z", HOLOMORPHIC, ids=lambda v: getattr(v, "__name__", ""))
def test_jvp_of_a_holomorphic_function(f, z):
    for d in (1.0, 1j, 0.6 - 0.8j):
        t = np.full(np.shape(z), d) if np.ndim(z) else d
        out, t_out = sourcead.jvp(f, (z,), (t,))
        close(out, f(z))
        close(t_out, fd_jvp(f, (z,), (t,)), 1e-5)


def test_jacobian_of_complex_values():
    J = sourcead.jacobian(real_to_complex)(x0)  # columns: derivatives along each real input
    assert J.dtype.kind == "c" and J.shape == (5, 5)
    close(J, np.diag(np.exp(1j * x0) * (1j * x0 + 1)))
    G = sourcead.jacobian(lambda_free_loss)(z0)  # rows: gradients of each real result
    close(G[1], fd_grad(lambda z: lambda_free_loss(z)[1], (z0,), 0), 1e-5)


def lambda_free_loss(z):
    return np.abs(z) ** 2 + np.real(z)


def test_autograd_pairs_as_jax_does():
    """The oracle: autograd's vjp of z*z with cotangent g is g * 2z (not conj), and its gradient of
    |z|^2 is 2 conj(z) = d/dx - i d/dy."""
    z, g = 1.0 + 2.0j, 0.3 - 0.7j
    close(autograd_vjp(lambda_square, (z,), g)[0], g * 2 * z)
    close(autograd_vjp(squared_modulus, (z,), 1.0)[0], 2 * np.conj(z))


def lambda_square(z):
    return z * z


def test_generated_code_takes_the_real_part_where_a_complex_cotangent_meets_a_real_value():
    text = sourcead.source(sourcead.grad(mixed), 0.7)
    assert "np.real(" in text
    assert "np.real(" not in sourcead.source(sourcead.grad(np.sin.__class__ and real_only), 0.7)


def real_only(x):
    return np.sin(x) * x


def test_complex_arguments_get_their_own_specialisation():
    g = sourcead.grad(squared_modulus)
    assert g(np.array([3.0, 4.0])).dtype.kind == "f"
    assert np.allclose(g(np.array([3.0 + 1j, 4.0])), [6.0 - 2j, 8.0])
    assert g(np.array([3.0, 4.0])).dtype.kind == "f"


# ---- refusals: located, with a reason ------------------------------------------------------------

def ordered(z):
    return np.sum(np.maximum(np.real(z), 0.0) + np.abs(np.maximum(z, 0.0)))


def compared(z):
    if z > 0:
        return np.abs(z)
    return np.abs(z) * 2.0


def sorted_values(z):
    return np.sum(np.abs(np.sort(z)))


def not_listed(z):
    return np.abs(np.arctan(z))


def complex_result(z):
    return z * z


def rfft_of_complex(z):
    return np.sum(np.abs(np.fft.rfft(z)))


@pytest.mark.parametrize("f, arg, snippet, message", [
    (ordered, z0, "np.maximum(z", "np.maximum of a complex value: complex numbers have no order"),
    (compared, 0.5 + 1j, "z > 0", "of a complex value: complex numbers have no order"),
    (sorted_values, z0, "np.sort(z)", "np.sort of a complex value: complex numbers have no order"),
    (not_listed, 0.5 + 1j, "np.arctan(z)", "np.arctan of a complex value: sourcead differentiates complex"),
    (rfft_of_complex, z0, "np.fft.rfft(z)", "np.fft.rfft of a complex value"),
], ids=["maximum", "comparison", "sort", "unlisted", "rfft"])
def test_operations_that_do_not_hold_for_complex_values_are_refused(f, arg, snippet, message):
    for derivative in (lambda: sourcead.grad(f)(arg), lambda: sourcead.jvp(f, (arg,), (1.0,)),
                       lambda: sourcead.vjp(f, arg)[1](1.0)):
        with pytest.raises(sourcead.UnsupportedCallError) as err:
            derivative()
        assert message in str(err.value)
        assert_located(err.value, f, snippet)


def test_grad_of_a_complex_result_is_refused():
    with pytest.raises(sourcead.NonDifferentiableError, match="the result may be complex") as err:
        sourcead.grad(complex_result)(1.0 + 1j)
    assert "vjp" in err.value.hint
    assert_located(err.value, complex_result, "def")
    with pytest.raises(sourcead.NonDifferentiableError, match="the result may be complex"):
        sourcead.grad(real_to_complex)(0.5)  # a real argument, a complex result


def test_usage_refusals():
    with pytest.raises(sourcead.UsageError, match="second derivatives of functions of complex values"):
        sourcead.hessian(squared_modulus)(z0)
    with pytest.raises(sourcead.UsageError, match="not yet inside a container"):
        sourcead.grad(first_of)([1.0 + 1j, 2.0])
    with pytest.raises(sourcead.UsageError, match="but x is real"):
        sourcead.jvp(mixed, (0.7,), (1j,))
    with pytest.raises(sourcead.UsageError, match="of a real result"):
        sourcead.vjp(squared_modulus, z0)[1](1j)
    with pytest.raises(sourcead.UsageError, match="not supported"):
        sourcead.jacobian(holomorphic_array)(z0)


def first_of(zs):
    return np.abs(zs[0])


def test_second_order_through_complex_intermediates_is_refused_or_right():
    """A Hessian of a real function of a real signal through the FFT: right, or refused."""
    x = np.append(x0, 0.25)
    try:
        H = sourcead.hessian(spectral)(x)
    except sourcead.SourceADError as err:
        assert "complex" in str(err)
        return
    n = len(x)
    numeric = np.array([[(_fd(lambda y: sourcead.grad(spectral)(y)[i], (x,), 0, (j,), 1.0))
                         for j in range(n)] for i in range(n)])
    close(H, numeric, 1e-4)


# ---- constructions of complex values, the run-time guard, standalone code -----------------------

def built(a, b):
    z = complex(a, 2.0 * b) * (a + 1j)
    return np.abs(z ** 2 + 1j) + np.imag(z)


def built_twin(a, b):  # for autograd, which cannot trace complex(a, b)
    z = (a + 2.0j * b) * (a + 1j)
    return np.abs(z ** 2 + 1j) + np.imag(z)


def cast(x):
    z = (x * np.arange(1.0, 4.0)).astype(complex) * np.exp(0.5j * x)
    return np.sum(np.real(z) ** 2 - np.imag(z))


def test_complex_of_two_reals():
    TWINS[built] = built_twin
    g = sourcead.grad(built, wrt=(0, 1))(0.7, -0.4)
    oracle = autograd_vjp(built, (0.7, -0.4), 1.0)
    for i in (0, 1):
        assert isinstance(g[i], float)
        close(g[i], fd_grad(built, (0.7, -0.4), i), 1e-5)
        close(g[i], oracle[i])
    _, t = sourcead.jvp(built, (0.7, -0.4), (1.0, 0.5))
    close(t, fd_jvp(built, (0.7, -0.4), (1.0, 0.5)), 1e-5)


def test_astype_complex_makes_a_complex_value():
    g = sourcead.grad(cast)(0.8)
    assert isinstance(g, float)
    close(g, fd_grad(cast, (0.8,), 0), 1e-5)
    assert "np.real(" in sourcead.source(sourcead.grad(cast), 0.8)


class Rotor:
    def __init__(self):
        self.turn = 1j


ROTOR = Rotor()


def hidden_complex(x):
    return np.real(np.maximum(x * ROTOR.turn, 0.0))


def test_a_complex_value_the_compiler_cannot_see_is_caught_when_it_reaches_a_real_gradient():
    """An attribute of an object is read when the derivative runs: its complexness is not known when
    compiling, so np.maximum is not refused then; the complex cotangent of the real x is refused
    when it arrives, never returned."""
    with pytest.raises(sourcead.NonDifferentiableError, match="could not tell when compiling"):
        sourcead.grad(hidden_complex)(0.5)


def test_standalone_source_of_a_complex_derivative_runs():
    text = sourcead.source(sourcead.grad(spectral), np.ones(6), standalone=True)
    namespace: dict = {}
    exec(compile(text, "<standalone>", "exec"), namespace)
    x = np.array([0.3, -1.0, 0.5, 2.0, 0.25, -0.5])
    close(namespace["spectral_grad"](x), sourcead.grad(spectral)(x))


def test_finite_difference_checks_of_complex_arguments_are_refused():
    with pytest.raises(sourcead.UsageError, match="finite-difference checks of complex arguments"):
        sourcead.check_grad(squared_modulus, z0)
    with pytest.raises(sourcead.UsageError, match="finite-difference checks of complex arguments"):
        sourcead.grad(squared_modulus, check=True)(z0)


def test_forward_over_reverse_of_a_function_of_complex_values():
    """jvp of grad (hessian and hvp refuse complex arguments; jvp of a gradient is the real-linear
    map it is): against finite differences of the gradient, along both axes."""
    for f in (squared_modulus, phases, least_squares):
        g = sourcead.grad(f)
        for d in (np.ones(3), 1j * np.ones(3), np.array([0.5, -1j, 1 + 1j])):
            _, t = sourcead.jvp(g, (z0,), (d,))
            close(t, fd_jvp(g, (z0,), (d,)), 1e-5)


def written(z):
    w = np.zeros(3, dtype=complex)
    for k in range(3):
        w[k] = z[k] * z[(k + 1) % 3] + 1j
    w[1] += np.conj(z[0])
    return np.sum(np.abs(w) ** 2)


def test_writes_into_a_complex_array():
    g = sourcead.grad(written)(z0)
    close(g, fd_grad(written, (z0,), 0), 1e-5)
    for d in (np.ones(3), 1j * np.ones(3)):
        close(sourcead.jvp(written, (z0,), (d,))[1], fd_jvp(written, (z0,), (d,)), 1e-5)
