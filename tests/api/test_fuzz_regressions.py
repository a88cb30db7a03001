"""Regression tests: every distinct failure the fuzzer (tests/api/test_fuzz.py) has found, kept as
the program it generated (or its reduction), checked the way the fuzzer checks it.

A test marked ``xfail(strict=True, reason="bug: ...")`` holds a bug still open in sourcead: it
fails today, and turns into a failure (XPASS) once the bug is fixed, when the mark is removed.

Each test states the outcome the project accepts: the derivative is right (against finite
differences, or against grad for vjp), or sourcead refuses the program with a located
`SourceADError` (not an `InternalError`).
"""

from __future__ import annotations

import copy
import os
import sys

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # tests/api/

import sourcead  # noqa: E402
from fuzz.gen import SCALAR, Program  # noqa: E402
from oracle import assert_close, numeric_grad  # noqa: E402
from test_fuzz import Refused, check_program, load  # noqa: E402

HEADER = "import math\n\nimport numpy as np\n\n\n"


def _correct_or_refused(f, args, wrt):
    """grad(f, wrt) at args is right (five-point finite differences), or refused with a location."""
    try:
        g = sourcead.grad(f, wrt=wrt)(*copy.deepcopy(args))
    except sourcead.InternalError:
        raise
    except sourcead.SourceADError as err:
        assert err.loc is not None and err.loc.filename == f.__code__.co_filename, f"refused, not located:\n{err}"
        return
    def fresh_f(bs, x):  # (f changes its list argument in place: each call gets a copy)
        return f(copy.deepcopy(bs), x)

    fd = numeric_grad(fresh_f, args, wrt)
    assert_close(g, fd, 1e-6, 1e-8, what="grad vs finite differences")


def _check(source, kind, args, ret=SCALAR, container="L"):
    """The fuzzer's own check of a program (a refusal is acceptable, a wrong number is not)."""
    prog = Program(source=source, kind=kind, args=args, ret=ret, container=container)
    try:
        check_program(prog, np.random.default_rng(0))
    except Refused:
        pass


# --- bug 6: an augmented assignment to an array held in a list ------------------------------
#
# ``e += x`` changes e in place; where e is also an element of a list (or a tuple) another
# variable holds, that list sees the change in Python. The run-time check that refuses an
# augmented assignment to a shared array (runtime.not_shared, bug 1 of test_fuzz.py) compares e
# only with the other variables that are arrays themselves (``type(other) is ndarray``), not with
# the arrays inside lists and tuples, so sourcead differentiated ``e = e + x`` and the derivative
# missed the change to the list.

# Fixed: runtime.not_shared now also looks inside lists and tuples, so these are refused at the
# augmented assignment (correct or refused).


def test_augassign_to_an_element_of_a_list_argument():
    f = load(HEADER + "def f(bs, x):\n    e = bs[0]\n    e += x\n    return np.sum(bs[0]) * x\n").f
    bs = [np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.1, 0.2])]
    _correct_or_refused(f, (bs, 0.3), 1)  # d/dx = sum(bs[0]) + 2 * 3 * x = 7.8; sourcead: 6.0


def test_augassign_to_the_loop_variable_over_a_list():
    f = load(HEADER + "def f(bs, x):\n    for e in bs:\n        e += x\n    return np.sum(bs[0]) * x\n").f
    bs = [np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.1, 0.2])]
    _correct_or_refused(f, (bs, 0.3), 1)


def test_fuzz_vjp_after_in_place_change_of_a_list_element():
    # found by the long run (kind seqarray): grad is right here, vjp is not
    source = HEADER + (
        "def f(bs, x):\n"
        "    for i1, e2 in enumerate(bs):\n"
        "        x += np.dot(e2, e2)\n"
        "        e2 += x\n"
        "        if x < i1:\n"
        "            break\n"
        "    else:\n"
        "        e2 = e2\n"
        "    return x\n")
    _check(source, "seqarray", (((0.6973, 0.6425, -1.363), (-1.5649, 1.7783, -1.7516)), 0.9089))


