"""The one implementation of each metric in the project, vectorised over rows.

Every function takes ``target``/``score`` of shape ``(rows, n)`` (one sample per row, so a
bootstrap is one call) and returns one value per row. The threshold metrics (average
precision, KS) are computed on *distinct* thresholds, so tied scores count as one
threshold, as scikit-learn's ``precision_recall_curve``/``roc_curve`` do: a constant
score has KS 0 and average precision equal to the default rate. The scalar forms below
(``roc_auc``, ``average_precision``...) are the same code on one row, and are what
training, the leaderboard, the ensemble, fairness and evaluation all call.
"""

from __future__ import annotations

import numpy as np
from scipy.stats import rankdata

# scikit-learn's clipping of probabilities in ``log_loss`` (the float64 machine epsilon).
_EPS = float(np.finfo(np.float64).eps)


def _rows(target: np.ndarray, score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y = np.atleast_2d(np.asarray(target)).astype(np.int64)
    p = np.atleast_2d(np.asarray(score, dtype=np.float64))
    return y, p


def roc_auc_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """ROC AUC of each row, by Mann-Whitney with average ranks (a tie counts half).

    Args:
        target: 0/1 labels, one sample per row.
        score: Scores; higher means more likely 1. NaN is not allowed.

    Returns:
        One AUC per row; NaN where a row holds a single class.
    """
    y, p = _rows(target, score)
    positives = y.sum(axis=1)
    negatives = y.shape[1] - positives
    ranks = rankdata(p, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        auc = (np.where(y == 1, ranks, 0).sum(axis=1) - positives * (positives + 1) / 2) / (
            positives * negatives
        )
    return np.asarray(auc, dtype=np.float64)


def _sorted_with_groups(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels sorted by descending score, and for each position the last index of its tie.

    A threshold sits at the last position of each run of equal scores: every row of the
    run is on the same side of it. ``group_end[r, i]`` is that position for row ``i``.
    """
    order = np.argsort(-p, axis=1, kind="stable")
    y_sorted = np.take_along_axis(y, order, axis=1)
    p_sorted = np.take_along_axis(p, order, axis=1)
    n = p.shape[1]
    is_end = np.ones_like(p_sorted, dtype=bool)
    is_end[:, :-1] = p_sorted[:, :-1] != p_sorted[:, 1:]
    positions = np.where(is_end, np.arange(n), n)
    group_end = np.minimum.accumulate(positions[:, ::-1], axis=1)[:, ::-1]
    return y_sorted, group_end


def _threshold_metrics(y: np.ndarray, p: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y_sorted, group_end = _sorted_with_groups(y, p)
    n = y.shape[1]
    positives = y_sorted.sum(axis=1)
    negatives = n - positives
    true_pos = np.cumsum(y_sorted, axis=1)
    at_end = np.take_along_axis(true_pos, group_end, axis=1)  # TP at each row's threshold
    precision_at_end = at_end / (group_end + 1)
    with np.errstate(invalid="ignore", divide="ignore"):
        # Each positive raises recall by 1/P at its tie's threshold, where precision is read.
        average_precision = np.where(y_sorted == 1, precision_at_end, 0.0).sum(axis=1) / positives
        tpr = at_end / positives[:, None]
        fpr = (group_end + 1 - at_end) / negatives[:, None]
        ks = np.abs(tpr - fpr).max(axis=1)
    # A single class: no curve, no value (as for the AUC).
    one_class = (positives == 0) | (negatives == 0)
    return (
        np.where(positives == 0, np.nan, average_precision),
        np.where(one_class, np.nan, ks),
    )


def average_precision_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Average precision (PR AUC) of each row: sum over thresholds of recall gained times precision.

    Args:
        target: 0/1 labels, one sample per row.
        score: Scores; higher means more likely 1.

    Returns:
        One value per row; NaN where a row holds no positive.
    """
    y, p = _rows(target, score)
    return _threshold_metrics(y, p)[0]


def ks_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Kolmogorov-Smirnov statistic of each row: the largest |TPR - FPR| over thresholds.

    Args:
        target: 0/1 labels, one sample per row.
        score: Scores; higher means more likely 1.

    Returns:
        One value per row; NaN where a row holds a single class.
    """
    y, p = _rows(target, score)
    return _threshold_metrics(y, p)[1]


def log_loss_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Mean binary cross-entropy of each row, probabilities clipped as scikit-learn does.

    Args:
        target: 0/1 labels, one sample per row.
        score: Predicted probabilities of 1.

    Returns:
        One value per row.
    """
    y, p = _rows(target, score)
    likelihood = np.where(y == 1, p, 1.0 - p)
    return np.asarray(-np.log(np.clip(likelihood, _EPS, 1 - _EPS)).mean(axis=1))


def brier_rows(target: np.ndarray, score: np.ndarray) -> np.ndarray:
    """Mean squared difference between probability and outcome, for each row.

    Args:
        target: 0/1 labels, one sample per row.
        score: Predicted probabilities of 1.

    Returns:
        One value per row.
    """
    y, p = _rows(target, score)
    return np.asarray(((p - y) ** 2).mean(axis=1))


def all_rows(target: np.ndarray, score: np.ndarray) -> dict[str, np.ndarray]:
    """Every metric of each row, sorting once for the threshold metrics.

    Args:
        target: 0/1 labels, one sample per row.
        score: Predicted probabilities of 1.

    Returns:
        ``roc_auc``, ``pr_auc`` (average precision), ``log_loss``, ``brier``, ``ks``.
    """
    y, p = _rows(target, score)
    average_precision, ks = _threshold_metrics(y, p)
    return {
        "roc_auc": roc_auc_rows(y, p),
        "pr_auc": average_precision,
        "log_loss": log_loss_rows(y, p),
        "brier": brier_rows(y, p),
        "ks": ks,
    }


def roc_auc(target: np.ndarray, score: np.ndarray) -> float:
    """ROC AUC of one set of scores (NaN when ``target`` holds a single class)."""
    return float(roc_auc_rows(target, score)[0])


def average_precision(target: np.ndarray, score: np.ndarray) -> float:
    """Average precision of one set of scores (NaN when there is no positive)."""
    return float(average_precision_rows(target, score)[0])


def ks(target: np.ndarray, score: np.ndarray) -> float:
    """KS statistic of one set of scores (NaN when ``target`` holds a single class)."""
    return float(ks_rows(target, score)[0])


def log_loss(target: np.ndarray, score: np.ndarray) -> float:
    """Log loss of one set of probabilities."""
    return float(log_loss_rows(target, score)[0])


def brier(target: np.ndarray, score: np.ndarray) -> float:
    """Brier score of one set of probabilities."""
    return float(brier_rows(target, score)[0])
