"""A user's table made ready for the contract's schema: a row number, and a 0/1 target.

The target may hold any two values (``'bad'``/``'good'``, ``'>50K'``/``'<=50K'``, ``'Y'``/
``'N'``, or 1/0 where 1 means *good*): ``positive_class`` names the bad outcome, which
becomes 1; the other value becomes 0. Missing targets stay missing and are quarantined by
the schema. The input frame is never modified.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_risk.contract import ROW_NUMBER, DataContract
from credit_risk.validation.errors import DataContractError


def prepare_table(frame: pd.DataFrame, contract: DataContract) -> pd.DataFrame:
    """A copy of ``frame`` with the row number (when no id column) and the 0/1 target.

    Args:
        frame: The table as read.
        contract: Column roles and the positive class.

    Returns:
        The prepared copy; a missing target column is left for the schema check to name.

    Raises:
        DataContractError: The target has more than two values, or not the positive class;
            or the table already has a ``row_number`` column the contract does not name.
    """
    out = frame.copy()
    if contract.id_column is None:
        if ROW_NUMBER in out.columns:
            raise DataContractError(
                contract.dataset,
                ROW_NUMBER,
                "the table has this column, but the contract names no id_column, so the "
                "loop would add its own row number under this name",
                f"set id_column: {ROW_NUMBER} in the data contract, or rename the column",
            )
        out.insert(0, ROW_NUMBER, np.arange(len(out), dtype=np.int64))
    if contract.target_column in out.columns:
        out[contract.target_column] = binary_target(out[contract.target_column], contract)
    return out


def binary_target(values: pd.Series, contract: DataContract) -> pd.Series:
    """1 where the value is the positive (bad) class, 0 for the other value, NA if missing.

    Args:
        values: The target column as read.
        contract: The target's name and positive class, for the mapping and messages.

    Returns:
        A nullable integer series (nullable float when the target was coded 0/1 with
        stray values: the schema's coercion and ``isin`` check quarantine those).

    Raises:
        DataContractError: More than two distinct values, or the positive class absent.
    """
    present = values.dropna()
    positive = _matches(present, contract.positive_class)
    classes = sorted(set(present.astype(str).str.strip()))
    coded = _zero_one_coded(present, contract.positive_class)
    if len(classes) > 2 and not coded:
        raise DataContractError(
            contract.dataset,
            contract.target_column,
            f"expected a binary target, got {len(classes)} distinct values: {classes[:10]}",
            "map it to two values in your source (or filter the rows of the extra classes), "
            "and name the bad outcome with data_contract.positive_class",
        )
    if len(classes) >= 2 and not positive.any():
        raise DataContractError(
            contract.dataset,
            contract.target_column,
            f"positive_class {contract.positive_class!r} does not occur; its values are {classes}",
            f"set data_contract.positive_class to the value meaning the bad outcome, one of "
            f"{classes}",
        )
    if coded:  # 0/1 already: flip when 0 is the bad class; other values stay, quarantined
        number = values.astype("Float64")
        is_01 = number.isin([0.0, 1.0])
        return number.mask(is_01, (number == float(contract.positive_class)).astype("Float64"))
    mapped = pd.Series(pd.NA, index=values.index, dtype="Int64")
    mapped[present.index] = positive.astype(np.int64).to_numpy()
    return mapped


def _zero_one_coded(values: pd.Series, positive: bool | int | float | str) -> bool:
    """A numeric target whose positive class is 0 or 1: values other than 0/1 are errors."""
    return (
        pd.api.types.is_numeric_dtype(values)
        and not isinstance(positive, str)
        and float(positive) in (0.0, 1.0)
    )


def _matches(values: pd.Series, positive: bool | int | float | str) -> pd.Series:
    """Equality with the positive class, numeric when both sides are numbers, else as text."""
    if pd.api.types.is_numeric_dtype(values) and not isinstance(positive, str):
        return values.astype(np.float64) == float(positive)
    return values.astype(str).str.strip() == str(positive).strip()
