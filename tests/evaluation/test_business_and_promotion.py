from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk.evaluation.business import (
    BusinessParams,
    decision_outcome,
    profit_curve,
    profit_per_loan,
)
from credit_risk.pipelines.evaluation.nodes import EvaluationParams, decide_promotion


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


def test_promotes_a_clear_winner_without_flags() -> None:
    decision = decide_promotion(
        _metrics((0.78, 0.76, 0.80), 0.72), SELECTION, CLEAN, CLEAN, {}, EvaluationParams()
    )
    assert decision["promote"] is True
    assert decision["metrics"] == {"roc_auc": 0.78}


@pytest.mark.parametrize(
    ("metrics", "fairness", "drift", "champion", "failed"),
    [
        (_metrics((0.74, 0.71, 0.77), 0.72), CLEAN, CLEAN, {}, "beats_baseline"),
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
    decision = decide_promotion(metrics, SELECTION, fairness, drift, champion, EvaluationParams())
    assert decision["promote"] is False
    assert [k for k, ok in decision["checks"].items() if not ok] == [failed]
