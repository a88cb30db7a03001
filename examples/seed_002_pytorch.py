"""Seed 002 (PyTorch autograd): scalar and non-scalar derivatives, first and second order,
several inputs and outputs, SGD on a quadratic, a linear regression loss.
Run: python examples/seed_002_pytorch.py
"""

import numpy as np

import sourcead

a, b, c = 1, -2, 1


def y(x):
    return a * x ** 2 + b * x + c


print("dy/dx at 0:", sourcead.grad(y)(0.0))
x = np.array([[0.0, 0.0], [1.0, 2.0]])
print("non-scalar, the gradient of the sum:", sourcead.grad(y)(x).tolist())
print("first derivative:", sourcead.grad(y)(0.0), " second derivative:", sourcead.grad(sourcead.grad(y))(0.0))


def y1(x1, x2):
    return x1 * x2


def y2(x1, x2):
    return x1 + x2


def y12(x1, x2):
    return y1(x1, x2) + y2(x1, x2)  # several outputs: their gradients add up


print("dy1/dx1, dy1/dx2:", sourcead.grad(y1, wrt=(0, 1))(1.0, 2.0))
print("dy2/dx1, dy2/dx2:", sourcead.grad(y2, wrt=(0, 1))(1.0, 2.0))
print("d(y1 + y2)/dx1:", sourcead.grad(y12, wrt=(0, 1))(1.0, 2.0)[0])

# SGD: 500 steps of x -= 0.01 * dy/dx
dy = sourcead.grad(y)
x_opt = 0.0
for epoch in range(500):
    x_opt -= 0.01 * dy(x_opt)
print(f"minimum: y = {y(x_opt):.6f} at x = {x_opt:.4f}")
assert abs(x_opt - 1.0) < 1e-4


def linreg_loss(w, b, X, Y):
    Y_hat = X @ w.T + b
    return np.mean((Y - Y_hat) ** 2)


rs = np.random.RandomState(0)
w, b0, X, Y = np.array([[3.0, 1.0]]), np.array([[3.0]]), rs.randn(10, 2), rs.randn(10, 1)
loss, (dw, db) = sourcead.value_and_grad(linreg_loss, wrt=(0, 1))(w, b0, X, Y)
print("loss:", round(loss, 4), "dloss/dw:", dw.round(4).tolist(), "dloss/db:", db.round(4).tolist())
sourcead.show(sourcead.grad(linreg_loss, wrt=(0, 1)), w, b0, X, Y)

sourcead.check_grad(linreg_loss, w, b0, X, Y, wrt=(0, 1), raise_on_mismatch=True)
sourcead.check_grad(y12, 1.0, 2.0, wrt=(0, 1), raise_on_mismatch=True)
print("all agree with finite differences")
