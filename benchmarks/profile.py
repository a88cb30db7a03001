"""Where the time goes: per-statement timings of sourcead's generated derivative of a workload,
next to the same for the hand-written gradient (``python -m benchmarks --profile NAME``).

Each simple statement of the function is split into one assignment per operation (a call, an
arithmetic operation, a comparison; innermost first), and each is wrapped in two clock reads
(nested statements too: a loop's body is timed operation by operation, with hit counts). The cost of the wrapping itself is
measured on an empty statement and subtracted per hit, so cheap scalar statements are
approximate; statements on arrays are not disturbed. The figures come from the fastest of a few
rounds, the one least disturbed by other processes on a shared machine, on the run's clock (CPU
time by default, whose own cost is higher: fine for array operations, not for scalar ones, where
the static operation counts per loop iteration are the better guide). What the statements do not cover (loop
headers, branch tests, the call itself) is the difference to the uninstrumented time. A cProfile
listing of the helpers the derivative calls follows.
"""

from __future__ import annotations

import ast
import cProfile
import inspect
import io
import pstats
import textwrap
import time

from benchmarks import tools



def _timed(k: int, stmt: ast.stmt) -> list:
    start = ast.parse("_t = _clock()").body
    stop = ast.parse(f"_acc[{k}] += _clock() - _t\n_hits[{k}] += 1").body
    if isinstance(stmt, ast.Return) and stmt.value is not None:
        keep = ast.Assign(targets=[ast.Name("_ret", ast.Store())], value=stmt.value)
        return start + [ast.copy_location(keep, stmt)] + stop + [ast.Return(ast.Name("_ret", ast.Load()))]
    return start + [stmt] + stop


class _Hoist(ast.NodeTransformer):
    """Splits a statement into one assignment per operation (calls, arithmetic, comparisons),
    innermost first, so that each operation is timed on its own. Nothing under a lambda, a
    conditional expression or and/or is split (it may not run)."""

    def __init__(self, counter: list):
        self.counter = counter
        self.hoisted: list = []  # (assignment, the operation's source text)

    def _hoist(self, node):
        text = ast.unparse(node)
        self.generic_visit(node)
        name = f"_e{self.counter[0]}"
        self.counter[0] += 1
        self.hoisted.append((ast.Assign(targets=[ast.Name(name, ast.Store())], value=node), text))
        return ast.Name(name, ast.Load())

    visit_Call = visit_BinOp = visit_UnaryOp = visit_Compare = _hoist

    def _keep(self, node):
        return node

    visit_Lambda = visit_IfExp = visit_BoolOp = visit_ListComp = visit_GeneratorExp = _keep


def _split(stmt: ast.stmt, counter: list) -> list:
    """[(statement, text)]: the operations inside stmt, then stmt doing only its outermost one."""
    hoist = _Hoist(counter)
    value = getattr(stmt, "value", None)
    if isinstance(stmt, ast.AugAssign):
        stmt.value = hoist.visit(value)
    elif isinstance(stmt, (ast.Assign, ast.Return, ast.Expr)) and value is not None:
        hoist.generic_visit(value)
    return [(ast.copy_location(a, stmt), text) for a, text in hoist.hoisted]


def _instrument(body: list, records: list, counter: list) -> list:
    out = []
    for stmt in body:
        if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant):
            continue  # a docstring
        if isinstance(stmt, (ast.For, ast.While, ast.If)):
            stmt.body = _instrument(stmt.body, records, counter)
            stmt.orelse = _instrument(stmt.orelse, records, counter)
            out.append(stmt)
            continue
        text = ast.unparse(stmt).splitlines()[0]
        for part, part_text in _split(stmt, counter) + [(stmt, text)]:
            records.append({"line": stmt.lineno, "text": part_text, "statement": part is stmt})
            out += _timed(len(records) - 1, part)
    return out


def instrumented(source: str, namespace: dict, clock=time.perf_counter):
    """(the function defined by `source`, timed operation by operation with `clock`; the records of
    its operations; their accumulated seconds; their hit counts)."""
    tree = ast.parse(textwrap.dedent(source))
    fn_def = next(n for n in tree.body if isinstance(n, ast.FunctionDef))
    fn_def.decorator_list = []
    records: list = []
    fn_def.body = _instrument(fn_def.body, records, [0])
    acc, hits = [0.0] * len(records), [0] * len(records)
    scope = dict(namespace, _clock=clock, _acc=acc, _hits=hits)
    exec(compile(ast.fix_missing_locations(tree), f"<profiled {fn_def.name}>", "exec"), scope)
    return scope[fn_def.name], records, acc, hits


def _overhead(clock) -> float:
    """Seconds the wrapping adds to one statement (measured on `pass`)."""
    fn, _, acc, hits = instrumented("def empty():\n" + "    pass\n" * 100, {}, clock)
    best = float("inf")
    for _ in range(20):
        t0 = clock()
        fn()
        best = min(best, (clock() - t0) / 100)
    return best


def _per_call(fn, args, min_time, clock) -> tuple[float, int]:
    calls, t0 = 0, clock()
    while True:
        fn(*args)
        calls += 1
        spent = clock() - t0
        if spent >= min_time:
            return spent / calls, calls


