"""The business view: expected profit of lending decisions at a threshold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from credit_risk.models.candidates import score_column
from credit_risk.params import BusinessParams

POLICIES = ("candidate", "baseline", "approve_everyone")


def profit_per_loan(frame: pd.DataFrame, target: str, params: BusinessParams) -> np.ndarray:
    """What approving each loan earned: interest if repaid, minus the loss if defaulted.

    Args:
        frame: Rows with ``amount``, ``interest_rate``, ``term_months`` and the target.
        target: Column of 0/1 labels.
        params: Loss given default and share of interest earned.

    Returns:
        Profit of approving each row.
    """
    amount = frame["amount"].to_numpy(dtype=np.float64)
    interest = (
        amount
        * frame["interest_rate"].to_numpy(dtype=np.float64)
        * frame["term_months"].to_numpy(dtype=np.float64)
        / 12
        * params.interest_share_earned
    )
    defaulted = frame[target].to_numpy(dtype=np.int64) == 1
    return np.where(defaulted, -params.loss_given_default * amount, interest)


def profit_curve(score: np.ndarray, profit: np.ndarray, grid_points: int) -> pd.DataFrame:
    """Total profit and approval rate when approving every score below each threshold.

    Args:
        score: Predicted probabilities of default.
        profit: Profit of approving each row.
        grid_points: Thresholds, at quantiles of the scores (plus approve-all).

    Returns:
        Threshold, approval rate and total profit per threshold.
    """
    thresholds = np.unique(
        np.append(np.quantile(score, np.linspace(0, 1, grid_points)), 1.0 + 1e-9)
    )
    approved = score[None, :] < thresholds[:, None]
    return pd.DataFrame(
        {
            "threshold": thresholds,
            "approval_rate": approved.mean(axis=1),
            "profit": (approved * profit[None, :]).sum(axis=1),
        }
    )


def decision_outcome(
    score: np.ndarray, profit: np.ndarray, defaulted: np.ndarray, threshold: float
) -> dict[str, Any]:
    """Approval rate, default rate among approved and profit at a threshold.

    Args:
        score: Predicted probabilities of default.
        profit: Profit of approving each row.
        defaulted: 0/1 labels.
        threshold: Approve when the score is below it.

    Returns:
        The outcome.
    """
    approved = score < threshold
    return {
        "threshold": float(threshold),
        "approval_rate": float(approved.mean()),
        "default_rate_approved": float(defaulted[approved].mean()) if approved.any() else 0.0,
        "profit": float(profit[approved].sum()),
    }


def best_threshold(curve: pd.DataFrame) -> tuple[float, float]:
    """The threshold of a profit curve that earns the most, and that profit.

    Args:
        curve: From :func:`profit_curve`.

    Returns:
        ``(threshold, profit)``; the first of equal maxima.
    """
    best = curve.iloc[int(np.argmax(curve["profit"].to_numpy()))]
    return float(best["threshold"]), float(best["profit"])


def business_report(
    validation: pd.DataFrame,
    test: pd.DataFrame,
    models: Mapping[str, str],
    target: str,
    params: BusinessParams,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Each model's profit-maximising threshold chosen on validation, and its test outcome.

    Args:
        validation: Scored validation rows (choose the thresholds).
        test: Scored test rows (report the outcome).
        models: Role (``candidate``, ``baseline``) -> model name, its ``score_<name>``.
        target: Column of 0/1 labels.
        params: Loan economics.

    Returns:
        The report (the economics, one outcome per role and approving everyone, the
        candidate's profit gains), and each model's validation profit curve by name.
    """
    val_profit = profit_per_loan(validation, target, params)
    test_profit = profit_per_loan(test, target, params)
    defaulted = test[target].to_numpy(dtype=np.int64)
    report: dict[str, Any] = {"economics": params.model_dump()}
    curves = {}
    for role, model in models.items():
        column = score_column(model)
        curves[model] = profit_curve(validation[column].to_numpy(), val_profit, params.grid_points)
        threshold, profit = best_threshold(curves[model])
        outcome = decision_outcome(test[column].to_numpy(), test_profit, defaulted, threshold)
        report[role] = {"model": model, "validation_profit": profit, **outcome}
    report["approve_everyone"] = decision_outcome(
        np.zeros(len(defaulted)), test_profit, defaulted, 1.0
    )
    everyone, baseline = report["approve_everyone"]["profit"], report["baseline"]["profit"]
    report["candidate_profit_gain_vs_approve_everyone"] = report["candidate"]["profit"] - everyone
    report["candidate_profit_gain_vs_baseline"] = report["candidate"]["profit"] - baseline
    return report, curves


def threshold_of(report: dict[str, Any], model: str) -> float:
    """The decision threshold the business report chose for a model.

    Args:
        report: From :func:`business_report`.
        model: The candidate's or the baseline's name.

    Returns:
        Its threshold.

    Raises:
        KeyError: The report holds no threshold for that model.
    """
    for role in ("candidate", "baseline"):
        if report[role]["model"] == model:
            return float(report[role]["threshold"])
    raise KeyError(
        f"The business report has no threshold for '{model}': expected the candidate "
        f"'{report['candidate']['model']}' or the baseline '{report['baseline']['model']}'"
    )
