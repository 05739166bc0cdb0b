"""Nodes of the ``inference`` pipeline: validate, featurise, score and explain a batch.

The batch goes through the same validation code as the raw tables (its own schema: no
outcome column, categories free), the same point-in-time feature code as training, and
the champion's own scoring; nothing here is a second implementation.
"""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from credit_risk.config import OWN_BATCH
from credit_risk.contract import DataContract
from credit_risk.evaluation import drift
from credit_risk.features.model_table import build_model_table
from credit_risk.params import FeatureParams, InferenceParams, ValidationSettings
from credit_risk.schemas.features import FeatureTableSchema
from credit_risk.schemas.raw import ScoringBatchSchema
from credit_risk.serving import scoring
from credit_risk.serving.bundle import ScoringModel
from credit_risk.validation import (
    refuse_known_ids,
    require_validation,
    split_orphans,
    validate_source,
)

logger = logging.getLogger(__name__)
FEATURES = "feature_table"


def validate_batch(
    batch: pd.DataFrame, inference: InferenceParams, validation: ValidationSettings
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Split the batch into valid rows and quarantined rows, as every raw table is.

    Args:
        batch: The raw batch.
        inference: The batch's source mapping.
        validation: Shared validation settings.

    Returns:
        Valid rows, quarantine, summary (with the batch's content hash).

    Raises:
        DataContractError: A required column is missing, or the batch is empty.
    """
    return validate_source(
        batch,
        ScoringBatchSchema.to_schema(),
        "scoring_batch",
        inference.source,
        validation,
        configured_in="conf/base/parameters_inference.yml (inference.source)",
    )


def link_batch_to_customers(
    batch: pd.DataFrame, customers: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Quarantine applications of unknown customers, as ``data_processing`` does.

    Args:
        batch: Valid batch rows.
        customers: Valid customers.

    Returns:
        The applications of known customers, and the orphans' quarantine.
    """
    kept, quarantine, orphans = split_orphans(batch, customers, "scoring_batch")
    if orphans:
        logger.warning("Batch: %d application(s) of unknown customers quarantined", orphans)
    return kept, quarantine


def build_batch_features(
    batch: pd.DataFrame,
    customers: pd.DataFrame,
    repayment_history: pd.DataFrame,
    feature_table_ids: pd.DataFrame,
    features: FeatureParams,
) -> pd.DataFrame:
    """The batch's point-in-time features, by the feature code that built the training table.

    Args:
        batch: Applications of known customers.
        customers: Valid customers.
        repayment_history: Statements of valid customers.
        feature_table_ids: The feature table's ids (the labelled rows models are built from).
        features: Window lengths.

    Returns:
        One feature row per application, checked by the feature table's schema (less
        the outcome column).

    Raises:
        DataContractError: When an application id of the batch is in the feature table.
    """
    require_validation("batch_features")
    ids = feature_table_ids["application_id"]
    refuse_known_ids(batch["application_id"], ids, "scoring_batch", "application_id", FEATURES)
    table = build_model_table(batch, customers, repayment_history, features.windows)
    schema = FeatureTableSchema.to_schema().remove_columns(["defaulted"])
    schema.validate(table, lazy=True)
    logger.info("Batch features: %d rows", len(table))
    return table


def score_batch(
    features: pd.DataFrame,
    model: ScoringModel,
    champion: dict[str, Any],
    contract: DataContract,
    inference: InferenceParams,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Score, decide at the model's threshold, and give reason codes to declined rows.

    Args:
        features: The batch's feature rows.
        model: The champion, loaded from the registry (checksums verified).
        champion: The registry's champion record (the version must be the model's).
        contract: Column roles.
        inference: How many reason codes.

    Returns:
        The scored batch and a summary (counts, unseen categories, model version).

    Raises:
        DataContractError: A feature column the model needs is missing.
        RuntimeError: The loaded model is not the version the registry calls champion.
    """
    scoring.check_champion(model, champion)
    scoring.check_features(features, model, "batch_features")
    scored, summary = scoring.score_rows(features, model, contract, inference.reason_codes)
    logger.info(
        "Scored %d rows with %s version %s: %d declined at threshold %.3f",
        len(scored),
        model.candidate,
        summary["model"]["version"],
        summary["declined"],
        model.threshold,
    )
    return scored, summary


def monitor_batch_drift(
    features: pd.DataFrame,
    scored: pd.DataFrame,
    model: ScoringModel,
    contract: DataContract,
    inference: InferenceParams,
) -> tuple[pd.DataFrame, dict[str, Any], go.Figure]:
    """Drift of the batch against the model's training reference, with flags.

    Args:
        features: The batch's feature rows.
        scored: The scored batch (its ``score``).
        model: The champion (its reference sample, scores included).
        contract: Column roles.
        inference: Drift limits.

    Returns:
        Per-feature report (``score`` included), summary with flags, chart.
    """
    current = features.assign(score=scored["score"].to_numpy())
    reference = model.reference
    if "score" not in reference.columns:  # bundles keep it; computed for any other model
        reference = reference.assign(score=model.score(reference))
    report, summary, chart = drift.monitor(
        reference,
        current,
        contract.categorical_columns,
        contract.numeric_columns,
        inference.drift,
        "Population stability index, training -> batch (top 20)",
    )
    for flag in summary["flags"]:
        logger.warning("Batch drift (blocking): %s", flag)
    return report, summary, chart


def summarise_batch(
    validation: dict[str, Any],
    orphans: pd.DataFrame,
    scoring_summary: dict[str, Any],
    drift_summary: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """One record of the batch: rows in, quarantined, scored, declined, drift, model.

    Args:
        validation: The batch's validation summary.
        orphans: Rows quarantined for an unknown customer.
        scoring_summary: From :func:`score_batch`.
        drift_summary: From :func:`monitor_batch_drift`.

    Returns:
        The summary, and its figures as MLflow metrics.
    """
    return scoring.batch_record(validation, len(orphans), scoring_summary, drift_summary)


def refuse_training_ids(
    batch: pd.DataFrame, feature_table_ids: pd.DataFrame, contract: DataContract
) -> pd.DataFrame:
    """The user's batch, unless it reuses ids of the feature table's labelled rows.

    Args:
        batch: Valid batch rows.
        feature_table_ids: The feature table's ids.
        contract: Column roles (without an id column, row numbers always repeat: no check).

    Returns:
        The batch, unchanged.

    Raises:
        DataContractError: When an id of the batch is in the feature table.
    """
    if contract.id_column is not None:
        known = feature_table_ids[contract.key]
        refuse_known_ids(batch[contract.key], known, OWN_BATCH, contract.key, FEATURES)
    return batch


def summarise_scored_table(
    validation: dict[str, Any], scoring_summary: dict[str, Any], drift_summary: dict[str, Any]
) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """One record of a user's scored batch, and its figures as MLflow metrics.

    Args:
        validation: The batch's validation summary.
        scoring_summary: From :func:`score_batch`.
        drift_summary: From :func:`monitor_batch_drift`.

    Returns:
        The summary, and its figures as MLflow metrics.
    """
    return summarise_batch(validation, pd.DataFrame(), scoring_summary, drift_summary)
