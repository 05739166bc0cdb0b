"""Source-specific nodes: raw tables -> validated, joined -> point-in-time model table."""

from __future__ import annotations

import logging
from typing import Any

import pandas as pd

from credit_risk.features.model_table import build_model_table
from credit_risk.params import FeatureParams, SourceSpec, ValidationSettings
from credit_risk.schemas.features import FeatureTableSchema
from credit_risk.schemas.raw import ApplicationsSchema, CustomersSchema, RepaymentHistorySchema
from credit_risk.validation import (
    QUARANTINE_COLUMNS,
    refuse_known_ids,
    require_validation,
    split_orphans,
    validate_source,
)

logger = logging.getLogger(__name__)

Validated = tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]


def validate_customers(
    customers: pd.DataFrame, spec: SourceSpec, validation: ValidationSettings
) -> Validated:
    """Validate the raw customers table.

    Args:
        customers: Raw customers.
        spec: Renames, id columns and date columns of this source.
        validation: Shared validation settings.

    Returns:
        Valid customers, their quarantine and a summary.
    """
    return validate_source(customers, CustomersSchema.to_schema(), "customers", spec, validation)


def validate_applications(
    applications: pd.DataFrame, spec: SourceSpec, validation: ValidationSettings
) -> Validated:
    """Validate the raw, labelled applications.

    Args:
        applications: Raw applications.
        spec: Renames, id columns and date columns of this source.
        validation: Shared validation settings.

    Returns:
        Valid applications, their quarantine and a summary.
    """
    schema = ApplicationsSchema.to_schema()
    return validate_source(applications, schema, "applications", spec, validation)


def validate_repayment_history(
    repayment_history: pd.DataFrame, spec: SourceSpec, validation: ValidationSettings
) -> Validated:
    """Validate the raw repayment history.

    Args:
        repayment_history: Raw monthly statements.
        spec: Renames, id columns and date columns of this source.
        validation: Shared validation settings.

    Returns:
        Valid statements, their quarantine and a summary.
    """
    schema = RepaymentHistorySchema.to_schema()
    return validate_source(repayment_history, schema, "repayment_history", spec, validation)


def enforce_references(
    customers: pd.DataFrame,
    applications: pd.DataFrame,
    repayment_history: pd.DataFrame,
    scoring_batch: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, dict[str, Any]]:
    """Quarantine rows whose customer is not a valid customer; refuse shared application ids.

    Args:
        customers: Valid customers.
        applications: Valid applications.
        repayment_history: Valid statements.
        scoring_batch: The raw batch to score later; its ids must not be training ids.

    Returns:
        Applications and statements of valid customers, the orphans' quarantine, and a
        summary of it.

    Raises:
        DataContractError: When an application id is in both applications and the batch.
    """
    refuse_known_ids(
        scoring_batch["application_id"],
        applications["application_id"],
        "scoring_batch",
        "application_id",
        "applications",
    )
    kept, quarantines, failures = {}, [], []
    for name, frame in (("applications", applications), ("repayment_history", repayment_history)):
        kept[name], quarantine, orphans = split_orphans(frame, customers, name)
        quarantines.append(quarantine)
        failures.append({"dataset": name, "rows": orphans})
    summary = {"dataset": "references", "orphans": failures}
    return kept["applications"], kept["repayment_history"], pd.concat(quarantines), summary


def collect_quarantine(*quarantines: pd.DataFrame) -> pd.DataFrame:
    """Stack every quarantine into one table.

    Args:
        *quarantines: Frames with :data:`QUARANTINE_COLUMNS`.

    Returns:
        One frame, by dataset then source row.
    """
    stacked = pd.concat([q[QUARANTINE_COLUMNS] for q in quarantines], ignore_index=True)
    return stacked.sort_values(["dataset", "source_row"], kind="stable", ignore_index=True)


def build_validation_report(
    customers: dict[str, Any],
    applications: dict[str, Any],
    repayment_history: dict[str, Any],
    references: dict[str, Any],
) -> dict[str, Any]:
    """Counts per dataset, column and check, for people and for tracking.

    Args:
        customers: Summary of the customers' validation.
        applications: Summary of the applications' validation.
        repayment_history: Summary of the history's validation.
        references: Summary of the orphan check.

    Returns:
        The report: per dataset rows in, valid and quarantined, and the failing checks.
    """
    datasets = {s["dataset"]: dict(s) for s in (customers, applications, repayment_history)}
    for orphans in references["orphans"]:
        entry = datasets[orphans["dataset"]]
        if orphans["rows"]:
            entry["failures"] = [
                *entry["failures"],
                {
                    "column": "customer_id",
                    "check": "foreign_key(customers)",
                    "rows": orphans["rows"],
                    "share": round(orphans["rows"] / entry["rows_in"], 6),
                },
            ]
        entry["rows_valid"] -= orphans["rows"]
        entry["rows_quarantined"] += orphans["rows"]
    totals = {
        k: sum(d[k] for d in datasets.values())
        for k in ("rows_in", "rows_valid", "rows_quarantined")
    }
    return {"totals": totals, "datasets": datasets}


def make_model_table(
    applications: pd.DataFrame,
    customers: pd.DataFrame,
    repayment_history: pd.DataFrame,
    features: FeatureParams,
) -> pd.DataFrame:
    """One row per application with customer attributes and point-in-time history features.

    Args:
        applications: Applications of valid customers.
        customers: Valid customers.
        repayment_history: Statements of valid customers.
        features: Window lengths.

    Returns:
        The model table.

    Raises:
        pandera.errors.SchemaErrors: When the feature code produced an impossible value.
    """
    require_validation("model_table")
    table = build_model_table(applications, customers, repayment_history, features.windows)
    FeatureTableSchema.validate(table, lazy=True)
    logger.info("Model table: %d rows, %d columns", len(table), table.shape[1])
    return table
