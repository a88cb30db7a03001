"""The pipeline: the one place that writes down the order of the stages.

    parse -> fence -> desugar -> to_ssa -> simplify                     (lower: the primal IR, per function)
    kinds -> pytree_ops -> containers -> private [-> simplify] -> hoist -> reverse [-> seed] | forward -> shapes -> simplify -> dce -> to_ast -> compile
                                                             (derive: per mode, wrt and argument kinds)

Higher order runs `derive` again on the IR that `derive` produced (grad of grad, jvp of grad).
A user function called by the one being lowered is lowered by `lower` too (through the
`callee_ir` that `cache` hands in, once per function), and a rule's body by `lower_rule` (once per
rule and process); no stage runs another stage.

Each stage is a function from one form to the next that leaves its input as it was. With
``SOURCEAD_VERIFY=1`` (the test suite sets it) the IR checker runs after every stage; with
``SOURCEAD_TRACE=1`` every stage's form is printed to stderr; `recording()` collects them.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import sys
import types

import gast

from .ad.forward import forward
from .ad.reverse import reverse
from .backend.compile import compile_function
from .backend.to_ast import emit_source
from .errors import InternalError, RuleError, SourceADError, UsageError
from .frontend.desugar import desugar
from .frontend.desugar_functions import lifted_text
from .frontend.fence import fence
from .frontend.parse import Parsed, parse, single_return
from .ir.core import Const, Function, Scope, Var, operands, walk
from .ir.printer import format_function
from .ir.verify import verify
from .lower.to_ssa import to_ssa
from .passes import (complexity, containers, dce, derivative_calls, effects, hoist, inplace, private, pytree_ops, seed,
                     shapes, simplify, split)
from .passes import kinds as kinds_mod


def _verify_enabled() -> bool:
    return os.environ.get("SOURCEAD_VERIFY", "") not in ("", "0")


_RECORDING: contextvars.ContextVar = contextvars.ContextVar("sourcead_stages", default=None)


@contextlib.contextmanager
def recording():
    """Collect (stage, its output as text) for every stage run inside the block."""
    forms: list = []
    token = _RECORDING.set(forms)
    try:
        yield forms
    finally:
        _RECORDING.reset(token)


@contextlib.contextmanager
def unrecorded():
    """Record nothing inside the block (a callee or a rule lowered on the way)."""
    token = _RECORDING.set(None)
    try:
        yield
    finally:
        _RECORDING.reset(token)


def _record(stage: str, text: str) -> None:
    forms = _RECORDING.get()
    if forms is not None:
        forms.append((stage, text))
    if os.environ.get("SOURCEAD_TRACE", "") not in ("", "0"):
        print(f"---- after {stage} ----\n{text}", file=sys.stderr)


def _source(stage: str, parsed: Parsed) -> Parsed:
    """A front-end stage's output, recorded as the Python it now is."""
    if _RECORDING.get() is not None or os.environ.get("SOURCEAD_TRACE", "") not in ("", "0"):
        _record(stage, gast.unparse(parsed.tree).strip() + lifted_text(parsed))
    return parsed


def _checked(fn: Function, stage: str) -> Function:
    if _verify_enabled():
        verify(fn, stage)
    if _RECORDING.get() is not None or os.environ.get("SOURCEAD_TRACE", "") not in ("", "0"):
        _record(stage, format_function(fn))
    return fn


@dataclasses.dataclass
class Lowered:
    scope: Scope  # where the function's free names resolve (not the function: the cache is weak)
    ir: Function
    guards: tuple  # (scope, name): the free variables holding data it reads (user's and helpers')


def lower(f, callee_ir, callee_tree=None, static=None) -> Lowered:
    """The primal function's IR: parse, fence, desugar, to_ssa, simplify. `callee_ir(fn, loc)` gives
    the IR of a user function it calls (this same function, applied once to it by `cache`),
    `callee_tree(fn, loc)` its desugared tree (`front`, once); `static` maps positions of
    parameters holding functions to the functions the IR is specialised for."""
    with _internal_errors(f):
        parsed = _source("desugar", desugar(_source("fence", fence(_source("parse", parse(f))))))
        ir = _checked(to_ssa(parsed, callee_ir, callee_tree, static), "to_ssa")
        ir = _checked(simplify.run(ir)[0], "simplify")
        return Lowered(parsed.scope, ir, _data_globals(ir) + _gradients_globals(ir, callee_ir))


