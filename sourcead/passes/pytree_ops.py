"""pytree_ops: operations on dicts, namedtuples and dataclass instances made explicit, from kinds.

Output guarantees, for values whose kind (`kinds.Dict`, `kinds.Record`) says which keys or fields
they hold -- known when compiling, since a derivative is specialised for its arguments' kinds:

    v = .get(d, "w", 0.0)     ->  v = getitem(d, "w")        ("w" a key of d; else v is the default)
    k = .keys(d)              ->  k is the tuple of d's keys
    vs = .values(d)           ->  vs = [d["w"], d["b"]]                 (a list)
    its = .items(d)           ->  its = [("w", d["w"]), ("b", d["b"])]
    k = getitem(d, i)         ->  k = getitem(("w", "b"), i)  (i a number: `for k in d`, desugared)
    n = len(d); b = in_("w", d)   ->  n is 2, b is True      (constants: d's keys are known)
    w = .W(p)                 ->  w = getitem(p, 0)           (p a namedtuple whose field 0 is W)
    w = .W(p)                 ->  w = field(p, "W")           (p a dataclass instance)
    d_1 = index_update(d, "w", v)  ->  d_1 = dict_with(d, "w", v)   (``d["w"] = v`` on a dict)
    p = Params(w, b=b)        ->  t = tuple(w, b); p = make_record(Params, ("w", "b"), t)
                                  (a namedtuple or dataclass whose constructor only stores its arguments)

so that only indexing, building and `runtime.field`, which have derivative rules, meet such a
value. A dict whose keys are known only when it runs (`kinds.OpenDict`: a dict comprehension's)
is read by key as Python does; ``len`` of it, which iterating over it needs (the desugared loop
reads it by position), is refused. Any other method or attribute of such a value (``p.norm()``, ``d.copy()``) becomes
`runtime.unmodelled_method` / `unmodelled_attribute`, which have no rule: the transforms refuse
it where it depends on a `wrt` input (it is never taken for ndarray's method of the same name).
Refused here, located: a key the dict does not hold (Python's KeyError), and a dict with integer
keys indexed by a computed number (a lookup or an iteration: sourcead cannot tell). A dict whose
kind is not known keeps its operations as written.
"""

from __future__ import annotations

import operator

from .. import runtime
from ..errors import UnsupportedSyntaxError
from ..ir.builder import clone_function, substitute
from ..ir.core import Attr, Call, Const, Function, Method, Var, make_list, make_tuple, regions, walk
from ..ir.ops import in_, not_in
from . import kinds as kinds_mod

_METHODS = ("get", "keys", "values", "items")


def run(fn: Function, kinds: dict) -> tuple[Function, dict]:
    """A copy of `fn` with the operations on dicts and records made explicit, and its kinds."""
    if not any(_container(st, kinds) is not None or _dict_write(st, kinds) or _built_record(st)
               for st in walk(fn.body.body) if isinstance(st, Call)):
        return fn, kinds
    mapping: dict = {}
    copy = clone_function(fn, mapping)
    kinds = kinds_mod.renamed(kinds, mapping)
    replaced: dict = {}
    copy.body.body = _block(copy.body.body, kinds, replaced)
    if replaced:
        substitute(copy.body, replaced)
    kinds_mod.extend(copy.body.body, kinds)
    return copy, kinds


def _container(st: Call, kinds: dict):
    """The dict or record kind of the value a call reads a key, field, view or size of; else None."""
    if not st.args or not st.outs:
        return None
    if st.op in (in_, not_in) and len(st.args) == 2 and isinstance(st.args[0], Const) and st.args[0].spelling is None:
        k = kinds_mod.of(st.args[1], kinds)
        return k if isinstance(k, kinds_mod.Dict) and not isinstance(k, kinds_mod.Record) else None
    k = kinds_mod.of(st.args[0], kinds)
    if isinstance(k, kinds_mod.OpenDict) and st.op is len:  # iterating over it reads it by position
        raise UnsupportedSyntaxError(
            "iterating over (or len() of) a dict whose keys sourcead knows only when it runs (a dict "
            "comprehension's, or one with other keys on another path) is not supported", st.loc,
            "iterate over a list of the keys (for k in names: d[k]), or build the dict with literal keys")
    if st.op is len and len(st.args) == 1 and not st.kwargs and isinstance(k, kinds_mod.Dict) \
            and not isinstance(k, kinds_mod.Record):
        return k
    if not isinstance(k, kinds_mod.Dict):
        return None
    if isinstance(st.op, (Method, Attr)):
        return k
    if st.op is operator.getitem and not st.kwargs and len(st.args) == 2:
        return k
    return None


def _block(stmts: list, kinds: dict, replaced: dict) -> list:
    out = []
    for st in stmts:
        for region in regions(st):
            region.body = _block(region.body, kinds, replaced)
        if isinstance(st, Call) and replaced:  # a value replaced above is read as what replaced it
            st.args = [replaced.get(a, a) if isinstance(a, Var) else a for a in st.args]
            st.kwargs = {n: replaced.get(a, a) if isinstance(a, Var) else a for n, a in st.kwargs.items()}
        k = _container(st, kinds) if isinstance(st, Call) else None
        new = [st] if k is None else _rewrite(st, k, kinds, replaced)
        if isinstance(st, Call) and _dict_write(st, kinds):
            new = [_call(st, runtime.dict_with, list(st.args), st.outs[0])]  # d[k] = v on a dict
        if isinstance(st, Call) and _built_record(st):
            cls, names, values = kinds_mod.record_arguments(st)
            packed = Var()
            new = [_call(st, make_tuple, values, packed),
                   _call(st, runtime.make_record, [Const(cls), Const(names), packed], st.outs[0])]
        kinds_mod.extend(new, kinds)  # a field read here may be a record read next
        out.extend(new)
    return out


