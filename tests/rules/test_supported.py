"""docs/supported.md is generated from the rule registry and must match it."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import pytest

import sourcead.rules  # noqa: F401  (registers the rules)
from sourcead.rules import catalog

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "supported.md"


def test_supported_functions_page_is_current():
    assert PAGE.exists(), "docs/supported.md is missing: python -m sourcead.rules.catalog > docs/supported.md"
    if f"<!-- {catalog.generated_with()} (" not in PAGE.read_text():
        pytest.skip("docs/supported.md was generated with other NumPy/SciPy versions, which have other functions")
    # in a fresh interpreter: tests elsewhere register rules of their own over built-in targets
    fresh = subprocess.run([sys.executable, "-m", "sourcead.rules.catalog"], capture_output=True, text=True,
                           check=True).stdout
    assert PAGE.read_text() == fresh, (
        "docs/supported.md is stale (rules were added or changed); regenerate it with\n"
        "    python -m sourcead.rules.catalog > docs/supported.md")


def test_every_builtin_rule_is_listed():
    text = catalog.markdown()
    for name in ("`np.sin`", "`np.einsum`", "`ndarray.sum`", "`operator.mul`", "`math.log`", "`np.quantile`"):
        assert name in text, name


def test_modes_and_conventions_are_shown():
    rows = {name: (modes, notes) for name, modes, notes in catalog.entries()}
    assert rows["`np.argmax`"][0] == "nondifferentiable"
    assert rows["`np.sin`"][0] == "reverse, forward"
    assert "ties" in rows["`np.max`"][1].lower()
    assert not any("runtime" in name for name in rows), "run-time helpers are not user functions"
