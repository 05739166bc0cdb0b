"""Every figure the project draws, with one shared layout (kedro-viz, MLflow, the card).

Functions take the tables the pipelines already hold and return plotly figures; no
figure is built anywhere else, so the charts look alike wherever they are shown.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import numpy as np
import optuna
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots
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
                {
                    "ok": "#4c78a8",
                    "warning": "#f58518",
                    "critical": "#e45756",
                    "not_judged": "#bab0ac",
                }
            ),
        )
    )
    return styled(figure, title, xaxis_title="PSI", yaxis={"autorange": "reversed"})


# ---------------------------------------------------------------- the credit team's views


def score_distribution_chart(
    target: np.ndarray, score: np.ndarray, bins: int, model: str
) -> go.Figure:
    """Histograms of the scores of goods and of bads, on shared bins, each summing to 1.

    Args:
        target: 0/1 labels.
        score: Predicted probabilities of default.
        bins: Number of equal-width bins over the scores' range.
        model: Named in the title.

    Returns:
        Two overlaid bar series (``goods``, ``bads``), the share of each class per bin.
    """
    y = np.asarray(target, dtype=np.int64)
    p = np.asarray(score, dtype=np.float64)
    edges = np.histogram_bin_edges(p, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    figure = go.Figure()
    for label, name in ((0, "goods"), (1, "bads")):
        counts, _ = np.histogram(p[y == label], bins=edges)
        figure.add_bar(x=centres, y=counts / max(counts.sum(), 1), name=name, opacity=0.6)
    return styled(
        figure,
        f"Score distributions of goods and bads, test period ({model})",
        barmode="overlay",
        bargap=0,
        xaxis_title="predicted probability of default",
        yaxis_title="share of the class",
    )


def ks_chart(curve: pd.DataFrame, best: Mapping[str, float], model: str) -> go.Figure:
    """Cumulative shares of bads and goods by share flagged, the KS gap marked.

    Args:
        curve: From :func:`credit_risk.evaluation.credit_views.ks_curve`.
        best: Its maximum (``ks``, ``share_flagged``).
        model: Named in the title.

    Returns:
        Two lines and the KS segment between them.
    """
    figure = go.Figure()
    figure.add_scatter(x=curve["share_flagged"], y=curve["cum_bad_share"], name="bads")
    figure.add_scatter(x=curve["share_flagged"], y=curve["cum_good_share"], name="goods")
    at = curve.iloc[int(np.argmax(curve["gap"].to_numpy()))]
    figure.add_scatter(
        x=[at["share_flagged"]] * 2,
        y=[at["cum_good_share"], at["cum_bad_share"]],
        name=f"KS {best['ks']:.4f}",
        mode="lines+markers",
        line={"dash": "dash", "color": "black"},
    )
    return styled(
        figure,
        f"KS curve, test period ({model}): KS {best['ks']:.4f} at "
        f"{best['share_flagged']:.1%} flagged",
        xaxis_title="share of applications flagged (riskiest first)",
        yaxis_title="cumulative share of the class",
    )


def gains_chart(table: pd.DataFrame, model: str) -> go.Figure:
    """Cumulative gains by band (with the random line) and each band's lift.

    Args:
        table: From :func:`credit_risk.evaluation.credit_views.gains_table`.
        model: Named in the title.

    Returns:
        Gains as a line (left axis), lift as bars (right axis).
    """
    x = np.append(0.0, table["cum_share_of_rows"])
    figure = go.Figure()
    figure.add_scatter(x=x, y=np.append(0.0, table["cum_share_of_bads"]), name="cumulative gain")
    figure.add_scatter(x=[0, 1], y=[0, 1], name="random", line={"dash": "dot", "color": "grey"})
    figure.add_bar(
        x=table["cum_share_of_rows"],
        y=table["lift"],
        name="lift of the band",
        yaxis="y2",
        opacity=0.35,
    )
    return styled(
        figure,
        f"Cumulative gains and lift by band, test period ({model})",
        xaxis_title="share of applications, riskiest first",
        yaxis={"title": "share of defaults captured", "range": [0, 1.02]},
        yaxis2={"title": "lift", "overlaying": "y", "side": "right", "rangemode": "tozero"},
    )


def cap_chart(
    curve: pd.DataFrame, accuracy_ratio: float, default_rate: float, model: str
) -> go.Figure:
    """Cumulative accuracy profile of the model against the perfect and random models.

    Args:
        curve: From :func:`credit_risk.evaluation.credit_views.cap_curve`.
        accuracy_ratio: Its accuracy ratio (Gini).
        default_rate: Share of bads (where the perfect model reaches 1).
        model: Named in the title.

    Returns:
        Three lines.
    """
    figure = go.Figure()
    figure.add_scatter(x=curve["share_flagged"], y=curve["share_of_bads"], name=model)
    figure.add_scatter(
        x=[0, default_rate, 1], y=[0, 1, 1], name="perfect", line={"dash": "dash", "color": "green"}
    )
    figure.add_scatter(x=[0, 1], y=[0, 1], name="random", line={"dash": "dot", "color": "grey"})
    return styled(
        figure,
        f"CAP curve, test period ({model}): accuracy ratio (Gini) {accuracy_ratio:.4f}",
        xaxis_title="share of applications, riskiest first",
        yaxis_title="share of defaults captured",
    )


def rating_grade_chart(grades: pd.DataFrame, model: str) -> go.Figure:
    """Observed against predicted default rate per grade, the binomial verdict on hover.

    Args:
        grades: From :func:`credit_risk.evaluation.credit_views.rating_grades`.
        model: Named in the title.

    Returns:
        Grouped bars per grade.
    """
    figure = go.Figure()
    hover = "%{x}<br>%{y:.2%}<br>%{customdata[0]} rows, binomial p %{customdata[1]:.3g}: "
    custom = grades[["rows", "p_value", "verdict"]]
    for column, name in (
        ("predicted_default_rate", "predicted"),
        ("observed_default_rate", "observed"),
    ):
        figure.add_bar(
            x=grades["grade"],
            y=grades[column],
            name=name,
            customdata=custom,
            hovertemplate=hover + "%{customdata[2]}<extra>" + name + "</extra>",
        )
    return styled(
        figure,
        f"Rating grades, test period ({model}): observed vs predicted default rate",
        barmode="group",
        xaxis_title="grade",
        yaxis={"title": "default rate", "tickformat": ".0%"},
    )


def strategy_chart(curve: pd.DataFrame, threshold: float, model: str) -> go.Figure:
    """Bad rate among the approved against the approval rate, the chosen threshold marked.

    Args:
        curve: From :func:`credit_risk.evaluation.credit_views.strategy_curve`.
        threshold: The business threshold (approve below it).
        model: Named in the title.

    Returns:
        The curve and one marker.
    """
    figure = go.Figure()
    figure.add_scatter(
        x=curve["approval_rate"],
        y=curve["bad_rate_approved"],
        name=model,
        customdata=curve["threshold"],
        hovertemplate="approve %{x:.1%}, bad rate %{y:.2%}"
        "<br>threshold %{customdata:.4f}<extra></extra>",
    )
    # the last point at or below the threshold; below every score it approves nobody
    below = curve.loc[curve["threshold"] <= threshold]
    chosen = below.iloc[-1] if len(below) else curve.iloc[0]
    figure.add_scatter(
        x=[chosen["approval_rate"]],
        y=[chosen["bad_rate_approved"]],
        name=f"threshold {threshold:.4f}",
        mode="markers",
        marker={"size": 12, "symbol": "x", "color": "black"},
    )
    return styled(
        figure,
        f"Approval rate against bad rate, test period ({model})",
        xaxis={"title": "approval rate", "tickformat": ".0%"},
        yaxis={"title": "default rate among the approved", "tickformat": ".1%"},
    )


def fold_chart(folds: pd.DataFrame) -> go.Figure:
    """Each training fold's metrics, one panel per metric, the mean as a line.

    Args:
        folds: Per-fold metrics (``fold`` and one column per metric).

    Returns:
        One marker series per metric against the fold number.
    """
    metrics = [c for c in folds.columns if c not in ("fold", "rows")]
    figure = make_subplots(rows=1, cols=len(metrics), subplot_titles=metrics)
    for i, metric in enumerate(metrics, start=1):
        figure.add_scatter(
            x=folds["fold"],
            y=folds[metric],
            mode="markers",
            name=metric,
            row=1,
            col=i,
            showlegend=False,
        )
        figure.add_hline(y=float(folds[metric].mean()), line_dash="dot", row=1, col=i)
    return styled(figure, "Variance across the training folds (chosen LightGBM settings)")


def study_charts(study: optuna.Study, seed: int) -> tuple[go.Figure, go.Figure]:
    """Optuna's optimisation history and parameter importances, in the project's layout.

    Args:
        study: The tuning study (its complete trials are drawn).
        seed: Seed of the importance evaluator (fANOVA's forest).

    Returns:
        The history and the importances.
    """
    history = optuna.visualization.plot_optimization_history(study)
    done = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    if len({tuple(sorted(t.params.items())) for t in done}) >= 2:
        importances = optuna.visualization.plot_param_importances(
            study, evaluator=optuna.importance.FanovaImportanceEvaluator(seed=seed)
        )
        title = f"Parameter importances (fANOVA), study {study.study_name}"
    else:
        importances = go.Figure()
        title = (
            f"Parameter importances: fewer than 2 distinct complete trials in {study.study_name}"
        )
    return (
        styled(history, f"Optimisation history, study {study.study_name}"),
        styled(importances, title),
    )


def page(figures: Mapping[str, go.Figure], title: str) -> str:
    """Every figure on one HTML page, plotly.js embedded once: it renders offline.

    This is what the MLflow UI shows (it renders HTML artifacts, not plotly JSON).

    Args:
        figures: Name -> figure, in the page's order.
        title: The page's heading.

    Returns:
        The HTML page.
    """
    parts = [f"<h1>{html.escape(title)}</h1>"]
    for i, (name, figure) in enumerate(figures.items()):
        parts.append(f"<h2 id='{html.escape(name)}'>{html.escape(name)}</h2>")
        parts.append(figure.to_html(full_html=False, include_plotlyjs=(i == 0)))
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>{html.escape(title)}</title></head><body>{''.join(parts)}</body></html>"
    )
