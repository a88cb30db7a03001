"""Pytrees as JAX users know them: an argument that is a dict, tuple, list, namedtuple or dataclass
instance of arrays and floats, nested, gets a gradient of exactly its structure and types (a
namedtuple stays that namedtuple, a dataclass instance comes back as one of the same class with
gradient fields); vjp takes a cotangent of the result's structure, jvp tangents of the arguments'.

Every derivative is checked leaf by leaf against central finite differences and against autograd
(which takes dicts, tuples and lists natively; a namedtuple or dataclass is handed to it as a
tuple or a dict of its fields, and rebuilt inside the function it differentiates).
"""

import collections
import dataclasses

import autograd
import autograd.numpy as anp
import numpy as np
import pytest

import sourcead
from located import assert_located
from oracle import autograd_version
from sourcead.errors import SourceADError, UnsupportedCallError, UnsupportedSyntaxError, UsageError

Affine = collections.namedtuple("Affine", ["W", "b"])


@dataclasses.dataclass
class Layer:
    W: np.ndarray
    b: np.ndarray
    scale: float


@dataclasses.dataclass(frozen=True)
class Frozen:
    a: float
    v: np.ndarray

    def norm(self):
        return np.sum(self.v ** 2)


@dataclasses.dataclass
class Weights:
    """Its methods share their names with ndarray's: they must never be taken for them."""
    w: np.ndarray

    def sum(self):
        return float(np.sum(self.w)) * 3.0

    @property
    def T(self):
        return self.w[::-1]


@dataclasses.dataclass
class Model:
    layer: Layer
    head: dict


RNG = np.random.default_rng(7)
X = RNG.standard_normal(3)


def _r(*shape):
    return RNG.standard_normal(shape) if shape else float(RNG.standard_normal())


# ---- functions -------------------------------------------------------------------------------------


def predict(params, x):
    h = np.tanh(params["W1"] @ x + params["b1"])
    return params["W2"] @ h + params["b2"]


def mlp_loss(params, x):
    return np.sum(predict(params, x) ** 2)


def nested_loss(tree):
    enc, (a, cs) = tree["enc"], tree["dec"]
    return np.sum(np.sin(enc["W"] @ a) * enc["b"]) + cs[0] * cs[1] ** 2


def affine_loss(p, x):
    return np.sum(np.tanh(p.W @ x + p.b)) + p[1][0] ** 2


def layer_loss(layer, x):
    return layer.scale * np.sum(np.cos(layer.W @ x) * layer.b) + layer.scale ** 2


def frozen_loss(f):
    return f.a * np.sum(f.v ** 3)


def stacked_loss(layers, x):
    h = x
    for layer in layers:
        h = np.tanh(layer["W"] @ h + layer["b"])
    return np.sum(h)


def items_loss(params):
    s = 0.0
    for name, value in params.items():
        s = s + np.sum(value ** 2) * len(name)
    return s


def model_loss(model, x):
    return layer_loss(model.layer, x) * model.head["w"] + np.sum(model.head["c"] ** 2)


def halves(p):
    return {"a": p["a"] * 2.0, "b": np.sin(p["b"]) * p["a"]}


def builds_records(x):
    """A namedtuple and a dataclass built inside: positional, keyword and default fields."""
    aff = Affine(W=x[:2, None] * x[None, :], b=np.sin(x[:2]))
    lay = Layer(aff.W, aff.b, scale=2.0)
    return lay.scale * np.sum(np.tanh(lay.W @ x + lay.b)) + aff[1][0]


def carries_a_record(x):
    """A namedtuple rebuilt in every iteration of a loop."""
    p = Affine(x, 0.0)
    for i in range(3):
        p = Affine(p.W * 0.5 + np.sin(p.W), p.b + np.sum(p.W))
    return p.b + np.sum(p.W ** 2)


def _mlp():
    return {"W1": _r(4, 3), "b1": _r(4), "W2": _r(2, 4), "b2": _r(2)}


