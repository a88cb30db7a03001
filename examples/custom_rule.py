"""Registering a derivative rule for a function sourcead cannot read: `python examples/custom_rule.py`."""

import numpy as np

import sourcead


def loss(x):
    return np.sum(np.sinc(x) ** 2)


try:
    sourcead.grad(loss)(np.array([0.3, 0.7]))
except sourcead.UnsupportedCallError as err:
    print(err, end="\n\n")


def dsinc(x):
    px = np.pi * x
    return np.where(x == 0, 0.0, (np.cos(px) * px - np.sin(px)) / (px * x + (x == 0)))


@sourcead.adjoint(np.sinc)
def sinc_adjoint(ct, ans, x):
    return ct * dsinc(x)


@sourcead.tangent(np.sinc)
def sinc_tangent(t, ans, x):
    return t * dsinc(x)


sourcead.nondifferentiable(dsinc)  # only the first derivative is needed here

x = np.array([0.3, 0.7])
print("gradient:", sourcead.grad(loss)(x))
print("check:   ", 2 * np.sinc(x) * dsinc(x))
sourcead.show(sourcead.grad(loss), x)
