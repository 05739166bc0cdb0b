"""The names MLflow keeps: evaluation figures and promotion figures, finite values only."""

from __future__ import annotations

import math

import pandas as pd

from credit_risk.evaluation import tracking

METRICS = pd.DataFrame(
    {
        "model": ["ensemble", "ensemble"],
        "metric": ["roc_auc", "ks"],
        "value": [0.75, 0.4],
        "low": [0.73, 0.38],
        "high": [0.77, math.nan],
        "std": [0.01, 0.01],
    }
)
POLICY = {"threshold": 0.2, "approval_rate": 0.8, "default_rate_approved": 0.05, "profit": 9.0}
BUSINESS = {"candidate": POLICY, "baseline": POLICY, "approve_everyone": POLICY, "economics": {}}
FAIRNESS = {
    "attributes": [{"attribute": "gender", "auc_difference": 0.02, "n_groups": 2, "blocking": True}]
}


def test_evaluation_metrics_are_named_by_concern_and_skip_non_finite_values() -> None:
    tracked = tracking.evaluation_metrics(
        METRICS,
        {"difference": 0.03, "low": 0.01, "high": 0.05},
        {"roc_auc": {"mean": 0.74, "std": 0.02}},
        {"ensemble": 0.012},
        BUSINESS,
        FAIRNESS,
    )
    assert all(v["step"] == 0 for v in tracked.values())
    values = {k: v["value"] for k, v in tracked.items()}
    assert values["test.ensemble.roc_auc"] == 0.75
    assert values["test.ensemble.roc_auc_low"] == 0.73
    assert "test.ensemble.ks_high" not in values  # NaN: MLflow would refuse it
    assert values["test.auc_minus_baseline.low"] == 0.01
    assert values["folds.roc_auc.std"] == 0.02
    assert values["calibration.ensemble.ece"] == 0.012
    assert values["business.approve_everyone.profit"] == 9.0
    assert values["fairness.gender.auc_difference"] == 0.02
    assert values["fairness.gender.n_groups"] == 2.0
    assert "fairness.gender.blocking" not in values  # booleans are not figures
    assert not any(k.startswith("promotion.") for k in values)


def test_promotion_metrics_are_the_decision_and_each_check() -> None:
    decision = {
        "promote": False,
        "baseline_serves": True,
        "checks": {"not_worse_than_baseline": False, "no_drift_flags": True},
    }
    assert tracking.promotion_metrics(decision) == {
        "promotion.promote": {"value": 0.0, "step": 0},
        "promotion.baseline_serves": {"value": 1.0, "step": 0},
        "promotion.not_worse_than_baseline": {"value": 0.0, "step": 0},
        "promotion.no_drift_flags": {"value": 1.0, "step": 0},
    }
