from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from credit_risk.checksums import content_hash

from .conftest import Runner

pytestmark = pytest.mark.integration


def _latest(path: Path) -> Path:
    """The file inside the newest version folder of a versioned dataset."""
    version = sorted(p for p in path.iterdir() if p.is_dir())[-1]
    return version / path.name


def test_demo_data_and_data_processing_write_every_output(project: Path, run: Runner) -> None:
    run(["demo_data", "data_processing"])
    data = project / "data"
    features = pd.read_parquet(_latest(data / "04_feature" / "feature_table.parquet"))
    meta = json.loads(_latest(data / "04_feature" / "feature_table_metadata.json").read_text())
    assert meta["content_sha256"] == content_hash(features)
    assert meta["rows"] == len(features) > 1_500
    splits = [
        pd.read_parquet(_latest(data / "05_model_input" / f"{s}.parquet"))
        for s in ("train", "validation", "test")
    ]
    assert sum(len(s) for s in splits) == len(features)
    assert "fold" in splits[0].columns
    quarantine = pd.read_parquet(_latest(data / "02_intermediate" / "quarantine.parquet"))
    report = json.loads(_latest(data / "08_reporting" / "validation_report.json").read_text())
    raw = {
        "customers": pd.read_csv(data / "01_raw" / "customers.csv"),
        "applications": pd.read_parquet(data / "01_raw" / "applications.parquet"),
        "repayment_history": pd.read_parquet(data / "01_raw" / "repayment_history.parquet"),
    }
    for name, frame in raw.items():
        entry = report["datasets"][name]
        assert entry["rows_in"] == len(frame)
        assert entry["rows_quarantined"] == (quarantine["dataset"] == name).sum() > 0
        assert entry["rows_valid"] + entry["rows_quarantined"] == len(frame)
    assert report["datasets"]["applications"]["rows_valid"] == len(features)


def test_same_seed_gives_the_same_feature_table(project: Path, run: Runner) -> None:
    run(["demo_data", "data_processing"])
    first = json.loads(_latest(project / "data/04_feature/feature_table_metadata.json").read_text())
    run(["demo_data", "data_processing"])
    versions = sorted((project / "data/04_feature/feature_table_metadata.json").iterdir())
    assert len(versions) == 2  # a new version, the old one kept
    second = json.loads(
        _latest(project / "data/04_feature/feature_table_metadata.json").read_text()
    )
    assert first["content_sha256"] == second["content_sha256"]


