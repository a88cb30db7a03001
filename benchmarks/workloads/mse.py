"""Mean squared error of a line fit on 100,000 points, w.r.t. the slope and the intercept."""

import numpy as np

from benchmarks.workload import Workload

POINTS = 100_000


def mse(w, b, x, y):
    r = w * x + b - y
    return np.mean(r * r)


def mse_grad_hand(w, b, x, y):
    r = w * x + b - y
    scale = 2.0 / r.shape[0]
    return scale * np.dot(r, x), scale * np.sum(r)


def mse_args(small):
    rng = np.random.RandomState(1)
    n = 50 if small else POINTS
    x = rng.normal(size=n)
    return 0.5, -0.2, x, 1.7 * x - 0.3 + 0.1 * rng.normal(size=n)


def mse_torch(torch):
    def mse_t(w, b, x, y):
        r = w * x + b - y
        return torch.mean(r * r)
    return mse_t


WORKLOAD = Workload(
    name="mse", title=f"MSE of a line fit, {POINTS:,} points, d/dslope, d/dintercept",
    primal=mse, hand=mse_grad_hand, wrt=(0, 1), make_args=mse_args, goal=1.1, torch=mse_torch,
)
