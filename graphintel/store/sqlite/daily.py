"""Daily operation on SQLite: each run's network lineage and the alerts runs raised
(tables ``network_lineage`` and ``alerts`` of ``schema.sql``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graphintel.daily.records import Alert, LineageEntry
from graphintel.errors import NotFoundError
from graphintel.store.base import utc_now
from graphintel.store.sqlite.connection import SqliteBase

_ALERT_COLUMNS = (
    "alert_id, run_id, kind, subject, reasons, shipment_ids, network_ids, created_at,"
    " acknowledged_by, acknowledged_at"
)


_ALERT_INTO = f"INTO alerts ({_ALERT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"


def _alert_row(a: Alert, created_at: str | None) -> tuple[Any, ...]:
    """An ``alerts`` row: stamped ``created_at`` and unacknowledged when given, else as
    recorded (an alert copied from another store)."""
    recorded = created_at is None
    return (
        a.alert_id,
        a.run_id,
        a.kind,
        a.subject,
        json.dumps(list(a.reasons)),
        json.dumps(list(a.shipment_ids)),
        json.dumps(list(a.network_ids)),
        a.created_at if recorded else created_at,
        a.acknowledged_by if recorded else "",
        a.acknowledged_at if recorded else "",
    )


def _alert(row: Sequence[Any]) -> Alert:
    reasons, shipments, networks = (tuple(json.loads(v)) for v in row[4:7])
    return Alert(row[0], row[1], row[2], row[3], reasons, shipments, networks, *row[7:10])


class DailyMixin(SqliteBase):
    """``LineageStore`` and ``AlertStore`` on SQLite."""

    def save_lineage(self, run_id: str, entries: Sequence[LineageEntry]) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM network_lineage WHERE run_id = ?", (run_id,))
            conn.executemany(
                "INSERT INTO network_lineage (run_id, seq, network_id, event, related, added,"
                " removed, size, previous_run) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        run_id,
                        i,
                        e.network_id,
                        e.event,
                        json.dumps(list(e.related)),
                        e.added,
                        e.removed,
                        e.size,
                        e.previous_run,
                    )  # fmt: skip
                    for i, e in enumerate(entries)
                ],
            )

    def lineage(self, run_id: str) -> list[LineageEntry]:
        rows = self._conn().execute(
            "SELECT run_id, network_id, event, related, added, removed, size, previous_run"
            " FROM network_lineage WHERE run_id = ? ORDER BY seq",
            (run_id,),
        )
        return [
            LineageEntry(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5], r[6], r[7])
            for r in rows
        ]

    def add_alerts(self, alerts: Sequence[Alert]) -> list[Alert]:
        now = utc_now()
        with self._transaction() as conn:
            conn.executemany(f"INSERT {_ALERT_INTO}", [_alert_row(a, now) for a in alerts])
        return [self._one_alert(a.alert_id) for a in alerts]

    def import_alerts(self, alerts: Sequence[Alert]) -> int:
        with self._transaction() as conn:
            before = conn.total_changes
            conn.executemany(
                f"INSERT OR IGNORE {_ALERT_INTO}",
                [_alert_row(a, None) for a in alerts],
            )
            return conn.total_changes - before

    def _one_alert(self, alert_id: str) -> Alert:
        row = (
            self._conn()
            .execute(f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE alert_id = ?", (alert_id,))
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"no alert {alert_id!r} in {self.url}")
        return _alert(row)

    def alerts(
        self, open_only: bool = True, run_id: str | None = None, limit: int = 500
    ) -> list[Alert]:
        rows = self._conn().execute(
            f"SELECT {_ALERT_COLUMNS} FROM alerts WHERE (?1 = 0 OR acknowledged_by = '')"
            " AND (?2 IS NULL OR run_id = ?2) ORDER BY seq DESC LIMIT ?3",
            (int(open_only), run_id, limit),
        )
        return [_alert(r) for r in rows]

    def acknowledge_alert(self, alert_id: str, user: str) -> Alert:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE alerts SET acknowledged_by = ?, acknowledged_at = ?"
                " WHERE alert_id = ? AND acknowledged_by = ''",
                (user, utc_now(), alert_id),
            )
        return self._one_alert(alert_id)
