"""Search page ("/search?q=..."): typo-tolerant matches over parties and identifiers; each
result opens its neighbourhood in the workspace."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import dash
from dash import Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboards import audit, ids
from dashboards.components import kind_badge
from dashboards.context import current_search
from dashboards.search_index import SearchHit, SearchService

PATH = "/search"
RESULTS = 30


def explore_href(node_id: str) -> str:
    """The workspace path that opens ``node_id`` with its neighbourhood."""
    return f"/explore/{quote(node_id, safe='')}"


def search_href(text: str) -> str:
    return f"{PATH}?q={quote(text.strip(), safe='')}"


def result_list(hits: list[SearchHit]) -> Component:
    return html.Ul(
        [
            html.Li(
                [
                    kind_badge(h.kind),
                    dcc.Link(h.label, href=explore_href(h.node_id), className="gi-search-link"),
                    html.Span(h.node_id, className="gi-detail-id"),
                    html.Span(f"match {h.score:.0f}", className="gi-search-score"),
                ]
            )
            for h in hits
        ],
        id=ids.SEARCH_RESULTS,
        className="gi-search-results",
    )


def render(service: SearchService, q: str) -> Component:
    header = html.Div([html.H1("Search")], className="gi-page-header")
    if not q.strip():
        body: Any = html.P(
            "Type a name, phone, e-mail, address or payment id in the search box above; "
            "misspellings are fine.",
            className="gi-muted",
        )
    else:
        hits = service.search(q, limit=RESULTS)
        summary = html.P(
            f"{len(hits)} match{'es' if len(hits) != 1 else ''} for “{q.strip()}”"
            + ("" if hits else " — try fewer words or another spelling."),
            className="gi-run-meta",
        )
        body = [summary, result_list(hits)]
    return html.Div([header, html.Div(body)], id=ids.SEARCH_PAGE, className="gi-page")


def layout(q: str = "", **_: Any) -> Component:
    if q.strip():
        audit.record("search", q.strip())
    return render(current_search(), q)


def go_search(n_submit: int | None, text: str | None) -> Any:
    if not n_submit or not (text or "").strip():
        return dash.no_update
    return search_href(text or "")


def register(app: dash.Dash) -> None:
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__, path=PATH, name="Search", title="Search · GraphIntel", layout=layout, order=3
    )
    app.callback(
        Output(ids.NAV_LOCATION, "href", allow_duplicate=True),
        Input(ids.SEARCH_INPUT, "n_submit"),
        State(ids.SEARCH_INPUT, "value"),
        prevent_initial_call=True,
    )(go_search)
