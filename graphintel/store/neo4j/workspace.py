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
from graphintel.store.neo4j.connection import Neo4jBase
from graphintel.store.neo4j.cypher import declare

# -- cases and notes (investigator workspace) ------------------------------------------------
CASE_SAVE = declare(
    "case_save",
    "MERGE (c:Case {case_id: $case_id})"
    " ON CREATE SET c.created_at = $now"
    " SET c.name = $name, c.payload_json = $payload_json, c.updated_at = $now",
    "case_id",
    "name",
    "payload_json",
    "now",
)
_CASE_FIELDS = (
    "c.case_id AS case_id, c.name AS name, c.created_at AS created_at, c.updated_at AS updated_at"
)
CASES = declare(
    "cases",
    f"MATCH (c:Case) RETURN {_CASE_FIELDS} ORDER BY updated_at DESC, case_id",
)
CASE_GET = declare(
    "case_get",
    f"MATCH (c:Case {{case_id: $case_id}}) RETURN {_CASE_FIELDS}, c.payload_json AS payload_json",
    "case_id",
)
CASE_RENAME = declare(
    "case_rename",
    "MATCH (c:Case {case_id: $case_id}) SET c.name = $name, c.updated_at = $now"
    " RETURN c.case_id AS case_id",
    "case_id",
    "name",
    "now",
)
CASE_DELETE = declare(
    "case_delete",
    "MATCH (c:Case {case_id: $case_id}) DELETE c RETURN count(*) AS deleted",
    "case_id",
)
NOTE_SET = declare(
    "note_set",
    "MERGE (n:Note {node_id: $node_id}) SET n.text = $text, n.updated_at = $now",
    "node_id",
    "text",
    "now",
)
NOTE_DELETE = declare("note_delete", "MATCH (n:Note {node_id: $node_id}) DELETE n", "node_id")
NOTES = declare(
    "notes",
    "MATCH (n:Note) WHERE n.node_id IN $node_ids RETURN n.node_id AS node_id, n.text AS text",
    "node_ids",
)

# Migration pages and imports (``graphintel migrate`` copies cases and notes as stored).
CASES_PAGE = declare(
    "cases_page",
    "MATCH (c:Case) WHERE c.case_id > $after WITH c ORDER BY c.case_id LIMIT $limit"
    f" RETURN {_CASE_FIELDS}, c.payload_json AS payload_json, c.case_id AS position",
    "after",
    "limit",
)
CASE_IMPORT = declare(
    "case_import", "UNWIND $rows AS row MERGE (c:Case {case_id: row.case_id}) SET c += row", "rows"
)
CASE_COUNT = declare("case_count", "MATCH (c:Case) RETURN count(c) AS n")
NOTES_PAGE = declare(
    "notes_page",
    "MATCH (n:Note) WHERE n.node_id > $after WITH n ORDER BY n.node_id LIMIT $limit"
    " RETURN n.node_id AS node_id, n.text AS text, n.updated_at AS updated_at,"
    " n.node_id AS position",
    "after",
    "limit",
)
NOTE_IMPORT = declare(
    "note_import", "UNWIND $rows AS row MERGE (n:Note {node_id: row.node_id}) SET n += row", "rows"
)
NOTE_COUNT = declare("note_count", "MATCH (n:Note) RETURN count(n) AS n")


class WorkspaceMixin(Neo4jBase):
    """``WorkspaceStore`` on Neo4j."""

    def save_case(self, case_id: str, name: str, payload: dict[str, Any]) -> CaseRecord:
        self.write(
            CASE_SAVE,
            case_id=case_id,
            name=name,
            payload_json=json.dumps(payload),
            now=utc_now(),
        )
        found = self.case(case_id)
        assert found is not None
        return found

    def cases(self) -> list[CaseRecord]:
        return [
            CaseRecord(r["case_id"], r["name"], {}, r["created_at"], r["updated_at"])
            for r in self.read(CASES)
        ]

    def case(self, case_id: str) -> CaseRecord | None:
        rows = self.read(CASE_GET, case_id=case_id)
        if not rows:
            return None
        r = rows[0]
        payload = json.loads(r["payload_json"])
        return CaseRecord(r["case_id"], r["name"], payload, r["created_at"], r["updated_at"])

    def rename_case(self, case_id: str, name: str) -> CaseRecord:
        if not self.write(CASE_RENAME, case_id=case_id, name=name, now=utc_now()):
            raise NotFoundError(f"no case {case_id!r} in {self.url}")
        found = self.case(case_id)
        assert found is not None
        return found

    def delete_case(self, case_id: str) -> bool:
        [row] = self.write(CASE_DELETE, case_id=case_id)
        return bool(row["deleted"])

    def set_note(self, node_id: str, text: str) -> None:
        if text.strip():
            self.write(NOTE_SET, node_id=node_id, text=text, now=utc_now())
        else:
            self.write(NOTE_DELETE, node_id=node_id)

    def notes(self, node_ids: Sequence[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for chunk in chunks(list(dict.fromkeys(node_ids)), self.batch_size):
            out.update({r["node_id"]: r["text"] for r in self.read(NOTES, node_ids=chunk)})
        return out
