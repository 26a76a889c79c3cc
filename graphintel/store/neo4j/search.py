"""Search through Neo4j's full-text index."""

from __future__ import annotations

from graphintel.model import kind_of
from graphintel.records import (
    NodeRecord,
    SearchCandidate,
)
from graphintel.store import trigram_search
from graphintel.store.neo4j.cypher import CURRENT_GEN, FULLTEXT_INDEX, declare
from graphintel.store.neo4j.graph_read import GraphReadMixin, node_from_row

SEARCH = declare(
    "search",
    f"{CURRENT_GEN} CALL db.index.fulltext.queryNodes('{FULLTEXT_INDEX}', $query) YIELD node, score"
    " WHERE node.gen = gen"
    " RETURN node.id AS id, node.label AS label, node.props_json AS props LIMIT $limit",
    "query",
    "limit",
)
INDEX_STATE = declare(
    "index_state", "SHOW INDEXES YIELD name, state WHERE name = $name RETURN state", "name"
)
AWAIT_INDEXES = declare("await_indexes", "CALL db.awaitIndexes($seconds)", "seconds")


def fulltext_query(text: str) -> str:
    """A Lucene query matching every word of ``text`` as a prefix; '' when it has no words.

    Only letters and digits reach the query, so Lucene syntax in user input (``*``, ``:``,
    quotes, ``AND``) is never interpreted.
    """
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return " AND ".join(f"{w}*" for w in words)


def fuzzy_query(text: str) -> str:
    """A Lucene query for typo-tolerant candidates: any word of ``text`` within two edits
    (words of three or more characters) or as a prefix; '' when it has no words. Only letters
    and digits reach the query, as in ``fulltext_query``."""
    words = "".join(ch if ch.isalnum() else " " for ch in text.lower()).split()
    return " OR ".join(f"{w}~ OR {w}*" if len(w) >= 3 else f"{w}*" for w in words)


class SearchMixin(GraphReadMixin):
    """``SearchStore`` on Neo4j."""

    def search(self, text: str, limit: int = 20) -> list[NodeRecord]:
        query = fulltext_query(text)
        if not query:
            return []
        rows = self.read(SEARCH, query=query, limit=limit)
        return [node_from_row(kind_of(r["id"]), r) for r in rows]

    def build_search_index(self) -> int:
        # Neo4j keeps its full-text index current on every write: make sure it exists and
        # wait until it is online.
        self.ensure_schema()
        self.read(AWAIT_INDEXES, seconds=600)
        counts = self.counts()
        return sum(counts.get(f"nodes:{k.value}", 0) for k in trigram_search.SEARCH_KINDS)

    def search_index_ready(self) -> bool:
        rows = self.read(INDEX_STATE, name=FULLTEXT_INDEX)
        return bool(rows) and rows[0]["state"] == "ONLINE"

    def fuzzy_candidates(self, text: str, limit: int = 300) -> list[SearchCandidate]:
        query = fuzzy_query(text)
        if not query or limit <= 0:
            return []
        rows = self.read(SEARCH, query=query, limit=limit)
        return [
            SearchCandidate(
                r["id"],
                r["label"] or r["id"],
                trigram_search.entry_text(r["id"], r["label"] or r["id"]),
            )
            for r in rows
        ]
