"""The whole pipeline on generated data with planted rings: synth -> load -> resolve -> analyze.

A planted ring counts as found when one ranked network's shipments have a Jaccard index of
at least 0.5 with the ring's shipments (truth.csv / rings.csv from the generator).
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphintel.analytics import analyze_store
from graphintel.analytics.evaluate import evaluate_networks, read_truth
from graphintel.records import Network
from graphintel.resolve import resolve_store
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders.load import load_file

SHIPMENTS = 20_000
SEED = 7
TOP = 50
MIN_RECALL = 0.85  # measured 0.95 (19 of 20 rings) at 20,000 shipments, seed 7


@dataclass(frozen=True)
class Outcome:
    networks: list[Network]
    ring_shipments: dict[str, set[str]]
    ring_typology: dict[str, str]
    hub_kind: dict[str, str]  # shipment id -> legit hub kind ("" for none)
    counts: dict[str, int]


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outcome]:
    out = tmp_path_factory.mktemp("pipeline")
    summary = generate(out, shipments=SHIPMENTS, seed=SEED)
    store = SqliteStore(out / "store.db")
    try:
        report = load_file(store, summary.manifest)
        assert report.rows_loaded == SHIPMENTS
        resolve_store(store)
        run_id = analyze_store(store).run_id
        networks = store.networks(run_id)
        counts = store.latest_run("analyze").counts  # type: ignore[union-attr]
    finally:
        store.close()
    ring_shipments: dict[str, set[str]] = defaultdict(set)
    hub_kind: dict[str, str] = {}
    with summary.truth.open(newline="") as f:
        for row in csv.DictReader(f):
            hub_kind[row["shipment_id"]] = row["hub_kind"]
            if row["ring_id"]:
                ring_shipments[row["ring_id"]].add(row["shipment_id"])
    with summary.rings.open(newline="") as f:
        ring_typology = {row["ring_id"]: row["typology"] for row in csv.DictReader(f)}
    yield Outcome(networks, dict(ring_shipments), ring_typology, hub_kind, counts)


def _shipments(network: Network) -> set[str]:
    return {s.removeprefix("shipment:") for s in network.shipment_ids}


def _best_rank(outcome: Outcome) -> dict[str, int]:
    """For each ring, the best rank of a network matching it (Jaccard >= 0.5)."""
    best: dict[str, int] = {}
    for network in outcome.networks:
        ships = _shipments(network)
        for ring, members in outcome.ring_shipments.items():
            if len(ships & members) >= 0.5 * len(ships | members):
                best.setdefault(ring, network.rank)
    return best


def test_planted_rings_are_found_in_the_top_networks(
    outcome: Outcome, record_property: pytest.RecordProperty
) -> None:
    found = {ring: rank for ring, rank in _best_rank(outcome).items() if rank <= TOP}
    recall = len(found) / len(outcome.ring_typology)
    missed = sorted(set(outcome.ring_typology) - set(found))
    record_property("ring_recall_top50", round(recall, 3))
    print(f"ring recall in the top {TOP}: {recall:.2f}; missed: {missed}")
    assert recall >= MIN_RECALL, f"missed {[(r, outcome.ring_typology[r]) for r in missed]}"
    # Every typology the generator plants is found at least once.
    assert {outcome.ring_typology[r] for r in found} == set(outcome.ring_typology.values())


def test_networks_dominated_by_legit_hubs_rank_below_the_found_rings(outcome: Outcome) -> None:
    found_ranks = [rank for rank in _best_rank(outcome).values() if rank <= TOP]
    assert found_ranks
    worst_found = max(found_ranks)
    dominated = []
    for network in outcome.networks:
        kinds = Counter(outcome.hub_kind.get(s, "") for s in _shipments(network))
        hub_share = 1.0 - kinds[""] / max(sum(kinds.values()), 1)
        if hub_share > 0.5:
            dominated.append((network.rank, dict(kinds), network.reasons))
    assert all(rank > worst_found for rank, *_ in dominated), (worst_found, dominated)


def test_hubs_are_cut_and_reported(outcome: Outcome) -> None:
    # The generator's consolidators and marketplace hotline are hubs at any size.
    assert outcome.counts["hub_parties"] >= 1
    assert outcome.counts["hub_identifiers"] >= 1
    assert any(key.startswith("hub:") for key in outcome.counts)
    ranked_entities = {e for n in outcome.networks for e in n.entity_ids}
    hubs = {key.removeprefix("hub:") for key in outcome.counts if key.startswith("hub:")}
    assert not hubs & ranked_entities


def test_issue_targets_by_the_evaluation_module(outcome: Outcome, tmp_path: Path) -> None:
    """Recall at K = 2 x rings >= 0.9 and precision at K = rings >= 0.8 (measured 1.0 and
    1.0, AP 0.99, at 20,000 shipments, seed 7, once drop addresses over the hub limit are
    kept)."""
    truth_path = tmp_path / "truth.csv"
    with truth_path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["shipment_id", "ring_id"])
        for ring, members in outcome.ring_shipments.items():
            writer.writerows((s, ring) for s in members)
        writer.writerows((s, "") for s in outcome.hub_kind if not _in_ring(outcome, s))
    result = evaluate_networks(outcome.networks, read_truth(truth_path))
    print(result.as_dict())
    assert result.recall >= 0.9, result.missed
    assert result.precision >= 0.8
    assert result.average_precision >= 0.8


def _in_ring(outcome: Outcome, shipment: str) -> bool:
    return any(shipment in members for members in outcome.ring_shipments.values())
