"""The demo world's true default risk, from what a model can observe.

This is the generator's own, independent computation: it relies on the generator's
layout (history sorted by customer, one statement on the first of each month) and
does not share code with the feature pipeline, so it can serve as an oracle.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from credit_risk.demo_data.params import BiasParams

_KEY = np.int64(1 << 20)


def observable_log_odds(
    applications: pd.DataFrame,
    customers: pd.DataFrame,
    history: pd.DataFrame,
    bias: BiasParams,
) -> np.ndarray:
    """Default log-odds (without intercept) of each application.

    Non-linear in features from all three tables, with interactions and missing values
    that carry signal.

    Args:
        applications: Clean applications.
        customers: Clean customers, ``customer_id`` running from 1.
        history: Clean repayment history, sorted by customer and statement date.
        bias: The historical-bias knob.

    Returns:
        One log-odds per application, in the applications' order.
    """
    cust = customers.set_index("customer_id").loc[applications["customer_id"]]
    app_date = applications["application_date"].to_numpy().astype("datetime64[D]")
    age = (app_date - cust["birth_date"].to_numpy().astype("datetime64[D]")).astype(float) / 365.25
    income = cust["income"].to_numpy()
    rate = applications["interest_rate"].to_numpy() / 12
    term = applications["term_months"].to_numpy()
    instalment = applications["amount"].to_numpy() * rate / (1 - (1 + rate) ** -term)
    dti = np.where(np.isnan(income), 0.3, instalment / (np.nan_to_num(income, nan=1.0) / 12))
    renting = cust["home_ownership"].to_numpy() == "rent"
    employment = cust["employment_type"].to_numpy()
    years = np.nan_to_num(cust["employment_years"].to_numpy(), nan=0.0)
    missed_12, worst_6, util_3, n_prior = _history_signals(applications, history)
    logit = (
        0.45 * np.minimum(missed_12, 4)
        + 0.9 * (worst_6 >= 60)
        + 4.0 * np.maximum(util_3 - 0.75, 0)
        + 0.7 * (n_prior == 0)
        + 3.0 * np.maximum(dti - 0.15, 0) * (1 + 1.5 * renting)
        + 0.5 * np.isnan(income)
        + 0.0009 * (age - 45) ** 2
        + np.select(
            [employment == "unemployed", employment == "student", employment == "self_employed"],
            [0.8, 0.3, 0.2],
            0.0,
        )
        - 0.25 * np.log1p(years)
        + 0.6 * ((age < 25) & (employment == "unemployed"))
        + 0.3 * (applications["purpose"].to_numpy() == "debt_consolidation")
        + 0.15 * (term - 12) / 12
        + 0.1 * cust["dependents"].to_numpy()
        + 0.2 * (cust["region"].to_numpy() == "east")
    )
    if bias.enabled:
        logit = logit + bias.log_odds * (cust[bias.column].to_numpy() == bias.group)
    return np.asarray(logit, dtype=np.float64)


def _history_signals(
    applications: pd.DataFrame, history: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Missed payments (12 months), worst dpd (6), utilisation (3), rows before the date."""
    month = history["statement_date"].to_numpy().astype("datetime64[M]").astype(np.int64)
    keys = history["customer_id"].to_numpy() * _KEY + month
    app_date = applications["application_date"].to_numpy().astype("datetime64[D]")
    app_month = app_date.astype("datetime64[M]")
    after_first = (app_date > app_month.astype("datetime64[D]")).astype(np.int64)
    end_month = app_month.astype(np.int64) + after_first  # statements strictly before the date
    cust = applications["customer_id"].to_numpy() * _KEY
    hi = np.searchsorted(keys, cust + end_month)
    n_prior = hi - np.searchsorted(keys, cust)
    missed = np.concatenate(
        [[0], np.cumsum(history["amount_paid"].to_numpy() < history["amount_due"].to_numpy())]
    )
    util = np.concatenate(
        [[0.0], np.cumsum(history["balance"].to_numpy() / history["credit_limit"].to_numpy())]
    )
    dpd = history["days_past_due"].to_numpy()
    lo12 = np.searchsorted(keys, cust + end_month - 12)
    lo6 = np.searchsorted(keys, cust + end_month - 6)
    lo3 = np.searchsorted(keys, cust + end_month - 3)
    worst = np.zeros(len(hi))
    for offset in range(6):  # at most six statements in a six-month window
        idx = lo6 + offset
        inside = idx < hi
        worst[inside] = np.maximum(worst[inside], dpd[idx[inside]])
    count3 = hi - lo3
    util_3 = np.where(count3 > 0, (util[hi] - util[lo3]) / np.maximum(count3, 1), 0.0)
    return missed[hi] - missed[lo12], worst, util_3, n_prior


def calibrate_intercept(logit: np.ndarray, target_rate: float) -> float:
    """The intercept that makes the mean default probability equal ``target_rate``.

    Args:
        logit: Log-odds without intercept.
        target_rate: Wanted mean probability.

    Returns:
        The intercept, found by bisection.
    """
    low, high = -30.0, 30.0
    for _ in range(60):
        mid = (low + high) / 2
        if np.mean(1 / (1 + np.exp(-(logit + mid)))) < target_rate:
            low = mid
        else:
            high = mid
    return (low + high) / 2
