"""A small fitted scoring model, for the bundle, the registry and inference tests."""

from __future__ import annotations

import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.models import baselines, gbm
from credit_risk.models.encoding import fit_encoder
from credit_risk.params import LightGBMParams, LogisticParams
from credit_risk.serving.bundle import ScoringModel


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
