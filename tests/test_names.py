"""Generated names never collide with the user's.

The generated code introduces names of its own: cotangents (`dx`, `ddx`), temporaries (`t`,
`t_1`), the tape (`stack`, `push`, `pop`, `cstack`...), loop counters (`iterations`, `_`, `__1`),
branch flags (`cond`), and the runtime helpers it calls (`unbroadcast`, `broadcast_like`, ...), and
it calls builtins (`list`, `range`, `reversed`). Every one of those is tried here, exhaustively, as
the user's own variable, parameter, global or helper function name in functions with loops (so the tape is used), `while`
loops (so iterations are counted), branches, helper calls, broadcasting and a loop variable; each
derivative (grad, jvp, grad of grad) is checked against finite differences, and vjp against grad.

The functions are generated as source text from templates in which NAME stands for the name, and
written to a real file (sourcead reads source), one module per name.
"""

import importlib.util
import inspect
import os
import re
import sys
import textwrap

import numpy as np
import pytest

sys.path.insert(0, os.path.dirname(__file__))

from oracle import assert_close, numeric_grad, numeric_hessian, numeric_jvp  # noqa: E402

import sourcead  # noqa: E402
import sourcead.runtime  # noqa: E402

GENERATED = [
    "dx", "dy", "ddx", "dacc", "dacc_1", "dt", "dout", "dresult", "result", "t", "t_1", "t_2", "t0", "t1",
    "stack", "push", "pop", "stack_1", "push_1", "pop_1", "cstack", "cpush", "cpop",
    "iterations", "iterations_1", "_", "__1", "__2", "cond", "cond_1", "i", "k", "acc_1", "x_1", "dx_1",
    "np", "numpy", "math", "list", "range", "reversed", "len", "float", "zip", "vdot", "shape_of",
]
HELPERS = sorted(n for n, v in vars(sourcead.runtime).items()
                 if not n.startswith("_") and (callable(v) or n.isupper()) and not inspect.ismodule(v)
                 and getattr(v, "__module__", "sourcead.runtime") == "sourcead.runtime")
NAMES = GENERATED + [n for n in HELPERS if n not in GENERATED]

# Each template defines `f` (and maybe helpers); NAME is replaced by the name under test. The
# module imports NumPy as _np_ so that a user variable named np or numpy does not shadow it.
TEMPLATES = {
    "local-in-a-for-loop": """
        def f(x, y):
            NAME = x * 0.5
            acc = y
            for i in range(3):
                acc = _np_.sin(acc) * NAME + 0.1 * x
            return acc * NAME
    """,
    "parameter-in-a-while-loop": """
        def f(NAME, y):
            k = 0
            while k < 3:
                NAME = _np_.cos(NAME) * y + NAME * 0.5
                k = k + 1
            return NAME * y
    """,
    "branches-and-a-helper": """
        def helper(a, b):
            return a * _np_.exp(b * 0.3)

        def f(x, NAME):
            if x > 0:
                z = helper(x, NAME)
            else:
                z = helper(NAME, x)
            return z * NAME
    """,
    "helper-parameter-with-a-loop": """
        def helper(NAME, b):
            for j in range(2):
                NAME = NAME * _np_.tanh(b) + b
            return NAME

        def f(x, y):
            return helper(x, y) + helper(y, x) * x
    """,
    "loop-variable": """
        def f(x, y):
            acc = x
            for NAME in range(3):
                acc = acc * y + _np_.sin(acc) * NAME
            return acc
    """,
    "broadcast-in-a-loop": """
        def f(x, NAME):
            total = 0.0
            for i in range(2):
                total = total + _np_.sum(_np_.sin(x * NAME) * x)
            return total
    """,
    "matrix-rows-in-a-loop": """
        def f(x, NAME):
            h = _np_.ones((2, 2)) * x
            for i in range(2):
                h = _np_.tanh(h @ _np_.eye(2) * NAME + x)
            return _np_.sum(h * h)
    """,
    "array-in-a-while-loop": """
        def f(x, NAME):
            b = x * 2.0
            k = 0
            while k < 2:
                b = b * NAME
                k = k + 1
            return b
    """,
    "global-data": """
        NAME = 1.3

        def f(x, y):
            acc = y
            k = 0
            while k < 3:
                if acc > 0.1:
                    acc = _np_.sin(acc) * x * NAME
                else:
                    acc = acc + x * NAME
                k = k + 1
            return acc * NAME
    """,
    "helper-function-name": """
        def NAME(a, b):
            out = a
            for j in range(2):
                out = _np_.sin(out) * b
            return out

        def f(x, y):
            acc = x
            for i in range(2):
                acc = NAME(acc, y) + acc * y
            return acc
    """,
    "branch-in-a-while-loop": """
        def f(x, y):
            NAME = x
            count = 0
            while count < 4:
                if NAME > 0.2:
                    NAME = NAME * _np_.cos(y)
                else:
                    NAME = NAME + y * y
                count = count + 1
            return NAME
    """,
}
ARGS = {"broadcast-in-a-loop": (np.array([0.3, -0.7, 1.1]), 0.8), "matrix-rows-in-a-loop": (np.array([0.3, -0.7]), 0.8),
        "array-in-a-while-loop": (np.array([0.3, -0.7]), 0.8)}
