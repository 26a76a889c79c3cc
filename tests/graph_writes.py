"""Whole-graph writes for tests: records or plain rows as the one part of
``GraphStore.replace_graph_parts`` (what the resolver writes in several parts)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from graphintel.records import EdgeRecord, MentionAssignment, MergeEvidence, NodeRecord
from graphintel.store.base import (
    AssignmentRow,
    EdgeRow,
    GraphPart,
    GraphWriter,
    NodeRow,
    edge_rows,
    node_rows,
)


def assignment_rows(assignments: Iterable[MentionAssignment]) -> Iterator[AssignmentRow]:
    for a in assignments:
        yield a.shipment_id, a.role.value, a.entity_id, a.name


def write_rows(
    store: GraphWriter,
    nodes: Iterable[NodeRow],
    edges: Iterable[EdgeRow],
    assignments: Iterable[AssignmentRow],
    evidence: Iterable[MergeEvidence],
) -> None:
    """Swap in the graph of these rows, written as one part."""
    store.replace_graph_parts([GraphPart(nodes, edges, assignments, evidence)])


def write_records(
    store: GraphWriter,
    nodes: Iterable[NodeRecord],
    edges: Iterable[EdgeRecord],
    assignments: Iterable[MentionAssignment],
    evidence: Iterable[MergeEvidence],
) -> None:
    """Swap in the graph of these records (converted lazily, as rows) as one part."""
    write_rows(store, node_rows(nodes), edge_rows(edges), assignment_rows(assignments), evidence)
