"""Staged graph rows (store/staging.py): rows staged in a scratch SQLite file by another
process come back in order, and a ``GraphPart`` made of them (the SQLite store copies the
staged table in one ``INSERT ... SELECT``, other stores iterate it) stores exactly the
graph the same plain rows store: kinds checked, repeated edges summed, evidence order and
ids kept, the old graph left on error, no staging database left attached."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from graphintel.errors import StoreError
from graphintel.records import MergeEvidence
from graphintel.store import GraphStore, SqliteStore, staging
from graphintel.store.base import AssignmentRow, EdgeRow, GraphPart, NodeRow, props_json
from graphintel.store.sqlite import graph_write as sqlite_graph_write
from graphintel.store.staging import STAGED_COLUMNS, StagedRows, StagingFile
from tests.graph_writes import write_rows
from tests.store.contract import BACKENDS, open_backend
from tests.store.test_contract import load
from tests.store.test_graph_parts_contract import (
    ADDRESS,
    P1_EDGES,
    P1_NODES,
    P2_ASSIGNMENTS,
    P2_EDGES,
    P2_EVIDENCE,
    P2_NODES,
    PHONE,
    _fake_neo4j,
    _one_call,
    _rows_by_statement,
    _snapshot,
    edges_into_address,
)
from tests.store.test_graph_rows_contract import _tables

# A directory name that is not a plain URI path ("#" and "?" end it, "%" escapes) nor a
# plain SQL literal ("'").
ODD_DIR = "it's #1 ?x=%41 dir"
# Text an attacker controls: it must come back verbatim, as data, through both paths.
HOSTILE = "x'); DROP TABLE nodes; -- \"}) DETACH DELETE n // {props}"
UNICODE = 'Zhāng Wěi 张伟 — Ñandú \u200b 🚢📦 O\'Brien "quoted"'


def _evidence_row(e: MergeEvidence) -> tuple[Any, ...]:
    """The staged row of a piece of evidence, by ``STAGED_COLUMNS``' column names."""
    return tuple(getattr(e, column) for column in STAGED_COLUMNS["merge_evidence"])


def _stage(path: Path, **tables: Sequence[Any]) -> dict[str, StagedRows[Any]]:
    """Stage each of ``tables`` in one staging file at ``path``, as the resolver does."""
    file = StagingFile(str(path))
    staged: dict[str, StagedRows[Any]] = {}
    for table, rows in tables.items():
        stager = file.table(table)
        if table == "merge_evidence":
            rows = [_evidence_row(e) for e in rows]
        stager.extend(rows)
        staged[table] = stager.finish()
    file.close()
    return staged


def _attached(store: SqliteStore) -> list[str]:
    return [row[1] for row in store._conn().execute("PRAGMA database_list")]


def _open_by_this_process(path: Path) -> bool:
    fds = "/proc/self/fd"
    targets = (os.path.realpath(os.path.join(fds, fd)) for fd in os.listdir(fds))
    return os.path.realpath(path) in set(targets)


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    """SQLite, and Neo4j when NEO4J_URI names a server; shipments S1 and S2 loaded."""
    for s in open_backend(request.param, tmp_path):
        load(s, ["S1", "S2"])
        yield s


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqliteStore]:
    s = SqliteStore(tmp_path / "store.db")
    load(s, ["S1", "S2"])
    yield s
    s.close()


