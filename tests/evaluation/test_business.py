"""Profit of a loan, the profit curve, the best threshold and the business report."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.evaluation.business import (
    best_threshold,
    business_report,
    decision_outcome,
    profit_curve,
    threshold_of,
    threshold_transfer,
    value_per_row,
)
from credit_risk.params import BusinessParams
from credit_risk.validation import DataContractError

LOANS = DataContract(
    target_column="y",
    amount_column="amount",
    interest_rate_column="interest_rate",
    term_months_column="term_months",
)


def test_profit_of_a_loan() -> None:
    loans = pd.DataFrame(
        {
            "amount": [1_000.0, 1_000.0],
            "interest_rate": [0.12, 0.12],
            "term_months": [24, 24],
            "y": [0, 1],
        }
    )
    economics = BusinessParams(loss_given_default=0.5, interest_share_earned=0.5)
    profit = value_per_row(loans, LOANS, "loan_profit", economics)
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


def _loans(candidate: list[float], baseline: list[float], y: list[int]) -> pd.DataFrame:
    n = len(y)
    return pd.DataFrame(
        {
            "amount": [1_000.0] * n,
            "interest_rate": [0.2] * n,
            "term_months": [12] * n,
            "y": y,
            "score_lightgbm_tuned": candidate,
            "score_logistic_regression": baseline,
        }
    )


ROLES = {"candidate": "lightgbm_tuned", "baseline": "logistic_regression"}
ECONOMICS = BusinessParams(loss_given_default=0.5, interest_share_earned=0.5, grid_points=11)


def test_best_threshold_is_the_first_of_equal_maxima() -> None:
    curve = pd.DataFrame({"threshold": [0.1, 0.2, 0.3], "profit": [5.0, 9.0, 9.0]})
    assert best_threshold(curve) == (0.2, 9.0)


def test_the_report_chooses_on_validation_and_reports_on_test() -> None:
    # the candidate ranks the defaults last, the baseline ranks them first
    validation = _loans([0.1, 0.2, 0.8, 0.9], [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])
    test = _loans([0.1, 0.9, 0.2, 0.3], [0.5, 0.5, 0.5, 0.5], [0, 1, 0, 1])
    report, curves = business_report(validation, test, ROLES, LOANS, ECONOMICS)
    assert list(report) == [
        "economics",
        "rule",
        "rule_description",
        "candidate",
        "baseline",
        "approve_everyone",
        "candidate_profit_gain_vs_approve_everyone",
        "candidate_profit_gain_vs_baseline",
    ]
    assert list(curves) == ["lightgbm_tuned", "logistic_regression"]
    candidate = report["candidate"]
    # on validation: approve the two repaid loans, 2 x 1000 x 0.2 x 1 x 0.5 = 200
    assert candidate["model"] == "lightgbm_tuned" and candidate["validation_profit"] == 200.0
    assert 0.2 < candidate["threshold"] <= 0.8
    # on test at that threshold: rows 0, 2 (repaid) and 3 (defaulted, -500) are approved
    assert candidate["approval_rate"] == 0.75 and candidate["profit"] == -300.0
    assert report["approve_everyone"] == {
        "threshold": 1.0,
        "approval_rate": 1.0,
        "default_rate_approved": 0.5,
        "profit": -800.0,
    }
    gain = report["candidate_profit_gain_vs_approve_everyone"]
    assert gain == candidate["profit"] - report["approve_everyone"]["profit"]
    assert report["candidate_profit_gain_vs_baseline"] == (
        candidate["profit"] - report["baseline"]["profit"]
    )
    assert report["economics"] == ECONOMICS.model_dump()


def test_threshold_of_finds_the_model_in_either_role() -> None:
    report = {
        "candidate": {"model": "ensemble", "threshold": 0.3},
        "baseline": {"model": "logistic_regression", "threshold": 0.2},
    }
    assert threshold_of(report, "ensemble") == 0.3
    assert threshold_of(report, "logistic_regression") == 0.2
    with pytest.raises(KeyError, match="no threshold for 'constant_prior'"):
        threshold_of(report, "constant_prior")


def test_without_loan_columns_a_good_earns_and_a_bad_costs_per_outcome() -> None:
    plain = DataContract(target_column="y")
    rows = pd.DataFrame({"y": [0, 1, 0]})
    values = value_per_row(rows, plain, "per_outcome", BusinessParams(loss_per_bad=4.0))
    assert values.tolist() == [1.0, -4.0, 1.0]
    validation = _loans([0.1, 0.2, 0.8, 0.9], [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])
    report, _ = business_report(validation, validation, ROLES, plain, ECONOMICS)
    assert report["rule"] == "per_outcome"
    assert "an approved bad row costs 5.0" in report["rule_description"]
    assert report["candidate"]["validation_profit"] == 2.0  # the two goods approved


def test_the_approval_rate_rule_approves_its_share_of_validation() -> None:
    validation = _loans([0.1, 0.2, 0.3, 0.9], [0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])
    params = BusinessParams(rule="approval_rate", target_approval_rate=0.75, grid_points=11)
    report, _ = business_report(validation, validation, ROLES, LOANS, params)
    assert report["rule"] == "approval_rate"
    assert report["candidate"]["approval_rate"] == 0.75


def test_loan_profit_without_the_loan_columns_names_the_fix() -> None:
    with pytest.raises(DataContractError, match="amount_column, interest_rate_column"):
        business_report(
            _loans([0.1], [0.1], [0]),
            _loans([0.1], [0.1], [0]),
            ROLES,
            DataContract(target_column="y"),
            BusinessParams(rule="loan_profit"),
        )


def test_threshold_transfer_counts_approvals_and_flipped_decisions() -> None:
    report = {
        "candidate": {"model": "lightgbm_tuned", "threshold": 0.5},
        "baseline": {"model": "logistic_regression", "threshold": 0.3},
    }

    def scored(candidate: list[float], baseline: list[float]) -> pd.DataFrame:
        return pd.DataFrame(
            {"score_lightgbm_tuned": candidate, "score_logistic_regression": baseline}
        )

    before = scored([0.1, 0.4, 0.6, 0.9], [0.1, 0.2, 0.3, 0.4])  # approves 2 of 4, 2 of 4
    after = scored([0.1, 0.6, 0.4, 0.45], [0.1, 0.2, 0.29, 0.4])  # 3 of 4 (3 flips), 3 of 4
    out = threshold_transfer(report, before, before, before, after)
    assert out["validation"]["candidate"]["approval_rate_difference"] == 0.0
    test = out["test"]
    assert test["candidate"]["approval_rate_train_only"] == 0.5
    assert test["candidate"]["approval_rate_served"] == 0.75
    assert test["candidate"]["decisions_changed"] == 0.75
    assert test["baseline"]["approval_rate_difference"] == 0.25
    assert test["baseline"]["decisions_changed"] == 0.25
    assert out["largest_test_difference"] == 0.25
