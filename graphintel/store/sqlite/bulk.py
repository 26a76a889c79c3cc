"""The embedded store's side of a migration: table pages out, pages plus checkpoint in.

An adapter rather than a role of ``SqliteStore`` because only ``graphintel migrate`` needs
it; it reuses the role modules' row converters so the two cannot drift apart.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
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
from graphintel.store.bulk import WORKSPACE_TABLES, Checkpoint, NoteRow
from graphintel.store.sqlite.graph_read import _edge_from_row, _node_from_row
from graphintel.store.sqlite.loads import (
    _SHIPMENT_SELECT,
    LoadsMixin,
    _shipment_from_row,
    _SqliteLoadWriter,
)
from graphintel.store.sqlite.runs import RunsMixin, _run_from_row, insert_networks

_CHECKPOINTS = (
    "CREATE TABLE IF NOT EXISTS migration_checkpoints ("
    " migration TEXT NOT NULL, tbl TEXT NOT NULL, position TEXT NOT NULL,"
    " rows INTEGER NOT NULL, done INTEGER NOT NULL, PRIMARY KEY (migration, tbl))"
)
_LOAD_COLUMNS = (
    "load_id, file_id, file_path, status, rows_read, rows_loaded, rows_quarantined,"
    " rows_duplicate, started_at, finished_at, message"
)
_RUN_COLUMNS = "run_id, kind, status, started_at, finished_at, params, versions, counts, message"


class SqliteBulk:
    """``MigrationSide`` of a ``SqliteStore`` (its runs role reads the networks)."""

    def __init__(self, store: RunsMixin) -> None:
        self.store = store

    # -- source --------------------------------------------------------------------------
    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        conn = self.store._conn()
        if table == "loads":
            yield from self._by_rowid(
                conn,
                f"SELECT rowid, {_LOAD_COLUMNS} FROM loads",
                after,
                batch_size,
                lambda r: LoadReport(*r),
            )
        elif table == "shipments":
            last = after or ""
            while rows := conn.execute(
                f"{_SHIPMENT_SELECT} WHERE shipment_id > ? ORDER BY shipment_id LIMIT ?",
                (last, batch_size),
            ).fetchall():
                batch = [_shipment_from_row(r) for r in rows]
                last = batch[-1].shipment_id
                yield batch, last
        elif table == "quarantine":
            yield from self._by_rowid(
                conn,
                "SELECT id, file_id, file_path, row_number, column_name, reason, raw, load_id"
                " FROM quarantine",
                after,
                batch_size,
                lambda r: QuarantineEntry(*r),
                key="id",
            )
        elif table == "nodes":
            last = after or ""
            while rows := conn.execute(
                "SELECT id, kind, label, props FROM nodes WHERE id > ? ORDER BY id LIMIT ?",
                (last, batch_size),
            ).fetchall():
                last = rows[-1][0]
                yield [_node_from_row(r) for r in rows], last
        elif table == "edges":
            key = tuple(json.loads(after)) if after else ("", "", "")
            while rows := conn.execute(
                "SELECT source, kind, target, weight, props FROM edges"
                " WHERE (source, kind, target) > (?, ?, ?) ORDER BY source, kind, target LIMIT ?",
                (*key, batch_size),
            ).fetchall():
                key = (rows[-1][0], rows[-1][1], rows[-1][2])
                yield [_edge_from_row(r) for r in rows], json.dumps(key)
        elif table == "mentions":
            mkey = tuple(json.loads(after)) if after else ("", "")
            while rows := conn.execute(
                "SELECT shipment_id, role, entity_id, name FROM mentions"
                " WHERE (shipment_id, role) > (?, ?) ORDER BY shipment_id, role LIMIT ?",
                (*mkey, batch_size),
            ).fetchall():
                mkey = (rows[-1][0], rows[-1][1])
                yield (
                    [MentionAssignment(r[0], Role(r[1]), r[2], r[3]) for r in rows],
                    json.dumps(mkey),
                )
        elif table == "merge_evidence":
            yield from self._by_rowid(
                conn,
                "SELECT id, entity_id, mention_a, mention_b, field, value_a, value_b, similarity,"
                " weight, rule FROM merge_evidence",
                after,
                batch_size,
                lambda r: MergeEvidence(*r),
                key="id",
            )
        elif table == "runs":
            yield from self._by_rowid(
                conn, f"SELECT rowid, {_RUN_COLUMNS} FROM runs", after, batch_size, _run_from_row
            )
        elif table == "networks":
            nkey = tuple(json.loads(after)) if after else ("", "")
            while rows := conn.execute(
                f"{RunsMixin._NETWORK_SELECT} WHERE (run_id, network_id) > (?, ?)"
                " ORDER BY run_id, network_id LIMIT ?",
                (*nkey, batch_size),
            ).fetchall():
                nkey = (rows[-1][0], rows[-1][1])
                yield [self.store._network_from_row(r, True) for r in rows], json.dumps(nkey)
        elif table == "cases":
            last = after or ""
            while rows := conn.execute(
                "SELECT case_id, name, payload, created_at, updated_at FROM cases"
                " WHERE case_id > ? ORDER BY case_id LIMIT ?",
                (last, batch_size),
            ).fetchall():
                last = rows[-1][0]
                yield [CaseRecord(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows], last
        elif table == "notes":
            last = after or ""
            while rows := conn.execute(
                "SELECT node_id, text, updated_at FROM notes"
                " WHERE node_id > ? ORDER BY node_id LIMIT ?",
                (last, batch_size),
            ).fetchall():
                last = rows[-1][0]
                yield [NoteRow(*r) for r in rows], last
        elif table == "judgements":
            seq = int(after) if after else 0
            while rows := conn.execute(
                "SELECT seq, left_id, right_id, verdict, user_name, created_at, withdrawn_by,"
                " withdrawn_at FROM judgements WHERE seq > ? ORDER BY seq LIMIT ?",
                (seq, batch_size),
            ).fetchall():
                seq = int(rows[-1][0])
                yield [Judgement(*r[1:]) for r in rows], str(seq)
        elif table == "audit_log":
            yield from self._by_rowid(
                conn,
                "SELECT seq, user_name, action, target, detail, created_at FROM audit_log",
                after,
                batch_size,
                lambda r: AuditEntry(*r),
                key="seq",
            )
        else:
            raise StoreError(f"unknown table {table!r}")

    @staticmethod
    def _by_rowid(
        conn: sqlite3.Connection,
        select: str,
        after: str | None,
        batch_size: int,
        convert: Any,
        key: str = "rowid",
    ) -> Iterator[tuple[list[Any], str]]:
        last = int(after) if after else 0
        while rows := conn.execute(
            f"{select} WHERE {key} > ? ORDER BY {key} LIMIT ?", (last, batch_size)
        ).fetchall():
            last = int(rows[-1][0])
            yield [convert(r[1:]) for r in rows], str(last)

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

    def _insert(self, conn: sqlite3.Connection, table: str, records: Sequence[Any]) -> None:
        writer = _SqliteLoadWriter(conn)
        if table == "loads":
            for report in records:
                LoadsMixin._write_load_report(conn, report)
        elif table == "shipments":
            writer.add_shipments(records)
        elif table == "quarantine":
            writer.add_quarantine(records)
        elif table == "nodes":
            nodes: Sequence[NodeRecord] = records
            trigram_search.invalidate(conn)  # the imported graph is not indexed yet
            conn.executemany(
                "INSERT INTO nodes (id, kind, label, props) VALUES (?, ?, ?, ?)",
                [(n.id, n.kind.value, n.label, json.dumps(n.props)) for n in nodes],
            )
        elif table == "edges":
            edges: Sequence[EdgeRecord] = records
            conn.executemany(
                "INSERT INTO edges (source, kind, target, weight, props) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (source, kind, target)"
                " DO UPDATE SET weight = weight + excluded.weight",
                [(e.source, e.kind.value, e.target, e.weight, json.dumps(e.props)) for e in edges],
            )
        elif table == "mentions":
            mentions: Sequence[MentionAssignment] = records
            conn.executemany(
                "INSERT INTO mentions (shipment_id, role, entity_id, name) VALUES (?, ?, ?, ?)",
                [(a.shipment_id, a.role.value, a.entity_id, a.name) for a in mentions],
            )
        elif table == "merge_evidence":
            evidence: Sequence[MergeEvidence] = records
            conn.executemany(
                "INSERT INTO merge_evidence (entity_id, mention_a, mention_b, field, value_a,"
                " value_b, similarity, weight, rule) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        e.entity_id,
                        e.mention_a,
                        e.mention_b,
                        e.field,
                        e.value_a,
                        e.value_b,
                        e.similarity,
                        e.weight,
                        e.rule,
                    )
                    for e in evidence
                ],
            )
        elif table == "runs":
            runs: Sequence[RunRecord] = records
            conn.executemany(
                f"INSERT OR REPLACE INTO runs ({_RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
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
                    for r in runs
                ],
            )
        elif table == "networks":
            insert_networks(conn, records)
        elif table == "cases":
            cases: Sequence[CaseRecord] = records
            conn.executemany(
                "INSERT INTO cases (case_id, name, payload, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (c.case_id, c.name, json.dumps(c.payload), c.created_at, c.updated_at)
                    for c in cases
                ],
            )
        elif table == "notes":
            notes: Sequence[NoteRow] = records
            conn.executemany(
                "INSERT INTO notes (node_id, text, updated_at) VALUES (?, ?, ?)",
                [(n.node_id, n.text, n.updated_at) for n in notes],
            )
        elif table == "judgements":
            # Inserted in source order, so the new seq keeps "oldest first".
            judgements: Sequence[Judgement] = records
            conn.executemany(
                "INSERT INTO judgements (left_id, right_id, verdict, user_name, created_at,"
                " withdrawn_by, withdrawn_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        j.left,
                        j.right,
                        j.verdict,
                        j.user,
                        j.created_at,
                        j.withdrawn_by,
                        j.withdrawn_at,
                    )
                    for j in judgements
                ],
            )
        elif table == "audit_log":
            # Inserted in source order with the stored user and time: never re-stamped.
            audit: Sequence[AuditEntry] = records
            conn.executemany(
                "INSERT INTO audit_log (user_name, action, target, detail, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                [(e.user, e.action, e.target, e.detail, e.created_at) for e in audit],
            )
        else:
            raise StoreError(f"unknown table {table!r}")
