"""The party ledger: a party built from a day's shipments and extended with its ledger
entry over the older ones is the party a count over all of them in shipment-id order
makes (node label and props, identifier edge weights, and the ledger entry itself), over
seeds with interleaved ids, more names than a node shows, tied counts, several mentions of
one party in a shipment and parties seen on one side only."""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow.compute as pc
import pytest

from graphintel.resolve import party_ledger
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.party_graph import PartyGraph, PartyLink
from graphintel.resolve.party_ledger import PartyLedger
from graphintel.store.base import EdgeRow, NodeRow
from graphintel.store.staging import StagingFile

_MAX_NAMES = 3  # fewer than the names drawn, so that the cut and its ties matter

Row = tuple[str, list[PartyLink]]


def _features(rng: random.Random) -> list[PartyFeatures]:
    return [
        PartyFeatures(
            "n",
            "n",
            False,
            rng.choice(("US", "CN", "")),
            rng.choice(("", "+11", "+12")),
            rng.choice(("", "a@x", "b@x")),
            rng.choice(("", "A1", "A2", "A3")),
        )  # fmt: skip
        for _ in range(8)
    ]


def _shipments(rng: random.Random) -> list[Row]:
    """Shipments in id order, each with one to three mentions of a few parties, under
    names drawn from a pool larger than a node shows (with stray spaces)."""
    rows: list[Row] = []
    for n in range(rng.randint(5, 80)):
        links = []
        for role in rng.sample(("shipper", "consignee", "seller"), rng.randint(1, 3)):
            name = f"{' ' * rng.randint(0, 1)}name {rng.randint(0, 6)}"
            raw = (role, name, "", "", "", "", "", "", "", "", "")
            links.append(PartyLink(raw, f"P{rng.randint(0, 3)}", rng.randint(0, 7)))
        rows.append((f"S{n:03d}", links))
    return rows


def _graph(path: Path, features: list[PartyFeatures]) -> PartyGraph:
    return PartyGraph(StagingFile(str(path)), features, max_names=_MAX_NAMES)


def _built(graph: PartyGraph) -> tuple[list[NodeRow], list[EdgeRow]]:
    staged = graph.finish()
    return sorted(staged.nodes), sorted(staged.edges)


@pytest.mark.parametrize("seed", range(40))
def test_an_extended_party_is_what_a_count_over_all_shipments_makes(
    tmp_path: Path, seed: int
) -> None:
    rng = random.Random(seed)
    features = _features(rng)
    rows = _shipments(rng)
    new = {shipment for shipment, _ in rows if rng.random() < 0.3}

    whole = _graph(tmp_path / "whole.db", features)
    for shipment, links in rows:
        whole.add(shipment, links)
    whole_entries = party_ledger.table(whole.entries())

    before = _graph(tmp_path / "before.db", features)
    for shipment, links in rows:
        if shipment not in new:
            before.add(shipment, links)
    saved = PartyLedger.decode(party_ledger.encode(party_ledger.table(before.entries())))
    assert saved is not None
    _, before_edges = _built(before)

    day = _graph(tmp_path / "day.db", features)
    for shipment, links in rows:
        if shipment in new:
            day.add(shipment, links)
    old = saved.entries({f"P{k}" for k in range(4)})
    for entity_id, entry in old.items():
        day.extend(entity_id, entry)
    assert party_ledger.table(day.entries()).equals(whole_entries)
    day_nodes, day_edges = _built(day)
    whole_nodes, whole_edges = _built(whole)
    assert day_nodes == whole_nodes
    # the shipment-party edges of the old shipments stay in the store; the rest is the day's
    kept = [e for e in before_edges if e[0].startswith("shipment:")]
    assert sorted(kept + day_edges) == whole_edges


def test_a_ledger_updated_by_a_delta_is_the_one_a_whole_graph_saves(tmp_path: Path) -> None:
    features = _features(random.Random(1))
    rows = _shipments(random.Random(2))
    everything = _graph(tmp_path / "all.db", features)
    for shipment, links in rows:
        everything.add(shipment, links)
    whole = party_ledger.table(everything.entries())
    saved = PartyLedger.decode(party_ledger.encode(whole))
    assert saved is not None and len(saved) == whole.num_rows > 1
    # a delta that wrote P1 again (same rows) and removed P0: the ledger drops P0
    rewritten = whole.filter(pc.equal(whole["id"], "P1"))
    updated = PartyLedger.decode(saved.updated({"P0", "P1"}, rewritten))
    assert updated is not None
    ids = {f"P{k}" for k in range(4)}
    assert set(updated.entries(ids)) == set(saved.entries(ids)) - {"P0"}
    assert updated.entries({"P1"}) == saved.entries({"P1"})


def test_an_unreadable_ledger_is_none() -> None:
    assert PartyLedger.decode(b"not arrow") is None


@pytest.mark.parametrize("seed", range(10))
def test_the_ledger_table_holds_each_entry_as_given(seed: int, tmp_path: Path) -> None:
    """Built from flat columns, the table reads back row by row as the entries it got
    (the nested lists pyarrow would convert one by one are the oracle)."""
    rng = random.Random(seed)
    graph = _graph(tmp_path / "g.db", _features(rng))
    for shipment_id, links in _shipments(rng):
        graph.add(shipment_id, links)
    entries = list(graph.entries())
    rows = party_ledger.table(entries).to_pylist()
    expected = [
        {"id": entity_id, "names": e.names, "counts": e.counts, "first": e.first,
         "roles": e.roles, "countries": e.countries, "mentions": e.mentions,
         "edge_kind": [k for k, _, _ in e.edges], "edge_target": [t for _, t, _ in e.edges],
         "edge_weight": [w for _, _, w in e.edges]}
        for entity_id, e in sorted(entries)
    ]  # fmt: skip
    assert rows == expected
    assert party_ledger.table([]).num_rows == 0
