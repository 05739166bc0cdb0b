"""The whole loop once, in a temporary copy of the project; then its outputs and notebooks."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from kedro.framework.session import KedroSession
from kedro.framework.startup import bootstrap_project
from nbclient import NotebookClient

from .browser import chromium, require_chromium, screenshot_path
from .conftest import PROJECT, SMALL, copy_project

pytestmark = pytest.mark.integration
NOTEBOOKS = sorted((PROJECT / "notebooks").glob("*.ipynb"))


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = copy_project(tmp_path_factory.mktemp("loop"))
    shutil.copytree(PROJECT / "notebooks", root / "notebooks")
    before = Path.cwd()
    os.chdir(root)
    try:
        bootstrap_project(root)
        with KedroSession.create(project_path=root, runtime_params=SMALL) as session:
            session.run(pipeline_names=["__default__"])
        yield root
    finally:
        os.chdir(before)


def _latest(path: Path) -> Path:
    return sorted(p for p in path.iterdir() if p.is_dir())[-1] / path.name


def test_the_default_run_evaluates_and_decides(loop: Path) -> None:
    reporting = loop / "data" / "08_reporting"
    decision = json.loads(_latest(reporting / "promotion_decision.json").read_text())
    assert set(decision["checks"]) == {
        "beats_baseline",
        "not_worse_than_champion",
        "no_fairness_flags",
        "no_drift_flags",
    }
    assert decision["promote"] == all(decision["checks"].values())
    metrics = pd.read_csv(_latest(reporting / "test_metrics.csv"))
    assert set(metrics["metric"]) == {"roc_auc", "pr_auc", "log_loss", "brier", "ks"}
    assert (metrics["low"] <= metrics["value"]).all()
    card = _latest(reporting / "model_card.html").read_text()
    assert "Model card: " in card and "Risk register" in card
    assert re.search(r"Kedro run \d{4}-\d\d-\d\dT[\d.]+Z", card)  # lineage
    assert not re.search(r"<script[^>]+src=['\"]https?://", card)  # opens offline
    bayes = pd.read_csv(_latest(reporting / "bayes_comparison.csv"))
    assert (bayes["share_of_bayes"] <= 1.05).all()
    record = json.loads(_latest(reporting / "run_record.json").read_text())
    assert record["run_id"] in card
    assert record["packages"]["lightgbm"] and record["cpu_count"] >= 1
    versions = record["dataset_versions"]
    assert versions["lightgbm_model"] == {"used": ["loaded", "saved"], "version": record["run_id"]}
    assert versions["feature_table"]["version"] == record["run_id"]
    champion = json.loads((loop / "data" / "06_models" / "champion.json").read_text())
    expected = {"candidate": decision["candidate"], "metrics": decision["metrics"]}
    assert champion == (expected if decision["promote"] else {})


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_against_the_catalog(loop: Path, notebook: Path) -> None:
    book = nbformat.read(loop / "notebooks" / notebook.name, as_version=4)
    client = NotebookClient(
        book,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(loop / "notebooks")}},
    )
    client.execute()  # a failing cell raises CellExecutionError
    assert any(cell.get("outputs") for cell in book.cells if cell.cell_type == "code")


def test_model_card_renders_offline_in_a_browser(loop: Path, tmp_path: Path) -> None:
    require_chromium()
    card = _latest(loop / "data" / "08_reporting" / "model_card.html")
    dom = chromium(card.as_uri(), "--dump-dom")  # every request off this machine fails
    assert "Model card: " in dom
    assert dom.count('class="main-svg"') >= 8  # plotly.js ran and drew every chart
    shot = screenshot_path("model-card.png", tmp_path)
    chromium(card.as_uri(), f"--screenshot={shot}")
    assert shot.stat().st_size > 10_000
