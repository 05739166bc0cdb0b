from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
import pytest

from credit_risk.demo_data import DemoData
from credit_risk.features.model_table import build_model_table, definition
from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.pipelines.data_processing import nodes
from credit_risk.schemas.features import FeatureTableSchema


def test_derived_features_at_the_application_date() -> None:
    apps = pd.DataFrame(
        {
            "application_id": [1, 2],
            "customer_id": [7, 8],
            "application_date": pd.to_datetime(["2024-06-01", "2024-06-01"]),
            "amount": [12_000.0, 1_200.0],
            "term_months": [12, 12],
            "interest_rate": [0.0, 0.12],
        }
    )
    customers = pd.DataFrame(
        {
            "customer_id": [7, 8],
            "birth_date": pd.to_datetime(["2004-06-01", "1950-01-01"]),
            "signup_date": pd.to_datetime(["2024-05-22", "2020-06-01"]),
            "income": [24_000.0, float("nan")],
        }
    )
    history = pd.DataFrame(
        {
            "customer_id": [7],
            "statement_date": pd.to_datetime(["2024-05-01"]),
            "credit_limit": [100.0],
            "balance": [50.0],
            "amount_due": [5.0],
            "amount_paid": [5.0],
            "days_past_due": [0],
        }
    )
    table = build_model_table(apps, customers, history, [3])
    assert table["age"].round(0).tolist() == [20, 74]
    assert table["age_band"].tolist() == ["18-24", "65+"]
    assert table["customer_tenure_days"].tolist() == [10, 1461]
    assert table["monthly_instalment"].tolist() == [1000.0, pytest.approx(106.62, abs=0.01)]
    assert table["instalment_to_income"].iloc[0] == pytest.approx(0.5)
    assert pd.isna(table["instalment_to_income"].iloc[1])
    assert table["hist_3m_n_statements"].tolist() == [1, 0]
    assert "birth_date" not in table.columns


def test_every_feature_has_a_definition() -> None:
    assert (
        definition("hist_12m_worst_dpd") == "Worst days past due in the 12 months before the date."
    )
    assert definition("income").startswith("Declared annual income")
    assert definition("unknown_column") is None


def test_feature_schema_catches_an_impossible_feature(
    demo: DemoData, sources: dict[str, SourceSpec], settings: ValidationSettings
) -> None:
    customers = nodes.validate_customers(demo.customers, sources["customers"], settings)[0]
    apps = nodes.validate_applications(demo.applications, sources["applications"], settings)[0]
    history = nodes.validate_repayment_history(
        demo.repayment_history, sources["repayment_history"], settings
    )[0]
    apps = apps[apps["customer_id"].isin(customers["customer_id"])]
    table = build_model_table(apps, customers, history, [3, 6])
    FeatureTableSchema.validate(table, lazy=True)  # the real features pass
    broken = table.assign(hist_6m_worst_dpd=-table["hist_6m_worst_dpd"] - 1)
    with pytest.raises(pa.errors.SchemaErrors, match="hist_6m_worst_dpd"):
        FeatureTableSchema.validate(broken, lazy=True)
