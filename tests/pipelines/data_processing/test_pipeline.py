"""A slice of the project: data_processing through DataCatalog + SequentialRunner, in memory."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from kedro.io import DataCatalog

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.running import demo_inputs, demo_processing, run_in_memory


@pytest.fixture(scope="module")
def outputs(demo: DemoData, parameters: dict[str, Any]) -> DataCatalog:
    return run_in_memory(demo_processing(), demo_inputs(demo), parameters)


def test_nothing_disappears(outputs: DataCatalog, demo: DemoData) -> None:
    quarantine = outputs.load("quarantine")
    counts = quarantine.groupby("dataset").size()
    assert len(outputs.load("customers_validated")) + counts["customers"] == len(demo.customers)
    assert len(outputs.load("model_table")) + counts["applications"] == len(demo.applications)
    history = outputs.load("repayment_history_primary")
    assert len(history) + counts["repayment_history"] == len(demo.repayment_history)
    report = outputs.load("validation_report")
    assert report["totals"]["rows_quarantined"] == len(quarantine)
    assert report["totals"]["rows_in"] == (
        len(demo.customers) + len(demo.applications) + len(demo.repayment_history)
    )


def test_splits_partition_the_feature_table(outputs: DataCatalog, contract: DataContract) -> None:
    features = outputs.load("feature_table")
    parts = [outputs.load(f"model_input_{s}") for s in ("train", "validation", "test")]
    assert sum(len(p) for p in parts) == len(features)
    ids = pd.concat([p[contract.id_column] for p in parts])
    assert ids.is_unique and set(ids) == set(features[contract.id_column])
    assert features.columns.tolist() == contract.columns


def test_metadata_matches_the_feature_table(outputs: DataCatalog, contract: DataContract) -> None:
    meta = outputs.load("feature_table_metadata")
    features = outputs.load("feature_table")
    assert meta["rows"] == len(features)
    assert [c["name"] for c in meta["columns"]] == features.columns.tolist()
    described = [c for c in meta["columns"] if c["role"] in {"numeric", "categorical"}]
    assert all(c["definition"] for c in described)
    null_rate = {c["name"]: c["null_rate"] for c in meta["columns"]}
    assert null_rate["income"] == pytest.approx(features["income"].isna().mean(), abs=1e-6)
    assert 0.04 < null_rate["income"] < 0.15
