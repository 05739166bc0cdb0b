from __future__ import annotations

import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.models import gbm
from credit_risk.models.encoding import encode, fit_encoder, unseen_counts
from credit_risk.params import TrainingParams


def _fit(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams, threads: int
) -> tuple[str, list[float]]:
    encoder = fit_encoder(splits["train"], contract)
    params = {
        **gbm.base_params(
            training.lightgbm,
            training.seed,
            threads,
            encoder["features"],
            contract.monotone_constraints,
        ),
        "learning_rate": 0.1,
        "num_leaves": 15,
        "bagging_fraction": 0.7,
        "bagging_freq": 1,
        "feature_fraction": 0.7,
    }
    booster = gbm.train(params, gbm.dataset(splits["train"], encoder, contract), 60)
    return gbm.model_text(booster), gbm.predict(booster, encoder, splits["test"]).tolist()


def test_same_seed_gives_a_byte_identical_model(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    assert _fit(splits, contract, training, 1) == _fit(splits, contract, training, 1)


def test_thread_count_changes_neither_file_nor_predictions(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    one = _fit(splits, contract, training, 1)
    two = _fit(splits, contract, training, 2)
    assert one[0] == two[0]
    assert one[1] == two[1]


def test_another_seed_gives_another_model(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    other = training.model_copy(update={"seed": training.seed + 1})
    assert _fit(splits, contract, training, 1)[0] != _fit(splits, contract, other, 1)[0]


def test_encoder_fixes_levels_and_counts_unseen(
    splits: dict[str, pd.DataFrame], contract: DataContract
) -> None:
    encoder = fit_encoder(splits["train"], contract)
    assert encoder["features"] == contract.features
    batch = splits["test"].head(5).copy()
    batch["channel"] = ["partner_api", "online", None, "partner_api", "branch"]
    encoded = encode(batch, encoder)
    assert list(encoded["channel"].cat.categories) == encoder["categories"]["channel"]
    assert encoded["channel"].isna().tolist() == [True, False, True, True, False]
    assert unseen_counts(batch, encoder) == {"channel": 2}
