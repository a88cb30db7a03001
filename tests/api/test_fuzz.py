"""Property-based fuzzing: random small programs, differentiated by sourcead, against the oracles.

Each example is a generated module (tests/fuzz/gen.py) holding ``f(x, y)`` (two floats),
``f(a, x)`` (a float array of shape (3,) and a float), ``f(xs, y)`` (a list or a tuple of three
floats and a float) or ``f(bs, x)`` (a list of two arrays and a float), sometimes with a helper
``h`` that f calls, with loops, branches, break/continue/return, tuple and augmented assignments,
lists and tuples built, joined, repeated, sliced, indexed, unpacked and grown in loops, and
mutation (arrays preallocated and written by element, slice and mask; aliases and views written
through; list append/extend/insert/pop; dict keys written). It is
written to a real .py file in a temporary directory and imported, since sourcead reads source
files. Then, for the float and array programs:

* ``sourcead.grad(f, wrt=(0, 1))`` against central finite differences and against autograd;
* ``sourcead.jvp(f, args, tangents)`` on a random direction: its primal against f's value and its
  tangent against finite differences along the direction (and autograd's jvp);
* ``sourcead.vjp(f, *args)``: its value against f's, its pullback of ones against grad;
* ``sourcead.grad(sourcead.grad(f, wrt=0), wrt=(0, 1))`` against finite differences of
  ``sourcead.grad(f, wrt=0)`` (a looser tolerance), and, for scalar programs, d2f/dx2 against
  autograd.

grad, jvp and vjp must leave their arguments unchanged, even where f writes into them (`_on_copy`):
a derivative is that of f at the arguments as given. autograd cannot follow a program that writes
into an array; there (`_optional`) finite differences are the oracle, with vjp against grad and
grad(grad) against finite differences of grad.

For the container programs (`check_containers`), with the arguments flattened into one vector for
the finite differences (the derivative with respect to a list must be a list, a tuple's a tuple):

* ``sourcead.grad(f, wrt=(0, 1))`` against finite differences (of the sum of f's results when f
  returns a pair or a list, which is what grad differentiates);
* ``sourcead.jvp`` along a random direction (a list or tuple tangent for the sequence);
* ``sourcead.vjp(f, xs, y)``'s pullback of ones (shaped like the result: a float, an array, a pair,
  a list) against grad;
* ``sourcead.grad(sourcead.grad(f, wrt=1), wrt=(0, 1))`` against finite differences of the first.

A program holding a construct sourcead does not support (a set, ``l[0][0] = v``, a complex
literal; `Program.refused_lines`) must be refused by grad and jvp with a `SourceADError` other than
`InternalError`, located in the generated file at that line: never a number, never another error.

Points near a branch switch or a kink are skipped: the finite differences with two step sizes
must agree. A primal that raises (overflow, a domain error) or returns a non-finite value is
skipped, except UnboundLocalError (a name read on a path where it is unbound, which the generator
does on purpose now and then): then sourcead must raise UnboundLocalError as well, never a number.

A refusal (a `SourceADError` other than `InternalError` / `UnboundNameError`) is acceptable but
counted: the generator stays inside the documented subset, so more than 20% refused fails.
Every other exception from sourcead, and every wrong number, fails with the generated source in
the message.

The default budget (300 examples, ~25 s alone, well under a minute on a loaded 2-core machine)
runs in the normal suite, deterministically (``derandomize=True``). The long profile::

    SOURCEAD_FUZZ_EXAMPLES=10000 SOURCEAD_FUZZ_PROGRESS=500 SOURCEAD_FUZZ_COLLECT=failures.jsonl \
        python -m pytest tests/api/test_fuzz.py -q -s

(``SOURCEAD_FUZZ_PROGRESS=N`` prints the counts, by kind and outcome, every N programs.) Every
distinct failure a long run finds is kept in tests/api/test_fuzz_regressions.py.

With ``SOURCEAD_FUZZ_COLLECT=failures.jsonl`` failures are appended to that file (source, point,
message) instead of stopping the run, to triage several bugs from one long run.
``SOURCEAD_FUZZ_KNOWN_BUGS=1`` also generates the patterns switched off below for known bugs.

Long-profile results (2026-12-01, each 10,070 programs: 10,000 plus the examples hypothesis adds):

* generator of commit ae70e86 (containers, f returning a float, an array or a pair): 8,331 ok,
  953 unbound (the primal raised UnboundLocalError and sourcead did too), 559 refused as expected
  (dict / append / complex, located at their line), 157 refused (the in-place check of bug 1), 70
  skipped; 0 failures.
* final generator (f may also return a list): 8,386 ok, 1,089 unbound, 432 refused as expected,
  93 refused, 70 skipped; 0 failures. Per kind: scalar 2,425 ok, array 1,946, seq 1,955,
  seqarray 2,060.
* an earlier run (stopped at 1,500 programs), with bug 6's pattern on: 14 failures, of two
  causes: bug 6 (3; kept in tests/api/test_fuzz_regressions.py) and a generator fault since fixed
  (an unsupported construct placed in a helper f never calls, which sourcead rightly never reads).
  Both long runs grew to ~2 GB: bug 8 below.

Long profile with mutation (2026-12-01, commit after bug 10; SOURCEAD_FUZZ_EXAMPLES=3500: 3,513
programs): 2,960 ok, 267 unbound, 129 refused as expected, 144 refused (4.1%, all the run-time
aliasing refusal "... is an array that another variable also refers to": a write through a name
whose array a loop-carried alias, a list element or a view may also hold), 13 skipped; 0 failures.
Per kind: scalar 860 ok, array 656, seq 700, seqarray 744. About half the programs hold a
mutation. An earlier run (stopped at 566 programs) hung: ``for e in bs: bs.extend(...)`` grew the
list it iterated (a generator fault, fixed: no list mutation inside a loop over a list).

Bugs this fuzzer found, all fixed in sourcead; their patterns are generated by default and the
fuzzer is their regression test (fuzz.gen.Options keeps a switch for each):

1. ``c = b; c += e`` with arrays: Python adds in place, so ``b`` changes too; sourcead
   differentiated ``c = c + e`` (wrong numbers). Now a run-time check refuses an augmented
   assignment to an array that shares memory with another variable's value.
2. A name bound on some paths only, read in a conditionally evaluated sub-expression and read
   again later: InternalError (a check made inside ``a and b`` leaked out of its region).
3. A name bound on some paths of an ``if`` holding a ``return``, read after it: refused at
   compile time although the path taken binds it. Now raised at run time, where Python raises.
4. ``grad(grad(f))`` with a loop that pushes values inside an ``if``: the reverse sweep skipped
   the ``if`` because its results had no cotangent, losing what came back through the tape.
5. ``grad(grad(f))`` crashing in the runtime on array programs with returns before loops: the
   same cause as 4.

Found by the container programs, fixed since (regression tests in tests/api/test_fuzz_regressions.py):

6. ``e += v`` where the array ``e`` is also held in a list (``e = bs[0]``, ``for e in bs``): the
   list's array changed in place, but the run-time check of 1 ignored arrays inside lists and
   tuples (wrong numbers); now refused.
7. vjp's pullback took any cotangent for a list result (found writing the container checks).
8. A module-level function differentiated once outlived its module (the cache kept its globals).

Found by the mutation programs, fixed since (regression tests in tests/api/test_fuzz_regressions.py):

9. vjp (and jacobian) ran f on the caller's arguments: a function writing into an argument
   (``a[1] += x``, ``bs.append(v)``) changed the caller's array or list, and the pullback
   differentiated at the written point (wrong numbers; for a grown list a cotangent of the grown
   length). Now f runs on copies (api._fresh).
10. A dict whose keys are written, read only into a value f never uses: vjp's pullback failed with
   TypeError (``d[k] = v`` stayed runtime.index_update on a dict: pytree_ops skipped a function
   where no call reads a dict). Now pytree_ops also starts on a write into a dict.
"""

