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

from dashboards import export_control, ids, workspace
from dashboards.components import fmt_int, legend
from dashboards.context import current_store
from dashboards.data import MAX_ELEMENTS
from dashboards.styles import DEFAULT_LAYOUT, LAYOUT_LABELS, LAYOUTS, stylesheet
from dashboards.workspace import Element
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PRESET_ABOVE_NODES = 300  # larger charts open with the server-computed layout

# Runs in the browser when a toolbar button is pressed: the server gets the chart exactly as
# drawn (elements with classes, positions and pins; dash-cytoscape's own ``elements`` prop is
# re-synced from the browser without classes on some interactions, so it is not trusted) and
# the current selection along with the operation.
INTENT_JS = """
function() {
    const cc = dash_clientside.callback_context;
    if (!cc.triggered.length || !cc.triggered[0].value) {
        return dash_clientside.no_update;
    }
    const op = cc.triggered[0].prop_id.split('.')[0];
    const el = document.getElementById('gi-graph');
    const cy = el && el._cyreg && el._cyreg.cy;
    const positions = {};
    let selected = [];
    let elements = null;
    if (cy) {
        cy.nodes().forEach(n => {
            const p = n.position();
            positions[n.id()] = {x: p.x, y: p.y};
        });
        selected = cy.nodes(':selected').map(n => n.id());
        elements = cy.elements().map(e => {
            const out = {data: e.data(), classes: e.classes().join(' ')};
            if (e.isNode()) {
                out.position = positions[e.id()];
                if (e.locked()) { out.locked = true; }
            }
            return out;
        });
    }
    return {op: op, positions: positions, selected: selected, elements: elements,
            stamp: Date.now()};
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


def prepare(elements: list[Element]) -> tuple[list[Element], dict[str, Any]]:
    """Initial elements with deterministic positions and communities, and the layout to open
    with: the server's positions as a preset for large charts, else fCoSE started from them
    (so the same network looks the same on every load)."""
    elements = workspace.with_communities(elements)
    positions = workspace.seeded_positions(elements)
    elements = workspace.place(elements, positions)
    n_nodes = len(workspace.node_ids(elements))
    name = "preset" if n_nodes > PRESET_ABOVE_NODES else DEFAULT_LAYOUT
    return elements, layout_for(name)


def layout_for(name: str | None) -> dict[str, Any]:
    """The cytoscape layout options for a selector value (unknown names get the default)."""
    chosen = dict(LAYOUTS.get(name or DEFAULT_LAYOUT, LAYOUTS[DEFAULT_LAYOUT]))
    if chosen["name"] == "fcose":
        chosen["randomize"] = False  # start from the server's seeded positions
    return chosen


def _button(id_: str, text: str, title: str) -> Component:
    return html.Button(text, id=id_, title=title, n_clicks=0, className="gi-tool")


def toolbar(
    counts: str, layout_name: str, case_name: str = "", filters: dict[str, Any] | None = None
) -> Component:
    filters = filters or {}
    layout_pick = html.Div(
        [
            html.Label("Layout", htmlFor=ids.LAYOUT_SELECT),
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
                options=[{"label": " colour by community", "value": "on"}],
                value=["on"] if filters.get("community") else [],
                className="gi-community-toggle",
            ),
        ],
        className="gi-toolbar-group",
    )
    edits = html.Div(
        [
            _button(ids.BTN_EXPAND, "Expand", "Draw more neighbours of the selected node"),
            _button(ids.BTN_HIDE, "Hide", "Remove the selected nodes from the chart"),
            _button(ids.BTN_PIN, "Pin", "Pin or unpin the selected nodes in place"),
            _button(ids.BTN_PATH, "Path", "Shortest path between the last two nodes clicked"),
            _button(ids.BTN_UNDO, "↶ Undo", "Undo the last chart edit"),
            _button(ids.BTN_REDO, "↷ Redo", "Redo"),
        ],
        className="gi-toolbar-group gi-tools",
    )
    dates = html.Div(
        [
            html.Label("Shipments from", htmlFor=ids.DATE_FROM),
            dcc.Input(
                id=ids.DATE_FROM,
                type="text",
                placeholder="YYYY-MM-DD",
                value=filters.get("date_from") or "",
                className="gi-date",
            ),
            html.Label("to", htmlFor=ids.DATE_TO),
            dcc.Input(
                id=ids.DATE_TO,
                type="text",
                placeholder="YYYY-MM-DD",
                value=filters.get("date_to") or "",
                className="gi-date",
            ),
            _button(ids.BTN_DATES, "Fade outside", "Fade shipments outside the dates"),
            _button(ids.BTN_DATES_CLEAR, "Clear", "Clear the date filter"),
        ],
        className="gi-toolbar-group gi-dates",
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
            html.Div(
                [
                    layout_pick,
                    html.Div(
                        export_control.control(),
                        id=ids.EXPORT_SLOT,
                        className="gi-toolbar-group gi-export-slot",
                    ),
                    html.Span(counts, id=ids.GRAPH_COUNTS, className="gi-counts"),
                ],
                className="gi-toolbar",
            ),
            html.Div([edits, dates, case], className="gi-toolbar"),
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
) -> Component:
    """The chart with its toolbar; ``elements`` already carry positions when ``layout`` is
    given (a reopened case), else they are laid out here."""
    if layout is None:
        elements, layout = prepare(elements)
    chart = cyto.Cytoscape(
        id=ids.GRAPH,
        elements=elements,
        stylesheet=stylesheet(by_community=bool((filters or {}).get("community"))),
        layout=layout,
        minZoom=0.05,
        maxZoom=4,
        boxSelectionEnabled=True,
        autoRefreshLayout=False,  # edits keep positions; only a layout change re-runs one
        responsive=True,
        style={"width": "100%", "height": "100%"},
        className="gi-cytoscape",
    )
    layout_name = layout.get("name", DEFAULT_LAYOUT)
    children: list[Any] = [
        toolbar(counts, layout_name if layout_name in LAYOUTS else "preset", case_name, filters)
    ]
    if notice is not None:
        children.append(notice)
    children += [
        html.Div(chart, className="gi-chart"),
        legend(),
        dcc.Store(id=ids.INTENT),
        dcc.Store(id=ids.HISTORY, data=workspace.empty_history()),
        dcc.Store(id=ids.TAPPED, data=[]),
        dcc.Store(id=ids.CHIP_TARGET),
        dcc.Store(id=ids.WORKSPACE_CONTEXT, data={**context, "filters": filters or {}}),
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
) -> tuple[Any, Any, Any]:
    """(elements, history, status message) after one toolbar operation."""
    if not intent or not elements:
        return dash.no_update, dash.no_update, dash.no_update
    op = str(intent.get("op", ""))
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
        message = f"Shortest path: {len(path) - 1} hops, highlighted in green."
    elif op == ids.BTN_DATES:
        bad = [d for d in (date_from, date_to) if d and not ISO_DATE.fullmatch(d.strip())]
        if bad:
            return dash.no_update, dash.no_update, "Dates must be written YYYY-MM-DD."
        date_from = (date_from or "").strip()
        date_to = (date_to or "").strip()
        new = workspace.fade_outside(current, date_from or None, date_to or None)
        faded = sum(1 for e in new if workspace.is_node(e) and "faded" in workspace.classes_of(e))
        message = f"{fmt_int(faded)} shipments outside {date_from or '…'} – {date_to or '…'}."
    elif op == ids.BTN_DATES_CLEAR:
        new = workspace.fade_outside(current, None, None)
        message = "Date filter cleared."
    else:
        return dash.no_update, dash.no_update, dash.no_update
    new = workspace.with_communities(new)
    return new, workspace.push(history, current), message


def _apply_intent_callback(
    intent: dict[str, Any] | None,
    elements: list[Element] | None,
    history: dict[str, Any] | None,
    date_from: str | None,
    date_to: str | None,
    tapped: list[str] | None,
) -> tuple[Any, Any, Any]:
    return apply_intent(current_store(), intent, elements, history, date_from, date_to, tapped)


def _stylesheet_for(toggle: list[str] | None) -> list[dict[str, Any]]:
    return stylesheet(by_community=bool(toggle))


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
        prevent_initial_call=True,
    )(_apply_intent_callback)
    app.callback(
        Output(ids.GRAPH, "layout"),
        Input(ids.LAYOUT_SELECT, "value"),
        prevent_initial_call=True,
    )(layout_for)
    app.callback(
        Output(ids.GRAPH, "stylesheet"),
        Input(ids.COMMUNITY_TOGGLE, "value"),
        prevent_initial_call=True,
    )(_stylesheet_for)
