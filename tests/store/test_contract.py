"""The ``GraphStore`` contract, run against every backend (see ``tests/store/contract.py``).

Loading, idempotency, rollback, the resolved graph and its reads, search, runs, networks
and provenance. Case files and resolution judgements get their own sections here when
their issues land, so every backend is held to them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from graphintel.errors import NotFoundError
from graphintel.model import EdgeKind, NodeKind, Role
from graphintel.records import (
    AuditEntry,
    EdgeRecord,
    LoadReport,
    MentionAssignment,
    MergeEvidence,
    Network,
    NodeRecord,
    QuarantineEntry,
    Watchlist,
    WatchlistEntry,
)
from graphintel.store import GraphStore
from tests.conftest import make_shipment
from tests.graph_writes import write_records
from tests.store.contract import BACKENDS, open_backend


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    yield from open_backend(request.param, tmp_path)


def load(
    store: GraphStore,
    ids: list[str],
    file_id: str = "file-a",
    quarantined: list[QuarantineEntry] | None = None,
) -> LoadReport:
    """Load ``ids`` the way the loaders do: skip ids the store already holds."""
    report = LoadReport(load_id=f"load-{file_id}", file_id=file_id, file_path=f"/{file_id}.csv")
    with store.load_transaction(report) as tx:
        known = tx.existing_shipment_ids(ids)
        fresh = [i for i in ids if i not in known]
        tx.add_shipments(
            [
                make_shipment(i, row=n + 1, file_id=file_id, load_id=report.load_id)
                for n, i in enumerate(fresh)
            ]
        )
        if quarantined:
            tx.add_quarantine(quarantined)
        report.rows_read = len(ids) + len(quarantined or [])
        report.rows_loaded = len(fresh)
        report.rows_quarantined = len(quarantined or [])
        report.rows_duplicate = len(ids) - len(fresh)
        report.status = "loaded"
    return report


# -- loading ---------------------------------------------------------------------------------
def test_load_commits_rows_and_report(store: GraphStore) -> None:
    report = load(store, ["S1", "S2"])
    assert store.shipment_count() == 2
    done = store.completed_load("file-a")
    assert done is not None and done.load_id == report.load_id and done.rows_loaded == 2
    assert done.reconciles
    [batch] = list(store.iter_shipments())
    assert [s.shipment_id for s in batch] == ["S1", "S2"]
    assert batch[0].provenance.file_id == "file-a"
    assert [r.load_id for r in store.loads()] == ["load-file-a"]


def test_shipment_values_round_trip_with_their_types(store: GraphStore) -> None:
    report = LoadReport(load_id="load-t", file_id="file-t", file_path="/t.csv")
    original = make_shipment(
        "T1",
        row=7,
        file_id="file-t",
        load_id="load-t",
        declared_value_usd=799.99,
        quantity=3,
        weight_kg=None,
        hts_code="8479.30.0000",
        description="pill press parts; \"die set\" 'x'",
        extra={"courier_ref": "ZX-1", "note": "déjà vu"},
    )
    with store.load_transaction(report) as tx:
        tx.add_shipments([original])
        report.rows_read = report.rows_loaded = 1
        report.status = "loaded"
    [back] = store.shipments(["T1"])
    assert back == original


def test_failed_load_leaves_nothing(store: GraphStore) -> None:
    report = LoadReport(load_id="load-x", file_id="file-x", file_path="/x.csv")
    with pytest.raises(RuntimeError), store.load_transaction(report) as tx:
        tx.add_shipments(
            [make_shipment(f"S{i}", row=i, file_id="file-x", load_id="load-x") for i in range(20)]
        )
        tx.add_quarantine(
            [QuarantineEntry("file-x", "/x.csv", 2, "arrival_date", "bad", "{}", "load-x")]
        )
        raise RuntimeError("disk on fire")
    assert store.shipment_count() == 0
    assert store.loads() == []
    assert store.quarantine() == []
    assert store.completed_load("file-x") is None
    # the same file loads cleanly afterwards
    load(store, ["S1"], file_id="file-x")
    assert store.shipment_count() == 1


def test_reloading_counts_duplicates_and_keeps_one_row(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    second = load(store, ["S2", "S3"], file_id="file-b")
    assert (second.rows_loaded, second.rows_duplicate) == (1, 1)
    assert store.shipment_count() == 3
    [s2] = store.shipments(["S2"])
    assert s2.provenance.file_id == "file-a"


def test_existing_ids_see_earlier_batches_of_same_load(store: GraphStore) -> None:
    report = LoadReport(load_id="load-file-a", file_id="file-a", file_path="/x.csv")
    with store.load_transaction(report) as tx:
        tx.add_shipments([make_shipment("S1")])
        assert tx.existing_shipment_ids(["S1", "S2"]) == {"S1"}


def test_quarantine_lists_entries_by_load(store: GraphStore) -> None:
    bad_a = [
        QuarantineEntry(
            "file-a", "/file-a.csv", r, "declared_value_usd", "negative", "{}", "load-file-a"
        )
        for r in (3, 5)
    ]
    bad_b = [
        QuarantineEntry(
            "file-b", "/file-b.csv", 9, "arrival_date", "not a date", "{}", "load-file-b"
        )
    ]
    load(store, ["S1"], quarantined=bad_a)
    load(store, ["S2"], file_id="file-b", quarantined=bad_b)
    assert [e.row_number for e in store.quarantine()] == [3, 5, 9]
    assert store.quarantine(load_id="load-file-b") == bad_b
    assert len(store.quarantine(limit=1)) == 1
    assert store.counts()["quarantine"] == 3


def test_iter_shipments_batches_cover_everything(store: GraphStore) -> None:
    ids = [f"S{i:03d}" for i in range(25)]
    load(store, ids)
    batches = list(store.iter_shipments(batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert [s.shipment_id for b in batches for s in b] == ids


def test_the_shipments_of_some_loads_come_in_id_order(store: GraphStore) -> None:
    # three loads whose ids interleave; the second repeats ids of the first (skipped)
    load(store, [f"S{i:03d}" for i in range(0, 30, 3)], "file-a")
    load(store, [f"S{i:03d}" for i in range(0, 30, 2)], "file-b")
    load(store, [f"S{i:03d}" for i in range(1, 30, 5)], "file-c")
    every = [s for b in store.iter_shipments() for s in b]
    for loads in ({"load-file-b"}, {"load-file-a", "load-file-c"}, set(), {"load-unknown"}):
        batches = list(store.iter_shipments_of_loads(loads, batch_size=4))
        assert all(0 < len(b) <= 4 for b in batches)
        got = [s for b in batches for s in b]
        assert got == [s for s in every if s.provenance.load_id in loads]


# -- the resolved graph ----------------------------------------------------------------------
PHONE = "phone:+14155550134"


def resolve(store: GraphStore, party_label: str = "John Smith") -> None:
    write_records(
        store,
        nodes=[
            NodeRecord("shipment:S1", NodeKind.SHIPMENT, "S1"),
            NodeRecord("shipment:S2", NodeKind.SHIPMENT, "S2"),
            NodeRecord("party:p1", NodeKind.PARTY, party_label, {"names": [party_label]}),
            NodeRecord(PHONE, NodeKind.PHONE, "+1 415-555-0134"),
            NodeRecord("address:1 main st", NodeKind.ADDRESS, "1 Main St"),
        ],
        edges=[
            EdgeRecord("shipment:S1", "party:p1", EdgeKind.CONSIGNED_TO),
            EdgeRecord("shipment:S2", "party:p1", EdgeKind.CONSIGNED_TO),
            EdgeRecord("party:p1", PHONE, EdgeKind.HAS_PHONE, 2.0),
            EdgeRecord("party:p1", PHONE, EdgeKind.HAS_PHONE, 1.0),  # repeats add up
            EdgeRecord("shipment:S2", "address:1 main st", EdgeKind.DELIVERED_TO),
        ],
        assignments=[
            MentionAssignment("S1", Role.CONSIGNEE, "party:p1", party_label),
            MentionAssignment("S2", Role.CONSIGNEE, "party:p1", party_label),
        ],
        evidence=[
            MergeEvidence(
                "party:p1", "S1#consignee", "S2#consignee", "name", "a", "b", 0.9, 2.0, "r"
            ),
            MergeEvidence(
                "party:p1", "S1#consignee", "S2#consignee", "phone", "c", "c", 1.0, 3.0, "r"
            ),
        ],
    )


def test_replace_graph_swaps_whole_graph(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store, "Jon Smith")
    resolve(store)  # a second resolution replaces, never duplicates
    counts = store.counts()
    assert counts["nodes:Party"] == 1 and counts["nodes:Shipment"] == 2
    assert counts["edges"] == 4
    assert counts["mentions"] == 2
    [party] = store.nodes(["party:p1"])
    assert party.label == "John Smith" and party.props == {"names": ["John Smith"]}
    assert [e.field for e in store.merge_evidence("party:p1")] == ["name", "phone"]
    [phone_edge] = store.edges_among(["party:p1", PHONE])
    assert phone_edge.kind is EdgeKind.HAS_PHONE and phone_edge.weight == 3.0
    assert store.shipment_count() == 2  # source rows untouched


def test_neighbours_are_heaviest_first_with_the_total(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store)
    edges, total = store.neighbours("party:p1", limit=2)
    assert total == 3 and len(edges) == 2
    assert edges[0].kind is EdgeKind.HAS_PHONE and edges[0].weight == 3.0
    assert store.neighbours("party:nobody") == ([], 0)


def test_graph_iterators_page_through_everything_in_id_order(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store)
    pages = list(store.iter_nodes(batch_size=2))
    ids = [n.id for p in pages for n in p]
    assert ids == sorted(ids) and len(ids) == 5
    assert all(len(p) <= 2 for p in pages)
    parties = [n.id for p in store.iter_nodes([NodeKind.PARTY]) for n in p]
    assert parties == ["party:p1"]
    edges = [e for p in store.iter_edges(batch_size=1) for e in p]
    assert len(edges) == 4
    consigned = [e for p in store.iter_edges([EdgeKind.CONSIGNED_TO]) for e in p]
    assert {e.source for e in consigned} == {"shipment:S1", "shipment:S2"}
    mentions = [m for p in store.iter_mentions(batch_size=1) for m in p]
    assert [(m.shipment_id, m.role) for m in mentions] == [
        ("S1", Role.CONSIGNEE),
        ("S2", Role.CONSIGNEE),
    ]


def test_property_free_iterators_match_the_full_ones(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store)
    full_nodes = {(n.id, n.kind.value, n.label) for p in store.iter_nodes() for n in p}
    label_pages = list(store.iter_node_labels(batch_size=2))
    assert all(len(p) <= 2 for p in label_pages)
    assert {tuple(r) for p in label_pages for r in p} == full_nodes
    parties = [r for p in store.iter_node_labels([NodeKind.PARTY]) for r in p]
    assert [tuple(r) for r in parties] == [("party:p1", "Party", "John Smith")]
    full_edges = {
        (e.source, e.kind.value, e.target, e.weight) for p in store.iter_edges() for e in p
    }
    ends = [tuple(r) for p in store.iter_edge_ends(batch_size=1) for r in p]
    assert len(ends) == 4 and set(ends) == full_edges
    consigned = [r for p in store.iter_edge_ends([EdgeKind.CONSIGNED_TO]) for r in p]
    assert {r[0] for r in consigned} == {"shipment:S1", "shipment:S2"}


def test_provenance_reaches_source_rows(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store)
    [prov] = store.provenance("shipment:S1")
    assert (prov.file_id, prov.row_number, prov.load_id) == ("file-a", 1, "load-file-a")
    assert [p.row_number for p in store.provenance("party:p1")] == [1, 2]
    assert [p.row_number for p in store.provenance(PHONE)] == [1, 2]  # via the party
    assert [p.row_number for p in store.provenance("address:1 main st")] == [2]  # direct


def test_search_finds_words_and_treats_syntax_as_text(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store)
    assert [n.id for n in store.search("smith")] == ["party:p1"]
    assert [n.id for n in store.search("John Smith")] == ["party:p1"]
    assert store.search("S1") == []  # shipments are not search results
    for hostile in ("%", "", "   ", "'; DROP TABLE nodes; --", "*:*", 'name:"x" OR *'):
        assert store.search(hostile) == []
    assert store.counts()["nodes:Party"] == 1


def test_fuzzy_candidates_find_misspelt_names_from_the_built_index(store: GraphStore) -> None:
    load(store, ["S1", "S2"])
    resolve(store, "Maria Lopez")
    assert store.build_search_index() == 3  # the party, the phone and the address
    assert store.search_index_ready()
    found = [c.node_id for c in store.fuzzy_candidates("maria lopes")]
    assert found[:1] == ["party:p1"]
    [party] = store.fuzzy_candidates("maria lopes", limit=1)
    assert party.label == "Maria Lopez" and "maria lopez" in party.text
    assert "address:1 main st" in [c.node_id for c in store.fuzzy_candidates("1 mian st")]
    assert all(not c.node_id.startswith("shipment:") for c in store.fuzzy_candidates("S1"))
    for hostile in ("", "   ", "'; DROP TABLE nodes; --", "*:*", 'name:"x" OR *', "%_\\"):
        assert isinstance(store.fuzzy_candidates(hostile), list)
    resolve(store, "Kevin Tran")  # a new resolution: the rebuilt index covers it alone
    store.build_search_index()
    assert [c.label for c in store.fuzzy_candidates("kevn tran")][:1] == ["Kevin Tran"]
    assert "Maria Lopez" not in [c.label for c in store.fuzzy_candidates("maria lopes")]


# -- runs and networks -----------------------------------------------------------------------
def network(run_id: str, nid: str, rank: int, score: float) -> Network:
    return Network(
        network_id=nid,
        run_id=run_id,
        rank=rank,
        score=score,
        reasons=("2 seized shipments: fentanyl",),
        evidence={"2 seized shipments: fentanyl": ["shipment:S1"]},
        shipment_ids=("shipment:S1", "shipment:S2"),
        entity_ids=("party:p1",),
        first_date="2026-03-01",
        last_date="2026-03-04",
        seized_count=2,
        typologies=("shared-drop",),
        countries=("CN", "HK"),
        name="Acme Trading - drop address",
        points={"2 seized shipments: fentanyl": 6.5, "bonus": 2.5},
    )


def test_runs_are_append_only_and_failed_runs_keep_earlier_ones(store: GraphStore) -> None:
    first = store.start_run("analyze", {"hub_limit": 20}, {"networkx": "3"})
    finished = store.finish_run(
        first.run_id,
        {"networks": 2},
        [network(first.run_id, "n1", 1, 9.0), network(first.run_id, "n2", 2, 3.0)],
    )
    assert finished.status == "succeeded" and finished.counts == {"networks": 2}
    second = store.start_run("analyze", {"hub_limit": 5}, {})
    failed = store.fail_run(second.run_id, "boom")
    assert failed.message == "boom"
    latest = store.latest_run()
    assert latest is not None and latest.run_id == first.run_id
    assert latest.params == {"hub_limit": 20} and latest.versions == {"networkx": "3"}
    assert [r.status for r in store.runs()] == ["succeeded", "failed"]
    assert store.runs("resolve") == []
    assert store.latest_run("resolve") is None
    assert store.counts()["runs"] == 2


def test_networks_page_and_keep_their_members(store: GraphStore) -> None:
    run = store.start_run("analyze", {}, {})
    nets = [network(run.run_id, f"n{i}", i, 10.0 - i) for i in range(1, 6)]
    store.finish_run(run.run_id, {"networks": 5}, reversed(nets))
    assert [n.network_id for n in store.networks(run.run_id)] == ["n1", "n2", "n3", "n4", "n5"]
    page = store.networks(run.run_id, limit=2, offset=2, with_members=False)
    assert [n.network_id for n in page] == ["n3", "n4"]
    assert page[0].n_shipments == 2 and page[0].shipment_ids == ()
    assert page[0].countries == ("CN", "HK")  # listings carry them for the country filter
    assert page[0].name == "Acme Trading - drop address"  # and the name the table shows
    assert page[0].points == {"2 seized shipments: fentanyl": 6.5, "bonus": 2.5}
    one = store.network(run.run_id, "n1")
    assert one == replace(nets[0], n_shipments=2, n_entities=1)
    assert store.network(run.run_id, "missing") is None


def test_finishing_an_unknown_run_is_an_error(store: GraphStore) -> None:
    with pytest.raises(NotFoundError):
        store.finish_run("run-nope", {})


# -- cases and judgements --------------------------------------------------------------------
# Case files and resolution judgements join this suite with the issues that add them to the
# GraphStore protocol, so both backends are held to the same behaviour.


# -- cases and notes (investigator workspace) -------------------------------------------------
def test_cases_save_reopen_rename_delete(store: GraphStore) -> None:
    payload = {
        "elements": [
            {
                "data": {"id": "party:a", "label": "<script>x</script>"},
                "position": {"x": 1.5, "y": -2},
            }
        ],
        "filters": {"date_from": "2026-01-01"},
        "notes": {"party:a": "called the consignee"},
    }
    saved = store.save_case("case-1", "Huayu ring", payload)
    assert saved.name == "Huayu ring" and saved.payload == payload and saved.created_at
    assert store.case("case-1") == saved
    assert store.case("case-none") is None
    again = store.save_case("case-1", "Huayu ring v2", {**payload, "filters": {}})
    assert again.created_at == saved.created_at and again.payload["filters"] == {}
    store.save_case("case-2", "Other", {})
    listing = store.cases()
    assert {c.case_id for c in listing} == {"case-1", "case-2"}
    assert all(c.payload == {} for c in listing)  # a listing carries no payloads
    renamed = store.rename_case("case-2", "Renamed")
    assert renamed.name == "Renamed" and store.case("case-2") == renamed
    with pytest.raises(NotFoundError):
        store.rename_case("case-none", "x")
    assert store.delete_case("case-1") is True
    assert store.delete_case("case-1") is False
    assert [c.case_id for c in store.cases()] == ["case-2"]


def test_notes_on_nodes(store: GraphStore) -> None:
    store.set_note("party:a", "seen at two addresses")
    store.set_note("phone:+1", "<img src=x onerror=alert(1)>")
    assert store.notes(["party:a", "phone:+1", "party:none"]) == {
        "party:a": "seen at two addresses",
        "phone:+1": "<img src=x onerror=alert(1)>",
    }
    store.set_note("party:a", "updated")
    assert store.notes(["party:a"]) == {"party:a": "updated"}
    store.set_note("party:a", "  ")
    assert store.notes(["party:a"]) == {}
    assert store.notes([]) == {}


def test_shipment_stats_for_the_overview(store: GraphStore) -> None:
    report = LoadReport(load_id="load-stats", file_id="file-stats", file_path="/stats.csv")
    rows = [
        ("S1", "2026-01-05", 10.0, "CN"),
        ("S2", "2026-01-20", 49.99, "CN"),
        ("S3", "2026-02-01", 799.0, "HK"),
        ("S4", "2026-02-02", 5000.0, "CN"),
        ("S5", "2026-03-09", 120.0, "IN"),
    ]
    with store.load_transaction(report) as tx:
        tx.add_shipments(
            [
                make_shipment(
                    sid,
                    row=n + 1,
                    file_id=report.file_id,
                    load_id=report.load_id,
                    arrival_date=date,
                    declared_value_usd=value,
                    country_of_origin=country,
                )
                for n, (sid, date, value, country) in enumerate(rows)
            ]
        )
        report.rows_read = report.rows_loaded = len(rows)
        report.status = "loaded"
    stats = store.shipment_stats(value_bin=50.0, value_cap=1000.0, top_countries=2)
    assert stats.total == 5
    assert stats.by_month == [("2026-01", 2), ("2026-02", 2), ("2026-03", 1)]
    # 10 and 49.99 share [0, 50); 120 is in [100, 150); 799 in [750, 800); 5000 is capped
    assert stats.value_bins == [(0.0, 2), (100.0, 1), (750.0, 1), (1000.0, 1)]
    assert stats.countries == [("CN", 3), ("HK", 1)]
    defaults = store.shipment_stats()
    assert defaults.total == 5 and len(defaults.countries) == 3


# -- resolution judgements -------------------------------------------------------------------
def test_judgements_recorded_in_order_with_user_and_time(store: GraphStore) -> None:
    assert store.judgements() == []
    first = store.add_judgement("S1#consignee", "S2#consignee", "different", "ana")
    second = store.add_judgement("party:a", "party:'b\"", "same", "bo")
    assert first.verdict == "different" and first.created_at.endswith("+00:00")
    assert store.judgements() == [first, second]
    with pytest.raises(ValueError):
        store.add_judgement("a", "b", "maybe", "ana")
    assert len(store.judgements()) == 2


def test_a_withdrawn_judgement_stays_on_record_but_is_no_longer_in_force(
    store: GraphStore,
) -> None:
    kept = store.add_judgement("S1#consignee", "S2#consignee", "different", "ana")
    wrong = store.add_judgement("party:a", "party:'b\"", "same", "bo")
    again = store.add_judgement("party:'b\"", "party:a", "different", "cy")
    withdrawn = store.withdraw_judgement("party:'b\"", "party:a", "dee")  # either order
    assert [(j.left, j.verdict) for j in withdrawn] == [("party:a", "same"),
                                                        ("party:'b\"", "different")]  # fmt: skip
    assert all(j.withdrawn_by == "dee" and j.withdrawn_at.endswith("+00:00") for j in withdrawn)
    assert all(j.withdrawn and j.withdrawn_at >= j.created_at for j in withdrawn)
    assert store.judgements() == [kept]  # what every later resolve re-applies
    everything = store.judgements(include_withdrawn=True)
    assert [(j.left, j.withdrawn) for j in everything] == [
        (kept.left, False), (wrong.left, True), (again.left, True)
    ]  # fmt: skip
    assert everything[1:] == withdrawn
    assert store.withdraw_judgement("party:a", "party:'b\"", "dee") == []  # nothing in force
    assert store.withdraw_judgement("S9#shipper", "S1#consignee", "dee") == []
    again_judged = store.add_judgement("party:a", "party:'b\"", "same", "ed")
    assert store.judgements() == [kept, again_judged]


# -- audit log ---------------------------------------------------------------------------------
def test_audit_log_filters_and_keeps_order(store: GraphStore) -> None:
    assert store.audit_log() == []
    hostile = "'; DROP TABLE audit_log; -- <script>x</script> MATCH (n) DETACH DELETE n"
    entries = [
        AuditEntry("ana", "search", hostile, "", "2026-01-01T09:00:00+00:00"),
        AuditEntry("bo", "view", "run-1/net-0001", "", "2026-01-02T09:00:00+00:00"),
        AuditEntry("ana", "export", "run-1/net-0001", "anx", "2026-01-03T09:00:00+00:00"),
    ]
    store.add_audit(entries[:2])
    store.add_audit(entries[2:])
    store.add_audit([])
    assert store.audit_log() == entries  # oldest first, text as written
    assert store.audit_log(user="ana") == [entries[0], entries[2]]
    assert store.audit_log(action="view") == [entries[1]]
    assert store.audit_log(since="2026-01-02") == entries[1:]
    assert store.audit_log(user="ana", since="2026-01-02", action="export") == [entries[2]]
    assert store.audit_log(user="nobody") == []
    assert store.audit_log(limit=2) == entries[1:]  # the newest two


# -- watchlists ---------------------------------------------------------------------------------
def _watchlist(name: str, kind: str = "bad") -> Watchlist:
    return Watchlist(name, kind, "lists/bad.csv", "sha-1", "2026-01-01T00:00:00+00:00", 0)


def test_watchlists_keep_entries_with_provenance_and_replace_by_name(store: GraphStore) -> None:
    entries = [
        WatchlistEntry("ofac", 1, name="Shenzhen Huayu Trading", country="CN"),
        WatchlistEntry("ofac", 3, phone="+86 755 1234 5678", note="<b>pill press</b>"),
    ]
    saved = store.replace_watchlist(_watchlist("ofac"), entries)
    assert saved.entries == 2
    store.replace_watchlist(
        _watchlist("ctpat", "trusted"), [WatchlistEntry("ctpat", 1, name="Acme")]
    )
    assert [(w.name, w.kind, w.entries) for w in store.watchlists()] == [
        ("ctpat", "trusted", 1),
        ("ofac", "bad", 2),
    ]
    assert store.watchlist_entries(["ofac"]) == entries
    assert [e.list_name for e in store.watchlist_entries()] == ["ctpat", "ofac", "ofac"]
    assert store.watchlist_entries([]) == []

    # Adding a list under a name already taken replaces it whole.
    store.replace_watchlist(_watchlist("ofac"), [WatchlistEntry("ofac", 7, email="x@y.cn")])
    assert store.watchlist_entries(["ofac"]) == [WatchlistEntry("ofac", 7, email="x@y.cn")]
    assert {w.name: w.entries for w in store.watchlists()}["ofac"] == 1

    assert store.remove_watchlist("ofac") is True
    assert store.remove_watchlist("ofac") is False
    assert [w.name for w in store.watchlists()] == ["ctpat"]
    assert store.watchlist_entries(["ofac"]) == []


def test_watchlist_kind_is_checked(store: GraphStore) -> None:
    with pytest.raises(ValueError, match="watchlist kind"):
        store.replace_watchlist(_watchlist("x", "grey"), [])
    assert store.watchlists() == []
