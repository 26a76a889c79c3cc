"""The investigator workspace: saved cases and notes on nodes."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graphintel.errors import NotFoundError
from graphintel.records import (
    CaseRecord,
)
from graphintel.store.base import (
    chunks,
    utc_now,
)
from graphintel.store.sqlite.connection import (
    SqliteBase,
    placeholders,
)


class WorkspaceMixin(SqliteBase):
    """``WorkspaceStore`` on SQLite."""

    def save_case(self, case_id: str, name: str, payload: dict[str, Any]) -> CaseRecord:
        now = utc_now()
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO cases (case_id, name, payload, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (case_id) DO UPDATE SET"
                " name = excluded.name, payload = excluded.payload,"
                " updated_at = excluded.updated_at",
                (case_id, name, json.dumps(payload), now, now),
            )
        found = self.case(case_id)
        assert found is not None
        return found

    def cases(self) -> list[CaseRecord]:
        rows = self._conn().execute(
            "SELECT case_id, name, created_at, updated_at FROM cases"
            " ORDER BY updated_at DESC, case_id"
        )
        return [CaseRecord(r[0], r[1], {}, r[2], r[3]) for r in rows]

    def case(self, case_id: str) -> CaseRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT case_id, name, payload, created_at, updated_at FROM cases"
                " WHERE case_id = ?",
                (case_id,),
            )
            .fetchone()
        )
        return CaseRecord(row[0], row[1], json.loads(row[2]), row[3], row[4]) if row else None

    def rename_case(self, case_id: str, name: str) -> CaseRecord:
        with self._transaction() as conn:
            changed = conn.execute(
                "UPDATE cases SET name = ?, updated_at = ? WHERE case_id = ?",
                (name, utc_now(), case_id),
            ).rowcount
        if not changed:
            raise NotFoundError(f"no case {case_id!r} in {self.url}")
        found = self.case(case_id)
        assert found is not None
        return found

    def delete_case(self, case_id: str) -> bool:
        with self._transaction() as conn:
            return bool(conn.execute("DELETE FROM cases WHERE case_id = ?", (case_id,)).rowcount)

    def set_note(self, node_id: str, text: str) -> None:
        with self._transaction() as conn:
            if text.strip():
                conn.execute(
                    "INSERT INTO notes (node_id, text, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (node_id) DO UPDATE SET text = excluded.text,"
                    " updated_at = excluded.updated_at",
                    (node_id, text, utc_now()),
                )
            else:
                conn.execute("DELETE FROM notes WHERE node_id = ?", (node_id,))

    def notes(self, node_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        conn = self._conn()
        for chunk in chunks(dict.fromkeys(node_ids), 500):
            rows = conn.execute(
                f"SELECT node_id, text FROM notes WHERE node_id IN ({placeholders(len(chunk))})",
                chunk,
            )
            out.update({r[0]: r[1] for r in rows})
        return out
