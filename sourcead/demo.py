"""The seed examples: what `sourcead demo` (`python -m sourcead demo`) differentiates and prints.

Each is a plain function, as a user writes it; `run()` shows the derivative sourcead generates
for it and checks the values against central finite differences (exit status 1 if any disagrees).
"""

import inspect
import math

import numpy as np


def seed_poly(x, y):
    """Seed 000: z = (x ** 2 + 4) * y - x / y."""
    return (x ** 2 + 4) * y - x / y


def mx_square(x):
    """Seed 001 (MXNet): 2 * x * x on a matrix."""
    return x * x * 2


def mx_control(a):
    """Seed 001 (MXNet): a loop and a branch that depend on the input."""
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


A, B, C = 1, -2, 1


def quadratic(x):
    """Seed 002 (PyTorch): a * x ** 2 + b * x + c."""
    return A * x ** 2 + B * x + C


def linreg_loss(w, b, X, Y):
    """Seed 002 (PyTorch): the mean squared error of a linear regression."""
    Y_hat = X @ w.T + b
    return np.mean((Y - Y_hat) ** 2)


def mse(w, b, x, y_true):
    """Seed 003: the MSE loss of a line."""
    y_pred = w * x + b
    return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]


def sin_chain(x):
    """Seed 003: the chain rule on sin(x ** 2 + 1)."""
    return np.sin(x ** 2 + 1).sum()


def fourth(x):
    """Seed 004 (TensorFlow): z = y * y with y = x * x."""
    y = x * x
    z = y * y
    return z


def sin_loop(x, n=1000):
    """A scalar loop: y = sin(y) * x + 0.1, n times."""
    y = x
    for i in range(n):
        y = math.sin(y) * x + 0.1
    return y


def newton_sqrt(a):
    """Newton's method for sqrt(a), with a tolerance-driven while loop."""
    x = a
    while abs(x * x - a) > 1e-12 * a:
        x = 0.5 * (x + a / x)
    return x


EXAMPLES = [
    ("seed 000: z = (x ** 2 + 4) * y - x / y, both gradients", seed_poly, (101.0, 12.0), (0, 1)),
    ("seed 001: the MXNet example, a while and an if that depend on the input", mx_control,
     (np.array([0.3, -0.2, 0.5]),), 0),
    ("seed 001: 2 * x * x on a matrix (the gradient of the sum of a non-scalar result)", mx_square,
     (np.array([[1.0, 2.0], [3.0, 4.0]]),), 0),
    ("seed 002: a quadratic with module-level coefficients", quadratic, (0.0,), 0),
    ("seed 002: a linear regression loss", linreg_loss,
     (np.array([[3.0, 1.0]]), np.array([[3.0]]), np.random.RandomState(0).randn(10, 2),
      np.random.RandomState(1).randn(10, 1)), (0, 1)),
    ("seed 003: the MSE loss of a line", mse, (1.0, 0.0, np.arange(10.0, 20.0), np.arange(12.0, 22.0)), (0, 1)),
    ("seed 003: the chain rule on sin(x ** 2 + 1)", sin_chain, (np.array([1.2, 0.53, 0.414, 0.841]),), 0),
    ("seed 004: z = y * y, y = x * x", fourth, (3.0,), 0),
    ("a scalar loop, 1000 iterations", sin_loop, (0.5,), 0),
    ("Newton's method with a tolerance-driven while", newton_sqrt, (2.0,), 0),
]


def _fmt(v) -> str:
    return np.array2string(np.asarray(v), precision=6, suppress_small=True) if np.ndim(v) else f"{float(v):.10g}"


def run() -> int:
    """Print each example's derivative and its values next to finite differences; 0 if all agree."""
    import sourcead
    from sourcead.check import numeric_gradient

    worst = 0.0
    for title, f, args, wrt in EXAMPLES:
        df = sourcead.grad(f, wrt=wrt)
        got = df(*args)
        print("=" * 78, title, "-" * 78, sep="\n")
        sourcead.show(df, *args)
        got_t = got if isinstance(wrt, tuple) else (got,)
        wrt_t = wrt if isinstance(wrt, tuple) else (wrt,)
        for g, i in zip(got_t, wrt_t):
            fd = numeric_gradient(f, list(args), i)
            err = float(np.max(np.abs(np.asarray(g) - fd) / (1.0 + np.abs(fd))))
            worst = max(worst, err)
            name = list(inspect.signature(f).parameters)[i]
            print(f"d/d{name} = {_fmt(g)}    finite differences: {_fmt(fd)}")
    print("=" * 78)
    _, t = sourcead.jvp(seed_poly, (101.0, 12.0), (1.0, 0.0))
    print(f"forward mode, seed 000: dz/dx = {t:.10g};  second derivative of x**2 - 2x + 1: "
          f"{sourcead.grad(sourcead.grad(quadratic))(0.0):.10g}")
    ok = worst < 1e-5
    print(f"all derivatives agree with finite differences: {'yes' if ok else 'NO'} (worst relative error {worst:.1e})")
    return 0 if ok else 1
