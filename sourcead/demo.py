"""The seed examples: what `python -m sourcead demo` differentiates and prints.

Each is a plain function, as a user writes it; the demo shows the derivative sourcead generates
for it and checks the values against central finite differences.
"""

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
