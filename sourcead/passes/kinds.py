"""kinds: what each value is known to be, from the kinds of the arguments a derivative is
specialised for. A kind is a small frozen value of a lattice whose top is None (nothing known):

    Scalar()                a Python or NumPy number
    Array(shape, ndim)      an array of rank `ndim` (None: not known) whose `shape` token names a
                            shape class: arrays with the same token have the same shape (None: not known);
                            `unit_free`: no axis of length 1, and `same`: more tokens of classes known to
                            have its shape (see `_unit_free` for what that proves)
    Bool()                  True or False (a comparison's result)
    Seq(item)               a tuple or a list; `item` what each of its items is, for one built here
                            (a rank, never a shape class; NOTHING: it is empty; None: not known)
    Shape()                 a tuple of ints (``x.shape``): its items are numbers
    Dict(items)             a dict whose keys are known: ((key, kind of its value), ...), in order
    Record(cls, items)      a namedtuple or dataclass instance of class `cls`: ((field, kind), ...)
    OpenDict()              a dict whose keys are known only when it runs

A complex argument's kind is `ComplexScalar` or `ComplexArray` (subclasses: whatever holds for a
number or an array holds for them), so that a derivative for complex arguments is specialised apart
from the real one; which values may be complex is the analysis `passes/complexity.py`.

Kinds are inferred once per derivation, on the function to differentiate (`infer`); a transform
extends the table for the values it creates (`extend`, and the kind of a derivative is its
primal's), and hands it on to the passes after it. It is a performance and readability device,
never a correctness one: it lets `simplify` drop an `unbroadcast(g, x)` that cannot change `g`, and
lets the reverse sweep seed with `1.0` rather than `ones_like_output(y)`.
"""

from __future__ import annotations

import dataclasses
import operator
import types

import numpy as np

from .. import runtime
from ..ir.core import Attr, Call, Const, For, Function, If, Method, Var, While, make_dict, make_list, make_tuple, regions, walk
from ..ir.ops import in_, not_in


@dataclasses.dataclass(frozen=True)
class Scalar:
    """A Python or NumPy number."""


@dataclasses.dataclass(frozen=True)
class Array:
    """An array of rank `ndim` whose shape is that of every array with the same `shape` token, and
    of every array whose token is in `same`; `unit_free`: known to have no axis of length 1."""

    shape: object = None
    ndim: int | None = None
    unit_free: bool = False
    same: frozenset = frozenset()


@dataclasses.dataclass(frozen=True)
class ComplexScalar(Scalar):
    """A Python or NumPy complex number."""


@dataclasses.dataclass(frozen=True)
class ComplexArray(Array):
    """An array of complex dtype."""


def is_complex(k) -> bool:
    """Whether a kind is a complex number or array (a container's items are not looked at)."""
    return isinstance(k, (ComplexScalar, ComplexArray))


@dataclasses.dataclass(frozen=True)
class Bool:
    """True or False (a comparison's result): no derivative flows through it."""


@dataclasses.dataclass(frozen=True)
class Seq:
    """A tuple or a list; `item`: what every item is (NOTHING for an empty one, None not known)."""

    item: object = None


@dataclasses.dataclass(frozen=True)
class Nothing:
    """The kind of the items of an empty sequence: joined with any kind, that kind."""


@dataclasses.dataclass(frozen=True)
class Shape:
    """A tuple of ints, as ``x.shape``."""


@dataclasses.dataclass(frozen=True)
class Dict:
    """A dict whose keys (strings or ints) are known: ((key, kind of its value), ...), in order."""

    items: tuple = ()

    @property
    def keys(self) -> tuple:
        return tuple(k for k, _ in self.items)

    def item(self, key):
        return next((k for name, k in self.items if name == key), None)


@dataclasses.dataclass(frozen=True)
class Record(Dict):
    """A namedtuple or dataclass instance of class `cls`: ((field, kind of its value), ...)."""

    cls: type = object

    @property
    def named_tuple(self) -> bool:
        return issubclass(self.cls, tuple)


@dataclasses.dataclass(frozen=True)
class OpenDict:
    """A dict whose keys are known only when it runs (a dict comprehension's, or one of two dicts
    with different keys): read by key as Python does, never iterated by position."""


