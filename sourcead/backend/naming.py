"""naming: the one authority for every name in generated source.

Values: each SSA value gets a Python name derived from what the IR records it is: a version of the
user's variable `x` is `x`, the derivative (cotangent or tangent) of x is `dx`, a temporary is `t`,
and a temporary branch flag that the reverse sweep reads again is `cond`; values that are copies of each other (a loop's carried value and its
next value, a branch's result and the value it yields, `dx` and `dx + more`) share one name when
their live ranges do not overlap, so the code reads `b = b * 2` and `dx = dx + t` as a person
writes it. Values folded into the expression that uses them get no name at all.

Objects: a resolved object is printed the way the source spelled it when that spelling means the
same object inside the generated function (the user's `np.sin` stays `np.sin`); otherwise it gets a
name of its own, bound in the generated function's closure, that collides with nothing.

Nothing random or id-based is used, so the same input gives byte-identical source.
"""

from __future__ import annotations

import builtins
import keyword
import sys
import types

from ..ir.core import Call, Const, For, Function, If, Region, Var, While, operands, regions



def base_name(v: Var) -> str:
    """The name a value would like: its variable's, ``d`` + its primal's for a derivative, ``t``."""
    if v.of is not None:
        return "d" + (base_name(v.of) if isinstance(v.of, Var) else "out")
    return v.hint or "t"


# ---- live ranges ---------------------------------------------------------------------------------


class Ranges:
    """Linear positions of definitions and last uses, in emission order."""

    def __init__(self, fn: Function, folded: dict):
        self.folded = folded
        self.start: dict[Var, int] = {}
        self.end: dict[Var, int] = {}
        self.pos = 0
        for p in fn.param_vars:
            self.define(p)
        self.region(fn.body, [])

    def define(self, v: Var) -> None:
        if v in self.folded:
            return
        self.start[v] = self.pos
        self.end.setdefault(v, self.pos)

    def use(self, x, loops) -> None:
        if not isinstance(x, Var):
            return
        if x in self.folded:
            d = self.folded[x]
            if isinstance(d, If):
                for r in (d.then, d.orelse):
                    for st in r.body:
                        self.use(st.outs[0], loops)
                    for y in r.yields:
                        self.use(y, loops)
                self.use(d.cond, loops)
            else:
                for y in operands(d):
                    self.use(y, loops)
            return
        end = self.pos
        # A value defined outside a loop and read inside it lives through the whole loop.
        for loop_start, loop_vars in loops:
            if self.start.get(x, -1) < loop_start:
                loop_vars.add(x)
        self.end[x] = max(self.end.get(x, end), end)

    def region(self, region: Region, loops) -> None:
        self.pos += 1
        for p in region.params:
            self.define(p)
        for stmt in region.body:
            self.pos += 1
            if isinstance(stmt, Call):
                if stmt.outs and stmt.outs[0] in self.folded:
                    continue
                for x in operands(stmt):
                    self.use(x, loops)
                for v in stmt.outs:
                    self.define(v)
            elif isinstance(stmt, If):
                if stmt.outs and stmt.outs[0] in self.folded:
                    continue
                self.use(stmt.cond, loops)
                self.region(stmt.then, loops)
                self.region(stmt.orelse, loops)
                self.pos += 1
                for v in stmt.outs:
                    self.define(v)
            elif isinstance(stmt, (While, For)):
                for x in operands(stmt):
                    self.use(x, loops)
                start = self.pos
                inside: set[Var] = set()
                inner = loops + [(start, inside)]
                if isinstance(stmt, While):
                    self.region(stmt.cond, inner)
                self.region(stmt.body, inner)
                self.pos += 1
                for x in inside:
                    self.end[x] = max(self.end[x], self.pos)
                for v in stmt.outs:
                    self.define(v)
        self.pos += 1
        for y in region.yields:
            self.use(y, loops)

    def interferes(self, a: Var, b: Var) -> bool:
        sa, ea, sb, eb = self.start[a], self.end[a], self.start[b], self.end[b]
        if sa == sb:
            return True
        return sb < sa < eb or sa < sb < ea


# ---- value names ----------------------------------------------------------------------------------


class _Classes:
    def __init__(self, ranges: Ranges):
        self.ranges = ranges
        self.parent: dict[Var, Var] = {}
        self.members: dict[Var, list[Var]] = {}

    def find(self, v: Var) -> Var:
        root = v
        while self.parent.get(root, root) is not root:
            root = self.parent[root]
        if root not in self.members:
            self.members[root] = [root]
        return root

    def union(self, a, b, force=False) -> bool:
        if not (isinstance(a, Var) and isinstance(b, Var)):
            return False
        if a not in self.ranges.start or b not in self.ranges.start:
            return False
        ra, rb = self.find(a), self.find(b)
        if ra is rb:
            return True
        if not force and any(self.ranges.interferes(x, y) for x in self.members[ra] for y in self.members[rb]):
            return False
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return True


def value_names(fn: Function, folded: dict, reserved: set[str]) -> dict[Var, str]:
    ranges = Ranges(fn, folded)
    classes = _Classes(ranges)
    for a, b in _copies(fn.body, classes):
        classes.union(a, b)
    flags = _branch_flags(fn.body)
    # Name each class after its first-defined member, in order of definition.
    order = sorted(ranges.start, key=lambda v: ranges.start[v])
    names: dict[Var, str] = {}
    taken = set(reserved)
    for v in order:
        root = classes.find(v)
        if root in names:
            names[v] = names[root]
            continue
        base = _identifier("cond" if v in flags else base_name(v))
        name, i = base, 0
        while name in taken:
            i += 1
            name = f"{base}_{i}"
        taken.add(name)
        names[root] = name
        names[v] = name
    return names


