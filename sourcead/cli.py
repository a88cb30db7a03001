"""The command line: ``sourcead show``, ``sourcead check`` and ``sourcead demo`` (also ``python -m sourcead``).

    sourcead show model.py:loss --wrt w,b --shapes w=3,b= [--mode grad|jvp|vjp|hessian] [--standalone]
    sourcead check model.py:loss --args '[1.0, 2.0], 0.5'
    sourcead demo

Guarantees: a mistake in the command (a missing file or function, no ``:FUNC``, a bad ``--wrt``,
``--args`` or ``--shapes``) is one line on stderr and exit status 2, never a traceback; a function
sourcead refuses to differentiate prints sourcead's message (file, line, caret, hint) with status
1; ``check`` exits 1 when a gradient disagrees with finite differences.
"""

from __future__ import annotations

import argparse
import ast
import importlib.util
import inspect
import os
import sys

import numpy as np

import sourcead

from . import cache
from .backend.standalone import standalone_source
from .demo import run as demo_run
from .display import example_arguments as float_arguments, print_source

EXIT_USAGE, EXIT_FAILED = 2, 1


class CommandError(Exception):
    """A mistake in the command line: printed as one line, exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, not argparse's usage block
        raise CommandError(f"{message} (see {self.prog} --help)")


# ---- loading FILE.py:FUNC ----------------------------------------------------------------------

def load_function(target: str):
    """The function named by ``FILE.py:FUNC``, its module executed as a module of that name."""
    path, sep, name = target.rpartition(":")
    if not sep or not path or not name:
        raise CommandError(f"expected FILE.py:FUNCTION, got {target!r}")
    if not os.path.isfile(path):
        raise CommandError(f"no such file: {path}")
    module = _load_module(path)
    f = getattr(module, name, None)
    if f is None:
        defined = sorted(n for n, v in vars(module).items() if callable(v) and getattr(v, "__module__", None) == module.__name__)
        raise CommandError(f"{path} defines no {name!r}" + (f"; it defines {', '.join(defined)}" if defined else ""))
    if not callable(f):
        raise CommandError(f"{path}:{name} is a {type(f).__name__}, not a function")
    return f


def _load_module(path: str):
    stem = os.path.splitext(os.path.basename(path))[0]
    name = stem if stem.isidentifier() and stem not in sys.modules else "__sourcead_cli_module__"
    spec = importlib.util.spec_from_file_location(name, os.path.abspath(path))
    if spec is None or spec.loader is None:
        raise CommandError(f"cannot load {path} as a Python module")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    sys.path.insert(0, os.path.dirname(os.path.abspath(path)))
    try:
        spec.loader.exec_module(module)
    except SystemExit as err:
        raise CommandError(f"{path} exited while being imported (status {err.code}); "
                           "put its script part under if __name__ == '__main__':") from None
    except Exception as err:  # the user's module failed to import: their error, one line
        raise CommandError(f"importing {path} raised {type(err).__name__}: {err}") from None
    return module


# ---- example arguments -------------------------------------------------------------------------

def parse_args_option(text: str) -> list:
    """``--args``: Python literals separated by commas; a list becomes a float array."""
    try:
        values = ast.literal_eval(f"({text},)")
    except (ValueError, SyntaxError):
        raise CommandError(f"--args {text!r} is not a comma-separated list of numbers or [lists]") from None
    out = []
    for v in values:
        if isinstance(v, list):
            try:
                v = np.array(v, dtype=float)
            except (ValueError, TypeError):
                raise CommandError(f"--args: {v!r} is not a rectangular list of numbers") from None
        elif not isinstance(v, (int, float)) or isinstance(v, bool):
            raise CommandError(f"--args: {v!r} is not a number or a list of numbers")
        out.append(v)
    return out


def parse_shapes_option(text: str, params: list[str]) -> list:
    """``--shapes x=3,y=2x3,s=``: random arrays of those shapes (``s=``: a float); parameters
    not named are floats. Values are drawn from [0.5, 1.5) with a fixed seed."""
    rng = np.random.RandomState(0)
    shapes: dict[str, tuple] = {}
    for item in filter(None, text.split(",")):
        name, eq, dims = item.partition("=")
        name = name.strip()
        if not eq or name not in params:
            raise CommandError(f"--shapes: {item!r} is not NAME=DIMS for a parameter ({', '.join(params)})")
        try:
            shapes[name] = tuple(int(d) for d in dims.strip().split("x")) if dims.strip() not in ("", "()") else ()
        except ValueError:
            raise CommandError(f"--shapes: {dims!r} is not a shape like 3 or 2x3") from None
    return [rng.uniform(0.5, 1.5, size=shapes[p]) if shapes.get(p) else float(rng.uniform(0.5, 1.5))
            for p in params]


def example_arguments(f, opts) -> list | None:
    """The arguments --args or --shapes give, else None (then show uses floats)."""
    if getattr(opts, "values", None):  # `show FILE:FUNC 1.0 '[2.0, 3.0]'`: one literal per argument
        if opts.args is not None:
            raise CommandError("give the example arguments once: after FILE.py:FUNC or with --args")
        opts.args = ",".join(opts.values)
    if opts.args is not None and opts.shapes is not None:
        raise CommandError("give --args or --shapes, not both")
    params = _required_params(f)
    if opts.args is not None:
        values = parse_args_option(opts.args)
        if len(values) != len(params):
            raise CommandError(f"--args gives {len(values)} values; {f.__name__} takes {len(params)} "
                               f"({', '.join(params)})")
        return values
    if opts.shapes is not None:
        return parse_shapes_option(opts.shapes, params)
    return None


def _required_params(f) -> list[str]:
    return [p.name for p in inspect.signature(f).parameters.values() if p.default is inspect.Parameter.empty]


def parse_wrt(text: str | None, f):
    """``--wrt x,y`` or ``--wrt 0,1``: a name or position, or a tuple of them; None when absent."""
    if text is None:
        return None
    params = list(inspect.signature(f).parameters)
    items = [t.strip() for t in text.split(",") if t.strip()]
    if not items:
        raise CommandError("--wrt needs parameter names or positions, e.g. --wrt x,y")
    out = []
    for item in items:
        if item.lstrip("-").isdigit() and -len(params) <= int(item) < len(params):
            out.append(int(item))
        elif item in params:
            out.append(item)
        else:
            raise CommandError(f"--wrt: {f.__name__} has no parameter {item!r}; its parameters are {', '.join(params)}")
    return tuple(out) if len(out) > 1 else out[0]


# ---- commands ----------------------------------------------------------------------------------

def run_show(opts) -> int:
    f = load_function(opts.target)
    if opts.ssa:
        print(sourcead.ssa(f))
        return 0
    f, wrt = _plain(f, parse_wrt(opts.wrt, _plain(f, None)[0]))
    args = example_arguments(f, opts)
    standalone = "inline" if opts.inline else opts.standalone
    if opts.mode == "hessian":
        text = hessian_source(f, 0 if wrt is None else wrt, float_arguments(f)[0] if args is None else args,
                              standalone)
    elif opts.stages:
        text = _stages(f, wrt, opts.mode, float_arguments(f)[0] if args is None else args)
    elif opts.mode == "grad":
        df = sourcead.grad(f, wrt=0 if wrt is None else wrt)
        text = sourcead.source(df, *(args or ()), standalone=standalone)
    else:  # a plain function's source needs example arguments: floats unless given
        text = sourcead.source(f, *(float_arguments(f)[0] if args is None else args), mode=opts.mode, wrt=wrt,
                               standalone=standalone)
    print_source(text)
    return 0


def _stages(f, wrt, mode, args) -> str:
    """Every stage's output for the derivative `show` would print, one after the other."""
    forms = sourcead.stages(f, *args, mode=mode, wrt=0 if wrt is None and mode == "grad" else wrt)
    return "".join(f"---- after {stage} ----\n{text.rstrip()}\n" for stage, text in forms)


