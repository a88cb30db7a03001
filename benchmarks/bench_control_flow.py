"""Control-flow benchmark: sourcead against a hand-written gradient and its peers.

    python benchmarks/bench_control_flow.py            # full run (about 15 s)
    python benchmarks/bench_control_flow.py --quick    # smoke run: short measurements, few repeats
    python benchmarks/bench_control_flow.py --show     # also print the generated derivatives

Two problems, from the control-flow issue:

1. scalar loop   f(x): y = x; 1000 times y = sin(y) * x + 0.1; return y         (x = 0.5)
2. MXNet example mx_control(a): doubling `while` on a norm, then an `if` on a sum  (a: 3 normals)
   (the gradient of the sum of the output with respect to a)

Each contender's gradient is checked against the hand-written one (np.allclose) before it is timed;
a disagreement prints FAIL and no ratio. Timing: ``timeit.Timer(stmt).repeat(...)``, R = 21
measurements of N calls, N chosen so that one measurement lasts at least ~20 ms, the R measurements
interleaved across a table's contenders (``--sequential``: one contender's R in a row); the table
reports the median per call in microseconds and its ratio to the hand-written gradient (= 1.0).
The clock is this process's CPU time (time.process_time), steadier on a shared machine than wall
time (``--clock wall``: time.perf_counter).
Compilation is kept out of the timing: every derivative is built and called once first. The row
"its generated function, called directly" times sourcead's compiled derivative without the
``Derivative.__call__`` wrapper (argument binding, the cache lookup, ``as_gradient``).

Only numpy and sourcead are needed. autograd and tangent-ad (``pip install autograd tangent-ad``)
are imported lazily; a missing or failing peer prints ``<name>: unavailable (<reason>)``. If
tangent will not work under this interpreter, ``--tangent-python PATH`` runs its part in a
subprocess under another one (which needs numpy and tangent-ad, not sourcead) and reports it in the
same table; its ratio is then taken against the hand-written gradient timed in that interpreter.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
import timeit

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if __name__ == "__main__" and "--tangent-only" not in sys.argv:
    try:  # run from a checkout without installing: find sourcead next to benchmarks/
        import sourcead  # noqa: F401
    except ImportError:
        sys.path.insert(0, os.path.dirname(HERE))


# --------------------------------------------------------------------------------------------------
# Problem 1: the scalar loop
# --------------------------------------------------------------------------------------------------

def f(x):
    y = x
    for i in range(1000):
        y = math.sin(y) * x + 0.1
    return y


def f_grad_hand(x):
    """Reverse mode by hand: the forward loop keeps sin(y) and y, the reverse loop walks them back."""
    sins = []
    ys = []
    y = x
    for i in range(1000):
        s = math.sin(y)
        sins.append(s)
        ys.append(y)
        y = s * x + 0.1
    dy = 1.0
    dx = 0.0
    for i in range(999, -1, -1):
        dx += sins[i] * dy
        dy = dy * x * math.cos(ys[i])
    return dx + dy


X0 = 0.5


# --------------------------------------------------------------------------------------------------
# Problem 2: the MXNet example (seed 001)
# --------------------------------------------------------------------------------------------------

def mx_control(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def mx_grad_hand(a):
    """d sum(mx_control(a)) / da by hand: c = s * 2**(k+1) * a, with k the doublings, s = 1 or 100."""
    b = a * 2
    k = 0
    while np.linalg.norm(b) < 1000:
        b = b * 2
        k += 1
    scale = 2.0 ** (k + 1)
    if np.sum(b) <= 0:
        scale = 100 * scale
    return np.full(a.shape, scale)


def mx_grad_hand_literal(a):
    """The same by hand, but the way reverse mode writes it: an array cotangent, one reverse loop."""
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


def mx_input():
    return np.random.RandomState(0).normal(size=3)


# --------------------------------------------------------------------------------------------------
# Peers' versions (built lazily: each returns a zero-argument thunk that makes (grad_fn, args))
# --------------------------------------------------------------------------------------------------

def autograd_contenders():
    """autograd traces NumPy calls only: math.sin is not traceable, so its f uses anp.sin."""
    import autograd
    import autograd.numpy as anp

    def f_ag(x):
        y = x
        for i in range(1000):
            y = anp.sin(y) * x + 0.1
        return y

    def mx_control_ag(a):
        b = a * 2
        while anp.linalg.norm(b) < 1000:
            b = b * 2
        if anp.sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return anp.sum(c)   # autograd.grad needs a scalar output: the gradient of the sum

    return autograd.grad(f_ag), autograd.grad(mx_control_ag)


def tangent_contenders():
    """tangent has no reverse rule for math.sin, so its f uses np.sin (Python floats then become
    np.float64 in the loop). Its grad seeds a non-scalar output with ones, so mx_control is used as
    it is (the gradient of the sum of c), no np.sum needed."""
    import tangent

    def f_tg(x):
        y = x
        for i in range(1000):
            y = np.sin(y) * x + 0.1
        return y

    def mx_control_tg(a):
        b = a * 2
        while np.linalg.norm(b) < 1000:
            b = b * 2
        if np.sum(b) > 0:
            c = b
        else:
            c = 100 * b
        return c

    # tangent reads the functions' source: they are defined in this file, so that works.
    return tangent.grad(f_tg), tangent.grad(mx_control_tg)


# --------------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------------

class Config:
    def __init__(self, quick: bool, sequential: bool = False, clock: str = "cpu"):
        self.min_time = 0.005 if quick else 0.02   # seconds per measurement, at least
        self.repeat = 3 if quick else 21
        self.sequential = sequential
        self.clock = clock
        # CPU time of this process leaves out the time another process holds the core: on a shared
        # machine it is the steadier clock. "wall" is timeit's default, time.perf_counter.
        self.timer = time.process_time if clock == "cpu" else time.perf_counter


def calibrate(timer: timeit.Timer, cfg: Config) -> int:
    """The number of calls N that makes one measurement last at least cfg.min_time."""
    number = 1
    while True:
        t = timer.timeit(number)
        if t >= cfg.min_time:
            return number
        number *= 2 if t <= 0 else max(2, min(10, int(math.ceil(cfg.min_time / t * 1.2))))


def time_rows(rows, cfg: Config) -> None:
    """Time every prepared row: R measurements of N calls each, timeit.Timer.repeat.

    By default the R measurements are interleaved across the rows of a table (round r times every
    contender once, with ``repeat(repeat=1, number=N)``), so that a burst of load from elsewhere on
    a shared machine hits all contenders alike instead of one; --sequential takes each contender's
    ``repeat(repeat=R, number=N)`` in one go instead.
    """
    ready = [r for r in rows if r["status"] == "ok" and "fn" in r]
    for r in ready:
        names = {f"a{i}": a for i, a in enumerate(r.pop("args"))}
        r["timer"] = timeit.Timer("fn(" + ", ".join(names) + ")", timer=cfg.timer, globals={"fn": r.pop("fn"), **names})
        r["number"] = calibrate(r["timer"], cfg)
        r["runs"] = []
    if cfg.sequential:
        for r in ready:
            r["runs"] = r["timer"].repeat(repeat=cfg.repeat, number=r["number"])
    else:
        for _ in range(cfg.repeat):
            for r in ready:
                r["runs"] += r["timer"].repeat(repeat=1, number=r["number"])
    for r in ready:
        per_call = [t / r["number"] for t in r.pop("runs")]
        del r["timer"]
        r.update(median=statistics.median(per_call), min=min(per_call), max=max(per_call), repeat=cfg.repeat)


def agrees(g, ref) -> bool:
    try:
        return bool(np.allclose(np.asarray(g, dtype=float), np.asarray(ref, dtype=float), rtol=1e-7, atol=1e-10))
    except Exception:  # noqa: BLE001
        return False


def prepare(name, make, args, ref) -> dict:
    """Build the contender (outside timing), call it once, check it against `ref`. Never raises."""
    try:
        fn = make()
    except Exception as err:  # noqa: BLE001  a peer that cannot build is reported, not fatal
        return {"name": name, "status": "unavailable", "reason": _reason(err)}
    try:
        g = fn(*args)
    except Exception as err:  # noqa: BLE001
        return {"name": name, "status": "unavailable", "reason": "gradient call failed: " + _reason(err)}
    if not agrees(g, ref):
        return {"name": name, "status": "FAIL",
                "reason": f"gradient {np.asarray(g)!r} != hand-written {np.asarray(ref)!r}"}
    return {"name": name, "status": "ok", "fn": fn, "args": tuple(args)}


def _reason(err: BaseException) -> str:
    text = str(err).strip().splitlines()
    return f"{type(err).__name__}: {text[0] if text else ''}".strip()


# --------------------------------------------------------------------------------------------------
# The tangent part in another interpreter (--tangent-python), and the child side (--tangent-only)
# --------------------------------------------------------------------------------------------------

def tangent_only(cfg: Config) -> dict:
    """Child mode: time tangent and the hand-written baselines in this interpreter; JSON out."""
    out = {"python": platform.python_version()}
    try:
        tg_f, tg_mx = tangent_contenders()
    except Exception as err:  # noqa: BLE001
        out["error"] = _reason(err)
        return out
    a = mx_input()
    ref_f, ref_mx = f_grad_hand(X0), mx_grad_hand(a)
    for key, hand, tg, args, ref in (("scalar", f_grad_hand, tg_f, (X0,), ref_f),
                                     ("mxnet", mx_grad_hand, tg_mx, (a,), ref_mx)):
        pair = {"hand": prepare("hand", lambda: hand, args, ref), "tangent": prepare("tangent", lambda: tg, args, ref)}
        time_rows(list(pair.values()), cfg)
        out[key] = pair
    return out


def tangent_via_subprocess(python: str, quick: bool, cfg: Config) -> dict:
    cmd = [python, os.path.abspath(__file__), "--tangent-only", "--clock", cfg.clock]
    cmd += (["--quick"] if quick else []) + (["--sequential"] if cfg.sequential else [])
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=900)
    except Exception as err:  # noqa: BLE001
        return {"error": _reason(err)}
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return {"error": f"{python} exited {done.returncode}: {lines[-1] if lines else ''}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------------

def sourcead_grads():
    import sourcead

    return sourcead.grad(f), sourcead.grad(mx_control)


def generated_fn(df, args):
    """The compiled function behind df for these arguments, to be called without df's wrapper.

    ``df._last.fn`` is the derivative df ran last. The arguments here are already what the wrapper
    passes it (a float, a float64 array, every parameter given), and the caller checks its result.
    """
    df(*args)
    return df._last.fn


def print_table(title, rows, base):
    width = max([50] + [len(r["name"]) for r in rows if r["status"] != "unavailable"])
    print(f"\n{title}")
    print(f"  {'contender':<{width}}  {'median µs':>10}  {'× hand':>8}  {'min–max µs':>19}  {'N × R':>8}")
    print("  " + "-" * (width + 55))
    for r in rows:
        if r["status"] == "ok":
            ratio = r.get("ratio", r["median"] / base if base else float("nan"))
            spread = f"{r['min'] * 1e6:.1f}–{r['max'] * 1e6:.1f}"
            print(f"  {r['name']:<{width}}  {r['median'] * 1e6:>10.1f}  {ratio:>7.2f}×  {spread:>19}  "
                  f"{r['number']:>4} × {r['repeat']}")
        elif r["status"] == "FAIL":
            print(f"  {r['name']:<{width}}  {'FAIL':>10}  {r['reason']}")
        else:
            print(f"  {r['name']}: unavailable ({r['reason']})")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true", help="smoke run: 5 ms measurements, 3 repeats")
    p.add_argument("--show", action="store_true", help="print the generated sourcead derivatives")
    p.add_argument("--tangent-python", metavar="PATH",
                   help="run the tangent-ad part in a subprocess under this interpreter (when it will not "
                        "import or differentiate here)")
    p.add_argument("--sequential", action="store_true",
                   help="take each contender's R measurements in one go instead of interleaving them")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="cpu: time.process_time (default; steadier on a shared machine); wall: time.perf_counter")
    p.add_argument("--tangent-only", action="store_true", help=argparse.SUPPRESS)
    opts = p.parse_args(argv)
    cfg = Config(opts.quick, opts.sequential, opts.clock)

    if opts.tangent_only:
        print(json.dumps(tangent_only(cfg)))
        return 0

    print(f"sourcead control-flow benchmark  ({'quick' if opts.quick else 'full'} run: "
          f"≥{cfg.min_time * 1e3:.0f} ms per measurement, median of {cfg.repeat}, "
          f"{'sequential' if cfg.sequential else 'interleaved'}, {cfg.clock} clock)")
    print(f"python {platform.python_version()} ({platform.python_implementation()}), numpy {np.__version__}, "
          f"{platform.machine()}, {os.cpu_count()} cpus")

    a = mx_input()
    ref_f, ref_mx = f_grad_hand(X0), mx_grad_hand(a)

    # sourcead: compiled outside the timing (prepare calls each once before timing).
    try:
        sa_f, sa_mx = sourcead_grads()
        sa_error = None
    except Exception as err:  # noqa: BLE001
        sa_f = sa_mx = None
        sa_error = _reason(err)

    peers = {}
    for label, builder in (("autograd", autograd_contenders), ("tangent-ad", tangent_contenders)):
        if label == "tangent-ad" and opts.tangent_python:
            continue
        try:
            peers[label] = builder()
        except Exception as err:  # noqa: BLE001
            peers[label] = err

    tangent_child = None
    if opts.tangent_python:
        tangent_child = tangent_via_subprocess(opts.tangent_python, opts.quick, cfg)

    def fail_make(err):
        def make():
            raise err
        return make

    def peer_make(label, k):
        value = peers[label]
        return fail_make(value) if isinstance(value, Exception) else (lambda: value[k])

    def sa_make(fn):
        return fail_make(RuntimeError(sa_error)) if fn is None else (lambda: fn)

    problems = [
        ("1. scalar loop: y = sin(y) * x + 0.1, 1000 iterations, x = 0.5", "scalar", f, (X0,), ref_f,
         f_grad_hand, sa_f, 0),
        ("2. MXNet example: while norm(b) < 1000: b *= 2; if sum(b) > 0 ... ; d sum(c) / da, a in R^3",
         "mxnet", mx_control, (a,), ref_mx, mx_grad_hand, sa_mx, 1),
    ]
    for title, key, primal, args, ref, hand, sa, k in problems:
        rows = [prepare("hand-written reverse mode (baseline)", lambda: hand, args, ref)]
        if key == "mxnet":
            rows.append(prepare("  hand-written, literal reverse loop (reference)",
                                      lambda: mx_grad_hand_literal, args, ref))
        rows.append(prepare("sourcead.grad (warm)", sa_make(sa), args, ref))
        if sa is not None:  # the wrapper's share: the same compiled function, called directly
            try:
                fn = generated_fn(sa, args)
                rows.append(prepare("  its generated function, called directly", lambda: fn, args, ref))
            except Exception as err:  # noqa: BLE001
                rows.append({"name": "  its generated function, called directly", "status": "unavailable",
                             "reason": _reason(err)})
        ag = prepare("autograd.grad (anp.sin)" if key == "scalar" else "autograd.grad (of np.sum(c))",
                     peer_make("autograd", k), args, ref)
        if ag["status"] == "unavailable":
            ag["name"] = "autograd"
        rows.append(ag)
        tg_name = "tangent-ad grad (np.sin)" if key == "scalar" else "tangent-ad grad"
        if tangent_child is not None:  # timed already, in the other interpreter
            if "error" in tangent_child:
                rows.append({"name": "tangent-ad", "status": "unavailable",
                             "reason": f"{opts.tangent_python}: {tangent_child['error']}"})
            else:
                child = tangent_child[key]
                row = dict(child["tangent"])
                row["name"] = f"{tg_name} [python {tangent_child['python']}, subprocess]"
                if row.get("status") == "ok" and child["hand"].get("status") == "ok":
                    # Raw µs are from the other interpreter; the ratio is against the hand-written
                    # gradient timed there, so it compares like with like.
                    row["ratio"] = row["median"] / child["hand"]["median"]
                rows.append(row)
        else:
            tg = prepare(tg_name, peer_make("tangent-ad", k), args, ref)
            if tg["status"] == "unavailable":
                tg["name"] = "tangent-ad"
            rows.append(tg)
        rows.append(prepare("primal function alone (for scale)", lambda: primal, args, primal(*args)))
        time_rows(rows, cfg)
        base = rows[0]["median"] if rows[0]["status"] == "ok" else None
        print_table(title, rows, base)

    print("\nissue targets: sourcead ≤ 1.5× hand-written (scalar loop), ≤ 1.3× (MXNet); "
          "reported peers: autograd ~800×, tangent-ad ~36× (scalar loop), tangent-ad ~4× (MXNet)")

    if opts.show and sa_f is not None:
        import sourcead

        print("\n# sourcead.source(grad(f), 0.5) — the scalar-loop derivative that is timed")
        print(sourcead.source(sa_f, X0).rstrip("\n"))
        print("\n# sourcead.source(grad(mx_control), a) — the MXNet derivative that is timed")
        print(sourcead.source(sa_mx, a).rstrip("\n"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
