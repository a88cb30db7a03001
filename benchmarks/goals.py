"""The issue's goals, judged from measured results. Reported with pass/fail; never asserted.

A speed goal is the issue's metric: (sourcead gradient / its primal) over (hand-written gradient /
its primal), medians from one process. Both primals are the same NumPy function here, so it is
sourcead's gradient time over the hand-written one's.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    label: str
    workload: str
    metric: str       # "goal_ratio", "first_call_ms" or "memory_ratio" of the sourcead row
    limit: float
    unit: str = "×"
    source: str = "differentiation-speed issue"


GOALS = (
    Goal("seed polynomial", "poly", "goal_ratio", 3.0),
    Goal("scalar recurrence", "recurrence", "goal_ratio", 1.2),
    Goal("while/if", "while_if", "goal_ratio", 1.1),
    Goal("MSE", "mse", "goal_ratio", 1.1),
    Goal("MLP", "mlp", "goal_ratio", 1.05),
    Goal("RNN", "rnn", "goal_ratio", 1.1),
    Goal("sin chain", "sin_chain", "goal_ratio", 1.05),
    Goal("second derivative", "second_derivative", "goal_ratio", 5.0),
    Goal("first call, polynomial", "poly", "first_call_ms", 5.0, " ms"),
    Goal("first call, MLP", "mlp", "first_call_ms", 15.0, " ms"),
    Goal("first call, RNN", "rnn", "first_call_ms", 15.0, " ms"),
    Goal("RNN peak memory", "rnn", "memory_ratio", 1.3),
    Goal("scalar sin loop", "sin_loop", "goal_ratio", 1.5, source="control-flow issue"),
)


def _sourcead_row(result):
    return next((r for r in result.get("rows", []) if r["tool"] == "sourcead"), None)


def judge(results: dict) -> list[dict]:
    """One dict per goal whose workload ran: label, limit, measured value (or None), verdict
    ("pass", "FAIL", or why there is no number)."""
    out = []
    for g in GOALS:
        result = results.get(g.workload)
        if result is None:
            continue
        row = _sourcead_row(result)
        value = None
        if row is None or row["status"] != "ok":
            verdict = result.get("error") or (f"sourcead {row['status']}: {row.get('reason', '')}" if row else "not run")
        else:
            value = row.get("first_call_s", 0) * 1e3 if g.metric == "first_call_ms" else row.get(g.metric)
            verdict = "no measurement" if value is None else ("pass" if value <= g.limit else "FAIL")
        out.append({"goal": g.label, "workload": g.workload, "metric": g.metric, "limit": g.limit, "unit": g.unit,
                    "value": value, "verdict": verdict, "source": g.source})
    return out