CASES = [
    ("mlp-dict", mlp_loss, lambda: (_mlp(), X)),
    ("nested-dict-tuple-list", nested_loss,
     lambda: ({"enc": {"W": _r(2, 3), "b": _r(2)}, "dec": (_r(3), [_r(), _r()])},)),
    ("namedtuple", affine_loss, lambda: (Affine(_r(2, 3), _r(2)), X)),
    ("dataclass", layer_loss, lambda: (Layer(_r(2, 3), _r(2), 0.7), X)),
    ("frozen-dataclass", frozen_loss, lambda: (Frozen(1.3, _r(3)),)),
    ("list-of-dicts", stacked_loss, lambda: ([{"W": _r(3, 3), "b": _r(3)}, {"W": _r(2, 3), "b": _r(2)}], X)),
    ("dict-items", items_loss, lambda: ({"w": _r(2, 2), "bias": _r(2), "s": _r()},)),
    ("dataclass-holding-a-dataclass-and-a-dict", model_loss,
     lambda: (Model(Layer(_r(2, 3), _r(2), 0.4), {"w": 1.5, "c": _r(2)}), X)),
    ("records-built-inside", builds_records, lambda: (X.copy(),)),
    ("record-carried-by-a-loop", carries_a_record, lambda: (X.copy(),)),
]
IDS = [c[0] for c in CASES]


# ---- an oracle of our own: structure-preserving maps, finite differences, autograd -------------------


def children(t):
    if isinstance(t, dict):
        return list(t.items())
    if dataclasses.is_dataclass(t):
        return [(f.name, getattr(t, f.name)) for f in dataclasses.fields(t)]
    if isinstance(t, tuple) and hasattr(t, "_fields"):
        return list(zip(t._fields, t))
    return list(enumerate(t))


def is_node(t):
    return isinstance(t, (dict, list, tuple)) or dataclasses.is_dataclass(t)


def rebuild(like, values):
    if isinstance(like, dict):
        return dict(zip(like, values))
    if dataclasses.is_dataclass(like):
        return type(like)(*values)
    if isinstance(like, tuple) and hasattr(like, "_fields"):
        return type(like)(*values)
    return type(like)(values)


def tree_map(fn, t):
    return rebuild(t, [tree_map(fn, c) for _, c in children(t)]) if is_node(t) else fn(t)


def leaves(t):
    return [leaf for _, c in children(t) for leaf in leaves(c)] if is_node(t) else [t]


def native(t):
    """The tree as autograd takes it: dataclasses as dicts, namedtuples as tuples."""
    if not is_node(t):
        return t
    parts = [native(c) for _, c in children(t)]
    if isinstance(t, dict) or dataclasses.is_dataclass(t):
        return dict(zip([k for k, _ in children(t)], parts))
    return tuple(parts) if isinstance(t, tuple) else list(parts)


def from_native(n, like):
    if not is_node(like):
        return n
    native_keys = isinstance(like, dict) or dataclasses.is_dataclass(like)
    return rebuild(like, [from_native(n[k if native_keys else j], l) for j, (k, l) in enumerate(children(like))])


def total(out):
    return sum(float(np.sum(leaf)) for leaf in leaves(out))


def fd_grad(f, args, i, eps=1e-6):
    """Central differences of the sum of f's result, leaf by leaf of argument i; a tree like it."""
    tree = args[i]
    flat = leaves(tree)

    def at(k, index, step):
        def shift(leaf, counter=[-1]):
            counter[0] += 1
            if counter[0] != k:
                return leaf
            if isinstance(leaf, np.ndarray):
                leaf = leaf.copy()
                leaf[index] += step
                return leaf
            return leaf + step
        shifted = tree_map(shift, tree)
        return total(f(*args[:i], shifted, *args[i + 1:]))

    grads = []
    for k, leaf in enumerate(flat):
        g = np.zeros(np.shape(leaf))
        for index in np.ndindex(*np.shape(leaf)):
            g[index] = (at(k, index, eps) - at(k, index, -eps)) / (2 * eps)
        grads.append(g if isinstance(leaf, np.ndarray) else float(g))
    it = iter(grads)
    return tree_map(lambda _: next(it), tree)


def autograd_grad(f, args, i):
    af = autograd_version(f)

    def h(n):
        out = af(*args[:i], from_native(n, args[i]), *args[i + 1:])
        return sum(anp.sum(leaf) for leaf in leaves(out))
    return like_leaves(from_native(autograd.grad(h)(native(args[i])), args[i]), args[i])


