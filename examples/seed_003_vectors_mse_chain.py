"""Seed 003 (PyTorch): gradients of a sum over vectors against the analytic formula, the
gradient of an MSE loss with respect to w and b, and the chain rule on sin(x ** 2 + 1).
Run: python examples/seed_003_vectors_mse_chain.py
"""

import numpy as np

import sourcead


def f(x, y, z):
    return (x ** 2 + y ** 2 + z ** 2 + 2 * x * y * z).sum()


x, y, z = np.array([2.0, 3.0]), np.array([4.0, 5.0]), np.array([6.0, 7.0])
dx, dy, dz = sourcead.grad(f, wrt=(0, 1, 2))(x, y, z)
print(f"df/dx = {dx}, df/dy = {dy}, df/dz = {dz}")
print(f"analytic: {2 * x + 2 * y * z}, {2 * y + 2 * x * z}, {2 * z + 2 * x * y}")


def mse(w, b, x, y_true):
    y_pred = w * x + b
    return ((y_pred - y_true) ** 2).sum() / y_true.shape[0]


xs, y_true = np.arange(10.0, 20.0), np.arange(12.0, 22.0)
loss, (dw, db) = sourcead.value_and_grad(mse, wrt=(0, 1))(1.0, 0.0, xs, y_true)
print(f"MSE: {loss}, gradient w: {dw}, gradient b: {db}")
sourcead.show(sourcead.grad(mse, wrt=(0, 1)), 1.0, 0.0, xs, y_true)


def g(x):
    return np.sin(x ** 2 + 1).sum()


x4 = np.array([12.0, 53.2, 41.4, 84.1])
print("analytic:", 2 * x4 * np.cos(x4 ** 2 + 1))
print("sourcead:", sourcead.grad(g)(x4))

sourcead.check_grad(f, x, y, z, wrt=(0, 1, 2), raise_on_mismatch=True)
sourcead.check_grad(mse, 1.0, 0.0, xs, y_true, wrt=(0, 1), raise_on_mismatch=True)
sourcead.check_grad(g, np.array([1.2, 0.53, 0.414, 0.841]), raise_on_mismatch=True)
print("all agree with finite differences")
