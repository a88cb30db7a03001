"""The seed polynomial on floats: f(x, y) = (x**2 + 4) * y - x / y, gradient w.r.t. x and y."""

from benchmarks.workload import Workload


def poly(x, y):
    return (x ** 2 + 4) * y - x / y


def poly_grad_hand(x, y):
    return 2.0 * x * y - 1.0 / y, x * x + 4.0 + x / (y * y)


WORKLOAD = Workload(
    name="poly", title="seed polynomial (x**2 + 4) * y - x / y on floats, d/dx and d/dy",
    primal=poly, hand=poly_grad_hand, wrt=(0, 1), make_args=lambda small: (1.5, -0.7), goal=3.0,
    torch=lambda torch: poly,
)
