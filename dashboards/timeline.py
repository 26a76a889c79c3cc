"""The timeline under the link chart: shipments per day (seized ones stacked in red). Dragging
across it (a brush) filters the chart to the shipments of those days; the dates it picked
show in the two date boxes beside it, which can also be typed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.styles import SEIZED_COLOUR

# Runs in the browser when the investigator brushes the timeline: the chart as drawn plus the
# brushed days go to the server as a date-filter intent (as the toolbar buttons do).
BRUSH_JS = """
function(selected) {
    const none = dash_clientside.no_update;
    if (!selected || !selected.range || !selected.range.x) { return [none, none, none]; }
    const day = v => String(v).slice(0, 10);
    const from = day(selected.range.x[0]);
    const to = day(selected.range.x[1]);
    const drawn = window.giChart.drawn();
    return [from, to, Object.assign(drawn, {op: 'gi-btn-dates', selected: [], date_from: from,
                                            date_to: to, stamp: Date.now()})];
}
"""


def daily_counts(days: Iterable[tuple[str, bool]]) -> list[tuple[str, int, int]]:
    """(day, shipments, seized) per day with shipments, in date order, from (date, seized)
    pairs; undated shipments are left out."""
    total: Counter[str] = Counter()
    seized: Counter[str] = Counter()
    for day, was_seized in days:
        if not day:
            continue
        total[day[:10]] += 1
        seized[day[:10]] += int(was_seized)
    return [(d, total[d], seized[d]) for d in sorted(total)]


def figure(counts: list[tuple[str, int, int]]) -> dict[str, Any]:
    """A plotly bar chart of ``counts``, compact, with a horizontal brush as its drag mode."""
    days = [d for d, _, _ in counts]
    note = [] if counts else [{"text": "no dated shipments", "showarrow": False}]
    return {
        "data": [
            {
                "type": "bar",
                "x": days,
                "y": [n - s for _, n, s in counts],
                "name": "shipments",
                "marker": {"color": "#64748b"},
                "hovertemplate": "%{x}: %{y} shipments<extra></extra>",
            },
            {
                "type": "bar",
                "x": days,
                "y": [s for _, _, s in counts],
                "name": "seized",
                "marker": {"color": SEIZED_COLOUR},
                "hovertemplate": "%{x}: %{y} seized<extra></extra>",
            },
        ],
        "layout": {
            "barmode": "stack",
            "dragmode": "select",
            "selectdirection": "h",
            "margin": {"l": 28, "r": 8, "t": 4, "b": 20},
            "height": 72,
            "showlegend": False,
            "xaxis": {
                "type": "date",
                "tickformat": "%b %d",
                "tickfont": {"size": 10},
                "fixedrange": True,
            },
            "yaxis": {"tickfont": {"size": 9}, "fixedrange": True, "nticks": 3},
            "plot_bgcolor": "#ffffff",
            "paper_bgcolor": "#ffffff",
            "annotations": note,
        },
    }


def strip(counts: list[tuple[str, int, int]], filters: dict[str, Any] | None = None) -> Component:
    """The timeline with its date boxes and buttons."""
    filters = filters or {}
    dates = html.Div(
        [
            html.Div("Shipments per day: drag across to filter", className="gi-timeline-title"),
            html.Div(
                [
                    dcc.Input(
                        id=ids.DATE_FROM,
                        type="text",
                        placeholder="from YYYY-MM-DD",
                        value=filters.get("date_from") or "",
                        className="gi-date",
                    ),
                    dcc.Input(
                        id=ids.DATE_TO,
                        type="text",
                        placeholder="to YYYY-MM-DD",
                        value=filters.get("date_to") or "",
                        className="gi-date",
                    ),
                ],
                className="gi-timeline-dates",
            ),
            html.Div(
                [
                    html.Button(
                        "Filter",
                        id=ids.BTN_DATES,
                        title="Fade what lies outside the dates",
                        n_clicks=0,
                        className="gi-tool",
                    ),
                    html.Button(
                        "Clear",
                        id=ids.BTN_DATES_CLEAR,
                        title="Clear the date filter",
                        n_clicks=0,
                        className="gi-tool",
                    ),
                ],
                className="gi-timeline-dates",
            ),
        ],
        className="gi-timeline-side",
    )
    graph = dcc.Graph(
        id=ids.TIMELINE,
        figure=figure(counts),
        config={"displayModeBar": False, "responsive": True},
        className="gi-timeline-graph",
    )
    return html.Div([dates, graph], className="gi-timeline")
