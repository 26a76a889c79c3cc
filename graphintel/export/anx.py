"""i2 Analyst's Notebook exchange chart (.anx) written with ``anxwritter``: one entity type
per node kind, one link type per edge kind, attributes (names, phones, values, dates,
source rows, run id) and the chart's positions."""

from __future__ import annotations

from typing import Any

from anxwritter import ANXChart

from graphintel.export.chart import Chart, ChartNode, source_refs
from graphintel.export.layout import apply_layout
from graphintel.export.text import xml_clean
from graphintel.model import NodeKind

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
    attrs["Source rows"] = xml_clean("; ".join(source_refs(node.sources, chart.files)))
    attrs["Analysis run"] = xml_clean(chart.run_id)
    if node.flags:
        attrs["Flags"] = ", ".join(sorted(node.flags))
    return attrs


def build(chart: Chart) -> ANXChart:
    """The anxwritter chart; exposed so tests can run its own validation."""
    apply_layout(chart)
    anx = ANXChart()
    for kind in sorted({n.kind for n in chart.nodes}):
        anx.add_entity_type(name=kind.value, icon_file=ICONS[kind], color=COLOURS[kind])
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
            attributes=_attributes(chart, n),
        )
    for e in chart.edges:
        if e.source not in node_ids or e.target not in node_ids:
            continue
        anx.add_link(
            from_id=xml_clean(e.source),
            to_id=xml_clean(e.target),
            type=xml_clean(e.kind),
            arrow="ArrowOnHead",
            label=xml_clean(e.kind.replace("_", " ").lower()),
            attributes={"Weight": float(e.weight), "Analysis run": xml_clean(chart.run_id)},
        )
    return anx


def render(chart: Chart) -> bytes:
    return str(build(chart).to_xml(compact=False)).encode("utf-8")
