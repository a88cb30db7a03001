"""The command line: ``python -m sourcead demo`` and ``python -m sourcead show FILE:FUNCTION [ARGS]``.

`demo` differentiates the seed examples and prints each derivative's generated source and its
values next to central finite differences. `show` prints the derivative of a function in a file.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys

import numpy as np

import sourcead
from sourcead import demo


def _numeric(f, args, i, eps=1e-6):
    x = np.asarray(args[i], dtype=float)
    g = np.zeros_like(x)
    for k in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[k] = eps
        plus = list(args)
        minus = list(args)
        plus[i] = x + e if x.ndim else float(x + e)
        minus[i] = x - e if x.ndim else float(x - e)
        g[k] = (np.sum(f(*plus)) - np.sum(f(*minus))) / (2 * eps)
    return g if x.ndim else float(g)


def _fmt(v) -> str:
    return np.array2string(np.asarray(v), precision=6, suppress_small=True) if np.ndim(v) else f"{float(v):.10g}"


EXAMPLES = [
    ("seed 000: z = (x ** 2 + 4) * y - x / y, both gradients", demo.seed_poly, (101.0, 12.0), (0, 1)),
    ("seed 001: the MXNet example, a while and an if that depend on the input", demo.mx_control,
     (np.array([0.3, -0.2, 0.5]),), 0),
    ("seed 001: 2 * x * x on a matrix (the gradient of the sum of a non-scalar result)", demo.mx_square,
     (np.array([[1.0, 2.0], [3.0, 4.0]]),), 0),
    ("seed 002: a quadratic with module-level coefficients", demo.quadratic, (0.0,), 0),
    ("seed 002: a linear regression loss", demo.linreg_loss,
     (np.array([[3.0, 1.0]]), np.array([[3.0]]), np.random.RandomState(0).randn(10, 2),
      np.random.RandomState(1).randn(10, 1)), (0, 1)),
    ("seed 003: the MSE loss of a line", demo.mse, (1.0, 0.0, np.arange(10.0, 20.0), np.arange(12.0, 22.0)), (0, 1)),
    ("seed 003: the chain rule on sin(x ** 2 + 1)", demo.sin_chain, (np.array([1.2, 0.53, 0.414, 0.841]),), 0),
    ("seed 004: z = y * y, y = x * x", demo.fourth, (3.0,), 0),
    ("a scalar loop, 1000 iterations", demo.sin_loop, (0.5,), 0),
    ("Newton's method with a tolerance-driven while", demo.newton_sqrt, (2.0,), 0),
]


def run_demo() -> int:
    worst = 0.0
    for title, f, args, wrt in EXAMPLES:
        df = sourcead.grad(f, wrt=wrt)
        got = df(*args)
        print("=" * 78)
        print(title)
        print("-" * 78)
        sourcead.show(df, *args)
        got_t = got if isinstance(wrt, tuple) else (got,)
        wrt_t = wrt if isinstance(wrt, tuple) else (wrt,)
        for g, i in zip(got_t, wrt_t):
            fd = _numeric(f, args, i)
            err = float(np.max(np.abs(np.asarray(g) - fd) / (1.0 + np.abs(fd))))
            worst = max(worst, err)
            name = list(__import__("inspect").signature(f).parameters)[i]
            print(f"d/d{name} = {_fmt(g)}    finite differences: {_fmt(fd)}")
    print("=" * 78)
    _, t = sourcead.jvp(demo.seed_poly, (101.0, 12.0), (1.0, 0.0))
    print(f"forward mode, seed 000: dz/dx = {t:.10g};  second derivative of x**2 - 2x + 1: "
          f"{sourcead.grad(sourcead.grad(demo.quadratic))(0.0):.10g}")
    ok = worst < 1e-5
    print(f"all derivatives agree with finite differences: {'yes' if ok else 'NO'} (worst relative error {worst:.1e})")
    return 0 if ok else 1


def _literal(text: str):
    """An example argument from the command line: a Python literal; a list becomes an array."""
    import ast

    value = ast.literal_eval(text)
    return np.array(value, dtype=float) if isinstance(value, list) else value


def run_show(target: str, mode: str, args=()) -> int:
    path, _, name = target.rpartition(":")
    if not path or not name:
        print("usage: python -m sourcead show FILE.py:FUNCTION", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    f = getattr(module, name)
    if mode == "ssa":
        print(sourcead.ssa(f))
    else:
        # with example arguments: the derivative specialised for their kinds, as a call would run
        sourcead.show(sourcead.grad(f), *[_literal(a) for a in args])
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m sourcead", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("demo", help="differentiate the seed examples and print the generated code")
    show = sub.add_parser("show", help="print the generated gradient of FILE.py:FUNCTION")
    show.add_argument("target")
    show.add_argument("args", nargs="*", help="example arguments (Python literals; a list is an array) "
                                             "to specialise for, e.g. 0.5 '[1.0, 2.0]'")
    show.add_argument("--ssa", action="store_true", help="print the SSA IR instead")
    args = parser.parse_args(argv)
    try:
        if args.command == "demo":
            return run_demo()
        if args.command == "show":
            return run_show(args.target, "ssa" if args.ssa else "grad", args.args)
    except sourcead.SourceADError as err:
        print(f"sourcead: {err}", file=sys.stderr)
        return 1
    parser.print_help()
    return 2


if __name__ == "__main__":
    sys.exit(main())
