"""The model card: one self-contained HTML page that opens offline."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd
import plotly.graph_objects as go

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}
h1{margin-bottom:0}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ddd;padding:.25em .6em;
text-align:right}th{background:#f5f5f5}td:first-child,th:first-child{text-align:left}
.promote{color:#1a7f37;font-weight:bold}.hold{color:#cf222e;font-weight:bold}
.flag{color:#cf222e}.muted{color:#666}
"""


def _table(frame: pd.DataFrame, digits: int = 4) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:.{digits}f}", border=0)


def _list(items: list[str], empty: str) -> str:
    if not items:
        return f"<p class='muted'>{html.escape(empty)}</p>"
    return "<ul>" + "".join(f"<li class='flag'>{html.escape(i)}</li>" for i in items) + "</ul>"


def render(sections: dict[str, Any], charts: dict[str, go.Figure]) -> str:
    """Render the card.

    Args:
        sections: Everything the card reports (see the evaluation pipeline's node).
        charts: Title -> figure; plotly.js is embedded once, so no network is needed.

    Returns:
        The HTML page.
    """
    decision = sections["decision"]
    verdict = (
        "<span class='promote'>PROMOTE</span>"
        if decision["promote"]
        else "<span class='hold'>DO NOT PROMOTE</span>"
    )
    data = sections["data"]
    parts = [
        f"<h1>Model card: {html.escape(decision['candidate'])}</h1>",
        "<p class='muted'>credit-risk, loan default risk. Lineage: "
        f"{html.escape(sections['lineage'])}</p>",
        f"<h2>Decision</h2><p>{verdict}</p>",
        _list(decision["reasons"], ""),
        "<h2>Intended use</h2><p>Ranks consumer-loan applications by their probability of "
        "default at the application date, to support approve/decline decisions with a "
        "threshold chosen for expected profit. Not for pricing, collections or any use on "
        "populations unlike the training data; decisions about people need human review.</p>",
        "<h2>Data</h2>",
        _table(data["splits"], 4),
        f"<p>Feature table: {data['rows']:,} rows, content SHA-256 "
        f"<code>{data['sha256']}</code>; quarantined raw rows: {data['quarantined']:,} of "
        f"{data['rows_in']:,}.</p>",
        f"<p>{html.escape(data['fitted_on'])}</p>",
        "<h2>Metrics on the out-of-time test period (95% bootstrap intervals)</h2>",
        _table(sections["metrics"]),
        "<h2>Against the limit</h2>",
        _table(sections["bayes"]),
        "<h2>Variance across training folds</h2>",
        _table(sections["variance"]),
        "<h2>Calibration</h2>",
        _table(sections["ece"]),
        "<h2>Fairness</h2>",
        _table(sections["fairness"], 3),
        _list(sections["fairness_flags"], "No fairness flag."),
        "<h2>Drift, training to test</h2>",
        _table(sections["drift"], 4),
        _list(sections["drift_flags"], "No drift flag."),
        "<h2>Business view</h2>",
        _table(sections["business"], 3),
        "<h2>Limitations</h2><ul>"
        + "".join(f"<li>{html.escape(x)}</li>" for x in sections["limitations"])
        + "</ul>",
        "<h2>Risk register</h2>",
        _list(sections["risks"], "No open risk."),
        "<h2>Charts</h2>",
    ]
    for i, (title, figure) in enumerate(charts.items()):
        parts.append(f"<h3>{html.escape(title)}</h3>")
        parts.append(figure.to_html(full_html=False, include_plotlyjs=(i == 0)))
    body = "\n".join(parts)
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Model card</title>"
        f"<style>{_STYLE}</style></head><body>{body}</body></html>"
    )
