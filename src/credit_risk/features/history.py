"""Point-in-time aggregates of the repayment history, one row per application.

For an application dated ``t`` and a window of ``k`` months, the aggregates use only the
statements with ``t - k months <= statement_date < t``: a statement on the
application's own day, or after it, is never seen. The same function runs at training
and at scoring time.

The computation is vectorised and runs in ``O((n_history + n_apps) log n_history)``:
the history is sorted by (customer, statement date) and encoded as one integer key, each
window's bounds are found with :func:`numpy.searchsorted`, sums come from prefix sums
and the worst days-past-due from a sparse table (range-maximum queries in O(1)).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_DAY_BITS = 22  # 2**22 days is more than 11,000 years: room for any date span
_NAN = np.nan

HISTORY_COLUMNS = [
    "customer_id",
    "statement_date",
    "credit_limit",
    "balance",
    "amount_due",
    "amount_paid",
    "days_past_due",
]


def history_feature_names(windows: list[int]) -> list[str]:
    """The columns :func:`history_features` returns besides the application id.

    Args:
        windows: Window lengths in months.

    Returns:
        Column names, in order.
    """
    names = ["hist_n_statements", "hist_months_since_last_missed"]
    for k in windows:
        names += [
            f"hist_{k}m_n_statements",
            f"hist_{k}m_missed",
            f"hist_{k}m_worst_dpd",
            f"hist_{k}m_mean_dpd",
            f"hist_{k}m_mean_utilisation",
            f"hist_{k}m_payment_ratio",
            f"hist_{k}m_utilisation_trend",
        ]
    return names


def history_features(
    applications: pd.DataFrame, history: pd.DataFrame, windows: list[int]
) -> pd.DataFrame:
    """Aggregate each application's repayment history strictly before its date.

    Args:
        applications: ``application_id``, ``customer_id``, ``application_date``.
        history: The repayment history (:data:`HISTORY_COLUMNS`), in any order.
        windows: Window lengths in months, such as ``[3, 6, 12]``.

    Returns:
        One row per application, in the applications' order: ``application_id`` and the
        columns named by :func:`history_feature_names`. Counts are 0 and ratios are NaN
        where a window holds no statement.
    """
    hist = _sorted(history)
    day0 = _day0(hist, applications)
    keys, codes = _keys(hist, applications, day0)
    app_days = _days(applications["application_date"], day0)
    end = np.searchsorted(keys, codes + app_days, side="left")
    series = _prefix_sums(hist)
    out: dict[str, np.ndarray] = {
        "application_id": applications["application_id"].to_numpy(),
        "hist_n_statements": end - np.searchsorted(keys, codes, side="left"),
        "hist_months_since_last_missed": _months_since_last_missed(
            hist, series["missed_at"], end, codes, keys, applications["application_date"]
        ),
    }
    starts = {
        k: np.searchsorted(
            keys, codes + _days(applications["application_date"] - pd.DateOffset(months=k), day0)
        )
        for k in windows
    }
    longest = max((int((end - s).max(initial=0)) for s in starts.values()), default=0)
    worst = _RangeMax(hist["days_past_due"].to_numpy(dtype=np.float32), longest)
    for k, start in starts.items():
        out.update(_window(k, start, end, series, worst))
    return pd.DataFrame(out)


def _sorted(history: pd.DataFrame) -> pd.DataFrame:
    """The history ordered by (customer, statement date); a no-op when it already is."""
    ids = history["customer_id"].to_numpy()
    dates = history["statement_date"].to_numpy()
    same = ids[1:] == ids[:-1]
    if np.all((ids[1:] > ids[:-1]) | (same & (dates[1:] >= dates[:-1]))):
        return history.reset_index(drop=True)
    order = np.lexsort((dates, ids))
    return history.iloc[order].reset_index(drop=True)


def _day0(history: pd.DataFrame, applications: pd.DataFrame) -> np.datetime64:
    earliest = min(history["statement_date"].min(), applications["application_date"].min())
    return np.datetime64(pd.Timestamp(earliest).date(), "D") - np.timedelta64(400 * 31, "D")


def _days(dates: pd.Series, day0: np.datetime64) -> np.ndarray:
    days = (dates.to_numpy().astype("datetime64[D]") - day0).astype(np.int64)
    if days.size and (days.min() < 0 or days.max() >= 1 << _DAY_BITS):
        raise ValueError("dates span more than 11,000 years: check the date columns")
    return days


def _keys(
    hist: pd.DataFrame, applications: pd.DataFrame, day0: np.datetime64
) -> tuple[np.ndarray, np.ndarray]:
    """Integer keys ``customer_code << bits | day`` for history rows and the apps' customers."""
    uniques = pd.unique(hist["customer_id"].to_numpy())  # sorted, since hist is
    hist_codes = np.searchsorted(uniques, hist["customer_id"].to_numpy()).astype(np.int64)
    app_ids = applications["customer_id"].to_numpy()
    pos = np.minimum(np.searchsorted(uniques, app_ids), max(len(uniques) - 1, 0))
    known = (uniques[pos] == app_ids) if len(uniques) else np.zeros(len(app_ids), dtype=bool)
    # A customer without history gets a code past every history row: empty windows.
    app_codes = np.where(known, pos, len(uniques)).astype(np.int64)
    keys = (hist_codes << _DAY_BITS) | _days(hist["statement_date"], day0)
    return keys, app_codes << _DAY_BITS


