"""Fitting a physical parameter through a simulation written with array mutation.

A rod's temperature follows the heat equation u_t = k u_xx with the ends held at 0. The solver
is written as people write it: a preallocated array for the next step filled slice by slice
(``new[1:-1] = ...``), the ends set in place, the history appended to a list. sourcead
differentiates it as written -- the forward sweep writes in place where it owns the array -- and
the conductivity k and the source strength q are recovered from noisy measurements by
Gauss-Newton steps (the simulation's Jacobian, generated), the fit confirmed a minimum by the
misfit's Hessian (forward over reverse through the writes). Saves heat_equation.png (measured and fitted profiles) when matplotlib is
installed.
Run: python examples/heat_equation.py [--fast] [--out DIR]
"""

import os
import sys

import numpy as np

import sourcead

FAST = "--fast" in sys.argv or os.environ.get("SOURCEAD_EXAMPLES_FAST", "") not in ("", "0")
OUT = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else "."
N, STEPS = (21, 40) if FAST else (41, 160)  # grid points, time steps
DX = 1.0 / (N - 1)
DT = 0.2 * DX * DX  # explicit Euler is stable for k * DT / DX**2 <= 1/2: here for k < 2.5
X = np.linspace(0.0, 1.0, N)
SOURCE_SHAPE = np.exp(-((X - 0.3) / 0.1) ** 2)  # where the rod is heated


def simulate(k, q):
    """Temperatures at every 10th step, from a rod at 0, heated by q * SOURCE_SHAPE."""
    u = np.zeros(N)
    history = []
    for step in range(STEPS):
        new = np.empty(N)
        new[1:-1] = u[1:-1] + DT * (k * (u[2:] - 2.0 * u[1:-1] + u[:-2]) / (DX * DX) + q * SOURCE_SHAPE[1:-1])
        new[0] = 0.0
        new[-1] = 0.0
        u = new
        if step % 10 == 9:
            history.append(u)
    return np.stack(history)


def misfit(k, q, measured):
    """Half the mean squared difference between simulated and measured temperatures."""
    r = simulate(k, q) - measured
    return 0.5 * np.mean(r * r)


rng = np.random.default_rng(0)
K_TRUE, Q_TRUE = 1.3, 4.0
measured = simulate(K_TRUE, Q_TRUE)
measured = measured + 0.001 * rng.standard_normal(measured.shape)

print(sourcead.check_grad(misfit, 0.8, 2.0, measured, wrt=(0, 1), raise_on_mismatch=True))
def residuals(k, q, measured):
    return np.ravel(simulate(k, q) - measured)


jac = sourcead.jacobian(residuals, wrt=(0, 1))  # the simulation's sensitivity to k and to q
hess = sourcead.hessian(misfit, wrt=(0, 1))  # forward over reverse, through the writes

# Gauss-Newton on (k, q): each step solves the linearised least-squares problem J d = r.
k, q = 0.8, 2.0
for it in range(20):
    J = np.stack(jac(k, q, measured), axis=1)
    r = residuals(k, q, measured)
    dk, dq = np.linalg.lstsq(J, r, rcond=None)[0]
    k, q = k - dk, q - dq
    print(f"step {it}  misfit {misfit(k, q, measured):.3e}  k = {k:.4f}  q = {q:.4f}")
    if abs(dk) < 1e-9 and abs(dq) < 1e-9:
        break
# at the fit, the misfit's Hessian is positive definite: a minimum, not a saddle
print("Hessian eigenvalues at the fit:", np.linalg.eigvalsh(np.array(hess(k, q, measured))) > 0)
print(f"fitted k = {k:.3f} (true {K_TRUE}), q = {q:.3f} (true {Q_TRUE})")

try:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
except ImportError:
    print("matplotlib is not installed: no plot (pip install 'sourcead[plot]')")
else:
    fig, ax = plt.subplots(figsize=(6, 4))
    for row, fitted in zip(measured, simulate(k, q)):
        ax.plot(X, row, ".", color="gray")
        ax.plot(X, fitted, "-")
    ax.set_xlabel("position")
    ax.set_ylabel("temperature")
    ax.set_title("heat equation: measured (dots) and fitted profiles")
    path = os.path.join(OUT, "heat_equation.png")
    fig.savefig(path, dpi=80)
    print(f"saved {path}")
