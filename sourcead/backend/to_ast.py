"""to_ast: IR -> Python source text.

Expressions are built as gast nodes and printed with `gast.unparse` (the standard library's
`ast.unparse`), which parenthesises correctly and prints ``x[1:3, ::2]`` as valid code. Statements
are laid out here, because `ast.unparse` drops comments and every group of reverse-sweep
statements carries one naming the primal line it differentiates:

    def seed_poly_grad(x, y):
        # grad of: return (x ** 2 + 4) * y - x / y
        dx = -1.0 / y
        dy = x / y / y
        dy = dy + (x ** 2 + 4)
        dx = dx + y * 2 * x
        return dx, dy

A temporary used once, in the same region, is folded into the expression that uses it; values
the user named keep their own lines.
"""

from __future__ import annotations

import keyword
import math
import operator

import gast

from .. import runtime
from ..ir.core import (Attr, Call, Const, For, Function, If, Method, Pop, Push, Region, Var, While, make_dict,
                       make_list, make_tuple, operands, regions)
from ..ir.ops import BINARY_SYNTAX, COMPARE_SYNTAX as _CMP, UNARY_SYNTAX as _UNARY
from ..passes.dce import is_effect
from .naming import ObjectNames, value_names

INDENT = "    "
# sequence + and * (passes/containers.py) print as the operators they came from
_BINOPS = {**BINARY_SYNTAX, runtime.concat: gast.Add, runtime.repeat_seq: gast.Mult}
_IN_PLACE = (runtime.write_into, runtime.clear_at, runtime.add_into)  # passes/inplace.py


def _name(id_: str):
    return gast.Name(id=id_, ctx=gast.Load(), annotation=None, type_comment=None)


def _store(id_: str):
    return gast.Name(id=id_, ctx=gast.Store(), annotation=None, type_comment=None)


def _unparse(node) -> str:
    return gast.unparse(node).strip()


def fold_candidates(fn: Function) -> dict[Var, object]:
    """Temporaries read once, in the same region, made by a pure call or an `if` selecting one of
    two such expressions (``a and b``); never moved into or out of a with block (its start or end
    splits a region) nor past an in-place write into what they read."""
    uses: dict[Var, int] = {}
    home: dict[Var, tuple] = {}  # value -> (the region it is read in, the stretch between with blocks)
    defs: dict[Var, tuple[object, tuple]] = {}
    used_at: dict[Var, int] = {}  # where in its region a value is read (its last read)
    writes: dict[int, list[int]] = {}  # id(region) -> positions of in-place writes (passes/inplace.py)

    def count(x, place, at=None):
        if isinstance(x, Var):
            uses[x] = uses.get(x, 0) + 1
            home[x] = place
            used_at[x] = at if at is not None else len(place[0].body)

    def visit(region: Region):
        place = (region, 0)
        for at, stmt in enumerate(region.body):
            if isinstance(stmt, Call) and stmt.op in (runtime.enter_context, runtime.exit_context):
                if stmt.op is runtime.enter_context:
                    count(stmt.args[0], place, at)  # (the manager, read by the with statement)
                place = (region, place[1] + 1)
                continue
            if isinstance(stmt, Call):
                if stmt.op in _IN_PLACE:
                    writes.setdefault(id(region), []).append(at)
                for x in (*stmt.args, *stmt.kwargs.values()):
                    count(x, place, at)
                if len(stmt.outs) == 1 and stmt.outs[0].temporary and not is_effect(stmt.op):
                    defs[stmt.outs[0]] = (stmt, place)
            elif isinstance(stmt, If):
                count(stmt.cond, place)
                visit(stmt.then)
                visit(stmt.orelse)
                if len(stmt.outs) == 1 and stmt.outs[0].temporary:
                    defs[stmt.outs[0]] = (stmt, place)
            elif isinstance(stmt, While):
                for x in stmt.inits:
                    count(x, place)
                visit(stmt.cond)
                visit(stmt.body)
            elif isinstance(stmt, For):
                for x in (stmt.iterable, *stmt.inits):
                    count(x, place)
                visit(stmt.body)
        for y in region.yields:
            count(y, place)

    visit(fn.body)
    folded = {v: d for v, (d, place) in defs.items() if uses.get(v) == 1 and _same_place(home.get(v), place)
              and not _written_between(place[0], d, used_at.get(v), writes.get(id(place[0]), ()), defs)}
    return _lazy_ifs(folded)


