"""The append-only audit log."""

from __future__ import annotations

from collections.abc import Sequence

from graphintel.records import (
    AuditEntry,
)
from graphintel.store.base import (
    AUDIT_LIMIT,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
)


class AuditMixin(SqliteBase):
    """``AuditStore`` on SQLite."""

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
