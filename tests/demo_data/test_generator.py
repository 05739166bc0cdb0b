from __future__ import annotations

import hashlib
import io

import numpy as np
import pandas as pd
import pytest

from credit_risk.demo_data import DemoData, DemoDataParams, generate
from credit_risk.demo_data.generator import _run_length
from credit_risk.metrics import roc_auc


def _digest(data: DemoData) -> str:
    digest = hashlib.sha256(data.customers.to_csv(index=False).encode())
    for frame in (data.applications, data.repayment_history, data.scoring_batch, data.ground_truth):
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        digest.update(buffer.getvalue())
    return digest.hexdigest()


def _small(**changes: object) -> DemoDataParams:
    return DemoDataParams(n_customers=800, **changes)


def test_same_seed_gives_the_same_bytes() -> None:
    assert _digest(generate(_small(seed=7))) == _digest(generate(_small(seed=7)))


def test_another_seed_gives_other_data() -> None:
    assert _digest(generate(_small(seed=7))) != _digest(generate(_small(seed=8)))


def test_sizes_follow_the_parameters(demo: DemoData, demo_params: DemoDataParams) -> None:
    clean = generate(demo_params.model_copy(update={"corruption_rate": 0.0}))
    n = demo_params.n_customers
    assert len(clean.customers) == n
    assert len(clean.applications) == round(n * demo_params.applications_per_customer)
    assert len(clean.scoring_batch) == round(n * demo_params.scoring_batch_share)
    per_customer = clean.repayment_history.groupby("customer_id").size()
    assert per_customer.between(demo_params.history_rows_min, demo_params.history_rows_max).all()
    assert len(per_customer) == n


def test_history_is_monthly_and_sorted() -> None:
    clean = generate(_small(corruption_rate=0.0)).repayment_history
    assert (clean["statement_date"].dt.day == 1).all()
    gaps = clean.groupby("customer_id")["statement_date"].diff().dropna()
    assert gaps.dt.days.between(28, 31).all()


def test_application_dates_span_the_period(demo: DemoData, demo_params: DemoDataParams) -> None:
    dates = demo.applications["application_date"]
    valid = dates[dates < pd.Timestamp(demo_params.snapshot_date)]
    assert valid.min() >= pd.Timestamp(demo_params.start_date)
    assert valid.max() < pd.Timestamp(demo_params.scoring_start)
    assert (valid.max() - valid.min()).days > 600
    batch = demo.scoring_batch["application_date"]
    assert batch.min() >= pd.Timestamp(demo_params.scoring_start)


def test_ground_truth_is_kept_apart(demo: DemoData) -> None:
    assert "defaulted" not in demo.scoring_batch.columns
    for frame in (demo.applications, demo.scoring_batch, demo.customers):
        assert not {"true_pd", "bayes_pd"} & set(frame.columns)
    truth = demo.ground_truth
    n_labelled = demo.applications["application_id"].nunique()
    assert len(truth) == n_labelled + len(demo.scoring_batch)
    assert truth["application_id"].is_unique
    labelled = truth[~truth["in_scoring_batch"]]
    assert 0.08 < labelled["defaulted"].mean() < 0.16


def test_labels_follow_the_true_probabilities(demo: DemoData) -> None:
    labelled = demo.ground_truth[~demo.ground_truth["in_scoring_batch"]]
    bayes_auc = roc_auc(labelled["defaulted"].to_numpy(), labelled["bayes_pd"].to_numpy())
    assert 0.68 < bayes_auc < 0.85
    # calibrated: mean predicted equals the observed rate within sampling error
    assert abs(labelled["true_pd"].mean() - labelled["defaulted"].mean()) < 0.02


def test_features_from_all_tables_carry_signal(demo: DemoData) -> None:
    apps = demo.applications.dropna(subset=["defaulted"]).drop_duplicates("application_id")
    customers = demo.customers.drop_duplicates("customer_id")
    joined = apps.merge(customers, on="customer_id")
    income = pd.to_numeric(joined["income"], errors="coerce")
    missing_rate = joined.loc[income.isna(), "defaulted"].mean()
    assert missing_rate > joined.loc[income.notna(), "defaulted"].mean()  # missingness is signal
    missed = (
        demo.repayment_history.assign(missed=lambda h: h["amount_paid"] < h["amount_due"])
        .groupby("customer_id")["missed"]
        .mean()
    )
    joined["missed"] = joined["customer_id"].map(missed)
    # over the whole history, including statements after the application: a weak signal
    assert roc_auc(joined["defaulted"].to_numpy(int), joined["missed"].fillna(0).to_numpy()) > 0.55


def test_scoring_batch_drifts_when_asked() -> None:
    drifted = generate(_small(drift={"enabled": True, "unseen_channel": "kiosk"}))
    steady = generate(_small(drift={"enabled": False}))
    assert "kiosk" in set(drifted.scoring_batch["channel"])
    assert "kiosk" not in set(steady.scoring_batch["channel"])
    ratio = drifted.scoring_batch["amount"].median() / steady.scoring_batch["amount"].median()
    assert ratio > 1.2


@pytest.mark.parametrize("enabled", [True, False])
def test_bias_knob_moves_the_group_default_rate(enabled: bool) -> None:
    data = generate(
        DemoDataParams(
            n_customers=6_000, corruption_rate=0.0, bias={"enabled": enabled, "log_odds": 1.0}
        )
    )
    joined = data.applications.merge(data.customers, on="customer_id")
    rates = joined.groupby("gender")["defaulted"].mean()
    gap = rates["F"] - rates["M"]
    assert (gap > 0.04) if enabled else (abs(gap) < 0.025)


def test_corruption_rate_zero_gives_clean_tables() -> None:
    clean = generate(_small(corruption_rate=0.0))
    assert not clean.customers.duplicated().any()
    assert (pd.to_numeric(clean.customers["income"]).dropna() >= 0).all()
    assert clean.applications["customer_id"].notna().all()
    assert (clean.repayment_history["days_past_due"] >= 0).all()


def test_corruption_adds_each_kind_of_mess(demo: DemoData) -> None:
    customers = demo.customers
    assert customers.duplicated().any()
    assert customers["customer_id"].duplicated().sum() > customers.duplicated().sum()
    assert (customers["income"] == "unknown").any()
    assert (customers["dependents"] == 300).any()
    assert customers["region"].isna().any()
    assert customers["gender"].str.strip().str.upper().isin(["F", "M"]).all()
    assert not customers["gender"].isin(["F", "M"]).all()  # spelling variants
    assert (demo.applications["amount"] <= 0).any()
    assert demo.applications["defaulted"].isna().any()
    assert (demo.repayment_history["days_past_due"] < 0).any()


def test_periods_must_fit_before_the_snapshot() -> None:
    with pytest.raises(ValueError, match="snapshot_date 2024-06-01 is before the end"):
        DemoDataParams(snapshot_date="2024-06-01")


def test_run_length_restarts_per_customer() -> None:
    flags = np.array([1, 1, 0, 1, 1, 1, 1], dtype=bool)
    starts = np.array([1, 0, 0, 0, 0, 1, 0], dtype=bool)
    assert _run_length(flags, starts).tolist() == [1, 2, 0, 1, 2, 1, 2]
