"""Exact provenance against hand counts of ``casework`` on both stores: SQLite, and the
Neo4j backend over a stand-in driver that answers its statements from the same rows.

The store's own ``provenance`` cites every row of every party that used an identifier
(Huayu's e-mail: five rows); the export cites the rows that hold it (one)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.export import chart_from_network, export_bytes
from graphintel.export.provenance import exact_sources
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.neo4j import Neo4jStore
from graphintel.store.neo4j.loads import shipment_row
from tests.export import casework
from tests.store.test_neo4j_offline import FakeDriver

EMAIL = "email:sales@huayu.example"
NANSHAN = "address:CN||12 NANSHAN RD SHENZHEN"
BAOAN = "address:CN||88 BAOAN RD SHENZHEN"
PHONE = "phone:+8613800000000"
ELM = "address:US|07105|12 ELM ST"
TOKEN = "payment:tok_A"


class ReplayDriver(FakeDriver):
    """Answers the reads exact provenance makes with what a SQLite store holds, in the rows
    the Neo4j backend's statements return."""

    def __init__(self, source: GraphStore) -> None:
        super().__init__()
        self.source = source

    def answer(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        if name.startswith("neighbours_"):
            edges, total = self.source.neighbours(params["id"], params["limit"])
            return [
                {"source": e.source, "target": e.target, "kind": e.kind.value,
                 "weight": e.weight, "props": "{}", "total": total}
                for e in edges
            ]  # fmt: skip
        if name == "shipments_by_id":
            return [{"shipment": shipment_row(s)} for s in self.source.shipments(params["ids"])]
        if name == "provenance_party":
            return [
                {"file_id": p.file_id, "row_number": p.row_number, "load_id": p.load_id}
                for p in self.source.provenance(params["id"], params["limit"])
            ]
        return super().answer(name, params)


@pytest.fixture(scope="module")
def sqlite_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("provenance")) / "case.db")
    casework.build(store)
    yield store
    store.close()


@pytest.fixture(params=["sqlite", "neo4j"])
def store(request: pytest.FixtureRequest, sqlite_store: GraphStore) -> GraphStore:
    if request.param == "sqlite":
        return sqlite_store
    driver = ReplayDriver(sqlite_store)
    return Neo4jStore("neo4j://fake:7687", batch_size=3, driver=driver)  # type: ignore[arg-type]


def _huayu(store: GraphStore) -> str:
    [party] = [n.id for n in store.search("Huayu") if n.id.startswith("party:")]
    return party


def _rows(found: tuple[Any, ...]) -> list[int]:
    return [p.row_number for p in found]


def test_an_identifier_cites_only_the_rows_that_hold_it(
    store: GraphStore, sqlite_store: GraphStore
) -> None:
    huayu = _huayu(sqlite_store)
    assert _rows(tuple(sqlite_store.provenance(EMAIL))) == [2, 3, 4, 5, 8]  # overstated
    exact = exact_sources(store, [EMAIL, NANSHAN, BAOAN, PHONE, ELM, TOKEN, huayu])
    assert _rows(exact.nodes[EMAIL]) == [8]
    assert _rows(exact.nodes[NANSHAN]) == [8]
    assert _rows(exact.nodes[BAOAN]) == [2, 3, 4, 5]
    assert _rows(exact.nodes[PHONE]) == [2, 3, 4, 5, 8]
    assert _rows(exact.nodes[ELM]) == [2, 3, 5, 6, 8]
    assert _rows(exact.nodes[TOKEN]) == [2, 3]
    assert _rows(exact.nodes[huayu]) == [2, 3, 4, 5, 8]  # a party: its mentions' rows
    assert exact.totals[ELM] == 5
    assert {p.file_id for rows in exact.nodes.values() for p in rows} == {casework.FILE}


def test_an_edge_cites_the_rows_that_made_it(store: GraphStore, sqlite_store: GraphStore) -> None:
    huayu = _huayu(sqlite_store)
    [mary] = [n.id for n in sqlite_store.search("Mary Jones") if n.id.startswith("party:")]
    edges = [
        (huayu, "HAS_EMAIL", EMAIL),
        (huayu, "HAS_ADDRESS", BAOAN),
        (mary, "HAS_ADDRESS", ELM),
        ("shipment:S3", "SHIPPED_BY", huayu),
        ("shipment:S2", "PAID_WITH", TOKEN),
    ]
    exact = exact_sources(store, [], edges)
    assert [_rows(exact.edges[e]) for e in edges] == [[8], [2, 3, 4, 5], [3, 6], [4], [3]]


def test_a_limit_keeps_the_first_rows_and_the_total(store: GraphStore) -> None:
    exact = exact_sources(store, [ELM], per_node=2)
    assert _rows(exact.nodes[ELM]) == [2, 3] and exact.totals[ELM] == 5


def test_exports_cite_rows_by_file_name_row_and_load(sqlite_store: GraphStore) -> None:
    run = sqlite_store.latest_run()
    assert run is not None
    [net] = [n for n in sqlite_store.networks(run.run_id) if EMAIL in n.entity_ids]
    chart = chart_from_network(sqlite_store, net.network_id)
    email = chart.node(EMAIL)
    assert email is not None and _rows(email.sources) == [8]
    assert chart.files == {casework.FILE: f"{casework.FILE}.csv"}
    edge = next(e for e in chart.edges if e.target == EMAIL)
    assert _rows(edge.sources) == [8]
    for fmt in ("anx", "svg", "ftm"):
        text = export_bytes(chart, fmt).decode()
        assert f"{casework.FILE}.csv:8@load-{casework.FILE}" in text, fmt
    # GraphML is read back: rows keep the file id, and the file names travel beside them.
    graphml = export_bytes(chart, "graphml").decode()
    assert f"{casework.FILE}:8@load-{casework.FILE}" in graphml and "manifest_a.csv" in graphml
