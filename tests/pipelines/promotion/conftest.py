"""Evaluation, then promotion, run once in memory; the registry step is left to its dataset."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from kedro.io import DataCatalog
from kedro.pipeline import Pipeline

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.pipelines.evaluation import create_pipeline as evaluation
from credit_risk.pipelines.promotion import create_pipeline as promotion
from credit_risk.running import run_in_memory

from ..evaluation.inputs import trained


def without_registry() -> Pipeline:
    """Evaluation + promotion up to the registry (its update needs a registered version)."""
    both = evaluation() + promotion()
    return both.filter(node_names=[n.name for n in both.nodes if n.name != "promote_in_registry"])


@pytest.fixture(scope="module")
def inputs(splits: dict[str, pd.DataFrame], demo: DemoData, contract: DataContract) -> dict:
    return trained(splits, demo, contract)


@pytest.fixture(scope="module")
def promoted(inputs: dict[str, Any], parameters: dict[str, Any]) -> DataCatalog:
    quick = {**parameters, "evaluation": {**parameters["evaluation"], "bootstrap_resamples": 200}}
    pipeline = without_registry()
    free = {name: inputs[name] for name in pipeline.inputs() if not name.startswith("params:")}
    return run_in_memory(pipeline, free, quick)
