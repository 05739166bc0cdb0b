"""Nodes of the ``training`` pipeline: baselines, tuned LightGBM, ensemble, leaderboard."""

from __future__ import annotations

import logging
import time
from typing import Any

import lightgbm as lgb
import pandas as pd
import plotly.graph_objects as go

from credit_risk.contract import DataContract
from credit_risk.evaluation import charts
from credit_risk.models import baselines, candidates, ensemble, fitting, gbm, tracking
from credit_risk.models.frames import require_trainable, target
from credit_risk.params import TrainingParams

logger = logging.getLogger(__name__)

FitInfo = dict[str, Any]


def _timed(started: float) -> FitInfo:
    return {"fit_seconds": round(time.perf_counter() - started, 3)}


def fit_constant_baseline(
    train: pd.DataFrame, contract: DataContract
) -> tuple[dict[str, Any], FitInfo]:
    """The prior-only baseline.

    Args:
        train: Training split.
        contract: Column roles.

    Returns:
        The model spec and its fit time.
    """
    started = time.perf_counter()
    require_trainable(train, contract, "model_input_train")
    return baselines.fit_constant(train, contract), _timed(started)


def fit_logistic_baseline(
    train: pd.DataFrame, contract: DataContract, training: TrainingParams
) -> tuple[dict[str, Any], FitInfo]:
    """The regularised logistic regression.

    Args:
        train: Training split.
        contract: Column roles.
        training: Logistic settings and seed.

    Returns:
        The model spec and its fit time.
    """
    started = time.perf_counter()
    require_trainable(train, contract, "model_input_train")
    model = baselines.fit_logistic(train, contract, training.logistic, training.seed)
    return model, _timed(started)


def refit_lightgbm(
    train: pd.DataFrame,
    encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[lgb.Booster, FitInfo]:
    """Refit LightGBM on the training split with the best parameters.

    It trains for the refit's rounds: the best iteration, scaled to the whole training
    period when the trials were scored on folds of it.

    Args:
        train: Training split.
        encoder: LightGBM encoder.
        best: From :func:`tune_lightgbm`.
        contract: Column roles.
        training: Seed and threads.

    Returns:
        The booster and its fit time.
    """
    started = time.perf_counter()
    rounds = int(best.get("refit_rounds", best["best_iteration"]))
    booster = fitting.fit_best_lightgbm(train, encoder, best, contract, training, rounds)
    return booster, _timed(started)


def fit_final_models(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], lgb.Booster, dict[str, Any]]:
    """The logistic and LightGBM models that serve, refitted on the most recent data.

    The validation period decides the ensemble weights, leaderboard and threshold on the
    train-only fits' predictions; the models that serve are then refitted on training +
    validation (``refit_on_validation``), the period closest to what they will score.

    Args:
        train: Training split.
        validation: Validation split.
        encoder: LightGBM encoder.
        best: From :func:`tune_lightgbm`.
        contract: Column roles.
        training: Seeds, logistic settings and whether to include validation.

    Returns:
        The logistic spec, the booster, and what they were fitted on.
    """
    started = time.perf_counter()
    logistic, booster, info = fitting.final_fit(
        train, validation, encoder, best, contract, training
    )
    info = {**info, **_timed(started)}
    rows, rounds = info["rows"], info["lightgbm_rounds"]
    logger.info(
        "Models that serve refitted on %s (%d rows); LightGBM for %d rounds",
        " + ".join(info["splits"]),
        rows,
        rounds,
    )
    return logistic, booster, info


def fit_ensemble(
    validation: pd.DataFrame,
    logistic: dict[str, Any],
    booster: lgb.Booster,
    encoder: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], FitInfo]:
    """Blend LightGBM and the logistic model, weight chosen on validation (never test).

    Args:
        validation: Validation split.
        logistic: Logistic spec.
        booster: Refitted LightGBM.
        encoder: LightGBM encoder.
        contract: Column roles.
        training: Ensemble settings.

    Returns:
        The ensemble spec and its fit time.
    """
    started = time.perf_counter()
    predictions = {
        "lightgbm": gbm.predict(booster, encoder, validation),
        "logistic": baselines.predict_logistic(logistic, validation),
    }
    spec = ensemble.fit_blend(
        "lightgbm", "logistic", predictions, target(validation, contract), training.ensemble
    )
    logger.info("Ensemble weights on validation: %s", spec["weights"])
    return spec, _timed(started)


def build_leaderboard(
    validation_scores: pd.DataFrame,
    contract: DataContract,
    constant_model: dict[str, Any],
    logistic_model: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    ensemble_model: dict[str, Any],
    fit_info: dict[str, FitInfo],
) -> tuple[pd.DataFrame, go.Figure]:
    """Every candidate's validation metrics, fit time and size, best AUC first.

    Metrics come from the train-only fits' validation scores (out of sample); sizes
    from the models that serve.

    Args:
        validation_scores: The train-only fits' validation scores
            (:func:`score_candidates`).
        contract: Column roles.
        constant_model: Constant spec.
        logistic_model: Logistic spec that serves.
        lightgbm_model: Booster that serves.
        lightgbm_encoder: Its encoder.
        ensemble_model: Ensemble spec.
        fit_info: Candidate name -> its fit info.

    Returns:
        The leaderboard table and a chart of it.
    """
    stored = candidates.sizes(
        constant_model, logistic_model, lightgbm_model, lightgbm_encoder, ensemble_model
    )
    seconds = {name: float(info["fit_seconds"]) for name, info in fit_info.items()}
    board = candidates.leaderboard(
        target(validation_scores, contract), validation_scores, stored, seconds
    )
    logger.info("Leaderboard (validation):\n%s", board.to_string(index=False))
    return board, charts.leaderboard_chart(board)


def collect_fit_info(
    constant: FitInfo, logistic: FitInfo, lightgbm: FitInfo, blended: FitInfo
) -> dict[str, FitInfo]:
    """Name each candidate's fit info as the leaderboard does.

    Args:
        constant: Constant baseline's fit info.
        logistic: Logistic baseline's fit info.
        lightgbm: Refitted LightGBM's fit info.
        blended: Ensemble's fit info.

    Returns:
        Candidate name -> fit info.
    """
    return {
        candidates.CONSTANT: constant,
        candidates.LOGISTIC: logistic,
        candidates.LIGHTGBM: lightgbm,
        candidates.ENSEMBLE: blended,
    }


def tracked_training_metrics(
    leaderboard: pd.DataFrame,
    best: dict[str, Any],
    trials: pd.DataFrame,
    final_fit: dict[str, Any],
) -> dict[str, list[dict[str, float]]]:
    """The figures MLflow keeps of a training run, in kedro-mlflow's metric format.

    Each candidate's validation metrics, fit time and size; the study's best value and
    trial counts; every finished trial's value with its trial number as the step, so
    MLflow draws the tuning history; and the rows and rounds of the models that serve.

    Args:
        leaderboard: From :func:`build_leaderboard`.
        best: From :func:`tune_lightgbm`.
        trials: The study's trials table.
        final_fit: From :func:`fit_final_models`.

    Returns:
        Metric name -> ``[{"value": v, "step": s}, ...]``.
    """
    return tracking.training_metrics(leaderboard, best, trials, final_fit)
