"""entry: a Derivative's entry point, generated and compiled once per set of specialisations.

`Derivative.__call__` -- the general path -- binds the arguments, looks the compiled derivative for
their kinds up in a dictionary (compiling it on a miss, after checking the arguments), and gives
the results their arguments' types. When it is called again for argument kinds it has compiled a
derivative for, `Derivative._install_entry_point` gives it a `__call__` of its own (a derivative
called once pays nothing for it), written with `compile_entry` for the specialisations it has made
so far (the latest `MAX_SPECIALISATIONS`): each argument is tested inline against the key the
general path looks up -- its type, and an array's rank, dtype and whether it has an axis of length
1 -- then that specialisation's
generated function runs and its results get the conversion the general path gives them
(`as_gradient` wherever a result is not already of its argument's type, shape and dtype). Every
other call goes to the general path as it came: keyword arguments, other kinds, a rule registered
since (`registry.on_change` drops every entry point), a lowering gone stale or globals whose kinds
changed (tested for the specialisations that read data globals or inline helpers), an integer
array to promote, a function-valued argument, a dict, namedtuple or dataclass argument.

Guarantee: a call through the entry point returns what the general path returns for the same
arguments, and raises what it raises, with the same traceback trimming (`keep_traceback`); the
generated function runs once per call either way. ``SOURCEAD_FAST_CALLS=0`` turns entry points off.

For ``grad(f, wrt=(0, 1))`` called on two floats the entry point reads::

    def __call__(self, p0=_MISSING, p1=_MISSING, /, *args, **kwargs):
        try:
            if not args and not kwargs:
                if type(p0) is float and type(p1) is float:
                    r = _fn0(p0, p1)
                    g0, g1, = r
                    if type(g0) is float and type(g1) is float:
                        return r
                    g0 = _gradient(g0, p0)
                    g1 = _gradient(g1, p1)
                    return (g0, g1,)
            return _general(self, *[p for p in (p0, p1, ) if p is not _MISSING], *args, **kwargs)
        except _SourceADError as err:
            if _keep_traceback(err):
                raise
            raise err.with_traceback(None) from None

(`_general` is `Derivative.__call__` without its own trimming; `self._last = _d0` is set first
when the Derivative has more than one specialisation.)
"""

from __future__ import annotations

import dataclasses
import inspect
import linecache
import os

import numpy as np

from .errors import SourceADError
from .passes.kinds import SCALAR, SEQ, kind_of_value
from .runtime import as_gradient

_DIRECTORY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "")  # sourcead's, with a separator
MAX_SPECIALISATIONS = 4  # the latest ones get inline tests; others take the general path
MISSING = object()  # an argument not given


def enabled() -> bool:
    return os.environ.get("SOURCEAD_FAST_CALLS", "") != "0"


@dataclasses.dataclass(frozen=True)
class Spec:
    """One specialisation as the entry point calls it."""
    guards: tuple        # per argument: ("type", T) or ("array", ndim, dtype, unit_free)
    fn: object           # the generated function
    derived: object      # what `Derivative._last` becomes
    shape: tuple         # (mode, several, wrt, returns_tuple, single_value, has_aux)
    version: int         # the rule registry's version it was compiled at (later ones drop it)
    validity: tuple | None = None  # (lowering, its globals' kinds): tested on every call when not None


def guard(a):
    """The inline test that an argument has the general path's key for `a` (`api._fast_kind`), or
    None when no test of its type alone is exact (its kind depends on its contents)."""
    if type(a) is np.ndarray:  # its dtype itself (the key has its kind): a sufficient test, and a cheap one
        return ("array", a.ndim, a.dtype, 1 not in a.shape)  # and kinds' unit_free: no axis of length 1
    if kind_of_value(a) in (None, SCALAR, SEQ):  # what the type alone decides
        return ("type", type(a))
    return None


def guards(args) -> tuple | None:
    found = tuple(guard(a) for a in args)
    return None if any(g is None for g in found) else found


_BUILTIN_TYPES = {float: "float", int: "int", bool: "bool", tuple: "tuple", list: "list", str: "str"}


def _spelled(value, types: dict) -> str:
    """The name a type or dtype has in the entry point's namespace (`types`: (tag, value) -> name;
    the tag keeps a dtype apart from the type it compares equal to)."""
    if isinstance(value, type):
        return _BUILTIN_TYPES.get(value) or types.setdefault(("type", value), f"_type{len(types)}")
    return types.setdefault(("dtype", value), f"_dtype{len(types)}")


def _test(name: str, g, types: dict) -> str:
    if g[0] == "array":
        return (f"type({name}) is _ndarray and {name}.ndim == {g[1]} and {name}.dtype is {_spelled(g[2], types)} "
                f"and 1 {'not in' if g[3] else 'in'} {name}.shape")
    return f"type({name}) is {_spelled(g[1], types)}"


def _ready(g: str, p: str, guard_, types: dict) -> str | None:
    """A test that the gradient `g` of argument `p` already is what `api._gradient` makes of it
    (sufficient: where it fails, `_gradient` decides; None: no inline test)."""
    if guard_[0] == "array":
        if guard_[2].kind != "f":
            return None
        return f"type({g}) is _ndarray and {g}.dtype is {_spelled(guard_[2], types)} and {g}.shape == {p}.shape"
    if guard_[1] in (float, int):
        return f"type({g}) is float"
    return None


def _converted(g: str, p: str, guard_, types: dict) -> list[str]:
    """Lines giving the gradient `g` of argument `p` what `api._gradient` gives it."""
    test = _ready(g, p, guard_, types)
    if test is None:
        return [f"{g} = _gradient({g}, {p})"]
    return [f"if not ({test}):", f"    {g} = _gradient({g}, {p})"]


