"""Store access for the app, in small functions that return plain data.

Pages call these and only turn the answers into components, so every query and every
graph-shaping rule (such as the element budget) is testable without a browser.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any
from urllib.parse import quote, unquote

from dashboards.styles import VIA_SHIPMENTS
from dashboards.workspace import edge_element, node_element
from graphintel.labels import evidence_node_id, shipment_node_id
from graphintel.model import IDENTIFIER_KINDS, EdgeKind, NodeKind, kind_of, node_id
from graphintel.records import (
    Judgement,
    MergeEvidence,
    Network,
    NodeRecord,
    Provenance,
    RunRecord,
    ShipmentRecord,
    split_mention_id,
)
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ANALYSIS_KIND = "analyze"
NETWORK_LIMIT = 1000  # rows the networks table loads; the ranking puts what matters first
MAX_ELEMENTS = 1500  # nodes + edges sent to the browser for one chart
PROVENANCE_LIMIT = 50

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>&~\"'")


# -- networks page -----------------------------------------------------------------------------
def latest_analysis(store: GraphStore) -> RunRecord | None:
    """The newest succeeded analysis run, whose networks the app shows."""
    return store.latest_run(ANALYSIS_KIND)


def network_href(run_id: str, network_id: str) -> str:
    """The app path of one network; ids are percent-encoded so any id makes a valid URL."""
    return f"/network/{quote(run_id, safe='')}/{quote(network_id, safe='')}"


def network_path_ids(run_id: str, network_id: str) -> tuple[str, str]:
    """The ids a network path carries, decoded (the inverse of ``network_href``)."""
    return unquote(run_id), unquote(network_id)


def markdown_text(text: str) -> str:
    """Text that markdown shows literally: every markdown or HTML metacharacter escaped."""
    return "".join(f"\\{c}" if c in _MARKDOWN_SPECIAL else c for c in text)


def network_rows(
    store: GraphStore, run_id: str, limit: int = NETWORK_LIMIT
) -> list[dict[str, Any]]:
    """One table row per ranked network of a run (members are not loaded)."""
    rows: list[dict[str, Any]] = []
    for net in store.networks(run_id, limit=limit, with_members=False):
        href = network_href(run_id, net.network_id)
        rows.append(
            {
                "id": net.network_id,
                "name": net.name or net.network_id,
                "href": href,
                "network": f"[{markdown_text(net.network_id)}]({href})",
                "rank": net.rank,
                "score": round(net.score, 3),
                "n_shipments": net.n_shipments,
                "n_entities": net.n_entities,
                "reasons": " · ".join(net.reasons),
                "n_reasons": len(net.reasons),
                "first_date": net.first_date,
                "last_date": net.last_date,
                "seized_count": net.seized_count,
                "typologies": ", ".join(net.typologies),
                "countries": ", ".join(net.countries),
            }
        )
    return rows


def filter_rows(
    rows: list[dict[str, Any]],
    min_score: float | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    typologies: list[str] | None = None,
    countries: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Rows scoring at least ``min_score``, active within [date_from, date_to] (their first to
    last shipment overlaps it), showing any of ``typologies`` and shipping from any of
    ``countries``."""
    wanted = set(typologies or [])
    origins = set(countries or [])
    out = []
    for r in rows:
        if min_score is not None and r["score"] < min_score:
            continue
        if date_from and r["last_date"] and r["last_date"] < date_from:
            continue
        if date_to and r["first_date"] and r["first_date"] > date_to:
            continue
        if wanted and not wanted & {t.strip() for t in r["typologies"].split(",")}:
            continue
        if origins and not origins & row_countries(r):
            continue
        out.append(r)
    return out


def row_countries(row: dict[str, Any]) -> set[str]:
    """The origin countries of a table row (empty for runs recorded before networks had them)."""
    return {c.strip() for c in str(row.get("countries", "")).split(",") if c.strip()}


