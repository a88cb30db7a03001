"""The workloads, in the order the tables print them. Each module defines WORKLOAD."""

from benchmarks.workloads import (mlp, mse, poly, recurrence, rnn, second_derivative, sin_chain, sin_loop,
                                  while_if)

ALL = [m.WORKLOAD for m in (poly, recurrence, while_if, mse, mlp, rnn, sin_chain, second_derivative, sin_loop)]
BY_NAME = {w.name: w for w in ALL}
