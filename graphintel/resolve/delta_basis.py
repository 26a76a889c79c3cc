"""Which entities a graph delta writes again and which it removes (``graph_delta``).

Kept apart from ``graph_delta`` because the resolution job, which ``graph_delta`` reads
messages from, builds the party half of the changed entities only.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EntityChange:
    """The entities a delta writes again (party node, edges, mention assignments) and
    those of the last graph it removes first (the written ones among them)."""

    written: set[str]
    removed: set[str]


@dataclass(frozen=True, slots=True)
class DeltaBasis:
    """What a delta needs from before the resolution: each record's entity in the last
    graph (``None`` for a record new to this run) and the records whose party rows change
    whatever their entity (a new mention, an identifier key that changed alias)."""

    old_entity: Sequence[str | None]
    touched: set[int]

    def entities(self, entity_of: Sequence[str]) -> EntityChange:
        """An entity is unchanged when its records are those of the last graph's entity
        of that id, none touched; every other one is written, and every entity of the
        last graph that is not unchanged is removed."""
        written = {entity_of[r] for r in self.touched}
        for old, new in zip(self.old_entity, entity_of, strict=True):
            if old != new:
                written.add(new)
        new_count = Counter(entity_of)
        old_count = Counter(e for e in self.old_entity if e is not None)
        written.update(e for e, n in new_count.items() if old_count.get(e, 0) != n)
        removed = written | {e for e in old_count if e not in new_count}
        return EntityChange(written, removed)
