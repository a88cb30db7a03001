"""The second derivative of a scalar polynomial, as grad of grad:
p(x) = 0.5 x**4 - 3 x**3 + 2 x**2 - x + 1, p''(x) = 6 x**2 - 18 x + 4."""

from benchmarks.workload import Workload


def quartic(x):
    return 0.5 * x ** 4 - 3 * x ** 3 + 2 * x ** 2 - x + 1


def quartic_second_hand(x):
    return (6.0 * x - 18.0) * x + 4.0


WORKLOAD = Workload(
    name="second_derivative", title="second derivative (grad of grad) of 0.5x^4 - 3x^3 + 2x^2 - x + 1 on a float",
    primal=quartic, hand=quartic_second_hand, wrt=(0,), order=2, make_args=lambda small: (1.3,), goal=5.0,
    torch=lambda torch: quartic,
)
