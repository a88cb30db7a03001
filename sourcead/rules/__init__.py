"""The derivative-rule tables. Importing this package registers every built-in rule.

One module per domain: `arith` (Python operators and builtins), `math_` (the math module),
`numpy_` (NumPy), `linalg` (numpy.linalg), `containers` (lists and tuples with + and *),
`pytrees_` (dataclass fields), `runtime_`
(the helpers generated derivatives call, for higher order). The SciPy rules (`scipy_linalg`,
`scipy_special`, `scipy_stats`) are registered when a lookup first meets a SciPy object.
"""

from . import arith, containers, linalg, math_, numpy_, pytrees_, runtime_

__all__ = ["arith", "containers", "linalg", "math_", "numpy_", "pytrees_", "runtime_"]
