from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk import splitting
from credit_risk.contract import DataContract
from credit_risk.params import SplitParams, ValidationSettings
from credit_risk.pipelines.model_input.nodes import (
    content_hash,
    describe_feature_table,
    split_model_input,
    validate_model_table,
)
from credit_risk.validation import DataContractError

CONTRACT = DataContract(
    id_column="loan_id",
    target_column="bad",
    date_column="opened",
    group_column="client",
    categorical_columns=["grade"],
    numeric_columns=["ratio"],
    sensitive_columns=["sex"],
    banned_columns=["recovered_amount"],
    descriptions={"ratio": "Debt over income."},
)
SETTINGS = ValidationSettings(snapshot_date="2025-01-01")


def _table(n: int = 400, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ratio = rng.uniform(0, 1, n)
    return pd.DataFrame(
        {
            "loan_id": [f"L{i:05d}" for i in range(n)],
            "client": rng.integers(0, n // 3, n),
            "opened": pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), "D"),
            "bad": (rng.uniform(0, 1, n) < 0.1 + 0.3 * ratio).astype(int),
            "grade": rng.choice(["A", "B", "C"], n),
            "ratio": ratio,
            "sex": rng.choice(["F", "M"], n),
            "unused": 1,
        }
    )


def test_feature_table_keeps_the_contract_columns() -> None:
    table, quarantine, summary = validate_model_table(_table(), CONTRACT, SETTINGS)
    assert table.columns.tolist() == ["loan_id", "opened", "bad", "client", "sex", "grade", "ratio"]
    assert len(table) == 400 and quarantine.empty
    assert summary["content_sha256"] == content_hash(_table())


def test_rows_without_target_are_quarantined() -> None:
    raw = _table().astype({"bad": "Int64"})
    raw.loc[[3, 5], "bad"] = pd.NA
    raw.loc[7, "bad"] = 2
    table, quarantine, _ = validate_model_table(raw, CONTRACT, SETTINGS)
    assert len(table) == 397
    assert quarantine["source_row"].tolist() == [3, 5, 7]
    assert quarantine["failed_checks"].tolist() == [
        "bad:not_nullable",
        "bad:not_nullable",
        "bad:isin([0, 1])",
    ]


def test_target_with_one_class_stops() -> None:
    with pytest.raises(DataContractError) as caught:
        validate_model_table(_table().assign(bad=0), CONTRACT, SETTINGS)
    assert "column 'bad' of dataset 'model_table'" in str(caught.value)
    assert "expected two classes (0 and 1), got only [0]" in str(caught.value)


def test_feature_that_leaks_the_label_stops() -> None:
    raw = _table()
    raw["ratio"] = raw["bad"] * 0.5 + np.random.default_rng(1).uniform(0, 0.4, len(raw))
    with pytest.raises(DataContractError) as caught:
        validate_model_table(raw, CONTRACT, SETTINGS)
    message = str(caught.value)
    assert "column 'ratio' of dataset 'model_table'" in message
    assert "separates the target on its own with AUC 1.0000" in message
    assert "add it to banned_columns" in message


def test_categorical_that_leaks_the_label_stops() -> None:
    raw = _table()
    raw["grade"] = np.where(raw["bad"] == 1, "charged_off", "current")
    with pytest.raises(DataContractError, match=r"column 'grade'.*AUC 1\.0000"):
        validate_model_table(raw, CONTRACT, SETTINGS)


def test_banned_feature_stops() -> None:
    contract = CONTRACT.model_copy(update={"numeric_columns": ["ratio", "recovered_amount"]})
    with pytest.raises(DataContractError) as caught:
        validate_model_table(_table().assign(recovered_amount=0.0), contract, SETTINGS)
    assert "column 'recovered_amount' of dataset 'model_table'" in str(caught.value)
    assert "banned" in str(caught.value)


def test_contract_refuses_a_key_that_is_also_a_feature() -> None:
    with pytest.raises(ValueError, match=r"\['bad'\] cannot be both a key column and a feature"):
        DataContract(id_column="id", target_column="bad", date_column="d", numeric_columns=["bad"])


def test_metadata_describes_every_column() -> None:
    table, _, summary = validate_model_table(_table(), CONTRACT, SETTINGS)
    meta = describe_feature_table(table, CONTRACT, summary)
    assert meta["rows"] == 400
    assert meta["content_sha256"] == content_hash(table)
    assert meta["inputs"]["model_table"]["content_sha256"] == content_hash(_table())
    columns = {c["name"]: c for c in meta["columns"]}
    assert columns["ratio"]["role"] == "numeric"
    assert columns["ratio"]["definition"] == "Debt over income."
    assert columns["ratio"]["stats"]["max"] == pytest.approx(table["ratio"].max(), abs=1e-6)
    assert columns["grade"]["n_levels"] == 3
    assert columns["sex"]["role"] == "sensitive"
    assert meta["target"]["rate"] == pytest.approx(table["bad"].mean(), abs=1e-6)


