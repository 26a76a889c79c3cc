"""The Neo4j store's side of a migration (see ``graphintel.store.migrate``).

The tables paged by one keyset statement (``_PAGED``) and every table's page writer
(``_IMPORTS``) are declared as tables; shipments, nodes, edges and networks page by their own
methods, as they page per kind or by a pair.
"""

from __future__ import annotations

import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
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


Rows = list[dict[str, Any]]
Statements = list[tuple[Statement, dict[str, Any]]]


@dataclass(frozen=True)
class _Paged:
    """A table read by one keyset statement that returns each row's ``position`` (an int
    for ``numeric`` tables). The checkpoint keeps ``str(position)``, as it always did."""

    statement: Statement
    convert: Callable[[dict[str, Any]], Any]
    numeric: bool = False


_PAGED: dict[str, _Paged] = {
    "loads": _Paged(LOADS_PAGE, lambda r: load_from_row(r["load"]), numeric=True),
    "quarantine": _Paged(QUARANTINE_PAGE, quarantine_from_row),
    "mentions": _Paged(
        MENTIONS_PAGE,
        lambda r: MentionAssignment(r["shipment_id"], Role(r["role"]), r["entity_id"], r["name"]),
    ),
    "merge_evidence": _Paged(EVIDENCE_PAGE, evidence_from_row, numeric=True),
    "runs": _Paged(RUNS_PAGE, lambda r: run_from_row(r["run"]), numeric=True),
    "cases": _Paged(
        CASES_PAGE,
        lambda r: CaseRecord(
            r["case_id"], r["name"], json.loads(r["payload_json"]), r["created_at"], r["updated_at"]
        ),
    ),
    "notes": _Paged(NOTES_PAGE, lambda r: NoteRow(r["node_id"], r["text"], r["updated_at"])),
    # withdrawn_by/withdrawn_at travel with the judgement
    "judgements": _Paged(JUDGEMENTS_PAGE, judgement_from_row, numeric=True),
    "audit_log": _Paged(
        AUDIT_PAGE,
        lambda r: AuditEntry(r["user"], r["action"], r["target"], r["detail"], r["created_at"]),
        numeric=True,
    ),
}


@dataclass(frozen=True)
class _Page:
    """Where an imported page lands: the staged generation (graph tables) and the current
    one, the rows copied before it, and a clock base that keeps later pages later."""

    gen: int
    current: int
    first: int
    base_ns: int


_Writer = Callable[[Sequence[Any], _Page], Statements]


def _rows(
    statement: Statement, row: Callable[[Any, int, _Page], dict[str, Any]], staged: bool = False
) -> _Writer:
    """A writer sending the page as ``$rows`` of ``statement`` (with ``$gen`` if staged)."""

    def write(records: Sequence[Any], page: _Page) -> Statements:
        params: dict[str, Any] = {"rows": [row(r, i, page) for i, r in enumerate(records)]}
        if staged:
            params["gen"] = page.gen
        return [(statement, params)]

    return write


def _write_nodes(records: Sequence[Any], page: _Page) -> Statements:
    out: Statements = []
    for kind, rows in node_rows_by_kind(node_rows(records)).items():
        params: dict[str, Any] = {"rows": rows, "gen": page.gen}
        if kind is NodeKind.SHIPMENT:
            params["current"] = page.current
        out.append((node_write(kind), params))
    return out


def _write_edges(records: Sequence[Any], page: _Page) -> Statements:
    return [
        (edge_write(EDGE_TYPE_BY_KIND[edge_kind]), {"rows": rows, "gen": page.gen})
        for edge_kind, rows in edge_rows_by_kind(edge_rows(records)).items()
    ]


def _write_networks(records: Sequence[Any], page: _Page) -> Statements:
    by_run: dict[str, Rows] = defaultdict(list)
    for n in records:
        by_run[n.run_id].append(network_row(n))
    return [(NETWORKS_WRITE, {"run_id": run_id, "rows": rows}) for run_id, rows in by_run.items()]


