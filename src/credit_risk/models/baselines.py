"""Baselines: the constant prior and a regularised logistic regression, as JSON specs.

The logistic model is fitted with scikit-learn but lives as plain numbers (medians,
means, scales, levels, coefficients): predicting needs numpy only, so loading it never
executes code.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from credit_risk.contract import DataContract
from credit_risk.models.frames import target
from credit_risk.params import LogisticParams

OTHER = "__other__"  # the bucket for rare levels and levels not seen in training


def fit_constant(train: pd.DataFrame, contract: DataContract) -> dict[str, Any]:
    """The prior: every application gets the training default rate.

    Args:
        train: Training rows.
        contract: Column roles.

    Returns:
        ``{"kind": "constant", "prior": rate}``.
    """
    return {"kind": "constant", "prior": float(target(train, contract).mean())}


def predict_constant(spec: dict[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Predict the prior for every row.

    Args:
        spec: From :func:`fit_constant`.
        frame: Rows to score.

    Returns:
        Probabilities of default.
    """
    return np.full(len(frame), spec["prior"], dtype=np.float64)


def fit_logistic(
    train: pd.DataFrame, contract: DataContract, params: LogisticParams, seed: int
) -> dict[str, Any]:
    """Fit an L2-regularised logistic regression on scaled numerics and one-hot levels.

    Numerics: missing values are replaced by the training median and flagged by an
    indicator column, then standardised. Categoricals: one column per level seen in at
    least ``min_level_share`` of training rows; other and unseen levels share a bucket.

    Args:
        train: Training rows.
        contract: Column roles.
        params: Regularisation and bucketing settings.
        seed: Random state (lbfgs is deterministic; kept for solvers that are not).

    Returns:
        The JSON-ready spec.
    """
    spec = _preprocessing(train, contract, params.min_level_share)
    design, names = _design(train, spec)
    model = LogisticRegression(C=params.C, max_iter=params.max_iter, random_state=seed)
    model.fit(design, target(train, contract))
    spec["coefficients"] = dict(zip(names, model.coef_[0].round(12).tolist(), strict=True))
    spec["intercept"] = float(model.intercept_[0])
    return spec


def predict_logistic(spec: dict[str, Any], frame: pd.DataFrame) -> np.ndarray:
    """Predict with a logistic spec, in numpy only.

    Args:
        spec: From :func:`fit_logistic`.
        frame: Rows to score.

    Returns:
        Probabilities of default.
    """
    design, names = _design(frame, spec)
    weights = np.array([spec["coefficients"][n] for n in names])
    return np.asarray(1.0 / (1.0 + np.exp(-(design @ weights + spec["intercept"]))), np.float64)


def logistic_contributions(
    spec: dict[str, Any], frame: pd.DataFrame, reference: pd.DataFrame
) -> pd.DataFrame:
    """Exact SHAP values of the logistic model's log-odds, one column per feature.

    For a linear model a feature's SHAP value is its coefficients times the distance of
    its design columns from their mean over the background sample; a feature's indicator
    and one-hot columns are summed into the feature.

    Args:
        spec: From :func:`fit_logistic`.
        frame: Rows to explain.
        reference: Background rows (a sample of the training data).

    Returns:
        One column per feature; each row sums to its log-odds minus the background mean.
    """
    design, names = _design(frame, spec)
    background, _ = _design(reference, spec)
    weights = np.array([spec["coefficients"][n] for n in names])
    owners = [n.split("=", 1)[0].removesuffix("__missing") for n in names]
    features = list(dict.fromkeys(owners))
    # design column -> its feature, as a 0/1 matrix: one product sums them per feature
    membership = np.zeros((len(names), len(features)))
    membership[np.arange(len(names)), [features.index(o) for o in owners]] = 1.0
    values = ((design - background.mean(axis=0)) * weights) @ membership
    return pd.DataFrame(values, columns=features, index=frame.index)


def _preprocessing(train: pd.DataFrame, contract: DataContract, min_share: float) -> dict[str, Any]:
    numeric = {}
    for name in contract.numeric_columns:
        values = train[name].to_numpy(dtype=np.float64, na_value=np.nan)
        median = float(np.nanmedian(values)) if np.isfinite(values).any() else 0.0
        filled = np.where(np.isnan(values), median, values)
        numeric[name] = {
            "median": median,
            "mean": float(filled.mean()),
            "scale": float(filled.std()) or 1.0,
            "indicator": bool(np.isnan(values).any()),
        }
    categorical = {}
    for name in contract.categorical_columns:
        shares = train[name].astype("str").value_counts(normalize=True)
        categorical[name] = sorted(str(k) for k, v in shares.items() if v >= min_share)
    return {"kind": "logistic", "numeric": numeric, "categorical": categorical}


def _design(frame: pd.DataFrame, spec: dict[str, Any]) -> tuple[np.ndarray, list[str]]:
    columns: list[np.ndarray] = []
    names: list[str] = []
    for name, stats in spec["numeric"].items():
        values = frame[name].to_numpy(dtype=np.float64, na_value=np.nan)
        missing = np.isnan(values)
        columns.append(
            (np.where(missing, stats["median"], values) - stats["mean"]) / stats["scale"]
        )
        names.append(name)
        if stats["indicator"]:
            columns.append(missing.astype(np.float64))
            names.append(f"{name}__missing")
    for name, levels in spec["categorical"].items():
        # one pass over the column: each value's level index, the bucket for any other
        codes = pd.Index(levels).get_indexer(frame[name].astype("str"))
        codes = np.where(codes < 0, len(levels), codes)
        onehot = np.zeros((len(frame), len(levels) + 1), dtype=np.float64)
        onehot[np.arange(len(frame)), codes] = 1.0
        columns.extend(onehot.T)
        names.extend(f"{name}={level}" for level in [*levels, OTHER])
    return np.column_stack(columns), names
