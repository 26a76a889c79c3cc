"""Networks page ("/"): the ranked networks of the latest analysis run."""

from __future__ import annotations

import threading
from typing import Any, cast

import dash
from dash import Input, Output, State, dcc, html
from dash.dash_table.DataTable import DataTable
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components import fmt_int
from dashboards.context import current_store
from dashboards.data import (
    NETWORK_LIMIT,
    filter_rows,
    latest_analysis,
    network_rows,
    store_summary,
)
from dashboards.graph_panel import ISO_DATE
from graphintel.store.base import GraphStore

PATH = "/"

COLUMNS: list[dict[str, Any]] = [
    {"id": "rank", "name": "Rank", "type": "numeric"},
    {"id": "network", "name": "Network", "presentation": "markdown"},
    {"id": "score", "name": "Score", "type": "numeric"},
    {"id": "n_shipments", "name": "Shipments", "type": "numeric"},
    {"id": "n_entities", "name": "Entities", "type": "numeric"},
    {"id": "seized_count", "name": "Seized", "type": "numeric"},
    {"id": "first_date", "name": "First", "type": "text"},
    {"id": "last_date", "name": "Last", "type": "text"},
    {"id": "typologies", "name": "Typologies", "type": "text"},
    {"id": "reasons", "name": "Reasons", "type": "text"},
]
# Fixed widths for the short columns; "reasons" takes the rest.
COLUMN_WIDTHS: dict[str, str] = {
    "rank": "64px",
    "network": "140px",
    "score": "76px",
    "n_shipments": "92px",
    "n_entities": "84px",
    "seized_count": "76px",
    "first_date": "100px",
    "last_date": "100px",
    "typologies": "210px",
}
FONT = "Inter, Segoe UI, Roboto, Helvetica Neue, Arial, sans-serif"


# The status line's counts scan whole tables (seconds at a million shipments), yet change only
# when a load or a resolution commits: they are kept per store and recounted after either.
_SUMMARY_KEEP = 8
_summaries: dict[tuple[str, str, int], dict[str, int]] = {}
_summaries_lock = threading.Lock()


def cached_summary(store: GraphStore) -> dict[str, int]:
    """``store_summary``, recounted only when the store's loads or latest resolution change."""
    resolved = store.latest_run("resolve")
    key = (store.url, resolved.run_id if resolved else "", len(store.loads()))
    with _summaries_lock:
        found = _summaries.get(key)
    if found is None:
        found = store_summary(store)
        with _summaries_lock:
            if len(_summaries) >= _SUMMARY_KEEP:
                _summaries.pop(next(iter(_summaries)))
            _summaries[key] = found
    return found


_rows: dict[tuple[str, str], list[dict[str, Any]]] = {}


def cached_rows(store: GraphStore, run_id: str) -> list[dict[str, Any]]:
    """``network_rows`` of a finished run, read once: a run's networks never change."""
    key = (store.url, run_id)
    with _summaries_lock:
        found = _rows.get(key)
    if found is None:
        found = network_rows(store, run_id)
        with _summaries_lock:
            if len(_rows) >= _SUMMARY_KEEP:
                _rows.pop(next(iter(_rows)))
            _rows[key] = found
    return found


def summary_line(store: GraphStore) -> Component:
    counts = cached_summary(store)
    return html.Div(
        [
            html.Span([html.B(fmt_int(counts["shipments"])), " shipments"]),
            html.Span([html.B(fmt_int(counts["parties"])), " parties"]),
            html.Span([html.B(fmt_int(counts["identifiers"])), " identifiers"]),
            html.Span([html.B(fmt_int(counts["edges"])), " links"]),
        ],
        id=ids.NETWORKS_SUMMARY,
        className="gi-summary",
    )


def empty_state(title: str, body: list[Any]) -> Component:
    return html.Div([html.H2(title), html.P(body)], id=ids.NETWORKS_EMPTY, className="gi-empty")


def filter_options(column: dict[str, Any]) -> dict[str, str]:
    """Numbers take comparisons ("> 5"), text takes substrings. Case-insensitive filtering
    makes DataTable upper-case both sides and so compare numbers as strings ("30" > "100"),
    so only text columns get it."""
    if column.get("type") == "numeric":
        return {"case": "sensitive", "placeholder_text": "e.g. > 5"}
    return {"case": "insensitive", "placeholder_text": "contains…"}


def networks_table(rows: list[dict[str, Any]]) -> Component:
    # cast: dash's annotations want TypedDicts and numeric-keyed rows; plain dicts are valid.
    columns = [{**c, "filter_options": filter_options(c)} for c in COLUMNS]
    return DataTable(
        id=ids.NETWORKS_TABLE,
        columns=cast(Any, columns),
        data=cast(Any, rows),
        sort_action="native",
        sort_mode="multi",
        filter_action="native",
        page_action="native",
        page_size=50,
        markdown_options={"html": False, "link_target": "_self"},
        tooltip_data=[{"reasons": {"value": r["reasons"], "type": "text"}} for r in rows],
        tooltip_delay=400,
        tooltip_duration=None,
        cell_selectable=True,
        style_as_list_view=True,
        style_table={"overflowX": "auto"},
        # A fixed table layout lets "reasons" take the remaining width and end in an ellipsis.
        css=[{"selector": "table", "rule": "table-layout: fixed; width: 100%;"}],
        style_header={
            "backgroundColor": "#f1f5f9",
            "fontWeight": 600,
            "color": "#334155",
            "borderBottom": "1px solid #cbd5e1",
        },
        style_filter={"backgroundColor": "#ffffff"},
        style_cell={
            "fontFamily": FONT,
            "fontSize": "13px",
            "padding": "5px 8px",
            "textAlign": "left",
            "color": "#0f172a",
            "cursor": "pointer",
            "whiteSpace": "nowrap",
            "overflow": "hidden",
            "textOverflow": "ellipsis",
            "minWidth": "120px",
        },
        style_cell_conditional=[
            {"if": {"column_id": col}, "minWidth": w, "width": w, "maxWidth": w}
            for col, w in COLUMN_WIDTHS.items()
        ]
        + [
            {"if": {"column_id": col}, "textAlign": "right"}
            for col in ("rank", "score", "n_shipments", "n_entities", "seized_count")
        ],
        style_data_conditional=[
            {"if": {"row_index": "odd"}, "backgroundColor": "#f8fafc"},
            {
                "if": {"filter_query": "{seized_count} > 0", "column_id": "seized_count"},
                "color": "#b91c1c",
                "fontWeight": 600,
            },
            {"if": {"state": "active"}, "backgroundColor": "#e0e7ff", "border": "none"},
        ],
    )


