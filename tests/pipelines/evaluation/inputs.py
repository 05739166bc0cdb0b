"""What the training pipeline hands to evaluation and promotion, fitted quickly in memory."""

from __future__ import annotations

from typing import Any

import optuna
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.demo_data import DemoData
from credit_risk.evaluation import charts
from credit_risk.models import baselines
from credit_risk.models.candidates import ALL, leaderboard, score_candidates, sizes
from credit_risk.models.encoding import fit_encoder
from credit_risk.models.fitting import fit_best_lightgbm
from credit_risk.models.frames import target
from credit_risk.params import TrainingParams

BEST = {"params": {"learning_rate": 0.1, "num_leaves": 8, "min_data_in_leaf": 30}}
ROUNDS = 40
RUN_CONTEXT = {"run_id": "2026-01-02T03.04.05.678Z", "git_commit": "abc123", "git_dirty": False}


def trained(
    splits: dict[str, pd.DataFrame], demo: DemoData, contract: DataContract
) -> dict[str, Any]:
    """The candidates, their validation scores and leaderboard, and the run's reports.

    Args:
        splits: Train, validation and test splits.
        demo: The demo data (its ground truth).
        contract: Column roles.

    Returns:
        Dataset name -> data, for every free input of evaluation + promotion.
    """
    train, validation = splits["train"], splits["validation"]
    encoder = fit_encoder(train, contract)
    best = {**BEST, "best_iteration": ROUNDS}
    models = (
        baselines.fit_constant(train, contract),
        baselines.fit_logistic(train, contract, TrainingParams().logistic, seed=7),
        fit_best_lightgbm(train, encoder, best, contract, TrainingParams(), ROUNDS),
        encoder,
        {"kind": "ensemble", "weights": {"lightgbm": 0.7, "logistic": 0.3}},
    )
    scored = score_candidates(validation, *models)
    board = leaderboard(target(scored, contract), scored, sizes(*models), dict.fromkeys(ALL, 1.0))
    names = ("constant_model", "logistic_model", "lightgbm_model", "lightgbm_encoder")
    return {
        **dict(zip((*names, "ensemble_model"), models, strict=True)),
        "model_input_train": train,
        "model_input_validation": validation,
        "model_input_test": splits["test"],
        # Here the train-only fits are the models that serve (no refit on validation).
        "logistic_model_train_only": models[1],
        "lightgbm_model_train_only": models[2],
        "validation_scores": scored,
        "leaderboard": board,
        "leaderboard_chart": charts.leaderboard_chart(board),
        **dict(
            zip(
                ("optimisation_history_chart", "param_importance_chart"),
                charts.study_charts(_study(), seed=0),
                strict=True,
            )
        ),
        "lightgbm_best_params": best,
        "ground_truth": demo.ground_truth,
        "champion_record": {},
        **_reports(splits, contract),
    }


def _study() -> optuna.Study:
    """A small study, as the tuning pipeline leaves one, for its two charts."""
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(0))
    study.optimize(lambda t: t.suggest_float("learning_rate", 0.01, 0.3), n_trials=5)
    return study


def _reports(splits: dict[str, pd.DataFrame], contract: DataContract) -> dict[str, Any]:
    def period(frame: pd.DataFrame) -> dict[str, Any]:
        dates = frame[contract.date_column]
        return {"rows": len(frame), "from": str(dates.min().date()), "to": str(dates.max().date())}

    rows = sum(len(f) for f in splits.values())
    return {
        "split_summary": {name: period(frame) for name, frame in splits.items()},
        "feature_table_metadata": {"rows": rows, "content_sha256": "0" * 64},
        "validation_report": {"totals": {"rows_quarantined": 0, "rows_in": rows}},
        "final_fit": {"splits": ["train"], "rows": len(splits["train"]), "lightgbm_rounds": ROUNDS},
        "run_context": RUN_CONTEXT,
    }
