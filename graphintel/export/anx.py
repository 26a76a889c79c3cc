"""i2 Analyst's Notebook exchange chart (.anx) written with ``anxwritter``: one entity type
per node kind with a stock i2 icon, one link type per edge kind, attributes (names, phones,
values, dates, source rows, run id) and the chart's positions.

i2's timeline needs a DateTime on items and links: a shipment carries its arrival date; a
party or identifier its first sighting in the network, with first and last seen as
attributes; a shipment's link its shipment's date, a party-identifier link the first
shipment on which that party's mention held it. Investigator notes become cards on their
items, and the case narrative a text block with one card per part (who, what, why, next
steps), so both travel with the chart into i2."""

from __future__ import annotations

from typing import Any

from anxwritter import ANXChart

from graphintel.export.chart import Chart, ChartEdge, ChartNode, source_refs
from graphintel.export.layout import apply_layout, bounds
from graphintel.export.narrative import DRAFT_NOTE, narrative_of
from graphintel.export.summary import NetworkSummary
from graphintel.export.text import xml_clean
from graphintel.model import NodeKind

NARRATIVE_TYPE = "Case narrative"
NARRATIVE_ID = "graphintel:case-narrative"

# Stock i2 icon per kind, so the chart opens with familiar symbols.
ICONS: dict[NodeKind, str] = {
    NodeKind.SHIPMENT: "Parcel",
    NodeKind.PARTY: "Person",
    NodeKind.ADDRESS: "House",
    NodeKind.PHONE: "Phone",
    NodeKind.EMAIL: "Email",
    NodeKind.PAYMENT_ACCOUNT: "Account",
    NodeKind.IP_ADDRESS: "Computer",
}
COLOURS: dict[NodeKind, str] = {
    NodeKind.SHIPMENT: "Grey",
    NodeKind.PARTY: "Blue",
    NodeKind.ADDRESS: "Teal",
    NodeKind.PHONE: "Orange",
    NodeKind.EMAIL: "Violet",
    NodeKind.PAYMENT_ACCOUNT: "Gold",
    NodeKind.IP_ADDRESS: "Grey",
}
_TEXT_PROPS = {
    "arrival_date": "Arrival date",
    "inspection_outcome": "Inspection outcome",
    "seizure_category": "Seizure category",
    "description": "Description",
    "hts_code": "HTS code",
    "country_of_origin": "Country of origin",
    "carrier": "Carrier",
    "country": "Country",
}


def _attributes(chart: Chart, node: ChartNode) -> dict[str, Any]:
    attrs: dict[str, Any] = {"GraphIntel id": xml_clean(node.id)}
    names = node.props.get("names")
    if isinstance(names, list) and names:
        attrs["Names"] = xml_clean("; ".join(str(n) for n in names))
    roles = node.props.get("roles")
    if isinstance(roles, list) and roles:
        attrs["Roles"] = xml_clean(", ".join(str(r) for r in roles))
    if node.kind is NodeKind.PHONE:
        attrs["Phone"] = xml_clean(node.label)
    if node.kind is NodeKind.EMAIL:
        attrs["Email"] = xml_clean(node.label)
    for key, title in _TEXT_PROPS.items():
        value = node.props.get(key)
        if value not in (None, ""):
            attrs[title] = xml_clean(value)
    value_usd = node.props.get("declared_value_usd")
    if isinstance(value_usd, int | float):
        attrs["Declared value USD"] = float(value_usd)
    seen = _seen(chart.summary, node.id)
    if seen is not None:
        attrs["First seen"], attrs["Last seen"], attrs["Shipments"] = seen
    attrs["Source rows"] = xml_clean("; ".join(source_refs(node.sources, chart.files)))
    attrs["Analysis run"] = xml_clean(chart.run_id)
    if node.flags:
        attrs["Flags"] = ", ".join(sorted(node.flags))
    return attrs


def _seen(summary: NetworkSummary | None, node_id: str) -> tuple[str, str, int] | None:
    node = summary.node(node_id) if summary is not None else None
    if node is None or not node.first_date:
        return None
    return node.first_date, node.last_date, node.shipments


