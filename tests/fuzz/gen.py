"""A hypothesis strategy that generates small, smooth Python programs for sourcead to differentiate.

`programs()` draws a `Program`: the source text of a module holding `f` (and sometimes a helper
`h` that `f` calls), the kind of program ("scalar": ``f(x, y)`` of two floats; "array":
``f(a, x)`` of a float array of shape (3,) and a float; "seq": ``f(xs, y)`` of a list or a tuple
of three floats and a float; "seqarray": ``f(bs, x)`` of a list of two arrays of shape (3,) and a
float), and the test point.

Containers (kinds "seq" and "seqarray"): lists and tuples are built (literals), joined (``a + b``),
repeated (``s * 2``, ``3 * s``), sliced (``s[1:]``, ``s[:2]``, ``s[-2:]``, ``s[::-1]``), indexed
(constant and negative indices, ``s[i % len(s)]``), unpacked (``p, q = s``), measured (``len``),
iterated (``for v in s``, ``enumerate(s)``) and grown in loops (``hs = hs + [h]``, a loop-carried
list), in loops and branches, passed to the helper and returned by it; f may return a pair or a
list. Expressions may also read a dict literal by key (``{'p': a, 'q': b}['q']``, ``.get``) and sum a
generator or index a list comprehension. The generator tracks each sequence's length (exact, or a lower bound once a loop may have
grown it) so that indices and unpackings stay in range; a name is rebound only to a sequence at least as
long, so a bound known before a loop holds inside it. Now and then (``unsupported_percent``, at
most once a program, never in the helper) f holds a construct sourcead refuses: a set,
a write ``l[0][0] = v`` or a complex literal; `Program.refused_lines` names its line, where the test
expects the refusal to be located.

Mutation (`Options.mutation`, in f, never in the helper): arrays are preallocated (``np.zeros(3)``,
``np.ones(3)``, ``np.zeros_like(a)``, ``a.copy()``, ``(expr).copy()``), sometimes filled in a loop
(``for i in range(3): o[i] = ...``), and any array (arguments included) is written by element
(constant, negative or loop index ``o[i % 3]``), slice (``o[1:]``, ``o[::2]``, ``o[::-1]``, with a
number or a slice of an array expression) or mask (``o[o > 0.5]``), with ``=``, ``+=``, ``-=`` and
``*=``, in loops and branches; ``z = y`` binds an alias and one of the two names is written
(both are read later); ``hd = y[:2]`` (``[1:]``, ``[::2]``, ``[::-1]``, ``[:]``) takes a view written
through (``hd[0] += v``, ``hd[:] = v``), y read later; lists (the argument too) grow by
``.append``, ``.extend``, ``.insert`` and shrink by ``v = l.pop()`` (never in a loop, so that a
length known before a loop holds in it), never inside a loop over a list (it could grow the list it
iterates, forever); a dict is built, its keys written (``d['q'] = v``,
``d['p'] += v``) and read.

The generated code stays inside the subset sourcead documents as supported (arithmetic, ``**``
with small integer exponents, np/math elementwise functions, np.sum/np.mean, indexing reads,
tuple and augmented assignment, if/elif/else, conditional expressions, and/or/not, ``for`` over
``range``, counted and data-dependent ``while``, break/continue/return inside loops and branches,
calls to a helper defined in the same file) and is smooth away from branch switches and kinks:
divisions are by expressions bounded away from zero, ``np.exp`` only of a bounded argument. The
test decides whether a point is too close to a switch by comparing finite differences with two
step sizes.

Variables are defined on every path, except deliberately: a name bound in only one branch of an
``if`` or only inside a loop body may be read afterwards (rarely); then the primal may raise
UnboundLocalError, and sourcead must raise it too.

`Options` switches off patterns that expose known sourcead bugs, so the default-budget test
stays green while the lead engineer fixes them; each switch names its bug.
"""

from __future__ import annotations

import contextlib
import dataclasses

import hypothesis.strategies as st
import numpy as np

SCALAR, ARRAY, INT = "s", "a", "i"
PAIR = "pair"  # a helper's result: a tuple of two scalars

CONSTS = ("0.5", "1.5", "2.0", "0.25", "3.0", "0.9", "1.0")

SEQ_KINDS = ("seq", "seqarray")  # f(xs, y): xs a list or tuple of 3 floats; f(bs, x): a list of 2 arrays


def seq_type(container: str, elem: str, n: int, exact: bool = True) -> str:
    """The type of a list ("L") or tuple ("T") of `elem` values: its length n, or at least n."""
    return f"{container}{elem}{n}{'' if exact else '+'}"


def parse_seq(typ: str):
    """(container, elem, length, exact) for a sequence type, else None."""
    if not typ or typ[0] not in "LT" or len(typ) < 3:
        return None
    return typ[0], typ[1], int(typ[2:].rstrip("+")), not typ.endswith("+")


def loosened(typ: str) -> str:
    """A sequence type whose length may grow (inside a loop): its length becomes a lower bound."""
    c, e, n, _ = parse_seq(typ)
    return seq_type(c, e, n, False)


def _join(ta: str, tb: str):
    """The type of a name bound as ta on one path and tb on another, or None if unusable."""
    if ta == tb:
        return ta
    pa, pb = parse_seq(ta), parse_seq(tb)
    if pa and pb and pa[:2] == pb[:2]:
        return seq_type(pa[0], pa[1], min(pa[2], pb[2]), pa[2] == pb[2] and pa[3] and pb[3])
    return None


