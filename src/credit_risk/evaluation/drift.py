"""Drift between a reference sample and a later one: PSI, two-sample tests, score drift.

Reusable for any later batch: the reference is described once (bins from its
quantiles, its levels) and any frame can be compared with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from scipy.stats import chi2_contingency, ks_2samp

from credit_risk.evaluation import charts
from credit_risk.params import DriftParams

UNSEEN = "__unseen__"
MISSING = "__missing__"
_FLOOR = 1e-4  # share given to an empty bin, so PSI stays finite
NOT_JUDGED = "not_judged"


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two share vectors over the same bins.

    Args:
        expected: Reference shares (summing to 1).
        actual: Later shares.

    Returns:
        Sum of (actual - expected) * ln(actual / expected), empty bins floored.
    """
    e = np.maximum(expected, _FLOOR)
    a = np.maximum(actual, _FLOOR)
    return float(np.sum((a - e) * np.log(a / e)))


def _numeric(reference: pd.Series, current: pd.Series, n_bins: int) -> dict[str, Any]:
    ref = reference.to_numpy(dtype=np.float64, na_value=np.nan)
    cur = current.to_numpy(dtype=np.float64, na_value=np.nan)
    edges = np.unique(np.nanquantile(ref, np.linspace(0, 1, n_bins + 1)[1:-1]))

    def shares(values: np.ndarray) -> np.ndarray:
        bins = np.where(np.isnan(values), len(edges) + 1, np.searchsorted(edges, values, "right"))
        return np.bincount(bins, minlength=len(edges) + 2) / max(len(values), 1)

    present_ref, present_cur = ref[~np.isnan(ref)], cur[~np.isnan(cur)]
    p_value = (
        ks_2samp(present_ref, present_cur).pvalue
        if len(present_cur) and len(present_ref)
        else np.nan
    )
    return {
        "psi": psi(shares(ref), shares(cur)),
        "test": "ks",
        "p_value": float(p_value),
        "unseen": 0,
    }


def _categorical(reference: pd.Series, current: pd.Series) -> dict[str, Any]:
    ref = reference.astype("str").fillna(MISSING)
    cur = current.astype("str").fillna(MISSING)
    levels = sorted(ref.unique())
    cur_mapped = cur.where(cur.isin(levels), UNSEEN)
    ref_counts = ref.value_counts().reindex([*levels, UNSEEN], fill_value=0)
    cur_counts = cur_mapped.value_counts().reindex([*levels, UNSEEN], fill_value=0)
    table = np.vstack([ref_counts.to_numpy(), cur_counts.to_numpy()])
    table = table[:, table.sum(axis=0) > 0]
    p_value = chi2_contingency(table).pvalue if table.shape[1] > 1 else 1.0
    return {
        "psi": psi(ref_counts.to_numpy() / len(ref), cur_counts.to_numpy() / len(cur)),
        "test": "chi2",
        "p_value": float(p_value),
        "unseen": int(cur_counts[UNSEEN]),
    }


def drift_report(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    categorical: list[str],
    numeric: list[str],
    params: DriftParams,
) -> pd.DataFrame:
    """One row per feature: PSI, a two-sample test, unseen levels, and a severity.

    Args:
        reference: The sample the model learnt from (or its scores).
        current: A later sample.
        categorical: Categorical columns (PSI by level, unseen levels counted; chi-square).
        numeric: Numeric columns (PSI on reference quantile bins; Kolmogorov-Smirnov).
        params: Bins and limits.

    Returns:
        The report, worst PSI first. ``severity`` is ``critical`` at ``psi_critical``,
        ``warning`` at ``psi_warning`` or when the test rejects at ``p_value``, else ``ok``.
        When ``current`` has fewer than ``min_rows`` rows, PSI is not judged
        (``psi_judged`` false): ``warning`` when the test rejects, else ``not_judged``.
    """
    rows = [
        {"feature": c, "kind": "categorical", **_categorical(reference[c], current[c])}
        for c in categorical
    ]
    rows += [
        {"feature": c, "kind": "numeric", **_numeric(reference[c], current[c], params.n_bins)}
        for c in numeric
    ]
    report = pd.DataFrame(rows)
    report["severity"] = np.select(
        [
            report["psi"] >= params.psi_critical,
            (report["psi"] >= params.psi_warning) | (report["p_value"] < params.p_value),
        ],
        ["critical", "warning"],
        "ok",
    )
    # PSI's noise is about (n_bins - 1) / rows: on a small sample only the two-sample
    # tests, whose p-values account for the sample size, can judge.
    report["psi_judged"] = len(current) >= params.min_rows
    if len(current) < params.min_rows:
        rejected = report["p_value"] < params.p_value
        report["severity"] = np.where(rejected, "warning", NOT_JUDGED)
    return report.sort_values("psi", ascending=False, ignore_index=True)


