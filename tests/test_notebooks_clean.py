"""Notebooks are committed without outputs: diffs stay readable and no data leaks into git."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_notebooks_named_by_order_and_purpose() -> None:
    assert len(NOTEBOOKS) >= 3
    assert all(p.stem[:3].rstrip("_").isdigit() for p in NOTEBOOKS)


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_outputs_are_stripped(notebook: Path) -> None:
    book = nbformat.read(notebook, as_version=4)
    code = [c for c in book.cells if c.cell_type == "code"]
    assert code[0].source.startswith("%load_ext kedro.ipython")
    assert all(c.outputs == [] and c.execution_count is None for c in code), (
        f"{notebook.name} has outputs: clear them before committing (in Jupyter: Edit > "
        "Clear Outputs of All Cells)"
    )
