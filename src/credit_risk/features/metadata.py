"""The feature table's metadata: what the offline feature store keeps beside each version.

Every column gets its role from the data contract, a definition (the contract's
``descriptions``; for the model table this project builds, the built features' own
definitions), its dtype, null rate, and summary statistics or level shares.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from credit_risk.checksums import content_hash
from credit_risk.contract import DataContract
from credit_risk.features.model_table import definition

BUILT_TABLE = "model_table"


def describe(
    feature_table: pd.DataFrame, contract: DataContract, validation_summary: dict[str, Any]
) -> dict[str, Any]:
    """Metadata of one version of the feature table.

    Args:
        feature_table: The validated feature table.
        contract: Column roles and descriptions.
        validation_summary: The input table's validation summary, with its content hash.

    Returns:
        Definitions, dtypes, null rates and summary statistics per column, the table's
        content hash, period and target rate, and the hash of the input it came from.
    """
    period = None
    if contract.date_column is not None:
        dates = feature_table[contract.date_column]
        period = {"from": f"{dates.min():%Y-%m-%d}", "to": f"{dates.max():%Y-%m-%d}"}
    return {
        "dataset": "feature_table",
        "rows": len(feature_table),
        "content_sha256": content_hash(feature_table),
        "period": period,
        "id": {"column": contract.key, "row_number": contract.id_column is None},
        "target": {
            "column": contract.target_column,
            "positive_class": contract.positive_class,
            "rate": round(float(feature_table[contract.target_column].mean()), 6),
        },
        "inputs": {
            contract.dataset: {
                "content_sha256": validation_summary["content_sha256"],
                "rows": validation_summary["rows_in"],
                "rows_quarantined": validation_summary["rows_quarantined"],
            }
        },
        "contract": contract.model_dump(),
        "columns": [
            _describe_column(feature_table[name], _role(name, contract), contract)
            for name in feature_table.columns
        ],
    }


def _role(name: str, contract: DataContract) -> str:
    roles = {
        contract.key: "id",
        contract.date_column: "date",
        contract.target_column: "target",
        contract.group_column: "group",
    }
    roles.pop(None, None)
    if name in roles:
        return roles[name]
    if name in contract.features:
        return "categorical" if name in contract.categorical_columns else "numeric"
    return "sensitive"


def _describe_column(values: pd.Series, role: str, contract: DataContract) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "name": values.name,
        "role": role,
        "dtype": str(values.dtype),
        "definition": _definition(str(values.name), contract),
        "null_rate": round(float(values.isna().mean()), 6),
    }
    if role == "numeric":
        stats = values.describe(percentiles=[0.01, 0.5, 0.99])
        entry["stats"] = {k: _number(v) for k, v in stats.drop("count").items()}
    elif role in {"categorical", "sensitive"}:
        shares = values.value_counts(normalize=True, dropna=False).head(20)
        entry["levels"] = {str(k): round(float(v), 6) for k, v in shares.items()}
        entry["n_levels"] = int(values.nunique())
    return entry


def _number(value: float) -> float | None:
    return None if pd.isna(value) else round(float(value), 6)


def _definition(name: str, contract: DataContract) -> str | None:
    """The contract's description; the built features' own only for the table built here."""
    if name in contract.descriptions:
        return contract.descriptions[name]
    return definition(name) if contract.dataset == BUILT_TABLE else None
