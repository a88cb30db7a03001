"""The structured SSA IR: a handful of plain data classes and nothing else.

A `Function` is a `Region` with parameters: a list of statements over SSA values, then the values
it yields (for a function, its results). Every `Var` is assigned exactly once. A Var records what
it is -- a version of the user's variable `hint`, a temporary (no hint), or the derivative of
another value (`of`) -- and the back end's naming alone turns that into text. Control flow is structured:

    outs = If(cond, then_region, else_region)      # each region yields len(outs) values (the phis)
    outs = While(inits, cond_region, body_region)  # regions take the carried values as params;
                                                   # cond yields one bool, body yields next values
    outs = For(iterable, inits, body_region)       # body takes (item, *carried), yields carried

Operations are plain Python objects (``numpy.sin``, ``operator.mul``) or the few IR-level operations
defined here (`Method`, `Attr`, container builders, tape ops). Transformations live in passes, not
on these classes.
"""

from __future__ import annotations

import builtins
import dataclasses
import types
from typing import Any, Union

from ..errors import Loc


class Var:
    """An SSA value. Identity is the value: two Vars with the same hint are different values.

    `hint` is the user's variable this value is a version of (``b`` for every ``b = ...``), or a
    label the compiler gives a value of its own (``iterations``, ``stack``); None for a temporary.
    `of` is set on a derivative (a cotangent or a tangent): the value it is the derivative of.
    """

    __slots__ = ("hint", "of")

    def __init__(self, hint: str | None = None, of: "Operand | None" = None):
        self.hint = hint
        self.of = of

    @property
    def temporary(self) -> bool:
        """Whether the value stands for nothing the user named (nor derives from such a value)."""
        if self.of is not None:
            return not isinstance(self.of, Var) or self.of.temporary
        return self.hint is None

    def __repr__(self) -> str:
        return f"%{label(self)}@{id(self) % 10000:04d}"


def derivative(x: "Operand") -> Var:
    """A new value standing for the derivative (cotangent or tangent) of `x`."""
    return Var(None, x)


def like(v: Var) -> Var:
    """A new value that is what `v` is (a copy's definition: a clone, a popped value)."""
    return Var(v.hint, v.of)


def label(v: Var) -> str:
    """A plain text form of what `v` is, for IR dumps (generated code is named by the back end)."""
    if v.of is not None:
        return "d" + (label(v.of) if isinstance(v.of, Var) else "out")
    return v.hint or "t"


class Scope:
    """The namespace in which a function's free names resolve, as Python resolves them when the
    function runs: its closure cells, then its module's globals, then the builtins. It keeps what
    the function refers to, not the function (a cached lowering must not keep it alive)."""

    __slots__ = ("globals", "freevars", "closure", "module", "qualname")

    def __init__(self, fn: types.FunctionType):
        self.globals = fn.__globals__
        self.freevars = fn.__code__.co_freevars
        self.closure = fn.__closure__ or ()
        self.module = fn.__module__ or ""
        self.qualname = fn.__qualname__

    def lookup(self, name: str) -> tuple[bool, Any, str]:
        """(found, value, where), where is "closure", "global" or "builtin"."""
        if name in self.freevars and self.closure:
            cell = self.closure[self.freevars.index(name)]
            try:
                return True, cell.cell_contents, "closure"
            except ValueError:
                return False, None, "closure"
        g = self.globals
        if name in g:
            return True, g[name], "global"
        b = g.get("__builtins__", builtins)
        b = b.__dict__ if isinstance(b, types.ModuleType) else b
        if name in b:
            return True, b[name], "builtin"
        return False, None, "global"

    def __repr__(self) -> str:
        return f"<scope of {self.qualname}>"


class Const:
    """A compile-time constant: a literal, or a resolved object (module, function, global array).

    `spelling` is how the source named it (``np.sin``), and `scope` (a `Scope`) resolves the
    spelling's first name (the user's function, or a rule's module); the back end prints the
    reference from them.
    """

    __slots__ = ("value", "spelling", "scope")

    def __init__(self, value: Any, spelling: str | None = None, scope: Any = None):
        self.value = value
        self.spelling = spelling
        self.scope = scope

    def __repr__(self) -> str:
        return f"Const({self.spelling or repr(self.value)})"


Operand = Union[Var, Const]


@dataclasses.dataclass(eq=False)
class Call:
    """``outs[0] = op(*args, **kwargs)``. `outs` is empty for effect-only calls (tape pushes)."""

    outs: list[Var]
    op: Any
    args: list[Operand]
    kwargs: dict[str, Operand] = dataclasses.field(default_factory=dict)
    loc: Loc | None = None
    ref: Const | None = None  # how the source named `op`, when it did
    tag: str = ""  # "grad" for statements of a reverse sweep (the back end comments them)


@dataclasses.dataclass(eq=False)
class Region:
    params: list[Var]
    body: list["Stmt"]
    yields: list[Operand]


@dataclasses.dataclass(eq=False)
class If:
    outs: list[Var]
    cond: Operand
    then: Region
    orelse: Region
    loc: Loc | None = None
    tag: str = ""


@dataclasses.dataclass(eq=False)
class While:
    outs: list[Var]
    inits: list[Operand]
    cond: Region  # params: carried values; yields: [condition]
    body: Region  # params: carried values; yields: next carried values
    loc: Loc | None = None
    tag: str = ""


