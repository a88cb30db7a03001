"""The supported-functions table, generated from the rule registry (docs/supported.md).

`markdown()` lists every function sourcead has built-in rules for -- grouped by namespace, with the
modes it is differentiated in (reverse and forward, or nondifferentiable: its result carries no
derivative) and the convention its rule states where the function has kinks, ties or a restricted
domain (the rule's docstring, else the comment above it). Run-time helpers of generated code are
left out: they are not part of what users call. SciPy's rules are listed when SciPy is installed
(they are registered for the page; `import sourcead` alone never imports SciPy). Regenerate the page with

    python -m sourcead.rules.catalog > docs/supported.md

(tests/rules/test_supported.py fails when the page is stale).
"""

from __future__ import annotations

import inspect
import sys

import numpy

from . import registry

# Namespaces searched for the names of rule targets, in order of preference, with the prefix
# under which their members are shown.
_NAMESPACES = (("numpy", "np."), ("numpy.linalg", "np.linalg."), ("math", "math."),
               ("builtins", ""), ("operator", "operator."), ("scipy.special", "scipy.special."),
               ("scipy.linalg", "scipy.linalg."), ("scipy.stats", "scipy.stats."))

_SECTIONS = (("", "Python operators and builtins"), ("operator.", "Python operators and builtins"),
             ("math.", "The math module"), ("np.linalg.", "numpy.linalg"), ("np.", "NumPy"),
             ("ndarray.", "NumPy array methods and attributes"), ("scipy.special.", "scipy.special"),
             ("scipy.linalg.", "scipy.linalg"), ("scipy.stats.", "scipy.stats"))


def _names_by_id() -> dict[int, list[str]]:
    """Every public name of the searched namespaces (those imported), keyed by the object's id."""
    names: dict[int, list[str]] = {}
    for module_name, prefix in _NAMESPACES:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        for attr in sorted(dir(module)):
            if not attr.startswith("_"):
                names.setdefault(id(getattr(module, attr)), []).append(prefix + attr)
    for attr in sorted(dir(numpy.ndarray)):
        if not attr.startswith("_"):
            names.setdefault(id(getattr(numpy.ndarray, attr)), []).append("ndarray." + attr)
    return names


def _fallback_name(target) -> str:
    owner = getattr(target, "__self__", None)
    if owner is not None and getattr(owner, "name", None):  # a scipy.stats distribution's method
        return f"scipy.stats.{owner.name}.{target.__name__}"
    stats = sys.modules.get("scipy.stats")
    public = [name for name in dir(stats) if getattr(stats, name) is owner] if owner is not None and stats else []
    if public:  # a method of another scipy.stats object, such as multivariate_normal
        return f"scipy.stats.{public[0]}.{target.__name__}"
    return f"{getattr(target, '__module__', '') or ''}.{getattr(target, '__qualname__', repr(target))}".lstrip(".")


def _notes(rule) -> str:
    """The convention a rule states: its docstring, else the comment block right above it."""
    if rule is None:
        return ""
    text = inspect.getdoc(rule.fn) or inspect.getcomments(rule.fn) or ""
    lines = [line.strip().lstrip("#").strip() for line in text.splitlines()]
    return " ".join(line for line in lines if line).replace("|", "\\|")


def _is_builtin_rule(rule) -> bool:
    return rule.fn.__module__.startswith("sourcead.rules")


def entries() -> list[tuple[str, str, str]]:
    """(name, modes, notes) of every built-in supported function, aliases joined, sorted."""
    adjoints = {k: r for k, r in registry.rules("adjoint").items() if _is_builtin_rule(r)}
    tangents = {k: r for k, r in registry.rules("tangent").items() if _is_builtin_rule(r)}
    targets = list(dict.fromkeys([*adjoints, *tangents, *registry.nondifferentiable_targets()]))
    known = _names_by_id()
    rows = []
    for target in targets:
        if getattr(target, "__module__", None) == "sourcead.runtime":
            continue
        names = known.get(id(target)) or [_fallback_name(target)]
        if target in adjoints or target in tangents:
            modes = ", ".join(m for m, t in (("reverse", adjoints), ("forward", tangents)) if target in t)
            notes = _notes(adjoints.get(target) or tangents.get(target))
        else:
            modes, notes = "nondifferentiable", ""
        rows.append((" = ".join(f"`{n}`" for n in names), modes, notes))
    return sorted(rows, key=lambda row: row[0].lower())


def _section(name: str) -> str:
    bare = name.split(" = ")[0].strip("`")
    best = max((prefix for prefix, _ in _SECTIONS if bare.startswith(prefix)), key=len)
    return dict(_SECTIONS)[best] if best not in ("", "operator.") else "Python operators and builtins"


def numpy_version() -> str:
    """NumPy's major.minor version: which NumPy functions exist depends on it."""
    return ".".join(numpy.__version__.split(".")[:2])


def scipy_version() -> str | None:
    """SciPy's major.minor version, with its rules registered (the page lists them), or None
    without SciPy (the page then lists NumPy's functions alone)."""
    try:
        import scipy
    except ImportError:
        return None
    from . import scipy_  # noqa: F401  (registers the SciPy rules, which load lazily otherwise)
    return ".".join(scipy.__version__.split(".")[:2])


def generated_with() -> str:
    """The versions the page depends on, as its second comment states them."""
    scipy = scipy_version()
    return f"with NumPy {numpy_version()}" + (f" and SciPy {scipy}" if scipy else " (without SciPy)")


def markdown() -> str:
    """docs/supported.md: the supported functions, one table per namespace."""
    versions = generated_with()
    rows = entries()
    differentiable = sum(1 for _, modes, _ in rows if modes != "nondifferentiable")
    out = ["# Supported functions", "",
           "<!-- generated by `python -m sourcead.rules.catalog > docs/supported.md`; do not edit -->",
           f"<!-- {versions} (other versions have other functions) -->", "",
           f"sourcead has built-in derivative rules for {differentiable} functions and knows "
           f"{len(rows) - differentiable} more to carry no derivative. Names joined by `=` are one "
           "object (aliases). *reverse* is an adjoint rule (`grad`, `vjp`), *forward* a tangent rule "
           "(`jvp`); the rules can be differentiated again, to any order unless their notes say otherwise. "
           "Anything not listed is refused with a "
           "located error (register a rule with `@sourcead.adjoint` / `@sourcead.tangent`).", ""]
    for title in dict.fromkeys(title for _, title in _SECTIONS):
        section = [row for row in rows if _section(row[0]) == title]
        if not section:
            continue
        out += [f"## {title}", "", "| function | modes | notes |", "|---|---|---|"]
        out += [f"| {name} | {modes} | {notes} |" for name, modes, notes in section]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    sys.stdout.write(markdown())
