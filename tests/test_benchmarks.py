"""The benchmark harness cannot rot: every hand-written gradient agrees with central finite
differences, the checks that guard the timings can fail, and ``python -m benchmarks`` runs.

Nothing here asserts a time: the numbers are measured (``python -m benchmarks``), never tested.
"""

import dataclasses
import json
import os
import subprocess
import sys

import numpy as np
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks import checks, cli, fd, goals, threads, tools  # noqa: E402
from benchmarks.profile import instrumented  # noqa: E402
from benchmarks.run import disagreement, measure_tool  # noqa: E402
from benchmarks.timing import Config  # noqa: E402
from benchmarks.workloads import ALL  # noqa: E402

IDS = [w.name for w in ALL]


@pytest.mark.parametrize("w", ALL, ids=IDS)
def test_hand_written_gradient_matches_finite_differences(w):
    fd.check(w, w.make_args(True), coords=None)  # every coordinate, on small inputs


def _perturbed(hand, n):
    """The hand-written gradient with its last component off by 1e-3 relative (and absolute)."""
    def wrong(*args):
        g = fd.as_list(hand(*args), n)
        g[-1] = g[-1] * (1 + 1e-3) + 1e-3
        return tuple(g) if n > 1 else g[0]
    return wrong


@pytest.mark.parametrize("w", ALL, ids=IDS)
def test_finite_difference_check_rejects_a_wrong_gradient(w):
    broken = dataclasses.replace(w, hand=_perturbed(w.hand, len(w.wrt)))
    with pytest.raises(fd.FiniteDifferenceMismatch):
        fd.check(broken, w.make_args(True), coords=None)


@pytest.mark.parametrize("name", [n for n, variants in checks.VARIANTS.items() if variants])
def test_the_proposed_variants_in_checks_compute_the_gradient(name):
    w = next(w for w in ALL if w.name == name)
    args = w.make_args(True)
    for variant in checks.VARIANTS[name]:
        assert checks._agrees(variant(*args), w.hand(*args)), variant.__name__


def test_disagreement_sees_a_difference_a_nan_and_a_shape():
    ref = [np.array([1.0, 2.0]), 3.0]
    assert disagreement([np.array([1.0, 2.0]), 3.0], ref) is None
    assert disagreement([np.array([1.0, 2.0 + 1e-3]), 3.0], ref) is not None
    assert disagreement([np.array([1.0, np.nan]), 3.0], ref) is not None
    assert disagreement([np.array([1.0, 2.0, 0.0]), 3.0], ref) is not None
    assert disagreement([np.array([1.0, 2.0])], ref) is not None


def _small_poly():
    w = next(w for w in ALL if w.name == "poly")
    args = w.make_args(True)
    return w, args, [np.asarray(g) for g in w.hand(*args)]


def test_a_peer_that_cannot_be_built_is_reported_unavailable():
    w, args, ref = _small_poly()

    def build():
        raise ImportError("No module named 'tangent'")
    row = measure_tool("tangent-ad", build, ref, Config(quick=True, small=True))
    assert row["status"] == "unavailable" and "No module named" in row["reason"]


def test_a_peer_with_a_wrong_gradient_fails_and_is_not_timed():
    w, args, ref = _small_poly()
    wrong = dataclasses.replace(w, hand=lambda x, y: (1.0, 2.0))
    row = measure_tool("liar", lambda: tools.hand(wrong, args, name="liar"), ref, Config(quick=True, small=True))
    assert row["status"] == "FAIL" and "_fn" not in row


def _set_comprehension_sum(x):
    return sum({x * i for i in range(3)})


def test_a_function_sourcead_refuses_is_reported_refused_with_the_first_line():
    w = dataclasses.replace(_small_poly()[0], primal=_set_comprehension_sum, hand=lambda x: 3.0, wrt=(0,),
                            make_args=lambda small: (2.0,))
    row = measure_tool("sourcead", lambda: tools.sourcead(w, (2.0,)), [np.asarray(3.0)], Config(quick=True))
    assert row["status"] == "refused", row
    assert row["reason"].startswith("UnsupportedSyntaxError") and "\n" not in row["reason"]


