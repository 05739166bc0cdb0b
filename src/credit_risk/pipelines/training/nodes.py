"""Nodes of the ``training`` pipeline: baselines, tuned LightGBM, ensemble, leaderboard."""

from __future__ import annotations

import logging
import time
from typing import Any

import lightgbm as lgb
import pandas as pd
import plotly.graph_objects as go
from optuna.storages import BaseStorage

from credit_risk.contract import DataContract
from credit_risk.evaluation import charts
from credit_risk.models import baselines, candidates, ensemble, fitting, gbm, tuning
from credit_risk.models.encoding import fit_encoder
from credit_risk.models.frames import require_trainable, target
from credit_risk.params import TrainingParams, TuningParams

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


def fit_lightgbm_encoder(train: pd.DataFrame, contract: DataContract) -> dict[str, Any]:
    """Feature order and category levels for LightGBM, fixed at training time.

    Args:
        train: Training split.
        contract: Column roles.

    Returns:
        The encoder spec.
    """
    require_trainable(train, contract, "model_input_train")
    return fit_encoder(train, contract)


def tune_lightgbm(
    storage: BaseStorage,
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Tune LightGBM with Optuna, early-stopping and pruning on the tuning objective.

    With ``objective: cv`` a trial is scored by the mean AUC over the training period's
    grouped folds (``fold`` column: a customer's rows share a fold), which judges each
    trial on every training row; the validation period then stays an honest out-of-time
    check for the leaderboard, the ensemble weights and the threshold. With ``holdout``
    a trial is scored on the validation period alone.

    The study is created or resumed in ``storage`` (trials are written there as they
    run); only the trials it still lacks are run.

    Args:
        storage: Optuna storage from the catalog.
        train: Training split.
        validation: Validation split.
        encoder: LightGBM encoder.
        contract: Column roles.
        training: Tuning budget, search space, seeds.

    Returns:
        The best parameters, best iteration, the refit's rounds and the best value, trial
        counts and where the study lives; and the table of every trial in the study
        (tracked in MLflow).
    """
    require_trainable(train, contract, "model_input_train")
    require_trainable(validation, contract, "model_input_validation")
    settings = training.tuning.named_for(contract.dataset)
    if settings.scale_to_rows:
        space = tuning.scaled_space(settings.search_space, _rows_per_trial(train, settings))
        settings = settings.model_copy(update={"search_space": space})
    training = training.model_copy(update={"tuning": settings})
    base = gbm.base_params(
        training.lightgbm,
        training.seed,
        training.num_threads,
        encoder["features"],
        contract.monotone_constraints,
    )
    data = fitting.tuning_data(train, validation, encoder, contract, training)
    study = tuning.open_study(storage, settings, training.lightgbm.max_rounds, data.fingerprint)
    tuning.optimise(study, base, data, settings, training.lightgbm)
    result = {**tuning.best_result(study), "storage": tuning.describe_storage(storage)}
    result["rows_seen"] = data.rows_seen(result["objective"])
    result["refit_rounds"] = tuning.scaled_rounds(
        result["best_iteration"], result["rows_seen"], len(train)
    )
    logger.info(
        "Best of study '%s': %s AUC %.5f (trial %d, %d rounds; the refit on the training "
        "period takes %d)",
        result["study_name"],
        result["objective"],
        result["best_value"],
        result["best_trial"],
        result["best_iteration"],
        result["refit_rounds"],
    )
    return result, tuning.trials_table(study)


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

    Everything the validation period decides (the ensemble weights, the leaderboard,
    the threshold) is decided on validation predictions of the train-only fits, which
    never saw it. The models that serve are then refitted with the same settings on
    training + validation (``refit_on_validation``, default on): the validation period
    is the closest to the applications they will score. LightGBM trains for the best
    iteration scaled to the rows (:func:`credit_risk.models.tuning.scaled_rounds`); the
    encoder stays the training period's.

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
    splits = ["train", "validation"] if training.refit_on_validation else ["train"]
    rows = pd.concat([train, validation][: len(splits)], ignore_index=True)
    require_trainable(rows, contract, " + ".join(f"model_input_{s}" for s in splits))
    rows_seen = float(best.get("rows_seen", len(train)))
    rounds = tuning.scaled_rounds(best["best_iteration"], rows_seen, len(rows))
    started = time.perf_counter()
    logistic = baselines.fit_logistic(rows, contract, training.logistic, training.seed)
    booster = fitting.fit_best_lightgbm(rows, encoder, best, contract, training, rounds)
    info = {
        "splits": splits,
        "rows": len(rows),
        "lightgbm_rounds": rounds,
        **_timed(started),
    }
    logger.info(
        "Models that serve refitted on %s (%d rows); LightGBM for %d rounds",
        " + ".join(info["splits"]),
        len(rows),
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
    done = trials[trials["state"] == "complete"]
    metrics["tuning.trial_value"] = [
        {"value": float(v), "step": int(n)}
        for n, v in zip(done["number"], done["value"], strict=True)
    ]
    return metrics


def _rows_per_trial(train: pd.DataFrame, settings: TuningParams) -> int:
    """Rows a trial's models train on: all but one fold with ``cv``, else all of them."""
    if settings.objective == "cv" and "fold" in train.columns:
        return int(len(train) - train["fold"].value_counts().max())
    return len(train)