# -- (a) staged rows come back in order ----------------------------------------------------------
@pytest.mark.parametrize("directory", ["plain", ODD_DIR])
def test_staged_rows_come_back_in_staged_order_across_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory: str
) -> None:
    monkeypatch.setattr(staging, "_BATCH", 2)
    (tmp_path / directory).mkdir()
    path = tmp_path / directory / "party.db"
    file = StagingFile(str(path))
    nodes = file.table("nodes")
    nodes.append(P2_NODES[1])  # staged order, not key order
    nodes.extend([*P1_NODES[:3], P2_NODES[0]])
    evidence = file.table("merge_evidence")
    evidence.extend(_evidence_row(e) for e in reversed(P2_EVIDENCE))
    empty = file.table("mentions")
    # Full batches are already in the file before finish: 5 nodes, two batches of 2.
    peek = sqlite3.connect(path)
    assert peek.execute("SELECT count(*) FROM nodes").fetchone() == (4,)
    peek.close()
    staged_nodes, staged_evidence, staged_empty = nodes.finish(), evidence.finish(), empty.finish()
    file.close()

    assert list(staged_nodes) == [P2_NODES[1], *P1_NODES[:3], P2_NODES[0]]
    assert list(staged_nodes) == list(staged_nodes)  # iterable again, each time from the start
    assert staged_nodes.count == len(staged_nodes) == 5
    assert list(staged_evidence) == list(reversed(P2_EVIDENCE))
    assert all(type(e) is MergeEvidence for e in staged_evidence)
    assert len(staged_evidence) == 3
    assert list(staged_empty) == [] and len(staged_empty) == 0
    assert (staged_nodes.path, staged_nodes.table) == (str(path), "nodes")


# -- (b) staged parts store the graph plain rows store -------------------------------------------
def _layout(name: str, tmp_path: Path) -> list[GraphPart]:
    """The two parts of ``test_graph_parts_contract`` with some tables staged."""
    if name == "party half staged, evidence from two files":
        party = _stage(
            tmp_path / "party.db",
            nodes=P2_NODES,
            edges=P2_EDGES,
            mentions=P2_ASSIGNMENTS,
            merge_evidence=P2_EVIDENCE[1:],
        )
        first = _stage(tmp_path / "evidence.db", merge_evidence=P2_EVIDENCE[:1])
        return [
            GraphPart(P1_NODES, P1_EDGES, [], first["merge_evidence"]),
            GraphPart(party["nodes"], party["edges"], party["mentions"], party["merge_evidence"]),
        ]
    if name == "staged and plain in one part":
        party = _stage(tmp_path / "party.db", nodes=P2_NODES, mentions=P2_ASSIGNMENTS)
        return [
            GraphPart(P1_NODES, P1_EDGES, [], []),
            GraphPart(party["nodes"], P2_EDGES, party["mentions"], P2_EVIDENCE),
        ]
    assert name == "shipment half staged, evidence split"
    shipments = _stage(
        tmp_path / "shipments.db",
        nodes=P1_NODES,
        edges=P1_EDGES,
        merge_evidence=P2_EVIDENCE[:2],
    )
    return [
        GraphPart(shipments["nodes"], shipments["edges"], [], shipments["merge_evidence"]),
        GraphPart(P2_NODES, P2_EDGES, P2_ASSIGNMENTS, P2_EVIDENCE[2:]),
    ]


LAYOUTS = [
    "party half staged, evidence from two files",
    "staged and plain in one part",
    "shipment half staged, evidence split",
]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_staged_parts_store_the_same_graph_as_plain_rows(
    store: GraphStore, tmp_path: Path, layout: str
) -> None:
    _one_call(store)
    plain = _snapshot(store)
    write_rows(store, [], [], [], [])
    store.replace_graph_parts(_layout(layout, tmp_path))
    assert _snapshot(store) == plain
    assert len(plain["nodes"]) == 6 and len(plain["edges"]) == 7
    assert plain["evidence"]["party:p1"] == P2_EVIDENCE[:2]
    [phone] = store.edges_among(["party:p1", PHONE])
    assert phone.weight == 2.0