def _prefix_sums(hist: pd.DataFrame) -> dict[str, np.ndarray]:
    """Prefix sums (with a leading 0) of the per-statement quantities windows add up."""
    due = hist["amount_due"].to_numpy(dtype=np.float64)
    paid = hist["amount_paid"].to_numpy(dtype=np.float64)
    util = hist["balance"].to_numpy(dtype=np.float64) / hist["credit_limit"].to_numpy(np.float64)
    month = hist["statement_date"].to_numpy().astype("datetime64[M]").astype(np.float64)
    month -= month.min() if month.size else 0.0
    missed = (paid < due).astype(np.float64)
    parts = {
        "missed": missed,
        "dpd": hist["days_past_due"].to_numpy(dtype=np.float64),
        "util": util,
        "paid": paid,
        "due": due,
        "t": month,
        "tt": month * month,
        "tu": month * util,
    }
    sums = {name: np.concatenate([[0.0], np.cumsum(values)]) for name, values in parts.items()}
    positions = np.arange(len(missed))
    sums["missed_at"] = (
        np.maximum.accumulate(np.where(missed > 0, positions, -1))
        if len(missed)
        else np.array([], dtype=np.int64)
    )
    return sums


def _window(
    k: int, start: np.ndarray, end: np.ndarray, s: dict[str, np.ndarray], worst: _RangeMax
) -> dict[str, np.ndarray]:
    n = (end - start).astype(np.float64)
    some = n > 0
    safe = np.where(some, n, 1.0)

    def total(name: str) -> np.ndarray:
        return np.asarray(s[name][end] - s[name][start], dtype=np.float64)

    due = total("due")
    sum_t, sum_u = total("t"), total("util")
    denominator = n * total("tt") - sum_t**2
    trend = np.where(
        denominator > 0,
        (n * total("tu") - sum_t * sum_u) / np.where(denominator > 0, denominator, 1.0),
        _NAN,
    )
    return {
        f"hist_{k}m_n_statements": (end - start).astype(np.int64),
        f"hist_{k}m_missed": total("missed").round().astype(np.int64),
        f"hist_{k}m_worst_dpd": np.where(some, worst.query(start, end), _NAN),
        f"hist_{k}m_mean_dpd": np.where(some, total("dpd") / safe, _NAN),
        f"hist_{k}m_mean_utilisation": np.where(some, sum_u / safe, _NAN),
        f"hist_{k}m_payment_ratio": np.where(
            due > 0, total("paid") / np.where(due > 0, due, 1.0), _NAN
        ),
        f"hist_{k}m_utilisation_trend": trend,
    }


def _months_since_last_missed(
    hist: pd.DataFrame,
    missed_at: np.ndarray,
    end: np.ndarray,
    codes: np.ndarray,
    keys: np.ndarray,
    app_dates: pd.Series,
) -> np.ndarray:
    """Whole months from the last missed payment before the date; NaN if none was missed."""
    first = np.searchsorted(keys, codes, side="left")
    last = np.where(end > 0, missed_at[np.maximum(end - 1, 0)] if len(missed_at) else -1, -1)
    found = (last >= first) & (last >= 0) & (end > first)
    statement = hist["statement_date"].to_numpy().astype("datetime64[M]").astype(np.int64)
    app_month = app_dates.to_numpy().astype("datetime64[M]").astype(np.int64)
    months = app_month - statement[np.where(found, last, 0)] if len(statement) else app_month
    return np.where(found, months, _NAN)


class _RangeMax:
    """Sparse table answering ``max(values[start:end])`` for many ranges at once."""

    def __init__(self, values: np.ndarray, longest: int) -> None:
        self.levels = [values]
        width = 1
        while 2 * width <= min(longest, len(values)):
            previous = self.levels[-1]
            self.levels.append(np.maximum(previous[:-width], previous[width:]))
            width *= 2

    def query(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        """Maximum over each non-empty ``[start, end)``; empty ranges give NaN."""
        length = end - start
        out = np.full(len(start), _NAN)
        some = length > 0
        level = np.floor(np.log2(np.where(some, length, 1))).astype(np.int64)
        for j in np.unique(level[some]):
            rows = some & (level == j)
            table = self.levels[j]
            out[rows] = np.maximum(table[start[rows]], table[end[rows] - (1 << j)])
        return out
