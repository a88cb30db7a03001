"""display: how generated source is shown to a person, in a terminal and in a notebook.

Guarantees:
- `html(text)` is self-contained HTML showing `text` exactly: highlighted by pygments when it is
  installed, else an escaped ``<pre>``. Nothing in the text is ever interpreted as markup.
- `print_source(text)` colours only a terminal: the stream must be a tty, ``NO_COLOR`` unset and
  ``TERM`` not ``dumb``, and pygments installed. Piped or redirected output is the plain text,
  byte for byte.
- `example_arguments(f)` says which arguments `show(df)` specialises for when given none: a float
  for every parameter (a parameter's default where it has one), and the comment line saying so.
Pygments is optional (the ``[notebook]`` extra) and imported only when something is shown.
"""

from __future__ import annotations

import html as _html
import inspect
import os
import sys

_CSS_CLASS = "sourcead-source"


def _pygments():
    """(highlight, PythonLexer, module of formatters), or None when pygments is not installed."""
    try:
        from pygments import formatters, highlight
        from pygments.lexers import PythonLexer
    except ImportError:
        return None
    return highlight, PythonLexer, formatters


def html(text: str) -> str:
    """`text` as syntax-highlighted HTML (inline styles, so no stylesheet is needed)."""
    tools = _pygments()
    if tools is None:
        return f'<pre class="{_CSS_CLASS}">{_html.escape(text)}</pre>'
    highlight, lexer, formatters = tools
    formatter = formatters.HtmlFormatter(noclasses=True, nowrap=False, cssclass=_CSS_CLASS)
    return highlight(text, lexer(), formatter)


def wants_colour(stream) -> bool:
    """Whether `stream` is a terminal that should get colour (NO_COLOR and TERM=dumb respected)."""
    if os.environ.get("NO_COLOR", "") != "" or os.environ.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # a closed stream
        return False


def terminal(text: str) -> str:
    """`text` with ANSI colours (the text unchanged when pygments is not installed)."""
    tools = _pygments()
    if tools is None:
        return text
    highlight, lexer, formatters = tools
    return highlight(text, lexer(), formatters.TerminalFormatter())


def print_source(text: str, file=None) -> None:
    """Print generated source: coloured on a colour terminal, else exactly `text`."""
    stream = sys.stdout if file is None else file
    stream.write(terminal(text) if wants_colour(stream) else text)


# ---- what show(df) shows without example arguments ----------------------------------------------

def example_arguments(f) -> tuple[list, str]:
    """(arguments, note): a float 1.0 for every parameter of `f` without a default, the default
    for the others; the note is the comment line that heads source shown for them."""
    params = list(inspect.signature(f).parameters.values())
    args, floats, defaults = [], [], []
    for p in params:
        if p.default is inspect.Parameter.empty:
            args.append(1.0)
            floats.append(p.name)
        else:
            args.append(p.default)
            defaults.append(f"{p.name}={p.default!r}")
    what = f"float {', '.join(floats)}" if floats else "no arguments"
    if defaults:
        what += f", and {', '.join(defaults)} (the default{'s' if len(defaults) > 1 else ''})"
    call = ", ".join(["df"] + [p.name for p in params])
    note = f"# specialised for {what}; sourcead.show({call}) with example arguments shows another\n"
    return args, note


# ---- Derivative's notebook and IPython representations --------------------------------------------

def derivative_html(head: str, text: str, ok: bool) -> str:
    """What a notebook shows for a Derivative: its repr and its generated source, highlighted (or
    the error that compiling it gave)."""
    top = f"<div><code>{_html.escape(head)}</code></div>"
    if not ok:
        return top + f'<pre class="{_CSS_CLASS}-error">{_html.escape(text)}</pre>'
    return top + html(text)


def derivative_pretty(printer, cycle: bool, head: str, text: str) -> None:
    """IPython's terminal representation: the repr, then the generated source."""
    printer.text(head)
    if cycle:
        return
    for line in text.rstrip("\n").splitlines():
        printer.break_()
        printer.text(line)
