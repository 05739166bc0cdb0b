"""The project's training parameters with a test-sized budget."""

from __future__ import annotations

from typing import Any

import pytest

from credit_risk.params import TrainingParams


@pytest.fixture(scope="session")
def training(parameters: dict[str, Any]) -> TrainingParams:
    """The project's training parameters with a test-sized budget and no progress bar."""
    raw = parameters["training"]
    tuning = {**raw["tuning"], "n_trials": 4, "timeout_seconds": None, "show_progress_bar": False}
    return TrainingParams(**{**raw, "tuning": tuning})
