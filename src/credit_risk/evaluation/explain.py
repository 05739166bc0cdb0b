"""Diagnostics of the chosen model: what it learnt, how stable it is, how far from the limit.

SHAP importance (what it learnt), refits on each training fold (how much its metrics
vary with the data), and the AUC of the true probabilities on the demo data (the limit).
"""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.evaluation.metrics import point_metrics
from credit_risk.models import gbm
from credit_risk.models.candidates import score_columns
from credit_risk.models.encoding import encode
from credit_risk.models.fitting import fit_best_lightgbm
from credit_risk.models.frames import target
from credit_risk.params import TrainingParams
from credit_risk.validation import DataContractError


def shap_importance(
    booster: lgb.Booster, encoder: dict[str, Any], frame: pd.DataFrame
) -> pd.DataFrame:
    """Global importance: mean absolute SHAP contribution per feature (``pred_contrib``).

    Args:
        booster: The LightGBM model.
        encoder: Its encoder (names the features).
        frame: The rows to explain.

    Returns:
        ``feature`` and ``mean_abs_shap`` on the log-odds scale, largest first.
    """
    contributions = np.asarray(booster.predict(encode(frame, encoder), pred_contrib=True))
    table = pd.DataFrame(
        {
            "feature": encoder["features"],
            "mean_abs_shap": np.abs(contributions[:, :-1]).mean(axis=0),
        }
    )
    return table.sort_values("mean_abs_shap", ascending=False, ignore_index=True)


def fold_variance(
    train: pd.DataFrame,
    encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Refit the tuned LightGBM configuration without each fold and score the fold held out.

    Each fold model trains for the best iteration (found on folds of this size with
    ``objective: cv``).

    Args:
        train: Training rows with their ``fold`` column.
        encoder: LightGBM encoder.
        best: Tuned parameters and best iteration.
        contract: Column roles.
        training: Seeds and fixed parameters.

    Returns:
        Per-fold metrics (``fold``, ``rows``, one column per metric), and each metric's
        mean and standard deviation across folds.
    """
    rows = []
    for fold in sorted(train["fold"].unique()):
        inside, held = train[train["fold"] != fold], train[train["fold"] == fold]
        booster = fit_best_lightgbm(
            inside, encoder, best, contract, training, best["best_iteration"]
        )
        p = gbm.predict(booster, encoder, held)
        rows.append(
            {"fold": int(fold), "rows": len(held), **point_metrics(target(held, contract), p)}
        )
    folds = pd.DataFrame(rows)
    metrics = [str(c) for c in folds.columns if c not in ("fold", "rows")]
    summary = {
        m: {"mean": float(folds[m].mean()), "std": float(folds[m].std(ddof=1))} for m in metrics
    }
    return folds, summary


def bayes_comparison(
    scores: pd.DataFrame, ground_truth: pd.DataFrame, contract: DataContract
) -> pd.DataFrame:
    """Each model's AUC next to the AUC of the true probabilities (the demo's limit).

    Args:
        scores: Scored rows with every candidate's ``score_<name>``.
        ground_truth: True probabilities (``bayes_pd``) keyed by the contract's id column.
        contract: Column roles (the id and the target).

    Returns:
        ``model``, ``test_auc``, ``bayes_optimal_auc`` and ``share_of_bayes``.

    Raises:
        DataContractError: The ground truth lacks the id column, or some scored ids: it
            belongs to other data (a demo's truth beside a user's table).
    """
    key = contract.key
    if key not in ground_truth.columns:
        raise DataContractError(
            "ground_truth",
            key,
            f"has no column '{key}' (the data contract's id): it cannot be joined to the rows",
            "give the ground truth the table's id column, or leave the comparison out",
        )
    truth = ground_truth[[key, "bayes_pd"]].drop_duplicates(key)
    merged = scores.merge(truth, on=key, how="inner", validate="many_to_one")
    if len(merged) < len(scores):
        raise DataContractError(
            "ground_truth",
            key,
            f"covers {len(merged):,} of the {len(scores):,} scored ids: it belongs to other "
            "data (for example the demo's, beside your own table)",
            "regenerate it with the data (uv run kedro run --pipelines demo_data), or leave "
            "the comparison out",
        )
    y = target(merged, contract)
    bayes = point_metrics(y, merged["bayes_pd"].to_numpy())["roc_auc"]
    rows = [
        {
            "model": c.removeprefix("score_"),
            "test_auc": point_metrics(y, merged[c].to_numpy())["roc_auc"],
        }
        for c in score_columns(scores)
    ]
    table = pd.DataFrame(rows).assign(bayes_optimal_auc=bayes)
    return table.assign(share_of_bayes=table["test_auc"] / bayes)
