"""Straight-line functions: no loops, no branches. Each is a whole test (see tests/catalog/__init__.py).

The inputs keep away from kinks, ties and domain edges: `away` for abs/sign, `pos` for logs and
roots, `unit` for arcsin/arccos/arctanh, distinct seeds for the two sides of a max/min.
"""

import math

import numpy as np

from . import away, case, pos, rand, unit

# ============================================================================================
# The seed scenarios (/work/shared/acceptance/seed_scenarios.py)
# ============================================================================================

A, B, C = 1, -2, 1


@case(args=(101.0, 12.0), wrt=(0, 1), path="seed")
@case(args=(rand(seed=1), pos(seed=2)), wrt=(0, 1))
def seed_poly(x, y):
    return (x ** 2 + 4) * y - x / y


@case(args=(np.array([[1.0, 2.0], [3.0, 4.0]]),), path="seed")
def mx_square(x):
    return x * x * 2


@case(args=(np.array([[1.0, 2.0], [3.0, 4.0]]),), path="seed")
def mx_chain(x):
    y = x * 2
    z = y * x
    return z


@case(args=(0.0,), path="scalar")
@case(args=(np.array([[0.0, 0.0], [1.0, 2.0]]),), path="matrix")
def quadratic(x):
    return A * x ** 2 + B * x + C


@case(args=(1.0, 2.0), wrt=(0, 1))
def product(x1, x2):
    return x1 * x2


@case(args=(1.0, 2.0), wrt=(0, 1))
def both(x1, x2):
    y1 = x1 * x2
    y2 = x1 + x2
    return y1 + y2


@case(
    args=lambda: (
        np.array([[3.0, 1.0]]),
        np.array([[3.0]]),
        np.random.RandomState(0).randn(10, 2),
        np.random.RandomState(1).randn(10, 1),
    ),
    wrt=(0, 1),
)
def linreg_loss(w, b, X, Y):
    Y_hat = X @ w.T + b
    return np.mean((Y - Y_hat) ** 2)


@case(args=(np.array([2.0, 3.0]), np.array([4.0, 5.0]), np.array([6.0, 7.0])), wrt=(0, 1, 2))
def poly3(x, y, z):
    return (x ** 2 + y ** 2 + z ** 2 + 2 * x * y * z).sum()


@case(args=(1.0, 0.0, np.arange(10.0, 20.0), np.arange(12.0, 22.0)), wrt=(0, 1), path="seed")
def mse(w, b, x, y_true):
    y_pred = w * x + b
    return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]


@case(args=(np.array([1.2, 0.53, 0.414, 0.841]),))
def sin_chain(x):
    return np.sin(x ** 2 + 1).sum()


@case(args=(3.0,))
def square(x):
    return x * x


@case(args=(3.0,))
def fourth(x):
    y = x * x
    z = y * y
    return z


# ============================================================================================
# Scalar arithmetic
# ============================================================================================


@case(args=(1.5, -0.7), wrt=(0, 1))
def add_sub(x, y):
    return x + y - 3.0 * x + (y - x)


@case(args=(1.3, 0.4), wrt=(0, 1))
def mul_div(x, y):
    return x * y / (x + 2.0) - y / x


@case(args=(0.7,))
@case(args=(-1.6,), path="negative")
def power_int_exponent(x):
    return x ** 3 - 2 * x ** 2 + x ** -1


@case(args=(1.7,))
def power_float_exponent(x):
    return x ** 2.5 + x ** 0.5


@case(args=(1.4, 2.3), wrt=(0, 1))
def power_both_active(x, y):
    return x ** y


@case(args=(0.6,))
def constant_base_power(x):
    return 2.0 ** x + 3 ** x


@case(args=(1.1,))
def unary_minus_plus(x):
    y = -x * x
    return -(y - 1.0) + (+x)


@case(args=(1.23,))
@case(args=(-2.61,), path="negative")
def floordiv_and_mod(x):
    return x // 0.5 + (x % 0.7) * x


@case(args=(0.8,))
def reciprocal_scalar(x):
    return 1.0 / x + 1 / (x * x)


@case(args=(0.3, -1.2), wrt=(0, 1))
def long_expression(x, y):
    return ((x + y) * (x - y) / (1.0 + x * x)) ** 2 - 0.5 * y ** 3 + x * y * 7.0