def test_content_hash_sees_a_single_changed_value() -> None:
    table = _table()
    changed = table.copy()
    changed.loc[17, "ratio"] += 1e-9
    assert content_hash(table) == content_hash(_table())
    assert content_hash(table) != content_hash(changed)


def test_splits_are_out_of_time_and_folds_keep_groups_together() -> None:
    table, _, _ = validate_model_table(_table(2_000), CONTRACT, SETTINGS)
    split = SplitParams(test_months=3, validation_months=2, n_folds=4, seed=1)
    train, validation, test, summary = split_model_input(table, CONTRACT, split)
    assert len(train) + len(validation) + len(test) == len(table)
    assert train["opened"].max() < validation["opened"].min()
    assert validation["opened"].max() < test["opened"].min()
    # the last month present is 2024-11: test is Sep-Nov, validation Jul-Aug
    assert test["opened"].max() < pd.Timestamp("2024-12-01")
    assert test["opened"].min() == pd.Timestamp("2024-09-01")
    assert validation["opened"].min() == pd.Timestamp("2024-07-01")
    assert sorted(train["fold"].unique()) == [0, 1, 2, 3]
    assert (train.groupby("client")["fold"].nunique() == 1).all()
    assert summary["train"]["fold_sizes"] == train["fold"].value_counts().sort_index().tolist()
    again = split_model_input(table, CONTRACT, split)[0]
    pd.testing.assert_frame_equal(train, again)
    other_seed = split_model_input(table, CONTRACT, split.model_copy(update={"seed": 2}))[0]
    assert not train["fold"].equals(other_seed["fold"])


def test_folds_are_stratified_so_few_positives_still_reach_every_fold() -> None:
    """5 positive clients among hundreds and 5 folds: one positive client per fold, every time.

    Assigning clients to folds at random (the earlier way) leaves some fold without a
    positive for most seeds, and the tuning then refuses the table.
    """
    table = _table(2_000)
    training_period = table["opened"] < pd.Timestamp("2024-07-01")
    five = np.sort(table.loc[training_period, "client"].unique())[:5]
    table.loc[training_period, "bad"] = 0
    table.loc[training_period & table["client"].isin(five), "bad"] = 1
    table, _, _ = validate_model_table(table, CONTRACT, SETTINGS)
    split = SplitParams(test_months=3, validation_months=2, n_folds=5, seed=0)
    for seed in range(10):
        train = split_model_input(table, CONTRACT, split.model_copy(update={"seed": seed}))[0]
        positives = train.loc[train["bad"] == 1].groupby("fold")["client"].nunique()
        assert positives.reindex(range(5), fill_value=0).tolist() == [1, 1, 1, 1, 1], seed
        assert (train.groupby("client")["fold"].nunique() == 1).all()


def test_fewer_groups_than_folds_is_refused_with_the_fix() -> None:
    table, _, _ = validate_model_table(_table(400).assign(client=0), CONTRACT, SETTINGS)
    with pytest.raises(DataContractError, match=r"1 group\(s\).*lower split.n_folds"):
        split_model_input(table, CONTRACT, SplitParams(test_months=3, validation_months=2))


def test_split_with_one_class_stops_with_the_fix() -> None:
    table, _, _ = validate_model_table(_table(2_000), CONTRACT, SETTINGS)
    table.loc[table["opened"] >= "2024-09-01", "bad"] = 0
    with pytest.raises(DataContractError) as caught:
        split_model_input(table, CONTRACT, SplitParams(test_months=3, validation_months=2))
    assert "the test split holds" in str(caught.value)
    assert "shorten test_months (3)" in str(caught.value)


def test_fold_assignment_does_not_depend_on_how_groups_are_numbered() -> None:
    """A subset's group codes have gaps (the random split's second holdout): same folds."""
    rng = np.random.default_rng(0)
    groups = rng.integers(0, 3_000, 12_000)
    y = (rng.random(12_000) < 0.1).astype(int)
    folds = splitting.stratified_group_folds(y, groups, 4, 1)
    assert np.array_equal(splitting.stratified_group_folds(y, groups * 7 + 5, 4, 1), folds)
    per_fold = [len(np.unique(groups[folds == k])) for k in range(4)]
    assert max(per_fold) - min(per_fold) <= 1  # groups dealt evenly
    rates = [y[folds == k].mean() for k in range(4)]
    assert max(rates) - min(rates) < 0.01
