"""Functions for higher-order derivatives: second and third derivatives, Hessians, Jacobians, JVPs.

What each case is checked for follows from its output and its `wrt` argument
(tests/api/test_catalog_higher.py):

* every case: `jvp` along a seeded random tangent, and the gradient itself;
* a scalar output: `hessian` and `hvp` with respect to `wrt`; when that argument is a scalar
  also `grad(grad(f))`;
* an array output: `jacobian` with respect to `wrt`;
* tag "grad3": the third derivative `grad(grad(grad(f)))` (scalar argument, scalar output).

Inputs are kept away from branch thresholds (a second derivative is discontinuous there).
"""

import math

import numpy as np

from . import case, pos, rand, unit

# ============================================================================================
# Scalar functions of a scalar: second (and third) derivatives
# ============================================================================================


@case(args=(0.7,), tags=("grad3",))
@case(args=(-1.3,), tags=("grad3",), path="negative")
def cubic(x):
    return x ** 3 - 2 * x ** 2 + x - 5


@case(args=(0.6,), tags=("grad3",))
def quintic(x):
    return 0.5 * x ** 5 - x ** 4 + 3 * x ** 3 - x + 2


@case(args=(0.4,), tags=("grad3",))
def horner_quartic(x):
    return (((2.0 * x - 1.0) * x + 0.5) * x - 3.0) * x + 1.0


@case(args=(0.8,), tags=("grad3",))
def sin_times_exp(x):
    return np.sin(x) * np.exp(x)


@case(args=(1.4,))
def log_of_sqrt(x):
    return np.log(np.sqrt(x) + x)


@case(args=(0.3,), tags=("grad3",))
def tanh_squared(x):
    return np.tanh(x) ** 2


@case(args=(0.5,))
def rational(x):
    return 1.0 / (1.0 + x ** 2)


@case(args=(0.4,))
def sigmoid_scalar(x):
    return 1.0 / (1.0 + np.exp(-x))


@case(args=(-0.6,))
def softplus_scalar(x):
    return np.log1p(np.exp(x))


@case(args=(0.7,), tags=("grad3",))
def gaussian(x):
    return np.exp(-0.5 * x ** 2) / np.sqrt(2 * np.pi)


@case(args=(0.9,))
def math_module_mix(x):
    return math.sin(x) * math.exp(x) + math.log(x) * math.sqrt(x)


@case(args=(1.3,))
def power_and_division(x):
    return x ** 2.5 / (1 + x) + 3 / x


@case(args=(0.8,), path="then")
@case(args=(-0.8,), path="else")
def scalar_branch(x):
    if x > 0:
        return x ** 3 + np.sin(x)
    return -x ** 2 * np.exp(x)


@case(args=(-1.5,), path="first")
@case(args=(0.5,), path="second")
@case(args=(2.0,), path="third")
def scalar_elif(x):
    if x < -1:
        y = x ** 4
    elif x < 1:
        y = np.cos(x) * x
    else:
        y = np.log(x) * x ** 2
    return y


@case(args=(0.7,), path="many")
@case(args=(15.0,), path="zero-trip")
def scalar_while_doubling(x):
    y = x ** 2
    while y < 10:
        y = y * 2 + x
    return y


@case(args=(0.6, 3), path="three")
@case(args=(0.6, 0), path="zero-trip")
def scalar_for_range(x, n):
    y = x
    for i in range(n):
        y = np.sin(y) * x + i
    return y


@case(args=(0.5,), tags=("grad3",))
def scalar_horner_loop(x):
    acc = 0.0
    for c in [1.0, -2.0, 0.5, 3.0, -1.0]:
        acc = acc * x + c
    return acc


@case(args=(2.0,))
@case(args=(0.3,), path="small")
def newton_sqrt_iterated(a):
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


@case(args=(1.5,))
def euler_decay(k):
    x = 1.0
    for _ in range(10):
        x = x + 0.1 * (-k * x + np.sin(x))
    return x


@case(args=(0.6,), path="inner-break")
@case(args=(0.01,), path="no-break")
def nested_loops_with_break(x):
    acc = 0.0
    for i in range(3):
        for j in range(4):
            if (j + 1) * x > 1:
                break
            acc = acc + x ** 2 * (i + j + 1)
        acc = acc * x
    return acc


@case(args=(0.7,), path="return-in-loop")
@case(args=(0.01,), path="after-loop")
def return_inside_loop(x):
    for i in range(5):
        x = x * 1.3 + x ** 2
        if x > 2:
            return x * (i + 1)
    return -x


@case(args=(0.4, 1.2), wrt=0, path="wrt-x")
@case(args=(0.4, 1.2), wrt=1, path="wrt-y")
def two_argument_scalar(x, y):
    return x ** 2 * y + math.sin(x * y)


# ============================================================================================
# Scalar functions of a vector or matrix: Hessians
# ============================================================================================

A3 = np.array([[2.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, 1.5]])


def logsumexp(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


@case(args=(rand(4, seed=1),))
def logsumexp_stable(z):
    return logsumexp(z)


@case(args=(np.array([-1.2, 1.0, 0.5, 0.3]),))
@case(args=(np.array([1.0, 1.0]),), path="minimum")
def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1 - x[:-1]) ** 2)


