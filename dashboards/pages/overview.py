"""Overview page ("/overview"): what is in the store at a glance — shipments over time, the
declared-value distribution against the $800 de minimis line, typology counts of the latest
analysis, top origin countries, and the status of the latest runs."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import dash
import plotly.graph_objects as go
from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components import fmt_int, table
from dashboards.context import current_store
from dashboards.data import NETWORK_LIMIT, latest_analysis
from graphintel.manifest import DE_MINIMIS_USD
from graphintel.records import RunRecord, ShipmentStats
from graphintel.store.base import GraphStore

PATH = "/overview"
VALUE_BIN = 50.0
VALUE_CAP = 2000.0
FONT = {"family": "Inter, Segoe UI, Roboto, Helvetica, Arial, sans-serif", "size": 12}
BLUE = "#2563eb"


def _figure(title: str) -> go.Figure:
    fig = go.Figure()
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        font=FONT,
        margin={"l": 50, "r": 20, "t": 40, "b": 40},
        height=300,
        plot_bgcolor="#ffffff",
        paper_bgcolor="#ffffff",
        showlegend=False,
    )
    fig.update_xaxes(gridcolor="#e2e8f0")
    fig.update_yaxes(gridcolor="#e2e8f0")
    return fig


def shipments_over_time(stats: ShipmentStats) -> go.Figure:
    fig = _figure("Shipments per month")
    fig.add_bar(
        x=[m for m, _ in stats.by_month], y=[n for _, n in stats.by_month], marker_color=BLUE
    )
    fig.update_xaxes(type="category")  # one bar per month, labelled as such
    return fig


def value_distribution(stats: ShipmentStats) -> go.Figure:
    """Declared values in ``VALUE_BIN`` bins with the de minimis threshold drawn; mass piling
    up just under it is the signature of undervaluation and split orders."""
    fig = _figure(f"Declared value (USD, ${VALUE_BIN:.0f} bins; ≥ ${VALUE_CAP:,.0f} in the last)")
    fig.add_bar(
        x=[lo + VALUE_BIN / 2 for lo, _ in stats.value_bins],
        y=[n for _, n in stats.value_bins],
        width=VALUE_BIN * 0.95,
        marker_color=[
            "#dc2626" if lo < DE_MINIMIS_USD <= lo + VALUE_BIN else BLUE
            for lo, _ in stats.value_bins
        ],
    )
    fig.add_vline(
        x=DE_MINIMIS_USD,
        line_dash="dash",
        line_color="#b91c1c",
        annotation_text=f"${DE_MINIMIS_USD:,.0f} de minimis",
        annotation_position="top right",
    )
    return fig


def typology_counts(typologies: Counter[str]) -> go.Figure:
    fig = _figure("Networks by typology (latest analysis)")
    items = typologies.most_common()
    fig.add_bar(
        x=[n for _, n in items], y=[t for t, _ in items], orientation="h", marker_color="#9333ea"
    )
    fig.update_yaxes(autorange="reversed")
    return fig


def top_countries(stats: ShipmentStats) -> go.Figure:
    fig = _figure("Top origin countries")
    fig.add_bar(
        x=[n for _, n in stats.countries],
        y=[c or "(blank)" for c, _ in stats.countries],
        orientation="h",
        marker_color="#0891b2",
    )
    fig.update_yaxes(autorange="reversed")
    return fig


def runs_table(runs: list[RunRecord]) -> Component:
    latest: dict[str, RunRecord] = {}
    for r in runs:
        latest[r.kind] = r  # runs come oldest first
    rows = [
        (
            r.kind,
            r.status,
            r.started_at.replace("T", " ")[:19],
            r.finished_at.replace("T", " ")[:19],
            r.message or "—",
        )
        for r in latest.values()
    ]
    if not rows:
        return html.P("No runs yet.", className="gi-muted")
    return table(("Run", "Status", "Started", "Finished", "Message"), rows, "gi-runs-table")


# The statistics scan every shipment (tens of seconds at a million) yet change only when a load
# commits: they are kept per store and recomputed after one.
_STATS_KEEP = 8
_stats: dict[tuple[str, int], ShipmentStats] = {}
_stats_lock = threading.Lock()


def cached_stats(store: GraphStore) -> ShipmentStats:
    """``store.shipment_stats`` for the overview, recomputed only when the store's loads change."""
    key = (store.url, len(store.loads()))
    with _stats_lock:
        found = _stats.get(key)
    if found is None:
        found = store.shipment_stats(VALUE_BIN, VALUE_CAP)
        with _stats_lock:
            if len(_stats) >= _STATS_KEEP:
                _stats.pop(next(iter(_stats)))
            _stats[key] = found
    return found


def render(store: GraphStore) -> Component:
    stats = cached_stats(store)
    run = latest_analysis(store)
    typologies: Counter[str] = Counter()
    if run is not None:
        for net in store.networks(run.run_id, limit=NETWORK_LIMIT, with_members=False):
            typologies.update(net.typologies)
    under = sum(n for lo, n in stats.value_bins if lo + VALUE_BIN <= DE_MINIMIS_USD)
    header = html.Div(
        [
            html.H1("Overview"),
            html.Div(
                [
                    html.Span([html.B(fmt_int(stats.total)), " shipments"]),
                    html.Span(
                        [
                            html.B(f"{under / stats.total:.1%}" if stats.total else "—"),
                            f" declared under ${DE_MINIMIS_USD:,.0f}",
                        ]
                    ),
                ],
                className="gi-summary",
            ),
        ],
        className="gi-page-header",
    )
    graphs: list[Any] = [
        dcc.Graph(figure=shipments_over_time(stats), config={"displaylogo": False}),
        dcc.Graph(figure=value_distribution(stats), config={"displaylogo": False}),
        dcc.Graph(figure=typology_counts(typologies), config={"displaylogo": False}),
        dcc.Graph(figure=top_countries(stats), config={"displaylogo": False}),
    ]
    return html.Div(
        [
            header,
            html.Div(
                [html.Div(g, className="gi-panel") for g in graphs], className="gi-overview-grid"
            ),
            html.Section(
                [html.H4("Latest runs"), runs_table(store.runs())], className="gi-panel gi-section"
            ),
        ],
        id=ids.OVERVIEW_PAGE,
        className="gi-page",
    )


def layout(**_: Any) -> Component:
    return render(current_store())


def register(app: dash.Dash) -> None:
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__, path=PATH, name="Overview", title="Overview · GraphIntel", layout=layout, order=2
    )
