"""Retention: shipments older than a rolling window leave the analysis, not the store.

``WindowView`` wraps a store for the analysis' reads: shipment nodes that arrived before the
window, and the edges of those shipments, are not read, so networks, typologies and scores
see only the window. Everything stays in the store (loads, shipments, the resolved graph,
cases, provenance); a later run with a wider window sees it again. The window ends at the
newest arrival date loaded (the day just loaded, in daily operation) and holds ``days``
days up to and including it.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import AbstractContextManager
from datetime import date, timedelta
from typing import Any

from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.store.base import DEFAULT_BATCH, EdgeEnds, GraphStore, NodeLabel


def retention_day(value: Any) -> date | None:
    """The day an arrival date value falls in for retention (None: unreadable)."""
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class WindowView:
    """The reads an analysis makes of ``store``, restricted to shipments of the window; any
    other attribute is the store's own."""

    def __init__(self, store: GraphStore, days: int) -> None:
        if days < 1:
            raise ValueError(f"a retention window holds at least one day, not {days}")
        self._store = store
        self.days = days
        self._outside: set[str] | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def scanning(self) -> AbstractContextManager[None]:
        return self._store.scanning()

    def _days(self) -> dict[str, date]:
        return {
            n.id: day
            for batch in self._store.iter_nodes(kinds=[NodeKind.SHIPMENT])
            for n in batch
            if (day := retention_day(n.props.get("arrival_date"))) is not None
        }

    def first_day(self, days: dict[str, date]) -> date | None:
        """The window's first day given the shipments' days (None when none has a date)."""
        end = max(days.values(), default=None)
        return end - timedelta(days=self.days - 1) if end else None

    def outside(self) -> set[str]:
        """Ids of the shipment nodes that arrived before the window (kept in the store),
        found in one pass over the shipments, the first time it is asked."""
        if self._outside is None:
            days = self._days()
            first = self.first_day(days)
            self._outside = {n for n, day in days.items() if first and day < first}
        return self._outside

    def iter_nodes(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeRecord]]:
        outside = self.outside()
        for batch in self._store.iter_nodes(kinds, batch_size):
            kept = [n for n in batch if n.id not in outside]
            if kept:
                yield kept

    def iter_node_labels(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeLabel]]:
        outside = self.outside()
        for batch in self._store.iter_node_labels(kinds, batch_size):
            kept = [n for n in batch if n[0] not in outside]
            if kept:
                yield kept

    def iter_edge_ends(
        self, kinds: Collection[Any] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeEnds]]:
        outside = self.outside()
        for batch in self._store.iter_edge_ends(kinds, batch_size):
            kept = [e for e in batch if e[0] not in outside and e[2] not in outside]
            if kept:
                yield kept
