"""Analysis runs and the networks they found."""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Mapping
from typing import Any

from neo4j import ManagedTransaction

from graphintel.errors import NotFoundError
from graphintel.records import (
    Network,
    RunRecord,
)
from graphintel.store.base import (
    chunks,
    new_run,
    utc_now,
)
from graphintel.store.neo4j.connection import NO_LIMIT, Neo4jBase, run
from graphintel.store.neo4j.cypher import declare, words

RUN_COUNT = declare("run_count", "MATCH (r:Run) RETURN count(r) AS n")
# -- runs and networks -----------------------------------------------------------------------
RUN_FIELDS = words(
    "run_id kind status started_at finished_at params_json versions_json counts_json message"
)
_RUN_RETURN = "r {" + ", ".join(f".{f}" for f in RUN_FIELDS) + "} AS run"

RUN_CREATE = declare("run_create", "CREATE (r:Run) SET r = $props", "props")
RUN_IMPORT = declare(
    "run_import", "UNWIND $rows AS row MERGE (r:Run {run_id: row.run_id}) SET r += row", "rows"
)
RUN_GET = declare("run_get", f"MATCH (r:Run {{run_id: $run_id}}) RETURN {_RUN_RETURN}", "run_id")
RUN_UPDATE = declare(
    "run_update",
    "MATCH (r:Run {run_id: $run_id}) SET r += $props RETURN r.run_id AS run_id",
    "run_id",
    "props",
)
RUNS = declare(
    "runs",
    "MATCH (r:Run) WHERE $kind IS NULL OR r.kind = $kind"
    f" WITH r ORDER BY r.started_at, r.created_ns RETURN {_RUN_RETURN}",
    "kind",
)
RUNS_PAGE = declare(
    "runs_page",
    "MATCH (r:Run) WHERE r.created_ns > $after"
    f" WITH r ORDER BY r.created_ns LIMIT $limit RETURN {_RUN_RETURN}, r.created_ns AS position",
    "after",
    "limit",
)
LATEST_RUN = declare(
    "latest_run",
    "MATCH (r:Run {kind: $kind}) WHERE r.status = $status"
    f" WITH r ORDER BY r.finished_at DESC, r.created_ns DESC LIMIT 1 RETURN {_RUN_RETURN}",
    "kind",
    "status",
)
NETWORKS_WRITE = declare(
    "networks_write",
    "MATCH (r:Run {run_id: $run_id}) UNWIND $rows AS row"
    " MERGE (n:Network {run_id: $run_id, network_id: row.network_id}) SET n += row"
    " MERGE (r)-[:HAS_NETWORK]->(n)",
    "run_id",
    "rows",
)
_NETWORK_RETURN = (
    "n.run_id AS run_id, n.network_id AS network_id, n.rank AS rank, n.score AS score,"
    " n.reasons AS reasons, n.evidence_json AS evidence_json, n.typologies AS typologies,"
    " n.first_date AS first_date, n.last_date AS last_date, n.seized_count AS seized_count,"
    " n.n_shipments AS n_shipments, n.n_entities AS n_entities, n.countries AS countries,"
    " n.name AS name, n.points_json AS points_json,"
    " CASE WHEN $with_members THEN n.shipment_ids ELSE [] END AS shipment_ids,"
    " CASE WHEN $with_members THEN n.entity_ids ELSE [] END AS entity_ids"
)
NETWORKS = declare(
    "networks",
    "MATCH (n:Network {run_id: $run_id})"
    f" WITH n ORDER BY n.rank SKIP $offset LIMIT $limit RETURN {_NETWORK_RETURN}",
    "run_id",
    "offset",
    "limit",
    "with_members",
)
NETWORK = declare(
    "network",
    f"MATCH (n:Network {{run_id: $run_id, network_id: $network_id}}) RETURN {_NETWORK_RETURN}",
    "run_id",
    "network_id",
    "with_members",
)
NETWORKS_PAGE = declare(
    "networks_page",
    "MATCH (n:Network) WHERE n.run_id > $run_id"
    " OR (n.run_id = $run_id AND n.network_id > $network_id)"
    f" WITH n ORDER BY n.run_id, n.network_id LIMIT $limit RETURN {_NETWORK_RETURN}",
    "run_id",
    "network_id",
    "limit",
    "with_members",
)


def run_props(run: RunRecord) -> dict[str, Any]:
    return {
        "run_id": run.run_id,
        "kind": run.kind,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "params_json": json.dumps(run.params),
        "versions_json": json.dumps(run.versions),
        "counts_json": json.dumps(run.counts),
        "message": run.message,
    }


