"""FollowTheMoney entities as JSON lines, for Aleph and OpenSanctions tooling.

Parties become ``LegalEntity``, addresses ``Address``, payment accounts ``BankAccount``
and shipments ``Event``; phones, e-mails and IPs become properties of the parties and
shipments that used them; every other edge is an ``UnknownLink`` with the edge kind as
its role. Source rows go to ``notes`` (and a shipment's row to ``recordId``), the run id
to ``publisher``, so each entity says where it came from."""

from __future__ import annotations

import json

from followthemoney import model
from followthemoney.proxy import EntityProxy

from graphintel.export.chart import Chart, ChartNode, source_refs
from graphintel.model import NodeKind

NAMESPACE = "graphintel"
SCHEMA: dict[NodeKind, str] = {
    NodeKind.PARTY: "LegalEntity",
    NodeKind.ADDRESS: "Address",
    NodeKind.PAYMENT_ACCOUNT: "BankAccount",
    NodeKind.SHIPMENT: "Event",
}
# Identifier kinds written as a property of the entity on the other end of the edge.
PROPERTY_OF: dict[NodeKind, dict[str, str]] = {
    NodeKind.PHONE: {"LegalEntity": "phone", "Event": "phoneMentioned"},
    NodeKind.EMAIL: {"LegalEntity": "email", "Event": "emailMentioned"},
    NodeKind.IP_ADDRESS: {"Event": "ipMentioned"},
}


def entity_id(node_id: str) -> str:
    """A stable FtM id per GraphIntel node (a hash: FtM ids travel in URLs)."""
    proxy = model.make_entity("Thing")
    proxy.make_id(NAMESPACE, node_id)
    return str(proxy.id)


def _entity(chart: Chart, node: ChartNode) -> EntityProxy:
    proxy = model.make_entity(SCHEMA[node.kind])
    proxy.id = entity_id(node.id)
    proxy.add("name", node.label)
    names = node.props.get("names")
    if node.kind is NodeKind.PARTY and isinstance(names, list):
        proxy.add("alias", [str(n) for n in names if str(n) != node.label])
    if node.kind is NodeKind.PARTY and node.props.get("country"):
        proxy.add("country", str(node.props["country"]), quiet=True)
    if node.kind is NodeKind.ADDRESS:
        proxy.add("full", node.label)
    if node.kind is NodeKind.PAYMENT_ACCOUNT:
        proxy.add("accountNumber", node.label)
    if node.kind is NodeKind.SHIPMENT:
        proxy.add("date", str(node.props.get("arrival_date", "")), quiet=True)
        proxy.add("summary", str(node.props.get("description", "")))
        proxy.add("recordId", source_refs(node.sources, chart.files))
    refs = source_refs(node.sources, chart.files)
    proxy.add("notes", f"GraphIntel id {node.id}; source rows: " + ("; ".join(refs) or "none"))
    proxy.add("publisher", f"GraphIntel analysis run {chart.run_id}" if chart.run_id else "")
    return proxy


def entities(chart: Chart) -> list[EntityProxy]:
    """Every FtM entity the chart becomes, links last."""
    nodes = {n.id: n for n in chart.nodes}
    proxies = {n.id: _entity(chart, n) for n in chart.nodes if n.kind in SCHEMA}
    links: list[EntityProxy] = []
    for e in chart.edges:
        a, b = nodes.get(e.source), nodes.get(e.target)
        if a is None or b is None:
            continue
        if a.kind in PROPERTY_OF or b.kind in PROPERTY_OF:
            ident, owner = (a, b) if a.kind in PROPERTY_OF else (b, a)
            target = proxies.get(owner.id)
            prop = PROPERTY_OF[ident.kind].get(target.schema.name) if target else None
            if target is not None and prop is not None:
                target.add(prop, ident.label, quiet=True)
                continue
        if e.source not in proxies or e.target not in proxies:
            continue
        link = model.make_entity("UnknownLink")
        link.make_id(NAMESPACE, e.source, e.kind, e.target)
        link.add("subject", proxies[e.source].id)
        link.add("object", proxies[e.target].id)
        link.add("role", e.kind)
        link.add("publisher", f"GraphIntel analysis run {chart.run_id}" if chart.run_id else "")
        links.append(link)
    return [*proxies.values(), *links]


def render(chart: Chart) -> bytes:
    lines = [json.dumps(p.to_dict(), ensure_ascii=False, sort_keys=True) for p in entities(chart)]
    return ("\n".join(lines) + "\n").encode("utf-8")
