"""The embedded store's contract: atomic loads, atomic graph swaps, append-only runs."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphintel.errors import StoreError, UnknownStoreURL
from graphintel.model import EdgeKind, NodeKind, Role
from graphintel.records import (
    EdgeRecord,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
    QuarantineEntry,
)
from graphintel.store import GraphStore, SqliteStore, open_store, sqlite_path
from tests.conftest import make_shipment


def _load(store: GraphStore, ids: list[str], file_id: str = "file-a") -> LoadReport:
    report = LoadReport(load_id=f"load-{file_id}", file_id=file_id, file_path="/x.csv")
    with store.load_transaction(report) as tx:
        fresh = [i for i in ids if i not in tx.existing_shipment_ids(ids)]
        tx.add_shipments(
            [
                make_shipment(i, row=n + 1, file_id=file_id, load_id=report.load_id)
                for n, i in enumerate(fresh)
            ]
        )
        report.rows_read = len(ids)
        report.rows_loaded = len(fresh)
        report.rows_duplicate = len(ids) - len(fresh)
        report.status = "loaded"
    return report


def test_load_commits_rows_and_report(store: GraphStore) -> None:
    _load(store, ["S1", "S2"])
    assert store.shipment_count() == 2
    assert store.completed_load("file-a") is not None
    [batch] = list(store.iter_shipments())
    assert [s.shipment_id for s in batch] == ["S1", "S2"]
    assert batch[0].provenance.file_id == "file-a"


def test_failed_load_leaves_nothing(store: GraphStore) -> None:
    report = LoadReport(load_id="load-x", file_id="file-x", file_path="/x.csv")
    with pytest.raises(RuntimeError), store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("S1", file_id="file-x", load_id="load-x")])
        tx.add_quarantine(
            [QuarantineEntry("file-x", "/x.csv", 2, "arrival_date", "bad", "{}", "load-x")]
        )
        raise RuntimeError("disk on fire")
    assert store.shipment_count() == 0
    assert store.loads() == []
    assert store.quarantine() == []


def test_existing_ids_see_earlier_batches_of_same_load(store: GraphStore) -> None:
    report = LoadReport(load_id="load-file-a", file_id="file-a", file_path="/x.csv")
    with store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("S1")])
        assert tx.existing_shipment_ids(["S1", "S2"]) == {"S1"}


def test_iter_shipments_batches_cover_everything(store: GraphStore) -> None:
    ids = [f"S{i:03d}" for i in range(25)]
    _load(store, ids)
    batches = list(store.iter_shipments(batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert [s.shipment_id for b in batches for s in b] == ids


def _graph(store: GraphStore) -> None:
    store.replace_graph(
        nodes=[
            NodeRecord("shipment:S1", NodeKind.SHIPMENT, "S1"),
            NodeRecord("party:p1", NodeKind.PARTY, "John Smith", {"names": ["John Smith"]}),
            NodeRecord("phone:+14155550134", NodeKind.PHONE, "+1 415-555-0134"),
        ],
        edges=[
            EdgeRecord("shipment:S1", "party:p1", EdgeKind.CONSIGNED_TO),
            EdgeRecord("party:p1", "phone:+14155550134", EdgeKind.HAS_PHONE, 2.0),
        ],
        assignments=[MentionAssignment("S1", Role.CONSIGNEE, "party:p1", "John Smith")],
        evidence=[
            MergeEvidence(
                "party:p1", "S1#consignee", "S2#consignee", "name", "a", "b", 0.9, 2.0, "r"
            )
        ],
    )


def test_replace_graph_swaps_whole_graph(store: GraphStore) -> None:
    _load(store, ["S1"])
    _graph(store)
    _graph(store)  # a second resolution replaces, never duplicates
    counts = store.counts()
    assert counts["nodes:Party"] == 1
    assert counts["edges"] == 2
    assert counts["mentions"] == 1
    assert len(store.merge_evidence("party:p1")) == 1
    edges, total = store.neighbours("party:p1")
    assert total == 2 and len(edges) == 2
    assert {e.kind for e in store.edges_among(["party:p1", "phone:+14155550134"])} == {
        EdgeKind.HAS_PHONE
    }


def test_provenance_reaches_source_rows(store: GraphStore) -> None:
    _load(store, ["S1"])
    _graph(store)
    for node in ("shipment:S1", "party:p1", "phone:+14155550134"):
        [prov] = store.provenance(node)
        assert (prov.file_id, prov.row_number, prov.load_id) == ("file-a", 1, "load-file-a")


def test_search_treats_wildcards_as_text(store: GraphStore) -> None:
    _load(store, ["S1"])
    _graph(store)
    assert [n.id for n in store.search("smith")] == ["party:p1"]
    assert store.search("%") == []
    assert store.search("'; DROP TABLE nodes; --") == []
    assert store.counts()["nodes:Party"] == 1


def _network(run_id: str, nid: str, rank: int, score: float) -> Network:
    return Network(
        network_id=nid,
        run_id=run_id,
        rank=rank,
        score=score,
        reasons=("2 seized shipments: fentanyl",),
        evidence={"2 seized shipments: fentanyl": ["shipment:S1"]},
        shipment_ids=("shipment:S1",),
        entity_ids=("party:p1",),
    )


def test_runs_are_append_only_and_failed_runs_keep_earlier_ones(store: GraphStore) -> None:
    first = store.start_run("analyze", {"hub_limit": 20}, {"networkx": "3"})
    store.finish_run(
        first.run_id,
        {"networks": 2},
        [_network(first.run_id, "n1", 1, 9.0), _network(first.run_id, "n2", 2, 3.0)],
    )
    second = store.start_run("analyze", {"hub_limit": 5}, {})
    store.fail_run(second.run_id, "boom")
    latest = store.latest_run()
    assert latest is not None and latest.run_id == first.run_id
    assert [r.status for r in store.runs()] == ["succeeded", "failed"]
    nets = store.networks(first.run_id)
    assert [n.network_id for n in nets] == ["n1", "n2"]
    assert nets[0].shipment_ids == ("shipment:S1",)
    listing = store.networks(first.run_id, limit=1, with_members=False)
    assert listing[0].n_shipments == 1 and listing[0].shipment_ids == ()
    assert store.network(first.run_id, "missing") is None


def test_store_urls(tmp_path: Path) -> None:
    assert sqlite_path("sqlite:///a/b.db") == Path("a/b.db")
    assert sqlite_path("sqlite:////abs/b.db") == Path("/abs/b.db")
    assert sqlite_path("plain.db") == Path("plain.db")
    assert sqlite_path("neo4j://h:7687") is None
    s = open_store(f"sqlite:///{tmp_path}/x.db")
    assert isinstance(s, SqliteStore)
    s.close()
    with pytest.raises(UnknownStoreURL):
        open_store("ftp://nowhere")
    with pytest.raises(StoreError):
        open_store("neo4j://localhost:7687")
