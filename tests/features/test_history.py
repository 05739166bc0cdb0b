from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_risk.features.history import history_feature_names, history_features

WINDOWS = [3, 6, 12]


def _history(rows: list[tuple[int, str, float, float, int]]) -> pd.DataFrame:
    """Rows of (customer, statement date, amount due, amount paid, days past due)."""
    frame = pd.DataFrame(
        rows,
        columns=["customer_id", "statement_date", "amount_due", "amount_paid", "days_past_due"],
    )
    return frame.assign(
        statement_date=pd.to_datetime(frame["statement_date"]),
        credit_limit=1_000.0,
        balance=frame["amount_due"] * 10,
    )


def _apps(rows: list[tuple[int, int, str]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["application_id", "customer_id", "application_date"])
    return frame.assign(application_date=pd.to_datetime(frame["application_date"]))


HISTORY = _history(
    [
        (1, "2024-01-01", 50.0, 50.0, 0),
        (1, "2024-02-01", 60.0, 0.0, 30),
        (1, "2024-03-01", 70.0, 70.0, 0),
        (1, "2024-04-01", 80.0, 40.0, 60),
        (2, "2024-03-01", 10.0, 10.0, 0),
    ]
)


def test_aggregates_use_only_statements_before_the_date() -> None:
    apps = _apps([(10, 1, "2024-04-01"), (11, 1, "2024-04-02"), (12, 2, "2024-01-15")])
    out = history_features(apps, HISTORY, WINDOWS).set_index("application_id")
    # On 2024-04-01 the statement of that day is not yet known.
    assert out.loc[10, "hist_n_statements"] == 3
    assert out.loc[10, "hist_3m_worst_dpd"] == 30
    assert out.loc[10, "hist_3m_missed"] == 1
    assert out.loc[10, "hist_3m_payment_ratio"] == pytest.approx(120 / 180)
    assert out.loc[10, "hist_months_since_last_missed"] == 2
    assert out.loc[11, "hist_n_statements"] == 4
    assert out.loc[11, "hist_3m_n_statements"] == 3  # 02-02 .. 04-02: Feb is out
    assert out.loc[11, "hist_3m_worst_dpd"] == 60
    assert out.loc[11, "hist_months_since_last_missed"] == 0
    # a customer whose history starts later has none yet: counts 0, ratios missing
    assert out.loc[12, "hist_n_statements"] == 0
    assert out.loc[12, "hist_12m_missed"] == 0
    assert np.isnan(out.loc[12, "hist_12m_worst_dpd"])
    assert np.isnan(out.loc[12, "hist_12m_payment_ratio"])
    assert np.isnan(out.loc[12, "hist_months_since_last_missed"])


def test_a_later_record_does_not_change_the_features() -> None:
    apps = _apps([(10, 1, "2024-03-15")])
    before = history_features(apps, HISTORY, WINDOWS)
    later = _history([(1, "2024-03-15", 999.0, 0.0, 180), (1, "2024-06-01", 5.0, 0.0, 90)])
    after = history_features(apps, pd.concat([HISTORY, later]), WINDOWS)
    pd.testing.assert_frame_equal(before, after)
    # ...while an earlier one does: the test can fail.
    earlier = _history([(1, "2024-03-14", 999.0, 0.0, 180)])
    changed = history_features(apps, pd.concat([HISTORY, earlier]), WINDOWS)
    assert changed.loc[0, "hist_3m_worst_dpd"] == 180


def test_order_of_the_history_does_not_matter() -> None:
    apps = _apps([(10, 1, "2024-05-01"), (12, 2, "2024-05-01")])
    shuffled = HISTORY.sample(frac=1.0, random_state=3)
    pd.testing.assert_frame_equal(
        history_features(apps, HISTORY, WINDOWS), history_features(apps, shuffled, WINDOWS)
    )


def test_unknown_customer_gets_empty_windows() -> None:
    out = history_features(_apps([(10, 99, "2024-05-01")]), HISTORY, WINDOWS)
    assert out.loc[0, "hist_n_statements"] == 0
    assert np.isnan(out.loc[0, "hist_6m_mean_utilisation"])


def test_utilisation_trend_is_the_least_squares_slope() -> None:
    history = HISTORY.assign(balance=[100.0, 200.0, 300.0, 400.0, 0.0])
    out = history_features(_apps([(10, 1, "2024-05-01")]), history, [6])
    assert out.loc[0, "hist_6m_utilisation_trend"] == pytest.approx(0.1)
    assert out.loc[0, "hist_6m_mean_utilisation"] == pytest.approx(0.25)


def test_columns_match_their_names() -> None:
    out = history_features(_apps([(10, 1, "2024-05-01")]), HISTORY, WINDOWS)
    assert out.columns.tolist() == ["application_id", *history_feature_names(WINDOWS)]


def test_matches_a_brute_force_computation_on_random_data() -> None:
    rng = np.random.default_rng(0)
    n = 400
    history = _history(
        [
            (int(c), str(d.date()), float(due), float(paid), int(dpd))
            for c, d, due, paid, dpd in zip(
                rng.integers(1, 30, n),
                pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700, n), "D"),
                rng.uniform(10, 100, n),
                rng.uniform(0, 120, n),
                rng.integers(0, 120, n),
                strict=True,
            )
        ]
    ).drop_duplicates(["customer_id", "statement_date"])
    dates = pd.Timestamp("2023-03-01") + pd.to_timedelta(rng.integers(0, 700, 200), "D")
    apps = _apps([(i, int(rng.integers(1, 32)), str(d.date())) for i, d in enumerate(dates)])
    out = history_features(apps, history, [6]).set_index("application_id")
    for app in apps.itertuples():
        start = app.application_date - pd.DateOffset(months=6)
        rows = history[
            (history["customer_id"] == app.customer_id)
            & (history["statement_date"] >= start)
            & (history["statement_date"] < app.application_date)
        ]
        got = out.loc[app.application_id]
        assert got["hist_6m_n_statements"] == len(rows)
        assert got["hist_6m_missed"] == (rows["amount_paid"] < rows["amount_due"]).sum()
        expected_worst = rows["days_past_due"].max() if len(rows) else np.nan
        np.testing.assert_equal(got["hist_6m_worst_dpd"], expected_worst)
        if len(rows):
            assert got["hist_6m_mean_dpd"] == pytest.approx(rows["days_past_due"].mean())
            assert got["hist_6m_payment_ratio"] == pytest.approx(
                rows["amount_paid"].sum() / rows["amount_due"].sum()
            )


