"""Typo-tolerant search over parties and identifiers, persisted in the SQLite store.

Every party and identifier (name, phone, e-mail, address, payment id, IP) is cut into byte
trigrams. Each trigram's postings (the entries holding it) are stored as one blob, so an
app opening a store of millions of entries reads nothing up front but one blob of
per-entry trigram counts, and a query reads only the postings of its own trigrams. A query
scores every entry by the share of trigrams they have in common (a Dice coefficient, one
``bincount``), which a misspelling only dents; the caller re-ranks the best candidates.

A day's update appends the postings of its new entries as one more part per trigram
(``search_added``) instead of rewriting each touched trigram's whole postings: nearly
every trigram is touched by a day, so that rewrote the whole index every day. Retired
entries stay in the postings until their trigram's parts are merged (``MAX_PARTS``) or
the index is rebuilt; a query drops them (their trigram count is zero), and the live
count of each trigram (``search_live``) decides which trigrams a query reads, as the
postings' lengths would in a fresh build, so the answers are a fresh build's.

SQLite's FTS5 trigram tokenizer was measured first on a 1M-shipment store (3.5M entries):
an OR of the query's trigrams ranked by bm25 took 4.3 s at the median, and counting
per-trigram FTS5 matches 0.3 s; reading whole postings blobs is what keeps this fast.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz import utils

from graphintel.model import IDENTIFIER_KINDS, NodeKind, kind_of
from graphintel.records import SearchCandidate

log = logging.getLogger(__name__)

IntArray = npt.NDArray[np.int64]
SEARCH_KINDS: tuple[NodeKind, ...] = (NodeKind.PARTY, *IDENTIFIER_KINDS)
META_KEY = "search_index"  # meta row present while the index matches the stored graph
SIZES_CODE = -1  # the postings row holding every entry's trigram count instead of postings
BUILD_CHUNK = 50_000  # entries cut into trigrams at a time: their byte-wise int64 work
# arrays (~50 bytes an entry, times five) are the build's peak beside the keys
_DOC_BITS = 32
COMMON_SHARE = 0.02  # query trigrams in more entries than this share are skipped...
MIN_TRIGRAMS = 3  # ...unless fewer than this many rarer ones are left
REBUILD_SHARE = 0.25  # retired entry numbers (of all) above which an update rebuilds
MAX_PARTS = 8  # appended parts of one trigram beyond which an update merges them into one
_FORMAT = "p2"  # the stamp's last field: an index of another layout counts as not built


def normalise(text: str) -> str:
    """Lower case, punctuation to spaces, whitespace collapsed: "+1 (201) 555-0143" and
    "1 201 555 0143" index alike."""
    return " ".join(utils.default_process(text).split())


def entry_text(node_id: str, label: str) -> str:
    """What an entry is matched on: its label, plus an identifier's id value when that says
    something the label does not. Party ids are opaque hashes and stay out."""
    text = normalise(label)
    if kind_of(node_id) is NodeKind.PARTY and text:
        return text
    value = normalise(node_id.partition(":")[2])
    return text if value in text else f"{text} {value}".strip()


def _sorted_unique(values: IntArray) -> IntArray:
    """``np.unique`` by sorting (numpy 2's hash-based unique is several times slower here)."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def trigram_codes(texts: list[str]) -> tuple[IntArray, IntArray]:
    """(entry index, trigram code) for every distinct trigram of every text, vectorised.

    Texts are padded with a space each side so short words still give trigrams and word
    starts weigh a little more; codes are the three bytes packed into one integer.
    """
    encoded = [f" {t} ".encode() for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), dtype=np.int64, count=len(encoded))
    empty = np.empty(0, np.int64)
    if int(lengths.sum()) < 3:
        return empty, empty
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.int64)
    ends = np.cumsum(lengths)
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), lengths)[:-2]
    codes = (buf[:-2] << 16) | (buf[1:-1] << 8) | buf[2:]
    pos = np.arange(len(buf) - 2, dtype=np.int64)
    valid = pos + 2 < ends[owner]  # a trigram must lie inside one text
    pairs = _sorted_unique((owner[valid] << 24) | codes[valid])
    return pairs >> 24, pairs & 0xFFFFFF


