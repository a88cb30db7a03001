"""Golden generated sources for canonical functions: the derivative must read exactly as pinned.

A change to how derivatives print shows up here as a diff to review. To accept the new text after
reviewing it: SOURCEAD_UPDATE_GOLDEN=1 python -m pytest tests/backend/test_golden.py
The README shows some of these files verbatim; a test checks that it still does.
"""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import sourcead
from sourcead import demo

HERE = pathlib.Path(__file__).resolve().parents[1]  # tests/
GOLDEN = HERE / "golden"
ROOT = HERE.parent

X3 = np.array([0.3, -0.2, 0.5])
M22 = np.array([[1.0, 2.0], [3.0, 4.0]])

# name -> (function of nothing that returns the source text)
CASES = {
    # straight-line code, scalars: no unbroadcast, no * 1.0, no + 0, no dead statements
    "seed_poly_grad": lambda: sourcead.source(sourcead.grad(demo.seed_poly, wrt=(0, 1)), 101.0, 12.0),
    "fourth_grad": lambda: sourcead.source(sourcead.grad(demo.fourth), 3.0),
    "quadratic_grad": lambda: sourcead.source(sourcead.grad(demo.quadratic), 0.0),
    # arrays: broadcasting kept only where shapes may differ
    "mx_square_grad": lambda: sourcead.source(sourcead.grad(demo.mx_square), M22),
    "sin_chain_grad": lambda: sourcead.source(sourcead.grad(demo.sin_chain), X3),
    "mse_grad": lambda: sourcead.source(sourcead.grad(demo.mse, wrt=(0, 1)), 1.0, 0.0, X3, X3),
    "linreg_loss_grad": lambda: sourcead.source(sourcead.grad(demo.linreg_loss, wrt=(0, 1)),
                                                np.ones((1, 2)), np.ones((1, 1)), np.ones((4, 2)), np.ones((4, 1))),
    # control flow: a counter and a branch flag, loops run backwards, pushes only what is read
    "mx_control_grad": lambda: sourcead.source(sourcead.grad(demo.mx_control), X3),
    "sin_loop_grad": lambda: sourcead.source(sourcead.grad(demo.sin_loop), 0.5),
    "newton_sqrt_grad": lambda: sourcead.source(sourcead.grad(demo.newton_sqrt), 2.0),
    # forward mode and higher order
    "seed_poly_jvp": lambda: sourcead.source(demo.seed_poly, 101.0, 12.0, mode="jvp"),
    "sin_loop_jvp": lambda: sourcead.source(demo.sin_loop, 0.5, 10, mode="jvp"),
    "fourth_grad_grad": lambda: sourcead.source(sourcead.grad(sourcead.grad(demo.fourth)), 3.0),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_source(name):
    text = CASES[name]()
    path = GOLDEN / f"{name}.py"
    if os.environ.get("SOURCEAD_UPDATE_GOLDEN"):
        path.write_text(text)
    assert path.exists(), f"no golden file {path}; run with SOURCEAD_UPDATE_GOLDEN=1 to create it"
    assert text == path.read_text(), f"the generated source of {name} changed; review and update the golden file"


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden_source_compiles(name):
    compile((GOLDEN / f"{name}.py").read_text(), name, "exec")


def test_same_source_in_a_fresh_process():
    """Byte-identical output across processes (names never come from ids or hashes)."""
    code = ("import sourcead, numpy as np; from sourcead import demo;"
            "print(sourcead.source(sourcead.grad(demo.mx_control), np.array([0.3, -0.2, 0.5])), end='')")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    assert out.stdout == (GOLDEN / "mx_control_grad.py").read_text()


@pytest.mark.parametrize("name", ["seed_poly_grad", "mx_control_grad", "seed_poly_jvp"])
def test_readme_shows_the_golden_source(name):
    readme = (ROOT / "README.md").read_text()
    assert (GOLDEN / f"{name}.py").read_text().strip() in readme, f"README.md no longer shows {name} as generated"


def test_docs_show_the_forward_mode_source():
    docs = (ROOT / "docs" / "forward-and-higher-order.md").read_text()
    assert (GOLDEN / "seed_poly_jvp.py").read_text().strip() in docs
