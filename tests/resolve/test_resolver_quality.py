"""Resolver quality on generated data with ground truth, and the graph it builds.

5,000 synthetic shipments (``graphintel.synth``) go through the real loader into a SQLite
store and are resolved; the resolver's party assignments are scored pairwise against the
generator's truth (one true entity per shipper, consignee and seller mention). Measured
figures are printed (``pytest -s``); the assertions hold a floor well below them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphintel.model import EDGE_TYPES, NodeKind, kind_of
from graphintel.resolve import ResolveSummary, resolve_store
from graphintel.resolve.evaluate import PairwiseScores, pairwise_scores
from graphintel.store import GraphStore, SqliteStore
from graphintel.synth import generate
from loaders import load_file

ROLES = ("shipper", "consignee", "seller")


@dataclass
class Resolved:
    store: GraphStore
    summary: ResolveSummary
    predicted: dict[str, str]  # mention id -> entity id
    truth: dict[str, str]  # mention id -> true entity
    hub_of: dict[str, str]  # shipment id -> hub kind ("" when none)


def _truth(path: Path) -> tuple[dict[str, str], dict[str, str]]:
    truth: dict[str, str] = {}
    hub_of: dict[str, str] = {}
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            hub_of[row["shipment_id"]] = row["hub_kind"]
            for role in ROLES:
                if row[f"{role}_entity"]:
                    truth[f"{row['shipment_id']}#{role}"] = row[f"{role}_entity"]
    return truth, hub_of


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Resolved]:
    out = tmp_path_factory.mktemp("synth")
    synth = generate(out, shipments=5_000, seed=7)
    store = SqliteStore(out / "store.db")
    report = load_file(store, synth.manifest)
    assert report.rows_loaded == 5_000
    summary = resolve_store(store)
    predicted = {a.mention_id: a.entity_id for batch in store.iter_mentions() for a in batch}
    truth, hub_of = _truth(synth.truth)
    yield Resolved(store, summary, predicted, truth, hub_of)
    store.close()


def _report(label: str, scores: PairwiseScores) -> None:
    print(
        f"\n{label}: precision {scores.precision:.4f} recall {scores.recall:.4f} "
        f"(true links {scores.true_links:,}, predicted {scores.predicted_links:,}, "
        f"correct {scores.correct_links:,})"
    )


def test_pairwise_precision_and_recall_against_ground_truth(resolved: Resolved) -> None:
    scores = pairwise_scores(resolved.predicted, resolved.truth)
    _report("all mentions", scores)
    assert scores.precision >= 0.95
    assert scores.recall >= 0.95
    for role in ROLES:
        mine = {m: e for m, e in resolved.predicted.items() if m.endswith(f"#{role}")}
        role_scores = pairwise_scores(mine, resolved.truth)
        _report(role, role_scores)
        assert role_scores.precision >= 0.95, role
        assert role_scores.recall >= 0.90, role


def test_hub_shipments_do_not_fuse_their_parties(resolved: Resolved) -> None:
    """Parties of consolidator, hotline, tower and household shipments stay apart."""
    hub_mentions = {
        m for m in resolved.truth if resolved.hub_of[m.partition("#")[0]] and "#seller" not in m
    }
    assert len(hub_mentions) > 500
    scores = pairwise_scores(
        {m: resolved.predicted[m] for m in hub_mentions},
        {m: resolved.truth[m] for m in hub_mentions},
    )
    _report("hub shipments", scores)
    assert scores.precision >= 0.95
    entities = {resolved.predicted[m] for m in hub_mentions}
    true_entities = {resolved.truth[m] for m in hub_mentions}
    assert len(entities) >= 0.95 * len(true_entities)


def test_every_mention_is_assigned(resolved: Resolved) -> None:
    assert resolved.truth.keys() <= resolved.predicted.keys()
    assert resolved.summary.mentions == len(resolved.predicted)
    assert resolved.summary.entities == len(set(resolved.predicted.values()))


def test_graph_matches_the_declared_schema(resolved: Resolved) -> None:
    nodes = {n.id: n.kind for batch in resolved.store.iter_nodes() for n in batch}
    declared = {t.kind: (t.source, t.target) for t in EDGE_TYPES}
    n_edges = 0
    for batch in resolved.store.iter_edges():
        for edge in batch:
            n_edges += 1
            assert (nodes[edge.source], nodes[edge.target]) == declared[edge.kind], edge
    assert (len(nodes), n_edges) == (resolved.summary.nodes, resolved.summary.edges)
    assert all(kind_of(node) is kind for node, kind in nodes.items())
    parties = {node for node, kind in nodes.items() if kind is NodeKind.PARTY}
    assert parties == set(resolved.predicted.values())
    assert sum(kind is NodeKind.SHIPMENT for kind in nodes.values()) == 5_000
