"""What the resolver keeps between runs: judgements and its saved state."""

from __future__ import annotations

from graphintel.records import (
    Judgement,
)
from graphintel.store.base import (
    STATE_CHUNK,
    check_verdict,
    utc_now,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
)


class ResolverMixin(SqliteBase):
    """``JudgementStore`` and ``ResolverStateStore`` on SQLite."""

    def add_judgement(self, left: str, right: str, verdict: str, user: str) -> Judgement:
        judgement = Judgement(left, right, check_verdict(verdict), user, utc_now())
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO judgements (left_id, right_id, verdict, user_name, created_at)"
                " VALUES (?, ?, ?, ?, ?)",
                (left, right, judgement.verdict, user, judgement.created_at),
            )
        return judgement

    def judgements(self, include_withdrawn: bool = False) -> list[Judgement]:
        rows = self._conn().execute(
            "SELECT left_id, right_id, verdict, user_name, created_at, withdrawn_by,"
            " withdrawn_at FROM judgements WHERE ? OR withdrawn_at = '' ORDER BY seq",
            (include_withdrawn,),
        )
        return [Judgement(*r) for r in rows]

    def withdraw_judgement(self, left: str, right: str, user: str) -> list[Judgement]:
        now = utc_now()
        with self._transaction() as conn:
            rows = conn.execute(
                "UPDATE judgements SET withdrawn_by = ?, withdrawn_at = ?"
                " WHERE withdrawn_at = '' AND ((left_id = ? AND right_id = ?)"
                " OR (left_id = ? AND right_id = ?))"
                " RETURNING seq, left_id, right_id, verdict, user_name, created_at,"
                " withdrawn_by, withdrawn_at",
                (user, now, left, right, right, left),
            ).fetchall()
        return [Judgement(*r[1:]) for r in sorted(rows)]

    def resolver_state(self) -> dict[str, bytes]:
        parts: dict[str, list[bytes]] = {}
        for name, data in self._conn().execute(
            "SELECT name, data FROM resolver_state ORDER BY name, chunk"
        ):
            parts.setdefault(name, []).append(bytes(data))
        return {name: b"".join(chunks) for name, chunks in parts.items()}

    def save_resolver_state(self, parts: dict[str, bytes]) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM resolver_state")
            for name, data in parts.items():
                conn.executemany(
                    "INSERT INTO resolver_state (name, chunk, data) VALUES (?, ?, ?)",
                    (
                        (name, k, data[start : start + STATE_CHUNK])
                        for k, start in enumerate(range(0, max(len(data), 1), STATE_CHUNK))
                    ),
                )
