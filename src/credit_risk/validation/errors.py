"""The error raised when a table cannot go through the pipeline at all."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from pandera.config import get_config_context


class DataContractError(ValueError):
    """A structural problem that stops the run: it names the dataset, the column and the fix.

    Row-level problems never raise this; they send the row to quarantine instead.
    """

    def __init__(self, dataset: str, column: str | None, problem: str, fix: str) -> None:
        self.dataset = dataset
        self.column = column
        where = f"column '{column}' of dataset '{dataset}'" if column else f"dataset '{dataset}'"
        super().__init__(f"Data contract violated in {where}: {problem}. Fix: {fix}")


def close_matches(name: str, candidates: Iterable[str]) -> str:
    """A hint naming the columns that look like ``name``, or an empty string.

    Args:
        name: The column that was expected.
        candidates: The columns that were found.

    Returns:
        ``" (similar columns found: 'a', 'b')"`` or ``""``.
    """
    found = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.6)
    return f" (similar columns found: {', '.join(repr(f) for f in found)})" if found else ""


class ValidationDisabledError(RuntimeError):
    """Pandera's validation is switched off, so a validating node cannot do its job."""


def require_validation(dataset: str) -> None:
    """Refuse to validate ``dataset`` when pandera's validation is switched off.

    With ``PANDERA_VALIDATION_ENABLED=False`` every schema check passes without looking at
    the data, so bad rows would reach the features and the models unquarantined.

    Args:
        dataset: The catalog name about to be validated, for the message.

    Raises:
        ValidationDisabledError: When pandera's validation is disabled.
    """
    if not get_config_context().validation_enabled:
        raise ValidationDisabledError(
            f"Cannot validate dataset '{dataset}': pandera's validation is switched off "
            "(PANDERA_VALIDATION_ENABLED=False), so every schema check would pass without "
            "looking at the data and bad rows would not be quarantined. Fix: unset "
            "PANDERA_VALIDATION_ENABLED (or set it to True) and run again."
        )
