"""Behavioural checks on a LightGBM trained the project's way on the demo data."""

from __future__ import annotations

from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd
import pytest

from credit_risk.contract import DataContract
from credit_risk.models import gbm
from credit_risk.models.encoding import fit_encoder
from credit_risk.params import TrainingParams

WORSE_RECORD = {
    "hist_12m_missed": 3,
    "hist_6m_missed": 2,
    "hist_3m_missed": 1,
    "hist_12m_worst_dpd": 90.0,
    "hist_6m_worst_dpd": 60.0,
    "hist_3m_worst_dpd": 30.0,
    "hist_12m_mean_dpd": 30.0,
    "hist_6m_mean_dpd": 30.0,
    "hist_3m_mean_dpd": 30.0,
}


@pytest.fixture(scope="module")
def model(
    splits: dict[str, pd.DataFrame], contract: DataContract, training: TrainingParams
) -> tuple[lgb.Booster, dict[str, Any]]:
    encoder = fit_encoder(splits["train"], contract)
    params = {
        **gbm.base_params(
            training.lightgbm, training.seed, 1, encoder["features"], contract.monotone_constraints
        ),
        "learning_rate": 0.05,
        "num_leaves": 15,
        "min_data_in_leaf": 20,
    }
    return gbm.train(params, gbm.dataset(splits["train"], encoder, contract), 200), encoder


def test_a_worse_repayment_record_never_lowers_risk(
    model: tuple[lgb.Booster, dict[str, Any]], splits: dict[str, pd.DataFrame]
) -> None:
    booster, encoder = model
    rows = splits["test"]
    before = gbm.predict(booster, encoder, rows)

    # monotone constraints hold between observed values; a missing value (no statement
    # in the window) takes the side LightGBM learnt for it, so it is left missing
    def worse(column: str, value: float) -> pd.Series:
        return rows[column].where(rows[column].isna(), np.maximum(rows[column], value))

    for column, value in WORSE_RECORD.items():
        after = gbm.predict(booster, encoder, rows.assign(**{column: worse(column, value)}))
        assert (after >= before - 1e-12).all(), column
    everything = gbm.predict(
        booster, encoder, rows.assign(**{c: worse(c, v) for c, v in WORSE_RECORD.items()})
    )
    assert everything.mean() > before.mean()


def test_ids_and_dates_do_not_change_a_score(
    model: tuple[lgb.Booster, dict[str, Any]], splits: dict[str, pd.DataFrame]
) -> None:
    booster, encoder = model
    rows = splits["test"]
    shuffled = rows.assign(
        application_id=rows["application_id"].to_numpy()[::-1],
        customer_id=rows["customer_id"] + 10_000,
        application_date=rows["application_date"] + pd.Timedelta(days=400),
        gender=np.where(rows["gender"] == "F", "M", "F"),
    )
    np.testing.assert_array_equal(
        gbm.predict(booster, encoder, rows), gbm.predict(booster, encoder, shuffled)
    )


def test_minimum_functionality_on_hand_built_cases(
    model: tuple[lgb.Booster, dict[str, Any]], splits: dict[str, pd.DataFrame]
) -> None:
    booster, encoder = model
    template = splits["test"].iloc[[0, 0]].reset_index(drop=True)
    good = {
        "hist_12m_missed": 0,
        "hist_6m_missed": 0,
        "hist_3m_missed": 0,
        "hist_12m_worst_dpd": 0.0,
        "hist_6m_worst_dpd": 0.0,
        "hist_3m_worst_dpd": 0.0,
        "hist_12m_mean_dpd": 0.0,
        "hist_6m_mean_dpd": 0.0,
        "hist_3m_mean_dpd": 0.0,
        "hist_12m_mean_utilisation": 0.2,
        "hist_n_statements": 20,
        "instalment_to_income": 0.05,
        "employment_type": "employed",
        "employment_years": 10.0,
        "income": 60_000.0,
        "age": 45.0,
    }
    bad = {
        **good,
        **WORSE_RECORD,
        "hist_12m_mean_utilisation": 1.05,
        "instalment_to_income": 0.6,
        "employment_type": "unemployed",
        "employment_years": np.nan,
        "income": np.nan,
        "age": 21.0,
    }
    cases = pd.concat([template.iloc[[0]].assign(**good), template.iloc[[1]].assign(**bad)])
    good_p, bad_p = gbm.predict(booster, encoder, cases)
    assert bad_p > 2 * good_p