from __future__ import annotations

import collections
import copy
import importlib.util
import itertools
import json
import os
import sys
import tempfile
import traceback
import warnings

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))  # tests/

import sourcead  # noqa: E402
from fuzz.gen import SEQ_KINDS, Options, programs  # noqa: E402
from oracle import (  # noqa: E402
    assert_close,
    autograd_derivative,
    autograd_grad,
    autograd_jvp,
    numeric_grad,
    numeric_jvp,
)

EXAMPLES = int(os.environ.get("SOURCEAD_FUZZ_EXAMPLES", "300"))
COLLECT = os.environ.get("SOURCEAD_FUZZ_COLLECT")
PROGRESS = int(os.environ.get("SOURCEAD_FUZZ_PROGRESS", "0"))  # print the counts every N programs
KNOWN_BUGS = os.environ.get("SOURCEAD_FUZZ_KNOWN_BUGS", "") not in ("", "0")
OPTIONS = Options(array_augassign=True, maybe_unbound_in_conditional=True,
                  maybe_bound_by_if_with_return=True, array_augassign_in_containers=True) if KNOWN_BUGS else Options()

MAX_REFUSED = 0.20

# sourcead (exact) against finite differences (five-point stencil, good to ~1e-9 here)
FD_RTOL, FD_ATOL = 1e-5, 1e-6
# two finite differences (steps 1e-4 and 1e-3) must agree this well, or the point is near a switch
STEP_RTOL, STEP_ATOL = 1e-6, 1e-7
# second derivatives: sourcead against finite differences of sourcead's gradient
FD2_RTOL, FD2_ATOL = 1e-4, 1e-5
# exact against exact: sourcead against autograd (only rounding differs)
EXACT_RTOL, EXACT_ATOL = 1e-7, 1e-9
# the primal value jvp returns against f's
VALUE_RTOL, VALUE_ATOL = 1e-9, 1e-12
# values beyond this are not worth differentiating numerically
BIG = 1e6

