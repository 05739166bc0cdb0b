"""Small, dependency-free metrics used by the data checks."""

from __future__ import annotations

import numpy as np
import pandas as pd


def roc_auc(target: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve by the Mann-Whitney rank statistic (ties count half).

    Args:
        target: 0/1 labels.
        score: Scores; higher means more likely 1. NaN is not allowed.

    Returns:
        The AUC, or NaN when ``target`` holds a single class.
    """
    y = np.asarray(target).astype(bool)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = pd.Series(np.asarray(score)).rank(method="average").to_numpy()
    return float((ranks[y].sum() - positives * (positives + 1) / 2) / (positives * negatives))