def test_sourcead_row_agrees_on_a_small_workload():
    w, args, ref = _small_poly()
    row = measure_tool("sourcead", lambda: tools.sourcead(w, args), ref, Config(quick=True, small=True))
    assert row["status"] == "ok", row.get("reason")
    assert row["first_call_s"] > 0 and len(row["first_call_samples"]) == 3


@pytest.mark.parametrize("peer", ["autograd", "torch"])
@pytest.mark.parametrize("w", ALL, ids=IDS)
def test_peer_versions_agree_with_the_hand_written_gradient(w, peer):
    """The peers' versions of each workload (rebound NumPy, torch's own functions) stay right."""
    pytest.importorskip(peer)
    args = w.make_args(True)
    ref = [np.asarray(g) for g in fd.as_list(w.hand(*args), len(w.wrt))]
    row = measure_tool(peer, lambda: getattr(tools, peer)(w, args), ref, Config(quick=True))
    assert row["status"] == "ok", row.get("reason")


def test_goals_are_judged_from_the_sourcead_row():
    ok = {"rows": [{"tool": "sourcead", "status": "ok", "goal_ratio": 1.0, "first_call_s": 0.1}]}
    slow = {"rows": [{"tool": "sourcead", "status": "ok", "goal_ratio": 9.0, "first_call_s": 0.001}]}
    refused = {"rows": [{"tool": "sourcead", "status": "refused", "reason": "UnsupportedSyntaxError: x"}]}
    verdicts = {(v["goal"]): v["verdict"] for v in goals.judge({"poly": ok, "mlp": slow, "rnn": refused})}
    assert verdicts["seed polynomial"] == "pass" and verdicts["first call, polynomial"] == "FAIL"
    assert verdicts["MLP"] == "FAIL" and verdicts["first call, MLP"] == "pass"
    assert verdicts["RNN"].startswith("sourcead refused: UnsupportedSyntaxError")
    assert "MSE" not in verdicts  # a workload that did not run has no verdict


def test_pin_threads_sets_one_thread_and_keeps_the_coretype():
    env = {"OPENBLAS_CORETYPE": "Haswell", "XLA_FLAGS": "--xla_dump_to=/tmp/x", "OMP_NUM_THREADS": "8"}
    threads.pin_threads(env)
    threads.pin_threads(env)  # twice: the XLA flags are not repeated
    assert env["OPENBLAS_CORETYPE"] == "Haswell"
    assert all(env[name] == "1" for name in threads.THREAD_VARIABLES)
    assert env["XLA_FLAGS"].split() == ["--xla_dump_to=/tmp/x", *threads.XLA_ONE_THREAD]


def test_profiled_function_computes_what_the_function_computes():
    source = ("def g(x, n):\n    s = 0.0\n    for i in range(n):\n        s = s + np.sin(x * i) ** 2\n"
              "    if s > 0:\n        s = -s\n    return s * 2, np.cos(x)\n")
    fn, records, acc, hits = instrumented(source, {"np": np})
    assert fn(0.3, 4) == (-2 * sum(np.sin(0.3 * i) ** 2 for i in range(4)), np.cos(0.3))
    inner = [r for r in records if r["text"] == "np.sin(x * i)"]
    assert len(inner) == 1 and hits[records.index(inner[0])] == 4


def test_command_line_rejects_unknown_names():
    with pytest.raises(SystemExit):
        cli.parse(["--only", "nonesuch"])
    with pytest.raises(SystemExit):
        cli.parse(["--peers", "theano"])


def test_python_m_benchmarks_runs(tmp_path):
    out = tmp_path / "bench.json"
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "benchmarks", "--quick", "--small", "--only", "poly",
                           "--peers", "none", "--json", str(out)], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "goals (measured, not asserted)" in done.stdout
    doc = json.loads(out.read_text())
    rows = {r["tool"]: r for r in doc["workloads"]["poly"]["rows"]}
    assert rows["hand-written"]["status"] == "ok" and rows["sourcead"]["status"] == "ok"
    assert rows["sourcead"]["grad"]["median"] > 0 and rows["sourcead"]["ratio_to_hand"] > 0
    assert doc["environment"]["thread_variables"]["OMP_NUM_THREADS"] == "1"
    assert doc["environment"]["malloc"].startswith(("glibc mallopt", "not changed"))
    assert [g["goal"] for g in doc["goals"]] == ["seed polynomial", "first call, polynomial"]
