"""Validate a raw table against a pandera schema, quarantining bad rows with reasons.

The steps, in order, for one table:

1. structural checks that stop the run (:class:`DataContractError`): empty table, a
   required column missing (after the source's ``rename`` map), a required column that
   is entirely null, a column whose values mostly cannot be read as its type;
2. normalisation of categories (case, padding, ``-``/space to ``_``, aliases) so that
   spelling variants are fixed rather than quarantined;
3. coercion to the schema's types; a value that cannot be read is a row failure;
   so is a non-finite number (``inf``, ``-inf``) or one larger in magnitude than
   ``max_abs_value``, in every numeric column, the schema's and any carried along;
4. de-duplication: exact copies of an earlier row are quarantined as
   ``duplicate_row``; rows that share an id but disagree are all quarantined as
   ``conflicting_duplicate_id`` (no rule could tell which one is right);
5. the pandera schema, validated lazily, so one pass reports every failing check.

Every input row ends either in the valid output or in the quarantine, with the original
values (as JSON), the dataset it came from and the checks it failed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera import dtypes as pa_dtypes

from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.validation.errors import DataContractError, close_matches, require_validation

logger = logging.getLogger(__name__)

QUARANTINE_COLUMNS = ["dataset", "source_row", "failed_checks", "record"]
_FAILURE_COLUMNS = ["row", "column", "check"]


@dataclass(frozen=True)
class ValidationOutcome:
    """Valid rows, quarantined rows and a summary of one table's validation."""

    valid: pd.DataFrame
    quarantine: pd.DataFrame
    summary: dict[str, Any]


def validate_table(
    raw: pd.DataFrame,
    schema: pa.DataFrameSchema,
    dataset: str,
    spec: SourceSpec,
    settings: ValidationSettings,
    configured_in: str = "conf/base/parameters_data_processing.yml",
) -> ValidationOutcome:
    """Split a raw table into valid rows and quarantined rows.

    Args:
        raw: The table as read from its source.
        schema: The pandera schema its rows must satisfy.
        dataset: The catalog name, used in every message.
        configured_in: Where the source's mapping (``rename``) is configured, for messages.
        spec: Renames, id columns and date columns of this source.
        settings: Snapshot date, category aliases and the coercion tolerance.

    Returns:
        The valid rows (typed as the schema says), the quarantine and a summary.

    Raises:
        DataContractError: On a structural problem (see the module docstring).
        ValidationDisabledError: When pandera's validation is switched off.
    """
    require_validation(dataset)
    frame = raw.rename(columns=spec.rename).reset_index(drop=True)
    _check_structure(frame, schema, dataset, spec, configured_in)
    frame, failures = _coerce(frame, schema, dataset, settings)
    failures.append(_implausible_numbers(frame, settings.max_abs_value))
    failures.append(_duplicates(frame, spec.id_columns))
    snapshot = pd.Timestamp(settings.snapshot_date)
    schema = _with_snapshot_checks(schema, spec.not_after_snapshot, snapshot)
    failures.append(_schema_failures(frame, schema, dataset))
    # One reason per cell: a value that could not be read is not also reported as null.
    failed = pd.concat(failures, ignore_index=True).drop_duplicates(["row", "column"])
    bad = np.zeros(len(frame), dtype=bool)
    bad[failed["row"].to_numpy(dtype=np.int64)] = True
    valid = _finalise(frame.loc[~bad], schema)
    quarantine = quarantine_rows(raw.reset_index(drop=True), failed, dataset)
    summary = _summary(dataset, len(raw), len(valid), failed)
    logger.info(
        "Validated '%s': %d rows in, %d valid, %d quarantined",
        dataset,
        len(raw),
        len(valid),
        len(quarantine),
    )
    return ValidationOutcome(valid=valid, quarantine=quarantine, summary=summary)


def _check_structure(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    dataset: str,
    spec: SourceSpec,
    configured_in: str,
) -> None:
    if frame.empty:
        raise DataContractError(
            dataset,
            None,
            "expected at least one row, got 0",
            f"check the file the catalog entry '{dataset}' points to and the step that writes it",
        )
    for name, column in schema.columns.items():
        if name not in frame.columns:
            source = {v: k for k, v in spec.rename.items()}.get(name, name)
            raise DataContractError(
                dataset,
                name,
                f"required column is missing{close_matches(source, frame.columns)}",
                f"add the column to the source, or map its name under 'rename' for "
                f"'{dataset}' in {configured_in}",
            )
        if not column.nullable and frame[name].isna().all():
            raise DataContractError(
                dataset,
                name,
                f"every one of the {len(frame)} values is null, and it is required",
                "check the export that produced this column; a required column cannot be empty",
            )


