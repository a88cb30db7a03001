"""Every script in examples/ runs (in its --fast mode) and prints what it promises. Each example
checks its own gradients against finite differences (sourcead.check_grad with raise_on_mismatch),
so a wrong derivative fails its run; the seed scripts print the seed notebooks' numbers."""

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(ROOT, "examples")

# script -> lines (or parts of lines) its output must contain
EXPECTED = {
    "seed_000_three_ways.py": [
        "forward mode: dz/dx = 2423.9166666666665, dz/dy = 10205.701388888889",
        "reverse mode: z = 122451.58333333333, dz/dx = 2423.9166666666665, dz/dy = 10205.701388888889",
        "def z_grad(x, y):", "def z_jvp(x, y, dx, dy):", "both agree with finite differences"],
    "seed_001_mxnet.py": [
        "x.grad: [[4.0, 8.0], [12.0, 16.0]]", "x.grad with a head gradient: [[40.0, 8.0], [1.2000000000000002, 0.16]]",
        "def f_grad(a):", "all agree with finite differences"],
    "seed_002_pytorch.py": [
        "dy/dx at 0: -2.0", "non-scalar, the gradient of the sum: [[-2.0, -2.0], [0.0, 2.0]]",
        "first derivative: -2.0  second derivative: 2.0", "dy1/dx1, dy1/dx2: (2.0, 1.0)",
        "d(y1 + y2)/dx1: 3.0", "minimum: y = 0.000000 at x = 1.0000", "all agree with finite differences"],
    "seed_003_vectors_mse_chain.py": [
        "df/dx = [52. 76.], df/dy = [32. 52.], df/dz = [28. 44.]", "MSE: 4.0, gradient w: -58.0", "gradient b: -4.0",
        "all agree with finite differences"],
    "seed_004_gradient_tape.py": [
        "first derivative=6.0, second derivative=2.0", "dy/dx=6.0, dz/dx=108.0", "all agree with finite differences"],
    "linear_regression.py": ["step    0  loss", "fitted w = [ 2.003 -3.014  0.492]"],
    "mlp.py": ["gradient check of loss", "step     0  loss"],
    "newton.py": ["x = 2.094551481542327", "(agrees with finite differences)"],
    "projectile.py": ["gradient check of distance", "lands at 25.000000000 m", "def distance_grad(angle, speed):"],
    "custom_rule.py": ["gradient:", "check:"],
    "heat_equation.py": ["gradient check of misfit", "Hessian eigenvalues at the fit: [ True  True]",
                         "fitted k = 1.290 (true 1.3), q = 4.049 (true 4.0)"],
}
PLOTS = {"linear_regression.py": "loss_curve_linear_regression.png", "mlp.py": "loss_curve_mlp.png",
         "projectile.py": "projectile.png", "heat_equation.py": "heat_equation.png"}


def test_every_example_is_tested():
    assert sorted(f for f in os.listdir(EXAMPLES) if f.endswith(".py")) == sorted(EXPECTED)


@pytest.mark.parametrize("script", sorted(EXPECTED))
def test_example_runs(script, tmp_path):
    env = dict(os.environ, SOURCEAD_EXAMPLES_FAST="1", MPLBACKEND="Agg", NO_COLOR="1")
    done = subprocess.run([sys.executable, os.path.join(EXAMPLES, script), "--fast", "--out", str(tmp_path)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-4000:]
    for expected in EXPECTED[script]:
        assert expected in done.stdout, f"{expected!r} not in the output of {script}:\n{done.stdout}"
    if script in PLOTS:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            assert "matplotlib is not installed" in done.stdout
        else:
            png = tmp_path / PLOTS[script]
            assert png.exists() and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
