"""Where an error points: shared by the tests that check a refusal names the user's own file and
line, shows that line, and puts a caret under the construct (errors.py, STYLE.md habit 10)."""

import inspect
import os


def where(fn, snippet: str) -> tuple[int, int]:
    """(line, column) of the first occurrence of `snippet` in fn's body (its def line for "def")."""
    lines, first = inspect.getsourcelines(fn)
    for i, line in enumerate(lines):
        if i == 0 and not snippet.startswith("def"):
            continue
        col = line.find(snippet)
        if col >= 0:
            return first + i, col
    raise AssertionError(f"{snippet!r} is not in the source of {fn.__name__}")


def assert_located(err, fn, snippet: str) -> None:
    """The error (a SourceADError) names fn's file and the line of `snippet`, shows that line, and puts the caret
    under the snippet's first character."""
    line, col = where(fn, snippet)
    text = str(err)
    assert err.loc is not None, text
    assert os.path.abspath(err.loc.filename) == os.path.abspath(inspect.getsourcefile(fn)), text
    assert err.loc.line == line, f"line {err.loc.line}, expected {line}:\n{text}"
    assert f'File "{err.loc.filename}", line {line}' in text, text
    shown = text.splitlines()
    source_line = inspect.getsourcelines(fn)[0][line - inspect.getsourcelines(fn)[1]].strip()
    at = next(i for i, s in enumerate(shown) if s.strip() == source_line)
    caret = shown[at + 1]
    assert caret.strip() == "^", text
    indent = len(shown[at]) - len(shown[at].lstrip())
    column = source_line.index(snippet.strip("\n"))
    assert caret.index("^") - indent == column, f"the caret is not under {snippet!r}:\n{text}"
