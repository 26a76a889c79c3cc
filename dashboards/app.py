"""Assembles the investigator app: the shell, the pages and the store they read."""

from __future__ import annotations

import logging
from pathlib import Path

import dash
import dash_cytoscape as cyto
from dash import dcc, html

from dashboards import export_control, graph_panel, ids
from dashboards.context import SEARCH_KEY, bind_search, bind_store
from dashboards.pages import cases, explore, network, networks, overview, search
from dashboards.search_index import SearchService
from graphintel.store import open_store
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "assets"


def _shell() -> html.Div:
    header = html.Header(
        [
            dcc.Link(
                [html.Span("◆", className="gi-logo-mark"), "GraphIntel"],
                href="/",
                className="gi-logo",
            ),
            html.Nav(
                [
                    dcc.Link("Networks", href="/", className="gi-nav-link"),
                    dcc.Link("Overview", href="/overview", className="gi-nav-link"),
                    dcc.Link("Cases", href="/cases", className="gi-nav-link"),
                ]
            ),
            dcc.Input(
                id=ids.SEARCH_INPUT,
                type="search",
                placeholder="Search names, phones, e-mails, addresses, payment ids…",
                className="gi-search-box",
                debounce=False,
            ),
            html.Span("counter-network investigation", className="gi-tagline"),
        ],
        id=ids.HEADER,
        className="gi-header",
    )
    return html.Div(
        [
            dcc.Location(id=ids.NAV_LOCATION, refresh="callback-nav"),
            header,
            html.Div(dash.page_container, className="gi-content"),
        ],
        className="gi-root",
    )


def create_app(store: GraphStore) -> dash.Dash:
    """The Dash app over ``store``; pages find the store through ``context.current_store``."""
    # The extra layouts (fcose, cose-bilkent) ship inside dash-cytoscape and are served from
    # the package, so this works offline; it must run before the app renders its scripts.
    cyto.load_extra_layouts()
    app = dash.Dash(
        __name__,
        use_pages=True,
        pages_folder="",
        assets_folder=str(ASSETS),
        title="GraphIntel",
        suppress_callback_exceptions=True,
        update_title="",
        serve_locally=True,
    )
    bind_store(app.server, store)
    bind_search(app.server, SearchService(store))
    networks.register(app)
    network.register(app)
    graph_panel.register(app)
    export_control.register(app)
    search.register(app)
    explore.register(app)
    cases.register(app)
    overview.register(app)
    app.layout = _shell()
    return app


def serve(store_url: str, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Open the store at ``store_url`` and serve the app until interrupted (loopback by default)."""
    store = open_store(store_url)
    try:
        app = create_app(store)
        app.server.config[SEARCH_KEY].warm()  # build the search index while the user reads
        log.info("serving %s on http://%s:%d", store.url, host, port)
        app.run(host=host, port=port, debug=False)
    finally:
        store.close()
