"""The GDS engine's offline parts: where it refuses to run, and how communities become
ranked networks. The algorithms themselves run only on a Neo4j server with GDS (see
docs/neo4j.md); their statements are linted in tests/store/test_cypher_lint.py."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graphintel.analytics import gds
from graphintel.analytics.gds import GdsConfig, GdsUnavailable, _ranked_networks, analyze_gds
from graphintel.cli import cli
from graphintel.daily.after_run import AlertOptions
from graphintel.store import SqliteStore
from graphintel.store.neo4j import cypher


def test_gds_needs_a_neo4j_store(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.db")
    with pytest.raises(GdsUnavailable, match="not a Neo4j store"):
        analyze_gds(store)
    assert store.runs() == []  # nothing recorded for a run that never started
    store.close()


def test_settings_are_checked() -> None:
    with pytest.raises(GdsUnavailable):
        GdsConfig(gamma=0)
    with pytest.raises(GdsUnavailable):
        GdsConfig(top=0)


class FakeNeo:
    """Answers the two read statements the ranking uses, and records their parameters."""

    def __init__(self) -> None:
        self.params: dict[str, dict[str, Any]] = {}

    def read(self, statement: cypher.Statement, **params: Any) -> list[dict[str, Any]]:
        self.params[statement.name] = params
        if statement.name == "gds_communities":
            return [
                {  # big but clean
                    "community": 4,
                    "n_shipments": 40,
                    "seized_count": 0,
                    "pagerank": 9.0,
                    "first_date": "2026-01-02",
                    "last_date": "2026-02-01",
                    "categories": [],
                    "components": [1],
                    "seized_ids": [],
                },
                {  # small, with a fentanyl seizure: ranks first
                    "community": 7,
                    "n_shipments": 3,
                    "seized_count": 1,
                    "pagerank": 0.5,
                    "first_date": "2026-03-01",
                    "last_date": "2026-03-04",
                    "categories": ["fentanyl"],
                    "components": [2],
                    "seized_ids": ["shipment:S9"],
                },
            ]
        members = {
            "gds_members_shipment": [(7, "shipment:S9"), (7, "shipment:S8"), (4, "shipment:S1")],
            "gds_members_party": [(7, "party:p1"), (4, "party:p2")],
            "gds_members_phone": [(7, "phone:+15550100")],
        }
        return [{"community": c, "id": i} for c, i in members.get(statement.name, [])]


def test_communities_become_ranked_networks_with_reasons() -> None:
    neo = FakeNeo()
    config = GdsConfig(top=10, max_members=50, min_shipments=2)
    first, second = _ranked_networks(neo, "run-1", config)
    assert neo.params["gds_communities"] == {
        "seized": "seized",
        "min_shipments": 2,
        "top": 10,
        "max_members": 50,
    }
    assert neo.params["gds_members_party"] == {"communities": [4, 7], "max_members": 50}
    assert (first.network_id, first.rank, second.network_id, second.rank) == (
        "gds-7",
        1,
        "gds-4",
        2,
    )
    assert first.shipment_ids == ("shipment:S9", "shipment:S8")
    assert first.entity_ids == ("party:p1", "phone:+15550100")
    assert first.seized_count == 1 and first.n_shipments == 3
    assert first.reasons[0] == "1 seized shipments: fentanyl"
    assert first.evidence[first.reasons[0]] == ["shipment:S9"]
    assert "Leiden community 7" in first.reasons[1]
    assert first.score > second.score
    assert (first.first_date, first.last_date) == ("2026-03-01", "2026-03-04")


class GdsOnSqlite(SqliteStore):
    """A store whose runs, networks, lineage and alerts are real (SQLite) and whose GDS
    statements ``FakeNeo`` answers: what ``analyze_gds`` does around the algorithms."""

    WRITES: dict[str, list[dict[str, Any]]] = {
        "gds_project": [{"graph_name": "g", "node_count": 9, "relationship_count": 12}],
        "gds_wcc": [{"components": 2, "written": 9}],
        "gds_leiden": [{"communities": 2, "modularity": 0.4, "levels": 1}],
        "gds_pagerank": [{"iterations": 20, "converged": True}],
        "gds_drop": [{"graph_name": "g"}],
    }

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.fake = FakeNeo()

    def read(self, statement: cypher.Statement, **params: Any) -> list[dict[str, Any]]:
        return self.fake.read(statement, **params)

    def write(self, statement: cypher.Statement, **params: Any) -> list[dict[str, Any]]:
        return self.WRITES[statement.name]


def test_gds_networks_keep_their_ids_across_runs_and_raise_alerts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(gds, "_neo4j_store", lambda store: store)
    monkeypatch.setattr(gds, "gds_version", lambda store: "2.6.0")
    store = GdsOnSqlite(tmp_path / "s.db")
    first = analyze_gds(store, GdsConfig(), alerts=AlertOptions(score_threshold=5.0))
    ids = [n.network_id for n in store.networks(first.run_id)]
    assert ids == ["net-0001", "net-0002"]  # stable ids in rank order, not "gds-7"
    assert {e.event for e in store.lineage(first.run_id)} == {"new"}
    # the seized community (score 10.4) is new: its shipments raise a network alert
    [alert] = store.alerts()
    assert (alert.kind, alert.subject, first.alerts) == ("network", "net-0001", 1)
    assert set(alert.shipment_ids) == {"shipment:S9", "shipment:S8"}

    # the next day a new shipment joins the seized community; GDS renumbers communities
    real = FakeNeo.read

    def next_day(self: FakeNeo, statement: cypher.Statement, **params: Any) -> list[Any]:
        rows = real(self, statement, **params)
        if statement.name == "gds_members_shipment":
            rows = [*rows, {"community": 7, "id": "shipment:S10"}]
        return rows

    monkeypatch.setattr(FakeNeo, "read", next_day)
    second = analyze_gds(store, GdsConfig(), alerts=AlertOptions(score_threshold=5.0))
    assert [n.network_id for n in store.networks(second.run_id)] == ids
    events = {e.network_id: e.event for e in store.lineage(second.run_id)}
    assert events == {"net-0001": "grown", "net-0002": "quiet"}
    [fresh] = store.alerts(run_id=second.run_id)
    assert fresh.subject == "net-0001" and fresh.shipment_ids == ("shipment:S10",)
    store.close()


def test_gds_refuses_a_window(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["--store", str(tmp_path / "s.db"), "analyze", "--engine", "gds", "--window-days", "90"],
    )
    assert result.exit_code == 2 and "--window-days needs the embedded engine" in result.output
