"""A ring's ordinary customers are left out of its network: a first-seen shell shipping
precursors to real consumers comes out as the shell's parcels, not as the consumers'
everyday shopping, nor as the shopping of a ring consignee's housemates on the family's
router and card; consignees that are the ring (names at a drop address) stay in it."""

from __future__ import annotations

from dataclasses import replace

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.records import Network
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party

SHELL = "Lotus Fine Chem"
DROP = "77 birch st unit 9"
LEFT_OUT = "left out 8 consignees reached only as ordinary recipients"
HOME = "12 oak st"


def _consumer(g: GraphBuilder, k: int) -> None:
    """Consumer k's everyday shopping: 8 parcels from 12 shops, at home, on its card."""
    for j in range(8):
        g.ship(
            f"home-{k}-{j}",
            f"shop {(k + j) % 12}",
            f"consumer {k}",
            date=f"2026-0{1 + j % 4}-{10 + k % 10}",
            address=f"{k} elm st",
            payment=f"card:consumer-{k}",
            ip=f"10.2.{k}.1",
        )


def _shell_parcels(g: GraphBuilder) -> set[str]:
    """The shell appears after two months and ships one precursor parcel to each of 8 of
    those consumers (2 seized); returns the shipment ids (the ring's truth)."""
    ring = set()
    for k in range(8):
        sid = g.ship(
            f"shell-{k}",
            SHELL,
            f"consumer {k}",
            date=f"2026-03-{10 + k}",
            address=f"{k} elm st",
            payment=f"card:consumer-{k}",
            ip=f"10.2.{k}.1",
            shipper_phone="+86 131 5550 0000",
            outcome="seized" if k < 2 else "",
            category="precursor" if k < 2 else "",
        )
        record = g.nodes[sid]
        g.nodes[sid] = replace(
            record, props={**record.props, "hts_code": "2933.39.4100", "description": "anpp"}
        )
        ring.add(sid.removeprefix("shipment:"))
    return ring


def _drop_ring(g: GraphBuilder) -> set[str]:
    """8 consignee names at one drop address fed by one shipper (2 seized); each name also
    gets 2 ordinary parcels there. The names are the ring: they share the address."""
    ring = set()
    for k in range(32):
        ring.add(f"drop-{k}")
        g.ship(
            f"drop-{k}",
            "Fast Gift Trading",
            f"drop buyer {k % 8}",
            date=f"2026-02-{1 + k % 27:02d}",
            value=90.0,
            address=DROP,
            outcome="seized" if k < 2 else "",
            category="fentanyl" if k < 2 else "",
        )
    for k in range(16):
        g.ship(f"drop-home-{k}", f"shop {k % 12}", f"drop buyer {k % 8}", address=DROP)
    return ring


def _scenario(store: GraphStore) -> tuple[GraphStore, set[str], set[str]]:
    g = GraphBuilder()
    for k in range(40):
        _consumer(g, k)
    shell = _shell_parcels(g)
    drop = _drop_ring(g)
    return g.write(store), shell, drop


def _holding(networks: list[Network], node: str) -> Network:
    return next(n for n in networks if node in n.entity_ids)


def _shipments(network: Network) -> set[str]:
    return {s.removeprefix("shipment:") for s in network.shipment_ids}


