"""The checks behind docs/performance.md: sourcead's generated derivatives edited by hand the way
each diagnosis proposes, verified against the hand-written gradient, then timed against it.

    python -m benchmarks.checks            # every check (about a minute)
    python -m benchmarks.checks rnn mse    # some

Each variant below is the generated code of today (see ``python -m benchmarks --profile NAME``)
with one proposed change applied, so that a compiler change can be judged before it is made.
A variant that disagrees with the hand-written gradient is reported, not timed. These are
measurements, not tests.
"""

from __future__ import annotations

from benchmarks.allocator import steady_malloc
from benchmarks.threads import pin_threads

if __name__ == "__main__":  # before NumPy loads; importing this module (the tests) changes nothing
    pin_threads()

import sys  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

from benchmarks.timing import peak_bytes  # noqa: E402
from benchmarks.workloads import BY_NAME  # noqa: E402


def sin_chain_seed_scalar(x):
    """No np.sin for a shape, the seed stays 1.0."""
    t = x ** 2 + 1
    return np.cos(t) * 2 * x


def mse_seed_scalar(w, b, x, y):
    """The mean's seed stays the scalar 1/n; r * r's adjoint is one product."""
    r = w * x + b - y
    dr = (2.0 / np.size(r)) * r
    return np.sum(dr * x), np.sum(dr)


def mse_seed_scalar_dot(w, b, x, y):
    """... and the sum of a product to a scalar is np.dot."""
    r = w * x + b - y
    dr = (2.0 / np.size(r)) * r
    return np.dot(dr, x), np.sum(dr)


def mse_scale_last(w, b, x, y):
    """... and the constant factor applied to the two reduced scalars."""
    r = w * x + b - y
    s = 2.0 / np.size(r)
    return s * np.dot(r, x), s * np.sum(r)


def energy_two_pushes(k, c, T):
    """Carried values pushed once per iteration, products recomputed, the invariant hoisted."""
    stack = []
    push, pop = stack.append, stack.pop
    v, x = 0.0, 1.0
    for i in range(T):
        push(v)
        push(x)
        a = -(k * x) - c * v
        v = v + 0.01 * a
        x = x + 0.01 * v
    v_1, x_1 = v, x
    de, dv, dx, dk, dc = 1.0, 0.0, 0.0, 0.0, 0.0
    t = 0.5 * k
    for _ in range(T):
        x_2 = pop()
        v_2 = pop()
        t_4 = 0.01 * de
        t_5 = t_4 * x_1
        dx = dx + t * x_1 * t_4
        dx = dx + t * t_5
        dk = dk + 0.5 * (t_5 * x_1)
        dv = dv + 0.5 * v_1 * t_4
        dv = dv + 0.5 * (t_4 * v_1)
        dv = dv + 0.01 * dx
        da = 0.01 * dv
        dc = dc - da * v_2
        dv = dv - c * da
        dk = dk - da * x_2
        dx = dx - k * da
        v_1, x_1 = v_2, x_2
    return dk, dc


def energy_two_pushes_folded(k, c, T):
    """... and the two adjoint terms of 0.5*v*v (and of 0.5*k*x*x) folded into one."""
    stack = []
    push, pop = stack.append, stack.pop
    v, x = 0.0, 1.0
    for i in range(T):
        push(v)
        push(x)
        a = -(k * x) - c * v
        v = v + 0.01 * a
        x = x + 0.01 * v
    v_1, x_1 = v, x
    dv, dx, dk, dc = 0.0, 0.0, 0.0, 0.0
    for _ in range(T):
        x_2 = pop()
        v_2 = pop()
        dx = dx + 0.01 * k * x_1
        dk = dk + 0.005 * x_1 * x_1
        dv = dv + 0.01 * v_1 + 0.01 * dx
        da = 0.01 * dv
        dc = dc - da * v_2
        dv = dv - c * da
        dk = dk - da * x_2
        dx = dx - k * da
        v_1, x_1 = v_2, x_2
    return dk, dc


def rnn_push_h_only(W, U, b, xs, h0):
    """Only h pushed; no unbroadcast where shapes agree; matmul adjoints inline; seed scalar."""
    stack = []
    push, pop = stack.append, stack.pop
    h = h0
    for t in range(xs.shape[0]):
        push(h)
        h = np.tanh(xs[t] @ W + h @ U + b)
    dh, dW, dU, db = np.zeros_like(h), np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    for t in reversed(range(xs.shape[0])):
        h_2 = pop()
        dh = dh + 2.0 * h
        dt_1 = dh * (1.0 - h ** 2)
        db = db + np.sum(dt_1, axis=0)
        dh = dt_1 @ U.T
        dU = dU + h_2.T @ dt_1
        dW = dW + xs[t].T @ dt_1
        h = h_2
    return dW, dU, db


