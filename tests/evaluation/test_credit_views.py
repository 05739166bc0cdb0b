"""The credit team's views: values checked against the metrics and the business report."""

from __future__ import annotations

import numpy as np
import optuna
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_risk import metrics
from credit_risk.evaluation import charts
from credit_risk.evaluation.business import decision_outcome
from credit_risk.evaluation.credit_views import (
    cap_curve,
    gains_table,
    ks_curve,
    rating_grades,
    strategy_curve,
)
from credit_risk.params import CreditViewParams


def _sample(n: int, seed: int, decimals: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    p = rng.beta(1.2, 8, n)
    y = (rng.uniform(size=n) < p).astype(np.int64)
    y[:2] = [0, 1]
    return y, (p.round(decimals) if decimals is not None else p)


@settings(max_examples=60, deadline=None)
@given(st.integers(5, 400), st.integers(0, 10_000), st.sampled_from([None, 1, 2]))
def test_ks_curve_peaks_at_the_reported_ks_and_cap_gives_the_gini(
    n: int, seed: int, decimals: int | None
) -> None:
    y, p = _sample(n, seed, decimals)
    curve, best = ks_curve(y, p)
    assert best["ks"] == pytest.approx(metrics.ks(y, p), abs=1e-12)
    assert curve["cum_bad_share"].iloc[-1] == curve["cum_good_share"].iloc[-1] == 1.0
    assert len(curve) == np.unique(p).size + 1  # one point per distinct threshold, and none
    _, accuracy_ratio = cap_curve(y, p)
    assert accuracy_ratio == pytest.approx(2 * metrics.roc_auc(y, p) - 1, abs=1e-9)


def test_the_ks_chart_marks_the_maximum_it_reports() -> None:
    y, p = _sample(3_000, 1, 2)
    curve, best = ks_curve(y, p)
    figure = charts.ks_chart(curve, best, "m")
    marked = figure.data[2]
    assert marked.y[1] - marked.y[0] == pytest.approx(metrics.ks(y, p), abs=1e-12)
    assert marked.x[0] == best["share_flagged"]
    assert f"KS {metrics.ks(y, p):.4f}" in figure.layout.title.text


def test_gains_bands_hold_every_row_never_split_a_tie_and_lift_by_the_bad_rate() -> None:
    y, p = _sample(1_000, 2, 2)  # two decimals: many ties
    table = gains_table(y, p, 10)
    assert table["rows"].sum() == 1_000 and table["bads"].sum() == y.sum()
    assert table["cum_share_of_bads"].iloc[-1] == pytest.approx(1.0)
    # riskiest first, and a tied score lies in one band only
    assert (table["min_score"].iloc[:-1].to_numpy() >= table["max_score"].iloc[1:].to_numpy()).all()
    assert table["lift"].to_numpy() == pytest.approx(table["bad_rate"] / y.mean())
    assert table["cum_lift"].iloc[-1] == pytest.approx(1.0)
    top = p >= table["min_score"].iloc[0]
    assert table["bads"].iloc[0] == y[top].sum()


def test_a_constant_score_has_no_gain_over_random() -> None:
    y = np.array([0, 1, 0, 0, 1, 0, 0, 0, 0, 0])
    table = gains_table(y, np.full(10, 0.2), 5)
    assert len(table) == 1 and table["lift"].iloc[0] == 1.0  # one tie: one band
    assert cap_curve(y, np.full(10, 0.2))[1] == pytest.approx(0.0)


def test_rating_grades_test_each_grade_s_defaults_against_its_predicted_rate() -> None:
    params = CreditViewParams(grade_names=["low", "high"], grade_upper_bounds=[0.1, 1.0])
    p = np.r_[np.full(500, 0.05), np.full(400, 0.3)]
    # 'low' defaults 20% against 5% predicted; 'high' defaults 30% as predicted
    y = np.r_[np.arange(500) < 100, np.arange(400) < 120].astype(np.int64)
    grades = rating_grades(y, p, params).set_index("grade")
    assert grades["rows"].tolist() == [500, 400] and grades["defaults"].tolist() == [100, 120]
    assert grades.loc["low", "observed_default_rate"] == 0.2
    assert grades.loc["low", "predicted_default_rate"] == pytest.approx(0.05)
    assert grades.loc["low", "verdict"] == "underestimated" and grades.loc["low", "p_value"] < 1e-20
    assert grades.loc["high", "verdict"] == "consistent" and grades.loc["high", "p_value"] > 0.9


def test_a_grade_boundary_belongs_to_the_lower_grade_and_empty_grades_are_kept() -> None:
    params = CreditViewParams(grade_names=["A", "B", "C"], grade_upper_bounds=[0.1, 0.2, 1.0])
    grades = rating_grades(np.array([0, 1]), np.array([0.1, 0.1]), params)
    assert grades["rows"].tolist() == [2, 0, 0]
    assert grades["verdict"].tolist()[1:] == ["empty", "empty"]


@pytest.mark.parametrize(
    ("names", "bounds", "message"),
    [
        (["A", "B"], [1.0], "one upper PD bound per grade"),
        (["A", "B"], [0.2, 0.1], "must increase"),
        (["A", "B"], [0.1, 0.9], "set it to 1.0"),
    ],
)
def test_a_master_scale_that_is_not_one_is_refused(
    names: list[str], bounds: list[float], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        CreditViewParams(grade_names=names, grade_upper_bounds=bounds)


def test_the_strategy_curve_at_the_threshold_is_the_business_outcome() -> None:
    y, p = _sample(2_000, 3, 3)
    curve = strategy_curve(y, p)
    assert curve["approval_rate"].iloc[0] == 0.0 and curve["approval_rate"].iloc[-1] == 1.0
    assert curve["bad_rate_approved"].iloc[-1] == pytest.approx(y.mean())
    threshold = float(np.quantile(p, 0.8))
    outcome = decision_outcome(p, np.zeros_like(p), y, threshold)
    figure = charts.strategy_chart(curve, threshold, "m")
    marker = figure.data[1]
    assert marker.x[0] == pytest.approx(outcome["approval_rate"])
    assert marker.y[0] == pytest.approx(outcome["default_rate_approved"])


def test_score_distributions_are_shares_of_each_class() -> None:
    y, p = _sample(1_000, 4)
    figure = charts.score_distribution_chart(y, p, 20, "m")
    goods, bads = figure.data
    assert sum(goods.y) == pytest.approx(1.0) and sum(bads.y) == pytest.approx(1.0)
    assert bads.y[0] < goods.y[0]  # the lowest scores hold more goods than bads


def test_the_fold_chart_draws_each_fold_s_metric() -> None:
    folds = pd.DataFrame(
        {"fold": [0, 1, 2], "rows": [10, 10, 10], "roc_auc": [0.7, 0.72, 0.74], "ks": [0.3] * 3}
    )
    figure = charts.fold_chart(folds)
    assert list(figure.data[0].y) == [0.7, 0.72, 0.74] and list(figure.data[1].y) == [0.3] * 3
    assert figure.layout.shapes[0].y0 == pytest.approx(0.72)


def test_study_charts_draw_the_trials_and_their_importances() -> None:
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(direction="maximize", sampler=optuna.samplers.RandomSampler(0))
    study.optimize(
        lambda t: -((t.suggest_float("x", -1, 1) - 0.2) ** 2) + 0 * t.suggest_float("y", 0, 1),
        n_trials=20,
    )
    history, importances = charts.study_charts(study, seed=0)
    assert list(history.data[0].y) == [t.value for t in study.trials]
    importance = dict(zip(importances.data[0].y, importances.data[0].x, strict=True))
    assert importance["x"] > importance["y"]  # only x moves the objective


def test_a_threshold_below_every_test_score_marks_approving_nobody() -> None:
    y, p = np.array([0, 1, 0, 1]), np.array([0.3, 0.4, 0.5, 0.6])
    marker = charts.strategy_chart(strategy_curve(y, p), 0.1, "m").data[1]
    assert marker.x[0] == 0.0
