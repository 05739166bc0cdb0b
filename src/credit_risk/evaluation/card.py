"""The model card: what it reports, section by section, and one HTML page that opens offline.

:func:`sections` turns an evaluation's reports (:class:`Evidence`) into the card's
content: lineage, data, metrics with intervals, fairness and drift with their flags, the
business view, limitations and a risk register. :func:`render` lays it out as HTML.
"""

from __future__ import annotations

import html
from typing import Any, TypedDict

import pandas as pd
import plotly.graph_objects as go

from credit_risk.evaluation.business import POLICIES

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:right}th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
.promote{color:#1a7f37;font-weight:bold}.hold{color:#cf222e;font-weight:bold}
.flag{color:#cf222e}.muted{color:#666}
"""


# Chart dataset -> its title in the card, in the card's order.
CARD_CHARTS = {
    "roc_chart": "ROC",
    "pr_chart": "Precision-recall",
    "ks_chart": "KS curve",
    "score_distribution_chart": "Score distributions",
    "gains_chart": "Cumulative gains and lift",
    "cap_chart": "CAP curve",
    "calibration_chart": "Calibration",
    "rating_grade_chart": "Rating grades",
    "strategy_chart": "Approval rate against bad rate",
    "profit_chart": "Profit",
    "fairness_chart": "Fairness",
    "drift_chart": "Drift",
    "importance_chart": "Feature importance",
    "fold_chart": "Variance across folds",
    "leaderboard_chart": "Leaderboard (validation)",
    "optimisation_history_chart": "Tuning: optimisation history",
    "param_importance_chart": "Tuning: parameter importances",
}


class Evidence(TypedDict):
    """The reports a model card is made of, by the name the card's node receives them."""

    decision: dict[str, Any]  # the promotion decision
    metrics: pd.DataFrame  # test metrics with intervals (long)
    bayes: pd.DataFrame  # test AUC next to the Bayes-optimal AUC
    variance: dict[str, Any]  # fold metrics' mean and std
    eces: dict[str, float]  # expected calibration error per model
    fairness_table: pd.DataFrame  # per-group rates
    fairness_summary: dict[str, Any]  # gaps, blocking flags and warnings
    drift_report: pd.DataFrame  # per-feature drift
    drift_summary: dict[str, Any]  # blocking flags and warnings
    business_report: dict[str, Any]  # outcome of each policy
    threshold_transfer: dict[str, Any]  # the thresholds moved to the refitted models
    gains_table: pd.DataFrame  # gains and lift by band of the candidate's score
    rating_grade_table: pd.DataFrame  # the PD master scale with its binomial tests
    credit_views_summary: dict[str, Any]  # KS and where, accuracy ratio, rejected grades
    feature_metadata: dict[str, Any]  # the feature table's rows and content hash
    validation_report: dict[str, Any]  # quarantine counts
    split_summary: dict[str, Any]  # split sizes and periods
    final_fit: dict[str, Any]  # what the models that serve were fitted on
    run_context: dict[str, Any]  # run id, pipelines and git state


def risks(
    decision: dict[str, Any], fairness_summary: dict[str, Any], drift_summary: dict[str, Any]
) -> list[str]:
    """The risk register: every fairness and drift flag, and every failed check.

    Args:
        decision: The promotion decision.
        fairness_summary: Fairness flags (critical) and warnings.
        drift_summary: Drift flags (critical) and warnings.

    Returns:
        One line per risk, critical before warnings.
    """
    found = [f"fairness (critical): {f}" for f in fairness_summary["flags"]]
    found += [f"fairness (warning): {f}" for f in fairness_summary["warnings"]]
    found += [f"drift (critical): {f}" for f in drift_summary["flags"]]
    found += [f"drift (warning): {f}" for f in drift_summary["warnings"]]
    found += [f"{name}: failed" for name, ok in decision["checks"].items() if not ok]
    return found


def flag_lines(summary: dict[str, Any]) -> list[str]:
    """A summary's flags as the card lists them: what blocks, then what warns.

    Args:
        summary: A fairness or drift summary (``flags``, ``warnings``).

    Returns:
        ``blocks: ...`` lines, then ``warning: ...`` lines.
    """
    return [f"blocks: {f}" for f in summary["flags"]] + [
        f"warning: {f}" for f in summary["warnings"]
    ]


def lineage(run_context: dict[str, Any], feature_sha256: str, model_sha256: str) -> str:
    """Where the model comes from: the run, the code, and the data and model files.

    Args:
        run_context: Run id, pipelines and git state.
        feature_sha256: Content hash of the feature table.
        model_sha256: Hash of the LightGBM model file.

    Returns:
        One sentence.
    """
    return (
        f"Kedro run {run_context.get('run_id')} (versioned outputs saved under "
        f"that version), git commit {run_context.get('git_commit')}"
        f"{' with uncommitted changes' if run_context.get('git_dirty') else ''}, "
        f"pipelines {', '.join(run_context.get('pipelines', []))}; feature table sha256 "
        f"{feature_sha256}, LightGBM file sha256 {model_sha256}"
    )


def data_section(
    split_summary: dict[str, Any],
    feature_metadata: dict[str, Any],
    validation_report: dict[str, Any],
    final_fit: dict[str, Any],
) -> dict[str, Any]:
    """The data the model saw: splits, feature table, quarantine, what the final fit used.

    Args:
        split_summary: Split sizes and periods.
        feature_metadata: The feature table's rows and content hash.
        validation_report: Quarantine counts.
        final_fit: What the models that serve were fitted on.

    Returns:
        ``{"splits", "rows", "sha256", "quarantined", "rows_in", "fitted_on"}``.
    """
    splits = pd.DataFrame(split_summary).T.drop(columns="fold_sizes", errors="ignore")
    return {
        "splits": splits.reset_index(names="split"),
        "rows": feature_metadata["rows"],
        "sha256": feature_metadata["content_sha256"],
        "quarantined": validation_report["totals"]["rows_quarantined"],
        "rows_in": validation_report["totals"]["rows_in"],
        "fitted_on": f"The logistic and LightGBM models that serve were fitted on "
        f"{' + '.join(final_fit['splits'])} ({final_fit['rows']:,} rows; LightGBM "
        f"{final_fit['lightgbm_rounds']:,} rounds). Validation figures, the ensemble "
        "weight and the threshold come from train-only fits, out of sample.",
    }


def metrics_table(metrics: pd.DataFrame) -> pd.DataFrame:
    """One row per model, one column per metric, each cell ``value [low, high]``.

    Args:
        metrics: Long table (``model``, ``metric``, ``value``, ``low``, ``high``).

    Returns:
        The wide table.
    """
    shown = [
        f"{v:.4f} [{lo:.4f}, {hi:.4f}]"
        for v, lo, hi in zip(metrics["value"], metrics["low"], metrics["high"], strict=True)
    ]
    wide = metrics.assign(shown=shown).pivot(index="model", columns="metric", values="shown")
    return wide.reset_index().rename_axis(columns=None)


def business_table(business_report: dict[str, Any]) -> pd.DataFrame:
    """Threshold, approval rate, default rate among approved and profit of each policy.

    Args:
        business_report: From :func:`credit_risk.evaluation.business.business_report`.

    Returns:
        One row per policy (candidate, baseline, approve everyone).
    """
    outcome = {k: business_report[k] for k in POLICIES}
    return pd.DataFrame(outcome).T.reset_index(names="policy")[
        ["policy", "threshold", "approval_rate", "default_rate_approved", "profit"]
    ]


def credit_sentence(summary: dict[str, Any]) -> str:
    """KS and where it is reached, the accuracy ratio, the top band's lift, rejected grades.

    Args:
        summary: From :func:`credit_risk.evaluation.credit_views.credit_views`.

    Returns:
        One paragraph.
    """
    ks, rejected = summary["ks"], summary["grades_rejected_by_binomial_test"]
    grades = (
        "the binomial test rejects the predicted default rate of grade(s) " + ", ".join(rejected)
        if rejected
        else "the binomial test rejects no grade's predicted default rate"
    )
    return (
        f"{summary['model']}: KS {ks['ks']:.4f}, reached with the riskiest "
        f"{ks['share_flagged']:.1%} of applications flagged; accuracy ratio (Gini) "
        f"{summary['accuracy_ratio']:.4f}; the riskiest band holds {summary['top_band_lift']:.2f} "
        f"times the average default rate; {grades} (two-sided, per grade)."
    )


def transfer_sentence(transfer: dict[str, Any]) -> str:
    """What moving the validation-chosen threshold to the refitted candidate changed on test.

    Args:
        transfer: From :func:`credit_risk.evaluation.business.threshold_transfer`.

    Returns:
        One sentence with both approval rates, their difference and the flipped decisions.
    """
    test = transfer["test"]["candidate"]
    return (
        f"The threshold {test['threshold']:.4f} was chosen on validation scores of the fit "
        "that never saw validation; the candidate that serves was refitted on training + "
        f"validation. On the test period it approves {test['approval_rate_served']:.1%} "
        f"where the train-only fit approves {test['approval_rate_train_only']:.1%} "
        f"({100 * test['approval_rate_difference']:+.1f} points); "
        f"{test['decisions_changed']:.1%} of decisions differ."
    )


def limitations(split_summary: dict[str, Any], demo: bool = True) -> list[str]:
    """What the card's figures cannot tell.

    Args:
        split_summary: Split periods (the test period is named) or sizes.
        demo: Whether the table is the generated demo's (it has a ground truth).

    Returns:
        One sentence per limitation.
    """
    test = split_summary["test"]
    lines = []
    if demo:
        lines += [
            "Trained on generated demo data: figures describe the demo world, not a real "
            "lending book.",
            "Labels are observed for approved loans only in real life; the demo has no "
            "reject inference.",
        ]
    else:
        lines.append(
            "Labels exist only for the rows the table holds: if it holds approved "
            "applications only, the model has not seen the rejected ones (no reject inference)."
        )
    lines.append(
        "Sensitive attributes are kept for the fairness analysis; features can act as "
        "proxies for them, and any listed as a feature carries its effect directly: see "
        "the fairness section."
    )
    if "from" in test:
        lines.append(
            f"Test period {test['from']} to {test['to']}: performance later may differ; "
            "monitor drift on every scored batch."
        )
    else:
        lines.append(
            "No date column: test rows were drawn at random, so the figures do not show how "
            "the model ages; monitor drift and realised outcomes on every scored batch."
        )
    return lines


def skipped(table: pd.DataFrame) -> str | None:
    """The reason a section was not computed, when its table says so.

    Args:
        table: A section's table; a ``skipped`` column holds the reason.

    Returns:
        The reason, or None when the section has figures.
    """
    return str(table["skipped"].iloc[0]) if "skipped" in table.columns else None


def intended_use(metadata: dict[str, Any]) -> str:
    """What the model is for, from the feature table's metadata (its table and target).

    Args:
        metadata: The feature table's metadata.

    Returns:
        One paragraph.
    """
    target = metadata.get("target", {})
    inputs = ", ".join(metadata.get("inputs", {})) or "the feature table"
    return (
        f"Ranks the rows of {inputs} by their probability of the bad outcome "
        f"({target.get('column')} = {target.get('positive_class', 1)!r}), to support "
        "approve/decline decisions at the threshold the business view chose. Not for any "
        "use on populations unlike the training data; decisions about people need human "
        "review."
    )


def sections(evidence: Evidence, model_sha256: str) -> dict[str, Any]:
    """Everything the card reports, by section, as :func:`render` reads it.

    Args:
        evidence: The evaluation's reports.
        model_sha256: Hash of the LightGBM model file (for the lineage).

    Returns:
        Section name -> its content (text, lists of lines, tables).
    """
    fairness, drift = evidence["fairness_summary"], evidence["drift_summary"]
    metadata, eces = evidence["feature_metadata"], evidence["eces"]
    return {
        "decision": evidence["decision"],
        "lineage": lineage(evidence["run_context"], metadata["content_sha256"], model_sha256),
        "data": data_section(
            evidence["split_summary"],
            metadata,
            evidence["validation_report"],
            evidence["final_fit"],
        ),
        "metrics": metrics_table(evidence["metrics"]),
        "bayes": evidence["bayes"],
        "variance": pd.DataFrame(evidence["variance"]).T.reset_index(names="metric"),
        "ece": pd.DataFrame({"model": list(eces), "ece": list(eces.values())}),
        "credit": credit_sentence(evidence["credit_views_summary"]),
        "gains": evidence["gains_table"],
        "grades": evidence["rating_grade_table"],
        "fairness": evidence["fairness_table"],
        "fairness_flags": flag_lines(fairness),
        "drift": evidence["drift_report"].head(10)[
            ["feature", "psi", "p_value", "unseen", "severity"]
        ],
        "drift_flags": flag_lines(drift),
        "business": business_table(evidence["business_report"]),
        "business_rule": evidence["business_report"].get("rule_description", ""),
        "threshold_transfer": transfer_sentence(evidence["threshold_transfer"]),
        "intended_use": intended_use(metadata),
        "test_kind": "out-of-time test period"
        if "from" in evidence["split_summary"]["test"]
        else "test rows (stratified random split)",
        "limitations": limitations(
            evidence["split_summary"], demo=skipped(evidence["bayes"]) is None
        ),
        "risks": risks(evidence["decision"], fairness, drift),
    }


def _table(frame: pd.DataFrame, digits: int = 4) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:.{digits}f}", border=0)


def _section(frame: pd.DataFrame) -> str:
    reason = skipped(frame)
    if reason is not None:
        return f"<p class='muted'>Skipped: {html.escape(reason)}.</p>"
    return _table(frame)


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p class='muted'>{html.escape(empty)}</p>"
    return "<ul>" + "".join(f"<li class='flag'>{html.escape(i)}</li>" for i in items) + "</ul>"


def render(sections: dict[str, Any], charts: dict[str, go.Figure]) -> str:
    """Render the card.

    Args:
        sections: Everything the card reports, from :func:`sections`.
        charts: Title -> figure; plotly.js is embedded once, so no network is needed.

    Returns:
        The HTML page.
    """
    decision = sections["decision"]
    verdict = (
        "<span class='promote'>PROMOTE</span>"
        if decision["promote"]
        else "<span class='hold'>DO NOT PROMOTE</span>"
    )
    data = sections["data"]
    parts = [
        f"<h1>Model card: {html.escape(decision['candidate'])}</h1>",
        "<p class='muted'>credit-risk, loan default risk. Lineage: "
        f"{html.escape(sections['lineage'])}</p>",
        f"<h2>Decision</h2><p>{verdict}</p>",
        _list(decision["reasons"], ""),
        f"<h2>Intended use</h2><p>{html.escape(sections['intended_use'])}</p>",
        "<h2>Data</h2>",
        _table(data["splits"], 4),
        f"<p>Feature table: {data['rows']:,} rows, content SHA-256 "
        f"<code>{data['sha256']}</code>; quarantined raw rows: {data['quarantined']:,} of "
        f"{data['rows_in']:,}.</p>",
        f"<p>{html.escape(data['fitted_on'])}</p>",
        f"<h2>Metrics on the {sections['test_kind']} (95% bootstrap intervals)</h2>",
        _table(sections["metrics"]),
        "<h2>Against the limit</h2>",
        _section(sections["bayes"]),
        "<h2>Variance across training folds</h2>",
        _table(sections["variance"]),
        "<h2>Calibration</h2>",
        _table(sections["ece"]),
        "<h2>Credit views</h2>",
        f"<p>{html.escape(sections['credit'])}</p>",
        "<h3>Gains and lift by band (1 = riskiest)</h3>",
        _table(sections["gains"], 4),
        "<h3>Rating grades (PD master scale)</h3>",
        _table(sections["grades"], 4),
        "<h2>Fairness</h2>",
        _table(sections["fairness"], 3),
        _list(sections["fairness_flags"], "No fairness flag."),
        "<h2>Drift, training to test</h2>",
        _table(sections["drift"], 4),
        _list(sections["drift_flags"], "No drift flag."),
        "<h2>Business view</h2>",
        f"<p>{html.escape(sections['business_rule'])}</p>",
        _table(sections["business"], 3),
        f"<p>{html.escape(sections['threshold_transfer'])}</p>",
        "<h2>Limitations</h2><ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in sections["limitations"])
        + "</ul>",
        "<h2>Risk register</h2>",
        _list(sections["risks"], "No open risk."),
        "<h2>Charts</h2>",
    ]
    for i, (title, figure) in enumerate(charts.items()):
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(figure.to_html(full_html=False, include_plotlyjs=(i == 0)))
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Model card</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )
