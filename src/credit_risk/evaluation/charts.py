"""Every figure the project draws, with one shared layout (kedro-viz, MLflow, the card).

Functions take the tables the pipelines already hold and return plotly figures; no
figure is built anywhere else, so the charts look alike wherever they are shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from sklearn.metrics import precision_recall_curve, roc_curve

from credit_risk.models.candidates import CONSTANT

TEMPLATE = "plotly_white"


def styled(figure: go.Figure, title: str, **layout: Any) -> go.Figure:
    """Apply the project's layout to a figure.

    Args:
        figure: The figure.
        title: Its title.
        **layout: Further layout settings (axis titles, ranges, bar mode).

    Returns:
        The same figure, styled.
    """
    figure.update_layout(title=title, template=TEMPLATE, **layout)
    return figure


def leaderboard_chart(board: pd.DataFrame) -> go.Figure:
    """Validation AUC of each candidate, with its other metrics on hover.

    Args:
        board: The leaderboard.

    Returns:
        A bar chart.
    """
    figure = go.Figure(
        go.Bar(
            x=board["model"],
            y=board["val_auc"],
            text=[f"{v:.4f}" for v in board["val_auc"]],
            textposition="outside",
            customdata=board[["val_log_loss", "val_brier", "fit_seconds", "size_bytes"]],
            hovertemplate="%{x}<br>AUC %{y:.4f}<br>log loss %{customdata[0]:.4f}"
            "<br>Brier %{customdata[1]:.4f}<br>fit %{customdata[2]:.2f} s"
            "<br>%{customdata[3]} bytes<extra></extra>",
        )
    )
    low = max(0.0, float(board["val_auc"].min()) - 0.05)
    return styled(
        figure,
        "Candidates on the validation period (ROC AUC)",
        yaxis={"title": "validation AUC", "range": [low, 1.0]},
        xaxis={"title": "model"},
    )


def roc_chart(target: np.ndarray, scores: Mapping[str, np.ndarray]) -> go.Figure:
    """ROC curve of each model on the same rows.

    Args:
        target: 0/1 labels.
        scores: Model name -> predicted probabilities, in the order to draw them.

    Returns:
        One line per model.
    """
    figure = go.Figure()
    for name, score in scores.items():
        fpr, tpr, _ = roc_curve(target, score)
        figure.add_scatter(x=fpr, y=tpr, name=name, mode="lines")
    return styled(
        figure,
        "ROC curves, test period",
        xaxis_title="false positive rate",
        yaxis_title="true positive rate",
    )


def pr_chart(target: np.ndarray, scores: Mapping[str, np.ndarray]) -> go.Figure:
    """Precision-recall curve of each model on the same rows.

    Args:
        target: 0/1 labels.
        scores: Model name -> predicted probabilities, in the order to draw them.

    Returns:
        One line per model.
    """
    figure = go.Figure()
    for name, score in scores.items():
        precision, recall, _ = precision_recall_curve(target, score)
        figure.add_scatter(x=recall, y=precision, name=name, mode="lines")
    return styled(
        figure,
        "Precision-recall curves, test period",
        xaxis_title="recall",
        yaxis_title="precision",
    )


def calibration_chart(curves: pd.DataFrame, eces: Mapping[str, float], chosen: str) -> go.Figure:
    """Reliability curves of the models (the constant prior left out), and the diagonal.

    Args:
        curves: Long table: ``model``, ``mean_predicted``, ``observed_rate`` per bin.
        eces: Model name -> expected calibration error (shown in the legend).
        chosen: The chosen candidate (named in the title).

    Returns:
        One line per model and the perfect-calibration diagonal.
    """
    figure = go.Figure()
    for name, curve in curves.groupby("model", sort=False):
        if name != CONSTANT:
            figure.add_scatter(
                x=curve["mean_predicted"],
                y=curve["observed_rate"],
                name=f"{name} (ECE {eces[str(name)]:.4f})",
                mode="lines+markers",
            )
    top = float(curves["mean_predicted"].max()) * 1.1
    figure.add_scatter(
        x=[0, top], y=[0, top], name="perfect", mode="lines", line={"dash": "dot", "color": "grey"}
    )
    return styled(
        figure,
        f"Calibration, test period (chosen: {chosen})",
        xaxis_title="mean predicted",
        yaxis_title="observed default rate",
    )


def profit_chart(curves: Mapping[str, pd.DataFrame]) -> go.Figure:
    """Expected profit by approval rate, one line per model.

    Args:
        curves: Model name -> its profit curve (``approval_rate``, ``profit``).

    Returns:
        The chart.
    """
    figure = go.Figure()
    for name, curve in curves.items():
        figure.add_scatter(x=curve["approval_rate"], y=curve["profit"], name=name)
    return styled(
        figure,
        "Expected profit by approval rate, validation period",
        xaxis_title="approval rate",
        yaxis_title="profit",
    )


def fairness_chart(table: pd.DataFrame, threshold: float) -> go.Figure:
    """Selection rate, TPR, FPR and AUC of every group, side by side.

    Args:
        table: Per-group fairness table (``attribute``, ``group`` and the rates).
        threshold: The decision threshold the rates are taken at.

    Returns:
        A grouped bar chart.
    """
    figure = go.Figure()
    for metric in ("selection_rate", "tpr", "fpr", "auc"):
        figure.add_bar(x=table["attribute"] + "=" + table["group"], y=table[metric], name=metric)
    return styled(figure, f"Fairness at threshold {threshold:.3f}, test period", barmode="group")


def importance_chart(importance: pd.DataFrame) -> go.Figure:
    """The 20 features with the largest mean absolute SHAP contribution.

    Args:
        importance: ``feature`` and ``mean_abs_shap``, largest first.

    Returns:
        A horizontal bar chart, largest on top.
    """
    top = importance.head(20)
    figure = go.Figure(go.Bar(x=top["mean_abs_shap"], y=top["feature"], orientation="h"))
    return styled(
        figure,
        "Mean |SHAP| on the log-odds scale, test period (top 20)",
        yaxis={"autorange": "reversed"},
    )


def drift_chart(report: pd.DataFrame, title: str) -> go.Figure:
    """PSI of the 20 most drifted features, coloured by severity.

    Args:
        report: A drift report (``feature``, ``psi``, ``severity``), worst first.
        title: Chart title.

    Returns:
        A horizontal bar chart.
    """
    top = report.head(20)
    figure = go.Figure(
        go.Bar(
            x=top["psi"],
            y=top["feature"],
            orientation="h",
            marker_color=top["severity"].map(
                {"ok": "#4c78a8", "warning": "#f58518", "critical": "#e45756"}
            ),
        )
    )
    return styled(figure, title, xaxis_title="PSI", yaxis={"autorange": "reversed"})
