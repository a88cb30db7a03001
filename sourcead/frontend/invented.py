"""The names the desugaring invents, and the side table saying what each stands for.

An invented name starts with "$", so it is not a Python identifier and cannot collide with a name
of the user's (gast accepts any string as a name). `Parsed.invented` maps each one to an
`Invented` record; the lowering reads it to label the values it makes (a loop's flag is
``broke``, its counter ``k``) and to know which names a loop carries and which live for one
iteration only. Roles:

    flag       $broke1 = False ... $broke1 = True        a loop's "ended early" flag      (broke)
    counter    $k1 = $k1 + 1                             a `for` loop's position, as a while (k)
    index      $i1 = $it1[$k1]; for $i1 in range(...)    an iteration's index             (i)
    returned   $returned = True                          a `return` ran inside a loop     (returned)
    result     $result0 = value                          the value it returned            (retval)
    sequence   $s1 = xs                                  what a loop iterates over; an in-place
                                                         `+=` must not write into it while the loop runs
    temporary  $t1 = range(len($s1))                     a value computed once, named to be read twice
    builtin    $len, $range, $min, $list                 the builtin itself, whatever the user's module
                                                         calls by that name
    check      s = $not_shared(s)                        before ``s += v``: no other name holds `s`'s
                                                         array (checked at run time by the lowering)
    function   g = $fn1                                  a nested def or a lambda, lifted out of the
                                                         tree (frontend/desugar_functions.py)
    local      $x1 = $s2[$i3]                            a comprehension's variable  (the user's name)
    accumulator $ys1 = $ys1 + [item]                     what a comprehension builds; every loop that
                                                         binds it carries it  (the assigned name, if any)
"""

from __future__ import annotations

import dataclasses

import gast

from .. import runtime

ROLES = ("flag", "counter", "index", "returned", "result", "sequence", "temporary", "builtin", "check", "local",
         "accumulator", "function")


@dataclasses.dataclass(frozen=True)
class Invented:
    role: str
    label: str | None = None  # the hint of the values it holds; None: they are temporaries
    value: object = None  # role "builtin": the object the name denotes

    def __post_init__(self):
        assert self.role in ROLES, self.role

    @property
    def names_values(self) -> bool:
        """Whether a value computed for this name takes its label (an index, a counter), or
        stays a temporary (a returned value keeps whatever name it had)."""
        return self.role in ("index", "counter") or self.role in ("local", "accumulator") and self.label is not None

    @property
    def function_wide(self) -> bool:
        """Whether the name outlives the loops that bind it (a return's flag and values, read
        after the outermost loop): every loop that binds it carries it."""
        return self.role in ("returned", "result", "accumulator")

    @property
    def held(self) -> bool:
        """Whether the name holds what a running loop iterates over."""
        return self.role == "sequence"


RETURNED = "$returned"
NOT_SHARED = "$not_shared"
_BUILTINS = {"$len": len, "$range": range, "$min": min, "$list": list, "$dict_with": runtime.dict_with}


def result_name(k: int) -> str:
    return f"$result{k}"


class Namer:
    """Makes the invented names of one function and records them in its side table."""

    def __init__(self, table: dict[str, Invented]):
        self.table = table
        self.count = 0

    def new(self, role: str, prefix: str | None = None) -> str:
        """A fresh name for `role` (``$broke3``, ``$k4``, ``$i5``, ``$s6``, ``$t7``; a temporary
        may say what it holds with `prefix`: ``$n8``)."""
        self.count += 1
        default, label = {"flag": ("broke", "broke"), "counter": ("k", "k"), "index": ("i", "i"),
                          "sequence": ("s", None), "temporary": ("t", None)}[role]
        name = f"${prefix or default}{self.count}"
        self.table[name] = Invented(role, label)
        return name

    def returned(self) -> str:
        self.table[RETURNED] = Invented("returned", "returned")
        return RETURNED

    def result(self, k: int) -> str:
        name = result_name(k)
        self.table[name] = Invented("result", "retval")
        return name

    def builtin(self, name: str) -> str:
        """The invented name of the builtin `name` ("len" -> "$len")."""
        invented = "$" + name
        self.table[invented] = Invented("builtin", name, _BUILTINS[invented])
        return invented

    def not_shared(self) -> str:
        self.table[NOT_SHARED] = Invented("check", None)
        return NOT_SHARED


# ---- building nodes ----------------------------------------------------------------------------


def load(name: str):
    return gast.Name(id=name, ctx=gast.Load(), annotation=None, type_comment=None)


def store(name: str):
    return gast.Name(id=name, ctx=gast.Store(), annotation=None, type_comment=None)


def assign(target, value, near):
    """``target = value`` located at `near` (`target` a name or a target node)."""
    target = store(target) if isinstance(target, str) else target
    return located(gast.Assign(targets=[target], value=value, type_comment=None), near)


def call(func: str, *args):
    return gast.Call(func=load(func), args=list(args), keywords=[])


def located(node, near):
    """`node`, with the location of `near` given to every node of it that has none (the user's
    own subtrees inside it keep theirs)."""
    for n in gast.walk(node):
        if getattr(n, "lineno", None) is None and hasattr(near, "lineno"):
            gast.copy_location(n, near)
    return node

