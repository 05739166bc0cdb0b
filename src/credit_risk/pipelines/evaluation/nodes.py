"""Nodes of the ``evaluation`` pipeline: is the candidate good, stable, fair and safe?"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.metrics import precision_recall_curve, roc_curve

from credit_risk.contract import DataContract
from credit_risk.evaluation import business, drift, fairness
from credit_risk.evaluation.metrics import (
    bootstrap_intervals,
    paired_auc_difference,
    point_metrics,
    reliability,
)
from credit_risk.models import gbm
from credit_risk.models.candidates import BASELINES, score_candidates
from credit_risk.models.encoding import encode
from credit_risk.models.fitting import fit_best_lightgbm
from credit_risk.models.frames import target
from credit_risk.params import EvaluationParams, TrainingParams
from credit_risk.serving.bundle import ScoringModel

logger = logging.getLogger(__name__)



def _score_columns(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if str(c).startswith("score_")]


def score_splits(
    train: pd.DataFrame,
    test: pd.DataFrame,
    constant_model: dict[str, Any],
    logistic_model: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    ensemble_model: dict[str, Any],
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The training and test splits with every candidate's probability as ``score_<name>``.

    Scored by the models that serve; the validation period's scores come from training
    (the train-only fits, out of sample).

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


def select_candidate(leaderboard: pd.DataFrame) -> dict[str, Any]:
    """The best non-baseline candidate on the validation leaderboard.

    Args:
        leaderboard: From the training pipeline, best first.

    Returns:
        ``{"candidate": name, "baseline": best baseline's name}``.
    """
    board = leaderboard.sort_values("val_auc", ascending=False)
    is_baseline = board["model"].isin(BASELINES)
    return {
        "candidate": str(board.loc[~is_baseline, "model"].iloc[0]),
        "baseline": str(board.loc[is_baseline, "model"].iloc[0]),
    }


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
    y = target(test_scores, contract)
    tables, roc, pr = [], go.Figure(), go.Figure()
    for column in _score_columns(test_scores):
        name, p = column.removeprefix("score_"), test_scores[column].to_numpy()
        tables.append(
            bootstrap_intervals(y, p, evaluation.bootstrap_resamples, evaluation.seed).assign(
                model=name
            )
        )
        fpr, tpr, _ = roc_curve(y, p)
        precision, recall, _ = precision_recall_curve(y, p)
        roc.add_scatter(x=fpr, y=tpr, name=name, mode="lines")
        pr.add_scatter(x=recall, y=precision, name=name, mode="lines")
    roc.update_layout(
        title="ROC curves, test period",
        xaxis_title="false positive rate",
        yaxis_title="true positive rate",
        template="plotly_white",
    )
    pr.update_layout(
        title="Precision-recall curves, test period",
        xaxis_title="recall",
        yaxis_title="precision",
        template="plotly_white",
    )
    table = pd.concat(tables, ignore_index=True)
    return table[["model", "metric", "value", "low", "high", "std"]], roc, pr


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
    curves, eces, figure = [], {}, go.Figure()
    for column in _score_columns(test_scores):
        name = column.removeprefix("score_")
        curve, eces[name] = reliability(
            y, test_scores[column].to_numpy(), evaluation.calibration_bins
        )
        curves.append(curve.assign(model=name))
        if name != "constant_prior":
            figure.add_scatter(
                x=curve["mean_predicted"],
                y=curve["observed_rate"],
                name=f"{name} (ECE {eces[name]:.4f})",
                mode="lines+markers",
            )
    top = float(max(c["mean_predicted"].max() for c in curves)) * 1.1
    figure.add_scatter(
        x=[0, top], y=[0, top], name="perfect", mode="lines", line={"dash": "dot", "color": "grey"}
    )
    figure.update_layout(
        title=f"Calibration, test period (chosen: {selection['candidate']})",
        xaxis_title="mean predicted",
        yaxis_title="observed default rate",
        template="plotly_white",
    )
    return pd.concat(curves, ignore_index=True), eces, figure


def evaluate_variance(
    train: pd.DataFrame,
    lightgbm_encoder: dict[str, Any],
    best: dict[str, Any],
    contract: DataContract,
    training: TrainingParams,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Refit the chosen LightGBM configuration on each CV fold of the training period.

    Each fold model trains for the best iteration (found on folds of this size with
    ``objective: cv``).

    Args:
        train: Training split with its ``fold`` column.
        lightgbm_encoder: Encoder.
        best: Best parameters and iteration.
        contract: Column roles.
        training: Seeds and fixed parameters.

    Returns:
        Per-fold metrics, and their mean and standard deviation.
    """
    rows = []
    for fold in sorted(train["fold"].unique()):
        inside, held = train[train["fold"] != fold], train[train["fold"] == fold]
        booster = fit_best_lightgbm(
            inside, lightgbm_encoder, best, contract, training, best["best_iteration"]
        )
        p = gbm.predict(booster, lightgbm_encoder, held)
        rows.append(
            {"fold": int(fold), "rows": len(held), **point_metrics(target(held, contract), p)}
        )
    folds = pd.DataFrame(rows)
    metrics = [str(c) for c in folds.columns if c not in ("fold", "rows")]
    summary = {
        m: {"mean": float(folds[m].mean()), "std": float(folds[m].std(ddof=1))} for m in metrics
    }
    return folds, summary


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
    params = evaluation.business
    val_profit = business.profit_per_loan(validation_scores, contract.target_column, params)
    test_profit = business.profit_per_loan(test_scores, contract.target_column, params)
    y_test = target(test_scores, contract)
    report: dict[str, Any] = {"economics": params.model_dump()}
    figure = go.Figure()
    for role in ("candidate", "baseline"):
        column = f"score_{selection[role]}"
        curve = business.profit_curve(
            validation_scores[column].to_numpy(), val_profit, params.grid_points
        )
        best = curve.iloc[int(np.argmax(curve["profit"].to_numpy()))]
        report[role] = {
            "model": selection[role],
            "validation_profit": float(best["profit"]),
            **business.decision_outcome(
                test_scores[column].to_numpy(), test_profit, y_test, float(best["threshold"])
            ),
        }
        figure.add_scatter(x=curve["approval_rate"], y=curve["profit"], name=selection[role])
    report["approve_everyone"] = business.decision_outcome(
        np.zeros(len(y_test)), test_profit, y_test, 1.0
    )
    report["candidate_profit_gain_vs_approve_everyone"] = (
        report["candidate"]["profit"] - report["approve_everyone"]["profit"]
    )
    report["candidate_profit_gain_vs_baseline"] = (
        report["candidate"]["profit"] - report["baseline"]["profit"]
    )
    figure.update_layout(
        title="Expected profit by approval rate, validation period",
        xaxis_title="approval rate",
        yaxis_title="profit",
        template="plotly_white",
    )
    return report, figure


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
        Per-group table, summary with flags, and a chart.
    """
    column = f"score_{selection['candidate']}"
    threshold = business_report["candidate"]["threshold"]
    table, summaries = fairness.fairness_report(
        test_scores,
        column,
        contract.target_column,
        contract.sensitive_columns,
        threshold,
        evaluation.fairness,
    )
    figure = go.Figure()
    for metric in ("selection_rate", "tpr", "fpr", "auc"):
        figure.add_bar(x=table["attribute"] + "=" + table["group"], y=table[metric], name=metric)
    figure.update_layout(
        barmode="group",
        template="plotly_white",
        title=f"Fairness at threshold {threshold:.3f}, test period",
    )
    flags = [f"{s['attribute']}: {f}" for s in summaries for f in s["flags"] if s["blocking"]]
    warnings = [
        f"{s['attribute']}: {f}" for s in summaries for f in s["flags"] if not s["blocking"]
    ]
    summary = {
        "threshold": threshold,
        "attributes": summaries,
        "flags": flags,
        "warnings": warnings,
    }
    return table, summary, figure


def evaluate_drift(
    train_scores: pd.DataFrame,
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[pd.DataFrame, dict[str, Any], go.Figure]:
    """Drift of every feature and of the candidate's scores, training -> test.

    Critical (blocking) flags: the scores drifted beyond ``psi_critical``, or a feature
    holds values never seen in training. Features drifting beyond ``psi_critical`` are
    warnings: in a book that ages, history lengths and tenures drift by construction.

    Args:
        train_scores: Scored training split (the reference).
        test_scores: Scored test split.
        selection: The chosen candidate.
        contract: Feature roles.
        evaluation: Drift limits.

    Returns:
        Per-feature report (scores included as ``score``), summary with flags, chart.
    """
    column = f"score_{selection['candidate']}"
    reference = train_scores.rename(columns={column: "score"})
    current = test_scores.rename(columns={column: "score"})
    return drift.monitor(
        reference,
        current,
        contract.categorical_columns,
        contract.numeric_columns,
        evaluation.drift,
        "Population stability index, training -> test (top 20)",
    )


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
    contributions = np.asarray(
        lightgbm_model.predict(encode(test, lightgbm_encoder), pred_contrib=True)
    )
    features = lightgbm_encoder["features"]
    table = pd.DataFrame(
        {"feature": features, "mean_abs_shap": np.abs(contributions[:, :-1]).mean(axis=0)}
    )
    table = table.sort_values("mean_abs_shap", ascending=False, ignore_index=True)
    top = table.head(20)
    figure = go.Figure(go.Bar(x=top["mean_abs_shap"], y=top["feature"], orientation="h"))
    figure.update_layout(
        title="Mean |SHAP| on the log-odds scale, test period (top 20)",
        yaxis={"autorange": "reversed"},
        template="plotly_white",
    )
    return table, figure


def compare_with_bayes(
    test_scores: pd.DataFrame, ground_truth: pd.DataFrame, contract: DataContract
) -> pd.DataFrame:
    """Each model's test AUC next to the Bayes-optimal AUC (demo data only).

    Args:
        test_scores: Scored test split.
        ground_truth: The demo's true probabilities.
        contract: Column roles.

    Returns:
        Model, test AUC, Bayes-optimal AUC and their ratio.
    """
    merged = test_scores.merge(
        ground_truth[["application_id", "bayes_pd"]],
        left_on=contract.id_column,
        right_on="application_id",
    )
    y = target(merged, contract)
    bayes = point_metrics(y, merged["bayes_pd"].to_numpy())["roc_auc"]
    rows = [
        {
            "model": c.removeprefix("score_"),
            "test_auc": point_metrics(y, merged[c].to_numpy())["roc_auc"],
        }
        for c in _score_columns(test_scores)
    ]
    table = pd.DataFrame(rows).assign(bayes_optimal_auc=bayes)
    return table.assign(share_of_bayes=table["test_auc"] / bayes)


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
    y = target(test_scores, contract)
    comparison = paired_auc_difference(
        y,
        test_scores[f"score_{selection['candidate']}"].to_numpy(),
        test_scores[f"score_{selection['baseline']}"].to_numpy(),
        evaluation.bootstrap_resamples,
        evaluation.seed,
    )
    return {"candidate": selection["candidate"], "baseline": selection["baseline"], **comparison}


def decide_promotion(
    metrics: pd.DataFrame,
    selection: dict[str, Any],
    baseline_comparison: dict[str, Any],
    fairness_summary: dict[str, Any],
    drift_summary: dict[str, Any],
    champion: dict[str, Any],
    evaluation: EvaluationParams,
) -> dict[str, Any]:
    """Promote or not, with every reason.

    Rules: the candidate must not be worse than the best baseline (the lower bound of the
    paired AUC difference above ``-baseline_margin``); it must not trail the current
    champion's AUC by more than the tolerance; and it must raise no blocking fairness or
    drift flag (each rule can be switched off in parameters). When it is refused and no
    champion exists yet, the best baseline is what serves (``baseline_serves_first``).

    Args:
        metrics: Test metrics with intervals.
        selection: Candidate and best baseline.
        baseline_comparison: Paired AUC difference, candidate minus best baseline.
        fairness_summary: Fairness flags.
        drift_summary: Drift flags.
        champion: The current champion's record (``{}`` when there is none).
        evaluation: Promotion rules.

    Returns:
        ``{"promote": bool, "candidate", "serve" (the model to register), "baseline_serves",
        "metrics", "checks": {...}, "reasons": [...]}``.
    """
    rules = evaluation.promotion
    table = metrics[metrics["metric"] == rules.metric].set_index("model")
    cand = table.loc[selection["candidate"]]
    diff = baseline_comparison
    checks = {
        "not_worse_than_baseline": bool(diff["low"] > -rules.baseline_margin),
        "not_worse_than_champion": (not champion)
        or bool(cand["value"] >= champion["metrics"][rules.metric] - rules.champion_tolerance),
        "no_fairness_flags": not fairness_summary["flags"] or not rules.block_on_fairness_flags,
        "no_drift_flags": not drift_summary["flags"] or not rules.block_on_drift_flags,
    }
    reasons = [
        f"{rules.metric} {cand['value']:.4f} [{cand['low']:.4f}, {cand['high']:.4f}]; minus the "
        f"best baseline ({selection['baseline']}): {diff['difference']:+.4f} "
        f"[{diff['low']:+.4f}, {diff['high']:+.4f}], lower bound "
        f"{'above' if checks['not_worse_than_baseline'] else 'not above'} "
        f"-{rules.baseline_margin}",
        "no current champion"
        if not champion
        else f"champion {champion.get('candidate')} (version {champion.get('version')}) at "
        f"{champion['metrics'][rules.metric]:.4f}, tolerance {rules.champion_tolerance}",
        *[f"fairness flag: {f}" for f in fairness_summary["flags"]],
        *[f"drift flag: {f}" for f in drift_summary["flags"]],
    ]
    promote = all(checks.values())
    fallback = not promote and not champion and rules.baseline_serves_first
    if fallback:
        reasons.append(
            f"no champion yet: the best baseline ({selection['baseline']}) is registered "
            "and serves until a candidate passes the gate"
        )
    serve = selection["baseline"] if fallback else selection["candidate"]
    decision = {
        "promote": promote,
        "candidate": selection["candidate"],
        "serve": serve,
        "baseline_serves": fallback,
        "metrics": _metrics_of(metrics, selection["candidate"]),
        "checks": checks,
        "reasons": reasons,
    }
    logger.info(
        "Promotion decision for %s: %s%s",
        selection["candidate"],
        "PROMOTE" if promote else "DO NOT PROMOTE",
        f"; {serve} serves as the first champion" if fallback else "",
    )
    return decision


def _metrics_of(metrics: pd.DataFrame, model: str) -> dict[str, float]:
    own = metrics[metrics["model"] == model].set_index("metric")["value"]
    return {str(m): float(v) for m, v in own.items()}


def build_model_card(
    decision: dict[str, Any],
    metrics: pd.DataFrame,
    bayes: pd.DataFrame,
    variance: dict[str, Any],
    eces: dict[str, float],
    fairness_table: pd.DataFrame,
    fairness_summary: dict[str, Any],
    drift_report: pd.DataFrame,
    drift_summary: dict[str, Any],
    business_report: dict[str, Any],
    feature_metadata: dict[str, Any],
    validation_report: dict[str, Any],
    split_summary: dict[str, Any],
    lightgbm_model: lgb.Booster,
    final_fit: dict[str, Any],
    charts: dict[str, go.Figure],
    run_context: dict[str, Any],
) -> str:
    """The model card as one HTML page, readable offline, with a risk register from the flags.

    Args:
        decision: Promotion decision.
        metrics: Test metrics with intervals.
        bayes: Test AUC next to the Bayes-optimal AUC.
        variance: Fold metrics' mean and std.
        eces: Expected calibration error per model.
        fairness_table: Per-group fairness table.
        fairness_summary: Fairness gaps and flags.
        drift_report: Per-feature drift.
        drift_summary: Drift flags.
        business_report: Business outcome.
        feature_metadata: The feature table's metadata.
        validation_report: Quarantine counts.
        split_summary: Split sizes and periods.
        lightgbm_model: The booster (its file hash goes in the lineage).
        final_fit: What the models that serve were fitted on.
        charts: Title -> figure.
        run_context: Run id and git state, from the project hook.

    Returns:
        The HTML page.
    """
    from credit_risk.datasets.checksummed import sha256  # noqa: PLC0415
    from credit_risk.evaluation.card import render  # noqa: PLC0415

    model_hash = sha256(gbm.model_text(lightgbm_model).encode())
    risks = [f"fairness (critical): {f}" for f in fairness_summary["flags"]]
    risks += [f"fairness (warning): {f}" for f in fairness_summary["warnings"]]
    risks += [f"drift (critical): {f}" for f in drift_summary["flags"]]
    risks += [f"drift (warning): {f}" for f in drift_summary["warnings"]]
    risks += [f"{name}: failed" for name, ok in decision["checks"].items() if not ok]
    outcome = {k: business_report[k] for k in ("candidate", "baseline", "approve_everyone")}
    sections = {
        "decision": decision,
        "lineage": f"Kedro run {run_context.get('run_id')} (versioned outputs saved under "
        f"that version), git commit {run_context.get('git_commit')}"
        f"{' with uncommitted changes' if run_context.get('git_dirty') else ''}, "
        f"pipelines {', '.join(run_context.get('pipelines', []))}; feature table sha256 "
        f"{feature_metadata['content_sha256']}, LightGBM file sha256 {model_hash}",
        "data": {
            "splits": pd.DataFrame(split_summary)
            .T.drop(columns="fold_sizes", errors="ignore")
            .reset_index(names="split"),
            "rows": feature_metadata["rows"],
            "sha256": feature_metadata["content_sha256"],
            "quarantined": validation_report["totals"]["rows_quarantined"],
            "rows_in": validation_report["totals"]["rows_in"],
            "fitted_on": f"The logistic and LightGBM models that serve were fitted on "
            f"{' + '.join(final_fit['splits'])} ({final_fit['rows']:,} rows; LightGBM "
            f"{final_fit['lightgbm_rounds']:,} rounds). Validation figures, the ensemble "
            "weight and the threshold come from train-only fits, out of sample.",
        },
        "metrics": metrics.assign(
            shown=[
                f"{v:.4f} [{lo:.4f}, {hi:.4f}]"
                for v, lo, hi in zip(metrics["value"], metrics["low"], metrics["high"], strict=True)
            ]
        )
        .pivot(index="model", columns="metric", values="shown")
        .reset_index()
        .rename_axis(columns=None),
        "bayes": bayes,
        "variance": pd.DataFrame(variance).T.reset_index(names="metric"),
        "ece": pd.DataFrame({"model": list(eces), "ece": list(eces.values())}),
        "fairness": fairness_table,
        "fairness_flags": [f"blocks: {f}" for f in fairness_summary["flags"]]
        + [f"warning: {f}" for f in fairness_summary["warnings"]],
        "drift": drift_report.head(10)[["feature", "psi", "p_value", "unseen", "severity"]],
        "drift_flags": [f"blocks: {f}" for f in drift_summary["flags"]]
        + [f"warning: {f}" for f in drift_summary["warnings"]],
        "business": pd.DataFrame(outcome).T.reset_index(names="policy")[
            ["policy", "threshold", "approval_rate", "default_rate_approved", "profit"]
        ],
        "limitations": [
            "Trained on generated demo data: figures describe the demo world, not a real "
            "lending book.",
            "Labels are observed for approved loans only in real life; the demo has no "
            "reject inference.",
            "Sensitive attributes are not features, but proxies (such as age-related "
            "features) can carry their effect; see the fairness section.",
            f"Test period {split_summary['test']['from']} to {split_summary['test']['to']}: "
            "performance later may differ; monitor drift on every scored batch.",
        ],
        "risks": risks,
    }
    return render(sections, charts)


def collect_charts(
    roc: go.Figure,
    pr: go.Figure,
    calibration: go.Figure,
    fairness_chart: go.Figure,
    drift_chart: go.Figure,
    importance: go.Figure,
    profit: go.Figure,
    leaderboard: go.Figure,
) -> dict[str, go.Figure]:
    """Name the charts the model card shows, in its order.

    Args:
        roc: ROC curves.
        pr: Precision-recall curves.
        calibration: Reliability curves.
        fairness_chart: Per-group rates.
        drift_chart: PSI per feature.
        importance: SHAP importance.
        profit: Profit curve.
        leaderboard: Validation leaderboard.

    Returns:
        Title -> figure.
    """
    return {
        "ROC": roc,
        "Precision-recall": pr,
        "Calibration": calibration,
        "Fairness": fairness_chart,
        "Drift": drift_chart,
        "Feature importance": importance,
        "Profit": profit,
        "Leaderboard (validation)": leaderboard,
    }


def tracked_evaluation_metrics(
    metrics: pd.DataFrame,
    baseline_comparison: dict[str, Any],
    variance: dict[str, Any],
    eces: dict[str, float],
    business_report: dict[str, Any],
    fairness_summary: dict[str, Any],
    decision: dict[str, Any],
) -> dict[str, dict[str, float]]:
    """The figures MLflow keeps of an evaluation, in kedro-mlflow's metric format.

    Args:
        metrics: Test metrics with intervals.
        baseline_comparison: Paired AUC difference with the best baseline.
        variance: Fold metrics' mean and std.
        eces: Expected calibration error per model.
        business_report: Business outcome.
        fairness_summary: Per-attribute gaps.
        decision: Promotion decision.

    Returns:
        Metric name -> ``{"value": v, "step": 0}``.
    """
    out: dict[str, float] = {}
    for row in metrics.itertuples():
        for part in ("value", "low", "high"):
            suffix = "" if part == "value" else f"_{part}"
            out[f"test.{row.model}.{row.metric}{suffix}"] = float(getattr(row, part))
    for key in ("difference", "low", "high"):
        out[f"test.auc_minus_baseline.{key}"] = float(baseline_comparison[key])
    for metric, stats in variance.items():
        out[f"folds.{metric}.mean"] = float(stats["mean"])
        out[f"folds.{metric}.std"] = float(stats["std"])
    out.update({f"calibration.{k}.ece": float(v) for k, v in eces.items()})
    for policy in ("candidate", "baseline", "approve_everyone"):
        for key in ("threshold", "approval_rate", "default_rate_approved", "profit"):
            out[f"business.{policy}.{key}"] = float(business_report[policy][key])
    for attribute in fairness_summary["attributes"]:
        for key, value in attribute.items():
            if isinstance(value, float | int) and not isinstance(value, bool):
                out[f"fairness.{attribute['attribute']}.{key}"] = float(value)
    out["promotion.promote"] = float(decision["promote"])
    out["promotion.baseline_serves"] = float(decision["baseline_serves"])
    for check, ok in decision["checks"].items():
        out[f"promotion.{check}"] = float(ok)
    return {k: {"value": v, "step": 0} for k, v in out.items() if np.isfinite(v)}


def package_candidate(
    decision: dict[str, Any],
    lightgbm_model: lgb.Booster,
    lightgbm_encoder: dict[str, Any],
    logistic_model: dict[str, Any],
    ensemble_model: dict[str, Any],
    business_report: dict[str, Any],
    metrics: pd.DataFrame,
    train: pd.DataFrame,
    feature_metadata: dict[str, Any],
    run_context: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> ScoringModel:
    """The model the decision says to register, as one scoring model: the challenger.

    That is the candidate, or the best baseline when it serves as the first champion. It
    carries its decision threshold chosen on validation, a seeded sample of the training
    features (with its scores) as the drift reference, its test metrics, and the lineage
    of the run that made it.

    Args:
        decision: The promotion decision (``serve`` names the model).
        lightgbm_model: Booster.
        lightgbm_encoder: Its encoder.
        logistic_model: Logistic spec.
        ensemble_model: Ensemble spec.
        business_report: Holds the candidate's and the baseline's thresholds.
        metrics: Test metrics.
        train: Training split (the reference sample is drawn from it).
        feature_metadata: The feature table's metadata (its content hash).
        run_context: The Kedro run id and git commit.
        contract: Column roles.
        evaluation: Reference sample size and seed.

    Returns:
        The scoring model.
    """
    rows = min(evaluation.reference_rows, len(train))
    sample = train.sample(n=rows, random_state=evaluation.seed).sort_index()
    serve = decision["serve"]
    policy = next(p for p in ("candidate", "baseline") if business_report[p]["model"] == serve)
    model = ScoringModel(
        candidate=serve,
        threshold=float(business_report[policy]["threshold"]),
        booster=lightgbm_model,
        encoder=lightgbm_encoder,
        logistic=logistic_model,
        blend=ensemble_model,
        reference=sample[contract.features].reset_index(drop=True),
    )
    info = {
        "metrics": _metrics_of(metrics, serve),
        "kedro_run_id": run_context.get("run_id"),
        "git_commit": run_context.get("git_commit"),
        "feature_table_sha256": feature_metadata.get("content_sha256"),
        "training_period": {
            "from": str(train[contract.date_column].min().date()),
            "to": str(train[contract.date_column].max().date()),
        },
    }
    reference = model.reference.assign(score=model.score(model.reference))
    return dataclasses.replace(model, reference=reference, info=info)


def update_champion(decision: dict[str, Any], challenger: ScoringModel) -> dict[str, Any]:
    """What the registry should do after the decision: make the challenger champion, or not.

    Args:
        decision: Promotion decision.
        challenger: The registered challenger, as loaded back from the registry (its
            checksums verified).

    Returns:
        ``{"promote", "version", "candidate", "reasons"}`` for the champion dataset.
    """
    return {
        "promote": bool(decision["promote"] or decision["baseline_serves"]),
        "version": challenger.info["registry"]["version"],
        "candidate": decision["serve"],
        "reasons": decision["reasons"],
    }