# ============================================================================================
# The math module
# ============================================================================================


@case(args=(0.6,))
def math_trig(x):
    return math.sin(x) * math.cos(x) + math.tan(x)


@case(args=(0.45,))
def math_inverse_trig(x):
    return math.asin(x) + math.acos(x / 2) * math.atan(3 * x)


@case(args=(0.4, -0.9), wrt=(0, 1))
def math_atan2(y, x):
    return math.atan2(y, x)


@case(args=(0.7,))
def math_hyperbolic(x):
    return math.sinh(x) + math.cosh(x) * math.tanh(x)


@case(args=(0.9,))
def math_exp_log(x):
    return math.exp(x) + math.expm1(x) * math.log(x) + math.log1p(x)


@case(args=(1.8,))
def math_log_bases(x):
    return math.log(x, 3) + math.log2(x) * math.log10(x) + math.log(x, 2.0)


@case(args=(2.5, 1.6), wrt=(0, 1))
def math_log_active_base(x, base):
    return math.log(x, base)


@case(args=(1.3, 0.7), wrt=(0, 1))
def math_sqrt_pow(x, y):
    return math.sqrt(x) + math.pow(x, y)


@case(args=(-0.8, 1.1), wrt=(0, 1))
def math_fabs_hypot(x, y):
    return math.fabs(x) * math.hypot(x, y)


@case(args=(0.3,))
def math_constants(x):
    return math.pi * x ** 2 + math.e * x + math.tau


# ============================================================================================
# Builtins
# ============================================================================================


@case(args=(-0.7,))
@case(args=(1.9,), path="positive")
def builtin_abs(x):
    return abs(x) * x + abs(x - 3.0)


@case(args=(0.4, 1.3), wrt=(0, 1), path="x-smaller")
@case(args=(1.4, 0.3), wrt=(0, 1), path="y-smaller")
def builtin_min_max(x, y):
    return min(x, y) + 2 * max(x, y)


@case(args=(0.7, -1.2), wrt=(0, 1))
def builtin_sum_of_list(x, y):
    return sum([x, 2 * y, x * y])


@case(args=(rand(4, seed=3),))
def builtin_sum_of_array(x):
    return sum(x ** 2)


@case(args=(1.25,))
def builtin_float(x):
    return float(x) * 2 + float(3) * x


# ============================================================================================
# NumPy elementwise functions
# ============================================================================================


@case(args=(rand(5, seed=4),))
def np_trig(x):
    return np.sin(x) + np.cos(x) * np.tan(x)


@case(args=(unit(5, seed=5),))
def np_inverse_trig(x):
    return np.arcsin(x) * np.arccos(x / 2) + np.arctan(3 * x)


@case(args=(rand(4, seed=6), rand(4, seed=7)), wrt=(0, 1))
def np_arctan2(y, x):
    return np.arctan2(y, x)


@case(args=(rand(2, 3, seed=8),))
def np_hyperbolic(x):
    return np.sinh(x) + np.cosh(x) * np.tanh(x)


@case(args=(unit(5, seed=9),))
def np_inverse_hyperbolic(x):
    return np.arcsinh(x) + np.arccosh(x + 2) * np.arctanh(x)


@case(args=(rand(5, seed=10),))
def np_exp_family(x):
    return np.exp(x) + np.exp2(x) * np.expm1(x)


@case(args=(pos(5, seed=11),))
def np_log_family(x):
    return np.log(x) + np.log2(x) * np.log10(x) + np.log1p(x)


@case(args=(pos(5, seed=12),))
def np_roots_and_square(x):
    return np.sqrt(x) + np.cbrt(x) * np.square(x)


@case(args=(away(6, seed=13),))
def np_abs_negative_reciprocal(x):
    return np.abs(x) * np.negative(x) + np.reciprocal(x)


@case(args=(pos(4, seed=14), rand(4, seed=15)), wrt=(0, 1))
def np_power(x, y):
    return np.power(x, y) + np.power(x, 3)


@case(args=(rand(6, seed=16), rand(6, seed=17)), wrt=(0, 1))
def np_maximum_minimum(x, y):
    return np.maximum(x, y) + 2 * np.minimum(x, y) + np.maximum(x, 0.05)


