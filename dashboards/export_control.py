"""The link-chart export control in the workspace toolbar: the investigator picks a format
and gets the chart as shown. PNG comes from the browser (cytoscape's own renderer, via
dash-cytoscape ``generateImage``); every other format is written on the server from the
drawn nodes, their positions and links, with labels and source rows read from the store."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import dash
from dash import Input, Output, State, dcc, html
from dash.dcc.express import send_bytes
from dash.development.base_component import Component

from dashboards import audit, auth, ids, workspace
from dashboards.context import current_store
from graphintel.errors import GraphIntelError
from graphintel.export import FORMATS, Chart, ViewEdge, chart_from_view, safe_filename
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

BROWSER_PNG = "png"
FORMAT_LABELS: dict[str, str] = {
    "png": "PNG image",
    "svg": "SVG image",
    "anx": "i2 Analyst's Notebook (.anx)",
    "graphml": "GraphML",
    "gexf": "GEXF (Gephi)",
    "cytoscape": "Cytoscape.js JSON",
    "csv": "CSV tables (.zip)",
    "ftm": "FollowTheMoney (.json lines)",
    "pdf": "PDF case report",
}

# Runs in the browser: PNG is drawn by cytoscape itself; for the other formats the drawn
# node positions and links go to the server, which writes the file.
EXPORT_JS = """
function(clicks, fmt, context) {
    const none = dash_clientside.no_update;
    if (!clicks) { return [none, none]; }
    const c = context || {};
    const base = ['graphintel', c.case_id || c.network_id || 'chart', c.run_id || '']
        .filter(Boolean).join('-').replace(/[^A-Za-z0-9._-]+/g, '_');
    if (fmt === 'png') {
        // drawn here; the server is told so the export is audited
        return [{type: 'png', action: 'download', filename: base,
                 options: {full: true, bg: '#ffffff', scale: 2}},
                {format: fmt, browser: true, stamp: Date.now()}];
    }
    const el = document.getElementById('gi-graph');
    const cy = el && el._cyreg && el._cyreg.cy;
    if (!cy) { return [none, none]; }
    const positions = {};
    cy.nodes().forEach(n => { const p = n.position(); positions[n.id()] = [p.x, p.y]; });
    const edges = cy.edges().map(e => [e.data('source'), e.data('target'),
                                      String(e.data('kind') || ''), Number(e.data('weight') || 1)]);
    return [none, {format: fmt, positions: positions, edges: edges, stamp: Date.now()}];
}
"""


EXPORT_ROLE = "analyst"


def control() -> Component:
    """Format picker, Export button, and the download it feeds (mounted in the toolbar slot);
    a note instead for a user whose role may not export."""
    if not auth.has_role(EXPORT_ROLE):
        return html.Span(
            f"Export needs the {EXPORT_ROLE} role", className="gi-export-status gi-muted"
        )
    return html.Div(
        [
            html.Label("Export", htmlFor=ids.EXPORT_FORMAT),
            dcc.Dropdown(
                id=ids.EXPORT_FORMAT,
                options=[{"label": FORMAT_LABELS[k], "value": k} for k in FORMATS],
                value=BROWSER_PNG,
                clearable=False,
                searchable=False,
                className="gi-export-select",
            ),
            html.Button(
                "Export",
                id=ids.BTN_EXPORT,
                n_clicks=0,
                title="Download the chart as shown in the chosen format",
                className="gi-tool",
            ),
            html.Span(id=ids.EXPORT_STATUS, className="gi-export-status"),
            dcc.Download(id=ids.EXPORT_DOWNLOAD),
            dcc.Store(id=ids.EXPORT_REQUEST),
        ],
        className="gi-toolbar-group gi-export",
    )


def export_file(request: dict[str, Any] | None, context: dict[str, Any] | None) -> Any:
    """The download (``dcc.send_bytes``) for one export request from the browser; HTTP 403
    for a user whose role may not export. Every export is audited."""
    if not request or request.get("format") not in FORMATS:
        raise dash.exceptions.PreventUpdate
    auth.require_role(EXPORT_ROLE)
    fmt = FORMATS[str(request["format"])]
    ctx = context or {}
    what = str(
        ctx.get("case_id") or "/".join(str(ctx.get(k) or "") for k in ("run_id", "network_id"))
    )
    if request.get("browser"):  # a PNG the browser drew itself
        audit.record("export", what, fmt.name)
        return dash.no_update, "Exported PNG"
    positions = {
        str(k): (float(v[0]), float(v[1])) for k, v in (request.get("positions") or {}).items()
    }
    edges = [
        ViewEdge(str(s), str(t), str(kind), float(w))
        for s, t, kind, w in request.get("edges") or []
    ]
    run_id = str(ctx.get("run_id") or "") or None
    network_id = str(ctx.get("network_id") or "")
    case_name = str(ctx.get("case_name") or ctx.get("case_id") or "")
    try:
        case = current_store().case(str(ctx["case_id"])) if ctx.get("case_id") else None
        if case is not None:
            case_name = case.name
        chart = chart_from_view(
            current_store(),
            positions,
            edges,
            run_id=run_id,
            network_id=network_id,
            case_name=case_name,
        )
        data = fmt.render(chart)
    except GraphIntelError as exc:
        log.warning("export failed: %s", exc)
        return dash.no_update, f"Export failed: {exc}"
    stem = "-".join(p for p in ("graphintel", case_name or network_id, chart.run_id) if p)
    filename = safe_filename(stem, fmt.extension)
    audit.record("export", what, f"{fmt.name} {filename} ({len(chart.nodes)} nodes)")
    return send_bytes(data, filename), f"Exported {filename}"  # type: ignore[no-untyped-call]


def case_payload_from_chart(store: GraphStore, chart: Chart) -> dict[str, Any]:
    """A case payload (the shape ``pages.cases`` saves and reopens) from an exported chart,
    e.g. Cytoscape.js JSON read back: nodes the store knows, at the chart's positions, styled
    like any workspace element; labels come from the store, not from the file."""
    records = {r.id: r for r in store.nodes([n.id for n in chart.nodes])}
    degree: Counter[str] = Counter()
    for e in chart.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    elements: list[workspace.Element] = []
    for n in chart.nodes:
        record = records.get(n.id)
        if record is None:
            continue
        element = workspace.node_element(
            record, degree[n.id], cited="evidence" in n.flags, seized="seized" in n.flags
        )
        element["position"] = {"x": n.x, "y": n.y}
        elements.append(element)
    elements += [
        workspace.edge_element(e.source, e.target, e.kind, e.weight)
        for e in chart.edges
        if e.source in records and e.target in records
    ]
    return {
        "elements": elements,
        "filters": {"date_from": "", "date_to": "", "community": False, "layout": "preset"},
        "notes": store.notes(list(records)),
        "source": {"run_id": chart.run_id, "network_id": chart.network_id},
    }


def register(app: dash.Dash) -> None:
    app.clientside_callback(  # type: ignore[no-untyped-call]
        EXPORT_JS,
        Output(ids.GRAPH, "generateImage"),
        Output(ids.EXPORT_REQUEST, "data"),
        Input(ids.BTN_EXPORT, "n_clicks"),
        State(ids.EXPORT_FORMAT, "value"),
        State(ids.WORKSPACE_CONTEXT, "data"),
        prevent_initial_call=True,
    )
    app.callback(
        Output(ids.EXPORT_DOWNLOAD, "data"),
        Output(ids.EXPORT_STATUS, "children"),
        Input(ids.EXPORT_REQUEST, "data"),
        State(ids.WORKSPACE_CONTEXT, "data"),
        prevent_initial_call=True,
    )(export_file)
