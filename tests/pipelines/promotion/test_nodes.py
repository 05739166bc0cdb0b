"""Promotion nodes: the gate's decision, the champion update, the tracked figures, the charts."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import plotly.graph_objects as go
import pytest

from credit_risk.evaluation import card
from credit_risk.params import EvaluationParams
from credit_risk.pipelines.promotion.nodes import collect_charts, decide_promotion, update_champion


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


def test_the_registry_update_carries_the_challengers_version() -> None:
    # only the registry's record of the loaded challenger is read
    challenger = SimpleNamespace(info={"registry": {"version": 5}, "metrics": {}})
    decision = {
        "promote": False,
        "baseline_serves": True,
        "serve": "logistic_regression",
        "reasons": ["why"],
        "against_version": None,
    }
    assert update_champion(decision, challenger) == {
        "promote": True,
        "version": 5,
        "candidate": "logistic_regression",
        "reasons": ["why"],
        "against_version": None,
    }


def test_the_card_shows_the_charts_in_its_order() -> None:
    names = list(card.CARD_CHARTS)
    figures = {name: go.Figure(layout={"title": name}) for name in reversed(names)}
    named = collect_charts(**figures)
    assert list(named)[:3] == ["ROC", "Precision-recall", "KS curve"]
    assert list(named) == list(card.CARD_CHARTS.values())
    assert [f.layout.title.text for f in named.values()] == names
