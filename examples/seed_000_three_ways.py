"""Seed 000: z = (x ** 2 + 4) * y - x / y at x = 101, y = 12, three ways.

The notebook computes dz/dx and dz/dy by hand, with a forward-mode primitive library, with an
operator-overloading class and with PyTorch. With sourcead: the formula, forward mode seeded with
(dx, dy) = (1, 0) and (0, 1), and reverse mode for both at once. Run: python examples/seed_000_three_ways.py
"""

import sourcead


def z(x, y):
    return (x ** 2 + 4) * y - x / y


x, y = 101.0, 12.0
print("function is z = (x ** 2 + 4) * y - x / y")

# by the formula: dz = 2 x y dx + (x ** 2 + 4) dy - dx / y + x / y ** 2 dy
print(f"formula:      z = {z(x, y)}, dz/dx = {2 * x * y - 1 / y}, dz/dy = {x ** 2 + 4 + x / (y * y)}")

# forward mode: one pass per input direction
_, dzdx = sourcead.jvp(z, (x, y), (1.0, 0.0))
_, dzdy = sourcead.jvp(z, (x, y), (0.0, 1.0))
print(f"forward mode: dz/dx = {dzdx}, dz/dy = {dzdy}")

# reverse mode: both partial derivatives from one pass, and the value with them
value, (dzdx, dzdy) = sourcead.value_and_grad(z, wrt=(0, 1))(x, y)
print(f"reverse mode: z = {value}, dz/dx = {dzdx}, dz/dy = {dzdy}")

# the code that reverse mode ran, and the forward-mode code
sourcead.show(sourcead.grad(z, wrt=(0, 1)), x, y)
sourcead.show(z, x, y, mode="jvp")

sourcead.check_grad(z, x, y, wrt=(0, 1), raise_on_mismatch=True)
print("both agree with finite differences")
