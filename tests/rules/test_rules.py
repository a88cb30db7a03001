"""Spec table for the derivative rules: every registered rule checked on its own, no compiler.

Each case is one call ``target(*args, **kwargs)``. For every differentiable parameter of the rule
whose argument holds floats, with a random direction v (shaped like the argument) and a random
cotangent c (shaped like the result), central finite differences with step e must agree with

* the adjoint entry a:   vdot(a, v) == (<c, f(x + e v)> - <c, f(x - e v)>) / 2e
* the tangent entry t:   entry(t=v) == (f(x + e v) - f(x - e v)) / 2e   (elementwise)

A tangent entry is evaluated on its own, by compiling that element of the rule's returned tuple,
as the compiler inlines it (its ``t`` is the tangent of that argument only). An entry of None
claims the argument has no derivative, so the finite difference must then vanish. Adjoint entries
must have their argument's shape and a float dtype and must not be read-only views; tangent
entries must have the result's shape.

Adding a rule means adding a case here: `test_every_rule_has_a_case` fails otherwise.
"""

from __future__ import annotations

import ast
import builtins
import inspect
import math
import operator
import textwrap
import zlib

import numpy as np
import pytest

import sourcead.rules  # noqa: F401  (registers the rules)
from sourcead import runtime
from sourcead.rules import registry

from spec import (ATOL, EPS, RTOL, C, Case, _binary, _reductions, _rng, _unary, big, frac, pos,  # noqa: F401
                  rnd, target_name, unit)

_mask = _rng.uniform(size=(3, 4)) > 0.5
_mask_5 = np.array([True, False, True, True, False])

