"""Complex numbers: the convention, the rules of the functions that are not holomorphic, and the
list of the rules that hold for complex operands.

The convention is JAX's. A function of complex values is differentiated as a real-linear map of
their real and imaginary parts, and a cotangent pairs with a change by the *non-conjugating*
pairing Re(a * b): the cotangent of `z` is the `g` with ``Re(g * dz) == <ct, df>`` for every dz.
So the adjoint rule of a holomorphic function (``ct * f'(z)``) and of a linear one (sums,
products, indexing, the FFT) is the one real numbers use, unchanged; `grad` of a holomorphic `f`
(through `vjp` with cotangent 1) is f'(z); `grad` of a real-valued `f` of z is
df/dx - i df/dy (gradient descent steps with ``z - lr * np.conj(g)``). A complex cotangent that
reaches a real value gives it its real part (`runtime.like_input`, and the real part the reverse
transform takes where a complex value meets a real one).

Guarantees: a rule is applied to an operand that may be complex only when it is listed here
(`supports`): in `HOLOMORPHIC_OR_LINEAR` (whose rules hold unchanged), or with a rule of its own for
complex operands (`complex_rule`: np.abs). Every other operation on a varied complex value is
refused when compiling (`passes/complexity.py`), with a reason (`refusal`).
"""

from __future__ import annotations

import operator

import numpy as np

from .. import runtime
from ..ir.core import make_dict, make_list, make_tuple
from ..runtime import like_input
from .registry import _make_rule, adjoint, nondifferentiable, tangent

# ---- the functions that are not holomorphic -----------------------------------------------------


@adjoint(np.imag, np.ndarray.imag)
def imag_adjoint(ct, ans, x):
    """Im(dz) = Re(-1j * dz): the cotangent -1j * ct (none for a real x)."""
    return like_input(-1j * ct, x)


@tangent(np.imag, np.ndarray.imag)
def imag_tangent(t, ans, x):
    return np.imag(t)


@adjoint(np.angle)
def angle_adjoint(ct, ans, x, deg=False):
    """d angle(z) = Im(conj(z) dz) / |z|^2; slope 0 at z == 0 (and for a real x)."""
    return like_input(-1j * ct * np.conj(x) / np.where(x == 0, 1.0, np.real(x * np.conj(x))), x) \
        * (180.0 / np.pi if deg else 1.0)


@tangent(np.angle)
def angle_tangent(t, ans, x, deg=False):
    return np.imag(np.conj(x) * t) / np.where(x == 0, 1.0, np.real(x * np.conj(x))) * (180.0 / np.pi if deg else 1.0)


@adjoint(complex, differentiable=("real", "imag"))
def complex_adjoint(ct, ans, real=0.0, imag=0.0):
    """complex(a, b) = a + 1j * b."""
    return like_input(ct, real), like_input(1j * ct, imag)


@tangent(complex, differentiable=("real", "imag"))
def complex_tangent(t, ans, real=0.0, imag=0.0):
    return t + 0j, 1j * t


# like_input is linear in g: its own transpose (the real part of a real cotangent is itself); x
# is read for its dtype only
@adjoint(runtime.like_input, differentiable=("g", "x"))
def like_input_adjoint(ct, ans, g, x):
    return like_input(ct, g), None


@tangent(runtime.like_input, differentiable=("g", "x"))
def like_input_tangent(t, ans, g, x):
    return like_input(t, x), None


nondifferentiable(np.iscomplexobj, np.isrealobj, np.iscomplex, np.isreal, runtime.complex_zeros_like)

# adjoint rules that give a real argument a real cotangent themselves (no real part to take after them)
_REAL_FOR_REAL: set = {imag_adjoint, angle_adjoint, complex_adjoint, like_input_adjoint}


def real_for_real(*fns) -> None:
    """Declare adjoint rules that give a real argument a real cotangent (rules/fft.py's)."""
    _REAL_FOR_REAL.update(fns)


def gives_real_for_real(rule) -> bool:
    """Whether an adjoint rule's cotangent of a real argument is real already."""
    return rule.fn in _REAL_FOR_REAL


# ---- |z| of a complex z: its own rule (the real one is ct * sign(x)) ------------------------------


def abs_adjoint(ct, ans, x):
    """d|z| = Re(conj(z) dz) / |z|; slope 0 at z == 0."""
    return ct * np.conj(x) / np.where(ans == 0, 1.0, ans)


def abs_tangent(t, ans, x):
    return np.real(np.conj(x) * t) / np.where(ans == 0, 1.0, ans)


_COMPLEX_RULES = {
    "adjoint": {op: _make_rule(abs_adjoint, op, "adjoint") for op in (abs, operator.abs, np.absolute)},
    "tangent": {op: _make_rule(abs_tangent, op, "tangent") for op in (abs, operator.abs, np.absolute)},
}


def complex_rule(key, kind: str):
    """The rule of `kind` for `key` on complex operands, when it differs from the real one."""
    return _COMPLEX_RULES[kind].get(key)


# ---- which rules hold for complex operands -------------------------------------------------------

