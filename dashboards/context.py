"""Which store the running app reads: set once by ``create_app``, found from any callback.

The store lives on the app's Flask server rather than in a module global, so two apps in
one process (as in the tests) never read each other's store.
"""

from __future__ import annotations

from typing import Any, cast

import flask

from dashboards.auth import current_user
from graphintel.store.base import GraphStore

STORE_KEY = "GRAPHINTEL_STORE"


def bind_store(server: Any, store: GraphStore) -> None:
    """Attach ``store`` to a Flask server."""
    server.config[STORE_KEY] = store


def current_store() -> GraphStore:
    """The store of the app serving the current request."""
    return cast(GraphStore, flask.current_app.config[STORE_KEY])


SEARCH_KEY = "GRAPHINTEL_SEARCH"


def bind_search(server: Any, service: Any) -> None:
    """Attach the app's search service (see ``dashboards.search_index``) to a Flask server."""
    server.config[SEARCH_KEY] = service


def current_search() -> Any:
    """The search service of the app serving the current request."""
    return flask.current_app.config[SEARCH_KEY]


def current_user_name() -> str:
    """The name the app records judgements (and other edits) under: the signed-in user, or
    the OS user when the app runs without sign-in (see ``dashboards.auth``)."""
    return current_user().name