CASES = [
    # ---- arith: operators and their ufunc twins ----
    *_binary([operator.add, np.add, operator.sub, np.subtract, operator.mul, np.multiply], rnd),
    *_binary([operator.truediv, np.divide], rnd, pos),
    *_binary([operator.pow, np.power, np.float_power], pos, rnd),
    C("int-exponent", operator.pow, pos(3), 2),
    C("builtin", pow, pos(), rnd()),
    C("(3,4)-(4,)", operator.mod, pos(3, 4) * 3, pos(4)),
    C("scalars", operator.mod, 5.3, 1.7),
    C("(3,4)-scalar", np.mod, pos(3, 4) * 3, 0.7),
    *_unary([operator.neg, np.negative, operator.pos, np.positive], rnd, (3, 4)),
    C("1d@1d", operator.matmul, rnd(3), rnd(3)),
    C("2d@1d", operator.matmul, rnd(2, 3), rnd(3)),
    C("1d@2d", operator.matmul, rnd(3), rnd(3, 4)),
    C("2d@2d", operator.matmul, rnd(2, 3), rnd(3, 4)),
    C("3d@2d", np.matmul, rnd(5, 2, 3), rnd(3, 4)),
    C("2d@3d", np.matmul, rnd(2, 3), rnd(5, 3, 4)),
    C("batch-broadcast", np.matmul, rnd(5, 1, 2, 3), rnd(4, 3, 2)),
    C("1d@3d", np.matmul, rnd(3), rnd(5, 3, 4)),
    C("3d@1d", np.matmul, rnd(5, 2, 3), rnd(3)),
    C("int", operator.getitem, rnd(5, 4), 2),
    C("slice", operator.getitem, rnd(5, 4), slice(1, 4)),
    C("tuple", operator.getitem, rnd(5, 4), (1, slice(None, None, 2))),
    C("none-ellipsis", operator.getitem, rnd(5, 4), (None, Ellipsis, 2)),
    C("mask", operator.getitem, rnd(5, 4), _mask_5),
    C("int-array-repeats", operator.getitem, rnd(5, 4), np.array([0, 2, 2, 4, 0])),
    C("list-repeats", operator.getitem, rnd(5), [1, 1, 3]),
    C("pair-arrays", operator.getitem, rnd(5, 4), (np.array([0, 0, 3]), np.array([1, 1, 2]))),
    C("mask-2d", operator.getitem, rnd(3, 4), _mask),
    C("python-list", operator.getitem, [rnd(), rnd(), rnd()], 1),
    C("scalar", abs, rnd()),
    C("array", abs, rnd(3, 4)),
    C("scalar", operator.abs, rnd()),
    C("first", max, 1.5, 0.5),
    C("second", max, -0.5, 0.25),
    C("first", min, -1.5, 0.5),
    C("second", min, 0.5, 0.25),
    C("list", sum, [rnd(3), rnd(2, 3), rnd()]),
    C("tuple", sum, (rnd(), rnd())),
    C("array", sum, rnd(4, 3)),
    C("float", float, rnd()),
    C("float64", np.float64, rnd()),

    # ---- math ----
    *[C("x", f, rnd()) for f in (math.sin, math.cos, math.atan, math.sinh, math.cosh, math.tanh,
                                 math.asinh, math.exp, math.expm1, math.degrees, math.radians,
                                 math.erf, math.erfc, math.fabs)],
    *[C("x", getattr(math, name), rnd()) for name in ("exp2", "cbrt") if hasattr(math, name)],
    C("x", math.tan, unit()),
    *[C("x", f, unit()) for f in (math.asin, math.acos, math.atanh)],
    C("x", math.acosh, big()),
    *[C("x", f, pos()) for f in (math.log, math.log1p, math.log2, math.log10, math.sqrt)],
    C("base", math.log, pos(), 3.0),
    C("x", math.pow, pos(), rnd()),
    C("x", math.atan2, rnd(), rnd()),
    C("x", math.hypot, rnd(), rnd()),

    # ---- numpy: elementwise ----
    *_unary([np.sin, np.cos, np.arctan, np.sinh, np.cosh, np.tanh, np.arcsinh, np.exp, np.exp2,
             np.expm1, np.cbrt, np.square, np.absolute, np.fabs, np.deg2rad, np.radians,
             np.rad2deg, np.degrees], rnd, (3, 4)),
    *_unary([np.tan, np.arcsin, np.arccos, np.arctanh], unit, (3, 4)),
    *_unary([np.arccosh], big, (3, 4)),
    *_unary([np.log, np.log2, np.log10, np.log1p, np.sqrt, np.reciprocal], pos, (3, 4)),
    *_binary([np.arctan2, np.hypot, np.logaddexp, np.logaddexp2,
              np.maximum, np.minimum, np.fmax, np.fmin], rnd),
    C("broadcast", np.where, _mask, rnd(3, 1), rnd(4)),
    C("scalar-y", np.where, _mask, rnd(3, 4), 0.5),
    C("y-larger", np.where, _mask[0], rnd(4), rnd(3, 4)),
    C("bounds", np.clip, rnd(3, 4), -0.5, np.array([0.2, 0.4, 0.6, 5.0])),
    C("array-bounds", np.clip, rnd(3, 4), rnd(3, 1) - 1.0, rnd(4) + 1.0),
    C("no-min", np.clip, rnd(3, 4), None, 0.3),
    C("no-max", np.clip, rnd(3, 4), -0.3, None),
    C("method", np.ndarray.clip, rnd(3, 4), -0.5, 0.5),

    # ---- numpy: reductions ----
    *_reductions(np.sum, rnd), *_reductions(np.ndarray.sum, rnd),
    *_reductions(np.mean, rnd), *_reductions(np.ndarray.mean, rnd),
    *_reductions(np.prod, pos), *_reductions(np.ndarray.prod, pos),
    C("with-zero", np.prod, np.array([[1.5, 0.0, 2.0], [0.7, 1.2, -0.4]]), axis=1),
    C("two-zeros", np.prod, np.array([0.0, 1.5, 0.0, 2.0])),
    *_reductions(np.max, rnd), *_reductions(np.amax, rnd), *_reductions(np.ndarray.max, rnd),
    *_reductions(np.min, rnd), *_reductions(np.amin, rnd), *_reductions(np.ndarray.min, rnd),
    *_reductions(np.var, rnd), *_reductions(np.ndarray.var, rnd, ddof=1),
    *_reductions(np.std, rnd), *_reductions(np.ndarray.std, rnd, ddof=1),
    C("ddof1-axis", np.var, rnd(3, 4), axis=1, ddof=1),
    C("ddof1-axis", np.std, rnd(3, 4), axis=0, ddof=1),
    C("vector", np.linalg.norm, rnd(5)),
    C("ord1", np.linalg.norm, rnd(5), ord=1),
    C("ord-inf", np.linalg.norm, rnd(5), ord=np.inf),
    C("ord-minus-inf", np.linalg.norm, rnd(5), ord=-np.inf),
    C("ord3", np.linalg.norm, rnd(5), ord=3),
    C("ord2", np.linalg.norm, rnd(5), ord=2),
    C("frobenius", np.linalg.norm, rnd(3, 4)),
    C("fro", np.linalg.norm, rnd(3, 4), ord="fro"),
    C("flattened-3d", np.linalg.norm, rnd(2, 3, 4)),
    C("axis1-keep", np.linalg.norm, rnd(3, 4), axis=1, keepdims=True),
    C("axis0-ord1", np.linalg.norm, rnd(3, 4), ord=1, axis=0),
    C("axis-inf", np.linalg.norm, rnd(3, 4), ord=np.inf, axis=-1),
    C("axes(1,2)", np.linalg.norm, rnd(2, 3, 4), axis=(1, 2)),
    C("all", np.cumsum, rnd(3, 4)),
    C("axis1", np.cumsum, rnd(3, 4), axis=1),
    C("axis0", np.ndarray.cumsum, rnd(3, 4), 0),

    # ---- numpy: linear algebra ----
    C("scalar-array", np.dot, rnd(), rnd(3)),
    C("1d-1d", np.dot, rnd(3), rnd(3)),
    C("2d-1d", np.dot, rnd(2, 3), rnd(3)),
    C("1d-2d", np.dot, rnd(3), rnd(3, 4)),
    C("2d-2d", np.dot, rnd(2, 3), rnd(3, 4)),
    C("3d-2d", np.dot, rnd(2, 2, 3), rnd(3, 4)),
    C("3d-3d", np.dot, rnd(2, 3, 4), rnd(5, 4, 2)),
    C("2d-2d", np.ndarray.dot, rnd(2, 3), rnd(3, 4)),
    C("1d", np.inner, rnd(3), rnd(3)),
    C("2d", np.inner, rnd(2, 3), rnd(4, 3)),
    C("scalar", np.inner, rnd(), rnd(2, 3)),
    C("1d", np.outer, rnd(3), rnd(4)),
    C("flattens", np.outer, rnd(2, 2), rnd(3)),
    C("axes1", np.tensordot, rnd(2, 3), rnd(3, 4), axes=1),
    C("axes2", np.tensordot, rnd(2, 3, 4), rnd(3, 4, 5)),
    C("axes0", np.tensordot, rnd(2), rnd(3), axes=0),
    C("pairs", np.tensordot, rnd(3, 2, 4), rnd(2, 5, 3), axes=([1, 0], [0, 2])),
    C("matmul", np.einsum, "ij,jk->ik", rnd(2, 3), rnd(3, 4)),
    C("full-contraction", np.einsum, "ij,ij->", rnd(2, 3), rnd(2, 3)),
    C("diagonal", np.einsum, "ii,i->i", rnd(3, 3), rnd(3)),
    C("only-in-a", np.einsum, "ij,k->k", rnd(2, 3), rnd(4)),
    C("outer", np.einsum, "i,j->ij", rnd(2), rnd(3)),
    C("implicit", np.einsum, "ij,jk", rnd(2, 3), rnd(3, 4)),
    C("ellipsis-broadcast", np.einsum, "...ij,...jk->...ik", rnd(2, 3, 4), rnd(1, 4, 5)),
    C("square", np.trace, rnd(4, 4)),
    C("offset", np.trace, rnd(3, 4), 1),
    C("negative-offset", np.trace, rnd(4, 3), -1),
    C("3d-axes", np.trace, rnd(2, 3, 3), 0, 1, 2),
    C("method", np.ndarray.trace, rnd(3, 3)),

    # ---- numpy: axes and shapes ----
    C("reverse", np.transpose, rnd(2, 3, 4)),
    C("axes", np.transpose, rnd(2, 3, 4), (1, 2, 0)),
    C("negative-axes", np.transpose, rnd(2, 3, 4), (-1, 0, 1)),
    C("no-axes", np.ndarray.transpose, rnd(2, 3)),
    C("permutation", np.ndarray.transpose, rnd(2, 3, 4), (2, 0, 1)),
    C("tuple", np.ndarray.transpose, rnd(2, 3, 4), (1, 2, 0)),
    C("matrix", np.ndarray.T, rnd(2, 3)),
    C("3d", np.swapaxes, rnd(2, 3, 4), 0, 2),
    C("method", np.ndarray.swapaxes, rnd(2, 3), 0, 1),
    C("3d", np.moveaxis, rnd(2, 3, 4), 0, -1),
    C("several", np.moveaxis, rnd(2, 3, 4), (0, 1), (2, 0)),
    C("all", np.flip, rnd(2, 3)),
    C("axis1", np.flip, rnd(2, 3), 1),
    C("tuple", np.reshape, rnd(3, 4), (6, 2)),
    C("minus-one", np.reshape, rnd(3, 4), (2, -1)),
    C("order-F", np.reshape, rnd(3, 4), (2, 6), order="F"),
    C("int", np.ndarray.reshape, rnd(3, 4), 12),
    C("tuple", np.ndarray.reshape, rnd(3, 4), (4, 3)),
    C("order-F", np.ndarray.reshape, rnd(3, 4), (6, 2), order="F"),
    C("2d", np.ravel, rnd(3, 4)),
    C("order-F", np.ravel, rnd(3, 4), order="F"),
    C("2d", np.ndarray.ravel, rnd(3, 4)),
    C("2d", np.ndarray.flatten, rnd(3, 4)),
    C("all", np.squeeze, rnd(3, 1, 4, 1)),
    C("axis", np.ndarray.squeeze, rnd(3, 1, 4, 1), axis=1),
    C("axis1", np.expand_dims, rnd(3, 4), 1),
    C("axes", np.expand_dims, rnd(3, 4), (0, 3)),
    C("(3,1)", np.broadcast_to, rnd(3, 1), (2, 3, 4)),
    C("scalar", np.broadcast_to, rnd(), (2, 2)),
    C("flat", np.repeat, rnd(2, 3), 2),
    C("counts-axis0", np.repeat, rnd(3, 2), [1, 0, 2], axis=0),
    C("axis1", np.ndarray.repeat, rnd(2, 3), 3, 1),
    C("2d", np.tile, rnd(2, 3), (2, 1)),
    C("1d", np.tile, rnd(3), 3),
    C("promote", np.tile, rnd(2, 3), (2, 1, 2)),
    C("array", np.copy, rnd(3, 4)),
    C("method", np.ndarray.copy, rnd(3, 4)),
    C("float", np.ndarray.astype, rnd(3, 4), float),
    C("int", np.ndarray.astype, frac(3, 4), int),
    C("nested-floats", np.array, [[rnd(), rnd()], [rnd(), 1]]),
    C("arrays", np.array, [rnd(3), rnd(3)]),
    C("int-dtype", np.array, [frac(), frac()], dtype=int),
    C("array", np.array, rnd(2, 3)),
    C("list", np.asarray, [rnd(), rnd(), rnd()]),
    C("axis0", np.concatenate, [rnd(2, 3), rnd(4, 3)]),
    C("axis1", np.concatenate, [rnd(2, 3), rnd(2, 1)], axis=1),
    C("axis-none", np.concatenate, [rnd(2, 2), rnd(3)], axis=None),
    C("1d-and-scalar", np.hstack, [rnd(3), rnd(), rnd(2)]),
    C("2d", np.hstack, (rnd(2, 3), rnd(2, 1))),
    C("1d", np.vstack, [rnd(3), rnd(3)]),
    C("2d", np.vstack, [rnd(2, 3), rnd(1, 3)]),
    C("axis0", np.stack, [rnd(2, 3), rnd(2, 3)]),
    C("axis1", np.stack, [rnd(2, 3), rnd(2, 3), rnd(2, 3)], axis=1),
    C("scalars", np.stack, [rnd(), rnd()]),
    C("scalar", np.full, (2, 3), rnd()),
    C("row", np.full, (2, 3), rnd(3)),
    C("scalar", np.full_like, rnd(2, 3), rnd()),
    C("scalars", np.linspace, rnd(), rnd(), 5),
    C("no-endpoint", np.linspace, rnd(), rnd(), 4, endpoint=False),
    C("arrays", np.linspace, rnd(3), rnd(3), 4),

    # ---- runtime helpers (rules for higher-order derivatives) ----
    C("sum-leading", runtime.unbroadcast, rnd(2, 3, 4), rnd(3, 1)),
    C("same", runtime.unbroadcast, rnd(3), rnd(3)),
    C("arrays", runtime.add_cotangents, rnd(3), rnd(3)),
    C("scalars", runtime.add_cotangents, rnd(), rnd()),
    C("scalar-up", runtime.unbroadcast, rnd(), rnd(2, 3)),
    C("up", runtime.broadcast_like, rnd(3, 1), rnd(2, 3, 4)),
    C("down", runtime.broadcast_like, rnd(2, 3, 4), rnd(3, 4)),
    C("axis1", runtime.expand_reduced, rnd(3), rnd(3, 4), 1),
    C("keep", runtime.expand_reduced, rnd(3, 1), rnd(3, 4), 1, True),
    C("all", runtime.expand_reduced, rnd(), rnd(3, 4)),
    C("repeats", runtime.unindex, rnd(4), rnd(5), np.array([0, 2, 2, 4])),
    C("basic", runtime.unindex, rnd(4), rnd(5, 4), 1),
    C("x", runtime.log_or_zero, pos(3, 4)),
    C("axis1", runtime.prod_others, pos(3, 4), 1),
    C("all", runtime.prod_others, pos(3, 4) * np.sign(rnd(3, 4))),
    C("2-norm", runtime.norm_weight, rnd(3, 4), pos(3), None, 1),
    C("3-norm-keep", runtime.norm_weight, rnd(3, 4), pos(3, 1), 3, 1, True),
    C("1-norm", runtime.norm_weight, rnd(5), pos(), 1),
    C("axes1", runtime.tensordot_adjoint_left, rnd(2, 4), rnd(2, 3), rnd(3, 4), 1),
    C("pairs", runtime.tensordot_adjoint_left, rnd(2, 5), rnd(3, 2, 4), rnd(4, 5, 3), ([2, 0], [0, 2])),
    C("axes1", runtime.tensordot_adjoint_right, rnd(2, 4), rnd(2, 3), rnd(3, 4), 1),
    C("pairs", runtime.tensordot_adjoint_right, rnd(2, 5), rnd(3, 2, 4), rnd(4, 5, 3), ([2, 0], [0, 2])),
    C("batch", runtime.matmul_adjoint_left, rnd(5, 2, 4), rnd(2, 3), rnd(5, 3, 4)),
    C("1d-1d", runtime.matmul_adjoint_left, rnd(), rnd(3), rnd(3)),
    C("batch", runtime.matmul_adjoint_right, rnd(5, 2, 4), rnd(5, 2, 3), rnd(3, 4)),
    C("2d-1d", runtime.matmul_adjoint_right, rnd(2), rnd(2, 3), rnd(3)),
    C("2d", runtime.untrace, rnd(), rnd(3, 3)),
    C("3d-offset", runtime.untrace, rnd(2), rnd(2, 3, 4), 1, 1, 2),
    C("float", runtime.cast_like, rnd(3), rnd(3), float),
    C("int", runtime.cast_like, rnd(3), rnd(3), int),
    C("nested", runtime.unpack_like, rnd(2, 2), [[rnd(), rnd()], [rnd(), rnd()]]),
    C("arrays", runtime.unpack_like, rnd(2, 3), [rnd(3), rnd(3)]),
    C("list", runtime.unsum, rnd(2, 3), [rnd(3), rnd(2, 3), rnd()]),
    C("array", runtime.unsum, rnd(3), rnd(4, 3)),
    C("axis0", runtime.unconcatenate, rnd(6, 3), [rnd(2, 3), rnd(4, 3)]),
    C("hstack-like", runtime.unconcatenate, rnd(5), [rnd(3), rnd(), rnd(1)]),
    C("vstack-like", runtime.unconcatenate, rnd(2, 3), [rnd(3), rnd(3)], 0),
    C("axis-none", runtime.unconcatenate, rnd(7), [rnd(2, 2), rnd(3)], None),
    C("vstack-like", runtime.reconcatenate, [rnd(3), rnd(3)], rnd(2, 3), 0),
    C("axis1", runtime.reconcatenate, [rnd(2, 3), rnd(2, 1)], rnd(2, 4), 1),
    C("axis-none", runtime.reconcatenate, [rnd(2, 2), rnd(3)], rnd(7), None),
    C("axis1", runtime.unstack, rnd(2, 3), 1),
    C("flat", runtime.unrepeat, rnd(6), rnd(3), 2),
    C("counts", runtime.unrepeat, rnd(3, 2), rnd(3, 2), [1, 0, 2], 0),
    C("2d", runtime.untile, rnd(4, 3), rnd(2, 3), (2, 1)),
    C("axis1", runtime.uncumsum, rnd(3, 4), rnd(3, 4), 1),
    C("all", runtime.uncumsum, rnd(12), rnd(3, 4)),
    C("array", runtime.to_float, rnd(3)),
    C("scalar", runtime.to_float, rnd()),
    C("same", runtime.as_gradient, rnd(3), rnd(3)),
    C("broadcast", runtime.as_gradient, rnd(), rnd(2, 3)),
    C("one-element", runtime.as_gradient, rnd(1), rnd()),
]