_DIR = tempfile.mkdtemp(prefix="sourcead_fuzz_")
_ids = itertools.count()


class Skip(Exception):
    """The example says nothing: the primal failed, or the point is too close to a switch."""


class Refused(Exception):
    """sourcead refused the program with a SourceADError (acceptable, but counted)."""


def load(source: str):
    """Write `source` to a fresh module file and import it."""
    name = f"sourcead_fuzz_{os.getpid()}_{next(_ids)}"
    path = os.path.join(_DIR, name + ".py")
    with open(path, "w") as fh:
        fh.write(source)
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


def _quiet(fn, *args, **kwargs):
    """fn(...) with every floating-point warning an error (overflow: the example is skipped)."""
    with np.errstate(all="raise"), warnings.catch_warnings():
        warnings.simplefilter("error")
        return fn(*args, **kwargs)


def _finite(value) -> bool:
    if isinstance(value, tuple):
        return all(_finite(v) for v in value)
    arr = np.asarray(value, dtype=np.float64)
    return bool(np.all(np.isfinite(arr)) and np.all(np.abs(arr) < BIG))


def _close(a, b, rtol, atol) -> bool:
    try:
        assert_close(a, b, rtol, atol)
        return True
    except AssertionError:
        return False


def _stable_fd(fn, *args, **kwargs):
    """Finite differences with steps 1e-4 and 1e-3: the first if they agree, else Skip."""
    try:
        fine = _quiet(fn, *args, eps=1e-4, **kwargs)
        coarse = _quiet(fn, *args, eps=1e-3, **kwargs)
    except Exception as err:  # the primal failed near the point (a path with an unbound name...)
        raise Skip(f"finite differences failed: {err!r}") from err
    if not (_finite(fine) and _finite(coarse)) or not _close(fine, coarse, STEP_RTOL, STEP_ATOL):
        raise Skip("finite differences disagree: near a branch switch or a kink")
    return fine


def _sourcead(what: str, fn, *args):
    """Run a sourcead call: its result; Refused on a refusal; AssertionError on anything else.

    The AssertionError is raised outside the handler, so that it carries no exception context
    (whose file names differ from run to run, which hypothesis would call a flaky failure)."""
    try:
        return fn(*args)
    except (sourcead.InternalError, sourcead.UnboundNameError):
        failure = f"{what} raised:\n{traceback.format_exc()}"
    except sourcead.SourceADError as err:
        refusal = _refusal(what, err)
        failure = None
    except Exception:
        failure = f"{what} raised:\n{traceback.format_exc()}"
    if failure is None:
        raise Refused(refusal)
    raise AssertionError(failure)