def query_codes(text: str) -> IntArray:
    """The distinct trigram codes of a query, as ``trigram_codes`` cuts entries."""
    return trigram_codes([normalise(text)])[1]


class Scratch(threading.local):
    """Per-thread work arrays as long as the index, allocated once and reused: a fresh
    multi-megabyte array per query costs more in page faults than the scoring itself."""

    def __init__(self) -> None:
        self.counts: npt.NDArray[np.int32] = np.zeros(0, np.int32)  # all zero between queries
        self.slots: npt.NDArray[np.int32] = np.zeros(0, np.int32)

    def fit(self, n: int) -> None:
        if len(self.counts) != n:
            self.counts = np.zeros(n, np.int32)
            self.slots = np.zeros(n, np.int32)


def dice_top(
    postings: list[npt.NDArray[Any]],
    sizes: npt.NDArray[Any],
    n_query: int,
    limit: int,
    scratch: Scratch | None = None,
) -> IntArray:
    """Entries sharing the most trigrams with the query (Dice over ``postings``, one array of
    distinct entry numbers per query trigram), best first. Only entries the postings name
    are touched, never the millions of others."""
    hits = np.concatenate(postings) if postings else np.empty(0, np.int32)
    if not len(hits) or n_query == 0:
        return np.empty(0, np.int64)
    work = scratch if scratch is not None else Scratch()
    work.fit(len(sizes))
    for docs_of_trigram in postings:  # distinct within one trigram, so += counts each once
        work.counts[docs_of_trigram] += 1
    # Each entry once: every hit writes its position into the entry's slot; the hit whose
    # position survived is the entry's one copy.
    positions = np.arange(len(hits), dtype=np.int32)
    work.slots[hits] = positions
    docs = hits[work.slots[hits] == positions].astype(np.int64)
    shared = work.counts[docs].astype(np.float64)
    work.counts[docs] = 0
    dice = 2.0 * shared / (sizes[docs].astype(np.float64) + n_query)
    k = min(limit, len(docs))
    top = np.argpartition(-dice, k - 1)[:k]
    top = top[np.lexsort((docs[top], -dice[top]))]
    best: IntArray = docs[top]
    return best


def informative(lengths: list[tuple[int, int]], n_entries: int) -> list[int]:
    """The query trigrams worth reading: those in at most ``COMMON_SHARE`` of the entries
    (" co", "ing" and the like say little and cost the most), or the rarest
    ``MIN_TRIGRAMS`` when too few are that rare. ``lengths`` are (code, live entries)."""
    ordered = sorted(lengths, key=lambda cl: cl[1])
    rare = [c for c, live in ordered if live <= COMMON_SHARE * n_entries]
    return rare if len(rare) >= MIN_TRIGRAMS else [c for c, _ in ordered[:MIN_TRIGRAMS]]


# -- the SQLite side ------------------------------------------------------------------------
_NODE_INDEX = "CREATE INDEX IF NOT EXISTS search_entries_node ON search_entries (node_id)"
_TABLES = ("search_entries", "search_postings", "search_added", "search_live")
_DROP = tuple(f"DROP TABLE IF EXISTS {table}" for table in _TABLES)
_CREATE = (
    "CREATE TABLE search_entries (doc INTEGER PRIMARY KEY, node_id TEXT NOT NULL,"
    " label TEXT NOT NULL, text TEXT NOT NULL)",
    "CREATE TABLE search_postings (code INTEGER PRIMARY KEY, docs BLOB NOT NULL)",
    # a day's postings of a trigram, ``part`` the day's first entry number
    "CREATE TABLE search_added (code INTEGER NOT NULL, part INTEGER NOT NULL,"
    " docs BLOB NOT NULL, PRIMARY KEY (code, part)) WITHOUT ROWID",
    "CREATE TABLE search_live (code INTEGER PRIMARY KEY, live INTEGER NOT NULL)",
    _NODE_INDEX,
)


