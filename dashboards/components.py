"""Small view builders shared by the pages.

Manifest text is untrusted: it only ever becomes the text children of components (React
escapes it), never raw HTML, never markdown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from dash import dcc, html
from dash.development.base_component import Component

from dashboards import ids
from dashboards.colouring import LegendEntry
from dashboards.compare_panel import aliases_section, compare_section
from dashboards.data import PROVENANCE_LIMIT, NodeDetail
from dashboards.judgement_panel import judgement_section
from dashboards.merge_view import merge_section
from dashboards.styles import LEGEND_CLIP_PATHS, NODE_STYLES
from dashboards.workspace import Hop
from graphintel.model import NodeKind

# Shipment fields worth showing in the detail panel, in reading order.
SHIPMENT_FIELDS: tuple[tuple[str, str], ...] = (
    ("arrival_date", "Arrival"),
    ("declared_value_usd", "Declared value (USD)"),
    ("shipper_name", "Shipper"),
    ("consignee_name", "Consignee"),
    ("seller_name", "Seller"),
    ("marketplace", "Marketplace"),
    ("description", "Description"),
    ("hts_code", "HTS"),
    ("country_of_origin", "Origin"),
    ("carrier", "Carrier"),
    ("port_of_entry", "Port"),
    ("inspection_outcome", "Inspection"),
    ("seizure_category", "Seizure category"),
)


def fmt_int(n: int) -> str:
    return f"{n:,}"


def kind_badge(kind: NodeKind | str) -> Component:
    """A small coloured tag naming a node kind."""
    kind = NodeKind(kind)
    style = NODE_STYLES[kind]
    return html.Span(style.label, className="gi-badge", style={"backgroundColor": style.colour})


def legend(entries: Sequence[LegendEntry]) -> list[Component]:
    """The legend's items for the chart as drawn (see colouring.legend_entries): a swatch in
    each fill colour on the chart, a ring per marker, with how many nodes show it."""
    items: list[Component] = []
    for entry in entries:
        if entry.shape:
            swatch = html.Span(
                className="gi-legend-swatch",
                style={"backgroundColor": entry.colour, "clipPath": LEGEND_CLIP_PATHS[entry.shape]},
            )
        else:
            swatch = html.Span(className="gi-legend-ring", style={"borderColor": entry.colour})
        items.append(
            html.Span(
                [swatch, entry.label, html.Span(f" {entry.count}", className="gi-legend-count")],
                className="gi-legend-item",
                title=entry.label,
            )
        )
    return items


def key_values(pairs: Iterable[tuple[str, Any]]) -> Component:
    """A compact two-column list; list values become one line each."""
    rows = []
    for key, value in pairs:
        if isinstance(value, list | tuple | set):
            shown: Any = [html.Div(str(v)) for v in value] or "—"
        elif isinstance(value, dict):
            shown = [html.Div(f"{k}: {v}") for k, v in value.items()] or "—"
        else:
            shown = "—" if value in ("", None) else str(value)
        rows.append(html.Tr([html.Th(key), html.Td(shown)]))
    return html.Table(html.Tbody(rows), className="gi-kv")


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]], class_name: str = "") -> Component:
    """A dense plain table of text cells."""
    return html.Table(
        [
            html.Thead(html.Tr([html.Th(h) for h in headers])),
            html.Tbody([html.Tr([html.Td(str(c)) for c in row]) for row in rows]),
        ],
        className=f"gi-table {class_name}".strip(),
    )


def section(title: str, *children: Any) -> Component:
    return html.Section([html.H4(title), *children], className="gi-section")


def shipments_section(detail: NodeDetail) -> Component:
    """The entity's shipments: date, value, description, origin and outcome, newest first."""
    shown = len(detail.shipments)
    title = f"Shipments ({fmt_int(detail.shipments_total)})"
    if detail.shipments_total > shown:
        title = f"Shipments ({fmt_int(shown)} newest of {fmt_int(detail.shipments_total)})"
    if not shown:
        return section(title, html.P("No shipments linked.", className="gi-muted"))
    rows = [
        (
            s.arrival_date,
            f"${s.declared_value_usd:,.2f}",
            s.description,
            s.country_of_origin,
            s.inspection_outcome or "—",
            s.shipment_id,
        )
        for s in detail.shipments
    ]
    return section(
        title,
        table(
            ("Date", "Value", "Description", "Origin", "Inspection", "Shipment"),
            rows,
            "gi-shipments-table",
        ),
    )


def edge_panel(data: dict[str, Any], labels: dict[str, str], shipment: Any) -> Component:
    """The panel for a clicked link: its kind, its two ends and, if one end is a shipment,
    that shipment's fields; for a summarised link, the shipments it stands for."""
    source, target = str(data.get("source", "")), str(data.get("target", ""))
    rows: list[tuple[str, Any]] = [
        ("From", labels.get(source, source)),
        ("To", labels.get(target, target)),
    ]
    folded = "first_date" in data
    if folded:
        dates = " – ".join(
            dict.fromkeys(d for d in (data["first_date"], data.get("last_date")) if d)
        )
        rows += [
            ("Shipments", fmt_int(int(data.get("weight") or 0))),
            ("Declared value", f"${float(data.get('value') or 0):,.2f}"),
            ("Dates", dates or "—"),
            ("Seized", fmt_int(int(data.get("seized") or 0))),
        ]
    else:
        rows.append(("Kind", str(data.get("kind", ""))))
    parts: list[Any] = [
        html.Div(html.Span("Link", className="gi-badge gi-badge-link"), className="gi-detail-kind"),
        html.H3(str(data.get("label", data.get("kind", ""))), className="gi-detail-label"),
        key_values(rows),
    ]
    if folded and data.get("shipments"):
        parts.append(section("Shipments behind it", key_values([("", data["shipments"])])))
    if shipment is not None:
        parts.append(
            section(
                "Shipment",
                key_values((label, getattr(shipment, f)) for f, label in SHIPMENT_FIELDS),
            )
        )
    return html.Div(parts, className="gi-detail-body")


