"""What MLflow keeps of a training run, in kedro-mlflow's metric format."""

from __future__ import annotations

from typing import Any

import pandas as pd


def training_metrics(
    leaderboard: pd.DataFrame,
    best: dict[str, Any],
    trials: pd.DataFrame,
    final_fit: dict[str, Any],
) -> dict[str, list[dict[str, float]]]:
    """Each candidate's validation figures, the study's, and the models that serve.

    Every finished trial's value is kept with its trial number as the step, so MLflow
    draws the tuning history.

    Args:
        leaderboard: The validation leaderboard.
        best: The study's best result.
        trials: The study's trials table.
        final_fit: What the models that serve were fitted on.

    Returns:
        Metric name -> ``[{"value": v, "step": s}, ...]``.
    """
    metrics: dict[str, list[dict[str, float]]] = {}
    for row in leaderboard.to_dict("records"):
        for column in ("val_auc", "val_log_loss", "val_brier", "fit_seconds", "size_bytes"):
            metrics[f"{row['model']}.{column}"] = [{"value": float(row[column]), "step": 0}]
    metrics["tuning.best_value"] = [{"value": float(best["best_value"]), "step": 0}]
    metrics["tuning.best_iteration"] = [{"value": float(best["best_iteration"]), "step": 0}]
    if "refit_rounds" in best:
        metrics["tuning.refit_rounds"] = [{"value": float(best["refit_rounds"]), "step": 0}]
    for key in ("rows", "lightgbm_rounds", "fit_seconds"):
        metrics[f"final_fit.{key}"] = [{"value": float(final_fit[key]), "step": 0}]
    for state, count in best["trials"].items():
        metrics[f"tuning.trials_{state}"] = [{"value": float(count), "step": 0}]
    done = trials[trials["state"] == "COMPLETE"]
    metrics["tuning.trial_value"] = [
        {"value": float(v), "step": int(n)}
        for n, v in zip(done["number"], done["value"], strict=True)
    ]
    return metrics
