"""The candidates: their names, defined once, and how every one of them scores rows.

``constant_prior`` and ``logistic_regression`` are the baselines; ``lightgbm_tuned`` and
``ensemble`` (LightGBM blended with the logistic model) are the candidates proper.
"""

from __future__ import annotations

import json
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_risk import metrics
from credit_risk.models import baselines, ensemble, gbm

CONSTANT = "constant_prior"
LOGISTIC = "logistic_regression"
LIGHTGBM = "lightgbm_tuned"
ENSEMBLE = "ensemble"
BASELINES = (CONSTANT, LOGISTIC)
ALL = (CONSTANT, LOGISTIC, LIGHTGBM, ENSEMBLE)


def score_column(name: str) -> str:
    """The column holding a candidate's scores in a scored frame.

    Args:
        name: Candidate name.

    Returns:
        ``score_<name>``.
    """
    return f"score_{name}"


def score_columns(frame: pd.DataFrame) -> list[str]:
    """The candidates' score columns present in a frame, in its order.

    Args:
        frame: A scored frame.

    Returns:
        Its ``score_*`` column names.
    """
    return [str(c) for c in frame.columns if str(c).startswith("score_")]


def score_candidates(
    frame: pd.DataFrame,
    constant_model: dict[str, Any],
    logistic_model: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    ensemble_model: dict[str, Any],
) -> pd.DataFrame:
    """The rows with every candidate's predicted probability as ``score_<name>``.

    Given the train-only fits and the validation period, these are the out-of-sample
    validation scores that rank the leaderboard and choose the threshold in evaluation
    (the models that serve may have been refitted on that period since).

    Args:
        frame: Rows to score.
        constant_model: Constant spec.
        logistic_model: Logistic spec.
        lightgbm_model: Booster.
        lightgbm_encoder: Its encoder.
        ensemble_model: Ensemble spec.

    Returns:
        The rows with four score columns.
    """
    lgb_p = gbm.predict(lightgbm_model, lightgbm_encoder, frame)
    lr_p = baselines.predict_logistic(logistic_model, frame)
    members = {"lightgbm": lgb_p, "logistic": lr_p}
    return frame.assign(
        **{
            score_column(CONSTANT): baselines.predict_constant(constant_model, frame),
            score_column(LOGISTIC): lr_p,
            score_column(LIGHTGBM): lgb_p,
            score_column(ENSEMBLE): ensemble.blend(ensemble_model["weights"], members),
        }
    )


def sizes(
    constant_model: dict[str, Any],
    logistic_model: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    ensemble_model: dict[str, Any],
) -> dict[str, int]:
    """Bytes each candidate takes as stored (an ensemble holds both of its members).

    Args:
        constant_model: Constant spec.
        logistic_model: Logistic spec.
        lightgbm_model: Booster.
        lightgbm_encoder: Its encoder.
        ensemble_model: Ensemble spec.

    Returns:
        Candidate name -> bytes.
    """
    out = {
        CONSTANT: _json_size(constant_model),
        LOGISTIC: _json_size(logistic_model),
        LIGHTGBM: len(gbm.model_text(lightgbm_model).encode()) + _json_size(lightgbm_encoder),
    }
    out[ENSEMBLE] = out[LIGHTGBM] + out[LOGISTIC] + _json_size(ensemble_model)
    return out


def leaderboard(
    y: np.ndarray, scores: pd.DataFrame, sizes: dict[str, int], fit_seconds: dict[str, float]
) -> pd.DataFrame:
    """Each candidate's validation metrics, fit time and size, ranked by AUC.

    Args:
        y: 0/1 labels of the scored rows.
        scores: Rows with every candidate's ``score_<name>``.
        sizes: Candidate name -> bytes.
        fit_seconds: Candidate name -> seconds to fit.

    Returns:
        The leaderboard, best AUC first, with its ``rank``.
    """
    rows = [
        {
            "model": name,
            **_metrics(y, scores[score_column(name)].to_numpy()),
            "fit_seconds": fit_seconds[name],
            "size_bytes": size,
        }
        for name, size in sizes.items()
    ]
    board = pd.DataFrame(rows).sort_values("val_auc", ascending=False, ignore_index=True)
    board.insert(0, "rank", np.arange(1, len(board) + 1))
    return board


def _metrics(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {
        "val_auc": round(metrics.roc_auc(y, p), 6),
        "val_log_loss": round(metrics.log_loss(y, p), 6),
        "val_brier": round(metrics.brier(y, p), 6),
    }


def _json_size(spec: dict[str, Any]) -> int:
    return len(json.dumps(spec, indent=2, sort_keys=True).encode()) + 1
