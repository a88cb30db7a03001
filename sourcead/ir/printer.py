"""The IR's text form, for people and for snippet -> expected-text tests.

    def seed_poly(x, y):
      t = pow(x, 2)
      t_1 = add(t, 4)
      z = If gt(t_1, 0):
        then:
          yield t_1
        else:
          yield y
      return z

Names are assigned by first appearance (hint, hint_1, ...), so the text is deterministic.
"""

from __future__ import annotations

import operator
import types

import numpy as np

from .core import Attr, Call, Const, For, Function, If, Method, Region, Var, While, label, make_dict, make_list, make_tuple


def op_name(op) -> str:
    """A short, stable name for an operation."""
    if isinstance(op, Method):
        return "." + op.name
    if isinstance(op, Attr):
        return "." + op.name
    if type(op).__name__ in ("Push", "Pop"):
        return type(op).__name__.lower()
    if op is make_tuple:
        return "tuple"
    if op is make_list:
        return "list"
    if op is make_dict:
        return "dict"
    if isinstance(op, types.BuiltinFunctionType) and getattr(op, "__module__", None) == "_operator":
        return op.__name__
    if getattr(operator, getattr(op, "__name__", ""), None) is op:
        return op.__name__
    module = getattr(op, "__module__", None) or ("numpy" if isinstance(op, np.ufunc) else None)
    name = getattr(op, "__qualname__", None) or getattr(op, "__name__", None) or repr(op)
    if module in (None, "builtins"):
        return name
    if module.startswith("numpy"):
        module = "numpy"
    if module.startswith("sourcead"):
        return name
    return f"{module}.{name}"


def const_text(c: Const) -> str:
    if c.spelling:
        return c.spelling
    v = c.value
    if isinstance(v, (int, float, complex, str, bool, type(None), slice, tuple)) or v is Ellipsis:
        return repr(v)
    if isinstance(v, types.ModuleType):
        return v.__name__
    if type(v).__name__ == "_Unbound":
        return "UNBOUND"
    if callable(v):
        return op_name(v)
    return f"<{type(v).__name__}>"


class Namer:
    def __init__(self):
        self.names: dict[Var, str] = {}
        self.taken: set[str] = set()

    def __call__(self, v: Var) -> str:
        name = self.names.get(v)
        if name is None:
            base = label(v)
            name, i = base, 0
            while name in self.taken:
                i += 1
                name = f"{base}_{i}"
            self.taken.add(name)
            self.names[v] = name
        return name


def format_function(fn: Function, namer: Namer | None = None) -> str:
    namer = namer or Namer()
    lines: list[str] = []
    params = []
    for p in fn.params:
        text = namer(p.var)
        if p.default is not None:
            text += "=" + const_text(p.default)
        params.append(("*, " if p.keyword_only and not any(s.startswith("*") for s in params) else "") + text)
    lines.append(f"def {fn.name}({', '.join(params)}):")
    _region_body(fn.body, lines, namer, "  ")
    results = ", ".join(_operand(y, namer) for y in fn.body.yields)
    if fn.returns_tuple:
        results = f"({results}{',' if len(fn.body.yields) == 1 else ''})"
    lines.append(f"  return {results}")
    return "\n".join(lines)


def format_region(region: Region, namer: Namer | None = None, indent: str = "") -> str:
    lines: list[str] = []
    namer = namer or Namer()
    _region_body(region, lines, namer, indent)
    return "\n".join(lines)


def _operand(x, namer: Namer) -> str:
    if isinstance(x, Var):
        return namer(x)
    if isinstance(x, Const):
        return const_text(x)
    return f"<not an operand: {x!r}>"  # malformed IR, printed for the checker's report


def _outs(outs, namer) -> str:
    return ", ".join(_operand(v, namer) for v in outs) if outs else "_"


def _region_body(region: Region, lines: list[str], namer: Namer, indent: str) -> None:
    for stmt in region.body:
        _stmt(stmt, lines, namer, indent)


def _header(params, namer) -> str:
    return "(" + ", ".join(namer(p) for p in params) + ")"


def _yield(region: Region, lines, namer, indent) -> None:
    lines.append(f"{indent}yield " + ", ".join(_operand(y, namer) for y in region.yields))


def _stmt(stmt, lines: list[str], namer: Namer, indent: str) -> None:
    if isinstance(stmt, Call):
        args = [_operand(a, namer) for a in stmt.args]
        args += [f"{k}={_operand(v, namer)}" for k, v in stmt.kwargs.items()]
        lines.append(f"{indent}{_outs(stmt.outs, namer)} = {op_name(stmt.op)}({', '.join(args)})")
    elif isinstance(stmt, If):
        lines.append(f"{indent}{_outs(stmt.outs, namer)} = if {_operand(stmt.cond, namer)}:")
        for part, region in (("then", stmt.then), ("else", stmt.orelse)):
            lines.append(f"{indent}  {part}:")
            _region_body(region, lines, namer, indent + "    ")
            _yield(region, lines, namer, indent + "    ")
    elif isinstance(stmt, While):
        inits = ", ".join(_operand(a, namer) for a in stmt.inits)
        lines.append(f"{indent}{_outs(stmt.outs, namer)} = while({inits}):")
        lines.append(f"{indent}  cond{_header(stmt.cond.params, namer)}:")
        _region_body(stmt.cond, lines, namer, indent + "    ")
        _yield(stmt.cond, lines, namer, indent + "    ")
        lines.append(f"{indent}  body{_header(stmt.body.params, namer)}:")
        _region_body(stmt.body, lines, namer, indent + "    ")
        _yield(stmt.body, lines, namer, indent + "    ")
    elif isinstance(stmt, For):
        inits = ", ".join(_operand(a, namer) for a in stmt.inits)
        lines.append(f"{indent}{_outs(stmt.outs, namer)} = for({_operand(stmt.iterable, namer)}; {inits}):")
        lines.append(f"{indent}  body{_header(stmt.body.params, namer)}:")
        _region_body(stmt.body, lines, namer, indent + "    ")
        _yield(stmt.body, lines, namer, indent + "    ")
    else:
        lines.append(f"{indent}<unknown statement {stmt!r}>")