def test_fuzz_grad_after_in_place_change_of_a_list_element():
    # found by the long run (kind seqarray): `e2 -= ...` changes bs[0] in place, read afterwards
    source = HEADER + (
        "def f(bs, x):\n"
        "    for i1, e2 in enumerate(bs):\n"
        "        e2 -= np.sum(e2)\n"
        "        if (1.5 < i1) or (i1 >= 1):\n"
        "            break\n"
        "    b3 = (np.abs(bs[-1]) * bs[0])\n"
        "    b4 = ((-b3) / (1.5 + np.tanh(x)))\n"
        "    return b4[1] + x\n")
    _check(source, "seqarray", (((1.8446, 1.9084, -1.8448), (-0.8781, -0.1135, -0.5839)), 0.7474))


# --- containers the fuzzer generates, kept as fixed programs (they pass) -----------------------


def test_loop_carried_list_concatenation_repetition_unpacking_and_a_pair_result():
    source = HEADER + (
        "def f(xs, y):\n"
        "    hs = [y]\n"
        "    for v in xs:\n"
        "        hs = hs + [np.sin(v) * hs[-1]]\n"
        "    p, q = hs[:2]\n"
        "    t = (p, q) * 2\n"
        "    return (hs * 2)[4] * t[3] + q, y * xs[len(xs) - 1]\n")
    for container in "LT":
        _check(source, "seq", ((0.3, 0.7, -0.4), 0.9), ret="pair", container=container)


def test_list_of_arrays_argument_sliced_reversed_and_joined():
    source = HEADER + (
        "def f(bs, x):\n"
        "    cs = (bs[::-1] + [bs[0] * x])[1:]\n"
        "    s = 0.0\n"
        "    for i, c in enumerate(cs):\n"
        "        if i % 2 == 0:\n"
        "            s = s + np.sum(c * c) * x\n"
        "        else:\n"
        "            s = s - np.dot(c, cs[0])\n"
        "    return s\n")
    _check(source, "seqarray", (((0.5, -1.2, 0.8), (1.1, 0.3, -0.7)), 0.6))


# --- bug 7 (found while writing the container checks, not by a random program) --------------
#
# vjp's pullback checks the cotangent of a float or array result (api._cotangent_like), but passes
# the cotangent of a list result through unchecked to the generated code: a longer list is
# silently cut to the result's length, a shorter one or a float fails inside the derivative with
# IndexError / TypeError instead of a UsageError.

# Fixed: api._cotangent_like requires a list or tuple of the result's length, item by item.


@pytest.mark.parametrize("cotangent", [[1.0, 2.0, 3.0], [1.0], 1.0], ids=["longer", "shorter", "float"])
def test_vjp_cotangent_of_a_list_result_must_match_it(cotangent):
    f = load(HEADER + "def f(xs, y):\n    return [xs[0] * y, np.sin(y)]\n").f
    _, pullback = sourcead.vjp(f, [0.3, 0.5], 0.7)
    with pytest.raises(sourcead.UsageError):
        pullback(cotangent)


def test_vjp_cotangent_of_a_list_result():
    f = load(HEADER + "def f(xs, y):\n    return [xs[0] * y, np.sin(y)]\n").f
    out, pullback = sourcead.vjp(f, [0.3, 0.5], 0.7)
    assert isinstance(out, list) and len(out) == 2
    gx, gy = pullback([1.0, 2.0])
    assert_close(tuple(gx), (0.7, 0.0))
    assert_close(gy, 0.3 + 2.0 * np.cos(0.7))


# --- the refusals the fuzzer expects, kept as fixed programs (the default profile may draw none) --

