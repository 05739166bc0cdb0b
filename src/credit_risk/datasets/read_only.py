"""A dataset that only reads: a user's own files are inputs, never outputs.

Wraps any Kedro dataset (``dataset:`` its configuration, as kedro-mlflow's artifact
datasets do). Loading and existence go to it; saving raises before anything is opened,
so no pipeline, wiring mistake or notebook ``catalog.save`` can overwrite the user's file.
"""

from __future__ import annotations

from typing import Any

from kedro.io.core import AbstractDataset, DatasetError

from credit_risk.datasets.csv import empty_table_if_empty_file


class ReadOnlyDataset(AbstractDataset[Any, Any]):
    """Reads through the wrapped dataset; refuses to save."""

    def __init__(self, dataset: dict[str, Any], metadata: dict[str, Any] | None = None) -> None:
        """Build the wrapped dataset.

        Args:
            dataset: The wrapped dataset's configuration (``type``, ``filepath``, ...).
            metadata: Kedro-viz and other metadata; not used here.
        """
        self._config = dict(dataset)
        self._dataset = AbstractDataset.from_config("read_only", self._config)
        self.metadata = metadata

    def load(self) -> Any:
        """Load through the wrapped dataset.

        Returns:
            Its data; an empty table for an empty file (validation then names it).
        """
        return empty_table_if_empty_file(self._dataset.load)

    def save(self, data: Any) -> None:
        """Refuse: this dataset is a user's input.

        Args:
            data: Not written.

        Raises:
            DatasetError: Always, naming the file.
        """
        target = self._config.get("filepath", self._config.get("type"))
        raise DatasetError(
            f"Refusing to write {target}: it is declared read-only (ReadOnlyDataset), as a "
            "user's own input. Write results to another catalog entry."
        )

    def _describe(self) -> dict[str, Any]:
        return {"read_only": True, **self._config}

    def _exists(self) -> bool:
        return bool(self._dataset.exists())
