"""Shared fixtures: small demo data and the project's own configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData, DemoDataParams, generate
from credit_risk.params import SourceSpec, ValidationSettings
from credit_risk.running import demo_inputs, demo_processing, run_in_memory

PROJECT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def parameters() -> dict[str, Any]:
    """The project's base parameters, as Kedro resolves them."""
    loader = OmegaConfigLoader(
        conf_source=str(PROJECT / "conf"), base_env="base", default_run_env="base"
    )
    return dict(loader["parameters"])


@pytest.fixture(scope="session")
def demo_params(parameters: dict[str, Any]) -> DemoDataParams:
    """The project's demo parameters at a test-friendly size."""
    return DemoDataParams(**{**parameters["demo_data"], "n_customers": 1_500})


@pytest.fixture(scope="session")
def demo(demo_params: DemoDataParams) -> DemoData:
    """Small demo data, drawn once per test session."""
    return generate(demo_params)


@pytest.fixture(scope="session")
def settings(parameters: dict[str, Any]) -> ValidationSettings:
    return ValidationSettings(**parameters["validation"])


@pytest.fixture(scope="session")
def sources(parameters: dict[str, Any]) -> dict[str, SourceSpec]:
    return {name: SourceSpec(**spec) for name, spec in parameters["sources"].items()}


@pytest.fixture(scope="session")
def contract(parameters: dict[str, Any]) -> DataContract:
    return DataContract(**parameters["data_contract"])


@pytest.fixture(scope="session")
def splits(demo: DemoData, parameters: dict[str, Any]) -> dict[str, pd.DataFrame]:
    """Train, validation and test splits of the small demo data, via data_processing."""
    catalog = run_in_memory(demo_processing(), demo_inputs(demo), parameters)
    return {s: catalog.load(f"model_input_{s}") for s in ("train", "validation", "test")}
