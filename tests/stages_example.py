"""The function docs/architecture.md follows through every stage (tests/test_architecture_doc.py)."""

import math


def damped(x, n=3):
    y = x
    for i in range(n):
        y = y + math.sin(y) * x
    if 0.0 < y < 10.0:
        y = y * 2
    return y
