from __future__ import annotations

import json
import os

import pandas as pd
import pandera.pandas as pa
import pytest
from pandera.config import config_context

from credit_risk.demo_data import DemoData
from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.schemas.raw import ApplicationsSchema, CustomersSchema, RepaymentHistorySchema
from credit_risk.validation import DataContractError, ValidationDisabledError, validate_table

SCHEMAS = {
    "customers": CustomersSchema,
    "applications": ApplicationsSchema,
    "repayment_history": RepaymentHistorySchema,
}


def _customers() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": [1, 2, 3],
            "birth_date": ["1980-01-01", "1990-05-05", "1970-03-03"],
            "gender": ["F", "M", "F"],
            "region": ["north", "south", "east"],
            "income": [30_000.0, None, 50_000.0],
            "employment_type": ["employed", "retired", "student"],
            "employment_years": [3.0, None, None],
            "home_ownership": ["rent", "own", "other"],
            "dependents": [0, 1, 2],
            "signup_date": ["2020-01-01", "2021-01-01", "2022-01-01"],
        }
    )


def _run(raw: pd.DataFrame, settings: ValidationSettings, spec: SourceSpec | None = None):
    spec = spec or SourceSpec(id_columns=["customer_id"], not_after_snapshot=["birth_date"])
    return validate_table(raw, CustomersSchema.to_schema(), "customers", spec, settings)


def test_pandera_validation_is_switched_on() -> None:
    assert os.environ.get("PANDERA_VALIDATION_ENABLED", "True").lower() not in {"false", "0"}
    with pytest.raises(pa.errors.SchemaError):
        CustomersSchema.to_schema().validate(pd.DataFrame({"customer_id": [-1]}))


@pytest.mark.parametrize("name", list(SCHEMAS))
def test_every_raw_row_is_valid_or_quarantined(
    name: str, demo: DemoData, sources: dict[str, SourceSpec], settings: ValidationSettings
) -> None:
    raw = getattr(demo, name)
    outcome = validate_table(raw, SCHEMAS[name].to_schema(), name, sources[name], settings)
    assert len(outcome.valid) + len(outcome.quarantine) == len(raw)
    assert len(outcome.quarantine) > 0
    assert outcome.quarantine["source_row"].is_unique
    assert set(outcome.quarantine["dataset"]) == {name}
    assert outcome.summary["rows_quarantined"] == len(outcome.quarantine)
    SCHEMAS[name].validate(
        outcome.valid.astype({c: "Int64" for c in outcome.valid.select_dtypes("int64")})
    )


def test_quarantine_keeps_the_original_row_and_its_reasons(settings: ValidationSettings) -> None:
    raw = _customers()
    raw.loc[1, "income"] = -5.0
    raw.loc[1, "region"] = "atlantis"
    outcome = _run(raw, settings)
    assert outcome.valid["customer_id"].tolist() == [1, 3]
    row = outcome.quarantine.iloc[0]
    assert row["source_row"] == 1
    assert row["failed_checks"] == (
        "region:isin(['north', 'south', 'east', 'west', 'central']); "
        "income:greater_than_or_equal_to(0)"
    )
    assert json.loads(row["record"])["income"] == -5.0


def test_spelling_variants_are_normalised_not_quarantined(settings: ValidationSettings) -> None:
    raw = _customers()
    raw["gender"] = [" f ", "Male", "F"]
    raw["employment_type"] = ["EMPLOYED", "Retired ", "student"]
    raw["home_ownership"] = ["Renting", "own", "other"]
    raw.loc[0, "employment_type"] = "Self-Employed"
    outcome = _run(raw, settings)
    assert outcome.quarantine.empty
    assert outcome.valid["gender"].tolist() == ["F", "M", "F"]
    assert outcome.valid["employment_type"].tolist() == ["self_employed", "retired", "student"]
    assert outcome.valid["home_ownership"].tolist() == ["rent", "own", "other"]


def test_out_of_range_integer_is_quarantined_not_wrapped(settings: ValidationSettings) -> None:
    raw = _customers()
    raw.loc[2, "dependents"] = 300  # would be 44 if squeezed into int8
    outcome = _run(raw, settings)
    assert outcome.valid["dependents"].tolist() == [0, 1]
    assert outcome.quarantine["failed_checks"].tolist() == ["dependents:less_than_or_equal_to(20)"]


def test_unreadable_value_is_quarantined(settings: ValidationSettings) -> None:
    raw = _customers().astype({"income": object, "dependents": float})
    raw.loc[0, "income"] = "unknown"
    raw.loc[1, "dependents"] = 1.5
    outcome = _run(raw, settings)
    assert outcome.quarantine["failed_checks"].tolist() == [
        "income:coerce_to_float64",
        "dependents:coerce_to_Int64",
    ]
    assert outcome.valid["customer_id"].tolist() == [3]


def test_future_dates_are_quarantined(settings: ValidationSettings) -> None:
    raw = _customers()
    raw.loc[0, "birth_date"] = "2031-01-01"
    outcome = _run(raw, settings)
    assert outcome.quarantine["failed_checks"].tolist() == ["birth_date:not after 2025-03-01"]


def test_exact_duplicates_keep_the_first_conflicting_ones_go(settings: ValidationSettings) -> None:
    raw = _customers()
    raw = pd.concat([raw, raw.iloc[[0]], raw.iloc[[1]].assign(dependents=4)], ignore_index=True)
    outcome = _run(raw, settings)
    assert outcome.valid["customer_id"].tolist() == [1, 3]
    reasons = dict(
        zip(outcome.quarantine["source_row"], outcome.quarantine["failed_checks"], strict=True)
    )
    assert reasons == {
        1: "customer_id:conflicting_duplicate_id",
        3: "*:duplicate_row",
        4: "customer_id:conflicting_duplicate_id",
    }


