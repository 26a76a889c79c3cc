"""Explore page ("/explore/<node id>"): one party or identifier opened from search with its
neighbourhood, in the same workspace as a network (expand, path, cases...)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import dash
from dash import html
from dash.development.base_component import Component

from dashboards import audit, colouring, graph_panel, ids, workspace
from dashboards.components import detail_placeholder, fmt_int
from dashboards.context import current_store
from dashboards.data import MAX_ELEMENTS
from graphintel.model import NodeKind
from graphintel.store.base import GraphReader

PATH_TEMPLATE = "/explore/<node_id>"
FIRST_HOP = 40  # neighbours of the opened node
SECOND_HOP = 6  # entities drawn per neighbouring shipment (its shipper, consignee, address...)


def neighbourhood(store: GraphReader, node: str) -> tuple[list[workspace.Element], str] | None:
    """The node, up to ``FIRST_HOP`` neighbours and, through each neighbouring shipment, the
    entities on it; and a line saying what was left out. None if the node is unknown."""
    found = store.nodes([node])
    if not found:
        return None
    _, degree = store.neighbours(node, limit=0)
    start = [workspace.node_element(found[0], degree, cited=True)]
    first = workspace.expand(store, start, node, {}, limit=FIRST_HOP, budget=MAX_ELEMENTS)
    elements = first.elements
    for el in list(elements):
        if el["data"].get("kind") == NodeKind.SHIPMENT.value:
            more = workspace.expand(
                store, elements, str(el["data"]["id"]), {}, limit=SECOND_HOP, budget=MAX_ELEMENTS
            )
            elements = more.elements
    note = f"{first.added} of {fmt_int(first.total)} neighbours drawn"
    if first.not_shown:
        note += f" ({fmt_int(first.not_shown)} not shown: select the node and Expand for more)"
    return elements, note


def render(store: GraphReader, node: str, member: colouring.Membership | None = None) -> Component:
    built = neighbourhood(store, node)
    if built is None:
        return html.Div(
            [html.H2("Not in the store"), html.P(f"There is no node {node!r} in the graph.")],
            id=ids.EXPLORE_PAGE,
            className="gi-page gi-empty",
        )
    elements, note = built
    label = next((str(e["data"]["label"]) for e in elements if e["data"]["id"] == node), node)
    header = html.Div(
        [html.H1(label), html.Div(note, className="gi-run-meta")], className="gi-page-header"
    )
    body = html.Div(
        [
            graph_panel.panel(
                elements,
                graph_panel.counts_text(elements),
                None,
                {"node_id": node},
                member=member,
            ),
            html.Aside(
                [html.H4("Details"), html.Div(detail_placeholder(), id=ids.DETAIL)],
                className="gi-panel gi-detail",
            ),
        ],
        className="gi-network-grid gi-explore-grid",
    )
    return html.Div([header, body], id=ids.EXPLORE_PAGE, className="gi-page gi-page-wide")


def layout(node_id: str = "", **_: Any) -> Component:
    audit.record("view", unquote(node_id), "explore")
    store = current_store()
    return render(store, unquote(node_id), colouring.membership(store, None))


def register(app: dash.Dash) -> None:
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__,
        path_template=PATH_TEMPLATE,
        name="Explore",
        title="Explore · GraphIntel",
        layout=layout,
        order=4,
    )
