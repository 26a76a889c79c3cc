"""``graphintel migrate``: a whole store copied, resumable, counts compared."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

import graphintel.store
from graphintel.cli import cli
from graphintel.daily.records import Alert, LineageEntry
from graphintel.errors import StoreError
from graphintel.records import AuditEntry, QuarantineEntry, Watchlist, WatchlistEntry
from graphintel.resolve.pipeline import run_resolution
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.migrate import TABLES, migrate
from graphintel.store.sqlite.bulk import SqliteBulk
from tests.store.contract import BACKENDS, open_backend
from tests.store.test_contract import load, network, resolve


def fill(store: GraphStore) -> None:
    """Something in every table: two loads with quarantine, a graph, runs with networks."""
    bad = [
        QuarantineEntry(
            "file-a", "/file-a.csv", r, "arrival_date", "not a date", "{}", "load-file-a"
        )
        for r in range(10, 17)
    ]
    load(store, [f"S{i}" for i in range(1, 12)], quarantined=bad)
    load(store, ["S12", "S13", "S1"], file_id="file-b")
    resolve(store)
    run = store.start_run("analyze", {"hub_limit": 20}, {"networkx": "3"})
    store.finish_run(
        run.run_id, {"networks": 3}, [network(run.run_id, f"n{i}", i, 5.0 - i) for i in range(1, 4)]
    )
    store.save_lineage(run.run_id, lineage_of(run.run_id))
    store.add_alerts(alerts_of(run.run_id))
    store.acknowledge_alert(f"{run.run_id}.2", "officer-a")
    failed = store.start_run("analyze", {}, {})
    store.fail_run(failed.run_id, "boom")
    for i in range(1, 6):
        store.save_case(f"case-{i}", f"Ring {i}", {"elements": [{"id": f"shipment:S{i}"}], "i": i})
    store.rename_case("case-2", "Ring two (renamed)")
    for i in range(1, 6):
        store.set_note(f"shipment:S{i}", f"checked by officer {i}\nsee case-{i}")
    for left, right, verdict, user in JUDGED:
        store.add_judgement(left, right, verdict, user)
    store.add_audit(AUDITED[:3])
    store.add_audit(AUDITED[3:])
    for watchlist, entries in WATCHLISTS:
        store.replace_watchlist(watchlist, entries)
    store.save_resolver_state(RESOLVER_STATE)


def lineage_of(run_id: str) -> list[LineageEntry]:
    return [
        LineageEntry(run_id, "n2", "grown", (), 3, 1, 7, "r0"),
        LineageEntry(run_id, "n1", "merged", ("n9",), 2, 0, 5, "r0"),
        LineageEntry(run_id, "n9", "gone", ("n1",), 0, 4, 0, "r0"),
    ]


def alerts_of(run_id: str) -> list[Alert]:
    """Three alerts, ids in an order their creation does not sort into."""
    return [
        Alert(
            f"{run_id}.{i}",
            run_id,
            kind,
            f"case-{i}",
            (f"why {i}", "<b>x</b>"),
            (f"shipment:S{i}",),
            ("n1",),
        )  # fmt: skip
        for i, kind in ((3, "case"), (1, "network"), (2, "watchlist"))
    ]


# Recorded in an order that no id, verdict or user sorts into, so only "as stored" passes.
JUDGED = [
    ("S9#consignee", "S2#consignee", "same", "officer-b"),
    ("party:p1", "S4#shipper", "different", "officer-a"),
    ("S1#consignee", "S7#consignee", "same", "officer-c"),
    ("S3#shipper", "party:p1", "different", "officer-a"),
    ("S5#consignee", "S6#consignee", "same", "officer-b"),
]


# Recorded out of time order on purpose: the log keeps recorded order, and stamps as stored.
AUDITED = [
    AuditEntry("officer-b", "search", "John Smith", "", "2026-03-02T09:00:00+00:00"),
    AuditEntry("officer-a", "view", "party:p1", "", "2026-01-15T17:30:00+00:00"),
    AuditEntry("officer-c", "judge", "S1#consignee", "same", "2026-03-01T08:00:00+00:00"),
    AuditEntry("officer-a", "export", "/tmp/ring.csv", "csv", "2025-12-31T23:59:59+00:00"),
    AuditEntry("officer-b", "login", "", "", "2026-02-01T00:00:00+00:00"),
]
WATCHLISTS = [
    (
        Watchlist("ofac", "bad", "/lists/ofac.csv", "sha-ofac", "2026-01-02T03:04:05+00:00", 2),
        [
            WatchlistEntry("ofac", 1, name="Li Wei Trading", country="CN", note="SDN"),
            WatchlistEntry("ofac", 3, phone="+86 20 5555 0101", email="x@example.cn"),
        ],
    ),
    (
        Watchlist("ctpat", "trusted", "/lists/ctpat.csv", "sha-ctpat", "2026-02-03T00:00:00", 1),
        [WatchlistEntry("ctpat", 1, name="Acme Logistics", address="1 Main St", ip="10.0.0.1")],
    ),
]
RESOLVER_STATE = {"mentions": bytes(range(256)) * 5, "pairs": b"\x00\x01"}


def snapshot(store: GraphStore) -> dict[str, Any]:
    """Everything a user can read back, in a comparable form."""
    runs = store.runs()
    return {
        "loads": store.loads(),
        "shipments": [s for b in store.iter_shipments(batch_size=4) for s in b],
        "quarantine": store.quarantine(),
        "nodes": [n for b in store.iter_nodes() for n in b],
        "edges": sorted(
            (e.source, e.kind.value, e.target, e.weight) for b in store.iter_edges() for e in b
        ),
        "mentions": [m for b in store.iter_mentions() for m in b],
        "evidence": store.merge_evidence("party:p1"),
        "runs": runs,
        "networks": {r.run_id: store.networks(r.run_id) for r in runs},
        "lineage": {r.run_id: store.lineage(r.run_id) for r in runs},
        "alerts": store.alerts(open_only=False),
        "counts": store.counts(),
        # ids, names, payloads and both timestamps, exactly as stored
        "cases": [store.case(c.case_id) for c in store.cases()],
        "notes": store.notes([f"shipment:S{i}" for i in range(1, 14)]),
        "judgements": store.judgements(),
        "audit": store.audit_log(limit=1_000_000),
        "watchlists": store.watchlists(),
        "watchlist_entries": store.watchlist_entries(),
        "resolver_state": store.resolver_state(),
        "workspace": store.migration_side().workspace_counts(),
    }


@pytest.fixture
def source(tmp_path: Path) -> Iterator[GraphStore]:
    s = SqliteStore(tmp_path / "source.db")
    fill(s)
    yield s
    s.close()


@pytest.fixture(params=BACKENDS)
def target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    yield from open_backend(request.param, tmp_path, "target")


def test_migration_copies_everything(source: GraphStore, target: GraphStore) -> None:
    report = migrate(source, target, batch_size=3)
    assert report.ok, report.mismatches
    assert report.copied["shipments"] == 13 and report.copied["quarantine"] == 7
    assert report.copied["cases"] == 5 and report.copied["notes"] == 5
    assert report.copied["network_lineage"] == 3 and report.copied["alerts"] == 3
    for key in ("network_lineage", "alerts"):
        assert report.source_counts[key] == report.target_counts[key] == 3
    # alerts keep their creation time, newest-first order and acknowledgement
    assert target.alerts(open_only=False) == source.alerts(open_only=False)
    acks = [(a.alert_id.split(".")[-1], a.acknowledged_by) for a in target.alerts(open_only=False)]
    assert acks == [("2", "officer-a"), ("1", ""), ("3", "")]
    assert report.source_counts["cases"] == report.target_counts["cases"] == 5
    assert report.source_counts["notes"] == report.target_counts["notes"] == 5
    copied = target.case("case-2")
    original = source.case("case-2")
    assert copied is not None and original is not None
    assert copied.name == "Ring two (renamed)" and copied.payload["i"] == 2
    assert (copied.created_at, copied.updated_at) == (original.created_at, original.updated_at)
    assert report.copied["judgements"] == 5
    assert report.source_counts["judgements"] == report.target_counts["judgements"] == 5
    # in the order they were recorded, with user and timestamp as stored
    assert [(j.left, j.right, j.verdict, j.user) for j in target.judgements()] == JUDGED
    assert target.judgements() == source.judgements()
    assert snapshot(target) == snapshot(source)


def test_watchlists_audit_log_and_resolver_state_are_copied_as_stored(
    source: GraphStore, target: GraphStore
) -> None:
    report = migrate(source, target, batch_size=2)
    assert report.ok, report.mismatches
    assert report.copied["audit_log"] == 5 and report.copied["watchlists"] == 2
    for key, n in {"audit_log": 5, "watchlists": 2, "watchlist_entries": 3}.items():
        assert report.source_counts[key] == report.target_counts[key] == n
    assert report.target_counts["resolver_state"] == 2  # pieces, compared like any table
    assert target.audit_log(limit=100) == AUDITED  # recorded order, users and stamps as stored
    assert target.audit_log(user="officer-a") == [AUDITED[1], AUDITED[3]]
    assert target.watchlists() == sorted((w for w, _ in WATCHLISTS), key=lambda w: w.name)
    assert target.watchlist_entries(["ofac"]) == WATCHLISTS[0][1]  # row numbers kept
    assert target.resolver_state() == RESOLVER_STATE
    # entries recorded after the migration sort after the copied ones
    target.add_audit([AuditEntry("officer-d", "view", "n1", "", "2026-03-03T00:00:00+00:00")])
    assert [e.user for e in target.audit_log()] == [e.user for e in AUDITED] + ["officer-d"]


def test_first_resolve_after_a_migration_is_incremental(tmp_path: Path, target: GraphStore) -> None:
    source = SqliteStore(tmp_path / "resolved.db")
    load(source, [f"S{i}" for i in range(1, 9)])
    assert run_resolution(source).mode == "full"
    assert migrate(source, target, batch_size=3).ok
    for store in (source, target):
        load(store, ["S9", "S10"], file_id="file-c")
    copied, original = run_resolution(target), run_resolution(source)
    assert copied.mode == original.mode == "incremental"
    assert copied.new_mentions == original.new_mentions > 0
    assert copied.reused_pairs == original.reused_pairs
    assert copied.summary == original.summary
    source.close()


def test_judgements_recorded_after_a_migration_sort_after_the_copied_ones(
    source: GraphStore, target: GraphStore
) -> None:
    assert migrate(source, target, batch_size=2).ok
    target.add_judgement("S10#consignee", "S11#consignee", "different", "officer-d")
    assert [j.left for j in target.judgements()] == [j[0] for j in JUDGED] + ["S10#consignee"]


def test_withdrawn_judgements_migrate_withdrawn(source: GraphStore, target: GraphStore) -> None:
    left, right, _, _ = JUDGED[1]
    (withdrawn,) = source.withdraw_judgement(left, right, "officer-w")
    assert migrate(source, target, batch_size=2).ok
    assert target.judgements(include_withdrawn=True) == source.judgements(include_withdrawn=True)
    assert withdrawn in target.judgements(include_withdrawn=True)
    assert withdrawn not in target.judgements() and len(target.judgements()) == len(JUDGED) - 1


def test_interrupted_migration_resumes_without_duplicates(
    source: GraphStore, target: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    bulk_cls: Any = SqliteBulk if isinstance(target, SqliteStore) else type(target)
    real = bulk_cls.import_page
    pages: list[str] = []

    def dying(self: Any, migration: str, table: str, records: Any, checkpoint: Any) -> None:
        if table == "quarantine" and pages.count("quarantine") == 2:
            raise KeyboardInterrupt("power cut")
        pages.append(table)
        real(self, migration, table, records, checkpoint)

    monkeypatch.setattr(bulk_cls, "import_page", dying)
    with pytest.raises(KeyboardInterrupt):
        migrate(source, target, batch_size=2)
    assert target.counts()["quarantine"] > 0  # part of the table had landed
    monkeypatch.setattr(bulk_cls, "import_page", real)
    report = migrate(source, target, batch_size=2)
    assert report.ok, report.mismatches
    assert snapshot(target) == snapshot(source)
    # and a third run finds every table done and copies nothing twice
    again = migrate(source, target, batch_size=2)
    assert again.ok and snapshot(target) == snapshot(source)


@pytest.mark.parametrize("table", ["cases", "notes", "judgements", "audit_log"])
def test_migration_interrupted_in_the_workspace_resumes_without_duplicates(
    source: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    target = SqliteStore(tmp_path / "resume.db")
    real = SqliteBulk.import_page
    landed: list[int] = []

    def dying(self: Any, migration: str, tbl: str, records: Any, checkpoint: Any) -> None:
        if tbl == table and len(landed) == 1:
            raise KeyboardInterrupt("power cut")
        if tbl == table and records:
            landed.append(len(records))
        real(self, migration, tbl, records, checkpoint)

    monkeypatch.setattr(SqliteBulk, "import_page", dying)
    with pytest.raises(KeyboardInterrupt):
        migrate(source, target, batch_size=2)
    assert SqliteBulk(target).workspace_counts()[table] == 2  # one page of it had landed
    monkeypatch.setattr(SqliteBulk, "import_page", real)
    report = migrate(source, target, batch_size=2)
    assert report.ok, report.mismatches
    assert report.copied[table] == 5
    assert SqliteBulk(target).workspace_counts() == source.migration_side().workspace_counts()
    assert snapshot(target) == snapshot(source)
    target.close()


@pytest.mark.parametrize("table", ["watchlists", "resolver_state", "network_lineage", "alerts"])
def test_migration_interrupted_after_a_replace_redoes_it_without_doubling(
    source: GraphStore, target: GraphStore, monkeypatch: pytest.MonkeyPatch, table: str
) -> None:
    """The power fails after a watchlist (or the resolver state, a run's lineage, a page
    of alerts) landed but before its checkpoint did: the resume replaces (or skips) it
    rather than adding a second copy."""
    bulk_cls: Any = SqliteBulk if isinstance(target, SqliteStore) else type(target)
    real = bulk_cls.import_page

    def dying(self: Any, migration: str, tbl: str, records: Any, checkpoint: Any) -> None:
        if tbl == table and not checkpoint.done:
            raise KeyboardInterrupt("power cut")
        real(self, migration, tbl, records, checkpoint)

    monkeypatch.setattr(bulk_cls, "import_page", dying)
    with pytest.raises(KeyboardInterrupt):
        migrate(source, target, batch_size=2)
    landed = target.migration_side().workspace_counts()
    assert landed[table] > 0  # the first list (the state) had landed, unrecorded
    monkeypatch.setattr(bulk_cls, "import_page", real)
    report = migrate(source, target, batch_size=2)
    assert report.ok, report.mismatches
    assert snapshot(target) == snapshot(source)


def test_migration_resumes_after_the_last_watchlist_that_landed(
    source: GraphStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = SqliteStore(tmp_path / "lists.db")
    real = SqliteBulk.import_page
    replaced: list[str] = []
    real_replace = SqliteStore.replace_watchlist

    def counting(self: SqliteStore, watchlist: Watchlist, entries: Any) -> Watchlist:
        replaced.append(watchlist.name)
        return real_replace(self, watchlist, entries)

    monkeypatch.setattr(SqliteStore, "replace_watchlist", counting)

    def dying(self: Any, migration: str, tbl: str, records: Any, checkpoint: Any) -> None:
        if tbl == "watchlists" and checkpoint.rows == 2:
            raise KeyboardInterrupt("power cut")
        real(self, migration, tbl, records, checkpoint)

    monkeypatch.setattr(SqliteBulk, "import_page", dying)
    with pytest.raises(KeyboardInterrupt):
        migrate(source, target, batch_size=2)
    monkeypatch.setattr(SqliteBulk, "import_page", real)
    assert migrate(source, target, batch_size=2).ok
    # "ctpat" was checkpointed before the cut, so only "ofac" is written again
    assert replaced == ["ctpat", "ofac", "ofac"]
    assert snapshot(target) == snapshot(source)
    target.close()


def test_migration_refuses_a_store_that_holds_only_cases(
    source: GraphStore, tmp_path: Path
) -> None:
    other = SqliteStore(tmp_path / "other.db")
    other.save_case("mine", "Mine", {})
    with pytest.raises(StoreError, match="already holds data"):
        migrate(source, other)
    other.close()


def test_migration_refuses_a_store_that_holds_only_judgements(
    source: GraphStore, tmp_path: Path
) -> None:
    other = SqliteStore(tmp_path / "other.db")
    other.add_judgement("A#consignee", "B#consignee", "same", "officer-a")
    with pytest.raises(StoreError, match="already holds data"):
        migrate(source, other)
    other.close()


@pytest.mark.parametrize(
    "fill_other",
    [
        lambda s: s.add_audit(AUDITED[:1]),
        lambda s: s.replace_watchlist(*WATCHLISTS[0]),
        lambda s: s.save_resolver_state(RESOLVER_STATE),
    ],
    ids=["audit_log", "watchlists", "resolver_state"],
)
def test_migration_refuses_a_store_that_holds_only_workspace_data(
    source: GraphStore, tmp_path: Path, fill_other: Any
) -> None:
    other = SqliteStore(tmp_path / "other.db")
    fill_other(other)
    with pytest.raises(StoreError, match="already holds data"):
        migrate(source, other)
    other.close()


def test_migration_refuses_a_store_that_already_holds_data(
    source: GraphStore, tmp_path: Path
) -> None:
    other = SqliteStore(tmp_path / "other.db")
    load(other, ["X1"])
    with pytest.raises(StoreError, match="already holds data"):
        migrate(source, other)
    other.close()


def test_migrate_command(source: GraphStore, tmp_path: Path) -> None:
    target_url = f"sqlite:///{tmp_path}/cli-target.db"
    result = CliRunner().invoke(
        cli, ["migrate", "--from", source.url, "--to", target_url, "--batch-size", "4", "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "Migration counts" in result.output
    copied = SqliteStore(tmp_path / "cli-target.db")
    assert snapshot(copied) == snapshot(source)
    copied.close()
    same = CliRunner().invoke(cli, ["migrate", "--from", source.url, "--to", source.url])
    assert same.exit_code == 1 and "same store" in same.output


def test_every_table_of_the_schema_is_migrated() -> None:
    """A table added to the schema without a migration step fails here. ``meta`` (schema
    version), ``network_members`` (written with ``networks``) and ``watchlist_entries``
    (with ``watchlists``) travel with another table."""
    schema = (Path(graphintel.store.__file__).parent / "schema.sql").read_text()
    tables = set(re.findall(r"CREATE TABLE IF NOT EXISTS (\w+)", schema))
    assert tables - set(TABLES) == {"meta", "network_members", "watchlist_entries"}
    assert set(TABLES) <= tables
