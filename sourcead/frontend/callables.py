"""A callable that is not a plain function -- a bound method, a callable object, a
``functools.partial`` -- as a plain function whose source sourcead can read.

``grad(model.loss)`` differentiates ``def loss(x): return self.loss(x)``, a function made here
whose global ``self`` is the bound object; its source is registered in `linecache` under a name
of its own, so `parse` reads it as any function's. The call in its body is then inlined as a
call of a method (`lower/calls.py`): ``self`` is a constant of the derivative, and its
attributes (``self.W``) are read when the derivative runs, like globals. The function keeps the
callable's parameters (names, kinds and defaults), so positions and names in ``wrt`` mean what
they mean for the callable; a callable taking ``*args`` or ``**kwargs`` is not made into one (it is
refused: forwarding them needs their lengths and keys, unknown when compiling).
"""

from __future__ import annotations

import functools
import inspect
import itertools
import linecache
import types

_counter = itertools.count(1)


def as_function(obj) -> types.FunctionType | None:
    """`obj` as a plain function calling it, or None when it is not a callable of this kind."""
    if isinstance(obj, types.MethodType) and isinstance(obj.__func__, types.FunctionType):
        holder, spelled, name = obj.__self__, f"self.{obj.__func__.__name__}", obj.__func__.__name__
        module = obj.__func__.__module__
    elif isinstance(obj, functools.partial):
        name = getattr(obj.func, "__name__", "partial")
        holder, spelled, module = obj, "partial", getattr(obj.func, "__module__", None)
    elif callable(obj) and isinstance(getattr(type(obj), "__call__", None), types.FunctionType) \
            and not isinstance(obj, (types.FunctionType, type)):
        holder, spelled, name = obj, "self", type(obj).__name__.lower()
        module = type(obj).__module__
    else:
        return None
    try:
        signature = inspect.signature(obj)
    except (TypeError, ValueError):
        return None
    if any(p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD) for p in signature.parameters.values()):
        return None  # forwarding them would spread a sequence of unknown length: refused as before
    return _make(name if name.isidentifier() else "f", spelled, holder, signature, module)


def _make(name: str, spelled: str, holder, signature: inspect.Signature, module) -> types.FunctionType:
    params, call_args = [], []
    seen_kwonly = False
    for p in signature.parameters.values():
        if p.kind is p.VAR_POSITIONAL:
            params.append(f"*{p.name}")
            call_args.append(f"*{p.name}")
            seen_kwonly = True
        elif p.kind is p.VAR_KEYWORD:
            params.append(f"**{p.name}")
            call_args.append(f"**{p.name}")
        elif p.kind is p.KEYWORD_ONLY:
            if not seen_kwonly:
                params.append("*")
                seen_kwonly = True
            params.append(p.name)
            call_args.append(f"{p.name}={p.name}")
        else:
            params.append(p.name)
            call_args.append(p.name)
    posonly = [p for p in signature.parameters.values() if p.kind is p.POSITIONAL_ONLY]
    if posonly:
        params.insert(len(posonly), "/")
    root, dot, attr = spelled.partition(".")
    if root in signature.parameters:  # a parameter of the callable's own takes the name
        root = "__callable__"
        spelled = root + dot + attr
    text = f"def {name}({', '.join(params)}):\n    return {spelled}({', '.join(call_args)})\n"
    filename = f"<sourcead: {name} of {type(holder).__name__} {next(_counter)}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    namespace = {root: holder, "__name__": module or "__main__"}
    exec(compile(text, filename, "exec"), namespace)
    fn = namespace[name]
    fn.__defaults__ = tuple(p.default for p in signature.parameters.values()
                            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD) and p.default is not p.empty) \
        or None
    fn.__kwdefaults__ = {p.name: p.default for p in signature.parameters.values()
                         if p.kind is p.KEYWORD_ONLY and p.default is not p.empty} or None
    return fn
