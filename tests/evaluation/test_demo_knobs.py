"""The demo's bias knob is caught by the fairness report, and its absence is not flagged.

Each world goes through the project's own path: validation, point-in-time features,
splits, the logistic baseline (which, like every candidate, does not see gender), the
profit-maximising threshold, then the fairness report on the test period.
"""

from __future__ import annotations

from typing import Any

import pytest

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoDataParams, generate
from credit_risk.evaluation.fairness import FairnessParams, fairness_report
from credit_risk.models.baselines import LogisticParams, fit_logistic, predict_logistic
from credit_risk.pipelines.data_processing import nodes as dp
from credit_risk.pipelines.model_input import nodes as mi
from credit_risk.validation import SourceSpec
from credit_risk.validation.quarantine import ValidationSettings


def _gender_flags(
    bias: bool,
    parameters: dict[str, Any],
    contract: DataContract,
    settings: ValidationSettings,
    sources: dict[str, SourceSpec],
) -> dict:
    data = generate(DemoDataParams(**{**parameters["demo_data"], "bias": {"enabled": bias}}))
    customers = dp.validate_customers(data.customers, sources["customers"], settings)[0]
    apps = dp.validate_applications(data.applications, sources["applications"], settings)[0]
    history = dp.validate_repayment_history(
        data.repayment_history, sources["repayment_history"], settings
    )[0]
    apps, history, _, _ = dp.enforce_references(customers, apps, history, data.scoring_batch)
    table = dp.make_model_table(
        apps, customers, history, dp.FeatureParams(**parameters["features"])
    )
    train, _, test, _ = mi.split_model_input(
        mi.validate_model_table(table, contract, settings)[0],
        contract,
        mi.SplitParams(**parameters["split"]),
    )
    model = fit_logistic(train, contract, LogisticParams(), seed=0)
    scored = test.assign(score=predict_logistic(model, test))
    params = FairnessParams(**parameters["evaluation"]["fairness"])
    _, summaries = fairness_report(scored, "score", "defaulted", ["gender"], 0.17, params)
    return summaries[0]


@pytest.mark.parametrize("bias", [True, False])
def test_the_demo_bias_knob_is_caught_and_its_absence_is_not(
    bias: bool,
    parameters: dict[str, Any],
    contract: DataContract,
    settings: ValidationSettings,
    sources: dict[str, SourceSpec],
) -> None:
    summary = _gender_flags(bias, parameters, contract, settings, sources)
    assert bool(summary["flags"]) is bias, summary
    assert summary["blocking"] is True
