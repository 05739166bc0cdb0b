from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from .conftest import Runner

pytestmark = pytest.mark.integration


def _latest(path: Path) -> Path:
    return sorted(p for p in path.iterdir() if p.is_dir())[-1] / path.name


def test_the_default_run_evaluates_and_decides(project: Path, run: Runner) -> None:
    run(["__default__"])
    reporting = project / "data" / "08_reporting"
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
    champion = json.loads((project / "data" / "06_models" / "champion.json").read_text())
    assert champion == (
        {"candidate": decision["candidate"], "metrics": decision["metrics"]}
        if decision["promote"]
        else {}
    )
