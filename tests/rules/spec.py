"""The spec-table vocabulary shared by `test_rules.py` and the `cases_*.py` modules beside it.

A case is one call ``target(*args, **kwargs)`` of a function that has rules; `test_rules.py` checks
each rule against central finite differences on it. A domain's cases live in a module of their own
(``cases_linalg.py``, ...) that defines ``CASES``, a list of `C(...)`; `test_rules.py` collects them.
"""

from __future__ import annotations

import numpy as np

EPS = 1e-6
RTOL = 1e-6
ATOL = 1e-7

_rng = np.random.default_rng(20240601)


def rnd(*shape):
    """Standard normal values (a Python float when no shape is given)."""
    return float(_rng.standard_normal()) if not shape else _rng.standard_normal(shape)


def pos(*shape):
    """Values in [0.5, 2): positive and away from 0 and 1."""
    return float(_rng.uniform(0.5, 2.0)) if not shape else _rng.uniform(0.5, 2.0, shape)


def unit(*shape):
    """Values in (-0.8, 0.8): inside the domain of arcsin, arccos, arctanh."""
    return float(_rng.uniform(-0.8, 0.8)) if not shape else _rng.uniform(-0.8, 0.8, shape)


def big(*shape):
    """Values in [1.5, 3): inside the domain of arccosh."""
    return float(_rng.uniform(1.5, 3.0)) if not shape else _rng.uniform(1.5, 3.0, shape)


def frac(*shape):
    """Values whose fractional part is in [0.2, 0.8]: casts and floors are locally constant."""
    return _rng.integers(-3, 3, shape) + _rng.uniform(0.2, 0.8, shape)


class Case:
    def __init__(self, label, target, args, kwargs):
        self.label, self.target, self.args, self.kwargs = label, target, args, kwargs

    @property
    def id(self):
        return f"{target_name(self.target)}[{self.label}]"


def C(label, target, *args, **kwargs):
    return Case(label, target, args, kwargs)


def target_name(target):
    if isinstance(target, np.ufunc):
        return "np." + target.__name__
    qual = getattr(target, "__qualname__", None) or getattr(target, "__name__", repr(target))
    module = getattr(target, "__module__", None)
    if module is None and qual.startswith("ndarray."):
        return qual
    prefix = {"numpy": "np.", "numpy.linalg": "np.linalg.", "math": "math.", "_operator": "operator.",
              "builtins": "", "sourcead.runtime": "runtime."}.get(module, (module or "") + ".")
    return prefix + qual


def _unary(targets, make, *shapes):
    out = []
    for target in targets:
        out.append(C("scalar", target, make()))
        for shape in shapes:
            out.append(C("x" + "x".join(map(str, shape)), target, make(*shape)))
    return out


def _binary(targets, make_x, make_y=None):
    make_y = make_y or make_x
    out = []
    for target in targets:
        out += [C("scalars", target, make_x(), make_y()),
                C("(3,1)-(4,)", target, make_x(3, 1), make_y(4)),
                C("scalar-(2,3)", target, make_x(), make_y(2, 3)),
                C("(2,3)-scalar", target, make_x(2, 3), make_y())]
    return out


def _reductions(target, make, **extra):
    x = make(3, 4, 5)
    return [C("all", target, x, **extra),
            C("axis0", target, x, axis=0, **extra),
            C("axis-1-keep", target, x, axis=-1, keepdims=True, **extra),
            C("axes(0,2)", target, x, axis=(0, 2), **extra),
            C("all-keep", target, make(3, 4), keepdims=True, **extra),
            C("1d", target, make(6), **extra)]