def statement_profile(source: str, namespace: dict, args, rounds: int = 5, min_time: float = 0.1,
                      clock=time.perf_counter) -> dict:
    """Per-statement time per call of the function in `source` (run in `namespace`) on args.

    `rounds` rounds of at least `min_time` seconds each; the figures are those of the fastest
    round (the one least disturbed by other processes), for the plain function and for the
    instrumented one, so that the statements of one round add up."""
    plain_ns = dict(namespace)
    exec(compile(textwrap.dedent(source), "<plain>", "exec"), plain_ns)
    name = next(n.name for n in ast.parse(textwrap.dedent(source)).body if isinstance(n, ast.FunctionDef))
    plain_ns[name](*args)
    plain = min(_per_call(plain_ns[name], args, min_time, clock)[0] for _ in range(rounds))
    fn, records, acc, hits = instrumented(source, namespace, clock)
    fn(*args)
    cost = _overhead(clock)
    best = None
    for _ in range(rounds):
        acc[:], hits[:] = [0.0] * len(acc), [0] * len(hits)
        total, calls = _per_call(fn, args, min_time, clock)
        if best is None or total < best[0]:
            best = (total, calls, list(acc), list(hits))
    _, calls, times, counts = best
    rows = [{**rec, "hits": n / calls, "seconds": max(0.0, t - n * cost) / calls}
            for rec, t, n in zip(records, times, counts)]
    return {"plain": plain, "statements": rows, "overhead_per_statement": cost}


def print_statement_profile(title: str, prof: dict, top: int = 15) -> None:
    plain = prof["plain"]
    covered = sum(r["seconds"] for r in prof["statements"])
    print(f"\n{title}: {plain * 1e6:,.1f} µs per call uninstrumented; statements below cover "
          f"{covered * 1e6:,.1f} µs (wrapping cost {prof['overhead_per_statement'] * 1e9:.0f} ns per statement "
          f"subtracted); the rest, {max(0.0, plain - covered) * 1e6:,.1f} µs, is loop headers, branch tests and the call")
    print(f"   {'line':>4} {'hits':>7} {'µs/call':>10} {'share':>6}  operation (the statement itself: its outermost one)")
    for r in sorted(prof["statements"], key=lambda r: -r["seconds"])[:top]:
        share = r["seconds"] / plain if plain else 0.0
        text = r["text"] if r["statement"] else "  in it: " + r["text"]
        print(f"   {r['line']:>4} {r['hits']:>7.0f} {r['seconds'] * 1e6:>10.2f} {share:>6.1%}  {text[:100]}")
    hits = sum(r["hits"] for r in prof["statements"])
    if hits and plain / hits < 5 * prof["overhead_per_statement"]:
        print(f"   (an operation takes {plain / hits * 1e9:.0f} ns on average, close to the clock's own cost: the "
              f"figures above are noise; read the operation counts below)")


def print_cprofile(fn, args, top: int = 10) -> None:
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(5):
        fn(*args)
    prof.disable()
    out = io.StringIO()
    pstats.Stats(prof, stream=out).sort_stats("tottime").print_stats(top)
    lines = out.getvalue().splitlines()
    start = next((i for i, line in enumerate(lines) if line.strip().startswith("ncalls")), 0)
    print("\n   cProfile of 5 calls of the generated derivative (tottime: time in the function itself):")
    print("\n".join("   " + line for line in lines[start:] if line.strip()))


def namespace(fn) -> dict:
    """What a compiled function reads: its globals, and its closure cells' contents by name (the
    objects sourcead binds into generated code are closure variables)."""
    cells = dict(zip(fn.__code__.co_freevars, (c.cell_contents for c in fn.__closure__ or ())))
    return {**fn.__globals__, **cells}


def operation_counts(source: str) -> list[dict]:
    """Per loop of the function in `source`: how many calls (by name), arithmetic operations,
    subscripts and assignments one iteration runs (statically: both branches of an if count)."""
    tree = ast.parse(textwrap.dedent(source))
    out = []
    for loop in (n for n in ast.walk(tree) if isinstance(n, (ast.For, ast.While))):
        counts: dict = {}
        for node in (n for stmt in loop.body for n in ast.walk(stmt)):
            key = {ast.BinOp: "arithmetic", ast.UnaryOp: "arithmetic", ast.Subscript: "subscript",
                   ast.Assign: "assignment", ast.AugAssign: "assignment"}.get(type(node))
            if isinstance(node, ast.Call):
                key = "call " + ast.unparse(node.func)
            if key:
                counts[key] = counts.get(key, 0) + 1
        out.append({"line": loop.lineno, "header": ast.unparse(loop).splitlines()[0], "counts": counts})
    return out


def print_operation_counts(title: str, source: str) -> None:
    for loop in operation_counts(source):
        parts = ", ".join(f"{n} {k}" for k, n in sorted(loop["counts"].items(), key=lambda kv: (-kv[1], kv[0])))
        print(f"   {title}, per iteration of line {loop['line']} ({loop['header']}): {parts}")


