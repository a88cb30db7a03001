"""Rule templates: a rule's body as IR, instantiated with operands substituted.

A rule whose body is one ``return`` is *inlined*: its IR (lowered once per process by the
pipeline, which hands it in) is copied into the derivative with the rule's parameters replaced by
the call's operands, so generated code reads ``dx = dy * np.cos(x)`` rather than a call to a
helper. Any other rule is called.
"""

from __future__ import annotations

import inspect
import operator

from ..errors import RuleError, UnsupportedCallError
from ..ir.builder import clone_region
from ..ir.core import Call, Const, Function, Operand, Var, regions
from ..rules.registry import Rule


class _Placeholder:
    """Stands for an operand while binding a call's arguments to a rule's signature."""

    __slots__ = ("operand",)

    def __init__(self, operand):
        self.operand = operand


def _normalize(target, args, kwargs):
    """Pass arguments positionally where the target's own signature allows, so a call written
    with the library's parameter names (``np.mean(a=x)``) binds to a rule whatever it names them."""
    try:
        sig = inspect.signature(target)
        bound = sig.bind(*args, **kwargs)
    except (TypeError, ValueError):
        return args, kwargs
    positional, rest = [], dict(bound.arguments)
    for p in sig.parameters.values():
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) or p.name not in rest:
            break
        positional.append(rest.pop(p.name))
    for p in sig.parameters.values():
        if p.kind == p.VAR_POSITIONAL and p.name in rest:
            positional.extend(rest.pop(p.name))
        elif p.kind == p.VAR_KEYWORD and p.name in rest:
            rest.update(rest.pop(p.name))
    return positional, rest


def bind(rule: Rule, first: Operand, ans: Operand, args, kwargs, loc=None) -> dict[str, object]:
    """Bind (first, ans, *args, **kwargs) to the rule's parameters: name -> Operand (or tuple of
    Operands for a *args parameter). Defaults are filled in as constants."""
    if kwargs:
        args, kwargs = _normalize(rule.target, list(args), dict(kwargs))
    try:
        bound = rule.signature.bind(_Placeholder(first), _Placeholder(ans),
                                    *[_Placeholder(a) for a in args],
                                    **{k: _Placeholder(v) for k, v in kwargs.items()})
    except TypeError as err:
        raise UnsupportedCallError(
            f"this call to {getattr(rule.target, '__name__', rule.target)} uses arguments its derivative "
            f"rule {rule.name} does not take ({err})", loc,
            "call it with the arguments the rule supports, or register your own rule with "
            "@sourcead.adjoint") from None
    bound.apply_defaults()
    out = {}
    for name, value in bound.arguments.items():
        kind = rule.signature.parameters[name].kind
        if isinstance(value, _Placeholder):
            out[name] = value.operand
        elif kind is inspect.Parameter.VAR_POSITIONAL:
            out[name] = tuple(v.operand if isinstance(v, _Placeholder) else Const(v) for v in value)
        elif kind is inspect.Parameter.VAR_KEYWORD:
            out[name] = {k: v.operand if isinstance(v, _Placeholder) else Const(v) for k, v in value.items()}
        else:
            out[name] = Const(value)  # a default, whatever its type (a tuple default is one value)
    return out


def check_varargs(rule: Rule, bound: dict, varies, loc) -> None:
    """A differentiable *args parameter whose values vary is refused: a rule's entries are one per
    named parameter, so its elements would silently get no derivative."""
    for name in rule.diff_params:
        value = bound.get(name)
        values = value if isinstance(value, tuple) else value.values() if isinstance(value, dict) else ()
        if any(varies(v) for v in values):
            raise RuleError(f"the {rule.kind} rule {rule.name} takes {name!r} as *args or **kwargs, which "
                            "sourcead cannot differentiate element by element", loc,
                            "register the rule with one named parameter per differentiable argument")


def instantiate(rule: Rule, body: Function | None, bound: dict, index: int, emit: list, loc,
                tag: str) -> Operand | None:
    """Emit the statements computing entry `index` of the rule's result; return its operand.
    `body` is the rule's IR when it is inlined (see `pipeline.rule_ir`), None when it is called."""
    n = len(rule.diff_params)
    if body is not None:
        mapping = {p.var: bound[name] for p, name in zip(body.params, rule.signature.parameters, strict=True)}
        region = clone_region(body.body, mapping)
        for stmt in region.body:
            _relocate(stmt, loc, tag)
        emit.extend(region.body)
        results = region.yields
        if body.returns_tuple:
            if len(results) != n:
                raise RuleError(f"the {rule.kind} rule {rule.name} returns {len(results)} values for "
                                f"{n} differentiable parameters {rule.diff_params}")
            result = results[index]
        else:
            if n != 1:
                raise RuleError(f"the {rule.kind} rule {rule.name} returns one value for {n} "
                                f"differentiable parameters {rule.diff_params}")
            result = results[0]
        if isinstance(result, Const) and result.value is None and result.spelling is None:
            return None
        return result
    # Called, not inlined.
    args, kwargs = [], {}
    for name, param in rule.signature.parameters.items():
        value = bound.get(name)
        if value is None:
            continue
        if param.kind == param.VAR_POSITIONAL:
            args.extend(value)
        elif param.kind == param.VAR_KEYWORD:
            kwargs.update(value)
        elif param.kind == param.KEYWORD_ONLY:
            kwargs[name] = value
        else:
            args.append(value)
    res = Var()
    emit.append(Call([res], rule.fn, args, kwargs, loc, Const(rule.fn, rule.fn.__name__), tag))
    if n == 1:
        return res
    item = Var()
    emit.append(Call([item], operator.getitem, [res, Const(index)], {}, loc, None, tag))
    return item


def _relocate(stmt, loc, tag) -> None:
    stmt.loc = loc
    stmt.tag = tag
    for r in regions(stmt):
        for s in r.body:
            _relocate(s, loc, tag)

