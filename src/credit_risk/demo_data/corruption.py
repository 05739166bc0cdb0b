"""Real-world mess, added to clean raw tables at a configurable rate.

Each kind of mess touches about ``rate`` (or a stated fraction of it) of the rows, so
the validation layer has something to normalise, to quarantine and to report:

- spelling variants of categories (fixable: normalised, not quarantined);
- impossible values (negative money, future dates, out-of-range counts);
- values of the wrong type (text in a numeric column);
- duplicated rows, exact and conflicting;
- nulls where a value is required.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd


def _pick(rng: np.random.Generator, n: int, share: float) -> np.ndarray:
    """Row positions for one kind of mess: ``share`` of ``n`` rows, at least one if share > 0."""
    size = min(n, int(np.ceil(n * share))) if share > 0 else 0
    return np.sort(rng.choice(n, size, replace=False))


def _respell(rng: np.random.Generator, values: pd.Series, rows: np.ndarray) -> pd.Series:
    """Upper-case, pad or hyphenate the values at ``rows``."""
    out = values.astype(object).copy()
    styles = rng.integers(0, 3, len(rows))
    picked = out.iloc[rows].astype(str)
    respelt = np.where(
        styles == 0,
        picked.str.upper(),
        np.where(styles == 1, " " + picked.str.title() + " ", picked.str.replace("_", "-")),
    )
    out.iloc[rows] = respelt
    return out.astype("str")


def _duplicate(rng: np.random.Generator, frame: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Append exact copies of ``rate / 4`` of the rows at random positions."""
    copies = frame.iloc[_pick(rng, len(frame), rate / 4)]
    both = pd.concat([frame, copies], ignore_index=True)
    order = np.argsort(np.concatenate([np.arange(len(frame)), copies.index + 0.5]), kind="stable")
    return both.iloc[order].reset_index(drop=True)


def corrupt_customers(
    rng: np.random.Generator, customers: pd.DataFrame, rate: float, snapshot: dt.date
) -> pd.DataFrame:
    """Mess up the customers table (written as CSV, so text can hide in numbers).

    Args:
        rng: The generator's random state.
        customers: Clean customers.
        rate: Share of rows each kind of mess touches.
        snapshot: Extraction date; later dates are impossible.

    Returns:
        A new, messy frame.
    """
    out = customers.copy()
    n = len(out)
    for column in ("gender", "region", "employment_type", "home_ownership"):
        out[column] = _respell(rng, out[column], _pick(rng, n, rate))
    income = out["income"].astype(object)
    negative = _pick(rng, n, rate / 4)
    income.iloc[negative] = -income.iloc[negative].fillna(1000.0)
    income.iloc[_pick(rng, n, rate / 8)] = "unknown"
    out["income"] = income
    out.loc[_pick(rng, n, rate / 8), "dependents"] = 300
    future = np.datetime64(snapshot, "D") + np.timedelta64(400, "D")
    out.loc[_pick(rng, n, rate / 8), "birth_date"] = future
    region = out["region"].astype(object)
    region.iloc[_pick(rng, n, rate / 8)] = None
    out["region"] = region.astype("str")
    conflicting = out.iloc[_pick(rng, n, rate / 8)].copy()
    conflicting["dependents"] = conflicting["dependents"] + 1
    return _duplicate(rng, pd.concat([out, conflicting], ignore_index=True), rate)


def corrupt_applications(
    rng: np.random.Generator, applications: pd.DataFrame, rate: float, snapshot: dt.date
) -> pd.DataFrame:
    """Mess up the applications table.

    Args:
        rng: The generator's random state.
        applications: Clean, labelled applications.
        rate: Share of rows each kind of mess touches.
        snapshot: Extraction date; later dates are impossible.

    Returns:
        A new, messy frame.
    """
    out = applications.copy()
    n = len(out)
    for column in ("purpose", "channel"):
        out[column] = _respell(rng, out[column], _pick(rng, n, rate))
    out.loc[_pick(rng, n, rate / 4), "amount"] = -out["amount"].iloc[0]
    out.loc[_pick(rng, n, rate / 8), "term_months"] = 7
    out.loc[_pick(rng, n, rate / 8), "application_date"] = np.datetime64(snapshot, "D") + 30
    out["customer_id"] = out["customer_id"].astype("Int64")
    out.loc[_pick(rng, n, rate / 8), "customer_id"] = pd.NA
    out["defaulted"] = out["defaulted"].astype("Int64")
    out.loc[_pick(rng, n, rate / 8), "defaulted"] = pd.NA
    return _duplicate(rng, out, rate)


def corrupt_history(rng: np.random.Generator, history: pd.DataFrame, rate: float) -> pd.DataFrame:
    """Mess up the repayment history.

    Args:
        rng: The generator's random state.
        history: Clean repayment history.
        rate: Share of rows each kind of mess touches.

    Returns:
        A new, messy frame.
    """
    out = history.copy()
    n = len(out)
    out.loc[_pick(rng, n, rate / 4), "days_past_due"] = -30
    out.loc[_pick(rng, n, rate / 8), "amount_paid"] = -1.0
    out.loc[_pick(rng, n, rate / 8), "statement_date"] = pd.NaT
    return _duplicate(rng, out, rate)