HOLOMORPHIC_OR_LINEAR = {
    operator.add, operator.sub, operator.mul, operator.truediv, operator.neg, operator.pos, operator.pow,
    np.add, np.subtract, np.multiply, np.divide, np.true_divide, np.negative, np.positive, np.power,
    np.exp, np.log, np.sin, np.cos, np.tan, np.sinh, np.cosh, np.tanh, np.sqrt, np.square, np.reciprocal,
    np.sum, np.ndarray.sum, np.mean, np.ndarray.mean, np.cumsum, np.ndarray.cumsum,
    np.dot, np.ndarray.dot, np.matmul, operator.matmul, np.einsum, np.tensordot, np.inner, np.outer,
    np.transpose, np.ndarray.transpose, np.ndarray.T, np.reshape, np.ndarray.reshape, np.ravel,
    np.ndarray.ravel, np.ndarray.flatten, np.squeeze, np.expand_dims, np.swapaxes, np.ndarray.swapaxes,
    np.moveaxis, np.flip, np.trace, np.ndarray.trace, operator.getitem, np.concatenate, np.stack,
    np.hstack, np.vstack, np.conjugate, np.ndarray.conj, np.ndarray.conjugate, np.real, np.ndarray.real,
    np.imag, np.ndarray.imag, np.angle, complex, runtime.like_input,
    make_tuple, make_list, make_dict,
    # the linear helpers the rules above call (a derivative differentiated again meets them)
    runtime.unbroadcast, runtime.broadcast_like, runtime.expand_reduced, runtime.unindex,
    runtime.matmul_adjoint_left, runtime.matmul_adjoint_right, runtime.tensordot_adjoint_left,
    runtime.tensordot_adjoint_right, runtime.unconcatenate, runtime.unstack, runtime.unsum, runtime.untrace,
    runtime.uncumsum, runtime.einsum_general, runtime.add_cotangents, runtime.power_slope, runtime.log_or_zero,
    # writes into arrays (x[i] = v is a functional update: linear in x and v)
    runtime.index_update, runtime.zero_at, runtime.placed, runtime.write_back, runtime.view_of, runtime.kept_back,
    runtime.old_part,
    # lists and tuples of complex values (hs.append(h) is hs + [h]), and arrays made of them
    runtime.concat, runtime.concat_parts, runtime.repeat_seq, runtime.repeat_parts, runtime.unrepeat_seq,
    runtime.list_insert, runtime.list_without, runtime.as_list, sum, np.array, np.asarray, runtime.unpack_like,
}

# operations that only look at a value (never at its order): fine on complex values
_STRUCTURAL = {len, np.shape, np.ndim, np.size, np.ndarray.shape, np.ndarray.ndim, np.ndarray.size,
               np.ndarray.dtype, operator.eq, operator.ne, operator.is_, operator.is_not, np.iscomplexobj,
               np.isrealobj, np.iscomplex, np.isreal, np.equal, np.not_equal, isinstance, runtime.ones_like_output,
               runtime.zeros_like_input, runtime.complex_zeros_like, runtime.unpacked, runtime.check_bound,
               runtime.numeric_result,
               runtime.not_shared, runtime.inverse_axes, runtime.einsum_spec, runtime.einsum_cospec,
               runtime.dot_axes, runtime.inner_axes, runtime.hstack_axis, runtime.shape_of}

_EXTRA: set = set()  # filled by rules/fft.py


def mark_supported(*keys) -> None:
    """Declare that the rules of `keys` hold for complex operands (a rule module's own list)."""
    _EXTRA.update(keys)


def supports(key) -> bool:
    """Whether an operation may be differentiated (or evaluated) on a varied complex operand."""
    try:
        return key in HOLOMORPHIC_OR_LINEAR or key in _STRUCTURAL or key in _EXTRA \
            or key in _COMPLEX_RULES["adjoint"]
    except TypeError:  # an unhashable operation
        return False


_ORDER = {operator.lt, operator.le, operator.gt, operator.ge, np.less, np.less_equal, np.greater,
          np.greater_equal, np.maximum, np.minimum, np.fmax, np.fmin, np.max, np.min, np.amax, np.amin,
          np.ndarray.max, np.ndarray.min, np.argmax, np.argmin, np.ndarray.argmax, np.ndarray.argmin, np.sort,
          np.ndarray.sort, np.argsort, np.clip, np.ndarray.clip, np.floor, np.ceil, np.round, np.around,
          np.trunc, np.rint, np.sign, np.median, np.ptp, max, min, sorted, np.heaviside}


def refusal(key) -> str:
    """Why an operation is refused on a complex value."""
    try:
        ordered = key in _ORDER
    except TypeError:
        ordered = False
    if ordered:
        return "complex numbers have no order"
    return ("sourcead differentiates complex values only through the functions whose rules hold for "
            "them (arithmetic, exp/log/trig, sums and products, indexing and reshaping, np.real, "
            "np.imag, np.conj, np.abs, np.angle, np.fft)")


# values a call makes that are real whatever its operands are
REAL_RESULT = {np.real, np.ndarray.real, np.imag, np.ndarray.imag, abs, operator.abs, np.absolute, np.angle,
               len, np.shape, np.ndim, np.size, np.ndarray.shape, np.ndarray.ndim, np.ndarray.size,
               operator.eq, operator.ne, operator.lt, operator.le, operator.gt, operator.ge, operator.not_,
               operator.is_, operator.is_not, np.iscomplexobj, np.isrealobj, np.iscomplex, np.isreal,
               np.equal, np.not_equal, np.isnan, np.isfinite, np.isinf, isinstance, float, int, np.float64}

# values a call makes that may be complex whatever its operands are
COMPLEX_RESULT = {complex, np.complex128, np.complex64, np.emath.sqrt, np.emath.log, np.emath.log2,
                  np.emath.log10, np.emath.power, np.emath.arcsin, np.emath.arccos, np.emath.arctanh, np.roots}
# (np.linalg.eig's results are taken as real: its rules refuse complex eigenvalues when they run)


def mark_complex_result(*keys) -> None:
    """Declare that `keys` make complex values from real operands (the FFT)."""
    COMPLEX_RESULT.update(keys)


def mark_real_result(*keys) -> None:
    """Declare that `keys` make real values from complex operands (np.fft.irfft)."""
    REAL_RESULT.update(keys)
