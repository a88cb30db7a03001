"""A notebook shows a derivative as its highlighted generated source: run display.ipynb in a real
kernel with nbclient and read the HTML the last cell displays (skipped when no kernel can start)."""

import html
import os
import re

import pytest

HERE = os.path.dirname(__file__)


def _run_notebook():
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")
    nb = nbformat.read(os.path.join(HERE, "display.ipynb"), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=120, kernel_name="python3",
                                     resources={"metadata": {"path": HERE}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError:
        raise
    except Exception as err:  # no kernel spec, no ZeroMQ, a sandbox without sockets...
        pytest.skip(f"a Jupyter kernel could not start: {type(err).__name__}: {err}")
    return nb


def test_a_derivative_cell_displays_its_generated_source_as_html():
    nb = _run_notebook()
    value = nb.cells[2].outputs[0]["data"]["text/plain"]
    assert value == "(2423.9166666666665, 10205.701388888889)"
    data = nb.cells[3].outputs[0]["data"]
    markup = data["text/html"]
    text = html.unescape(re.sub(r"<[^>]+>", "", markup))
    assert "<span" in markup  # highlighted (pygments is in the test extra)
    assert "<sourcead grad wrt (0, 1) of f>" in text
    assert "def f_grad(x, y):" in text and "# grad of: return (x ** 2 + 4) * y - x / y" in text
    assert "dx = -1.0 / y" in text and "return dx, dy" in text
    assert data["text/plain"].splitlines()[0] == "<sourcead grad wrt (0, 1) of f>"
    assert "def f_grad(x, y):" in data["text/plain"]
