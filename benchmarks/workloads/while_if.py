"""The while/if example on a 3-vector (the MXNet tutorial's): b = a*2; double b until its norm
reaches 1000; c = b if sum(b) > 0 else 100*b; the gradient of sum(c) w.r.t. a."""

import numpy as np

from benchmarks.workload import Workload


def while_if(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def while_if_grad_hand(a):
    """The closed form a person writes: c = s * 2**(k+1) * a, k doublings, s = 1 or 100."""
    b = a * 2
    k = 0
    while np.linalg.norm(b) < 1000:
        b = b * 2
        k += 1
    scale = 2.0 ** (k + 1)
    if np.sum(b) <= 0:
        scale = 100 * scale
    return np.full(a.shape, scale)


def while_if_grad_literal(a):
    """The same by hand the way reverse mode writes it: an array cotangent doubled k times."""
    b = a * 2
    k = 0
    while np.linalg.norm(b) < 1000:
        b = b * 2
        k += 1
    db = np.ones(b.shape)
    if np.sum(b) <= 0:
        db = 100 * db
    for _ in range(k):
        db = db * 2
    return db * 2


def while_if_torch(torch):
    def while_if_t(a):
        b = a * 2
        while torch.linalg.norm(b) < 1000:
            b = b * 2
        if torch.sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return c
    return while_if_t


WORKLOAD = Workload(
    name="while_if", title="while/if on a 3-vector: double b while norm(b) < 1000, branch on sum(b); d sum(c)/da",
    primal=while_if, hand=while_if_grad_hand, wrt=(0,),
    make_args=lambda small: (np.random.RandomState(0).normal(size=3),), goal=1.1, sum_output=True,
    torch=while_if_torch, hand_extra={"hand-written, literal reverse loop": while_if_grad_literal},
    note="jax.jit cannot trace it (a Python while on a traced value), as expected; autograd, torch and "
         "jax take the gradient of sum(c).",
)