def invalidate(conn: sqlite3.Connection) -> None:
    """Mark the index stale (the graph it covers is being replaced); cheap, inside the
    caller's transaction. The next ``build`` replaces the tables."""
    conn.execute("DELETE FROM meta WHERE key = ?", (META_KEY,))


def is_ready(conn: sqlite3.Connection) -> bool:
    return _stamp(conn) is not None


def _stamp(conn: sqlite3.Connection) -> str | None:
    """The index's stamp; None when there is none or it is of another layout (built by
    an earlier version: the next analysis builds it again)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (META_KEY,)).fetchone()
    if not row or str(row[0]).rpartition(":")[2] != _FORMAT:
        return None
    return str(row[0])


def build(conn: sqlite3.Connection, kinds: tuple[NodeKind, ...]) -> int:
    """Rebuild the index over the graph's nodes of ``kinds``; the caller holds a write
    transaction, so readers see the old index or the new one, never half of either."""
    started = time.perf_counter()
    kind_values = [k.value for k in kinds]
    for statement in (*_DROP, *_CREATE):  # before the read: no DROP under an open cursor
        conn.execute(statement)
    # "+kind": one sequential pass over the table beats millions of seeks from the kind index.
    cursor = conn.execute(
        f"SELECT id, label FROM nodes WHERE +kind IN ({', '.join('?' for _ in kind_values)})",
        kind_values,
    )
    postings = _Postings()
    sizes: list[npt.NDArray[np.uint16]] = []
    n = 0
    while rows := cursor.fetchmany(BUILD_CHUNK):
        texts = [entry_text(node_id, label or node_id) for node_id, label in rows]
        conn.executemany(
            "INSERT INTO search_entries (doc, node_id, label, text) VALUES (?, ?, ?, ?)",
            [
                (n + i, r[0], r[1] or r[0], t)
                for i, (r, t) in enumerate(zip(rows, texts, strict=True))
            ],
        )
        doc, code = trigram_codes(texts)
        sizes.append(np.minimum(np.bincount(doc, minlength=len(texts)), 65535).astype(np.uint16))
        postings.add(doc + n, code)
        n += len(rows)
    for rows in _batches(postings.rows(), 1000):
        conn.executemany("INSERT INTO search_postings (code, docs) VALUES (?, ?)", rows)
        conn.executemany(
            "INSERT INTO search_live (code, live) VALUES (?, ?)",
            [(code, len(docs) // 4) for code, docs in rows],
        )
    all_sizes = np.concatenate(sizes) if sizes else np.empty(0, np.uint16)
    conn.execute(
        "INSERT INTO search_postings (code, docs) VALUES (?, ?)", (SIZES_CODE, all_sizes.tobytes())
    )
    _set_stamp(conn, n)
    log.info(
        "search index: %d entries, %d trigrams in %.1f s",
        n,
        postings.trigrams,
        time.perf_counter() - started,
    )
    return n


class _Postings:
    """Every entry's trigrams, added a chunk of entries at a time, turned into postings.

    Each chunk is kept as its documents grouped by trigram (int32, 4 bytes a posting, as
    stored) and its distinct trigrams with their runs; ``rows`` joins each trigram's runs
    across the chunks, in chunk (so document) order. Holding one 8-byte (trigram,
    document) key a posting instead, then sorting them, took two to three times that:
    at a million shipments 84M postings, the index process's largest holder.
    """

    def __init__(self) -> None:
        self._docs: list[npt.NDArray[np.int32]] = []
        self._codes: list[npt.NDArray[np.int32]] = []  # a chunk's distinct trigrams
        self._bounds: list[npt.NDArray[np.int32]] = []  # their runs (one more, the end)
        self.trigrams = 0  # distinct trigrams written by ``rows``

    def add(self, doc: IntArray, code: IntArray) -> None:
        """One chunk's (document, trigram) pairs, documents ascending."""
        order = np.argsort(code, kind="stable")  # documents stay ascending in a trigram
        code = code[order]
        self._docs.append(doc[order].astype(np.int32))
        starts = np.flatnonzero(np.r_[True, code[1:] != code[:-1]]) if len(code) else order
        self._codes.append(code[starts].astype(np.int32))
        self._bounds.append(np.r_[starts, len(code)].astype(np.int32))

    def rows(self) -> Iterable[tuple[int, bytes]]:
        """(trigram code, its documents as int32 bytes), by code."""
        if not self._codes:
            return
        codes = np.concatenate(self._codes)
        chunk = np.repeat(np.arange(len(self._codes)), [len(c) for c in self._codes])
        run = np.concatenate([np.arange(len(c)) for c in self._codes])
        order = np.lexsort((chunk, codes))  # by code, then chunk
        codes, chunk, run = codes[order], chunk[order], run[order]
        groups = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True]).tolist()
        for a, b in zip(groups[:-1], groups[1:], strict=True):
            parts = []
            for k, r in zip(chunk[a:b].tolist(), run[a:b].tolist(), strict=True):
                bounds = self._bounds[k]
                parts.append(self._docs[k][bounds[r] : bounds[r + 1]].tobytes())
            self.trigrams += 1
            yield int(codes[a]), b"".join(parts)