def _on_copy(what: str, call, args):
    """`_sourcead(what, call(copy))` on a copy of `args`, which must come back unchanged (the
    derivatives never change their arguments, even where f writes into them: then the numbers
    are those of f at the arguments as given)."""
    given = copy.deepcopy(args)
    result = _sourcead(what, lambda: call(given))
    assert _structure(given) == _structure(args) and np.array_equal(_flat(given), _flat(args)), (
        f"{what} changed its arguments: {args!r} became {given!r}")
    return result


def _structure(value):
    """The nesting of lists and tuples in `value` (their types and lengths)."""
    if isinstance(value, (list, tuple)):
        return type(value).__name__, tuple(_structure(v) for v in value)
    return np.shape(value)


def _refusal(what, err) -> str:
    lines = [ln for ln in str(err).splitlines() if ln.strip()]
    return f"{what}: {type(err).__name__}: {' | '.join(lines[-2:])}"


def _optional(fn, *args, **kwargs):
    """An autograd oracle's answer, or None where autograd cannot follow the program."""
    try:
        return _quiet(fn, *args, **kwargs)
    except Exception:
        return None


def check_program(prog, rng) -> str:
    """Check one generated program; returns "ok", "unbound" or "refused as expected" (raises
    Skip, Refused, AssertionError)."""
    mod = load(prog.source)
    f = mod.f
    if prog.refused_lines:
        return check_refusal(prog, mod)  # (a refusal is checked, whether or not the primal runs)
    if prog.kind in SEQ_KINDS:
        return check_containers(prog, f, rng)
    if prog.kind == "scalar":
        args = tuple(float(v) for v in prog.args)
        tangents = tuple(float(v) for v in rng.uniform(-1.0, 1.0, size=2))
    else:
        args = (np.array(prog.args[0], dtype=np.float64), float(prog.args[1]))
        tangents = (rng.uniform(-1.0, 1.0, size=3), float(rng.uniform(-1.0, 1.0)))

    def fresh():
        return copy.deepcopy(args)

    # -- the primal ----------------------------------------------------------------------------
    try:
        out = _quiet(f, *fresh())
    except UnboundLocalError:
        return check_unbound(f, fresh, tangents)
    except Exception as err:
        raise Skip(f"primal raised {err!r}") from err
    if not _finite(out):
        raise Skip("primal not finite or too large")

    g = _check_reverse(f, args)
    _check_forward(f, args, tangents, out)
    _check_vjp(f, args, fresh, out, g)
    return _check_second_order(prog, f, args, fresh)


def _check_reverse(f, args):
    """grad against finite differences and autograd; returns the gradient."""
    fd = _stable_fd(numeric_grad, f, args, (0, 1))
    g = _on_copy("grad(f, wrt=(0, 1))", lambda a: sourcead.grad(f, wrt=(0, 1))(*a), args)
    assert_close(g, fd, FD_RTOL, FD_ATOL, what="grad vs finite differences")
    ag = _optional(autograd_grad, f, args, (0, 1))
    if ag is not None and _close(ag, fd, FD_RTOL, FD_ATOL):
        assert_close(g, ag, EXACT_RTOL, EXACT_ATOL, what="grad vs autograd")
    return g


def _check_forward(f, args, tangents, out) -> None:
    """jvp's value against f, its tangent against finite differences and autograd."""
    res = _on_copy("jvp(f)", lambda a: sourcead.jvp(f, a, copy.deepcopy(tangents)), args)
    assert isinstance(res, tuple) and len(res) == 2, f"jvp returned {res!r}"
    jout, jt = res
    assert_close(jout, out, VALUE_RTOL, VALUE_ATOL, what="jvp primal vs f")
    try:
        fd_t = _stable_fd(lambda *a, eps: numeric_jvp(*a, eps=eps)[1], f, args, tangents)
    except Skip:
        return
    assert_close(jt, fd_t, FD_RTOL, FD_ATOL, what="jvp tangent vs finite differences")
    agj = _optional(autograd_jvp, f, args, tangents)
    if agj is not None and _close(agj[1], fd_t, FD_RTOL, FD_ATOL):
        assert_close(jt, agj[1], EXACT_RTOL, EXACT_ATOL, what="jvp tangent vs autograd")


