"""The link-chart workspace shared by the network, explore and case pages: the chart, its
toolbar (layout, community colouring, expand, hide, pin, path, undo/redo, date filter, case
save, and a slot for the export control) and the callbacks that apply the edits."""

from __future__ import annotations

import logging
import re
from typing import Any

import dash
import dash_cytoscape as cyto
from dash import ALL, Input, Output, State, dcc, html
from dash.development.base_component import Component

from dashboards import chart_layout, colouring, export_control, ids, timeline, workspace
from dashboards.components import fmt_int, legend, path_list
from dashboards.context import current_store
from dashboards.data import MAX_ELEMENTS
from dashboards.styles import (
    DEFAULT_LAYOUT,
    LABEL_PX,
    LAYOUT_LABELS,
    LAYOUTS,
    SERVER_LAYOUTS,
    stylesheet,
)
from dashboards.workspace import Element
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
WHEEL_SENSITIVITY = 0.25  # a wheel tick zooms by about 1.2x, not 2x
MIN_ZOOM, MAX_ZOOM = 0.08, 3.0

# Key nodes (parties, cited evidence, seizures) keep readable labels when the chart is zoomed
# out to fit (see window.giChart.watchLabels in assets/graphintel.js).
LABELS_JS = f"""
function(elements) {{
    window.giChart.watchLabels({LABEL_PX}, 600);
    return Date.now();
}}
"""

# Runs in the browser when a toolbar button is pressed: the server gets the chart exactly as
# drawn (window.giChart.drawn, in assets/graphintel.js) along with the operation.
INTENT_JS = """
function() {
    const cc = dash_clientside.callback_context;
    if (!cc.triggered.length || !cc.triggered[0].value) {
        return dash_clientside.no_update;
    }
    const op = cc.triggered[0].prop_id.split('.')[0];
    return Object.assign(window.giChart.drawn(), {op: op, stamp: Date.now()});
}
"""

# Remembers the last two nodes clicked: the ends of a shortest-path request.
TAPPED_JS = """
function(tapped, previous) {
    if (!tapped || !tapped.id) { return dash_clientside.no_update; }
    const last = (previous || []).filter(x => x !== tapped.id);
    return [...last, tapped.id].slice(-2);
}
"""

# An evidence chip selects its node in the chart and centres it.
CHIP_SELECT_JS = """
function(clicks) {
    const cc = dash_clientside.callback_context;
    if (!cc.triggered.length || !cc.triggered[0].value) {
        return dash_clientside.no_update;
    }
    const nodeId = JSON.parse(cc.triggered[0].prop_id.split('.')[0]).node;
    const el = document.getElementById('gi-graph');
    const cy = el && el._cyreg && el._cyreg.cy;
    if (cy) {
        const n = cy.getElementById(nodeId);
        cy.nodes(':selected').unselect();
        if (n.nonempty()) {
            n.select();
            cy.animate({center: {eles: n}, duration: 250});
        }
    }
    return nodeId;
}
"""


def prepare(
    elements: list[Element], member: colouring.Membership | None = None
) -> tuple[list[Element], dict[str, Any]]:
    """Initial elements tagged with their network and placed by the server (no overlap, the
    same picture on every load), and the preset layout that shows them."""
    elements = colouring.tag(elements, member)
    elements = workspace.place(elements, chart_layout.seeded_positions(elements))
    return elements, dict(LAYOUTS[DEFAULT_LAYOUT])


def layout_for(name: str | None, elements: list[Element] | None = None) -> dict[str, Any]:
    """The cytoscape layout for a selector value (unknown names get the default); the server
    layouts carry their positions for ``elements``."""
    key = name if name in LAYOUTS else DEFAULT_LAYOUT
    chosen = dict(LAYOUTS[key])
    if key in SERVER_LAYOUTS:
        compute = (
            chart_layout.concentric_positions
            if key == "concentric"
            else chart_layout.seeded_positions
        )
        chosen["positions"] = compute(elements or [])
    return chosen


def _button(id_: str, text: str, title: str) -> Component:
    return html.Button(text, id=id_, title=title, n_clicks=0, className="gi-tool")


