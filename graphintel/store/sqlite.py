"""The embedded default store: one SQLite file in WAL mode, no server.

WAL lets the app keep reading while a load or an analysis writes. Every write that must be
all-or-nothing (a file's load, a resolution, a run's results) runs in one ``BEGIN
IMMEDIATE`` transaction, so a crash leaves the store as it was before. Every value travels
as a parameter; table and column names come from this module only.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import astuple, fields, replace
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from graphintel.errors import NotFoundError, StoreError
from graphintel.model import EdgeKind, NodeKind, Role, kind_of
from graphintel.records import (
    AuditEntry,
    CaseRecord,
    EdgeRecord,
    Judgement,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
    Provenance,
    QuarantineEntry,
    RunRecord,
    SearchCandidate,
    ShipmentRecord,
    ShipmentStats,
    Watchlist,
    WatchlistEntry,
)
from graphintel.store import trigram_search
from graphintel.store.base import (
    AUDIT_LIMIT,
    DEFAULT_BATCH,
    STATE_CHUNK,
    AssignmentRow,
    EdgeEnds,
    EdgeRow,
    GraphPart,
    NodeLabel,
    NodeRow,
    assignment_rows,
    check_kinds,
    check_verdict,
    check_watchlist_kind,
    chunks,
    edge_rows,
    evidence_row,
    new_run,
    node_rows,
    row_kind,
    utc_now,
)
from graphintel.store.staging import STAGED_COLUMNS, StagedRows

SCHEMA_VERSION = "1"
_T = TypeVar("_T")

# Shipment columns in table order, derived from the record so the two cannot drift apart.
_SHIPMENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ShipmentRecord) if f.name not in ("provenance", "extra")
)
_SHIPMENT_COLUMNS = (*_SHIPMENT_FIELDS, "extra", "file_id", "row_number", "load_id")
_SHIPMENT_INSERT = (
    f"INSERT INTO shipments ({', '.join(_SHIPMENT_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in _SHIPMENT_COLUMNS)})"
)
_SHIPMENT_SELECT = f"SELECT {', '.join(_SHIPMENT_COLUMNS)} FROM shipments"


_GRAPH_BATCH = 50_000  # rows per executemany of the graph write
_EVIDENCE_COLUMNS = ", ".join(STAGED_COLUMNS["merge_evidence"])
CLOSE_WAIT_S = 30.0  # how long close() waits for other threads' transactions to end
# Repeated edges add up their weights. A plain INSERT was no cheaper for the resolver's
# distinct, key-ordered edges (2.5 s either way for 1.38M edges at 200k shipments).
_EDGE_UPSERT = (
    "INSERT INTO edges (source, kind, target, weight, props) VALUES (?, ?, ?, ?, ?)"
    " ON CONFLICT (source, kind, target) DO UPDATE SET weight = weight + excluded.weight"
)


def _row_writer(insert: str, what: str) -> Callable[[sqlite3.Connection, Iterable[Any]], int]:
    """A writer of one graph table's rows through ``insert``, kinds checked as ``what``."""

    def write(conn: sqlite3.Connection, rows: Iterable[Any]) -> int:
        written = 0
        for chunk in chunks(rows, _GRAPH_BATCH):
            check_kinds(map(row_kind, chunk), what)
            conn.executemany(insert, chunk)
            written += len(chunk)
        return written

    return write


def _write_evidence(conn: sqlite3.Connection, evidence: Iterable[MergeEvidence]) -> int:
    written = 0
    for chunk in chunks(evidence, _GRAPH_BATCH):
        written += len(chunk)
        conn.executemany(
            f"INSERT INTO merge_evidence ({_EVIDENCE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [evidence_row(e) for e in chunk],
        )
    return written


# Each writes a graph table's rows and says how many it wrote.
_GRAPH_WRITERS: dict[str, Callable[[sqlite3.Connection, Iterable[Any]], int]] = {
    "nodes": _row_writer("INSERT INTO nodes (id, kind, label, props) VALUES (?, ?, ?, ?)", "node"),
    "edges": _row_writer(_EDGE_UPSERT, "edge"),
    "mentions": _row_writer(
        "INSERT INTO mentions (shipment_id, role, entity_id, name) VALUES (?, ?, ?, ?)", "mention"
    ),
    "merge_evidence": _write_evidence,
}
# What a staged table's rows are checked against: its kind or role column.
_STAGED_KIND = {
    "nodes": ("kind", "node"),
    "edges": ("kind", "edge"),
    "mentions": ("role", "mention"),
}


