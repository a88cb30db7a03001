"""Functions with control flow: branches, loops, break/continue/return inside them.

Every function has several cases, one per path, labelled with `path=` so that a failing test id says
which path broke ("else", "zero-trip", "break-first", ...). Together a function's cases execute every
line of its body (tests/api/test_catalog_oracle.py checks that). Inputs keep a clear margin from the
branch thresholds, so that finite differences do not straddle a switch.
"""

import math

import numpy as np

from . import case, rand

# ============================================================================================
# The seed scenario: MXNet's data-dependent while and if
# ============================================================================================


@case(args=(np.random.RandomState(0).normal(size=3),), path="seed0-then")
@case(args=(np.random.RandomState(1).normal(size=3),), path="seed1-then")
@case(args=(np.random.RandomState(2).normal(size=3),), path="seed2-else")
@case(args=(np.array([300.0, 400.0, 200.0]),), path="zero-trip-then")
@case(args=(np.array([-300.0, -400.0, -200.0]),), path="zero-trip-else")
def mx_control(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


# ============================================================================================
# Branches
# ============================================================================================


@case(args=(1.3,), path="then")
@case(args=(-0.8,), path="else")
def leaky_relu(x):
    if x > 0:
        return x
    else:
        return 0.1 * x


@case(args=(1.6,), path="taken")
@case(args=(0.4,), path="not-taken")
def if_without_else(x):
    y = x * 2
    if x > 1:
        y = y * x
    return y


@case(args=(-1.5,), path="if")
@case(args=(0.5,), path="elif")
@case(args=(2.5,), path="else")
def if_elif_else(x):
    if x < -1:
        y = x ** 2
    elif x < 1:
        y = np.sin(x) * 3
    else:
        y = np.log(x) + x
    return y * x


@case(args=(-2.5,), path="first")
@case(args=(-0.5,), path="second")
@case(args=(0.5,), path="third")
@case(args=(1.5,), path="fourth")
@case(args=(3.0,), path="last")
def long_elif_chain(x):
    if x < -1:
        return -x
    elif x < 0:
        return x ** 2 + 1
    elif x < 1:
        return np.exp(x)
    elif x < 2:
        return np.e * x ** 3
    return 8 * np.e + x


@case(args=(0.7,), path="then")
@case(args=(0.4,), path="then-small")
@case(args=(-0.7,), path="else")
def conditional_expression(x):
    y = x ** 2 if x > 0 else -x ** 3
    return y + (x if y > 0.3 else 2 * x)


@case(args=(0.5, 0.8), wrt=(0, 1), path="both-true")
@case(args=(-0.5, 0.8), wrt=(0, 1), path="first-false")
@case(args=(0.5, -0.8), wrt=(0, 1), path="second-false")
def and_condition(x, y):
    if x > 0 and y > 0:
        z = x * y
    else:
        z = x + y
    return z * z


@case(args=(0.5, -0.8), wrt=(0, 1), path="first-true")
@case(args=(-0.5, 0.8), wrt=(0, 1), path="second-true")
@case(args=(-0.5, -0.8), wrt=(0, 1), path="both-false")
def or_condition(x, y):
    if x > 0 or y > 0:
        return x * np.exp(y)
    return x - y ** 2


@case(args=(0.5,), path="then")
@case(args=(1.5,), path="else")
def not_condition(x):
    if not x > 1:
        x = x * 3
    else:
        x = np.sqrt(x)
    return x


@case(args=(0.5, 0.2, 0.9), wrt=(0, 1, 2), path="and-true")
@case(args=(0.5, 0.9, 0.2), wrt=(0, 1, 2), path="and-false")
@case(args=(-0.5, 0.2, 0.9), wrt=(0, 1, 2), path="x-negative")
@case(args=(-1.5, 0.2, 0.9), wrt=(0, 1, 2), path="not-true")
def mixed_boolean_condition(x, lo, hi):
    if (x > 0 and lo < hi) or not (x > -1):
        return x * (hi - lo)
    return x + lo * hi


@case(args=(np.array([0.5, 0.2, -0.1]),), path="then")
@case(args=(np.array([-0.5, 0.2, -0.1]),), path="else")
def branch_on_array_sum(x):
    if np.sum(x) > 0:
        return x * 2
    return np.exp(x)


@case(args=(0.5, 0.5), wrt=(0, 1), path="pp")
@case(args=(0.5, -0.5), wrt=(0, 1), path="pn")
@case(args=(-0.5, 0.5), wrt=(0, 1), path="np")
@case(args=(-0.5, -0.5), wrt=(0, 1), path="nn")
def nested_if(x, y):
    if x > 0:
        if y > 0:
            r = x * y
        else:
            r = x - y
    else:
        if y > 0:
            r = x ** 2 * y
        else:
            r = np.sin(x * y)
    return r


@case(args=(0.8,), path="then")
@case(args=(-0.8,), path="else")
def variable_bound_in_branch(x):
    if x > 0:
        t = x * 3
        z = t + np.sin(t)
    else:
        z = x
    return z * x


@case(args=(-1.5,), path="first-return")
@case(args=(0.5,), path="second-return")
@case(args=(1.5,), path="fall-through")
def several_returns(x):
    if x < -1:
        return -x * 2
    y = x * x
    if y < 1:
        return y + x
    z = y * x
    return z - 1


@case(args=(2.0, 0.5, 3.0), wrt=(0, 1, 2), path="inside")
@case(args=(0.2, 0.5, 3.0), wrt=(0, 1, 2), path="below")
@case(args=(4.0, 0.5, 3.0), wrt=(0, 1, 2), path="above")
def clamp(x, lo, hi):
    if x < lo:
        return lo
    if x > hi:
        return hi
    return x


@case(args=(0.3,), path="quadratic")
@case(args=(2.5,), path="linear")
@case(args=(-2.5,), path="linear-negative")
def huber(r, delta=1.0):
    if abs(r) <= delta:
        return 0.5 * r ** 2
    return delta * (abs(r) - 0.5 * delta)


@case(args=(0.5,), path="small")
@case(args=(25.0,), path="large")
def softplus_branch(x):
    if x > 20:
        return x
    return np.log1p(np.exp(x))


@case(args=(rand(3, seed=1), 0), path="mode0")
@case(args=(rand(3, seed=1), 1), path="mode1")
@case(args=(rand(3, seed=1), 7), path="other-mode")
def branch_on_int_argument(x, mode):
    if mode == 0:
        return np.sum(x ** 2)
    elif mode == 1:
        return np.sum(np.sin(x))
    else:
        return np.prod(x) * mode


@case(args=(rand(3, seed=2),), path="vector")
@case(args=(rand(2, 3, seed=3),), path="matrix")
def branch_on_shape(x):
    if x.ndim == 1:
        return x @ x
    return np.sum(x @ x.T)


@case(args=(0.6,), path="then")
@case(args=(-0.6,), path="else")
def math_in_branch(x):
    if math.sin(x) > 0:
        y = math.exp(x) * math.cos(x)
    else:
        y = math.log1p(x * x)
    return y


# ============================================================================================
# While loops
# ============================================================================================


@case(args=(12.0,), path="zero-trip")
@case(args=(6.0,), path="one-trip")
@case(args=(0.7,), path="many")
def while_doubling(x):
    while x < 10:
        x = x * 2
    return x


@case(args=(0.5, 0), path="zero-trip")
@case(args=(0.5, 1), path="one-trip")
@case(args=(0.5, 4), path="four-trips")
def while_counter(x, n):
    i = 0
    while i < n:
        x = np.sin(x) + x
        i += 1
    return x


@case(args=(3.0, 1.0), wrt=(0, 1), path="zero-trip")
@case(args=(1.3, 1.7), wrt=(0, 1), path="several")
def while_two_variables(x, y):
    while x < 2 * y:
        x, y = x * 1.5 + 0.2, y * 1.1
    return x * y


@case(args=(5.0,), path="break-first")
@case(args=(1.2,), path="break-later")
@case(args=(0.01,), path="no-break")
def while_with_break(x):
    k = 0
    while k < 5:
        x = x * 1.8
        if x > 3:
            break
        k += 1
    return x * (k + 1)


@case(args=(np.array([0.5, -0.2, 0.9, -0.7, 0.3]),), path="mixed-signs")
@case(args=(np.array([-0.5, -0.2]),), path="all-continue")
def while_with_continue(x):
    i = 0
    acc = 0.0
    while i < len(x):
        v = x[i]
        i += 1
        if v < 0:
            continue
        acc = acc + v ** 2
    return acc


@case(args=(4.0,), path="break-first")
@case(args=(1.5,), path="break-later")
def while_true_break(x):
    while True:
        x = x * 1.5
        if x > 3:
            break
    return x


@case(args=(0.9, 0), path="zero-trip-else")
@case(args=(0.9, 3), path="else")
@case(args=(3.0, 3), path="break-second")
@case(args=(5.0, 3), path="break-first")
def while_else(x, n):
    i = 0
    while i < n:
        x = x * x + 0.1
        if x > 20:
            break
        i += 1
    else:
        x = x * 10
    return x


@case(args=(2.0,))
@case(args=(0.3,), path="small")
@case(args=(9.5,), path="large")
def newton_sqrt(a):
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


@case(args=(0.8,))
@case(args=(1.7,), path="larger")
def newton_solve_x_plus_sin(c):
    x = c
    step = 1.0
    while abs(step) > 1e-13:
        step = (x + np.sin(x) - c) / (1 + np.cos(x))
        x = x - step
    return x


@case(args=(0.4,))
@case(args=(-1.3,), path="negative")
def exp_by_series(x):
    term = 1.0
    total = 1.0
    k = 1
    while abs(term) > 1e-17:
        term = term * x / k
        total = total + term
        k += 1
    return total


# ============================================================================================
# For loops
# ============================================================================================


@case(args=(0.4,))
@case(args=(-1.2,), path="negative")
def for_range_constant(x):
    for i in range(3):
        x = x * 1.1 + np.sin(x)
    return x


@case(args=(0.7, 0), path="zero-trip")
@case(args=(0.7, 1), path="one-trip")
@case(args=(0.7, 4), path="many")
def for_range_input_bound(x, n):
    acc = 1.0
    for i in range(n):
        acc = acc + x ** (i + 1) / (i + 1)
    return acc


@case(args=(0.7, 1), path="zero-trip")
@case(args=(0.7, 2), path="one-trip")
@case(args=(0.7, 8), path="many")
def for_range_start_stop_step(x, n):
    acc = x
    for i in range(1, n, 2):
        acc = acc * x + i
    return acc


@case(args=(0.2,), path="zero-trip")
@case(args=(0.4,), path="one-trip")
@case(args=(1.2,), path="three-trips")
def for_range_bound_from_float(x):
    y = x
    for _ in range(int(x * 3)):
        y = y * np.cos(y)
    return y


@case(args=(rand(4, 3, seed=4), rand(3, seed=5)), wrt=(0, 1), path="rows")
@case(args=(rand(0, 3, seed=4), rand(3, seed=5)), wrt=1, path="no-rows")
def for_over_array_rows(X, w):
    acc = 0.0
    for row in X:
        acc = acc + np.tanh(row @ w)
    return acc


@case(args=(0.9,))
@case(args=(-1.4,), path="negative")
def for_over_list(x):
    y = 0.0
    for c in [1.0, -2.0, 3.0, 0.5]:
        y = y * x + c
    return y


@case(args=(0.3, 0.5, -0.7, 1.2), wrt=(0, 1, 2, 3))
@case(args=(-1.1, 2.0, 0.4, -0.3), wrt=(0, 1, 2, 3), path="other")
def for_over_tuple_of_parameters(x, a, b, c):
    acc = 0.0
    for p in (a, b, c):
        acc = acc * x + p
    return acc


@case(args=(rand(4, seed=6),), path="vector")
@case(args=(np.zeros(0),), path="empty")
@case(args=(rand(3, 2, seed=22),), path="rows-of-matrix")
def for_enumerate(x):
    acc = 0.0
    for i, xi in enumerate(x):
        acc = acc + (i + 1) * xi ** 2
    return acc


@case(args=(rand(3, seed=7), rand(3, seed=8)), wrt=(0, 1), path="equal-lengths")
@case(args=(rand(4, seed=7), rand(2, seed=8)), wrt=(0, 1), path="unequal-lengths")
@case(args=(np.zeros(0), np.zeros(0)), wrt=(0, 1), path="empty")
def for_zip(x, y):
    acc = 0.0
    for a, b in zip(x, y):
        acc = acc + a * b + np.sin(a - b)
    return acc


@case(args=(rand(5, seed=9), [0.5, 1.5, 2.5]), wrt=0, path="short-weights")
@case(args=(rand(2, seed=9), [0.5, 1.5, 2.5]), wrt=0, path="short-x")
def for_zip_list_and_enumerate(x, weights):
    total = 0.0
    for k, (w, v) in enumerate(zip(weights, x)):
        total = total + w * v ** (k + 1)
    return total


@case(args=(4.0, 3.0), wrt=(0, 1), path="break-first")
@case(args=(1.0, 3.0), wrt=(0, 1), path="break-third")
@case(args=(0.0, 1.0), wrt=(0, 1), path="break-last")
@case(args=(0.01, 3.0), wrt=(0, 1), path="no-break")
def for_with_break(x, limit):
    for i in range(5):
        x = x * 1.5 + 0.1
        if x > limit:
            break
    return x * limit


@case(args=(np.array([0.5, -0.3, 0.8, -0.1]),), path="mixed")
@case(args=(np.array([0.4, 0.3]),), path="never-continue")
def for_with_continue(x):
    acc = 0.0
    for v in x:
        if v < 0:
            continue
        acc = acc + v ** 3
    return acc


@case(args=(0.7,))
@case(args=(-0.5,), path="negative")
def for_with_index_continue(x):
    acc = 0.0
    for i in range(6):
        if i % 2 == 0:
            continue
        acc = acc + x ** i
    return acc


@case(args=(2.5,), path="return-first")
@case(args=(1.0,), path="return-third")
@case(args=(0.01,), path="no-return")
def return_inside_loop(x):
    for i in range(5):
        x = x * 1.3
        if x > 2:
            return x * (i + 1)
    return -x


@case(args=(3.0,), path="return-in-then")
@case(args=(0.2,), path="return-in-else")
@case(args=(1.0,), path="after-loop")
def return_in_both_branches_in_loop(x):
    for i in range(3):
        if x > 2.5:
            return x * 2
        elif x < 0.3:
            return x - i
        x = x * 1.2
    return x


@case(args=(rand(4, seed=10), rand(4, seed=11)), wrt=(0, 1), path="arrays")
@case(args=(0.3, -0.8), wrt=(0, 1), path="scalars")
def loop_carried_tuple(x, y):
    for _ in range(3):
        x, y = y, x * y + 0.1
    return np.sum(x) + np.sum(y ** 2)


W3 = np.array([[0.5, -0.3, 0.2], [0.1, 0.4, -0.6], [-0.2, 0.3, 0.7]])


@case(args=(rand(3, seed=12),))
@case(args=(rand(3, seed=23) * 3,), path="larger")
def loop_carried_array(x):
    for _ in range(4):
        x = np.tanh(W3 @ x + 0.1)
    return x


@case(args=(0.6,))
@case(args=(-0.9,), path="negative")
def nested_loops(x):
    acc = 0.0
    for i in range(3):
        for j in range(2):
            acc = acc + x ** (i + j) * (j + 1)
    return acc


@case(args=(rand(4, seed=13), 3), wrt=0, path="n3")
@case(args=(rand(4, seed=13), 0), wrt=0, path="zero-trip")
def triangular_nested_loops(x, n):
    acc = 0.0
    for i in range(n):
        for j in range(i):
            acc = acc + x[i] * x[j]
    return acc + x[0]


@case(args=(0.6,), path="inner-break")
@case(args=(0.01,), path="no-break")
@case(args=(5.0,), path="break-at-once")
def nested_loops_inner_break(x):
    acc = 0.0
    for i in range(3):
        for j in range(4):
            if (j + 1) * x > 1:
                break
            acc = acc + x * (i + j + 1)
        acc = acc * x + 1
    return acc


@case(args=(np.array([[0.1, 0.2], [0.3, 0.9]]), 0.5), wrt=0, path="return-late")
@case(args=(np.array([[0.8, 0.2], [0.3, 0.1]]), 0.5), wrt=0, path="return-first")
@case(args=(np.array([[0.1, 0.2], [0.3, 0.1]]), 0.5), wrt=0, path="no-return")
def early_return_from_nested_loop(X, t):
    for i in range(X.shape[0]):
        for j in range(X.shape[1]):
            if X[i, j] > t:
                return X[i, j] * (i + 1) + X[0, 0]
    return np.sum(X ** 2)


@case(args=(0.7, 3), path="three")
@case(args=(0.7, 1), path="one")
def variable_first_bound_in_loop(x, n):
    for i in range(n):
        last = x * (i + 1)
        y = last ** 2
    return last + y


@case(args=(1.5, 1.0), wrt=(0, 1))
@case(args=(0.3, -0.5), wrt=(0, 1), path="other")
def euler_integration(k, x0):
    dt = 0.1
    x = x0
    for _ in range(10):
        x = x + dt * (-k * x + np.sin(x))
    return x


@case(args=(0.8, np.array([1.0, 0.0]), 5), wrt=(0, 1), path="five-steps")
@case(args=(0.8, np.array([1.0, 0.0]), 0), wrt=(0, 1), path="zero-steps")
def euler_oscillator(omega, state, n):
    dt = 0.05
    for _ in range(n):
        position, velocity = state[0], state[1]
        state = np.array([position + dt * velocity, velocity - dt * omega ** 2 * position])
    return state


@case(
    args=lambda: (rand(4, 3, seed=14), rand(4, 4, seed=15) * 0.5, rand(5, 3, seed=16), np.zeros(4)),
    wrt=(0, 1, 3),
    path="five-steps",
)
@case(
    args=lambda: (rand(4, 3, seed=14), rand(4, 4, seed=15) * 0.5, rand(1, 3, seed=16), rand(4, seed=17)),
    wrt=(0, 1, 3),
    path="one-step",
)
def rnn_tanh(Wx, Wh, xs, h0):
    h = h0
    for x in xs:
        h = np.tanh(Wx @ x + Wh @ h)
    return np.sum(h ** 2)


@case(args=(5.0,), path="break-first")
@case(args=(0.7,), path="break-last")
@case(args=(0.3,), path="else")
def for_else(x):
    for i in range(4):
        if x > 4:
            break
        x = x * 2
    else:
        x = -x
    return x


@case(args=(0.4,), path="square-first")
@case(args=(3.0,), path="sqrt-first")
@case(args=(0.25,), path="square-square")
def loop_with_branch_inside(x):
    for i in range(4):
        if x > 1:
            x = np.sqrt(x) * 0.9
        else:
            x = x ** 2 + 0.6
    return x


@case(args=(np.array([0.5, -0.3, 0.8]),), path="mixed")
@case(args=(np.array([-0.5, -0.3]),), path="none-positive")
def sum_of_positive_squares(x):
    acc = 0.0
    for v in x:
        if v > 0:
            acc = acc + v ** 2
    return acc


@case(args=(np.array([0.5, -0.3, 0.8, 0.1]),), path="max-inside")
@case(args=(np.array([0.9, -0.3, 0.1]),), path="max-first")
def max_via_loop(x):
    m = x[0]
    for v in x[1:]:
        if v > m:
            m = v
    return m * 2


@case(args=(np.array([0.5, -0.3, 0.8, -0.6]),), path="min-last")
@case(args=(np.array([-0.9, -0.3, 0.1]),), path="min-first")
def argmin_via_loop(x):
    best = 0
    for i in range(1, len(x)):
        if x[i] < x[best]:
            best = i
    return x[best] * x[0]


@case(args=(rand(4, seed=18), 0.7), wrt=(0, 1), path="four")
@case(args=(rand(1, seed=18), 0.7), wrt=(0, 1), path="one")
@case(args=(np.zeros(0), 0.7), wrt=(0, 1), path="no-coefficients")
def horner_polynomial(coeffs, x):
    acc = 0.0
    for c in coeffs:
        acc = acc * x + c
    return acc


@case(args=(1.1, 0), path="zero-trip")
@case(args=(1.1, 1), path="one")
@case(args=(1.1, 5), path="odd")
@case(args=(1.1, 8), path="power-of-two")
def power_by_squaring(x, n):
    result = 1.0
    while n > 0:
        if n % 2 == 1:
            result = result * x
        x = x * x
        n = n // 2
    return result


@case(args=(0.6,))
@case(args=(0.9,), path="slower")
def fixed_point_iteration(a):
    x = 0.0
    for _ in range(60):
        x = a * np.cos(x)
    return x


@case(args=(rand(4, seed=19),), path="four")
@case(args=(rand(1, seed=19),), path="one")
@case(args=(np.zeros(0),), path="empty")
def loop_over_range_len(x):
    acc = 0.0
    n = len(x)
    for i in range(n):
        acc = acc + x[i] * x[n - 1 - i]
    return acc


@case(args=(1.0, 3.0), wrt=(0, 1))
@case(args=(-2.0, 0.5), wrt=(0, 1), path="other")
def gradient_descent_steps(x0, target):
    x = x0
    for _ in range(5):
        x = x - 0.1 * 2 * (x - target)
    return x ** 2


@case(args=(0.7,), tags=("list-append",))
@case(args=(-0.5,), tags=("list-append",), path="negative")
def collect_powers_in_list(x):
    out = []
    for i in range(4):
        out.append(x ** (i + 1))
    return np.array(out)


@case(args=(rand(3, seed=20),))
@case(args=(rand(3, seed=24),), path="other")
def grow_array_by_concatenate(x):
    out = x[:1]
    for i in range(1, 3):
        out = np.concatenate([out, x[i:i + 1] * out[-1:]])
    return out


@case(args=(rand(3, seed=21),), tags=("list-append",), path="vector")
@case(args=(rand(2, 2, seed=25),), tags=("list-append",), path="matrix")
def stack_rows_from_loop(x):
    rows = []
    for k in range(3):
        rows.append(np.sin(x * (k + 1)))
    return np.stack(rows)


@case(args=(np.array([0.5, -1.5, 2.5]),), path="mixed")
@case(args=(np.array([0.5, -0.3]),), path="all-middle")
@case(args=(np.array([1.5, 3.0]),), path="all-above")
def piecewise_elementwise_loop(x):
    total = 0.0
    for v in x:
        if v < -1:
            total = total - v
        elif v > 1:
            total = total + v ** 2
        else:
            total = total + np.sin(v)
    return total


@case(args=(0.5, 2.0), wrt=(0, 1), path="grow")
@case(args=(3.0, 2.0), wrt=(0, 1), path="zero-trip")
def while_input_dependent_bound(x, limit):
    steps = 0
    while x < limit and steps < 10:
        x = x + 0.3 * np.exp(-x)
        steps += 1
    return x * limit