def toolbar(
    counts: str,
    layout_name: str,
    case_name: str = "",
    filters: dict[str, Any] | None = None,
    view_switch: Component | None = None,
) -> Component:
    """Two compact rows that fit a 1366 px screen beside the side panels: how the chart is
    drawn (view, layout, colouring, counts), then what the investigator does with it."""
    filters = filters or {}
    drawing = html.Div(
        [
            *([view_switch] if view_switch is not None else []),
            dcc.Dropdown(
                id=ids.LAYOUT_SELECT,
                options=[{"label": LAYOUT_LABELS[k], "value": k} for k in LAYOUTS],
                value=layout_name,
                clearable=False,
                searchable=False,
                className="gi-layout-select",
            ),
            dcc.Checklist(
                id=ids.COMMUNITY_TOGGLE,
                options=[{"label": " colour by network", "value": "on"}],
                value=["on"] if filters.get("community") else [],
                className="gi-community-toggle",
            ),
            html.Span(counts, id=ids.GRAPH_COUNTS, className="gi-counts"),
        ],
        className="gi-toolbar",
    )
    edits = html.Div(
        [
            _button(ids.BTN_EXPAND, "Expand", "Draw more neighbours of the selected node"),
            _button(ids.BTN_HIDE, "Hide", "Remove the selected nodes from the chart"),
            _button(ids.BTN_PIN, "Pin", "Pin or unpin the selected nodes in place"),
            _button(ids.BTN_PATH, "Path", "Shortest path between the last two nodes clicked"),
            _button(ids.BTN_UNDO, "↶", "Undo the last chart edit"),
            _button(ids.BTN_REDO, "↷", "Redo"),
        ],
        className="gi-toolbar-group gi-tools",
    )
    case = html.Div(
        [
            dcc.Input(
                id=ids.CASE_NAME,
                type="text",
                placeholder="case name",
                value=case_name,
                className="gi-case-name",
            ),
            _button(ids.BTN_SAVE_CASE, "Save case", "Save this chart, notes and filters"),
            html.Span(id=ids.CASE_STATUS, className="gi-case-status"),
        ],
        className="gi-toolbar-group",
    )
    return html.Div(
        [
            drawing,
            html.Div(
                [
                    edits,
                    case,
                    html.Div(
                        export_control.control(),
                        id=ids.EXPORT_SLOT,
                        className="gi-toolbar-group gi-export-slot",
                    ),
                ],
                className="gi-toolbar",
            ),
            html.Div(
                "Click a node to inspect it; click two nodes then Path for the shortest "
                "path between them.",
                id=ids.GRAPH_STATUS,
                className="gi-graph-status",
            ),
        ],
        id=ids.GRAPH_TOOLBAR,
    )


def panel(
    elements: list[Element],
    counts: str,
    notice: Component | None,
    context: dict[str, Any],
    filters: dict[str, Any] | None = None,
    layout: dict[str, Any] | None = None,
    case_name: str = "",
    timeline_counts: list[tuple[str, int, int]] | None = None,
    view_switch: Component | None = None,
    member: colouring.Membership | None = None,
) -> Component:
    """The chart with its toolbar, timeline and legend; ``elements`` already carry positions
    when ``layout`` is given (a reopened case), else they are laid out here. ``member`` is
    the analysis run's network membership, for colouring by network."""
    filters = filters or {}
    if layout is None:
        elements, layout = prepare(elements, member)
    else:
        elements = colouring.tag(elements, member)
    by_network = bool(filters.get("community"))
    chart = cyto.Cytoscape(
        id=ids.GRAPH,
        elements=elements,
        stylesheet=stylesheet(by_community=by_network),
        layout=layout,
        minZoom=MIN_ZOOM,
        maxZoom=MAX_ZOOM,
        wheelSensitivity=WHEEL_SENSITIVITY,
        boxSelectionEnabled=True,
        autoRefreshLayout=False,  # edits keep positions; only a layout change re-runs one
        responsive=True,
        style={"width": "100%", "height": "100%"},
        className="gi-cytoscape",
    )
    if timeline_counts is None:
        timeline_counts = timeline.daily_counts(
            (str(e["data"].get("date", "")), "seized" in workspace.classes_of(e))
            for e in elements
            if e["data"].get("kind") == "Shipment"
        )
    layout_name = str(filters.get("layout") or DEFAULT_LAYOUT)
    children: list[Any] = [
        toolbar(
            counts,
            layout_name if layout_name in LAYOUTS else DEFAULT_LAYOUT,
            case_name,
            filters,
            view_switch,
        )
    ]
    if notice is not None:
        children.append(notice)
    children += [
        html.Div(chart, className="gi-chart"),
        timeline.strip(timeline_counts, filters),
        html.Div(
            legend(colouring.legend_entries(elements, by_network)),
            id=ids.LEGEND,
            className="gi-legend",
        ),
        dcc.Store(id=ids.INTENT),
        dcc.Store(id=ids.HISTORY, data=workspace.empty_history()),
        dcc.Store(id=ids.TAPPED, data=[]),
        dcc.Store(id=ids.CHIP_TARGET),
        dcc.Store(id=ids.LABELS_HOOK),
        dcc.Store(id=ids.WORKSPACE_CONTEXT, data={**context, "filters": filters}),
    ]
    return html.Main(children, className="gi-panel gi-graph-panel")