def _copy_staged(
    conn: sqlite3.Connection, table: str, rows: StagedRows[Any], attached: dict[str, str]
) -> int:
    """Copy a staged table into the store's ``table`` in one statement, as the row writers
    would (kinds checked, repeated edges summed, evidence in staged order); say how many
    rows it held."""
    if rows.table != table:  # other stores read the rows as what their place in the part says
        raise StoreError(f"staged {rows.table} rows given as {table}; nothing was written")
    schema = attached.get(rows.path)
    if schema is None:
        schema = attached[rows.path] = f"staged{len(attached)}"
        conn.execute(f"ATTACH DATABASE ? AS {schema}", (rows.path,))
    # table is one of STAGED_COLUMNS' keys: never text from data
    columns = ", ".join(STAGED_COLUMNS[table])
    if table in _STAGED_KIND:
        column, what = _STAGED_KIND[table]
        found = conn.execute(f"SELECT DISTINCT {column} FROM {schema}.{table}")
        check_kinds((r[0] for r in found), what)
    upsert = (
        " ON CONFLICT (source, kind, target) DO UPDATE SET weight = weight + excluded.weight"
        if table == "edges"
        else ""
    )
    conn.execute(
        f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {schema}.{table}"
        f" WHERE true ORDER BY rowid{upsert}"
    )
    return rows.count


def _shipment_row(s: ShipmentRecord) -> tuple[Any, ...]:
    values = [getattr(s, name) for name in _SHIPMENT_FIELDS]
    p = s.provenance
    return (*values, json.dumps(s.extra, ensure_ascii=False), p.file_id, p.row_number, p.load_id)


def _shipment_from_row(row: Sequence[Any]) -> ShipmentRecord:
    n = len(_SHIPMENT_FIELDS)
    values = dict(zip(_SHIPMENT_FIELDS, row[:n], strict=True))
    extra, file_id, row_number, load_id = row[n:]
    return ShipmentRecord(
        **values,
        extra=json.loads(extra),
        provenance=Provenance(file_id, row_number, load_id),
    )


def _node_from_row(row: Sequence[Any]) -> NodeRecord:
    return NodeRecord(row[0], NodeKind(row[1]), row[2], json.loads(row[3]))


def _edge_from_row(row: Sequence[Any]) -> EdgeRecord:
    return EdgeRecord(row[0], row[2], EdgeKind(row[1]), row[3], json.loads(row[4]))


def _run_from_row(row: Sequence[Any]) -> RunRecord:
    return RunRecord(
        run_id=row[0],
        kind=row[1],
        status=row[2],
        started_at=row[3],
        finished_at=row[4],
        params=json.loads(row[5]),
        versions=json.loads(row[6]),
        counts=json.loads(row[7]),
        message=row[8],
    )


def _placeholders(n: int) -> str:
    return ", ".join("?" for _ in range(n))


def _kind_pages(
    conn: sqlite3.Connection,
    select: str,
    key: tuple[str, ...],
    kind_values: Sequence[str],
    batch_size: int,
) -> Iterator[list[Any]]:
    """Keyset-page `select` (whose leading columns are `key`) over rows of the given kinds."""
    key_sql = ", ".join(key)
    bound = f"({key_sql}) > ({_placeholders(len(key))})" if len(key) > 1 else f"{key_sql} > ?"
    sql = (
        f"{select} WHERE {bound} AND kind IN ({_placeholders(len(kind_values))})"
        f" ORDER BY {key_sql} LIMIT ?"
    )
    last: tuple[Any, ...] = ("",) * len(key)
    while rows := conn.execute(sql, (*last, *kind_values, batch_size)).fetchall():
        yield rows
        last = tuple(rows[-1][: len(key)])


_EDGE_KEY = ("source", "kind", "target")


# Watchlist entry columns in table order, from the record (list_name first).
_ENTRY_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(WatchlistEntry))


def _entry_values(entry: WatchlistEntry) -> tuple[Any, ...]:
    """An entry's column values after its list name."""
    return astuple(entry)[1:]


class _SqliteLoadWriter:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def existing_shipment_ids(self, shipment_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(shipment_ids, 500):
            rows = self._conn.execute(
                "SELECT shipment_id FROM shipments"
                f" WHERE shipment_id IN ({_placeholders(len(chunk))})",
                chunk,
            )
            found.update(r[0] for r in rows)
        return found

    def add_shipments(self, shipments: Sequence[ShipmentRecord]) -> None:
        self._conn.executemany(_SHIPMENT_INSERT, [_shipment_row(s) for s in shipments])

    def add_quarantine(self, entries: Sequence[QuarantineEntry]) -> None:
        self._conn.executemany(
            "INSERT INTO quarantine (load_id, file_id, file_path, row_number, column_name, reason,"
            " raw) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (e.load_id, e.file_id, e.file_path, e.row_number, e.column, e.reason, e.raw)
                for e in entries
            ],
        )


