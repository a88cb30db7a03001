"""The errors sourcead raises.

Every error a user can cause is a `SourceADError` subclass whose message locates the problem in the
user's own file (path, line, the line itself with a caret under the construct), says what is not
supported and what to write instead. A fault of sourcead's own is an `InternalError`, which says so.
"""

from __future__ import annotations

import dataclasses
import sys


@dataclasses.dataclass(frozen=True)
class Loc:
    """A place in the user's source: real file, 1-based line, 0-based column, the line's text."""

    filename: str
    line: int
    col: int = 0
    text: str = ""
    function: str = ""

    def render(self) -> str:
        where = f'File "{self.filename}", line {self.line}'
        if self.function:
            where += f", in {self.function}"
        if not self.text:
            return where
        stripped = self.text.rstrip()
        indent = len(stripped) - len(stripped.lstrip())
        caret = " " * max(self.col - indent, 0) + "^"
        return f"{where}\n    {stripped.lstrip()}\n    {caret}"


# generated file name -> {line of that file: the user's Loc its statement comes from}; filled by
# backend/compile.py, read when an error raised inside a derivative does not say where it is
GENERATED_LINES = {}


def _running_derivative() -> Loc | None:
    """The user's line behind the innermost statement of a generated derivative that is running."""
    frame = sys._getframe(2)
    while frame is not None:
        lines = GENERATED_LINES.get(frame.f_code.co_filename)
        if lines is not None:
            return lines.get(frame.f_lineno)
        frame = frame.f_back
    return None


class SourceADError(Exception):
    """Base class of everything sourcead raises on purpose. Raised without a location from inside
    a running derivative (by a runtime helper), it takes the user's line that statement comes from."""

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None):
        self.message = message
        self.loc = loc if loc is not None else _running_derivative()
        self.hint = hint
        super().__init__(self._format())

    def _format(self) -> str:
        parts = []
        if self.loc is not None:
            parts.append(self.loc.render())
        parts.append(self.message)
        if self.hint:
            parts.append("hint: " + self.hint)
        return "\n".join(parts)


class SourceUnavailableError(SourceADError):
    """The function's source cannot be read (a builtin, a lambda typed at a prompt, a C function)."""


class UnsupportedSyntaxError(SourceADError):
    """A Python construct that sourcead does not differentiate (yet)."""


class UnsupportedCallError(SourceADError):
    """A call to something with neither a derivative rule nor Python source to differentiate."""


class NonDifferentiableError(SourceADError):
    """The requested derivative does not exist (e.g. with respect to an integer-valued output)."""


class UsageError(SourceADError):
    """The API was called in a way that cannot work (bad wrt, wrong number of arguments...)."""


class RuleError(SourceADError):
    """A user-registered rule is malformed."""


class InternalError(SourceADError):
    """A bug in sourcead. The message asks for a report."""

    def __init__(self, message: str, loc: Loc | None = None, hint: str | None = None):
        hint = hint or (
            "this is a bug in sourcead, not in your code; please report it with the output of "
            "sourcead.ssa(f) and the call that failed"
        )
        super().__init__("internal error: " + message, loc, hint)


class UnboundNameError(SourceADError, UnboundLocalError):
    """A local variable is read where Python would find it unbound (also an UnboundLocalError)."""