def counts_text(elements: list[Element]) -> str:
    n_nodes = len(workspace.node_ids(elements))
    return f"{fmt_int(n_nodes)} nodes · {fmt_int(len(elements) - n_nodes)} links"


# -- the edit dispatcher -------------------------------------------------------------------------
def drawn_elements(intent: dict[str, Any], fallback: list[Element] | None) -> list[Element]:
    """The chart as the browser drew it when the button was pressed, else ``fallback``."""
    drawn = intent.get("elements")
    return list(drawn) if isinstance(drawn, list) else list(fallback or [])


def _chosen(intent: dict[str, Any], tapped: list[str] | None) -> list[str]:
    selected = [str(s) for s in intent.get("selected") or []]
    return selected or list(tapped or [])[-1:]


def apply_intent(
    store: GraphStore,
    intent: dict[str, Any] | None,
    elements: list[Element] | None,
    history: dict[str, Any] | None,
    date_from: str | None,
    date_to: str | None,
    tapped: list[str] | None,
    context: dict[str, Any] | None = None,
) -> tuple[Any, Any, Any]:
    """(elements, history, status) after one toolbar operation or timeline brush; the
    status is a line of text, or a path's hops listed under it."""
    if not intent or not elements:
        return dash.no_update, dash.no_update, dash.no_update
    op = str(intent.get("op", ""))
    if "date_from" in intent:  # a brush on the timeline carries its own dates
        date_from, date_to = str(intent["date_from"]), str(intent.get("date_to", ""))
    positions: workspace.Positions = intent.get("positions") or {}
    current = workspace.place(drawn_elements(intent, elements), positions)
    labels = {str(e["data"]["id"]): str(e["data"].get("label", "")) for e in current}
    if op == ids.BTN_UNDO or op == ids.BTN_REDO:
        step = (workspace.undo if op == ids.BTN_UNDO else workspace.redo)(history, current)
        if step is None:
            return dash.no_update, dash.no_update, f"Nothing to {op.rsplit('-', 1)[-1]}."
        return step[0], step[1], "Undone." if op == ids.BTN_UNDO else "Redone."
    chosen = _chosen(intent, tapped)
    new: list[Element]
    message: Any
    if op == ids.BTN_EXPAND:
        if not chosen:
            return dash.no_update, dash.no_update, "Select a node to expand first."
        target = chosen[-1]
        grown = workspace.expand(store, current, target, positions, budget=MAX_ELEMENTS)
        new = grown.elements
        message = (
            f"Expanded {labels.get(target, target)}: {grown.added} neighbours added, "
            f"{fmt_int(grown.not_shown)} not shown ({fmt_int(grown.total)} links in all)."
        )
    elif op == ids.BTN_HIDE:
        if not chosen:
            return dash.no_update, dash.no_update, "Select nodes to hide first."
        new = workspace.hide(current, chosen)
        message = f"Hid {len(chosen)} node{'s' if len(chosen) != 1 else ''} (Undo brings back)."
    elif op == ids.BTN_PIN:
        if not chosen:
            return dash.no_update, dash.no_update, "Select nodes to pin first."
        new = workspace.toggle_pin(current, chosen)
        message = f"Pin toggled on {len(chosen)} node{'s' if len(chosen) != 1 else ''}."
    elif op == ids.BTN_PATH:
        ends = list(tapped or [])
        if len(ends) < 2:
            return dash.no_update, dash.no_update, "Click two nodes, then Path."
        path = workspace.shortest_path(store, ends[0], ends[1])
        if path is None:
            return (
                dash.no_update,
                dash.no_update,
                f"No path within {workspace.PATH_MAX_DEPTH} hops between "
                f"{labels.get(ends[0], ends[0])} and {labels.get(ends[1], ends[1])}.",
            )
        new = workspace.show_path(store, current, path, positions)
        message = path_list(
            f"Shortest path: {len(path) - 1} hops, highlighted in green:",
            workspace.path_hops(store, path),
        )
    elif op == ids.BTN_DATES:
        bad = [d for d in (date_from, date_to) if d and not ISO_DATE.fullmatch(d.strip())]
        if bad:
            return dash.no_update, dash.no_update, "Dates must be written YYYY-MM-DD."
        date_from = (date_from or "").strip()
        date_to = (date_to or "").strip()
        new = workspace.fade_outside(current, date_from or None, date_to or None)
        faded = sum(
            1
            for e in new
            if e["data"].get("kind") == "Shipment" and "faded" in workspace.classes_of(e)
        )
        links = sum(
            1 for e in new if not workspace.is_node(e) and "faded" in workspace.classes_of(e)
        )
        message = (
            f"{fmt_int(faded)} shipments outside {date_from or '…'} – {date_to or '…'}"
            f" ({fmt_int(links)} links faded)."
        )
    elif op == ids.BTN_DATES_CLEAR:
        new = workspace.fade_outside(current, None, None)
        message = "Date filter cleared."
    else:
        return dash.no_update, dash.no_update, dash.no_update
    new = colouring.tag(new, colouring.membership(store, (context or {}).get("run_id")))
    return new, workspace.push(history, current), message


