"""The evaluation pipeline run once in memory on quickly fitted candidates."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from kedro.io import DataCatalog

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.pipelines.evaluation import create_pipeline
from credit_risk.running import run_in_memory

from .inputs import trained


@pytest.fixture(scope="module")
def inputs(splits: dict[str, pd.DataFrame], demo: DemoData, contract: DataContract) -> dict:
    return trained(splits, demo, contract)


@pytest.fixture(scope="module")
def quick(parameters: dict[str, Any]) -> dict[str, Any]:
    """The project's parameters with fewer bootstrap resamples."""
    return {**parameters, "evaluation": {**parameters["evaluation"], "bootstrap_resamples": 200}}


@pytest.fixture(scope="module")
def evaluated(inputs: dict[str, Any], quick: dict[str, Any]) -> DataCatalog:
    pipeline = create_pipeline()
    free = {name: inputs[name] for name in pipeline.inputs() if not name.startswith("params:")}
    return run_in_memory(pipeline, free, quick)