def like_leaves(g, like):
    """autograd's 0-d arrays as floats where the primal's leaf is a float."""
    it = iter(leaves(like))
    return tree_map(lambda v: v if isinstance(next(it), np.ndarray) else float(v), g)


def assert_tree_close(got, expected, rtol=1e-7, atol=1e-9, path="gradient"):
    """The same structure and types (a namedtuple that namedtuple, a dataclass that class, a float a
    float, an array a float array of the same shape), and close leaves."""
    if is_node(expected):
        assert type(got) is type(expected), f"{path}: {type(got).__name__}, expected {type(expected).__name__}"
        g, e = children(got), children(expected)
        assert [k for k, _ in g] == [k for k, _ in e], f"{path}: keys {[k for k, _ in g]}"
        for (k, a), (_, b) in zip(g, e):
            assert_tree_close(a, b, rtol, atol, f"{path}[{k!r}]")
        return
    if isinstance(expected, np.ndarray):
        assert isinstance(got, np.ndarray) and got.shape == expected.shape and got.dtype.kind == "f", \
            f"{path}: {got!r}"
    else:
        assert isinstance(got, float), f"{path}: expected a float, got {type(got).__name__}"
    np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=path)


# ---- grad, value_and_grad, vjp, jvp, hvp ---------------------------------------------------------


@pytest.mark.parametrize("name, f, make", CASES, ids=IDS)
def test_grad_has_the_arguments_structure(name, f, make):
    args = make()
    g = sourcead.grad(f)(*args)
    assert_tree_close(g, fd_grad(f, args, 0), rtol=1e-5, atol=1e-7, path="grad vs finite differences")
    assert_tree_close(g, autograd_grad(f, args, 0), rtol=1e-9, atol=1e-12, path="grad vs autograd")