@case(args=(rand(6, seed=18), rand(6, seed=19)), wrt=(0, 1))
def np_fmax_fmin(x, y):
    return np.fmax(x, y) * np.fmin(x, y)


@case(args=(away(6, seed=20),))
def np_where_select(x):
    return np.where(x > 0, x ** 2, -x)


@case(args=(np.array([-0.9, -0.3, 0.1, 0.45, 0.8]),))
def np_clip(x):
    return np.clip(x, -0.5, 0.5) * x


@case(args=(rand(4, seed=21), rand(4, seed=22)), wrt=(0, 1))
def np_hypot(x, y):
    return np.hypot(x, y)


@case(args=(rand(4, seed=23), rand(4, seed=24)), wrt=(0, 1))
def np_logaddexp(x, y):
    return np.logaddexp(x, y)


@case(args=(np.array([-1.3, -0.2, 0.7, 1.9, 2.3]),))
def sign_floor_round_in_expression(x):
    return np.sign(x) * x ** 2 + np.floor(x) * x + np.round(x) * np.sin(x)


@case(args=(rand(5, seed=25),))
def elementwise_composition(x):
    return np.exp(np.sin(x) ** 2) / (1 + x ** 2)


# ============================================================================================
# Broadcasting
# ============================================================================================


@case(args=(1.3, rand(4, seed=26)), wrt=(0, 1))
def broadcast_scalar_array(s, x):
    return s * x + s - x / s


@case(args=(rand(3, 1, seed=27), rand(4, seed=28)), wrt=(0, 1))
def broadcast_column_with_vector(a, b):
    return a * b + np.exp(a - b)


@case(args=(rand(1, 4, seed=29), rand(3, 1, seed=30)), wrt=(0, 1))
def broadcast_row_with_column(r, c):
    return np.tanh(r * c) + r - c


@case(args=(rand(2, 3, 4, seed=31), rand(3, 1, seed=32)), wrt=(0, 1))
def broadcast_3d(x, w):
    return np.sin(x * w)


@case(args=(rand(5, 3, seed=33), rand(3, seed=34)), wrt=(0, 1))
def broadcast_add_bias(X, b):
    return np.sum(np.tanh(X + b) ** 2)


# ============================================================================================
# Reductions
# ============================================================================================


@case(args=(rand(3, 4, seed=35),))
def reduce_sum_axes(x):
    return np.sum(x ** 2, axis=0) * np.sum(x) + np.sum(x, axis=1, keepdims=True) * np.sum(x ** 3, axis=(0, 1))


@case(args=(rand(2, 3, 4, seed=36),))
def reduce_sum_tuple_axis(x):
    return np.sum(np.sin(x), axis=(0, 2))


@case(args=(rand(3, 4, seed=37),))
def reduce_mean(x):
    return np.mean(x ** 2, axis=1) * np.mean(x) + np.mean(x, axis=0, keepdims=True).sum()


@case(args=(pos(3, 4, seed=38),))
def reduce_prod(x):
    return np.prod(x, axis=0) + np.prod(x)


@case(args=(rand(3, 4, seed=39),))
def reduce_max_min(x):
    return np.sum(np.max(x, axis=1)) - np.sum(np.min(x, axis=0, keepdims=True)) + np.max(x) * np.min(x)


@case(args=(rand(4, 5, seed=40),))
def reduce_var_std(x):
    return np.sum(np.var(x, axis=0)) + np.std(x) + np.sum(np.std(x, axis=1, ddof=1))


@case(args=(rand(3, 4, seed=41),))
def reduce_norms(x):
    return np.linalg.norm(x) + np.sum(np.linalg.norm(x, axis=1)) + np.linalg.norm(x, "fro") ** 2


@case(args=(rand(5, seed=42),))
def vector_norm_orders(v):
    return np.linalg.norm(v, ord=3) + np.linalg.norm(v, 2) * np.linalg.norm(v, ord=4)


@case(args=(away(5, seed=43),), oracle=False, reason="autograd has no gradient for norm(ord=1) and a NaN one for ord=inf")
def vector_norm_l1_inf(v):
    return np.linalg.norm(v, ord=1) * v[0] + np.linalg.norm(v, ord=np.inf) ** 2


@case(args=(rand(3, 4, seed=44),), oracle=False, reason="autograd's norm gradient mishandles keepdims=True")
def normalize_rows(x):
    return x / np.linalg.norm(x, axis=1, keepdims=True)


