"""The context lowering passes to every function: the environment and the statement list of the
region being built, and what the whole function shares.

A region (a branch, a loop's condition or body, the right of `and`) is lowered in a child context
(`Context.child`): a copy of the environment and a fresh statement list, so what a region binds
stays in it unless the statement that made the region merges it back.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

from ..errors import Loc, UnsupportedSyntaxError
from ..frontend.invented import Invented
from ..frontend.parse import Parsed
from ..ir.core import Call, Operand, Var


@dataclasses.dataclass
class Unit:
    """What lowering one function shares across its regions."""

    parsed: Parsed
    callee_ir: Callable  # (function, call's Loc) -> its lowered IR, from the pipeline
    locals: frozenset  # the names the function binds (parameters included)
    callees: list = dataclasses.field(default_factory=list)  # the functions inlined, and how they were named
    return_shape: tuple | None = None  # (number of values, a tuple?) of the first return lowered
    callee_tree: Callable | None = None  # (function, call's Loc) -> its desugared Parsed (lower/calls.py)
    calls: dict = dataclasses.field(default_factory=dict)  # lower/calls.py's state, shared with inlined callees

    def invented(self, name: str) -> Invented | None:
        return self.parsed.invented.get(name)

    def hint(self, name: str) -> str | None:
        """The hint of a variable's values: the user's name, or the label of an invented one."""
        invented = self.invented(name)
        return name if invented is None else invented.label

    def loc(self, node) -> Loc:
        return self.parsed.loc(node)

    def error(self, node, message: str, hint: str | None = None, cls=UnsupportedSyntaxError):
        raise cls(message, self.loc(node), hint)


@dataclasses.dataclass
class Context:
    unit: Unit
    env: dict  # variable -> its current value (an Operand)
    stmts: list  # the statements of the region being built
    maybe_unbound: set  # variables bound on some paths only: a read checks at run time
    conditional: bool = False  # in an expression only some paths evaluate: reads learn nothing
    aliases: object = None  # which names hold the same object or a view of another's (lower/mutation.py)

    def child(self, conditional: bool | None = None) -> "Context":
        return Context(self.unit, dict(self.env), [], set(self.maybe_unbound),
                       self.conditional if conditional is None else conditional,
                       None if self.aliases is None else self.aliases.copy())

    def emit(self, op, args, kwargs=None, node=None, hint=None, ref=None) -> Var:
        out = Var(hint)
        loc = self.unit.loc(node) if node is not None else None
        self.stmts.append(Call([out], op, list(args), dict(kwargs or {}), loc, ref))
        return out

    def bind(self, name: str, value: Operand, n_before: int) -> None:
        """`name` now holds `value`; a value computed by this very statement (the statements from
        `n_before` on) takes the name as its hint (an invented name's label, if it names values)."""
        invented = self.unit.invented(name)
        names_values = invented is None or invented.names_values
        if names_values and isinstance(value, Var) and value.hint is None and value.of is None \
                and any(value in s.outs for s in self.stmts[n_before:]):
            value.hint = self.unit.hint(name)
        self.env[name] = value
        self.maybe_unbound.discard(name)
