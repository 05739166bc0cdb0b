from __future__ import annotations

import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.models.encoding import fit_encoder
from credit_risk.params import TrainingParams
from credit_risk.pipelines.evaluation.nodes import evaluate_variance


def test_chosen_configuration_is_refitted_on_every_fold(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    best = {"params": {"learning_rate": 0.1, "num_leaves": 8}, "best_iteration": 30}
    encoder = fit_encoder(splits["train"], contract)
    folds, summary = evaluate_variance(splits["train"], encoder, best, contract, training)
    n_folds = splits["train"]["fold"].nunique()
    assert folds["fold"].tolist() == list(range(n_folds))
    assert folds["rows"].sum() == len(splits["train"])
    assert folds["roc_auc"].between(0.5, 1.0).all()
    assert summary["roc_auc"]["mean"] == pytest.approx(folds["roc_auc"].mean())
    assert summary["roc_auc"]["std"] == pytest.approx(folds["roc_auc"].std(ddof=1))
    assert summary["roc_auc"]["std"] > 0
