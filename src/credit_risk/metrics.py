"""The one ROC AUC of the project: rank-based, ties counted half, vectorised over rows."""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata


def roc_auc_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC of each row of ``target``/``score`` (shape (rows, n)), by Mann-Whitney.

    Args:
        target: 0/1 labels, one sample per row.
        score: Scores; higher means more likely 1. NaN is not allowed.

    Returns:
        One AUC per row; NaN where a row holds a single class.
    """
    y = np.asarray(target)
    positives = y.sum(axis=1)
    negatives = y.shape[1] - positives
    ranks = rankdata(score, axis=1)  # average ranks: ties count half
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (np.where(y == 1, ranks, 0).sum(axis=1) - positives * (positives + 1) / 2) / (
            positives * negatives
        )
    return np.asarray(auc, dtype=np.float64)


def roc_auc(target: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC of one set of scores.

    Args:
        target: 0/1 labels.
        score: Scores; higher means more likely 1. NaN is not allowed.

    Returns:
        The AUC, or NaN when ``target`` holds a single class.
    """
    y = np.asarray(target).astype(np.int64)[None, :]
    return float(roc_auc_rows(y, np.asarray(score, dtype=np.float64)[None, :])[0])
