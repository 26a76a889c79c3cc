"""Typo-tolerant search over parties and identifiers, served from the store's own index.

The store proposes candidates from its persisted index (``GraphStore.fuzzy_candidates``:
byte trigrams in SQLite, fuzzy terms over Neo4j's full-text index) and rapidfuzz re-ranks
them, so the app starts at once on any store. Analysis builds the index once per resolved
graph; a store written before the index existed, or re-resolved since, gets it built once
on first use, in the background, with a log line saying so.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from rapidfuzz import fuzz, process

from graphintel.model import NodeKind, kind_of
from graphintel.records import SearchCandidate
from graphintel.store.base import GraphStore
from graphintel.store.trigram_search import entry_text, normalise

log = logging.getLogger(__name__)

CANDIDATES = 300  # entries re-ranked with rapidfuzz per query
MIN_SCORE = 50.0  # rapidfuzz WRatio below this is not a match
VERSION_CHECK_S = 5.0  # how often a search asks the store whether its index went stale
STALE_RUN_S = 6 * 3600  # a run 'running' for longer was left so by a killed process

__all__ = ["SearchHit", "SearchService", "normalise"]


@dataclass(frozen=True)
class SearchHit:
    node_id: str
    kind: NodeKind
    label: str
    score: float  # 0..100


class SearchService:
    """The app's search over one store: makes sure the store's index covers the current
    graph (building it once when it does not), then re-ranks the store's candidates.

    ``warm`` checks (and if need be builds) on a background thread so the first search of a
    store without an index does not wait for the check; a search during a build waits for
    it rather than starting another.
    """

    def __init__(self, store: GraphStore, recheck_seconds: float = VERSION_CHECK_S) -> None:
        self._store = store
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._checked: float | None = None  # when the index was last found ready
        self.build_seconds = 0.0
        self.built = False  # whether this service had to build the index

    def ensure_index(self) -> bool:
        """Build the store's search index if it is missing or stale (once per graph); False
        while it cannot be had yet: a resolve or analysis is running, and the analysis
        builds it itself (a second, concurrent build would only hold the store's write lock
        against it)."""
        now = time.monotonic()
        if self._checked is not None and now - self._checked < self._recheck:
            return True
        with self._lock:
            if not self._store.search_index_ready():
                if self._pipeline_running():
                    log.info("search index: waiting for the running analysis to build it")
                    return False
                log.info(
                    "search index of %s is missing or older than its graph: building it now"
                    " (once; analysis keeps it current from then on)",
                    self._store.url,
                )
                started = time.perf_counter()
                entries = self._store.build_search_index()
                self.build_seconds = time.perf_counter() - started
                self.built = True
                log.info("search index: %d entries in %.1f s", entries, self.build_seconds)
            self._checked = time.monotonic()
            return True

    def _pipeline_running(self) -> bool:
        """A resolve or analysis run started recently and not finished (a run a killed
        process left "running" stops counting after ``STALE_RUN_S``)."""
        cutoff = (datetime.now(UTC) - timedelta(seconds=STALE_RUN_S)).isoformat(timespec="seconds")
        return any(
            r.status == "running" and r.kind in ("resolve", "analyze") and r.started_at >= cutoff
            for r in self._store.runs()
        )

    def warm(self) -> threading.Thread:
        thread = threading.Thread(target=self.ensure_index, name="search-index", daemon=True)
        thread.start()
        return thread

    def search(self, text: str, limit: int = 20, min_score: float = MIN_SCORE) -> list[SearchHit]:
        """The best matches for ``text``, misspellings included, best first."""
        query = normalise(text)
        if not query:
            return []
        if self.ensure_index():
            candidates = self._store.fuzzy_candidates(query, CANDIDATES)
        else:  # no index yet: the store's substring search, ranked the same way
            candidates = [
                SearchCandidate(n.id, n.label, entry_text(n.id, n.label or n.id))
                for n in self._store.search(text, CANDIDATES)
            ]
        choices = {i: c.text for i, c in enumerate(candidates)}
        ranked = process.extract(
            query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=min_score
        )
        hits = []
        for _, score, i in ranked:
            c = candidates[i]
            hits.append(SearchHit(c.node_id, kind_of(c.node_id), c.label, round(float(score), 1)))
        return hits
