"""Network page ("/network/<run_id>/<network_id>"): one network as a link chart, the reasons
it ranks with their evidence, and a detail panel for the node the investigator clicks."""

from __future__ import annotations

from typing import Any

import dash
from dash import ALL, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from dashboards import audit, colouring, ids, summary_view, timeline
from dashboards import graph_panel as graph_panel_
from dashboards.components import detail_panel, detail_placeholder, edge_panel, fmt_int
from dashboards.context import current_store
from dashboards.data import (
    MAX_ELEMENTS,
    GraphView,
    cytoscape_elements,
    network_href,
    network_path_ids,
    network_view,
    node_detail,
    seized_shipments,
)
from dashboards.styles import DEFAULT_LAYOUT, LAYOUTS
from graphintel.analytics.naming import TYPOLOGY_WORDS
from graphintel.export.summary import summarize_network
from graphintel.labels import evidence_node_id, short_label
from graphintel.model import NodeKind, node_id
from graphintel.records import Network
from graphintel.store.base import GraphStore

PATH_TEMPLATE = "/network/<run_id>/<network_id>"
SHIPMENT_PREFIX = node_id(NodeKind.SHIPMENT, "")
EVIDENCE_CHIPS_SHOWN = 12
SUMMARY_ABOVE = 80  # members (entities + shipments) above which the summary opens first
FULL, SUMMARY = "full", "summary"


def title(run_id: str = "", network_id: str = "") -> str:
    return f"{network_path_ids(run_id, network_id)[1]} · GraphIntel"


def _meta(network: Network) -> Component:
    dates = " – ".join(d for d in (network.first_date, network.last_date) if d) or "—"
    items: list[tuple[str, str]] = [
        ("Rank", f"#{network.rank}"),
        ("Score", f"{network.score:.1f} points"),
        ("Shipments", fmt_int(network.n_shipments)),
        ("Entities", fmt_int(network.n_entities)),
        ("Dates", dates),
        ("Seized", fmt_int(network.seized_count)),
    ]
    chips = [
        html.Span([html.Span(k, className="gi-stat-key"), html.Span(v)], className="gi-stat")
        for k, v in items
    ]
    chips += [
        html.Span(TYPOLOGY_WORDS.get(t, t), title=t, className="gi-typology")
        for t in network.typologies
    ]
    return html.Div(chips, className="gi-stats")


def _points(value: float) -> Component:
    return html.Span(f"{value:+.1f}", className="gi-points", title="points this reason added")


def _reasons(view: GraphView) -> Component:
    """Each reason with the points it added to the score and the ids it cites (buttons that
    open the node's detail); the score's other parts (bonuses, reasons not listed) after."""
    labels = {n.id: n.label for n in view.nodes}
    points = view.network.points
    blocks: list[Any] = []
    for reason in view.network.reasons:
        cited = [evidence_node_id(ev) for ev in view.network.evidence.get(reason, [])]
        chips: list[Component] = [
            html.Button(
                short_label(labels.get(ev, ev), 28),
                id={"type": ids.EVIDENCE_CHIP, "node": ev},
                title=ev,
                className="gi-chip",
                n_clicks=0,
            )
            for ev in cited[:EVIDENCE_CHIPS_SHOWN]
        ]
        if len(cited) > EVIDENCE_CHIPS_SHOWN:
            chips.append(
                html.Span(f"+{len(cited) - EVIDENCE_CHIPS_SHOWN} more", className="gi-chip-more")
            )
        head: list[Any] = [html.Span(reason)]
        if reason in points:
            head.insert(0, _points(points[reason]))
        blocks.append(
            html.Li(
                [
                    html.Div(head, className="gi-reason-text"),
                    html.Div(chips, className="gi-chips"),
                ]
            )
        )
    for other in (r for r in points if r not in view.network.evidence):
        blocks.append(
            html.Li(
                html.Div([_points(points[other]), html.Span(other)], className="gi-reason-text"),
                className="gi-reason-extra",
            )
        )
    if not blocks:
        blocks.append(html.Li("No reasons recorded for this network.", className="gi-muted"))
    title = "Why it ranks"
    if points:
        title += f": {view.network.score:.1f} points"
    return html.Aside(
        [html.H4(title), html.Ol(blocks, className="gi-reasons-list")],
        id=ids.REASONS,
        className="gi-panel gi-reasons",
    )


