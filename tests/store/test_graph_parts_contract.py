"""Contract: ``replace_graph_parts``, one atomic graph swap fed by ordered parts (the part
that needs no entity resolution first, the parties after it), stores the same graph as one
part holding it all, sums edges repeated across parts, keeps evidence order, takes
each part only after the previous one is written, and leaves the old graph on any error."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.errors import StoreError
from graphintel.records import MergeEvidence
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.base import AssignmentRow, EdgeRow, GraphPart, NodeRow, props_json
from graphintel.store.neo4j import Neo4jStore
from graphintel.store.sqlite import graph_write as sqlite_graph_write
from tests.graph_writes import write_rows
from tests.store.contract import BACKENDS, graph_snapshot, open_backend
from tests.store.test_contract import load
from tests.store.test_graph_rows_contract import _tables
from tests.store.test_neo4j_offline import FakeDriver

PHONE = "phone:+14155550134"
ADDRESS = "address:1 main st"
PARTIES = ("party:p1", "party:p2")

# Part 1: what needs no entity resolution: shipments, identifiers, the edges between them.
P1_NODES: list[NodeRow] = [
    ("shipment:S1", "Shipment", "S1", props_json({"declared_value_usd": 12.5})),
    ("shipment:S2", "Shipment", "S2", "{}"),
    (PHONE, "Phone", "+1 415-555-0134", props_json({"raw": ["(415) 555-0134"]})),
    (ADDRESS, "Address", "1 Main St", props_json({"raw": ["1 Main St"]})),
]
P1_EDGES: list[EdgeRow] = [
    ("shipment:S1", "DELIVERED_TO", ADDRESS, 1.0, "{}"),
    ("shipment:S2", "DELIVERED_TO", ADDRESS, 1.0, props_json({"note": "first"})),
]
# Part 2: the parties, edges between them and part-1 nodes (both directions), mentions,
# merge evidence.
P2_NODES: list[NodeRow] = [
    ("party:p1", "Party", "Zhāng Wěi 张伟", props_json({"names": ["Zhāng Wěi 张伟"]})),
    ("party:p2", "Party", "ACME", props_json({"names": ["ACME"]})),
]
P2_EDGES: list[EdgeRow] = [
    ("shipment:S1", "CONSIGNED_TO", "party:p1", 1.0, "{}"),
    ("shipment:S2", "CONSIGNED_TO", "party:p1", 1.0, "{}"),
    ("shipment:S2", "SHIPPED_BY", "party:p2", 1.0, "{}"),
    ("party:p1", "HAS_PHONE", PHONE, 2.0, "{}"),
    ("party:p2", "HAS_ADDRESS", ADDRESS, 1.0, "{}"),
]
P2_ASSIGNMENTS: list[AssignmentRow] = [
    ("S1", "consignee", "party:p1", "Zhāng Wěi 张伟"),
    ("S2", "consignee", "party:p1", "Zhang Wei"),
    ("S2", "shipper", "party:p2", "ACME"),
]
P2_EVIDENCE = [
    MergeEvidence(
        "party:p1", "S1#consignee", "S2#consignee", "name", "Zhāng", "Zhang", 0.9, 2, "a"
    ),
    MergeEvidence("party:p1", "S1#consignee", "S2#consignee", "phone", "x", "x", 1.0, 3, "b"),
    MergeEvidence("party:p2", "S2#shipper", "S2#shipper", "name", "ACME", "ACME", 1.0, 1, "c"),
]


def edges_into_address(store: GraphStore) -> dict[tuple[str, str], tuple[float, Any]]:
    """Weight and props of every edge into ``ADDRESS``, by (source, target)."""
    return {
        (e.source, e.target): (e.weight, e.props)
        for b in store.iter_edges()
        for e in b
        if e.target == ADDRESS
    }


def _two_parts() -> list[GraphPart]:
    return [
        GraphPart(P1_NODES, P1_EDGES, [], []),
        GraphPart(P2_NODES, P2_EDGES, P2_ASSIGNMENTS, P2_EVIDENCE),
    ]


def _one_call(store: GraphStore) -> None:
    write_rows(store, P1_NODES + P2_NODES, P1_EDGES + P2_EDGES, P2_ASSIGNMENTS, P2_EVIDENCE)


def _snapshot(store: GraphStore) -> dict[str, Any]:
    return graph_snapshot(store, PARTIES)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """SQLite, and Neo4j when NEO4J_URI names a server; shipments S1 and S2 loaded."""
    for s in open_backend(request.param, tmp_path):
        load(s, ["S1", "S2"])
        yield s


def _fake_neo4j() -> tuple[Neo4jStore, FakeDriver]:
    driver = FakeDriver()
    store = Neo4jStore("neo4j://fake:7687", batch_size=2, driver=driver)  # type: ignore[arg-type]
    driver.calls.clear()
    return store, driver


@pytest.fixture(params=[*BACKENDS, "fake-neo4j"])
def writer(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """Every backend that can take a write, the offline Neo4j stand-in included."""
    if request.param == "fake-neo4j":
        yield _fake_neo4j()[0]
        return
    for s in open_backend(request.param, tmp_path):
        load(s, ["S1", "S2"])
        yield s


# -- (a) two parts store what one call stores ---------------------------------------------------
def test_two_parts_store_the_same_graph_as_one_call(store: GraphStore) -> None:
    _one_call(store)
    one_call = _snapshot(store)
    write_rows(store, [], [], [], [])
    assert _snapshot(store)["nodes"] == []
    store.replace_graph_parts(_two_parts())
    assert _snapshot(store) == one_call
    assert len(one_call["nodes"]) == 6 and len(one_call["edges"]) == 7
    assert one_call["evidence"]["party:p1"] == P2_EVIDENCE[:2]
    assert one_call["evidence"]["party:p2"] == P2_EVIDENCE[2:]
    [phone] = store.edges_among(["party:p1", PHONE])
    assert phone.weight == 2.0


def test_evidence_keeps_its_order_across_parts(store: GraphStore) -> None:
    first, second, third = P2_EVIDENCE[1], P2_EVIDENCE[0], P2_EVIDENCE[2]
    store.replace_graph_parts(
        [
            GraphPart(P1_NODES + P2_NODES, [], [], [first]),
            GraphPart([], P1_EDGES, [], []),
            GraphPart([], P2_EDGES, P2_ASSIGNMENTS, [second, third]),
        ]
    )
    assert store.merge_evidence("party:p1") == [first, second]
    assert store.merge_evidence("party:p2") == [third]


# -- (b) an edge repeated across parts -----------------------------------------------------------
def test_an_edge_repeated_in_both_parts_has_the_summed_weight(store: GraphStore) -> None:
    repeat: EdgeRow = ("shipment:S2", "DELIVERED_TO", ADDRESS, 2.5, "{}")
    store.replace_graph_parts(
        [
            GraphPart(P1_NODES, P1_EDGES, [], []),
            GraphPart(P2_NODES, [*P2_EDGES, repeat, repeat], P2_ASSIGNMENTS, []),
        ]
    )
    assert edges_into_address(store) == {
        ("shipment:S1", ADDRESS): (1.0, {}),
        ("shipment:S2", ADDRESS): (6.0, {"note": "first"}),  # the first sighting's props
        ("party:p2", ADDRESS): (1.0, {}),
    }
    assert store.counts()["edges"] == 7


# -- (c) parts are taken lazily, one after the other ---------------------------------------------
class Recorded:
    """An iterable that logs each row handed out and when it ran dry."""

    def __init__(self, name: str, rows: Iterable[Any], log: list[str]) -> None:
        self.name, self.rows, self.log = name, list(rows), log

    def __iter__(self) -> Iterator[Any]:
        for row in self.rows:
            self.log.append(self.name)
            yield row
        self.log.append(f"{self.name} done")


def test_the_next_part_is_asked_for_only_after_the_previous_one_is_written(
    writer: GraphStore,
) -> None:
    log: list[str] = []

    def parts() -> Iterator[GraphPart]:
        log.append("part 1")
        yield GraphPart(
            Recorded("p1 nodes", P1_NODES, log),
            Recorded("p1 edges", P1_EDGES, log),
            Recorded("p1 assignments", [], log),
            Recorded("p1 evidence", [], log),
        )
        log.append("part 2")
        yield GraphPart(
            Recorded("p2 nodes", P2_NODES, log),
            Recorded("p2 edges", P2_EDGES, log),
            Recorded("p2 assignments", P2_ASSIGNMENTS, log),
            Recorded("p2 evidence", P2_EVIDENCE, log),
        )
        log.append("no more parts")

    writer.replace_graph_parts(parts())
    sizes = [
        ("part 1", -1),
        ("p1 nodes", len(P1_NODES)),
        ("p1 edges", len(P1_EDGES)),
        ("p1 assignments", 0),
        ("p1 evidence", 0),
        ("part 2", -1),
        ("p2 nodes", len(P2_NODES)),
        ("p2 edges", len(P2_EDGES)),
        ("p2 assignments", len(P2_ASSIGNMENTS)),
        ("p2 evidence", len(P2_EVIDENCE)),
    ]
    expected: list[str] = []
    for name, size in sizes:
        expected += [name] if size < 0 else [name] * size + [f"{name} done"]
    expected.append("no more parts")
    assert log == expected


# -- (d) an error while producing a part leaves the old graph ------------------------------------
def _failing_parts(where: str) -> Iterator[GraphPart]:
    def broken_edges() -> Iterator[EdgeRow]:
        yield P2_EDGES[0]
        raise RuntimeError("resolution failed")

    yield GraphPart(P1_NODES, P1_EDGES, [], [])
    if where == "parts":
        raise RuntimeError("resolution failed")
    yield GraphPart(P2_NODES, broken_edges(), P2_ASSIGNMENTS, P2_EVIDENCE)


@pytest.mark.parametrize("where", ["parts", "edges of part 2"])
def test_an_error_producing_a_part_propagates_and_keeps_the_old_graph(
    store: GraphStore, where: str
) -> None:
    _one_call(store)
    before = _snapshot(store)
    with pytest.raises(RuntimeError, match="resolution failed"):
        store.replace_graph_parts(_failing_parts(where))
    assert _snapshot(store) == before
    assert before["evidence"]["party:p1"] == P2_EVIDENCE[:2]


# -- (e) an unknown kind in a later part ---------------------------------------------------------
def test_an_unknown_node_kind_in_part_2_is_refused_and_the_old_graph_kept(
    store: GraphStore,
) -> None:
    _one_call(store)
    before = _snapshot(store)
    bad_nodes = [*P2_NODES, ("party:p9", "Party) DETACH DELETE (n", "P9", "{}")]
    with pytest.raises(StoreError, match="unknown kinds"):
        store.replace_graph_parts(
            [
                GraphPart(P1_NODES, P1_EDGES, [], []),
                GraphPart(bad_nodes, P2_EDGES, P2_ASSIGNMENTS, P2_EVIDENCE),
            ]
        )
    assert _snapshot(store) == before


# -- SQLite: parts and one call write identical tables -------------------------------------------
def test_sqlite_parts_and_one_call_write_identical_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_graph_write, "_GRAPH_BATCH", 2)  # parts split across write batches
    by_parts, by_call = SqliteStore(tmp_path / "parts.db"), SqliteStore(tmp_path / "call.db")
    for s in (by_parts, by_call):
        load(s, ["S1", "S2"])
    by_parts.replace_graph_parts(_two_parts())
    _one_call(by_call)
    by_parts.close()
    by_call.close()
    parts_tables = _tables(tmp_path / "parts.db")
    assert parts_tables == _tables(tmp_path / "call.db")
    assert [row[0] for row in parts_tables["merge_evidence"]] == [1, 2, 3]
    assert parts_tables["indexes"]  # the secondary indexes are rebuilt after the last part


# -- Neo4j, without a server: what the recording stand-in for the driver receives ---------------
def _rows_by_statement(driver: FakeDriver) -> dict[str, list[Any]]:
    sent: dict[str, list[Any]] = {}
    for name, params in driver.calls:
        if "rows" in params:
            sent.setdefault(name, []).extend(params["rows"])
    return sent


def test_neo4j_two_parts_send_one_call_s_rows_to_one_generation() -> None:
    by_parts, parts_driver = _fake_neo4j()
    by_parts.replace_graph_parts(_two_parts())
    by_call, call_driver = _fake_neo4j()
    _one_call(by_call)
    assert _rows_by_statement(parts_driver) == _rows_by_statement(call_driver)
    names = parts_driver.names()
    assert names.count("graph_begin") == 1 and names.count("graph_flip") == 1
    assert names.index("graph_flip") > max(i for i, n in enumerate(names) if "write" in n)
    assert {p["gen"] for n, p in parts_driver.calls if "write" in n} == {2}
    seqs = [r["seq"] for r in _rows_by_statement(parts_driver)["evidence_write"]]
    assert seqs == [1, 2, 3]
    # part 1's edges are sent before part 2's nodes: parts are written in order
    assert names.index("edge_write_delivered_to") < names.index("node_write_party")


def test_neo4j_evidence_seq_continues_across_parts() -> None:
    store, driver = _fake_neo4j()
    store.replace_graph_parts(
        [GraphPart([], [], [], P2_EVIDENCE[:1]), GraphPart([], [], [], P2_EVIDENCE[1:])]
    )
    rows = _rows_by_statement(driver)["evidence_write"]
    assert [(r["seq"], r["rule"]) for r in rows] == [(1, "a"), (2, "b"), (3, "c")]


@pytest.mark.parametrize("where", ["parts", "edges of part 2", "unknown kind"])
def test_neo4j_a_failing_part_removes_the_staged_generation_unpublished(where: str) -> None:
    store, driver = _fake_neo4j()
    if where == "unknown kind":
        bad = [*P2_NODES, ("party:p9", "Party) DETACH DELETE (n", "P9", "{}")]
        parts: Iterable[GraphPart] = [
            GraphPart(P1_NODES, P1_EDGES, [], []),
            GraphPart(bad, [], [], []),
        ]
        expected: type[Exception] = StoreError
    else:
        parts, expected = _failing_parts(where), RuntimeError
    with pytest.raises(expected):
        store.replace_graph_parts(parts)
    names = driver.names()
    assert "node_write_shipment" in names  # part 1 was staged ...
    assert "graph_flip" not in names  # ... never published ...
    assert [p["gen"] for n, p in driver.calls if n == "graph_forget_gen"] == [2]  # ... and removed


def test_sqlite_indexes_come_back_after_each_table_s_first_part(tmp_path: Path) -> None:
    """Nodes and edges are indexed after part 1, mentions and evidence after part 2, before
    part 3 is asked for; part 3's rows reach the indexes too (queries through them see
    every row, and the database passes its integrity check)."""
    store = SqliteStore(tmp_path / "s.db")
    load(store, ["S1", "S2"])
    conn = sqlite3.connect(tmp_path / "s.db")  # a reader: sees the committed schema only
    indexed_when_asked: list[set[str]] = []

    def indexes() -> set[str]:
        rows = store._conn().execute("SELECT tbl_name FROM sqlite_master WHERE type = 'index'")
        return {r[0] for r in rows if r[0] in {"nodes", "edges", "mentions", "merge_evidence"}}

    def parts() -> Iterator[GraphPart]:
        yield GraphPart(P1_NODES, P1_EDGES, [], [])
        indexed_when_asked.append(indexes())
        yield GraphPart([], [], P2_ASSIGNMENTS, P2_EVIDENCE)
        indexed_when_asked.append(indexes())
        yield GraphPart(P2_NODES, P2_EDGES, [], [])

    store.replace_graph_parts(parts())
    assert indexed_when_asked[0] == {"nodes", "edges"}
    assert indexed_when_asked[1] >= {"nodes", "edges", "mentions"}
    by_label = conn.execute(
        "SELECT id FROM nodes INDEXED BY nodes_by_label WHERE label = 'ACME' COLLATE NOCASE"
    ).fetchall()
    assert by_label == [("party:p2",)]
    by_target = conn.execute(
        "SELECT source FROM edges INDEXED BY edges_by_target WHERE target = 'party:p1'"
        " ORDER BY source"
    ).fetchall()
    assert by_target == [("shipment:S1",), ("shipment:S2",)]
    assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    conn.close()
    store.close()
