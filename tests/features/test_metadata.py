"""The feature table's metadata: definitions come from the contract, built ones only here."""

from __future__ import annotations

import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.features import metadata
from credit_risk.features.model_table import definition

TABLE = pd.DataFrame(
    {
        "row_number": [0, 1, 2, 3],
        "bad": [0, 1, 0, 1],
        "amount": [1.0, 2.0, 2.0, 1e12],
        "grade": ["A", "B", "B", None],
    }
)
SUMMARY = {"content_sha256": "abc", "rows_in": 5, "rows_quarantined": 1}


def _columns(contract: DataContract) -> dict[str, dict]:
    return {c["name"]: c for c in metadata.describe(TABLE, contract, SUMMARY)["columns"]}


def _contract(dataset: str, **update: object) -> DataContract:
    return DataContract(
        dataset=dataset,
        target_column="bad",
        numeric_columns=["amount"],
        categorical_columns=["grade"],
        **update,
    )


def test_a_users_column_never_gets_the_demo_definition_of_its_name() -> None:
    columns = _columns(_contract("own_table"))
    assert columns["amount"]["definition"] is None
    described = _columns(_contract("own_table", descriptions={"amount": "Limit in euros."}))
    assert described["amount"]["definition"] == "Limit in euros."


def test_the_built_model_table_keeps_its_features_definitions() -> None:
    columns = _columns(_contract("model_table"))
    assert columns["amount"]["definition"] == definition("amount") == "Requested loan amount."


def test_roles_stats_and_levels_hold_on_huge_values_and_missing_levels() -> None:
    meta = metadata.describe(TABLE, _contract("own_table"), SUMMARY)
    columns = {c["name"]: c for c in meta["columns"]}
    assert meta["id"] == {"column": "row_number", "row_number": True}
    assert meta["inputs"] == {
        "own_table": {"content_sha256": "abc", "rows": 5, "rows_quarantined": 1}
    }
    assert columns["row_number"]["role"] == "id"
    assert columns["bad"]["role"] == "target"
    assert columns["amount"]["stats"]["max"] == 1e12
    assert columns["amount"]["stats"]["50%"] == 2.0
    assert columns["grade"]["levels"] == {"B": 0.5, "A": 0.25, "nan": 0.25}
    assert columns["grade"]["n_levels"] == 2
    assert meta["target"]["rate"] == 0.5
    assert meta["period"] is None
