"""Assembles the investigator app: the shell, the pages and the store they read."""

from __future__ import annotations

import ipaddress
import logging
import signal
import threading
from pathlib import Path

import dash
import dash_cytoscape as cyto
import waitress
from dash import dcc, html

from dashboards import (
    audit,
    auth,
    compare_panel,
    export_control,
    graph_panel,
    ids,
    judgement_panel,
)
from dashboards.context import SEARCH_KEY, bind_search, bind_store
from dashboards.data import latest_analysis
from dashboards.pages import cases, explore, network, networks, overview, search
from dashboards.search_index import SearchService
from graphintel.errors import GraphIntelError
from graphintel.store import open_store
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ASSETS = Path(__file__).parent / "assets"


def _shell(signed_in: bool = False) -> html.Div:
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
            *(
                [html.A("Sign out", href=auth.LOGOUT_PATH, className="gi-nav-link")]
                if signed_in
                else []
            ),
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


def create_app(store: GraphStore, auth_config: auth.AuthConfig | None = None) -> dash.Dash:
    """The Dash app over ``store``; pages find the store through ``context.current_store``.
    With ``auth_config`` every request needs a signed-in user (see ``dashboards.auth``);
    searches, views and exports go to the store's audit log either way."""
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
    auth.install(app.server, auth_config)
    audit.bind(app.server, audit.AuditWriter(store))
    networks.register(app)
    network.register(app)
    graph_panel.register(app)
    judgement_panel.register(app)
    compare_panel.register(app)
    export_control.register(app)
    search.register(app)
    explore.register(app)
    cases.register(app)
    overview.register(app)
    # behind single sign-on, signing out is the proxy's business
    app.layout = _shell(signed_in=auth_config is not None and auth_config.mode == "users")
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _warm_networks_page(store: GraphStore) -> None:
    """Count the status line and read the ranked rows before the first visitor asks (the
    counts take seconds on a million shipments)."""
    try:
        networks.cached_summary(store)
        run = latest_analysis(store)
        if run is not None:
            networks.cached_rows(store, run.run_id)
    except GraphIntelError as exc:
        log.warning("could not prepare the networks page: %s", exc)


def _stop_serving(signum: int, frame: object) -> None:
    raise SystemExit(0)


def serve(
    store_url: str,
    host: str = "127.0.0.1",
    port: int = 8050,
    insecure: bool = False,
    threads: int = 8,
) -> None:
    """Open the store at ``store_url`` and serve the app with waitress until interrupted.

    Without ``GRAPHINTEL_AUTH`` there is no sign-in, so only a loopback address is served
    unless ``insecure`` says otherwise."""
    config = auth.AuthConfig.from_env()
    if config is None and not is_loopback(host) and not insecure:
        raise GraphIntelError(
            f"refusing to serve on {host} without sign-in: set GRAPHINTEL_AUTH (see README, "
            "Access control) or pass --insecure"
        )
    store = open_store(store_url)
    writer: audit.AuditWriter | None = None
    if threading.current_thread() is threading.main_thread():
        # SIGTERM (docker stop, systemd) ends waitress like Ctrl-C, so the audit entries still
        # queued are written before the process exits.
        signal.signal(signal.SIGTERM, _stop_serving)
    try:
        app = create_app(store, config)
        writer = app.server.config[audit.AUDIT_KEY]
        app.server.config[SEARCH_KEY].warm()  # build the search index while the user reads
        threading.Thread(
            target=_warm_networks_page, args=(store,), name="warm-networks", daemon=True
        ).start()
        log.info("serving %s on http://%s:%d", store.url, host, port)
        waitress.serve(app.server, host=host, port=port, threads=threads, ident="GraphIntel")
    finally:
        if writer is not None:
            writer.close()  # the last audit entries reach the store before it closes
        store.close()