@case(args=(rand(3, seed=2),))
def quadratic_form_fixed_matrix(x):
    return x @ A3 @ x + np.sum(x)


@case(args=(np.array([2.0, 3.0]), np.array([4.0, 5.0]), np.array([6.0, 7.0])), wrt=0, path="seed")
def poly3(x, y, z):
    return (x ** 2 + y ** 2 + z ** 2 + 2 * x * y * z).sum()


@case(args=(rand(4, seed=3),))
def softmax_entropy(z):
    p = np.exp(z - np.max(z))
    p = p / np.sum(p)
    return -np.sum(p * np.log(p))


@case(args=(rand(3, seed=4),))
def sum_of_cubes(x):
    return np.sum(x ** 3) + np.prod(x)


@case(args=(rand(3, seed=5),))
def rayleigh_quotient(x):
    return (x @ A3 @ x) / (x @ x)


@case(args=(rand(2, 2, seed=6),))
def matrix_argument(W):
    return np.sum(np.tanh(W @ W.T)) + np.trace(W) ** 2


X_DATA = np.random.RandomState(7).uniform(-1, 1, size=(6, 3))
Y_SIGN = np.array([1.0, -1.0, 1.0, 1.0, -1.0, -1.0])


@case(args=(rand(3, seed=8),))
def logistic_loss(w):
    return np.mean(np.log1p(np.exp(-Y_SIGN * (X_DATA @ w))))


@case(args=(rand(8, seed=9),))
def tiny_mlp_loss(params):
    W = params[:6].reshape(2, 3)
    v = params[6:]
    h = np.tanh(W @ X_DATA.T)
    out = v @ h
    return 0.5 * np.mean((out - Y_SIGN) ** 2)


@case(args=(np.array([0.5, -0.3, 0.8]),), path="mixed")
def vector_loop_with_branch(x):
    total = 0.0
    for v in x:
        if v > 0:
            total = total + v ** 3
        else:
            total = total + np.sin(v) * v
    return total


@case(args=(rand(3, seed=10),), path="loop")
@case(args=(rand(3, seed=10) * 20,), path="zero-trip")
def vector_while(x):
    y = x
    while np.linalg.norm(y) < 5:
        y = y * 1.5 + 0.1 * x ** 2
    return np.sum(y ** 2)


@case(args=(pos(3, seed=11),))
def norm_and_log(x):
    return np.linalg.norm(x) * np.sum(np.log(x))


# ============================================================================================
# Vector-valued functions: Jacobians
# ============================================================================================


@case(args=(rand(4, seed=12),))
def elementwise_sin(x):
    return np.sin(x) * x


@case(args=(rand(3, seed=13),))
def matrix_vector(x):
    return A3 @ x + x ** 2


@case(args=(rand(4, seed=14),))
def softmax(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


@case(args=(rand(3, seed=15),))
def cross_products(x):
    return np.array([x[1] * x[2], x[2] * x[0], x[0] * x[1]])


@case(args=(np.array([1.5, 0.7]),))
def polar_to_cartesian(r_theta):
    r, theta = r_theta[0], r_theta[1]
    return np.array([r * np.cos(theta), r * np.sin(theta)])


@case(args=(0.8,))
def scalar_to_vector(t):
    return np.array([np.cos(t), np.sin(t), t ** 2])


@case(args=(rand(3, seed=16),))
def normalize(x):
    return x / np.sqrt(np.sum(x ** 2))


@case(args=(rand(3, seed=17),))
def outer_with_itself(x):
    return np.outer(x, x)


@case(args=(rand(2, 3, seed=18),))
def matrix_argument_vector_output(W):
    return np.tanh(W @ np.array([0.5, -1.0, 2.0]))


@case(args=(rand(3, seed=19),), tags=("list-append",))
def cumulative_products_loop(x):
    out = []
    acc = 1.0
    for v in x:
        acc = acc * v + 0.5
        out.append(acc)
    return np.array(out)


@case(args=(rand(3, seed=20),))
def rnn_final_state(h):
    for _ in range(3):
        h = np.tanh(A3 @ h + 0.2)
    return h


@case(args=(np.array([0.5, -0.2, 0.3]),), path="then")
@case(args=(np.array([-0.5, -0.2, 0.3]),), path="else")
def vector_branch(x):
    if np.sum(x) > 0:
        return x ** 2
    return np.exp(x)


@case(args=(np.array([1.0, 0.0]), 0.9), wrt=0, path="wrt-state")
@case(args=(np.array([1.0, 0.0]), 0.9), wrt=1, path="wrt-omega")
def euler_oscillator(state, omega):
    dt = 0.05
    for _ in range(8):
        position, velocity = state[0], state[1]
        state = np.array([position + dt * velocity, velocity - dt * omega ** 2 * position])
    return state


@case(args=(unit(3, seed=21), 1.7), wrt=0, path="wrt-x")
@case(args=(unit(3, seed=21), 1.7), wrt=1, path="wrt-scale")
def two_arguments_vector_output(x, scale):
    return np.arcsin(x) * scale + np.cumsum(x) * scale ** 2
