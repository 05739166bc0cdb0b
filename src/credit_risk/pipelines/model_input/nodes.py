"""The generic, contract-driven part: model table -> feature table -> model-input splits.

Nothing here knows the demo's columns: every name comes from the data contract.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from credit_risk import splitting
from credit_risk.checksums import content_hash
from credit_risk.contract import DataContract
from credit_risk.features import metadata
from credit_risk.metrics import roc_auc
from credit_risk.params import SplitParams, ValidationSettings
from credit_risk.validation import DataContractError, ValidationOutcome, validate_table
from credit_risk.validation.target import prepare_table

logger = logging.getLogger(__name__)


def validate_model_table(
    model_table: pd.DataFrame, contract: DataContract, validation: ValidationSettings
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Check the model table against the contract and keep the contract's columns.

    Args:
        model_table: One row per entity (application), from the joins or a user's file.
        contract: Column roles.
        validation: Snapshot date and coercion tolerance.

    Returns:
        The feature table, its quarantined rows, and a validation summary that also holds
        the input's content hash.

    Raises:
        DataContractError: A banned or leaking feature, or a target with one class.
    """
    _check_banned(contract)
    prepared = prepare_table(model_table, contract)
    outcome: ValidationOutcome = validate_table(
        prepared, contract.pandera_schema(), contract.dataset, contract.source_spec(), validation
    )
    table = outcome.valid[contract.columns]
    _check_target(table, contract)
    _check_leakage(table, contract)
    summary = {**outcome.summary, "content_sha256": content_hash(model_table)}
    return table, outcome.quarantine, summary


def _check_banned(contract: DataContract) -> None:
    banned = [c for c in contract.features if c in set(contract.banned_columns)]
    if banned:
        raise DataContractError(
            contract.dataset,
            banned[0],
            "is listed as a feature but is banned: it is known to leak the label",
            "remove it from categorical_columns/numeric_columns in the data contract",
        )
    if contract.target_column in contract.sensitive_columns:
        raise DataContractError(
            contract.dataset,
            contract.target_column,
            "the target cannot be a sensitive column",
            "remove it from sensitive_columns in the data contract",
        )


def _check_target(table: pd.DataFrame, contract: DataContract) -> None:
    classes = sorted(table[contract.target_column].unique().tolist())
    if len(classes) < 2:
        raise DataContractError(
            contract.dataset,
            contract.target_column,
            f"expected two classes (0 and 1), got only {classes} in {len(table)} valid rows",
            "a model cannot learn from one class: check the label's source and that the "
            "period covered includes both outcomes",
        )


def _check_leakage(table: pd.DataFrame, contract: DataContract) -> None:
    target = table[contract.target_column].to_numpy(dtype=np.int64)
    for name in contract.features:
        auc = _single_feature_auc(table[name], target)
        if auc >= contract.leakage_auc_threshold:
            raise DataContractError(
                contract.dataset,
                name,
                f"separates the target on its own with AUC {auc:.4f} (>= leakage_auc_threshold "
                f"{contract.leakage_auc_threshold}): it most likely records the outcome",
                "drop it from the contract's features and add it to banned_columns, or raise "
                "leakage_auc_threshold if it is truly known before the decision",
            )


def _single_feature_auc(values: pd.Series, target: np.ndarray) -> float:
    """How well one feature alone ranks the target, in either direction (0.5 to 1)."""
    if pd.api.types.is_numeric_dtype(values):
        score = values.to_numpy(dtype=np.float64)
        score = np.where(np.isnan(score), np.nanmin(score, initial=0.0) - 1.0, score)
    else:
        codes = pd.Series(pd.factorize(values, use_na_sentinel=False)[0])
        score = codes.map(pd.Series(target).groupby(codes).mean()).to_numpy(np.float64)
    auc = roc_auc(target, score)
    return max(auc, 1.0 - auc)


def describe_feature_table(
    feature_table: pd.DataFrame, contract: DataContract, validation_summary: dict[str, Any]
) -> dict[str, Any]:
    """The feature table's metadata: what the offline feature store keeps beside each version.

    Args:
        feature_table: The validated feature table.
        contract: Column roles and descriptions.
        validation_summary: The model table's validation summary, with its content hash.

    Returns:
        Definitions, dtypes, null rates and summary statistics per column, the table's
        content hash, period and target rate, and the hash of the input it came from.
    """
    return metadata.describe(feature_table, contract, validation_summary)


def index_feature_table(feature_table: pd.DataFrame, contract: DataContract) -> pd.DataFrame:
    """The feature table's ids: what ``inference`` checks a batch against.

    Args:
        feature_table: The validated feature table.
        contract: Column roles (the id column).

    Returns:
        One column, the contract's key, one row per id, sorted.
    """
    ids = feature_table[contract.key].drop_duplicates().sort_values(kind="stable")
    return ids.reset_index(drop=True).to_frame()


def split_model_input(
    feature_table: pd.DataFrame, contract: DataContract, split: SplitParams
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Test, validation and training rows (out of time with a date, else stratified random).

    Args:
        feature_table: The validated feature table.
        contract: Column roles.
        split: Period lengths or fractions, number of folds and seed.

    Returns:
        Train (with ``fold``), validation and test frames, and a summary of each.
    """
    parts = splitting.split(feature_table, contract, split)
    summary = splitting.summary(parts, contract)
    return parts["train"], parts["validation"], parts["test"], summary
