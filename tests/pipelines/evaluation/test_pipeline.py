"""A slice of the project: evaluation through DataCatalog + SequentialRunner, in memory."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pytest
from kedro.io import DataCatalog

from credit_risk.models.candidates import ALL, BASELINES, score_column
from credit_risk.pipelines.evaluation import create_pipeline

NODES = {
    "score_splits",
    "select_candidate",
    "evaluate_metrics",
    "evaluate_calibration",
    "evaluate_variance_across_folds",
    "evaluate_business_value",
    "evaluate_fairness",
    "score_test_with_train_only_fits",
    "score_validation_with_served_fits",
    "measure_threshold_transfer",
    "draw_credit_views",
    "chart_fold_variance",
    "evaluate_drift",
    "explain_with_shap",
    "compare_with_bayes_optimal",
    "compare_with_best_baseline",
    "track_evaluation_metrics",
}


def test_the_pipeline_gathers_evidence_and_decides_nothing() -> None:
    pipeline = create_pipeline()
    assert {n.name for n in pipeline.nodes} == NODES
    assert all("evaluation" in n.tags for n in pipeline.nodes)
    outputs = pipeline.all_outputs()
    for promotion in ("promotion_decision", "challenger_model", "champion_alias", "model_card"):
        assert promotion not in outputs and promotion not in pipeline.inputs()
    assert "champion_record" not in pipeline.inputs()


def test_every_candidate_is_scored_and_measured(evaluated: DataCatalog) -> None:
    test_scores = evaluated.load("test_scores")
    assert {score_column(name) for name in ALL} <= set(test_scores.columns)
    metrics = evaluated.load("test_metrics")
    assert list(metrics.columns) == ["model", "metric", "value", "low", "high", "std"]
    assert set(metrics["model"]) == set(ALL)
    assert ((metrics["low"] <= metrics["value"]) & (metrics["value"] <= metrics["high"])).all()
    roc = evaluated.load("roc_chart")
    assert [t.name for t in roc.data] == list(ALL)


def test_selection_and_baseline_comparison_agree(evaluated: DataCatalog) -> None:
    selection = evaluated.load("candidate_selection")
    assert selection["candidate"] not in BASELINES and selection["baseline"] in BASELINES
    comparison = evaluated.load("baseline_comparison")
    assert comparison["candidate"] == selection["candidate"]
    assert comparison["low"] <= comparison["difference"] <= comparison["high"]
    report = evaluated.load("business_report")
    assert report["candidate"]["model"] == selection["candidate"]
    assert report["baseline"]["model"] == selection["baseline"]


def test_fairness_drift_and_shap_reports(evaluated: DataCatalog, inputs: dict[str, Any]) -> None:
    summary = evaluated.load("fairness_summary")
    assert summary["threshold"] == evaluated.load("business_report")["candidate"]["threshold"]
    assert {a["attribute"] for a in summary["attributes"]} == {"gender", "age_band"}
    assert set(summary) == {"threshold", "attributes", "flags", "warnings"}
    drift = evaluated.load("drift_report")
    assert "score" in drift["feature"].tolist()
    importance = evaluated.load("feature_importance")
    assert set(importance["feature"]) == set(inputs["lightgbm_encoder"]["features"])
    bayes = evaluated.load("bayes_comparison")
    assert (bayes["share_of_bayes"] <= 1.05).all()
    folds = evaluated.load("fold_metrics")
    assert folds["rows"].sum() == len(inputs["model_input_train"])


def test_tracked_metrics_hold_the_evaluation_but_not_the_decision(
    evaluated: DataCatalog,
) -> None:
    tracked = evaluated.load("evaluation_metrics")
    metrics = evaluated.load("test_metrics").set_index(["model", "metric"])
    value = tracked["test.ensemble.roc_auc"]
    assert value == {"value": metrics.loc[("ensemble", "roc_auc"), "value"], "step": 0}
    assert not any(name.startswith("promotion.") for name in tracked)
    prefixes = {name.split(".")[0] for name in tracked}
    assert prefixes == {"test", "folds", "calibration", "business", "fairness"}
    assert all(np.isfinite(v["value"]) for v in tracked.values())
    assert isinstance(evaluated.load("calibration_curve"), pd.DataFrame)


def test_threshold_transfer_is_nil_when_the_train_only_fits_are_the_ones_that_serve(
    evaluated: DataCatalog,
) -> None:
    transfer = evaluated.load("threshold_transfer")
    report = evaluated.load("business_report")
    for split in ("validation", "test"):
        for role in ("candidate", "baseline"):
            row = transfer[split][role]
            assert row["threshold"] == report[role]["threshold"]
            assert row["approval_rate_served"] == row["approval_rate_train_only"]
            assert row["decisions_changed"] == 0.0
    test = transfer["test"]["candidate"]
    assert test["approval_rate_served"] == pytest.approx(report["candidate"]["approval_rate"])
    assert transfer["largest_test_difference"] == 0.0
