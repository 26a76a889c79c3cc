"""Reads of the resolved graph: nodes, edges, mentions, evidence, provenance."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Iterator, Sequence
from typing import Any

from graphintel.evidence_weights import WEIGHTS_ENTITY, read_weights, weighed
from graphintel.model import EdgeKind, NodeKind, Role, kind_of
from graphintel.records import (
    EdgeRecord,
    MentionAssignment,
    MergeEvidence,
    NodeRecord,
    Provenance,
)
from graphintel.store.base import (
    DEFAULT_BATCH,
    EdgeEnds,
    NodeLabel,
    chunks,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
    placeholders,
)
from graphintel.store.staging import STAGED_COLUMNS

# a dict lookup per row: ``NodeKind(value)`` is slower (a day's changed nodes at 1M: 400k)
_KINDS = {kind.value: kind for kind in NodeKind}

# the merge_evidence columns in ``MergeEvidence`` order
_EVIDENCE = ", ".join(STAGED_COLUMNS["merge_evidence"])


def _node_from_row(row: Sequence[Any]) -> NodeRecord:
    """A node from ``(id, kind, label, props)``; NULL props (not read) are none."""
    kind = _KINDS.get(row[1]) or NodeKind(row[1])  # NodeKind names an unknown kind
    return NodeRecord(row[0], kind, row[2], json.loads(row[3]) if row[3] is not None else {})


def _edge_from_row(row: Sequence[Any]) -> EdgeRecord:
    return EdgeRecord(row[0], row[2], EdgeKind(row[1]), row[3], json.loads(row[4]))


def _kind_pages(
    conn: sqlite3.Connection,
    select: str,
    key: tuple[str, ...],
    kind_values: Sequence[str],
    batch_size: int,
) -> Iterator[list[Any]]:
    """Keyset-page `select` (whose leading columns are `key`) over rows of the given kinds."""
    key_sql = ", ".join(key)
    bound = f"({key_sql}) > ({placeholders(len(key))})" if len(key) > 1 else f"{key_sql} > ?"
    sql = (
        f"{select} WHERE {bound} AND kind IN ({placeholders(len(kind_values))})"
        f" ORDER BY {key_sql} LIMIT ?"
    )
    last: tuple[Any, ...] = ("",) * len(key)
    while rows := conn.execute(sql, (*last, *kind_values, batch_size)).fetchall():
        yield rows
        last = tuple(rows[-1][: len(key)])


_EDGE_KEY = ("source", "kind", "target")


class GraphReadMixin(SqliteBase):
    """``GraphReader`` on SQLite."""

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
        select = f"SELECT {_EVIDENCE} FROM merge_evidence WHERE entity_id = ? ORDER BY id"
        conn = self._conn()
        rows = [MergeEvidence(*r) for r in conn.execute(select, (entity_id,))]
        if not rows:
            return rows
        held = [MergeEvidence(*r) for r in conn.execute(select, (WEIGHTS_ENTITY,))]
        return weighed(rows, read_weights(held))

    def iter_evidence(self, batch_size: int = DEFAULT_BATCH) -> Iterator[list[MergeEvidence]]:
        last = 0
        while True:
            rows = (
                self._conn()
                .execute(
                    f"SELECT id, {_EVIDENCE} FROM merge_evidence WHERE id > ? ORDER BY id LIMIT ?",
                    (last, batch_size),
                )
                .fetchall()
            )
            if not rows:
                return
            yield [MergeEvidence(*r[1:]) for r in rows]
            last = rows[-1][0]

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
                f" WHERE id IN ({placeholders(len(chunk))})",
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

    def counts(self) -> dict[str, int]:
        conn = self._conn()
        out = {
            table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
            for table in ("loads", "shipments", "quarantine", "edges", "mentions", "runs")
        }
        for kind, n in conn.execute("SELECT kind, count(*) FROM nodes GROUP BY kind"):
            out[f"nodes:{kind}"] = int(n)
        return out
