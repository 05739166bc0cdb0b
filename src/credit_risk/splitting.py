"""Test, validation and training rows, and cross-validation folds over the training rows.

With a date column the split is out of time: the latest ``test_months`` are the test
period, the ``validation_months`` before them validation, everything earlier training.
Without one, rows are split at random, stratified by the target and, when the contract
names a ``group_column``, by group (all rows of a group land in one split), seeded.
Training rows get a ``fold`` in ``0..n_folds-1``; all rows of a group share a fold.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
import pandas as pd

from credit_risk.contract import DataContract
from credit_risk.params import SplitParams
from credit_risk.validation import DataContractError

logger = logging.getLogger(__name__)

Parts = dict[str, pd.DataFrame]


def split(feature_table: pd.DataFrame, contract: DataContract, params: SplitParams) -> Parts:
    """Train (with ``fold``), validation and test rows, each with a fresh index.

    Args:
        feature_table: The validated feature table.
        contract: Column roles (the date column chooses out-of-time or random).
        params: Period lengths or fractions, number of folds and seed.

    Returns:
        ``{"train", "validation", "test"}`` frames.

    Raises:
        DataContractError: When a split would be empty or hold a single class.
    """
    if contract.date_column is not None:
        parts = _out_of_time(feature_table, contract, params)
    else:
        parts = _random(feature_table, contract, params)
    for name, part in parts.items():
        _check_split(name, part, contract, params)
    parts["train"] = parts["train"].assign(fold=_folds(parts["train"], contract, params))
    logger.info(
        "Split %d rows (%s): train %d, validation %d, test %d",
        len(feature_table),
        "out of time" if contract.date_column else "stratified random",
        len(parts["train"]),
        len(parts["validation"]),
        len(parts["test"]),
    )
    return {k: v.reset_index(drop=True) for k, v in parts.items()}


def summary(parts: Parts, contract: DataContract) -> dict[str, Any]:
    """Rows, period (with a date) and target rate of each split; fold sizes of training.

    Args:
        parts: From :func:`split`.
        contract: Column roles.

    Returns:
        Split name -> its summary.
    """
    out = {name: _split_summary(part, contract) for name, part in parts.items()}
    out["train"]["fold_sizes"] = parts["train"]["fold"].value_counts().sort_index().tolist()
    return out


def _out_of_time(frame: pd.DataFrame, contract: DataContract, params: SplitParams) -> Parts:
    month = frame[str(contract.date_column)].dt.to_period("M")
    test_start = month.max() - (params.test_months - 1)
    validation_start = test_start - params.validation_months
    return {
        "train": frame[month < validation_start],
        "validation": frame[(month >= validation_start) & (month < test_start)],
        "test": frame[month >= test_start],
    }


def _random(frame: pd.DataFrame, contract: DataContract, params: SplitParams) -> Parts:
    """Seeded stratified (and grouped) random split by the test and validation fractions."""
    y = frame[contract.target_column].to_numpy(dtype=np.int64)
    groups = _groups(frame, contract)
    test = _holdout(y, groups, params.test_fraction, params.seed)
    rest = np.flatnonzero(~test)
    share = params.validation_fraction / (1 - params.test_fraction)
    validation = np.zeros(len(frame), dtype=bool)
    validation[rest[_holdout(y[rest], groups[rest], share, params.seed + 1)]] = True
    train = ~test & ~validation
    return {"train": frame[train], "validation": frame[validation], "test": frame[test]}


def _holdout(y: np.ndarray, groups: np.ndarray, fraction: float, seed: int) -> np.ndarray:
    """Rows of one fold of ``round(1 / fraction)`` stratified, grouped folds."""
    held: np.ndarray = stratified_group_folds(y, groups, max(2, round(1 / fraction)), seed) == 0
    return held


def stratified_group_folds(
    y: np.ndarray, groups: np.ndarray, n_folds: int, seed: int
) -> np.ndarray:
    """The fold of each row: every group in one fold, defaults spread evenly over folds.

    Groups are ordered by their default rate, highest first (equal rates in an order
    drawn from ``seed``), and dealt to the folds like cards, alternately forwards and
    backwards (0, 1, ..., k-1, k-1, ..., 0), so each fold gets every k-th group of each
    rate: the defaulting groups reach every fold while there are at least k of them.
    Vectorised (one sort): scikit-learn's ``StratifiedGroupKFold`` balances a little more
    tightly but loops over groups in Python. Measured on 140,000 rows in 100,000 groups at
    an 8% default rate, 5 folds: 0.006 s against 14.7 s; fold default rates within
    0.0003 of each other (scikit-learn: 0.00004) and fold sizes within 0.7%.

    Args:
        y: 0/1 target of each row.
        groups: Group code of each row (any integers: renumbered here, so a subset's
            codes work too).
        n_folds: Number of folds.
        seed: Seed of the order among groups of equal rate.

    Returns:
        The fold number (``0 .. n_folds - 1``) of each row.
    """
    codes, groups = np.unique(groups, return_inverse=True)
    n_groups = len(codes)
    sizes = np.bincount(groups, minlength=n_groups)
    rates = np.bincount(groups, weights=y, minlength=n_groups) / np.maximum(sizes, 1)
    shuffled = np.random.default_rng(seed).permutation(n_groups)
    order = shuffled[np.argsort(-rates[shuffled], kind="stable")]
    rounds, seats = np.divmod(np.arange(n_groups), n_folds)
    group_fold = np.empty(n_groups, dtype=np.int64)
    group_fold[order] = np.where(rounds % 2 == 0, seats, n_folds - 1 - seats)
    folds: np.ndarray = group_fold[groups]
    return folds


def _groups(frame: pd.DataFrame, contract: DataContract) -> np.ndarray:
    return pd.factorize(frame[contract.group_column or contract.key], sort=True)[0]


def _check_split(
    name: str, part: pd.DataFrame, contract: DataContract, params: SplitParams
) -> None:
    classes = part[contract.target_column].nunique()
    if classes >= 2:
        return
    if contract.date_column is not None:
        column = contract.date_column
        fix = (
            f"shorten test_months ({params.test_months}) or validation_months "
            f"({params.validation_months}) under 'split' in your parameters, or provide a "
            "longer period"
        )
    else:
        column = contract.target_column
        fix = (
            f"raise test_fraction ({params.test_fraction}) or validation_fraction "
            f"({params.validation_fraction}) under 'split', or provide more rows of the rarer "
            "class"
        )
    raise DataContractError(
        contract.dataset,
        column,
        f"the {name} split holds {len(part)} rows and {classes} target class(es); "
        "it needs both classes",
        fix,
    )


def _folds(train: pd.DataFrame, contract: DataContract, params: SplitParams) -> np.ndarray:
    """Cross-validation fold of each training row: grouped and stratified by the target.

    Every group (``group_column``, or the key) stays in one fold, and each fold's default
    rate is kept close to the training rate: a fold without defaults only happens when
    there are fewer defaulting groups than folds, and one without non-defaults when there
    are fewer non-defaulting groups than folds (``fold_indices`` refuses either by name).
    """
    y = train[contract.target_column].to_numpy(dtype=np.int64)
    groups = _groups(train, contract)
    if groups.max(initial=-1) + 1 < params.n_folds:
        raise DataContractError(
            "model_input_train",
            contract.group_column or contract.key,
            f"{groups.max(initial=-1) + 1} group(s) in the training rows for "
            f"{params.n_folds} folds",
            "lower split.n_folds in your parameters or provide more rows",
        )
    return stratified_group_folds(y, groups, params.n_folds, params.seed)


def _split_summary(part: pd.DataFrame, contract: DataContract) -> dict[str, Any]:
    out: dict[str, Any] = {"rows": len(part)}
    if contract.date_column is not None:
        dates = part[contract.date_column]
        out |= {"from": f"{dates.min():%Y-%m-%d}", "to": f"{dates.max():%Y-%m-%d}"}
    out["target_rate"] = round(float(part[contract.target_column].mean()), 6)
    return out
