"""parse: a Python function object -> its gast tree, where it came from, and its namespace.

The output guarantees: `tree` is the function's `gast.FunctionDef` with decorators dropped;
`loc(node)` maps any node of it to the user's real file and line; `namespace` resolves the
function's free names to the objects they denote now (globals, closure cells, builtins).
"""

from __future__ import annotations

import dataclasses
import inspect
import linecache
import os
import sys
import textwrap
import types

import gast

from ..errors import Loc, SourceUnavailableError, UnsupportedSyntaxError
from ..ir.core import Scope


@dataclasses.dataclass
class Parsed:
    fn: types.FunctionType
    tree: gast.FunctionDef
    filename: str
    first_line: int  # the user's line number of the tree's line 1
    dedent: int  # columns removed by dedent
    lines: dict[int, str]  # the user's line number -> its text
    name: str
    invented: dict = dataclasses.field(default_factory=dict)  # name desugar invented -> frontend.invented.Invented
    scope: Scope = dataclasses.field(init=False)  # where the function's free names resolve

    def __post_init__(self):
        self.scope = Scope(self.fn)

    def loc(self, node) -> Loc:
        lineno = getattr(node, "lineno", None) or 1
        line = self.first_line + lineno - 1
        return Loc(self.filename, line, (getattr(node, "col_offset", 0) or 0) + self.dedent,
                   self.lines.get(line, ""), self.name)

    def lookup(self, name: str):
        """Resolve a free name as Python would at call time (see `Scope.lookup`)."""
        return self.scope.lookup(name)


def parse(fn) -> Parsed:
    if isinstance(fn, types.MethodType):
        raise SourceUnavailableError(
            f"{fn.__qualname__} is a bound method; sourcead differentiates plain functions",
            hint="differentiate the underlying function and pass the instance explicitly")
    if not isinstance(fn, types.FunctionType):
        raise SourceUnavailableError(
            f"{fn!r} is not a Python function, so sourcead cannot read its source",
            hint="pass a function defined with def in a file, a notebook cell or a module")
    name = fn.__code__.co_name  # the def's own name (a decorator may have copied another)
    try:
        # the function's own code in a plain function: inspect would follow a decorator's __wrapped__
        # to another function; its module (from its globals) still lets linecache find the source
        own = types.FunctionType(fn.__code__, fn.__globals__, name, fn.__defaults__, fn.__closure__)
        own.__module__ = fn.__module__
        src_lines, first = inspect.getsourcelines(own)
        filename = inspect.getsourcefile(own) or fn.__code__.co_filename
    except (OSError, TypeError):
        src_lines = None  # raised below, outside the handler: inspect's error only repeats it
    if src_lines is None:
        raise _no_source(fn)
    first = max(first, 1)
    raw = "".join(src_lines)
    text = textwrap.dedent(raw)
    dedent = _indent(src_lines[0]) - _indent(text.splitlines()[0] if text else "")
    own_lines = {first + i: line.rstrip("\n") for i, line in enumerate(src_lines)}
    lines = {**own_lines, **_file_lines(filename, src_lines)}  # the function's lines first, then the file's,
    lines.update(own_lines)  # its own text where both have a line (as setdefault over the file would)
    if name == "<lambda>":
        tree = _find_lambda(text, fn, filename, first, lines)
    else:
        try:
            module = gast.parse(text)
        except SyntaxError as err:
            raise SourceUnavailableError(
                f"could not parse the source of {fn.__qualname__}: {err.msg}",
                Loc(filename, first + (err.lineno or 1) - 1, 0, lines.get(first + (err.lineno or 1) - 1, ""), name)) from err
        defs = [n for n in module.body if isinstance(n, gast.FunctionDef) and n.name == name]
        if not defs:
            _refuse_async(module, name, filename, first, lines)
            raise SourceUnavailableError(f"could not find the definition of {name} in its source", caller_loc(),
                                         hint="define the function with def in a file or a notebook cell")
        tree = defs[0]
    tree.decorator_list = []
    return Parsed(fn, tree, filename, first, dedent, lines, name)


_FILE_LINES: dict = {}  # filename -> (linecache's lines, {line number: text}), made once per file