# ============================================================================================
# Linear algebra
# ============================================================================================


@case(args=(rand(4, seed=45), rand(4, seed=46)), wrt=(0, 1))
def dot_vectors(u, v):
    return np.dot(u, v)


@case(args=(rand(3, 4, seed=47), rand(4, seed=48)), wrt=(0, 1))
def dot_matrix_vector(M, v):
    return np.dot(M, v)


@case(args=(rand(3, 4, seed=49), rand(4, 2, seed=50)), wrt=(0, 1))
def dot_matrices(M, N):
    return np.dot(M, N) ** 2


@case(args=(rand(3, 4, seed=51), rand(4, 2, seed=52)), wrt=(0, 1))
def matmul_function(M, N):
    return np.matmul(M, N)


@case(args=(rand(3, seed=53), rand(3, 3, seed=54)), wrt=(0, 1))
def quadratic_form(x, W):
    return x @ W @ x


@case(args=(rand(2, 3, 4, seed=55), rand(4, 2, seed=56)), wrt=(0, 1))
def batched_matmul(X, W):
    return np.tanh(X @ W)


@case(args=(rand(3, seed=57), rand(4, seed=58)), wrt=(0, 1))
def outer_product(u, v):
    return np.sin(np.outer(u, v))


@case(args=(rand(4, seed=59), rand(4, seed=60)), wrt=(0, 1))
def inner_product(u, v):
    return np.inner(u, v) ** 2


@case(args=(rand(3, 3, seed=61),))
def trace_of_square(M):
    return np.trace(M @ M) + np.trace(M)


@case(args=(rand(3, 3, seed=62),))
def transpose_function(M):
    return np.transpose(M) @ M + M.T * 2


@case(args=(rand(3, 4, seed=63), rand(4, 2, seed=64)), wrt=(0, 1))
def tensordot_axes_lists(M, N):
    return np.tensordot(M, N, axes=([1], [0]))


@case(args=(rand(2, 3, 4, seed=65), rand(3, 4, seed=66)), wrt=(0, 1))
def tensordot_axes_int(X, Y):
    return np.tensordot(X, Y, axes=2)


@case(args=(rand(3, 4, seed=67), rand(4, 2, seed=68)), wrt=(0, 1))
def einsum_matmul(M, N):
    return np.einsum("ij,jk->ik", M, N)


@case(args=(rand(5, 3, seed=69), rand(5, 3, seed=70)), wrt=(0, 1))
def einsum_rowwise_dot(P, Q):
    return np.einsum("bi,bi->b", P, Q) ** 2


@case(args=(rand(3, seed=71), rand(4, seed=72)), wrt=(0, 1))
def einsum_outer(u, v):
    return np.cos(np.einsum("i,j->ij", u, v))


# ============================================================================================
# Shape operations (weighted, so that the gradient is not all ones)
# ============================================================================================


@case(args=(rand(3, 4, seed=73),))
def reshape_function(x):
    return np.reshape(x, (2, 6)) * np.arange(12.0).reshape(2, 6)


@case(args=(rand(2, 3, seed=74),))
def ravel_function(x):
    return np.ravel(x) * np.linspace(-1.0, 1.0, 6)


@case(args=(rand(4, seed=75),))
def expand_and_squeeze(x):
    y = np.expand_dims(x, 0) * np.expand_dims(x, 1)
    return np.squeeze(np.expand_dims(x, axis=1) ** 2, axis=1) + y.sum(axis=0)


@case(args=(rand(2, 3, seed=76), rand(1, 3, seed=77)), wrt=(0, 1))
def concatenate_function(x, y):
    z = np.concatenate([x, y * 2, x ** 2], axis=0)
    return z * np.arange(15.0).reshape(5, 3)


@case(args=(rand(4, seed=78), rand(4, seed=79)), wrt=(0, 1))
def stack_function(x, y):
    return np.sin(np.stack([x, y ** 2, x * y], axis=1))


@case(args=(rand(3, seed=80), rand(3, seed=81)), wrt=(0, 1))
def hstack_vstack(x, y):
    h = np.hstack([x, y ** 2])
    v = np.vstack([x, np.sin(y)])
    return h.sum() * v