def hessian_source(f, wrt, args, standalone=False) -> str:
    """The program `sourcead.hessian` runs: forward mode over the gradient (one pass per column)."""

    g = sourcead.grad(f, wrt=wrt)
    primals = g.prepare(g.bound.args(list(args), {}))
    derived = cache.derived(g.f, g.chain + (("jvp", g.wrt),), cache.kinds(g.f, primals))
    return standalone_source(derived, inline=standalone == "inline") if standalone else derived.source


def _plain(f, wrt):
    """A function decorated with @sourcead.grad stands for its plain function and its wrt."""
    if isinstance(f, sourcead.Derivative) and len(f.chain) == 1:
        return f.f, (f.wrt if f.several else f.wrt[0]) if wrt is None else wrt
    return f, wrt


def run_check(opts) -> int:
    f = load_function(opts.target)
    f, wrt = _plain(f, parse_wrt(opts.wrt, _plain(f, None)[0]))
    args = example_arguments(f, opts)
    if args is None:
        args = parse_shapes_option("", _required_params(f))
    if wrt is None:  # every argument given as a float or a float array
        positions = [i for i, a in enumerate(args) if isinstance(a, (float, np.ndarray))]
        if not positions:
            raise CommandError("no float argument to check; pass --wrt or float --args")
        wrt = tuple(positions) if len(positions) > 1 else positions[0]
    try:
        report = sourcead.check_grad(f, *args, wrt=wrt, eps=opts.eps, rtol=opts.rtol, atol=opts.atol)
    except sourcead.SourceADError:
        raise
    except Exception as err:  # the user's function raised on these arguments
        print(f"sourcead: error: {f.__name__} raised {type(err).__name__}: {err} "
              "(try other --args or --shapes)", file=sys.stderr)
        return EXIT_FAILED
    print(report)
    return 0 if report.ok else EXIT_FAILED


