"""Fairness across the contract's sensitive attributes, with fairlearn's MetricFrame."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from fairlearn.metrics import (
    MetricFrame,
    demographic_parity_difference,
    equalized_odds_difference,
    false_positive_rate,
    selection_rate,
    true_positive_rate,
)

from credit_risk.metrics import roc_auc
from credit_risk.params import FairnessParams

GROUP_COLUMNS = (
    "attribute",
    "group",
    "selection_rate",
    "tpr",
    "fpr",
    "count",
    "auc",
    "default_rate",
    "mean_predicted",
    "calibration_gap",
)


def fairness_report(
    frame: pd.DataFrame,
    score: str,
    target: str,
    sensitive: list[str],
    threshold: float,
    params: FairnessParams,
    blocking: list[str] | None = None,
) -> tuple[pd.DataFrame, list[dict[str, Any]]]:
    """Per-group rates and AUC, and the gaps between groups, for each sensitive attribute.

    A row is *flagged* (predicted to default, so declined) when its score is at least the
    threshold. Selection rate is the share flagged; TPR and FPR are among those who did
    and did not default. The calibration gap (observed minus mean predicted default rate)
    catches bias recorded in the labels even when the attribute is not a feature.

    Args:
        frame: Scored rows with the target and the sensitive columns.
        score: Column of predicted probabilities.
        target: Column of 0/1 labels.
        sensitive: Sensitive columns.
        threshold: Decision threshold on the score.
        params: Limits for the flags.
        blocking: The contract's blocking sensitive columns (``blocking_attributes``, when
            configured, wins; with neither, every attribute blocks).

    Returns:
        The per-group table, and one summary per attribute with its gaps and flags.
    """
    y = frame[target].to_numpy(dtype=np.int64)
    decision = (frame[score].to_numpy() >= threshold).astype(np.int64)
    groups, summaries = [], []
    for column in sensitive:
        counts = frame[column].astype("str").value_counts()
        judged = frame[column].astype("str").isin(counts[counts >= params.min_group_size].index)
        attribute = frame.loc[judged, column].astype("str")
        if attribute.nunique() < 2:  # nothing to compare: too few rows in every group but one
            summaries.append(_not_judged(column, counts, params, blocking, sensitive))
            continue
        y_j, d_j, s_j = y[judged.to_numpy()], decision[judged.to_numpy()], frame.loc[judged, score]
        by_group = MetricFrame(
            metrics={
                "selection_rate": selection_rate,
                "tpr": true_positive_rate,
                "fpr": false_positive_rate,
                "count": lambda t, _: len(t),
            },
            y_true=y_j,
            y_pred=d_j,
            sensitive_features=attribute,
        ).by_group
        by_group["auc"] = [
            roc_auc(y_j[attribute.to_numpy() == g], s_j[attribute == g].to_numpy())
            for g in by_group.index
        ]
        by_group["default_rate"] = pd.Series(y_j).groupby(attribute.to_numpy()).mean()
        by_group["mean_predicted"] = s_j.groupby(attribute.to_numpy()).mean()
        by_group["calibration_gap"] = by_group["default_rate"] - by_group["mean_predicted"]
        groups.append(by_group.reset_index(names="group").assign(attribute=column))
        summary = _summary(column, y_j, d_j, attribute, by_group, params)
        summaries.append({**summary, "blocking": column in _blocking(params, blocking, sensitive)})
    if not groups:  # a contract without sensitive columns: nothing to compare
        return pd.DataFrame(columns=list(GROUP_COLUMNS)), summaries
    table = pd.concat(groups, ignore_index=True)
    return table[["attribute", "group", *[c for c in table if c not in ("attribute", "group")]]], (
        summaries
    )


def _summary(
    column: str,
    y: np.ndarray,
    decision: np.ndarray,
    attribute: pd.Series,
    by_group: pd.DataFrame,
    params: FairnessParams,
) -> dict[str, Any]:
    dp = float(demographic_parity_difference(y, decision, sensitive_features=attribute))
    eo = float(equalized_odds_difference(y, decision, sensitive_features=attribute))
    auc_gap = float(by_group["auc"].max() - by_group["auc"].min())
    calibration = float(by_group["calibration_gap"].max() - by_group["calibration_gap"].min())
    flags = []
    if dp > params.max_demographic_parity_difference:
        flags.append(
            f"demographic parity difference {dp:.3f} > {params.max_demographic_parity_difference}"
        )
    if eo > params.max_equalized_odds_difference:
        flags.append(f"equalized odds difference {eo:.3f} > {params.max_equalized_odds_difference}")
    if auc_gap > params.max_auc_difference:
        flags.append(f"AUC gap between groups {auc_gap:.3f} > {params.max_auc_difference}")
    if calibration > params.max_calibration_gap_difference:
        flags.append(
            f"calibration gap difference {calibration:.3f} > "
            f"{params.max_calibration_gap_difference} (the model under-predicts "
            "defaults for one group: labels or risk differ by group)"
        )
    return {
        "attribute": column,
        "demographic_parity_difference": round(dp, 6),
        "equalized_odds_difference": round(eo, 6),
        "auc_difference": round(auc_gap, 6),
        "calibration_gap_difference": round(calibration, 6),
        "blocking": True,
        "flags": flags,
    }


def _not_judged(
    column: str,
    counts: pd.Series,
    params: FairnessParams,
    blocking: list[str] | None,
    sensitive: list[str],
) -> dict[str, Any]:
    """The summary of an attribute with fewer than two groups large enough to judge."""
    sizes = ", ".join(f"{group} {count}" for group, count in counts.items())
    return {
        "attribute": column,
        "not_judged": (
            f"not judged: fewer than two groups with at least {params.min_group_size} rows "
            f"(evaluation.fairness.min_group_size) in the test split ({sizes})"
        ),
        "blocking": column in _blocking(params, blocking, sensitive),
        "flags": [],
    }


def _blocking(
    params: FairnessParams, blocking: list[str] | None, sensitive: list[str]
) -> list[str]:
    """Attributes whose flags block: configured, else given (the contract's), else all."""
    if params.blocking_attributes is not None:
        return params.blocking_attributes
    return sensitive if blocking is None else blocking