def _apply_intent_callback(
    intent: dict[str, Any] | None,
    elements: list[Element] | None,
    history: dict[str, Any] | None,
    date_from: str | None,
    date_to: str | None,
    tapped: list[str] | None,
    context: dict[str, Any] | None,
) -> tuple[Any, Any, Any]:
    return apply_intent(
        current_store(), intent, elements, history, date_from, date_to, tapped, context
    )


def _stylesheet_for(toggle: list[str] | None) -> list[dict[str, Any]]:
    return stylesheet(by_community=bool(toggle))


def _legend_for(toggle: list[str] | None, elements: list[Element] | None) -> list[Component]:
    return legend(colouring.legend_entries(elements or [], bool(toggle)))


def register(app: dash.Dash) -> None:
    """Callbacks of the workspace, shared by every page that shows it."""
    buttons = (
        ids.BTN_EXPAND,
        ids.BTN_HIDE,
        ids.BTN_PIN,
        ids.BTN_PATH,
        ids.BTN_UNDO,
        ids.BTN_REDO,
        ids.BTN_DATES,
        ids.BTN_DATES_CLEAR,
        ids.BTN_SAVE_CASE,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        INTENT_JS,
        Output(ids.INTENT, "data"),
        [Input(b, "n_clicks") for b in buttons],
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        TAPPED_JS,
        Output(ids.TAPPED, "data"),
        Input(ids.GRAPH, "tapNodeData"),
        State(ids.TAPPED, "data"),
        prevent_initial_call=True,
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        CHIP_SELECT_JS,
        Output(ids.CHIP_TARGET, "data"),
        Input({"type": ids.EVIDENCE_CHIP, "node": ALL}, "n_clicks"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.GRAPH, "elements"),
        Output(ids.HISTORY, "data"),
        Output(ids.GRAPH_STATUS, "children"),
        Input(ids.INTENT, "data"),
        State(ids.GRAPH, "elements"),
        State(ids.HISTORY, "data"),
        State(ids.DATE_FROM, "value"),
        State(ids.DATE_TO, "value"),
        State(ids.TAPPED, "data"),
        State(ids.WORKSPACE_CONTEXT, "data"),
        prevent_initial_call=True,
    )(_apply_intent_callback)
    app.callback(
        Output(ids.GRAPH, "layout"),
        Input(ids.LAYOUT_SELECT, "value"),
        State(ids.GRAPH, "elements"),
        prevent_initial_call=True,
    )(layout_for)
    app.callback(
        Output(ids.LEGEND, "children"),
        Input(ids.COMMUNITY_TOGGLE, "value"),
        Input(ids.GRAPH, "elements"),
        prevent_initial_call=True,
    )(_legend_for)
    app.clientside_callback(  # type: ignore[no-untyped-call]
        LABELS_JS,
        Output(ids.LABELS_HOOK, "data"),
        Input(ids.GRAPH, "elements"),
    )
    app.clientside_callback(  # type: ignore[no-untyped-call]
        timeline.BRUSH_JS,
        Output(ids.DATE_FROM, "value"),
        Output(ids.DATE_TO, "value"),
        Output(ids.INTENT, "data", allow_duplicate=True),
        Input(ids.TIMELINE, "selectedData"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.GRAPH, "stylesheet"),
        Input(ids.COMMUNITY_TOGGLE, "value"),
        prevent_initial_call=True,
    )(_stylesheet_for)
