"""The SQLite graph journal: every inserted, updated or deleted node and edge key is named
by ``graph_changes`` with its current row; a whole rewrite, an import or trimmed entries
make an older mark unusable (None), never an empty change set."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from graphintel.store import SqliteStore
from graphintel.store.base import GraphChange, GraphPart, GraphRemoval
from graphintel.store.sqlite.graph_journal import _TRIGGERS
from graphintel.store.staging import StagingFile
from tests.store.test_graph_parts_contract import (
    ADDRESS,
    P1_EDGES,
    P1_NODES,
    P2_EDGES,
    P2_NODES,
    PHONE,
)


def _base(tmp_path: Path) -> SqliteStore:
    store = SqliteStore(tmp_path / "store.db")
    store.replace_graph_parts([GraphPart(P1_NODES + P2_NODES, P1_EDGES + P2_EDGES, [], [])])
    return store


def test_a_delta_names_what_it_changed_with_the_current_rows(tmp_path: Path) -> None:
    store = _base(tmp_path)
    mark = store.graph_mark()
    store.trim_graph_journal(mark, "cache-1")  # what saving a cache at ``mark`` records
    assert store.graph_changes(mark, "cache-1").node_ids == frozenset()  # type: ignore[union-attr]
    store.update_graph(
        [
            GraphChange(
                GraphRemoval(entities=["party:p2"]),
                GraphPart(
                    [("party:p3", "Party", "ACME Ltd", "{}")],
                    [("shipment:S2", "SHIPPED_BY", "party:p3", 1.0, "{}")],
                    [],
                    [],
                ),
            )
        ]
    )
    assert store.graph_changes(mark, "another cache") is None
    changes = store.graph_changes(mark, "cache-1")
    assert changes is not None
    assert changes.node_ids == {"party:p2", "party:p3"}
    assert changes.edge_keys == {
        ("shipment:S2", "SHIPPED_BY", "party:p2"),
        ("party:p2", "HAS_ADDRESS", "address:1 main st"),
        ("shipment:S2", "SHIPPED_BY", "party:p3"),
    }
    assert [(n.id, n.label) for n in changes.nodes] == [("party:p3", "ACME Ltd")]
    assert changes.edges == (("shipment:S2", "SHIPPED_BY", "party:p3", 1.0),)
    assert changes.node_counts["Party"] == 2
    again = store.graph_changes(changes.until, "cache-1")
    assert again is not None and again.node_ids == frozenset()
    store.close()


def test_a_rewrite_or_trimmed_entries_make_an_old_mark_unusable(tmp_path: Path) -> None:
    store = _base(tmp_path)
    mark = store.graph_mark()
    store.trim_graph_journal(mark, "h")
    store.replace_graph_parts([GraphPart(P1_NODES, P1_EDGES, [], [])])
    assert store.graph_mark().epoch != mark.epoch
    assert store.graph_changes(mark, "h") is None
    now = store.graph_mark()
    store.trim_graph_journal(now, "h")
    store.update_graph(
        [GraphChange(GraphRemoval(nodes=["shipment:S1"]), GraphPart([], [], [], []))]
    )
    later = store.graph_mark()
    assert later.seq > now.seq
    store.trim_graph_journal(later, "h")
    assert store.graph_changes(now, "h") is None  # its entries are gone
    assert store.graph_changes(later, "h") is not None
    store.close()


def test_an_imported_graph_is_a_new_epoch_not_a_journal(tmp_path: Path) -> None:
    from graphintel.store.migrate import migrate

    source = _base(tmp_path)
    target = SqliteStore(tmp_path / "target.db")
    mark = target.graph_mark()
    target.trim_graph_journal(mark, "h")
    migrate(source, target)
    assert target.graph_changes(mark, "h") is None
    assert target._conn().execute("SELECT count(*) FROM graph_journal").fetchone() == (0,)
    source.close()
    target.close()


def _keys(rows: sqlite3.Cursor) -> set[tuple[str, ...]]:
    """Node ids as 1-tuples and edge keys as 3-tuples, from (node, source, kind, target)."""
    return {
        (node,) if node is not None else (source, kind, target)
        for node, source, kind, target in rows
    }


def test_a_delta_journals_the_keys_the_triggers_would(tmp_path: Path) -> None:
    """``update_graph`` drops the journal's triggers and journals by statement: every
    kind of change (an entity removed, a party's edges replaced, a party renamed, nodes
    rewritten in place or removed, rows staged or given, an edge's weight added to) names
    the keys the triggers name, here recorded beside it by copies of the triggers that
    the delta leaves in place."""
    store = SqliteStore(tmp_path / "store.db")
    store.replace_graph_parts(
        [
            GraphPart(
                [*P1_NODES, *P2_NODES, ("party:p4", "Party", "Old Co", "{}")],
                [*P1_EDGES, *P2_EDGES, ("shipment:S1", "SHIPPED_BY", "party:p4", 1.0, "{}")],
                [],
                [],
            )
        ]
    )
    conn = sqlite3.connect(tmp_path / "store.db", isolation_level=None)
    conn.execute("CREATE TABLE reference (node TEXT, source TEXT, kind TEXT, target TEXT)")
    for name, body in _TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER ref_{name} {body.replace('graph_journal', 'reference')}")
    start = store.graph_mark().seq
    staging = StagingFile(str(tmp_path / "staged.db"))
    nodes = staging.table("nodes")
    nodes.extend([("party:p1", "Party", "Zhang Wei", "{}"), ("party:p5", "Party", "New", "{}")])
    edges = staging.table("edges")
    edges.extend(
        [
            ("party:p1", "HAS_PHONE", PHONE, 3.0, "{}"),
            ("party:p5", "HAS_ADDRESS", ADDRESS, 1.0, "{}"),
            ("shipment:S1", "CONSIGNED_TO", "party:p1", 1.0, "{}"),  # weights add up
        ]
    )
    staged = GraphPart(nodes.finish(), edges.finish(), [], [])
    staging.close()
    store.update_graph(
        [
            GraphChange(
                GraphRemoval(nodes=[ADDRESS, PHONE, "shipment:S2"]),
                GraphPart(
                    [(ADDRESS, "Address", "1 MAIN ST", "{}"), (PHONE, "Phone", "+1", "{}")],
                    [("shipment:S1", "DELIVERED_TO", ADDRESS, 1.0, "{}")],
                    [],
                    [],
                ),
            ),
            GraphChange(
                GraphRemoval(
                    nodes=["party:p1", "party:p4"],
                    entities=["party:p2"],
                    edges_from=[("party:p1", "HAS_PHONE")],
                    renamed=[("party:p4", "party:p6")],
                ),
                GraphPart([("party:p6", "Party", "Old Co", "{}")], [], [], []),
            ),
            GraphChange(GraphRemoval(), staged),
        ]
    )
    expected = _keys(conn.execute("SELECT node, source, kind, target FROM reference"))
    assert expected >= {("party:p2",), ("shipment:S2",), ("party:p4",), ("party:p6",)}
    assert ("shipment:S1", "SHIPPED_BY", "party:p6") in expected
    journalled = conn.execute(
        "SELECT node, source, kind, target FROM graph_journal WHERE seq > ?", (start,)
    )
    assert _keys(journalled) == expected
    # the triggers are back for any later writer
    found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert set(_TRIGGERS) <= found
    conn.close()
    store.close()


def test_a_party_or_identifier_rewritten_for_its_properties_alone_is_not_named(
    tmp_path: Path,
) -> None:
    """What analysis and search read of a party or identifier is its id, kind and label:
    a day rewrites many of them for their counts alone, and those stay out of the journal
    (their edges are named as before); a label or a shipment's properties are named."""
    store = _base(tmp_path)
    mark = store.graph_mark()
    store.trim_graph_journal(mark, "h")
    phone, address = P1_NODES[2], P1_NODES[3]
    store.update_graph(
        [
            GraphChange(
                GraphRemoval(nodes=[phone[0], address[0], "party:p1", "shipment:S2"]),
                GraphPart(
                    [
                        (phone[0], phone[1], phone[2], '{"raw": ["415 555 0134"]}'),
                        (address[0], address[1], "1 MAIN ST", address[3]),
                        ("party:p1", "Party", P2_NODES[0][2], '{"names": []}'),
                        ("shipment:S2", "Shipment", "S2", '{"declared_value_usd": 3.0}'),
                    ],
                    [("party:p1", "HAS_PHONE", phone[0], 1.0, "{}")],
                    [],
                    [],
                ),
            )
        ]
    )
    changes = store.graph_changes(mark, "h")
    assert changes is not None
    assert changes.node_ids == {address[0], "shipment:S2"}
    assert changes.edge_keys == {("party:p1", "HAS_PHONE", phone[0])}
    assert (
        store._conn().execute("SELECT props FROM nodes WHERE id = ?", (phone[0],)).fetchone()[0]
        == '{"raw": ["415 555 0134"]}'
    )
    store.close()


def test_a_store_opened_again_journals_with_the_current_triggers(tmp_path: Path) -> None:
    """A store whose journal named every node update (an earlier version's trigger) has
    that trigger replaced when it is opened."""
    store = _base(tmp_path)
    conn = store._conn()
    conn.execute(
        "CREATE TRIGGER graph_journal_node_upd AFTER UPDATE ON nodes BEGIN"
        " INSERT INTO graph_journal (node) VALUES (NEW.id); END"
    )
    store.close()
    again = SqliteStore(tmp_path / "store.db")
    triggers = {
        r[0] for r in again._conn().execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert "graph_journal_node_upd" not in triggers
    assert "graph_journal_node_seen_upd" in triggers
    mark = again.graph_mark()
    again._conn().execute("UPDATE nodes SET props = '{}' WHERE id = 'party:p2'")
    assert again.graph_mark() == mark
    again.close()