def _batches(rows: Iterable[tuple[int, bytes]], n: int) -> Iterable[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == n:
            yield batch
            batch = []
    if batch:
        yield batch


def _set_stamp(conn: sqlite3.Connection, live: int) -> None:
    """A new stamp (readers' caches key on it) holding the number of live entries."""
    conn.execute(
        "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
        (META_KEY, f"{live}:{time.time_ns()}:{_FORMAT}"),
    )


def _live_entries(stamp: str) -> int:
    return int(stamp.partition(":")[0])


def update(conn: sqlite3.Connection, touched: Iterable[str], kinds: tuple[NodeKind, ...]) -> bool:
    """Bring a built index up to date after a graph delta rewrote the nodes ``touched``
    (removed, added or relabelled), in the caller's write transaction; False when there
    was no index to update (the next analysis builds one).

    A day's delta touches a few percent of the entries, so rebuilding millions of them
    would cost the day what the whole history costs. Instead the entries of touched nodes
    that are gone or whose label changed are retired (their numbers stay unused: nothing
    else shifts) and the current ones appended, their postings as one more part of each of
    their trigrams (see the module doc). Searches return what a fresh build returns; once
    retired numbers pass ``REBUILD_SHARE`` of all, the index is rebuilt.
    """
    stamp = _stamp(conn)
    if stamp is None:
        return False
    conn.execute(_NODE_INDEX)  # indexes built before it existed get it once
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS search_touched (id TEXT PRIMARY KEY)")
    conn.execute("DELETE FROM temp.search_touched")
    conn.executemany(
        "INSERT OR IGNORE INTO temp.search_touched (id) VALUES (?)", ((t,) for t in touched)
    )
    entered = conn.execute(
        "SELECT doc, node_id, label, text FROM search_entries"
        " WHERE node_id IN (SELECT id FROM temp.search_touched) ORDER BY doc"
    ).fetchall()
    kind_values = [k.value for k in kinds]
    found = conn.execute(
        "SELECT id, label FROM nodes WHERE id IN (SELECT id FROM temp.search_touched)"
        f" AND kind IN ({', '.join('?' for _ in kind_values)}) ORDER BY id",
        kind_values,
    ).fetchall()
    conn.execute("DELETE FROM temp.search_touched")
    # A rewritten node whose label is the one it was entered with keeps its entry: a day
    # rewrites identifiers for their counts and parties for their edges, and nine in ten
    # of those entries would otherwise be retired and entered again unchanged.
    same = {(node_id, label) for _, node_id, label, _ in entered}.intersection(
        (node_id, label or node_id) for node_id, label in found
    )
    retired = [(r[0], r[3]) for r in entered if (r[1], r[2]) not in same]
    current = [r for r in found if (r[0], r[1] or r[0]) not in same]
    row = conn.execute("SELECT docs FROM search_postings WHERE code = ?", (SIZES_CODE,)).fetchone()
    sizes = np.frombuffer(row[0], dtype=np.uint16).copy() if row else np.empty(0, np.uint16)
    first = len(sizes)
    live = _live_entries(stamp) - len(retired) + len(current)
    if first + len(current) - live > REBUILD_SHARE * (first + len(current)):
        build(conn, kinds)
        return True
    conn.executemany("DELETE FROM search_entries WHERE doc = ?", ((r[0],) for r in retired))
    texts = [entry_text(node_id, label or node_id) for node_id, label in current]
    conn.executemany(
        "INSERT INTO search_entries (doc, node_id, label, text) VALUES (?, ?, ?, ?)",
        [
            (first + i, r[0], r[1] or r[0], t)
            for i, (r, t) in enumerate(zip(current, texts, strict=True))
        ],
    )
    gone_docs = np.array([r[0] for r in retired], dtype=np.int64)
    _, gone_codes = trigram_codes([r[1] for r in retired])
    new_index, new_codes = trigram_codes(texts)
    sizes[gone_docs] = 0
    sizes = np.concatenate(
        [sizes, np.minimum(np.bincount(new_index, minlength=len(texts)), 65535).astype(np.uint16)]
    )
    _count_live(conn, gone_codes, new_codes)
    appended = _append_part(conn, first, new_index + first, new_codes)
    merged = _merge_parts(conn, appended, sizes)
    conn.execute(
        "INSERT OR REPLACE INTO search_postings (code, docs) VALUES (?, ?)",
        (SIZES_CODE, sizes.tobytes()),
    )
    _set_stamp(conn, live)
    log.info(
        "search index: %d entries retired, %d added, %d trigrams appended to, %d merged",
        len(retired), len(current), len(appended), merged,
    )  # fmt: skip
    return True


def _count_live(conn: sqlite3.Connection, gone_codes: IntArray, new_codes: IntArray) -> None:
    """Move each trigram's live count by its retired and added entries; a trigram left with
    none is dropped whole (a fresh build would not have it)."""
    codes, at = np.unique(np.concatenate([gone_codes, new_codes]), return_inverse=True)
    signs = np.r_[-np.ones(len(gone_codes)), np.ones(len(new_codes))]
    change = np.rint(np.bincount(at, weights=signs, minlength=len(codes))).astype(np.int64)
    moved = change != 0
    conn.executemany(
        "INSERT INTO search_live (code, live) VALUES (?, ?)"
        " ON CONFLICT (code) DO UPDATE SET live = live + excluded.live",
        zip(codes[moved].tolist(), change[moved].tolist(), strict=True),
    )
    emptied = [(c,) for (c,) in conn.execute("SELECT code FROM search_live WHERE live <= 0")]
    for table in ("search_live", "search_postings", "search_added"):
        conn.executemany(f"DELETE FROM {table} WHERE code = ?", emptied)


def _append_part(conn: sqlite3.Connection, part: int, docs: IntArray, codes: IntArray) -> list[int]:
    """The new entries' postings as one part of each of their trigrams; those trigrams."""
    if not len(codes):
        return []
    order = np.argsort(codes, kind="stable")  # docs stay ascending within a code
    codes, docs = codes[order], docs[order].astype(np.int32)
    bounds = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1], True]).tolist()
    rows = [
        (int(codes[a]), part, docs[a:b].tobytes())
        for a, b in zip(bounds[:-1], bounds[1:], strict=True)
    ]
    conn.executemany("INSERT INTO search_added (code, part, docs) VALUES (?, ?, ?)", rows)
    return [code for code, _, _ in rows]


