"""sourcead: automatic differentiation of Python functions by source transformation.

    import sourcead

    @sourcead.grad
    def f(x):
        return x ** 2 + 4

    f(3.0)                  # 6.0
    sourcead.show(f)        # the generated derivative, as Python source
"""

from . import rules as _rules  # noqa: F401  (importing it registers the derivative rules)
from .rules.registry import adjoint, nondifferentiable, tangent
from .api import Derivative, grad, hessian, hvp, jacobian, jvp, show, source, ssa, stages, value_and_grad, vjp
from .errors import (InternalError, NonDifferentiableError, RuleError, SourceADError, SourceUnavailableError,
                     UnboundNameError, UnsupportedCallError, UnsupportedSyntaxError, UsageError)
from .api import check_grad
from .check import GradientCheckError

__version__ = "0.1.0"

__all__ = [
    "grad", "value_and_grad", "vjp", "jvp", "hessian", "hvp", "jacobian", "source", "show", "ssa", "stages",
    "Derivative", "check_grad", "GradientCheckError",
    "adjoint", "tangent", "nondifferentiable",
    "SourceADError", "UnsupportedSyntaxError", "UnsupportedCallError", "SourceUnavailableError",
    "NonDifferentiableError", "UsageError", "RuleError", "UnboundNameError", "InternalError",
]