@case(args=(rand(4, seed=82),))
def broadcast_to_function(x):
    return np.broadcast_to(x, (3, 4)) * np.arange(12.0).reshape(3, 4)


@case(args=(rand(3, seed=83),))
def repeat_and_tile(x):
    return np.repeat(x, 2) * np.arange(6.0) + np.tile(x, 2) ** 2


@case(args=(rand(2, 3, seed=84),))
def repeat_tile_axes(x):
    return np.repeat(x, 2, axis=0) * np.tile(x, (2, 1))


@case(args=(rand(2, 3, seed=85),))
def flip_function(x):
    return np.flip(x) * x + np.flip(x, axis=1) * np.arange(6.0).reshape(2, 3)


# ============================================================================================
# Indexing (reads)
# ============================================================================================


@case(args=(rand(5, seed=86),))
def index_integers(x):
    return x[0] * x[2] + x[-1] ** 2


@case(args=(rand(4, 5, seed=87),))
def index_slices(x):
    return x[1:3, ::2] ** 2 + x[:2, -3:] * 2


@case(args=(rand(3, 4, seed=88),))
def index_tuple(x):
    return x[1, 2] * x[(0, 1)] + x[2][3]


@case(args=(rand(4, seed=89),))
def index_newaxis(x):
    return x[:, None] * x[np.newaxis, :] + x[None]


@case(args=(rand(3, 4, seed=90),))
def index_ellipsis(x):
    return x[..., 1] * x[0, ...][:3]


@case(args=(rand(6, seed=91),))
def index_negative_step(x):
    return x[::-1] * x + x[-2::-2].sum()


@case(args=(away(8, seed=92),))
def index_boolean_mask(x):
    return x[x > 0] ** 2


@case(args=(rand(4, seed=93),))
def index_integer_array_with_repeats(x):
    return x[[0, 2, 2, 1, 0]] * np.array([1.0, 2.0, 3.0, 4.0, 5.0])


@case(args=(rand(3, 4, seed=94),))
def index_two_integer_arrays(x):
    return x[[0, 1, 2, 2], [3, 0, 1, 1]] ** 2 + x[np.array([2, 0])].sum(axis=0)


# ============================================================================================
# ndarray methods and attributes
# ============================================================================================


@case(args=(pos(3, 4, seed=95),))
def method_reductions(x):
    return x.sum() + x.mean() * x.max() - x.min() + x.prod()


@case(args=(rand(3, 4, seed=96),))
def method_reductions_axis(x):
    return x.sum(axis=0) * x.max(axis=0) + x.mean(axis=0, keepdims=True) - x.min(axis=0)


@case(args=(rand(3, 4, seed=97), rand(4, seed=98)), wrt=(0, 1))
def method_dot(M, v):
    return M.dot(v) + v.dot(v)


@case(args=(rand(6, seed=99),))
def method_reshape_and_T(x):
    m = x.reshape(3, 2)
    return m.T @ m + x.reshape((2, 3)) @ m


@case(args=(rand(2, 3, 4, seed=100),))
def method_transpose_axes(x):
    return x.transpose(1, 0, 2) * np.arange(24.0).reshape(3, 2, 4) + x.transpose((2, 0, 1)).sum(axis=(1, 2)) ** 2


@case(args=(rand(3, 1, seed=101),))
def method_ravel_flatten_squeeze(x):
    return x.ravel() * x.flatten() * np.arange(3.0) + x.squeeze() ** 3


@case(args=(rand(4, seed=102),))
def method_copy_astype(x):
    y = x.copy()
    z = x.astype(float)
    return y * z + np.sin(y)


@case(args=(rand(3, 4, seed=103),))
def shape_attributes(x):
    return x.sum() / x.size + x.shape[0] * x.ndim * x.mean() + x[0] * x.shape[1]


# ============================================================================================
# Constructors used as constants
# ============================================================================================


@case(args=(rand(3, seed=104),))
def constructors_as_constants(x):
    return x * np.ones(3) + np.zeros(3) + np.eye(3) @ x + np.arange(3) * x + np.linspace(0.0, 1.0, 3) * x ** 2


@case(args=(rand(2, 3, seed=105),))
def like_constructors(x):
    return np.zeros_like(x) + np.ones_like(x) * x + np.full_like(x, 2.0) * x ** 2