def _coerce(
    frame: pd.DataFrame, schema: pa.DataFrameSchema, dataset: str, settings: ValidationSettings
) -> tuple[pd.DataFrame, list[pd.DataFrame]]:
    out = frame.copy()
    failures = [pd.DataFrame(columns=_FAILURE_COLUMNS)]
    for name, column in schema.columns.items():
        target = str(column.dtype)
        before = frame[name]
        if column.dtype is None:
            continue
        if pa_dtypes.is_string(column.dtype):
            out[name] = _normalise_categories(before, column, settings.category_aliases)
            continue
        after = _convert(before, target)
        lost = before.notna().to_numpy() & after.isna().to_numpy()
        if lost.any():
            _check_coercion_rate(before, lost, dataset, name, target, settings)
            rows = np.flatnonzero(lost)
            failures.append(
                pd.DataFrame({"row": rows, "column": name, "check": f"coerce_to_{target}"})
            )
        out[name] = after
    return out, failures


def _convert(values: pd.Series, target: str) -> pd.Series:
    dtype = pd.api.types.pandas_dtype(target)
    if target.startswith("datetime64"):
        if not pd.api.types.is_datetime64_any_dtype(values):
            values = pd.to_datetime(values, errors="coerce", format="ISO8601")
        return values.astype(dtype)
    numbers = pd.to_numeric(values, errors="coerce").astype(np.float64)
    if target == "Int64":  # a fractional value cannot be read as an integer
        numbers = numbers.where(np.isclose(numbers, np.round(numbers)) | numbers.isna())
    return numbers.astype(dtype)


def _check_coercion_rate(
    before: pd.Series,
    lost: np.ndarray,
    dataset: str,
    name: str,
    target: str,
    settings: ValidationSettings,
) -> None:
    share = lost.sum() / max(1, before.notna().sum())
    if share > settings.max_coercion_failure_rate:
        examples = ", ".join(repr(v) for v in before[lost].astype(str).unique()[:3])
        raise DataContractError(
            dataset,
            name,
            f"expected values of type {target}, got {share:.0%} that cannot be read as one "
            f"(such as {examples})",
            "fix the column's type in the source; a few bad values are quarantined, "
            f"but more than {settings.max_coercion_failure_rate:.0%} means the column is wrong",
        )


def _normalise_categories(
    values: pd.Series, column: pa.Column, aliases: dict[str, str]
) -> pd.Series:
    """Map spelling variants onto the allowed values; without allowed values, cast to str.

    A variant is matched after stripping, lower-casing and joining words with ``_``, or
    through ``aliases`` (keys compared in lower case).
    """
    allowed = next(
        (c.statistics["allowed_values"] for c in column.checks if "allowed_values" in c.statistics),
        None,
    )
    if allowed is None:
        return values.astype("str")
    codes, uniques = pd.factorize(values)
    clean = (
        pd.Series(uniques, dtype="str")
        .str.strip()
        .str.lower()
        .str.replace(r"[\s\-]+", "_", regex=True)
    )
    canonical = {str(a).lower(): str(a) for a in allowed}
    canonical.update({k.lower(): v for k, v in aliases.items()})
    mapped = clean.map(lambda v: canonical.get(v, v)).to_numpy(dtype=object)
    with_null = np.concatenate([mapped, np.array([None], dtype=object)])  # code -1 is null
    return pd.Series(with_null[codes], index=values.index, dtype="str")


def _implausible_numbers(frame: pd.DataFrame, max_abs_value: float) -> pd.DataFrame:
    """Rows holding ``inf``, ``-inf`` or a magnitude above ``max_abs_value``, per column.

    One such value would otherwise pass a ``ge=0`` check and reach every sum built on it.
    """
    found = [pd.DataFrame(columns=_FAILURE_COLUMNS)]
    for name in frame.columns:
        column = frame[name]
        if not pd.api.types.is_numeric_dtype(column) or pd.api.types.is_bool_dtype(column):
            continue
        values = column.to_numpy(dtype=np.float64, na_value=np.nan)
        infinite = np.isinf(values)
        huge = ~infinite & (np.abs(np.nan_to_num(values)) > max_abs_value)
        for rows, check in ((infinite, "finite"), (huge, f"max_abs_value({max_abs_value:g})")):
            if rows.any():
                found.append(
                    pd.DataFrame({"row": np.flatnonzero(rows), "column": name, "check": check})
                )
    return pd.concat(found, ignore_index=True)


