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

from dashboards.styles import EDGE_LABELS, VIA_SHIPMENTS, node_size
from graphintel.model import IDENTIFIER_KINDS, NodeKind, kind_of, node_id
from graphintel.records import (
    MergeEvidence,
    Network,
    NodeRecord,
    Provenance,
    RunRecord,
    ShipmentRecord,
)
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

ANALYSIS_KIND = "analyze"
NETWORK_LIMIT = 1000  # rows the networks table loads; the ranking puts what matters first
MAX_ELEMENTS = 1500  # nodes + edges sent to the browser for one chart
PROVENANCE_LIMIT = 50
LABEL_CHARS = 32

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
            }
        )
    return rows


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


def shipment_node_id(shipment_id: str) -> str:
    """Network shipment members as node ids, whether stored with the prefix or without."""
    try:
        if kind_of(shipment_id) is NodeKind.SHIPMENT:
            return shipment_id
    except ValueError:
        pass
    return node_id(NodeKind.SHIPMENT, shipment_id)


def evidence_node_id(evidence_id: str) -> str:
    """A cited id as a node id: node ids stay, bare shipment ids get their prefix."""
    try:
        kind_of(evidence_id)
    except ValueError:
        return shipment_node_id(evidence_id)
    return evidence_id


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


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cytoscape_elements(view: GraphView, seized: set[str] | None = None) -> list[dict[str, Any]]:
    """The view as cytoscape elements; classes carry the kind the stylesheet keys on."""
    degree: Counter[str] = Counter()
    for e in view.edges:
        degree[e.source] += 1
        degree[e.target] += 1
    elements: list[dict[str, Any]] = []
    for n in view.nodes:
        classes = [n.kind.value]
        if n.id in view.evidence_ids:
            classes.append("evidence")
        if seized and n.id in seized:
            classes.append("seized")
        elements.append(
            {
                "data": {
                    "id": n.id,
                    "label": short_label(n.label or n.id),
                    "kind": n.kind.value,
                    "size": node_size(n.kind, degree[n.id]),
                },
                "classes": " ".join(classes),
            }
        )
    for e in view.edges:
        label = (
            f"{int(e.weight)} shipment{'s' if e.weight != 1 else ''}"
            if e.kind == VIA_SHIPMENTS
            else EDGE_LABELS.get(e.kind, e.kind)
        )
        elements.append(
            {
                "data": {
                    "id": f"{e.source}|{e.kind}|{e.target}",
                    "source": e.source,
                    "target": e.target,
                    "kind": e.kind,
                    "weight": e.weight,
                    "label": label,
                },
                "classes": e.kind,
            }
        )
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
@dataclass
class NodeDetail:
    """Everything the detail panel shows about one node."""

    node: NodeRecord
    provenance: list[Provenance]
    merge_evidence: list[MergeEvidence]
    shipment: ShipmentRecord | None
    degree: int  # edges touching the node in the whole graph, not only this network


def node_detail(store: GraphStore, node_id_: str) -> NodeDetail | None:
    """The node, the source rows behind it and, for a party, why its mentions were merged."""
    try:
        kind = kind_of(node_id_)
    except ValueError:
        return None
    found = store.nodes([node_id_])
    if not found:
        return None
    node = found[0]
    shipment = None
    if kind is NodeKind.SHIPMENT:
        records = store.shipments([node_id_.partition(":")[2]])
        shipment = records[0] if records else None
    _, degree = store.neighbours(node_id_, limit=0)
    return NodeDetail(
        node=node,
        provenance=store.provenance(node_id_, limit=PROVENANCE_LIMIT),
        merge_evidence=store.merge_evidence(node_id_) if kind is NodeKind.PARTY else [],
        shipment=shipment,
        degree=degree,
    )