def _lazy_ifs(folded: dict) -> dict:
    """An `if` folds only if each branch is nothing but folded expressions (pure, evaluated lazily)."""
    changed = True
    while changed:
        changed = False
        for v, d in list(folded.items()):
            if isinstance(d, If) and not all(
                    all(len(st.outs) == 1 and st.outs[0] in folded for st in r.body) for r in (d.then, d.orelse)):
                del folded[v]
                changed = True
    return folded


def _same_place(a, b) -> bool:
    return a is not None and a[0] is b[0] and a[1] == b[1]


def _written_between(region: Region, stmt, use: int | None, writes, defs) -> bool:
    """Whether an in-place write into a value that `stmt` reads (itself or through the temporaries
    it reads) lies between `stmt` and the read of its value at `use`: folding the value into that
    read would compute it after the write."""
    if not writes or use is None:
        return False
    at = next((k for k, s in enumerate(region.body) if s is stmt), None)
    between = [region.body[w].args[0] for w in writes if at is not None and at < w < use]
    return bool(between) and bool(_depends(stmt, defs) & {x for x in between if isinstance(x, Var)})


def _depends(stmt, defs, seen=None) -> set:
    """The values `stmt` reads, directly or through the temporaries that compute its operands."""
    seen = set() if seen is None else seen
    reads = list(operands(stmt)) if isinstance(stmt, (Call, If)) else []
    for region in regions(stmt) if isinstance(stmt, If) else []:
        reads += [*region.yields, *(x for s in region.body for x in operands(s))]
    for x in reads:
        if isinstance(x, Var) and x not in seen:
            seen.add(x)
            if x in defs:
                _depends(defs[x][0], defs, seen)
    return seen