REFUSED = {
    "set": "        v = min({xs[0] * y, y})\n",
    "nested_write": "        hs[1][0] = np.sin(y)\n",  # (hs.append is supported: mutation)
    "complex": "        v = abs(max(xs[1] * (1.0 + 0.5j), 0.5j))\n",  # (complex numbers have no order)
}


@pytest.mark.parametrize("construct", sorted(REFUSED))
def test_unsupported_construct_is_refused_at_its_line(construct):
    head = HEADER + "def f(xs, y):\n    hs = [y, xs[0]]\n    v = 0.0\n    for i in range(2):\n"
    source = head + REFUSED[construct] + "        hs = hs + [v * xs[i]]\n    return hs[-1] + v\n"
    line = head.count("\n") + 1
    prog = Program(source=source, kind="seq", args=((0.3, -0.5, 1.1), 0.7), ret=SCALAR, container="L",
                   refused_lines=(line,))
    assert check_program(prog, np.random.default_rng(0)) == "refused as expected"


def test_the_real_part_of_a_complex_product_is_differentiated():
    """The fuzzer's complex line, refused before complex numbers were supported, is checked like
    any other (grad, jvp and grad of grad against finite differences and autograd)."""
    head = HEADER + "def f(xs, y):\n    hs = [y, xs[0]]\n    v = 0.0\n    for i in range(2):\n"
    source = head + "        v = (xs[1] * (1.0 + 0.5j)).real * v + y\n" + \
        "        hs = hs + [v * xs[i]]\n    return hs[-1] + v\n"
    prog = Program(source=source, kind="seq", args=((0.3, -0.5, 1.1), 0.7), ret=SCALAR, container="L")
    assert check_program(prog, np.random.default_rng(0)) == "ok"


# --- bug 8 (seen in the long run: 10,000 programs grew the process to 2.1 GB) -------------------
#
# A module-level function differentiated once is never freed, even when its module is dropped
# (generated code, reloaded modules): f stays alive with its lowering, IR and compiled derivatives
# (~100-200 KB a program). The caches (cache.LOWERED, cache.DERIVED) are WeakKeyDictionaries keyed
# by the function, and their values keep the function's Scope, whose globals are the module's
# dict, which holds f itself: the value keeps its own weak key alive. tests/test_concurrency.py
# checks a nested function (not in its own globals), which is freed.

# Fixed: the caches live on the function object itself (cache._OnFunction), so the cycle through
# the module's globals is an ordinary one, which the garbage collector frees.


@pytest.mark.parametrize("mode", ["grad", "jvp", "vjp"])
def test_a_differentiated_function_is_freed_with_its_module(mode):
    import gc
    import weakref

    mod = load(HEADER + "def f(x, y):\n    return np.sin(x) * y\n")
    f = mod.f
    if mode == "grad":
        sourcead.grad(f, wrt=(0, 1))(0.3, 0.5)
    elif mode == "jvp":
        sourcead.jvp(f, (0.3, 0.5), (1.0, 0.0))
    else:
        sourcead.vjp(f, 0.3, 0.5)[1](1.0)
    ref = weakref.ref(f)
    del sys.modules[mod.__name__]
    del mod, f
    gc.collect()
    assert ref() is None, "the differentiated function outlives its module"


def test_a_function_never_differentiated_is_freed_with_its_module():
    import gc
    import weakref

    mod = load(HEADER + "def f(x, y):\n    return np.sin(x) * y\n")
    ref = weakref.ref(mod.f)
    del sys.modules[mod.__name__]
    del mod
    gc.collect()
    assert ref() is None


# --- bug 9 (the mutation programs, first bounded run: 14 of 300 programs) -----------------------
#
# vjp ran f itself on the caller's arguments (to return f's value): a function that writes into
# an argument (``a[1] += x``, ``bs.append(...)``) changed the caller's array or list, and the
# pullback then differentiated at the written point (wrong numbers for arrays; for a list grown by
# append or insert, a cotangent as long as the grown list). jacobian did the same.

