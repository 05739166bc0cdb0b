"""The LightGBM encoder: fixed feature order and category lists, kept as JSON."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from credit_risk.contract import DataContract


def fit_encoder(train: pd.DataFrame, contract: DataContract) -> dict[str, Any]:
    """Record the feature order and each categorical's levels seen in training.

    Args:
        train: Training rows.
        contract: Column roles.

    Returns:
        The encoder spec: ``{"features": [...], "categories": {column: [levels]}}``.
    """
    categories = {
        c: sorted(str(v) for v in train[c].dropna().unique()) for c in contract.categorical_columns
    }
    return {"kind": "lightgbm_encoder", "features": contract.features, "categories": categories}


def encode(frame: pd.DataFrame, encoder: dict[str, Any]) -> pd.DataFrame:
    """The model's view of a frame: features in order, categoricals with the fixed levels.

    A level not seen in training becomes missing (LightGBM sends it down the branch for
    missing values) instead of being given a new code: count them with
    :func:`unseen_counts`.

    Args:
        frame: Rows with at least the encoder's features.
        encoder: The spec from :func:`fit_encoder`.

    Returns:
        A new frame: numeric features as ``float64``, categoricals as ``category``.
    """
    columns = {}
    for name in encoder["features"]:
        levels = encoder["categories"].get(name)
        if levels is None:
            columns[name] = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
        else:
            values = frame[name].astype("str")
            known = values.where(values.isin(levels))  # unseen -> missing, explicitly
            columns[name] = pd.Categorical(known, categories=levels)
    return pd.DataFrame(columns, index=frame.index)


def unseen_counts(frame: pd.DataFrame, encoder: dict[str, Any]) -> dict[str, int]:
    """How many non-missing values of each categorical were not seen in training.

    Args:
        frame: Rows to score.
        encoder: The spec from :func:`fit_encoder`.

    Returns:
        Column -> count of unseen values (columns with none are left out).
    """
    counts = {}
    for name, levels in encoder["categories"].items():
        values = frame[name]
        unseen = int((values.notna() & ~values.astype("str").isin(levels)).sum())
        if unseen:
            counts[name] = unseen
    return counts
