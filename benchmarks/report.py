"""Printing: the header (machine, BLAS), one table per workload, the scaling table, the goals."""

from __future__ import annotations

import os
import platform
from importlib import metadata
import sys

from benchmarks import threads

MALLOC = "not set"  # what benchmarks.allocator did, set by the command line


def environment() -> dict:
    """What the numbers depend on: machine, versions, BLAS kernels and threads, flags."""
    import numpy as np

    versions = {"python": platform.python_version(), "numpy": np.__version__}
    for mod, dist in (("sourcead", "sourcead"), ("autograd", "autograd"), ("tangent", "tangent-ad"),
                      ("torch", "torch"), ("jax", "jax"), ("jaxlib", "jaxlib")):
        if mod in sys.modules:
            try:
                versions[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                versions[dist] = getattr(sys.modules[mod], "__version__", "?")
    return {"machine": platform.machine(), "processor": _cpu_name(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "versions": versions, "blas": threads.blas_report(),
            "OPENBLAS_CORETYPE": threads.coretype(), "XLA_FLAGS": os.environ.get("XLA_FLAGS"),
            "thread_variables": {k: os.environ.get(k) for k in threads.THREAD_VARIABLES},
            "SOURCEAD_VERIFY": os.environ.get("SOURCEAD_VERIFY"), "load_average": load_average(), "malloc": MALLOC}


def load_average():
    """The 1, 5 and 15 minute load averages (other processes share the cores), where known."""
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except (AttributeError, OSError):
        return None


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as f:
            return next((line.split(":", 1)[1].strip() for line in f if line.startswith("model name")), "")
    except OSError:
        return platform.processor()


def print_header(env: dict, cfg, started: str) -> None:
    v = env["versions"]
    print(f"sourcead benchmarks, {started} ({'quick' if cfg.quick else 'full'} run{', small sizes' if cfg.small else ''}:"
          f" >= {cfg.min_time * 1e3:.0f} ms per measurement, median of up to {cfg.repeat}, {cfg.clock} clock)")
    print(f"{env['cpus']} cpus, {env['processor'] or env['machine']}; " + ", ".join(f"{k} {x}" for k, x in v.items()))
    for p in env["blas"]:
        print(f"  thread pool: {p['library']} {p['version']}, kernel {p['kernel']}, {p['threads']} thread(s)"
              f"{'  (' + p['file'] + ')' if p['file'] else ''}")
    print(f"  load average {env['load_average']}  OPENBLAS_CORETYPE={env['OPENBLAS_CORETYPE']}  XLA_FLAGS={env['XLA_FLAGS']!r}"
          + ("" if not env["SOURCEAD_VERIFY"] else f"  SOURCEAD_VERIFY={env['SOURCEAD_VERIFY']} (slows first calls)"))
    print(f"  allocator: {env['malloc']}")


def _us(seconds) -> str:
    if seconds is None:
        return "-"
    us = seconds * 1e6
    return f"{us:.3g}" if us < 100 else f"{us:,.0f}"


def _bytes(n) -> str:
    if n is None:
        return "n/a"
    return f"{n} B" if n < 10_000 else f"{n / 1e3:,.0f} kB"


def _x(value) -> str:
    return "-" if value is None else f"{value:.2f}x"


def print_workload(result: dict) -> None:
    goal = f"   [goal: sourcead <= {result['goal']}x hand-written]" if result.get("goal") else ""
    print(f"\n== {result['name']}: {result['title']}{goal}")
    if "error" in result:
        print(f"   not run: {result['error']}")
        return
    primals = result["primals"]
    print(f"   {'tool':<36} {'grad µs':>10} {'primal µs':>10} {'grad/primal':>11} {'x hand':>7} "
          f"{'goal metric':>11} {'first call':>10} {'peak mem':>10} {'N x R':>9}")
    for r in result["rows"]:
        if r["status"] != "ok":
            print(f"   {r['tool']:<36} {r['status']}: {r.get('reason', '')}")
            continue
        g = r["grad"]
        first = f"{r['first_call_s'] * 1e3:.1f} ms" if "first_call_s" in r else "-"
        mem = _bytes(r.get("peak_bytes"))
        print(f"   {r['tool']:<36} {_us(g['median']):>10} {_us(primals[r['primal']]['median']):>10} "
              f"{_x(r.get('grad_over_primal')):>11} {_x(r.get('ratio_to_hand')):>7} {_x(r.get('goal_ratio')):>11} "
              f"{first:>10} {mem:>10} {g['number']:>5} x {g['repeat']}")
    if result.get("note"):
        print(f"   note: {result['note']}")


def print_scaling(entries: list) -> None:
    print("\n== scaling: the scalar recurrence's gradient, T steps (µs per step)")
    print(f"   {'T':>6} {'hand-written':>13} {'sourcead':>10} {'primal':>8} {'sourcead / hand':>16}")
    for e in entries:
        if "error" in e:
            print(f"   {e['steps']:>6} {e['error']}")
            continue
        print(f"   {e['steps']:>6} {e['hand-written']['per_step'] * 1e6:>13.3f} {e['sourcead']['per_step'] * 1e6:>10.3f}"
              f" {e['primal']['per_step'] * 1e6:>8.3f} {e['ratio']:>15.2f}x")


def print_goals(verdicts: list) -> None:
    if not verdicts:
        return
    print("\n== goals (measured, not asserted)")
    print(f"   {'goal':<26} {'limit':>8} {'measured':>10}  verdict")
    for v in verdicts:
        unit = v["unit"].strip() or "x"
        unit = "x" if unit == "×" else unit
        value = "-" if v["value"] is None else f"{v['value']:.2f}{unit if unit == 'x' else ' ' + unit}"
        src = "" if v["source"] == "differentiation-speed issue" else f"  ({v['source']})"
        limit = f"{v['limit']:g}{unit if unit == 'x' else ' ' + unit}"
        print(f"   {v['goal']:<26} {'<= ' + limit:>8} {value:>10}  {v['verdict']}{src}")
