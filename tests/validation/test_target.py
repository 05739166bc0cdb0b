"""A user's target, id and splits as the contract describes them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from credit_risk import splitting
from credit_risk.contract import ROW_NUMBER, DataContract
from credit_risk.params import SplitParams
from credit_risk.validation import DataContractError
from credit_risk.validation.target import binary_target, prepare_table


def _contract(**kwargs: object) -> DataContract:
    return DataContract(dataset="loans", target_column="y", numeric_columns=["x"], **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("values", "positive", "expected"),
    [
        (["bad", "good", "good", None], "bad", [1, 0, 0, None]),
        ([">50K", "<=50K", " >50K"], ">50K", [1, 0, 1]),
        (["Y", "N"], "Y", [1, 0]),
        ([1, 0, 0], 0, [0, 1, 1]),  # 1 means good: the bad outcome is 0
        ([True, False], True, [1, 0]),
    ],
)
def test_positive_class_becomes_1_and_the_other_value_0(
    values: list[object], positive: object, expected: list[object]
) -> None:
    mapped = binary_target(pd.Series(values), _contract(positive_class=positive))
    assert [None if pd.isna(v) else int(v) for v in mapped] == expected


def test_a_target_with_three_values_stops_naming_them() -> None:
    with pytest.raises(DataContractError) as caught:
        binary_target(pd.Series(["bad", "good", "unknown"]), _contract(positive_class="bad"))
    message = str(caught.value)
    assert "column 'y' of dataset 'loans'" in message
    assert "3 distinct values: ['bad', 'good', 'unknown']" in message


def test_a_positive_class_absent_from_the_data_stops_with_the_values_present() -> None:
    with pytest.raises(DataContractError) as caught:
        binary_target(pd.Series(["bad", "good"]), _contract(positive_class="Bad"))
    assert "positive_class 'Bad' does not occur; its values are ['bad', 'good']" in str(
        caught.value
    )


def test_without_an_id_column_the_row_number_is_the_id_and_the_input_is_untouched() -> None:
    raw = pd.DataFrame({"y": ["bad", "good", "good"], "x": [1.0, 2.0, 3.0]})
    before = raw.copy()
    prepared = prepare_table(raw, _contract(positive_class="bad"))
    assert prepared[ROW_NUMBER].tolist() == [0, 1, 2]
    assert prepared["y"].tolist() == [1, 0, 0]
    pd.testing.assert_frame_equal(raw, before)


def test_a_row_number_column_the_contract_does_not_name_is_refused() -> None:
    raw = pd.DataFrame({ROW_NUMBER: [5, 6], "y": [0, 1], "x": [1.0, 2.0]})
    with pytest.raises(DataContractError, match="set id_column: row_number"):
        prepare_table(raw, _contract())


def _table(n: int = 1_000, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame(
        {
            ROW_NUMBER: np.arange(n),
            "y": (rng.uniform(size=n) < 0.1).astype(np.int64),
            "x": rng.normal(size=n),
            "g": rng.integers(0, 300, n),
        }
    )


def test_without_a_date_the_split_is_random_stratified_seeded_and_grouped() -> None:
    table = _table()
    contract = _contract(group_column="g")
    params = SplitParams(test_fraction=0.2, validation_fraction=0.15, seed=7)
    parts = splitting.split(table, contract, params)
    sizes = {k: len(v) for k, v in parts.items()}
    assert sum(sizes.values()) == len(table)
    assert 0.15 < sizes["test"] / len(table) < 0.25
    groups = {k: set(v["g"]) for k, v in parts.items()}
    assert not groups["train"] & groups["test"]
    assert not groups["train"] & groups["validation"]
    assert not groups["validation"] & groups["test"]
    rate = table["y"].mean()
    for part in parts.values():
        assert abs(part["y"].mean() - rate) < 0.03  # stratified
    again = splitting.split(table, contract, params)
    for name, part in parts.items():
        pd.testing.assert_frame_equal(part, again[name])
    summary = splitting.summary(parts, contract)
    assert "from" not in summary["test"]
    assert sum(summary["train"]["fold_sizes"]) == sizes["train"]


def test_a_random_split_without_the_rarer_class_names_the_fix() -> None:
    table = _table(n=40).assign(y=0)
    table.loc[0, "y"] = 1
    with pytest.raises(DataContractError, match="raise test_fraction"):
        splitting.split(table, _contract(), SplitParams())
