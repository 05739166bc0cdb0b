from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk.evaluation.business import decision_outcome, profit_curve, profit_per_loan
from credit_risk.params import BusinessParams, EvaluationParams
from credit_risk.pipelines.evaluation.nodes import decide_promotion


def test_profit_of_a_loan() -> None:
    loans = pd.DataFrame(
        {
            "amount": [1_000.0, 1_000.0],
            "interest_rate": [0.12, 0.12],
            "term_months": [24, 24],
            "y": [0, 1],
        }
    )
    profit = profit_per_loan(
        loans, "y", BusinessParams(loss_given_default=0.5, interest_share_earned=0.5)
    )
    assert profit.tolist() == [pytest.approx(120.0), -500.0]


def test_best_threshold_declines_the_risky_loans() -> None:
    score = np.array([0.05, 0.1, 0.6, 0.9])
    profit = np.array([100.0, 80.0, -500.0, -600.0])
    curve = profit_curve(score, profit, 11)
    best = curve.iloc[int(np.argmax(curve["profit"].to_numpy()))]
    assert best["profit"] == 180.0 and best["approval_rate"] == 0.5
    outcome = decision_outcome(score, profit, np.array([0, 0, 1, 1]), float(best["threshold"]))
    assert outcome == {
        "threshold": pytest.approx(best["threshold"]),
        "approval_rate": 0.5,
        "default_rate_approved": 0.0,
        "profit": 180.0,
    }


def _metrics(candidate: tuple[float, float, float], baseline: float) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "model": "lightgbm_tuned",
                "metric": "roc_auc",
                "value": candidate[0],
                "low": candidate[1],
                "high": candidate[2],
                "std": 0.01,
            },
            {
                "model": "logistic_regression",
                "metric": "roc_auc",
                "value": baseline,
                "low": baseline - 0.02,
                "high": baseline + 0.02,
                "std": 0.01,
            },
        ]
    )


SELECTION = {"candidate": "lightgbm_tuned", "baseline": "logistic_regression"}
CLEAN = {"flags": []}
GAIN = {"difference": 0.06, "low": 0.04, "high": 0.08}
LOSS = {"difference": -0.02, "low": -0.035, "high": -0.005}


def test_promotes_a_clear_winner_without_flags() -> None:
    decision = decide_promotion(
        _metrics((0.78, 0.76, 0.80), 0.72), SELECTION, GAIN, CLEAN, CLEAN, {}, EvaluationParams()
    )
    assert decision["promote"] is True
    assert decision["metrics"] == {"roc_auc": 0.78}


def test_baseline_rule_is_non_inferiority_with_a_margin() -> None:
    close = {"difference": 0.002, "low": -0.008, "high": 0.012}
    metrics = _metrics((0.722, 0.70, 0.74), 0.72)
    lenient = decide_promotion(metrics, SELECTION, close, CLEAN, CLEAN, {}, EvaluationParams())
    assert lenient["checks"]["not_worse_than_baseline"] is True
    strict = EvaluationParams.model_validate({"promotion": {"baseline_margin": 0.0}})
    refused = decide_promotion(metrics, SELECTION, close, CLEAN, CLEAN, {}, strict)
    assert refused["checks"]["not_worse_than_baseline"] is False
    assert "-0.0080" in refused["reasons"][0]


@pytest.mark.parametrize(
    ("metrics", "fairness", "drift", "champion", "failed"),
    [
        (_metrics((0.70, 0.67, 0.73), 0.72), CLEAN, CLEAN, {}, "not_worse_than_baseline"),
        (
            _metrics((0.78, 0.76, 0.80), 0.72),
            {"flags": ["gender: gap"]},
            CLEAN,
            {},
            "no_fairness_flags",
        ),
        (
            _metrics((0.78, 0.76, 0.80), 0.72),
            CLEAN,
            {"flags": ["scores drifted"]},
            {},
            "no_drift_flags",
        ),
        (
            _metrics((0.78, 0.76, 0.80), 0.72),
            CLEAN,
            CLEAN,
            {"candidate": "old", "metrics": {"roc_auc": 0.79}},
            "not_worse_than_champion",
        ),
    ],
)
def test_each_rule_can_block(
    metrics: pd.DataFrame, fairness: dict, drift: dict, champion: dict, failed: str
) -> None:
    comparison = LOSS if failed == "not_worse_than_baseline" else GAIN
    decision = decide_promotion(
        metrics, SELECTION, comparison, fairness, drift, champion, EvaluationParams()
    )
    assert decision["promote"] is False
    assert [k for k, ok in decision["checks"].items() if not ok] == [failed]


def test_a_refused_candidate_leaves_the_first_champion_to_the_baseline() -> None:
    metrics = _metrics((0.70, 0.67, 0.73), 0.72)
    first = decide_promotion(metrics, SELECTION, LOSS, CLEAN, CLEAN, {}, EvaluationParams())
    assert first["promote"] is False and first["baseline_serves"] is True
    assert first["serve"] == "logistic_regression"
    assert "serves until a candidate passes" in first["reasons"][-1]
    champion = {"candidate": "logistic_regression", "version": 1, "metrics": {"roc_auc": 0.72}}
    later = decide_promotion(metrics, SELECTION, LOSS, CLEAN, CLEAN, champion, EvaluationParams())
    assert later["baseline_serves"] is False and later["serve"] == "lightgbm_tuned"
    strict = EvaluationParams.model_validate({"promotion": {"baseline_serves_first": False}})
    off = decide_promotion(metrics, SELECTION, LOSS, CLEAN, CLEAN, {}, strict)
    assert off["baseline_serves"] is False and off["serve"] == "lightgbm_tuned"