def _built_record(st: Call) -> bool:
    """Whether `st` builds a namedtuple or dataclass instance sourcead models (``Params(w, b=b)``)."""
    return isinstance(st.op, type) and bool(st.outs) and kinds_mod.record_arguments(st) is not None


def _dict_write(st: Call, kinds) -> bool:
    """Whether `st` is ``d[k] = v`` on a dict (index_update, which has no rule for dicts)."""
    return st.op is runtime.index_update and bool(st.args) and _is_dict(st.args[0], kinds)


def _is_dict(x, kinds) -> bool:
    return isinstance(kinds_mod.of(x, kinds), (kinds_mod.Dict, kinds_mod.OpenDict)) \
        and not isinstance(kinds_mod.of(x, kinds), kinds_mod.Record)


def _rewrite(st: Call, k, kinds: dict, replaced: dict) -> list:
    """The statements that replace `st` (none where its result is a value already there)."""
    x, out = st.args[0], st.outs[0]
    unmodelled = isinstance(st.op, Attr) and not (isinstance(k, kinds_mod.Record) and st.op.name in k.keys) \
        or isinstance(st.op, Method) and (st.op.name not in _METHODS or isinstance(k, kinds_mod.Record))
    if unmodelled:  # a method or attribute that is not ndarray's: its own call, with no rule
        op = runtime.unmodelled_attribute if isinstance(st.op, Attr) else runtime.unmodelled_method
        return [Call([out], op, [x, Const(st.op.name), *st.args[1:]], dict(st.kwargs), st.loc, None, st.tag)]
    if st.op is len:
        replaced[out] = Const(len(k.keys))
        return []
    if st.op in (in_, not_in):
        replaced[out] = Const((x.value in k.keys) == (st.op is in_))
        return []
    if isinstance(st.op, Attr):
        if k.named_tuple:
            return [_call(st, operator.getitem, [x, Const(k.keys.index(st.op.name))], out)]
        return [_call(st, runtime.field, [x, Const(st.op.name)], out)]
    if st.op is operator.getitem:
        return [_item(st, k, kinds)]
    name = st.op.name
    if name == "get":
        return _get(st, k, replaced)
    if st.args[1:] or st.kwargs:
        raise UnsupportedSyntaxError(f"dict.{name}() takes no arguments", st.loc)
    if name == "keys":
        replaced[out] = Const(k.keys)
        return []
    stmts, items = [], []
    for key in k.keys:
        value = Var()
        stmts.append(_call(st, operator.getitem, [x, Const(key)], value))
        if name == "items":
            pair = Var()
            stmts.append(_call(st, make_tuple, [Const(key), value], pair))
            value = pair
        items.append(value)
    return stmts + [_call(st, make_list, items, out)]


def _get(st: Call, k, replaced: dict) -> list:
    """``d.get(key, default)`` with a constant key: the item, or the default."""
    x, out = st.args[0], st.outs[0]
    key = st.args[1] if len(st.args) > 1 else None
    if st.kwargs or len(st.args) not in (2, 3) or not (isinstance(key, Const) and key.spelling is None):
        raise UnsupportedSyntaxError("dict.get with a key that is not a literal is not supported by sourcead",
                                     st.loc, 'write the key as a literal: d.get("w", 0.0)')
    if key.value in k.keys:
        return [_call(st, operator.getitem, [x, key], out)]
    replaced[out] = st.args[2] if len(st.args) == 3 else Const(None)
    return []


def _item(st: Call, k, kinds: dict) -> Call:
    """``d[key]``: a key the dict holds; ``d[i]`` with a number `i`: the i-th key (iterating)."""
    x, index = st.args
    if isinstance(k, kinds_mod.Record):
        return st  # a namedtuple's item, or a dataclass's (which Python refuses)
    if isinstance(index, Const) and index.spelling is None:
        if index.value not in k.keys:
            raise UnsupportedSyntaxError(f"the key {index.value!r} is not in this dict (its keys: "
                                         f"{', '.join(map(repr, k.keys))})", st.loc,
                                         "read a key the dict holds, or use d.get(key, default)")
        return st
    if not kinds_mod.is_scalar(index, kinds):
        return st  # a key computed at run time (`for k in d: d[k]`): looked up as Python does
    if not all(isinstance(key, str) for key in k.keys):
        raise UnsupportedSyntaxError("a dict with integer keys indexed by a computed number (a lookup, or an "
                                     "iteration over its keys) is not supported by sourcead", st.loc,
                                     "use string keys, or iterate over a list of the keys")
    return _call(st, operator.getitem, [Const(k.keys), index], st.outs[0])


def _call(st: Call, op, args: list, out) -> Call:
    return Call([out], op, args, {}, st.loc, None, st.tag)
