"""The models that serve: refitted on training + validation after validation chose."""

from __future__ import annotations

import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from credit_risk.contract import DataContract
from credit_risk.models import baselines, gbm
from credit_risk.models.candidates import score_candidates
from credit_risk.models.encoding import fit_encoder
from credit_risk.params import TrainingParams
from credit_risk.pipelines.training import nodes

BEST = {"params": {"learning_rate": 0.1, "num_leaves": 8}, "best_iteration": 40}


def test_models_that_serve_are_refitted_on_training_and_validation(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    train, validation = splits["train"], splits["validation"]
    encoder = fit_encoder(train, contract)
    best = {**BEST, "rows_seen": 0.8 * len(train)}  # found on 5-fold CV models
    logistic, booster, info = nodes.fit_final_models(
        train, validation, encoder, best, contract, training
    )
    rows = len(train) + len(validation)
    assert training.refit_on_validation  # the project's default
    assert info["splits"] == ["train", "validation"]
    assert info["rows"] == rows
    # The rounds grow with the rows: 40 rounds on 0.8 x train -> on train + validation.
    assert booster.num_trees() == info["lightgbm_rounds"] == round(40 * rows / (0.8 * len(train)))

    off = training.model_copy(update={"refit_on_validation": False})
    logistic_train, booster_train, info_train = nodes.fit_final_models(
        train, validation, encoder, best, contract, off
    )
    assert info_train["rows"] == len(train)
    assert booster_train.num_trees() == 50  # 40 x 5/4
    # Switched off, the models that serve are the train-only fits, byte for byte.
    refit, _ = nodes.refit_lightgbm(
        train, encoder, {**best, "refit_rounds": 50}, contract, training
    )
    assert gbm.model_text(refit) == gbm.model_text(booster_train)
    assert logistic_train == baselines.fit_logistic(train, contract, off.logistic, off.seed)
    # Switched on, both learned from the validation rows too.
    assert logistic["coefficients"] != logistic_train["coefficients"]
    assert gbm.model_text(booster) != gbm.model_text(booster_train)


def test_leaderboard_ranks_the_validation_scores_it_is_given(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> None:
    train, validation = splits["train"], splits["validation"]
    encoder = fit_encoder(train, contract)
    constant, _ = nodes.fit_constant_baseline(train, contract)
    logistic, _ = nodes.fit_logistic_baseline(train, contract, training)
    booster, _ = nodes.refit_lightgbm(train, encoder, BEST, contract, training)
    blend, _ = nodes.fit_ensemble(validation, logistic, booster, encoder, contract, training)
    scores = score_candidates(validation, constant, logistic, booster, encoder, blend)
    assert scores["score_lightgbm_tuned"].tolist() == pytest.approx(
        gbm.predict(booster, encoder, validation).tolist()
    )
    assert scores["score_logistic_regression"].tolist() == pytest.approx(
        baselines.predict_logistic(logistic, validation).tolist()
    )
    fit = {"fit_seconds": 0.0}
    board, _ = nodes.build_leaderboard(
        scores,
        contract,
        constant,
        logistic,
        booster,
        encoder,
        blend,
        dict.fromkeys(("constant_prior", "logistic_regression", "lightgbm_tuned", "ensemble"), fit),
    )
    ranked = board.set_index("model")
    assert ranked.loc["constant_prior", "val_auc"] == 0.5
    y = validation[contract.target_column]
    assert ranked.loc["ensemble", "val_auc"] == round(roc_auc_score(y, scores["score_ensemble"]), 6)
