"""The embedded store's side of a migration: table pages out, pages plus checkpoint in.

An adapter rather than a role of ``SqliteStore`` because only ``graphintel migrate`` needs
it; it reuses the role modules' row converters so the two cannot drift apart. Each table is
one ``_TableSpec`` read by one pager and one writer, so a new table is one entry.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graphintel.errors import StoreError
from graphintel.model import Role
from graphintel.records import (
    AuditEntry,
    CaseRecord,
    EdgeRecord,
    Judgement,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    NodeRecord,
    QuarantineEntry,
    RunRecord,
)
from graphintel.store import trigram_search
from graphintel.store.base import evidence_row
from graphintel.store.bulk import WORKSPACE_TABLES, Checkpoint, NoteRow
from graphintel.store.sqlite.connection import placeholders
from graphintel.store.sqlite.graph_journal import add_triggers, drop_triggers_for_rewrite
from graphintel.store.sqlite.graph_read import _edge_from_row, _node_from_row
from graphintel.store.sqlite.loads import (
    _SHIPMENT_SELECT,
    LoadsMixin,
    _shipment_from_row,
    _SqliteLoadWriter,
)
from graphintel.store.sqlite.runs import RunsMixin, _run_from_row, insert_networks
from graphintel.store.staging import STAGED_COLUMNS

Row = Sequence[Any]

_CHECKPOINTS = (
    "CREATE TABLE IF NOT EXISTS migration_checkpoints ("
    " migration TEXT NOT NULL, tbl TEXT NOT NULL, position TEXT NOT NULL,"
    " rows INTEGER NOT NULL, done INTEGER NOT NULL, PRIMARY KEY (migration, tbl))"
)
_LOAD_COLUMNS = (
    "load_id, file_id, file_path, status, rows_read, rows_loaded, rows_quarantined,"
    " rows_duplicate, started_at, finished_at, message"
)
_EVIDENCE_COLUMNS = ", ".join(STAGED_COLUMNS["merge_evidence"])
_RUN_COLUMNS = "run_id, kind, status, started_at, finished_at, params, versions, counts, message"


@dataclass(frozen=True)
class _TableSpec:
    """How one table pages out and is written back.

    ``select`` returns the ``key`` columns first; the pager resumes after the last row's key.
    The checkpoint position is the format migrations already store, so a copy interrupted
    by an older version resumes: one numeric key as ``str(int)``, one text key as is, a
    composite key as a JSON list. ``convert`` gets the store (networks read their members)
    and the whole row. A table is written by ``write`` when set, else by ``insert`` over
    ``to_row``; ``before`` runs first (nodes drop the trigram index the import outdates).
    """

    select: str
    key: tuple[str, ...]
    convert: Callable[[RunsMixin, Row], Any]
    numeric: bool = False
    insert: str = ""
    to_row: Callable[[Any], tuple[Any, ...]] | None = None
    write: Callable[[sqlite3.Connection, Sequence[Any]], None] | None = None
    before: Callable[[sqlite3.Connection], None] | None = None

    def decode(self, after: str | None) -> tuple[Any, ...]:
        if len(self.key) > 1:
            return tuple(json.loads(after)) if after else ("",) * len(self.key)
        if self.numeric:
            return (int(after) if after else 0,)
        return (after or "",)

    def encode(self, key: Row) -> str:
        if len(self.key) > 1:
            return json.dumps(list(key))
        return str(int(key[0])) if self.numeric else str(key[0])

    def page_sql(self) -> str:
        columns = ", ".join(self.key)
        n = len(self.key)
        after = f"({columns}) > ({placeholders(n)})" if n > 1 else f"{columns} > ?"
        return f"{self.select} WHERE {after} ORDER BY {columns} LIMIT ?"


def _write_loads(conn: sqlite3.Connection, reports: Sequence[LoadReport]) -> None:
    for report in reports:
        LoadsMixin._write_load_report(conn, report)


def _node_row(n: NodeRecord) -> tuple[Any, ...]:
    return (n.id, n.kind.value, n.label, json.dumps(n.props))


def _edge_row(e: EdgeRecord) -> tuple[Any, ...]:
    return (e.source, e.kind.value, e.target, e.weight, json.dumps(e.props))


def _run_row(r: RunRecord) -> tuple[Any, ...]:
    return (
        r.run_id,
        r.kind,
        r.status,
        r.started_at,
        r.finished_at,
        json.dumps(r.params),
        json.dumps(r.versions),
        json.dumps(r.counts),
        r.message,
    )


def _judgement_row(j: Judgement) -> tuple[Any, ...]:
    return (j.left, j.right, j.verdict, j.user, j.created_at, j.withdrawn_by, j.withdrawn_at)


_TABLES: dict[str, _TableSpec] = {
    "loads": _TableSpec(
        f"SELECT rowid, {_LOAD_COLUMNS} FROM loads",
        ("rowid",),
        lambda _, r: LoadReport(*r[1:]),
        numeric=True,
        write=_write_loads,
    ),
    "shipments": _TableSpec(
        _SHIPMENT_SELECT,  # shipment_id is its first column
        ("shipment_id",),
        lambda _, r: _shipment_from_row(r),
        write=lambda conn, records: _SqliteLoadWriter(conn).add_shipments(records),
    ),
    "quarantine": _TableSpec(
        "SELECT id, file_id, file_path, row_number, column_name, reason, raw, load_id"
        " FROM quarantine",
        ("id",),
        lambda _, r: QuarantineEntry(*r[1:]),
        numeric=True,
        write=lambda conn, records: _SqliteLoadWriter(conn).add_quarantine(records),
    ),
    "nodes": _TableSpec(
        "SELECT id, kind, label, props FROM nodes",
        ("id",),
        lambda _, r: _node_from_row(r),
        insert="INSERT INTO nodes (id, kind, label, props) VALUES (?, ?, ?, ?)",
        to_row=_node_row,
        before=trigram_search.invalidate,  # the imported graph is not indexed yet
    ),
    "edges": _TableSpec(
        "SELECT source, kind, target, weight, props FROM edges",
        ("source", "kind", "target"),
        lambda _, r: _edge_from_row(r),
        insert="INSERT INTO edges (source, kind, target, weight, props) VALUES (?, ?, ?, ?, ?)"
        " ON CONFLICT (source, kind, target) DO UPDATE SET weight = weight + excluded.weight",
        to_row=_edge_row,
    ),
    "mentions": _TableSpec(
        "SELECT shipment_id, role, entity_id, name FROM mentions",
        ("shipment_id", "role"),
        lambda _, r: MentionAssignment(r[0], Role(r[1]), r[2], r[3]),
        insert="INSERT INTO mentions (shipment_id, role, entity_id, name) VALUES (?, ?, ?, ?)",
        to_row=lambda a: (a.shipment_id, a.role.value, a.entity_id, a.name),
    ),
    "merge_evidence": _TableSpec(
        f"SELECT id, {_EVIDENCE_COLUMNS} FROM merge_evidence",
        ("id",),
        lambda _, r: MergeEvidence(*r[1:]),
        numeric=True,
        insert=f"INSERT INTO merge_evidence ({_EVIDENCE_COLUMNS})"
        f" VALUES ({placeholders(len(STAGED_COLUMNS['merge_evidence']))})",
        to_row=evidence_row,
    ),
    "runs": _TableSpec(
        f"SELECT rowid, {_RUN_COLUMNS} FROM runs",
        ("rowid",),
        lambda _, r: _run_from_row(r[1:]),
        numeric=True,
        insert=f"INSERT OR REPLACE INTO runs ({_RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        to_row=_run_row,
    ),
    "networks": _TableSpec(
        RunsMixin._NETWORK_SELECT,  # run_id, network_id are its first columns
        ("run_id", "network_id"),
        lambda store, r: store._network_from_row(r, True),
        write=insert_networks,
    ),
    "cases": _TableSpec(
        "SELECT case_id, name, payload, created_at, updated_at FROM cases",
        ("case_id",),
        lambda _, r: CaseRecord(r[0], r[1], json.loads(r[2]), r[3], r[4]),
        insert="INSERT INTO cases (case_id, name, payload, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?)",
        to_row=lambda c: (c.case_id, c.name, json.dumps(c.payload), c.created_at, c.updated_at),
    ),
    "notes": _TableSpec(
        "SELECT node_id, text, updated_at FROM notes",
        ("node_id",),
        lambda _, r: NoteRow(*r),
        insert="INSERT INTO notes (node_id, text, updated_at) VALUES (?, ?, ?)",
        to_row=lambda n: (n.node_id, n.text, n.updated_at),
    ),
    # Judgements and the audit log are inserted in source order, so the new seq keeps
    # "oldest first"; the audit log keeps its stored user and time (never re-stamped).
    "judgements": _TableSpec(
        "SELECT seq, left_id, right_id, verdict, user_name, created_at, withdrawn_by,"
        " withdrawn_at FROM judgements",
        ("seq",),
        lambda _, r: Judgement(*r[1:]),
        numeric=True,
        insert="INSERT INTO judgements (left_id, right_id, verdict, user_name, created_at,"
        " withdrawn_by, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        to_row=_judgement_row,
    ),
    "audit_log": _TableSpec(
        "SELECT seq, user_name, action, target, detail, created_at FROM audit_log",
        ("seq",),
        lambda _, r: AuditEntry(*r[1:]),
        numeric=True,
        insert="INSERT INTO audit_log (user_name, action, target, detail, created_at)"
        " VALUES (?, ?, ?, ?, ?)",
        to_row=lambda e: (e.user, e.action, e.target, e.detail, e.created_at),
    ),
}


def _spec(table: str) -> _TableSpec:
    try:
        return _TABLES[table]
    except KeyError:
        raise StoreError(f"unknown table {table!r}") from None


class SqliteBulk:
    """``MigrationSide`` of a ``SqliteStore`` (its runs role reads the networks)."""

    def __init__(self, store: RunsMixin) -> None:
        self.store = store

    # -- source --------------------------------------------------------------------------
    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        spec = _spec(table)
        conn = self.store._conn()
        sql, n = spec.page_sql(), len(spec.key)
        last = spec.decode(after)
        while rows := conn.execute(sql, (*last, batch_size)).fetchall():
            last = tuple(rows[-1][:n])
            yield [spec.convert(self.store, r) for r in rows], spec.encode(last)

    def workspace_counts(self) -> dict[str, int]:
        conn = self.store._conn()
        # Table names come from the fixed WORKSPACE_TABLES, never from data.
        return {
            t: int(conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0])
            for t in WORKSPACE_TABLES
        }

    # -- target --------------------------------------------------------------------------
    def migration_checkpoint(self, migration: str, table: str) -> Checkpoint | None:
        conn = self.store._conn()
        conn.execute(_CHECKPOINTS)
        row = conn.execute(
            "SELECT position, rows, done FROM migration_checkpoints"
            " WHERE migration = ? AND tbl = ?",
            (migration, table),
        ).fetchone()
        return Checkpoint(row[0], int(row[1]), bool(row[2])) if row else None

    def import_page(
        self, migration: str, table: str, records: Sequence[Any], checkpoint: Checkpoint
    ) -> None:
        self.store._conn().execute(_CHECKPOINTS)
        with self.store._transaction() as conn:
            if records:
                self._insert(conn, table, records)
            conn.execute(
                "INSERT OR REPLACE INTO migration_checkpoints (migration, tbl, position, rows,"
                " done) VALUES (?, ?, ?, ?, ?)",
                (migration, table, checkpoint.position, checkpoint.rows, int(checkpoint.done)),
            )

    def finish_migration(self, migration: str) -> None:
        """Nothing to publish: every page was visible as soon as it committed."""

    @staticmethod
    def _insert(conn: sqlite3.Connection, table: str, records: Sequence[Any]) -> None:
        spec = _spec(table)
        if spec.before is not None:
            spec.before(conn)
        graph = table in ("nodes", "edges")
        if graph:  # an imported graph is a rewrite: not journalled row by row, a new epoch
            drop_triggers_for_rewrite(conn)
        if spec.write is not None:
            spec.write(conn, records)
        elif spec.to_row is not None:
            conn.executemany(spec.insert, [spec.to_row(r) for r in records])
        if graph:
            add_triggers(conn)
