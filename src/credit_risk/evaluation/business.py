"""The business view: expected profit of lending decisions at a threshold."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from credit_risk.params import BusinessParams


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
