"""Fitting LightGBM with tuned settings: the data a study is scored on, and the refits."""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.models import gbm, tuning
from credit_risk.models.frames import target
from credit_risk.params import TrainingParams
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
