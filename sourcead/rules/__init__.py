"""The derivative-rule tables. Importing this package registers every built-in rule.

One module per domain: `arith` (Python operators and builtins), `math_` (the math module),
`numpy_` (NumPy), `numpy_surface` (the rest of NumPy's surface: grids, blocks, NaN order
statistics, singular values), `linalg` (numpy.linalg), `containers` (lists and tuples with + and
*), `complex_` (np.imag, np.angle, complex(), and which rules hold for complex operands),
`fft` (np.fft), `mutation` (writes into arrays and lists), `pytrees_` (dataclass fields),
`runtime_` (the helpers generated derivatives call, for higher order). The SciPy rules
(`scipy_linalg`, `scipy_special`, `scipy_stats`) are registered when a lookup first meets a SciPy
object.
"""

from . import arith, complex_, containers, fft, linalg, math_, mutation, numpy_, numpy_surface, pytrees_, runtime_

__all__ = ["arith", "complex_", "containers", "fft", "linalg", "math_", "mutation", "numpy_", "numpy_surface",
           "pytrees_", "runtime_"]
