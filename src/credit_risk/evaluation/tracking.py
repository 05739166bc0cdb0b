"""The figures MLflow keeps of an evaluation and of a promotion, by metric name.

Both are saved by ``kedro_mlflow``'s ``MlflowMetricsHistoryDataset`` under the
``evaluation`` prefix, so a name ``test.ensemble.roc_auc`` here is the MLflow metric
``evaluation.test.ensemble.roc_auc``. Non-finite values are left out (MLflow refuses them).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from credit_risk.evaluation.business import POLICIES

Metrics = dict[str, dict[str, float]]
"""kedro-mlflow's metric format: name -> ``{"value": v, "step": 0}``."""


def history(figures: dict[str, float]) -> Metrics:
    """Figures in kedro-mlflow's metric format, at step 0, the non-finite ones left out.

    Args:
        figures: Metric name -> value.

    Returns:
        Metric name -> ``{"value": v, "step": 0}``.
    """
    return {k: {"value": v, "step": 0} for k, v in figures.items() if np.isfinite(v)}


def metric_figures(metrics: pd.DataFrame, baseline_comparison: dict[str, Any]) -> dict[str, float]:
    """Each model's test metrics with their interval, and the paired gain over the baseline.

    Args:
        metrics: Long table (``model``, ``metric``, ``value``, ``low``, ``high``).
        baseline_comparison: Paired AUC difference, candidate minus best baseline.

    Returns:
        ``test.<model>.<metric>`` (and ``_low``, ``_high``), ``test.auc_minus_baseline.*``.
    """
    out: dict[str, float] = {}
    for row in metrics.itertuples():
        for part in ("value", "low", "high"):
            suffix = "" if part == "value" else f"_{part}"
            out[f"test.{row.model}.{row.metric}{suffix}"] = float(getattr(row, part))
    for key in ("difference", "low", "high"):
        out[f"test.auc_minus_baseline.{key}"] = float(baseline_comparison[key])
    return out


def business_figures(business_report: dict[str, Any]) -> dict[str, float]:
    """Each policy's threshold, approval rate, default rate among approved and profit.

    Args:
        business_report: From :func:`credit_risk.evaluation.business.business_report`.

    Returns:
        ``business.<policy>.<figure>`` -> value.
    """
    return {
        f"business.{policy}.{key}": float(business_report[policy][key])
        for policy in POLICIES
        for key in ("threshold", "approval_rate", "default_rate_approved", "profit")
    }


def fairness_figures(fairness_summary: dict[str, Any]) -> dict[str, float]:
    """Every numeric figure of each sensitive attribute's summary (gaps, group counts).

    Args:
        fairness_summary: Holds one summary per attribute under ``attributes``.

    Returns:
        ``fairness.<attribute>.<figure>`` -> value.
    """
    return {
        f"fairness.{attribute['attribute']}.{key}": float(value)
        for attribute in fairness_summary["attributes"]
        for key, value in attribute.items()
        if isinstance(value, float | int) and not isinstance(value, bool)
    }


def evaluation_metrics(
    metrics: pd.DataFrame,
    baseline_comparison: dict[str, Any],
    variance: dict[str, Any],
    eces: dict[str, float],
    business_report: dict[str, Any],
    fairness_summary: dict[str, Any],
) -> Metrics:
    """The figures MLflow keeps of an evaluation, in kedro-mlflow's metric format.

    Args:
        metrics: Test metrics with intervals.
        baseline_comparison: Paired AUC difference with the best baseline.
        variance: Fold metrics' mean and std.
        eces: Expected calibration error per model.
        business_report: Business outcome.
        fairness_summary: Per-attribute gaps.

    Returns:
        Metric name -> ``{"value": v, "step": 0}``: ``test.*``, ``folds.*``,
        ``calibration.*``, ``business.*`` and ``fairness.*``.
    """
    figures = metric_figures(metrics, baseline_comparison)
    for metric, stats in variance.items():
        figures[f"folds.{metric}.mean"] = float(stats["mean"])
        figures[f"folds.{metric}.std"] = float(stats["std"])
    figures.update({f"calibration.{k}.ece": float(v) for k, v in eces.items()})
    figures.update(business_figures(business_report))
    figures.update(fairness_figures(fairness_summary))
    return history(figures)


def promotion_metrics(decision: dict[str, Any]) -> Metrics:
    """The figures MLflow keeps of a promotion decision, in kedro-mlflow's metric format.

    Args:
        decision: From :func:`credit_risk.evaluation.promotion.decide`.

    Returns:
        ``promotion.promote``, ``promotion.baseline_serves`` and one ``promotion.<check>``
        per rule: 1.0 passed (or true), 0.0 not.
    """
    figures = {
        "promotion.promote": float(decision["promote"]),
        "promotion.baseline_serves": float(decision["baseline_serves"]),
    }
    figures.update({f"promotion.{check}": float(ok) for check, ok in decision["checks"].items()})
    return history(figures)
