"""How derivatives are shown: notebook HTML, IPython's pretty printer, colour in a terminal only,
the version for floats when no example arguments are given, and tracebacks through generated code."""

import html
import io
import linecache
import math
import re
import traceback

import numpy as np
import pytest

import sourcead
from sourcead import display


def seed_poly(x, y):
    return (x ** 2 + 4) * y - x / y


def branchy(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if np.sum(b) > 0:
        c = b
    else:
        c = 100 * b
    return c


def with_print(x):
    id(x)  # a call whose result is unused (print is kept)
    return x


def counted(x, n=3):
    y = x
    for i in range(n):
        y = math.sin(y) * x
    return y


def _text_of(markup: str) -> str:
    """The text a browser shows for `markup` (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


# ---- item 2: show(df) without arguments is the float version, never the general one -------------

def test_source_without_arguments_is_the_float_version_with_a_note():
    df = sourcead.grad(seed_poly, wrt=(0, 1))
    text = sourcead.source(df)
    first, rest = text.split("\n", 1)
    assert first.startswith("# specialised for float x, y") and "sourcead.show(df, x, y)" in first
    assert rest == sourcead.source(df, 1.0, 1.0)
    for generic in ("ones_like_output", "unbroadcast", "add_cotangents"):
        assert generic not in text
    body = [line for line in rest.splitlines()[1:] if not line.strip().startswith("#")]
    assert len(body) == 5, rest  # the specialised derivative: four statements and the return


def test_source_without_arguments_uses_defaults_and_says_so():
    text = sourcead.source(sourcead.grad(counted))
    assert text.splitlines()[0].startswith("# specialised for float x, and n=3 (the default)")
    assert "unbroadcast" not in text


def test_source_of_a_plain_function_still_needs_example_arguments():
    with pytest.raises(sourcead.UsageError, match="needs the arguments"):
        sourcead.source(seed_poly, mode="jvp")


def test_after_a_call_source_shows_the_version_that_ran():
    df = sourcead.grad(branchy)
    df(np.array([0.3, -0.2, 0.5]))
    assert sourcead.source(df) == sourcead.source(df, np.ones(3))


# ---- item 1: notebooks and terminals --------------------------------------------------------------

def test_repr_html_shows_the_generated_source_highlighted():
    pytest.importorskip("pygments")
    df = sourcead.grad(branchy)
    markup = df._repr_html_()
    assert "<span" in markup and "style=" in markup  # highlighted, with inline styles
    text = _text_of(markup)
    assert sourcead.source(df) in text
    assert repr(df) in text


def test_repr_html_without_pygments_is_escaped_pre(monkeypatch):
    monkeypatch.setattr(display, "_pygments", lambda: None)
    df = sourcead.grad(branchy)
    markup = df._repr_html_()
    assert '<pre class="sourcead-source">' in markup and "<span" not in markup
    assert "np.sum(b) &gt; 0" in markup  # escaped, never interpreted as markup
    assert sourcead.source(df) in _text_of(markup)


def test_repr_html_of_a_refused_function_shows_the_error_instead_of_raising():
    markup = sourcead.grad(with_print)._repr_html_()
    assert "expression statement" in _text_of(markup) and "line" in _text_of(markup)


def test_ipython_pretty_repr_is_the_repr_then_the_source():
    pretty = pytest.importorskip("IPython.lib.pretty")
    df = sourcead.grad(seed_poly, wrt=(0, 1))
    text = pretty.pretty(df)
    lines = text.splitlines()
    assert lines[0] == repr(df)
    assert "\n".join(lines[1:]) == sourcead.source(df).rstrip("\n")


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_show_colours_a_terminal(monkeypatch):
    pytest.importorskip("pygments")
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm-256color")
    out = _Tty()
    monkeypatch.setattr("sys.stdout", out)
    sourcead.show(sourcead.grad(seed_poly), 1.0, 2.0)
    printed = out.getvalue()
    assert "\x1b[" in printed
    assert re.sub(r"\x1b\[[0-9;]*m", "", printed) == sourcead.source(sourcead.grad(seed_poly), 1.0, 2.0)


@pytest.mark.parametrize("env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}])
def test_show_respects_no_color_and_dumb_terminals(monkeypatch, env):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "xterm")
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    out = _Tty()
    monkeypatch.setattr("sys.stdout", out)
    sourcead.show(sourcead.grad(seed_poly), 1.0, 2.0)
    assert "\x1b[" not in out.getvalue()


def test_show_never_colours_a_pipe(capsys, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    df = sourcead.grad(seed_poly)
    sourcead.show(df, 1.0, 2.0)
    assert capsys.readouterr().out == sourcead.source(df, 1.0, 2.0)


# ---- item 5: a traceback from inside a derivative shows the generated line -----------------------

def sqrt_of_triple(x):
    y = x * 3.0
    return math.sqrt(y)


def test_a_traceback_shows_the_generated_line_and_its_grad_of_comment():
    df = sourcead.grad(sqrt_of_triple)
    with pytest.raises(ZeroDivisionError) as info:
        df(0.0)  # d sqrt(y)/dy = 0.5 / sqrt(y): the reverse sweep divides by zero
    frame = traceback.extract_tb(info.value.__traceback__)[-1]
    assert frame.filename.startswith("<sourcead") and frame.name == "sqrt_of_triple_grad"
    assert frame.line == "dy = 0.5 / math.sqrt(y)"  # linecache knows the generated file
    above = [linecache.getline(frame.filename, n).strip() for n in range(frame.lineno - 1, 0, -1)]
    comment = next(line for line in above if line.startswith("# grad of:"))
    assert comment == "# grad of: return math.sqrt(y)"
    assert "".join(traceback.format_exception(info.value)).count("dy = 0.5 / math.sqrt(y)") == 1


def test_pdb_skipping_sourcead_frames_steps_straight_into_the_generated_code():
    """The recipe of docs/tutorial.md: Pdb(skip=["sourcead.*"]).runcall(df, ...) then `s`."""
    import pdb

    df = sourcead.grad(seed_poly, wrt=(0, 1))
    df(101.0, 12.0)
    out = io.StringIO()
    debugger = pdb.Pdb(skip=["sourcead.*"], stdin=io.StringIO("s\nll\nn\np dx\nc\n"), stdout=out)
    debugger.runcall(df, 101.0, 12.0)
    text = out.getvalue()
    assert "seed_poly_grad()" in text.splitlines()[1]  # the first stop is in the generated function
    assert "# grad of: return (x ** 2 + 4) * y - x / y" in text
    assert "-0.08333333333333333" in text  # p dx after the first statement
