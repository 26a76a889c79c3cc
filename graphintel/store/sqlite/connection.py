"""The SQLite store's plumbing: a connection per thread, ``BEGIN IMMEDIATE``
transactions that ``close`` waits for, and the schema."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import TypeVar

from graphintel.errors import StoreError
from graphintel.store import trigram_search

SCHEMA_VERSION = "1"
_T = TypeVar("_T")
CLOSE_WAIT_S = 30.0  # how long close() waits for other threads' transactions to end
SCAN_CACHE_KIB = 8192  # a one-pass read's page cache (``scanning``)


def placeholders(n: int) -> str:
    return ", ".join("?" for _ in range(n))


class SqliteBase:
    """Connections (one per thread), transactions and the schema of one SQLite file."""

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
    def scanning(self) -> Iterator[None]:
        """This thread's reads as one pass over whole tables (the analysis' read of the
        graph on its reader thread): a small page cache, since each page is read once, and
        the thread's connection closed at the end. The 128 MiB cache every connection gets
        would otherwise fill during the pass and stay filled while the thread's connection
        lives, i.e. as long as the store: at a million shipments through the analysis'
        peak."""
        conn = self._conn()
        conn.execute(f"PRAGMA cache_size=-{SCAN_CACHE_KIB}")
        try:
            yield
        finally:
            with self._lock:
                if conn in self._connections:  # else ``close`` has closed it
                    self._connections.remove(conn)
                    conn.close()
            self._local.conn = None

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
        evidence_columns = {r[1] for r in conn.execute("PRAGMA table_info(merge_evidence)")}
        # stores written before evidence weights were derived on read: their rows keep the
        # weights they were written with (level 0) until the next resolution rewrites them
        for column in ("level", "tf_count"):
            if column not in evidence_columns:
                conn.execute(
                    f"ALTER TABLE merge_evidence ADD COLUMN {column} INTEGER NOT NULL DEFAULT 0"
                )
        # their index by entity alone: the one by merge (entity first) serves its reads
        conn.execute("DROP INDEX IF EXISTS merge_evidence_by_entity")
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