def test_a_shells_ordinary_customers_are_left_out_and_the_network_says_so(
    store: GraphStore,
) -> None:
    store, shell, _ = _scenario(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    ring = _holding(networks, party(SHELL))
    assert _shipments(ring) == shell
    assert not any(party(f"consumer {k}") in ring.entity_ids for k in range(8))
    reason = next(r for r in ring.reasons if r.startswith("left out"))
    assert reason.startswith(LEFT_OUT) and "their 64 other parcels are not counted" in reason
    assert set(ring.evidence[reason]) == {party(f"consumer {k}") for k in range(8)}
    assert "seizure" in ring.typologies and "first_seen_high_risk" in ring.typologies
    # Without the trim the consumers' everyday shopping outnumbers the ring's parcels 8:1.
    untrimmed = AnalysisConfig(carve_trim_recipients=False)
    glued = _holding(store.networks(analyze_store(store, untrimmed).run_id), party(SHELL))
    assert len(_shipments(glued) & shell) * 2 < len(_shipments(glued))
    assert not any(r.startswith("left out") for r in glued.reasons)


def test_consignees_that_are_the_ring_stay_in_it(store: GraphStore) -> None:
    store, _, drop = _scenario(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    ring = _holding(networks, party("Fast Gift Trading"))
    assert {party(f"drop buyer {k}") for k in range(8)} <= set(ring.entity_ids)
    assert drop <= _shipments(ring)
    assert not any(r.startswith("left out") for r in ring.reasons)


def test_a_consumer_with_a_seized_parcel_and_nothing_else_stays_a_network(
    store: GraphStore,
) -> None:
    g = GraphBuilder()
    for k in range(40):
        _consumer(g, k)
    g.ship(
        "lone-seized",
        "shop 3",
        "consumer 5",
        address="5 elm st",
        payment="card:consumer-5",
        outcome="seized",
        category="fentanyl",
    )
    store = g.write(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    lone = _holding(networks, party("consumer 5"))
    assert "lone-seized" in _shipments(lone) and lone.seized_count == 1
    assert not any(r.startswith("left out") for r in lone.reasons)


def test_a_ring_consignees_housemates_are_left_out_with_their_parcels(store: GraphStore) -> None:
    g = GraphBuilder()
    for k in range(40):
        _consumer(g, k)
    ring = set()
    for k in range(6):  # the shell's parcels all go to one member of a household
        sid = g.ship(
            f"black-{k}",
            "Tongda Biotech",
            "Joseph Black",
            date=f"2026-03-{10 + k}",
            address=HOME,
            payment="card:black-family",
            ip="10.7.7.7",
            outcome="seized" if k < 2 else "",
            category="fentanyl" if k < 2 else "",
        )
        ring.add(sid.removeprefix("shipment:"))
    housemates = ("Jeffrey Black", "Jessica Black", "Jack Black")
    for name in housemates:  # their everyday shopping on the family's router and card
        for j in range(6):
            g.ship(
                f"{name}-{j}",
                f"shop {j}",
                name,
                address=HOME,
                payment="card:black-family",
                ip="10.7.7.7",
            )
    store = g.write(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    network = _holding(networks, party("Joseph Black"))
    assert _shipments(network) == ring
    assert not any(party(name) in network.entity_ids for name in housemates)
    reason = next(r for r in network.reasons if r.startswith("left out 3 consignees"))
    assert "their 18 other parcels are not counted" in reason
    untrimmed = AnalysisConfig(carve_trim_recipients=False)
    glued = _holding(store.networks(analyze_store(store, untrimmed).run_id), party("Joseph Black"))
    assert len(_shipments(glued)) == 24


def test_a_shells_sibling_on_its_phone_stays_though_nothing_it_ships_is_flagged(
    store: GraphStore,
) -> None:
    g = GraphBuilder()
    for k in range(40):
        _consumer(g, k)
    shell = _shell_parcels(g)
    sibling = set()
    for k in range(3):  # another name on the shell's phone, shipping plain goods
        sibling.add(
            g.ship(
                f"sibling-{k}",
                "Lotus Fine Chem HK",
                f"consumer {20 + k}",
                date=f"2026-03-0{1 + k}",
                shipper_phone="+86 131 5550 0000",
            ).removeprefix("shipment:")
        )
    store = g.write(store)
    networks = store.networks(analyze_store(store, AnalysisConfig()).run_id)
    ring = _holding(networks, party(SHELL))
    assert party("Lotus Fine Chem HK") in ring.entity_ids
    assert shell | sibling <= _shipments(ring)
