"""source(df, *args, standalone=True): a module that runs on its own, in a fresh interpreter, and
gives df's numbers; with standalone="inline" it runs without sourcead installed."""

import importlib
import os
import pickle
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import sourcead
from sourcead import demo

# Run in a fresh interpreter; with BLOCK, `import sourcead` fails there as if it were not installed.
BLOCK = "import sys; sys.modules['sourcead'] = None\n"


def run_module(tmp_path, text, call, args, block=False, extra_path=()):
    """derivative.<call>(*args), the module written to tmp_path, run in a fresh interpreter."""
    (tmp_path / "derivative.py").write_text(text)
    (tmp_path / "args.pickle").write_bytes(pickle.dumps(tuple(args)))
    script = (BLOCK if block else "") + textwrap.dedent(f"""
        import sys
        sys.path[:0] = {[str(tmp_path), *map(str, extra_path)]!r}
        import pickle
        import derivative
        with open({str(tmp_path / "args.pickle")!r}, "rb") as f:
            args = pickle.load(f)
        with open(sys.argv[1], "wb") as f:
            pickle.dump(derivative.{call}(*args), f)
    """)
    out = tmp_path / "result.pickle"
    done = subprocess.run([sys.executable, "-c", script, str(out)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + "\n" + text
    return pickle.loads(out.read_bytes())


def assert_same(got, want):
    got = tuple(got) if isinstance(want, tuple) else got
    if isinstance(want, tuple):
        assert len(got) == len(want)
        for g, w in zip(got, want):
            np.testing.assert_allclose(np.asarray(g, dtype=float), np.asarray(w, dtype=float), rtol=1e-12)
    else:
        np.testing.assert_allclose(np.asarray(got, dtype=float), np.asarray(want, dtype=float), rtol=1e-12)


def test_a_float_derivative_runs_alone(tmp_path):
    df = sourcead.grad(demo.seed_poly, wrt=(0, 1))
    text = sourcead.source(df, 101.0, 12.0, standalone=True)
    assert "sourcead" not in "".join(line for line in text.splitlines() if not line.startswith("#"))
    assert_same(run_module(tmp_path, text, "seed_poly_grad", (101.0, 12.0)), df(101.0, 12.0))


def _linreg_args():
    rs = np.random.RandomState(0)
    return np.array([[3.0, 1.0]]), np.array([[3.0]]), rs.randn(10, 2), rs.randn(10, 1)


def test_an_array_derivative_imports_exactly_the_runtime_helpers_it_uses(tmp_path):
    df = sourcead.grad(demo.linreg_loss, wrt=(0, 1))
    args = _linreg_args()
    text = sourcead.source(df, *args, standalone=True)
    imports = [line for line in text.splitlines() if line.startswith(("import ", "from "))]
    body = text.split("def linreg_loss_grad", 1)[1]
    helpers = sorted(name for name in vars(sourcead.runtime) if name + "(" in body)
    assert imports == ["import numpy as np", f"from sourcead.runtime import {', '.join(helpers)}"]
    assert_same(run_module(tmp_path, text, "linreg_loss_grad", args), df(*args))


def test_inline_helpers_need_no_sourcead(tmp_path):
    df = sourcead.grad(demo.linreg_loss, wrt=(0, 1))
    args = _linreg_args()
    text = sourcead.source(df, *args, standalone="inline")
    assert "from sourcead" not in text.replace("    from sourcead", "")  # only inside try: fallbacks
    assert text.splitlines()[0].endswith("runs without sourcead")
    assert_same(run_module(tmp_path, text, "linreg_loss_grad", args, block=True), df(*args))


def test_a_loop_with_a_tape_runs_alone_without_sourcead(tmp_path):
    df = sourcead.grad(demo.sin_loop)
    text = sourcead.source(df, 0.5, 50, standalone="inline")
    assert_same(run_module(tmp_path, text, "sin_loop_grad", (0.5, 50), block=True), df(0.5, 50))


USER_MODULE = '''
import numpy as np

A, B, C = 1.5, -2.0, 1.0


def quadratic(x):
    return A * x ** 2 + B * x + C
'''


def test_user_globals_are_imported_from_the_users_module(tmp_path, monkeypatch):
    (tmp_path / "usermod_standalone.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("usermod_standalone")
    df = sourcead.grad(mod.quadratic)
    text = sourcead.source(df, 0.25, standalone=True)
    assert "from usermod_standalone import A, B" in text
    out = tmp_path / "out"
    out.mkdir()
    assert_same(run_module(out, text, "quadratic_grad", (0.25,), extra_path=[tmp_path]), df(0.25))


def test_globals_of_a_module_that_cannot_be_imported_are_reported(tmp_path, monkeypatch):
    (tmp_path / "script_standalone.py").write_text(USER_MODULE)
    monkeypatch.syspath_prepend(str(tmp_path))
    mod = importlib.import_module("script_standalone")
    monkeypatch.delitem(sys.modules, "script_standalone")  # as for a script run as __main__
    text = sourcead.source(sourcead.grad(mod.quadratic), 0.25, standalone=True)
    assert "# It reads these names from a module that cannot be imported; define them first:" in text
    assert "#     A = 1.5" in text and "#     B = -2.0" in text
    assert "import script_standalone" not in text


def test_show_standalone_prints_the_module(capsys):
    df = sourcead.grad(demo.seed_poly)
    sourcead.show(df, 1.0, 2.0, standalone=True)
    assert capsys.readouterr().out == sourcead.source(df, 1.0, 2.0, standalone=True)


# ---- every catalog function: the inline module, executed, gives df's numbers --------------------

def _catalog_cases():
    sys.path.insert(0, os.path.dirname(__file__))
    import catalog
    import catalog.control_flow
    import catalog.straight_line

    found = catalog.cases(catalog.straight_line) + catalog.cases(catalog.control_flow)
    return [c for c in found if not c.tags and c.kwargs is None]


@pytest.mark.parametrize("case", _catalog_cases(), ids=lambda c: c.id)
def test_catalog_derivatives_run_standalone(case):
    args = list(case.make_args())
    try:
        df = sourcead.grad(case.fn, wrt=case.wrt)
        want = df(*args)
    except sourcead.SourceADError:
        pytest.skip("refused by sourcead (the catalog tests say which are expected)")
    text = sourcead.source(df, *args, standalone="inline")
    namespace = {"__name__": "standalone_check"}
    exec(compile(text, "<standalone>", "exec"), namespace)
    got = namespace[df._last.name](*df.prepare(df.bound.args(args, {})))
    want_t = want if df.several else (want,)
    got_t = got if isinstance(got, tuple) else (got,)
    for g, w in zip(got_t[len(got_t) - len(want_t):], want_t):
        np.testing.assert_allclose(np.asarray(g, dtype=float), np.asarray(w, dtype=float), rtol=1e-12, atol=1e-300)
