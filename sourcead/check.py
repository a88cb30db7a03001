"""check: compare a gradient sourcead generates with central finite differences.

`check_grad(f, *args, wrt=...)` differentiates `f` with `sourcead.grad`, estimates the same
gradient by central differences (step ``eps * max(1, |x|)`` per element, in float64), and returns a
`GradientCheck`: one row per differentiated argument with both values and the largest absolute and
relative errors (relative to ``max(|finite difference|, atol / rtol)``, so that values near zero
are compared absolutely). It prints as a table. With ``raise_on_mismatch=True`` a disagreement raises
`GradientCheckError` (a `SourceADError`) whose message is that table.

A non-scalar result is summed, as `grad` does. Finite differences are only an estimate: at a kink
(abs, max, a branch boundary) or with a step too large for the function's curvature they disagree
with the exact derivative, and the report says how much, not who is wrong.
"""

from __future__ import annotations

import dataclasses
import inspect

import numpy as np

from .errors import SourceADError


class GradientCheckError(SourceADError):
    """A gradient disagrees with finite differences beyond the tolerances asked for."""


@dataclasses.dataclass(frozen=True)
class ArgumentCheck:
    """The check of one argument: sourcead's gradient, the finite-difference one, and the errors."""

    name: str
    shape: tuple
    analytic: object
    numeric: object
    max_abs_error: float
    max_rel_error: float
    ok: bool


@dataclasses.dataclass(frozen=True)
class GradientCheck:
    """A per-argument report; true when every argument agrees (``bool(report)``)."""

    function: str
    rows: tuple
    eps: float
    rtol: float
    atol: float

    @property
    def ok(self) -> bool:
        return all(row.ok for row in self.rows)

    def __bool__(self) -> bool:
        return self.ok

    def __str__(self) -> str:
        head = (f"gradient check of {self.function}: sourcead against central differences "
                f"(eps={self.eps:g}; ok when |error| <= {self.atol:g} + {self.rtol:g} * |finite difference|)")
        table = [("argument", "shape", "sourcead", "finite differences", "max abs error", "max rel error", "ok")]
        for row in self.rows:
            table.append((row.name, _shape(row.shape), _value(row.analytic), _value(row.numeric),
                          f"{row.max_abs_error:.2e}", f"{row.max_rel_error:.2e}", "yes" if row.ok else "NO"))
        widths = [max(len(r[i]) for r in table) for i in range(len(table[0]))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in table]
        return "\n".join([head] + lines)

    __repr__ = __str__


def _shape(shape: tuple) -> str:
    return "scalar" if shape == () else "x".join(str(n) for n in shape)


def _value(v) -> str:
    a = np.asarray(v, dtype=float)
    if a.ndim == 0:
        return f"{float(a):.10g}"
    if a.size <= 3:
        return np.array2string(a.ravel(), precision=6, separator=", ")
    return f"norm {float(np.linalg.norm(a)):.6g}"


def numeric_gradient(f, args: list, i: int, eps: float = 1e-6):
    """Central differences of ``sum(f(*args))`` in argument `i` (a float or a float array)."""
    x = np.asarray(args[i], dtype=float)
    g = np.zeros(x.shape)
    for k in np.ndindex(x.shape):
        h = eps * max(1.0, abs(float(x[k])))
        plus, minus = x.copy(), x.copy()
        plus[k] += h
        minus[k] -= h
        hi, lo = list(args), list(args)
        hi[i], lo[i] = (plus, minus) if x.ndim else (float(plus), float(minus))
        g[k] = (float(np.sum(f(*hi))) - float(np.sum(f(*lo)))) / (2 * h)
    return g if x.ndim else float(g)


def compare(df, args, eps: float = 1e-6, rtol: float = 1e-5, atol: float = 1e-7) -> GradientCheck:
    """`df` (a gradient, `sourcead.grad(f, wrt)`) at `args` against central finite differences of
    its function, argument by argument."""
    params = list(inspect.signature(df.f).parameters)
    full = df.bound.args(list(args), {})
    full = [_as_float(a) if i in df.wrt else a for i, a in enumerate(full)]
    got = df(*full)
    got = got if df.several else (got,)
    rows = []
    for i, g in zip(df.wrt, got, strict=True):
        fd = numeric_gradient(df.f, full, i, eps)
        err = np.abs(np.asarray(g, dtype=float) - np.asarray(fd, dtype=float))
        rel = err / np.maximum(np.abs(fd), atol / rtol if rtol > 0 else 1.0)  # <= rtol about when ok
        ok = bool(np.all(err <= atol + rtol * np.abs(fd)))
        rows.append(ArgumentCheck(params[i], np.shape(full[i]), g, fd, float(np.max(err, initial=0.0)),
                                  float(np.max(rel, initial=0.0)), ok))
    return GradientCheck(getattr(df.f, "__qualname__", "f"), tuple(rows), eps, rtol, atol)


def mismatch(report: GradientCheck) -> GradientCheckError:
    return GradientCheckError(
        "the gradient disagrees with finite differences\n" + str(report),
        hint="at a kink (abs, max, a branch on the input) finite differences are not the derivative; "
             "elsewhere this is a bug in sourcead or in a custom rule: please report it with "
             "sourcead.show(sourcead.grad(f), *args)")


def _as_float(a):
    if isinstance(a, np.ndarray):
        return a.astype(float) if a.dtype.kind in "biu" else a
    if isinstance(a, (int, np.integer)) and not isinstance(a, bool):
        return float(a)
    return a