class SqliteStore:
    """``GraphStore`` on a SQLite file; safe to share between threads (one connection each)."""

    def __init__(self, path: str | Path, busy_timeout: float = 30.0) -> None:
        self.path = Path(path)
        self.busy_timeout = busy_timeout
        self.url = f"sqlite:///{self.path}"
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        # Transactions in flight on any thread; ``close`` waits for them, because closing a
        # connection another thread is committing on crashes the interpreter (sqlite3 does
        # not guard it): the app's audit writer commits from its own thread.
        self._in_flight = 0
        self._settled = threading.Condition(self._lock)
        self._search_sizes = trigram_search.SizesCache()
        try:
            if self.path.parent and not self.path.parent.exists():
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._init_schema()
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise self._locked() from None
            raise StoreError(f"cannot open store {self.url}: {exc}") from exc
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"cannot open store {self.url}: {exc}") from exc

    # -- connections and transactions -----------------------------------------------------
    def _conn(self) -> sqlite3.Connection:
        conn: sqlite3.Connection | None = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA cache_size=-131072")  # 128 MiB: bulk writes and index builds
            self._local.conn = conn
            with self._lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        conn = self._conn()
        with self._lock:
            self._in_flight += 1
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
                raise self._locked() from None
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            with self._lock:
                self._in_flight -= 1
                self._settled.notify_all()

    def _locked(self) -> StoreError:
        return StoreError(
            f"{self.url} is locked by another writer (a load, resolve or analysis holds"
            f" SQLite's write lock; waited {self.busy_timeout:g} s, set"
            " GRAPHINTEL_BUSY_TIMEOUT to wait longer); nothing was written, try again"
        )

    def _init_schema(self) -> None:
        script = resources.files("graphintel.store").joinpath("schema.sql").read_text("utf-8")
        conn = self._conn()
        conn.executescript(script)
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?)", (SCHEMA_VERSION,)
            )
        elif row[0] != SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} has schema version {row[0]}, this GraphIntel expects {SCHEMA_VERSION}"
            )
        network_columns = {r[1] for r in conn.execute("PRAGMA table_info(networks)")}
        if "countries" not in network_columns:  # stores written before networks had them
            conn.execute("ALTER TABLE networks ADD COLUMN countries TEXT NOT NULL DEFAULT '[]'")
        if "name" not in network_columns:  # stores written before networks had names
            conn.execute("ALTER TABLE networks ADD COLUMN name TEXT NOT NULL DEFAULT ''")
            conn.execute("ALTER TABLE networks ADD COLUMN points TEXT NOT NULL DEFAULT '{}'")
        judgement_columns = {r[1] for r in conn.execute("PRAGMA table_info(judgements)")}
        for column in ("withdrawn_by", "withdrawn_at"):  # stores from before withdrawal
            if column not in judgement_columns:
                conn.execute(f"ALTER TABLE judgements ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    def close(self) -> None:
        with self._lock:
            # a transaction on another thread finishes first (a bounded wait: a thread
            # closing from inside its own transaction must not hang)
            self._settled.wait_for(lambda: self._in_flight == 0, timeout=CLOSE_WAIT_S)
            for conn in self._connections:
                conn.close()
            self._connections.clear()
        self._local = threading.local()

    # -- loads ---------------------------------------------------------------------------
    def completed_load(self, file_id: str) -> LoadReport | None:
        cursor = self._conn().execute(
            "SELECT load_id, file_id, file_path, status, rows_read, rows_loaded, rows_quarantined,"
            " rows_duplicate, started_at, finished_at, message FROM loads"
            " WHERE file_id = ? AND status = 'loaded' ORDER BY started_at LIMIT 1",
            (file_id,),
        )
        row = cursor.fetchone()
        return LoadReport(*row) if row else None

    @contextmanager
    def _load(self, report: LoadReport) -> Iterator[_SqliteLoadWriter]:
        with self._transaction() as conn:
            # The report row goes first so rows can reference it; it is rewritten with the
            # final counts before commit, and vanishes with everything else on rollback.
            self._write_load_report(conn, report)
            yield _SqliteLoadWriter(conn)
            self._write_load_report(conn, report)

    def load_transaction(self, report: LoadReport) -> AbstractContextManager[_SqliteLoadWriter]:
        return self._load(report)

    @staticmethod
    def _write_load_report(conn: sqlite3.Connection, r: LoadReport) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO loads (load_id, file_id, file_path, status, rows_read,"
            " rows_loaded, rows_quarantined, rows_duplicate, started_at, finished_at, message)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                r.load_id,
                r.file_id,
                r.file_path,
                r.status,
                r.rows_read,
                r.rows_loaded,
                r.rows_quarantined,
                r.rows_duplicate,
                r.started_at or utc_now(),
                r.finished_at,
                r.message,
            ),
        )

    def loads(self) -> list[LoadReport]:
        rows = self._conn().execute(
            "SELECT load_id, file_id, file_path, status, rows_read, rows_loaded, rows_quarantined,"
            " rows_duplicate, started_at, finished_at, message FROM loads"
            " ORDER BY started_at, rowid"
        )
        return [LoadReport(*r) for r in rows]

    def quarantine(self, load_id: str | None = None, limit: int = 1000) -> list[QuarantineEntry]:
        sql = (
            "SELECT file_id, file_path, row_number, column_name, reason, raw, load_id"
            " FROM quarantine"
        )
        params: tuple[Any, ...] = ()
        if load_id is not None:
            sql += " WHERE load_id = ?"
            params = (load_id,)
        sql += " ORDER BY id LIMIT ?"
        rows = self._conn().execute(sql, (*params, limit))
        return [QuarantineEntry(*r) for r in rows]

    def shipment_count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM shipments").fetchone()[0])

    def iter_shipments(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[ShipmentRecord]]:
        # Keyset pagination keeps memory flat and never holds a read transaction open
        # between batches, so writers are not blocked by a slow consumer.
        last = ""
        conn = self._conn()
        while True:
            rows = conn.execute(
                f"{_SHIPMENT_SELECT} WHERE shipment_id > ? ORDER BY shipment_id LIMIT ?",
                (last, batch_size),
            ).fetchall()
            if not rows:
                return
            batch = [_shipment_from_row(r) for r in rows]
            last = batch[-1].shipment_id
            yield batch

    def shipments(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]:
        out: list[ShipmentRecord] = []
        conn = self._conn()
        for chunk in chunks(shipment_ids, 500):
            rows = conn.execute(
                f"{_SHIPMENT_SELECT} WHERE shipment_id IN ({_placeholders(len(chunk))})", chunk
            )
            out.extend(_shipment_from_row(r) for r in rows)
        order = {sid: i for i, sid in enumerate(shipment_ids)}
        out.sort(key=lambda s: order.get(s.shipment_id, 0))
        return out

    # -- resolved graph ------------------------------------------------------------------
    def replace_graph(
        self,
        nodes: Iterable[NodeRecord],
        edges: Iterable[EdgeRecord],
        assignments: Iterable[MentionAssignment],
        evidence: Iterable[MergeEvidence],
    ) -> None:
        self.replace_graph_rows(
            node_rows(nodes), edge_rows(edges), assignment_rows(assignments), evidence
        )

    def replace_graph_rows(
        self,
        nodes: Iterable[NodeRow],
        edges: Iterable[EdgeRow],
        assignments: Iterable[AssignmentRow],
        evidence: Iterable[MergeEvidence],
    ) -> None:
        self.replace_graph_parts([GraphPart(nodes, edges, assignments, evidence)])

    def replace_graph_parts(self, parts: Iterable[GraphPart]) -> None:
        graph_tables = ("nodes", "edges", "mentions", "merge_evidence")
        attached: dict[str, str] = {}  # staging file -> schema name it is attached as
        try:
            with self._transaction() as conn:
                # Secondary indexes are dropped and rebuilt around the bulk write (inside
                # the same transaction): one sort per index instead of a B-tree update per
                # row, which more than halves the write time of a large graph.
                found = conn.execute(
                    "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index'"
                    f" AND sql IS NOT NULL AND tbl_name IN ({_placeholders(len(graph_tables))})",
                    graph_tables,
                ).fetchall()
                for name, _, _ in found:
                    conn.execute(f'DROP INDEX "{name}"')
                indexes = [(table, sql) for _, table, sql in found]
                for table in graph_tables:
                    conn.execute(f"DELETE FROM {table}")
                trigram_search.invalidate(conn)
                # One part at a time, each fully written before the next is asked for; the
                # merge_evidence ids (its order) continue across parts. A table's indexes
                # come back after the first part that wrote rows to it, before the next
                # part is asked for (while its producer may still be computing it); later
                # parts update them as they go.
                unindexed = set(graph_tables)
                for part in parts:
                    written = set()
                    for table, rows in zip(graph_tables, part, strict=True):
                        if isinstance(rows, StagedRows):
                            count = _copy_staged(conn, table, rows, attached)
                        else:
                            count = _GRAPH_WRITERS[table](conn, rows)
                        if count:
                            written.add(table)
                    for table, sql in indexes:
                        if table in written & unindexed:
                            conn.execute(sql)
                    unindexed -= written
                for table, sql in indexes:
                    if table in unindexed:
                        conn.execute(sql)
        finally:
            conn = self._conn()
            for schema in attached.values():
                conn.execute(f"DETACH DATABASE {schema}")

    def iter_mentions(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MentionAssignment]]:
        last: tuple[str, str] = ("", "")
        conn = self._conn()
        while True:
            rows = conn.execute(
                "SELECT shipment_id, role, entity_id, name FROM mentions"
                " WHERE (shipment_id, role) > (?, ?) ORDER BY shipment_id, role LIMIT ?",
                (*last, batch_size),
            ).fetchall()
            if not rows:
                return
            yield [MentionAssignment(r[0], Role(r[1]), r[2], r[3]) for r in rows]
            last = (rows[-1][0], rows[-1][1])

    def merge_evidence(self, entity_id: str) -> list[MergeEvidence]:
        rows = self._conn().execute(
            "SELECT entity_id, mention_a, mention_b, field, value_a, value_b, similarity, weight,"
            " rule FROM merge_evidence WHERE entity_id = ? ORDER BY id",
            (entity_id,),
        )
        return [MergeEvidence(*r) for r in rows]

    def iter_nodes(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeRecord]]:
        kind_values = [k.value for k in (kinds or NodeKind)]
        select = "SELECT id, kind, label, props FROM nodes"
        for rows in _kind_pages(self._conn(), select, ("id",), kind_values, batch_size):
            yield [_node_from_row(r) for r in rows]

    def iter_edges(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeRecord]]:
        kind_values = [k.value for k in (kinds or EdgeKind)]
        select = "SELECT source, kind, target, weight, props FROM edges"
        for rows in _kind_pages(self._conn(), select, _EDGE_KEY, kind_values, batch_size):
            yield [_edge_from_row(r) for r in rows]

    def iter_node_labels(
        self, kinds: Collection[NodeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[NodeLabel]]:
        kind_values = [k.value for k in (kinds or NodeKind)]
        select = "SELECT id, kind, label FROM nodes"
        yield from _kind_pages(self._conn(), select, ("id",), kind_values, batch_size)

    def iter_edge_ends(
        self, kinds: Collection[EdgeKind] | None = None, batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[EdgeEnds]]:
        kind_values = [k.value for k in (kinds or EdgeKind)]
        select = "SELECT source, kind, target, weight FROM edges"
        yield from _kind_pages(self._conn(), select, _EDGE_KEY, kind_values, batch_size)

    def nodes(self, node_ids: Sequence[str]) -> list[NodeRecord]:
        out: list[NodeRecord] = []
        conn = self._conn()
        for chunk in chunks(node_ids, 500):
            rows = conn.execute(
                "SELECT id, kind, label, props FROM nodes"
                f" WHERE id IN ({_placeholders(len(chunk))})",
                chunk,
            )
            out.extend(_node_from_row(r) for r in rows)
        return out

    def edges_among(self, node_ids: Sequence[str]) -> list[EdgeRecord]:
        conn = self._conn()
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS _among (id TEXT PRIMARY KEY)")
        conn.execute("DELETE FROM _among")
        conn.executemany("INSERT OR IGNORE INTO _among (id) VALUES (?)", [(i,) for i in node_ids])
        # CROSS JOIN pins the loop order: walk the few member ids and look their edges up by
        # primary key. Left to itself the planner scans every edge (380 ms vs 0.7 ms for a
        # 141-member network in a 138k-edge store).
        rows = conn.execute(
            "SELECT e.source, e.kind, e.target, e.weight, e.props FROM _among s"
            " CROSS JOIN edges e ON e.source = s.id JOIN _among t ON t.id = e.target"
        ).fetchall()
        conn.execute("DELETE FROM _among")
        return [_edge_from_row(r) for r in rows]

    def neighbours(self, node_id: str, limit: int = 100) -> tuple[list[EdgeRecord], int]:
        conn = self._conn()
        total = conn.execute(
            "SELECT (SELECT count(*) FROM edges WHERE source = ?)"
            " + (SELECT count(*) FROM edges WHERE target = ?)",
            (node_id, node_id),
        ).fetchone()[0]
        rows = conn.execute(
            "SELECT source, kind, target, weight, props FROM ("
            " SELECT * FROM edges WHERE source = ?"
            " UNION ALL SELECT * FROM edges WHERE target = ?)"
            " ORDER BY weight DESC LIMIT ?",
            (node_id, node_id, limit),
        ).fetchall()
        return [_edge_from_row(r) for r in rows], int(total)

    def provenance(self, node_id: str, limit: int = 100) -> list[Provenance]:
        kind = kind_of(node_id)
        conn = self._conn()
        if kind is NodeKind.SHIPMENT:
            sql = (
                "SELECT s.file_id, s.row_number, s.load_id FROM nodes n"
                " JOIN shipments s ON n.id = 'shipment:' || s.shipment_id WHERE n.id = ? LIMIT ?"
            )
        elif kind is NodeKind.PARTY:
            sql = (
                "SELECT s.file_id, s.row_number, s.load_id FROM mentions m"
                " JOIN shipments s ON s.shipment_id = m.shipment_id WHERE m.entity_id = ?"
                " ORDER BY s.file_id, s.row_number LIMIT ?"
            )
        else:
            # Identifiers are reached from shipments directly (DELIVERED_TO, PAID_WITH,
            # ORDERED_FROM) or through the parties that used them (HAS_*).
            sql = (
                "SELECT DISTINCT s.file_id, s.row_number, s.load_id FROM ("
                "  SELECT e.source AS shipment_node FROM edges e"
                "   WHERE e.target = ?1 AND e.source LIKE 'shipment:%'"
                "  UNION SELECT se.source FROM edges pe JOIN edges se ON se.target = pe.source"
                "   WHERE pe.target = ?1 AND se.source LIKE 'shipment:%'"
                " ) x JOIN shipments s ON x.shipment_node = 'shipment:' || s.shipment_id"
                " ORDER BY s.file_id, s.row_number LIMIT ?2"
            )
        rows = conn.execute(sql, (node_id, limit))
        return [Provenance(*r) for r in rows]

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

    def counts(self) -> dict[str, int]:
        conn = self._conn()
        out = {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("loads", "shipments", "quarantine", "edges", "mentions", "runs")
        }
        for kind, n in conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"):
            out[f"nodes:{kind}"] = int(n)
        return out

    # -- runs ----------------------------------------------------------------------------
    def start_run(self, kind: str, params: dict[str, Any], versions: dict[str, str]) -> RunRecord:
        run = new_run(kind, params, versions)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO runs (run_id, kind, status, started_at, finished_at, params, versions,"
                " counts, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.kind,
                    run.status,
                    run.started_at,
                    run.finished_at,
                    json.dumps(params),
                    json.dumps(versions),
                    "{}",
                    "",
                ),
            )
        return run

    def _run(self, run_id: str) -> RunRecord:
        row = (
            self._conn()
            .execute(
                "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
                " message FROM runs WHERE run_id = ?",
                (run_id,),
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return _run_from_row(row)

    def finish_run(
        self, run_id: str, counts: dict[str, int], networks: Iterable[Network] = ()
    ) -> RunRecord:
        self._run(run_id)
        with self._transaction() as conn:
            for chunk in chunks(networks, 1000):
                conn.executemany(
                    "INSERT INTO networks (run_id, network_id, rank, score, reasons, evidence,"
                    " typologies, first_date, last_date, seized_count, n_shipments, n_entities,"
                    " countries, name, points)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        (
                            run_id,
                            n.network_id,
                            n.rank,
                            n.score,
                            json.dumps(list(n.reasons)),
                            json.dumps(n.evidence),
                            json.dumps(list(n.typologies)),
                            n.first_date,
                            n.last_date,
                            n.seized_count,
                            len(n.shipment_ids),
                            len(n.entity_ids),
                            json.dumps(list(n.countries)),
                            n.name,
                            json.dumps(n.points),
                        )
                        for n in chunk
                    ],
                )
                conn.executemany(
                    "INSERT INTO network_members (run_id, network_id, node_id, is_shipment)"
                    " VALUES (?, ?, ?, ?)",
                    [
                        (run_id, n.network_id, member, int(is_shipment))
                        for n in chunk
                        for members, is_shipment in ((n.shipment_ids, True), (n.entity_ids, False))
                        for member in members
                    ],
                )
            conn.execute(
                "UPDATE runs SET status = 'succeeded', finished_at = ?, counts = ?"
                " WHERE run_id = ?",
                (utc_now(), json.dumps(counts), run_id),
            )
        return self._run(run_id)

    def fail_run(self, run_id: str, message: str) -> RunRecord:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = 'failed', finished_at = ?, message = ? WHERE run_id = ?",
                (utc_now(), message, run_id),
            )
        return self._run(run_id)

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        sql = (
            "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
            " message FROM runs"
        )
        params: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        rows = self._conn().execute(sql + " ORDER BY started_at, rowid", params)
        return [_run_from_row(r) for r in rows]

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
                " message FROM runs WHERE kind = ? AND status = 'succeeded'"
                " ORDER BY finished_at DESC, rowid DESC LIMIT 1",
                (kind,),
            )
            .fetchone()
        )
        return _run_from_row(row) if row else None

    def _network_from_row(self, row: Sequence[Any], with_members: bool) -> Network:
        run_id, network_id = row[0], row[1]
        shipment_ids: list[str] = []
        entity_ids: list[str] = []
        if with_members:
            for node, is_shipment in self._conn().execute(
                "SELECT node_id, is_shipment FROM network_members"
                " WHERE run_id = ? AND network_id = ? ORDER BY node_id",
                (run_id, network_id),
            ):
                (shipment_ids if is_shipment else entity_ids).append(node)
        return Network(
            network_id=network_id,
            run_id=run_id,
            rank=row[2],
            score=row[3],
            reasons=tuple(json.loads(row[4])),
            evidence=json.loads(row[5]),
            typologies=tuple(json.loads(row[6])),
            first_date=row[7],
            last_date=row[8],
            seized_count=row[9],
            n_shipments=row[10],
            n_entities=row[11],
            countries=tuple(json.loads(row[12])),
            name=row[13],
            points=json.loads(row[14]),
            shipment_ids=tuple(shipment_ids),
            entity_ids=tuple(entity_ids),
        )

    _NETWORK_SELECT = (
        "SELECT run_id, network_id, rank, score, reasons, evidence, typologies, first_date,"
        " last_date, seized_count, n_shipments, n_entities, countries, name, points FROM networks"
    )

    def networks(
        self,
        run_id: str,
        limit: int | None = None,
        offset: int = 0,
        with_members: bool = True,
    ) -> list[Network]:
        rows = (
            self._conn()
            .execute(
                f"{self._NETWORK_SELECT} WHERE run_id = ? ORDER BY rank LIMIT ? OFFSET ?",
                (run_id, -1 if limit is None else limit, offset),
            )
            .fetchall()
        )
        return [self._network_from_row(r, with_members) for r in rows]

    def network(self, run_id: str, network_id: str) -> Network | None:
        row = (
            self._conn()
            .execute(
                f"{self._NETWORK_SELECT} WHERE run_id = ? AND network_id = ?", (run_id, network_id)
            )
            .fetchone()
        )
        return self._network_from_row(row, True) if row else None

    def shipment_stats(
        self, value_bin: float = 50.0, value_cap: float = 2000.0, top_countries: int = 15
    ) -> ShipmentStats:
        conn = self._conn()
        months = conn.execute(
            "SELECT substr(arrival_date, 1, 7) AS m, count(*) FROM shipments GROUP BY m ORDER BY m"
        ).fetchall()
        last_bin = int(value_cap // value_bin)
        bins = conn.execute(
            "SELECT min(CAST(max(declared_value_usd, 0) / ? AS INTEGER), ?) AS b, count(*)"
            " FROM shipments GROUP BY b ORDER BY b",
            (value_bin, last_bin),
        ).fetchall()
        countries = conn.execute(
            "SELECT country_of_origin, count(*) AS n FROM shipments"
            " GROUP BY country_of_origin ORDER BY n DESC, country_of_origin LIMIT ?",
            (top_countries,),
        ).fetchall()
        return ShipmentStats(
            total=sum(int(n) for _, n in months),
            by_month=[(str(m), int(n)) for m, n in months],
            value_bins=[(float(b) * value_bin, int(n)) for b, n in bins],
            countries=[(str(c), int(n)) for c, n in countries],
        )

    # -- cases and notes ------------------------------------------------------------------
    def save_case(self, case_id: str, name: str, payload: dict[str, Any]) -> CaseRecord:
        now = utc_now()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO cases (case_id, name, payload, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET"
                " name = excluded.name, payload = excluded.payload,"
                " updated_at = excluded.updated_at",
                (case_id, name, json.dumps(payload), now, now),
            )
        found = self.case(case_id)
        assert found is not None
        return found

    def cases(self) -> list[CaseRecord]:
        rows = self._conn().execute(
            "SELECT case_id, name, created_at, updated_at FROM cases"
            " ORDER BY updated_at DESC, case_id"
        )
        return [CaseRecord(r[0], r[1], {}, r[2], r[3]) for r in rows]

    def case(self, case_id: str) -> CaseRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT case_id, name, payload, created_at, updated_at FROM cases"
                " WHERE case_id = ?",
                (case_id,),
            )
            .fetchone()
        )
        return CaseRecord(row[0], row[1], json.loads(row[2]), row[3], row[4]) if row else None

    def rename_case(self, case_id: str, name: str) -> CaseRecord:
        with self._transaction() as conn:
            changed = conn.execute(
                "UPDATE cases SET name = ?, updated_at = ? WHERE case_id = ?",
                (name, utc_now(), case_id),
            ).rowcount
        if not changed:
            raise NotFoundError(f"no case {case_id!r} in {self.url}")
        found = self.case(case_id)
        assert found is not None
        return found

    def delete_case(self, case_id: str) -> bool:
        with self._transaction() as conn:
            return bool(conn.execute("DELETE FROM cases WHERE case_id = ?", (case_id,)).rowcount)

    def set_note(self, node_id: str, text: str) -> None:
        with self._transaction() as conn:
            if text.strip():
                conn.execute(
                    "INSERT INTO notes (node_id, text, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (node_id) DO UPDATE SET text = excluded.text,"
                    " updated_at = excluded.updated_at",
                    (node_id, text, utc_now()),
                )
            else:
                conn.execute("DELETE FROM notes WHERE node_id = ?", (node_id,))

    def add_judgement(self, left: str, right: str, verdict: str, user: str) -> Judgement:
        judgement = Judgement(left, right, check_verdict(verdict), user, utc_now())
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO judgements (left_id, right_id, verdict, user_name, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (left, right, judgement.verdict, user, judgement.created_at),
            )
        return judgement

    def judgements(self, include_withdrawn: bool = False) -> list[Judgement]:
        rows = self._conn().execute(
            "SELECT left_id, right_id, verdict, user_name, created_at, withdrawn_by,"
            " withdrawn_at FROM judgements WHERE ? OR withdrawn_at = '' ORDER BY seq",
            (include_withdrawn,),
        )
        return [Judgement(*r) for r in rows]

    def withdraw_judgement(self, left: str, right: str, user: str) -> list[Judgement]:
        now = utc_now()
        with self._transaction() as conn:
            rows = conn.execute(
                "UPDATE judgements SET withdrawn_by = ?, withdrawn_at = ?"
                " WHERE withdrawn_at = '' AND ((left_id = ? AND right_id = ?)"
                " OR (left_id = ? AND right_id = ?))"
                " RETURNING seq, left_id, right_id, verdict, user_name, created_at,"
                " withdrawn_by, withdrawn_at",
                (user, now, left, right, right, left),
            ).fetchall()
        return [Judgement(*r[1:]) for r in sorted(rows)]

    def resolver_state(self) -> dict[str, bytes]:
        parts: dict[str, list[bytes]] = {}
        for name, data in self._conn().execute(
            "SELECT name, data FROM resolver_state ORDER BY name, chunk"
        ):
            parts.setdefault(name, []).append(bytes(data))
        return {name: b"".join(chunks) for name, chunks in parts.items()}

    def save_resolver_state(self, parts: dict[str, bytes]) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM resolver_state")
            for name, data in parts.items():
                conn.executemany(
                    "INSERT INTO resolver_state (name, chunk, data) VALUES (?, ?, ?)",
                    (
                        (name, k, data[start : start + STATE_CHUNK])
                        for k, start in enumerate(range(0, max(len(data), 1), STATE_CHUNK))
                    ),
                )

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        with self._transaction() as conn:
            conn.executemany(
                "INSERT INTO audit_log (user_name, action, target, detail, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(e.user, e.action, e.target, e.detail, e.created_at) for e in entries],
            )

    def audit_log(
        self,
        user: str | None = None,
        action: str | None = None,
        since: str | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        rows = self._conn().execute(
            "SELECT user_name, action, target, detail, created_at FROM ("
            " SELECT * FROM audit_log WHERE (?1 IS NULL OR user_name = ?1)"
            " AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR created_at >= ?3)"
            " ORDER BY seq DESC LIMIT ?4) ORDER BY seq",
            (user, action, since, limit),
        )
        return [AuditEntry(*r) for r in rows]

    def notes(self, node_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        conn = self._conn()
        for chunk in chunks(dict.fromkeys(node_ids), 500):
            rows = conn.execute(
                f"SELECT node_id, text FROM notes WHERE node_id IN ({_placeholders(len(chunk))})",
                chunk,
            )
            out.update({r[0]: r[1] for r in rows})
        return out

    # -- watchlists --------------------------------------------------------------------------
    def replace_watchlist(
        self, watchlist: Watchlist, entries: Sequence[WatchlistEntry]
    ) -> Watchlist:
        check_watchlist_kind(watchlist.kind)
        with self._transaction() as conn:
            conn.execute("DELETE FROM watchlist_entries WHERE list_name = ?", (watchlist.name,))
            conn.execute("DELETE FROM watchlists WHERE name = ?", (watchlist.name,))
            conn.execute(
                "INSERT INTO watchlists (name, kind, file_path, file_id, added_at, entries)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    watchlist.name,
                    watchlist.kind,
                    watchlist.file_path,
                    watchlist.file_id,
                    watchlist.added_at,
                    len(entries),
                ),
            )
            conn.executemany(
                f"INSERT INTO watchlist_entries ({', '.join(_ENTRY_COLUMNS)})"
                f" VALUES ({_placeholders(len(_ENTRY_COLUMNS))})",
                [(watchlist.name, *_entry_values(e)) for e in entries],
            )
        return replace(watchlist, entries=len(entries))

    def watchlists(self) -> list[Watchlist]:
        rows = self._conn().execute(
            "SELECT name, kind, file_path, file_id, added_at, entries FROM watchlists ORDER BY name"
        )
        return [Watchlist(*r) for r in rows]

    def watchlist_entries(self, names: Sequence[str] | None = None) -> list[WatchlistEntry]:
        query = f"SELECT {', '.join(_ENTRY_COLUMNS)} FROM watchlist_entries"
        params: list[str] = []
        if names is not None:
            wanted = list(dict.fromkeys(names))
            if not wanted:
                return []
            query += f" WHERE list_name IN ({_placeholders(len(wanted))})"
            params = wanted
        rows = self._conn().execute(query + " ORDER BY list_name, row_number", params)
        return [WatchlistEntry(*r) for r in rows]

    def remove_watchlist(self, name: str) -> bool:
        with self._transaction() as conn:
            conn.execute("DELETE FROM watchlist_entries WHERE list_name = ?", (name,))
            return conn.execute("DELETE FROM watchlists WHERE name = ?", (name,)).rowcount > 0