class Emitter:
    def __init__(self, fn: Function, name: str, user_scope):
        self.fn = fn
        self.name = name
        self.folded = fold_candidates(fn)
        reserved = set(_free_roots(fn, user_scope)) | {name}
        self.names = value_names(fn, self.folded, reserved)
        self.objects = ObjectNames(user_scope, set(self.names.values()) | {name})
        for c in _consts(fn):
            if c.spelling and c.scope is user_scope:
                self.objects.spelled(c)
        self.lines: list[str] = []
        self.last_comment_line: int | None = None
        self.loc = None  # the user's line behind the statement being emitted

    def line_locs(self) -> dict:
        """Line of the emitted text (1-based) -> the user's line its statement comes from."""
        return {i: line.loc for i, line in enumerate(self.lines, 1) if getattr(line, "loc", None) is not None}

    # ---- expressions ----------------------------------------------------------------------------
    def operand(self, x):
        if isinstance(x, Var):
            if x in self.folded:
                return self.call_expr(self.folded[x])
            return _name(self.names[x])
        return self.const(x)

    def const(self, c: Const, index: bool = False):
        """A constant as an expression; slices print as `a:b` only inside a subscript (`index`)."""
        if c.spelling:
            return _expr(self.objects.spelled(c))
        v = c.value
        if isinstance(v, bool) or v is None or isinstance(v, (int, str, complex)) or v is Ellipsis:
            return gast.Constant(value=v, kind=None)
        if isinstance(v, float):
            if math.isfinite(v):
                return gast.Constant(value=v, kind=None)
            return _expr(f"{self.objects.bind(__import__('numpy'), 'np')}.{'nan' if v != v else 'inf'}") \
                if v > 0 or v != v else gast.UnaryOp(op=gast.USub(), operand=_expr(
                    f"{self.objects.bind(__import__('numpy'), 'np')}.inf"))
        if isinstance(v, slice):
            parts = [self.const(Const(p)) for p in (v.start, v.stop, v.step)]
            if index:
                return gast.Slice(*(None if p is None else q for p, q in zip((v.start, v.stop, v.step), parts)))
            return gast.Call(func=_expr("slice"), args=parts, keywords=[])
        if isinstance(v, tuple):
            return gast.Tuple(elts=[self.const(Const(e), index) for e in v], ctx=gast.Load())
        if v is runtime.UNBOUND:
            return _expr(self.objects.bind(v, "UNBOUND"))
        return _expr(self.objects.bind(v))

    def index(self, x):
        """A subscript's index: slices print as `a:b:c`, tuples of them without parentheses."""
        if isinstance(x, Var) and x in self.folded:
            call = self.folded[x]
            if call.op is slice and not call.kwargs:
                parts = [None if isinstance(p, Const) and p.value is None and p.spelling is None else self.operand(p)
                         for p in call.args]
                return gast.Slice(*(parts + [None] * (3 - len(parts))))
            if call.op is make_tuple:
                return gast.Tuple(elts=[self.index(e) for e in call.args], ctx=gast.Load())
        if isinstance(x, Const) and not x.spelling:
            return self.const(x, index=True)
        return self.operand(x)

    def select_expr(self, stmt: If):
        """An `if` that selects between two expressions, as an expression."""
        cond, a, b = stmt.cond, stmt.then.yields[0], stmt.orelse.yields[0]
        if b is cond:
            return gast.BoolOp(op=gast.And(), values=[self.operand(cond), self.operand(a)])
        if a is cond:
            return gast.BoolOp(op=gast.Or(), values=[self.operand(cond), self.operand(b)])
        return gast.IfExp(test=self.operand(cond), body=self.operand(a), orelse=self.operand(b))

    def call_expr(self, call):
        if isinstance(call, If):
            return self.select_expr(call)
        op, args = call.op, call.args
        if not call.kwargs:
            if op in _BINOPS and len(args) == 2:
                return gast.BinOp(left=self.operand(args[0]), op=_BINOPS[op](), right=self.operand(args[1]))
            if op in _UNARY and len(args) == 1:
                return gast.UnaryOp(op=_UNARY[op](), operand=self.operand(args[0]))
            if op in _CMP and len(args) == 2:
                return gast.Compare(left=self.operand(args[0]), ops=[_CMP[op]()],
                                    comparators=[self.operand(args[1])])
            if op is operator.getitem and len(args) == 2:
                return gast.Subscript(value=self.operand(args[0]), slice=self.index(args[1]), ctx=gast.Load())
            if op is make_tuple:
                return gast.Tuple(elts=[self.operand(a) for a in args], ctx=gast.Load())
            if op is make_list:
                return gast.List(elts=[self.operand(a) for a in args], ctx=gast.Load())
            if op is make_dict and isinstance(args[0], Const):
                return gast.Dict(keys=[self.const(Const(k)) for k in args[0].value],
                                 values=[self.operand(a) for a in args[1:]])
            if isinstance(op, Attr) and len(args) == 1:
                return gast.Attribute(value=self.operand(args[0]), attr=op.name, ctx=gast.Load())
        keywords = [gast.keyword(arg=k, value=self.operand(v)) for k, v in call.kwargs.items()]
        if isinstance(op, Method):
            func = gast.Attribute(value=self.operand(args[0]), attr=op.name, ctx=gast.Load())
            args = args[1:]
        elif isinstance(op, (Push, Pop)):
            func = self.operand(args[0])
            args = args[1:]
        elif call.ref is not None and call.ref.spelling:
            func = _expr(self.objects.spelled(call.ref))
        else:
            func = _expr(self.objects.bind(op))
        return gast.Call(func=func, args=[self.operand(a) for a in args], keywords=keywords)

    # ---- statements ---------------------------------------------------------------------------
    def emit(self, text: str, indent: str) -> None:
        line = _Line(indent + text)
        line.loc = self.loc
        self.lines.append(line)

    def comment(self, stmt, indent: str) -> None:
        if isinstance(stmt, Call) and isinstance(stmt.op, (Push, Pop)):
            return  # tape traffic does not interrupt a group
        if stmt.tag != "grad" or stmt.loc is None:
            self.last_comment_line = None
            return
        if stmt.loc.line == self.last_comment_line:
            return
        self.last_comment_line = stmt.loc.line
        text = stmt.loc.text.strip() or f"line {stmt.loc.line}"
        self.emit(f"# grad of: {text}", indent)

    def copies(self, targets, values, indent: str) -> None:
        """Parallel assignment of `values` to the names of `targets` where they differ."""
        pairs = [(self.names[t], v) for t, v in zip(targets, values, strict=True)
                 if not (isinstance(v, Var) and v not in self.folded and self.names.get(v) == self.names[t])]
        if not pairs:
            return
        if len(pairs) == 1:
            name, v = pairs[0]
            self.emit(f"{name} = {_unparse(self.operand(v))}", indent)
            return
        lhs = ", ".join(n for n, _ in pairs)
        rhs = ", ".join(_unparse(self.operand(v)) for _, v in pairs)
        self.emit(f"{lhs} = {rhs}", indent)

    def region(self, region: Region, indent: str, targets=None) -> int:
        start = len(self.lines)
        self.last_comment_line = None
        for stmt in region.body:
            if isinstance(stmt, Call) and stmt.op in (runtime.enter_context, runtime.exit_context):
                indent = self.with_block(stmt, indent)
                continue
            self.stmt(stmt, indent)
        if targets is not None:
            self.copies(targets, region.yields, indent)
        return len(self.lines) - start

    def with_block(self, stmt: Call, indent: str) -> str:
        """A with block's start (``with np.errstate(...):``) or end; the indentation after it."""
        if stmt.op is runtime.enter_context:
            self.comment(stmt, indent)
            self.emit(f"with {_unparse(self.operand(stmt.args[0]))}:", indent)
            self.last_comment_line = None
            return indent + INDENT
        if self.lines[-1].lstrip().startswith("with ") and self.lines[-1].endswith(":"):
            del self.lines[-1]  # nothing left in the block (what it computed is not needed)
            if self.lines and self.lines[-1].lstrip().startswith("# grad of: with "):
                del self.lines[-1]
        self.last_comment_line = None
        return indent[: -len(INDENT)]

    def written_in_place(self, stmt: Call, indent: str) -> bool:
        """``x[idx] = v`` (passes/inplace.py), where the result shares x's name."""
        if stmt.op is not runtime.write_into or not stmt.outs or stmt.kwargs:
            return False
        x = stmt.args[0]
        if not isinstance(x, Var) or x in self.folded or self.names.get(stmt.outs[0]) != self.names.get(x):
            return False
        target = gast.Subscript(value=self.operand(x), slice=self.index(stmt.args[1]), ctx=gast.Store())
        self.emit(f"{_unparse(target)} = {_unparse(self.operand(stmt.args[2]))}", indent)
        return True

    def stmt(self, stmt, indent: str) -> None:
        self.loc = stmt.loc
        if isinstance(stmt, Call):
            if stmt.outs and stmt.outs[0] in self.folded:
                return
            self.comment(stmt, indent)
            if stmt.op is runtime.raise_error:  # a user's raise (or failed assert)
                self.emit(f"raise {_unparse(self.operand(stmt.args[0]))}", indent)
                return
            if self.written_in_place(stmt, indent):
                return
            expr = _unparse(self.call_expr(stmt))
            if stmt.outs and stmt.outs[0] in self.names:
                self.emit(f"{self.names[stmt.outs[0]]} = {expr}", indent)
            else:
                self.emit(expr, indent)
            return
        if stmt.outs and stmt.outs[0] in self.folded:
            return
        self.comment(stmt, indent)
        saved = self.last_comment_line
        if isinstance(stmt, If):
            cond = _unparse(self.operand(stmt.cond))
            header = len(self.lines)
            self.emit(f"if {cond}:", indent)
            n_then = self.region(stmt.then, indent + INDENT, stmt.outs)
            else_at = len(self.lines)
            self.emit("else:", indent)
            n_else = self.region(stmt.orelse, indent + INDENT, stmt.outs)
            if n_else == 0:
                del self.lines[else_at]
                if n_then == 0:
                    self.emit("pass", indent + INDENT)
            elif n_then == 0:
                body = self.lines[else_at + 1:]
                del self.lines[header:]
                self.emit(f"if not {_paren(cond)}:", indent)
                self.lines.extend(body)
        elif isinstance(stmt, While):
            self.copies(stmt.cond.params, stmt.inits, indent)
            cond_only = all(s.outs and s.outs[0] in self.folded for s in stmt.cond.body)
            if cond_only:
                self.emit(f"while {_unparse(self.operand(stmt.cond.yields[0]))}:", indent)
            else:
                self.emit("while True:", indent)
                self.region(Region([], stmt.cond.body, []), indent + INDENT)
                self.emit(f"if not {_paren(_unparse(self.operand(stmt.cond.yields[0])))}:", indent + INDENT)
                self.emit("break", indent + INDENT + INDENT)
            n = self.region(stmt.body, indent + INDENT, stmt.body.params)
            if n == 0:
                self.emit("pass", indent + INDENT)
        elif isinstance(stmt, For):
            self.copies(stmt.body.params[1:], stmt.inits, indent)
            item = stmt.body.params[0]
            target = self.names.get(item, "_")
            self.emit(f"for {target} in {_unparse(self.operand(stmt.iterable))}:", indent)
            n = self.region(stmt.body, indent + INDENT, stmt.body.params[1:])
            if n == 0:
                self.emit("pass", indent + INDENT)
        self.last_comment_line = saved if stmt.tag == "grad" else None

    def function(self) -> str:
        params = ", ".join(self.names.get(p.var, "_") for p in self.fn.params)
        self.emit(f"def {self.name}({params}):", "")
        self.region(self.fn.body, INDENT)
        results = [_unparse(self.operand(y)) for y in self.fn.body.yields]
        if self.fn.returns_tuple:
            self.emit(f"return {', '.join(results)}{',' if len(results) == 1 else ''}", INDENT)
        else:
            self.emit(f"return {results[0] if results else 'None'}", INDENT)
        return "\n".join(self.lines) + "\n"