def test_a_users_own_table_goes_through_by_configuration(project: Path, run: Runner) -> None:
    """The worked example of docs/own-data.md: one CSV, a catalog entry and a contract."""
    n = 600
    rows = pd.DataFrame(
        {
            "loan_ref": [f"LN-{i}" for i in range(n)],
            "borrower": [f"B{i % 250}" for i in range(n)],
            "disbursed_on": pd.date_range("2022-01-01", periods=n, freq="D").strftime("%Y-%m-%d"),
            "is_bad": [int(i % 7 == 0 or i % 11 == 0) for i in range(n)],
            "grade": [" a ", "B", "c"] * (n // 3),
            "debt_to_income": [(i * 37 % 100) / 100 for i in range(n)],
            "sex": ["F", "M"] * (n // 2),
        }
    )
    (project / "data/01_raw").mkdir(parents=True)
    rows.to_csv(project / "data/01_raw/my_loans.csv", index=False)
    (project / "conf/local/catalog.yml").write_text(
        "model_table:\n  type: pandas.CSVDataset\n  filepath: data/01_raw/my_loans.csv\n"
    )
    (project / "conf/local/parameters.yml").write_text(
        """
data_contract:
  dataset: my_loans
  id_column: loan_ref
  target_column: is_bad
  date_column: disbursed_on
  group_column: borrower
  categorical_columns: [grade]
  numeric_columns: [debt_to_income]
  sensitive_columns: [sex]
  banned_columns: []
  descriptions: {debt_to_income: Monthly debt payments over monthly income.}
split:
  test_months: 3
  validation_months: 2
  n_folds: 3
"""
    )
    run(["model_input"], params={})
    features = pd.read_parquet(_latest(project / "data/04_feature/feature_table.parquet"))
    assert features.columns.tolist() == [
        "loan_ref",
        "disbursed_on",
        "is_bad",
        "borrower",
        "sex",
        "grade",
        "debt_to_income",
    ]
    assert len(features) == n
    test = pd.read_parquet(_latest(project / "data/05_model_input/test.parquet"))
    assert test["disbursed_on"].min() == pd.Timestamp("2023-06-01")
    meta = json.loads(_latest(project / "data/04_feature/feature_table_metadata.json").read_text())
    described = {c["name"]: c["definition"] for c in meta["columns"]}
    assert described["debt_to_income"] == "Monthly debt payments over monthly income."


def test_bad_parameters_fail_before_any_node_runs(project: Path, run: Runner) -> None:
    with pytest.raises(Exception, match=r"n_customers[\s\S]*greater than or equal to 100"):
        run(["demo_data", "data_processing"], params={"demo_data": {"n_customers": 5}})
    assert not (project / "data" / "01_raw" / "customers.csv").exists()


def test_structural_failure_stops_the_run_naming_dataset_and_column(
    project: Path, run: Runner
) -> None:
    run(["demo_data"])
    raw = project / "data" / "01_raw" / "customers.csv"
    pd.read_csv(raw).rename(columns={"income": "annual_inc"}).to_csv(raw, index=False)
    with pytest.raises(Exception, match="column 'income' of dataset 'customers'"):
        run(["data_processing"])


def test_one_poisoned_statement_is_quarantined_and_changes_no_other_row(
    project: Path, run: Runner
) -> None:
    """The issue's case: one ``inf`` balance made 99.76% of a window's utilisation null."""
    run(["demo_data"])
    raw = project / "data" / "01_raw" / "repayment_history.parquet"
    clean = pd.read_parquet(raw)
    poisoned = clean.copy()
    first = poisoned.sort_values(["customer_id", "statement_date"]).index[0]
    poisoned.loc[first, "balance"] = float("inf")
    poisoned.loc[first + 1, "credit_limit"] = 1e-12
    poisoned.to_parquet(raw, index=False)
    run(["data_processing"])
    features = project / "data" / "04_feature" / "feature_table.parquet"
    quarantine = pd.read_parquet(_latest(project / "data/02_intermediate/quarantine.parquet"))
    history = quarantine[quarantine["dataset"] == "repayment_history"].set_index("source_row")
    assert history.loc[first, "failed_checks"] == "balance:finite"
    assert history.loc[first + 1, "failed_checks"] == "credit_limit:greater_than_or_equal_to(1)"
    with_poison = pd.read_parquet(_latest(features))
    # The reference: the same raw history with the two rows removed by hand.
    clean.drop(index=[first, first + 1]).to_parquet(raw, index=False)
    run(["data_processing"])
    pd.testing.assert_frame_equal(pd.read_parquet(_latest(features)), with_poison, check_exact=True)
    assert with_poison["hist_12m_mean_utilisation"].isna().mean() < 0.5


def test_switching_pandera_off_stops_the_run_before_anything_is_validated(
    project: Path, run: Runner
) -> None:
    """``PANDERA_VALIDATION_ENABLED=False`` once let 93 non-positive amounts through."""
    run(["demo_data"])
    kedro = Path(sys.executable).with_name("kedro")
    result = subprocess.run(
        [str(kedro), "run", "--pipelines", "data_processing"],
        check=False,
        cwd=project,
        capture_output=True,
        text=True,
        env={**os.environ, "PANDERA_VALIDATION_ENABLED": "False", "COLUMNS": "200"},
        timeout=300,
    )
    assert result.returncode != 0
    output = " ".join((result.stdout + result.stderr).split())
    assert "pandera's validation is switched off (PANDERA_VALIDATION_ENABLED=False)" in output
    assert "Fix: unset PANDERA_VALIDATION_ENABLED" in output
    assert not (project / "data" / "04_feature" / "feature_table.parquet").exists()


def test_a_zero_byte_source_stops_with_the_projects_message(project: Path, run: Runner) -> None:
    run(["demo_data"])
    (project / "data" / "01_raw" / "customers.csv").write_bytes(b"")  # a failed export
    with pytest.raises(Exception, match="dataset 'customers': expected at least one row, got 0"):
        run(["data_processing"])
