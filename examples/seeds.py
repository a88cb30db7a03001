"""The seed notebooks' computations, with sourcead: run `python examples/seeds.py`."""

import numpy as np

import sourcead


def z(x, y):
    return (x ** 2 + 4) * y - x / y


# by reverse mode, both partial derivatives at once
dzdx, dzdy = sourcead.grad(z, wrt=(0, 1))(101.0, 12.0)
print("reverse mode:", dzdx, dzdy)

# by forward mode, seeding (dx, dy) = (1, 0) then (0, 1)
_, dzdx = sourcead.jvp(z, (101.0, 12.0), (1.0, 0.0))
_, dzdy = sourcead.jvp(z, (101.0, 12.0), (0.0, 1.0))
print("forward mode:", dzdx, dzdy)


def f(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


a = np.random.RandomState(0).normal(size=3)
print("control flow:", sourcead.grad(f)(a), "== f(a) / a:", f(a) / a)


def square(x):
    return x * x


print("second derivative of x * x:", sourcead.grad(sourcead.grad(square))(3.0))
sourcead.show(sourcead.grad(f), a)
