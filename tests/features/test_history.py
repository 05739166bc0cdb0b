from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

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
