"""Nodes of the ``tuning`` pipeline: the encoder the trials use, and the study itself.

Registered on its own so that several processes (or machines) can run the study's
trials against one storage; ``training`` includes it, and refits from the study's best.
"""

from __future__ import annotations

import logging
from typing import Any

import optuna
import pandas as pd
import plotly.graph_objects as go
from optuna.storages import BaseStorage

from credit_risk.contract import DataContract
from credit_risk.evaluation import charts
from credit_risk.models import fitting
from credit_risk.models.encoding import fit_encoder
from credit_risk.models.frames import require_trainable
from credit_risk.params import TrainingParams

logger = logging.getLogger(__name__)


def fit_lightgbm_encoder(train: pd.DataFrame, contract: DataContract) -> dict[str, Any]:
    """Feature order and category levels for LightGBM, fixed at training time.

    Args:
        train: Training split.
        contract: Column roles.

    Returns:
        The encoder spec.
    """
    require_trainable(train, contract, "model_input_train")
    return fit_encoder(train, contract)


def tune_lightgbm(
    storage: BaseStorage,
    train: pd.DataFrame,
    validation: pd.DataFrame,
    encoder: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[dict[str, Any], pd.DataFrame]:
    """Tune LightGBM with Optuna (see :func:`credit_risk.models.fitting.tune`).

    With ``objective: cv`` a trial is scored by its mean AUC over the training period's
    grouped folds; with ``holdout`` on the validation period alone. The study is created
    or resumed in ``storage``; only the trials it still lacks are run.

    Args:
        storage: Optuna storage from the catalog.
        train: Training split.
        validation: Validation split.
        encoder: LightGBM encoder.
        contract: Column roles.
        training: Tuning budget, search space, seeds.

    Returns:
        The best parameters, best iteration, the refit's rounds and the best value, trial
        counts and where the study lives; and the table of every trial in the study
        (tracked in MLflow).
    """
    result, trials = fitting.tune(storage, train, validation, encoder, contract, training)
    logger.info(
        "Best of study '%s': %s AUC %.5f (trial %d, %d rounds; the refit on the training "
        "period takes %d)",
        result["study_name"],
        result["objective"],
        result["best_value"],
        result["best_trial"],
        result["best_iteration"],
        result["refit_rounds"],
    )
    return result, trials


def chart_study(
    storage: BaseStorage, best: dict[str, Any], training: TrainingParams
) -> tuple[go.Figure, go.Figure]:
    """Optuna's optimisation history and parameter importances of the study just tuned.

    The study is read back from its storage, so the charts show every worker's trials.

    Args:
        storage: Optuna storage from the catalog.
        best: The tuning's result (names the study).
        training: The seed of the importance evaluator.

    Returns:
        The history and importance charts.
    """
    study = optuna.load_study(study_name=best["study_name"], storage=storage)
    return charts.study_charts(study, training.seed)
