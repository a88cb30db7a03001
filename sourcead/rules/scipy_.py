"""All of the SciPy rule tables at once (the spec tests import this).

``import sourcead`` never imports SciPy. The registry imports one of these modules the first time
it looks up an object of its SciPy subpackage (a function or ufunc of scipy.special, a function
of scipy.linalg, a method of a scipy.stats object such as ``scipy.stats.norm.logpdf``) and finds
no rule, so that a program using scipy.special alone never imports scipy.stats.
"""

from __future__ import annotations

from . import scipy_linalg, scipy_special, scipy_stats

__all__ = ["scipy_linalg", "scipy_special", "scipy_stats"]