def front(f) -> Parsed:
    """A callee's desugared tree (parse, fence, desugar), for a call inlined from its tree."""
    with _internal_errors(f):
        return desugar(fence(parse(f)))


def lower_rule(rule, callee_ir) -> Function | None:
    """A rule's body as IR, when the rule can be inlined (its body one ``return``, its parameters
    fixed), else None (the rule is then called). The same front half as `lower`."""
    params = rule.signature.parameters.values()
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in params):
        return None
    try:
        parsed = parse(rule.fn)
    except SourceADError:
        return None  # no source to read: the rule is called
    if not single_return(parsed):
        return None
    with _internal_errors(rule.fn):
        try:
            return _checked(to_ssa(desugar(fence(parsed)), callee_ir), "to_ssa")
        except SourceADError as err:
            if isinstance(err, InternalError):
                raise
            raise RuleError(f"the {rule.kind} rule {rule.name} is outside the subset sourcead inlines: "
                            f"{err.message}", err.loc) from err


def _data_globals(ir: Function) -> tuple:
    """(scope, name) of the free variables holding data (not modules or functions) that the
    function and the helpers inlined into it read: generated code reads them live, and a
    derivative is specialised for their kinds, so they are guarded."""
    found = []
    for stmt in walk(ir.body.body):
        for x in operands(stmt):
            if isinstance(x, Const) and x.scope is not None and x.spelling and "." not in x.spelling:
                v = x.value
                key = (x.scope, x.spelling)
                if not (isinstance(v, (types.ModuleType, type)) or callable(v)) and \
                        not any(s is key[0] and n == key[1] for s, n in found):
                    found.append(key)
    return tuple(found)


def _gradients_globals(ir: Function, callee_ir) -> tuple:
    """The data globals read by the functions of the gradients that `ir` calls: a gradient called
    on varying values is inlined (`passes/derivative_calls.py`) for those globals' kinds."""
    found = []
    for stmt in walk(ir.body.body):
        op = getattr(stmt, "op", None)
        if getattr(op, "chain", None) and isinstance(getattr(op, "f", None), types.FunctionType):
            found.extend(g for g in _data_globals(callee_ir(op.f, stmt.loc)) if g not in found)
    return tuple(found)


def _prepared(primal: Function, kinds: dict) -> tuple[Function, dict]:
    """The primal as the transforms take it: the operations on pytrees and sequences explicit, the
    alias checks that cannot fail dropped, the items of the dicts and records it builds read as the
    values stored (simplify, again, where any of those changed it), invariant arithmetic hoisted."""
    changed = False
    for stage in (pytree_ops, containers, private):
        explicit, kinds = stage.run(primal, kinds)
        if explicit is not primal:
            primal, changed = _checked(explicit, stage.__name__.rsplit(".", 1)[-1]), True
    if changed:
        primal, kinds = simplify.run(primal, kinds)
        primal = _checked(primal, "simplify")
    primal, kinds = hoist.run(primal, kinds)
    return _checked(primal, "hoist"), kinds


@dataclasses.dataclass
class Derived:
    ir: Function
    source: str
    fn: object  # the compiled function
    name: str
    backward: object = None  # a split vjp's pullback (fn returns the values and its residuals)
    n_values: int = 0  # (a split vjp: how many of fn's results are values)


def derive(lowered: Lowered, primal: Function, *, mode: str, wrt: tuple[int, ...], arg_kinds: dict,
           global_kinds: dict, name: str, rule_ir, derivative_ir=None) -> Derived:
    """One derivative of `primal` (the lowered function, or a derivative's IR: higher order),
    specialised for the kinds of its arguments: kinds are inferred once, here, and handed on.
    `rule_ir(rule)` is `lower_rule`, cached."""
    scope = lowered.scope
    mode, quiet = effects.split_mode(mode)  # "vjp_quiet": a vjp without the primal's prints and checks
    primal = _checked(effects.quiet(primal), "quiet") if quiet else primal
    with _internal_errors(scope):
        kinds = kinds_mod.infer(primal, {primal.params[i].var: k for i, k in arg_kinds.items()}, global_kinds)
        if derivative_ir is not None and derivative_calls.needed(primal):  # grad(f)(x) inside, x varying
            primal = _checked(derivative_calls.run(primal, kinds, derivative_ir), "derivative calls")
            kinds = kinds_mod.infer(primal, {primal.params[i].var: k for i, k in arg_kinds.items()}, global_kinds)
        primal, kinds = _prepared(primal, kinds)
        complexity.check(primal, kinds, wrt, mode)  # complex values only where the rules hold for them
        if mode == "jvp":
            ir, kinds = forward(primal, list(wrt), kinds, rule_ir=rule_ir)
            ir = _checked(ir, "forward")
        elif mode in ("grad", "value_and_grad", "grad_aux", "vjp", "vjp_split"):
            ir, kinds = _reverse(primal, mode, list(wrt), kinds, rule_ir)
        else:
            raise InternalError(f"unknown mode {mode!r}")
        ir, kinds = shapes.run(ir, kinds)
        dce.prune_region(ir.body)  # (its own copy) so that simplify counts only the live uses of a value
        ir, kinds = simplify.run(_checked(ir, "shapes"), kinds)
        ir = _checked(dce.run(_checked(ir, "simplify")), "dce")
        ir.name = name
        if mode == "vjp_split":
            return _split(ir, len(primal.body.yields), name, scope, arg_kinds, global_kinds)
        source, compiled = _emit(ir, name, scope, arg_kinds, global_kinds)
        return Derived(ir, source, compiled, name)


