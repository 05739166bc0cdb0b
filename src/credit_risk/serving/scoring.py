"""Scoring a batch with a registered model: decisions at its threshold, reason codes."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.models.encoding import unseen_counts
from credit_risk.serving.bundle import ScoringModel
from credit_risk.validation import DataContractError

logger = logging.getLogger(__name__)


def check_champion(model: ScoringModel, champion: dict[str, Any]) -> None:
    """Refuse a model that is not the version the registry calls champion.

    Args:
        model: The loaded model.
        champion: The registry's champion record (``{}``: no check).

    Raises:
        RuntimeError: The alias moved between loading the model and its record.
    """
    version = model.info.get("registry", {}).get("version")
    if champion and version != champion.get("version"):
        raise RuntimeError(
            f"Loaded model version {version}, but the registry's champion is version "
            f"{champion.get('version')}: the alias moved during the run; run again."
        )


def check_features(rows: pd.DataFrame, model: ScoringModel, dataset: str) -> None:
    """Refuse a batch that lacks a feature the model needs.

    Args:
        rows: The batch.
        model: The model to score it with.
        dataset: The batch's catalog name, for the message.

    Raises:
        DataContractError: Naming the first missing column and how many are missing.
    """
    missing = [c for c in model.features if c not in rows.columns]
    if missing:
        raise DataContractError(
            dataset,
            missing[0],
            f"the model needs {len(missing)} feature(s) the batch lacks: {missing[:5]}",
            "give the batch every feature column of the table the model was trained on "
            "(same names; built by the same feature code)",
        )


def score_rows(
    rows: pd.DataFrame, model: ScoringModel, contract: DataContract, reason_codes: int
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Scores, decisions at the model's threshold and reason codes for declined rows.

    Args:
        rows: Rows holding every feature the model needs.
        model: The model.
        contract: Column roles (the keys kept beside each score).
        reason_codes: Reasons given per declined row.

    Returns:
        The scored rows and a summary (counts, unseen categories, model version).
    """
    unseen = unseen_counts(rows, model.encoder)
    for column, count in unseen.items():
        logger.warning(
            "Batch column '%s': %d value(s) never seen in training, scored as missing",
            column,
            count,
        )
    score = model.score(rows)
    declined = score >= model.threshold
    keys = [c for c in (contract.key, contract.group_column, contract.date_column) if c]
    keys = [c for c in keys if c in rows.columns]
    scored = rows[keys].assign(score=score, decision=np.where(declined, "decline", "approve"))
    scored = scored.join(model.reason_codes(rows.loc[declined], reason_codes))
    registry = model.info.get("registry", {})
    scored["model_name"] = registry.get("name")
    scored["model_version"] = registry.get("version")
    scored["model_candidate"] = model.candidate
    return scored, _summary(scored, declined, unseen, model)


def _summary(
    scored: pd.DataFrame, declined: np.ndarray, unseen: dict[str, int], model: ScoringModel
) -> dict[str, Any]:
    registry = model.info.get("registry", {})
    return {
        "rows_scored": len(scored),
        "declined": int(declined.sum()),
        "approval_rate": float(1 - declined.mean()) if len(scored) else None,
        "threshold": model.threshold,
        "unseen_categories": unseen,
        "model": {
            "name": registry.get("name"),
            "version": registry.get("version"),
            "candidate": model.candidate,
            "manifest_sha256": model.info.get("manifest_sha256"),
            "trained_in_kedro_run": model.info.get("kedro_run_id"),
        },
    }


def batch_record(
    validation: dict[str, Any],
    orphans: int,
    scoring: dict[str, Any],
    drift_summary: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, dict[str, float]]]:
    """One record of a scored batch, and its figures as MLflow metrics.

    Args:
        validation: The batch's validation summary.
        orphans: Rows quarantined for an unknown customer.
        scoring: The scoring summary.
        drift_summary: The drift summary.

    Returns:
        The record, and its figures as ``{name: {"value", "step"}}``.
    """
    summary = {
        "rows_in": validation["rows_in"],
        "rows_quarantined": validation["rows_quarantined"] + orphans,
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
