"""Diagnostics: SHAP importance of the booster, and AUC against the Bayes-optimal one."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.evaluation import explain
from credit_risk.evaluation.metrics import point_metrics
from credit_risk.models.encoding import encode, fit_encoder
from credit_risk.models.fitting import fit_best_lightgbm
from credit_risk.params import TrainingParams
from credit_risk.validation import DataContractError

BEST = {"params": {"learning_rate": 0.1, "num_leaves": 8}, "best_iteration": 10}


@pytest.fixture(scope="module")
def encoder(splits: dict[str, pd.DataFrame], contract: DataContract) -> dict:
    return fit_encoder(splits["train"], contract)


def test_shap_importance_is_the_mean_absolute_contribution_largest_first(
    splits: dict[str, pd.DataFrame], contract: DataContract, encoder: dict
) -> None:
    booster = fit_best_lightgbm(splits["train"], encoder, BEST, contract, TrainingParams(), 10)
    test = splits["test"]
    table = explain.shap_importance(booster, encoder, test)
    assert sorted(table["feature"]) == sorted(encoder["features"])
    assert table["mean_abs_shap"].is_monotonic_decreasing
    raw = booster.predict(encode(test, encoder), pred_contrib=True)
    column = encoder["features"].index(table["feature"].iloc[0])
    assert table["mean_abs_shap"].iloc[0] == pytest.approx(np.abs(raw[:, column]).mean())
    assert table["mean_abs_shap"].iloc[0] > 0


def test_bayes_comparison_puts_each_model_next_to_the_true_probabilities(
    contract: DataContract,
) -> None:
    rng = np.random.default_rng(0)
    truth = rng.uniform(0.02, 0.6, size=2_000)
    y = (rng.uniform(size=2_000) < truth).astype(int)
    noisy = np.clip(truth + rng.normal(0, 0.2, size=2_000), 0, 1)
    ids = np.arange(2_000)
    scores = pd.DataFrame(
        {contract.id_column: ids, contract.target_column: y, "score_noisy": noisy, "x": 1}
    )
    ground_truth = pd.DataFrame({contract.key: ids[::-1], "bayes_pd": truth[::-1]})
    table = explain.bayes_comparison(scores, ground_truth, contract)
    assert table["model"].tolist() == ["noisy"]
    assert table["bayes_optimal_auc"].iloc[0] == pytest.approx(point_metrics(y, truth)["roc_auc"])
    assert 0.5 < table["share_of_bayes"].iloc[0] < 1.0


def test_fold_variance_scores_each_fold_held_out(
    splits: dict[str, pd.DataFrame], contract: DataContract, encoder: dict
) -> None:
    train = splits["train"]
    folds, summary = explain.fold_variance(train, encoder, BEST, contract, TrainingParams())
    assert folds["rows"].sum() == len(train)
    assert folds["fold"].tolist() == sorted(train["fold"].unique().tolist())
    assert set(summary) == set(folds.columns) - {"fold", "rows"}
    assert summary["roc_auc"]["mean"] == pytest.approx(folds["roc_auc"].mean())


def test_a_ground_truth_of_other_data_is_refused(contract: DataContract) -> None:
    scores = pd.DataFrame({contract.key: [1, 2, 3], contract.target_column: [0, 1, 0]})
    truth = pd.DataFrame({contract.key: [1, 9], "bayes_pd": [0.1, 0.2]})
    with pytest.raises(DataContractError, match="covers 1 of the 3 scored ids"):
        explain.bayes_comparison(scores.assign(score_m=0.5), truth, contract)
