"""Contract: ``replace_graph_parts`` with one part of tuple rows (the resolver's write)
stores the same graph as records converted by ``node_rows``/``edge_rows`` (what a
migration into Neo4j writes), sums repeated edges, refuses unknown
kinds without touching the stored graph, and keeps untrusted text as data."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.errors import StoreError
from graphintel.model import EdgeKind, NodeKind, Role
from graphintel.records import EdgeRecord, MentionAssignment, MergeEvidence, NodeRecord
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.base import (
    AssignmentRow,
    EdgeRow,
    NodeRow,
    edge_rows,
    node_rows,
    props_json,
)
from graphintel.store.neo4j import Neo4jStore
from graphintel.store.sqlite import graph_write as sqlite_graph_write
from tests.graph_writes import assignment_rows, write_records, write_rows
from tests.store.contract import BACKENDS, graph_snapshot, open_backend
from tests.store.test_contract import load
from tests.store.test_neo4j_offline import FakeDriver

# Text an attacker controls in a manifest: it must come back verbatim, as data.
HOSTILE = "x'); DROP TABLE nodes; -- \"}) DETACH DELETE n // {props}"
PHONE = "phone:+14155550134"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    yield from open_backend(request.param, tmp_path)


def _records() -> tuple[list[NodeRecord], list[EdgeRecord], list[MentionAssignment]]:
    nodes = [
        NodeRecord("shipment:S1", NodeKind.SHIPMENT, "S1", {"declared_value_usd": 12.5}),
        NodeRecord("shipment:S2", NodeKind.SHIPMENT, "S2"),
        NodeRecord(
            "party:p1",
            NodeKind.PARTY,
            HOSTILE,
            {"names": [HOSTILE, "Zhāng Wěi 张伟"], "name_count": 2, "roles": ["consignee"]},
        ),
        NodeRecord(PHONE, NodeKind.PHONE, "+1 415-555-0134", {"raw": ["(415) 555-0134"]}),
        NodeRecord("address:1 main st", NodeKind.ADDRESS, "1 Main St", {"raw": ["1 Main St"]}),
    ]
    edges = [
        EdgeRecord("shipment:S1", "party:p1", EdgeKind.CONSIGNED_TO),
        EdgeRecord("shipment:S2", "party:p1", EdgeKind.CONSIGNED_TO),
        EdgeRecord("party:p1", PHONE, EdgeKind.HAS_PHONE, 2.0, {"note": HOSTILE}),
        EdgeRecord("party:p1", PHONE, EdgeKind.HAS_PHONE, 1.0),  # repeats add up
        EdgeRecord("shipment:S2", "address:1 main st", EdgeKind.DELIVERED_TO),
    ]
    assignments = [
        MentionAssignment("S1", Role.CONSIGNEE, "party:p1", HOSTILE),
        MentionAssignment("S2", Role.CONSIGNEE, "party:p1", "Zhāng Wěi 张伟"),
    ]
    return nodes, edges, assignments


EVIDENCE = [
    MergeEvidence("party:p1", "S1#consignee", "S2#consignee", "name", HOSTILE, "b", 0.9, 2, "r")
]


def _rows() -> tuple[list[NodeRow], list[EdgeRow], list[AssignmentRow]]:
    nodes, edges, assignments = _records()
    return list(node_rows(nodes)), list(edge_rows(edges)), list(assignment_rows(assignments))


def _snapshot(store: GraphStore) -> dict[str, Any]:
    return graph_snapshot(store, ["party:p1"])


def test_rows_and_records_store_the_same_graph(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    nodes, edges, assignments = _records()
    write_records(store, nodes, edges, assignments, EVIDENCE)
    from_records = _snapshot(store)
    write_rows(store, *_rows(), EVIDENCE)
    assert _snapshot(store) == from_records
    [party] = store.nodes(["party:p1"])
    assert party.label == HOSTILE and party.props["names"] == [HOSTILE, "Zhāng Wěi 张伟"]
    [phone] = store.edges_among(["party:p1", PHONE])
    assert phone.weight == 3.0 and phone.props == {"note": HOSTILE}
    assert store.shipment_count() == 2


def test_repeated_edge_rows_add_up_their_weights(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    nodes, _, assignments = _rows()
    repeat: EdgeRow = ("party:p1", "HAS_PHONE", PHONE, 1.5, "{}")
    edges = [repeat, ("shipment:S1", "CONSIGNED_TO", "party:p1", 1.0, "{}")] + [repeat] * 9
    write_rows(store, nodes, edges, assignments, [])
    weights = {(e.source, e.target): e.weight for e in store.edges_among(["party:p1", PHONE])}
    assert weights == {("party:p1", PHONE): 15.0}
    assert store.counts()["edges"] == 2


@pytest.mark.parametrize("bad", ["node", "edge", "mention"])
def test_an_unknown_kind_is_refused_and_the_stored_graph_kept(store: GraphStore, bad: str) -> None:
    load(store, ["S1", "S2"])
    nodes, edges, assignments = _records()
    write_records(store, nodes, edges, assignments, EVIDENCE)
    before = _snapshot(store)
    n_rows, e_rows, a_rows = _rows()
    if bad == "node":
        n_rows.append(("party:p9", "Party) DETACH DELETE (n", "P9", "{}"))
    elif bad == "edge":
        e_rows.append(("party:p1", "has_phone", PHONE, 1.0, "{}"))
    else:
        a_rows.append(("S2", "buyer", "party:p1", "P"))
    with pytest.raises(StoreError, match="unknown kinds"):
        write_rows(store, n_rows, e_rows, a_rows, EVIDENCE)
    assert _snapshot(store) == before


# -- SQLite: the two paths write identical tables ----------------------------------------------
GRAPH_TABLES = {
    "nodes": "SELECT * FROM nodes ORDER BY id",
    "edges": "SELECT * FROM edges ORDER BY source, kind, target",
    "mentions": "SELECT * FROM mentions ORDER BY shipment_id, role",
    "merge_evidence": "SELECT * FROM merge_evidence ORDER BY id",
    "indexes": "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name",
}


def _tables(path: Path) -> dict[str, list[Any]]:
    conn = sqlite3.connect(path)
    try:
        return {name: conn.execute(sql).fetchall() for name, sql in GRAPH_TABLES.items()}
    finally:
        conn.close()


def _sqlite_loaded(path: Path) -> SqliteStore:
    store = SqliteStore(path)
    load(store, ["S1", "S2"])
    return store


def test_sqlite_replace_graph_and_rows_write_identical_tables(tmp_path: Path) -> None:
    by_records = _sqlite_loaded(tmp_path / "records.db")
    by_rows = _sqlite_loaded(tmp_path / "rows.db")
    write_records(by_records, *_records(), EVIDENCE)
    write_rows(by_rows, *_rows(), EVIDENCE)
    by_records.close()
    by_rows.close()
    records_tables = _tables(tmp_path / "records.db")
    assert records_tables == _tables(tmp_path / "rows.db")
    assert len(records_tables["nodes"]) == 5 and len(records_tables["edges"]) == 4


def test_sqlite_sums_repeats_across_write_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A repeat in a later write batch than its first sighting is summed too."""
    monkeypatch.setattr(sqlite_graph_write, "_GRAPH_BATCH", 2)
    store = _sqlite_loaded(tmp_path / "s.db")
    nodes, _, assignments = _rows()
    edges: list[EdgeRow] = [
        ("shipment:S1", "CONSIGNED_TO", "party:p1", 1.0, "{}"),
        ("party:p1", "HAS_PHONE", PHONE, 1.0, "{}"),
        ("shipment:S2", "CONSIGNED_TO", "party:p1", 1.0, "{}"),
        ("party:p1", "HAS_PHONE", PHONE, 2.0, "{}"),  # repeat in the second batch
        ("party:p1", "HAS_PHONE", PHONE, 4.0, "{}"),  # and in the third
    ]
    write_rows(store, nodes, edges, assignments, [])
    weights = {(e.source, e.kind, e.target): e.weight for b in store.iter_edges() for e in b}
    assert weights == {
        ("shipment:S1", EdgeKind.CONSIGNED_TO, "party:p1"): 1.0,
        ("shipment:S2", EdgeKind.CONSIGNED_TO, "party:p1"): 1.0,
        ("party:p1", EdgeKind.HAS_PHONE, PHONE): 7.0,
    }
    store.close()