def _check_vjp(f, args, fresh, out, g) -> None:
    """The pullback of ones is the gradient, and vjp leaves its arguments as they were."""
    given = fresh()
    vout, pullback = _sourcead("vjp(f)", lambda: sourcead.vjp(f, *given))
    assert_close(vout, out, VALUE_RTOL, VALUE_ATOL, what="vjp primal vs f")
    v = _sourcead("vjp pullback", lambda: pullback(_ones_like(out)))
    assert np.array_equal(_flat(given), _flat(args)), f"vjp changed its arguments: {args!r} became {given!r}"
    assert_close(_flat(v), _flat(g), EXACT_RTOL, EXACT_ATOL, what="vjp vs grad")


def _check_second_order(prog, f, args, fresh) -> str:
    """Reverse over reverse against finite differences of the gradient (and autograd on floats)."""
    g0 = sourcead.grad(f, wrt=0)

    def first(p0, p1):
        return g0(p0, p1)

    try:
        fd2 = _stable_fd(numeric_grad, first, args, (0, 1))
    except Skip:
        return "ok"
    gg = _sourcead("grad(grad(f, wrt=0), wrt=(0, 1))", lambda: sourcead.grad(g0, wrt=(0, 1))(*fresh()))
    assert_close(gg, fd2, FD2_RTOL, FD2_ATOL, what="grad(grad) vs finite differences of grad")
    if prog.kind == "scalar":
        ad2 = _optional(autograd_derivative, f, args, 0, 2)
        if ad2 is not None and _close(ad2, fd2[0], FD2_RTOL, FD2_ATOL):
            assert_close(gg[0], ad2, EXACT_RTOL, EXACT_ATOL, what="d2f/dx2 vs autograd")
    return "ok"


def check_refusal(prog, mod) -> str:
    """The program holds a construct sourcead does not support (a set, list.append, a complex
    number): grad and jvp must refuse it with a SourceADError naming the generated file and the
    construct's line, never return a number or fail otherwise."""
    args, tangents = _container_args(prog, np.random.default_rng(0))
    for what, call in (
        ("grad(f, wrt=(0, 1))", lambda: sourcead.grad(mod.f, wrt=(0, 1))(*copy.deepcopy(args))),
        ("jvp(f)", lambda: sourcead.jvp(mod.f, copy.deepcopy(args), tangents)),
    ):
        failure = None
        try:
            result = call()
            failure = f"{what} returned {result!r} for a program it must refuse (line {prog.refused_lines})"
        except (sourcead.InternalError, sourcead.UnboundNameError):
            failure = f"{what} raised instead of a refusal:\n{traceback.format_exc()}"
        except sourcead.SourceADError as err:
            loc = err.loc
            if loc is None or loc.filename != mod.__file__ or loc.line not in prog.refused_lines:
                failure = (f"{what} refused, but located at {loc!r}, not at {mod.__file__} line "
                           f"{prog.refused_lines}:\n{err}")
        except Exception:
            failure = f"{what} raised instead of a refusal:\n{traceback.format_exc()}"
        if failure is not None:
            raise AssertionError(failure)
    return "refused as expected"


def _container_args(prog, rng):
    """The arguments and a random tangent of a program of any kind (a list or a tuple first
    argument for the container kinds, as prog.container says)."""
    first, second = prog.args
    if prog.kind == "scalar":
        return (float(first), float(second)), tuple(float(v) for v in rng.uniform(-1.0, 1.0, size=2))
    if prog.kind == "array":
        return ((np.array(first, dtype=np.float64), float(second)),
                (rng.uniform(-1.0, 1.0, size=3), float(rng.uniform(-1.0, 1.0))))
    if prog.kind == "seq":
        make = list if prog.container == "L" else tuple
        return ((make(float(v) for v in first), float(second)),
                (make(float(v) for v in rng.uniform(-1.0, 1.0, size=3)), float(rng.uniform(-1.0, 1.0))))
    return (([np.array(b, dtype=np.float64) for b in first], float(second)),
            ([rng.uniform(-1.0, 1.0, size=3) for _ in first], float(rng.uniform(-1.0, 1.0))))


def _flat(value) -> np.ndarray:
    """Every number in a nest of lists, tuples, arrays and floats, in order, as one float vector."""
    if isinstance(value, (list, tuple)):
        parts = [_flat(v) for v in value]
        return np.concatenate(parts) if parts else np.zeros(0)
    return np.asarray(value, dtype=np.float64).reshape(-1)


