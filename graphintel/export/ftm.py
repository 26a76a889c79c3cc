"""FollowTheMoney entities as JSON lines, for Aleph and OpenSanctions tooling.

Parties become ``LegalEntity``, addresses ``Address``, payment accounts ``BankAccount``
and shipments ``Event``; phones, e-mails and IPs become properties of the parties and
shipments that used them; every other edge is an ``UnknownLink`` with the edge kind as
its role. Source rows go to ``notes`` (and a shipment's row to ``recordId``), the run id
to ``publisher``, so each entity says where it came from. An investigator's note on a node
becomes a ``Note`` entity on that node's entity, and the case narrative a ``Note`` on the
chart's key parties and identifiers."""

from __future__ import annotations

import json

from followthemoney import model
from followthemoney.proxy import EntityProxy

from graphintel.export.chart import Chart, ChartNode, source_refs
from graphintel.export.narrative import narrative_of
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


def _note(chart: Chart, key: str, name: str, text: str, about: list[str]) -> EntityProxy:
    note = model.make_entity("Note")
    note.make_id(NAMESPACE, "note", key)
    note.add("name", name)
    note.add("description", text)
    note.add("entity", about)
    note.add("publisher", f"GraphIntel analysis run {chart.run_id}" if chart.run_id else "")
    return note


def notes(chart: Chart, proxies: dict[str, EntityProxy]) -> list[EntityProxy]:
    """A Note per noted node (on its entity; a phone, e-mail or IP has none of its own, so
    its note goes on the chart's key entities) and one for the case narrative."""
    key = [n.id for n in chart.summary.key_nodes()] if chart.summary is not None else []
    about = [proxies[k].id or "" for k in key if k in proxies] or [
        p.id or "" for p in list(proxies.values())[:1]
    ]
    out = [
        _note(chart, n.id, f"Note on {n.label}", str(n.props["note"]),
              [proxies[n.id].id or ""] if n.id in proxies else about)
        for n in chart.nodes
        if str(n.props.get("note", "")).strip() and (n.id in proxies or about)
    ]  # fmt: skip
    narrative = narrative_of(chart, chart.summary)
    if narrative.sections() and about:
        text = narrative.text()
        out.append(_note(chart, chart.title, f"Case narrative: {chart.title}", text, about))
    return out


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
    return [*proxies.values(), *links, *notes(chart, proxies)]


def render(chart: Chart) -> bytes:
    lines = [json.dumps(p.to_dict(), ensure_ascii=False, sort_keys=True) for p in entities(chart)]
    return ("\n".join(lines) + "\n").encode("utf-8")
