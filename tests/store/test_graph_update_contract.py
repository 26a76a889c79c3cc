"""Contract: ``update_graph`` changes the resolved graph in place, removal then part per
change, and leaves what ``replace_graph_parts`` of the resulting graph would leave; the
merge evidence of the merges a removal names is removed (all of it for ``None``), the
rest kept; an error leaves the old graph. Neo4j does it by writing a
whole generation (``rebuilt_parts``), checked here on SQLite and on the offline stand-in."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.records import MergeEvidence
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.base import (
    AssignmentRow,
    EdgeRow,
    GraphChange,
    GraphPart,
    GraphRemoval,
    NodeRow,
    props_json,
)
from graphintel.store.graph_delta import rebuilt_parts
from graphintel.store.sqlite.graph_journal import journal_position, nodes_changed_since
from graphintel.store.staging import StagingFile
from tests.store.contract import BACKENDS, graph_snapshot, open_backend
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
    _two_parts,
)
from tests.store.test_graph_rows_contract import _tables

ELM = "address:2 elm st"
S3: NodeRow = ("shipment:S3", "Shipment", "S3", props_json({"declared_value_usd": 3.0}))
ADDRESS_AGAIN: NodeRow = (
    ADDRESS,
    "Address",
    "1 Main St",
    props_json({"raw": ["1 Main St", "1 Main"]}),
)
P3: NodeRow = ("party:p3", "Party", "Zhang Wei", props_json({"names": ["Zhang Wei"]}))
EVIDENCE = [
    MergeEvidence(
        "party:p3", "S1#consignee", "S3#consignee", "name", "Zhāng", "Zhang", 0.8, 2, "a"
    ),
]


def _changes() -> list[GraphChange]:
    """A day: S3 arrives at the Main St address (recounted), S2's delivery moves to Elm St,
    party p1 gives way to p3, which takes S3's consignee too; p2 stays as it was."""
    return [
        GraphChange(
            GraphRemoval(nodes=[ADDRESS], edges_from=[("shipment:S2", "DELIVERED_TO")]),
            GraphPart(
                [S3, ADDRESS_AGAIN, (ELM, "Address", "2 Elm St", "{}")],
                [
                    ("shipment:S3", "DELIVERED_TO", ADDRESS, 1.0, "{}"),
                    ("shipment:S2", "DELIVERED_TO", ELM, 1.0, "{}"),
                ],  # fmt: skip
                [],
                [],
            ),
        ),
        GraphChange(
            GraphRemoval(entities=["party:p1"], evidence=None),
            GraphPart(
                [],
                [],
                [
                    ("S1", "consignee", "party:p3", "Zhāng Wěi 张伟"),
                    ("S2", "consignee", "party:p3", "Zhang Wei"),
                    ("S3", "consignee", "party:p3", "Zhang Wei"),
                ],  # fmt: skip
                EVIDENCE,
            ),
        ),
        GraphChange(
            GraphRemoval(),
            GraphPart(
                [P3],
                [(f"shipment:S{i}", "CONSIGNED_TO", "party:p3", 1.0, "{}") for i in (1, 2, 3)]
                + [("party:p3", "HAS_PHONE", PHONE, 3.0, "{}")],
                [],
                [],
            ),
        ),
    ]


def _expected() -> list[GraphPart]:
    """The graph after the day, written whole."""
    nodes: list[NodeRow] = [n for n in P1_NODES + P2_NODES if n[0] not in (ADDRESS, "party:p1")]
    nodes += [S3, ADDRESS_AGAIN, (ELM, "Address", "2 Elm St", "{}"), P3]
    edges: list[EdgeRow] = [
        P1_EDGES[0],
        ("shipment:S3", "DELIVERED_TO", ADDRESS, 1.0, "{}"),
        ("shipment:S2", "DELIVERED_TO", ELM, 1.0, "{}"),
        *(e for e in P2_EDGES if "party:p1" not in (e[0], e[2])),
        *(_changes()[2].part.edges),
    ]
    assignments: list[AssignmentRow] = [a for a in P2_ASSIGNMENTS if a[2] != "party:p1"]
    assignments += list(_changes()[1].part.assignments)
    return [GraphPart(nodes, edges, assignments, EVIDENCE)]


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    for s in open_backend(request.param, tmp_path):
        load(s, ["S1", "S2", "S3"])
        yield s


def _snapshot(store: GraphStore) -> dict[str, Any]:
    return graph_snapshot(store, ("party:p1", "party:p2", "party:p3"), counts_except=("runs",))


def test_an_update_leaves_the_graph_a_whole_write_of_its_result_leaves(
    store: GraphStore,
) -> None:
    store.replace_graph_parts(_expected())
    expected = _snapshot(store)
    store.replace_graph_parts(_two_parts())
    store.update_graph(_changes())
    assert _snapshot(store) == expected
    assert expected["evidence"]["party:p1"] == []
    assert expected["evidence"]["party:p2"] == []  # replaced whole: p2's is gone
    assert len(expected["edges"]) == 9