# created_ns only orders loads, runs, judgements and the audit log (whose stored user and time
# are kept): pages arrive in source order, so later pages sort later.
_IMPORTS: dict[str, _Writer] = {
    "loads": _rows(LOAD_IMPORT, lambda r, i, p: {**load_props(r), "created_ns": p.base_ns + i}),
    "shipments": _rows(SHIPMENTS_WRITE, lambda s, i, p: shipment_row(s)),
    "quarantine": _rows(
        QUARANTINE_WRITE, lambda e, i, p: LoadsMixin.quarantine_row(e, e.load_id, p.first + i + 1)
    ),
    "nodes": _write_nodes,
    "edges": _write_edges,
    "mentions": _rows(
        MENTIONS_WRITE,
        lambda a, i, p: {
            "shipment_id": a.shipment_id,
            "role": a.role.value,
            "entity_id": a.entity_id,
            "name": a.name,
            "key": mention_key(a.shipment_id, a.role.value),
        },
        staged=True,
    ),
    "merge_evidence": _rows(
        EVIDENCE_WRITE,
        lambda ev, i, p: {
            **{f: getattr(ev, f) for f in MergeEvidence.__dataclass_fields__},
            "seq": p.first + i + 1,
        },
        staged=True,
    ),
    "runs": _rows(RUN_IMPORT, lambda r, i, p: {**run_props(r), "created_ns": p.base_ns + i}),
    "networks": _write_networks,
    "cases": _rows(
        CASE_IMPORT,
        lambda c, i, p: {
            "case_id": c.case_id,
            "name": c.name,
            "payload_json": json.dumps(c.payload),
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        },
    ),
    "notes": _rows(
        NOTE_IMPORT,
        lambda n, i, p: {"node_id": n.node_id, "text": n.text, "updated_at": n.updated_at},
    ),
    "judgements": _rows(
        JUDGEMENT_IMPORT,
        lambda j, i, p: {
            "left_id": j.left,
            "right_id": j.right,
            "verdict": j.verdict,
            "user_name": j.user,
            "created_at": j.created_at,
            "created_ns": p.base_ns + i,
            "withdrawn_by": j.withdrawn_by,
            "withdrawn_at": j.withdrawn_at,
        },
    ),
    "audit_log": _rows(
        AUDIT_ADD,
        lambda e, i, p: {
            "user_name": e.user,
            "action": e.action,
            "target": e.target,
            "detail": e.detail,
            "created_at": e.created_at,
            "created_ns": p.base_ns + i,
        },
    ),
}
_STAGED = frozenset({"nodes", "edges", "mentions", "merge_evidence"})


class MigrationMixin(LoadsMixin, GraphWriteMixin):
    """``MigrationSide`` on Neo4j: the graph is copied into a staged generation."""

    def export_pages(
        self, table: str, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        paged = _PAGED.get(table)
        if paged is not None:
            last: Any = (int(after) if after else -1) if paged.numeric else (after or "")
            while rows := self.read(paged.statement, after=last, limit=batch_size):
                last = rows[-1]["position"]
                yield [paged.convert(r) for r in rows], str(last)
        elif table == "shipments":
            for batch in self._shipment_pages(after or "", batch_size):
                yield batch, batch[-1].shipment_id
        elif table == "nodes":
            yield from self._export_nodes(after, batch_size)
        elif table == "edges":
            yield from self._export_edges(after, batch_size)
        elif table == "networks":
            yield from self._export_networks(after, batch_size)
        else:
            raise StoreError(f"unknown table {table!r}")

    def _export_nodes(self, after: str | None, batch_size: int) -> Iterator[tuple[list[Any], str]]:
        """Kind by kind, by id; the position is the last id (ids start with their kind)."""
        for kind in KINDS_IN_ID_ORDER:
            statement = nodes_page(kind)
            last = after or ""
            while rows := self.read(statement, after=last, limit=batch_size):
                last = rows[-1]["id"]
                yield [node_from_row(kind, r) for r in rows], last

    def _export_edges(self, after: str | None, batch_size: int) -> Iterator[tuple[list[Any], str]]:
        """Relationship type by type; the position is ``[edge kind, position in it]``."""
        start_kind, start_key = json.loads(after) if after else ("", "")
        for edge_kind in EDGE_KINDS_IN_ORDER:
            if edge_kind.value < start_kind:
                continue
            last = start_key if edge_kind.value == start_kind else ""
            statement = edges_page(EDGE_TYPE_BY_KIND[edge_kind])
            while rows := self.read(statement, after=last, limit=batch_size):
                last = rows[-1]["position"]
                yield [edge_from_row(r) for r in rows], json.dumps([edge_kind.value, last])

    def _export_networks(
        self, after: str | None, batch_size: int
    ) -> Iterator[tuple[list[Any], str]]:
        """By (run id, network id), members included; the position is that pair."""
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
        statements: Statements = []
        if records:
            write = _IMPORTS.get(table)
            if write is None:
                raise StoreError(f"unknown table {table!r}")
            gen, current = (0, 0)
            if table in _STAGED:
                gen, current = self._staged_generation(migration)
            first = checkpoint.rows - len(records)  # rows copied before this page
            statements = write(records, _Page(gen, current, first, time.time_ns()))
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