def wrapper_cost(df, fn, args, clock) -> tuple[float, float]:
    """(seconds per call of df, of its generated function alone): timeit's best of 5."""
    import timeit

    def best(f):
        timer = timeit.Timer(lambda: f(*args), timer=clock)
        number, _ = timer.autorange()
        return min(timer.repeat(repeat=5, number=number)) / number
    return best(df), best(fn)


def print_profile(w, cfg) -> int:
    """The --profile report for one workload: sourcead's derivative, then the hand-written one."""
    import sourcead

    args = w.make_args(cfg.small)
    df = tools.sourcead(w, args).make(w.primal)
    df(*args)
    fn = df._last.fn
    source = sourcead.source(df, *args)
    clock = cfg.timer
    print(f"== profile of {w.name}: {w.title}   ({cfg.clock} clock)\n")
    print("".join("   | " + line + "\n" for line in source.splitlines()))
    whole, alone = wrapper_cost(df, fn, args, clock)
    print(f"sourcead.grad's call: {whole * 1e6:,.3f} µs; the generated function alone: {alone * 1e6:,.3f} µs; "
          f"the wrapper's share: {max(0.0, whole - alone) / whole:.0%}")
    print_statement_profile("sourcead's generated derivative", statement_profile(source, namespace(fn), args, clock=clock))
    hand_source = inspect.getsource(w.hand)
    print_statement_profile("hand-written gradient",
                            statement_profile(hand_source, w.hand.__globals__, args, clock=clock))
    print()
    print_operation_counts("sourcead", source)
    print_operation_counts("hand-written", hand_source)
    print_cprofile(fn, args)
    print_first_call_stages(w, args)
    return 0


STAGES = (("frontend/parse.py", "parse"), ("frontend/fence.py", "fence"), ("frontend/desugar.py", "desugar"),
          ("lower/to_ssa.py", "to_ssa"), ("passes/simplify.py", "run"), ("ad/reverse.py", "reverse"),
          ("ad/forward.py", "forward"), ("passes/dce.py", "run"), ("backend/to_ast.py", "emit_source"),
          ("backend/compile.py", "compile_function"), ("ir/verify.py", "verify"))


def _profiled_first_call(tool, base, args):
    from benchmarks.workload import fresh

    prof = cProfile.Profile()
    f = fresh(base)
    prof.enable()
    tool.make(f)(*args)
    prof.disable()
    return pstats.Stats(prof).stats


def first_call_stages(w, args, rounds: int = 5) -> dict:
    """Where a first call's time goes, by pipeline stage: cProfile's cumulative time of each stage
    function (all its calls: a stage that runs twice, as simplify does, is added up) over the first
    call of a fresh function object, the least of `rounds` such calls per figure (the profiler's
    clock is wall time: other processes inflate some rounds); and the first call's time without
    the profiler, the least of `rounds` too."""
    from benchmarks.workload import fresh

    tool = tools.sourcead(w, args)
    plain, total, stages, own = float("inf"), float("inf"), {}, {}
    for _ in range(rounds):
        t0 = time.process_time()
        tool.make(fresh(w.primal))(*args)
        plain = min(plain, time.process_time() - t0)
        stats = _profiled_first_call(tool, w.primal, args)
        total = min(total, sum(tt for (_, _, tt, _, _) in stats.values()))
        found, mine = {}, {}
        for (filename, line, func), (_, _, tt, cumulative, _) in stats.items():
            filename = filename.replace("\\", "/")
            for path, name in STAGES:
                if func == name and filename.endswith("sourcead/" + path):
                    key = f"{path[:-3].replace('/', '.')}.{name}"
                    found[key] = found.get(key, 0.0) + cumulative
            if filename.startswith("<sourcead ") and func == w.primal.__name__ + "_grad" * w.order:
                found["the derivative's own run"] = found.get("the derivative's own run", 0.0) + cumulative
            if "/sourcead/" in filename:
                mine[f"{filename.split('sourcead/')[-1]}:{line}({func})"] = tt
        for table, new in ((stages, found), (own, mine)):
            for key, seconds in new.items():
                table[key] = min(table.get(key, float("inf")), seconds)
    own_top = sorted(((t, k) for k, t in own.items()), reverse=True)[:10]
    return {"plain": plain, "profiled": total, "stages": stages, "own": own_top}


def print_first_call_stages(w, args) -> None:
    prof = first_call_stages(w, args)
    print(f"\nfirst call of a fresh function object: {prof['plain'] * 1e3:.1f} ms of CPU time ({prof['profiled'] * 1e3:.1f} ms "
          f"under cProfile); by stage, cumulative, under cProfile (least of 5 rounds each):")
    for key, seconds in sorted(prof["stages"].items(), key=lambda kv: -kv[1]):
        print(f"   {seconds * 1e3:8.2f} ms {seconds / prof['profiled']:6.1%}  {key}")
    print("   the sourcead functions with the most time of their own (tottime):")
    for seconds, where in prof["own"]:
        print(f"   {seconds * 1e3:8.2f} ms {seconds / prof['profiled']:6.1%}  {where}")