@dataclasses.dataclass(eq=False)
class For:
    outs: list[Var]
    iterable: Operand
    inits: list[Operand]
    body: Region  # params: [item, *carried]; yields: next carried values
    loc: Loc | None = None
    tag: str = ""


Stmt = Union[Call, If, While, For]


@dataclasses.dataclass(eq=False)
class Param:
    var: Var
    default: Const | None = None
    keyword_only: bool = False


@dataclasses.dataclass(eq=False)
class Function:
    """A function: parameters, a body region (no region params) and its results."""

    name: str
    params: list[Param]
    body: Region
    returns_tuple: bool = False  # ``return a, b``: the results are a tuple, not one value
    loc: Loc | None = None
    lines: dict[int, str] = dataclasses.field(default_factory=dict)  # user's line number -> text
    filename: str = "<unknown>"
    facts: dict = dataclasses.field(default_factory=dict)  # Var -> kind, established by a transform
    callees: list = dataclasses.field(default_factory=list)  # (scope, spelling, function) inlined

    @property
    def param_vars(self) -> list[Var]:
        return [p.var for p in self.params]


# ---- IR-level operations -------------------------------------------------------------------
# Interned, so that they compare and hash by name and can key rule tables and caches.


class _Named:
    """An operation named by an attribute; interned, so it compares and hashes by its name."""

    _interned: dict

    def __new__(cls, name: str):
        self = cls._interned.get(name)
        if self is None:
            self = super().__new__(cls)
            self.name = name
            cls._interned[name] = self
        return self


class Method(_Named):
    """``obj.name(*args, **kwargs)``; rules are looked up under ``numpy.ndarray.<name>``."""

    _interned: dict = {}

    def __call__(self, obj, *args, **kwargs):
        return getattr(obj, self.name)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"method.{self.name}"


class Attr(_Named):
    """``obj.name`` on a value; rules are looked up under ``numpy.ndarray.<name>``."""

    _interned: dict = {}

    def __call__(self, obj):
        return getattr(obj, self.name)

    def __repr__(self) -> str:
        return f"attr.{self.name}"


class Tape:
    """One stack of generated code. A transform of code with a tape makes a tape of its own for
    what flows back through it (`derived("adjoint")`: the cotangents of the values it carried),
    one per primal tape, so each keeps its own last-in-first-out order."""

    __slots__ = ("_derived",)

    def __init__(self):
        self._derived = {}

    def derived(self, kind: str) -> "Tape":
        tape = self._derived.get(kind)
        if tape is None:
            tape = self._derived[kind] = Tape()
        return tape


class Slot:
    """Pairs a tape push with the pop that returns its value (across clones and rewrites), so a
    later transform can differentiate through the tape. `derived(kind)` gives the slot of the pair
    a transform makes from this one (the tangent or the cotangent of the value)."""

    __slots__ = ("tape", "_derived")

    def __init__(self, tape: Tape):
        self.tape = tape
        self._derived = {}

    def derived(self, kind: str) -> "Slot":
        slot = self._derived.get(kind)
        if slot is None:
            tape = self.tape if kind == "tangent" else self.tape.derived(kind)
            slot = self._derived[kind] = Slot(tape)
        return slot


class Push:
    """``push(value)``: the tape's bound append, called with a value; no result."""

    __slots__ = ("slot",)

    def __init__(self, slot: Slot):
        self.slot = slot

    def __call__(self, push, value):
        push(value)

    def __repr__(self) -> str:
        return "push"


class Pop:
    """``value = pop()``: the tape's bound pop; returns what the paired `Push` pushed."""

    __slots__ = ("slot",)

    def __init__(self, slot: Slot):
        self.slot = slot

    def __call__(self, pop):
        return pop()

    def __repr__(self) -> str:
        return "pop"


def make_tuple(*elts):
    return elts


def make_list(*elts):
    return list(elts)


def make_dict(keys, *values):
    """``{k0: v0, ...}``: `keys` a tuple of constant keys (a literal), one value per key."""
    return dict(zip(keys, values, strict=True))


def walk(stmts: list[Stmt]):
    """Yield every statement, depth first, regions included."""
    for stmt in stmts:
        yield stmt
        for region in regions(stmt):
            yield from walk(region.body)


def nested(region: "Region"):
    """`region` and every region inside it, depth first."""
    yield region
    for stmt in region.body:
        for inner in regions(stmt):
            yield from nested(inner)


def regions(stmt: Stmt) -> list[Region]:
    if isinstance(stmt, If):
        return [stmt.then, stmt.orelse]
    if isinstance(stmt, While):
        return [stmt.cond, stmt.body]
    if isinstance(stmt, For):
        return [stmt.body]
    return []


def operands(stmt: Stmt) -> list[Operand]:
    """The operands a statement reads directly (not those read inside its regions)."""
    if isinstance(stmt, Call):
        return [*stmt.args, *stmt.kwargs.values()]
    if isinstance(stmt, If):
        return [stmt.cond]
    if isinstance(stmt, While):
        return list(stmt.inits)
    if isinstance(stmt, For):
        return [stmt.iterable, *stmt.inits]
    raise TypeError(stmt)
