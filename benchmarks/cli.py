"""Benchmarks sourcead's gradients against hand-written NumPy gradients and against its peers.

``python -m benchmarks [--quick] [--small] [--only NAMES] [--peers LIST] [--json PATH] [--show]
[--profile NAME] [--malloc steady|default] [--clock cpu|wall]``.

Prints one table per workload, the scaling run and the goals with pass/fail; ``--json`` writes
everything measured. The exit status is 0 unless the harness itself broke: a slow, refused or
failing tool is a result, not an error.
"""

from __future__ import annotations

import argparse
import datetime
import json
import sys

from benchmarks import allocator, goals, report, threads, tools
from benchmarks.timing import Config
from benchmarks.workloads import ALL, BY_NAME

NAMES = [w.name for w in ALL] + ["scaling"]


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="short measurements, 3 repeats (about a minute)")
    p.add_argument("--small", action="store_true", help="tiny inputs (for tests: the numbers mean nothing)")
    p.add_argument("--only", metavar="NAMES", help="comma-separated, from: " + ", ".join(NAMES))
    p.add_argument("--peers", metavar="LIST", default="all",
                   help="comma-separated, from: " + ", ".join(tools.PEERS) + "; or all, or none (default all)")
    p.add_argument("--json", metavar="PATH", help="write every measurement to PATH")
    p.add_argument("--show", action="store_true", help="print sourcead's generated derivative of each workload")
    p.add_argument("--profile", metavar="NAME", help="per-statement timings of sourcead's derivative of NAME "
                                                     "(and of the hand-written gradient), then exit")
    p.add_argument("--malloc", choices=("steady", "default"), default="steady",
                   help="steady (default): fix glibc's mmap and trim thresholds, so that no workload's timing depends "
                        "on what ran before it (see benchmarks/allocator.py); default: leave glibc alone")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="cpu: time.process_time (default, steadier on a shared machine); wall: time.perf_counter")
    opts = p.parse_args(argv)
    if opts.profile and opts.profile not in BY_NAME:
        p.error(f"unknown workload {opts.profile!r} for --profile; choose from {', '.join(BY_NAME)}")
    opts.names = _names(p, opts.only)
    opts.peer_list = _peers(p, opts.peers)
    return opts


def _names(p, only):
    if not only:
        return NAMES
    names = [n.strip() for n in only.split(",") if n.strip()]
    unknown = [n for n in names if n not in NAMES]
    if unknown:
        p.error(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(NAMES)}")
    return names


def _peers(p, text):
    if text == "all":
        return list(tools.PEERS)
    if text == "none":
        return []
    peers = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in peers if n not in tools.PEERS]
    if unknown:
        p.error(f"unknown peer(s) {', '.join(unknown)}; choose from {', '.join(tools.PEERS)}, all, none")
    return peers


def main(argv=None) -> int:
    opts = parse(argv)
    late = threads.pin_threads()  # a no-op when __main__ did it first; imported libraries are limited below
    from benchmarks.run import run_workload
    from benchmarks.scaling import STEPS, run_scaling

    threads.limit_loaded_threads()
    report.MALLOC = allocator.steady_malloc() if opts.malloc == "steady" else "glibc's defaults (--malloc default)"
    cfg = Config(quick=opts.quick, small=opts.small, clock=opts.clock)
    if opts.profile:
        from benchmarks.profile import print_profile

        return print_profile(BY_NAME[opts.profile], cfg)
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    results, env = {}, None
    for name in opts.names:
        if name == "scaling":
            continue
        results[name] = run_workload(BY_NAME[name], cfg, opts.peer_list)
        threads.limit_loaded_threads()  # torch or jax may have loaded a pool of their own meanwhile
        if env is None:
            env = report.environment()
            report.print_header(env, cfg, started)
        report.print_workload(results[name])
        if opts.show:
            _show(BY_NAME[name], cfg)
    scaling = None
    if "scaling" in opts.names:
        scaling = run_scaling(cfg, (5, 10, 20) if cfg.small else STEPS)
        if env is None:
            env = report.environment()
            report.print_header(env, cfg, started)
        report.print_scaling(scaling)
    verdicts = goals.judge(results)
    report.print_goals(verdicts)
    print(f"\nload average at the end: {report.load_average()}")
    if opts.json:
        doc = {"started": started, "config": {"quick": cfg.quick, "small": cfg.small, "clock": cfg.clock,
               "peers": opts.peer_list, "late_pinning": late}, "environment": env or report.environment(),
               "workloads": results, "scaling": scaling, "goals": verdicts,
               "load_average_at_end": report.load_average()}
        with open(opts.json, "w") as f:
            json.dump(doc, f, indent=1, default=str)
        print(f"\nwrote {opts.json}")
    return 0


def _show(w, cfg) -> None:
    import sourcead

    args = w.make_args(cfg.small)
    try:
        df = tools.sourcead(w, args).make(w.primal)
        print("   sourcead's derivative, as generated:")
        print("".join("   | " + line + "\n" for line in sourcead.source(df, *args).splitlines()))
    except Exception as err:  # noqa: BLE001
        print(f"   (no derivative to show: {type(err).__name__}: {err})")


if __name__ == "__main__":
    sys.exit(main())