def note_editor(node_id: str, note: str) -> Component:
    """The investigator's note on a node, saved in the store (shared by every case)."""
    return html.Div(
        [
            dcc.Textarea(
                id=ids.NOTE_TEXT,
                value=note,
                placeholder="Add a note on this node…",
                className="gi-note-text",
            ),
            html.Div(
                [
                    html.Button("Save note", id=ids.BTN_SAVE_NOTE, n_clicks=0, className="gi-tool"),
                    html.Span(id=ids.NOTE_STATUS, className="gi-note-status"),
                ]
            ),
            dcc.Store(id=ids.NOTE_NODE, data=node_id),
        ],
        className="gi-note",
    )


def detail_placeholder() -> Component:
    return html.Div(
        [
            html.Div("Nothing selected", className="gi-muted-title"),
            html.P(
                "Click a node in the chart, or an evidence id beside it, to see its "
                "properties, the source rows behind it and, for a party, why its "
                "mentions were merged.",
                className="gi-muted",
            ),
        ],
        className="gi-placeholder",
    )


def detail_panel(detail: NodeDetail | None, requested_id: str = "") -> Component:
    """The panel for one node: identity, props, shipment fields, merge evidence, sources."""
    if detail is None:
        return html.Div(
            [
                html.Div("Not in the store", className="gi-muted-title"),
                html.P(
                    f"No node {requested_id!r} in the resolved graph (it may have been "
                    "re-resolved since this analysis ran).",
                    className="gi-muted",
                ),
            ],
            className="gi-placeholder",
        )
    node = detail.node
    parts: list[Any] = [
        html.Div(kind_badge(node.kind), className="gi-detail-kind"),
        html.H3(node.label or node.id, className="gi-detail-label"),
        *(
            []
            if node.id.endswith(f":{node.label}")
            else [html.Div(node.id, className="gi-detail-id")]
        ),
        html.Div(
            f"{fmt_int(detail.degree)} links in the whole graph", className="gi-detail-degree"
        ),
        note_editor(node.id, detail.note),
    ]
    shown_fields: set[str] = set()
    if detail.shipment is not None:
        s = detail.shipment
        parts.append(
            section("Shipment", key_values((label, getattr(s, f)) for f, label in SHIPMENT_FIELDS))
        )
        shown_fields = {f for f, _ in SHIPMENT_FIELDS} | {"shipment_id"}
    aliases = aliases_section(node.props)
    if aliases is not None:  # shown as its own table below, not as raw properties
        shown_fields.add("aliases")
    # Properties the shipment section does not already show (a shipment's props repeat them).
    extra = sorted((k, v) for k, v in node.props.items() if k not in shown_fields)
    if extra:
        parts.append(section("Properties", key_values(extra)))
    if aliases is not None:
        parts.append(aliases)
    if node.kind is NodeKind.PARTY:
        if detail.merge_evidence:
            parts.append(
                section("Why its mentions were merged", *merge_section(detail.merge_evidence))
            )
        else:
            parts.append(
                section(
                    "Merge evidence",
                    html.P("No merge evidence recorded for this party.", className="gi-muted"),
                )
            )
        parts.append(judgement_section(node.id, detail.merge_evidence, detail.judgements))
        parts.append(compare_section(node.id))
    if detail.typology_hits:
        parts.append(
            section(
                "Typology hits",
                html.Ul([html.Li(r) for r in detail.typology_hits], className="gi-hits"),
            )
        )
    if detail.names_seen:
        parts.append(
            section(
                f"Names seen ({len(detail.names_seen)})",
                table(("Name", "Shipments"), detail.names_seen, "gi-names-table"),
            )
        )
    if detail.node.kind is not NodeKind.SHIPMENT:
        parts.append(shipments_section(detail))
    prov_title = f"Source rows ({len(detail.provenance)}"
    prov_title += "+)" if len(detail.provenance) >= PROVENANCE_LIMIT else ")"
    parts.append(
        section(
            prov_title,
            table(
                ("File", "Row", "Load"),
                [(p.file_id, p.row_number, p.load_id) for p in detail.provenance],
                "gi-prov-table",
            )
            if detail.provenance
            else html.P("No source rows recorded.", className="gi-muted"),
        )
    )
    return html.Div(parts, className="gi-detail-body")


def path_list(title: str, hops: Sequence[Hop]) -> Component:
    """A path hop by hop: each node with its kind, then the link that leads to the next."""
    items = []
    for hop in hops:
        parts: list[Any] = [
            kind_badge(hop.kind) if hop.kind else html.Span("?", className="gi-badge"),
            html.Span(hop.label, className="gi-path-node", title=hop.node_id),
        ]
        if hop.link:
            parts.append(html.Span(f"{hop.link} ↓", className="gi-path-link"))
        items.append(html.Li(parts))
    return html.Div(
        [html.Div(title), html.Ol(items, id=ids.PATH_LIST, className="gi-path-list")],
        className="gi-path",
    )