SCALAR, SEQ, SHAPE, BOOL, OPEN_DICT, NOTHING = Scalar(), Seq(), Shape(), Bool(), OpenDict(), Nothing()
SCALAR_TO_ARRAY = Array(None, 1)  # np.cumsum(2.0) is array([2.])

_ELEMENTWISE = {operator.add, operator.sub, operator.mul, operator.truediv, operator.pow, operator.neg,
                operator.pos, operator.floordiv, operator.mod, abs, pow}
_REDUCTIONS = {np.sum, np.mean, np.prod, np.max, np.min, np.amax, np.amin, np.var, np.std}
_METHOD_REDUCTIONS = {"sum", "mean", "prod", "max", "min", "var", "std"}


def kind_of_value(x):
    """The kind of a run-time value (used for arguments, to key specialisations)."""
    if isinstance(x, (float, int, np.floating, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return SCALAR
    if isinstance(x, (complex, np.complexfloating)):
        return ComplexScalar()
    if isinstance(x, np.ndarray):
        return (ComplexArray if x.dtype.kind == "c" else Array)(None, x.ndim, 1 not in x.shape)
    if isinstance(x, tuple) and hasattr(type(x), "_fields"):
        return Record(tuple((f, kind_of_value(v)) for f, v in zip(type(x)._fields, x)), type(x))
    if isinstance(x, (tuple, list)):
        return SEQ
    if isinstance(x, dict) and all(type(k) in (str, int) for k in x):
        return Dict(tuple((k, kind_of_value(v)) for k, v in x.items()))
    if dataclasses.is_dataclass(x) and not isinstance(x, type):
        return Record(tuple((f.name, kind_of_value(getattr(x, f.name))) for f in dataclasses.fields(x)), type(x))
    if callable(x) and not isinstance(x, np.generic):
        return Static(x)
    return None


class Static:
    """The kind of a function-valued argument: the function itself, compared by identity (a
    derivative is specialised on it, like JAX's static arguments; see lower/calls.py)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def __eq__(self, other) -> bool:
        return isinstance(other, Static) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)

    def __repr__(self) -> str:
        return f"Static({getattr(self.value, '__qualname__', type(self.value).__name__)})"


def infer(fn: Function, arg_kinds: dict[Var, object], global_kinds: dict | None = None) -> dict:
    """Kinds of the values of `fn`, given its arguments' and those of the free variables holding
    data that it reads (keyed (id(scope), name)); the specialisation key guards them, since
    generated code reads them live. An argument array of unknown shape class gets its own."""
    kinds: dict = dict(fn.facts)
    for key, k in (global_kinds or {}).items():
        if k is not None:
            kinds[("global", key)] = k
    for v, k in arg_kinds.items():
        if isinstance(k, Array) and k.shape is None:
            k = dataclasses.replace(k, shape=v)  # (a complex array stays one)
        if k is not None:
            kinds[v] = k
    extend(fn.body.body, kinds)
    return kinds


def renamed(kinds: dict, mapping: dict) -> dict:
    """The kinds of a copy of a function (`mapping`: old value -> new), shape classes included."""
    def rename(k):
        if isinstance(k, Array) and (k.shape in mapping or k.same):
            return dataclasses.replace(k, shape=mapping.get(k.shape, k.shape),
                                       same=frozenset(mapping.get(t, t) for t in k.same))
        return k
    return {mapping.get(v, v): rename(k) for v, k in kinds.items()}


def numeric(k) -> bool:
    """Whether a kind is a number or an array (whose cotangents add with +)."""
    return isinstance(k, (Scalar, Array))


def same_shape(a, b) -> bool:
    """Whether two kinds are arrays known to have one shape (a class token in common)."""
    return isinstance(a, Array) and isinstance(b, Array) and bool(_tokens(a) & _tokens(b))


def _tokens(k: Array) -> frozenset:
    return k.same | {k.shape} if k.shape is not None else k.same


def is_scalar(x, kinds) -> bool:
    return isinstance(of(x, kinds), Scalar)


def of(x, kinds):
    """The kind of an operand: a Var's from the table, a literal's or a data global's from itself."""
    if isinstance(x, Const):
        v = x.value
        number = isinstance(v, (float, int)) and not isinstance(v, bool)
        # a literal, or a module constant such as np.pi
        if number and (x.spelling is None or _module_constant(x)):
            return SCALAR
        if isinstance(v, complex) and x.spelling is None:
            return ComplexScalar()  # a literal such as 1j
        if isinstance(v, (tuple, list)) and x.spelling is None:
            return SEQ  # a literal tuple
        # a free variable holding data: the kind it has now, which the specialisation key guards
        if x.spelling and "." not in x.spelling and x.scope is not None:
            key = ("global", (id(x.scope), x.spelling))
            k = kinds.get(key)
            return dataclasses.replace(k, shape=key) if isinstance(k, Array) else k
        return None
    k = kinds.get(x)
    if isinstance(k, Array) and k.shape is None:
        return dataclasses.replace(k, shape=x)  # a shape no other value is known to share: its own class
    return k


def _module_constant(c: Const) -> bool:
    root = c.spelling.split(".")[0] if c.spelling else ""
    return "." in (c.spelling or "") and isinstance(getattr(c.scope, "lookup", None) and c.scope.lookup(root)[1],
                                                   types.ModuleType)


def _join(a, b):
    """What is known of a value that is either a or b: arrays of one rank stay arrays of that rank;
    dicts with the same keys, and records of one class, stay so, their items joined."""
    if isinstance(a, Seq) and isinstance(b, Seq):
        return Seq(_join_items(a.item, b.item))
    if isinstance(a, Dict) and isinstance(b, Dict) and type(a) is type(b) and a.keys == b.keys \
            and getattr(a, "cls", None) is getattr(b, "cls", None) and a != b:
        items = tuple((k, _join(x, y)) for (k, x), (_, y) in zip(a.items, b.items))
        return Record(items, a.cls) if isinstance(a, Record) else Dict(items)
    if a != b and {type(a), type(b)} <= {Dict, OpenDict}:
        return OPEN_DICT  # dicts with different keys
    if a == b:
        return a
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return SCALAR  # a real number or a complex one (passes/complexity.py tells which)
    if isinstance(a, Array) and isinstance(b, Array) and a.ndim == b.ndim and a.ndim is not None:
        both = _tokens(a) & _tokens(b)  # what either value is known to share
        token = a.shape if a.shape == b.shape else None
        return Array(token, a.ndim, a.unit_free and b.unit_free, frozenset(both - {token}))
    return None


def _join_items(a, b):
    return b if a == NOTHING else a if b == NOTHING else _join(a, b)


def item_kind(k):
    """What a sequence holding a value of kind k says of its items: numbers, or arrays of a rank
    (of no known shape class: the items of one list may differ in shape)."""
    if isinstance(k, Scalar):
        return SCALAR
    if isinstance(k, Array) and k.ndim is not None:
        return Array(None, k.ndim)
    return None


def _items(ks):
    """The item kind of a sequence of items of kinds ks."""
    out = NOTHING
    for k in ks:
        out = _join_items(out, item_kind(k))
    return out


def _elementwise(ks):
    if any(not numeric(k) for k in ks):
        return None
    arrays = [k for k in ks if isinstance(k, Array)]
    if not arrays:
        return SCALAR
    tokens = {k.shape for k in arrays}
    ndims = {k.ndim for k in arrays}
    ndim = max(ndims) if None not in ndims else None  # broadcasting: the largest rank
    token = tokens.pop() if len(tokens) == 1 else None
    widest = [k for k in arrays if k.ndim == ndim and k.unit_free] if ndim is not None else []
    if widest:
        return _unit_free(widest, token, ndim)
    return Array(token, ndim)


def _unit_free(widest: list, token, ndim: int) -> Array:
    """The result of broadcasting operands some of which (`widest`) have the largest rank and no
    axis of length 1: NumPy raises unless every other operand's axes that line up with theirs are
    equal to them or 1, so (when it does not raise) the result has the shape of each of `widest`
    and no axis of length 1 either. Its class (`token`) stays as without that knowledge (the value
    a shape is read from is one of its dtype too); `same` records the others."""
    tokens = frozenset().union(*(_tokens(k) for k in widest))
    return Array(token, ndim, True, tokens - {token})


def _matmul(stmt, ks, kinds):
    """a @ b from the operands' ranks (NumPy's rules: vectors lose their axis); the result's shape
    is known to no one, but the same for everything computed from it elementwise."""
    if len(ks) != 2 or stmt.kwargs:
        return None
    a, b = ks
    if isinstance(a, Scalar) and isinstance(b, Scalar):
        return SCALAR
    if not (isinstance(a, Array) and isinstance(b, Array)) or a.ndim is None or b.ndim is None:
        return None
    rank = max(a.ndim, b.ndim) if min(a.ndim, b.ndim) >= 2 else a.ndim + b.ndim - 2
    # the result's axes are axes of the operands (their batch axes equal when none is of length 1)
    return SCALAR if rank == 0 else Array(stmt.outs[0], rank, a.unit_free and b.unit_free)


def _transpose(stmt, ks, kinds):
    """Same rank; a vector's transpose is itself, anything else has a shape of its own."""
    if len(stmt.args) != 1 or not isinstance(ks[0], Array):
        return None
    if ks[0].ndim == 1:
        return ks[0]
    return Array(stmt.outs[0], ks[0].ndim, ks[0].unit_free)


def _getitem(stmt, ks, kinds):
    """An item of a shape is a number; integer indices take one axis each off an array."""
    x, index = stmt.args
    if isinstance(ks[0], Dict):
        if isinstance(index, Const) and index.spelling is None:
            key = index.value if not isinstance(ks[0], Record) or type(index.value) is not int \
                else ks[0].keys[index.value] if -len(ks[0].items) <= index.value < len(ks[0].items) else None
            return ks[0].item(key)
        return None
    if isinstance(ks[0], (Seq, Shape)) and isinstance(index, Const) and isinstance(index.value, slice):
        return ks[0]  # a slice of a sequence is one
    if isinstance(ks[0], Seq) and ks[0].item != NOTHING and (
            isinstance(index, Const) and type(index.value) is int or isinstance(index, Var) and is_scalar(index, kinds)):
        return ks[0].item  # an item of a sequence built here
    if isinstance(ks[0], Shape):
        return SCALAR if isinstance(index, Const) and type(index.value) is int else None
    if not isinstance(ks[0], Array) or ks[0].ndim is None:
        return None
    if isinstance(index, Const) and type(index.value) is int or isinstance(index, Var) and is_scalar(index, kinds):
        ints = 1
    elif isinstance(index, Const) and isinstance(index.value, tuple) and all(type(i) is int for i in index.value):
        ints = len(index.value)
    else:
        return None
    rank = ks[0].ndim - ints
    return SCALAR if rank == 0 else Array(None, rank, ks[0].unit_free)  # the last axes of x


def _reduction(stmt, ks, kinds):
    """A full reduction is a number, whatever it reduces; one along literal axes, an array."""
    rest = stmt.args[1:]
    axis = stmt.kwargs.get("axis", rest[0] if rest else None)
    keep = stmt.kwargs.get("keepdims")
    if (axis is None or _is_none(axis)) and (keep is None or isinstance(keep, Const) and not keep.value) \
            and len(rest) <= 1 and set(stmt.kwargs) <= {"axis", "keepdims", "ddof"}:
        return SCALAR
    if len(rest) <= 1 and set(stmt.kwargs) <= {"axis", "keepdims"} and isinstance(ks[0], Array) \
            and ks[0].ndim is not None and axis is not None:
        return _along_axes(ks[0], axis, keep)
    return None


def _along_axes(a: Array, axis, keep):
    """A reduction of `a` along literal axes: of a's rank with keepdims (those axes of length 1),
    else that many axes fewer (the others a's own, so no axis of length 1 if a has none)."""
    if not (isinstance(axis, Const) and axis.spelling is None):
        return None
    axes = axis.value if isinstance(axis.value, tuple) else (axis.value,)
    if not all(type(i) is int for i in axes) or keep is not None and not _plain_bool(keep):
        return None
    if keep is not None and keep.value:
        return Array(None, a.ndim)
    rank = a.ndim - len(axes)
    return None if rank < 0 else SCALAR if rank == 0 else Array(None, rank, a.unit_free)


def _plain_bool(x) -> bool:
    return isinstance(x, Const) and x.spelling is None and type(x.value) is bool


def _is_none(x):
    return isinstance(x, Const) and x.value is None and x.spelling is None


def _cumulative(stmt, ks, kinds):
    """np.cumsum(a, axis) and its kin: a's kind along an axis, a flat array without one."""
    a = ks[0] if ks else None
    if not isinstance(a, Array):
        return SCALAR_TO_ARRAY if isinstance(a, Scalar) else None
    along_axis = len(stmt.args) > 1 and not _is_none(stmt.args[1]) or "axis" in stmt.kwargs \
        and not _is_none(stmt.kwargs["axis"])
    return a if along_axis or a.ndim == 1 else Array(None, 1)


def _dict_with(stmt, ks, kinds):
    """``{**d, key: v}``: d's keys and `key` when both are known, else keys known only when it runs."""
    key = stmt.args[1] if len(stmt.args) > 1 else None
    if isinstance(ks[0], Dict) and not isinstance(ks[0], Record) and isinstance(key, Const) \
            and key.spelling is None and type(key.value) in (str, int):
        value = ks[2] if len(ks) > 2 else None
        items = [(k, value if k == key.value else v) for k, v in ks[0].items]
        if key.value not in ks[0].keys:
            items.append((key.value, value))
        return Dict(tuple(items))
    return OPEN_DICT


def _first(stmt, ks, kinds):
    return ks[0] if ks else None


def _allocated(stmt, ks, kinds):
    """``np.zeros(n)`` and the like: an array of a shape of its own (rank 1 for a number)."""
    if not ks or stmt.kwargs.keys() - {"dtype"}:
        return None
    return Array(stmt.outs[0], 1 if isinstance(ks[0], Scalar) else None)


def _second(stmt, ks, kinds):
    return ks[1] if len(ks) >= 2 else None


def _transform(stmt, ks, kinds):
    """np.fft's transforms: an array of the same rank; of the same shape without n or s (but rfft's
    and irfft's, whose lengths change)."""
    if not ks or not isinstance(ks[0], Array) or len(stmt.args) > 1 and not _is_none(stmt.args[1]) \
            or any(not _is_none(stmt.kwargs[k]) for k in ("n", "s") if k in stmt.kwargs):
        return Array(stmt.outs[0], ks[0].ndim) if ks and isinstance(ks[0], Array) else None
    same = stmt.op not in (np.fft.rfft, np.fft.irfft)
    return Array(ks[0].shape if same else stmt.outs[0], ks[0].ndim)


def _math(stmt, ks, kinds):
    return SCALAR if all(isinstance(k, Scalar) for k in ks) else None


# op -> kind(stmt, operand kinds, table): the operations whose result's kind follows from their operands'
def _tuple(stmt, ks, kinds):
    """A tuple is a sequence; what its items are is kept beside (``("items", t)``) for a record
    built from it (`runtime.make_record`)."""
    if stmt.outs:
        kinds[("items", stmt.outs[0])] = tuple(ks)
    return Seq(_items(ks))


def _made_record(stmt, ks, kinds):
    """``make_record(cls, names, values)``: a record of class cls with the values' kinds."""
    cls, names, values = stmt.args
    items = kinds.get(("items", values)) if isinstance(values, Var) else None
    if not (isinstance(cls, Const) and isinstance(names, Const)) or items is None:
        return None
    return Record(tuple(zip(names.value, items)), cls.value)


_RULES = {
    make_tuple: _tuple, make_list: lambda stmt, ks, kinds: Seq(_items(ks)), runtime.make_record: _made_record,
    make_dict: lambda stmt, ks, kinds: Dict(tuple(zip(stmt.args[0].value, ks[1:], strict=True))),
    runtime.dict_with: _dict_with,
    runtime.field: lambda stmt, ks, kinds: ks[0].item(stmt.args[1].value) if isinstance(ks[0], Dict) else None, runtime.concat: lambda stmt, ks, kinds: _sequences(operator.add, ks),
    runtime.repeat_seq: lambda stmt, ks, kinds: _sequences(operator.mul, ks), runtime.concat_parts: lambda *_: SEQ, runtime.repeat_parts: lambda *_: SEQ,
    runtime.unrepeat_seq: lambda *_: SEQ,
    runtime.unpacked: _first, runtime.ones_like_output: _first, runtime.check_bound: _first,
    runtime.not_shared: _first, runtime.numeric_result: _first,
    **{op: _cumulative for op in (np.cumsum, np.cumprod, Method("cumsum"), Method("cumprod"))},
    runtime.index_update: _first, runtime.zero_at: _first, runtime.placed: _second,  # mutation
    np.zeros: _allocated, np.empty: _allocated, np.ones: _allocated,
    runtime.write_back: _first, runtime.view_of: _first, runtime.kept_back: _first, runtime.old_part: _first,
    runtime.list_insert: lambda stmt, ks, kinds: _with_item(ks[0], ks[2] if len(ks) > 2 else None),
    runtime.list_without: lambda stmt, ks, kinds: _with_item(ks[0], NOTHING),
    runtime.as_list: lambda stmt, ks, kinds: _with_item(ks[0], NOTHING),
    runtime.unbroadcast: _second, runtime.broadcast_like: _second,  # a cotangent shaped like its argument
    runtime.expand_reduced: _second, runtime.unindex: _second,
    operator.matmul: _matmul, np.matmul: _matmul, np.dot: _matmul, Method("dot"): _matmul,
    Attr("T"): _transpose, np.transpose: _transpose,
    float: lambda *_: SCALAR, int: lambda *_: SCALAR, len: lambda *_: SCALAR, np.ndim: lambda *_: SCALAR,
    np.size: lambda *_: SCALAR, Attr("ndim"): lambda *_: SCALAR, Attr("size"): lambda *_: SCALAR,
    Attr("shape"): lambda *_: SHAPE, np.shape: lambda *_: SHAPE,
    operator.getitem: _getitem,
    **{op: _transform for op in (np.fft.fft, np.fft.ifft, np.fft.rfft, np.fft.irfft, np.fft.fft2, np.fft.ifft2,
                                 np.fft.fftn, np.fft.ifftn, np.fft.fftshift, np.fft.ifftshift)},
    runtime.like_input: _first,
    **{op: (lambda stmt, ks, kinds: _elementwise(ks[:1]) if len(ks) == 1 and not stmt.kwargs else None)
       for op in (np.real, np.imag, Attr("real"), Attr("imag"))},  # real, elementwise (complex too)
    **{op: (lambda *_: BOOL) for op in (operator.lt, operator.le, operator.gt, operator.ge, operator.eq,
                                         operator.ne, operator.not_, operator.is_, operator.is_not, in_, not_in)},
    **{op: _reduction for op in _REDUCTIONS}, **{Method(name): _reduction for name in _METHOD_REDUCTIONS},
}


def _sequences(op, ks):
    """``a + b`` of two sequences and ``s * n`` of a sequence and a number are sequences."""
    if op is operator.add and len(ks) == 2 and all(isinstance(k, Seq) for k in ks):
        return Seq(_join_items(ks[0].item, ks[1].item))
    if op is operator.mul and len(ks) == 2 and {type(k) for k in ks} == {Seq, Scalar}:
        return next(k for k in ks if isinstance(k, Seq))
    return None


def _with_item(seq, k):
    """A sequence like `seq` (a list's insert, pop or extend) that may also hold an item of kind k."""
    if not isinstance(seq, Seq):
        return SEQ
    return Seq(_join_items(seq.item, item_kind(k) if k != NOTHING else NOTHING))


def kind_of_call(stmt: Call, kinds):
    """The kind of a call's result, from its operands' kinds (None: not known)."""
    op = stmt.op
    ks = [of(a, kinds) for a in stmt.args]
    if op in (operator.add, operator.mul) and any(isinstance(k, Seq) for k in ks):
        return _sequences(op, ks)
    # a generalised ufunc (np.matmul, np.vecdot: core dimensions) is not elementwise
    if op in _ELEMENTWISE or isinstance(op, np.ufunc) and op.signature is None or op is runtime.log_or_zero:
        return None if stmt.kwargs else _elementwise(ks)
    if isinstance(op, types.BuiltinFunctionType) and getattr(op, "__module__", None) == "math":
        return _math(stmt, ks, kinds)
    if isinstance(op, type):  # a namedtuple or dataclass built here
        bound = record_arguments(stmt)
        return None if bound is None else Record(tuple((n, of(a, kinds)) for n, a in zip(*bound[1:])), op)
    try:
        rule = _RULES.get(op)
    except TypeError:  # an unhashable operation
        return None
    return rule(stmt, ks, kinds) if rule is not None else None


def _literal(value) -> bool:
    return value is None or isinstance(value, (bool, int, float, str))


def record_arguments(stmt: Call):
    """(cls, field names, one operand per field) of a call that builds a namedtuple or dataclass
    instance whose constructor only stores its arguments, defaults filled in; None for any other
    call, or arguments its fields do not take (Python's TypeError is then raised as it runs)."""
    fields = runtime.record_fields(stmt.op)
    if fields is None or len(stmt.args) > len(fields):
        return None
    names = [name for name, _ in fields]
    given = dict(zip(names, stmt.args))
    for name, value in stmt.kwargs.items():
        if name not in names or name in given:
            return None
        given[name] = value
    if any(name not in given and (default is runtime.NO_DEFAULT or not _literal(default)) for name, default in fields):
        return None
    return stmt.op, tuple(names), [given[name] if name in given else Const(default) for name, default in fields]


def extend(stmts: list, kinds: dict) -> None:
    """Add to `kinds` what follows for the values `stmts` define (regions included), in order."""
    for stmt in stmts:
        if isinstance(stmt, Call):
            if stmt.outs:
                _set(kinds, stmt.outs[0], kind_of_call(stmt, kinds), keep=True)
        elif isinstance(stmt, If):
            _if(stmt, kinds)
        else:
            _loop(stmt, kinds)


def _if(stmt: If, kinds) -> None:
    extend(stmt.then.body, kinds)
    extend(stmt.orelse.body, kinds)
    for out, a, b in zip(stmt.outs, stmt.then.yields, stmt.orelse.yields, strict=True):
        # a None yielded by one branch is a placeholder that path never reads
        k = of(b, kinds) if _is_none(a) else of(a, kinds) if _is_none(b) else _join(of(a, kinds), of(b, kinds))
        _set(kinds, out, k, keep=True)


def _loop(stmt, kinds) -> None:
    """Carried values: the join of what enters and what each iteration yields, to a fixed point."""
    params = stmt.body.params if isinstance(stmt, While) else stmt.body.params[1:]
    if isinstance(stmt, For):
        kinds[stmt.body.params[0]] = SCALAR  # an index from a range
    current = [of(a, kinds) for a in stmt.inits]
    inside = [o for region in regions(stmt) for st in walk(region.body) for o in st.outs]
    given = {v: kinds[v] for v in inside if v in kinds}  # facts a transform established
    for _ in range(4):
        _forget(inside, given, kinds)
        _carry(stmt, params, current, kinds)
        new = [_join(c, of(y, kinds)) for c, y in zip(current, stmt.body.yields, strict=True)]
        if new == current:
            break
        current = new
    else:
        current = [None] * len(params)
        _forget(inside, given, kinds)
        _carry(stmt, params, current, kinds)
    for out, k in zip(stmt.outs, current, strict=True):
        _set(kinds, out, k)


def _forget(inside: list, given: dict, kinds: dict) -> None:
    """Each round of a loop's fixed point infers its body afresh from the carried values' kinds:
    what an earlier round inferred from narrower ones (a number that the next iteration makes an
    array) must not stay as a kept fact."""
    for v in inside:
        if v in given:
            kinds[v] = given[v]
        else:
            kinds.pop(v, None)


def _carry(stmt, params, current, kinds) -> None:
    for i, p in enumerate(params):
        _set(kinds, p, current[i])
        if isinstance(stmt, While):
            _set(kinds, stmt.cond.params[i], current[i])
    if isinstance(stmt, While):
        extend(stmt.cond.body, kinds)
    extend(stmt.body.body, kinds)


def _set(kinds, v, k, keep=False):
    """Record v's kind; unknown forgets it, unless `keep` (a fact a transform established stays)."""
    if k is not None:
        kinds[v] = k
    elif not keep:
        kinds.pop(v, None)
