"""``update_graph`` for a store that can only swap a whole graph in (Neo4j's generations).

The changes are taken in order, their removals applied to the rows of earlier changes,
and the graph written as one ``replace_graph_parts``: the current nodes that no removal
names, with the current evidence of the merges no removal names, then each change's
part, then the current edges and mention assignments that no removal names, those of a
renamed party under its new id (last, so that their ends are written before them). The
rows of the changes are held in memory (a delta is small; staged rows stay in their
files).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from graphintel.records import MergeEvidence
from graphintel.store.base import (
    AssignmentRow,
    EdgeRow,
    GraphChange,
    GraphPart,
    GraphReader,
    GraphRemoval,
    NodeRow,
    edge_rows,
    node_rows,
)
from graphintel.store.staging import StagedRows


@dataclass(slots=True)
class _Removed:
    """Every removal seen so far, as sets."""

    nodes: set[str] = field(default_factory=set)
    entities: set[str] = field(default_factory=set)
    edges_from: set[tuple[str, str]] = field(default_factory=set)
    renamed: dict[str, str] = field(default_factory=dict)  # old party id -> new one
    # (entity id, mention a, mention b) of merges (None: every one)
    evidence: set[tuple[str, str, str]] | None = field(default_factory=set)

    def add(self, removal: GraphRemoval) -> None:
        if removal.evidence is None or self.evidence is None:
            self.evidence = None
        else:
            self.evidence.update(removal.evidence)
        self.nodes.update(removal.nodes)
        self.entities.update(removal.entities)
        self.edges_from.update(removal.edges_from)
        for old, new in removal.renamed:
            # a party renamed before and again now ends under its last id
            for earlier, later in self.renamed.items():
                if later == old:
                    self.renamed[earlier] = new
            self.renamed[old] = new

    def edge(self, row: EdgeRow) -> EdgeRow:
        """The edge with its target renamed, if it was."""
        target = self.renamed.get(row[2])
        return row if target is None else (row[0], row[1], target, row[3], row[4])

    def assignment(self, row: AssignmentRow) -> AssignmentRow:
        """The mention assignment with its entity renamed, if it was."""
        entity = self.renamed.get(row[2])
        return row if entity is None else (row[0], row[1], entity, row[3])

    def keeps_node(self, row: NodeRow) -> bool:
        return row[0] not in self.nodes and row[0] not in self.entities

    def keeps_edge(self, row: EdgeRow) -> bool:
        entities = self.entities
        return (
            row[0] not in entities
            and row[2] not in entities
            and (row[0], row[1]) not in self.edges_from
        )

    def keeps_assignment(self, row: AssignmentRow) -> bool:
        return row[2] not in self.entities

    def keeps_evidence(self, row: MergeEvidence) -> bool:
        return (
            self.evidence is not None
            and (row.entity_id, row.mention_a, row.mention_b) not in self.evidence
        )


def _removed_from(part: GraphPart, removal: GraphRemoval) -> GraphPart:
    """An earlier change's rows without what a later removal names."""
    later = _Removed()
    later.add(removal)
    evidence = part.evidence
    if removal.evidence is None or removal.evidence:
        evidence = [r for r in evidence if later.keeps_evidence(r)]
    return GraphPart(
        [r for r in part.nodes if later.keeps_node(r)],
        [later.edge(r) for r in part.edges if later.keeps_edge(r)],
        [later.assignment(r) for r in part.assignments if later.keeps_assignment(r)],
        evidence,
    )


def _held(rows: Iterable[Any]) -> Iterable[Any]:
    return rows if isinstance(rows, StagedRows) else list(rows)


def rebuilt_parts(store: GraphReader, changes: Iterable[GraphChange]) -> Iterator[GraphPart]:
    """The graph after ``changes``, as parts for ``replace_graph_parts``."""
    removed = _Removed()
    parts: list[GraphPart] = []
    for removal, part in changes:
        removed.add(removal)
        parts = [_removed_from(p, removal) for p in parts]
        parts.append(GraphPart(*(_held(rows) for rows in part)))
    yield GraphPart(
        (r for batch in store.iter_nodes() for r in node_rows(batch) if removed.keeps_node(r)),
        (),
        (),
        (r for batch in store.iter_evidence() for r in batch if removed.keeps_evidence(r)),
    )
    yield from parts
    mentions = (
        (m.shipment_id, m.role.value, m.entity_id, m.name)
        for batch in store.iter_mentions()
        for m in batch
    )
    edges = (r for batch in store.iter_edges() for r in edge_rows(batch))
    yield GraphPart(
        (),
        (removed.edge(r) for r in edges if removed.keeps_edge(r)),
        (removed.assignment(m) for m in mentions if removed.keeps_assignment(m)),
        (),
    )
