"""Loaded source rows on Neo4j: staged loads, shipments, quarantine, overview counts."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any

from graphintel.errors import StoreError
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
from graphintel.store.neo4j.connection import KEY_SEP, Neo4jBase
from graphintel.store.neo4j.cypher import COMMITTED_LOAD_IDS, SHIPMENT_FIELDS, declare, words

log = logging.getLogger(__name__)


# -- loads -----------------------------------------------------------------------------------
LOAD_FIELDS = words(
    "load_id file_id file_path status rows_read rows_loaded rows_quarantined rows_duplicate"
    " started_at finished_at message"
)
_LOAD_RETURN = "l {" + ", ".join(f".{f}" for f in LOAD_FIELDS) + "} AS load"

LOAD_GET = declare(
    "load_get", "MATCH (l:Load {load_id: $load_id}) RETURN l.committed AS committed", "load_id"
)
LOAD_STAGE = declare(
    "load_stage",
    "MERGE (l:Load {load_id: $load_id}) SET l += $props, l.committed = false",
    "load_id",
    "props",
)
LOAD_STALE = declare(
    "load_stale",
    "MATCH (l:Load {file_id: $file_id}) WHERE NOT l.committed AND l.load_id <> $load_id"
    " RETURN l.load_id AS load_id",
    "file_id",
    "load_id",
)
LOAD_DELETE_SHIPMENTS = declare(
    "load_delete_shipments",
    "MATCH (s:Shipment {load_id: $load_id}) WITH s LIMIT $limit DETACH DELETE s"
    " RETURN count(*) AS deleted",
    "load_id",
    "limit",
)
LOAD_DELETE_QUARANTINE = declare(
    "load_delete_quarantine",
    "MATCH (q:QuarantineEntry {load_id: $load_id}) WITH q LIMIT $limit DELETE q"
    " RETURN count(*) AS deleted",
    "load_id",
    "limit",
)
LOAD_DELETE = declare("load_delete", "MATCH (l:Load {load_id: $load_id}) DELETE l", "load_id")
LOAD_COMMIT = declare(
    "load_commit",
    "MATCH (l:Load {load_id: $load_id}) SET l += $props, l.committed = true",
    "load_id",
    "props",
)
LOAD_IMPORT = declare(
    "load_import",
    "UNWIND $rows AS row MERGE (l:Load {load_id: row.load_id}) SET l += row, l.committed = true",
    "rows",
)
EXISTING_SHIPMENTS = declare(
    "existing_shipments",
    "UNWIND $ids AS sid MATCH (s:Shipment {shipment_id: sid})"
    " OPTIONAL MATCH (l:Load {load_id: s.load_id})"
    " WITH s, l WHERE s.load_id = $load_id OR l.committed"
    " RETURN s.shipment_id AS shipment_id",
    "ids",
    "load_id",
)
SHIPMENTS_WRITE = declare(
    "shipments_write",
    "UNWIND $rows AS row MERGE (s:Shipment {shipment_id: row.shipment_id})"
    " SET s += row, s.arrival_date = date(row.arrival_date)",
    "rows",
)
QUARANTINE_WRITE = declare(
    "quarantine_write", "UNWIND $rows AS row CREATE (q:QuarantineEntry) SET q = row", "rows"
)
COMPLETED_LOAD = declare(
    "completed_load",
    "MATCH (l:Load {file_id: $file_id}) WHERE l.committed AND l.status = $status"
    f" WITH l ORDER BY l.started_at, l.created_ns LIMIT 1 RETURN {_LOAD_RETURN}",
    "file_id",
    "status",
)
LOADS = declare(
    "loads",
    f"MATCH (l:Load) WHERE l.committed WITH l ORDER BY l.started_at, l.created_ns"
    f" RETURN {_LOAD_RETURN}",
)
LOADS_PAGE = declare(
    "loads_page",
    "MATCH (l:Load) WHERE l.committed AND l.created_ns > $after"
    f" WITH l ORDER BY l.created_ns LIMIT $limit RETURN {_LOAD_RETURN}, l.created_ns AS position",
    "after",
    "limit",
)
_QUARANTINE_RETURN = (
    "q.file_id AS file_id, q.file_path AS file_path, q.row_number AS row_number,"
    " q.column AS column, q.reason AS reason, q.raw AS raw, q.load_id AS load_id"
)
QUARANTINE = declare(
    "quarantine",
    "MATCH (l:Load) WHERE l.committed AND ($load_id IS NULL OR l.load_id = $load_id)"
    " MATCH (q:QuarantineEntry {load_id: l.load_id})"
    " WITH l, q ORDER BY l.started_at, l.created_ns, q.seq LIMIT $limit"
    f" RETURN {_QUARANTINE_RETURN}",
    "load_id",
    "limit",
)
QUARANTINE_PAGE = declare(
    "quarantine_page",
    f"{COMMITTED_LOAD_IDS} MATCH (q:QuarantineEntry) WHERE q.key > $after AND q.load_id IN ok"
    f" WITH q ORDER BY q.key LIMIT $limit RETURN {_QUARANTINE_RETURN}, q.key AS position",
    "after",
    "limit",
)
SHIPMENT_COUNT = declare(
    "shipment_count",
    "MATCH (l:Load) WHERE l.committed MATCH (s:Shipment {load_id: l.load_id}) RETURN count(s) AS n",
)
QUARANTINE_COUNT = declare(
    "quarantine_count",
    "MATCH (l:Load) WHERE l.committed MATCH (q:QuarantineEntry {load_id: l.load_id})"
    " RETURN count(q) AS n",
)
LOAD_COUNT = declare("load_count", "MATCH (l:Load) WHERE l.committed RETURN count(l) AS n")
_SHIPMENT_RETURN = "s {.*, arrival_date: toString(s.arrival_date)} AS shipment"
SHIPMENTS_PAGE = declare(
    "shipments_page",
    f"{COMMITTED_LOAD_IDS} MATCH (s:Shipment) WHERE s.shipment_id > $after AND s.load_id IN ok"
    f" WITH s ORDER BY s.shipment_id LIMIT $limit RETURN {_SHIPMENT_RETURN}",
    "after",
    "limit",
)
SHIPMENTS_OF_LOADS_PAGE = declare(
    "shipments_of_loads_page",
    f"{COMMITTED_LOAD_IDS} MATCH (s:Shipment) WHERE s.load_id IN $loads AND s.load_id IN ok"
    f" AND s.shipment_id > $after WITH s ORDER BY s.shipment_id LIMIT $limit"
    f" RETURN {_SHIPMENT_RETURN}",
    "loads",
    "after",
    "limit",
)
SHIPMENTS_BY_ID = declare(
    "shipments_by_id",
    f"{COMMITTED_LOAD_IDS} UNWIND $ids AS sid MATCH (s:Shipment {{shipment_id: sid}})"
    f" WHERE s.load_id IN ok RETURN {_SHIPMENT_RETURN}",
    "ids",
)


# -- overview aggregates ----------------------------------------------------------------------
_COMMITTED_SHIPMENTS = "MATCH (l:Load) WHERE l.committed MATCH (s:Shipment {load_id: l.load_id})"
SHIPMENTS_BY_MONTH = declare(
    "shipments_by_month",
    f"{_COMMITTED_SHIPMENTS} WITH left(toString(s.arrival_date), 7) AS month"
    " RETURN month, count(*) AS n ORDER BY month",
)
SHIPMENTS_BY_VALUE = declare(
    "shipments_by_value",
    f"{_COMMITTED_SHIPMENTS}"
    " WITH CASE WHEN s.declared_value_usd < 0 THEN 0"
    " ELSE toInteger(floor(s.declared_value_usd / $value_bin)) END AS raw"
    " WITH CASE WHEN raw > $last_bin THEN $last_bin ELSE raw END AS bin"
    " RETURN bin, count(*) AS n ORDER BY bin",
    "value_bin",
    "last_bin",
)
SHIPMENTS_BY_COUNTRY = declare(
    "shipments_by_country",
    f"{_COMMITTED_SHIPMENTS} WITH s.country_of_origin AS country, count(*) AS n"
    " RETURN country, n ORDER BY n DESC, country LIMIT $limit",
    "limit",
)


def shipment_row(s: ShipmentRecord) -> dict[str, Any]:
    row: dict[str, Any] = {name: getattr(s, name) for name in SHIPMENT_FIELDS}
    row["id"] = f"shipment:{s.shipment_id}"
    row["extra_json"] = json.dumps(s.extra, ensure_ascii=False)
    row["file_id"] = s.provenance.file_id
    row["row_number"] = s.provenance.row_number
    row["load_id"] = s.provenance.load_id
    return row


def shipment_from_row(row: Mapping[str, Any]) -> ShipmentRecord:
    values: dict[str, Any] = {name: row.get(name) for name in SHIPMENT_FIELDS}
    for name, value in values.items():
        if value is None and name not in ("quantity", "weight_kg"):
            values[name] = ""
    return ShipmentRecord(
        **values,
        extra=json.loads(row.get("extra_json") or "{}"),
        provenance=Provenance(row["file_id"], int(row["row_number"]), row["load_id"]),
    )


def load_props(r: LoadReport) -> dict[str, Any]:
    return {
        "load_id": r.load_id,
        "file_id": r.file_id,
        "file_path": r.file_path,
        "status": r.status,
        "rows_read": r.rows_read,
        "rows_loaded": r.rows_loaded,
        "rows_quarantined": r.rows_quarantined,
        "rows_duplicate": r.rows_duplicate,
        "started_at": r.started_at or utc_now(),
        "finished_at": r.finished_at,
        "message": r.message,
    }


def load_from_row(row: Mapping[str, Any]) -> LoadReport:
    return LoadReport(**{name: row[name] for name in LOAD_FIELDS})


def quarantine_from_row(row: Mapping[str, Any]) -> QuarantineEntry:
    return QuarantineEntry(
        row["file_id"],
        row["file_path"],
        int(row["row_number"]),
        row["column"],
        row["reason"],
        row["raw"],
        row["load_id"],
    )


class _Neo4jLoadWriter:
    def __init__(self, store: LoadsMixin, load_id: str) -> None:
        self._store = store
        self._load_id = load_id
        self._seq = 0

    def existing_shipment_ids(self, shipment_ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in chunks(shipment_ids, self._store.batch_size):
            rows = self._store.read(EXISTING_SHIPMENTS, ids=chunk, load_id=self._load_id)
            found.update(r["shipment_id"] for r in rows)
        return found

    def add_shipments(self, shipments: Sequence[ShipmentRecord]) -> None:
        for chunk in chunks(shipments, self._store.batch_size):
            self._store.write(SHIPMENTS_WRITE, rows=[shipment_row(s) for s in chunk])

    def add_quarantine(self, entries: Sequence[QuarantineEntry]) -> None:
        for chunk in chunks(entries, self._store.batch_size):
            rows = []
            for e in chunk:
                self._seq += 1
                rows.append(self._store.quarantine_row(e, self._load_id, self._seq))
            self._store.write(QUARANTINE_WRITE, rows=rows)


class LoadsMixin(Neo4jBase):
    """``LoadStore`` on Neo4j."""

    def completed_load(self, file_id: str) -> LoadReport | None:
        rows = self.read(COMPLETED_LOAD, file_id=file_id, status="loaded")
        return load_from_row(rows[0]["load"]) if rows else None

    def _discard_load(self, load_id: str) -> None:
        self._delete_in_batches(LOAD_DELETE_SHIPMENTS, load_id=load_id)
        self._delete_in_batches(LOAD_DELETE_QUARANTINE, load_id=load_id)
        self.write(LOAD_DELETE, load_id=load_id)

    @contextmanager
    def _load(self, report: LoadReport) -> Iterator[_Neo4jLoadWriter]:
        existing = self.read(LOAD_GET, load_id=report.load_id)
        if existing and existing[0]["committed"]:
            raise StoreError(f"load {report.load_id} is already committed in {self.url}")
        if existing:  # an earlier attempt with this load id died: start it afresh
            self._discard_load(report.load_id)
        for stale in self.read(LOAD_STALE, file_id=report.file_id, load_id=report.load_id):
            log.info("removing rows of an unfinished earlier load %s", stale["load_id"])
            self._discard_load(stale["load_id"])
        if not report.started_at:
            report.started_at = utc_now()
        props = {**load_props(report), "created_ns": time.time_ns()}
        self.write(LOAD_STAGE, load_id=report.load_id, props=props)
        try:
            yield _Neo4jLoadWriter(self, report.load_id)
        except BaseException:
            try:
                self._discard_load(report.load_id)
            except Exception:  # the original error matters more; rows stay invisible
                log.exception("could not remove the rows of failed load %s", report.load_id)
            raise
        self.write(LOAD_COMMIT, load_id=report.load_id, props=load_props(report))

    def load_transaction(self, report: LoadReport) -> AbstractContextManager[_Neo4jLoadWriter]:
        return self._load(report)

    def loads(self) -> list[LoadReport]:
        return [load_from_row(r["load"]) for r in self.read(LOADS)]

    def quarantine(self, load_id: str | None = None, limit: int = 1000) -> list[QuarantineEntry]:
        return [quarantine_from_row(r) for r in self.read(QUARANTINE, load_id=load_id, limit=limit)]

    @staticmethod
    def quarantine_row(e: QuarantineEntry, load_id: str, seq: int) -> dict[str, Any]:
        return {
            "load_id": load_id,
            "seq": seq,
            "key": f"{load_id}{KEY_SEP}{seq:012d}",
            "file_id": e.file_id,
            "file_path": e.file_path,
            "row_number": e.row_number,
            "column": e.column,
            "reason": e.reason,
            "raw": e.raw,
        }

    def shipment_count(self) -> int:
        return int(self.read(SHIPMENT_COUNT)[0]["n"])

    def iter_shipments(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[ShipmentRecord]]:
        yield from self._shipment_pages("", batch_size)

    def iter_shipments_of_loads(
        self, load_ids: Collection[str], batch_size: int = DEFAULT_BATCH
    ) -> Iterator[list[ShipmentRecord]]:
        loads, after = sorted(set(load_ids)), ""
        while rows := self.read(SHIPMENTS_OF_LOADS_PAGE, loads=loads, after=after,
                                limit=batch_size):  # fmt: skip
            batch = [shipment_from_row(r["shipment"]) for r in rows]
            after = batch[-1].shipment_id
            yield batch

    def shipments(self, shipment_ids: Sequence[str]) -> list[ShipmentRecord]:
        out: list[ShipmentRecord] = []
        for chunk in chunks(shipment_ids, self.batch_size):
            rows = self.read(SHIPMENTS_BY_ID, ids=chunk)
            out.extend(shipment_from_row(r["shipment"]) for r in rows)
        order = {sid: i for i, sid in enumerate(shipment_ids)}
        out.sort(key=lambda s: order.get(s.shipment_id, 0))
        return out

    def _shipment_pages(self, after: str, batch_size: int) -> Iterator[list[ShipmentRecord]]:
        while rows := self.read(SHIPMENTS_PAGE, after=after, limit=batch_size):
            batch = [shipment_from_row(r["shipment"]) for r in rows]
            after = batch[-1].shipment_id
            yield batch

    def shipment_stats(
        self, value_bin: float = 50.0, value_cap: float = 2000.0, top_countries: int = 15
    ) -> ShipmentStats:
        months = [(str(r["month"]), int(r["n"])) for r in self.read(SHIPMENTS_BY_MONTH)]
        last_bin = int(value_cap // value_bin)
        bins = self.read(SHIPMENTS_BY_VALUE, value_bin=float(value_bin), last_bin=last_bin)
        countries = self.read(SHIPMENTS_BY_COUNTRY, limit=top_countries)
        return ShipmentStats(
            total=sum(n for _, n in months),
            by_month=months,
            value_bins=[(float(r["bin"]) * value_bin, int(r["n"])) for r in bins],
            countries=[(str(r["country"]), int(r["n"])) for r in countries],
        )
