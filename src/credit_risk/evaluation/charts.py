"""Every figure the project draws, with one shared layout (kedro-viz, MLflow, the card).

Functions take the tables the pipelines already hold and return plotly figures; no
figure is built anywhere else, so the charts look alike wherever they are shown.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

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