# Fixed: api._vjp and jacobian run f on copies of the arguments (api._fresh: arrays copied,
# lists, tuples and dicts rebuilt, aliasing between arguments kept).


def test_vjp_of_a_function_writing_into_its_array_argument():
    f = load(HEADER + "def f(a, x):\n    a[1] += x\n    return np.sum(a * a)\n").f
    a = np.array([3.0, 2.0, 3.0])
    out, pullback = sourcead.vjp(f, a, 0.5)
    np.testing.assert_array_equal(a, [3.0, 2.0, 3.0])
    assert out == f(a.copy(), 0.5)
    ga, gx = pullback(1.0)
    assert_close(ga, numeric_grad(lambda v, x: f(v.copy(), x), (a, 0.5), 0))  # (6, 5, 6)
    assert_close(gx, numeric_grad(lambda v, x: f(v.copy(), x), (a, 0.5), 1))  # 5, not 6
    np.testing.assert_array_equal(a, [3.0, 2.0, 3.0])


def test_vjp_of_a_function_appending_to_its_list_argument():
    f = load(HEADER + "def f(bs, x):\n    bs.insert(1, x * np.ones(3))\n    bs.append(bs[0] * x)\n"
                      "    return np.sum(bs[1] * bs[-1])\n").f
    bs = [np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.1, 0.2])]
    _, pullback = sourcead.vjp(f, bs, 0.3)
    assert len(bs) == 2
    gb, gx = pullback(1.0)
    g = sourcead.grad(f, wrt=(0, 1))(copy.deepcopy(bs), 0.3)
    assert isinstance(gb, list) and len(gb) == 2
    assert_close(tuple(gb), tuple(g[0]))
    assert_close(gx, g[1])
    _correct_or_refused(f, (bs, 0.3), 1)


def test_jacobian_of_a_function_writing_into_its_argument():
    f = load(HEADER + "def f(a, x):\n    a[1] += x\n    return np.sum(a * a)\n").f
    a = np.array([3.0, 2.0, 3.0])
    J = sourcead.jacobian(f, wrt=0)(a, 0.5)
    np.testing.assert_array_equal(a, [3.0, 2.0, 3.0])
    assert_close(J, numeric_grad(lambda v, x: f(v.copy(), x), (a, 0.5), 0))


# --- bug 10 (the mutation programs: 10 of 300 programs in a bounded run) ------------------------
#
# A dict whose keys are written (``d["q"] = v``, then ``d["p"] = w`` or ``d["p"] *= w``) and whose
# reads feed only a value f never uses: vjp's pullback (which runs without f's prints and checks)
# failed with TypeError "'dict' object does not support item assignment". pytree_ops turns
# ``d[k] = v`` on a dict into runtime.dict_with, but skipped a function in which no call *reads* a
# dict (the dead reads were gone), leaving runtime.index_update on a dict.

# Fixed: pytree_ops.run also starts on a write into a dict (pytree_ops._dict_write).

DEAD_DICT_READS = [
    "    d = {'p': x}\n    d['q'] = y\n    d['p'] = y\n    v = d['p'] * d['q']\n    return x * y\n",
    "    d = {'p': x}\n    d['q'] = math.tanh(y)\n    d['p'] *= y\n    v = d['p'] * d['q']\n    return 0.5 * x\n",
]


@pytest.mark.parametrize("body", DEAD_DICT_READS, ids=["rewritten", "augmented"])
def test_vjp_of_a_dict_written_then_read_into_a_dead_value(body):
    f = load(HEADER + "def f(x, y):\n" + body).f
    _, pullback = sourcead.vjp(f, 0.3, 0.5)
    g = pullback(1.0)
    assert_close(g, numeric_grad(f, (0.3, 0.5), (0, 1)))
    assert_close(g, sourcead.grad(f, wrt=(0, 1))(0.3, 0.5))
    _check(HEADER + "def f(x, y):\n" + body, "scalar", (0.3, 0.5))
