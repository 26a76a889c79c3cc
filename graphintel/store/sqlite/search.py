"""Search over the resolved graph: plain substring and the trigram index."""

from __future__ import annotations

from graphintel.records import (
    NodeRecord,
    SearchCandidate,
)
from graphintel.store import trigram_search
from graphintel.store.sqlite.connection import (
    SqliteBase,
)
from graphintel.store.sqlite.graph_read import _node_from_row


class SearchMixin(SqliteBase):
    """``SearchStore`` on SQLite."""

    def search(self, text: str, limit: int = 20) -> list[NodeRecord]:
        needle = text.strip()
        if not needle:
            return []
        escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        rows = self._conn().execute(
            "SELECT id, kind, label, props FROM nodes WHERE kind != 'Shipment'"
            " AND (label LIKE ? ESCAPE '\\' OR id LIKE ? ESCAPE '\\')"
            " ORDER BY length(label) LIMIT ?",
            (f"%{escaped}%", f"%{escaped}%", limit),
        )
        return [_node_from_row(r) for r in rows]

    def build_search_index(self) -> int:
        with self._transaction() as conn:
            return trigram_search.build(conn, trigram_search.SEARCH_KINDS)

    def search_index_ready(self) -> bool:
        return trigram_search.is_ready(self._conn())

    def fuzzy_candidates(self, text: str, limit: int = 300) -> list[SearchCandidate]:
        return trigram_search.candidates(self._conn(), self._search_sizes, text, limit)
