"""Pytrees, as JAX users know them: nested tuples, lists, dicts, namedtuples and dataclass
instances whose leaves are numbers and arrays.

What this module guarantees: `children` and `rebuild` take a node apart and put one of the same
type back together (a namedtuple stays that namedtuple, a dataclass instance becomes a copy of
the same class with new field values, a dict keeps its keys in order), and `map_leaves` applies
a function to every leaf, keeping the structure. `is_node` says what counts as a node. It imports
nothing of sourcead, so the API (which checks and shapes what the user passes and
gets back) and the compiler's lower layers can both use it.
"""

from __future__ import annotations

import copy
import dataclasses


def is_named_tuple(x) -> bool:
    return isinstance(x, tuple) and hasattr(type(x), "_fields")


def is_record(x) -> bool:
    """A dataclass instance (not the class)."""
    return dataclasses.is_dataclass(x) and not isinstance(x, type)


def is_structure(x) -> bool:
    """A dict, namedtuple or dataclass instance (the pytree nodes that are not plain sequences)."""
    return isinstance(x, dict) or is_named_tuple(x) or is_record(x)


def is_node(x) -> bool:
    """Any pytree node: a list, a tuple, or a structure."""
    return isinstance(x, (list, tuple)) or is_structure(x)


def children(x) -> list:
    """(key, child) pairs of a node: dict keys, field names, or positions."""
    if isinstance(x, dict):
        return list(x.items())
    if is_record(x):
        return [(f.name, getattr(x, f.name)) for f in dataclasses.fields(x)]
    if is_named_tuple(x):
        return list(zip(type(x)._fields, x))
    return list(enumerate(x))


def rebuild(x, values: list):
    """A node of x's type whose children are `values` (in `children(x)`'s order)."""
    if isinstance(x, dict):
        return dict(zip(x.keys(), values, strict=True))
    if is_record(x):
        out = copy.copy(x)
        for f, v in zip(dataclasses.fields(x), values, strict=True):
            object.__setattr__(out, f.name, v)
        return out
    if is_named_tuple(x):
        return type(x)(*values)
    return type(x)(values)


def map_leaves(fn, x):
    """`x` with `fn` applied to every leaf, nodes rebuilt with their own types."""
    if not is_node(x):
        return fn(x)
    return rebuild(x, [map_leaves(fn, c) for _, c in children(x)])


def leaves(x):
    if not is_node(x):
        yield x
        return
    for _, child in children(x):
        yield from leaves(child)


def describe_key(x, key) -> str:
    """How to write `key` of node `x` after its name: ``["w"]``, ``.W``, ``[0]``."""
    if is_record(x) or is_named_tuple(x):
        return f".{key}"
    return f"[{key!r}]"


def same_structure(t, x) -> str | None:
    """Why `t` is not shaped like the node `x` (None if it is): a node of x's type (for a
    dataclass or namedtuple, or a dict of its fields), with the same keys or length."""
    if isinstance(x, dict) or is_record(x):
        ok = isinstance(t, dict) or (is_record(x) and type(t) is type(x))
        keys = [k for k, _ in children(x)]
        if not ok or [k for k, _ in children(t)] != keys:
            return f"a {type(x).__name__} with the keys {keys}"
        return None
    if not isinstance(t, (list, tuple)) or len(t) != len(x):
        return f"a {type(x).__name__} of {len(x)} items"
    return None


def internal(t, x):
    """The form generated code takes a tangent or cotangent `t` of the node `x` in: a dict for a
    dict or a dataclass instance (fields by name), a list for a list or tuple, a namedtuple as
    itself. `t` must have x's structure (`same_structure`)."""
    if isinstance(x, dict) or is_record(x):
        return dict(children(t))
    if is_named_tuple(x):
        return type(x)(*t)
    return list(t)
