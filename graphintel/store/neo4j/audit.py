"""The append-only audit log (``created_ns`` orders it)."""

from __future__ import annotations

import time
from collections.abc import Sequence

from graphintel.records import (
    AuditEntry,
)
from graphintel.store.base import (
    AUDIT_LIMIT,
)
from graphintel.store.neo4j.connection import Neo4jBase
from graphintel.store.neo4j.cypher import declare

# -- audit log (append only; created_ns orders it) --------------------------------------------
AUDIT_ADD = declare(
    "audit_add",
    "UNWIND $rows AS row CREATE (a:AuditEntry {user_name: row.user_name, action: row.action,"
    " target: row.target, detail: row.detail, created_at: row.created_at,"
    " created_ns: row.created_ns})",
    "rows",
)
AUDIT_LOG = declare(
    "audit_log",
    "MATCH (a:AuditEntry) WHERE ($user IS NULL OR a.user_name = $user)"
    " AND ($action IS NULL OR a.action = $action) AND ($since IS NULL OR a.created_at >= $since)"
    " WITH a ORDER BY a.created_ns DESC LIMIT $limit"
    " WITH a ORDER BY a.created_ns"
    " RETURN a.user_name AS user, a.action AS action, a.target AS target, a.detail AS detail,"
    " a.created_at AS created_at",
    "user",
    "action",
    "since",
    "limit",
)


AUDIT_PAGE = declare(
    "audit_page",
    "MATCH (a:AuditEntry) WHERE a.created_ns > $after WITH a ORDER BY a.created_ns LIMIT $limit"
    " RETURN a.user_name AS user, a.action AS action, a.target AS target, a.detail AS detail,"
    " a.created_at AS created_at, a.created_ns AS position",
    "after",
    "limit",
)
AUDIT_COUNT = declare("audit_count", "MATCH (a:AuditEntry) RETURN count(a) AS n")


class AuditMixin(Neo4jBase):
    """``AuditStore`` on Neo4j."""

    def add_audit(self, entries: Sequence[AuditEntry]) -> None:
        if not entries:
            return
        ns = time.time_ns()
        rows = [
            {
                "user_name": e.user,
                "action": e.action,
                "target": e.target,
                "detail": e.detail,
                "created_at": e.created_at,
                "created_ns": ns + i,  # keeps the batch's order
            }
            for i, e in enumerate(entries)
        ]
        self.write(AUDIT_ADD, rows=rows)

    def audit_log(
        self,
        user: str | None = None,
        action: str | None = None,
        since: str | None = None,
        limit: int = AUDIT_LIMIT,
    ) -> list[AuditEntry]:
        return [
            AuditEntry(r["user"], r["action"], r["target"], r["detail"], r["created_at"])
            for r in self.read(AUDIT_LOG, user=user, action=action, since=since, limit=limit)
        ]
