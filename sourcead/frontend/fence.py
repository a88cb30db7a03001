"""fence: refuse, at compile time, every construct outside the subset sourcead differentiates.

Its output guarantees that the tree holds only the nodes the later stages understand; each refusal
is an `UnsupportedSyntaxError` naming the file, the line (with a caret) and the construct, and
saying what to write instead. Nothing half-understood reaches a later stage.
"""

from __future__ import annotations

import builtins

import gast

from .desugar_functions import check_local_function
from .desugar_mutation import check_subscript_target, is_list_method
from .parse import Parsed, reject
from .statements import kept_nodes

# node type -> (what it is, what to do instead)
_REFUSED = {
    gast.SetComp: ("a set comprehension", "use a list or an array"),
    gast.Set: ("a set", "use a tuple or an array"),
    gast.Await: ("await", "differentiate a plain synchronous function"),
    gast.Yield: ("yield (a generator)", "return the values instead"),
    gast.YieldFrom: ("yield from (a generator)", "return the values instead"),
    gast.NamedExpr: ("an assignment expression (:=)", "assign the value in its own statement"),
    gast.JoinedStr: ("an f-string", "compute strings outside the differentiated function"),
    gast.Global: ("a global statement", "pass the value as an argument and return the new one"),
    gast.Nonlocal: ("a nonlocal statement", "pass the value as an argument and return the new one"),
    gast.Try: ("try/except", "move error handling outside the differentiated function"),
    gast.With: ("a with statement", "move the context manager outside the differentiated function "
                "(only `with np.errstate(...):` is kept)"),
    gast.AsyncWith: ("async with", "differentiate a plain synchronous function"),
    gast.AsyncFor: ("async for", "differentiate a plain synchronous function"),
    gast.AsyncFunctionDef: ("an async function", "differentiate a plain synchronous function"),
    gast.ClassDef: ("a class definition", "define the class outside the differentiated function"),
    gast.Import: ("an import statement", "import at module level"),
    gast.ImportFrom: ("an import statement", "import at module level"),
    gast.Delete: ("del of an element or an attribute", "build a new value instead (del of a name is kept)"),
}
for _name, _what in (("Match", ("a match statement", "write it with if/elif/else")),
                     ("TryStar", ("try/except*", "move error handling outside the function"))):
    if hasattr(gast, _name):
        _REFUSED[getattr(gast, _name)] = _what


def fence(parsed: Parsed) -> Parsed:
    fn = parsed.tree
    for stmt in fn.body:
        _check(parsed, stmt, top=True)
    return parsed


def _check(parsed: Parsed, node, top: bool = False) -> None:
    kept = kept_nodes(parsed, node)  # print, assert, raise, del... (frontend/statements.py)
    starred_arguments = {id(a) for n in gast.walk(node) if isinstance(n, gast.Call) for a in n.args}
    for child in gast.walk(node):
        if id(child) in kept:
            continue
        what = _REFUSED.get(type(child))
        if what is not None:
            reject(parsed, child, f"{what[0]} is not supported by sourcead", what[1])
        if isinstance(child, gast.Starred) and id(child) not in starred_arguments:
            reject(parsed, child, "a starred expression outside a call's arguments is not supported by sourcead",
                   "index the sequence, or pass it to a call as f(*xs)")
        if isinstance(child, (gast.FunctionDef, gast.Lambda)):
            check_local_function(parsed, child)
        if isinstance(child, gast.Expr):
            _check_expr_statement(parsed, child)
        elif isinstance(child, (gast.Assign, gast.AugAssign, gast.AnnAssign)):
            targets = child.targets if isinstance(child, gast.Assign) else [child.target]
            for target in targets:
                _check_target(parsed, target, writable=not isinstance(child, gast.AnnAssign))
        elif isinstance(child, gast.For):
            _check_target(parsed, child.target)
        elif isinstance(child, gast.Call):
            _check_call(parsed, child)
        elif isinstance(child, gast.BinOp):
            _check_string_formatting(parsed, child)
        elif isinstance(child, gast.Constant) and isinstance(child.value, bytes):
            reject(parsed, child, "bytes literals are not supported by sourcead",
                   "compute bytes outside the differentiated function")


# builtins that read or run code through the local namespace, behind the compiler's back
_NAMESPACE_BUILTINS = {
    "eval": "eval runs code from a string", "exec": "exec runs code from a string",
    "compile": "compile makes code from a string", "locals": "locals() reads variables by name",
    "vars": "vars() reads variables by name", "globals": "globals() reads variables by name",
}


def _check_call(parsed: Parsed, call: gast.Call) -> None:
    func = call.func
    if isinstance(func, gast.Name) and func.id in _NAMESPACE_BUILTINS:
        found, value, where = parsed.lookup(func.id)
        if found and where == "builtin" and value is getattr(builtins, func.id):
            reject(parsed, call, f"{_NAMESPACE_BUILTINS[func.id]}, which sourcead cannot see into, so "
                   f"it cannot differentiate through {func.id}(...)",
                   "write the computation as ordinary code in the function")


def _check_string_formatting(parsed: Parsed, node: gast.BinOp) -> None:
    left = node.left
    if isinstance(node.op, gast.Mod) and isinstance(left, gast.Constant) and isinstance(left.value, str):
        reject(parsed, node, "%-formatting a string is not supported by sourcead",
               "compute strings outside the differentiated function")


def _check_expr_statement(parsed: Parsed, node: gast.Expr) -> None:
    if isinstance(node.value, gast.Constant):
        return  # a docstring or a stray constant: no effect
    what = _REFUSED.get(type(node.value))
    if what is not None:  # `yield x` or `await y` as a statement: name the construct
        reject(parsed, node.value, f"{what[0]} is not supported by sourcead", what[1])
    if isinstance(node.value, gast.Call):
        _check_call(parsed, node.value)  # `exec(...)` as a statement: name exec
        if is_list_method(node.value):
            return  # hs.append(h) and the like: desugar_mutation rebinds hs
    reject(parsed, node,
           "an expression statement (a call whose result is unused, other than print, logging, "
           "warnings.warn and a list's append, extend, insert or pop) is not supported: its effect is "
           "not something sourcead can differentiate",
           "assign its result and use it, or move the call outside the differentiated function")


def _check_target(parsed: Parsed, target, writable: bool = False) -> None:
    if isinstance(target, gast.Name):
        return
    if isinstance(target, (gast.Tuple, gast.List)):
        for elt in target.elts:
            _check_target(parsed, elt)
        return
    if isinstance(target, gast.Subscript) and writable:
        check_subscript_target(parsed, target)  # x[i] = v: desugar_mutation
        return
    if isinstance(target, gast.Subscript):
        reject(parsed, target, "assignment into an element here (in a tuple target, a for target or an "
               "annotated assignment) is not supported yet", "write x[i] = v as a statement of its own")
    if isinstance(target, gast.Attribute):
        reject(parsed, target, "assignment to an attribute is not supported by sourcead",
               "return the new value instead of storing it on an object")
    reject(parsed, target, f"assignment to {type(target).__name__} is not supported by sourcead")