@dataclasses.dataclass(frozen=True)
class Options:
    # Bug 1 (see tests/api/test_fuzz.py): `c = b; c += e` on arrays mutates b in place in Python, but
    # sourcead desugars `c += e` to `c = c + e`, so its derivative ignores the aliasing.
    array_augassign: bool = True  # fixed: refused at run time when the array is shared
    # Bug 2: a name bound on some paths only, read in a conditionally evaluated part of an
    # expression (the right operand of `and`/`or`, also of a chained comparison, which desugars to
    # `and`; an arm of `a if c else b`) and read again later: InternalError "the IR after stage
    # to_ssa is malformed: %v is used by yield/Call but not defined in scope", at every point.
    maybe_unbound_in_conditional: bool = True  # fixed
    # Bug 3: a name first bound inside an `if` on some of its paths, where the `if` holds a
    # `return` (at any depth), is refused as "read before it is assigned" (UnboundNameError at
    # compile time) when read after the `if`, although Python binds it on the path taken.
    maybe_bound_by_if_with_return: bool = True  # fixed
    allow_maybe_unbound: bool = True
    # Bug 6 (tests/api/test_fuzz_regressions.py), fixed: `e += v` where the array e is also held in
    # a list (`e = bs[0]`, `for e in bs`) changes the list's array in place; the run-time check of
    # bug 1 now looks inside lists and tuples too, and refuses it.
    array_augassign_in_containers: bool = True
    # programs over lists and tuples (kinds "seq" and "seqarray"), and how often (per statement,
    # at most once a program) they hold a construct sourcead must refuse with a located error
    containers: bool = True
    # mutation: arrays preallocated and written (elements, slices, masks; =, +=, *=), aliases and
    # views written through, list append/extend/insert/pop, dict keys written
    mutation: bool = True
    unsupported_percent: int = 2


@dataclasses.dataclass
class Program:
    source: str
    kind: str  # "scalar" | "array"
    args: tuple
    ret: str  # SCALAR | ARRAY
    # "loop_in_if": a for/while inside an if (bug 4: grad(grad(f)) drops the cotangent of values
    # the inner loop pushed on the tape, so the test skips its grad(grad) check by default)
    features: frozenset = frozenset()
    # lines holding a construct sourcead must refuse (a set, l[0][0] = v, a complex
    # literal): the expected outcome is a located refusal, not a number
    refused_lines: tuple = ()
    container: str = "L"  # "seq" kinds: the first argument is a list (L) or a tuple (T)


class _Env:
    """Variable name -> type, split into names bound on every path and names bound on some."""

    def __init__(self, sure=None, maybe=None):
        self.sure = dict(sure or {})
        self.maybe = dict(maybe or {})

    def copy(self):
        return _Env(self.sure, self.maybe)

    def bind(self, name, typ):
        self.sure[name] = typ
        self.maybe.pop(name, None)

    def of_type(self, typ, sure=True):
        src = self.sure if sure else self.maybe
        return sorted(n for n, t in src.items() if t == typ)

    def seqs(self, elem=None, min_len=0, container=None, exact=False):
        """Names bound on every path to a sequence (of `elem` values, at least min_len long)."""
        out = []
        for name, typ in sorted(self.sure.items()):
            p = parse_seq(typ)
            if p and (elem is None or p[1] == elem) and p[2] >= min_len and (container in (None, p[0])) \
                    and (p[3] or not exact):
                out.append(name)
        return out


def _after_loop(env: _Env, body: _Env):
    """After a loop: a sequence the body may have rebound keeps only its length as a lower bound."""
    for name, typ in list(env.sure.items()):
        if parse_seq(typ) and body.sure.get(name, body.maybe.get(name)) not in (typ, loosened(typ)):
            env.sure[name] = loosened(typ)


def _merge(a: _Env, b: _Env) -> _Env:
    """The environment after two paths join (an if's branches)."""
    out = _Env()
    for name in set(a.sure) | set(a.maybe) | set(b.sure) | set(b.maybe):
        ta = a.sure.get(name) or a.maybe.get(name)
        tb = b.sure.get(name) or b.maybe.get(name)
        typ = _join(ta, tb) if ta and tb else ta or tb
        if typ is None:
            continue  # a list on one path, a tuple on the other: not read afterwards
        if name in a.sure and name in b.sure:
            out.sure[name] = typ
        else:
            out.maybe[name] = typ
    return out