def test_props_json_falls_back_for_what_orjson_refuses() -> None:
    assert props_json({}) == "{}"
    assert props_json({"a": [1, "é"]}) == '{"a":[1,"é"]}'
    # non-string keys, as json.dumps writes them
    assert props_json({1: "x"}) == '{"1": "x"}'  # type: ignore[dict-item]
    assert props_json({"big": 2**70}) == '{"big": 1180591620717411303424}'
    assert props_json({"lone": "\ud800"}) == '{"lone": "\\ud800"}'  # a lone surrogate


# -- Neo4j, without a server: the recording stand-in for the driver ------------------------------
def _fake_neo4j() -> tuple[Neo4jStore, FakeDriver]:
    driver = FakeDriver()
    store = Neo4jStore("neo4j://fake:7687", batch_size=2, driver=driver)  # type: ignore[arg-type]
    driver.calls.clear()
    return store, driver


def test_neo4j_rows_and_records_send_the_same_statements_and_parameters() -> None:
    by_records, records_driver = _fake_neo4j()
    write_records(by_records, *_records(), EVIDENCE)
    by_rows, rows_driver = _fake_neo4j()
    write_rows(by_rows, *_rows(), EVIDENCE)
    assert rows_driver.calls == records_driver.calls
    sent = [p for name, p in rows_driver.calls if name == "node_write_party"]
    assert sent[0]["rows"][0]["label"] == HOSTILE  # a parameter, never statement text


def test_neo4j_an_unknown_kind_removes_the_staged_generation_unpublished() -> None:
    store, driver = _fake_neo4j()
    nodes, edges, assignments = _rows()
    edges.append(("party:p1", "HAS_PHONE]->() DETACH DELETE (n", PHONE, 1.0, "{}"))
    with pytest.raises(StoreError, match="unknown kinds"):
        write_rows(store, nodes, edges, assignments, [])
    names = driver.names()
    assert "graph_flip" not in names
    assert [p["gen"] for n, p in driver.calls if n == "graph_forget_gen"] == [2]
