"""The demo's bias knob is caught by the fairness report, and its absence is not flagged.

Each world goes through the project's own path: data_processing (validation,
point-in-time features, splits), the logistic baseline (which, like every candidate,
does not see gender), then the fairness report on the test period.
"""

from __future__ import annotations

from typing import Any

import pytest

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoDataParams, generate
from credit_risk.evaluation.fairness import fairness_report
from credit_risk.models.baselines import fit_logistic, predict_logistic
from credit_risk.params import FairnessParams, LogisticParams
from credit_risk.running import demo_inputs, demo_processing, run_in_memory


def _gender_summary(bias: bool, parameters: dict[str, Any], contract: DataContract) -> dict:
    data = generate(DemoDataParams(**{**parameters["demo_data"], "bias": {"enabled": bias}}))
    catalog = run_in_memory(demo_processing(), demo_inputs(data), parameters)
    train, test = catalog.load("model_input_train"), catalog.load("model_input_test")
    model = fit_logistic(train, contract, LogisticParams(), seed=0)
    scored = test.assign(score=predict_logistic(model, test))
    params = FairnessParams(**parameters["evaluation"]["fairness"])
    _, summaries = fairness_report(scored, "score", "defaulted", ["gender"], 0.17, params)
    return summaries[0]


@pytest.mark.parametrize("bias", [True, False])
def test_the_demo_bias_knob_is_caught_and_its_absence_is_not(
    bias: bool, parameters: dict[str, Any], contract: DataContract
) -> None:
    summary = _gender_summary(bias, parameters, contract)
    assert bool(summary["flags"]) is bias, summary
    assert summary["blocking"] is True