def test_renamed_source_column_is_mapped(settings: ValidationSettings) -> None:
    raw = _customers().rename(columns={"income": "annual_income"})
    spec = SourceSpec(id_columns=["customer_id"], rename={"annual_income": "income"})
    assert _run(raw, settings, spec).valid["income"].fillna(-1).tolist() == [30_000, -1, 50_000]


# ----------------------------------------------------------------- structural failures


def test_missing_column_stops_with_the_fix(settings: ValidationSettings) -> None:
    raw = _customers().rename(columns={"income": "incme"})
    with pytest.raises(DataContractError) as caught:
        _run(raw, settings)
    message = str(caught.value)
    assert "column 'income' of dataset 'customers'" in message
    assert "similar columns found: 'incme'" in message
    assert "map its name under 'rename'" in message


def test_column_of_the_wrong_type_stops(settings: ValidationSettings) -> None:
    raw = _customers().astype({"income": object})
    raw["income"] = ["thirty", "forty", 12.0]
    with pytest.raises(DataContractError) as caught:
        _run(raw, settings)
    message = str(caught.value)
    assert "column 'income' of dataset 'customers'" in message
    assert "expected values of type float64, got 67% that cannot be read" in message
    assert "'thirty'" in message


def test_empty_table_stops(settings: ValidationSettings) -> None:
    with pytest.raises(DataContractError, match=r"dataset 'customers': expected at least one row"):
        _run(_customers().iloc[0:0], settings)


def test_all_null_required_column_stops(settings: ValidationSettings) -> None:
    raw = _customers()
    raw["region"] = None
    with pytest.raises(DataContractError) as caught:
        _run(raw, settings)
    assert "column 'region' of dataset 'customers'" in str(caught.value)
    assert "every one of the 3 values is null" in str(caught.value)


def test_all_null_optional_column_is_fine(settings: ValidationSettings) -> None:
    raw = _customers()
    raw["employment_years"] = None
    assert len(_run(raw, settings).valid) == 3


def test_non_finite_numbers_are_quarantined_in_every_numeric_column(
    settings: ValidationSettings,
) -> None:
    raw = _customers().assign(score_from_bureau=[0.5, 0.7, 0.9])  # a column carried along
    raw.loc[0, "income"] = float("inf")  # passes ge=0 on its own
    raw.loc[1, "score_from_bureau"] = float("-inf")
    outcome = _run(raw, settings)
    assert outcome.valid["customer_id"].tolist() == [3]
    assert outcome.quarantine["failed_checks"].tolist() == [
        "income:finite",
        "score_from_bureau:finite",
    ]
    assert len(outcome.valid) + len(outcome.quarantine) == len(raw)


def test_a_text_inf_in_a_numeric_column_is_quarantined_too(settings: ValidationSettings) -> None:
    raw = _customers().astype({"income": object})
    raw.loc[2, "income"] = "inf"  # as a CSV export writes it; pandas reads it as a number
    outcome = _run(raw, settings)
    assert outcome.quarantine["failed_checks"].tolist() == ["income:finite"]


def test_magnitudes_beyond_the_stated_bound_are_quarantined(settings: ValidationSettings) -> None:
    bounded = settings.model_copy(update={"max_abs_value": 1e6})
    raw = _customers().assign(exposure=[1e6, -1e6 - 1, 1e300])
    outcome = _run(raw, bounded)
    assert outcome.valid["customer_id"].tolist() == [1]  # the bound itself is plausible
    assert outcome.quarantine["failed_checks"].tolist() == [
        "exposure:max_abs_value(1e+06)",
        "exposure:max_abs_value(1e+06)",
    ]


@pytest.mark.parametrize(
    ("column", "value", "check"),
    [
        ("credit_limit", 1e-12, "credit_limit:greater_than_or_equal_to(1)"),
        ("balance", float("inf"), "balance:finite"),
        ("amount_due", 2e7, "amount_due:less_than_or_equal_to(10000000)"),
    ],
)
def test_implausible_statements_are_quarantined(
    column: str, value: float, check: str, settings: ValidationSettings
) -> None:
    raw = pd.DataFrame(
        {
            "customer_id": [1, 1],
            "statement_date": ["2024-01-01", "2024-02-01"],
            "credit_limit": [1_000.0, 1_000.0],
            "balance": [100.0, 200.0],
            "amount_due": [25.0, 25.0],
            "amount_paid": [25.0, 0.0],
            "days_past_due": [0, 30],
        }
    )
    raw.loc[1, column] = value
    spec = SourceSpec(id_columns=["customer_id", "statement_date"])
    outcome = validate_table(
        raw, RepaymentHistorySchema.to_schema(), "repayment_history", spec, settings
    )
    assert outcome.quarantine["failed_checks"].tolist() == [check]
    assert len(outcome.valid) == 1


def test_validation_refuses_to_run_when_pandera_is_switched_off(
    settings: ValidationSettings,
) -> None:
    raw = _customers()
    raw.loc[0, "income"] = -5.0
    with (
        config_context(validation_enabled=False),
        pytest.raises(ValidationDisabledError, match="PANDERA_VALIDATION_ENABLED") as caught,
    ):
        _run(raw, settings)
    assert "dataset 'customers'" in str(caught.value)
    assert "unset PANDERA_VALIDATION_ENABLED" in str(caught.value)
