"""The summarised link chart against hand counts of ``casework`` (seven shipments), and its
layout: seeded, and no two circles overlap, also on a dense random network."""

from __future__ import annotations

import math
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from graphintel.export.summary import (
    SHIPPED_TO,
    NetworkSummary,
    SummaryLink,
    summarize_network,
    summarize_nodes,
)
from graphintel.export.summary_layout import layout, overlaps
from graphintel.store import GraphStore, SqliteStore
from tests.export import casework

ELM = "address:US|07105|12 ELM ST"


@pytest.fixture(scope="module")
def case_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("casework")) / "case.db")
    casework.build(store)
    yield store
    store.close()


def _all_nodes(store: GraphStore) -> list[str]:
    return [n.id for batch in store.iter_nodes() for n in batch]


def _party(store: GraphStore, name: str) -> str:
    found = [n.id for n in store.search(name) if n.id.startswith("party:")]
    assert len(found) == 1, found
    return found[0]


def _link(summary: NetworkSummary, source: str, target: str, kind: str) -> SummaryLink:
    found = [
        ln for ln in summary.links if (ln.source, ln.target, ln.kind) == (source, target, kind)
    ]
    assert len(found) == 1, (source, target, kind, summary.links)
    return found[0]


def test_shipments_fold_into_links_with_counts_value_and_dates(case_store: GraphStore) -> None:
    summary = summarize_nodes(case_store, _all_nodes(case_store))
    huayu, yiwu = _party(case_store, "Huayu"), _party(case_store, "Yiwu")
    mary, john = _party(case_store, "Mary Jones"), _party(case_store, "John Smith")
    ann = _party(case_store, "Ann Lee")
    assert not [n for n in summary.nodes if n.id.startswith("shipment:")]
    assert _link(summary, huayu, mary, SHIPPED_TO).shipment_ids == ("S2",)
    assert _link(summary, yiwu, mary, SHIPPED_TO).shipment_ids == ("S5",)
    seized = _link(summary, huayu, ann, SHIPPED_TO)
    assert (seized.count, seized.seized, seized.value_usd) == (1, 1, 40.0)
    drop = _link(summary, mary, ELM, "HAS_ADDRESS")
    assert (drop.count, drop.value_usd, drop.first_date, drop.last_date, drop.shipment_ids) == (
        2, 90.0, "2026-03-02", "2026-03-06", ("S2", "S5"),
    )  # fmt: skip
    assert _link(summary, john, "payment:tok_A", "PAID_WITH").shipment_ids == ("S1",)
    # The drop address: three consignees on five shipments; nobody else holds it.
    assert {ln.source for ln in summary.links if ln.target == ELM} == {
        john,
        mary,
        _party(case_store, "Bob Ray"),
    }
    elm = summary.node(ELM)
    assert elm is not None and (elm.shipments, elm.degree, elm.seized) == (5, 3, 0)
    bob = _link(summary, huayu, _party(case_store, "Bob Ray"), SHIPPED_TO)
    assert (bob.count, bob.value_usd, bob.shipment_ids) == (2, 130.0, ("S4", "S7"))
    email = _link(summary, huayu, "email:sales@huayu.example", "HAS_EMAIL")
    assert email.shipment_ids == ("S7",)  # the party's other four shipments lack it
    shipper = summary.node(huayu)
    assert shipper is not None
    assert (shipper.shipments, shipper.seized, shipper.value_usd, shipper.degree) == (
        5, 1, 220.0, 8,
    )  # fmt: skip
    assert (shipper.first_date, shipper.last_date) == ("2026-03-01", "2026-03-08")
    assert summary.seized_shipment_ids == ("S3",)
    assert (summary.shipments, summary.value_usd) == (7, 350.0)
    assert summary.timeline == (
        ("2026-03-01", 1, 0), ("2026-03-02", 2, 1), ("2026-03-05", 1, 0),
        ("2026-03-06", 1, 0), ("2026-03-07", 1, 0), ("2026-03-08", 1, 0),
    )  # fmt: skip
    assert shipper.key and elm.key  # the most linked nodes are key nodes


def test_a_network_summary_keeps_its_members_and_cites_its_evidence(
    case_store: GraphStore,
) -> None:
    run = case_store.latest_run()
    assert run is not None
    for network in case_store.networks(run.run_id):
        summary = summarize_network(case_store, network.network_id)
        assert summary.run_id == run.run_id and summary.network_id == network.network_id
        assert {n.id for n in summary.nodes} == set(network.entity_ids)
        cited = {e for ids in network.evidence.values() for e in ids}
        assert {n.id for n in summary.nodes if n.id in cited} <= {n.id for n in summary.key_nodes()}
        for link in summary.links:  # every link stays within the network's shipments
            assert set(link.shipment_ids) <= {s.partition(":")[2] for s in network.shipment_ids}


def _no_overlap(summary: NetworkSummary) -> None:
    for a, b in combinations(summary.nodes, 2):
        assert math.dist((a.x, a.y), (b.x, b.y)) >= a.radius + b.radius, (a.id, b.id)


def test_layout_is_seeded_and_no_nodes_overlap(case_store: GraphStore) -> None:
    first = summarize_nodes(case_store, _all_nodes(case_store))
    again = summarize_nodes(case_store, _all_nodes(case_store))
    assert [(n.x, n.y) for n in first.nodes] == [(n.x, n.y) for n in again.nodes]
    _no_overlap(first)


def test_a_dense_network_and_coincident_points_are_separated() -> None:
    graph = nx.gnm_random_graph(400, 1600, seed=3)
    ids = [f"n{i}" for i in graph.nodes]
    radii = [12.0 + (i % 5) * 5 for i in graph.nodes]
    where = layout(ids, radii, {(f"n{a}", f"n{b}"): 1.0 for a, b in graph.edges})
    xy = np.array([where[i] for i in ids])
    assert overlaps(xy, np.array(radii), gap=0.0) == 0
    # Ten unlinked nodes start in one place (no links: the spring layout still spreads
    # them); the separation works on coincident points too.
    from graphintel.export.summary_layout import separate

    stacked = separate(np.zeros((10, 2)), np.full(10, 15.0))
    assert overlaps(stacked, np.full(10, 15.0), gap=0.0) == 0
