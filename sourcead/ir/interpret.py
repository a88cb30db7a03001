"""A reference interpreter for the IR: evaluating a lowered program must equal running the
function. Every stage can be tested this way without code generation.
"""

from __future__ import annotations

from .core import Call, Const, For, Function, If, Region, While


def interpret(fn: Function, *args):
    env = {}
    if len(args) > len(fn.params):
        raise TypeError(f"{fn.name}() takes {len(fn.params)} arguments, got {len(args)}")
    for i, p in enumerate(fn.params):
        if i < len(args):
            env[p.var] = args[i]
        elif p.default is not None:
            env[p.var] = p.default.value
        else:
            raise TypeError(f"{fn.name}() missing argument {p.var.hint!r}")
    results = run_region(fn.body, env, [])
    if fn.returns_tuple:
        return tuple(results)
    return results[0] if results else None


def _value(x, env):
    return x.value if isinstance(x, Const) else env[x]


def run_region(region: Region, env: dict, params: list):
    for p, v in zip(region.params, params, strict=True):
        env[p] = v
    for stmt in region.body:
        if isinstance(stmt, Call):
            result = stmt.op(*[_value(a, env) for a in stmt.args],
                             **{k: _value(v, env) for k, v in stmt.kwargs.items()})
            if stmt.outs:
                env[stmt.outs[0]] = result
            continue
        if isinstance(stmt, If):
            taken = stmt.then if _value(stmt.cond, env) else stmt.orelse
            values = run_region(taken, env, [])
        elif isinstance(stmt, While):
            values = [_value(a, env) for a in stmt.inits]
            while run_region(stmt.cond, env, values)[0]:
                values = run_region(stmt.body, env, values)
        elif isinstance(stmt, For):
            values = [_value(a, env) for a in stmt.inits]
            for item in _value(stmt.iterable, env):
                values = run_region(stmt.body, env, [item, *values])
        else:
            raise TypeError(stmt)
        for out, v in zip(stmt.outs, values, strict=True):
            env[out] = v
    return [_value(y, env) for y in region.yields]
