"""``graphintel migrate``: a whole store copied, resumable, counts compared."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from graphintel.cli import cli
from graphintel.errors import StoreError
from graphintel.records import QuarantineEntry
from graphintel.store import GraphStore, SqliteStore
from graphintel.store.migrate import TABLES, bulk_of, migrate
from graphintel.store.sqlite_bulk import SqliteBulk
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
    failed = store.start_run("analyze", {}, {})
    store.fail_run(failed.run_id, "boom")
    for i in range(1, 6):
        store.save_case(f"case-{i}", f"Ring {i}", {"elements": [{"id": f"shipment:S{i}"}], "i": i})
    store.rename_case("case-2", "Ring two (renamed)")
    for i in range(1, 6):
        store.set_note(f"shipment:S{i}", f"checked by officer {i}\nsee case-{i}")
    for left, right, verdict, user in JUDGED:
        store.add_judgement(left, right, verdict, user)


# Recorded in an order that no id, verdict or user sorts into, so only "as stored" passes.
JUDGED = [
    ("S9#consignee", "S2#consignee", "same", "officer-b"),
    ("party:p1", "S4#shipper", "different", "officer-a"),
    ("S1#consignee", "S7#consignee", "same", "officer-c"),
    ("S3#shipper", "party:p1", "different", "officer-a"),
    ("S5#consignee", "S6#consignee", "same", "officer-b"),
]


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
        "counts": store.counts(),
        # ids, names, payloads and both timestamps, exactly as stored
        "cases": [store.case(c.case_id) for c in store.cases()],
        "notes": store.notes([f"shipment:S{i}" for i in range(1, 14)]),
        "judgements": store.judgements(),
        "workspace": bulk_of(store).workspace_counts(),
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


@pytest.mark.parametrize("table", ["cases", "notes", "judgements"])
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
    assert SqliteBulk(target).workspace_counts() == {"cases": 5, "notes": 5, "judgements": 5}
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


def test_every_table_is_migrated() -> None:
    assert set(TABLES) == {
        "loads",
        "shipments",
        "quarantine",
        "nodes",
        "edges",
        "mentions",
        "merge_evidence",
        "runs",
        "networks",
        "cases",
        "notes",
        "judgements",
    }
