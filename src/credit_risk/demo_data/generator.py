"""Generate the raw tables of a consumer-loan business, seeded and vectorised.

The generator first draws a clean world (customers, their monthly repayment history,
loan applications), then computes each application's true default log-odds from what a
model can observe at the application date (customer and application attributes, and
the repayment history strictly before that date), draws the labels, and only then adds
real-world mess (spelling variants, impossible values, duplicates, missing required
values) to the raw tables. The ground truth is kept apart from the raw tables.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_risk.demo_data.corruption import (
    corrupt_applications,
    corrupt_customers,
    corrupt_history,
)
from credit_risk.demo_data.params import DemoDataParams, add_months
from credit_risk.demo_data.risk import calibrate_intercept, observable_log_odds
from credit_risk.schemas import vocabulary

logger = logging.getLogger(__name__)

# The schemas' vocabulary as arrays to draw from.
GENDERS = np.array(vocabulary.GENDERS)
REGIONS = np.array(vocabulary.REGIONS)
EMPLOYMENT_TYPES = np.array(vocabulary.EMPLOYMENT_TYPES)
HOME_OWNERSHIP = np.array(vocabulary.HOME_OWNERSHIP)
PURPOSES = np.array(vocabulary.PURPOSES)
CHANNELS = np.array(vocabulary.CHANNELS)
TERMS = np.array(vocabulary.TERMS)


@dataclass(frozen=True)
class DemoData:
    """The raw tables and the ground truth, as written to ``data/01_raw``."""

    customers: pd.DataFrame
    applications: pd.DataFrame
    repayment_history: pd.DataFrame
    scoring_batch: pd.DataFrame
    ground_truth: pd.DataFrame


def generate(params: DemoDataParams) -> DemoData:
    """Draw the whole demo world from one seed.

    Args:
        params: Size, seed, periods and knobs.

    Returns:
        The raw tables (with mess at ``params.corruption_rate``) and the ground truth.
    """
    rng = np.random.default_rng(params.seed)
    customers, discipline = _customers(rng, params)
    history = _history(rng, params, customers, discipline)
    n_apps = round(params.n_customers * params.applications_per_customer)
    n_batch = max(1, round(params.n_customers * params.scoring_batch_share))
    apps = _applications(rng, params, n_apps, first_id=1, scoring=False)
    batch = _applications(rng, params, n_batch, first_id=n_apps + 1, scoring=True)
    truth = _ground_truth(rng, params, customers, history, pd.concat([apps, batch]))
    labels = truth.loc[~truth["in_scoring_batch"], ["application_id", "defaulted"]]
    apps = apps.merge(labels, on="application_id", how="left", validate="one_to_one")
    logger.info(
        "Drew %d customers, %d applications (default rate %.3f), %d history rows, "
        "%d scoring applications",
        len(customers),
        len(apps),
        apps["defaulted"].mean(),
        len(history),
        len(batch),
    )
    rate = params.corruption_rate
    return DemoData(
        customers=corrupt_customers(rng, customers, rate, params.snapshot_date),
        applications=corrupt_applications(rng, apps, rate, params.snapshot_date),
        repayment_history=corrupt_history(rng, history, rate),
        scoring_batch=batch,
        ground_truth=truth,
    )


def _customers(rng: np.random.Generator, params: DemoDataParams) -> tuple[pd.DataFrame, np.ndarray]:
    n = params.n_customers
    start = np.datetime64(params.start_date, "D")
    age = 18 + 57 * rng.beta(2.0, 3.0, n)
    employment = rng.choice(EMPLOYMENT_TYPES[:3], n, p=[0.76, 0.15, 0.09])
    employment = np.where((age >= 63) & (rng.random(n) < 0.75), "retired", employment)
    employment = np.where((age < 24) & (rng.random(n) < 0.45), "student", employment)
    working = np.isin(employment, ["employed", "self_employed"])
    years = np.minimum(age - 18, rng.gamma(2.0, 4.0, n)).round(1)
    years = np.where(working & (rng.random(n) > 0.05), years, np.nan)
    log_income = np.log(30_000) + 0.35 * working + 0.012 * (np.minimum(age, 55) - 40)
    income = np.exp(log_income + rng.normal(0, 0.45, n)).round(-2)
    income = np.where(rng.random(n) < 0.08, np.nan, income)
    home_p = np.where(age[:, None] < 30, [0.05, 0.1, 0.7, 0.15], [0.3, 0.4, 0.25, 0.05])
    home = HOME_OWNERSHIP[(rng.random(n)[:, None] > np.cumsum(home_p, axis=1)).sum(axis=1)]
    frame = pd.DataFrame(
        {
            "customer_id": np.arange(1, n + 1, dtype=np.int64),
            "birth_date": start - (age * 365.25).astype("timedelta64[D]"),
            "gender": rng.choice(GENDERS, n, p=[0.48, 0.52]),
            "region": rng.choice(REGIONS, n, p=[0.22, 0.2, 0.18, 0.15, 0.25]),
            "income": income,
            "employment_type": employment,
            "employment_years": years,
            "home_ownership": home,
            "dependents": np.minimum(rng.poisson(0.9, n), 6).astype(np.int64),
            "signup_date": start - rng.integers(30, 2_000, n).astype("timedelta64[D]"),
        }
    )
    return frame, rng.normal(0.0, 1.0, n)


def _history(
    rng: np.random.Generator,
    params: DemoDataParams,
    customers: pd.DataFrame,
    discipline: np.ndarray,
) -> pd.DataFrame:
    n = len(customers)
    length = rng.integers(params.history_rows_min, params.history_rows_max + 1, n)
    last_offset = params.application_months + params.scoring_months
    first = rng.integers(-14, np.maximum(last_offset - length, -13) + 1)
    owner = np.repeat(np.arange(n), length)
    starts = np.cumsum(length) - length
    step = np.arange(len(owner)) - np.repeat(starts, length)
    month0 = np.datetime64(params.start_date, "M")
    statement = (month0 + first[owner] + step).astype("datetime64[D]")
    income = customers["income"].to_numpy()
    limit = np.where(np.isnan(income), 4_000, income * 0.25) * rng.lognormal(0, 0.3, n)
    limit = np.maximum(500, limit.round(-2))
    base_util = 1 / (1 + np.exp(-(-0.6 * discipline + rng.normal(-0.4, 0.6, n))))
    util = np.clip(base_util[owner] + rng.normal(0, 0.12, len(owner)), 0.0, 1.15)
    balance = (util * limit[owner]).round(2)
    due = np.maximum(25.0, 0.03 * balance).round(2)
    miss_p = 1 / (1 + np.exp(-(-3.0 - 1.3 * discipline[owner] + 1.5 * (util > 0.9))))
    missed = rng.random(len(owner)) < miss_p
    paid = np.where(
        missed, due * rng.uniform(0, 0.6, len(owner)), due * rng.uniform(1, 3, len(owner))
    )
    run = _run_length(missed, step == 0)
    dpd = np.where(run > 0, np.minimum(30 * run, 180) - rng.integers(0, 15, len(owner)), 0)
    return pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[owner],
            "statement_date": statement,
            "credit_limit": limit[owner],
            "balance": balance,
            "amount_due": due,
            "amount_paid": np.minimum(paid, np.maximum(balance, due)).round(2),
            "days_past_due": dpd.astype(np.int64),
        }
    )


def _run_length(flag: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Length of the current run of consecutive ``True`` values, restarting at ``starts``."""
    count = np.cumsum(flag)
    base = np.where(~flag | starts, count - flag, 0)
    return count - np.maximum.accumulate(base)