def _random_book(seed: int, customers: int = 12, statements: int = 240) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    history = pd.DataFrame(
        {
            "customer_id": rng.integers(1, customers + 1, statements),
            "statement_date": pd.Timestamp("2023-01-01")
            + pd.to_timedelta(rng.integers(0, 700, statements), "D"),
            "credit_limit": rng.uniform(500, 5_000, statements).round(2),
            "balance": rng.uniform(0, 4_000, statements).round(2),
            "amount_due": rng.uniform(25, 200, statements).round(2),
            "amount_paid": rng.uniform(0, 250, statements).round(2),
            "days_past_due": rng.integers(0, 90, statements),
        }
    )
    return history.drop_duplicates(["customer_id", "statement_date"]).reset_index(drop=True)


BAD_VALUES = [np.inf, -np.inf, np.nan, 1e-12, 0.0, 1e300, -1e300, 5e-324, 123456789.123]


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**16),
    row=st.integers(0, 10_000),
    column=st.sampled_from(["credit_limit", "balance", "amount_due", "amount_paid"]),
    value=st.one_of(st.sampled_from(BAD_VALUES), st.floats(allow_nan=True, allow_infinity=True)),
    months=st.integers(-400, 400),
)
def test_one_row_never_changes_another_customers_features(
    seed: int, row: int, column: str, value: float, months: int
) -> None:
    history = _random_book(seed)
    row %= len(history)
    customer = history.loc[row, "customer_id"]
    rng = np.random.default_rng(seed + 1)
    apps = _apps(
        [
            (i, int(c), str(d.date()))
            for i, (c, d) in enumerate(
                zip(
                    rng.integers(1, 14, 150),
                    pd.Timestamp("2023-02-01") + pd.to_timedelta(rng.integers(0, 760, 150), "D"),
                    strict=True,
                )
            )
        ]
    )
    before = history_features(apps, history, WINDOWS)
    changed = history.copy()
    changed.loc[row, column] = value
    moved = changed.loc[row, "statement_date"] + pd.DateOffset(months=months)
    if not ((changed["customer_id"] == customer) & (changed["statement_date"] == moved)).any():
        changed.loc[row, "statement_date"] = moved  # the row's date moves too, when it can
    with np.errstate(all="ignore"):  # the changed customer's own features may be NaN or inf
        after = history_features(apps, changed, WINDOWS)
    others = (apps["customer_id"] != customer).to_numpy()
    assert others.sum() > 0
    pd.testing.assert_frame_equal(
        after.loc[others].reset_index(drop=True),
        before.loc[others].reset_index(drop=True),
        check_exact=True,
    )


def test_an_infinite_balance_stays_within_its_customer() -> None:
    # The case: one statement's balance of inf made 99.76% of the 12-month
    # utilisation null across the book, through prefix sums over the whole table.
    history = _random_book(7)
    apps = _apps([(i, c, "2024-12-01") for i, c in enumerate(range(1, 13))])
    first = history.sort_values(["customer_id", "statement_date"]).index[0]
    history.loc[first, "balance"] = np.inf  # every other customer's rows come after it
    customer = history.loc[first, "customer_id"]
    with np.errstate(all="ignore"):
        out = history_features(apps, history, [12]).set_index("application_id")
    others = out.loc[apps.loc[apps["customer_id"] != customer, "application_id"]]
    assert others["hist_12m_mean_utilisation"].notna().all()


def test_a_numpy_warning_in_the_features_fails_the_tests() -> None:
    # pyproject's filterwarnings makes RuntimeWarnings raised in credit_risk.features errors.
    history = _random_book(3)
    history.loc[0, "credit_limit"] = 0.0
    with pytest.raises(RuntimeWarning):
        history_features(_apps([(1, 1, "2024-12-01")]), history, [12])
