"""Community splitting of oversized components, drop addresses over the hub limit, and the
evaluation of ranked networks against known rings."""

from __future__ import annotations

import csv
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from graphintel.analytics import AnalysisConfig, AnalysisConfigError, analyze_store
from graphintel.analytics.evaluate import (
    TruthFileError,
    average_precision,
    evaluate_networks,
    read_truth,
)
from graphintel.cli.commands import cli
from graphintel.model import NodeKind, node_id
from graphintel.records import Network
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder


def _cell(g: GraphBuilder, name: str, seized: bool) -> None:
    """A ring: 5 shippers at one warehouse feeding 15 buyers who order from one IP."""
    for k in range(15):
        g.ship(
            f"{name}-{k}",
            f"{name} shipper {k % 5}",
            f"{name} buyer {k}",
            value=300.0,
            address=f"{name} {k} main st",
            payment=f"card:{name}-{k // 3}",
            ip=f"10.0.{ord(name[0])}.1",
            shipper_address=f"{name} warehouse",
            outcome="seized" if seized and k < 5 else "",
            category="fentanyl" if seized and k < 5 else "",
        )
        g.ship(f"{name}-{k}b", f"{name} shipper {(k + 1) % 5}", f"{name} buyer {k}", value=300.0)


def _bridged_cells(store: GraphStore) -> GraphStore:
    """Two dense cells joined by one shared phone: one component of 40 parties."""
    g = GraphBuilder()
    _cell(g, "north", seized=True)
    _cell(g, "south", seized=True)
    g.ship("bridge", "north shipper 0", "south buyer 0", shipper_phone="+8655")
    g.ship("bridge2", "south shipper 0", "north buyer 0", shipper_phone="+8655")
    return g.write(store)


def test_leiden_splits_an_oversized_component_into_its_cells(store: GraphStore) -> None:
    _bridged_cells(store)
    # The component path (kept selectable beside evidence carving) and its community split.
    old = AnalysisConfig(hub_rule="fixed", carving="components")
    whole = store.networks(analyze_store(store, old).run_id)
    assert len(whole) == 1
    config = replace(old, algorithm="leiden", seed=3, split_min_parties=30)
    split_run = analyze_store(store, config)
    split = store.networks(split_run.run_id)
    assert len(split) == 2
    for net in split:
        names = {e.split(":", 1)[1].split("-")[0] for e in net.entity_ids if e.startswith("party")}
        assert len(names) == 1  # each network is one cell
    run = store.latest_run("analyze")
    assert run is not None
    assert run.params["algorithm"] == "leiden" and run.params["seed"] == 3
    assert run.params["resolution"] == 0.5 and "igraph" in run.versions
    # At resolution 1, modularity cuts each 20-party cell into smaller pieces.
    finer = store.networks(analyze_store(store, replace(config, resolution=1.0)).run_id)
    assert len(finer) > 2


def test_small_components_are_never_split(store: GraphStore) -> None:
    _bridged_cells(store)
    config = AnalysisConfig(carving="components", algorithm="louvain", split_min_parties=500)
    assert len(store.networks(analyze_store(store, config).run_id)) == 1


def test_unknown_algorithm_fails_before_a_run_is_recorded(store: GraphStore) -> None:
    _bridged_cells(store)
    with pytest.raises(AnalysisConfigError, match="leiden"):
        analyze_store(store, AnalysisConfig(algorithm="pagerank"))
    assert store.latest_run("analyze") is None
    with pytest.raises(AnalysisConfigError):
        AnalysisConfig(resolution=0)


def _drop(g: GraphBuilder, shippers: list[str], consignees: int, address: str) -> None:
    for k in range(consignees):
        g.ship(
            f"{address}-{k}", shippers[k % len(shippers)], f"{address} tenant {k}", address=address
        )


def test_drop_address_over_the_hub_limit_is_kept_but_a_tower_is_cut(store: GraphStore) -> None:
    g = GraphBuilder()
    # A consolidator ships for the whole market: a hub party (over 100 counterparties).
    for k in range(120):
        g.ship(f"market-{k}", "Big Consolidator", f"shopper {k}", address=f"{k} elm st")
    _drop(g, ["Ring Shipper A", "Ring Shipper B"], 30, "9 water st unit 10b")
    _drop(g, ["Big Consolidator"], 30, "1 tower plaza")
    g.write(store)
    run = analyze_store(store, AnalysisConfig(hub_limit=20))
    networks = store.networks(run.run_id)
    drop_id = node_id(NodeKind.ADDRESS, "9 water st unit 10b")
    tower_id = node_id(NodeKind.ADDRESS, "1 tower plaza")
    assert any("30 consignees at one address" in r for n in networks for r in n.reasons)
    assert any(drop_id in n.entity_ids for n in networks)
    assert f"hub:{tower_id}" in run.counts
    assert f"hub:{drop_id}" not in run.counts
    # Above drop_address_max_parties the same address is a hub again.
    capped = analyze_store(store, AnalysisConfig(hub_limit=20, drop_address_max_parties=25))
    assert f"hub:{drop_id}" in capped.counts