def drift_flags(report: pd.DataFrame, params: DriftParams) -> dict[str, list[str]]:
    """Human-readable flags from a drift report, by how serious they are.

    Values never seen in training are *blocking*: the model has learnt nothing about
    them. Features drifting beyond ``psi_critical`` are *warnings*: in an ageing book,
    history lengths and tenures drift between periods by construction.

    Args:
        report: From :func:`drift_report`.
        params: Limits.

    Returns:
        ``{"blocking": [...], "warning": [...]}``; both empty when nothing drifted.
    """
    critical = report[report["severity"] == "critical"]
    warning = []
    if len(critical) > params.max_critical_features:
        worst = ", ".join(f"{r.feature} (PSI {r.psi:.2f})" for r in critical.head(5).itertuples())
        warning.append(
            f"{len(critical)} feature(s) drifted beyond PSI {params.psi_critical}: {worst}"
        )
    unseen = report[report["unseen"] > 0]
    blocking = [
        f"{r.feature}: {r.unseen} value(s) never seen in training" for r in unseen.itertuples()
    ]
    return {"blocking": blocking, "warning": warning}


def drift_summary(report: pd.DataFrame, params: DriftParams) -> dict[str, Any]:
    """Flags of a drift report whose rows include the model's ``score``.

    Blocking: values never seen in training, and scores drifting beyond ``psi_critical``
    (the model now sees a different population). Warnings: drifting features.

    Args:
        report: From :func:`drift_report`, with a ``score`` row.
        params: Limits.

    Returns:
        ``{"score_psi", "judged", "flags" (blocking), "warnings"}``; a report whose PSI
        was not judged (too few rows) raises no PSI flag and says so among the warnings.
    """
    flags = drift_flags(report, params)
    score_psi = float(report.loc[report["feature"] == "score", "psi"].iloc[0])
    judged = bool(report["psi_judged"].all())
    if not judged:
        flags["warning"].append(
            f"drift not judged: the sample has fewer than {params.min_rows} rows "
            "(drift.min_rows), too few for PSI to mean anything; two-sample tests and "
            "unseen values are still checked"
        )
    elif score_psi >= params.psi_critical:
        flags["blocking"].append(f"predicted scores drifted: PSI {score_psi:.3f}")
    return {
        "score_psi": score_psi,
        "judged": judged,
        "flags": flags["blocking"],
        "warnings": flags["warning"],
    }


def monitor(
    reference: pd.DataFrame,
    current: pd.DataFrame,
    categorical: list[str],
    numeric: list[str],
    params: DriftParams,
    title: str,
) -> tuple[pd.DataFrame, dict[str, Any], go.Figure]:
    """Report, flags and chart of ``current`` against ``reference``, scores included.

    Both frames carry the model's ``score`` column next to the features.

    Args:
        reference: What the model learnt from, with its scores.
        current: A later sample, with its scores.
        categorical: Categorical features.
        numeric: Numeric features (``score`` is added).
        params: Bins and limits.
        title: The chart's title.

    Returns:
        :func:`drift_report`, :func:`drift_summary` and
        :func:`credit_risk.evaluation.charts.drift_chart`.
    """
    report = drift_report(reference, current, categorical, [*numeric, "score"], params)
    return report, drift_summary(report, params), charts.drift_chart(report, title)