def run_from_row(row: Mapping[str, Any]) -> RunRecord:
    return RunRecord(
        run_id=row["run_id"],
        kind=row["kind"],
        status=row["status"],
        started_at=row["started_at"],
        finished_at=row["finished_at"] or "",
        params=json.loads(row["params_json"] or "{}"),
        versions=json.loads(row["versions_json"] or "{}"),
        counts=json.loads(row["counts_json"] or "{}"),
        message=row["message"] or "",
    )


def network_row(n: Network) -> dict[str, Any]:
    return {
        "network_id": n.network_id,
        "rank": n.rank,
        "score": n.score,
        "reasons": list(n.reasons),
        "evidence_json": json.dumps(n.evidence),
        "typologies": list(n.typologies),
        "first_date": n.first_date,
        "last_date": n.last_date,
        "seized_count": n.seized_count,
        "n_shipments": n.n_shipments or len(n.shipment_ids),
        "n_entities": n.n_entities or len(n.entity_ids),
        "countries": list(n.countries),
        "name": n.name,
        "points_json": json.dumps(n.points),
        "shipment_ids": sorted(n.shipment_ids),
        "entity_ids": sorted(n.entity_ids),
    }


def network_from_row(row: Mapping[str, Any]) -> Network:
    return Network(
        network_id=row["network_id"],
        run_id=row["run_id"],
        rank=int(row["rank"]),
        score=float(row["score"]),
        reasons=tuple(row["reasons"] or ()),
        evidence=json.loads(row["evidence_json"] or "{}"),
        typologies=tuple(row["typologies"] or ()),
        first_date=row["first_date"] or "",
        last_date=row["last_date"] or "",
        seized_count=int(row["seized_count"] or 0),
        n_shipments=int(row["n_shipments"] or 0),
        n_entities=int(row["n_entities"] or 0),
        countries=tuple(row.get("countries") or ()),
        name=row.get("name") or "",
        points=json.loads(row.get("points_json") or "{}"),
        shipment_ids=tuple(row["shipment_ids"] or ()),
        entity_ids=tuple(row["entity_ids"] or ()),
    )


class RunsMixin(Neo4jBase):
    """``RunStore`` on Neo4j."""

    def start_run(self, kind: str, params: dict[str, Any], versions: dict[str, str]) -> RunRecord:
        run_ = new_run(kind, params, versions)
        self.write(RUN_CREATE, props={**run_props(run_), "created_ns": time.time_ns()})
        return run_

    def _run(self, run_id: str) -> RunRecord:
        rows = self.read(RUN_GET, run_id=run_id)
        if not rows:
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return run_from_row(rows[0]["run"])

    def finish_run(
        self, run_id: str, counts: dict[str, int], networks: Iterable[Network] = ()
    ) -> RunRecord:
        self._run(run_id)
        # Materialised first: the driver may replay the transaction function on a retry.
        rows = [network_row(n) for n in networks]
        props = {"status": "succeeded", "finished_at": utc_now(), "counts_json": json.dumps(counts)}

        def work(tx: ManagedTransaction) -> None:
            for chunk in chunks(rows, self.batch_size):
                run(tx, NETWORKS_WRITE, run_id=run_id, rows=chunk)
            run(tx, RUN_UPDATE, run_id=run_id, props=props)

        self.write_many(work)
        return self._run(run_id)

    def fail_run(self, run_id: str, message: str) -> RunRecord:
        props = {"status": "failed", "finished_at": utc_now(), "message": message}
        if not self.write(RUN_UPDATE, run_id=run_id, props=props):
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return self._run(run_id)

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        return [run_from_row(r["run"]) for r in self.read(RUNS, kind=kind)]

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        rows = self.read(LATEST_RUN, kind=kind, status="succeeded")
        return run_from_row(rows[0]["run"]) if rows else None

    def networks(
        self,
        run_id: str,
        limit: int | None = None,
        offset: int = 0,
        with_members: bool = True,
    ) -> list[Network]:
        rows = self.read(
            NETWORKS,
            run_id=run_id,
            offset=offset,
            limit=NO_LIMIT if limit is None else limit,
            with_members=with_members,
        )
        return [network_from_row(r) for r in rows]

    def network(self, run_id: str, network_id: str) -> Network | None:
        rows = self.read(NETWORK, run_id=run_id, network_id=network_id, with_members=True)
        return network_from_row(rows[0]) if rows else None
