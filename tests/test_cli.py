"""The command line (sourcead/cli.py): show, check, demo, --help on each; a user's mistake is one
line on stderr with exit status 2, a refused function is sourcead's located message with status 1."""

import os
import re
import shutil
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import sourcead
from sourcead.cli import main

MODEL = '''
import math

import sourcead

import numpy as np

K = 3.0


def loss(w, b, x):
    return np.sum((w * x + b - K) ** 2)


def poly(x, y):
    return (x ** 2 + 4) * y - x / y


def noisy(x):
    id(x)  # a call whose result is unused
    return x


def domain(x):
    return math.log(x - 10.0)


NOT_A_FUNCTION = 3


@sourcead.grad(wrt=(0, 1))
def decorated(x, y):
    return x * y ** 2
'''


@pytest.fixture
def model(tmp_path, monkeypatch):
    path = tmp_path / "climodel.py"
    path.write_text(MODEL)
    monkeypatch.syspath_prepend(str(tmp_path))
    yield str(path)
    sys.modules.pop("climodel", None)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_show_prints_the_float_version_by_default(model, capsys):
    code, out, err = run(capsys, "show", f"{model}:poly", "--wrt", "x,y")
    assert code == 0 and err == ""
    import climodel

    assert out == sourcead.source(sourcead.grad(climodel.poly, wrt=(0, 1)))
    assert out.startswith("# specialised for float x, y")


def test_show_with_args_and_shapes(model, capsys):
    import climodel

    code, out, _ = run(capsys, "show", f"{model}:loss", "--wrt", "w,b", "--args", "[1.0, 2.0], 0.5, [3.0, 4.0]")
    want = sourcead.source(sourcead.grad(climodel.loss, wrt=(0, 1)), np.ones(2), 0.5, np.ones(2))
    assert code == 0 and out == want and re.search(r"db = .*\w+\.sum\(axis=0\)", out)  # b a number: a sum
    code, out_shapes, _ = run(capsys, "show", f"{model}:loss", "--wrt", "0,1", "--shapes", "w=2,x=2")
    assert code == 0 and out_shapes == want
    code, out_positional, _ = run(capsys, "show", f"{model}:loss", "[1.0, 2.0]", "0.5", "[3.0, 4.0]", "--wrt", "w,b")
    assert code == 0 and out_positional == want


@pytest.mark.parametrize("mode, name", [("jvp", "loss_jvp"), ("vjp", "loss_vjp"), ("hessian", "loss_grad_jvp")])
def test_show_modes(model, capsys, mode, name):
    code, out, _ = run(capsys, "show", f"{model}:loss", "--mode", mode, "--shapes", "w=2,x=2")
    assert code == 0 and f"def {name}(" in out


def test_show_standalone_runs_next_to_the_users_file(model, capsys, tmp_path):
    code, out, _ = run(capsys, "show", f"{model}:loss", "--wrt", "w,b", "--shapes", "w=2,x=2", "--standalone")
    assert code == 0 and "from climodel import K" in out
    (tmp_path / "loss_grad_module.py").write_text(out)
    script = textwrap.dedent("""
        import numpy as np, loss_grad_module, climodel, sourcead
        args = (np.array([0.5, 1.5]), 0.25, np.array([2.0, -1.0]))
        got = loss_grad_module.loss_grad(*args)
        want = sourcead.grad(climodel.loss, wrt=(0, 1))(*args)
        assert all(np.allclose(g, w, rtol=1e-12) for g, w in zip(got, want)), (got, want)
    """)
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_a_decorated_gradient_shows_and_checks_as_its_function(model, capsys):
    code, out, _ = run(capsys, "show", f"{model}:decorated", "--args", "2.0,3.0")
    assert code == 0 and out.startswith("def decorated_grad(x, y):") and "return y * y, dy" in out
    code, out, _ = run(capsys, "check", f"{model}:decorated", "--args", "2.0,3.0")
    assert code == 0 and [r.split()[0] for r in out.splitlines()[2:]] == ["x", "y"]


def test_show_ssa(model, capsys):
    code, out, _ = run(capsys, "show", f"{model}:poly", "--ssa")
    assert code == 0 and out.startswith("def poly(x, y):")