def _duplicates(frame: pd.DataFrame, id_columns: list[str]) -> pd.DataFrame:
    exact = frame.duplicated(keep="first").to_numpy()
    remaining = frame.loc[~exact, id_columns]
    clash = remaining.notna().all(axis=1) & remaining.duplicated(keep=False)
    conflicting = np.flatnonzero(~exact)[clash.to_numpy()]
    return pd.concat(
        [
            pd.DataFrame({"row": np.flatnonzero(exact), "column": "*", "check": "duplicate_row"}),
            pd.DataFrame(
                {
                    "row": conflicting,
                    "column": ",".join(id_columns),
                    "check": "conflicting_duplicate_id",
                }
            ),
        ],
        ignore_index=True,
    )


def _with_snapshot_checks(
    schema: pa.DataFrameSchema, columns: list[str], snapshot: pd.Timestamp
) -> pa.DataFrameSchema:
    check = pa.Check.le(snapshot, name="not_after_snapshot", error=f"not after {snapshot:%Y-%m-%d}")
    return schema.update_columns(
        {c: {"checks": [*schema.columns[c].checks, check]} for c in columns}
    )


def _schema_failures(frame: pd.DataFrame, schema: pa.DataFrameSchema, dataset: str) -> pd.DataFrame:
    try:
        schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        structural = cases[cases["index"].isna()]
        if not structural.empty:
            first = structural.iloc[0]
            raise DataContractError(
                dataset,
                str(first["column"]),
                f"failed the check '{first['check']}' as a whole (got {first['failure_case']!r})",
                "fix the column in the source so it matches the schema in src/credit_risk/schemas",
            ) from exc
        return pd.DataFrame(
            {
                "row": cases["index"].astype("int64").to_numpy(),
                "column": cases["column"].astype(str).to_numpy(),
                "check": cases["check"].astype(str).to_numpy(),
            }
        )
    return pd.DataFrame(columns=_FAILURE_COLUMNS)


def _finalise(valid: pd.DataFrame, schema: pa.DataFrameSchema) -> pd.DataFrame:
    """Reset the index and use plain ``int64`` for integer columns that have no nulls left."""
    out = valid.reset_index(drop=True)
    for name, column in schema.columns.items():
        if str(column.dtype) == "Int64" and not column.nullable:
            out[name] = out[name].astype("int64")
    return out


def quarantine_rows(raw: pd.DataFrame, failed: pd.DataFrame, dataset: str) -> pd.DataFrame:
    """One quarantine row per failing input row: the original values and every failed check.

    Args:
        raw: The table as read, with a default index (row positions).
        failed: One row per (row, column, check) failure.
        dataset: The catalog name of the table.

    Returns:
        A frame with :data:`QUARANTINE_COLUMNS`, ordered by source row.
    """
    if failed.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype="int64" if c == "source_row" else "str")
                for c in QUARANTINE_COLUMNS
            }
        )
    labels = failed["column"].astype(str) + ":" + failed["check"].astype(str)
    reasons = labels.groupby(failed["row"].to_numpy(dtype=np.int64)).agg(
        lambda s: "; ".join(dict.fromkeys(s))
    )
    records = raw.iloc[reasons.index.to_numpy()]
    return pd.DataFrame(
        {
            "dataset": pd.Series(dataset, index=range(len(reasons)), dtype="str"),
            "source_row": reasons.index.to_numpy(dtype=np.int64),
            "failed_checks": pd.array(reasons.to_numpy(), dtype="str"),
            "record": pd.array(
                records.to_json(orient="records", lines=True, date_format="iso").splitlines(),
                dtype="str",
            ),
        }
    )


def _summary(dataset: str, rows_in: int, rows_valid: int, failed: pd.DataFrame) -> dict[str, Any]:
    counts = (
        failed.groupby(["column", "check"], as_index=False)
        .agg(rows=("row", "nunique"))
        .sort_values("rows", ascending=False, kind="stable")
    )
    return {
        "dataset": dataset,
        "rows_in": rows_in,
        "rows_valid": rows_valid,
        "rows_quarantined": rows_in - rows_valid,
        "failures": [
            {"column": col, "check": chk, "rows": int(n), "share": round(n / rows_in, 6)}
            for col, chk, n in counts.itertuples(index=False)
        ],
    }
