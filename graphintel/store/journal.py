"""What a store with a graph change journal offers analysis (SQLite does; Neo4j does not,
and its analyses read the whole graph every time).

A ``JournalMark`` names a point in the resolved graph's history; ``graph_changes(mark)``
gives the keys changed since then with their current rows (a party or identifier only when
its id, kind or label changed: what analysis reads of it), or None when the store can no
longer tell (the graph was rewritten whole, or the entries were trimmed), which a caller
must treat as "read everything again", never as "nothing changed".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from graphintel.records import NodeRecord
from graphintel.store.base import EdgeEnds


@dataclass(frozen=True)
class JournalMark:
    """A point in the graph's history: its epoch (new at each whole rewrite) and the
    sequence number of the last change."""

    epoch: str
    seq: int


@dataclass(frozen=True)
class GraphChanges:
    """What changed after a mark: the keys, and the current rows of those that still exist
    (shipments with their properties; parties and identifiers with their labels, their
    properties left empty)."""

    since: JournalMark
    until: JournalMark
    node_ids: frozenset[str]
    edge_keys: frozenset[tuple[str, str, str]]
    nodes: tuple[NodeRecord, ...]
    edges: tuple[EdgeEnds, ...]
    node_counts: dict[str, int]  # nodes per kind at ``until``, to check a cache against


@runtime_checkable
class GraphJournal(Protocol):
    """A store that journals the keys of changed graph rows."""

    def graph_mark(self) -> JournalMark: ...

    def graph_changes(self, since: JournalMark, holder: str) -> GraphChanges | None: ...

    def trim_graph_journal(self, upto: JournalMark, holder: str) -> None: ...
