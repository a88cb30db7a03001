"""Timing, first-call latency and peak memory, measured the same way for every tool.

- Median time: ``timeit.Timer(...).timeit(N)`` with N doubled until one measurement lasts at
  least `Config.min_time` (timeit's autorange, shortened), then R measurements, interleaved across
  all the units of one workload (round r times each unit once), so that a burst of load on a shared
  machine hits every tool alike. A unit whose single call is slow gets fewer rounds, so that it
  stays within `Config.budget` seconds; its repeat count says so.
- First call: the wall time of ``make(fresh function object)(*args)``, the median over a few fresh
  objects when one call is short.
- Peak memory: tracemalloc's peak during one warm call, less what was traced before it; it sees
  Python objects and NumPy buffers, not torch's or XLA's.
"""

from __future__ import annotations

import gc
import math
import statistics
import time
import timeit
import tracemalloc
from dataclasses import dataclass


@dataclass(frozen=True)
class Config:
    quick: bool = False
    small: bool = False
    clock: str = "cpu"

    @property
    def min_time(self) -> float:    # seconds per measurement, at least
        return 0.005 if self.quick else 0.05

    @property
    def repeat(self) -> int:        # measurements per unit
        return 3 if self.quick else 11

    @property
    def budget(self) -> float:      # seconds of measurements per unit, at most (bar one)
        return 1.0 if self.quick else 20.0

    @property
    def first_calls(self) -> int:   # fresh function objects timed, when a first call is short
        return 3 if self.quick else 7

    @property
    def timer(self):
        # CPU time of this process leaves out the time another process holds the core: the steadier
        # clock on a shared machine. "wall" is timeit's default, time.perf_counter.
        return time.process_time if self.clock == "cpu" else time.perf_counter


def first_call(make, base, args, fresh, samples: int, clock=time.perf_counter):
    """Time make(fresh(base))(*args) on new function objects with `clock`. Returns the median
    seconds, all the samples, and the first sample's gradient function (warm now) and result;
    exceptions propagate."""
    times, first = [], None
    for k in range(samples):
        f = fresh(base)
        t0 = clock()
        fn = make(f)
        out = fn(*args)
        times.append(clock() - t0)
        if k == 0:
            first = (fn, out)
            if times[0] > 1.0:  # a slow first call (a long trace or compilation) is timed once
                break
    return statistics.median(times), times, first[0], first[1]


def peak_bytes(fn, args) -> int:
    """Peak traced memory during one call of fn(*args), above what was traced before it: a call
    in steady state, after one call untraced (a tool's one-time work on its early calls is not
    the gradient's memory: sourcead writes a Derivative's entry point on its second call)."""
    fn(*args)
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tracemalloc.reset_peak()
        out = fn(*args)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    del out
    return peak - before


def _calibrate(timer: timeit.Timer, cfg: Config):
    """(N, first measurement) with N calls lasting at least cfg.min_time."""
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= cfg.min_time:
            return number, t
        number *= 2 if t <= 0 else max(2, min(10, int(math.ceil(cfg.min_time / t * 1.2))))


def time_units(units: list, cfg: Config) -> None:
    """Time every unit (a dict with "fn" and "args"); add median, min, max (seconds per call),
    number (N) and repeat (R) to it, and remove fn and args."""
    for u in units:
        names = {f"a{i}": a for i, a in enumerate(u.pop("args"))}
        u["_timer"] = timeit.Timer("fn(" + ", ".join(names) + ")", timer=cfg.timer,
                                   globals={"fn": u.pop("fn"), **names})
        u["number"], first = _calibrate(u["_timer"], cfg)
        u["_runs"] = [first] if u["number"] == 1 else []  # a slow unit's calibration call counts
        u["repeat"] = max(1, min(cfg.repeat, int(cfg.budget / max(first / u["number"], 1e-9))))
    for r in range(cfg.repeat):
        for u in units:
            if len(u["_runs"]) < u["repeat"]:
                u["_runs"].append(u["_timer"].timeit(u["number"]))
    for u in units:
        per_call = [t / u["number"] for t in u.pop("_runs")]
        del u["_timer"]
        u.update(median=statistics.median(per_call), min=min(per_call), max=max(per_call))
