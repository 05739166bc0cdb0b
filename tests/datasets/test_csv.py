"""An empty CSV file reaches validation as a table of no rows, whichever way it is read."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from kedro.io.core import DatasetError

from credit_risk.datasets import CSVDataset, ReadOnlyDataset


def test_a_zero_byte_file_loads_as_a_table_of_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_bytes(b"")
    assert CSVDataset(filepath=str(path)).load().empty
    wrapped = ReadOnlyDataset({"type": "pandas.CSVDataset", "filepath": str(path)})
    assert wrapped.load().empty


def test_a_file_with_rows_loads_them_and_other_failures_still_raise(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    pd.DataFrame({"a": [1, 2]}).to_csv(path, index=False)
    assert CSVDataset(filepath=str(path)).load()["a"].tolist() == [1, 2]
    with pytest.raises(DatasetError, match=r"missing\.csv"):
        CSVDataset(filepath=str(tmp_path / "missing.csv")).load()
