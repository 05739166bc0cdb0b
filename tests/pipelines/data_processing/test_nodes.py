from __future__ import annotations

import pandas as pd
import pytest

from credit_risk.pipelines.data_processing.nodes import (
    build_validation_report,
    collect_quarantine,
    enforce_references,
)
from credit_risk.validation import DataContractError

CUSTOMERS = pd.DataFrame({"customer_id": [1, 2]})
APPS = pd.DataFrame({"application_id": [10, 11, 12], "customer_id": [1, 3, 2]})
HISTORY = pd.DataFrame({"customer_id": [1, 1, 4], "days_past_due": [0, 30, 0]})


def test_orphans_are_quarantined_with_their_reason() -> None:
    apps, history, quarantine, summary = enforce_references(
        CUSTOMERS, APPS, HISTORY, pd.DataFrame({"application_id": [99]})
    )
    assert apps["application_id"].tolist() == [10, 12]
    assert history["days_past_due"].tolist() == [0, 30]
    assert quarantine["dataset"].tolist() == ["applications", "repayment_history"]
    assert quarantine["source_row"].tolist() == [1, 2]
    assert set(quarantine["failed_checks"]) == {"customer_id:foreign_key(customers)"}
    assert summary["orphans"] == [
        {"dataset": "applications", "rows": 1},
        {"dataset": "repayment_history", "rows": 1},
    ]


def test_ids_duplicated_across_sources_stop() -> None:
    with pytest.raises(DataContractError) as caught:
        enforce_references(CUSTOMERS, APPS, HISTORY, pd.DataFrame({"application_id": [11, 12, 50]}))
    message = str(caught.value)
    assert "column 'application_id' of dataset 'scoring_batch'" in message
    assert "2 ids also appear in 'applications' (such as [11, 12])" in message


def test_report_adds_orphans_to_the_counts() -> None:
    summary = {"rows_in": 10, "rows_valid": 9, "rows_quarantined": 1, "failures": []}
    report = build_validation_report(
        {**summary, "dataset": "customers"},
        {**summary, "dataset": "applications"},
        {**summary, "dataset": "repayment_history"},
        {
            "orphans": [
                {"dataset": "applications", "rows": 2},
                {"dataset": "repayment_history", "rows": 0},
            ]
        },
    )
    assert report["totals"] == {"rows_in": 30, "rows_valid": 25, "rows_quarantined": 5}
    assert report["datasets"]["applications"]["failures"][-1]["rows"] == 2


def test_quarantines_are_stacked_in_order() -> None:
    q = pd.DataFrame(
        {
            "dataset": ["b", "a"],
            "source_row": [2, 1],
            "failed_checks": ["x", "y"],
            "record": ["{}", "{}"],
        }
    )
    out = collect_quarantine(q, q.iloc[[0]].assign(source_row=0))
    assert list(zip(out["dataset"], out["source_row"], strict=True)) == [
        ("a", 1),
        ("b", 0),
        ("b", 2),
    ]