@case(args=(0.7, -1.1), wrt=(0, 1))
def array_of_active_scalars(a, b):
    v = np.array([a, b, a * b])
    return np.sum(v ** 2) + v[2]


@case(args=(0.7, -1.1), wrt=(0, 1))
def matrix_of_active_scalars(a, b):
    M = np.array([[a, b], [b * 2, a * a]])
    return M @ np.array([1.0, 2.0])


# ============================================================================================
# Integers used non-differentiably
# ============================================================================================


@case(args=(rand(5, seed=106),))
def argmax_pick(x):
    i = np.argmax(x)
    return x[i] * len(x) + x[np.argmin(x)]


@case(args=(rand(5, seed=107), 3), wrt=0)
def int_argument_as_index(x, k):
    return x[int(k)] * 2 + x.shape[0] * x[k - 1]


@case(args=(rand(2, 3, seed=108),))
def length_and_int(x):
    n = len(x)
    m = int(x.shape[1])
    return x * n / m


# ============================================================================================
# Parameters: several, by name, defaults, keywords, integers
# ============================================================================================


@case(args=(0.5, 1.5, -0.5), wrt=(0, 2), path="positions")
@case(args=(0.5, 1.5, -0.5), wrt=("x", "z"), path="names")
@case(args=(0.5, 1.5, -0.5), wrt=("z", 1), path="mixed-reversed")
@case(args=(0.5, 1.5, -0.5), wrt="y", path="one-name")
def several_parameters(x, y, z):
    return x * y ** 2 + np.sin(z) * x - y * z


@case(args=(rand(3, seed=109),), path="defaults")
@case(args=(rand(3, seed=109), 3.0), wrt=(0, 1), path="scale-passed")
@case(args=(rand(3, seed=109), 3.0, 0.25), wrt=("scale", "shift"), path="all-passed")
def with_defaults(x, scale=2.0, shift=0.5):
    return np.sum((scale * x - shift) ** 2)


@case(args=(rand(3, seed=110),), kwargs={"power": 3}, path="keyword-only")
@case(args=(rand(3, seed=110),), kwargs={"power": 2, "weight": 1.5}, wrt=(0, "weight"), path="keyword-wrt")
def keyword_only_parameters(x, *, power=2, weight=1.0):
    return weight * np.sum(x ** power)


@case(args=(rand(3, seed=111),), kwargs=lambda: {"y": rand(3, seed=112)}, wrt="y", path="passed-by-keyword")
@case(args=(rand(3, seed=111), rand(3, seed=112)), wrt=1, path="positional")
def keyword_calls(x, y):
    return np.sum(x * y, axis=0, keepdims=True) + np.linalg.norm(x - y, ord=2) + np.mean(a=y ** 2)


@case(args=(3, 0.7), wrt=(0, 1))
def int_scalar_in_wrt(n, x):
    return n * x ** 2 + n ** 2


@case(args=(np.array([1, 2, 3]),))
def int_array_in_wrt(v):
    return np.sum(v ** 2) + np.prod(v * 0.5)


# ============================================================================================
# Assignment forms
# ============================================================================================


@case(args=(0.4, 1.7), wrt=(0, 1))
def tuple_unpacking(x, y):
    a, b = x * 2, y + 1
    (c, d), e = (a * b, a - b), y
    return a * b + c * d * e


@case(args=(0.4, 1.7), wrt=(0, 1))
def tuple_swap(x, y):
    x, y = y, x * y
    return x - y ** 2


@case(args=(0.9, 1.3), wrt=(0, 1))
def augmented_assignment_scalars(x, y):
    z = x * 1.0
    z += y
    z *= x
    z -= 1
    z /= y
    z **= 2
    return z


@case(args=(rand(3, seed=113), rand(3, seed=114)), wrt=(0, 1))
def augmented_assignment_arrays(x, y):
    z = x * y
    z += x
    z *= y
    z -= np.sin(x)
    return z


@case(
    args=(rand(3, seed=115),),
    tags=("mutation",),
    oracle=False,
    reason="autograd cannot add a traced value into a plain ndarray in place",
)
def accumulate_into_zeros(x):
    z = np.zeros(3)
    z += x * 2
    z += x ** 2
    return z


@case(args=(0.5,), path="inside")
@case(args=(1.3,), path="outside")
def chained_comparison_in_where(x):
    return np.sum(np.where(0.2 < x < 0.8, x ** 2, 2 * x))


