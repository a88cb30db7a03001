"""The code in the pages under docs/ (PAGES: all but the generated architecture.md and supported.md,
which have tests of their own) runs and prints what the page says it prints.

A page is a session: its ```python blocks run in order in one module namespace (a real module, so
functions defined in a block have source that sourcead can read). A ```text block right after a
python block is that block's expected standard output; a python block with no text block after it
must print nothing. A block raising a `SourceADError` prints its message (that is how the pages
show refusals). A ``<!-- skip -->`` line before a block means it is not run; ``<!-- skip: why -->``
says why (an excerpt of a program, a pdb session). Blocks of other kinds (```sh commands, a
```text block that does not follow a python block) are not run. A block whose first line is
``# file: NAME.py`` has that file name in tracebacks and error messages.

To rewrite a page's text blocks from a run (then read the diff!):
    python tests/test_docs.py --update docs/tutorial.md
"""

from __future__ import annotations

import contextlib
import io
import linecache
import os
import re
import sys
import types

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PAGES = ["docs/tutorial.md", "docs/limitations.md", "docs/comparison.md", "docs/control-flow.md",
         "docs/forward-and-higher-order.md", "docs/rules.md", "docs/errors.md", "docs/performance.md",
         "docs/complex.md"]
FENCE = re.compile(r"^```(\w*)\s*$")
if ROOT not in sys.path:  # the pages import the repository's packages (benchmarks) as its root would
    sys.path.insert(0, ROOT)


def blocks(text: str) -> list[dict]:
    """The page's fenced blocks: kind, code, first and last line index, and whether skipped."""
    lines, out, i, skip = text.splitlines(), [], 0, False
    while i < len(lines):
        m = FENCE.match(lines[i])
        if lines[i].strip().startswith("<!-- skip") and lines[i].strip().endswith("-->"):
            skip = True
        elif m:
            end = next(j for j in range(i + 1, len(lines)) if lines[j].startswith("```"))
            out.append({"kind": m.group(1), "code": "\n".join(lines[i + 1:end]) + "\n", "start": i, "end": end,
                        "skip": skip})
            skip, i = False, end
        elif lines[i].strip():
            skip = False
        i += 1
    return out


def pairs(text: str) -> list[tuple[dict, dict | None]]:
    """(python block, its text block or None) for every python block that is not skipped."""
    found, bs, lines = [], blocks(text), text.splitlines()
    for k, b in enumerate(bs):
        if b["kind"] != "python" or b["skip"]:
            continue
        nxt = bs[k + 1] if k + 1 < len(bs) else None
        between = lines[b["end"] + 1: nxt["start"]] if nxt else []
        follows = nxt is not None and nxt["kind"] == "text" and not any(s.strip() for s in between)
        found.append((b, nxt if follows else None))
    return found


def run_page(page: str):
    """Yield (python block, text block or None, what the block printed), in page order."""
    import sourcead

    with open(os.path.join(ROOT, page), encoding="utf-8") as fh:
        text = fh.read()
    stem = os.path.splitext(os.path.basename(page))[0]
    module = types.ModuleType(f"docs_{stem}")
    sys.modules[module.__name__] = module
    try:
        for k, (code, expected) in enumerate(pairs(text)):
            first = code["code"].splitlines()[0] if code["code"].strip() else ""
            filename = first[len("# file: "):].strip() if first.startswith("# file: ") else f"<{page} block {k}>"
            linecache.cache[filename] = (len(code["code"]), None, code["code"].splitlines(True), filename)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                try:
                    exec(compile(code["code"], filename, "exec"), module.__dict__)
                except sourcead.SourceADError as err:
                    print(err)
            yield code, expected, out.getvalue()
    finally:
        sys.modules.pop(module.__name__, None)


def _norm(s: str) -> str:
    return "\n".join(line.rstrip() for line in s.strip("\n").splitlines())


@pytest.mark.parametrize("page", PAGES)
def test_page_prints_what_it_says(page, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    ran = 0
    for code, expected, got in run_page(page):
        ran += 1
        where = f"{page}, the python block at line {code['start'] + 1}"
        if expected is None:
            assert got == "", f"{where} prints, but no ```text block follows it:\n{got}"
        else:
            assert _norm(got) == _norm(expected["code"]), f"{where}:\n--- got ---\n{got}"
    assert ran > 0


def update(page: str) -> None:
    """Rewrite the text blocks of `page` with what its python blocks print now."""
    path = os.path.join(ROOT, page)
    with open(path, encoding="utf-8") as fh:
        lines = fh.read().splitlines()
    edits = [(exp["start"], exp["end"], got) for _, exp, got in run_page(page) if exp is not None]
    for start, end, got in reversed(edits):
        lines[start + 1:end] = _norm(got).splitlines()
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("\n".join(lines) + "\n")


if __name__ == "__main__":  # pragma: no cover
    os.environ["NO_COLOR"] = "1"
    if sys.argv[1:2] == ["--update"]:
        for p in sys.argv[2:]:
            update(p)
