"""Shared fixtures: small demo data and the project's own configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from kedro.config import OmegaConfigLoader

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData, DemoDataParams, generate
from credit_risk.models import baselines, gbm
from credit_risk.models.encoding import fit_encoder
from credit_risk.params import (
    LightGBMParams,
    LogisticParams,
    SourceSpec,
    TrainingParams,
    ValidationSettings,
)
from credit_risk.running import demo_inputs, demo_processing, run_in_memory
from credit_risk.serving.bundle import ScoringModel

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


@pytest.fixture(scope="session")
def training(parameters: dict[str, Any]) -> TrainingParams:
    """The project's training parameters with a test-sized budget and no progress bar."""
    raw = parameters["training"]
    tuning = {**raw["tuning"], "n_trials": 4, "timeout_seconds": None, "show_progress_bar": False}
    return TrainingParams(**{**raw, "tuning": tuning})


@pytest.fixture(scope="session")
def scoring_model(splits: dict[str, pd.DataFrame], contract: DataContract) -> ScoringModel:
    """An ensemble of a quick LightGBM and the logistic baseline, with a reference sample."""
    train = splits["train"]
    encoder = fit_encoder(train, contract)
    params = {
        **gbm.base_params(LightGBMParams(), 7, 1, encoder["features"]),
        "learning_rate": 0.1,
        "num_leaves": 8,
        "min_data_in_leaf": 30,
    }
    booster = gbm.train(params, gbm.dataset(train, encoder, contract), rounds=40)
    logistic = baselines.fit_logistic(train, contract, LogisticParams(), seed=7)
    return ScoringModel(
        candidate="ensemble",
        threshold=0.2,
        booster=booster,
        encoder=encoder,
        logistic=logistic,
        blend={"kind": "ensemble", "weights": {"lightgbm": 0.7, "logistic": 0.3}},
        reference=train.sample(n=400, random_state=0)[contract.features].reset_index(drop=True),
        info={"metrics": {"roc_auc": 0.7}},
    )