def _grads_results(spec: Spec, params: list[str], types: dict) -> list[str]:
    """grad's result: r itself when every gradient in it already has its argument's type."""
    _, several, wrt, returns_tuple, _, _ = spec.shape
    grads = [f"g{j}" for j in range(len(wrt))]
    lines = [f"{', '.join(grads)}, = r" if returns_tuple else "g0 = r"]
    tests = [_ready(g, params[i], spec.guards[i], types) for g, i in zip(grads, wrt)]
    if all(t is not None for t in tests):
        as_is = "r" if returns_tuple or not several else "(r,)"
        lines += [f"if {' and '.join(tests)}:", f"    return {as_is}"]
    lines += [f"{g} = _gradient({g}, {params[i]})" for g, i in zip(grads, wrt)]
    return lines + [f"return ({', '.join(grads)},)" if several else "return g0"]


def _results(spec: Spec, params: list[str], types: dict) -> list[str]:
    """Lines turning r, the generated function's result, into the call's result (what
    `Derivative._runner` and `_aux_runner` return)."""
    mode, several, wrt, returns_tuple, single_value, has_aux = spec.shape
    if mode == "grad" and not has_aux:
        return _grads_results(spec, params, types)
    n = len(wrt)
    grads = [f"g{j}" for j in range(n)]
    if has_aux:
        lines = [f"value, aux, {', '.join(grads)}{',' if n == 1 else ''} = r"]
    else:
        lines = ([] if returns_tuple else ["r = (r,)"]) + [f"g{j} = r[{j - n}]" for j in range(n)]
    for j, i in enumerate(wrt):
        lines += _converted(f"g{j}", params[i], spec.guards[i], types)
    grads_expr = f"({', '.join(grads)},)" if several else grads[0]
    if has_aux:
        return lines + [f"return (value, aux), {grads_expr}" if mode == "value_and_grad" else
                        f"return {grads_expr}, aux"]
    single = "len(values) == 1" if single_value else "False"
    return lines + [f"values = r[:len(r) - {n}]", f"return (values[0] if {single} else tuple(values)), {grads_expr}"]


def _branch(k: int, spec: Spec, params: list[str], types: dict, record_last: bool) -> list[str]:
    tests = [_test(p, g, types) for p, g in zip(params, spec.guards, strict=True)]
    if spec.validity is not None:
        tests.append(f"_lowered(_f) is _low{k} and _global_kinds(_low{k}) == _gk{k}")
    body = ([f"self._last = _d{k}"] if record_last else []) + [f"r = _fn{k}({', '.join(params)})"]
    body += _results(spec, params, types)
    return [f"if {' and '.join(tests) or 'True'}:"] + ["    " + line for line in body]


def source(defaults: list, specs: list[Spec], types: dict, record_last: bool = True) -> str:
    """The entry point's text: `defaults[i]` is MISSING or the parameter's default; `types` gets
    the name each type other than the builtins' is spelled with; `record_last`: set
    `Derivative._last` (which needs no setting while the Derivative has one derivative only)."""
    params = [f"p{i}" for i in range(len(defaults))]
    signature = ", ".join(["self"] + [f"{p}=_MISSING" for p in params] + (["/"] if params else []) +
                          ["*args", "**kwargs"])
    given = "".join(p + ", " for p in params)
    lines = [f"def __call__({signature}):", "    try:", "        if not args and not kwargs:"]
    lines += [f"            if {p} is _MISSING:\n                {p} = _defaults[{i}]"
              for i, p in enumerate(params) if defaults[i] is not MISSING]
    for k, spec in enumerate(specs):
        lines += ["            " + line for line in _branch(k, spec, params, types, record_last)]
    lines += [f"        return _general(self, *[p for p in ({given}) if p is not _MISSING], *args, **kwargs)",
              "    except _SourceADError as err:",
              "        if _keep_traceback(err):",
              "            raise",
              "        raise err.with_traceback(None) from None"]
    return "\n".join(lines) + "\n"


def compile_entry(name: str, defaults: list, specs: list[Spec], general, keep_traceback, lowered, global_kinds, f,
                  record_last: bool = True):
    """The entry point as a function, its source registered with linecache under a file name in
    sourcead's package (so that `frontend.parse.caller_loc` passes over its frame, as over the
    general path's)."""
    types: dict = {}
    text = source(defaults, specs, types, record_last)
    filename = _DIRECTORY + f"<entry point of {name}>"
    namespace = {"_MISSING": MISSING, "_general": general, "_ndarray": np.ndarray,
                 "_gradient": gradient, "_SourceADError": SourceADError,
                 "_keep_traceback": keep_traceback, "_defaults": defaults, "_lowered": lowered,
                 "_global_kinds": global_kinds, "_f": f,
                 "__name__": __name__}  # a sourcead frame (pdb's skip=["sourcead.*"] steps over it)
    namespace.update({spelled: value for (_, value), spelled in types.items()})
    for k, spec in enumerate(specs):
        namespace.update({f"_fn{k}": spec.fn, f"_d{k}": spec.derived})
        if spec.validity is not None:
            namespace.update({f"_low{k}": spec.validity[0], f"_gk{k}": spec.validity[1]})
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    return namespace["__call__"]


def gradient(g, x):
    """as_gradient, short-circuited where g already is what the user gets back."""
    if type(g) is float and type(x) in (float, int):
        return g
    if type(g) is np.ndarray and type(x) is np.ndarray and g.shape == x.shape and g.dtype.kind == "f":
        return g
    return as_gradient(g, x)


def parameter_defaults(signature: inspect.Signature) -> list:
    return [MISSING if p.default is p.empty else p.default for p in signature.parameters.values()]