def _notice(view: GraphView) -> Component | None:
    """Say plainly when the chart is not the whole network."""
    lines: list[str] = []
    if view.collapsed:
        lines.append(
            f"Large network: {fmt_int(view.total_nodes + view.total_edges)} elements exceed the "
            f"{fmt_int(MAX_ELEMENTS)} the chart draws, so shipments are folded into weighted "
            "party-to-party and party-to-identifier links (edge width = shared shipments)."
        )
    if view.omitted_nodes:
        lines.append(
            f"{fmt_int(view.omitted_nodes)} less connected entities are left out; the "
            f"{fmt_int(len(view.nodes))} most connected (cited evidence first) are shown."
        )
    if view.missing_nodes:
        lines.append(
            f"{fmt_int(view.missing_nodes)} members of this network are no longer in the "
            "resolved graph (it was re-resolved after the analysis ran)."
        )
    if not lines:
        return None
    return html.Div([html.Div(line) for line in lines], id=ids.GRAPH_NOTICE, className="gi-notice")


def _counts(view: GraphView) -> str:
    drawn = f"{fmt_int(len(view.nodes))} nodes · {fmt_int(len(view.edges))} links"
    if view.collapsed or view.omitted_nodes:
        drawn += (
            f" drawn (network: {fmt_int(view.total_nodes)} nodes · "
            f"{fmt_int(view.total_edges)} links)"
        )
    return drawn


def view_switch(network: Network, current: str) -> Component:
    """Links between the summarised chart and the full one (every shipment drawn)."""
    href = network_href(network.run_id, network.network_id)
    return html.Div(
        [
            dcc.Link(
                "Summary",
                href=f"{href}?view={SUMMARY}",
                title="Shipments folded into links between parties and identifiers",
                className="gi-view" + (" gi-view-on" if current == SUMMARY else ""),
            ),
            dcc.Link(
                "Full chart",
                href=f"{href}?view={FULL}",
                title="Every shipment drawn as a node",
                className="gi-view" + (" gi-view-on" if current == FULL else ""),
            ),
        ],
        id=ids.VIEW_SWITCH,
        className="gi-view-switch",
    )


def chosen_view(network: Network, asked: str | None) -> str:
    """The summary for a large network unless the full chart is asked for, and vice versa."""
    if asked in (FULL, SUMMARY):
        return str(asked)
    return SUMMARY if network.n_shipments + network.n_entities > SUMMARY_ABOVE else FULL


def graph_panel(store: GraphStore, view: GraphView, mode: str = FULL) -> Component:
    network = view.network
    context = {"run_id": network.run_id, "network_id": network.network_id, "view": mode}
    member = colouring.membership(store, network.run_id)
    switch = view_switch(network, mode)
    if mode == SUMMARY:
        summary = summarize_network(store, network.network_id, network.run_id)
        elements = colouring.tag(summary_view.summary_elements(summary, view.evidence_ids), member)
        counts = (
            f"{fmt_int(len(summary.nodes))} nodes · {fmt_int(len(summary.links))} links "
            f"summarising {fmt_int(summary.shipments)} shipments"
        )
        return graph_panel_.panel(
            elements,
            counts,
            None,
            context,
            layout=dict(LAYOUTS[DEFAULT_LAYOUT]),
            timeline_counts=list(summary.timeline),
            view_switch=switch,
            member=member,
        )
    seized = set() if view.collapsed else seized_shipments(store, view)
    shipments = store.shipments([s.partition(":")[2] for s in network.shipment_ids]) or []
    days = timeline.daily_counts(
        (s.arrival_date, s.inspection_outcome.strip().lower() == "seized") for s in shipments
    )
    return graph_panel_.panel(
        cytoscape_elements(view, seized),
        _counts(view),
        _notice(view),
        context,
        timeline_counts=days,
        view_switch=switch,
        member=member,
    )


def not_found(run_id: str, network_id: str) -> Component:
    return html.Div(
        [
            html.H2("Network not found"),
            html.P(
                [
                    "There is no network ",
                    html.Code(network_id),
                    " in run ",
                    html.Code(run_id),
                    ". ",
                    dcc.Link("Back to the ranked networks", href="/"),
                ]
            ),
        ],
        id=ids.NETWORK_MISSING,
        className="gi-page gi-empty",
    )


