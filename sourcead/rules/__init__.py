"""The derivative-rule tables. Importing this package registers every built-in rule.

One module per domain: `arith` (Python operators and builtins), `math_` (the math module),
`numpy_` (NumPy), `linalg` (numpy.linalg), `runtime_` (the helpers generated derivatives call, for higher order).
"""

from . import arith, linalg, math_, numpy_, runtime_

__all__ = ["arith", "linalg", "math_", "numpy_", "runtime_"]
