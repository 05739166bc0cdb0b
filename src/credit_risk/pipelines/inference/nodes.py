"""Nodes of the ``inference`` pipeline: validate, featurise, score and explain a batch.

The batch goes through the same validation code as the raw tables (its own schema: no
outcome column, categories free), the same point-in-time feature code as training, and
the champion's own scoring; nothing here is a second implementation.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from credit_risk.contract import DataContract
from credit_risk.evaluation import drift
from credit_risk.features.model_table import build_model_table
from credit_risk.models.encoding import unseen_counts
from credit_risk.params import FeatureParams, InferenceParams, ValidationSettings
from credit_risk.schemas.features import FeatureTableSchema
from credit_risk.schemas.raw import ScoringBatchSchema
from credit_risk.serving.bundle import ScoringModel
from credit_risk.validation import DataContractError, split_orphans, validate_source

logger = logging.getLogger(__name__)


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
    features: FeatureParams,
) -> pd.DataFrame:
    """The batch's point-in-time features, by the feature code that built the training table.

    Args:
        batch: Applications of known customers.
        customers: Valid customers.
        repayment_history: Statements of valid customers.
        features: Window lengths.

    Returns:
        One feature row per application, checked by the feature table's schema (less
        the outcome column).
    """
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
    version = model.info.get("registry", {}).get("version")
    if champion and version != champion.get("version"):
        raise RuntimeError(
            f"Loaded model version {version}, but the registry's champion is version "
            f"{champion.get('version')}: the alias moved during the run; run again."
        )
    missing = [c for c in model.features if c not in features.columns]
    if missing:
        raise DataContractError(
            "batch_features",
            missing[0],
            f"the model needs {len(missing)} feature(s) the batch lacks: {missing[:5]}",
            "build the batch with the same feature code and windows as the training table",
        )
    unseen = unseen_counts(features, model.encoder)
    for column, count in unseen.items():
        logger.warning(
            "Batch column '%s': %d value(s) never seen in training, scored as missing",
            column,
            count,
        )
    score = model.score(features)
    declined = score >= model.threshold
    keys = [contract.id_column, contract.group_column, contract.date_column]
    scored = features[keys].assign(score=score, decision=np.where(declined, "decline", "approve"))
    reasons = model.reason_codes(features.loc[declined], inference.reason_codes)
    scored = scored.join(reasons)
    scored["model_name"] = model.info.get("registry", {}).get("name")
    scored["model_version"] = version
    scored["model_candidate"] = model.candidate
    summary = {
        "rows_scored": len(scored),
        "declined": int(declined.sum()),
        "approval_rate": float(1 - declined.mean()) if len(scored) else None,
        "threshold": model.threshold,
        "unseen_categories": unseen,
        "model": {
            "name": model.info.get("registry", {}).get("name"),
            "version": version,
            "candidate": model.candidate,
            "manifest_sha256": model.info.get("manifest_sha256"),
            "trained_in_kedro_run": model.info.get("kedro_run_id"),
        },
    }
    logger.info(
        "Scored %d applications with %s version %s: %d declined at threshold %.3f",
        len(scored),
        model.candidate,
        version,
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
    scoring: dict[str, Any],
    drift_summary: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """One record of the batch: rows in, quarantined, scored, declined, drift, model.

    Args:
        validation: The batch's validation summary.
        orphans: Rows quarantined for an unknown customer.
        scoring: From :func:`score_batch`.
        drift_summary: From :func:`monitor_batch_drift`.

    Returns:
        The summary, and its figures as MLflow metrics.
    """
    summary = {
        "rows_in": validation["rows_in"],
        "rows_quarantined": validation["rows_quarantined"] + len(orphans),
        "batch_sha256": validation["content_sha256"],
        **scoring,
        "drift": drift_summary,
    }
    metrics = {
        "rows_in": summary["rows_in"],
        "rows_quarantined": summary["rows_quarantined"],
        "rows_scored": scoring["rows_scored"],
        "declined": scoring["declined"],
        "approval_rate": scoring["approval_rate"] or 0.0,
        "score_psi": drift_summary["score_psi"],
        "drift_blocking_flags": len(drift_summary["flags"]),
        "unseen_values": sum(scoring["unseen_categories"].values()),
    }
    return summary, {k: {"value": float(v), "step": 0} for k, v in metrics.items()}
