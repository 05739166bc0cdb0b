"""The promotion gate as domain functions: selection, checks, reasons, flags, champion."""

from __future__ import annotations

import pandas as pd
import pytest

from credit_risk.evaluation import promotion
from credit_risk.models.candidates import CONSTANT, ENSEMBLE, LIGHTGBM, LOGISTIC
from credit_risk.params import PromotionParams

METRICS = pd.DataFrame(
    {
        "model": [LIGHTGBM, LIGHTGBM, LOGISTIC],
        "metric": ["roc_auc", "brier", "roc_auc"],
        "value": [0.78, 0.12, 0.72],
        "low": [0.76, 0.11, 0.70],
        "high": [0.80, 0.13, 0.74],
    }
)
SELECTION = {"candidate": LIGHTGBM, "baseline": LOGISTIC}
GAIN = {"difference": 0.06, "low": 0.04, "high": 0.08}


def test_selection_is_the_best_candidate_and_the_best_baseline_on_validation() -> None:
    board = pd.DataFrame(
        {"model": [CONSTANT, LOGISTIC, LIGHTGBM, ENSEMBLE], "val_auc": [0.5, 0.71, 0.74, 0.75]}
    )
    assert promotion.select_candidate(board) == {"candidate": ENSEMBLE, "baseline": LOGISTIC}
    board.loc[board["model"] == CONSTANT, "val_auc"] = 0.8  # a baseline on top stays a baseline
    assert promotion.select_candidate(board) == {"candidate": ENSEMBLE, "baseline": CONSTANT}


def test_metrics_of_is_one_models_point_values() -> None:
    assert promotion.metrics_of(METRICS, LIGHTGBM) == {"roc_auc": 0.78, "brier": 0.12}
    assert promotion.metrics_of(METRICS, ENSEMBLE) == {}


def test_checks_follow_the_rules_and_their_switches() -> None:
    row = METRICS.iloc[0]
    champion = {"metrics": {"roc_auc": 0.79}}
    rules = PromotionParams()
    assert promotion.checks(row, GAIN, ["f"], ["d"], champion, rules) == {
        "not_worse_than_baseline": True,
        "not_worse_than_champion": False,  # 0.78 < 0.79 - 0.005
        "no_fairness_flags": False,
        "no_drift_flags": False,
    }
    lenient = PromotionParams(
        champion_tolerance=0.02, block_on_fairness_flags=False, block_on_drift_flags=False
    )
    assert all(promotion.checks(row, GAIN, ["f"], ["d"], champion, lenient).values())


def test_reasons_name_the_interval_and_the_champion() -> None:
    row = METRICS.iloc[0]
    champion = {"candidate": ENSEMBLE, "version": 4, "metrics": {"roc_auc": 0.7712}}
    passed = {"not_worse_than_baseline": True}
    lines = promotion.reasons(row, SELECTION, GAIN, passed, champion, PromotionParams())
    assert lines == [
        "roc_auc 0.7800 [0.7600, 0.8000]; minus the best baseline (logistic_regression): "
        "+0.0600 [+0.0400, +0.0800], lower bound above -0.01",
        "champion ensemble (version 4) at 0.7712, tolerance 0.005",
    ]
    first = promotion.reasons(row, SELECTION, GAIN, passed, {}, PromotionParams())
    assert first[1] == "no current champion"


def test_decide_lists_flags_as_reasons_and_records_the_candidates_metrics() -> None:
    decision = promotion.decide(
        METRICS, SELECTION, GAIN, ["gender: gap"], [], {}, PromotionParams()
    )
    assert decision["promote"] is False
    assert decision["checks"]["no_fairness_flags"] is False
    assert "fairness flag: gender: gap" in decision["reasons"]
    assert decision["metrics"] == {"roc_auc": 0.78, "brier": 0.12}
    assert decision["baseline_serves"] is True and decision["serve"] == LOGISTIC
    assert list(decision) == [
        "promote",
        "candidate",
        "serve",
        "baseline_serves",
        "metrics",
        "checks",
        "reasons",
        "against_version",
    ]
    assert decision["against_version"] is None  # no champion in this case


def test_blocking_flags_split_by_attribute() -> None:
    summaries = [
        {"attribute": "gender", "flags": ["gap a", "gap b"], "blocking": True},
        {"attribute": "age_band", "flags": ["gap c"], "blocking": False},
        {"attribute": "region", "flags": [], "blocking": True},
    ]
    assert promotion.blocking_flags(summaries) == {
        "flags": ["gender: gap a", "gender: gap b"],
        "warnings": ["age_band: gap c"],
    }


@pytest.mark.parametrize(
    ("promote", "baseline_serves", "moves"),
    [(True, False, True), (False, True, True), (False, False, False)],
)
def test_the_champion_moves_when_promoted_or_when_the_baseline_serves_first(
    promote: bool, baseline_serves: bool, moves: bool
) -> None:
    decision = {
        "promote": promote,
        "baseline_serves": baseline_serves,
        "serve": LOGISTIC,
        "reasons": ["r"],
        "against_version": 3,
    }
    assert promotion.champion_update(decision, 7) == {
        "promote": moves,
        "version": 7,
        "candidate": LOGISTIC,
        "reasons": ["r"],
        "against_version": 3,
    }
