"""The model card's sections: risk register, flags, lineage, data, metric cells, limits."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from credit_risk.evaluation import card, ground_truth

DECISION = {
    "promote": False,
    "candidate": "ensemble",
    "serve": "logistic_regression",
    "checks": {"not_worse_than_baseline": False, "no_drift_flags": True},
    "reasons": ["roc_auc too low"],
}
FAIRNESS = {"flags": ["gender: gap"], "warnings": ["age_band: gap"], "attributes": []}
DRIFT = {"flags": [], "warnings": ["3 feature(s) drifted"]}
POLICY = {"threshold": 0.2, "approval_rate": 0.8, "default_rate_approved": 0.05, "profit": 9.0}
TRANSFER = {
    "threshold": 0.2,
    "approval_rate_train_only": 0.8,
    "approval_rate_served": 0.813,
    "approval_rate_difference": 0.013,
    "decisions_changed": 0.019,
}
CREDIT = {
    "model": "ensemble",
    "ks": {"ks": 0.36, "threshold": 0.11, "share_flagged": 0.3},
    "accuracy_ratio": 0.45,
    "top_band_lift": 3.6,
    "grades_rejected_by_binomial_test": ["E"],
}
SPLITS = {
    "train": {"rows": 800, "from": "2022-01-01", "to": "2023-06-30", "fold_sizes": [160] * 5},
    "validation": {"rows": 100, "from": "2023-07-01", "to": "2023-09-30"},
    "test": {"rows": 100, "from": "2023-10-01", "to": "2024-01-31"},
}


def _evidence() -> card.Evidence:
    metrics = pd.DataFrame(
        {
            "model": ["ensemble", "ensemble", "logistic_regression"],
            "metric": ["roc_auc", "brier", "roc_auc"],
            "value": [0.75, 0.1, 0.7],
            "low": [0.73, 0.09, 0.68],
            "high": [0.77, 0.11, 0.72],
            "std": [0.01, 0.01, 0.01],
        }
    )
    drift_report = pd.DataFrame(
        {
            "feature": [f"f{i}" for i in range(12)],
            "kind": "numeric",
            "psi": 0.1,
            "test": "ks",
            "p_value": 0.5,
            "unseen": 0,
            "severity": "ok",
        }
    )
    return card.Evidence(
        decision=DECISION,
        metrics=metrics,
        bayes=pd.DataFrame({"model": ["ensemble"], "test_auc": [0.75]}),
        variance={"roc_auc": {"mean": 0.74, "std": 0.02}},
        eces={"ensemble": 0.01},
        fairness_table=pd.DataFrame({"attribute": ["gender"], "group": ["F"]}),
        fairness_summary=FAIRNESS,
        drift_report=drift_report,
        drift_summary=DRIFT,
        business_report={"candidate": POLICY, "baseline": POLICY, "approve_everyone": POLICY},
        threshold_transfer={"test": {"candidate": TRANSFER}},
        gains_table=pd.DataFrame({"band": [1, 2], "lift": [2.5, 0.5]}),
        rating_grade_table=pd.DataFrame({"grade": ["A", "B"], "verdict": ["consistent"] * 2}),
        credit_views_summary=CREDIT,
        feature_metadata={"rows": 1_000, "content_sha256": "f" * 64},
        validation_report={"totals": {"rows_quarantined": 7, "rows_in": 1_007}},
        split_summary=SPLITS,
        final_fit={"splits": ["train", "validation"], "rows": 900, "lightgbm_rounds": 1_234},
        run_context={"run_id": "R1", "git_commit": "abc", "git_dirty": True, "pipelines": ["p"]},
    )


def test_the_risk_register_lists_critical_flags_warnings_and_failed_checks() -> None:
    assert card.risks(DECISION, FAIRNESS, DRIFT) == [
        "fairness (critical): gender: gap",
        "fairness (warning): age_band: gap",
        "drift (warning): 3 feature(s) drifted",
        "not_worse_than_baseline: failed",
    ]
    assert card.flag_lines(FAIRNESS) == ["blocks: gender: gap", "warning: age_band: gap"]


def test_lineage_names_the_run_the_code_and_both_hashes() -> None:
    line = card.lineage({"run_id": "R1", "git_commit": "abc", "git_dirty": True}, "F", "M")
    assert line == (
        "Kedro run R1 (versioned outputs saved under that version), git commit abc with "
        "uncommitted changes, pipelines ; feature table sha256 F, LightGBM file sha256 M"
    )


def test_sections_hold_every_part_the_card_renders() -> None:
    sections = card.sections(_evidence(), "m" * 64)
    assert list(sections) == [
        "decision",
        "lineage",
        "data",
        "metrics",
        "bayes",
        "variance",
        "ece",
        "credit",
        "gains",
        "grades",
        "fairness",
        "fairness_flags",
        "drift",
        "drift_flags",
        "business",
        "business_rule",
        "threshold_transfer",
        "intended_use",
        "test_kind",
        "limitations",
        "risks",
    ]
    assert sections["test_kind"] == "out-of-time test period"
    metrics = sections["metrics"].set_index("model")
    assert metrics.loc["ensemble", "roc_auc"] == "0.7500 [0.7300, 0.7700]"
    assert pd.isna(metrics.loc["logistic_regression", "brier"])
    data = sections["data"]
    assert "fold_sizes" not in data["splits"] and data["splits"]["split"].tolist() == list(SPLITS)
    assert (data["quarantined"], data["rows_in"]) == (7, 1_007)
    assert "fitted on train + validation (900 rows; LightGBM 1,234 rounds)" in data["fitted_on"]
    assert len(sections["drift"]) == 10
    assert sections["business"]["policy"].tolist() == ["candidate", "baseline", "approve_everyone"]
    assert "Test period 2023-10-01 to 2024-01-31" in sections["limitations"][-1]
    assert sections["variance"].to_dict("records") == [
        {"metric": "roc_auc", "mean": 0.74, "std": 0.02}
    ]


def test_the_rendered_card_holds_the_sections_and_every_chart() -> None:
    page = card.render(card.sections(_evidence(), "m" * 64), {"A": go.Figure(), "B": go.Figure()})
    assert "<h1>Model card: ensemble</h1>" in page and "DO NOT PROMOTE" in page
    assert "Kedro run R1" in page and "m" * 64 in page
    assert "fairness (critical): gender: gap" in page
    assert "<h3>A</h3>" in page and "<h3>B</h3>" in page
    assert page.count("plotly.js") >= 1 and page.count('class="plotly-graph-div"') == 2


def test_a_table_without_dates_or_ground_truth_gets_a_card_that_says_so() -> None:
    evidence = _evidence()
    evidence["bayes"] = ground_truth.not_configured()
    evidence["split_summary"] = {
        name: {k: v for k, v in part.items() if k not in ("from", "to")}
        for name, part in evidence["split_summary"].items()
    }
    sections = card.sections(evidence, "m" * 64)
    assert sections["test_kind"] == "test rows (stratified random split)"
    assert not any("generated demo data" in line for line in sections["limitations"])
    assert "No date column: test rows were drawn at random" in sections["limitations"][-1]
    page = card.render(sections, {})
    assert "Skipped: no ground truth configured" in page
    assert "Metrics on the test rows (stratified random split)" in page


def test_the_card_says_what_moving_the_threshold_to_the_refitted_model_changed() -> None:
    assert card.transfer_sentence({"test": {"candidate": TRANSFER}}).endswith(
        "it approves 81.3% where the train-only fit approves 80.0% (+1.3 points); "
        "1.9% of decisions differ."
    )


def test_the_card_summarises_the_credit_views() -> None:
    assert card.credit_sentence(CREDIT) == (
        "ensemble: KS 0.3600, reached with the riskiest 30.0% of applications flagged; "
        "accuracy ratio (Gini) 0.4500; the riskiest band holds 3.60 times the average "
        "default rate; the binomial test rejects the predicted default rate of grade(s) E "
        "(two-sided, per grade)."
    )
    rejected_none = {**CREDIT, "grades_rejected_by_binomial_test": []}
    assert "rejects no grade's predicted default rate" in card.credit_sentence(rejected_none)