def test_a_later_removal_takes_rows_of_an_earlier_change(store: GraphStore) -> None:
    store.replace_graph_parts(_two_parts())
    store.update_graph(
        [
            GraphChange(
                GraphRemoval(), GraphPart([P3], [], [("S3", "consignee", "party:p3", "Z")], [])
            ),
            GraphChange(
                GraphRemoval(entities=["party:p3"], evidence=None),
                GraphPart([], [], [], P2_EVIDENCE),
            ),
        ]
    )
    after = _snapshot(store)
    store.replace_graph_parts(_two_parts())
    assert after == _snapshot(store)


def test_an_error_in_the_changes_leaves_the_old_graph(store: GraphStore) -> None:
    store.replace_graph_parts(_two_parts())
    before = _snapshot(store)

    def failing() -> Iterator[GraphChange]:
        yield _changes()[0]
        raise RuntimeError("the resolution failed")

    with pytest.raises(RuntimeError):
        store.update_graph(failing())
    assert _snapshot(store) == before


def _evidence_of_p1_replaced() -> list[GraphChange]:
    """The day of ``_changes`` with only p1's evidence replaced (by p3's): p2 keeps its."""
    changes = _changes()
    removal, part = changes[1]
    gone = [(e.entity_id, e.mention_a, e.mention_b) for e in P2_EVIDENCE[:2]]
    changes[1] = GraphChange(removal._replace(evidence=gone), part)
    return changes


def test_an_update_keeps_the_evidence_of_merges_no_removal_names(store: GraphStore) -> None:
    store.replace_graph_parts(_two_parts())
    store.update_graph(_evidence_of_p1_replaced())
    after = _snapshot(store)
    assert after["evidence"]["party:p1"] == []
    assert after["evidence"]["party:p2"] == P2_EVIDENCE[2:]
    assert after["evidence"]["party:p3"] == EVIDENCE


@pytest.mark.parametrize("day", ["grown", "renamed", "evidence of p1"])
def test_rebuilt_parts_write_the_tables_update_graph_writes(tmp_path: Path, day: str) -> None:
    """Neo4j's way (a whole generation from the current graph and the changes) ends with
    SQLite's in-place tables, row for row, evidence ids included: for a day of grown,
    merged and removed parties, and for one where a party takes a new id; for a day that
    replaces one party's evidence, rows in the same order."""
    changes = {"grown": _changes, "renamed": _renaming, "evidence of p1": _evidence_of_p1_replaced}[
        day
    ]
    paths = (tmp_path / "in_place.db", tmp_path / "rebuilt.db")
    for path in paths:
        s = SqliteStore(path)
        load(s, ["S1", "S2", "S3"])
        s.replace_graph_parts(_two_parts())
        s.close()
    in_place, rebuilt = SqliteStore(paths[0]), SqliteStore(paths[1])
    in_place.update_graph(changes())
    # read whole before the write: SQLite reads its own transaction, Neo4j the generation
    # readers see while it writes the next one
    parts = [
        GraphPart(list(p.nodes), list(p.edges), list(p.assignments), list(p.evidence))
        for p in rebuilt_parts(rebuilt, changes())
    ]
    rebuilt.replace_graph_parts(parts)
    in_place.close()
    rebuilt.close()
    tables = _tables(paths[0]), _tables(paths[1])
    if day == "evidence of p1":  # kept rows keep their ids in place: the order is the same
        for t in tables:
            t["merge_evidence"] = [row[1:] for row in t["merge_evidence"]]
    assert tables[0] == tables[1]


def test_neo4j_writes_an_update_as_one_new_generation() -> None:
    store, driver = _fake_neo4j()
    store.update_graph(_changes())
    names = driver.names()
    assert names.count("graph_begin") == 1 and names.count("graph_flip") == 1
    written = [r["id"] for name, p in driver.calls if name.startswith("node_write_")
               for r in p["rows"]]  # fmt: skip
    assert sorted(written) == sorted([S3[0], ADDRESS, ELM, "party:p3"])
    mentions = [r["key"] for name, p in driver.calls if name == "mentions_write" for r in p["rows"]]
    assert len(mentions) == 3


def _renaming() -> list[GraphChange]:
    """A day where party p1 only grows but takes a new id (its smallest mention is new):
    p3 keeps p1's shipment edges and mention assignments, and gets S3's consignee."""
    return [
        GraphChange(
            GraphRemoval(
                nodes=["party:p1"],
                edges_from=[("party:p1", "HAS_PHONE")],
                renamed=[("party:p1", "party:p3")],
                evidence=None,
            ),
            GraphPart(
                [P3],
                [
                    ("shipment:S3", "CONSIGNED_TO", "party:p3", 1.0, "{}"),
                    ("party:p3", "HAS_PHONE", PHONE, 3.0, "{}"),
                ],
                [("S3", "consignee", "party:p3", "Zhang Wei")],
                EVIDENCE,
            ),
        )
    ]