class _Gen:
    def __init__(self, draw, kind: str, opts: Options):
        self.draw = draw
        self.kind = kind
        self.opts = opts
        self.lines: list[str] = []
        self.fresh = 0
        self.helper = None  # (param types, return type) of h, if generated
        self.loop_depth = 0
        self.block_depth = 0
        self.ret = SCALAR
        self.n_stmts = 0
        self.in_conditional = 0
        self.in_helper = False
        self.helper_has_loop = False
        self.if_depth = 0
        self.n_returns = 0
        self.features = set()
        self.refused_lines: list[int] = []
        self.seq_loops = 0  # depth of `for` loops over a list or tuple

    # -- drawing ---------------------------------------------------------------------------

    def choice(self, seq):
        return self.draw(st.sampled_from(list(seq)))

    def integer(self, lo, hi):
        return self.draw(st.integers(lo, hi))

    def coin(self, p_true_percent=50):
        return self.draw(st.integers(0, 99)) < p_true_percent

    def new_name(self, prefix="v"):
        self.fresh += 1
        return f"{prefix}{self.fresh}"

    @contextlib.contextmanager
    def conditional(self):
        """Within: an expression that may not be evaluated (bug 2: no possibly-unbound names)."""
        self.in_conditional += 1
        try:
            yield
        finally:
            self.in_conditional -= 1

    # -- expressions -----------------------------------------------------------------------

    def leaf(self, env: _Env, typ: str) -> str:
        opts = []
        sure = env.of_type(typ)
        opts += [("var", n) for n in sure] * 2
        maybe = env.of_type(typ, sure=False)
        usable = self.opts.allow_maybe_unbound and (self.opts.maybe_unbound_in_conditional or not self.in_conditional)
        if usable and maybe and self.coin(6):
            return self.choice(maybe)  # deliberately: may be unbound on this path
        opts += [("item", n) for n in env.seqs(typ, 1)]
        if typ == SCALAR:
            opts += [("var", n) for n in env.of_type(INT)]
            opts += [("const", c) for c in CONSTS[:2]]
            arrays = env.of_type(ARRAY)
            if arrays:
                opts += [("index", n) for n in arrays]
        if not opts:
            return self.choice(CONSTS)
        what, val = self.choice(opts)
        if what == "item":
            n = parse_seq(env.sure[val])[2]
            return f"{val}[{self.integer(-n, n - 1)}]"
        if what == "index":
            return f"{val}[{self.integer(0, 2)}]"
        return val

    def expr(self, env: _Env, typ: str, depth: int = 2) -> str:
        if parse_seq(typ):
            return self.seq_expr(env, typ, depth)
        if typ == ARRAY and not env.of_type(ARRAY) and not env.of_type(ARRAY, sure=False):
            # an array expression needs an array to start from
            return f"({self.expr(env, SCALAR, depth)} * np.ones(3))"
        if depth <= 0 or self.coin(25):
            return self.leaf(env, typ)
        forms = ["bin", "bin", "bin", "div", "pow", "unary", "unary", "neg", "ifexp", "smooth", "minmax", "dict",
                 "comprehension"]
        if env.seqs(typ, 1) and env.of_type(INT):
            forms += ["seqloopindex"]
        if typ == SCALAR:
            forms += ["math"]
            if env.seqs():
                forms += ["len"]
            if env.of_type(ARRAY):
                forms += ["reduce", "reduce", "dot", "slice"]
                if env.of_type(INT):
                    forms += ["loopindex"]
        else:
            forms += ["mixed", "mixed", "reverse"]
        if self.helper is not None and self.helper[1] == typ:
            forms += ["call"]
        if self.helper is not None and self.helper[1] == PAIR and typ == SCALAR:
            forms += ["call0"]
        return self.render(env, typ, self.choice(forms), depth - 1)

    def render(self, env: _Env, typ: str, form: str, d: int) -> str:
        """An expression of type `typ` of the given form, its operands `d` deep."""
        if form in ("bin", "mixed", "div", "pow", "unary", "smooth"):
            return self.render_arithmetic(env, typ, form, d)
        return self.render_structure(env, typ, form, d)

    def render_arithmetic(self, env: _Env, typ: str, form: str, d: int) -> str:
        """Operators and elementwise functions."""
        if form == "bin":
            op = self.choice(["+", "-", "*"])
            return f"({self.expr(env, typ, d)} {op} {self.expr(env, typ, d)})"
        if form == "mixed":  # array op scalar, either order
            op = self.choice(["+", "-", "*"])
            a, s = self.expr(env, ARRAY, d), self.expr(env, SCALAR, d)
            return f"({a} {op} {s})" if self.coin() else f"({s} {op} {a})"
        if form == "div":
            num = self.expr(env, typ, d)
            wtyp = self.choice([SCALAR, typ])
            w = self.expr(env, wtyp, d)
            den = self.choice([f"(1.0 + {w} * {w})", f"(2.0 + np.cos({w}))", f"(1.5 + np.tanh({w}))"])
            return f"({num} / {den})"
        if form == "pow":
            return f"({self.expr(env, typ, d)} ** {self.choice([2, 3])})"
        if form == "unary":
            fn = self.choice(["np.sin", "np.cos", "np.tanh", "np.exp(np.tanh", "abs"])
            arg = self.expr(env, typ, d)
            if fn == "np.exp(np.tanh":
                return f"np.exp(np.tanh({arg}))"
            if fn == "abs":
                return f"abs({arg})" if typ == SCALAR and self.coin() else f"np.abs({arg})"
            return f"{fn}({arg})"
        if form == "smooth":
            e = self.expr(env, typ, d)
            if typ == SCALAR and self.coin(30):
                return self.choice([f"math.sqrt(1.0 + {e} * {e})", f"math.log(1.0 + {e} * {e})",
                                    f"math.exp(math.tanh({e}))"])
            return self.choice([f"np.sqrt(1.0 + {e} * {e})", f"np.log(1.0 + {e} * {e})", f"np.log1p({e} * {e})"])
        raise AssertionError(form)

    def render_structure(self, env: _Env, typ: str, form: str, d: int) -> str:
        """Containers, indexing, reductions, conditional expressions and calls."""
        if form == "dict":  # a dict literal read by a key it holds, or by one it lacks with a default
            a, b = self.expr(env, typ, d), self.expr(env, typ, d)
            if self.coin():
                return f"{{'p': {a}, 'q': {b}}}[{self.choice(['{q}', '{p}']).format(p=repr('p'), q=repr('q'))}]"
            return f"{{'p': {a}}}.get({self.choice(['{p}', '{r}']).format(p=repr('p'), r=repr('r'))}, {b})"
        if form == "comprehension":  # a generator summed, a list comprehension indexed
            e = self.expr(env, typ, d)
            if self.coin():
                return f"sum(c * {e} for c in (0.5, 1.5))"
            return f"[c * {e} for c in range(3) if c != 1][1]"
        if form == "minmax":
            fn = self.choice(["np.maximum", "np.minimum"])
            return f"{fn}({self.expr(env, typ, d)}, {self.expr(env, self.choice([SCALAR, typ]), d)})"
        if form == "slice":
            arr = self.choice(env.of_type(ARRAY))
            return f"{self.choice(['np.sum', 'np.mean'])}({arr}[{self.choice(['1:', ':2', '::2', '1:3'])}])"
        if form == "loopindex":
            arr = self.choice(env.of_type(ARRAY))
            return f"{arr}[{self.choice(env.of_type(INT))} % 3]"
        if form in ("seqloopindex", "len"):
            return self.from_seq(env, typ, form)
        if form == "reverse":
            return f"{self.expr(env, ARRAY, d)}[::-1]"
        if form == "call0":
            return f"{self.helper_call(env, d)}[{self.integer(0, 1)}]"
        if form == "neg":
            return f"(-{self.expr(env, typ, d)})"
        if form == "math":
            return f"{self.choice(['math.sin', 'math.cos', 'math.tanh'])}({self.expr(env, SCALAR, d)})"
        if form == "reduce":
            return f"{self.choice(['np.sum', 'np.mean'])}({self.expr(env, ARRAY, d)})"
        if form == "dot":
            return f"np.dot({self.expr(env, ARRAY, d)}, {self.expr(env, ARRAY, d)})"
        if form == "ifexp":
            with self.conditional():
                return f"({self.expr(env, typ, d)} if {self.cond(env, d)} else {self.expr(env, typ, d)})"
        if form == "call":
            return self.helper_call(env, d)
        raise AssertionError(form)

    def from_seq(self, env: _Env, typ: str, form: str) -> str:
        """A number or an array taken from a sequence: an item at a loop index, or its length."""
        if form == "len":
            return f"({self.choice(['0.25', '0.5'])} * len({self.choice(env.seqs())}))"
        seq = self.choice(env.seqs(typ, 1))
        return f"{seq}[{self.choice(env.of_type(INT))} % len({seq})]"

    def seq_expr(self, env: _Env, typ: str, depth: int) -> str:
        """An expression whose value is a list or tuple of exactly the length `typ` says."""
        c, e, n, _ = parse_seq(typ)
        forms = ["literal", "literal"]
        same = env.of_type(typ)
        longer = [m for m in env.seqs(e, n, c) if m not in same]
        if same:
            forms += ["var", "var", "var"]
        if longer:
            forms += ["head"]
        if depth > 0:
            forms += ["reverse"] + (["concat", "concat"] if n > 1 else []) + (["repeat"] if n in (2, 3, 4) else [])
            forms += ["tail"] if n < 4 else []
        if self.helper is not None and self.helper[1] == typ:
            forms += ["call"]
        form = self.choice(forms)
        d = depth - 1
        if form == "var":
            return self.choice(same)
        if form == "head":
            seq = self.choice(longer)
            return f"{seq}[:{n}]" if self.coin() else f"{seq}[-{n}:]"
        if form == "reverse":
            return f"{self.seq_expr(env, typ, d)}[::-1]"
        if form == "tail":
            return f"{self.seq_expr(env, seq_type(c, e, n + 1), d)}[1:]"
        if form == "concat":
            k = self.integer(1, n - 1)
            return f"({self.seq_expr(env, seq_type(c, e, k), d)} + {self.seq_expr(env, seq_type(c, e, n - k), d)})"
        if form == "repeat":
            k = 1 if n == 3 else n // 2
            part = self.seq_expr(env, seq_type(c, e, k), d)
            return f"({part} * {n // k})" if self.coin() else f"({n // k} * {part})"
        if form == "call":
            return self.helper_call(env, d)
        items = [self.expr(env, e, d) for _ in range(n)]
        if c == "L":
            return f"[{', '.join(items)}]"
        return f"({items[0]},)" if n == 1 else f"({', '.join(items)})"

    def helper_call(self, env: _Env, d: int) -> str:
        ptypes = self.helper[0]
        if self.helper_has_loop and (self.if_depth or self.n_returns or self.in_conditional or self.loop_depth):
            self.features.add("loop_in_if")  # h is inlined, so its loop lands inside an if
        if self.helper[2] and self.coin(30):
            return f"h({self.expr(env, ptypes[0], d)})"  # w takes its default
        if self.helper[2] and self.coin(30):
            return f"h({self.expr(env, ptypes[0], d)}, w={self.expr(env, ptypes[1], d)})"
        return f"h({', '.join(self.expr(env, t, d) for t in ptypes)})"

    def cond(self, env: _Env, depth: int = 1) -> str:
        forms = ["cmp", "cmp", "cmp", "const"]
        if env.of_type(INT):
            forms += ["int"]
        if depth > 0:
            forms += ["bool", "not", "chain"]
        form = self.choice(forms)
        if form == "cmp":
            op = self.choice(["<", ">", "<=", ">="])
            return f"{self.expr(env, SCALAR, depth)} {op} {self.expr(env, SCALAR, depth)}"
        if form == "const":
            op = self.choice(["<", ">"])
            return f"{self.expr(env, SCALAR, depth)} {op} {self.choice(['0.0', '0.5', '-0.5', '1.0'])}"
        if form == "chain":
            with self.conditional():
                return f"-0.5 < {self.expr(env, SCALAR, depth)} < {self.choice(['0.5', '1.5'])}"
        if form == "int":
            i = self.choice(env.of_type(INT))
            return self.choice([f"{i} == {self.integer(0, 3)}", f"{i} % 2 == 0", f"{i} >= {self.integer(1, 3)}"])
        if form == "bool":
            op = self.choice(["and", "or"])
            with self.conditional():
                return f"({self.cond(env, depth - 1)}) {op} ({self.cond(env, depth - 1)})"
        if form == "not":
            return f"not ({self.cond(env, depth - 1)})"
        raise AssertionError(form)

    # -- statements ------------------------------------------------------------------------

    def emit(self, indent: int, text: str):
        self.lines.append("    " * indent + text)

    def target(self, env: _Env, typ: str, reuse_percent: int) -> str:
        existing = env.of_type(typ)
        if existing and self.coin(reuse_percent):
            return self.choice(existing)
        return self.new_name("v" if typ == SCALAR else "b")

    def var_type(self):
        if self.kind in ("array", "seqarray") and self.coin(45):
            return ARRAY
        return SCALAR

    def assign(self, env: _Env, indent: int):
        typ = self.var_type()
        reuse = 65 if self.loop_depth else 35
        name = self.target(env, typ, reuse)
        if typ == SCALAR and name not in env.sure and not self.loop_depth and self.coin(15):
            self.emit(indent, f"{name} = {self.choice(['0', '1'])}")  # an int accumulator, floats later
        else:
            self.emit(indent, f"{name} = {self.expr(env, typ)}")
        env.bind(name, typ)

    def tuple_assign(self, env: _Env, indent: int):
        t1, t2 = self.var_type(), self.var_type()
        n1 = self.target(env, t1, 50)
        n2 = self.target(env, t2, 50)
        if n1 == n2:
            n2 = self.new_name("v" if t2 == SCALAR else "b")
        if env.sure.get(n1) == env.sure.get(n2) == t1 and self.coin(30):
            self.emit(indent, f"{n1}, {n2} = {n2}, {n1}")  # a swap
        elif self.helper is not None and self.helper[1] == PAIR and t1 == t2 == SCALAR and self.coin(50):
            self.emit(indent, f"{n1}, {n2} = {self.helper_call(env, 1)}")
        else:
            self.emit(indent, f"{n1}, {n2} = {self.expr(env, t1)}, {self.expr(env, t2)}")
        env.bind(n1, t1)
        env.bind(n2, t2)

    def augassign(self, env: _Env, indent: int):
        typ = self.var_type()
        if typ == ARRAY and not self.opts.array_augassign:
            typ = SCALAR
        if typ == ARRAY and self.kind == "seqarray" and not self.opts.array_augassign_in_containers:
            typ = SCALAR  # bug 6
        existing = env.of_type(typ)
        if not existing:
            return self.assign(env, indent)
        name = self.choice(existing)
        op = self.choice(["+=", "-=", "*="])
        rtyp = SCALAR if typ == SCALAR else self.choice([SCALAR, ARRAY])
        rhs = self.expr(env, rtyp, 1)
        if op == "*=":
            rhs = f"np.tanh({rhs})" if self.coin() else f"(1.0 + 0.5 * np.sin({rhs}))"
        self.emit(indent, f"{name} {op} {rhs}")

    def ret_expr(self, env: _Env) -> str:
        return self.helper_ret(env, self.ret)

    # -- lists and tuples ------------------------------------------------------------------

    def seq_assign(self, env: _Env, indent: int):
        """``l = <a list or tuple expression>``; an existing name is rebound only to a value at
        least as long (so a length known before a loop stays a lower bound inside it)."""
        c = self.choice("LT")
        e = self.var_type()
        n = self.choice([1, 2, 2, 3, 3, 4])
        typ = seq_type(c, e, n)
        reuse = [m for m in env.seqs(e, 0, c) if parse_seq(env.sure[m])[2] <= n]
        name = self.choice(reuse) if reuse and self.coin(40) else self.new_name("l" if c == "L" else "t")
        self.emit(indent, f"{name} = {self.seq_expr(env, typ, 2)}")
        env.bind(name, typ)

    def seq_grow(self, env: _Env, indent: int):
        """``l = l + [v]`` (a loop-carried list when in a loop) or ``t = t + (v,)``."""
        name = self.choice(env.seqs())
        c, e, n, exact = parse_seq(env.sure[name])
        item = self.expr(env, e, 1)
        if self.coin(30):
            more = self.seq_expr(env, seq_type(c, e, 1), 1)
        else:
            more = f"[{item}]" if c == "L" else f"({item},)"
        self.emit(indent, f"{name} = {name} + {more}" if self.coin(80) else f"{name} = {more} + {name}")
        env.bind(name, seq_type(c, e, n + 1, exact))

    def seq_unpack(self, env: _Env, indent: int):
        """``p, q = l`` of a sequence whose length is known."""
        name = self.choice(env.seqs(exact=True, min_len=2))
        _, e, n, _ = parse_seq(env.sure[name])
        if n > 3:
            name, n = f"{name}[:3]", 3
        targets = []
        for _ in range(n):
            t = self.target(env, e, 30)
            targets.append(t if t not in targets else self.new_name("v" if e == SCALAR else "b"))
        self.emit(indent, f"{', '.join(targets)} = {name}")
        for t in targets:
            env.bind(t, e)

   # -- mutation --------------------------------------------------------------------------

    def mutation_forms(self, env: _Env) -> list:
        """The mutating statements this point of the program can hold (none in the helper)."""
        if not self.opts.mutation or self.in_helper:
            return []
        forms = ["prealloc", "dictw"]
        if env.of_type(ARRAY):
            forms += ["write", "write", "write", "alias", "alias", "view"]
        if [n for n in env.seqs() if env.sure[n][0] == "L"] and not self.seq_loops:
            forms += ["listmut", "listmut"]  # (never in a loop over a list: it might grow what it iterates)
        return forms

    def mutation(self, env: _Env, indent: int, form: str):
        if form == "prealloc":
            self.prealloc(env, indent)
        elif form == "write":
            self.array_write(env, indent, self.choice(env.of_type(ARRAY)))
        elif form == "alias":
            self.alias(env, indent)
        elif form == "view":
            self.view_write(env, indent)
        elif form == "listmut":
            self.list_mutation(env, indent)
        else:
            self.dict_write(env, indent)

    def prealloc(self, env: _Env, indent: int):
        """``o = np.zeros(3)`` / ``np.zeros_like(a)`` / ``a.copy()``, sometimes filled in a loop."""
        name = self.new_name("o")
        arrays = env.of_type(ARRAY)
        forms = ["np.zeros(3)", "np.ones(3)"] + (["zeros_like", "copy", "copy"] if arrays else [])
        form = self.choice(forms)
        if form == "zeros_like":
            init = f"np.zeros_like({self.choice(arrays)})"
        elif form == "copy":
            init = f"{self.choice(arrays)}.copy()" if self.coin(60) else f"({self.expr(env, ARRAY, 1)}).copy()"
        else:
            init = form
        self.emit(indent, f"{name} = {init}")
        env.bind(name, ARRAY)
        if self.coin(50):  # a fill loop: o[i] = ... (or +=, *=) for each element
            i = self.new_name("i")
            self.emit(indent, f"for {i} in range({self.choice(['3', '1, 3', '2'])}):")
            inner = env.copy()
            inner.bind(i, INT)
            self.array_write(inner, indent + 1, name, index=f"{i}")
            if self.coin(30):
                self.array_write(inner, indent + 1, name)

    def _rhs(self, env: _Env, typ: str, op: str) -> str:
        rhs = self.expr(env, typ, 1)
        if op == "*=":  # a bounded factor
            return f"np.tanh({rhs})" if self.coin() else f"(1.0 + 0.5 * np.sin({rhs}))"
        return rhs

    def array_write(self, env: _Env, indent: int, name: str, index: str | None = None):
        """``name[k] op v``: an element (constant, negative or loop index), a slice or a mask."""
        op = self.choice(["=", "=", "+=", "*=", "-="])
        ints = env.of_type(INT)
        if index is None:
            form = self.choice(["elem", "elem", "slice", "slice", "mask"] + (["loop"] * 2 if ints else []))
        else:
            form = "given"
        if form in ("elem", "loop", "given"):
            idx = index or (f"{self.choice(ints)} % 3" if form == "loop" else str(self.integer(-3, 2)))
            self.emit(indent, f"{name}[{idx}] {op} {self._rhs(env, SCALAR, op)}")
        elif form == "slice":
            sl = self.choice(["1:", ":2", "::2", "1:3", ":", "::-1"])
            if self.coin(50):
                rhs = self._rhs(env, SCALAR, op)
            else:
                rhs = f"({self._rhs(env, ARRAY, op)})[{sl}]"
            self.emit(indent, f"{name}[{sl}] {op} {rhs}")
        else:
            mask = self.choice([f"{name} > {self.choice(['0.0', '0.5', '-0.5'])}",
                                f"{self.expr(env, ARRAY, 1)} < {self.choice(['0.0', '0.5'])}"])
            self.emit(indent, f"{name}[{mask}] {op} {self._rhs(env, SCALAR, op)}")

    def alias(self, env: _Env, indent: int):
        """``z = y``, then a write through one of the names (the other one is read later)."""
        y = self.choice(env.of_type(ARRAY))
        z = self.new_name("z")
        self.emit(indent, f"{z} = {y}")
        env.bind(z, ARRAY)
        self.array_write(env, indent, self.choice([y, z]))

    def view_write(self, env: _Env, indent: int):
        """A basic-index view, written through: ``hd = y[:2]; hd[0] += v`` (y sees it)."""
        y = self.choice(env.of_type(ARRAY))
        hd = self.new_name("hd")
        sl, n = self.choice([(":2", 2), ("1:", 2), ("::2", 2), ("::-1", 3), (":", 3)])
        self.emit(indent, f"{hd} = {y}[{sl}]")
        op = self.choice(["=", "+=", "*="])
        if self.coin(60):
            self.emit(indent, f"{hd}[{self.integer(-n, n - 1)}] {op} {self._rhs(env, SCALAR, op)}")
        else:
            self.emit(indent, f"{hd}[:] {op} {self._rhs(env, SCALAR, op)}")
        if n == 3:
            env.bind(hd, ARRAY)  # a view of the same shape: an array like any other

    def list_mutation(self, env: _Env, indent: int):
        """``l.append(v)``, ``l.extend([v, w])``, ``l.insert(k, v)``, ``v = l.pop()`` on a list."""
        name = self.choice([n for n in env.seqs() if env.sure[n][0] == "L"])
        c, e, n, exact = parse_seq(env.sure[name])
        forms = ["append", "append", "extend", "insert"] + (["pop"] if n >= 2 and not self.loop_depth else [])
        form = self.choice(forms)
        if form == "append":
            self.emit(indent, f"{name}.append({self.expr(env, e, 1)})")
            n += 1
        elif form == "extend":
            self.emit(indent, f"{name}.extend([{self.expr(env, e, 1)}, {self.expr(env, e, 1)}])")
            n += 2
        elif form == "insert":
            self.emit(indent, f"{name}.insert({self.integer(-1, 1)}, {self.expr(env, e, 1)})")
            n += 1
        else:  # (not in a loop: a length known before the loop must hold in it)
            v = self.new_name("v" if e == SCALAR else "b")
            at = self.choice(["", "0", "-1"])
            self.emit(indent, f"{v} = {name}.pop({at})")
            n -= 1
            env.bind(v, e)
        env.bind(name, seq_type(c, e, n, exact))

    def dict_write(self, env: _Env, indent: int):
        """A dict built, its keys written (``d['q'] = v``, ``d['p'] += v``), then read."""
        d = self.new_name("d")
        v = self.new_name("v")
        self.emit(indent, f"{d} = {{'p': {self.expr(env, SCALAR, 1)}}}")
        self.emit(indent, f"{d}['q'] = {self.expr(env, SCALAR, 1)}")
        if self.coin(50):
            op = self.choice(["=", "+=", "*="])
            self.emit(indent, f"{d}[{self.choice(['{p}', '{q}']).format(p=repr('p'), q=repr('q'))}] {op} "
                              f"{self._rhs(env, SCALAR, op)}")
        self.emit(indent, f"{v} = {d}['p'] * {d}['q']")
        env.bind(v, SCALAR)

    def unsupported(self, env: _Env, indent: int):
        """A construct sourcead refuses (a set, a write into a nested element): the test expects a
        located refusal; or the real part of a complex product, which it differentiates."""
        form = self.choice(["set", "nested_write", "complex"])
        v = self.new_name("v")
        if form == "set":
            self.emit(indent, f"{v} = min({{{self.expr(env, SCALAR, 1)}, {self.expr(env, SCALAR, 1)}}})")
        elif form == "complex":  # (supported since complex numbers are: differentiated, not refused)
            self.emit(indent, f"{v} = ({self.expr(env, SCALAR, 1)} * (1.0 + 0.5j)).real")
            env.bind(v, SCALAR)
            return
        else:
            lst = self.new_name("l")
            self.emit(indent, f"{lst} = [{self.expr(env, SCALAR, 1)}]")
            self.emit(indent, f"{lst}[0][0] = {self.expr(env, SCALAR, 1)}")
            env.bind(lst, seq_type("L", SCALAR, 1))
            self.emit(indent, f"{v} = {lst}[0]")
        self.refused_lines.append(len(self.lines) - (1 if form != "nested_write" else 2) + 1)
        env.bind(v, SCALAR)

    def block(self, env: _Env, indent: int, n_min=1, n_max=3, tail=True):
        n = self.integer(n_min, n_max)
        for _ in range(n):
            self.stmt(env, indent)
        if self.loop_depth and tail and self.coin(30):
            self.loop_exit(env, indent)

    def loop_exit(self, env: _Env, indent: int):
        self.emit(indent, f"if {self.cond(env)}:")
        what = self.choice(["break", "continue", "return"])
        self.n_returns += 1  # (counts break and continue too: every statement that ends a path)
        if what == "return":
            self.emit(indent + 1, f"return {self.ret_expr(env)}")
        else:
            self.emit(indent + 1, what)

    def stmt(self, env: _Env, indent: int):
        self.n_stmts += 1
        forms = ["assign"] * 5 + ["tuple", "aug", "aug"]
        if self.block_depth < 2 and self.n_stmts < 14:
            forms += ["if", "if", "for", "for", "while"]
        if self.block_depth < 2:
            forms += ["early_return"]
        if self.kind in SEQ_KINDS:
            forms += ["seq", "seq"] + (["grow"] * (4 if self.loop_depth else 1) if env.seqs() else [])
            forms += ["unpack"] if env.seqs(exact=True, min_len=2) else []
        forms += self.mutation_forms(env)
        if self.kind in SEQ_KINDS:
            if not self.refused_lines and not self.in_helper and not self.coin(100 - self.opts.unsupported_percent):
                # (not coin(97): hypothesis favours small draws, and coin(3) would be true too often)
                forms = ["unsupported"]
        form = self.choice(forms)
        if form == "assign":
            self.assign(env, indent)
        elif form == "tuple":
            self.tuple_assign(env, indent)
        elif form == "aug":
            self.augassign(env, indent)
        elif form == "early_return":
            self.n_returns += 1
            self.emit(indent, f"if {self.cond(env)}:")
            self.emit(indent + 1, f"return {self.ret_expr(env)}")
        elif form == "if":
            self.if_stmt(env, indent)
        elif form == "for":
            self.for_stmt(env, indent)
        elif form == "while":
            self.while_stmt(env, indent)
        elif form == "seq":
            self.seq_assign(env, indent)
        elif form == "grow":
            self.seq_grow(env, indent)
        elif form == "unpack":
            self.seq_unpack(env, indent)
        elif form == "unsupported":
            self.unsupported(env, indent)
        else:
            self.mutation(env, indent, form)

    def if_stmt(self, env: _Env, indent: int):
        self.block_depth += 1
        self.if_depth += 1
        returns_before = self.n_returns
        before = set(env.sure) | set(env.maybe)
        self.emit(indent, f"if {self.cond(env)}:")
        then_env = env.copy()
        self.block(then_env, indent + 1)
        envs = [then_env]
        if self.coin(20):
            self.emit(indent, f"elif {self.cond(env)}:")
            e = env.copy()
            self.block(e, indent + 1)
            envs.append(e)
        if self.coin(75):
            self.emit(indent, "else:")
            e = env.copy()
            self.block(e, indent + 1)
            envs.append(e)
        else:
            envs.append(env.copy())
        merged = envs[0]
        for e in envs[1:]:
            merged = _merge(merged, e)
        if self.n_returns > returns_before and not self.opts.maybe_bound_by_if_with_return:
            # bug 3: forget the names this if binds on some paths only
            merged.maybe = {n: t for n, t in merged.maybe.items() if n in before}
        env.sure, env.maybe = merged.sure, merged.maybe
        self.block_depth -= 1
        self.if_depth -= 1

    def _loop_body(self, env: _Env, indent: int, counter: str | None = None):
        if self.if_depth or self.n_returns:
            # inside an if, or after a return (the lowering moves what follows a return into the
            # fall-through branch of an if)
            self.features.add("loop_in_if")
        if self.in_helper:
            self.helper_has_loop = True
        body = env.copy()
        for name, typ in body.sure.items():
            if parse_seq(typ):
                body.sure[name] = loosened(typ)  # the length may grow from one trip to the next
        self.loop_depth += 1
        self.block_depth += 1
        if counter is not None:
            self.emit(indent, f"{counter} += 1")
        self.block(body, indent)
        self.loop_depth -= 1
        self.block_depth -= 1
        _after_loop(env, body)
        # names first bound in the body may be unbound after the loop (zero trips, or a break)
        for name, typ in body.sure.items():
            if name not in env.sure:
                env.maybe[name] = typ
        for name, typ in body.maybe.items():
            if name not in env.sure:
                env.maybe[name] = typ

    def for_stmt(self, env: _Env, indent: int):
        i = self.new_name("i")
        inner = env.copy()
        arrays = env.of_type(ARRAY)
        seqs = env.seqs()
        form = self.choice(["range"] * 4 + (["elements", "enumerate", "zip"] if arrays else [])
                           + (["seq", "seq", "seqenum"] if seqs else []))
        if form in ("seq", "seqenum"):
            seq = self.choice(seqs)
            e = self.new_name("e")
            if form == "seq":
                self.emit(indent, f"for {e} in {seq}:")
            else:
                self.emit(indent, f"for {i}, {e} in enumerate({seq}):")
                inner.bind(i, INT)
            inner.bind(e, parse_seq(env.sure[seq])[1])
        elif form == "range":
            k = self.integer(0, 4)
            rng = f"range({k})" if self.coin(80) else f"range(1, {k + 1})"
            self.emit(indent, f"for {i} in {rng}:")
            inner.bind(i, INT)
        elif form == "elements":
            e = self.new_name("e")
            self.emit(indent, f"for {e} in {self.choice(arrays)}:")
            inner.bind(e, SCALAR)
        elif form == "enumerate":
            e = self.new_name("e")
            self.emit(indent, f"for {i}, {e} in enumerate({self.choice(arrays)}):")
            inner.bind(i, INT)
            inner.bind(e, SCALAR)
        else:
            e, e2 = self.new_name("e"), self.new_name("e")
            self.emit(indent, f"for {e}, {e2} in zip({self.choice(arrays)}, {self.expr(env, ARRAY, 1)}):")
            inner.bind(e, SCALAR)
            inner.bind(e2, SCALAR)
        self.seq_loops += form in ("seq", "seqenum")
        self._loop_body(inner, indent + 1)
        self.seq_loops -= form in ("seq", "seqenum")
        self.loop_else(inner, indent)
        _after_loop(env, inner)
        for name, typ in inner.sure.items():
            if name not in env.sure:
                env.maybe[name] = typ
        env.maybe.update({n: t for n, t in inner.maybe.items() if n not in env.sure})
        # a value rebound in the loop keeps its type; nothing more to do for names already sure

    def while_stmt(self, env: _Env, indent: int):
        n = self.new_name("n")
        k = self.integer(0, 4)
        self.emit(indent, f"{n} = 0")
        env.bind(n, INT)
        if self.coin(35):
            with self.conditional():
                cond = f"{self.cond(env, 0)} and {n} < {k}"
        else:
            cond = f"{n} < {k}"
        self.emit(indent, f"while {cond}:")
        self._loop_body(env, indent + 1, counter=n)
        self.loop_else(env, indent)

    def loop_else(self, env: _Env, indent: int):
        """Sometimes an else clause (it runs when the loop ends without break)."""
        if not self.coin(15):
            return
        self.emit(indent, "else:")
        body = env.copy()
        self.block_depth += 1
        self.if_depth += 1  # the else clause runs under a condition (not broken)
        self.block(body, indent + 1, 1, 2, tail=False)
        self.if_depth -= 1
        self.block_depth -= 1
        for name, typ in body.sure.items():
            if name not in env.sure:
                env.maybe[name] = typ

    # -- the helper and the function -------------------------------------------------------

    def helper_fn(self):
        if self.kind == "scalar":
            ptypes = (SCALAR, SCALAR)
            rtyp = self.choice([SCALAR, SCALAR, PAIR])
        elif self.kind == "seq":  # a list or tuple parameter, a list or a pair result
            ptypes = self.choice([(SCALAR, SCALAR), ("Ls2", SCALAR), ("Ts2", SCALAR)])
            rtyp = self.choice([SCALAR, PAIR, "Ls2"])
        elif self.kind == "seqarray":
            ptypes = self.choice([(ARRAY, SCALAR), ("La2", SCALAR)])
            rtyp = self.choice([SCALAR, ARRAY, "La2"])
        else:
            ptypes = self.choice([(ARRAY, SCALAR), (SCALAR, SCALAR)])
            rtyp = self.choice([SCALAR, ARRAY]) if ARRAY in ptypes else SCALAR
        env = _Env({"u": ptypes[0], "w": ptypes[1]})
        default = ptypes[1] == SCALAR and self.coin(25)
        self.emit(0, "def h(u, w=0.5):" if default else "def h(u, w):")
        saved_ret, self.ret = self.ret, rtyp
        saved_kind = self.kind
        for _ in range(self.integer(0, 2)):
            form = self.choice(["assign", "assign", "if", "early_return", "for"])
            if form == "for":
                self.block_depth, self.n_stmts = 1, 99  # a plain loop, no nested blocks
                self.for_stmt(env, 1)
                self.block_depth, self.n_stmts = 0, 0
                continue
            if form == "assign":
                typ = self.choice(sorted(set(ptypes) | {SCALAR}))
                name = self.new_name("t")
                self.emit(1, f"{name} = {self.expr(env, typ)}")
                env.bind(name, typ)
            elif form == "early_return":
                self.n_returns += 1
                self.emit(1, f"if {self.cond(env, 0)}:")
                self.emit(2, f"return {self.ret_expr(env)}")
            else:
                self.block_depth = 1  # no loops in the helper: keep it small
                self.n_stmts = 99
                self.if_stmt(env, 1)
                self.block_depth = 0
                self.n_stmts = 0
        self.emit(1, f"return {self.ret_expr(env)}")
        self.emit(0, "")
        self.emit(0, "")
        self.ret, self.kind = saved_ret, saved_kind
        self.helper = (ptypes, rtyp, default)

    def helper_ret(self, env, rtyp):
        if rtyp == PAIR:
            return f"{self.expr(env, SCALAR)}, {self.expr(env, SCALAR)}"
        return self.expr(env, rtyp)

    def program(self):
        self.emit(0, "import math")
        self.emit(0, "")
        self.emit(0, "import numpy as np")
        self.emit(0, "")
        self.emit(0, "")
        if self.coin(30):
            self.in_helper = True
            self.helper_fn()
            self.in_helper = False
            self.n_returns = 0
        if self.kind == "scalar":
            params = {"x": SCALAR, "y": SCALAR}
            self.ret = SCALAR
        elif self.kind == "seq":
            params = {"xs": seq_type(self.container, SCALAR, 3), "y": SCALAR}
            self.ret = self.choice([SCALAR, SCALAR, PAIR, "Ls2"])
        elif self.kind == "seqarray":
            params = {"bs": seq_type(self.container, ARRAY, 2), "x": SCALAR}
            self.ret = self.choice([SCALAR, ARRAY, PAIR, "La2"])
        else:
            params = {"a": ARRAY, "x": SCALAR}
            self.ret = self.choice([SCALAR, ARRAY])
        self.emit(0, f"def f({', '.join(params)}):")
        env = _Env(params)
        for _ in range(self.integer(1, 6)):
            self.stmt(env, 1)
        self.emit(1, f"return {self.ret_expr(env)}")
        return "\n".join(self.lines) + "\n"


@st.composite
def programs(draw, opts: Options = Options()):
    kinds = ["scalar", "array"] + (["seq", "seqarray"] if opts.containers else [])
    kind = draw(st.sampled_from(kinds))
    gen = _Gen(draw, kind, opts)
    gen.container = draw(st.sampled_from("LT")) if kind == "seq" else "L"
    source = gen.program()
    # the point comes from a seed rather than from shrinkable floats, which hypothesis often draws
    # as their simplest value (0.0): points would pile up on ties such as x == y and kinks at 0
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    coords = [round(float(v), 4) for v in rng.uniform(-2.0, 2.0, size=4)]
    if kind == "scalar":
        args = (coords[0], coords[1])
    elif kind == "seq":  # the container itself is built by the test (gen.container: L or T)
        args = (tuple(coords[:3]), coords[3])
    elif kind == "seqarray":
        more = [round(float(v), 4) for v in rng.uniform(-2.0, 2.0, size=3)]
        args = ((tuple(coords[:3]), tuple(more)), coords[3])
    else:
        args = (tuple(coords[:3]), coords[3])
    return Program(source=source, kind=kind, args=args, ret=gen.ret, features=frozenset(gen.features),
                   container=gen.container, refused_lines=tuple(gen.refused_lines))