def _applications(
    rng: np.random.Generator,
    params: DemoDataParams,
    size: int,
    first_id: int,
    scoring: bool,
) -> pd.DataFrame:
    n_cust = params.n_customers
    customer = np.concatenate(
        [
            rng.permutation(n_cust)[: min(size, n_cust)],
            rng.integers(0, n_cust, max(0, size - n_cust)),
        ]
    )
    period_start = np.datetime64(params.scoring_start if scoring else params.start_date, "D")
    months = params.scoring_months if scoring else params.application_months
    period_end = np.datetime64(
        add_months(params.scoring_start if scoring else params.start_date, months), "D"
    )
    days = rng.integers(0, int((period_end - period_start).astype(int)), size)
    drift = params.drift if scoring and params.drift.enabled else None
    term_p = [0.15, 0.3, 0.3, 0.15, 0.1]
    if drift is not None:
        term_p = [
            *(np.array(term_p[:3]) / sum(term_p[:3]) * (1 - drift.long_term_share)),
            drift.long_term_share / 2,
            drift.long_term_share / 2,
        ]
    amount = rng.lognormal(np.log(7_000), 0.6, size) * (drift.amount_multiplier if drift else 1.0)
    channel = rng.choice(CHANNELS, size, p=[0.25, 0.4, 0.15, 0.2]).astype(object)
    if drift is not None:
        channel[rng.random(size) < drift.unseen_channel_share] = drift.unseen_channel
    frame = pd.DataFrame(
        {
            "application_id": np.arange(first_id, first_id + size, dtype=np.int64),
            "customer_id": customer.astype(np.int64) + 1,
            "application_date": period_start + days.astype("timedelta64[D]"),
            "amount": np.maximum(500.0, amount.round(-1)),
            "term_months": rng.choice(TERMS, size, p=term_p).astype(np.int64),
            "interest_rate": np.clip(rng.normal(0.11, 0.03, size), 0.03, 0.3).round(4),
            "purpose": rng.choice(PURPOSES, size, p=[0.25, 0.15, 0.3, 0.08, 0.07, 0.15]),
            "channel": pd.array(channel, dtype="str"),
        }
    )
    return frame.sort_values(["application_date", "application_id"], ignore_index=True)


def _ground_truth(
    rng: np.random.Generator,
    params: DemoDataParams,
    customers: pd.DataFrame,
    history: pd.DataFrame,
    applications: pd.DataFrame,
) -> pd.DataFrame:
    logit = observable_log_odds(applications, customers, history, params.bias)
    noise = (
        rng.normal(0.0, params.noise_sd, len(logit))
        if params.noise_sd > 0
        else np.zeros(len(logit))
    )
    in_batch = applications["application_date"].to_numpy() >= np.datetime64(
        params.scoring_start, "D"
    )
    intercept = calibrate_intercept(logit[~in_batch] + noise[~in_batch], params.target_default_rate)
    true_pd = 1 / (1 + np.exp(-(logit + noise + intercept)))
    # E[sigmoid(x + e)] for e ~ N(0, s^2) is close to sigmoid(x / sqrt(1 + pi s^2 / 8)):
    # the best probability any model can give from what it observes.
    shrink = np.sqrt(1 + np.pi * params.noise_sd**2 / 8)
    return pd.DataFrame(
        {
            "application_id": applications["application_id"].to_numpy(),
            "true_pd": true_pd,
            "bayes_pd": 1 / (1 + np.exp(-(logit + intercept) / shrink)),
            "defaulted": (rng.random(len(logit)) < true_pd).astype(np.int64),
            "in_scoring_batch": in_batch,
        }
    )