def _merge_parts(conn: sqlite3.Connection, codes: list[int], sizes: npt.NDArray[Any]) -> int:
    """Merge the parts of the trigrams among ``codes`` that have more than ``MAX_PARTS``
    into their postings row, retired entries left out; how many were merged."""
    full = []
    for start in range(0, len(codes), 500):
        part = codes[start : start + 500]
        full += [
            c
            for (c,) in conn.execute(
                f"SELECT code FROM search_added WHERE code IN ({', '.join('?' for _ in part)})"
                " GROUP BY code HAVING count(*) > ?",
                [*part, MAX_PARTS],
            )
        ]
    for start in range(0, len(full), 500):
        part = full[start : start + 500]
        for code, docs in _read_postings(conn, part, sizes).items():
            conn.execute(
                "INSERT OR REPLACE INTO search_postings (code, docs) VALUES (?, ?)",
                (code, docs.tobytes()),
            )
        conn.executemany("DELETE FROM search_added WHERE code = ?", [(c,) for c in part])
    return len(full)


def _read_postings(
    conn: sqlite3.Connection, codes: list[int], sizes: npt.NDArray[Any]
) -> dict[int, npt.NDArray[np.int32]]:
    """The live entries of each trigram of ``codes``, ascending: its postings
    row, then its appended parts in order, without the retired entries (size zero)."""
    marks = ", ".join("?" for _ in codes)
    pieces: dict[int, list[bytes]] = {c: [] for c in codes}
    for code, docs in conn.execute(
        f"SELECT code, docs FROM search_postings WHERE code IN ({marks})", codes
    ):
        pieces[code].append(docs)
    for code, docs in conn.execute(
        f"SELECT code, docs FROM search_added WHERE code IN ({marks}) ORDER BY code, part", codes
    ):
        pieces[code].append(docs)
    out = {}
    for code, parts in pieces.items():
        docs = np.frombuffer(b"".join(parts), dtype=np.int32)
        out[code] = docs[sizes[docs] > 0]
    return out


