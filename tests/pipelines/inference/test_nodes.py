"""The inference nodes on the small demo batch: validation, features, scores, reasons, drift."""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.params import FeatureParams, InferenceParams, ValidationSettings
from credit_risk.pipelines.inference.nodes import (
    build_batch_features,
    link_batch_to_customers,
    monitor_batch_drift,
    refuse_training_ids,
    score_batch,
    summarise_batch,
    validate_batch,
)
from credit_risk.running import demo_inputs, demo_processing, run_in_memory
from credit_risk.serving.bundle import ScoringModel
from credit_risk.validation import DataContractError, validate_contract_batch

CHAMPION = {"version": 4}


@pytest.fixture(scope="module")
def processed(demo: DemoData, parameters: dict[str, Any]) -> dict[str, pd.DataFrame]:
    catalog = run_in_memory(demo_processing(), demo_inputs(demo), parameters)
    return {n: catalog.load(n) for n in ("customers_validated", "repayment_history_primary")}


def _training_ids(demo: DemoData) -> pd.DataFrame:
    """What ``feature_table_ids`` holds: the labelled applications' ids."""
    return demo.applications[["application_id"]].drop_duplicates().reset_index(drop=True)


@pytest.fixture(scope="module")
def features(
    demo: DemoData,
    processed: dict[str, pd.DataFrame],
    settings: ValidationSettings,
    contract: DataContract,
) -> pd.DataFrame:
    valid, _, _ = validate_batch(demo.scoring_batch, InferenceParams(), settings)
    linked, _ = link_batch_to_customers(valid, processed["customers_validated"])
    return build_batch_features(
        linked,
        processed["customers_validated"],
        processed["repayment_history_primary"],
        _training_ids(demo),
        FeatureParams(),
    )


@pytest.fixture
def champion(scoring_model: ScoringModel) -> ScoringModel:
    registry = {"name": "credit_risk", "version": 4}
    return dataclasses.replace(scoring_model, info={**scoring_model.info, "registry": registry})


def test_unseen_categories_are_valid_batch_values(
    demo: DemoData, settings: ValidationSettings
) -> None:
    batch = demo.scoring_batch
    valid, quarantine, summary = validate_batch(batch, InferenceParams(), settings)
    assert (valid["channel"] == "partner_api").sum() == (batch["channel"] == "partner_api").sum()
    assert summary["rows_in"] == len(batch) == len(valid) + len(quarantine)
    assert len(summary["content_sha256"]) == 64


def test_impossible_batch_values_are_quarantined_with_reasons(
    demo: DemoData, settings: ValidationSettings
) -> None:
    batch = demo.scoring_batch.copy()
    batch.loc[batch.index[:3], "amount"] = -5.0
    valid, quarantine, _ = validate_batch(batch, InferenceParams(), settings)
    assert len(quarantine) == 3 and len(valid) == len(batch) - 3
    assert quarantine["failed_checks"].str.contains("amount").all()


def test_a_batch_without_a_required_column_stops_with_its_name(
    demo: DemoData, settings: ValidationSettings
) -> None:
    with pytest.raises(
        DataContractError, match=r"interest_rate.*scoring_batch.*parameters_inference"
    ):
        validate_batch(
            demo.scoring_batch.drop(columns="interest_rate"), InferenceParams(), settings
        )


def test_a_batch_holding_training_ids_is_refused(
    demo: DemoData, processed: dict[str, pd.DataFrame], settings: ValidationSettings
) -> None:
    # The case: 20 training ids in a batch were scored without a word.
    valid, _, _ = validate_batch(demo.scoring_batch, InferenceParams(), settings)
    reused, _ = link_batch_to_customers(valid, processed["customers_validated"])
    ids = _training_ids(demo)["application_id"].sort_values().to_numpy()
    reused.loc[reused.index[:20], "application_id"] = ids[:20]
    with pytest.raises(DataContractError) as caught:
        build_batch_features(
            reused,
            processed["customers_validated"],
            processed["repayment_history_primary"],
            _training_ids(demo),
            FeatureParams(),
        )
    assert str(caught.value) == (
        "Data contract violated in column 'application_id' of dataset 'scoring_batch': "
        f"20 ids also appear in 'feature_table' (such as {ids[:3].tolist()}): a scored "
        "application would be one the model was trained on. Fix: give the batch its own "
        "ids, or remove the labelled rows from the batch"
    )