# -- evaluation ---------------------------------------------------------------------------
def test_average_precision_matches_hand_computed_values() -> None:
    assert average_precision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0]) == pytest.approx(
        (1 / 1 + 2 / 3) / 2
    )
    assert average_precision([1, 1, 0, 0], [1, 0, 1, 0]) == pytest.approx(0.5 * 0.5 + 0.5 * 0.5)
    assert average_precision([0.3, 0.2], [0, 0]) == 0.0
    rng = np.random.default_rng(1)
    labels = rng.random(200) < 0.2
    assert average_precision(labels.astype(float), labels) == pytest.approx(1.0)


def _network(rank: int, score: float, ships: list[str]) -> Network:
    ids = tuple(node_id(NodeKind.SHIPMENT, s) for s in ships)
    return Network(
        network_id=f"net-{rank}",
        run_id="run-x",
        rank=rank,
        score=score,
        reasons=(),
        evidence={},
        shipment_ids=ids,
        entity_ids=(),
        first_date="",
        last_date="",
        seized_count=0,
        typologies=(),
        n_shipments=len(ids),
        n_entities=0,
    )


def _truth_file(path: Path) -> Path:
    rows = [("a1", "ring-a"), ("a2", "ring-a"), ("a3", "ring-a"), ("a4", "ring-a")]
    rows += [("b1", "ring-b"), ("b2", "ring-b"), ("x1", ""), ("x2", ""), ("x3", "")]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["shipment_id", "ring_id", "hub_kind"])
        writer.writerows((s, r, "") for s, r in rows)
    return path


def test_evaluate_networks_counts_rings_by_jaccard(tmp_path: Path) -> None:
    truth = read_truth(_truth_file(tmp_path / "truth.csv"))
    networks = [
        _network(1, 9.0, ["a1", "a2", "a3"]),  # Jaccard 3/4 with ring-a
        _network(2, 5.0, ["x1", "x2", "b1"]),  # Jaccard 1/4 with ring-b: no match
        _network(3, 4.0, ["b1", "b2", "x3"]),  # Jaccard 2/3 with ring-b
    ]
    at_two = evaluate_networks(networks, truth, top=2)
    assert (at_two.found, at_two.recall, at_two.correct, at_two.precision) == (1, 0.5, 1, 0.5)
    assert at_two.missed == ("ring-b",)
    default = evaluate_networks(networks, truth)  # recall at 4, precision at 2
    assert (default.recall_at, default.precision_at) == (4, 2)
    assert default.recall == 1.0 and default.precision == 0.5
    # Shipment scores: a1-a3 9, x1 x2 b1 5, b2 x3 4, a4 x-none 0.
    expected = average_precision([9, 9, 9, 0, 5, 4, 5, 5, 4], [1, 1, 1, 1, 1, 1, 0, 0, 0])
    assert default.average_precision == pytest.approx(expected)


def test_truth_file_without_ring_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("shipment_id,typology\nS1,\n")
    with pytest.raises(TruthFileError, match="ring_id"):
        read_truth(path)


def test_eval_networks_command(store: GraphStore, tmp_path: Path) -> None:
    _bridged_cells(store)
    analyze_store(store, AnalysisConfig(algorithm="leiden", seed=1, split_min_parties=30))
    truth = tmp_path / "truth.csv"
    with truth.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["shipment_id", "ring_id"])
        for cell in ("north", "south"):
            for k in range(15):
                writer.writerow([f"{cell}-{k}", cell])
                writer.writerow([f"{cell}-{k}b", cell])
    result = CliRunner().invoke(
        cli, ["--store", store.url, "eval", "networks", "--truth", str(truth), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    assert '"recall@4": 1.0' in result.output and '"precision@2": 1.0' in result.output
    missing = CliRunner().invoke(
        cli, ["--store", store.url, "eval", "networks", "--truth", str(tmp_path / "none.csv")]
    )
    assert missing.exit_code == 1 and "error:" in missing.output
