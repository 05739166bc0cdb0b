"""pandas' CSV dataset, where a zero-byte file is a table with no rows.

pandas refuses an empty file with ``No columns to parse from file``, which names neither
the catalog entry nor a fix. Read as an empty table instead, it reaches validation, which
stops with the project's message: the dataset, ``expected at least one row, got 0``, and
what to check.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
from kedro.io.core import DatasetError
from kedro_datasets.pandas import CSVDataset as PandasCSVDataset


def empty_table_if_empty_file(load: Callable[[], Any]) -> Any:
    """Call ``load``; a file pandas found empty gives an empty DataFrame.

    Args:
        load: A dataset's load.

    Returns:
        What it loaded, or an empty DataFrame for a file without a single column.

    Raises:
        DatasetError: Any other loading failure, unchanged.
    """
    try:
        return load()
    except DatasetError as exc:
        if isinstance(exc.__cause__, pd.errors.EmptyDataError):
            return pd.DataFrame()
        raise


class CSVDataset(PandasCSVDataset):  # type: ignore[misc]  # kedro-datasets ships no types
    """``pandas.CSVDataset``, except that an empty file loads as a table of no rows."""

    def load(self) -> pd.DataFrame:
        """Load the CSV file.

        Returns:
            Its rows; none for a zero-byte file.
        """
        table: pd.DataFrame = empty_table_if_empty_file(super().load)
        return table