def rnn_push_h_only_helpers(W, U, b, xs, h0):
    """The same, with sourcead's runtime helpers kept (unbroadcast, matmul_adjoint_*)."""
    from sourcead.runtime import matmul_adjoint_left, matmul_adjoint_right, unbroadcast

    stack = []
    push, pop = stack.append, stack.pop
    h = h0
    for t in range(xs.shape[0]):
        push(h)
        h = np.tanh(xs[t] @ W + h @ U + b)
    dh, dW, dU, db = np.zeros_like(h), np.zeros_like(W), np.zeros_like(U), np.zeros_like(b)
    for t in reversed(range(xs.shape[0])):
        h_2 = pop()
        dh = dh + unbroadcast(2.0 * h, h)
        dt_1 = dh * (1.0 - h ** 2)
        db = db + unbroadcast(dt_1, b)
        dt_3 = unbroadcast(dt_1, dt_1)
        dh = matmul_adjoint_left(dt_3, h_2, U)
        dU = dU + matmul_adjoint_right(dt_3, h_2, U)
        dW = dW + matmul_adjoint_right(unbroadcast(dt_1, dt_1), xs[t], W)
        h = h_2
    return dW, dU, db


def float_dispatcher(fn, slow, n):
    """The proposed api.py dispatcher: the primal's parameters, one type test each."""
    if n == 1:
        def dispatch(x):
            if type(x) is float:
                return fn(x)
            return slow(x)
    else:
        def dispatch(x, y):
            if type(x) is float and type(y) is float:
                return fn(x, y)
            return slow(x, y)
    return dispatch


VARIANTS = {
    "sin_chain": [sin_chain_seed_scalar],
    "mse": [mse_seed_scalar, mse_seed_scalar_dot, mse_scale_last],
    "recurrence": [energy_two_pushes, energy_two_pushes_folded],
    "rnn": [rnn_push_h_only, rnn_push_h_only_helpers],
    "poly": [], "second_derivative": [],  # the dispatcher, built per run
}


def best(fn, args) -> float:
    """Seconds per call: timeit's autorange, then the best of 7, on CPU time."""
    timer = timeit.Timer(lambda: fn(*args), timer=time.process_time)
    number, _ = timer.autorange()
    return min(timer.repeat(repeat=7, number=number)) / number


def _agrees(got, ref) -> bool:
    got, ref = (got, ref) if isinstance(ref, tuple) else ((got,), (ref,))
    return len(got) == len(ref) and all(np.allclose(g, r, rtol=1e-9, atol=0) for g, r in zip(got, ref))


def check(name: str) -> None:
    """Print the ratios to the hand-written gradient: sourcead's, its generated function's, each
    variant's (the RNN's also with peak memory)."""
    import sourcead

    w = BY_NAME[name]
    args = w.make_args(False)
    df = sourcead.grad(w.primal, wrt=w.wrt if len(w.wrt) > 1 else w.wrt[0])
    df = sourcead.grad(df) if w.order == 2 else df
    df(*args)
    fn = df._last.fn
    hand, ref = best(w.hand, args), w.hand(*args)
    print(f"\n== {name}: hand-written {hand * 1e6:,.3f} µs; sourcead.grad {best(df, args) / hand:.2f}x; "
          f"its generated function alone {best(fn, args) / hand:.2f}x")
    variants = VARIANTS[name] or [float_dispatcher(fn, df, len(args))]
    for variant in variants:
        label = (variant.__doc__ or "the proposed float dispatcher").strip().splitlines()[0].rstrip(".")
        if not _agrees(variant(*args), ref):
            print(f"   {label}: DISAGREES with the hand-written gradient")
            continue
        line = f"   {label}: {best(variant, args) / hand:.2f}x"
        if name == "rnn":
            line += f", peak memory {peak_bytes(variant, args) / peak_bytes(w.hand, args):.2f}x hand-written"
        print(line)


def main(argv=None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or list(VARIANTS)
    unknown = [n for n in names if n not in VARIANTS]
    if unknown:
        print(f"unknown: {', '.join(unknown)}; choose from {', '.join(VARIANTS)}", file=sys.stderr)
        return 2
    print(f"allocator: {steady_malloc()}")
    for name in names:
        check(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