def _unflat(vec, like):
    """`vec` shaped as `like` (the inverse of _flat)."""
    pos = 0

    def build(x):
        nonlocal pos
        if isinstance(x, (list, tuple)):
            return type(x)(build(v) for v in x)
        if isinstance(x, np.ndarray):
            out = vec[pos:pos + x.size].reshape(x.shape)
            pos += x.size
            return out
        pos += 1
        return vec[pos - 1]

    return build(like)


def _seq_kind(value, like, what):
    """A derivative with respect to a list (a tuple) is a list (a tuple) of the same length."""
    if isinstance(like, (list, tuple)):
        assert type(value) is type(like) and len(value) == len(like), (
            f"{what}: expected a {type(like).__name__} of {len(like)}, got {value!r}")


def check_containers(prog, f, rng) -> str:
    """A program of lists and tuples, its first argument a list or a tuple: grad against finite
    differences of the flattened function, jvp along a random direction, vjp against grad, and
    grad of (the derivative with respect to the float argument) against finite differences."""
    args, tangents = _container_args(prog, rng)
    try:
        out = _quiet(f, *copy.deepcopy(args))
    except UnboundLocalError:
        return check_unbound(f, lambda: copy.deepcopy(args), tangents)
    except Exception as err:
        raise Skip(f"primal raised {err!r}") from err
    if not _finite(out):
        raise Skip("primal not finite or too large")
    x0 = _flat(args)

    def flat_f(v):  # f of the flattened arguments (the sum of its results, as grad takes)
        return float(np.sum(_flat(f(*copy.deepcopy(_unflat(v, args))))))

    fd = _stable_fd(numeric_grad, flat_f, (x0,), 0)
    g = _on_copy("grad(f, wrt=(0, 1))", lambda a: sourcead.grad(f, wrt=(0, 1))(*a), args)
    assert isinstance(g, tuple) and len(g) == 2, f"grad returned {g!r}"
    _seq_kind(g[0], args[0], "grad wrt the sequence")
    assert_close(_flat(g), fd, FD_RTOL, FD_ATOL, what="grad vs finite differences")

    res = _on_copy("jvp(f)", lambda a: sourcead.jvp(f, a, copy.deepcopy(tangents)), args)
    assert isinstance(res, tuple) and len(res) == 2, f"jvp returned {res!r}"
    assert_close(_flat(res[0]), _flat(out), VALUE_RTOL, VALUE_ATOL, what="jvp primal vs f")
    t0 = _flat(tangents)

    def along(s, eps):
        return _derivative_along(f, args, x0, t0, eps)

    try:
        fd_t = _stable_fd(along, None)
    except Skip:
        fd_t = None
    if fd_t is not None:
        assert_close(_flat(res[1]), fd_t, FD_RTOL, FD_ATOL, what="jvp tangent vs finite differences")

    _check_container_vjp(f, args, out, g)

    g1 = sourcead.grad(f, wrt=1)

    def flat_g1(v):
        return float(g1(*copy.deepcopy(_unflat(v, args))))

    try:
        fd2 = _stable_fd(numeric_grad, flat_g1, (x0,), 0)
    except Skip:
        return "ok"
    gg = _sourcead("grad(grad(f, wrt=1), wrt=(0, 1))",
                   lambda: sourcead.grad(g1, wrt=(0, 1))(*copy.deepcopy(args)))
    assert_close(_flat(gg), fd2, FD2_RTOL, FD2_ATOL, what="grad(grad) vs finite differences of grad")
    return "ok"


def _check_container_vjp(f, args, out, g) -> None:
    """The pullback of ones is the gradient, with the sequence's type; the arguments stay as they were."""
    given = copy.deepcopy(args)
    vout, pullback = _sourcead("vjp(f)", lambda: sourcead.vjp(f, *given))
    assert_close(_flat(vout), _flat(out), VALUE_RTOL, VALUE_ATOL, what="vjp primal vs f")
    ct = _ones_like(out)
    v = _sourcead("vjp pullback", lambda: pullback(ct))
    assert _structure(given) == _structure(args) and np.array_equal(_flat(given), _flat(args)), (
        f"vjp changed its arguments: {args!r} became {given!r}")
    _seq_kind(v[0], args[0], "vjp cotangent of the sequence")
    assert_close(_flat(v), _flat(g), EXACT_RTOL, EXACT_ATOL, what="vjp vs grad")