def store_summary(store: GraphStore) -> dict[str, int]:
    """Counts for the status line: shipments, parties, identifiers, edges."""
    counts = store.counts()
    identifiers = sum(counts.get(f"nodes:{k.value}", 0) for k in IDENTIFIER_KINDS)
    return {
        "shipments": counts.get("shipments", 0),
        "parties": counts.get(f"nodes:{NodeKind.PARTY.value}", 0),
        "identifiers": identifiers,
        "edges": counts.get("edges", 0),
    }


# -- network page ------------------------------------------------------------------------------
@dataclass(frozen=True)
class ViewEdge:
    """An edge as drawn: a stored edge, or shipments folded into one weighted link."""

    source: str
    target: str
    kind: str
    weight: float = 1.0


@dataclass
class GraphView:
    """What the network page draws and what it must tell the investigator about it."""

    network: Network
    nodes: list[NodeRecord]
    edges: list[ViewEdge]
    total_nodes: int  # before any folding or trimming
    total_edges: int
    collapsed: bool = False  # shipments folded into weighted links
    omitted_nodes: int = 0  # entities left out to stay within the element budget
    missing_nodes: int = 0  # member ids the store no longer holds (graph re-resolved)
    evidence_ids: set[str] = field(default_factory=set)

    @property
    def element_count(self) -> int:
        return len(self.nodes) + len(self.edges)


def evidence_node_ids(network: Network) -> set[str]:
    """Every id a reason cites, as node ids."""
    return {evidence_node_id(ev) for ids_ in network.evidence.values() for ev in ids_}


def collapse_shipments(
    nodes: list[NodeRecord], edges: list[ViewEdge]
) -> tuple[list[NodeRecord], list[ViewEdge]]:
    """Drop shipment nodes and link what each shipment joined: party to party and party to
    identifier, weighted by how many shipments they share. Entity-to-entity edges stay."""
    kinds = {n.id: n.kind for n in nodes}
    touched: dict[str, set[str]] = defaultdict(set)
    kept: list[ViewEdge] = []
    for e in edges:
        s_kind, t_kind = kinds.get(e.source), kinds.get(e.target)
        if s_kind is NodeKind.SHIPMENT and t_kind is not NodeKind.SHIPMENT:
            touched[e.source].add(e.target)
        elif t_kind is NodeKind.SHIPMENT and s_kind is not NodeKind.SHIPMENT:
            touched[e.target].add(e.source)
        elif s_kind is not NodeKind.SHIPMENT and t_kind is not NodeKind.SHIPMENT:
            kept.append(e)
    weights: Counter[tuple[str, str]] = Counter()
    for neighbours in touched.values():
        for a, b in combinations(sorted(neighbours), 2):
            if kinds[a] is NodeKind.PARTY or kinds[b] is NodeKind.PARTY:
                weights[(a, b)] += 1
    kept += [ViewEdge(a, b, VIA_SHIPMENTS, float(w)) for (a, b), w in sorted(weights.items())]
    return [n for n in nodes if n.kind is not NodeKind.SHIPMENT], kept


def trim_to_budget(
    nodes: list[NodeRecord], edges: list[ViewEdge], budget: int, keep_first: set[str]
) -> tuple[list[NodeRecord], list[ViewEdge]]:
    """Keep the most connected nodes (cited evidence first) while nodes + edges fit the budget."""
    strength: Counter[str] = Counter()
    adjacency: dict[str, list[ViewEdge]] = defaultdict(list)
    for e in edges:
        strength[e.source] += int(e.weight)
        strength[e.target] += int(e.weight)
        adjacency[e.source].append(e)
        adjacency[e.target].append(e)
    order = sorted(nodes, key=lambda n: (n.id not in keep_first, -strength[n.id], n.id))
    kept_ids: set[str] = set()
    kept_edges: list[ViewEdge] = []
    for n in order:
        new_edges = [
            e for e in adjacency[n.id] if (e.target if e.source == n.id else e.source) in kept_ids
        ]
        if len(kept_ids) + len(kept_edges) + 1 + len(new_edges) > budget:
            break
        kept_ids.add(n.id)
        kept_edges += new_edges
    return [n for n in nodes if n.id in kept_ids], kept_edges