class _Line(str):
    """An emitted line, which remembers the user's line it comes from (where it moves, it goes)."""

    loc = None


def _paren(text: str) -> str:
    return text if text.isidentifier() else f"({text})"


def _expr(text: str):
    """The expression `text` as a gast node; a (dotted) name, the common case, built directly
    (the node gast.parse makes, without its ~40 µs)."""
    parts = text.split(".")
    if not all(part.isidentifier() and not keyword.iskeyword(part) for part in parts):
        return gast.parse(text, mode="eval").body
    node = gast.Name(id=parts[0], ctx=gast.Load(), annotation=None, type_comment=None)
    for attr in parts[1:]:
        node = gast.Attribute(value=node, attr=attr, ctx=gast.Load())
    return node


def _consts(fn: Function):
    def visit(region):
        for stmt in region.body:
            if isinstance(stmt, Call):
                if stmt.ref is not None:
                    yield stmt.ref
                for x in (*stmt.args, *stmt.kwargs.values()):
                    if isinstance(x, Const):
                        yield x
            else:
                for x in operands(stmt):
                    if isinstance(x, Const):
                        yield x
                for r in regions(stmt):
                    yield from visit(r)
        for y in region.yields:
            if isinstance(y, Const):
                yield y

    yield from visit(fn.body)


def _free_roots(fn: Function, user_scope):
    for c in _consts(fn):
        if c.spelling and c.scope is user_scope:
            yield c.spelling.partition(".")[0]


def emit_source(fn: Function, name: str, user_scope) -> tuple[str, dict, dict, dict]:
    """The function's source, the closure bindings it needs, the user free names it reads, and
    the user's line behind each line of the source (1-based)."""
    emitter = Emitter(fn, name, user_scope)
    text = emitter.function()
    return text, dict(emitter.objects.bindings), dict(emitter.objects.user_free), emitter.line_locs()