def _file_lines(filename: str, src_lines: list) -> dict:
    """{line number: text} of the whole file (of `src_lines` where linecache has no file): made
    once per file and linecache entry, not per function parsed (a rule module has ~2000 lines)."""
    all_lines = linecache.getlines(filename)
    if not all_lines:
        return {i: line.rstrip("\n") for i, line in enumerate(src_lines, start=1)}
    cached = _FILE_LINES.get(filename)
    if cached is None or cached[0] is not all_lines:
        cached = _FILE_LINES[filename] = (all_lines, {i: line.rstrip("\n") for i, line in enumerate(all_lines, 1)})
    return cached[1]


def _refuse_async(module, name, filename, first, lines) -> None:
    for node in module.body:
        if isinstance(node, gast.AsyncFunctionDef) and node.name == name:
            line = first + node.lineno - 1
            raise UnsupportedSyntaxError(
                f"{name} is an async function (async def), which sourcead does not differentiate",
                Loc(filename, line, 0, lines.get(line, ""), name),
                hint="differentiate a plain synchronous function (def) that the coroutine calls")


def _no_source(fn) -> SourceUnavailableError:
    """The error for a function whose source cannot be read, located at the user's call."""
    where = fn.__code__.co_filename
    if where == "<stdin>":
        return SourceUnavailableError(
            f"{fn.__qualname__} was typed at the interactive prompt, which keeps no source for sourcead "
            f"to read", caller_loc(),
            hint="save the function in a file and import it, or use IPython, Jupyter or the Python 3.13 prompt, "
                 "which keep what you type")
    if where.startswith("<") and where.endswith(">"):
        what = (f"the source of {fn.__qualname__} is not available: it was compiled from a string "
                f"(exec, compile or an interactive prompt; its file is {where}), so there is no "
                f"source file for sourcead to read")
    else:
        what = f"the source of {fn.__qualname__} (defined in {where}) is not available"
    return SourceUnavailableError(
        what, caller_loc(),
        hint="define the function in a file or a notebook cell, or register a rule for it with "
             "@sourcead.adjoint")


def caller_loc() -> Loc | None:
    """The user's call into sourcead: the innermost frame outside the sourcead package (for an
    error that has no construct of its own to point at, such as a usage error)."""
    package = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    frame = sys._getframe(1)
    while frame is not None and os.path.abspath(frame.f_code.co_filename).startswith(package + os.sep):
        frame = frame.f_back
    if frame is None:
        return None
    filename, line = frame.f_code.co_filename, frame.f_lineno
    return Loc(filename, line, 0, linecache.getline(filename, line).rstrip("\n"), frame.f_code.co_name)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _find_lambda(text, fn, filename, first, lines):
    """A lambda's source is the whole line it is on: find the one lambda there with its params."""
    try:
        module = gast.parse(text.strip().rstrip(",") if not text.lstrip().startswith(("def", "@")) else text)
    except SyntaxError:
        try:
            module = gast.parse("(" + text.strip().rstrip(",") + ")")
        except SyntaxError as err:
            raise SourceUnavailableError(
                "could not isolate the lambda's source on its line",
                Loc(filename, first, 0, lines.get(first, ""), "<lambda>"),
                hint="define the function with def") from err
    params = list(fn.__code__.co_varnames[: fn.__code__.co_argcount])
    found = [n for n in gast.walk(module) if isinstance(n, gast.Lambda)
             and [a.id for a in n.args.args] == params]
    if len(found) != 1:
        raise SourceUnavailableError(
            "there is more than one lambda with these parameters on its line; sourcead cannot tell which",
            Loc(filename, first, 0, lines.get(first, ""), "<lambda>"), hint="define the function with def")
    lam = found[0]
    ret = gast.Return(value=lam.body)
    gast.copy_location(ret, lam.body)
    tree = gast.FunctionDef(name="<lambda>", args=lam.args, body=[ret], decorator_list=[], returns=None,
                            type_comment=None, type_params=[])
    gast.copy_location(tree, lam)
    return tree


def single_return(parsed: Parsed) -> bool:
    """Whether the function's body is one ``return`` (a docstring aside): a rule that can be inlined."""
    body = [s for s in parsed.tree.body if not (isinstance(s, gast.Expr) and isinstance(s.value, gast.Constant))]
    return len(body) == 1 and isinstance(body[0], gast.Return)


def reject(parsed: Parsed, node, message: str, hint: str | None = None, cls=UnsupportedSyntaxError):
    raise cls(message, parsed.loc(node), hint)
