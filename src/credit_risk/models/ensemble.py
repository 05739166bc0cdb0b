"""A weighted blend of member models' log-odds, its weight chosen on validation."""

from __future__ import annotations

from typing import Any

import numpy as np

from credit_risk import metrics
from credit_risk.params import EnsembleParams

_EPS = 1e-12


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1 - _EPS)
    return np.asarray(np.log(p / (1 - p)), dtype=np.float64)


def blend(weights: dict[str, float], predictions: dict[str, np.ndarray]) -> np.ndarray:
    """Combine member probabilities as a weighted mean of their log-odds.

    Args:
        weights: Member name -> weight (summing to 1).
        predictions: Member name -> probabilities.

    Returns:
        Blended probabilities.
    """
    logit = sum(w * _logit(predictions[name]) for name, w in weights.items())
    return np.asarray(1.0 / (1.0 + np.exp(-np.asarray(logit))), dtype=np.float64)


def fit_blend(
    first: str,
    second: str,
    predictions: dict[str, np.ndarray],
    target: np.ndarray,
    params: EnsembleParams,
) -> dict[str, Any]:
    """Choose the weight of two members that minimises log loss on held-out rows.

    Args:
        first: Name of one member.
        second: Name of the other.
        predictions: Member name -> probabilities on the held-out rows.
        target: The held-out 0/1 labels (validation, never test).
        params: Grid size.

    Returns:
        The ensemble spec: members, weights and the held-out log loss of each weight.
    """
    grid = np.linspace(0.0, 1.0, params.grid_points)
    losses = [metrics.log_loss(target, blend({first: w, second: 1 - w}, predictions)) for w in grid]
    w = float(grid[int(np.argmin(losses))])
    return {
        "kind": "ensemble",
        "combine": "weighted_mean_of_log_odds",
        "weights": {first: round(w, 6), second: round(1 - w, 6)},
        "fitted_on": "validation",
        "validation_log_loss": round(float(min(losses)), 6),
    }
