"""Seed 001 (MXNet autograd): 2 * x * x on a matrix, a function whose loop and branch depend on
its input, and a head gradient. Run: python examples/seed_001_mxnet.py
"""

import numpy as np

import sourcead


def f_square(x):
    return x * x * 2


x = np.array([[1.0, 2.0], [3.0, 4.0]])
# a non-scalar result: its gradient is the gradient of its sum, as z.backward() in MXNet
print("x.grad:", sourcead.grad(f_square)(x).tolist(), "== 4 * x:", (4 * x).tolist())


def f(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


# f(a) = k * a where k depends on which path ran, so df/da = f(a) / a
a = np.random.RandomState(0).normal(size=3)
grad_a = sourcead.grad(f)(a)
print("a.grad:", grad_a, "f(a) / a:", f(a) / a)
assert np.allclose(grad_a, f(a) / a)
sourcead.show(sourcead.grad(f), a)


def chain(x):
    y = x * 2
    z = y * x
    return z


# a head gradient: z.backward(head) is a vector-Jacobian product with the cotangent `head`
head = np.array([[10.0, 1.0], [0.1, 0.01]])
_, pullback = sourcead.vjp(chain, x)
(grad_x,) = pullback(head)
print("x.grad with a head gradient:", grad_x.tolist(), "== head * 4 * x:", (head * 4 * x).tolist())
assert np.allclose(grad_x, head * 4 * x)

for fn, arg in ((f_square, x), (f, a), (chain, x)):
    sourcead.check_grad(fn, arg, raise_on_mismatch=True)
print("all agree with finite differences")
