"""Discrimination and calibration metrics, with vectorised bootstrap intervals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_risk.metrics import all_rows, roc_auc_rows

METRICS = ("roc_auc", "pr_auc", "log_loss", "brier", "ks")


def point_metrics(target: np.ndarray, score: np.ndarray) -> dict[str, float]:
    """ROC AUC, PR AUC (average precision), log loss, Brier and KS of one set of scores.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities.

    Returns:
        Metric name -> value.
    """
    values = all_rows(target, score)
    return {name: float(v[0]) for name, v in values.items()}


def bootstrap_intervals(
    target: np.ndarray, score: np.ndarray, n_resamples: int, seed: int, level: float = 0.95
) -> pd.DataFrame:
    """Percentile bootstrap intervals of every metric, all resamples at once.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities.
        n_resamples: Bootstrap resamples.
        seed: Seed of the resampling.
        level: Coverage of the interval.

    Returns:
        One row per metric: ``value`` (on the full data), ``low``, ``high``, ``std``.
    """
    y = np.asarray(target, dtype=np.int64)
    p = np.asarray(score, dtype=np.float64)
    index = np.random.default_rng(seed).integers(0, len(y), size=(n_resamples, len(y)))
    resampled = all_rows(y[index], p[index])
    point = point_metrics(y, p)
    tail = (1 - level) / 2 * 100
    rows = []
    for name in METRICS:
        values = resampled[name][np.isfinite(resampled[name])]
        low, high = np.percentile(values, [tail, 100 - tail])
        rows.append(
            {
                "metric": name,
                "value": point[name],
                "low": float(low),
                "high": float(high),
                "std": float(values.std()),
            }
        )
    return pd.DataFrame(rows)


def reliability(target: np.ndarray, score: np.ndarray, n_bins: int) -> tuple[pd.DataFrame, float]:
    """Reliability curve on equal-count bins, and the expected calibration error.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities.
        n_bins: Number of bins (quantiles of the scores).

    Returns:
        Per bin: mean predicted, observed rate, count; and the ECE (count-weighted mean
        absolute gap between predicted and observed).
    """
    frame = pd.DataFrame({"y": target, "p": score})
    frame["bin"] = pd.qcut(frame["p"].rank(method="first"), n_bins, labels=False)
    curve = (
        frame.groupby("bin")
        .agg(mean_predicted=("p", "mean"), observed_rate=("y", "mean"), count=("y", "size"))
        .reset_index()
    )
    gap = (curve["mean_predicted"] - curve["observed_rate"]).abs()
    ece = float((gap * curve["count"]).sum() / curve["count"].sum())
    return curve, ece


def paired_auc_difference(
    target: np.ndarray,
    score: np.ndarray,
    reference: np.ndarray,
    n_resamples: int,
    seed: int,
    level: float = 0.95,
) -> dict[str, float]:
    """ROC AUC of ``score`` minus that of ``reference`` on the same rows, with a paired interval.

    Both models are scored on the same resampled rows, so the interval reflects the
    difference itself, far narrower than comparing two separate intervals.

    Args:
        target: 0/1 labels.
        score: The candidate's probabilities.
        reference: The other model's probabilities for the same rows.
        n_resamples: Bootstrap resamples.
        seed: Seed of the resampling.
        level: Coverage of the interval.

    Returns:
        ``{"difference", "low", "high"}``.
    """
    y = np.asarray(target, dtype=np.int64)
    index = np.random.default_rng(seed).integers(0, len(y), size=(n_resamples, len(y)))
    a = np.asarray(score, dtype=np.float64)
    b = np.asarray(reference, dtype=np.float64)
    diffs = roc_auc_rows(y[index], a[index]) - roc_auc_rows(y[index], b[index])
    diffs = diffs[np.isfinite(diffs)]
    tail = (1 - level) / 2 * 100
    low, high = np.percentile(diffs, [tail, 100 - tail])
    point = roc_auc_rows(y[None, :], a[None, :])[0] - roc_auc_rows(y[None, :], b[None, :])[0]
    return {"difference": float(point), "low": float(low), "high": float(high)}
