"""What reverse and forward mode share: the copy of the function they transform with its kinds, one
dispatch over statements, zeros, the kinds of the values they create, and rule lookup.

A transform never changes its input: it works on a copy (`copy_function`), whose kinds are the
input's, carried over. Each value it creates is recorded in the kinds table as it is emitted
(`note`; a derivative has its primal's kind: `know`), so the table it hands on covers the whole
derivative and no later pass infers kinds again.
"""

from __future__ import annotations

import operator

from .. import runtime
from ..errors import InternalError, NonDifferentiableError, UnsupportedCallError
from ..ir.builder import clone_function
from ..ir.core import Attr, Call, Const, For, Function, If, Operand, Var, While, derivative
from ..ir.printer import op_name
from ..passes import kinds as kinds_mod
from ..passes.activity import varied
from ..passes.complexity import complex_values, may_be_complex
from ..passes.dce import EFFECTS
from ..rules import complex_, registry
from ..rules.registry import Rule, rule_key

GRAD = "grad"  # the tag of reverse-sweep statements (the back end comments them)
TANGENT = "tangent"
# the value itself, after a check that may raise: its derivative is its operand's
IDENTITY_OPS = EFFECTS


def copy_function(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """A copy of `fn` to transform, and its kinds (keyed by the copy's values)."""
    mapping: dict = {}
    copy = clone_function(fn, mapping)
    return copy, kinds_mod.renamed(kinds, mapping)


class Transform:
    """The state and dispatch shared by `Reverse` and `Forward`; `backwards` orders the walk."""

    tag = ""
    backwards = False

    def __init__(self, fn: Function, wrt: list[int], kinds: dict, rule_ir):
        self.fn = fn
        self.kinds = kinds
        self.rule_ir = rule_ir  # Rule -> its body's IR (inlined) or None (called)
        self.active = varied(fn, [fn.params[i].var for i in wrt])
        self.facts: dict = {}  # kinds the transform knows and inference cannot show (derivatives, pops)
        self.complex = complex_values(fn, kinds)  # the values that may be complex (passes/complexity.py)

    def region(self, region, env: dict, emit: list) -> None:
        for stmt in (reversed(region.body) if self.backwards else region.body):
            if isinstance(stmt, Call):
                self.call(stmt, env, emit)
            elif isinstance(stmt, If):
                self.if_(stmt, env, emit)
            elif isinstance(stmt, (While, For)):
                self.loop(stmt, env, emit)
            else:
                raise InternalError(f"unknown statement {stmt!r}")

    def call(self, stmt: Call, env: dict, emit: list) -> None:
        raise NotImplementedError

    def if_(self, stmt: If, env: dict, emit: list) -> None:
        raise NotImplementedError

    def loop(self, stmt, env: dict, emit: list) -> None:
        raise NotImplementedError

    # ---- values ---------------------------------------------------------------------------------
    def varies(self, x) -> bool:
        return isinstance(x, Var) and x in self.active

    def know(self, d, primal) -> None:
        """A derivative value has its primal's kind (rules promise the argument's shape)."""
        k = self.kinds.get(primal) if isinstance(primal, Var) else None
        if isinstance(d, Var) and k is not None:
            self.facts[d] = self.kinds.setdefault(d, k)

    def note(self, stmts: list) -> None:
        """Record the kinds of the values that freshly emitted statements define."""
        kinds_mod.extend(stmts, self.kinds)

    def zero(self, v: Operand, emit: list, loc) -> Operand:
        """The zero derivative of `v`: 0.0 for a number, zeros of its shape otherwise."""
        if isinstance(v, Const) and isinstance(v.value, (int, float, bool, type(None))) \
                or kinds_mod.is_scalar(v, self.kinds):
            return Const(0.0)  # (a constant array or sequence gets zeros of its shape, below)
        z = derivative(v)
        zeros = runtime.complex_zeros_like if v in self.complex else runtime.zeros_like_input  # (written into)
        emit.append(Call([z], zeros, [v], {}, loc, None, self.tag))
        self.know(z, v)
        return z

    def add(self, a: Operand, b: Operand, v: Var, emit: list, loc) -> Var:
        """a + b, two derivatives of `v` (a container's add element by element)."""
        total = derivative(v)
        op = operator.add if kinds_mod.numeric(self.kinds.get(v)) else runtime.add_cotangents
        emit.append(Call([total], op, [a, b], {}, loc, None, self.tag))
        self.know(total, v)
        return total

    def touches_complex(self, stmt: Call) -> bool:
        """Whether a call reads or makes a value that may be complex."""
        return any(may_be_complex(a, self.kinds, self.complex) for a in (*stmt.args, *stmt.kwargs.values())) \
            or any(o in self.complex for o in stmt.outs)

    # ---- rules ----------------------------------------------------------------------------------
    def check_constants(self, rule: Rule, bound: dict, stmt: Call) -> None:
        """A parameter the rule treats as a constant must not vary (in either mode)."""
        for name in list(rule.signature.parameters)[2:]:
            if name not in rule.diff_params and any(self.varies(v) for v in _values(bound.get(name))):
                raise NonDifferentiableError(
                    f"the argument {name!r} of {describe(stmt)} depends on the differentiated inputs, but "
                    f"the rule {rule.name} treats it as a constant", stmt.loc,
                    "make it independent of the inputs, or register a rule that differentiates it")

    def rule(self, stmt: Call, kind: str) -> Rule | None:
        """The rule of `kind` for the call, None if its result is declared nondifferentiable;
        a call on varied values with neither is refused (never assumed constant)."""
        key = rule_key(stmt.op, stmt.args)
        rule = self.complex and self.touches_complex(stmt) and complex_.complex_rule(key, kind) \
            or (registry.lookup_adjoint if kind == "adjoint" else registry.lookup_tangent)(key)
        if rule is not None or registry.is_nondifferentiable(key):
            return rule
        if key in (runtime.unmodelled_method, runtime.unmodelled_attribute):
            name = stmt.args[1].value
            what = f"the method .{name}()" if key is runtime.unmodelled_method else f"the attribute .{name}"
            raise UnsupportedCallError(
                f"sourcead has no derivative rule for {what} of a dict, namedtuple or dataclass instance, and it "
                "is called here with a value that depends on the differentiated inputs", stmt.loc,
                "read the items or fields (d['w'], p.w, d.get, keys, values, items) and compute with those")
        if getattr(key, "__module__", None) == runtime.__name__:  # a helper of another rule's derivative
            raise UnsupportedCallError(
                f"the derivative of this line calls sourcead's helper {key.__name__}, which has no "
                f"{'derivative' if kind == 'adjoint' else 'forward-mode (tangent)'} rule: this higher-order "
                "derivative of the function called here is not supported", stmt.loc,
                "differentiate it one time fewer, or take finite differences of sourcead's derivative "
                "(the notes of docs/supported.md say which functions have which orders)")
        if isinstance(key, Attr):  # not an array's attribute (those have rules or are refused as such)
            raise UnsupportedCallError(
                f"reading the attribute .{key.name} of a value that depends on the differentiated inputs: "
                "sourcead knows the fields of a dataclass or namedtuple only when it is an argument", stmt.loc,
                "pass the object in as an argument (its array and float fields are differentiated), or use a "
                "dict or a tuple here")
        what = describe(stmt)
        target = f"type({stmt.args[0].spelling}).__getitem__" if what.endswith("[...]") else what
        first = "ct" if kind == "adjoint" else "t"
        mode = "derivative" if kind == "adjoint" else "forward-mode (tangent)"
        raise UnsupportedCallError(
            f"sourcead has no {mode} rule for {what}, and it is called here with a value that depends on "
            "the differentiated inputs", stmt.loc,
            f"register one: @sourcead.{kind}({target})\n"
            f"def rule({first}, ans, *args): return <the {'cotangent' if kind == 'adjoint' else 'tangent'} "
            "of each differentiable argument>")


def _values(value) -> tuple:
    """The operands a bound rule parameter holds (several for *args and **kwargs)."""
    return value if isinstance(value, tuple) else tuple(value.values()) if isinstance(value, dict) else (value,)


def describe(stmt: Call) -> str:
    """How the user's source named a call's operation."""
    if stmt.op is operator.getitem and isinstance(stmt.args[0], Const) and stmt.args[0].spelling:
        return f"{stmt.args[0].spelling}[...]"
    if stmt.ref is not None and stmt.ref.spelling:
        return stmt.ref.spelling
    return op_name(stmt.op)
