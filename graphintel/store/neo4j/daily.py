"""Daily operation on Neo4j: each run's network lineage (``NetworkChange`` nodes) and the
alerts runs raised (``Alert`` nodes, ordered by ``created_ns``)."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from neo4j import ManagedTransaction

from graphintel.daily.records import Alert, LineageEntry
from graphintel.errors import NotFoundError
from graphintel.store.base import utc_now
from graphintel.store.neo4j.connection import Neo4jBase, run
from graphintel.store.neo4j.cypher import declare

LINEAGE_CLEAR = declare(
    "lineage_clear", "MATCH (c:NetworkChange {run_id: $run_id}) DETACH DELETE c", "run_id"
)
LINEAGE_ADD = declare(
    "lineage_add",
    "UNWIND $rows AS row CREATE (c:NetworkChange {run_id: row.run_id, seq: row.seq,"
    " network_id: row.network_id, event: row.event, related: row.related, added: row.added,"
    " removed: row.removed, size: row.size, previous_run: row.previous_run})",
    "rows",
)
LINEAGE_READ = declare(
    "lineage_read",
    "MATCH (c:NetworkChange {run_id: $run_id}) WITH c ORDER BY c.seq"
    " RETURN c.run_id AS run_id, c.network_id AS network_id, c.event AS event,"
    " c.related AS related, c.added AS added, c.removed AS removed, c.size AS size,"
    " c.previous_run AS previous_run",
    "run_id",
)
_ALERT_RETURN = (
    " RETURN a.alert_id AS alert_id, a.run_id AS run_id, a.kind AS kind, a.subject AS subject,"
    " a.reasons AS reasons, a.shipment_ids AS shipment_ids, a.network_ids AS network_ids,"
    " a.created_at AS created_at, a.acknowledged_by AS acknowledged_by,"
    " a.acknowledged_at AS acknowledged_at"
)
ALERT_ADD = declare(
    "alert_add",
    "UNWIND $rows AS row CREATE (a:Alert {alert_id: row.alert_id, run_id: row.run_id,"
    " kind: row.kind, subject: row.subject, reasons: row.reasons,"
    " shipment_ids: row.shipment_ids, network_ids: row.network_ids,"
    " created_at: row.created_at, created_ns: row.created_ns,"
    " acknowledged_by: row.acknowledged_by, acknowledged_at: row.acknowledged_at})",
    "rows",
)
ALERTS_PRESENT = declare(
    "alerts_present",
    "MATCH (a:Alert) WHERE a.alert_id IN $ids RETURN a.alert_id AS alert_id",
    "ids",
)
ALERT_COUNT = declare("alert_count", "MATCH (a:Alert) RETURN count(a) AS n")
LINEAGE_COUNT = declare("lineage_count", "MATCH (c:NetworkChange) RETURN count(c) AS n")
ALERT_GET = declare(
    "alert_get", "MATCH (a:Alert {alert_id: $alert_id})" + _ALERT_RETURN, "alert_id"
)
ALERT_LIST = declare(
    "alert_list",
    "MATCH (a:Alert) WHERE (NOT $open_only OR a.acknowledged_by = '')"
    " AND ($run_id IS NULL OR a.run_id = $run_id)"
    " WITH a ORDER BY a.created_ns DESC LIMIT $limit" + _ALERT_RETURN,
    "open_only",
    "run_id",
    "limit",
)
ALERT_ACK = declare(
    "alert_ack",
    "MATCH (a:Alert {alert_id: $alert_id}) WHERE a.acknowledged_by = ''"
    " SET a.acknowledged_by = $user, a.acknowledged_at = $now",
    "alert_id",
    "user",
    "now",
)


def _alert(row: Mapping[str, Any]) -> Alert:
    return Alert(
        alert_id=row["alert_id"],
        run_id=row["run_id"],
        kind=row["kind"],
        subject=row["subject"],
        reasons=tuple(row["reasons"] or ()),
        shipment_ids=tuple(row["shipment_ids"] or ()),
        network_ids=tuple(row["network_ids"] or ()),
        created_at=row["created_at"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=row["acknowledged_at"],
    )


def _alert_rows(alerts: Sequence[Alert], created_at: str | None) -> list[dict[str, Any]]:
    """``ALERT_ADD`` rows, ``created_ns`` in the given order after now (the list order);
    stamped ``created_at`` and unacknowledged when given, else as recorded."""
    ns = time.time_ns()
    return [
        {
            "alert_id": a.alert_id,
            "run_id": a.run_id,
            "kind": a.kind,
            "subject": a.subject,
            "reasons": list(a.reasons),
            "shipment_ids": list(a.shipment_ids),
            "network_ids": list(a.network_ids),
            "created_at": a.created_at if created_at is None else created_at,
            "created_ns": ns + i,
            "acknowledged_by": a.acknowledged_by if created_at is None else "",
            "acknowledged_at": a.acknowledged_at if created_at is None else "",
        }  # fmt: skip
        for i, a in enumerate(alerts)
    ]


class DailyMixin(Neo4jBase):
    """``LineageStore`` and ``AlertStore`` on Neo4j."""

    def save_lineage(self, run_id: str, entries: Sequence[LineageEntry]) -> None:
        rows = [
            {
                "run_id": run_id,
                "seq": i,
                "network_id": e.network_id,
                "event": e.event,
                "related": list(e.related),
                "added": e.added,
                "removed": e.removed,
                "size": e.size,
                "previous_run": e.previous_run,
            }  # fmt: skip
            for i, e in enumerate(entries)
        ]

        def work(tx: ManagedTransaction) -> None:
            run(tx, LINEAGE_CLEAR, run_id=run_id)
            run(tx, LINEAGE_ADD, rows=rows)

        self.write_many(work)

    def lineage(self, run_id: str) -> list[LineageEntry]:
        return [
            LineageEntry(
                r["run_id"],
                r["network_id"],
                r["event"],
                tuple(r["related"] or ()),
                r["added"],
                r["removed"],
                r["size"],
                r["previous_run"],
            )  # fmt: skip
            for r in self.read(LINEAGE_READ, run_id=run_id)
        ]

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        if not alerts:
            return []
        self.write(ALERT_ADD, rows=_alert_rows(alerts, utc_now()))
        return [self._one_alert(a.alert_id) for a in alerts]

    def import_alerts(self, alerts: Sequence[Alert]) -> int:
        rows = _alert_rows(alerts, None)  # recorded order kept; later alerts sort after

        def work(tx: ManagedTransaction) -> int:
            ids = [r["alert_id"] for r in rows]
            present = {r["alert_id"] for r in run(tx, ALERTS_PRESENT, ids=ids)}
            new = [r for r in rows if r["alert_id"] not in present]
            if new:
                run(tx, ALERT_ADD, rows=new)
            return len(new)

        return self.write_many(work) if rows else 0

    def _one_alert(self, alert_id: str) -> Alert:
        rows = self.read(ALERT_GET, alert_id=alert_id)
        if not rows:
            raise NotFoundError(f"no alert {alert_id!r} in {self.url}")
        return _alert(rows[0])

    def alerts(
        self, open_only: bool = True, run_id: str | None = None, limit: int = 500
    ) -> list[Alert]:
        rows = self.read(ALERT_LIST, open_only=open_only, run_id=run_id, limit=limit)
        return [_alert(r) for r in rows]

    def acknowledge_alert(self, alert_id: str, user: str) -> Alert:
        self.write(ALERT_ACK, alert_id=alert_id, user=user, now=utc_now())
        return self._one_alert(alert_id)