@case(args=(rand(6, seed=116),))
def comparison_mask_in_where(x):
    return np.where((x > -0.3) & (x < 0.4), np.sin(x), x ** 3)


# ============================================================================================
# Non-scalar outputs (the gradient is that of their sum)
# ============================================================================================


@case(args=(pos(4, seed=117),))
def several_statistics(x):
    return np.stack([x.sum(), x.prod(), x.max(), np.log(x).mean()])


@case(args=(rand(3, seed=118), 1.5), wrt=(0, 1))
def matrix_output(x, s):
    return np.outer(x, x) * s + np.eye(3) * s ** 2


# ============================================================================================
# Small machine-learning losses
# ============================================================================================


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def logsumexp(z):
    m = np.max(z)
    return m + np.log(np.sum(np.exp(z - m)))


@case(args=(rand(6, seed=119) * 3,))
def logsumexp_vector(z):
    return logsumexp(z)


@case(
    args=lambda: (rand(3, seed=120), 0.1, rand(8, 3, seed=121), np.sign(rand(8, seed=122))),
    wrt=("w", "b"),
)
def logistic_regression_loss(w, b, X, y):
    margins = y * (X @ w + b)
    return np.mean(np.log1p(np.exp(-margins)))


@case(args=lambda: (rand(3, seed=123), rand(6, 3, seed=124), (rand(6, seed=125) > 0) * 1.0), wrt=0)
def binary_cross_entropy(w, X, t):
    p = sigmoid(X @ w)
    return -np.sum(t * np.log(p) + (1 - t) * np.log(1 - p))


@case(args=(rand(4, 3, seed=126), rand(3, seed=127), 2))
def softmax_xent(W, x, label):
    logits = W @ x
    return logsumexp(logits) - logits[label]


@case(args=(rand(4, 3, seed=128), rand(5, 3, seed=129), np.array([0, 3, 1, 1, 2])), wrt="W")
def softmax_xent_batch(W, X, labels):
    logits = X @ W.T
    m = np.max(logits, axis=1, keepdims=True)
    log_z = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(log_z - logits[np.arange(len(labels)), labels])


@case(
    args=lambda: (rand(4, 3, seed=130), rand(4, seed=131), rand(2, 4, seed=132), rand(2, seed=133),
                  rand(3, seed=134), rand(2, seed=135)),
    wrt=(0, 1, 2, 3),
)
def mlp2_loss(W1, b1, W2, b2, x, y):
    h = np.tanh(W1 @ x + b1)
    out = W2 @ h + b2
    return 0.5 * np.sum((out - y) ** 2)


@case(args=(rand(3, seed=136), 0.2, rand(10, 3, seed=137), rand(10, seed=138)), wrt=(0, 1))
def linear_regression_mse(w, b, X, y):
    residual = X @ w + b - y
    return np.mean(residual ** 2)


@case(args=(rand(3, 2, seed=139), rand(6, 3, seed=140), rand(6, 2, seed=141)), wrt=0)
def ridge_loss(W, X, Y):
    return np.sum((X @ W - Y) ** 2) / X.shape[0] + 0.1 * np.sum(W * W)


# ---- edge shapes: 0-d arrays, length-1 axes, empty arrays -------------------------------------------


@case(args=(np.asarray(0.7), rand(3, seed=142)), wrt=(0, 1), path="0d")
@case(args=(rand(1, seed=143), rand(3, seed=144)), wrt=(0, 1), path="length-1")
def scaled_by_a_broadcast_factor(a, x):
    return np.sum(np.sin(a * x) * x)


@case(args=(rand(1, 3, seed=145), rand(4, 1, seed=146)), wrt=(0, 1))
def outer_by_broadcasting_length_1_axes(u, v):
    return np.sum(np.tanh(u * v) ** 2)


@case(args=(rand(0, seed=147), 0.5), wrt=(0, 1), path="empty")
@case(args=(rand(0, 3, seed=148), 0.5), wrt=(0, 1), path="empty-rows")
def sum_over_an_empty_array(x, c):
    return np.sum(np.exp(x) * c) + c * c


@case(args=(np.asarray(0.3),), path="0d")
def zero_d_array_through_elementwise_functions(x):
    return np.exp(x) * np.cos(x) + x ** 3
