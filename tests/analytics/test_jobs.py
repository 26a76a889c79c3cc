"""A whole analysis run on a hand-built store: ranking, reasons, hubs and run records."""

from __future__ import annotations

from collections import Counter

import pytest

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.analytics import jobs as jobs_module
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party

RING_SHIPPERS = ["Huayu Trading", "Huayu Import Export", "HY Global"]
RING_BUYERS = [f"Ring Buyer {k}" for k in range(7)]


def _ring(g: GraphBuilder) -> None:
    for k, buyer in enumerate(RING_BUYERS):
        shipper = RING_SHIPPERS[k % 3]
        for day in (1, 2):
            g.ship(
                f"R{k}-{day}",
                shipper,
                buyer,
                date=f"2026-03-0{day}",
                value=450.0,
                address="77 dock rd unit 4",
                payment="card:fp_ring",
                ip="198.51.100.7",
                shipper_phone="+8613800000001",
                outcome="seized" if k < 2 and day == 1 else "",
                category="fentanyl" if k < 2 and day == 1 else "",
            )


def _legit(g: GraphBuilder) -> None:
    # A consolidating shipper with 150 consignees: a hub party.
    for k in range(150):
        household = k // 3 if k < 30 else k  # ten households of three
        g.ship(
            f"L{k}",
            "Global Consolidated Logistics",
            f"Customer {k}",
            seller=f"Marketplace Shop {k % 40}",
            address=f"{household} maple st",
            payment=f"card:fp_home{household}",
            ip=f"203.0.113.{household % 250}",
            shipper_phone="+85212345678",
            outcome="seized" if k == 99 else "",
            category="counterfeit" if k == 99 else "",
        )
    # A busy but non-hub seller with one counterfeit seizure among 90 parcels.
    for k in range(90):
        g.ship(
            f"B{k}",
            "Sunny Apparel",
            f"Shopper {k}",
            address=f"{k} birch ave",
            shipper_phone="+8675500000000",
            outcome="seized" if k == 5 else "",
            category="counterfeit" if k == 5 else "",
        )
    # A tower whose address lost its unit numbers: 15 residents at one line, below hub size.
    for k in range(15):
        g.ship(f"T{k}", f"Webshop {k}", f"Resident {k}", address="500 high rise blvd")


@pytest.fixture
def scenario(store: GraphStore) -> GraphStore:
    g = GraphBuilder()
    _ring(g)
    _legit(g)
    return g.write(store)


def test_seized_ring_outranks_consolidator_and_busy_seller(scenario):
    summary = analyze_store(scenario)
    networks = scenario.networks(summary.run_id)
    assert [n.rank for n in networks] == list(range(1, len(networks) + 1))
    assert [n.network_id for n in networks[:2]] == ["net-0001", "net-0002"]
    assert all(n.score > 0 for n in networks)
    assert [n.score for n in networks] == sorted((n.score for n in networks), reverse=True)

    # Seizures and split orders tie the ring's shippers to its consignees: one network.
    ring = networks[0]
    assert ring.network_id == "net-0001"
    assert {party(b) for b in RING_BUYERS} | {party(s) for s in RING_SHIPPERS} <= set(
        ring.entity_ids
    )

    every_entity = {e for n in networks for e in n.entity_ids}
    assert party("Global Consolidated Logistics") not in every_entity
    # No household of three is flagged: none of them is in a ranked network.
    assert not {party(f"Customer {k}") for k in range(30)} & every_entity

    assert ring.seized_count == 2
    assert ring.first_date == "2026-03-01" and ring.last_date == "2026-03-02"
    assert len(ring.shipment_ids) == 14
    # One card and one IP at one address read as a drop address, not as spread rings.
    assert set(ring.typologies) == {
        "seizure",
        "drop_address",
        "split_shipment",
        "identity_churn",
    }
    assert ring.reasons[0] == "2 seized shipments: fentanyl"
    assert "7 consignees at one address: 77 dock rd unit 4" in ring.reasons
    assert "parties linked through 4 kinds of shared identifier:" in ring.reasons[-1]
    assert "3 shipper names over one phone +8613800000001" in ring.reasons
    assert (
        "7 split orders to 7 consignees: 14 shipments each under $800 on the same or adjacent"
        " days, together $6,300"
    ) in ring.reasons
    assert set(ring.evidence) == set(ring.reasons)
    assert set(ring.evidence["2 seized shipments: fentanyl"]) == {
        "shipment:R0-1",
        "shipment:R1-1",
    }

    # The busy seller's single counterfeit seizure ranks below the ring; the tower, every
    # parcel from a different webshop, is a hub (fed by the whole market), not a network.
    below = networks[1:]
    assert any(party("Sunny Apparel") in n.entity_ids for n in below)
    assert not any(party(f"Resident {k}") in n.entity_ids for n in networks for k in range(15))


