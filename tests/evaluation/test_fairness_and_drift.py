from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk.demo_data import DemoData, DemoDataParams, generate
from credit_risk.evaluation.drift import drift_flags, drift_report, drift_summary, psi
from credit_risk.evaluation.fairness import fairness_report
from credit_risk.evaluation.promotion import blocking_flags
from credit_risk.params import DriftParams, FairnessParams


def _scored(bias: float, n: int = 20_000, seed: int = 0) -> pd.DataFrame:
    """A model that sees x but not the group; labels carry `bias` log-odds for group F."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    group = rng.choice(["F", "M"], n)
    base = -2.2 + x
    y = rng.uniform(size=n) < 1 / (1 + np.exp(-(base + bias * (group == "F"))))
    return pd.DataFrame({"score": 1 / (1 + np.exp(-base)), "y": y.astype(int), "gender": group})


@pytest.mark.parametrize(("bias", "flagged"), [(0.8, True), (0.0, False)])
def test_label_bias_is_flagged_and_its_absence_is_not(bias: float, flagged: bool) -> None:
    _, summaries = fairness_report(
        _scored(bias), "score", "y", ["gender"], 0.2, FairnessParams(blocking_attributes=["gender"])
    )
    (summary,) = summaries
    assert bool(summary["flags"]) is flagged
    assert summary["blocking"] is True
    if flagged:
        assert "calibration gap difference" in summary["flags"][0]


def test_group_table_has_the_rates() -> None:
    table, _ = fairness_report(_scored(0.8), "score", "y", ["gender"], 0.2, FairnessParams())
    assert set(table.columns) >= {
        "attribute",
        "group",
        "selection_rate",
        "tpr",
        "fpr",
        "auc",
        "default_rate",
        "calibration_gap",
    }
    gaps = table.set_index("group")["calibration_gap"]
    assert gaps["F"] > 0.03 > gaps["M"]


def test_a_contract_without_sensitive_columns_gets_an_empty_table_not_a_crash() -> None:
    # found by benchmarks/own_data.py: a user's table (Lending Club) names no sensitive column
    table, summaries = fairness_report(_scored(0.0, n=500), "score", "y", [], 0.2, FairnessParams())
    assert summaries == []
    assert table.empty
    assert list(table.columns[:2]) == ["attribute", "group"]
    with_gender, _ = fairness_report(
        _scored(0.0, n=500), "score", "y", ["gender"], 0.2, FairnessParams()
    )
    assert list(table.columns) == list(with_gender.columns)


@pytest.mark.parametrize("n", [1, 60, 90])
def test_groups_too_small_to_compare_are_not_judged_and_warn_instead_of_crashing(n: int) -> None:
    """Found with 400 demo customers: no group reached min_group_size, fairlearn crashed."""
    frame = _scored(0.8, n=n)
    table, summaries = fairness_report(frame, "score", "y", ["gender"], 0.2, FairnessParams())
    (summary,) = summaries
    assert summary["flags"] == []
    assert "fewer than two groups with at least 50 rows" in summary["not_judged"]
    counts = frame["gender"].value_counts()
    assert all(f"{group} {count}" in summary["not_judged"] for group, count in counts.items())
    assert table.empty
    assert blocking_flags(summaries) == {
        "flags": [],
        "warnings": [f"gender: {summary['not_judged']}"],
    }
    judged = fairness_report(frame, "score", "y", ["gender"], 0.2, FairnessParams(min_group_size=1))
    # one row is one group: still nothing to compare it with
    assert ("not_judged" in judged[1][0]) is (n == 1)


def test_psi_is_zero_for_equal_shares_and_grows_with_shift() -> None:
    assert psi(np.array([0.5, 0.5]), np.array([0.5, 0.5])) == 0
    assert psi(np.array([0.5, 0.5]), np.array([0.6, 0.4])) < psi(
        np.array([0.5, 0.5]), np.array([0.9, 0.1])
    )


@pytest.fixture(scope="module")
def worlds() -> tuple[DemoData, DemoData]:
    drifted = generate(DemoDataParams(n_customers=4_000, corruption_rate=0.0))
    steady = generate(
        DemoDataParams(n_customers=4_000, corruption_rate=0.0, drift={"enabled": False})
    )
    return drifted, steady


COLUMNS = {
    "categorical": ["purpose", "channel"],
    "numeric": ["amount", "term_months", "interest_rate"],
}


def test_drift_knob_is_caught(worlds: tuple[DemoData, DemoData]) -> None:
    drifted, _ = worlds
    report = drift_report(
        drifted.applications, drifted.scoring_batch, **COLUMNS, params=DriftParams()
    )
    rows = report.set_index("feature")
    assert rows.loc["channel", "unseen"] > 0
    assert rows.loc["amount", "severity"] in {"warning", "critical"}
    assert rows.loc["term_months", "severity"] == "critical"
    flags = drift_flags(report, DriftParams())
    assert any("never seen in training" in f for f in flags["blocking"])
    assert any("drifted beyond PSI" in f for f in flags["warning"])


def test_no_drift_gives_no_flag(worlds: tuple[DemoData, DemoData]) -> None:
    _, steady = worlds
    report = drift_report(
        steady.applications, steady.scoring_batch, **COLUMNS, params=DriftParams()
    )
    assert drift_flags(report, DriftParams()) == {"blocking": [], "warning": []}
    assert (report["psi"] < 0.1).all()


def _reference(n: int = 20_000) -> pd.DataFrame:
    rng = np.random.default_rng(5)
    return pd.DataFrame(
        {"x": rng.normal(size=n), "score": rng.beta(2, 12, n), "grade": rng.choice(["a", "b"], n)}
    )


def test_a_one_row_batch_is_not_judged_on_psi_but_unseen_values_still_block() -> None:
    # The case: one row gave a blocking "scores drifted: PSI 8.278".
    reference = _reference()
    one = pd.DataFrame({"x": [0.1], "score": [0.9], "grade": ["z"]})
    report = drift_report(reference, one, ["grade"], ["x", "score"], DriftParams())
    severity = report.set_index("feature")["severity"]
    assert severity["x"] == "not_judged"  # an ordinary value: no test rejects one row
    # A score at the reference's 99.99th percentile: the KS test, exact at any size,
    # rejects it (a warning); so does chi-square for a level never seen.
    assert severity[["score", "grade"]].tolist() == ["warning", "warning"]
    assert not report["psi_judged"].any()
    assert report.set_index("feature").loc["score", "psi"] > 1  # what it would have said
    summary = drift_summary(report, DriftParams())
    assert summary["judged"] is False
    assert summary["flags"] == ["grade: 1 value(s) never seen in training"]
    assert summary["warnings"] == [
        "drift not judged: the sample has fewer than 200 rows (drift.min_rows), too few for "
        "PSI to mean anything; two-sample tests and unseen values are still checked"
    ]


def test_at_min_rows_a_sample_without_drift_stays_under_the_warning_level() -> None:
    # Why 200: the PSI of a sample drawn from the reference itself averages about
    # (n_bins - 1) / rows, 0.045 here, under half of psi_warning.
    reference, params = _reference(), DriftParams()
    rng = np.random.default_rng(9)
    values = [
        drift_report(
            reference,
            reference.iloc[rng.choice(len(reference), params.min_rows, replace=False)],
            ["grade"],
            ["x"],
            params,
        )
        .set_index("feature")
        .loc["x", "psi"]
        for _ in range(200)
    ]
    assert np.mean(values) == pytest.approx((params.n_bins - 1) / params.min_rows, rel=0.25)
    assert np.mean(values) < params.psi_warning / 2
    judged = drift_report(reference, reference.iloc[: params.min_rows], ["grade"], ["x"], params)
    assert "not_judged" not in set(judged["severity"]) and judged["psi_judged"].all()


def test_below_min_rows_a_two_sample_test_still_warns() -> None:
    reference = _reference()
    shifted = reference.iloc[:150].assign(x=lambda f: f["x"] + 1.5)
    report = drift_report(reference, shifted, ["grade"], ["x", "score"], DriftParams())
    rows = report.set_index("feature")
    assert rows.loc["x", "severity"] == "warning"  # KS p-value is valid at 150 rows
    assert rows.loc["score", "severity"] == "not_judged"
