"""Networks page ("/"): the ranked networks of the latest analysis run."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import dash
import dash_ag_grid as dag
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.components import fmt_int
from dashboards.context import current_store
from dashboards.data import (
    NETWORK_LIMIT,
    filter_rows,
    latest_analysis,
    network_rows,
    row_countries,
    store_summary,
)
from dashboards.graph_panel import ISO_DATE
from graphintel.store.base import GraphStore

PATH = "/"

_NUMBER = {
    "filter": "agNumberColumnFilter",
    # A number typed in the filter row means "at least": what "Seized 1" or "Shipments 100"
    # usually asks.
    "filterParams": {"defaultOption": "greaterThanOrEqual"},
    "headerTooltip": "Filter row: at least this many",
    "type": "rightAligned",
}
_TEXT = {"filter": "agTextColumnFilter"}  # case-insensitive "contains"
COLUMN_DEFS: list[dict[str, Any]] = [
    {"field": "rank", "headerName": "Rank", "width": 76, **_NUMBER},
    {
        "field": "id",
        "headerName": "Network",
        "width": 112,
        "cellClass": "gi-grid-link",
        **_TEXT,
    },
    {
        "field": "name",
        "headerName": "Name",
        "width": 280,
        "cellClass": "gi-grid-link",
        "tooltipField": "name",
        **_TEXT,
    },
    {"field": "score", "headerName": "Score", "width": 86, **_NUMBER},
    {"field": "n_shipments", "headerName": "Shipments", "width": 108, **_NUMBER},
    {"field": "n_entities", "headerName": "Entities", "width": 96, **_NUMBER},
    {
        "field": "seized_count",
        "headerName": "Seized",
        "width": 88,
        "cellClassRules": {"gi-grid-seized": "params.value > 0"},
        **_NUMBER,
    },
    {"field": "first_date", "headerName": "First", "width": 108, **_TEXT},
    {"field": "last_date", "headerName": "Last", "width": 108, **_TEXT},
    {"field": "countries", "headerName": "Countries", "width": 112, **_TEXT},
    {"field": "typologies", "headerName": "Typologies", "width": 190, **_TEXT},
    {
        "field": "reasons",
        "headerName": "Reasons",
        "flex": 1,
        "minWidth": 260,
        "tooltipField": "reasons",
        **_TEXT,
    },
]
PAGE_SIZE = 25


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


def networks_table(rows: list[dict[str, Any]]) -> Component:
    """AG Grid (DataTable's successor in Dash 4): sort by any column (shift-click for
    several), a filter row under the headers, pages of ``PAGE_SIZE``. Cells render manifest
    text as text, never as HTML."""
    grid: Component = dag.AgGrid(
        id=ids.NETWORKS_TABLE,
        columnDefs=COLUMN_DEFS,
        rowData=rows,
        getRowId="params.data.id",
        defaultColDef={
            "sortable": True,
            "filter": True,
            "floatingFilter": True,
            "resizable": True,
            # a clean filter row: numbers mean "at least", text means "contains"
            "suppressFloatingFilterButton": True,
            "suppressHeaderFilterButton": True,
            "suppressHeaderMenuButton": True,
        },
        dashGridOptions={
            "pagination": True,
            "paginationPageSize": PAGE_SIZE,
            "paginationPageSizeSelector": [PAGE_SIZE, 50, 100],
            "domLayout": "autoHeight",
            "tooltipShowDelay": 400,
            "animateRows": False,
            "ensureDomOrder": True,  # rows in the page in the order shown (screen readers)
            "rowHeight": 34,
            "headerHeight": 36,
            "floatingFiltersHeight": 34,
        },
        rowStyle={"cursor": "pointer"},
        className="ag-theme-quartz gi-networks-grid",
        style={"width": "100%"},
    )
    return grid


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
    """Score, date-range, typology and country filters over the table (on top of its column
    filters); countries are offered with how many of the listed networks ship from each."""
    typologies = sorted({t.strip() for r in rows for t in r["typologies"].split(",") if t.strip()})
    countries = Counter(c for r in rows for c in row_countries(r))
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
            dcc.Dropdown(
                id=ids.NETWORKS_COUNTRY,
                options=[
                    {"label": f"{c} ({fmt_int(n)})", "value": c}
                    for c, n in sorted(countries.items(), key=lambda cn: (-cn[1], cn[0]))
                ],
                multi=True,
                placeholder="any origin country",
                className="gi-country-filter",
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
    countries: list[str] | None = None,
) -> tuple[Any, str]:
    run = latest_analysis(store)
    if run is None:
        return dash.no_update, ""
    rows = cached_rows(store, run.run_id)
    dates = [(d or "").strip() for d in (date_from, date_to)]
    dates = [d if ISO_DATE.fullmatch(d) else "" for d in dates]
    shown = filter_rows(rows, min_score, dates[0] or None, dates[1] or None, typologies, countries)
    return shown, f"{fmt_int(len(shown))} of {fmt_int(len(rows))} shown"


def _filters_callback(*args: Any) -> tuple[Any, str]:
    return apply_filters(current_store(), *args)


def layout(**_: Any) -> Component:
    return render(current_store())


def row_href(clicked: dict[str, Any] | None, rows: list[dict[str, Any]] | None) -> Any:
    """Where a clicked grid cell leads: its row's network page (AG Grid names the row by
    ``getRowId``, the network id)."""
    if not clicked or not rows:
        return dash.no_update
    row_id = clicked.get("rowId")
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
        Output(ids.NETWORKS_TABLE, "rowData"),
        Output(ids.NETWORKS_SHOWN, "children"),
        Input(ids.NETWORKS_MIN_SCORE, "value"),
        Input(ids.NETWORKS_DATE_FROM, "value"),
        Input(ids.NETWORKS_DATE_TO, "value"),
        Input(ids.NETWORKS_TYPOLOGY, "value"),
        Input(ids.NETWORKS_COUNTRY, "value"),
        prevent_initial_call=True,
    )(_filters_callback)
    app.callback(
        Output(ids.NAV_LOCATION, "href"),
        Input(ids.NETWORKS_TABLE, "cellClicked"),
        State(ids.NETWORKS_TABLE, "rowData"),
        prevent_initial_call=True,
    )(row_href)
