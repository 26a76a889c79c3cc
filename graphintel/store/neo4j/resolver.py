"""What the resolver keeps between runs: judgements and its saved state."""

from __future__ import annotations

import time
from collections.abc import Mapping
from typing import Any

from neo4j import ManagedTransaction

from graphintel.records import (
    Judgement,
)
from graphintel.store.base import (
    STATE_CHUNK,
    check_verdict,
    utc_now,
)
from graphintel.store.neo4j.connection import Neo4jBase, run
from graphintel.store.neo4j.cypher import declare

# -- resolution judgements (re-applied by every resolve) ---------------------------------------
JUDGEMENT_ADD = declare(
    "judgement_add",
    "CREATE (j:Judgement {left_id: $left, right_id: $right, verdict: $verdict,"
    " user_name: $user, created_at: $now, created_ns: $ns})",
    "left",
    "right",
    "verdict",
    "user",
    "now",
    "ns",
)
JUDGEMENTS = declare(
    "judgements",
    "MATCH (j:Judgement) WHERE $include_withdrawn OR coalesce(j.withdrawn_at, '') = ''"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at,"
    " coalesce(j.withdrawn_by, '') AS withdrawn_by,"
    " coalesce(j.withdrawn_at, '') AS withdrawn_at ORDER BY j.created_ns",
    "include_withdrawn",
)
JUDGEMENT_WITHDRAW = declare(
    "judgement_withdraw",
    "MATCH (j:Judgement) WHERE coalesce(j.withdrawn_at, '') = ''"
    " AND ((j.left_id = $left AND j.right_id = $right)"
    " OR (j.left_id = $right AND j.right_id = $left))"
    " SET j.withdrawn_by = $user, j.withdrawn_at = $now"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at, j.withdrawn_by AS withdrawn_by,"
    " j.withdrawn_at AS withdrawn_at ORDER BY j.created_ns",
    "left",
    "right",
    "user",
    "now",
)

# -- resolver state (what an incremental resolution starts from) -----------------------------
RESOLVER_STATE = declare(
    "resolver_state",
    "MATCH (s:ResolverState) RETURN s.name AS name, s.data AS data ORDER BY s.name, s.chunk",
)
RESOLVER_STATE_CLEAR = declare("resolver_state_clear", "MATCH (s:ResolverState) DELETE s")
RESOLVER_STATE_ADD = declare(
    "resolver_state_add",
    "UNWIND $rows AS row CREATE (:ResolverState {name: row.name, chunk: row.chunk,"
    " data: row.data})",
    "rows",
)


JUDGEMENTS_PAGE = declare(
    "judgements_page",
    "MATCH (j:Judgement) WHERE j.created_ns > $after WITH j ORDER BY j.created_ns LIMIT $limit"
    " RETURN j.left_id AS left, j.right_id AS right, j.verdict AS verdict,"
    " j.user_name AS user, j.created_at AS created_at, j.created_ns AS position,"
    " coalesce(j.withdrawn_by, '') AS withdrawn_by, coalesce(j.withdrawn_at, '') AS withdrawn_at",
    "after",
    "limit",
)
JUDGEMENT_IMPORT = declare(
    "judgement_import",
    "UNWIND $rows AS row CREATE (j:Judgement {left_id: row.left_id, right_id: row.right_id,"
    " verdict: row.verdict, user_name: row.user_name, created_at: row.created_at,"
    " created_ns: row.created_ns, withdrawn_by: row.withdrawn_by,"
    " withdrawn_at: row.withdrawn_at})",
    "rows",
)
JUDGEMENT_COUNT = declare("judgement_count", "MATCH (j:Judgement) RETURN count(j) AS n")
RESOLVER_STATE_COUNT = declare(
    "resolver_state_count", "MATCH (s:ResolverState) RETURN count(s) AS n"
)


def judgement_from_row(row: Mapping[str, Any]) -> Judgement:
    """A judgement row (withdrawn_by/withdrawn_at empty while it stands)."""
    return Judgement(
        row["left"], row["right"], row["verdict"], row["user"], row["created_at"],
        row.get("withdrawn_by") or "", row.get("withdrawn_at") or "",
    )  # fmt: skip


class ResolverMixin(Neo4jBase):
    """``JudgementStore`` and ``ResolverStateStore`` on Neo4j."""

    def add_judgement(self, left: str, right: str, verdict: str, user: str) -> Judgement:
        judgement = Judgement(left, right, check_verdict(verdict), user, utc_now())
        self.write(
            JUDGEMENT_ADD,
            left=left,
            right=right,
            verdict=judgement.verdict,
            user=user,
            now=judgement.created_at,
            ns=time.time_ns(),
        )
        return judgement

    def resolver_state(self) -> dict[str, bytes]:
        parts: dict[str, list[bytes]] = {}
        for r in self.read(RESOLVER_STATE):
            parts.setdefault(r["name"], []).append(bytes(r["data"]))
        return {name: b"".join(pieces) for name, pieces in parts.items()}

    def save_resolver_state(self, parts: dict[str, bytes]) -> None:
        rows = [
            {"name": name, "chunk": k, "data": data[start : start + STATE_CHUNK]}
            for name, data in parts.items()
            for k, start in enumerate(range(0, max(len(data), 1), STATE_CHUNK))
        ]

        def work(tx: ManagedTransaction) -> None:
            run(tx, RESOLVER_STATE_CLEAR)
            for row in rows:  # one piece per statement keeps each Bolt message small
                run(tx, RESOLVER_STATE_ADD, rows=[row])

        self.write_many(work)

    def judgements(self, include_withdrawn: bool = False) -> list[Judgement]:
        return [
            judgement_from_row(r)
            for r in self.read(JUDGEMENTS, include_withdrawn=include_withdrawn)
        ]

    def withdraw_judgement(self, left: str, right: str, user: str) -> list[Judgement]:
        rows = self.write(JUDGEMENT_WITHDRAW, left=left, right=right, user=user, now=utc_now())
        return [judgement_from_row(r) for r in rows]
