"""Nodes of the ``evaluation`` pipeline: is the candidate good, stable, fair and safe?

They unpack typed parameters and call :mod:`credit_risk.evaluation` (figures: ``charts``).
"""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from credit_risk.contract import DataContract
from credit_risk.evaluation import business, charts, drift, explain, fairness, promotion
from credit_risk.evaluation.metrics import bootstrap_intervals, paired_auc_difference, reliability
from credit_risk.models.candidates import score_candidates, score_column, score_columns
from credit_risk.models.frames import target
from credit_risk.params import EvaluationParams, TrainingParams


def _scores(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """Model name -> its scores, for every ``score_<name>`` column, in the frame's order."""
    return {c.removeprefix("score_"): frame[c].to_numpy() for c in score_columns(frame)}


def score_splits(
    train: pd.DataFrame,
    test: pd.DataFrame,
    constant_model: dict[str, Any],
    logistic_model: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    ensemble_model: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The training and test splits scored by the models that serve, as ``score_<name>``.

    Args:
        train: Training split.
        test: Out-of-time test split.
        constant_model: Constant spec.
        logistic_model: Logistic spec.
        lightgbm_model: Booster.
        lightgbm_encoder: Its encoder.
        ensemble_model: Ensemble spec.

    Returns:
        The two splits, scored.
    """
    models = (constant_model, logistic_model, lightgbm_model, lightgbm_encoder, ensemble_model)
    return score_candidates(train, *models), score_candidates(test, *models)


def evaluate_metrics(
    test_scores: pd.DataFrame, contract: DataContract, evaluation: EvaluationParams
) -> tuple[pd.DataFrame, go.Figure, go.Figure]:
    """Every candidate's test metrics with seeded bootstrap 95% intervals; ROC and PR charts.

    Args:
        test_scores: Scored test split.
        contract: Column roles.
        evaluation: Resamples and seed.

    Returns:
        Long table (model, metric, value, low, high, std), ROC chart, PR chart.
    """
    y, scores = target(test_scores, contract), _scores(test_scores)
    n, seed = evaluation.bootstrap_resamples, evaluation.seed
    tables = [bootstrap_intervals(y, p, n, seed).assign(model=m) for m, p in scores.items()]
    table = pd.concat(tables, ignore_index=True)[["model", "metric", "value", "low", "high", "std"]]
    return table, charts.roc_chart(y, scores), charts.pr_chart(y, scores)


def evaluate_calibration(
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[pd.DataFrame, dict[str, float], go.Figure]:
    """Reliability curve and expected calibration error of each candidate.

    Args:
        test_scores: Scored test split.
        selection: The chosen candidate.
        contract: Column roles.
        evaluation: Number of bins.

    Returns:
        Curves (long), ECE per model, and the chart.
    """
    y = target(test_scores, contract)
    curves, eces = [], {}
    for name, p in _scores(test_scores).items():
        curve, eces[name] = reliability(y, p, evaluation.calibration_bins)
        curves.append(curve.assign(model=name))
    table = pd.concat(curves, ignore_index=True)
    return table, eces, charts.calibration_chart(table, eces, selection["candidate"])


def evaluate_variance(
    train: pd.DataFrame,
    lightgbm_encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Refit the chosen LightGBM configuration on each CV fold of the training period.

    Args:
        train: Training split with its ``fold`` column.
        lightgbm_encoder: Encoder.
        best: Best parameters and iteration.
        contract: Column roles.
        training: Seeds and fixed parameters.

    Returns:
        Per-fold metrics, and their mean and standard deviation.
    """
    return explain.fold_variance(train, lightgbm_encoder, best, contract, training)


def evaluate_business(
    validation_scores: pd.DataFrame,
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[dict[str, Any], go.Figure]:
    """Profit-maximising threshold chosen on validation; its outcome on test.

    Args:
        validation_scores: Scored validation split (chooses the thresholds).
        test_scores: Scored test split (reports the outcome).
        selection: Candidate and best baseline.
        contract: Column roles.
        evaluation: Loan economics.

    Returns:
        The business report (candidate, baseline, approve-everyone) and the profit curve.
    """
    report, curves = business.business_report(
        validation_scores, test_scores, selection, contract, evaluation.business
    )
    return report, charts.profit_chart(curves)


def evaluate_fairness(
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    business_report: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[pd.DataFrame, dict[str, Any], go.Figure]:
    """Per-group rates and gaps across the sensitive attributes, at the business threshold.

    Args:
        test_scores: Scored test split with the sensitive columns.
        selection: The chosen candidate.
        business_report: Holds the candidate's and the baseline's thresholds.
        contract: Sensitive columns and target.
        evaluation: Fairness limits.

    Returns:
        Per-group table, summary with flags (blocking) and warnings, and a chart.
    """
    threshold = business_report["candidate"]["threshold"]
    table, summaries = fairness.fairness_report(
        test_scores,
        score_column(selection["candidate"]),
        contract.target_column,
        contract.sensitive_columns,
        threshold,
        evaluation.fairness,
        contract.blocking_sensitive_columns,
    )
    flags = promotion.blocking_flags(summaries)
    summary = {"threshold": threshold, "attributes": summaries, **flags}
    return table, summary, charts.fairness_chart(table, threshold)


def evaluate_drift(
    train_scores: pd.DataFrame,
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[pd.DataFrame, dict[str, Any], go.Figure]:
    """Drift of every feature and of the candidate's scores, training -> test.

    Args:
        train_scores: Scored training split (the reference).
        test_scores: Scored test split.
        selection: The chosen candidate.
        contract: Feature roles.
        evaluation: Drift limits.

    Returns:
        Per-feature report (scores included as ``score``), summary with blocking flags
        and warnings (:func:`credit_risk.evaluation.drift.drift_summary`), chart.
    """
    scores = {score_column(selection["candidate"]): "score"}
    reference, current = train_scores.rename(columns=scores), test_scores.rename(columns=scores)
    features = (contract.categorical_columns, contract.numeric_columns)
    title = "Population stability index, training -> test (top 20)"
    return drift.monitor(reference, current, *features, evaluation.drift, title)


def explain_lightgbm(
    lightgbm_model: lgb.Booster, lightgbm_encoder: dict[str, Any], test: pd.DataFrame
) -> tuple[pd.DataFrame, go.Figure]:
    """Global importance: mean absolute SHAP contribution per feature (``pred_contrib``).

    Args:
        lightgbm_model: Booster.
        lightgbm_encoder: Encoder.
        test: Test split.

    Returns:
        Importance table (largest first) and a chart.
    """
    table = explain.shap_importance(lightgbm_model, lightgbm_encoder, test)
    return table, charts.importance_chart(table)


def compare_with_baseline(
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> dict[str, Any]:
    """The candidate's test AUC minus the best baseline's, with a paired bootstrap interval.

    Args:
        test_scores: Scored test split.
        selection: Candidate and best baseline.
        contract: Column roles.
        evaluation: Resamples and seed.

    Returns:
        ``{"candidate", "baseline", "difference", "low", "high"}``.
    """
    comparison = paired_auc_difference(
        target(test_scores, contract),
        test_scores[score_column(selection["candidate"])].to_numpy(),
        test_scores[score_column(selection["baseline"])].to_numpy(),
        evaluation.bootstrap_resamples,
        evaluation.seed,
    )
    return {"candidate": selection["candidate"], "baseline": selection["baseline"], **comparison}
