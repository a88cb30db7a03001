"""Seed 004 (TensorFlow GradientTape): dy/dx of x * x, the second derivative (nested tapes), and
several targets from one function (dz/dx = 4 x ** 3, dy/dx = 2 x).
Run: python examples/seed_004_gradient_tape.py
"""

import sourcead


def square(x):
    return x * x


def fourth(x):
    y = x * x
    z = y * y
    return z


print(sourcead.grad(square)(3.0))
d2 = sourcead.grad(sourcead.grad(square))
print(f"first derivative={sourcead.grad(square)(3.0)}, second derivative={d2(3.0)}")
print(f"dy/dx={sourcead.grad(square)(3.0)}, dz/dx={sourcead.grad(fourth)(3.0)}")
sourcead.show(sourcead.grad(fourth), 3.0)
sourcead.show(d2, 3.0)  # grad of grad: the derivative of generated code, generated again

sourcead.check_grad(fourth, 3.0, raise_on_mismatch=True)
sourcead.check_grad(square, 3.0, raise_on_mismatch=True)
h = 1e-5  # the second derivative against central differences of the first
assert abs(d2(3.0) - (sourcead.grad(square)(3.0 + h) - sourcead.grad(square)(3.0 - h)) / (2 * h)) < 1e-6
print("all agree with finite differences")