def network_view(
    store: GraphStore, run_id: str, network_id: str, max_elements: int = MAX_ELEMENTS
) -> GraphView | None:
    """The chart of one network within ``max_elements``: everything if it fits, else shipments
    folded into weighted links, else also the least connected entities left out."""
    network = store.network(run_id, network_id)
    if network is None:
        return None
    shipment_nodes = [shipment_node_id(s) for s in network.shipment_ids]
    member_ids = list(dict.fromkeys((*network.entity_ids, *shipment_nodes)))
    nodes = store.nodes(member_ids)
    edges = [
        ViewEdge(e.source, e.target, e.kind.value, e.weight) for e in store.edges_among(member_ids)
    ]
    view = GraphView(
        network=network,
        nodes=nodes,
        edges=edges,
        total_nodes=len(nodes),
        total_edges=len(edges),
        missing_nodes=len(member_ids) - len(nodes),
        evidence_ids=evidence_node_ids(network),
    )
    if view.element_count <= max_elements:
        return view
    view.nodes, view.edges = collapse_shipments(nodes, edges)
    view.collapsed = True
    if view.element_count > max_elements:
        before = len(view.nodes)
        view.nodes, view.edges = trim_to_budget(
            view.nodes, view.edges, max_elements, view.evidence_ids
        )
        view.omitted_nodes = before - len(view.nodes)
    log.info(
        "network %s: %d elements folded to %d (%d entities left out)",
        network_id,
        view.total_nodes + view.total_edges,
        view.element_count,
        view.omitted_nodes,
    )
    return view


def cytoscape_elements(view: GraphView, seized: set[str] | None = None) -> list[dict[str, Any]]:
    """The view as cytoscape elements; classes carry the kind the stylesheet keys on, sizes
    follow each node's risk (cited evidence, seizure, connectedness)."""
    degree: Counter[str] = Counter()
    for e in view.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    seized = seized or set()
    elements = [
        node_element(n, degree[n.id], cited=n.id in view.evidence_ids, seized=n.id in seized)
        for n in view.nodes
    ]
    elements += [edge_element(e.source, e.target, e.kind, e.weight) for e in view.edges]
    return elements


def seized_shipments(store: GraphStore, view: GraphView) -> set[str]:
    """Node ids of the drawn shipments with a known seizure, to mark them on the chart."""
    shipment_ids = [n.id.partition(":")[2] for n in view.nodes if n.kind is NodeKind.SHIPMENT]
    return {
        node_id(NodeKind.SHIPMENT, s.shipment_id)
        for s in store.shipments(shipment_ids)
        if s.inspection_outcome.strip().lower() == "seized"
    }


# -- detail panel ------------------------------------------------------------------------------
_SHIPMENT_PREFIX = node_id(NodeKind.SHIPMENT, "")
SHIPMENT_ROWS = 100  # shipments the detail panel reads for one entity
_ROLE_NAME_FIELD: dict[str, str] = {
    EdgeKind.SHIPPED_BY.value: "shipper_name",
    EdgeKind.CONSIGNED_TO.value: "consignee_name",
    EdgeKind.SOLD_BY.value: "seller_name",
}


@dataclass
class NodeDetail:
    """Everything the detail panel shows about one node."""

    node: NodeRecord
    provenance: list[Provenance]
    merge_evidence: list[MergeEvidence]
    shipment: ShipmentRecord | None
    degree: int  # edges touching the node in the whole graph, not only this network
    names_seen: list[tuple[str, int]] = field(default_factory=list)  # (name, shipments)
    shipments: list[ShipmentRecord] = field(default_factory=list)  # newest first
    shipments_total: int = 0  # shipments linked in the whole graph
    typology_hits: list[str] = field(default_factory=list)  # reasons of the network citing it
    note: str = ""  # the investigator's note on the node
    judgements: list[Judgement] = field(default_factory=list)  # on this party, withdrawn too


