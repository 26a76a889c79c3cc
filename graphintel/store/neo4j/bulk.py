"""The Neo4j store's side of a migration (see ``graphintel.store.migrate``)."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from neo4j import ManagedTransaction

from graphintel.errors import StoreError
from graphintel.model import EDGE_TYPE_BY_KIND, NodeKind, Role
from graphintel.records import (
    AuditEntry,
    CaseRecord,
    MentionAssignment,
    MergeEvidence,
)
from graphintel.store.base import (
    edge_rows,
    node_rows,
)
from graphintel.store.bulk import Checkpoint, NoteRow
from graphintel.store.neo4j.audit import AUDIT_ADD, AUDIT_COUNT, AUDIT_PAGE
from graphintel.store.neo4j.connection import run
from graphintel.store.neo4j.cypher import EDGE_KINDS_IN_ORDER, KINDS_IN_ID_ORDER, Statement, declare
from graphintel.store.neo4j.daily import ALERT_COUNT, LINEAGE_COUNT
from graphintel.store.neo4j.graph_read import (
    EVIDENCE_PAGE,
    MENTIONS_PAGE,
    edge_from_row,
    edges_page,
    evidence_from_row,
    node_from_row,
    nodes_page,
)
from graphintel.store.neo4j.graph_write import (
    EVIDENCE_WRITE,
    GRAPH_STATE,
    MENTIONS_WRITE,
    GraphWriteMixin,
    edge_rows_by_kind,
    edge_write,
    mention_key,
    node_rows_by_kind,
    node_write,
)
from graphintel.store.neo4j.loads import (
    LOAD_IMPORT,
    LOADS_PAGE,
    QUARANTINE_PAGE,
    QUARANTINE_WRITE,
    SHIPMENTS_WRITE,
    LoadsMixin,
    load_from_row,
    load_props,
    quarantine_from_row,
    shipment_row,
)
from graphintel.store.neo4j.resolver import (
    JUDGEMENT_COUNT,
    JUDGEMENT_IMPORT,
    JUDGEMENTS_PAGE,
    RESOLVER_STATE_COUNT,
    judgement_from_row,
)
from graphintel.store.neo4j.runs import (
    NETWORKS_PAGE,
    NETWORKS_WRITE,
    RUN_IMPORT,
    RUNS_PAGE,
    network_from_row,
    network_row,
    run_from_row,
    run_props,
)
from graphintel.store.neo4j.watchlists import WATCHLIST_COUNT, WATCHLIST_ENTRY_COUNT
from graphintel.store.neo4j.workspace import (
    CASE_COUNT,
    CASE_IMPORT,
    CASES_PAGE,
    NOTE_COUNT,
    NOTE_IMPORT,
    NOTES_PAGE,
)

# -- migration checkpoints -------------------------------------------------------------------
CHECKPOINT_GET = declare(
    "checkpoint_get",
    "MATCH (c:MigrationCheckpoint {migration: $migration, table: $table})"
    " RETURN c.position AS position, c.rows AS rows, c.done AS done",
    "migration",
    "table",
)
CHECKPOINT_SET = declare(
    "checkpoint_set",
    "MERGE (c:MigrationCheckpoint {migration: $migration, table: $table})"
    " SET c.position = $position, c.rows = $rows, c.done = $done",
    "migration",
    "table",
    "position",
    "rows",
    "done",
)


class MigrationMixin(LoadsMixin, GraphWriteMixin):
    """``MigrationSide`` on Neo4j: the graph is copied into a staged generation."""

    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        if table == "loads":
            yield from self._pages(
                LOADS_PAGE, after, batch_size, lambda r: load_from_row(r["load"]), numeric=True
            )
        elif table == "shipments":
            for batch in self._shipment_pages(after or "", batch_size):
                yield batch, batch[-1].shipment_id
        elif table == "quarantine":
            yield from self._pages(QUARANTINE_PAGE, after, batch_size, quarantine_from_row)
        elif table == "nodes":
            for kind in KINDS_IN_ID_ORDER:
                statement = nodes_page(kind)
                last = after or ""
                while rows := self.read(statement, after=last, limit=batch_size):
                    last = rows[-1]["id"]
                    yield [node_from_row(kind, r) for r in rows], last
        elif table == "edges":
            start_kind, start_key = json.loads(after) if after else ("", "")
            for edge_kind in EDGE_KINDS_IN_ORDER:
                if edge_kind.value < start_kind:
                    continue
                last = start_key if edge_kind.value == start_kind else ""
                statement = edges_page(EDGE_TYPE_BY_KIND[edge_kind])
                while rows := self.read(statement, after=last, limit=batch_size):
                    last = rows[-1]["position"]
                    yield [edge_from_row(r) for r in rows], json.dumps([edge_kind.value, last])
        elif table == "mentions":
            yield from self._pages(
                MENTIONS_PAGE,
                after,
                batch_size,
                lambda r: MentionAssignment(
                    r["shipment_id"], Role(r["role"]), r["entity_id"], r["name"]
                ),
            )
        elif table == "merge_evidence":
            yield from self._pages(
                EVIDENCE_PAGE, after, batch_size, evidence_from_row, numeric=True
            )
        elif table == "runs":
            yield from self._pages(
                RUNS_PAGE, after, batch_size, lambda r: run_from_row(r["run"]), numeric=True
            )
        elif table == "networks":
            run_id, network_id = json.loads(after) if after else ("", "")
            while rows := self.read(
                NETWORKS_PAGE,
                run_id=run_id,
                network_id=network_id,
                limit=batch_size,
                with_members=True,
            ):
                run_id, network_id = rows[-1]["run_id"], rows[-1]["network_id"]
                yield [network_from_row(r) for r in rows], json.dumps([run_id, network_id])
        elif table == "cases":
            yield from self._pages(
                CASES_PAGE,
                after,
                batch_size,
                lambda r: CaseRecord(
                    r["case_id"],
                    r["name"],
                    json.loads(r["payload_json"]),
                    r["created_at"],
                    r["updated_at"],
                ),
            )
        elif table == "notes":
            yield from self._pages(
                NOTES_PAGE,
                after,
                batch_size,
                lambda r: NoteRow(r["node_id"], r["text"], r["updated_at"]),
            )
        elif table == "judgements":
            yield from self._pages(
                JUDGEMENTS_PAGE,
                after,
                batch_size,
                judgement_from_row,  # withdrawn_by/withdrawn_at travel with the judgement
                numeric=True,
            )
        elif table == "audit_log":
            yield from self._pages(
                AUDIT_PAGE,
                after,
                batch_size,
                lambda r: AuditEntry(
                    r["user"], r["action"], r["target"], r["detail"], r["created_at"]
                ),
                numeric=True,
            )
        else:
            raise StoreError(f"unknown table {table!r}")

    def _pages(
        self,
        statement: Statement,
        after: str | None,
        batch_size: int,
        convert: Callable[[dict[str, Any]], Any],
        numeric: bool = False,
    ) -> Iterator[tuple[list[Any], str]]:
        last: Any = (int(after) if after else -1) if numeric else (after or "")
        while rows := self.read(statement, after=last, limit=batch_size):
            last = rows[-1]["position"]
            yield [convert(r) for r in rows], str(last)

    def workspace_counts(self) -> dict[str, int]:
        return {
            "cases": int(self.read(CASE_COUNT)[0]["n"]),
            "notes": int(self.read(NOTE_COUNT)[0]["n"]),
            "judgements": int(self.read(JUDGEMENT_COUNT)[0]["n"]),
            "audit_log": int(self.read(AUDIT_COUNT)[0]["n"]),
            "watchlists": int(self.read(WATCHLIST_COUNT)[0]["n"]),
            "watchlist_entries": int(self.read(WATCHLIST_ENTRY_COUNT)[0]["n"]),
            "resolver_state": int(self.read(RESOLVER_STATE_COUNT)[0]["n"]),
            "network_lineage": int(self.read(LINEAGE_COUNT)[0]["n"]),
            "alerts": int(self.read(ALERT_COUNT)[0]["n"]),
        }

    def migration_checkpoint(self, migration: str, table: str) -> Checkpoint | None:
        rows = self.read(CHECKPOINT_GET, migration=migration, table=table)
        if not rows:
            return None
        return Checkpoint(rows[0]["position"], int(rows[0]["rows"]), bool(rows[0]["done"]))

    def _staged_generation(self, migration: str) -> tuple[int, int]:
        """The generation a migration copies the graph into (reserved on first use)."""
        staged = self.migration_checkpoint(migration, "graph")
        [state] = self.read(GRAPH_STATE)
        if staged is None:
            gen, current = self.begin_graph()
            self.write(
                CHECKPOINT_SET,
                migration=migration,
                table="graph",
                position=str(gen),
                rows=0,
                done=False,
            )
            return gen, current
        return int(staged.position), int(state["current"])

    def import_page(
        self, migration: str, table: str, records: Sequence[Any], checkpoint: Checkpoint
    ) -> None:
        gen, current = (0, 0)
        if table in ("nodes", "edges", "mentions", "merge_evidence") and records:
            gen, current = self._staged_generation(migration)
        statements = self._import_statements(table, records, gen, current, checkpoint)
        statements.append(
            (
                CHECKPOINT_SET,
                {
                    "migration": migration,
                    "table": table,
                    "position": checkpoint.position,
                    "rows": checkpoint.rows,
                    "done": checkpoint.done,
                },
            )
        )

        def work(tx: ManagedTransaction) -> None:
            for statement, params in statements:
                run(tx, statement, **params)

        self.write_many(work)

    def _import_statements(
        self,
        table: str,
        records: Sequence[Any],
        gen: int,
        current: int,
        checkpoint: Checkpoint,
    ) -> list[tuple[Statement, dict[str, Any]]]:
        if not records:
            return []
        first = checkpoint.rows - len(records)  # rows copied before this page
        base_ns = time.time_ns()
        out: list[tuple[Statement, dict[str, Any]]] = []
        if table == "loads":
            rows = [{**load_props(r), "created_ns": base_ns + i} for i, r in enumerate(records)]
            out.append((LOAD_IMPORT, {"rows": rows}))
        elif table == "shipments":
            out.append((SHIPMENTS_WRITE, {"rows": [shipment_row(s) for s in records]}))
        elif table == "quarantine":
            rows = [self.quarantine_row(e, e.load_id, first + i + 1) for i, e in enumerate(records)]
            out.append((QUARANTINE_WRITE, {"rows": rows}))
        elif table == "nodes":
            for kind, rows in node_rows_by_kind(node_rows(records)).items():
                params: dict[str, Any] = {"rows": rows, "gen": gen}
                if kind is NodeKind.SHIPMENT:
                    params["current"] = current
                out.append((node_write(kind), params))
        elif table == "edges":
            by_edge = edge_rows_by_kind(edge_rows(records))
            for edge_kind, params_rows in by_edge.items():
                out.append(
                    (edge_write(EDGE_TYPE_BY_KIND[edge_kind]), {"rows": params_rows, "gen": gen})
                )
        elif table == "mentions":
            rows = [
                {
                    "shipment_id": a.shipment_id,
                    "role": a.role.value,
                    "entity_id": a.entity_id,
                    "name": a.name,
                    "key": mention_key(a.shipment_id, a.role.value),
                }
                for a in records
            ]
            out.append((MENTIONS_WRITE, {"rows": rows, "gen": gen}))
        elif table == "merge_evidence":
            rows = [
                {
                    **{f: getattr(ev, f) for f in MergeEvidence.__dataclass_fields__},
                    "seq": first + i + 1,
                }
                for i, ev in enumerate(records)
            ]
            out.append((EVIDENCE_WRITE, {"rows": rows, "gen": gen}))
        elif table == "runs":
            rows = [{**run_props(r), "created_ns": base_ns + i} for i, r in enumerate(records)]
            out.append((RUN_IMPORT, {"rows": rows}))
        elif table == "networks":
            by_run: dict[str, list[dict[str, Any]]] = defaultdict(list)
            for n in records:
                by_run[n.run_id].append(network_row(n))
            for run_id, rows in by_run.items():
                out.append((NETWORKS_WRITE, {"run_id": run_id, "rows": rows}))
        elif table == "cases":
            rows = [
                {
                    "case_id": c.case_id,
                    "name": c.name,
                    "payload_json": json.dumps(c.payload),
                    "created_at": c.created_at,
                    "updated_at": c.updated_at,
                }
                for c in records
            ]
            out.append((CASE_IMPORT, {"rows": rows}))
        elif table == "notes":
            rows = [
                {"node_id": n.node_id, "text": n.text, "updated_at": n.updated_at} for n in records
            ]
            out.append((NOTE_IMPORT, {"rows": rows}))
        elif table == "judgements":
            # created_ns orders judgements; pages arrive in order, so later pages sort later.
            rows = [
                {
                    "left_id": j.left,
                    "right_id": j.right,
                    "verdict": j.verdict,
                    "user_name": j.user,
                    "created_at": j.created_at,
                    "created_ns": base_ns + i,
                    "withdrawn_by": j.withdrawn_by,
                    "withdrawn_at": j.withdrawn_at,
                }
                for i, j in enumerate(records)
            ]
            out.append((JUDGEMENT_IMPORT, {"rows": rows}))
        elif table == "audit_log":
            # Stored user and time kept; created_ns only orders, and pages arrive in order.
            rows = [
                {
                    "user_name": e.user,
                    "action": e.action,
                    "target": e.target,
                    "detail": e.detail,
                    "created_at": e.created_at,
                    "created_ns": base_ns + i,
                }
                for i, e in enumerate(records)
            ]
            out.append((AUDIT_ADD, {"rows": rows}))
        else:
            raise StoreError(f"unknown table {table!r}")
        return out

    def finish_migration(self, migration: str) -> None:
        staged = self.migration_checkpoint(migration, "graph")
        if staged is not None and not staged.done:
            self.publish_graph(int(staged.position))
            self.write(
                CHECKPOINT_SET,
                migration=migration,
                table="graph",
                position=staged.position,
                rows=0,
                done=True,
            )