def _item_date(chart: Chart, node: ChartNode) -> str | None:
    """The item's i2 date: a shipment's arrival, else its first sighting in the network."""
    if node.kind is NodeKind.SHIPMENT:
        arrival = str(node.props.get("arrival_date") or "")
        return arrival or None
    seen = _seen(chart.summary, node.id)
    return seen[0] if seen is not None else None


def _link_dates(chart: Chart) -> dict[tuple[str, str], tuple[str, str, int]]:
    """(party, identifier) -> first seen, last seen and shipments of the folded link."""
    if chart.summary is None:
        return {}
    return {
        (ln.source, ln.target): (ln.first_date, ln.last_date, ln.count)
        for ln in chart.summary.links
        if ln.first_date
    }


def _link_attributes(
    chart: Chart, e: ChartEdge, dates: dict[tuple[str, str], tuple[str, str, int]]
) -> tuple[dict[str, Any], str | None]:
    attrs: dict[str, Any] = {"Weight": float(e.weight), "Analysis run": xml_clean(chart.run_id)}
    if e.sources:
        attrs["Source rows"] = xml_clean("; ".join(source_refs(e.sources, chart.files)))
    shipment = chart.node(e.source) if e.source.startswith("shipment:") else None
    if shipment is not None:
        return attrs, _item_date(chart, shipment)
    seen = dates.get((e.source, e.target))
    if seen is None:
        return attrs, None
    attrs["First seen"], attrs["Last seen"], attrs["Shipments"] = seen
    return attrs, seen[0]


def build(chart: Chart) -> ANXChart:
    """The anxwritter chart; exposed so tests can run its own validation."""
    apply_layout(chart)
    anx = ANXChart()
    for kind in sorted({n.kind for n in chart.nodes}):
        anx.add_entity_type(name=kind.value, icon_file=ICONS[kind], color=COLOURS[kind])
        anx.add_legend_item(name=kind.value, item_type="Icon", image_name=ICONS[kind])
    for edge_kind in sorted({e.kind for e in chart.edges}):
        anx.add_link_type(name=xml_clean(edge_kind))
    anx.add_custom_property("GraphIntel provenance", xml_clean(chart.provenance_line()))
    node_ids = {n.id for n in chart.nodes}
    for n in chart.nodes:
        anx.add_icon(
            id=xml_clean(n.id),
            type=n.kind.value,
            label=xml_clean(n.label),
            x=round(n.x),
            y=round(n.y),
            date=_item_date(chart, n),
            attributes=_attributes(chart, n),
        )
        note = str(n.props.get("note", "")).strip()
        if note:
            anx.add_card(entity_id=xml_clean(n.id), summary="Note", description=xml_clean(note))
    dates = _link_dates(chart)
    for e in chart.edges:
        if e.source not in node_ids or e.target not in node_ids:
            continue
        attrs, when = _link_attributes(chart, e, dates)
        anx.add_link(
            from_id=xml_clean(e.source),
            to_id=xml_clean(e.target),
            type=xml_clean(e.kind),
            arrow="ArrowOnHead",
            label=xml_clean(e.kind.replace("_", " ").lower()),
            date=when,
            attributes=attrs,
        )
    _add_narrative(anx, chart)
    return anx


def _add_narrative(anx: ANXChart, chart: Chart) -> None:
    """The case narrative as a text block above the chart, one card per part."""
    narrative = narrative_of(chart, chart.summary)
    sections = narrative.sections()
    if not sections:
        return
    min_x, min_y, _, _ = bounds(chart)
    anx.add_entity_type(name=NARRATIVE_TYPE, icon_file="Document", color="White")
    anx.add_text_block(
        id=NARRATIVE_ID,
        type=NARRATIVE_TYPE,
        label=xml_clean(f"{NARRATIVE_TYPE}: {chart.title}"),
        description=xml_clean(narrative.text()),
        x=round(min_x),
        y=round(min_y) - 150,
    )
    for heading, lines in sections:
        anx.add_card(
            entity_id=NARRATIVE_ID, summary=heading, description=xml_clean("\n".join(lines))
        )
    anx.add_card(entity_id=NARRATIVE_ID, summary="About this draft", description=DRAFT_NOTE)


def render(chart: Chart) -> bytes:
    return str(build(chart).to_xml(compact=False)).encode("utf-8")
