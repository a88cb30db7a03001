"""A 1000-step scalar recurrence: a damped oscillator x'' = -k x - c x' integrated by symplectic
Euler (velocity first, then position with the new velocity), accumulating its energy; the
gradient of the accumulated energy w.r.t. the stiffness k and the damping c. A plain Python loop
over floats; T is an argument so that the scaling run can vary it."""

from benchmarks.workload import Workload

STEPS = 1000


def energy(k, c, T):
    dt = 0.01
    x = 1.0
    v = 0.0
    e = 0.0
    for i in range(T):
        a = -k * x - c * v
        v = v + dt * a
        x = x + dt * v
        e = e + dt * (0.5 * v * v + 0.5 * k * x * x)
    return e


def energy_grad_hand(k, c, T):
    """Reverse mode by hand: the forward loop keeps the states, the reverse loop walks them back."""
    dt = 0.01
    xs = [1.0] * (T + 1)
    vs = [0.0] * (T + 1)
    x = 1.0
    v = 0.0
    for i in range(T):
        v = v + dt * (-k * x - c * v)
        x = x + dt * v
        xs[i + 1] = x
        vs[i + 1] = v
    dk = dc = dx = dv = 0.0
    for i in range(T, 0, -1):
        x1 = xs[i]
        dx1 = dx + dt * k * x1          # e += dt * (v'v'/2 + k x'x'/2), with de = 1
        dv1 = dv + dt * vs[i] + dt * dx1  # ... and x' = x + dt v'
        dk += 0.5 * dt * x1 * x1
        da = dt * dv1                   # v' = v + dt a
        dk -= xs[i - 1] * da            # a = -k x - c v
        dc -= vs[i - 1] * da
        dx = dx1 - k * da
        dv = dv1 - c * da
    return dk, dc


def energy_jit(jnp, lax):
    """The same recurrence for jax.jit: a Python loop would be unrolled 1000 times (about a minute
    of XLA compilation here), so the JAX user's way is lax.fori_loop over the carried state."""
    def energy_fori(k, c, T):
        dt = 0.01

        def step(i, state):
            x, v, e = state
            v = v + dt * (-k * x - c * v)
            x = x + dt * v
            return x, v, e + dt * (0.5 * v * v + 0.5 * k * x * x)
        return lax.fori_loop(0, T, step, (jnp.ones_like(k), jnp.zeros_like(k), jnp.zeros_like(k)))[2]
    return energy_fori


WORKLOAD = Workload(
    name="recurrence", title=f"scalar recurrence: damped oscillator, symplectic Euler, {STEPS} steps, d/dk, d/dc",
    primal=energy, hand=energy_grad_hand, wrt=(0, 1),
    make_args=lambda small: (4.0, 0.3, 20 if small else STEPS), goal=1.2, static=(2,),
    torch=lambda torch: energy, jax_jit=energy_jit,
    note="jax.jit runs a lax.fori_loop version (the Python loop unrolled takes about a minute to compile); "
         "jax eager runs the Python loop.",
)
