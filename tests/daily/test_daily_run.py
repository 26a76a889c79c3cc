"""Daily operation end to end on SQLite, over synth seeds: a base load is analysed, a saved
case and a bad watchlist entry are set up, the newest days are loaded and analysed, and
ids, lineage, alerts and the case's news are checked against what the data says."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from graphintel.analytics import analyze_store
from graphintel.cli import cli
from graphintel.daily.cases import REFRESH_LIMIT, case_nodes, follow_case
from graphintel.daily.identity import network_members, serial_of
from graphintel.records import CaseRecord, Network, Watchlist, WatchlistEntry
from graphintel.resolve import resolve_store
from graphintel.store import SqliteStore
from loaders.load import load_file
from tests.daily.days import Days, synth_days

SHIPMENTS = 3000


@dataclass
class Daily:
    path: Path
    days: Days
    store: SqliteStore
    run1: str  # the base
    again: str  # the base analysed again, nothing new
    run2: str  # after the newest days
    case: CaseRecord
    listed_phone: str


def _phone_in_new(days: Days) -> str:
    with days.new.open(newline="", encoding="utf-8") as f:
        phones = [r["shipper_phone"] for r in csv.DictReader(f) if r["shipper_phone"]]
    return sorted(phones)[len(phones) // 2]


@pytest.fixture(scope="module", params=[7, 31])
def daily(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Daily]:
    out = tmp_path_factory.mktemp(f"daily{request.param}")
    days = synth_days(out, shipments=SHIPMENTS, seed=request.param)
    store = SqliteStore(out / "store.db")
    load_file(store, days.base)
    resolve_store(store)
    run1 = analyze_store(store).run_id
    again = analyze_store(store).run_id
    top = store.networks(run1, limit=1)[0]
    elements = [{"data": {"id": n}} for n in (*top.entity_ids, *top.shipment_ids[:5])]
    source = {"run_id": run1, "network_id": top.network_id}
    case = store.save_case("case-t", "Top ring", {"elements": elements, "source": source})
    phone = _phone_in_new(days)
    store.replace_watchlist(
        Watchlist("bad-phones", "bad", "bad.csv", "f" * 64, "2026-01-01T00:00:00+00:00", 1),
        [WatchlistEntry("bad-phones", 1, phone=phone)],
    )
    load_file(store, days.new)
    resolve_store(store)
    run2 = analyze_store(store).run_id
    yield Daily(out, days, store, run1, again, run2, case, phone)
    store.close()


def _by_id(store: SqliteStore, run_id: str) -> dict[str, Network]:
    return {n.network_id: n for n in store.networks(run_id)}


def test_an_analysis_without_new_data_keeps_every_id_and_is_quiet(daily: Daily) -> None:
    first, again = _by_id(daily.store, daily.run1), _by_id(daily.store, daily.again)
    assert {k: network_members(v) for k, v in first.items()} == {
        k: network_members(v) for k, v in again.items()
    }
    assert {e.event for e in daily.store.lineage(daily.again)} == {"quiet"}
    assert daily.store.alerts(run_id=daily.again) == []


def test_planted_rings_keep_their_network_id_across_the_new_day(daily: Daily) -> None:
    ring_ships: dict[str, set[str]] = defaultdict(set)
    with daily.days.truth.open(newline="") as f:
        for row in csv.DictReader(f):
            if row["ring_id"]:
                ring_ships[row["ring_id"]].add(f"shipment:{row['shipment_id']}")

    def found(run_id: str) -> dict[str, str]:
        best: dict[str, str] = {}
        for n in daily.store.networks(run_id):
            ships = {m for m in network_members(n) if m.startswith("shipment:")}
            for ring, members in ring_ships.items():
                if ring not in best and len(ships & members) >= 0.5 * len(ships | members):
                    best[ring] = n.network_id
        return best

    before, after = found(daily.again), found(daily.run2)
    both = set(before) & set(after)
    assert len(both) >= 5
    # a ring may span several networks (evidence carving): when the day's shipments make
    # another of them its best match, both are continued networks under their old ids
    lineage = {e.network_id: e for e in daily.store.lineage(daily.run2)}
    kept = sum(before[r] == after[r] for r in both)
    assert kept >= 0.8 * len(both)
    for r in both:
        assert lineage[before[r]].event not in ("gone", "new"), lineage[before[r]]
        assert lineage[after[r]].event != "new", lineage[after[r]]


def test_lineage_accounts_for_every_network_once(daily: Daily) -> None:
    before, after = _by_id(daily.store, daily.again), _by_id(daily.store, daily.run2)
    entries = daily.store.lineage(daily.run2)
    current = [e for e in entries if e.event != "gone"]
    gone = [e for e in entries if e.event == "gone"]
    assert sorted(e.network_id for e in current) == sorted(after)
    assert {e.network_id for e in gone} == set(before) - set(after)
    issued = daily.store.latest_run("analyze").counts["network_serial"]  # type: ignore[union-attr]
    for e in current:
        members = network_members(after[e.network_id])
        assert e.size == len(members)
        if e.network_id in before:  # continued: the counts are the set differences
            old = network_members(before[e.network_id])
            assert (e.added, e.removed) == (len(members - old), len(old - members))
            assert e.event != "new"
        else:
            assert serial_of(e.network_id) > max(map(serial_of, before))
            assert serial_of(e.network_id) <= issued
    assert any(e.event in ("grown", "merged", "changed") for e in current)


def test_the_case_follows_its_network_and_is_alerted(daily: Daily) -> None:
    store = daily.store
    follow = follow_case(store, daily.case)
    assert follow.network_id == daily.case.payload["source"]["network_id"]
    network = store.network(daily.run2, follow.network_id)
    assert network is not None
    members = network_members(network) | set(network.entity_ids)  # identifiers too
    assert set(follow.new) == members - case_nodes(daily.case.payload)
    # oracle for the alert: new shipments (in no network of the run before) linked to the
    # case's parties and identifiers, read straight from the graph
    seen = {m for n in store.networks(daily.again) for m in network_members(n)}
    fresh = {m for n in store.networks(daily.run2) for m in network_members(n)} - seen
    fresh = {m for m in fresh if m.startswith("shipment:")}
    entities = {n for n in case_nodes(daily.case.payload) if not n.startswith("shipment:")}
    touching = set()
    for entity in entities:
        edges, _ = store.neighbours(entity, limit=10_000)
        ends = {e.target if e.source == entity else e.source for e in edges}
        touching |= ends & fresh
        if not entity.startswith("party:"):  # an identifier: its parties' shipments too
            for party in (n for n in ends if n.startswith("party:")):
                party_edges, _ = store.neighbours(party, limit=10_000)
                touching |= {e.source for e in party_edges} & fresh
    case_alerts = [a for a in store.alerts(run_id=daily.run2) if a.kind == "case"]
    if touching:
        (alert,) = case_alerts
        assert set(alert.shipment_ids) == touching
        assert alert.subject == daily.case.case_id
    else:
        assert case_alerts == []


def test_a_bad_watchlist_phone_on_new_shipments_raises_an_alert(daily: Daily) -> None:
    listed = [a for a in daily.store.alerts(run_id=daily.run2) if a.kind == "watchlist"]
    assert listed, "the listed phone is on a new shipment"
    assert any(a.subject.startswith("phone:") and "bad-phones" in a.reasons[0] for a in listed)
    assert all(a.shipment_ids for a in listed)


def test_cli_changes_alerts_ack_and_case_refresh(daily: Daily) -> None:
    url = daily.store.url
    runner = CliRunner()
    changes = runner.invoke(cli, ["--store", url, "networks", "--changes", "--format", "json"])
    assert changes.exit_code == 0, changes.output
    rows = json.loads(changes.output)
    assert len(rows) == len(daily.store.lineage(daily.run2))
    listed = runner.invoke(cli, ["--store", url, "alerts", "--format", "json"])
    assert listed.exit_code == 0, listed.output
    open_ids = [r["alert_id"] for r in json.loads(listed.output)]
    assert open_ids
    acked = runner.invoke(cli, ["--store", url, "alerts", "ack", open_ids[0], "--user", "ana"])
    assert acked.exit_code == 0, acked.output
    assert open_ids[0] not in [a.alert_id for a in daily.store.alerts()]
    assert daily.store.alerts(open_only=False)[0].alert_id  # kept, acknowledged
    audit = daily.store.audit_log(action="ack_alert")
    assert audit[-1].target == open_ids[0] and "(as ana)" in audit[-1].detail
    missing = runner.invoke(cli, ["--store", url, "alerts", "ack", "no-such-alert"])
    assert missing.exit_code == 1 and "no alert" in missing.output
    waiting = len(follow_case(daily.store, daily.case).new)
    refreshed = runner.invoke(cli, ["--store", url, "case", "refresh", daily.case.case_id])
    assert refreshed.exit_code == 0, refreshed.output
    case = daily.store.case(daily.case.case_id)
    assert case is not None and case.payload["source"]["run_id"] == daily.run2
    assert len(follow_case(daily.store, case).new) == max(0, waiting - REFRESH_LIMIT)
    assert daily.store.audit_log(action="refresh_case")[-1].target == daily.case.case_id