@pytest.mark.parametrize("name, f, make", CASES, ids=IDS)
def test_value_and_grad_and_vjp_agree_with_grad(name, f, make):
    args = make()
    g = sourcead.grad(f)(*args)
    value, g2 = sourcead.value_and_grad(f)(*args)
    assert value == pytest.approx(f(*args))
    assert_tree_close(g2, g, rtol=1e-12, atol=0)
    out, pullback = sourcead.vjp(f, *args)
    cts = pullback(2.5)
    assert_tree_close(cts[0], tree_map(lambda v: 2.5 * v, g), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name, f, make", CASES, ids=IDS)
def test_jvp_takes_tangents_of_the_arguments_structure(name, f, make):
    args = make()
    tangent = tree_map(lambda v: _r(*np.shape(v)) if np.ndim(v) else _r(), args[0])
    tangents = (tangent,) + (None,) * (len(args) - 1)
    out, t = sourcead.jvp(f, args, tangents)
    expected = sum(float(np.sum(a * b)) for a, b in zip(leaves(autograd_grad(f, args, 0)), leaves(tangent)))
    assert out == pytest.approx(f(*args))
    assert t == pytest.approx(expected, rel=1e-9, abs=1e-12)
    eps = 1e-6
    fd = (f(_add(args[0], tangent, eps), *args[1:]) - f(_add(args[0], tangent, -eps), *args[1:])) / (2 * eps)
    assert t == pytest.approx(fd, rel=1e-5, abs=1e-7)


def _add(tree, tangent, eps):
    it = iter(leaves(tangent))
    return tree_map(lambda v: v + eps * next(it), tree)


@pytest.mark.parametrize("name, f, make", [c for c in CASES if c[0] in ("mlp-dict", "dataclass", "namedtuple")],
                         ids=["mlp-dict", "namedtuple", "dataclass"])
def test_hvp_with_a_pytree_direction(name, f, make):
    """Forward over reverse: the Hessian of a pytree argument times a direction of its structure,
    against finite differences of the gradient along it."""
    args = make()
    v = tree_map(lambda a: _r(*np.shape(a)) if np.ndim(a) else _r(), args[0])
    hv = sourcead.hvp(f)(*args, v)
    eps = 1e-5
    g_plus = sourcead.grad(f)(_add(args[0], v, eps), *args[1:])
    g_minus = sourcead.grad(f)(_add(args[0], v, -eps), *args[1:])
    it = iter([(a - b) / (2 * eps) for a, b in zip(leaves(g_plus), leaves(g_minus))])
    fd = tree_map(lambda _: next(it), args[0])
    assert_tree_close(hv, fd, rtol=1e-5, atol=1e-7, path="hvp vs finite differences of grad")


def test_grad_with_respect_to_a_dict_and_an_array():
    params, x = _mlp(), X
    gp, gx = sourcead.grad(mlp_loss, wrt=(0, 1))(params, x)
    assert_tree_close(gp, autograd_grad(mlp_loss, (params, x), 0), rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(gx, autograd.grad(autograd_version(mlp_loss), 1)(params, x), rtol=1e-9)


def test_vjp_of_a_dict_result_takes_a_dict_cotangent():
    p = {"a": 0.7, "b": _r(3)}
    out, pullback = sourcead.vjp(halves, p)
    assert set(out) == {"a", "b"}
    ct = {"a": 1.5, "b": _r(3)}
    (got,) = pullback(ct)
    expected = {"a": 2.0 * ct["a"] + float(np.sum(ct["b"] * np.sin(p["b"]))), "b": ct["b"] * np.cos(p["b"]) * p["a"]}
    assert_tree_close(got, expected, rtol=1e-12, atol=1e-15)
    eps = 1e-6
    fd_a = sum(np.sum(c * (o1 - o2)) for c, o1, o2 in zip(
        ct.values(), halves({"a": p["a"] + eps, "b": p["b"]}).values(),
        halves({"a": p["a"] - eps, "b": p["b"]}).values())) / (2 * eps)
    assert got["a"] == pytest.approx(fd_a, rel=1e-6)
    out, t = sourcead.jvp(halves, (p,), ({"a": 1.0, "b": np.zeros(3)},))
    assert_tree_close(t, {"a": 2.0, "b": np.sin(p["b"])}, rtol=1e-12, atol=0)


def test_has_aux_with_a_dict_argument():
    def loss_and_prediction(params, x):
        y = predict(params, x)
        return np.sum(y ** 2), y
    params = _mlp()
    g, aux = sourcead.grad(loss_and_prediction, has_aux=True)(params, X)
    np.testing.assert_allclose(aux, predict(params, X))
    assert_tree_close(g, autograd_grad(mlp_loss, (params, X), 0), rtol=1e-9, atol=1e-12)


def test_an_integer_leaf_is_promoted_and_gets_a_float_gradient():
    g = sourcead.grad(items_loss)({"w": np.array([1, 2]), "s": 3})
    assert g["w"].dtype == np.float64 and g["w"].tolist() == [2.0, 4.0]
    assert g["s"] == 6.0 and isinstance(g["s"], float)


def test_a_derivative_is_specialised_for_the_dicts_keys():
    df = sourcead.grad(items_loss)
    assert df({"ab": 1.0}) == {"ab": 4.0}
    assert df({"a": 1.0, "bcd": 2.0}) == {"a": 2.0, "bcd": 12.0}


def test_the_argument_is_not_mutated_and_the_gradient_is_a_new_object():
    layer = Layer(_r(2, 3), _r(2), 0.7)
    before = (layer.W.copy(), layer.b.copy(), layer.scale)
    g = sourcead.grad(layer_loss)(layer, X)
    assert g is not layer and g.W is not layer.W
    np.testing.assert_array_equal(layer.W, before[0])
    assert layer.scale == before[2]


def scaled_by_a_config(x, cfg):
    return x * cfg.sum() + cfg.w[0] * x


def test_a_method_of_an_argument_that_is_not_differentiated_runs_as_written():
    """Only a differentiated value's unmodelled methods are refused; a configuration's run."""
    cfg = Weights(np.array([2.0, 1.0]))
    assert sourcead.grad(scaled_by_a_config)(1.5, cfg) == pytest.approx(9.0 + 2.0)


def test_generated_code_reads_fields_and_keys():
    text = sourcead.source(sourcead.grad(layer_loss), Layer(_r(2, 3), _r(2), 0.7), X)
    assert "field(layer, 'W')" in text and "unfield(" in text
    text = sourcead.source(sourcead.grad(affine_loss), Affine(_r(2, 3), _r(2)), X)
    assert "p[0] @ x" in text


# ---- refusals ------------------------------------------------------------------------------------


def calls_a_method(f):
    return f.norm() * f.a


def calls_sum(p):
    return p.sum() * np.sum(p.w)


def reads_a_property(p):
    return np.sum(p.T * p.w)


def copies(params):
    return params.copy()["w"] * 2.0


def writes_a_key(params):
    params["w"] = params["w"] * 2.0
    return params["w"]


def test_a_write_into_a_dict_argument_is_differentiated_on_a_copy():
    """d[k] = v on a dict is a new dict with that key (runtime.dict_with); as for arrays, the
    derivative works on a copy: the caller's dict is not changed."""
    params = {"w": 1.5, "b": 0.5}
    g = sourcead.grad(writes_a_key)(params)
    assert g == {"w": 2.0, "b": 0.0} and params == {"w": 1.5, "b": 0.5}
    _, t = sourcead.jvp(writes_a_key, (params,), ({"w": 1.0, "b": 1.0},))
    assert t == 2.0


def updates(params):
    other = {"w": 1.0}
    other.update(params)
    return other["w"]


@pytest.mark.parametrize("f, arg, cls, snippet, words", [
    (calls_a_method, Frozen(1.0, np.ones(2)), UnsupportedCallError, "f.norm()", "no derivative rule"),
    (calls_sum, Weights(np.ones(2)), UnsupportedCallError, "p.sum()", "no derivative rule for the method .sum()"),
    (reads_a_property, Weights(np.ones(2)), UnsupportedCallError, "p.T", "no derivative rule for the attribute .T"),
    (copies, {"w": 1.0}, UnsupportedCallError, "params.copy()", "no derivative rule for the method .copy()"),
    (updates, {"w": 1.0}, UnsupportedSyntaxError, "other.update(params)", "expression statement"),
], ids=["method-of-a-dataclass", "method-named-like-ndarrays", "property-named-like-ndarrays", "dict-copy",
        "dict-update"])
def test_an_unmodelled_operation_on_a_pytree_is_refused_where_it_is_written(f, arg, cls, snippet, words):
    with pytest.raises(SourceADError) as info:
        sourcead.grad(f)(arg)
    assert isinstance(info.value, cls), type(info.value)
    assert words in info.value.message and info.value.hint
    assert_located(info.value, f, snippet)


@pytest.mark.parametrize("call, words", [
    (lambda: sourcead.hessian(frozen_loss)(Frozen(1.0, np.ones(2))), "hessian of frozen_loss with respect to f"),
    (lambda: sourcead.jacobian(halves)({"a": 1.0, "b": np.ones(2)}), "jacobian of halves with respect to p"),
    (lambda: sourcead.jvp(frozen_loss, (Frozen(1.0, np.ones(2)),), ({"a": 1.0},)), "keys ['a', 'v']"),
    (lambda: sourcead.jvp(affine_loss, (Affine(np.ones((2, 3)), np.ones(2)), X), ((1.0,), None)), "Affine of 2"),
    (lambda: sourcead.vjp(halves, {"a": 1.0, "b": np.ones(2)})[1]({"a": 1.0}), "cotangent must be a dict"),
    (lambda: sourcead.grad(items_loss)({(1, 2): 1.0}), "keys are not all strings or ints"),
    (lambda: sourcead.grad(items_loss)({"w": "text"}), "item ['w'] is a str"),
    (lambda: sourcead.check_grad(items_loss, {"w": 1.0}), "check_grad of items_loss with respect to params"),
    (lambda: sourcead.grad(items_loss, check=True)({"w": 1.0}), "check=True of items_loss"),
], ids=["hessian", "jacobian", "jvp-keys", "jvp-namedtuple", "vjp-cotangent", "tuple-keys", "string-leaf",
        "check_grad", "check-first-call"])
def test_misuse_with_pytrees_is_refused_at_the_call(call, words):
    with pytest.raises(UsageError) as info:
        call()
    assert words in info.value.message, info.value.message
    assert info.value.hint and info.value.loc is not None and info.value.loc.filename == __file__
