"""The request Dash's page router makes, for tests that drive the app's pages over HTTP."""

from __future__ import annotations

from typing import Any


def page_request(pathname: str, search: str = "") -> dict[str, Any]:
    """The body the browser posts to ``/_dash-update-component`` on going to ``pathname``."""
    return {
        "output": ".._pages_content.children..._pages_store.data..",
        "outputs": [
            {"id": "_pages_content", "property": "children"},
            {"id": "_pages_store", "property": "data"},
        ],
        "inputs": [
            {"id": "_pages_location", "property": "pathname", "value": pathname},
            {"id": "_pages_location", "property": "search", "value": search},
        ],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [],
    }