def render(store: GraphStore) -> Component:
    """The page for ``store``: the table, or an empty state that says what to do."""
    header = html.Div([html.H1("Ranked networks"), summary_line(store)], className="gi-page-header")
    run = latest_analysis(store)
    if run is None:
        body: Any = empty_state(
            "No analysis yet",
            [
                "There is no finished analysis run in this store. Load manifests and run ",
                html.Code("graphintel run FILE"),
                " first, then reload this page.",
            ],
        )
        return html.Div([header, body], className="gi-page")
    rows = cached_rows(store, run.run_id)
    meta = [
        html.Span(["Run ", html.Code(run.run_id)]),
        html.Span(f"finished {run.finished_at.replace('T', ' ')}"),
        html.Span(
            f"top {fmt_int(len(rows))} networks shown"
            if len(rows) >= NETWORK_LIMIT
            else f"{fmt_int(len(rows))} networks"
        ),
        html.Span("click a row to open its link chart", className="gi-hint"),
    ]
    if not rows:
        body = empty_state(
            "No networks found",
            ["The latest analysis run found no networks worth ranking."],
        )
    else:
        body = [filters(rows), networks_table(rows)]
    return html.Div(
        [header, html.Div(meta, className="gi-run-meta"), html.Div(body)], className="gi-page"
    )


def filters(rows: list[dict[str, Any]]) -> Component:
    """Score, date-range and typology filters over the table (on top of its column filters)."""
    typologies = sorted({t.strip() for r in rows for t in r["typologies"].split(",") if t.strip()})
    return html.Div(
        [
            html.Label("Score ≥", htmlFor=ids.NETWORKS_MIN_SCORE),
            dcc.Input(
                id=ids.NETWORKS_MIN_SCORE, type="number", min=0, step=0.05, className="gi-date"
            ),
            html.Label("Active from", htmlFor=ids.NETWORKS_DATE_FROM),
            dcc.Input(
                id=ids.NETWORKS_DATE_FROM,
                type="text",
                placeholder="YYYY-MM-DD",
                className="gi-date",
            ),
            html.Label("to", htmlFor=ids.NETWORKS_DATE_TO),
            dcc.Input(
                id=ids.NETWORKS_DATE_TO, type="text", placeholder="YYYY-MM-DD", className="gi-date"
            ),
            dcc.Dropdown(
                id=ids.NETWORKS_TYPOLOGY,
                options=[{"label": t, "value": t} for t in typologies],
                multi=True,
                placeholder="any typology",
                className="gi-typology-filter",
            ),
            html.Span(f"{fmt_int(len(rows))} shown", id=ids.NETWORKS_SHOWN, className="gi-counts"),
        ],
        className="gi-toolbar gi-networks-filters",
    )


def apply_filters(
    store: GraphStore,
    min_score: float | None,
    date_from: str | None,
    date_to: str | None,
    typologies: list[str] | None,
) -> tuple[Any, str]:
    run = latest_analysis(store)
    if run is None:
        return dash.no_update, ""
    rows = cached_rows(store, run.run_id)
    dates = [(d or "").strip() for d in (date_from, date_to)]
    dates = [d if ISO_DATE.fullmatch(d) else "" for d in dates]
    shown = filter_rows(rows, min_score, dates[0] or None, dates[1] or None, typologies)
    return shown, f"{fmt_int(len(shown))} of {fmt_int(len(rows))} shown"


def _filters_callback(*args: Any) -> tuple[Any, str]:
    return apply_filters(current_store(), *args)


def layout(**_: Any) -> Component:
    return render(current_store())


def row_href(active_cell: dict[str, Any] | None, rows: list[dict[str, Any]] | None) -> Any:
    """Where a clicked table cell leads: its row's network page."""
    if not active_cell or not rows:
        return dash.no_update
    row_id = active_cell.get("row_id")
    for row in rows:
        if row["id"] == row_id:
            return row["href"]
    return dash.no_update


def register(app: dash.Dash) -> None:
    """Register the page and its callbacks on ``app``."""
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__, path=PATH, name="Networks", title="Networks · GraphIntel", layout=layout, order=0
    )
    app.callback(
        Output(ids.NETWORKS_TABLE, "data"),
        Output(ids.NETWORKS_SHOWN, "children"),
        Input(ids.NETWORKS_MIN_SCORE, "value"),
        Input(ids.NETWORKS_DATE_FROM, "value"),
        Input(ids.NETWORKS_DATE_TO, "value"),
        Input(ids.NETWORKS_TYPOLOGY, "value"),
        prevent_initial_call=True,
    )(_filters_callback)
    app.callback(
        Output(ids.NAV_LOCATION, "href"),
        Input(ids.NETWORKS_TABLE, "active_cell"),
        State(ids.NETWORKS_TABLE, "data"),
        prevent_initial_call=True,
    )(row_href)
