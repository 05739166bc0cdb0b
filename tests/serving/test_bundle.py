"""The scoring bundle: a faithful round trip, refused when altered, honest explanations."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from credit_risk.checksums import ChecksumMismatchError
from credit_risk.models import baselines, gbm
from credit_risk.models.encoding import encode
from credit_risk.serving import bundle
from credit_risk.serving.bundle import ScoringModel


def _logit(p: np.ndarray) -> np.ndarray:
    return np.log(p / (1 - p))


def test_round_trip_scores_identically(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    digest = bundle.write(scoring_model, tmp_path / "b")
    loaded = bundle.read(tmp_path / "b", manifest_sha256=digest)
    test = splits["test"]
    assert np.array_equal(loaded.score(test), scoring_model.score(test))
    assert loaded.candidate == "ensemble" and loaded.threshold == 0.2
    assert loaded.info["manifest_sha256"] == digest
    assert bundle.write(loaded, tmp_path / "again") == digest  # byte-stable


@pytest.mark.parametrize("name", ["lightgbm_model.txt", "logistic_model.json", "reference.parquet"])
def test_an_altered_file_is_refused_by_name(
    scoring_model: ScoringModel, tmp_path: Path, name: str
) -> None:
    bundle.write(scoring_model, tmp_path)
    path = tmp_path / name
    path.write_bytes(path.read_bytes()[:-3] + b"xyz")
    with pytest.raises(ChecksumMismatchError, match=re.escape(name)):
        bundle.read(tmp_path)


def test_an_altered_manifest_is_refused(scoring_model: ScoringModel, tmp_path: Path) -> None:
    digest = bundle.write(scoring_model, tmp_path)
    manifest = tmp_path / bundle.MANIFEST
    manifest.write_text(manifest.read_text().replace('"threshold": 0.2', '"threshold": 0.9'))
    with pytest.raises(ChecksumMismatchError, match="registry recorded"):
        bundle.read(tmp_path, manifest_sha256=digest)


def test_lightgbm_contributions_add_up_to_its_log_odds(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    lgb_only = dataclasses.replace(scoring_model, candidate="lightgbm_tuned")
    rows = splits["test"].head(200)
    contributions = lgb_only.contributions(rows)
    bias = lgb_only.booster.predict(encode(rows, lgb_only.encoder), pred_contrib=True)[:, -1]
    raw = lgb_only.booster.predict(encode(rows, lgb_only.encoder), raw_score=True)
    assert np.allclose(contributions.sum(axis=1) + bias, raw)


def test_logistic_contributions_are_exact_linear_shap(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    rows = splits["test"].head(200)
    spec, reference = scoring_model.logistic, scoring_model.reference
    contributions = baselines.logistic_contributions(spec, rows, reference)
    assert set(contributions.columns) == set(spec["numeric"]) | set(spec["categorical"])
    expected = _logit(baselines.predict_logistic(spec, rows)) - np.mean(
        _logit(baselines.predict_logistic(spec, reference))
    )
    assert np.allclose(contributions.sum(axis=1), expected)


def test_ensemble_contributions_are_the_weighted_members(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    rows = splits["test"].head(100)
    weights = scoring_model.blend["weights"]
    lgb_part = scoring_model.booster.predict(
        encode(rows, scoring_model.encoder), pred_contrib=True
    )[:, :-1]
    linear = baselines.logistic_contributions(
        scoring_model.logistic, rows, scoring_model.reference
    ).reindex(columns=scoring_model.features, fill_value=0.0)
    expected = weights["lightgbm"] * lgb_part + weights["logistic"] * linear.to_numpy()
    assert np.allclose(scoring_model.contributions(rows).to_numpy(), expected)


def test_reason_codes_are_the_largest_risk_increasing_features(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    rows = splits["test"].head(300)
    contributions = scoring_model.contributions(rows)
    reasons = scoring_model.reason_codes(rows, top=3)
    for i, row in contributions.iterrows():
        positive = row[row > 0].sort_values(ascending=False, kind="stable")
        expected = list(positive.index[:3]) + [None] * (3 - min(3, len(positive)))
        got = [reasons.loc[i, f"reason_{k}"] for k in (1, 2, 3)]
        assert got == expected
        assert reasons.loc[i, "reason_1_contribution"] == pytest.approx(positive.iloc[0])


def test_a_candidate_that_cannot_be_served_is_refused(scoring_model: ScoringModel) -> None:
    with pytest.raises(ValueError, match="constant_prior"):
        dataclasses.replace(scoring_model, candidate="constant_prior")


def test_lightgbm_candidate_scores_as_the_booster(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame]
) -> None:
    lgb_only = dataclasses.replace(scoring_model, candidate="lightgbm_tuned")
    test = splits["test"]
    assert np.array_equal(
        lgb_only.score(test), gbm.predict(scoring_model.booster, scoring_model.encoder, test)
    )


def test_the_reference_sample_is_seeded_in_order_and_capped(
    splits: dict[str, pd.DataFrame], scoring_model: ScoringModel
) -> None:
    train, features = splits["train"], scoring_model.features
    sample = bundle.reference_sample(train, features, 100, seed=3)
    assert list(sample.columns) == features and len(sample) == 100
    assert sample.equals(bundle.reference_sample(train, features, 100, seed=3))
    assert not sample.equals(bundle.reference_sample(train, features, 100, seed=4))
    picked = train.sample(n=100, random_state=3).sort_index()
    assert sample.equals(picked[features].reset_index(drop=True))
    assert len(bundle.reference_sample(train, features, 10 * len(train), seed=3)) == len(train)


def test_lineage_records_the_run_the_data_and_the_training_period() -> None:
    dates = pd.Series(pd.to_datetime(["2023-03-05", "2022-01-31", "2023-12-01"]))
    info = bundle.lineage({"roc_auc": 0.7}, {"run_id": "R", "git_commit": "c"}, "h", dates)
    assert info == {
        "metrics": {"roc_auc": 0.7},
        "kedro_run_id": "R",
        "git_commit": "c",
        "feature_table_sha256": "h",
        "training_period": {"from": "2022-01-31", "to": "2023-12-01"},
    }


def test_a_packaged_model_carries_its_own_reference_scores(
    scoring_model: ScoringModel, splits: dict[str, pd.DataFrame], tmp_path: Path
) -> None:
    reference = bundle.reference_sample(splits["train"], scoring_model.features, 50, seed=1)
    members = (
        scoring_model.booster,
        scoring_model.encoder,
        scoring_model.logistic,
        scoring_model.blend,
    )
    model = bundle.package("logistic_regression", 0.3, *members, reference, {"k": "v"})
    assert (model.candidate, model.threshold, model.info) == (
        "logistic_regression",
        0.3,
        {"k": "v"},
    )
    assert list(model.reference.columns) == [*scoring_model.features, "score"]
    expected = baselines.predict_logistic(scoring_model.logistic, reference)
    assert np.array_equal(model.reference["score"].to_numpy(), expected)
    digest = bundle.write(model, tmp_path)
    assert bundle.read(tmp_path, manifest_sha256=digest).reference.equals(model.reference)
