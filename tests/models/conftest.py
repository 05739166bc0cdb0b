"""Small model-input splits drawn once, and the project's training parameters."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.pipelines.data_processing.nodes import FeatureParams, make_model_table
from credit_risk.pipelines.model_input.nodes import SplitParams, split_model_input
from credit_risk.pipelines.training.nodes import TrainingParams
from credit_risk.schemas.raw import ApplicationsSchema, CustomersSchema, RepaymentHistorySchema
from credit_risk.validation import SourceSpec
from credit_risk.validation.quarantine import ValidationSettings, validate_table


@pytest.fixture(scope="session")
def splits(
    demo: DemoData,
    parameters: dict[str, Any],
    sources: dict[str, SourceSpec],
    settings: ValidationSettings,
    contract: DataContract,
) -> dict[str, pd.DataFrame]:
    """Train, validation and test splits of the small demo data."""
    valid = {
        name: validate_table(
            getattr(demo, name), schema.to_schema(), name, sources[name], settings
        ).valid
        for name, schema in (
            ("customers", CustomersSchema),
            ("applications", ApplicationsSchema),
            ("repayment_history", RepaymentHistorySchema),
        )
    }
    apps = valid["applications"]
    apps = apps[apps["customer_id"].isin(valid["customers"]["customer_id"])]
    table = make_model_table(
        apps,
        valid["customers"],
        valid["repayment_history"],
        FeatureParams(**parameters["features"]),
    )
    train, validation, test, _ = split_model_input(
        table[contract.columns], contract, SplitParams(**parameters["split"])
    )
    return {"train": train, "validation": validation, "test": test}


@pytest.fixture(scope="session")
def training(parameters: dict[str, Any]) -> TrainingParams:
    """The project's training parameters with a test-sized budget and no progress bar."""
    raw = parameters["training"]
    tuning = {**raw["tuning"], "n_trials": 4, "timeout_seconds": None, "show_progress_bar": False}
    return TrainingParams(**{**raw, "tuning": tuning})
