"""compile: generated source -> a function, registered in linecache so tracebacks and pdb show it.

The generated function runs in the user's function's globals and closure cells, so a global the
user rebinds after differentiating (``A = 2``) is read live, exactly as the primal reads it. The
objects sourcead itself provides (rule helpers, modules the user did not import under that name)
are closure variables of the generated function:

    def __sourcead_make__(unbroadcast):        # line 1 of the registered file
        def f_grad(x, y):                      # source(df) shows this function, dedented
            ...
        return f_grad
"""

from __future__ import annotations

import hashlib
import linecache
import textwrap
import types

from ..errors import GENERATED_LINES, InternalError


def _filename(qualname: str, source: str) -> str:
    # Stable per (function, text): the same input gives the same file name, and a different
    # derivative of the same function gets its own entry.
    digest = hashlib.sha1(source.encode()).hexdigest()[:8]
    return f"<sourcead {qualname} {digest}>"


def compile_function(source: str, name: str, bindings: dict, scope, qualname: str, line_locs=None):
    """Compile `source` (one def named `name`) into a function with `bindings` in its closure;
    `line_locs` (line of `source` -> the user's line) locates errors raised while it runs."""
    user_free = scope.freevars if scope is not None else ()
    user_cells = dict(zip(user_free, scope.closure)) if scope is not None else {}
    factory_params = list(bindings) + [n for n in user_free if n not in bindings]
    text = (f"def __sourcead_make__({', '.join(factory_params)}):\n"
            + textwrap.indent(source, "    ")
            + f"    return {name}\n")
    filename = _filename(qualname, text)
    try:
        code = compile(text, filename, "exec")
    except SyntaxError as err:
        raise InternalError(f"the generated source does not compile: {err}\n{text}") from err
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    if line_locs:
        GENERATED_LINES[filename] = {line + 1: loc for line, loc in line_locs.items()}  # after the factory's def
    factory_code = next(c for c in code.co_consts if isinstance(c, types.CodeType))
    inner = next(c for c in factory_code.co_consts if isinstance(c, types.CodeType) and c.co_name == name)
    cells = []
    for free in inner.co_freevars:
        if free in bindings:
            cells.append(types.CellType(bindings[free]))
        elif free in user_cells:
            cells.append(user_cells[free])
        else:
            raise InternalError(f"generated function needs {free!r}, which nothing provides")
    globals_ = scope.globals if scope is not None else {"__builtins__": __builtins__}
    fn = types.FunctionType(inner, globals_, name, None, tuple(cells))
    fn.__sourcead_source__ = source
    fn.__sourcead_filename__ = filename
    return fn