def test_check_prints_a_table_and_exits_0(model, capsys):
    code, out, _ = run(capsys, "check", f"{model}:loss", "--shapes", "w=3,x=3")
    assert code == 0
    rows = out.splitlines()[2:]
    assert [r.split()[0] for r in rows] == ["w", "b", "x"] and all(r.endswith("yes") for r in rows)


def test_check_reports_the_users_runtime_error_in_one_line(model, capsys):
    code, out, err = run(capsys, "check", f"{model}:domain", "--args", "1.0")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "domain raised" in err


@pytest.mark.parametrize("argv, message", [
    (["show", "{dir}/missing.py:f"], "no such file"),
    (["show", "{model}"], "expected FILE.py:FUNCTION"),
    (["show", "{model}:"], "expected FILE.py:FUNCTION"),
    (["show", "{model}:nope"], "defines no 'nope'; it defines decorated, domain, loss, noisy, poly"),
    (["show", "{model}:NOT_A_FUNCTION"], "not a function"),
    (["show", "{model}:loss", "--wrt", "q"], "has no parameter 'q'"),
    (["show", "{model}:loss", "--wrt", ","], "--wrt needs"),
    (["show", "{model}:loss", "--args", "1,("], "--args"),
    (["show", "{model}:loss", "--args", "1,2"], "gives 2 values; loss takes 3"),
    (["show", "{model}:loss", "--args", "'a',2,3"], "not a number"),
    (["show", "{model}:loss", "--shapes", "q=3"], "--shapes"),
    (["show", "{model}:loss", "--shapes", "w=3y"], "not a shape"),
    (["show", "{model}:loss", "--args", "1,2,3", "--shapes", "w=3"], "not both"),
    (["show", "{model}:loss", "--inline"], "--inline goes with --standalone"),
    (["show", "{model}:loss", "1", "2", "3", "--args", "1,2,3"], "give the example arguments once"),
    (["show", "{model}:loss", "--mode", "sideways"], "invalid choice"),
    (["show"], "required"),
    (["frobnicate"], "invalid choice"),
    (["check", "{model}:loss", "--wrt", "w", "--args", "1,2"], "gives 2 values"),
])
def test_user_mistakes_are_one_line_and_exit_2(model, capsys, argv, message):
    argv = [a.format(model=model, dir=os.path.dirname(model)) for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("sourcead: error: ") and message in err and "Traceback" not in err


def test_an_import_error_in_the_users_file_is_one_line(tmp_path, capsys):
    bad = tmp_path / "broken_model.py"
    bad.write_text("import numpy as np\nraise RuntimeError('boom')\n")
    code, _, err = run(capsys, "show", f"{bad}:f")
    assert code == 2 and err.strip() == f"sourcead: error: importing {bad} raised RuntimeError: boom"


def test_a_refused_function_prints_the_located_message_and_exits_1(model, capsys):
    code, out, err = run(capsys, "show", f"{model}:noisy")
    assert code == 1 and out == ""
    lines = err.splitlines()
    line = MODEL.splitlines().index("    id(x)  # a call whose result is unused") + 1
    assert lines[0] == f'File "{model}", line {line}, in noisy'
    assert lines[1].strip().startswith("id(x)") and lines[2].strip() == "^"
    assert "not supported" in err and "hint:" in err


@pytest.mark.parametrize("argv", [["--help"], ["show", "--help"], ["check", "--help"], ["demo", "--help"]])
def test_every_command_has_help(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 0
    assert capsys.readouterr().out.startswith("usage: sourcead")


def test_no_command_prints_help_and_exits_2(capsys):
    code, _, err = run(capsys)
    assert code == 2 and "show" in err and "check" in err and "demo" in err


def test_demo_agrees_with_finite_differences(capsys):
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert out.strip().splitlines()[-1].startswith("all derivatives agree with finite differences: yes")
    assert "def seed_poly_grad(x, y):" in out


def test_python_dash_m_and_the_script_entry_point(model):
    done = subprocess.run([sys.executable, "-m", "sourcead", "show", f"{model}:poly", "--args", "101.0,12.0"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("def poly_grad(x, y):")
    assert "\x1b[" not in done.stdout  # piped: never coloured
    script = shutil.which("sourcead", path=os.path.dirname(sys.executable))
    if script is None:
        pytest.skip("the sourcead script is not installed in this environment")
    done = subprocess.run([script, "show", f"{model}:nope"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and done.stderr.count("\n") == 1