DEFAULT_ARGS = (0.7, 0.4)


def _usable(name: str, template: str) -> bool:
    """Whether the template can use `name`: not when it already means something there (a user
    local called `range` makes the function's own `range(3)` fail, in Python itself)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", template) is None


COMBINATIONS = [(n, t) for n in NAMES for t in TEMPLATES if _usable(n, TEMPLATES[t])]

COLLISIONS: dict = {}  # (name, template) -> the collision found, and where it needs fixing (none left)


def _combination_params():
    out = []
    for name, template in COMBINATIONS:
        reason = COLLISIONS.get((name, template))
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        out.append(pytest.param(name, template, marks=marks, id=f"{name}-{template}"))
    return out


@pytest.fixture(scope="module")
def modules(tmp_path_factory):
    """name -> template -> the module holding that template's functions with NAME replaced."""
    root = tmp_path_factory.mktemp("names")
    out = {}
    for i, name in enumerate(NAMES):
        for j, (label, template) in enumerate(TEMPLATES.items()):
            if not _usable(name, template):
                continue
            text = "import numpy as _np_\n\n" + textwrap.dedent(template).replace("NAME", name)
            path = root / f"names_{i}_{j}.py"
            path.write_text(text)
            spec = importlib.util.spec_from_file_location(f"names_{i}_{j}", path)
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            out.setdefault(name, {})[label] = module
    return out


@pytest.mark.parametrize("name, template", _combination_params())
def test_a_user_name_does_not_collide_with_generated_names(modules, name, template):
    f = modules[name][template].f
    args = ARGS.get(template, DEFAULT_ARGS)
    what = f"{template} with the user's name {name!r}"
    got = sourcead.grad(f, wrt=(0, 1))(*args)
    assert_close(got, numeric_grad(f, args, (0, 1)), 1e-6, 1e-8, f"grad, {what}")
    _, pullback = sourcead.vjp(f, *args)
    ct = np.full(np.shape(f(*args)), 0.7) if isinstance(f(*args), np.ndarray) else 0.7
    assert_close(pullback(ct), tuple(0.7 * g for g in got), 1e-12, 1e-12, f"vjp, {what}")
    tangents = tuple(np.full(np.shape(a), 0.3) if isinstance(a, np.ndarray) else 0.3 for a in args)
    _, t_out = sourcead.jvp(f, args, tangents)
    assert_close(t_out, numeric_jvp(f, args, tangents)[1], 1e-6, 1e-8, f"jvp, {what}")
    if not isinstance(args[0], np.ndarray):
        second = sourcead.grad(sourcead.grad(f))(*args)
        assert_close(second, numeric_hessian(f, args, 0), 1e-5, 1e-6, f"grad of grad, {what}")


def test_every_generated_name_and_helper_is_tried():
    """The list is not vacuous: the tape, loop and helper names are among those tried, in several
    templates each."""
    tried = {n for n, _ in COMBINATIONS}
    for name in ("stack", "push", "pop", "cstack", "iterations", "_", "cond", "unbroadcast", "broadcast_like"):
        assert name in tried
    assert len(HELPERS) >= 20
    assert len(COMBINATIONS) >= 5 * len(NAMES)


def test_the_templates_use_the_tape_iterations_and_unbroadcast(modules):
    """The templates reach the generated names they are meant to collide with."""
    sources = []
    for label, module in modules["result"].items():
        args = ARGS.get(label, DEFAULT_ARGS)
        sources.append(sourcead.source(sourcead.grad(module.f, wrt=(0, 1)), *args))
        if not isinstance(args[0], np.ndarray):
            sources.append(sourcead.source(sourcead.grad(sourcead.grad(module.f)), *args))
    text = "\n".join(sources)
    for generated in ("push(", "pop()", "iterations", "for _ in", "cond", "cpush(", "vdot(", "unbroadcast("):
        assert generated in text, f"no template's derivative uses {generated!r}"
