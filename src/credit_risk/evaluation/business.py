"""The business view: expected profit of lending decisions at a threshold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.models.candidates import score_column
from credit_risk.params import BusinessParams
from credit_risk.validation import DataContractError

POLICIES = ("candidate", "baseline", "approve_everyone")


def resolved_rule(contract: DataContract, params: BusinessParams) -> str:
    """The rule the business view applies (``auto`` resolved from the contract).

    Args:
        contract: Names the loan columns, if the table has them.
        params: The configured rule.

    Returns:
        ``loan_profit``, ``per_outcome`` or ``approval_rate``.

    Raises:
        DataContractError: ``loan_profit`` asked for, but the contract lacks a loan column.
    """
    if params.rule == "auto":
        return "loan_profit" if contract.loan_columns else "per_outcome"
    if params.rule == "loan_profit" and not contract.loan_columns:
        raise DataContractError(
            contract.dataset,
            contract.amount_column or "amount_column",
            "evaluation.business.rule is loan_profit, but the contract does not name all of "
            "amount_column, interest_rate_column and term_months_column",
            "name the three columns in the data contract, or set evaluation.business.rule to "
            "per_outcome, approval_rate or auto",
        )
    return params.rule


def describe_rule(rule: str, params: BusinessParams, contract: DataContract) -> str:
    """One sentence for the model card: how the threshold was chosen and valued.

    Args:
        rule: From :func:`resolved_rule`.
        params: Its settings.
        contract: The amount column, if any.

    Returns:
        The sentence.
    """
    weight = f" x {contract.amount_column}" if contract.amount_column else ""
    if rule == "loan_profit":
        return (
            f"Threshold maximising expected loan profit on validation: interest "
            f"({contract.interest_rate_column} x {contract.term_months_column} / 12 x "
            f"{params.interest_share_earned}) on repaid loans, minus "
            f"{params.loss_given_default} x {contract.amount_column} on defaults."
        )
    per_outcome = (
        f"an approved good row earns {params.value_per_good}{weight}, an approved bad row "
        f"costs {params.loss_per_bad}{weight}"
    )
    if rule == "approval_rate":
        return (
            f"Threshold approving {params.target_approval_rate:.0%} of the validation rows; "
            f"valued as {per_outcome}."
        )
    return f"Threshold maximising value on validation, where {per_outcome}."


def value_per_row(
    frame: pd.DataFrame, contract: DataContract, rule: str, params: BusinessParams
) -> np.ndarray:
    """What approving each row is worth under the rule.

    Args:
        frame: Rows with the target (and the loan or amount columns the rule reads).
        contract: Column roles.
        rule: From :func:`resolved_rule`.
        params: Economics.

    Returns:
        Value of approving each row.
    """
    defaulted = frame[contract.target_column].to_numpy(dtype=np.int64) == 1
    if rule == "loan_profit":
        amount = frame[str(contract.amount_column)].to_numpy(dtype=np.float64)
        rate = frame[str(contract.interest_rate_column)].to_numpy(dtype=np.float64)
        term = frame[str(contract.term_months_column)].to_numpy(dtype=np.float64)
        interest = amount * rate * term / 12 * params.interest_share_earned
        return np.where(defaulted, -params.loss_given_default * amount, interest)
    weight = np.ones(len(frame))
    if contract.amount_column:
        weight = frame[contract.amount_column].to_numpy(dtype=np.float64)
    return np.where(defaulted, -params.loss_per_bad, params.value_per_good) * weight


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
    contract: DataContract,
    params: BusinessParams,
) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Each model's profit-maximising threshold chosen on validation, and its test outcome.

    Args:
        validation: Scored validation rows (choose the thresholds).
        test: Scored test rows (report the outcome).
        models: Role (``candidate``, ``baseline``) -> model name, its ``score_<name>``.
        contract: Column roles (the target, the loan or amount columns).
        params: The rule and its economics.

    Returns:
        The report (the economics, one outcome per role and approving everyone, the
        candidate's profit gains), and each model's validation profit curve by name.
    """
    rule = resolved_rule(contract, params)
    val_profit = value_per_row(validation, contract, rule, params)
    test_profit = value_per_row(test, contract, rule, params)
    defaulted = test[contract.target_column].to_numpy(dtype=np.int64)
    report: dict[str, Any] = {
        "economics": params.model_dump(),
        "rule": rule,
        "rule_description": describe_rule(rule, params, contract),
    }
    curves = {}
    for role, model in models.items():
        column = score_column(model)
        curves[model] = profit_curve(validation[column].to_numpy(), val_profit, params.grid_points)
        threshold, profit = best_threshold(curves[model])
        if rule == "approval_rate":
            threshold, profit = approval_threshold(curves[model], params.target_approval_rate)
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


def approval_threshold(curve: pd.DataFrame, rate: float) -> tuple[float, float]:
    """The threshold of a profit curve whose approval rate is closest to ``rate``.

    Args:
        curve: From :func:`profit_curve`.
        rate: The target approval rate.

    Returns:
        ``(threshold, value)``; the first of equally close thresholds.
    """
    best = curve.iloc[int(np.argmin(np.abs(curve["approval_rate"].to_numpy() - rate)))]
    return float(best["threshold"]), float(best["profit"])


def threshold_transfer(
    report: dict[str, Any],
    validation_train_only: pd.DataFrame,
    test_train_only: pd.DataFrame,
    validation_served: pd.DataFrame,
    test_served: pd.DataFrame,
) -> dict[str, Any]:
    """How the thresholds chosen on the train-only fits behave on the models that serve.

    The thresholds are chosen on validation scores of fits that never saw validation,
    then applied by models refitted on training + validation. This measures what that
    move changes: per split and role, the approval rate at the chosen threshold under
    each fit, their difference, and the share of rows whose decision flips. On test
    neither fit saw the rows, so the test figures are the honest ones; on validation the
    served fit is in-sample.

    Args:
        report: From :func:`business_report` (the roles, models and thresholds).
        validation_train_only: Validation rows scored by the train-only fits.
        test_train_only: Test rows scored by the train-only fits.
        validation_served: Validation rows scored by the models that serve.
        test_served: Test rows scored by the models that serve.

    Returns:
        ``{split: {role: {model, threshold, approval_rate_train_only,
        approval_rate_served, approval_rate_difference, decisions_changed}}}``, and
        ``largest_test_difference`` (absolute, over roles).
    """
    pairs = {
        "validation": (validation_train_only, validation_served),
        "test": (test_train_only, test_served),
    }
    out: dict[str, Any] = {}
    for split, (before, after) in pairs.items():
        out[split] = {}
        for role in ("candidate", "baseline"):
            model, threshold = report[role]["model"], float(report[role]["threshold"])
            column = score_column(model)
            old = before[column].to_numpy() < threshold
            new = after[column].to_numpy() < threshold
            out[split][role] = {
                "model": model,
                "threshold": threshold,
                "approval_rate_train_only": float(old.mean()),
                "approval_rate_served": float(new.mean()),
                "approval_rate_difference": float(new.mean() - old.mean()),
                "decisions_changed": float((old != new).mean()),
            }
    out["largest_test_difference"] = max(
        abs(v["approval_rate_difference"]) for v in out["test"].values()
    )
    return out
