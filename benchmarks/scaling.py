"""The scaling run: the scalar recurrence for T = 10, 100, 1000, 10000 steps, sourcead against the
hand-written gradient, as time per step and ratio. One sourcead derivative serves every T (T is
an integer argument: the derivative is specialised on its kind, not its value)."""

from __future__ import annotations

from benchmarks import tools
from benchmarks.run import disagreement, reason
from benchmarks.timing import Config, time_units
from benchmarks.workloads.recurrence import WORKLOAD

STEPS = (10, 100, 1000, 10000)


def run_scaling(cfg: Config, steps=STEPS) -> list[dict]:
    """Per T: per-step seconds of the hand-written gradient, sourcead's, and the primal; the ratio."""
    w = WORKLOAD
    try:
        df = tools.sourcead(w, ()).make(w.primal)
    except Exception as err:  # noqa: BLE001
        return [{"steps": t, "error": reason(err)} for t in steps]
    out = []
    for t in steps:
        args = (4.0, 0.3, t)
        entry = {"steps": t}
        try:
            problem = disagreement(list(df(*args)), list(w.hand(*args)))
        except Exception as err:  # noqa: BLE001
            problem = reason(err)
        if problem:
            entry["error"] = problem
            out.append(entry)
            continue
        units = {name: {"fn": fn, "args": args} for name, fn in
                 (("hand-written", w.hand), ("sourcead", df), ("primal", w.primal))}
        time_units(list(units.values()), cfg)
        for name, u in units.items():
            entry[name] = {"per_step": u["median"] / t, **u}
        entry["ratio"] = units["sourcead"]["median"] / units["hand-written"]["median"]
        out.append(entry)
    return out
