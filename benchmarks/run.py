"""Running one workload: check the hand-written gradient against finite differences, build every
tool, time its first call, check its gradient against the hand-written one, measure its peak
memory, then time all gradients and all primals together, and compute the ratios.

Nothing here raises for a tool: a peer that cannot be built or called is "unavailable" (a reason
given), sourcead refusing the function is "refused" (the error's first line; any other exception
from sourcead is "error"), and a gradient that disagrees with the hand-written one is "FAIL" and
is not timed.
"""

from __future__ import annotations

import numpy as np

from benchmarks import fd, tools
from benchmarks.timing import Config, first_call, peak_bytes, time_units
from benchmarks.workload import fresh

RTOL = 1e-6  # a tool agrees with the hand-written gradient to this relative tolerance


def reason(err: BaseException) -> str:
    """An exception as one line: its type and the first line of its message."""
    lines = str(err).strip().splitlines()
    return f"{type(err).__name__}: {lines[0] if lines else ''}".strip()


def disagreement(got: list, ref: list) -> str | None:
    """None when every component agrees to RTOL (relative to the component's largest entry), else
    a description of the first that does not."""
    if len(got) != len(ref):
        return f"{len(got)} gradients, expected {len(ref)}"
    for k, (g, r) in enumerate(zip(got, ref)):
        g, r = np.asarray(g, dtype=float), np.asarray(r, dtype=float)
        if g.shape != r.shape:
            return f"gradient {k} has shape {g.shape}, the hand-written {r.shape}"
        scale = max(float(np.max(np.abs(r), initial=0.0)), 1e-300)
        err = float(np.max(np.abs(g - r), initial=0.0))
        if not err <= RTOL * scale:  # also catches NaN
            return f"gradient {k} differs from the hand-written one by {err:.3g} (largest entry {scale:.3g})"
    return None


def measure_tool(name, build, ref, cfg: Config) -> dict:
    """Build a tool, time its first call, check it, measure its memory. Never raises."""
    row = {"tool": name, "status": "ok"}
    try:
        tool = build()
    except Exception as err:  # noqa: BLE001  a peer that cannot be built is reported, not fatal
        return {**row, "status": "unavailable", "reason": reason(err)}
    row["tool"] = tool.name
    try:
        samples = cfg.first_calls if tool.compiles else 1
        seconds, samples, warm, out = first_call(tool.make, tool.base, tool.args, fresh, samples, cfg.timer)
    except Exception as err:  # noqa: BLE001
        status = "unavailable"
        if tool.name == "sourcead":  # refused as designed, or a fault of sourcead's own
            status = "refused" if _is_refusal(err) else "error"
        return {**row, "status": status, "reason": reason(err)}
    if tool.compiles:
        row.update(first_call_s=seconds, first_call_samples=samples)
    try:
        problem = disagreement(tool.to_numpy(out), ref)
    except Exception as err:  # noqa: BLE001
        problem = "its result could not be read: " + reason(err)
    if problem:
        return {**row, "status": "FAIL", "reason": problem}
    row["peak_bytes"] = peak_bytes(warm, tool.args) if tool.traced else None
    row.update(primal=tool.primal, _fn=warm, _args=tool.args, _primal_call=tool.primal_call, _tool=tool)
    return row


def _is_refusal(err: BaseException) -> bool:
    """sourcead refused the function (a SourceADError other than its own InternalError)."""
    try:
        from sourcead import InternalError, SourceADError
    except ImportError:
        return False
    return isinstance(err, SourceADError) and not isinstance(err, InternalError)


def build_list(w, args, peers) -> list:
    """(name, builder) for every row of a workload's table, in order."""
    rows = [("hand-written", lambda: tools.hand(w, args))]
    rows += [(label, lambda fn=fn, label=label: tools.hand(w, args, fn, label)) for label, fn in w.hand_extra.items()]
    rows.append(("sourcead", lambda: tools.sourcead(w, args)))
    rows += [(name, lambda b=b: b(w, args)) for name, b in tools.builders(peers)]
    return rows


def run_workload(w, cfg: Config, peers) -> dict:
    """Everything measured for one workload, as a JSON-ready dict."""
    args = w.make_args(cfg.small)
    result = {"name": w.name, "title": w.title, "goal": w.goal, "goal_source": w.goal_source, "note": w.note,
              "args": [_describe(a) for a in args], "rows": [], "primals": {}}
    try:
        fd.check(w, args)
    except Exception as err:  # noqa: BLE001  without a checked reference nothing is timed
        result["error"] = "hand-written gradient failed its finite-difference check: " + reason(err)
        return result
    ref = [np.asarray(g, dtype=float) for g in fd.as_list(w.hand(*args), len(w.wrt))]
    rows = [measure_tool(name, build, ref, cfg) for name, build in build_list(w, args, peers)]
    sa = next((r for r in rows if r["tool"] == "sourcead" and r["status"] == "ok"), None)
    if sa is not None:
        alone = measure_tool("sourcead: generated function alone",
                             lambda: tools.generated_alone(w, args, sa["_fn"]), ref, cfg)
        rows.insert(rows.index(sa) + 1, alone)
    _time(rows, result["primals"], cfg)
    _ratios(rows, result["primals"], w)
    result["rows"] = [{k: v for k, v in r.items() if not k.startswith("_")} for r in rows]
    return result


def _time(rows, primals: dict, cfg: Config) -> None:
    units = []
    for r in rows:
        if r["status"] == "ok":
            r["_unit"] = {"fn": r.pop("_fn"), "args": r.pop("_args")}
            units.append(r["_unit"])
            if r["primal"] not in primals:
                fn, args = r["_primal_call"]
                fn(*args)  # warm: a jit compiles, eager JAX compiles each primitive, on the first call
                primals[r["primal"]] = {"fn": fn, "args": args}
                units.append(primals[r["primal"]])
    time_units(units, cfg)
    for r in rows:
        if "_unit" in r:
            r["grad"] = r.pop("_unit")


def _ratios(rows, primals, w) -> None:
    hand = rows[0] if rows[0]["status"] == "ok" else None
    hand_ratio = hand["grad"]["median"] / primals["numpy"]["median"] if hand else None
    for r in rows:
        if r["status"] != "ok":
            continue
        r["grad_over_primal"] = r["grad"]["median"] / primals[r["primal"]]["median"]
        if hand:
            r["ratio_to_hand"] = r["grad"]["median"] / hand["grad"]["median"]
            r["goal_ratio"] = r["grad_over_primal"] / hand_ratio
            if r.get("peak_bytes") is not None and hand.get("peak_bytes"):
                r["memory_ratio"] = r["peak_bytes"] / hand["peak_bytes"]


def _describe(a) -> str:
    if isinstance(a, np.ndarray):
        return f"float64{list(a.shape)}" if a.dtype == float else f"{a.dtype}{list(a.shape)}"
    return repr(a)
