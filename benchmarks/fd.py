"""Central finite differences, the check every hand-written gradient passes before timing.

For a float argument: (f(x+h) - f(x-h)) / 2h, or the second difference for `order=2`. For an
array argument: the directional derivative along a random unit direction v, compared with
<gradient, v>, plus `coords` single coordinates (all of them when coords is None). The check
raises `FiniteDifferenceMismatch` naming the argument and both numbers; it never passes silently.
"""

from __future__ import annotations

import numpy as np

RTOL = 1e-5


class FiniteDifferenceMismatch(AssertionError):
    pass


def as_list(g, n: int) -> list:
    """A gradient as a list of n arrays or floats (a tuple for several wrt, else one value)."""
    return list(g) if n > 1 else [g]


def objective(workload):
    """The scalar function the gradient is of: the primal, or the sum of its result."""
    if not workload.sum_output:
        return workload.primal
    return lambda *args: np.sum(workload.primal(*args))


def _close(numeric: float, analytic: float, scale: float) -> bool:
    return abs(numeric - analytic) <= RTOL * max(abs(numeric), abs(analytic)) + 1e-8 * scale


def _shifted(args, i, delta):
    new = list(args)
    new[i] = args[i] + delta
    return new


def _first(f, args, i, direction, h) -> float:
    return (f(*_shifted(args, i, h * direction)) - f(*_shifted(args, i, -h * direction))) / (2 * h)


def _second(f, args, i, h) -> float:
    return (f(*_shifted(args, i, h)) - 2 * f(*args) + f(*_shifted(args, i, -h))) / (h * h)


def check(workload, args, coords: int | None = 3, seed: int = 0) -> None:
    """Check workload.hand(*args) against central differences of workload.primal; raise on a mismatch."""
    f, wrt = objective(workload), workload.wrt
    grads = as_list(workload.hand(*args), len(wrt))
    scale = max(1.0, abs(float(f(*args))))
    rng = np.random.RandomState(seed)
    for i, g in zip(wrt, grads, strict=True):
        x = args[i]
        if np.ndim(x) == 0:
            h = (1e-4 if workload.order == 2 else 1e-6) * max(1.0, abs(x))
            numeric = _second(f, args, i, h) if workload.order == 2 else _first(f, args, i, 1.0, h)
            _require(workload, i, "", numeric, float(g), scale * (1e4 if workload.order == 2 else 1.0))
            continue
        if np.shape(g) != np.shape(x):
            raise FiniteDifferenceMismatch(f"{workload.name}: gradient of argument {i} has shape "
                                           f"{np.shape(g)}, the argument {np.shape(x)}")
        v = rng.normal(size=x.shape)
        v /= np.linalg.norm(v)
        h = 1e-6 * max(1.0, float(np.max(np.abs(x))))
        _require(workload, i, " along a random direction", _first(f, args, i, v, h), float(np.sum(g * v)), scale)
        flat = range(x.size) if coords is None else rng.choice(x.size, size=min(coords, x.size), replace=False)
        for j in flat:
            e = np.zeros(x.size)
            e[j] = 1.0
            _require(workload, i, f" at flat index {j}", _first(f, args, i, e.reshape(x.shape), h),
                     float(g.reshape(-1)[j]), scale)


def _require(workload, i, where, numeric, analytic, scale) -> None:
    if not _close(numeric, analytic, scale):
        raise FiniteDifferenceMismatch(f"{workload.name}: hand-written gradient of argument {i}{where} is "
                                       f"{analytic!r}, central differences give {numeric!r}")