class SizesCache:
    """Every entry's trigram count, read once per built index and shared by threads."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._stamp: str | None = None
        self._sizes: npt.NDArray[np.uint16] = np.empty(0, np.uint16)
        self.scratch = Scratch()

    def get(self, conn: sqlite3.Connection, stamp: str) -> npt.NDArray[np.uint16]:
        with self._lock:
            if stamp != self._stamp:
                row = conn.execute(
                    "SELECT docs FROM search_postings WHERE code = ?", (SIZES_CODE,)
                ).fetchone()
                self._sizes = np.frombuffer(row[0], dtype=np.uint16) if row else self._sizes[:0]
                self._stamp = stamp
            return self._sizes


def candidates(
    conn: sqlite3.Connection, cache: SizesCache, text: str, limit: int
) -> list[SearchCandidate]:
    """The entries sharing the most trigrams with ``text``, best first; [] while the index
    is not built."""
    stamp = _stamp(conn)
    codes = query_codes(text)
    if stamp is None or not len(codes) or limit <= 0:
        return []
    # One read transaction, so a rebuild committing meanwhile cannot mix two indexes.
    conn.execute("BEGIN")
    try:
        sizes = cache.get(conn, stamp)
        code_list = [int(c) for c in codes]
        lengths = conn.execute(
            "SELECT code, live FROM search_live"
            f" WHERE code IN ({', '.join('?' for _ in code_list)})",
            code_list,
        ).fetchall()
        wanted = informative(lengths, _live_entries(stamp))
        postings = list(_read_postings(conn, wanted, sizes).values())
        top = dice_top(postings, sizes, len(code_list), limit, cache.scratch)
        found = {}
        order = [int(d) for d in top]
        for start in range(0, len(order), 500):
            part = order[start : start + 500]
            for doc, node_id, label, entry in conn.execute(
                "SELECT doc, node_id, label, text FROM search_entries"
                f" WHERE doc IN ({', '.join('?' for _ in part)})",
                part,
            ):
                found[int(doc)] = SearchCandidate(node_id, label, entry)
    finally:
        conn.execute("COMMIT")
    return [found[d] for d in order if d in found]
