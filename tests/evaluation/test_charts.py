"""Every figure: the shared layout, one trace per model, the values drawn are the data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from credit_risk.evaluation import charts, drift
from credit_risk.evaluation.charts import TEMPLATE
from credit_risk.params import DriftParams

Y = np.array([0, 0, 1, 1, 0, 1])
SCORES = {
    "lightgbm_tuned": np.array([0.1, 0.3, 0.7, 0.9, 0.2, 0.6]),
    "ensemble": np.array([0.2, 0.1, 0.8, 0.6, 0.3, 0.9]),
}


def test_styled_sets_title_template_and_layout() -> None:
    figure = charts.styled(go.Figure(), "a title", barmode="group")
    assert figure.layout.title.text == "a title"
    assert figure.layout.barmode == "group"
    assert figure.layout.template == pio.templates[TEMPLATE]


@pytest.mark.parametrize(
    ("chart", "x_title"), [(charts.roc_chart, "false positive rate"), (charts.pr_chart, "recall")]
)
def test_curve_charts_draw_one_line_per_model(chart: object, x_title: str) -> None:
    figure = chart(Y, SCORES)  # type: ignore[operator]
    assert [t.name for t in figure.data] == list(SCORES)
    assert figure.layout.xaxis.title.text == x_title
    assert "test period" in figure.layout.title.text


def test_roc_chart_ends_at_the_corners() -> None:
    line = charts.roc_chart(Y, SCORES).data[0]
    assert (line.x[0], line.y[0], line.x[-1], line.y[-1]) == (0.0, 0.0, 1.0, 1.0)


def test_calibration_chart_leaves_out_the_constant_and_draws_the_diagonal() -> None:
    curves = pd.DataFrame(
        {
            "model": ["constant_prior", "ensemble", "ensemble"],
            "mean_predicted": [0.1, 0.05, 0.5],
            "observed_rate": [0.1, 0.04, 0.55],
        }
    )
    figure = charts.calibration_chart(curves, {"constant_prior": 0.0, "ensemble": 0.0123}, "ens")
    assert [t.name for t in figure.data] == ["ensemble (ECE 0.0123)", "perfect"]
    assert list(figure.data[0].x) == [0.05, 0.5]
    assert list(figure.data[1].x) == [0, pytest.approx(0.55)]  # 10% above the largest bin
    assert figure.layout.title.text == "Calibration, test period (chosen: ens)"


def test_profit_fairness_and_importance_charts() -> None:
    curve = pd.DataFrame({"approval_rate": [0.0, 0.5, 1.0], "profit": [0.0, 3.0, -1.0]})
    profit = charts.profit_chart({"a": curve, "b": curve})
    assert [t.name for t in profit.data] == ["a", "b"]
    assert list(profit.data[0].y) == [0.0, 3.0, -1.0]
    table = pd.DataFrame(
        {
            "attribute": ["gender", "gender"],
            "group": ["F", "M"],
            "selection_rate": [0.2, 0.3],
            "tpr": [0.5, 0.6],
            "fpr": [0.1, 0.2],
            "auc": [0.7, 0.72],
        }
    )
    fairness = charts.fairness_chart(table, 0.1234)
    assert [t.name for t in fairness.data] == ["selection_rate", "tpr", "fpr", "auc"]
    assert list(fairness.data[0].x) == ["gender=F", "gender=M"]
    assert fairness.layout.barmode == "group"
    assert fairness.layout.title.text == "Fairness at threshold 0.123, test period"
    importance = pd.DataFrame({"feature": [f"f{i}" for i in range(30)], "mean_abs_shap": 1.0})
    bars = charts.importance_chart(importance).data[0]
    assert len(bars.y) == 20 and bars.orientation == "h"


def test_drift_chart_colours_by_severity_and_is_what_monitor_draws() -> None:
    rng = np.random.default_rng(0)
    reference = pd.DataFrame({"x": rng.normal(size=500), "score": rng.uniform(size=500)})
    current = pd.DataFrame({"x": rng.normal(1.0, size=500), "score": rng.uniform(size=500)})
    report, _, chart = drift.monitor(reference, current, [], ["x"], DriftParams(), "title")
    assert chart == charts.drift_chart(report, "title")
    assert list(chart.data[0].y) == report["feature"].tolist()
    assert chart.data[0].marker.color[0] == "#e45756"  # x drifted: critical
    assert chart.layout.xaxis.title.text == "PSI"


def test_the_charts_page_embeds_plotly_once_and_draws_every_figure() -> None:
    figures = {"roc": go.Figure(go.Scatter(y=[0, 1])), "ks": go.Figure(go.Bar(y=[2]))}
    text = charts.page(figures, "Charts of this run")
    assert text.count('class="plotly-graph-div"') == 2
    assert text.count("plotly.js v") == 1  # the library once, no network needed
    assert "<h2 id='roc'>roc</h2>" in text and text.index("id='roc'") < text.index("id='ks'")