def _emit(ir: Function, name: str, scope, arg_kinds: dict, global_kinds: dict) -> tuple[str, object]:
    """The source of `ir` (written in place where it owns its arrays) and the compiled function."""
    known = kinds_mod.infer(ir, {ir.params[i].var: k for i, k in arg_kinds.items()}, global_kinds)  # dce's copy
    written = inplace.run(ir, known)  # what is emitted: `ir`, kept for higher order, stays functional
    written = written if written is ir else _checked(written, "inplace")
    source, bindings, _, line_locs = emit_source(written, name, scope)
    _record("to_ast", source.rstrip())
    return source, compile_function(source, name, bindings, scope, f"{scope.module}.{scope.qualname}", line_locs)


def _split(ir: Function, n_values: int, name: str, scope, arg_kinds: dict, global_kinds: dict) -> Derived:
    """A vjp as its forward sweep (`fn`: values and residuals) and its pullback (`backward`);
    one function (`backward` None) where it does not split (passes/split.py)."""
    parts = split.run(ir, n_values, n_values)
    if parts is None:
        source, compiled = _emit(ir, name, scope, arg_kinds, global_kinds)
        return Derived(ir, source, compiled, name)
    forward_ir, backward_ir = (_checked(p, "split") for p in parts)
    forward_ir.name, backward_ir.name = name, name + "_pullback"
    source, compiled = _emit(forward_ir, forward_ir.name, scope, arg_kinds, global_kinds)
    back_source, back = _emit(backward_ir, backward_ir.name, scope, {}, global_kinds)
    return Derived(ir, source + "\n\n" + back_source, compiled, name, back, n_values)


def _reverse(primal: Function, mode: str, wrt: list, kinds: dict, rule_ir) -> tuple[Function, dict]:
    """grad: the gradient of the (sum of the) results; value_and_grad: the results too;
    grad_aux: the results ``(value, aux)`` and the gradient of `value` alone; vjp: a cotangent
    parameter per result."""
    aux = mode == "grad_aux"
    if aux and not (primal.returns_tuple and len(primal.body.yields) == 2):
        raise UsageError(f"has_aux=True needs {primal.name} to return two values, (value, aux)", primal.loc,
                         "return value, aux -- aux may be any object, it is returned as it is")
    vjp = mode in ("vjp", "vjp_split")
    ir, kinds, seeds = reverse(primal, wrt, kinds, seed="param" if vjp else "ones",
                               with_value=mode in ("value_and_grad", "grad_aux", "vjp_split"),
                               outputs=[0] if aux else None, rule_ir=rule_ir)
    ir = _checked(ir, "reverse")
    if not vjp and len(seeds) == 1 and isinstance(seeds[0], Var):
        ir, kinds = seed.run(ir, kinds, wrt, seeds[0])
        ir = _checked(ir, "seed")
    ir.returns_tuple = vjp or len(ir.body.yields) != 1
    return ir, kinds


class _internal_errors:
    """Anything but a SourceADError escaping a stage is our bug: label it so."""

    def __init__(self, f):
        self.f = f

    def __enter__(self):
        return self

    def __exit__(self, kind, err, tb):
        if err is None or isinstance(err, SourceADError):
            return False
        if isinstance(err, Exception):
            raise InternalError(f"{kind.__name__} while compiling the derivative of "
                                f"{getattr(self.f, '__qualname__', None) or getattr(self.f, 'qualname', self.f)}: {err}") from err
        return False
