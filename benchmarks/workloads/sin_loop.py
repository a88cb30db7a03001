"""The control-flow issue's scalar loop (kept from the old bench_control_flow.py):
y = x; 1000 times y = sin(y) * x + 0.1; the derivative w.r.t. x at 0.5."""

import math

from benchmarks.workload import Workload


def sin_loop(x):
    y = x
    for i in range(1000):
        y = math.sin(y) * x + 0.1
    return y


def sin_loop_grad_hand(x):
    """Reverse mode by hand: the forward loop keeps sin(y) and y, the reverse loop walks them back."""
    sins = []
    ys = []
    y = x
    for i in range(1000):
        s = math.sin(y)
        sins.append(s)
        ys.append(y)
        y = s * x + 0.1
    dy = 1.0
    dx = 0.0
    for i in range(999, -1, -1):
        dx += sins[i] * dy
        dy = dy * x * math.cos(ys[i])
    return dx + dy


def sin_loop_torch(torch):
    def sin_loop_t(x):
        y = x
        for i in range(1000):
            y = torch.sin(y) * x + 0.1
        return y
    return sin_loop_t


def sin_loop_jit(jnp, lax):
    def sin_loop_fori(x):
        return lax.fori_loop(0, 1000, lambda i, y: jnp.sin(y) * x + 0.1, x)
    return sin_loop_fori


WORKLOAD = Workload(
    name="sin_loop", title="scalar loop y = sin(y) * x + 0.1, 1000 steps, d/dx (control-flow issue)",
    primal=sin_loop, hand=sin_loop_grad_hand, wrt=(0,), make_args=lambda small: (0.5,), goal=1.5,
    goal_source="control-flow issue", torch=sin_loop_torch, jax_jit=sin_loop_jit,
    note="autograd, jax and tangent-ad run it with math rebound to their NumPy (none traces math.sin); "
         "jax.jit runs a lax.fori_loop version.",
)