def test_run_records_params_versions_counts_and_hubs(scenario):
    config = AnalysisConfig(hub_limit=20, party_hub_limit=100)
    summary = analyze_store(scenario, config)
    run = scenario.latest_run("analyze")
    assert run is not None and run.run_id == summary.run_id and run.status == "succeeded"
    assert run.params["hub_limit"] == 20 and run.params["party_hub_limit"] == 100
    assert run.params["drop_address_min_consignees"] == 5
    assert set(run.versions) == {"graphintel", "numpy", "scipy", "networkx", "igraph"}
    assert run.counts["networks"] == len(scenario.networks(run.run_id))
    assert run.counts["hub_parties"] == 1
    assert run.counts["hub:party:global-consolidated-logistics"] == 190  # 150 + 40 sellers
    assert run.counts["hits:seizure"] == 4
    assert "Global Consolidated Logistics" in str(summary)
    assert summary.hubs[0].count == 190


def test_networks_carry_the_origin_countries_of_their_shipments(store):
    g = GraphBuilder()
    for k, buyer in enumerate(RING_BUYERS):
        for day in (1, 2):
            g.ship(
                f"R{k}-{day}",
                RING_SHIPPERS[k % 3],
                buyer,
                address="77 dock rd unit 4",
                payment="card:fp_ring",
                outcome="seized" if day == 1 else "",
                category="fentanyl" if day == 1 else "",
                country="hk " if k == 0 else ("CN" if k % 2 else ""),
            )
    run_id = analyze_store(g.write(store)).run_id
    networks = store.networks(run_id)
    assert networks
    for net in networks:  # oracle: the shipments' own country property, by count
        shipments = store.nodes([f"shipment:{s}" if ":" not in s else s for s in net.shipment_ids])
        counts = Counter(
            str(n.props.get("country_of_origin", "")).strip().upper() for n in shipments
        )
        counts.pop("", None)
        assert net.countries == tuple(sorted(counts, key=lambda c: (-counts[c], c)))
    assert store.networks(run_id, with_members=False)[0].countries == ("CN", "HK")


def test_analysis_is_deterministic(scenario):
    first = scenario.networks(analyze_store(scenario).run_id)
    second = scenario.networks(analyze_store(scenario).run_id)
    strip = [(n.network_id, n.score, n.reasons, n.shipment_ids, n.entity_ids) for n in first]
    assert strip == [
        (n.network_id, n.score, n.reasons, n.shipment_ids, n.entity_ids) for n in second
    ]


def test_failed_run_leaves_earlier_runs_intact(scenario, monkeypatch):
    good = analyze_store(scenario)
    before = scenario.networks(good.run_id)

    def broken(*args, **kwargs):
        raise RuntimeError("scoring exploded")

    monkeypatch.setattr(jobs_module, "score_networks", broken)
    with pytest.raises(RuntimeError, match="scoring exploded"):
        analyze_store(scenario)
    runs = scenario.runs("analyze")
    assert [r.status for r in runs] == ["succeeded", "failed"]
    assert "scoring exploded" in runs[1].message
    assert scenario.networks(runs[1].run_id) == []
    assert scenario.latest_run("analyze").run_id == good.run_id
    assert scenario.networks(good.run_id) == before


def test_household_store_yields_no_networks(store):
    g = GraphBuilder()
    for k in range(3):
        g.ship(f"H{k}", "Acme", f"Family {k}", address="9 oak ln", payment="card:fp_fam")
        g.ship(f"H{k}b", "Acme", f"Family {k}", address="9 oak ln", date="2026-04-01")
    summary = analyze_store(g.write(store))
    assert summary.networks == 0
    assert store.networks(summary.run_id) == []


def test_unknown_typology_fails_before_a_run_is_recorded(store):
    with pytest.raises(KeyError):
        analyze_store(store, AnalysisConfig(typologies=("seizure", "nope")))
    assert store.runs() == []


def test_empty_store_runs_cleanly(store):
    summary = analyze_store(store)
    assert summary.counts["parties"] == 0 and summary.networks == 0
