"""Analysis runs and the networks they found."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

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
from graphintel.store.sqlite.connection import (
    SqliteBase,
)


def _run_from_row(row: Sequence[Any]) -> RunRecord:
    return RunRecord(
        run_id=row[0],
        kind=row[1],
        status=row[2],
        started_at=row[3],
        finished_at=row[4],
        params=json.loads(row[5]),
        versions=json.loads(row[6]),
        counts=json.loads(row[7]),
        message=row[8],
    )


class RunsMixin(SqliteBase):
    """``RunStore`` on SQLite."""

    def start_run(self, kind: str, params: dict[str, Any], versions: dict[str, str]) -> RunRecord:
        run = new_run(kind, params, versions)
        with self._transaction() as conn:
            conn.execute(
                "INSERT INTO runs (run_id, kind, status, started_at, finished_at, params, versions,"
                " counts, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    run.run_id,
                    run.kind,
                    run.status,
                    run.started_at,
                    run.finished_at,
                    json.dumps(params),
                    json.dumps(versions),
                    "{}",
                    "",
                ),
            )
        return run

    def _run(self, run_id: str) -> RunRecord:
        row = (
            self._conn()
            .execute(
                "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
                " message FROM runs WHERE run_id = ?",
                (run_id,),
            )
            .fetchone()
        )
        if row is None:
            raise NotFoundError(f"no run {run_id!r} in {self.url}")
        return _run_from_row(row)

    def finish_run(
        self, run_id: str, counts: dict[str, int], networks: Iterable[Network] = ()
    ) -> RunRecord:
        self._run(run_id)
        with self._transaction() as conn:
            for chunk in chunks(networks, 1000):
                insert_networks(conn, chunk, run_id)
            conn.execute(
                "UPDATE runs SET status = 'succeeded', finished_at = ?, counts = ?"
                " WHERE run_id = ?",
                (utc_now(), json.dumps(counts), run_id),
            )
        return self._run(run_id)

    def fail_run(self, run_id: str, message: str) -> RunRecord:
        with self._transaction() as conn:
            conn.execute(
                "UPDATE runs SET status = 'failed', finished_at = ?, message = ? WHERE run_id = ?",
                (utc_now(), message, run_id),
            )
        return self._run(run_id)

    def runs(self, kind: str | None = None) -> list[RunRecord]:
        sql = (
            "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
            " message FROM runs"
        )
        params: tuple[str, ...] = ()
        if kind is not None:
            sql += " WHERE kind = ?"
            params = (kind,)
        rows = self._conn().execute(sql + " ORDER BY started_at, rowid", params)
        return [_run_from_row(r) for r in rows]

    def latest_run(self, kind: str = "analyze") -> RunRecord | None:
        row = (
            self._conn()
            .execute(
                "SELECT run_id, kind, status, started_at, finished_at, params, versions, counts,"
                " message FROM runs WHERE kind = ? AND status = 'succeeded'"
                " ORDER BY finished_at DESC, rowid DESC LIMIT 1",
                (kind,),
            )
            .fetchone()
        )
        return _run_from_row(row) if row else None

    def _network_from_row(self, row: Sequence[Any], with_members: bool) -> Network:
        run_id, network_id = row[0], row[1]
        shipment_ids: list[str] = []
        entity_ids: list[str] = []
        if with_members:
            for node, is_shipment in self._conn().execute(
                "SELECT node_id, is_shipment FROM network_members"
                " WHERE run_id = ? AND network_id = ? ORDER BY node_id",
                (run_id, network_id),
            ):
                (shipment_ids if is_shipment else entity_ids).append(node)
        return Network(
            network_id=network_id,
            run_id=run_id,
            rank=row[2],
            score=row[3],
            reasons=tuple(json.loads(row[4])),
            evidence=json.loads(row[5]),
            typologies=tuple(json.loads(row[6])),
            first_date=row[7],
            last_date=row[8],
            seized_count=row[9],
            n_shipments=row[10],
            n_entities=row[11],
            countries=tuple(json.loads(row[12])),
            name=row[13],
            points=json.loads(row[14]),
            shipment_ids=tuple(shipment_ids),
            entity_ids=tuple(entity_ids),
        )

    _NETWORK_SELECT = (
        "SELECT run_id, network_id, rank, score, reasons, evidence, typologies, first_date,"
        " last_date, seized_count, n_shipments, n_entities, countries, name, points FROM networks"
    )

    def networks(
        self,
        run_id: str,
        limit: int | None = None,
        offset: int = 0,
        with_members: bool = True,
    ) -> list[Network]:
        rows = (
            self._conn()
            .execute(
                f"{self._NETWORK_SELECT} WHERE run_id = ? ORDER BY rank LIMIT ? OFFSET ?",
                (run_id, -1 if limit is None else limit, offset),
            )
            .fetchall()
        )
        return [self._network_from_row(r, with_members) for r in rows]

    def network(self, run_id: str, network_id: str) -> Network | None:
        row = (
            self._conn()
            .execute(
                f"{self._NETWORK_SELECT} WHERE run_id = ? AND network_id = ?", (run_id, network_id)
            )
            .fetchone()
        )
        return self._network_from_row(row, True) if row else None


def insert_networks(
    conn: sqlite3.Connection, networks: Sequence[Network], run_id: str | None = None
) -> None:
    """Write ``networks`` and their members. A finishing run passes its ``run_id`` and counts
    the members it holds; a migration (``run_id`` None) copies each network's own run id and
    stored counts as they are."""
    conn.executemany(
        "INSERT INTO networks (run_id, network_id, rank, score, reasons, evidence,"
        " typologies, first_date, last_date, seized_count, n_shipments, n_entities,"
        " countries, name, points) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id or n.run_id,
                n.network_id,
                n.rank,
                n.score,
                json.dumps(list(n.reasons)),
                json.dumps(n.evidence),
                json.dumps(list(n.typologies)),
                n.first_date,
                n.last_date,
                n.seized_count,
                len(n.shipment_ids) if run_id else n.n_shipments,
                len(n.entity_ids) if run_id else n.n_entities,
                json.dumps(list(n.countries)),
                n.name,
                json.dumps(n.points),
            )
            for n in networks
        ],
    )
    conn.executemany(
        "INSERT INTO network_members (run_id, network_id, node_id, is_shipment)"
        " VALUES (?, ?, ?, ?)",
        [
            (run_id or n.run_id, n.network_id, member, int(is_shipment))
            for n in networks
            for members, is_shipment in ((n.shipment_ids, True), (n.entity_ids, False))
            for member in members
        ],
    )
