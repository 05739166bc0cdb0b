"""The views a credit risk team reads: KS curve, gains and lift, CAP, rating grades, strategy.

Every table is computed on distinct score thresholds (tied scores move together), with
the same conventions as :mod:`credit_risk.metrics`: a higher score is a higher probability
of default, and a row is approved when its score is below the threshold.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.stats import binomtest

from credit_risk.contract import DataContract
from credit_risk.evaluation import charts
from credit_risk.models import frames
from credit_risk.models.candidates import score_column
from credit_risk.params import CreditViewParams, EvaluationParams


def _by_threshold(target: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    """Rows grouped by distinct score, riskiest first, with cumulative counts."""
    frame = pd.DataFrame({"score": np.asarray(score, dtype=np.float64), "bad": target})
    grouped = (
        frame.groupby("score", sort=True)["bad"]
        .agg(rows="size", bads="sum")
        .sort_index(ascending=False)
        .reset_index()
    )
    grouped["cum_rows"] = grouped["rows"].cumsum()
    grouped["cum_bads"] = grouped["bads"].cumsum()
    grouped["cum_goods"] = grouped["cum_rows"] - grouped["cum_bads"]
    return grouped


def ks_curve(target: np.ndarray, score: np.ndarray) -> tuple[pd.DataFrame, dict[str, float]]:
    """Cumulative shares of bads and goods above each threshold, and where they part most.

    Args:
        target: 0/1 labels (1 = default).
        score: Predicted probabilities of default.

    Returns:
        Per distinct threshold (riskiest first, starting from "nobody flagged"):
        ``threshold``, ``share_flagged``, ``cum_bad_share``, ``cum_good_share``, ``gap``;
        and the maximum: ``ks``, its ``threshold`` and ``share_flagged``.
    """
    groups = _by_threshold(target, score)
    bads, rows = groups["bads"].sum(), groups["rows"].sum()
    curve = pd.DataFrame(
        {
            "threshold": np.append(np.inf, groups["score"]),
            "share_flagged": np.append(0.0, groups["cum_rows"] / rows),
            "cum_bad_share": np.append(0.0, groups["cum_bads"] / bads),
            "cum_good_share": np.append(0.0, groups["cum_goods"] / (rows - bads)),
        }
    )
    curve["gap"] = (curve["cum_bad_share"] - curve["cum_good_share"]).abs()
    best = curve.iloc[int(np.argmax(curve["gap"].to_numpy()))]
    return curve, {
        "ks": float(best["gap"]),
        "threshold": float(best["threshold"]),
        "share_flagged": float(best["share_flagged"]),
    }


def cap_curve(target: np.ndarray, score: np.ndarray) -> tuple[pd.DataFrame, float]:
    """Cumulative accuracy profile and its accuracy ratio (the Gini coefficient).

    Args:
        target: 0/1 labels.
        score: Predicted probabilities of default.

    Returns:
        The curve (``share_flagged``, ``share_of_bads``; from (0, 0) to (1, 1), one point
        per distinct threshold) and the accuracy ratio: the area between the model's curve
        and the random diagonal over the same area for the perfect model. With ties
        joined by straight segments it equals 2 x AUC - 1.
    """
    curve, _ = ks_curve(target, score)
    x = curve["share_flagged"].to_numpy()
    y = curve["cum_bad_share"].to_numpy()
    default_rate = float(np.mean(target))
    area = float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))
    accuracy_ratio = (area - 0.5) / ((1 - default_rate / 2) - 0.5)
    return pd.DataFrame({"share_flagged": x, "share_of_bads": y}), accuracy_ratio


def gains_table(target: np.ndarray, score: np.ndarray, bands: int) -> pd.DataFrame:
    """Cumulative gains and lift by equal-count bands of the score, riskiest band first.

    Tied scores are never split across bands (bands are cut on ranks by score, ties
    averaged), so a band may hold a few more or fewer rows than its share.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities of default.
        bands: Number of bands (10: deciles).

    Returns:
        Per band: ``band`` (1 = riskiest), ``rows``, ``bads``, ``bad_rate``,
        ``min_score``/``max_score``, ``cum_share_of_rows``, ``cum_share_of_bads`` (the
        gain), ``lift`` and ``cum_lift`` (bad rate over the overall bad rate).
    """
    frame = pd.DataFrame({"score": np.asarray(score, dtype=np.float64), "bad": target})
    ranks = frame["score"].rank(method="average", ascending=False)
    frame["band"] = np.minimum(np.ceil(ranks / len(frame) * bands), bands).astype(int)
    table = (
        frame.groupby("band")
        .agg(
            rows=("bad", "size"),
            bads=("bad", "sum"),
            min_score=("score", "min"),
            max_score=("score", "max"),
        )
        .reset_index()
    )
    overall = frame["bad"].mean()
    table["bad_rate"] = table["bads"] / table["rows"]
    table["cum_share_of_rows"] = table["rows"].cumsum() / len(frame)
    table["cum_share_of_bads"] = table["bads"].cumsum() / frame["bad"].sum()
    table["lift"] = table["bad_rate"] / overall
    table["cum_lift"] = table["cum_share_of_bads"] / table["cum_share_of_rows"]
    return table[
        [
            "band",
            "rows",
            "bads",
            "bad_rate",
            "min_score",
            "max_score",
            "cum_share_of_rows",
            "cum_share_of_bads",
            "lift",
            "cum_lift",
        ]
    ]


def rating_grades(target: np.ndarray, score: np.ndarray, params: CreditViewParams) -> pd.DataFrame:
    """The PD master scale: rows per grade, observed against predicted default rate.

    Each grade holds the scores in ``(previous bound, bound]``. The binomial test asks
    whether the grade's defaults are consistent with its mean predicted PD (two-sided,
    at ``params.grade_alpha``): ``underestimated`` when more default than predicted.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities of default.
        params: Grade names and upper PD bounds, test level.

    Returns:
        One row per grade, empty grades included (``rows`` 0, no test).
    """
    p = np.asarray(score, dtype=np.float64)
    y = np.asarray(target, dtype=np.int64)
    bounds = np.asarray(params.grade_upper_bounds, dtype=np.float64)
    grade = np.searchsorted(bounds, p, side="left")
    rows: list[dict[str, Any]] = []
    lower = 0.0
    for i, (name, upper) in enumerate(zip(params.grade_names, bounds, strict=True)):
        inside = grade == i
        n, bads = int(inside.sum()), int(y[inside].sum())
        row: dict[str, Any] = {
            "grade": name,
            "pd_from": lower,
            "pd_to": float(upper),
            "rows": n,
            "share_of_rows": n / len(p),
            "defaults": bads,
            "observed_default_rate": bads / n if n else np.nan,
            "predicted_default_rate": float(p[inside].mean()) if n else np.nan,
            "p_value": np.nan,
            "verdict": "empty",
        }
        if n:
            predicted = min(max(row["predicted_default_rate"], 1e-12), 1 - 1e-12)
            row["p_value"] = float(binomtest(bads, n, predicted).pvalue)
            if row["p_value"] >= params.grade_alpha:
                row["verdict"] = "consistent"
            else:
                row["verdict"] = "underestimated" if bads / n > predicted else "overestimated"
        rows.append(row)
        lower = float(upper)
    return pd.DataFrame(rows)


def strategy_curve(target: np.ndarray, score: np.ndarray) -> pd.DataFrame:
    """Approval rate against the bad rate among the approved, at every distinct threshold.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities of default.

    Returns:
        ``threshold`` (approve below it), ``approval_rate``, ``bad_rate_approved``, from
        approving nobody to approving everyone.
    """
    groups = _by_threshold(target, score).sort_values("score", ignore_index=True)
    approved = groups["rows"].cumsum()
    approved_bads = groups["bads"].cumsum()
    total = groups["rows"].sum()
    # approving the rows up to and including a distinct score = a threshold just above it
    thresholds = np.append(groups["score"].to_numpy()[1:], np.inf)
    return pd.DataFrame(
        {
            "threshold": np.append(groups["score"].iloc[0], thresholds),
            "approval_rate": np.append(0.0, approved / total),
            "bad_rate_approved": np.append(np.nan, approved_bads / approved),
        }
    )


def credit_views(
    test_scores: pd.DataFrame,
    selection: dict[str, Any],
    business_report: dict[str, Any],
    contract: DataContract,
    evaluation: EvaluationParams,
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, Any], *tuple[go.Figure, ...]]:
    """Every credit view of the chosen candidate on the test period, tables and charts.

    Args:
        test_scores: Scored test split.
        selection: The chosen candidate.
        business_report: Its threshold (chosen on validation).
        contract: The target column.
        evaluation: ``credit_views`` settings.

    Returns:
        Gains table, rating-grade table, a summary (KS and where, accuracy ratio, grades
        rejected by the binomial test), and the score-distribution, KS, gains, CAP,
        rating-grade and strategy charts.
    """
    params = evaluation.credit_views
    model = selection["candidate"]
    y = frames.target(test_scores, contract)
    p = test_scores[score_column(model)].to_numpy(dtype=np.float64)
    ks, best = ks_curve(y, p)
    cap, accuracy_ratio = cap_curve(y, p)
    gains = gains_table(y, p, params.gains_bands)
    grades = rating_grades(y, p, params)
    strategy = strategy_curve(y, p)
    threshold = float(business_report["candidate"]["threshold"])
    rejected = grades.loc[grades["verdict"].isin(["underestimated", "overestimated"]), "grade"]
    summary = {
        "model": model,
        "ks": best,
        "accuracy_ratio": accuracy_ratio,
        "top_band_lift": float(gains["lift"].iloc[0]),
        "grades_rejected_by_binomial_test": rejected.tolist(),
        "threshold": threshold,
    }
    return (
        gains,
        grades,
        summary,
        charts.score_distribution_chart(y, p, params.score_bins, model),
        charts.ks_chart(ks, best, model),
        charts.gains_chart(gains, model),
        charts.cap_chart(cap, accuracy_ratio, float(y.mean()), model),
        charts.rating_grade_chart(grades, model),
        charts.strategy_chart(strategy, threshold, model),
    )
