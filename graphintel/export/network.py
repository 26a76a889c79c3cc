"""Turn a network of an analysis run into a ``Chart``: its member nodes, the edges among
them, every node's and edge's exact source rows, the notes, the parties' merge evidence
and the run's parameters."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import PurePath

from graphintel.errors import NotFoundError
from graphintel.export.chart import Chart, ChartEdge, ChartNode, Reason
from graphintel.export.members import cited_node_ids, evidence_node_id, find_run, network_members
from graphintel.export.provenance import exact_sources
from graphintel.export.summary import summary_from_parts
from graphintel.model import NodeKind, node_id
from graphintel.records import Network, NodeRecord, ShipmentRecord
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

SOURCES_PER_NODE = 200  # source rows kept per party or identifier (a shipment has one)


def now_iso() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def chart_from_network(
    store: GraphStore,
    network_id: str,
    run_id: str | None = None,
    *,
    analyst: str = "",
    narrative: str = "",
    sources_per_node: int = SOURCES_PER_NODE,
) -> Chart:
    """The whole network (no folding: exports are not bound by the browser's budget)."""
    run = find_run(store, run_id)
    network = store.network(run.run_id, network_id)
    if network is None:
        raise NotFoundError(f"no network {network_id!r} in analysis run {run.run_id!r}")
    members = network_members(network)
    records = store.nodes(members) if members else []
    if not records:
        raise NotFoundError(
            f"network {network_id!r} of run {run.run_id!r} has no nodes in the current graph"
        )
    evidence_ids = cited_node_ids(network)
    graph_edges = store.edges_among([r.id for r in records])
    edges = [
        ChartEdge(e.source, e.target, e.kind.value, e.weight, dict(e.props)) for e in graph_edges
    ]
    nodes, edges, cut, shipments = chart_parts(
        store, records, edges, evidence_ids, sources_per_node
    )
    log.info("network %s: %d nodes, %d edges for export", network_id, len(nodes), len(edges))
    title = network_title(network)
    return Chart(
        title=title,
        nodes=nodes,
        edges=edges,
        run_id=run.run_id,
        network_id=network_id,
        run=run,
        reasons=reasons_of(network),
        typologies=network.typologies,
        analyst=analyst,
        created_at=now_iso(),
        omitted_sources=cut,
        files=file_names(store),
        narrative=narrative,
        summary=summary_from_parts(
            records, graph_edges, shipments, evidence=evidence_ids, title=title
        ),
    )


def network_title(network: Network) -> str:
    """The network's human name (key party and typology) with its id, as the app shows it."""
    name = network.name.strip()
    return f"{name} ({network.network_id})" if name else f"Network {network.network_id}"


def file_names(store: GraphStore) -> dict[str, str]:
    """File id (content hash) -> the name of the file it was loaded from, for citing rows."""
    return {r.file_id: PurePath(r.file_path).name or r.file_id for r in store.loads()}


def chart_parts(
    store: GraphStore,
    records: Sequence[NodeRecord],
    edges: Sequence[ChartEdge],
    evidence_ids: Collection[str] = (),
    sources_per_node: int = SOURCES_PER_NODE,
) -> tuple[list[ChartNode], list[ChartEdge], int, list[ShipmentRecord]]:
    """Chart nodes with their exact source rows (``provenance``), notes, seizure flag and
    (parties) merge evidence; the edges with the rows that made them; how many nodes have
    more source rows than ``sources_per_node``; and the chart's shipments' rows."""
    ids = [r.id for r in records]
    exact = exact_sources(
        store, ids, [(e.source, e.kind, e.target) for e in edges], sources_per_node
    )
    shipments = [
        s
        for i in ids
        if i.startswith("shipment:") and (s := exact.shipments.get(i.partition(":")[2]))
    ]
    seized = {
        node_id(NodeKind.SHIPMENT, s.shipment_id)
        for s in shipments
        if s.inspection_outcome.strip().lower() == "seized"
    }
    notes = store.notes(ids)
    nodes: list[ChartNode] = []
    for rec in records:
        flags = {"evidence"} if rec.id in evidence_ids else set()
        if rec.id in seized:
            flags.add("seized")
        props = dict(rec.props)
        if notes.get(rec.id):
            props["note"] = notes[rec.id]
        nodes.append(
            ChartNode(
                id=rec.id,
                kind=rec.kind,
                label=rec.label or rec.id,
                props=props,
                sources=exact.nodes.get(rec.id, ()),
                merge_evidence=(
                    tuple(store.merge_evidence(rec.id)) if rec.kind is NodeKind.PARTY else ()
                ),
                flags=frozenset(flags),
            )
        )
    cut = sum(exact.totals.get(i, 0) > sources_per_node for i in ids)
    with_rows = [
        replace(e, sources=exact.edges.get((e.source, e.kind, e.target), ())) for e in edges
    ]
    return nodes, with_rows, cut, shipments


def reasons_of(network: Network) -> list[Reason]:
    """The run's reasons in its order, each with its points; score lines that cite no
    evidence (the bonus for independent signals, the reasons folded into "other reasons")
    follow, so the points listed add up to the score."""
    out = [
        Reason(
            text,
            tuple(evidence_node_id(e) for e in network.evidence.get(text, [])),
            network.points.get(text),
        )
        for text in network.reasons
    ]
    out += [Reason(t, (), pts) for t, pts in network.points.items() if t not in network.reasons]
    return out
