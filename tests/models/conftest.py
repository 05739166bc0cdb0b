"""Small model-input splits drawn once, and the project's training parameters."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from credit_risk.demo_data import DemoData
from credit_risk.pipelines.data_processing import create_pipeline
from credit_risk.pipelines.training.nodes import TrainingParams
from credit_risk.running import demo_inputs, run_in_memory


@pytest.fixture(scope="session")
def splits(demo: DemoData, parameters: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Train, validation and test splits of the small demo data, via data_processing."""
    catalog = run_in_memory(create_pipeline(), demo_inputs(demo), parameters)
    return {s: catalog.load(f"model_input_{s}") for s in ("train", "validation", "test")}


@pytest.fixture(scope="session")
def training(parameters: dict[str, Any]) -> TrainingParams:
    """The project's training parameters with a test-sized budget and no progress bar."""
    raw = parameters["training"]
    tuning = {**raw["tuning"], "n_trials": 4, "timeout_seconds": None, "show_progress_bar": False}
    return TrainingParams(**{**raw, "tuning": tuning})