def test_applications_of_unknown_customers_are_quarantined(
    demo: DemoData, processed: dict[str, pd.DataFrame], settings: ValidationSettings
) -> None:
    valid, _, _ = validate_batch(demo.scoring_batch, InferenceParams(), settings)
    customers = processed["customers_validated"]
    dropped = customers.iloc[:200]
    table, orphans = link_batch_to_customers(valid, customers.iloc[200:])
    expected = (~valid["customer_id"].isin(customers.iloc[200:]["customer_id"])).sum()
    assert valid["customer_id"].isin(dropped["customer_id"]).any()
    assert expected > 0 and len(orphans) == expected
    assert len(table) == len(valid) - expected
    assert (orphans["failed_checks"] == "customer_id:foreign_key(customers)").all()


def test_scores_decisions_and_reasons(
    features: pd.DataFrame, champion: ScoringModel, contract: DataContract
) -> None:
    scored, summary = score_batch(features, champion, CHAMPION, contract, InferenceParams())
    assert np.array_equal(scored["score"].to_numpy(), champion.score(features))
    declined = scored["decision"] == "decline"
    assert (declined == (scored["score"] >= champion.threshold)).all()
    assert declined.any() and (~declined).any()
    assert scored.loc[declined, "reason_1"].notna().all()
    assert scored.loc[~declined, ["reason_1", "reason_2", "reason_3"]].isna().all().all()
    assert (scored["model_version"] == 4).all()
    assert summary["unseen_categories"]["channel"] == (features["channel"] == "partner_api").sum()
    assert summary["declined"] == declined.sum()


def test_a_model_that_is_not_the_champion_is_refused(
    features: pd.DataFrame, champion: ScoringModel, contract: DataContract
) -> None:
    with pytest.raises(RuntimeError, match="champion is version 5"):
        score_batch(features, champion, {"version": 5}, contract, InferenceParams())


def test_a_missing_feature_stops_with_its_name(
    features: pd.DataFrame, champion: ScoringModel, contract: DataContract
) -> None:
    with pytest.raises(DataContractError, match=r"hist_3m_missed.*batch_features"):
        score_batch(
            features.drop(columns="hist_3m_missed"),
            champion,
            CHAMPION,
            contract,
            InferenceParams(),
        )


def test_drift_of_the_batch_is_flagged(
    features: pd.DataFrame, champion: ScoringModel, contract: DataContract
) -> None:
    scored, scoring = score_batch(features, champion, CHAMPION, contract, InferenceParams())
    report, summary, _ = monitor_batch_drift(
        features, scored, champion, contract, InferenceParams()
    )
    assert "score" in set(report["feature"])
    assert any(f.startswith("channel:") for f in summary["flags"])  # the drift knob
    amount = report.set_index("feature").loc["amount"]
    assert amount["severity"] in {"warning", "critical"}  # amounts x1.35 in the batch
    record, metrics = summarise_batch(
        {"rows_in": 10, "rows_quarantined": 1, "content_sha256": "x"},
        pd.DataFrame({"source_row": [1]}),
        scoring,
        summary,
    )
    assert record["rows_quarantined"] == 2
    assert metrics["rows_scored"] == {"value": float(len(scored)), "step": 0}


def test_a_users_batch_reusing_table_ids_is_refused_unless_ids_are_row_numbers(
    settings: ValidationSettings,
) -> None:
    batch = pd.DataFrame({"loan_ref": ["LN-7", "LN-8", "LN-9"], "dti": [0.1, 0.2, 0.3]})
    table_ids = pd.DataFrame({"loan_ref": ["LN-1", "LN-8", "LN-9"]})
    contract = DataContract(
        dataset="own_table", id_column="loan_ref", target_column="bad", numeric_columns=["dti"]
    )
    valid, _, _ = validate_contract_batch(batch, contract, settings)
    with pytest.raises(DataContractError, match=r"2 ids also appear in 'feature_table'") as caught:
        refuse_training_ids(valid, table_ids, contract)
    assert "column 'loan_ref' of dataset 'own_batch'" in str(caught.value)
    # Without an id column the row numbers 0, 1, 2 always repeat the table's: no check.
    numbered = contract.model_copy(update={"id_column": None})
    valid, _, _ = validate_contract_batch(batch.drop(columns="loan_ref"), numbered, settings)
    kept = refuse_training_ids(valid, pd.DataFrame({"row_number": [0, 1, 2]}), numbered)
    assert kept["row_number"].tolist() == [0, 1, 2]
