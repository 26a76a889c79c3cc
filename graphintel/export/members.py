"""Which analysis run and which member node ids a network export starts from."""

from __future__ import annotations

from graphintel.errors import NotFoundError
from graphintel.labels import evidence_node_id as evidence_node_id  # one home: labels.py
from graphintel.labels import shipment_node_id as shipment_node_id
from graphintel.records import Network, RunRecord
from graphintel.store.base import GraphStore

ANALYSIS_KIND = "analyze"


def find_run(store: GraphStore, run_id: str | None) -> RunRecord:
    """The named analysis run, or the latest succeeded one."""
    if run_id is None:
        latest = store.latest_run(ANALYSIS_KIND)
        if latest is None:
            raise NotFoundError("no analysis run in the store: run `graphintel analyze` first")
        return latest
    for run in store.runs(ANALYSIS_KIND):
        if run.run_id == run_id:
            return run
    raise NotFoundError(f"no analysis run {run_id!r}")


def network_members(network: Network) -> list[str]:
    """The network's party, identifier and shipment node ids, each once, in that order."""
    return list(
        dict.fromkeys((*network.entity_ids, *(shipment_node_id(s) for s in network.shipment_ids)))
    )


def cited_node_ids(network: Network) -> set[str]:
    """The node ids the network's reasons cite as evidence."""
    return {evidence_node_id(e) for cited in network.evidence.values() for e in cited}
