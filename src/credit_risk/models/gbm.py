"""LightGBM through its native API: deterministic training, prediction, a stable text file."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.models.encoding import encode
from credit_risk.models.frames import target
from credit_risk.params import LightGBMParams

_THREADS = re.compile(r"^\[num_threads: \d+\]$", flags=re.MULTILINE)


def base_params(
    params: LightGBMParams,
    seed: int,
    num_threads: int,
    features: list[str],
    monotone: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """Parameters that make training reproducible, whatever the thread count.

    Args:
        params: Fixed settings from configuration.
        seed: The one seed every LightGBM random stream derives from.
        num_threads: Threads to train with (0: OpenMP's default).
        features: The encoder's feature order, for the monotone constraints.
        monotone: Feature -> +1/-1, from the data contract (``monotone_constraints``).

    Returns:
        The parameter dict, tuned values to be merged on top.
    """
    monotone = monotone or {}
    unknown = sorted(set(monotone) - set(features))
    if unknown:
        raise ValueError(
            f"monotone constraints name features the model does not use: {unknown}; "
            "fix data_contract.monotone_constraints"
        )
    constraints = {"monotone_constraints": [monotone.get(f, 0) for f in features]}
    return {
        **(constraints if monotone else {}),
        "objective": "binary",
        "metric": "auc",
        **params.fixed,
        "deterministic": True,
        "force_row_wise": True,
        "seed": seed,
        "num_threads": num_threads,
        "verbosity": -1,
        "feature_pre_filter": False,  # min_data_in_leaf may change between trials
    }


def dataset(frame: pd.DataFrame, encoder: dict[str, Any], contract: DataContract) -> lgb.Dataset:
    """A LightGBM dataset with native categorical features.

    Args:
        frame: Labelled rows.
        encoder: Feature order and category levels.
        contract: Column roles.

    Returns:
        The dataset (raw data kept, so it can be reused across trials).
    """
    return lgb.Dataset(
        encode(frame, encoder),
        label=target(frame, contract),
        categorical_feature=list(encoder["categories"]),
        free_raw_data=False,
        params={"feature_pre_filter": False, "verbosity": -1},
    )


def train(
    params: dict[str, Any],
    train_set: lgb.Dataset,
    rounds: int,
    callbacks: list[Any] | None = None,
    valid_set: lgb.Dataset | None = None,
) -> lgb.Booster:
    """Train a booster, optionally early-stopped on a validation set named ``validation``.

    Args:
        params: Full parameter dict.
        train_set: Training data.
        rounds: Number of boosting rounds (an upper bound with early stopping).
        callbacks: LightGBM callbacks (early stopping, pruning).
        valid_set: Validation data for early stopping and pruning.

    Returns:
        The trained booster.
    """
    if valid_set is None:
        return lgb.train(params, train_set, num_boost_round=rounds, callbacks=callbacks)
    return lgb.train(
        params,
        train_set,
        num_boost_round=rounds,
        callbacks=callbacks,
        valid_sets=[valid_set],
        valid_names=["validation"],
    )


def predict(booster: lgb.Booster, encoder: dict[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Probabilities of default.

    Args:
        booster: A trained booster.
        encoder: Its encoder.
        frame: Rows to score.

    Returns:
        One probability per row.
    """
    return np.asarray(booster.predict(encode(frame, encoder)), dtype=np.float64)


def model_text(booster: lgb.Booster) -> str:
    """The booster in LightGBM's own text format, with the thread count left out.

    The thread count is a setting of the run, not of the model; it would otherwise make
    files of identical models differ. LightGBM reads ``num_threads: 0`` as its default.

    Args:
        booster: A trained booster.

    Returns:
        The model file's text.
    """
    return _THREADS.sub("[num_threads: 0]", booster.model_to_string())