def _copies(region: Region, classes: _Classes, pairs: list | None = None) -> list[tuple[Var, Var]]:
    """Pairs of values that are copies of each other and would share a name if their live ranges
    allow (``b = b * 2``; a branch's result and what it yields; a loop's result and what enters or
    leaves an iteration, which come first: a cotangent starting at `y` stays `dx`). A loop's
    carried value, its parameters and its result share one unconditionally (unioned here)."""
    pairs = [] if pairs is None else pairs
    for stmt in region.body:
        if isinstance(stmt, Call):
            out = stmt.outs[0] if stmt.outs else None
            if out is not None and not out.temporary:
                same = [a for a in stmt.args if isinstance(a, Var) and base_name(a) == base_name(out)]
                pairs.extend([(out, same[0])] if same else [])
        elif isinstance(stmt, If):
            _copies(stmt.then, classes, pairs)
            _copies(stmt.orelse, classes, pairs)
            for i, out in enumerate(stmt.outs):
                pairs += [(out, y) for y in (stmt.then.yields[i], stmt.orelse.yields[i]) if _same_variable(y, out)]
        else:
            offset = 0 if isinstance(stmt, While) else 1
            for i, out in enumerate(stmt.outs):
                group = [out, stmt.body.params[i + offset]] + ([stmt.cond.params[i]] if isinstance(stmt, While) else [])
                for member in group[1:]:
                    classes.union(group[0], member, force=True)
            if isinstance(stmt, While):
                _copies(stmt.cond, classes, pairs)
            _copies(stmt.body, classes, pairs)
            for i, out in enumerate(stmt.outs):
                for y in (stmt.body.yields[i], stmt.inits[i]):
                    if _same_variable(y, out):
                        pairs.insert(0, (out, y))
    return pairs


def _same_variable(y, out: Var) -> bool:
    """Only values of the same variable (or temporaries) share a name: `c` does not become `b`."""
    return isinstance(y, Var) and (base_name(y) == base_name(out) or y.temporary)


def _branch_flags(region: Region) -> set[Var]:
    """Temporaries that more than one `if` branches on (a reverse sweep branching again on the
    forward sweep's decision): each is named `cond`."""
    seen: dict[Var, int] = {}

    def visit(r: Region) -> None:
        for stmt in r.body:
            if isinstance(stmt, If) and isinstance(stmt.cond, Var) and stmt.cond.temporary:
                seen[stmt.cond] = seen.get(stmt.cond, 0) + 1
            for sub in regions(stmt):
                visit(sub)

    visit(region)
    return {v for v, n in seen.items() if n > 1}


def _identifier(hint: str) -> str:
    name = "".join(c if c.isalnum() or c == "_" else "_" for c in hint) or "t"
    if name[0].isdigit():
        name = "_" + name
    if keyword.iskeyword(name) or name in dir(builtins):
        name = name + "_"
    return name


# ---- object names ---------------------------------------------------------------------------------

_CONVENTIONAL = {"numpy": "np", "math": "math", "operator": "operator"}


def _is_data(obj) -> bool:
    return not (isinstance(obj, (types.ModuleType, type)) or callable(obj))


class ObjectNames:
    """How generated source refers to objects; collects the closure bindings it needs."""

    def __init__(self, user_scope, local_names: set[str]):
        self.user = user_scope
        self.locals = local_names
        self.bindings: dict[str, object] = {}  # our closure names -> objects
        self.user_free: dict[str, str] = {}  # user free names used -> "global" | "closure" | "builtin"
        self._by_id: dict[int, str] = {}

    def _user_resolves(self, name: str, obj) -> bool:
        if self.user is None or name in self.locals or name in self.bindings:
            return False
        found, value, where = self.user.lookup(name)
        if found and value is obj:
            self.user_free[name] = where
            return True
        return False

    def spelled(self, const: Const) -> str:
        """A dotted reference for a Const with a spelling."""
        root, _, rest = const.spelling.partition(".")
        scope = const.scope
        if scope is not None:
            found, root_obj, where = scope.lookup(root)
            if scope is self.user and root not in self.locals and root not in self.bindings:
                if found:
                    self.user_free[root] = where
                return const.spelling
            if found and self._user_resolves(root, root_obj):
                return const.spelling
            if found and where == "global" and not rest and _is_data(root_obj):
                # a helper's module global holding data: read it live, through its module
                module = sys.modules.get(scope.module)
                if module is not None:
                    return self.bind(module) + "." + root
            if found:
                return self.bind(root_obj, root) + ("." + rest if rest else "")
        return self.bind(const.value, root if not rest else None)

    def bind(self, obj, preferred: str | None = None) -> str:
        name = self._by_id.get(id(obj))
        if name is not None:
            return name
        if preferred is None:
            if isinstance(obj, types.ModuleType):
                preferred = _CONVENTIONAL.get(obj.__name__, obj.__name__.split(".")[-1])
            else:
                preferred = getattr(obj, "__name__", None) or type(obj).__name__.lower()
        if self._user_resolves(preferred, obj):
            self._by_id[id(obj)] = preferred
            return preferred
        base = _identifier(preferred)
        name, i = base, 0
        while name in self.locals or name in self.bindings or name in self.user_free:
            i += 1
            name = f"{base}_{i}"
        self.bindings[name] = obj
        self._by_id[id(obj)] = name
        return name

