"""Turn a network of an analysis run into a ``Chart``: its member nodes, the edges among
them, every node's source rows, the parties' merge evidence and the run's parameters."""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from datetime import UTC, datetime

from graphintel.errors import NotFoundError
from graphintel.export.chart import Chart, ChartEdge, ChartNode, Reason
from graphintel.export.members import cited_node_ids, evidence_node_id, find_run, network_members
from graphintel.model import NodeKind, node_id
from graphintel.records import Network, NodeRecord, Provenance
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
    ids = [r.id for r in records]
    evidence_ids = cited_node_ids(network)
    nodes, cut = chart_nodes(store, records, evidence_ids, sources_per_node)
    edges = [
        ChartEdge(e.source, e.target, e.kind.value, e.weight, dict(e.props))
        for e in store.edges_among(ids)
    ]
    log.info("network %s: %d nodes, %d edges for export", network_id, len(nodes), len(edges))
    return Chart(
        title=f"Network {network_id}",
        nodes=nodes,
        edges=edges,
        run_id=run.run_id,
        network_id=network_id,
        run=run,
        reasons=reasons_of(network),
        analyst=analyst,
        created_at=now_iso(),
        omitted_sources=cut,
    )


def chart_nodes(
    store: GraphStore,
    records: Sequence[NodeRecord],
    evidence_ids: Collection[str] = (),
    sources_per_node: int = SOURCES_PER_NODE,
) -> tuple[list[ChartNode], int]:
    """Chart nodes with their source rows, seizure flag and (parties) merge evidence, and
    how many nodes reached the per-node source-row limit."""
    shipment_keys = [r.id.partition(":")[2] for r in records if r.kind is NodeKind.SHIPMENT]
    shipment_rows = {
        node_id(NodeKind.SHIPMENT, s.shipment_id): s for s in store.shipments(shipment_keys)
    }
    nodes: list[ChartNode] = []
    cut = 0
    for rec in records:
        flags = {"evidence"} if rec.id in evidence_ids else set()
        shipment = shipment_rows.get(rec.id)
        sources: tuple[Provenance, ...]
        if shipment is not None:
            sources = (shipment.provenance,)
            if shipment.inspection_outcome.strip().lower() == "seized":
                flags.add("seized")
        else:
            found = store.provenance(rec.id, limit=sources_per_node + 1)
            cut += len(found) > sources_per_node
            sources = tuple(found[:sources_per_node])
        merges = tuple(store.merge_evidence(rec.id)) if rec.kind is NodeKind.PARTY else ()
        nodes.append(
            ChartNode(
                id=rec.id,
                kind=rec.kind,
                label=rec.label or rec.id,
                props=dict(rec.props),
                sources=sources,
                merge_evidence=merges,
                flags=frozenset(flags),
            )
        )
    return nodes, cut


def reasons_of(network: Network) -> list[Reason]:
    return [
        Reason(text, tuple(evidence_node_id(e) for e in network.evidence.get(text, [])))
        for text in network.reasons
    ]
