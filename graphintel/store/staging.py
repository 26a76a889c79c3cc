"""Graph rows staged in a SQLite file, for a graph write fed by another process.

A process that builds part of a graph (the resolver's second process builds the party
half) writes the rows to a staging file with ``StagingFile.table``. The ``StagedRows`` it
gets back are plain iterables of those rows, so any ``GraphStore`` takes them in a
``GraphPart``; the SQLite store recognises them and copies the staged table into its own
with one ``INSERT ... SELECT`` (in C) instead of binding every row from Python, and the
producer pays for the rows in its own process instead of pickling them across.

A staging file is scratch: no journal, no fsync, no indexes, only ever appended to.
"""

from __future__ import annotations

import sqlite3
import urllib.parse
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from graphintel.errors import StoreError
from graphintel.records import MergeEvidence

T = TypeVar("T")

# The graph tables a staging file can hold, with the columns each staged row gives.
STAGED_COLUMNS: dict[str, tuple[str, ...]] = {
    "nodes": ("id", "kind", "label", "props"),
    "edges": ("source", "kind", "target", "weight", "props"),
    "mentions": ("shipment_id", "role", "entity_id", "name"),
    "merge_evidence": (
        "entity_id", "mention_a", "mention_b", "field", "value_a", "value_b", "similarity",
        "weight", "rule", "level", "tf_count",
    ),
}  # fmt: skip
_BATCH = 50_000


@dataclass(frozen=True, slots=True)
class StagedRows(Generic[T]):
    """The rows of one table of a staging file, in the order they were staged (evidence
    as ``MergeEvidence`` records, other tables as row tuples)."""

    path: str
    table: str
    count: int

    def __iter__(self) -> Iterator[T]:
        columns = ", ".join(STAGED_COLUMNS[self.table])
        # Quoted: a "?", "#" or "%" in the path would otherwise end or change the URI's path.
        uri = f"file:{urllib.parse.quote(self.path)}?mode=ro"
        conn = sqlite3.connect(uri, uri=True)
        try:
            # The table name is one of STAGED_COLUMNS' keys (checked by StagingFile.table).
            rows = conn.execute(f"SELECT {columns} FROM {self.table} ORDER BY rowid")
            if self.table == "merge_evidence":
                for row in rows:
                    yield MergeEvidence(*row)  # type: ignore[misc]
            else:
                yield from rows
        finally:
            conn.close()

    def __len__(self) -> int:
        return self.count


class StagingFile:
    """A staging file open for writing: each table is made by one ``TableStager``."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._conn = sqlite3.connect(path, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")

    def table(self, table: str) -> TableStager[Any]:
        """A new ``table`` (one of ``STAGED_COLUMNS``) to append rows to."""
        if table not in STAGED_COLUMNS:
            raise StoreError(f"cannot stage rows of {table!r}")
        made = self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,))
        if made.fetchone() is not None:  # one stager per table: its count is the table's rows
            raise StoreError(f"{self.path} already stages {table}")
        self._conn.execute(f"CREATE TABLE {table} ({', '.join(STAGED_COLUMNS[table])})")
        return TableStager(self, table)

    def _insert(self, table: str, rows: list[Any]) -> None:
        width = len(STAGED_COLUMNS[table])
        self._conn.execute("BEGIN")
        self._conn.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * width)})", rows)
        self._conn.execute("COMMIT")

    def close(self) -> None:
        self._conn.close()


class TableStager(Generic[T]):
    """Appends rows to one table of a ``StagingFile`` in batches; ``finish`` says where."""

    def __init__(self, file: StagingFile, table: str) -> None:
        self._file = file
        self._table = table
        self._buffer: list[T] = []
        self.count = 0

    def append(self, row: T) -> None:
        self._buffer.append(row)
        self.count += 1
        if len(self._buffer) >= _BATCH:
            self._file._insert(self._table, self._buffer)
            self._buffer = []

    def extend(self, rows: Iterable[T]) -> None:
        for row in rows:
            self.append(row)

    def finish(self) -> StagedRows[T]:
        if self._buffer:
            self._file._insert(self._table, self._buffer)
            self._buffer = []
        return StagedRows(self._file.path, self._table, self.count)
