"""Typo-tolerant search over parties and identifiers, in memory, fast on large stores.

Every party and identifier (name, phone, e-mail, address, payment id, IP) is cut into byte
trigrams held as a compressed inverted index in numpy arrays. A query scores every entry by
the share of trigrams they have in common (a Dice coefficient, one ``bincount``), which a
misspelling only dents, and the best few hundred candidates are re-ranked with rapidfuzz.
The index is built from ``GraphStore.iter_nodes``, so it works over any backend; it is
rebuilt when a newer resolve run replaces the graph.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process, utils

from graphintel.model import IDENTIFIER_KINDS, NodeKind
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)

SEARCH_KINDS: tuple[NodeKind, ...] = (NodeKind.PARTY, *IDENTIFIER_KINDS)
CANDIDATES = 300  # entries re-ranked with rapidfuzz per query
MIN_SCORE = 50.0  # rapidfuzz WRatio below this is not a match
VERSION_CHECK_S = 5.0  # how often a search asks the store whether the graph was replaced

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class SearchHit:
    node_id: str
    kind: NodeKind
    label: str
    score: float  # 0..100


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed: "+1 (201) 555-0143" and
    "1 201 555 0143" index alike."""
    return " ".join(utils.default_process(text).split())


def _trigram_codes(texts: list[str]) -> tuple[IntArray, IntArray]:
    """(entry index, trigram code) for every distinct trigram of every text, vectorised.

    Texts are padded with a space each side so short words still give trigrams and word
    starts weigh a little more; codes are the three bytes packed into one integer.
    """
    encoded = [f" {t} ".encode() for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    if not len(encoded) or int(lengths.sum()) == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)
    if len(buf) < 3:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = (buf[:-2] << 16) | (buf[1:-1] << 8) | buf[2:]
    pos = np.arange(len(buf) - 2, dtype=np.int64)
    # a trigram must lie inside one text
    valid = pos + 2 < (starts[owner[:-2]] + lengths[owner[:-2]])
    doc, code = owner[:-2][valid], codes[valid]
    pairs = _sorted_unique((doc << 24) | code)
    return pairs >> 24, pairs & 0xFFFFFF


def _sorted_unique(values: IntArray) -> IntArray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is several times slower here)."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


class TrigramIndex:
    """An immutable trigram index over one snapshot of the graph's searchable nodes."""

    def __init__(self, ids: list[str], kinds: list[NodeKind], labels: list[str]) -> None:
        self.ids = ids
        self.kinds = kinds
        self.labels = labels
        self.texts = [
            normalise(f"{label} {nid.partition(':')[2]}")
            for nid, label in zip(ids, labels, strict=True)
        ]
        doc, code = _trigram_codes(self.texts)
        order = np.argsort(code, kind="stable")
        doc, code = doc[order], code[order]
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else code
        self.vocab, first = code[starts], starts
        self.offsets = np.append(first, len(code)).astype(np.int64)
        self.postings = doc.astype(np.int32)
        self.sizes = np.bincount(doc, minlength=len(ids)).astype(np.float32)

    @classmethod
    def from_store(
        cls, store: GraphStore, kinds: Iterable[NodeKind] = SEARCH_KINDS
    ) -> TrigramIndex:
        ids: list[str] = []
        kind_list: list[NodeKind] = []
        labels: list[str] = []
        for batch in store.iter_nodes(kinds=list(kinds)):
            for n in batch:
                ids.append(n.id)
                kind_list.append(n.kind)
                labels.append(n.label or n.id)
        return cls(ids, kind_list, labels)

    def __len__(self) -> int:
        return len(self.ids)

    def candidates(self, text: str, limit: int = CANDIDATES) -> IntArray:
        """Entry indexes sharing the most trigrams with ``text`` (Dice), best first."""
        _, q_codes = _trigram_codes([normalise(text)])
        if not len(q_codes) or not len(self.vocab):
            return np.empty(0, np.int64)
        known = q_codes[np.isin(q_codes, self.vocab)]
        if not len(known):
            return np.empty(0, np.int64)
        slots = np.searchsorted(self.vocab, known)
        hits = np.concatenate([self.postings[self.offsets[s] : self.offsets[s + 1]] for s in slots])
        shared = np.bincount(hits, minlength=len(self.ids)).astype(np.float32)
        dice = 2 * shared / (self.sizes + len(q_codes))
        k = min(limit, int(np.count_nonzero(shared)))
        if k == 0:
            return np.empty(0, np.int64)
        top = np.argpartition(-dice, k - 1)[:k]
        return top[np.argsort(-dice[top], kind="stable")].astype(np.int64)

    def search(self, text: str, limit: int = 20, min_score: float = MIN_SCORE) -> list[SearchHit]:
        """The best matches for ``text``, misspellings included, best first."""
        query = normalise(text)
        if not query:
            return []
        cands = self.candidates(query)
        choices = {int(i): self.texts[int(i)] for i in cands}
        ranked = process.extract(
            query, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=min_score
        )
        return [
            SearchHit(self.ids[i], self.kinds[i], self.labels[i], round(float(score), 1))
            for _, score, i in ranked
        ]


class SearchService:
    """The index for one store, built once and rebuilt after the graph is re-resolved.

    ``warm`` builds it on a background thread so the first search of a big store does not
    wait; a search before it is ready waits for that build rather than starting another.
    """

    def __init__(self, store: GraphStore, recheck_seconds: float = VERSION_CHECK_S) -> None:
        self._store = store
        self._recheck = recheck_seconds
        self._lock = threading.Lock()
        self._index: TrigramIndex | None = None
        self._version: str | None = None
        self._checked = 0.0  # when the graph version was last read
        self.build_seconds = 0.0

    def _graph_version(self) -> str:
        """The newest resolve (or, for stores filled another way, analyze) run: a new one
        means the graph was replaced."""
        for kind in ("resolve", "analyze"):
            run = self._store.latest_run(kind)
            if run is not None:
                return f"{kind}:{run.run_id}"
        return ""

    def index(self) -> TrigramIndex:
        now = time.monotonic()
        if self._index is not None and now - self._checked < self._recheck:
            return self._index
        version = self._graph_version()
        self._checked = now
        with self._lock:
            if self._index is None or version != self._version:
                started = time.perf_counter()
                self._index = TrigramIndex.from_store(self._store)
                self._version = version
                self.build_seconds = time.perf_counter() - started
                log.info("search index: %d entries in %.1f s", len(self._index), self.build_seconds)
            return self._index

    def warm(self) -> threading.Thread:
        thread = threading.Thread(target=self.index, name="search-index", daemon=True)
        thread.start()
        return thread

    def search(self, text: str, limit: int = 20) -> list[SearchHit]:
        return self.index().search(text, limit)
