"""The project's metrics against scikit-learn's, on random, tied and constant scores."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import (
    average_precision_score,
    brier_score_loss,
    log_loss,
    roc_auc_score,
    roc_curve,
)

from credit_risk import metrics


def _sklearn(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    fpr, tpr, _ = roc_curve(y, p)
    return {
        "roc_auc": float(roc_auc_score(y, p)),
        "pr_auc": float(average_precision_score(y, p)),
        "log_loss": float(log_loss(y, y_proba=p, labels=[0, 1])),
        "brier": float(brier_score_loss(y, p)),
        "ks": float(np.max(np.abs(tpr - fpr))),
    }


def _project(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {name: float(values[0]) for name, values in metrics.all_rows(y, p).items()}


@st.composite
def _labelled_scores(draw: st.DrawFn, levels: int | None) -> tuple[np.ndarray, np.ndarray]:
    """Both classes present; scores in [0, 1], drawn from ``levels`` values when given."""
    n = draw(st.integers(min_value=2, max_value=300))
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    y[rng.choice(n, size=2, replace=False)] = [0, 1]
    if levels is None:
        p = rng.uniform(0, 1, n)
    else:
        p = np.clip(rng.integers(0, levels, n) / (levels - 1) + 0.3 * y, 0, 1).round(1)
    return y, p


def _assert_all_close(y: np.ndarray, p: np.ndarray) -> None:
    got, want = _project(y, p), _sklearn(y, p)
    for name, value in want.items():
        assert got[name] == pytest.approx(value, abs=1e-9, rel=0), name


@settings(max_examples=150, deadline=None)
@given(_labelled_scores(levels=None))
def test_every_metric_equals_scikit_learn_on_random_scores(sample: tuple) -> None:
    _assert_all_close(*sample)


@settings(max_examples=150, deadline=None)
@given(_labelled_scores(levels=4))
def test_every_metric_equals_scikit_learn_on_heavily_tied_scores(sample: tuple) -> None:
    _assert_all_close(*sample)


@settings(max_examples=50, deadline=None)
@given(_labelled_scores(levels=None), st.floats(min_value=0, max_value=1))
def test_every_metric_equals_scikit_learn_on_constant_scores(sample: tuple, value: float) -> None:
    y, p = sample
    _assert_all_close(y, np.full_like(p, value))


def test_the_issue_s_measured_cases_now_match_scikit_learn() -> None:
    """The figures the tracker quoted: a constant score on 4,000 rows, scores to one decimal."""
    rng = np.random.default_rng(0)
    y = (rng.uniform(size=4_000) < 0.12).astype(int)
    constant = np.full(4_000, 0.12)
    assert metrics.ks(y, constant) == 0.0
    assert metrics.average_precision(y, constant) == pytest.approx(y.mean(), abs=1e-12)
    rounded = np.clip(0.12 + 0.25 * y + rng.normal(0, 0.2, 4_000), 0, 1).round(1)
    assert metrics.average_precision(y, rounded) == pytest.approx(
        average_precision_score(y, rounded), abs=1e-12
    )
    fpr, tpr, _ = roc_curve(y, rounded)
    assert metrics.ks(y, rounded) == pytest.approx(np.max(tpr - fpr), abs=1e-12)


def test_rows_are_independent_samples_as_in_a_bootstrap() -> None:
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, (5, 200))
    p = rng.integers(0, 5, (5, 200)) / 4
    rows = metrics.all_rows(y, p)
    for r in range(5):
        single = _project(y[r], p[r])
        for name, values in rows.items():
            assert values[r] == single[name], (name, r)


def test_one_class_gives_nan_for_ranking_metrics_and_values_for_the_rest() -> None:
    y, p = np.zeros(10, dtype=int), np.linspace(0, 1, 10)
    got = _project(y, p)
    assert np.isnan(got["roc_auc"]) and np.isnan(got["pr_auc"]) and np.isnan(got["ks"])
    assert got["brier"] == pytest.approx(brier_score_loss(y, p), abs=1e-12)
    assert got["log_loss"] == pytest.approx(log_loss(y, y_proba=p, labels=[0, 1]), abs=1e-9)


def test_probabilities_of_exactly_zero_and_one_are_clipped_as_scikit_learn_clips() -> None:
    y, p = np.array([0, 1, 1, 0]), np.array([1.0, 0.0, 1.0, 0.0])
    assert metrics.log_loss(y, p) == pytest.approx(log_loss(y, y_proba=p), abs=1e-9)