def _linked_shipments(
    store: GraphStore, node_id_: str
) -> tuple[list[ShipmentRecord], list[tuple[str, int]], int]:
    """The entity's shipments (newest first, bounded), the names it appeared under on them,
    and how many shipments link to it in all."""
    edges, _ = store.neighbours(node_id_, limit=SHIPMENT_ROWS * 4)
    roles: dict[str, str] = {}
    for e in edges:
        other = e.source if e.target == node_id_ else e.target
        if other.startswith(_SHIPMENT_PREFIX):
            roles.setdefault(other.partition(":")[2], e.kind.value)
    shipments = store.shipments(list(roles)[:SHIPMENT_ROWS])
    names: Counter[str] = Counter()
    for s in shipments:
        name_field = _ROLE_NAME_FIELD.get(roles.get(s.shipment_id, ""))
        if name_field and getattr(s, name_field):
            names[str(getattr(s, name_field))] += 1
    shipments.sort(key=lambda s: (s.arrival_date, s.shipment_id), reverse=True)
    return shipments, names.most_common(), len(roles)


def typology_hits(network: Network | None, cited: set[str]) -> list[str]:
    """The network's reasons whose evidence names any of ``cited`` (node ids)."""
    if network is None:
        return []
    return [
        reason
        for reason, evidence in network.evidence.items()
        if cited & {evidence_node_id(ev) for ev in evidence}
    ]


def node_detail(
    store: GraphStore, node_id_: str, network: Network | None = None
) -> NodeDetail | None:
    """The node, the source rows behind it, the names and shipments it appears with, the
    network's reasons that cite it and, for a party, why its mentions were merged."""
    try:
        kind = kind_of(node_id_)
    except ValueError:
        return None
    found = store.nodes([node_id_])
    if not found:
        return None
    node = found[0]
    shipment = None
    shipments: list[ShipmentRecord] = []
    names: list[tuple[str, int]] = []
    total = 0
    if kind is NodeKind.SHIPMENT:
        records = store.shipments([node_id_.partition(":")[2]])
        shipment = records[0] if records else None
    else:
        shipments, names, total = _linked_shipments(store, node_id_)
    _, degree = store.neighbours(node_id_, limit=0)
    cited = {node_id_} | {shipment_node_id(s.shipment_id) for s in shipments}
    return NodeDetail(
        node=node,
        provenance=store.provenance(node_id_, limit=PROVENANCE_LIMIT),
        merge_evidence=store.merge_evidence(node_id_) if kind is NodeKind.PARTY else [],
        shipment=shipment,
        degree=degree,
        names_seen=names,
        shipments=shipments,
        shipments_total=total,
        typology_hits=typology_hits(network, cited),
        note=store.notes([node_id_]).get(node_id_, ""),
        judgements=entity_judgements(store, node_id_) if kind is NodeKind.PARTY else [],
    )


_ROLE_EDGES = {"shipper": EdgeKind.SHIPPED_BY, "consignee": EdgeKind.CONSIGNED_TO,
               "seller": EdgeKind.SOLD_BY}  # fmt: skip


def entity_judgements(store: GraphStore, entity_id: str) -> list[Judgement]:
    """Every judgement (withdrawn ones too) that names the party or one of its mentions; a
    mention ("SHIP1#consignee") is the party's when its shipment links to the party in
    that role. Judgements are few, so one ``edges_among`` call answers for all of them."""
    recorded = store.judgements(include_withdrawn=True)
    mentions: dict[str, tuple[str, EdgeKind]] = {}  # mention id -> (shipment node, edge)
    for j in recorded:
        for side in (j.left, j.right):
            mention = split_mention_id(side)
            if mention is not None and mention[1] in _ROLE_EDGES:
                shipment, role = mention
                mentions[side] = (shipment_node_id(shipment), _ROLE_EDGES[role])
    linked: set[tuple[str, EdgeKind]] = set()
    if mentions:
        nodes = sorted({node for node, _ in mentions.values()})
        for e in store.edges_among([entity_id, *nodes]):
            if e.target == entity_id:
                linked.add((e.source, e.kind))
    mine = {m for m, key in mentions.items() if key in linked} | {entity_id}
    return [j for j in recorded if j.left in mine or j.right in mine]
