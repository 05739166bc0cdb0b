"""Evaluation nodes on the scored test period: they unpack parameters and keep their shapes."""

from __future__ import annotations

import pandas as pd
import pytest
from kedro.io import DataCatalog

from credit_risk.contract import DataContract
from credit_risk.models.candidates import CONSTANT, ENSEMBLE, LOGISTIC
from credit_risk.params import EvaluationParams
from credit_risk.pipelines.evaluation import nodes

SELECTION = {"candidate": ENSEMBLE, "baseline": LOGISTIC}


@pytest.fixture(scope="module")
def test_scores(evaluated: DataCatalog) -> pd.DataFrame:
    return evaluated.load("test_scores")


def test_calibration_has_every_model_but_charts_the_constant_out(
    test_scores: pd.DataFrame, contract: DataContract
) -> None:
    params = EvaluationParams(calibration_bins=5)
    curves, eces, chart = nodes.evaluate_calibration(test_scores, SELECTION, contract, params)
    assert curves.groupby("model").size().to_dict() == dict.fromkeys(eces, 5)
    assert CONSTANT in eces and all(0 <= e < 1 for e in eces.values())
    names = [t.name for t in chart.data]
    assert not any(n.startswith(CONSTANT) for n in names) and names[-1] == "perfect"
    assert f"{ENSEMBLE} (ECE {eces[ENSEMBLE]:.4f})" in names
    assert chart.layout.title.text == f"Calibration, test period (chosen: {ENSEMBLE})"


def test_fairness_summary_splits_blocking_flags_from_warnings(
    test_scores: pd.DataFrame, contract: DataContract
) -> None:
    business = {"candidate": {"threshold": 0.1}}
    strict = {"max_demographic_parity_difference": 0.0, "max_auc_difference": 0.0}
    params = EvaluationParams.model_validate(
        {"fairness": {**strict, "blocking_attributes": ["gender"], "min_group_size": 1}}
    )
    table, summary, chart = nodes.evaluate_fairness(
        test_scores, SELECTION, business, contract, params
    )
    assert summary["flags"] and all(f.startswith("gender: ") for f in summary["flags"])
    assert summary["warnings"] and all(f.startswith("age_band: ") for f in summary["warnings"])
    assert summary["threshold"] == 0.1 and len(summary["attributes"]) == 2
    assert set(table["attribute"]) == {"gender", "age_band"}
    assert chart.layout.title.text == "Fairness at threshold 0.100, test period"


def test_drift_measures_the_candidates_own_scores(
    evaluated: DataCatalog, test_scores: pd.DataFrame, contract: DataContract
) -> None:
    train_scores = evaluated.load("train_scores")
    report, summary, chart = nodes.evaluate_drift(
        train_scores, test_scores, SELECTION, contract, EvaluationParams()
    )
    assert set(report["feature"]) == {
        *contract.categorical_columns,
        *contract.numeric_columns,
        "score",
    }
    assert summary["score_psi"] == report.set_index("feature").loc["score", "psi"]
    assert chart.layout.title.text == "Population stability index, training -> test (top 20)"


def test_the_baseline_comparison_names_both_models(
    test_scores: pd.DataFrame, contract: DataContract
) -> None:
    params = EvaluationParams(bootstrap_resamples=100)
    comparison = nodes.compare_with_baseline(test_scores, SELECTION, contract, params)
    assert list(comparison)[:2] == ["candidate", "baseline"]
    assert (comparison["candidate"], comparison["baseline"]) == (ENSEMBLE, LOGISTIC)
    assert comparison["low"] <= comparison["difference"] <= comparison["high"]
    assert comparison == nodes.compare_with_baseline(test_scores, SELECTION, contract, params)
