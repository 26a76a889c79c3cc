"""Loaded source rows: files' load reports, shipments and quarantine."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields
from operator import attrgetter
from typing import Any

from graphintel.records import (
    LoadReport,
    Provenance,
    QuarantineEntry,
    ShipmentRecord,
    ShipmentStats,
)
from graphintel.store.base import (
    DEFAULT_BATCH,
    chunks,
    utc_now,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
    placeholders,
)

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
_SHIPMENT_ID = attrgetter("shipment_id")
_SHIPMENT_VALUES = attrgetter(*_SHIPMENT_FIELDS)
_NO_EXTRA = "{}"  # json.dumps({}): most rows have no extra column, and skip json both ways


def _shipment_row(s: ShipmentRecord) -> tuple[Any, ...]:
    p = s.provenance
    extra = json.dumps(s.extra, ensure_ascii=False) if s.extra else _NO_EXTRA
    return (*_SHIPMENT_VALUES(s), extra, p.file_id, p.row_number, p.load_id)


def _shipment_from_row(row: Sequence[Any]) -> ShipmentRecord:
    n = len(_SHIPMENT_FIELDS)
    values = dict(zip(_SHIPMENT_FIELDS, row[:n], strict=True))
    extra, file_id, row_number, load_id = row[n:]
    return ShipmentRecord(
        **values,
        extra={} if extra == _NO_EXTRA else json.loads(extra),
        provenance=Provenance(file_id, row_number, load_id),
    )


class _SqliteLoadWriter:
    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn

    def existing_shipment_ids(self, shipment_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(shipment_ids, 500):
            rows = self._conn.execute(
                "SELECT shipment_id FROM shipments"
                f" WHERE shipment_id IN ({placeholders(len(chunk))})",
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


class LoadsMixin(SqliteBase):
    """``LoadStore`` on SQLite."""

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

    def iter_shipments_of_loads(
        self, load_ids: Collection[str], batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[ShipmentRecord]]:
        # The load's index finds the rows; their ids are sorted here, not by SQLite, which
        # would otherwise walk the shipment-id index over every shipment of the store.
        conn = self._conn()
        found: list[tuple[str, int]] = []
        for load_id in sorted(set(load_ids)):
            found += conn.execute(
                "SELECT shipment_id, rowid FROM shipments WHERE load_id = ?", (load_id,)
            ).fetchall()
        found.sort()
        for chunk in chunks(found, batch_size):
            rowids = [rowid for _, rowid in chunk]
            batch: list[ShipmentRecord] = []
            for part in chunks(rowids, 500):
                rows = conn.execute(
                    f"{_SHIPMENT_SELECT} WHERE rowid IN ({placeholders(len(part))})", part
                )
                batch.extend(_shipment_from_row(r) for r in rows)
            batch.sort(key=_SHIPMENT_ID)
            yield batch

    def shipments(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]:
        out: list[ShipmentRecord] = []
        conn = self._conn()
        for chunk in chunks(shipment_ids, 500):
            rows = conn.execute(
                f"{_SHIPMENT_SELECT} WHERE shipment_id IN ({placeholders(len(chunk))})", chunk
            )
            out.extend(_shipment_from_row(r) for r in rows)
        order = {sid: i for i, sid in enumerate(shipment_ids)}
        out.sort(key=lambda s: order.get(s.shipment_id, 0))
        return out

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