def render(
    store: GraphStore, run_id: str, network_id: str, asked_view: str | None = None
) -> Component:
    """The page for one network of one run (ids already decoded), as its summary or its
    full chart (``asked_view``; by default the summary for a large network)."""
    view = network_view(store, run_id, network_id)
    if view is None:
        return not_found(run_id, network_id)
    mode = chosen_view(view.network, asked_view)
    header = html.Div(
        [
            html.Div(
                [dcc.Link("Networks", href="/"), html.Span(" / "), html.Span(run_id)],
                className="gi-breadcrumb",
            ),
            html.Div(
                [
                    html.H1(view.network.name or network_id, title=network_id),
                    html.Span(network_id, className="gi-network-id"),
                    _meta(view.network),
                ],
                className="gi-network-title",
            ),
        ],
        className="gi-page-header",
    )
    body = html.Div(
        [
            _reasons(view),
            graph_panel(store, view, mode),
            html.Aside(
                [html.H4("Details"), html.Div(detail_placeholder(), id=ids.DETAIL)],
                className="gi-panel gi-detail",
            ),
        ],
        className="gi-network-grid",
    )
    return html.Div([header, body], id=ids.NETWORK_PAGE, className="gi-page gi-page-wide")


def layout(run_id: str = "", network_id: str = "", view: str = "", **_: Any) -> Component:
    run, network = network_path_ids(run_id, network_id)
    audit.record("view", f"{run}/{network}", "network")
    return render(current_store(), run, network, view or None)


def _context_network(store: GraphStore, context: dict[str, Any] | None) -> Network | None:
    if not context or not context.get("run_id") or not context.get("network_id"):
        return None
    return store.network(str(context["run_id"]), str(context["network_id"]))


def show_detail(
    store: GraphStore,
    trigger: Any,
    tapped: dict[str, Any] | None,
    context: dict[str, Any] | None = None,
    edge: dict[str, Any] | None = None,
) -> Component:
    """The detail panel for whatever was clicked last: a chart node, a link or an evidence
    chip."""
    if isinstance(trigger, dict) and trigger.get("type") == ids.EVIDENCE_CHIP:
        chosen = str(trigger.get("node", ""))
    elif trigger == ids.GRAPH and edge is not None and ctx_prop() == "tapEdgeData":
        return show_edge(store, edge)
    elif tapped and tapped.get("id"):
        chosen = str(tapped["id"])
    else:
        return detail_placeholder()
    audit.record("view", chosen, "detail")
    return detail_panel(node_detail(store, chosen, _context_network(store, context)), chosen)


def ctx_prop() -> str:
    """Which property of the triggering component fired the running callback."""
    try:
        return str(ctx.triggered[0]["prop_id"]).rsplit(".", 1)[-1]
    except (IndexError, KeyError, TypeError):
        return ""


def show_edge(store: GraphStore, edge: dict[str, Any]) -> Component:
    ends = [str(edge.get("source", "")), str(edge.get("target", ""))]
    labels = {n.id: n.label for n in store.nodes(ends)}
    shipment = None
    for end in ends:
        if end.startswith(SHIPMENT_PREFIX):
            found = store.shipments([end.partition(":")[2]])
            shipment = found[0] if found else None
    return edge_panel(edge, labels, shipment)


def _detail_callback(
    tapped: dict[str, Any] | None,
    edge: dict[str, Any] | None,
    chip_clicks: list[int | None],
    context: dict[str, Any] | None,
) -> Any:
    trigger = ctx.triggered_id
    if isinstance(trigger, dict) and not any(chip_clicks):
        # Chips are created with n_clicks=0; a fresh page is not a click.
        return dash.no_update
    return show_detail(current_store(), trigger, tapped, context, edge)


def register(app: dash.Dash) -> None:
    """Register the page and its callbacks on ``app``."""
    dash.register_page(  # type: ignore[no-untyped-call]
        __name__,
        path_template=PATH_TEMPLATE,
        name="Network",
        title=title,
        layout=layout,
        order=1,
    )
    app.callback(
        Output(ids.DETAIL, "children"),
        Input(ids.GRAPH, "tapNodeData"),
        Input(ids.GRAPH, "tapEdgeData"),
        Input({"type": ids.EVIDENCE_CHIP, "node": ALL}, "n_clicks"),
        State(ids.WORKSPACE_CONTEXT, "data"),
        prevent_initial_call=True,
    )(_detail_callback)