def _domain_cases():
    """The cases of the ``cases_*.py`` modules beside this file, in name order."""
    import importlib
    import pathlib

    out = []
    for path in sorted(pathlib.Path(__file__).parent.glob("cases_*.py")):
        out.extend(importlib.import_module(path.stem).CASES)
    return out


CASES += _domain_cases()


# ---- machinery ------------------------------------------------------------------------------------


def call(target, args, kwargs):
    if not callable(target):  # an attribute descriptor such as np.ndarray.T
        return target.__get__(args[0])
    return target(*args, **kwargs)


def is_float_leaf(v):
    """A float or complex leaf: what a rule differentiates (complex in JAX's convention)."""
    if isinstance(v, np.ndarray):
        return v.dtype.kind in "fc"
    return isinstance(v, (float, np.floating, complex, np.complexfloating))


def leaves(v):
    if isinstance(v, dict):
        return [leaf for item in v.values() for leaf in leaves(item)]
    if isinstance(v, (list, tuple)):
        return [leaf for item in v for leaf in leaves(item)]
    return [v]


def has_floats(v):
    return any(is_float_leaf(leaf) for leaf in leaves(v))


def direction(v, rng):
    """A random value with v's structure: normal on float leaves, zero elsewhere."""
    if isinstance(v, dict):
        return {k: direction(item, rng) for k, item in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(direction(item, rng) for item in v)
    if is_float_leaf(v) and np.iscomplexobj(v):  # along the real and the imaginary axis at once
        d = rng.standard_normal(np.shape(v)) + 1j * rng.standard_normal(np.shape(v))
        return np.asarray(d) if np.ndim(v) or isinstance(v, np.ndarray) else complex(d)
    if is_float_leaf(v) and (np.ndim(v) or isinstance(v, np.ndarray)):
        return np.asarray(rng.standard_normal(np.shape(v)))  # a 0-d array's direction is one too
    if is_float_leaf(v):
        return float(rng.standard_normal())
    return np.zeros(np.shape(v)) if np.ndim(v) else 0.0


def shifted(v, d, e):
    if isinstance(v, dict):
        return {k: shifted(item, d[k], e) for k, item in v.items()}
    if isinstance(v, (list, tuple)):
        return type(v)(shifted(item, di, e) for item, di in zip(v, d, strict=True))
    if not is_float_leaf(v):
        return v
    if isinstance(v, np.ndarray):
        return np.asarray(v + e * d, dtype=v.dtype)  # a 0-d array stays an array
    return float(v + e * d) if isinstance(v, float) else v + e * d


def vdot(a, b):
    la, lb = leaves(a), leaves(b)
    assert len(la) == len(lb), f"structure mismatch: {len(la)} leaves vs {len(lb)}"
    return float(sum(np.real(np.sum(_numbers(x) * _numbers(y))) for x, y in zip(la, lb)))  # Re(a * b)


def _numbers(x):
    return np.asarray(x, dtype=complex if np.iscomplexobj(x) else float)


def cotangent_like(ans, rng):
    if isinstance(ans, dict):
        return {k: cotangent_like(item, rng) for k, item in ans.items()}
    if isinstance(ans, (list, tuple)):
        return [cotangent_like(item, rng) for item in ans]
    if np.iscomplexobj(ans):
        return direction(ans, rng)
    return rng.standard_normal(np.shape(ans)) if np.ndim(ans) else float(rng.standard_normal())


def locate(rule, name, args, kwargs):
    """Where the argument bound to rule parameter `name` sits in (args, kwargs)."""
    position = list(rule.signature.parameters).index(name) - 2
    return ("args", position) if position < len(args) else ("kwargs", name)


def with_argument(where, value, args, kwargs):
    args, kwargs = list(args), dict(kwargs)
    if where[0] == "args":
        args[where[1]] = value
    else:
        kwargs[where[1]] = value
    return args, kwargs


_ENTRY_CACHE = {}


def entry_expressions(fn):
    """The rule's returned expressions, one per differentiable parameter, compiled."""
    if fn not in _ENTRY_CACHE:
        tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
        ret = tree.body[0].body[-1]
        assert isinstance(ret, ast.Return), f"{fn.__qualname__} does not end in a return"
        parts = ret.value.elts if isinstance(ret.value, ast.Tuple) else [ret.value]
        _ENTRY_CACHE[fn] = [compile(ast.Expression(p), f"<entry of {fn.__qualname__}>", "eval") for p in parts]
    return _ENTRY_CACHE[fn]


def tangent_entry(rule, index, t, ans, args, kwargs):
    bound = rule.signature.bind(t, ans, *args, **kwargs)
    bound.apply_defaults()
    return eval(entry_expressions(rule.fn)[index], rule.fn.__globals__, dict(bound.arguments))


def fd_points(case, where, v):
    args_p, kw_p = with_argument(where, shifted(value_at(case, where), v, EPS), case.args, case.kwargs)
    args_m, kw_m = with_argument(where, shifted(value_at(case, where), v, -EPS), case.args, case.kwargs)
    return call(case.target, args_p, kw_p), call(case.target, args_m, kw_m)


def value_at(case, where):
    return case.args[where[1]] if where[0] == "args" else case.kwargs[where[1]]


def assert_structure(entry, like, what):
    le, ll = leaves(entry), leaves(like)
    assert len(le) == len(ll), f"{what}: {len(le)} leaves, expected {len(ll)}"
    for e, x in zip(le, ll):
        assert np.shape(e) == np.shape(x), f"{what}: shape {np.shape(e)}, expected {np.shape(x)}"


def close(a, b):
    return abs(a - b) <= RTOL * max(abs(a), abs(b)) + ATOL


def rng_for(case):
    return np.random.default_rng(zlib.crc32(case.id.encode()))


# ---- the spec table ------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_adjoint(case):
    check_adjoint(case)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_tangent(case):
    check_tangent(case)


def check_adjoint(case):
    rule = registry.lookup_adjoint(case.target)
    assert rule is not None, f"no adjoint rule for {case.id}"
    rng = rng_for(case)
    ans = call(case.target, case.args, case.kwargs)
    c = cotangent_like(ans, rng)
    entries = rule.fn(c, ans, *case.args, **case.kwargs)
    if len(rule.diff_params) == 1:
        entries = (entries,)
    assert len(entries) == len(rule.diff_params)
    checked = 0
    for name, entry in zip(rule.diff_params, entries, strict=True):
        where = locate(rule, name, case.args, case.kwargs)
        if where[0] == "kwargs" and where[1] not in case.kwargs:
            continue  # a differentiable option left at its default (math.log's base)
        x = value_at(case, where)
        if not has_floats(x):
            continue
        v = direction(x, rng)
        plus, minus = fd_points(case, where, v)
        fd = (vdot(c, plus) - vdot(c, minus)) / (2 * EPS)
        if entry is None:
            assert close(fd, 0.0), f"entry for {name} is None but the result depends on it ({fd})"
            continue
        assert_structure(entry, x, f"adjoint entry for {name}")
        for leaf in leaves(entry):
            assert np.result_type(leaf).kind in ("fc" if any(map(np.iscomplexobj, leaves(x))) else "f"), \
                f"adjoint entry for {name} has dtype {np.result_type(leaf)}"
            if isinstance(leaf, np.ndarray):
                assert leaf.flags.writeable, f"adjoint entry for {name} is a read-only view"
        an = vdot(entry, v)
        assert close(an, fd), f"adjoint entry for {name}: <entry, v> = {an}, finite differences {fd}"
        checked += 1
    assert checked or all(e is None for e in entries)


def check_tangent(case):
    rule = registry.lookup_tangent(case.target)
    assert rule is not None, f"no tangent rule for {case.id}"
    rng = rng_for(case)
    ans = call(case.target, case.args, case.kwargs)
    for index, name in enumerate(rule.diff_params):
        where = locate(rule, name, case.args, case.kwargs)
        if where[0] == "kwargs" and where[1] not in case.kwargs:
            continue  # a differentiable option left at its default (math.log's base)
        x = value_at(case, where)
        if not has_floats(x):
            continue
        v = direction(x, rng)
        plus, minus = fd_points(case, where, v)
        fd = [(_numbers(p) - _numbers(m)) / (2 * EPS)
              for p, m in zip(leaves(plus), leaves(minus), strict=True)]
        entry = tangent_entry(rule, index, v, ans, case.args, case.kwargs)
        if entry is None:
            assert all(np.allclose(f, 0.0, atol=ATOL) for f in fd), f"entry for {name} is None"
            continue
        assert_structure(entry, ans, f"tangent entry for {name}")
        for got, want in zip(leaves(entry), fd, strict=True):
            np.testing.assert_allclose(_numbers(got), want, rtol=RTOL, atol=ATOL,
                                       err_msg=f"tangent entry for {name}")


# ---- edge shapes: 0-d, length-1 and empty versions of the cases ----------------------------------
#
# Each case with exactly one float array argument is run again with that array cut down to a 0-d
# array, to length 1 along every axis, and to length 0 along its first axis -- wherever NumPy accepts
# the smaller call (a call NumPy refuses has nothing to check).

# target -> why its edge-shape variants are not checked
EDGE_OPT_OUT = {
    np.std: "a single value has std 0, a kink (checked by its own regression case)",
    np.ndarray.std: "as np.std",
    np.var: "with ddof=1 a single value's variance is NaN",
    np.ndarray.var: "as np.var",
    np.linalg.norm: "a zero-size or single-element norm sits at the kink at 0 for some signs",
    np.reshape: "the target shape is fixed by the case",
    np.ndarray.reshape: "as np.reshape",
    np.broadcast_to: "the target shape is fixed by the case",
    runtime.norm_weight: "its second argument must be the norm of the first",
    np.interp: "xp and fp must keep their lengths",
    np.polyval: "a polynomial of no coefficients is not one",
    np.nan_to_num: "the case's infinities are what it tests",
    np.mean: "the rule's size ratio (kept in the form generated code folds) is 0/0 for an empty array",
    np.ndarray.mean: "as np.mean",
    runtime.prod_others: "its cases name an axis a 0-d array does not have",
    np.nanquantile: "NumPy's nanquantile of an empty array with a list of q drops q's axis (shape (0,), not (2, 0))",
}


def _sqrtm_of_a_number_is_its_exp():
    """SciPy 1.16 and 1.17 return [[exp(a)]] for scipy.linalg.sqrtm of a 0-d a (scipy/scipy#25610)."""
    try:
        from scipy import linalg
    except ImportError:
        return False
    try:
        return bool(np.isclose(linalg.sqrtm(np.array(4.0))[0, 0], np.exp(4.0)))
    except ValueError:  # older SciPy refuses a number ("Non-matrix input to matrix function")
        return False


# edge-shape case id -> why its rules must refuse it (raise a SourceADError with a hint), which
# test_edge_shapes_that_are_refused checks instead of the derivatives
EDGE_REFUSED = {
    "np.linalg.qr[square/empty]": "a 0 x 3 matrix is wide, and the qr rules differentiate square or tall ones",
    "np.linalg.qr[tall/empty]": "as np.linalg.qr[square/empty]",
    "np.linalg.svd[square/empty]": "full_matrices=True of a non-square (0 x 4) matrix: Vh's completion is "
                                   "arbitrary, so it has no derivative",
    **({"scipy.linalg._matfuncs.sqrtm[positive/0-d]": "this SciPy's sqrtm of a number returns its exp",
        "scipy.linalg._matfuncs.sqrtm[nonsymmetric/0-d]": "as sqrtm[positive/0-d]"}
       if _sqrtm_of_a_number_is_its_exp() else {}),
}


def _edge_cases():
    out = []
    for case in CASES:
        floats = [i for i, a in enumerate(case.args) if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
        others = [a for i, a in enumerate(case.args) if i not in floats] + list(case.kwargs.values())
        if (len(floats) != 1 or case.target in EDGE_OPT_OUT or not callable(case.target)
                or any(isinstance(leaf, np.ndarray) for v in others for leaf in leaves(v))):
            continue  # other array arguments would have to shrink with it
        x = case.args[floats[0]]
        if x.ndim == 0 or x.size == 0:
            continue  # already a 0-d or empty case
        for label, small in (("0-d", np.array(x.flat[0])), ("length-1", x[(slice(0, 1),) * x.ndim].copy()),
                             ("empty", x[:0].copy())):
            args = list(case.args)
            args[floats[0]] = small
            try:
                with np.errstate(all="ignore"):
                    ans = call(case.target, args, case.kwargs)
            except Exception:  # NumPy does not take this shape here
                continue
            if any(np.result_type(leaf).kind != "f" for leaf in leaves(ans)) or not all(
                    np.all(np.isfinite(leaf)) for leaf in leaves(ans)):
                continue
            out.append(Case(f"{case.label}/{label}", case.target, tuple(args), case.kwargs))
    return out


_ALL_EDGE_CASES = _edge_cases()
EDGE_REFUSED_CASES = [c for c in _ALL_EDGE_CASES if c.id in EDGE_REFUSED]
EDGE_CASES = [c for c in _ALL_EDGE_CASES if c.id not in EDGE_REFUSED]


@pytest.mark.parametrize("case", EDGE_CASES, ids=[c.id for c in EDGE_CASES])
def test_adjoint_on_edge_shapes(case):
    check_adjoint(case)


@pytest.mark.parametrize("case", EDGE_CASES, ids=[c.id for c in EDGE_CASES])
def test_tangent_on_edge_shapes(case):
    check_tangent(case)


@pytest.mark.parametrize("case", EDGE_REFUSED_CASES, ids=[c.id for c in EDGE_REFUSED_CASES])
@pytest.mark.parametrize("check", [check_adjoint, check_tangent], ids=["adjoint", "tangent"])
def test_edge_shapes_that_are_refused(case, check):
    from sourcead.errors import InternalError, SourceADError

    with pytest.raises(SourceADError) as info:
        check(case)
    assert not isinstance(info.value, InternalError), f"{case.id}: refused as a bug of ours"
    assert info.value.hint, f"{case.id}: refused without a hint"


def test_every_refused_edge_shape_is_generated():
    assert {c.id for c in EDGE_REFUSED_CASES} == set(EDGE_REFUSED)


def test_edge_shapes_are_generated():
    labels = {c.label.rsplit("/", 1)[1] for c in EDGE_CASES}
    assert labels == {"0-d", "length-1", "empty"} and len(EDGE_CASES) > 200


# ---- float32 inputs: the rules run and agree with float64 finite differences --------------------

F32_RTOL, F32_ATOL = 2e-3, 2e-4
# target -> why its float32 version is not checked
F32_OPT_OUT = {
    np.linalg.norm: "ord=3 and friends lose too many digits in float32",
    np.cumprod: "long products lose too many digits in float32",
    np.ndarray.cumprod: "as np.cumprod",
}


def _f32_cases():
    out = []
    for case in CASES:
        floats = [i for i, a in enumerate(case.args) if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
        if not floats or case.target in F32_OPT_OUT or not callable(case.target):
            continue
        out.append(case)
    return out


F32_CASES = _f32_cases()


def _as_f32(v):
    if isinstance(v, np.ndarray) and v.dtype.kind == "f":
        return v.astype(np.float32)
    return v


@pytest.mark.parametrize("case", F32_CASES, ids=[c.id for c in F32_CASES])
def test_adjoint_on_float32(case):
    """The adjoint rule on float32 arrays agrees with the float64 finite differences."""
    rule = registry.lookup_adjoint(case.target)
    rng = rng_for(case)
    ans = call(case.target, case.args, case.kwargs)
    c = cotangent_like(ans, rng)
    args32 = [_as_f32(a) for a in case.args]
    with np.errstate(all="ignore"):
        ans32 = call(case.target, args32, case.kwargs)
        c32 = c.astype(np.complex64 if np.iscomplexobj(c) else np.float32) if isinstance(c, np.ndarray) else c
        entries = rule.fn(c32, ans32, *args32,
                          **case.kwargs)
    if len(rule.diff_params) == 1:
        entries = (entries,)
    for name, entry in zip(rule.diff_params, entries, strict=True):
        where = locate(rule, name, case.args, case.kwargs)
        if where[0] == "kwargs" and where[1] not in case.kwargs or entry is None:
            continue
        x = value_at(case, where)
        if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
            continue
        v = direction(x, rng)
        plus, minus = fd_points(case, where, v)
        fd = (vdot(c, plus) - vdot(c, minus)) / (2 * EPS)
        an = vdot(entry, v)
        assert abs(an - fd) <= F32_RTOL * max(abs(an), abs(fd)) + F32_ATOL * max(1.0, _size(c)), \
            f"float32 adjoint entry for {name}: {an}, finite differences (float64) {fd}"


def _size(c):
    """The Euclidean norm of a cotangent's leaves (complex ones by their moduli)."""
    return float(np.sqrt(sum(np.sum(np.abs(_numbers(leaf)) ** 2) for leaf in leaves(c))))


def _scipy_upcasts():
    """The SciPy part of F32_UPCASTS (none without SciPy)."""
    try:
        from scipy import special
    except ImportError:
        return {}
    return {special.betainc: "special.betaln(a, b) is float64 for Python-float a and b, and stays float64 "
                             "even against a float32 array (SciPy's type resolution picks its dd->d loop)",
            special.gammainc: "from SciPy 1.18 on, the gamma functions of its derivative promote float32 "
                              "arguments (a Python-float a) to float64"}


# target -> why its cotangent of a float32 array is float64 although NumPy keeps the result float32
F32_UPCASTS = {
    np.clip: "clip_mask is 1.0 * a boolean mask (float64)", np.ndarray.clip: "as np.clip",
    np.maximum: "tie_share divides booleans (float64)", np.minimum: "as np.maximum",
    np.fmax: "as np.maximum", np.fmin: "as np.maximum",
    np.nanmean: "divides by an integer count", np.nanvar: "as np.nanmean", np.nanstd: "as np.nanmean",
    np.power: "a float64 exponent array promotes", operator.pow: "as np.power",
    np.ldexp: "2**n of an integer array is float64", np.polyval: "np.vander/np.arange of the powers",
    np.linspace: "the float64 interpolation weights", np.logspace: "as np.linspace",
    np.gradient: "the spacing is a float64 array", runtime.gradient_of: "as np.gradient",
    runtime.norm_weight: "float64 powers", runtime.uninterp: "float64 knots",
    runtime.unpolyder: "np.arange of the powers",
    **_scipy_upcasts(),
}


def _cast_leaves(v, dtype):
    """`v` (a value or nested lists of values) with every leaf cast to `dtype`."""
    if isinstance(v, list):
        return [_cast_leaves(item, dtype) for item in v]
    return np.asarray(v, dtype=dtype) if np.ndim(v) else dtype(v)


@pytest.mark.skipif(int(np.__version__.split(".")[0]) < 2, reason="NumPy 1 promotes Python scalars by value")
@pytest.mark.parametrize("case", F32_CASES, ids=[c.id for c in F32_CASES])
def test_float32_stays_float32(case):
    """Where NumPy keeps a float32 result, the cotangent of a float32 argument is float32 too."""
    rule = registry.lookup_adjoint(case.target)
    args32 = [_as_f32(a) for a in case.args]
    with np.errstate(all="ignore"):
        ans32 = call(case.target, args32, case.kwargs)
    if case.target in F32_UPCASTS or any(np.result_type(leaf) != np.float32 for leaf in leaves(ans32)):
        return
    c = cotangent_like(ans32, rng_for(case))
    c = _cast_leaves(c, np.float32)
    with np.errstate(all="ignore"):
        entries = rule.fn(c, ans32, *args32, **case.kwargs)
    if len(rule.diff_params) == 1:
        entries = (entries,)
    for name, entry in zip(rule.diff_params, entries, strict=True):
        where = locate(rule, name, case.args, case.kwargs)
        x = args32[where[1]] if where[0] == "args" else None
        if entry is not None and isinstance(x, np.ndarray) and x.dtype == np.float32:
            assert all(np.result_type(leaf) == np.float32 for leaf in leaves(entry)), \
                f"the cotangent of float32 {name} is {[np.result_type(leaf) for leaf in leaves(entry)]}"


# ---- the table covers the registry -------------------------------------------------------------


def _builtin_rules(table):
    return {target: rule for target, rule in table.items() if rule.fn.__module__.startswith("sourcead.rules")}


def test_every_rule_has_a_case():
    covered = {id(c.target) for c in CASES}
    missing = [target_name(t) for t in {**_builtin_rules(registry._ADJOINT), **_builtin_rules(registry._TANGENT)}
               if id(t) not in covered]
    assert not missing, f"rules without a spec case: {sorted(missing)}"


def test_adjoint_and_tangent_rules_come_in_pairs():
    adjoints, tangents = _builtin_rules(registry._ADJOINT), _builtin_rules(registry._TANGENT)
    assert set(adjoints) == set(tangents)
    for target in adjoints:
        assert adjoints[target].diff_params == tangents[target].diff_params, target_name(target)


# a conditional expression on an option (a constant in the call) is folded to one branch when inlined
_ALLOWED_NODES = (ast.Return, ast.Tuple, ast.Call, ast.Attribute, ast.Subscript, ast.Slice, ast.Name,
                  ast.Constant, ast.BinOp, ast.UnaryOp, ast.Compare, ast.keyword, ast.Load, ast.IfExp,
                  ast.BoolOp, ast.operator, ast.unaryop, ast.cmpop, ast.boolop)


@pytest.mark.parametrize("fn", sorted({r.fn for t in (registry._ADJOINT, registry._TANGENT)
                                        for r in _builtin_rules(t).values()}, key=lambda f: f.__qualname__
                                       + f.__module__),
                         ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__qualname__}")
def test_rule_is_one_inlinable_return(fn):
    """Each rule body is a single return of an expression the inliner can substitute into (after
    an optional docstring stating the rule's convention)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    body = tree.body[0].body
    if ast.get_docstring(tree.body[0]) is not None:
        body = body[1:]
    assert len(body) == 1 and isinstance(body[0], ast.Return), f"{fn.__qualname__} is not one return"
    params = set(inspect.signature(fn).parameters)
    for node in ast.walk(body[0]):
        assert isinstance(node, _ALLOWED_NODES), f"{fn.__qualname__} uses {type(node).__name__}"
        if isinstance(node, ast.Name) and node.id not in params:
            assert node.id in fn.__globals__ or hasattr(builtins, node.id), \
                f"{fn.__qualname__} uses {node.id}, which its module does not define"
            assert not (node.id in fn.__globals__ and getattr(fn.__globals__[node.id], "__module__", "")
                        .startswith("sourcead.rules")), f"{fn.__qualname__} calls a rule ({node.id})"


# Helpers a rule may call without rules of their own: differentiating through them is refused by the
# compiler (no rule), which is the intended limit (third derivatives of np.linalg.norm).
_NO_RULES_ON_PURPOSE = {runtime.norm_weight_dx, runtime.norm_weight_dnorm,  # third derivatives of norm
                        runtime.cumprod_hvp, runtime.cumprod_second,  # third derivatives of cumprod
                        runtime.sinc_curvature,  # third derivatives of sinc
                        runtime.corrcoef_cov_ct, runtime.corrcoef_jvp,  # second derivatives of corrcoef
                        runtime.cond_weight}  # second derivatives of np.linalg.cond


def _resolve(node, namespace):
    if not isinstance(node, (ast.Name, ast.Attribute)):  # a method of a computed array: np.asarray(t).tolist
        return None
    if isinstance(node, ast.Name):
        return namespace.get(node.id, getattr(builtins, node.id, None))
    base = _resolve(node.value, namespace)
    return getattr(base if base is not None else np.ndarray, node.attr, None)


@pytest.mark.parametrize("fn", sorted({r.fn for t in (registry._ADJOINT, registry._TANGENT)
                                        for r in _builtin_rules(t).values()}, key=lambda f: f.__qualname__
                                       + f.__module__),
                         ids=lambda f: f"{f.__module__.rsplit('.', 1)[-1]}.{f.__qualname__}")
def test_rule_bodies_can_be_differentiated_again(fn):
    """Everything a rule body calls (or reads as an array attribute) has rules of its own."""
    ret = ast.parse(textwrap.dedent(inspect.getsource(fn))).body[0].body[-1]
    params = set(inspect.signature(fn).parameters)
    for node in ast.walk(ret):
        if isinstance(node, ast.Call):
            obj = _resolve(node.func, {} if isinstance(node.func, ast.Name) and node.func.id in params
                           else fn.__globals__)
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in params:
            obj = getattr(np.ndarray, node.attr)  # an attribute of an array value, such as ct.T
        else:
            continue
        if obj in _NO_RULES_ON_PURPOSE:
            continue
        assert registry.lookup_adjoint(obj) or registry.is_nondifferentiable(obj), \
            f"{fn.__qualname__} uses {getattr(obj, '__qualname__', obj)}, which has no rule"


# ---- nondifferentiable registrations -------------------------------------------------------------

NONDIFFERENTIABLE = [
    operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne, operator.not_,
    operator.truth, operator.floordiv, int, len, round, bool,
    math.floor, math.ceil, math.trunc, math.isnan, math.isinf, math.isfinite,
    np.sign, np.floor, np.ceil, np.round, np.around, np.trunc, np.rint, np.argmax, np.argmin,
    np.shape, np.ndim, np.size, np.zeros, np.ones, np.eye, np.identity, np.arange,
    np.empty, np.zeros_like, np.ones_like, np.empty_like, np.isnan, np.isfinite, np.isinf,
    np.less, np.less_equal, np.greater, np.greater_equal, np.equal, np.not_equal,
    np.logical_and, np.logical_or, np.logical_not, np.logical_xor, np.floor_divide,
    np.ndarray.shape, np.ndarray.ndim, np.ndarray.size, np.ndarray.argmax, np.ndarray.argmin,
    runtime.tie_share, runtime.extremum_share, runtime.clip_mask, runtime.ones_like_output,
    runtime.zeros_like_input,
]


@pytest.mark.parametrize("target", NONDIFFERENTIABLE, ids=target_name)
def test_nondifferentiable(target):
    assert registry.is_nondifferentiable(target)
    assert registry.lookup_adjoint(target) is None


# ---- conventions at non-differentiable points --------------------------------------------------


def test_maximum_splits_ties_evenly():
    rule = registry.lookup_adjoint(np.maximum).fn
    x, y = np.array([1.0, 2.0, 3.0]), np.array([1.0, 0.0, 5.0])
    dx, dy = rule(np.ones(3), np.maximum(x, y), x, y)
    np.testing.assert_array_equal(dx, [0.5, 1.0, 0.0])
    np.testing.assert_array_equal(dy, [0.5, 0.0, 1.0])


def test_builtin_max_tie_goes_to_first():
    assert registry.lookup_adjoint(max).fn(1.0, 2.0, 2.0, 2.0) == (1.0, 0.0)
    assert registry.lookup_adjoint(min).fn(1.0, 2.0, 2.0, 2.0) == (1.0, 0.0)


def test_max_reduction_shares_ties():
    rule = registry.lookup_adjoint(np.max).fn
    x = np.array([[1.0, 3.0, 3.0], [2.0, 0.0, 1.0]])
    np.testing.assert_array_equal(rule(np.array([1.0, 1.0]), x.max(axis=1), x, axis=1),
                                  [[0.0, 0.5, 0.5], [1.0, 0.0, 0.0]])


def test_abs_has_zero_derivative_at_zero():
    assert registry.lookup_adjoint(abs).fn(1.0, 0.0, 0.0) == 0.0
    assert registry.lookup_adjoint(np.absolute).fn(np.ones(2), np.zeros(2), np.zeros(2)).tolist() == [0.0, 0.0]


def test_clip_tie_goes_to_x():
    rule = registry.lookup_adjoint(np.clip).fn
    x = np.array([0.0, 1.0, 2.0])
    dx, dlo, dhi = rule(np.ones(3), np.clip(x, 0.0, 2.0), x, 0.0, 2.0)
    np.testing.assert_array_equal(dx, [1.0, 1.0, 1.0])
    assert dlo == 0.0 and dhi == 0.0


def test_pow_exponent_cotangent_is_finite_at_zero_base():
    rule = registry.lookup_adjoint(operator.pow).fn
    x, y = np.array([0.0, 2.0]), 3.0
    dx, dy = rule(np.ones(2), x ** y, x, y)
    np.testing.assert_allclose(dx, [0.0, 12.0])
    assert np.isfinite(dy) and np.isclose(dy, 8.0 * math.log(2.0))


def test_prod_is_exact_with_zeros():
    rule = registry.lookup_adjoint(np.prod).fn
    x = np.array([2.0, 0.0, 3.0])
    np.testing.assert_array_equal(rule(1.0, 0.0, x), [0.0, 6.0, 0.0])


def test_norm_of_zero_vector_has_zero_subgradient():
    rule = registry.lookup_adjoint(np.linalg.norm).fn
    np.testing.assert_array_equal(rule(1.0, 0.0, np.zeros(3)), np.zeros(3))


@pytest.mark.parametrize("ord", ["nuc", 2, -2])
def test_second_derivative_of_a_spectral_matrix_norm_is_a_clear_error(ord):
    """The weights of 'nuc', 2 and -2 come from the SVD's vectors: differentiated once, refused twice."""
    from sourcead.errors import UnsupportedCallError

    x = rnd(3, 3)
    for helper in (runtime.norm_weight_dx, runtime.norm_weight_dnorm):
        with pytest.raises(UnsupportedCallError, match=f"ord={ord!r}") as info:
            helper(x, np.linalg.norm(x, ord), ord)
        assert "compute_uv=False" in info.value.hint


def _condition_number(a):
    return np.linalg.cond(a) * 2.0


@pytest.mark.parametrize("second", ["hessian", "grad of grad"])
def test_a_second_derivative_through_a_first_order_rule_names_the_users_line(second):
    """np.linalg.cond has first-order rules only: differentiating its derivative again is refused at
    the user's call, not with a hint to register a rule for sourcead's own helper."""
    from sourcead.errors import UnsupportedCallError

    a = np.array([[2.0, 0.3], [0.1, 1.5]])
    twice = sourcead.hessian(_condition_number) if second == "hessian" else \
        sourcead.grad(lambda a: np.sum(sourcead.grad(_condition_number)(a)))
    with pytest.raises(UnsupportedCallError, match="higher-order derivative") as info:
        twice(a)
    assert "np.linalg.cond(a)" in str(info.value) and "cond_weight" in str(info.value)
    assert "register" not in info.value.hint


# ---- conventions and regressions of the NumPy rules added for the function catalogue ----------


def _ct_of(target, x, *args, **kwargs):
    ans = target(x, *args, **kwargs)
    return registry.lookup_adjoint(target).fn(np.ones(np.shape(ans)), ans, x, *args, **kwargs)


def test_power_with_a_zero_exponent_has_zero_slope_at_zero():
    """np.power(x, 0.0) at x == 0 raised ZeroDivisionError (floats) or gave NaN (arrays); x**0 is
    constant, so the derivative is 0."""
    rule = registry.lookup_adjoint(np.power).fn
    dx, _ = rule(1.0, 1.0, 0.0, 0.0)
    assert dx == 0.0
    dx, _ = rule(np.ones(3), np.ones(3), np.array([0.0, 2.0, -1.0]), 0.0)
    np.testing.assert_array_equal(dx, [0.0, 0.0, 0.0])
    t = registry.lookup_tangent(pow)
    assert tangent_entry(t, 0, 1.0, 1.0, (0.0, 0.0), {}) == 0.0


@pytest.mark.parametrize("target", [np.std, np.ndarray.std])
def test_std_of_one_element_has_zero_gradient(target):
    """np.std over an axis of length 1 (ddof=0) gave NaN; its subgradient at zero spread is 0."""
    x = np.array([[1.5], [-0.3]])
    np.testing.assert_array_equal(_ct_of(target, x, axis=1), np.zeros((2, 1)))
    np.testing.assert_array_equal(_ct_of(target, np.full(4, 2.0)), np.zeros(4))


def test_max_with_where_and_initial():
    x = np.array([[1.0, 3.0, 3.0], [0.5, 0.2, 0.1]])
    mask = np.array([[True, True, False], [True, True, True]])
    np.testing.assert_array_equal(_ct_of(np.max, x, axis=1, where=mask, initial=0.0),
                                  [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    # initial beats the second row: none of its elements gets the cotangent
    np.testing.assert_array_equal(_ct_of(np.max, x, axis=1, initial=2.0), [[0.0, 0.5, 0.5], [0.0, 0.0, 0.0]])


def test_ptp_shares_ties_between_extremes():
    x = np.array([2.0, -1.0, 2.0, -1.0, 0.0])
    np.testing.assert_array_equal(_ct_of(np.ptp, x), [0.5, -0.5, 0.5, -0.5, 0.0])


def test_sort_of_equal_values_sends_each_cotangent_to_one_of_them():
    x = np.array([1.0, 0.5, 1.0])
    rule = registry.lookup_adjoint(np.sort).fn
    np.testing.assert_array_equal(rule(np.array([10.0, 20.0, 30.0]), np.sort(x), x), [20.0, 10.0, 30.0])


def test_median_of_an_even_count_splits_between_the_middle_values():
    x = np.array([4.0, 1.0, 3.0, 2.0])
    np.testing.assert_array_equal(_ct_of(np.median, x), [0.0, 0.0, 0.5, 0.5])


def test_nan_reductions_send_nothing_to_nans():
    x = np.array([1.0, np.nan, 3.0])
    np.testing.assert_array_equal(_ct_of(np.nansum, x), [1.0, 0.0, 1.0])
    np.testing.assert_array_equal(_ct_of(np.nanmean, x), [0.5, 0.0, 0.5])
    np.testing.assert_array_equal(_ct_of(np.nanmax, x), [0.0, 0.0, 1.0])


def test_cumprod_is_exact_with_zeros():
    x = np.array([2.0, 0.0, 3.0, 0.0])
    jac = np.array([[np.prod([x[k] for k in range(j + 1) if k != i]) if i <= j else 0.0 for i in range(4)]
                    for j in range(4)])
    g = np.array([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(registry.lookup_adjoint(np.cumprod).fn(g, np.cumprod(x), x), g @ jac)


def test_interp_slope_convention_at_knots_and_outside():
    xp, fp = np.array([0.0, 1.0, 2.0]), np.array([0.0, 2.0, 3.0])
    x = np.array([-1.0, 1.0, 3.0])
    dx, _ = registry.lookup_adjoint(np.interp).fn(np.ones(3), np.interp(x, xp, fp), x, xp, fp)
    np.testing.assert_array_equal(dx, [0.0, 1.0, 0.0])  # the knot takes its right cell's slope


def test_in_place_methods_have_no_rules():
    """x.sort(), x.partition(k), x.fill(v) change x in place: they are refused, not differentiated."""
    for method in (np.ndarray.sort, np.ndarray.partition, np.ndarray.fill, np.ndarray.put, np.ndarray.resize):
        assert not registry.has_rule(method)


# Through the compiler: the bugs above, and the einsum forms that bound their operands wrongly.

_A = np.arange(12.0).reshape(3, 4) / 7.0
_B = _A[:, :3]


def _einsum_one(x):
    return np.sum(np.einsum("ij->ji", x) * _A.T)


def _einsum_sublist(x):
    return np.sum(np.einsum(x, (0, 1), (1, 0)) * _A.T)


def _einsum_three(x):
    return np.sum(np.einsum("ij,jk,kl->il", x, _B, x) ** 2)


def _einsum_optimize(x):
    return np.sum(np.einsum("ij,jk->ik", x, _B, optimize=True) ** 2)


def _std_length_one(x):
    return np.sum(np.std(x[:, :1], axis=1)) + np.sum(x)


def _power_zero(x):
    return np.sum(np.power(x, 0.0) * x)


def _vstack_one(x):
    return np.sum(np.vstack(x) ** 2)


def _hstack_one(x):
    return np.sum(np.hstack(x) ** 3)


def _numeric_grad(f, x, e=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = e
        g[i] = (f(x + d) - f(x - d)) / (2 * e)
    return g


@pytest.mark.parametrize("f", [_einsum_one, _einsum_sublist, _einsum_three, _einsum_optimize, _std_length_one,
                               _power_zero, _vstack_one, _hstack_one], ids=lambda f: f.__name__.lstrip("_"))
def test_regressions_through_the_compiler(f):
    import sourcead

    x = np.array([[0.0, 1.2, -0.7, 0.3], [0.5, -1.1, 0.9, 2.0], [1.4, 0.2, -0.6, 0.8]])
    if f in (_einsum_three, _einsum_optimize):
        x = x[:, :3]
    np.testing.assert_allclose(sourcead.grad(f)(x), _numeric_grad(f, x), rtol=1e-5, atol=1e-6)
    v = np.cos(np.arange(x.size)).reshape(x.shape)
    _, t = sourcead.jvp(f, (x,), (v,))
    np.testing.assert_allclose(t, (f(x + 1e-6 * v) - f(x - 1e-6 * v)) / 2e-6, rtol=1e-5, atol=1e-6)


def _cumprod_with_zero(x):
    return np.sum(np.cumprod(x * np.array([1.0, 0.0, 1.0]), axis=1) ** 2) + np.sum(np.cumprod(x, axis=0))


@pytest.mark.parametrize("f", [_einsum_three, _cumprod_with_zero], ids=lambda f: f.__name__.lstrip("_"))
def test_hessian_through_the_compiler(f):
    import sourcead

    x = np.array([[0.3, -1.2, 0.5], [0.8, 0.1, -0.4], [1.1, 0.6, 0.2]])
    h = sourcead.hessian(f)(x)
    g = sourcead.grad(f)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = 1e-6
        np.testing.assert_allclose(h[(...,) + i], (g(x + d) - g(x - d)) / 2e-6, rtol=1e-4, atol=1e-5)


# The new NumPy rules through the compiler (binding of keyword arguments, list results, helpers
# called from generated code): grad and jvp against central finite differences.

_W = np.array([1.0, 2.0, 0.5, 1.5])
_XP = np.array([-2.0, -0.5, 0.4, 1.1, 3.0])


def _f_median(x):
    return np.sum(np.median(x, axis=1) ** 2) + np.quantile(x, [0.2, 0.7]).sum() + np.percentile(x, 30.0)


def _f_reductions(x):
    return np.sum(np.ptp(x, axis=1) * np.cumprod(x, axis=1)[:, -1]) + np.average(x, axis=1, weights=_W).sum()


def _f_orders(x):
    return np.sum(np.sort(x, axis=0)[0] * np.partition(x.ravel(), 4)[:5].sum())


def _f_moves(x):
    a = np.pad(x, ((1, 0), (0, 2)), mode="edge") * np.roll(np.pad(x, 1), 2, axis=1)[1:]
    b = np.diff(x, prepend=0.0, axis=0) ** 2
    return np.sum(a) + np.sum(b) + np.sum(np.gradient(x)[1] ** 2)


def _f_indexing(x):
    parts = np.split(x, 2, axis=1)
    y = np.insert(np.delete(x.ravel(), [1, 5]), 2, x[0, 0]) ** 2
    return np.sum(parts[0] * parts[1]) + np.sum(y) + np.sum(np.take(x, [0, 2, 2], axis=1) ** 2) + np.sum(
        np.take_along_axis(x, np.argsort(x, axis=1), axis=1)[:, -1])


def _f_interp(x):
    return np.sum(np.interp(x[0], _XP, np.tanh(x[1:].ravel()[:5])) ** 2) + np.polyval(x[2], x[1, 0])


def _f_products(x):
    v = x.ravel()
    return (np.sum(np.convolve(v[:5], v[5:8], "same") ** 2) + np.sum(np.correlate(v, v[:3], "valid"))
            + np.sum(np.cross(x[:, :3], x[:, 1:]) ** 2) + np.sum(np.kron(x[:2, :2], x[1:, 2:]))
            + np.vdot(x, x) + np.sum(np.tensordot(x, x, axes=(0, 0)) ** 2)
            + np.sum(np.einsum(x, [0, 1], x[:, :3], [0, 2], x[0, :3], [2], [1]) ** 2))


def _f_matrices(x):
    m = x[:, :3]
    return (np.sum(np.diag(m) ** 2) + np.sum(np.tril(m) * np.triu(m, 1).T) + np.sum(np.rot90(x) * np.flipud(x.T))
            + np.sum(np.select([x > 0.5, x < -0.5], [x ** 2, -x], 0.1 * x)))


def _f_statistics(x):
    return np.sum(np.cov(x) ** 2) + np.sum(np.corrcoef(x.T, rowvar=False)) + np.sum(np.sinc(x)) + x.item(
        1, 2) * x.item(0)


@pytest.mark.parametrize("f", [_f_median, _f_reductions, _f_orders, _f_moves, _f_indexing, _f_interp, _f_products,
                               _f_matrices, _f_statistics], ids=lambda f: f.__name__.lstrip("_"))
def test_numpy_rules_through_the_compiler(f):
    import sourcead

    x = np.array([[0.31, 1.2, -0.7, 0.9], [0.57, -1.1, 0.93, 2.0], [1.4, 0.2, -0.64, 0.8]])
    np.testing.assert_allclose(sourcead.grad(f)(x), _numeric_grad(f, x), rtol=1e-5, atol=1e-6)
    v = np.cos(np.arange(x.size) * 1.3).reshape(x.shape)
    _, t = sourcead.jvp(f, (x,), (v,))
    np.testing.assert_allclose(t, (f(x + 1e-6 * v) - f(x - 1e-6 * v)) / 2e-6, rtol=1e-5, atol=1e-6)