def _ones_like(out):
    """A cotangent of ones with the structure of f's result (a float, an array, a tuple, a list)."""
    if isinstance(out, (list, tuple)):
        return type(out)(_ones_like(v) for v in out)
    return np.ones_like(out) if isinstance(out, np.ndarray) else 1.0


def _derivative_along(f, args, x0, t0, eps):
    """d/ds f(args + s * tangents) at s = 0 (flattened) by the five-point stencil."""
    h = eps * max(1.0, float(np.max(np.abs(x0))))
    vals = {k: _flat(f(*copy.deepcopy(_unflat(x0 + k * h * t0, args)))) for k in (-2, -1, 1, 2)}
    return (vals[-2] - 8.0 * vals[-1] + 8.0 * vals[1] - vals[2]) / (12.0 * h)


def check_unbound(f, fresh, tangents) -> str:
    """The primal raised UnboundLocalError: grad and jvp must raise it too (or refuse)."""
    for what, call in (
        ("grad(f, wrt=(0, 1))", lambda: sourcead.grad(f, wrt=(0, 1))(*fresh())),
        ("jvp(f)", lambda: sourcead.jvp(f, fresh(), copy.deepcopy(tangents))),
    ):
        failure = refusal = None
        try:
            result = call()
            failure = f"the primal raised UnboundLocalError; {what} returned {result!r}"
        except UnboundLocalError:
            continue
        except sourcead.InternalError:
            failure = f"the primal raised UnboundLocalError; {what} raised:\n{traceback.format_exc()}"
        except sourcead.SourceADError as err:
            refusal = _refusal(what, err)
        except Exception:
            failure = f"the primal raised UnboundLocalError; {what} raised instead:\n{traceback.format_exc()}"
        if refusal is not None:
            raise Refused(refusal)
        raise AssertionError(failure)
    return "unbound"


class Stats:
    def __init__(self):
        self.outcomes = collections.Counter()
        self.by_kind = collections.Counter()  # (kind, outcome)
        self.refusals = collections.Counter()
        self.failures = 0

    def report(self) -> str:
        kinds = ", ".join(f"{k}/{o}: {n}" for (k, o), n in sorted(self.by_kind.items()))
        return (f"fuzz: {dict(self.outcomes)}; by kind: {kinds}; collected failures: {self.failures}; "
                f"refusals: {self.refusals.most_common(8)}")


def _record(prog, message):
    with open(COLLECT, "a") as fh:
        fh.write(json.dumps({"source": prog.source, "kind": prog.kind, "args": prog.args,
                             "message": message}) + "\n")


def _fuzz(stats: Stats):
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    @given(prog=programs(OPTIONS), seed=st.integers(0, 2**32 - 1))
    def run(prog, seed):
        rng = np.random.default_rng(seed)
        failure = None
        try:
            outcome = check_program(prog, rng)
        except Skip:
            outcome = "skipped"
        except Refused as why:
            outcome = "refused"
            stats.refusals[str(why)] += 1
        except AssertionError as err:
            failure = str(err)
        stats.by_kind[prog.kind, "failed" if failure is not None else outcome] += 1
        if PROGRESS and sum(stats.by_kind.values()) % PROGRESS == 0:
            print(f"[{sum(stats.by_kind.values())} programs] {stats.report()}", file=sys.stderr, flush=True)
        if failure is not None:
            if COLLECT:
                stats.failures += 1
                _record(prog, failure)
                return
            raise AssertionError(
                f"{failure}\n\n--- generated program (kind {prog.kind}, point {prog.args!r}) ---\n{prog.source}")
        stats.outcomes[outcome] += 1
        assume(outcome != "skipped")

    run()


def test_fuzz_programs():
    stats = Stats()
    _fuzz(stats)
    print(stats.report())
    reached = sum(n for outcome, n in stats.outcomes.items() if outcome != "skipped")
    assert reached >= min(EXAMPLES, 150) // 3, f"too few programs were checked: {stats.report()}"
    assert stats.outcomes["refused"] <= MAX_REFUSED * reached, (
        f"sourcead refused too many generated programs: {stats.report()}")
    if COLLECT:
        assert stats.failures == 0, f"{stats.failures} failures recorded in {COLLECT}"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(pytest.main([__file__, "-q", "-s"]))
