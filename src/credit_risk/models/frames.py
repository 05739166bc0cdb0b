"""Checks and splits shared by every model: features, target, and what stops a fit."""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.validation import DataContractError


def require_trainable(frame: pd.DataFrame, contract: DataContract, dataset: str) -> None:
    """Stop before any fitting when a frame cannot train a model.

    Args:
        frame: Rows to fit on.
        contract: Column roles.
        dataset: Catalog name of the frame, for the message.

    Raises:
        DataContractError: When the frame is empty, lacks a feature, or has one class.
    """
    if frame.empty:
        raise DataContractError(
            dataset,
            None,
            "expected rows to train on, got 0",
            "run data_processing first, or widen the training period under 'split'",
        )
    missing = [c for c in [*contract.features, contract.target_column] if c not in frame]
    if missing:
        raise DataContractError(
            dataset,
            missing[0],
            "a column of the data contract is missing",
            "re-run data_processing so the splits are built with the current contract",
        )
    classes = sorted(pd.unique(frame[contract.target_column]).tolist())
    if len(classes) < 2:
        raise DataContractError(
            dataset,
            contract.target_column,
            f"expected two target classes to train on, got only {classes}",
            "a model cannot learn from one class: check the label and the split periods",
        )


def target(frame: pd.DataFrame, contract: DataContract) -> np.ndarray:
    """The 0/1 target as ``int64``.

    Args:
        frame: Labelled rows.
        contract: Column roles.

    Returns:
        The target values.
    """
    return frame[contract.target_column].to_numpy(dtype=np.int64)
