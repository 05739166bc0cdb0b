from __future__ import annotations

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, brier_score_loss, log_loss, roc_auc_score

from credit_risk.evaluation.metrics import (
    bootstrap_intervals,
    paired_auc_difference,
    point_metrics,
    reliability,
)
from credit_risk.metrics import roc_auc


def _sample(n: int = 3_000, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.01, 0.6, n)
    return (rng.uniform(size=n) < p).astype(int), p


def test_point_metrics_match_scikit_learn() -> None:
    y, p = _sample()
    got = point_metrics(y, p)
    assert got["roc_auc"] == pytest.approx(roc_auc_score(y, p))
    assert got["pr_auc"] == pytest.approx(average_precision_score(y, p))
    assert got["log_loss"] == pytest.approx(log_loss(y, p))
    assert got["brier"] == pytest.approx(brier_score_loss(y, p))
    assert 0 < got["ks"] < 1


def test_auc_counts_ties_as_half() -> None:
    assert point_metrics(np.array([0, 1, 0, 1]), np.array([0.5, 0.5, 0.2, 0.9]))["roc_auc"] == (
        pytest.approx(roc_auc_score([0, 1, 0, 1], [0.5, 0.5, 0.2, 0.9]))
    )


def test_bootstrap_intervals_are_seeded_and_cover_the_estimate() -> None:
    y, p = _sample()
    first = bootstrap_intervals(y, p, 300, seed=1)
    assert first.equals(bootstrap_intervals(y, p, 300, seed=1))
    assert not first.equals(bootstrap_intervals(y, p, 300, seed=2))
    assert (first["low"] <= first["value"]).all() and (first["value"] <= first["high"]).all()
    auc = first.set_index("metric").loc["roc_auc"]
    assert 0.01 < auc["high"] - auc["low"] < 0.1  # about 4 standard errors at n = 3,000


def test_expected_calibration_error_sees_miscalibration() -> None:
    y, p = _sample(20_000)
    curve, calibrated = reliability(y, p, 10)
    _, doubled = reliability(y, np.clip(p * 2, 0, 1), 10)
    assert len(curve) == 10 and curve["count"].sum() == 20_000
    assert calibrated < 0.02 < doubled


def test_paired_auc_difference_is_narrower_than_separate_intervals() -> None:
    rng = np.random.default_rng(3)
    y = rng.integers(0, 2, 3_000)
    signal = y + rng.normal(0, 1.2, y.size)
    a = signal + rng.normal(0, 0.2, y.size)  # the same signal with a little noise each
    b = signal + rng.normal(0, 0.2, y.size)
    paired = paired_auc_difference(y, a, b, 300, seed=0)
    assert paired["difference"] == pytest.approx(roc_auc(y, a) - roc_auc(y, b))
    assert paired["low"] < paired["difference"] < paired["high"]
    separate = bootstrap_intervals(y, a, 300, seed=0).set_index("metric").loc["roc_auc"]
    assert paired["high"] - paired["low"] < (separate["high"] - separate["low"]) / 2
    assert paired_auc_difference(y, a, b, 300, seed=0) == paired  # seeded
