"""The daily roles (lineage, alerts) behave the same on SQLite and on Neo4j.

Neo4j runs against the recording stand-in for the driver of ``test_neo4j_offline``, taught
to keep the ``NetworkChange`` and ``Alert`` nodes the daily statements write (by statement
name, with the parameters the store passed), so the same assertions run on both backends;
the statements themselves are linted by Neo4j's front end in ``test_cypher_lint``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.daily.records import Alert, LineageEntry
from graphintel.errors import NotFoundError
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.neo4j import Neo4jStore
from tests.store.test_neo4j_offline import FakeDriver


class DailyDriver(FakeDriver):
    """``FakeDriver`` that keeps what the daily statements write."""

    def __init__(self) -> None:
        super().__init__()
        self.changes: list[dict[str, Any]] = []
        self.alerts: list[dict[str, Any]] = []

    def answer(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name == "lineage_clear":
            self.changes = [c for c in self.changes if c["run_id"] != params["run_id"]]
        elif name == "lineage_add":
            self.changes += [dict(r) for r in params["rows"]]
        elif name == "lineage_read":
            rows = [c for c in self.changes if c["run_id"] == params["run_id"]]
            return sorted(rows, key=lambda c: c["seq"])
        elif name == "alert_add":
            self.alerts += [dict(r) for r in params["rows"]]
        elif name == "alerts_present":
            return [{"alert_id": a["alert_id"]} for a in self.alerts
                    if a["alert_id"] in params["ids"]]  # fmt: skip
        elif name == "alert_get":
            return [a for a in self.alerts if a["alert_id"] == params["alert_id"]]
        elif name == "alert_list":
            rows = [a for a in self.alerts
                    if (not params["open_only"] or not a["acknowledged_by"])
                    and (params["run_id"] is None or a["run_id"] == params["run_id"])]  # fmt: skip
            rows.sort(key=lambda a: -a["created_ns"])
            return rows[: params["limit"]]
        elif name == "alert_ack":
            for a in self.alerts:
                if a["alert_id"] == params["alert_id"] and not a["acknowledged_by"]:
                    a["acknowledged_by"], a["acknowledged_at"] = params["user"], params["now"]
        else:
            return super().answer(name, params)
        return []


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    if request.param == "sqlite":
        s: GraphStore = SqliteStore(tmp_path / "store.db")
    else:
        s = Neo4jStore("neo4j://fake:7687", driver=DailyDriver())  # type: ignore[arg-type]
    yield s
    s.close()


def entry(run: str, nid: str, event: str, *related: str) -> LineageEntry:
    return LineageEntry(run, nid, event, related, 3, 1, 7, "r0")


def test_lineage_round_trips_in_order_and_a_save_replaces_the_run(store: GraphStore) -> None:
    first = [entry("r1", "net-0002", "grown"), entry("r1", "net-0001", "merged", "net-0009"),
             entry("r1", "net-0009", "gone", "net-0001")]  # fmt: skip
    store.save_lineage("r1", first)
    store.save_lineage("r2", [entry("r2", "net-0001", "quiet")])
    assert store.lineage("r1") == first
    store.save_lineage("r1", first[:1])
    assert store.lineage("r1") == first[:1]
    assert store.lineage("r2") == [entry("r2", "net-0001", "quiet")]
    assert store.lineage("nope") == []


def alert(i: int, run: str = "r1") -> Alert:
    return Alert(f"{run}.{i}", run, "case", f"case-{i}", (f"why {i}", "and <b>"),
                 ("shipment:S1", "shipment:S2"), ("net-0001",))  # fmt: skip


def test_alerts_are_stored_listed_newest_first_and_acknowledged_once(store: GraphStore) -> None:
    stored = store.add_alerts([alert(1), alert(2), alert(3, "r2")])
    assert [a.alert_id for a in stored] == ["r1.1", "r1.2", "r2.3"]
    assert all(a.created_at and a.open for a in stored)
    assert stored[0].reasons == ("why 1", "and <b>")
    assert stored[0].shipment_ids == ("shipment:S1", "shipment:S2")
    assert [a.alert_id for a in store.alerts()] == ["r2.3", "r1.2", "r1.1"]
    assert [a.alert_id for a in store.alerts(run_id="r1", limit=1)] == ["r1.2"]
    acked = store.acknowledge_alert("r1.2", "ana")
    assert (acked.acknowledged_by, acked.open) == ("ana", False) and acked.acknowledged_at
    again = store.acknowledge_alert("r1.2", "bob")  # the first acknowledgement stays
    assert again.acknowledged_by == "ana"
    assert [a.alert_id for a in store.alerts()] == ["r2.3", "r1.1"]
    assert [a.alert_id for a in store.alerts(open_only=False)] == ["r2.3", "r1.2", "r1.1"]
    with pytest.raises(NotFoundError):
        store.acknowledge_alert("r9.9", "ana")
    assert store.add_alerts([]) == []


def test_imported_alerts_keep_their_record_and_are_never_doubled(store: GraphStore) -> None:
    recorded = [
        Alert("r1.1", "r1", "case", "case-1", ("why",), ("shipment:S1",), (),
              "2026-01-02T03:04:05+00:00", "ana", "2026-01-03T00:00:00+00:00"),
        Alert("r1.2", "r1", "network", "net-0001", ("score 9",), ("shipment:S2",),
              ("net-0001",), "2026-01-02T03:04:06+00:00"),
    ]  # fmt: skip
    assert store.import_alerts(recorded) == 2
    assert store.import_alerts(recorded[1:]) == 0  # a redone page adds nothing
    assert store.alerts(open_only=False) == recorded[::-1]  # as recorded, newest first
    assert store.alerts() == [recorded[1]]
    new = store.add_alerts([alert(3)])  # raised after the import: newest
    assert [a.alert_id for a in store.alerts(open_only=False)] == [new[0].alert_id, "r1.2", "r1.1"]
    assert store.import_alerts([]) == 0


def test_neo4j_replaces_a_runs_lineage_in_one_transaction() -> None:
    driver = DailyDriver()
    store = Neo4jStore("neo4j://fake:7687", driver=driver)  # type: ignore[arg-type]
    driver.calls.clear()
    driver.tx_of_call.clear()
    store.save_lineage("r1", [entry("r1", "net-0001", "new")])
    assert driver.names() == ["lineage_clear", "lineage_add"]
    assert len(set(driver.tx_of_call)) == 1