@pytest.mark.parametrize("layout", LAYOUTS)
def test_sqlite_staged_parts_write_identical_tables(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    """Row for row, evidence ids continuing across parts, indexes rebuilt."""
    monkeypatch.setattr(staging, "_BATCH", 2)
    monkeypatch.setattr(sqlite_graph_write, "_GRAPH_BATCH", 2)
    by_staged, by_rows = SqliteStore(tmp_path / "staged.db"), SqliteStore(tmp_path / "rows.db")
    for s in (by_staged, by_rows):
        load(s, ["S1", "S2"])
    by_staged.replace_graph_parts(_layout(layout, tmp_path))
    _one_call(by_rows)
    assert _attached(by_staged) == ["main"]
    by_staged.close()
    by_rows.close()
    staged_tables = _tables(tmp_path / "staged.db")
    assert staged_tables == _tables(tmp_path / "rows.db")
    assert [row[0] for row in staged_tables["merge_evidence"]] == [1, 2, 3]
    assert staged_tables["indexes"]


@pytest.mark.parametrize("layout", LAYOUTS)
def test_neo4j_staged_parts_send_the_rows_plain_parts_send(tmp_path: Path, layout: str) -> None:
    by_staged, staged_driver = _fake_neo4j()
    by_staged.replace_graph_parts(_layout(layout, tmp_path))
    by_rows, rows_driver = _fake_neo4j()
    _one_call(by_rows)
    sent = _rows_by_statement(staged_driver)
    assert sent == _rows_by_statement(rows_driver)
    assert [r["seq"] for r in sent["evidence_write"]] == [1, 2, 3]
    assert staged_driver.names().count("graph_flip") == 1


# -- (c) a repeated edge, staged and plain, adds up ----------------------------------------------
@pytest.mark.parametrize("staged_part", [1, 2])
def test_an_edge_repeated_in_a_staged_table_and_a_plain_part_is_summed(
    store: GraphStore, tmp_path: Path, staged_part: int
) -> None:
    repeat: EdgeRow = ("shipment:S2", "DELIVERED_TO", ADDRESS, 2.5, "{}")
    first_edges: list[EdgeRow] = [*P1_EDGES, repeat]  # first sighting: note "first", 1.0
    second_edges: list[EdgeRow] = [*P2_EDGES, repeat, repeat]
    if staged_part == 1:
        edges_1: Iterable[EdgeRow] = _stage(tmp_path / "s.db", edges=first_edges)["edges"]
        edges_2: Iterable[EdgeRow] = second_edges
    else:
        edges_1, edges_2 = first_edges, _stage(tmp_path / "s.db", edges=second_edges)["edges"]
    store.replace_graph_parts(
        [
            GraphPart(P1_NODES, edges_1, [], []),
            GraphPart(P2_NODES, edges_2, P2_ASSIGNMENTS, []),
        ]
    )
    assert edges_into_address(store) == {
        ("shipment:S1", ADDRESS): (1.0, {}),
        ("shipment:S2", ADDRESS): (8.5, {"note": "first"}),
        ("party:p2", ADDRESS): (1.0, {}),
    }
    assert store.counts()["edges"] == 7


# -- (d) an unknown kind in a staged table -------------------------------------------------------
BAD = {
    "nodes": ("party:p9", "Party) DETACH DELETE (n", "P9", "{}"),
    "edges": ("party:p1", "has_phone", PHONE, 1.0, "{}"),
    "mentions": ("S2", "buyer'; --", "party:p1", "P"),
}


def _bad_party(tmp_path: Path, table: str) -> GraphPart:
    rows: dict[str, list[Any]] = {
        "nodes": list(P2_NODES),
        "edges": list(P2_EDGES),
        "mentions": list(P2_ASSIGNMENTS),
    }
    rows[table].insert(1, BAD[table])
    party = _stage(tmp_path / "party.db", **rows)
    return GraphPart(party["nodes"], party["edges"], party["mentions"], P2_EVIDENCE)


@pytest.mark.parametrize("table", BAD)
def test_an_unknown_kind_in_a_staged_table_is_refused_and_the_old_graph_kept(
    sqlite: SqliteStore, tmp_path: Path, table: str
) -> None:
    _one_call(sqlite)
    before = _snapshot(sqlite)
    evidence = _stage(tmp_path / "evidence.db", merge_evidence=P2_EVIDENCE)  # attached first
    parts = [GraphPart(P1_NODES, P1_EDGES, [], evidence["merge_evidence"])]
    with pytest.raises(StoreError, match="unknown kinds") as refused:
        sqlite.replace_graph_parts([*parts, _bad_party(tmp_path, table)])
    assert repr(BAD[table][1]) in str(refused.value)
    assert _snapshot(sqlite) == before
    assert _attached(sqlite) == ["main"]
    if os.path.isdir("/proc/self/fd"):
        assert not _open_by_this_process(tmp_path / "party.db")
    os.remove(tmp_path / "party.db")
    os.remove(tmp_path / "evidence.db")
    # The next staged write attaches afresh and succeeds.
    sqlite.replace_graph_parts(_layout("party half staged, evidence from two files", tmp_path))
    assert _snapshot(sqlite) == before
    assert _attached(sqlite) == ["main"]
    if os.path.isdir("/proc/self/fd"):
        assert not _open_by_this_process(tmp_path / "party.db")
    os.remove(tmp_path / "party.db")


@pytest.mark.parametrize("table", BAD)
def test_neo4j_an_unknown_kind_in_a_staged_table_is_refused_unpublished(
    tmp_path: Path, table: str
) -> None:
    store, driver = _fake_neo4j()
    with pytest.raises(StoreError, match="unknown kinds"):
        store.replace_graph_parts(
            [GraphPart(P1_NODES, P1_EDGES, [], []), _bad_party(tmp_path, table)]
        )
    assert "graph_flip" not in driver.names()


def test_a_failing_part_after_a_staged_one_detaches_the_staging_file(
    sqlite: SqliteStore, tmp_path: Path
) -> None:
    _one_call(sqlite)
    before = _snapshot(sqlite)
    staged = _stage(tmp_path / "shipments.db", nodes=P1_NODES, edges=P1_EDGES)

    def parts() -> Iterator[GraphPart]:
        yield GraphPart(staged["nodes"], staged["edges"], [], [])
        raise RuntimeError("resolution failed")

    with pytest.raises(RuntimeError, match="resolution failed"):
        sqlite.replace_graph_parts(parts())
    assert _snapshot(sqlite) == before
    assert _attached(sqlite) == ["main"]
    os.remove(tmp_path / "shipments.db")


def test_sqlite_staged_rows_of_another_table_are_refused(
    sqlite: SqliteStore, tmp_path: Path
) -> None:
    """The SQLite store copies a staged table by its own name, which must be the table of
    its place in the part: another store would read the rows as that table's."""
    _one_call(sqlite)
    before = _snapshot(sqlite)
    staged = _stage(tmp_path / "party.db", nodes=P2_NODES)
    with pytest.raises(StoreError, match="staged nodes rows given as edges"):
        sqlite.replace_graph_parts(
            [GraphPart(P1_NODES, P1_EDGES, [], []), GraphPart([], staged["nodes"], [], [])]
        )
    assert _snapshot(sqlite) == before
    assert _attached(sqlite) == ["main"]


# -- (e) what a staging file refuses -------------------------------------------------------------
def test_a_staging_file_refuses_unknown_and_repeated_tables(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    file = StagingFile(str(path))
    for name in ("shipments", "nodes; DROP TABLE x", "Nodes"):
        with pytest.raises(StoreError, match="cannot stage rows"):
            file.table(name)
    nodes = file.table("nodes")
    nodes.extend(P1_NODES)
    with pytest.raises(StoreError, match="already stages nodes"):
        file.table("nodes")
    staged = nodes.finish()
    file.close()
    again = StagingFile(str(path))  # reopened: the table is still there
    with pytest.raises(StoreError, match="already stages nodes"):
        again.table("nodes")
    again.close()
    assert list(staged) == P1_NODES and len(staged) == len(P1_NODES)


# -- (f) untrusted text is data ------------------------------------------------------------------
HOSTILE_NODES: list[NodeRow] = [
    ("party:p1", "Party", HOSTILE, props_json({"names": [HOSTILE, UNICODE]})),
    ("party:p2", "Party", UNICODE, props_json({"names": [UNICODE], "q": "'\"`"})),
]
HOSTILE_EDGES: list[EdgeRow] = [
    ("shipment:S1", "CONSIGNED_TO", "party:p1", 1.0, props_json({"note": HOSTILE})),
    ("shipment:S2", "SHIPPED_BY", "party:p2", 1.0, props_json({"note": UNICODE})),
    ("party:p1", "HAS_PHONE", PHONE, 2.0, "{}"),
]
HOSTILE_ASSIGNMENTS: list[AssignmentRow] = [
    ("S1", "consignee", "party:p1", HOSTILE),
    ("S2", "shipper", "party:p2", UNICODE),
]
HOSTILE_EVIDENCE = [
    MergeEvidence(
        "party:p1", "S1#consignee", "S2#consignee", "name", HOSTILE, UNICODE, 0.5, 1, "'"
    ),
    MergeEvidence("party:p2", "S2#shipper", "S2#shipper", HOSTILE, "'", '"', 1.0, 2, UNICODE),
]


def _hostile_parts(tmp_path: Path, staged: bool) -> list[GraphPart]:
    part_2 = GraphPart(HOSTILE_NODES, HOSTILE_EDGES, HOSTILE_ASSIGNMENTS, HOSTILE_EVIDENCE)
    if staged:
        (tmp_path / ODD_DIR).mkdir(exist_ok=True)
        rows = _stage(
            tmp_path / ODD_DIR / "party.db",
            nodes=HOSTILE_NODES,
            edges=HOSTILE_EDGES,
            mentions=HOSTILE_ASSIGNMENTS,
            merge_evidence=HOSTILE_EVIDENCE,
        )
        part_2 = GraphPart(*rows.values())
    return [GraphPart(P1_NODES, [], [], []), part_2]


def _hostile_snapshot(store: GraphStore) -> dict[str, Any]:
    return {
        "nodes": store.nodes(["party:p1", "party:p2"]),
        "edges": sorted(
            store.edges_among(["shipment:S1", "shipment:S2", "party:p1", PHONE]),
            key=lambda e: (e.source, e.kind, e.target),
        ),
        "mentions": [m for b in store.iter_mentions() for m in b],
        "evidence": [store.merge_evidence(p) for p in ("party:p1", "party:p2")],
    }


def test_untrusted_text_round_trips_through_staged_and_plain_parts(
    store: GraphStore, tmp_path: Path
) -> None:
    store.replace_graph_parts(_hostile_parts(tmp_path, staged=False))
    plain = _hostile_snapshot(store)
    write_rows(store, [], [], [], [])
    store.replace_graph_parts(_hostile_parts(tmp_path, staged=True))
    assert _hostile_snapshot(store) == plain
    labels = {n.id: (n.label, n.props) for n in plain["nodes"]}
    assert labels["party:p1"] == (HOSTILE, {"names": [HOSTILE, UNICODE]})
    assert labels["party:p2"] == (UNICODE, {"names": [UNICODE], "q": "'\"`"})
    assert {e.props.get("note") for e in plain["edges"]} >= {HOSTILE}
    assert [m.name for m in plain["mentions"]] == [HOSTILE, UNICODE]
    assert plain["evidence"] == [HOSTILE_EVIDENCE[:1], HOSTILE_EVIDENCE[1:]]
    assert store.counts()["mentions"] == 2 and store.counts()["edges"] == 3


def test_sqlite_untrusted_text_staged_and_plain_write_identical_tables(tmp_path: Path) -> None:
    paths = {staged: tmp_path / f"{staged}.db" for staged in (True, False)}
    for staged, path in paths.items():
        s = SqliteStore(path)
        load(s, ["S1", "S2"])
        s.replace_graph_parts(_hostile_parts(tmp_path, staged))
        s.close()
    tables = _tables(paths[True])
    assert tables == _tables(paths[False])
    assert HOSTILE in {row[2] for row in tables["nodes"]}  # label column, verbatim


def test_neo4j_untrusted_text_staged_sends_what_plain_sends(tmp_path: Path) -> None:
    sent: dict[bool, dict[str, list[Any]]] = {}
    for staged in (True, False):
        store, driver = _fake_neo4j()
        store.replace_graph_parts(_hostile_parts(tmp_path, staged))
        sent[staged] = _rows_by_statement(driver)
    assert sent[True] == sent[False]
    assert HOSTILE in {r["label"] for r in sent[True]["node_write_party"]}
