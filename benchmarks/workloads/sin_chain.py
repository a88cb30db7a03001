"""sum(sin(x**2 + 1)) on 1,000,000 floats, w.r.t. x."""

import numpy as np

from benchmarks.workload import Workload

SIZE = 1_000_000


def sin_chain(x):
    return np.sum(np.sin(x ** 2 + 1))


def sin_chain_grad_hand(x):
    return 2.0 * x * np.cos(x * x + 1.0)


def sin_chain_torch(torch):
    def sin_chain_t(x):
        return torch.sum(torch.sin(x ** 2 + 1))
    return sin_chain_t


WORKLOAD = Workload(
    name="sin_chain", title=f"sum(sin(x**2 + 1)) on {SIZE:,} floats, d/dx",
    primal=sin_chain, hand=sin_chain_grad_hand, wrt=(0,),
    make_args=lambda small: (np.random.RandomState(4).normal(size=100 if small else SIZE),),
    goal=1.05, torch=sin_chain_torch,
)
