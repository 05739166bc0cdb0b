from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score

from credit_risk.contract import DataContract
from credit_risk.models import baselines, ensemble
from credit_risk.params import LogisticParams


def test_constant_prior_is_the_training_rate(
    splits: dict[str, pd.DataFrame], contract: DataContract
) -> None:
    spec = baselines.fit_constant(splits["train"], contract)
    assert spec["prior"] == pytest.approx(splits["train"]["defaulted"].mean())
    assert np.all(baselines.predict_constant(spec, splits["test"]) == spec["prior"])


def test_logistic_spec_predicts_like_the_fitted_model(
    splits: dict[str, pd.DataFrame], contract: DataContract
) -> None:
    spec = baselines.fit_logistic(splits["train"], contract, LogisticParams(), seed=0)
    p = baselines.predict_logistic(spec, splits["validation"])
    assert p.shape == (len(splits["validation"]),)
    assert roc_auc_score(splits["validation"]["defaulted"], p) > 0.6
    assert p.mean() == pytest.approx(splits["train"]["defaulted"].mean(), abs=0.05)
    again = baselines.fit_logistic(splits["train"], contract, LogisticParams(), seed=0)
    assert again == spec


def test_logistic_handles_unseen_levels_and_missing_values(
    splits: dict[str, pd.DataFrame], contract: DataContract
) -> None:
    spec = baselines.fit_logistic(splits["train"], contract, LogisticParams(), seed=0)
    rows = splits["test"].head(3).copy()
    rows["channel"] = ["never_seen", None, "online"]
    rows["income"] = np.nan
    p = baselines.predict_logistic(spec, rows)
    assert np.isfinite(p).all()
    other = rows.assign(channel=["also_unseen", None, "online"])
    assert baselines.predict_logistic(spec, other)[0] == pytest.approx(p[0])  # same bucket


def test_rare_levels_share_the_other_bucket() -> None:
    contract = DataContract(
        id_column="id",
        target_column="y",
        date_column="d",
        categorical_columns=["c"],
        numeric_columns=["x"],
    )
    frame = pd.DataFrame(
        {"c": ["a"] * 60 + ["b"] * 39 + ["rare"], "x": np.arange(100.0), "y": [0, 1] * 50}
    )
    spec = baselines.fit_logistic(frame, contract, LogisticParams(min_level_share=0.05), seed=0)
    assert spec["categorical"]["c"] == ["a", "b"]
    assert "c=__other__" in spec["coefficients"]


def test_blend_weight_is_chosen_on_held_out_rows() -> None:
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 2_000)
    good = np.clip(0.5 + (y - 0.5) * 0.6 + rng.normal(0, 0.1, 2_000), 0.01, 0.99)
    noise = rng.uniform(0.01, 0.99, 2_000)
    spec = ensemble.fit_blend(
        "good", "noise", {"good": good, "noise": noise}, y, ensemble.EnsembleParams(grid_points=11)
    )
    assert spec["weights"] == {"good": 1.0, "noise": 0.0}
    assert spec["fitted_on"] == "validation"
    half = ensemble.blend({"a": 0.5, "b": 0.5}, {"a": np.array([0.2]), "b": np.array([0.8])})
    assert half[0] == pytest.approx(0.5)
