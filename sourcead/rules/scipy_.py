"""The SciPy rule tables, loaded on first use.

``import sourcead`` never imports SciPy. The registry imports this module the first time it looks
up an object that belongs to SciPy (a function or ufunc of scipy.*, or a method of a SciPy
object such as ``scipy.stats.norm.logpdf``) and finds no rule, which registers every rule below.
"""

from __future__ import annotations

from . import scipy_linalg, scipy_special, scipy_stats

__all__ = ["scipy_linalg", "scipy_special", "scipy_stats"]
