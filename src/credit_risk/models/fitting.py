"""Fitting LightGBM with tuned settings: the data a study is scored on, and the refits."""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
from optuna.storages import BaseStorage

from credit_risk.contract import DataContract
from credit_risk.models import baselines, gbm, tuning
from credit_risk.models.frames import require_trainable, target
from credit_risk.params import TrainingParams, TuningParams
from credit_risk.validation import DataContractError


def tuning_data(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuning.TuningData:
    """The datasets, folds and fingerprint the trials of a study are scored on.

    Args:
        train: Training split (with its ``fold`` column for ``objective: cv``).
        validation: Validation split.
        encoder: LightGBM encoder.
        contract: Column roles.
        training: Objective, search space, fixed parameters.

    Returns:
        The tuning data.

    Raises:
        DataContractError: ``objective: cv`` and the training split has no ``fold``.
    """
    settings = training.tuning
    folds: list[tuple[np.ndarray, np.ndarray]] = []
    if settings.objective == "cv":
        if "fold" not in train.columns:
            raise DataContractError(
                "model_input_train",
                "fold",
                "missing; training.tuning.objective 'cv' scores the trials on these folds",
                "re-run data_processing (its split writes the folds), or set "
                "training.tuning.objective: holdout",
            )
        folds = tuning.fold_indices(train["fold"].to_numpy(), target(train, contract))
    train_set = gbm.dataset(train, encoder, contract)
    valid_set = gbm.dataset(validation, encoder, contract).set_reference(train_set)
    scored_on = [train] if settings.objective == "cv" else [train, validation]
    settings_part = {
        "objective": settings.objective,
        "search_space": settings.model_dump(mode="json")["search_space"],
        "lightgbm": training.lightgbm.model_dump(mode="json"),
        "monotone": contract.monotone_constraints,
        "seed": training.seed,
        "encoder": encoder,
    }
    return tuning.TuningData(
        train_set=train_set,
        valid_set=valid_set,
        folds=folds,
        fingerprint=tuning.fingerprint(settings_part, scored_on),
        train_rows=len(train),
    )


def fit_best_lightgbm(
    frame: pd.DataFrame,
    encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
    rounds: int,
) -> lgb.Booster:
    """Train LightGBM with the tuned parameters.

    Args:
        frame: Rows to train on.
        encoder: LightGBM encoder.
        best: Tuned parameters.
        contract: Column roles.
        training: Seed, threads and fixed parameters.
        rounds: Boosting rounds.

    Returns:
        The booster.
    """
    base = gbm.base_params(
        training.lightgbm,
        training.seed,
        training.num_threads,
        encoder["features"],
        contract.monotone_constraints,
    )
    train_set = gbm.dataset(frame, encoder, contract)
    return gbm.train({**base, **best["params"]}, train_set, max(1, rounds))


def tune(
    storage: BaseStorage,
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Create or resume the study, run the trials it lacks, and report its best.

    The study is named after the table unless configured; its search space is capped by
    the rows a trial trains on (``scale_to_rows``); a new study tries LightGBM's defaults
    first (``start_from_defaults``).

    Args:
        storage: Optuna storage.
        train: Training split.
        validation: Validation split.
        encoder: LightGBM encoder.
        contract: Column roles.
        training: Tuning budget, search space, seeds.

    Returns:
        The best parameters, best iteration, the refit's rounds, the best value, trial
        counts and where the study lives; and the table of every trial.
    """
    require_trainable(train, contract, "model_input_train")
    require_trainable(validation, contract, "model_input_validation")
    settings = training.tuning.named_for(contract.dataset)
    if settings.scale_to_rows:
        space = tuning.scaled_space(settings.search_space, rows_per_trial(train, settings))
        settings = settings.model_copy(update={"search_space": space})
    training = training.model_copy(update={"tuning": settings})
    base = gbm.base_params(
        training.lightgbm,
        training.seed,
        training.num_threads,
        encoder["features"],
        contract.monotone_constraints,
    )
    data = tuning_data(train, validation, encoder, contract, training)
    study = tuning.open_study(storage, settings, training.lightgbm.max_rounds, data.fingerprint)
    tuning.optimise(study, base, data, settings, training.lightgbm)
    result = {**tuning.best_result(study), "storage": tuning.describe_storage(storage)}
    result["rows_seen"] = data.rows_seen(result["objective"])
    result["refit_rounds"] = tuning.scaled_rounds(
        result["best_iteration"], result["rows_seen"], len(train)
    )
    return result, tuning.trials_table(study)


def rows_per_trial(train: pd.DataFrame, settings: TuningParams) -> int:
    """Rows a trial's models train on: all but one fold with ``cv``, else all of them."""
    if settings.objective == "cv" and "fold" in train.columns:
        return int(len(train) - train["fold"].value_counts().max())
    return len(train)


def final_fit(
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], lgb.Booster, dict[str, Any]]:
    """The logistic and LightGBM models that serve, refitted on training (+ validation).

    LightGBM trains for the best iteration scaled to the rows
    (:func:`credit_risk.models.tuning.scaled_rounds`); the encoder stays the training
    period's.

    Args:
        train: Training split.
        validation: Validation split.
        encoder: LightGBM encoder.
        best: The study's best result.
        contract: Column roles.
        training: Seeds, logistic settings and ``refit_on_validation``.

    Returns:
        The logistic spec, the booster, and what they were fitted on (splits, rows, rounds).
    """
    splits = ["train", "validation"] if training.refit_on_validation else ["train"]
    rows = pd.concat([train, validation][: len(splits)], ignore_index=True)
    require_trainable(rows, contract, " + ".join(f"model_input_{s}" for s in splits))
    rows_seen = float(best.get("rows_seen", len(train)))
    rounds = tuning.scaled_rounds(best["best_iteration"], rows_seen, len(rows))
    logistic = baselines.fit_logistic(rows, contract, training.logistic, training.seed)
    booster = fit_best_lightgbm(rows, encoder, best, contract, training, rounds)
    info = {"splits": splits, "rows": len(rows), "lightgbm_rounds": rounds}
    return logistic, booster, info
