"""A raw source through its schema, and the rows whose parent key is not a valid parent."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa

from credit_risk.checksums import content_hash
from credit_risk.config import OWN_BATCH
from credit_risk.contract import DataContract
from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.validation.errors import DataContractError
from credit_risk.validation.quarantine import quarantine_rows, validate_table
from credit_risk.validation.target import prepare_table

Validated = tuple[pd.DataFrame, pd.DataFrame, dict[str, Any]]


def validate_source(
    raw: pd.DataFrame,
    schema: pa.DataFrameSchema,
    dataset: str,
    spec: SourceSpec,
    validation: ValidationSettings,
    configured_in: str = "conf/base/parameters_data_processing.yml",
) -> Validated:
    """Valid rows, quarantine and summary of one raw source, with its content hash.

    Args:
        raw: The source as read.
        schema: Its pandera schema.
        dataset: Its catalog name.
        spec: How it maps onto the schema.
        validation: Shared settings.
        configured_in: Where ``spec`` is configured, for messages.

    Returns:
        Valid rows, quarantined rows, and the summary with ``content_sha256``.
    """
    outcome = validate_table(raw, schema, dataset, spec, validation, configured_in)
    summary = {**outcome.summary, "content_sha256": content_hash(raw)}
    return outcome.valid, outcome.quarantine, summary


def validate_contract_batch(
    table: pd.DataFrame, contract: DataContract, validation: ValidationSettings
) -> Validated:
    """A user's batch to score (the table's columns, no target) checked as the table was.

    Args:
        table: The batch as read (``own_batch``).
        contract: Column roles; the target is not needed.
        validation: Shared validation settings.

    Returns:
        Valid rows, quarantined rows, and a summary with the batch's content hash.

    Raises:
        DataContractError: A column the contract names is missing, or the batch is empty.
    """
    schema = contract.pandera_schema().remove_columns([contract.target_column])
    prepared = prepare_table(
        table.drop(columns=[contract.target_column], errors="ignore"), contract
    )
    spec = contract.source_spec()
    return validate_source(prepared, schema, OWN_BATCH, spec, validation, "data_contract")


def refuse_known_ids(
    ids: pd.Series, known: pd.Series, dataset: str, column: str, known_as: str
) -> None:
    """Refuse a batch to score whose ids include rows the models were built from.

    Args:
        ids: The batch's ids.
        known: The ids of the labelled rows (training applications, the feature table).
        dataset: The batch's catalog name, for the message.
        column: The id column, for the message.
        known_as: Where the known ids come from, for the message.

    Raises:
        DataContractError: When any id is in both.
    """
    shared = ids[ids.isin(known)].drop_duplicates().sort_values().tolist()
    if shared:
        raise DataContractError(
            dataset,
            column,
            f"{len(shared)} ids also appear in '{known_as}' (such as {shared[:3]}): "
            "a scored application would be one the model was trained on",
            "give the batch its own ids, or remove the labelled rows from the batch",
        )


def split_orphans(
    frame: pd.DataFrame,
    parents: pd.DataFrame,
    dataset: str,
    key: str = "customer_id",
    parent: str = "customers",
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Rows whose ``key`` is a valid parent's, and a quarantine of the others.

    Args:
        frame: Rows referencing parents.
        parents: Valid parent rows.
        dataset: The catalog name of ``frame``, for the quarantine.
        key: The column both tables share.
        parent: The parents' catalog name, for the failed check's name.

    Returns:
        The kept rows (index reset), the quarantine, and how many rows it holds.
    """
    orphan = ~np.isin(frame[key].to_numpy(), parents[key].to_numpy())
    failed = pd.DataFrame(
        {"row": np.flatnonzero(orphan), "column": key, "check": f"foreign_key({parent})"}
    )
    quarantine = quarantine_rows(frame.reset_index(drop=True), failed, dataset)
    return frame.loc[~orphan].reset_index(drop=True), quarantine, int(orphan.sum())


def table_report(*summaries: dict[str, Any]) -> dict[str, Any]:
    """The validation report of one or more tables: totals, and each table's summary.

    Args:
        *summaries: Validation summaries (``dataset``, ``rows_in``, ``rows_valid``,
            ``rows_quarantined``, ``failures``).

    Returns:
        ``{"totals": {...}, "datasets": {name: summary}}``, the shape the model card reads.
    """
    datasets = {s["dataset"]: dict(s) for s in summaries}
    keys = ("rows_in", "rows_valid", "rows_quarantined")
    totals = {k: sum(int(d[k]) for d in datasets.values()) for k in keys}
    return {"totals": totals, "datasets": datasets}