def _renamed_expected() -> list[GraphPart]:
    """The graph after that day, written whole."""
    nodes: list[NodeRow] = [n for n in P1_NODES + P2_NODES if n[0] != "party:p1"] + [P3]
    edges: list[EdgeRow] = [
        *P1_EDGES,
        *(e for e in P2_EDGES if e[0] != "party:p1" and e[2] != "party:p1"),
        *(_changes()[2].part.edges),
    ]
    assignments = [
        (s, role, "party:p3" if entity == "party:p1" else entity, name)
        for s, role, entity, name in P2_ASSIGNMENTS
    ] + [("S3", "consignee", "party:p3", "Zhang Wei")]
    return [GraphPart(nodes, edges, assignments, EVIDENCE)]


def test_a_renamed_party_keeps_its_edges_and_mentions_under_the_new_id(
    store: GraphStore,
) -> None:
    store.replace_graph_parts(_renamed_expected())
    expected = _snapshot(store)
    store.replace_graph_parts(_two_parts())
    store.update_graph(_renaming())
    assert _snapshot(store) == expected
    assert {a[2] for a in _renamed_expected()[0].assignments} == {"party:p2", "party:p3"}


def test_neo4j_writes_a_rename_as_one_new_generation() -> None:
    store, driver = _fake_neo4j()
    store.update_graph(_renaming())
    names = driver.names()
    assert names.count("graph_begin") == 1 and names.count("graph_flip") == 1
    written = [r["id"] for name, p in driver.calls if name.startswith("node_write_")
               for r in p["rows"]]  # fmt: skip
    assert written == ["party:p3"]


P2_GROWN: NodeRow = ("party:p2", "Party", "ACME Ltd", props_json({"names": ["ACME Ltd", "ACME"]}))
PHONE_AGAIN: NodeRow = (PHONE, "Phone", "+14155550134", props_json({"raw": ["+14155550134"]}))
P2_HAS_PHONE: EdgeRow = ("party:p2", "HAS_PHONE", PHONE, 1.0, "{}")


def _rewriting(staged: StagingFile | None) -> list[GraphChange]:
    """Nodes a removal names and a part writes again: the phone (a new label) in the same
    change, party p2 (grown: its node and identifier edge replaced) in a later one, as plain
    rows or staged the way the resolution job stages its party half; the address is
    removed and written by no part."""
    nodes: Any = [P2_GROWN]
    if staged is not None:
        stager = staged.table("nodes")
        stager.extend(nodes)
        nodes = stager.finish()
    delivered = [("shipment:S1", "DELIVERED_TO"), ("shipment:S2", "DELIVERED_TO")]
    return [
        GraphChange(
            GraphRemoval(
                nodes=[PHONE, ADDRESS, "party:p2"],
                edges_from=[("party:p2", "HAS_ADDRESS"), *delivered],
                evidence=None,
            ),
            GraphPart([PHONE_AGAIN], [], [], []),
        ),
        GraphChange(GraphRemoval(), GraphPart([S3], [], [], P2_EVIDENCE)),
        GraphChange(GraphRemoval(), GraphPart(nodes, [P2_HAS_PHONE], [], [])),
    ]


@pytest.mark.parametrize("staged", [False, True])
def test_a_node_removed_and_written_again_is_the_one_written(
    store: GraphStore, tmp_path: Path, staged: bool
) -> None:
    """SQLite updates such a node in place instead of deleting and inserting it: the
    graph every reader sees ends as the removal followed by the write leaves it."""
    gone = (PHONE, ADDRESS, "party:p2")
    whole = GraphPart(
        [n for n in P1_NODES + P2_NODES if n[0] not in gone] + [PHONE_AGAIN, S3, P2_GROWN],
        [e for e in P2_EDGES if e[0] != "party:p2"] + [P2_HAS_PHONE],
        P2_ASSIGNMENTS,
        P2_EVIDENCE,
    )
    store.replace_graph_parts([whole])
    expected = _snapshot(store)
    store.replace_graph_parts(_two_parts())
    staging = StagingFile(str(tmp_path / "staged.db")) if staged else None
    try:
        store.update_graph(_rewriting(staging))
    finally:
        if staging is not None:
            staging.close()
    assert _snapshot(store) == expected
    assert (PHONE, "Phone", "+14155550134", PHONE_AGAIN[3]) in expected["nodes"]
    assert ADDRESS not in {n[0] for n in expected["nodes"]}


def test_sqlite_journals_a_node_updated_in_place_as_changed(tmp_path: Path) -> None:
    """The analysis cache rereads the nodes the journal names: one written again after
    its removal is named, as its delete and insert named it."""
    store = SqliteStore(tmp_path / "g.db")
    load(store, ["S1", "S2", "S3"])
    store.replace_graph_parts(_two_parts())
    conn = store._conn()
    start = journal_position(conn)
    store.update_graph(_rewriting(None))
    changed = nodes_changed_since(conn, start)
    store.close()
    assert {PHONE, ADDRESS, "party:p2", S3[0]} <= set(changed)