def run_demo(opts=None) -> int:
    return demo_run()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="sourcead", description="Differentiate Python/NumPy functions by source "
                     "transformation and print the generated derivatives.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    show = sub.add_parser("show", help="print the generated derivative of FILE.py:FUNC",
                          description="Print the derivative sourcead generates for a function in a file.")
    _common(show)
    show.add_argument("--mode", choices=("grad", "jvp", "vjp", "hessian"), default="grad",
                      help="reverse mode (grad, the default), forward mode (jvp), a pullback (vjp), "
                           "or forward over reverse (hessian)")
    show.add_argument("--ssa", action="store_true", help="print the function's SSA IR instead")
    show.add_argument("--stages", action="store_true",
                      help="print the function after every stage of the compiler, ending with the derivative")
    show.add_argument("--standalone", action="store_true",
                      help="print a module that runs on its own (imports of what it uses)")
    show.add_argument("--inline", action="store_true",
                      help="with --standalone: copy sourcead's helpers in, so the module needs only NumPy")
    show.set_defaults(run=run_show)
    check = sub.add_parser("check", help="compare FILE.py:FUNC's gradient with finite differences",
                           description="Check the gradient sourcead generates against central finite "
                                       "differences and print a table per argument; exit 1 on a mismatch.")
    _common(check)
    check.add_argument("--eps", type=float, default=1e-6, help="relative step of the differences (1e-6)")
    check.add_argument("--rtol", type=float, default=1e-5, help="relative tolerance (1e-5)")
    check.add_argument("--atol", type=float, default=1e-7, help="absolute tolerance (1e-7)")
    check.set_defaults(run=run_check)
    demo = sub.add_parser("demo", help="differentiate the seed examples and print the generated code",
                          description="Differentiate the seed examples, print each derivative's source "
                                      "and compare it with finite differences.")
    demo.set_defaults(run=run_demo)
    return parser


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("target", metavar="FILE.py:FUNC", help="the file and the function in it")
    p.add_argument("values", nargs="*", metavar="ARG", help="example arguments, one Python literal each "
                   "(the same as --args)")
    p.add_argument("--wrt", metavar="x,y", help="parameters to differentiate with respect to "
                   "(names or positions; default: the first for show, every float for check)")
    p.add_argument("--args", metavar="1.0,[2.0,3.0]", help="example arguments, Python literals separated by "
                   "commas; a list is a float array")
    p.add_argument("--shapes", metavar="x=3,y=2x3", help="random example arguments of these shapes "
                   "(NAME= for a float); unnamed parameters are floats")


def main(argv=None) -> int:
    parser = build_parser()
    try:
        opts = parser.parse_args(argv)
        if opts.command is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        if getattr(opts, "inline", False) and not opts.standalone:
            raise CommandError("--inline goes with --standalone")
        return opts.run(opts)
    except CommandError as err:
        print(f"sourcead: error: {err}", file=sys.stderr)
        return EXIT_USAGE
    except sourcead.UsageError as err:
        print(f"sourcead: error: {err.message}" + (f" (hint: {err.hint})" if err.hint else ""), file=sys.stderr)
        return EXIT_USAGE
    except sourcead.SourceADError as err:
        print(err, file=sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
