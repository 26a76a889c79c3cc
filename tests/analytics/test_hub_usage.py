"""Hubs under the count limit (``hub_usage``): a tower fed by the whole market and a phone
many merchants print side by side are cut, with reasons, and never become ranked networks;
a drop fed again and again by a ring's two shippers and a ring's renamed shells that keep
serving the same buyers stay evidence. ``hub_rule="count"`` (the rule before) is the oracle
that the planted cases would otherwise be flagged."""

from __future__ import annotations

from graphintel.analytics import analyze_store
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import HubSettings
from graphintel.analytics.reading import build_projection
from graphintel.model import NodeKind, node_id
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party

TOWER = "500 harbor towers"
DROP = "9 water st unit 10b"
AGENT_PHONE = "+86 755 2000 0000"
RING_PHONE = "+86 138 0000 2222"


def _tower(g: GraphBuilder) -> None:
    """12 residents of one building (no unit written), each buying from shops of their own:
    24 parcels from 24 different shippers over two months."""
    for k in range(24):
        g.ship(
            f"tw-{k}",
            f"corner shop {k}",
            f"resident {k % 12} {chr(65 + k % 12)}son",
            date=f"2026-0{1 + k % 2}-{1 + k % 28:02d}",
            address=TOWER,
        )


def _drop(g: GraphBuilder) -> None:
    """8 names at one address fed 3 parcels each by a ring's two shippers; two seizures."""
    for k in range(24):
        g.ship(
            f"dr-{k}",
            f"ring exporter {k % 2}",
            f"mule {k % 8} {chr(75 + k % 8)}ley",
            date=f"2026-02-{1 + k:02d}",
            address=DROP,
            outcome="seized" if k in (3, 11) else "",
            category="fentanyl" if k in (3, 11) else "",
        )


def _agent_phone(g: GraphBuilder) -> None:
    """Five merchants printing one pick-up agent's phone, shipping through the same months
    to customers of their own; one of them had a parcel seized."""
    for m in range(5):
        for j in range(6):
            k, day = m * 6 + j, j * 5 + m  # all five ship through the same weeks
            g.ship(
                f"ag-{k}",
                f"merchant {m} trading",
                f"shopper {k}",
                date=f"2026-{1 + day // 28:02d}-{1 + day % 28:02d}",
                address=f"{k} maple st",
                shipper_phone=AGENT_PHONE,
                shipper_email=f"sales@merchant{m}.example",
                outcome="seized" if k == 7 else "",
                category="counterfeit" if k == 7 else "",
            )


def _renamed_ring(g: GraphBuilder) -> None:
    """Three shell names on one phone shipping side by side to the same four buyers."""
    for k in range(18):
        g.ship(
            f"rr-{k}",
            f"shell {k % 3} ltd",
            f"buyer {k % 4}",
            date=f"2026-03-{1 + k:02d}",
            address=f"{k % 4} oak ave",
            shipper_phone=RING_PHONE,
        )


def _write(store: GraphStore) -> GraphStore:
    g = GraphBuilder()
    _tower(g)
    _drop(g)
    _agent_phone(g)
    _renamed_ring(g)
    return g.write(store)


def _decision(store: GraphStore, rule: str, kind: NodeKind, key: str) -> tuple[bool, str]:
    projection = build_projection(store, HubSettings(hub_rule=rule))
    i = projection.ident_ids.index(node_id(kind, key))
    return bool(projection.ident_is_hub[i]), projection.hub_reasons.get(
        projection.n_parties + i, ""
    )


def test_a_tower_fed_by_the_whole_market_is_a_hub_and_a_drop_fed_by_two_shippers_is_not(
    store: GraphStore,
) -> None:
    _write(store)
    cut, why = _decision(store, "fixed", NodeKind.ADDRESS, TOWER)
    assert cut
    assert why == (
        "address of 12 consignees fed by the whole market: its 24 parcels came from 24"
        " different shippers (a drop is fed again and again by a ring's few): an ordinary"
        " busy address (tower, dormitory, pick-up point), not a drop"
    )
    assert _decision(store, "fixed", NodeKind.ADDRESS, DROP) == (False, "")
    # Under 20 parties, the count rule judged neither.
    assert _decision(store, "count", NodeKind.ADDRESS, TOWER) == (False, "")


def test_an_agents_phone_is_a_hub_and_a_ring_serving_the_same_buyers_is_not(
    store: GraphStore,
) -> None:
    _write(store)
    cut, why = _decision(store, "fixed", NodeKind.PHONE, AGENT_PHONE)
    assert cut
    assert why == (
        "phone of 5 shippers that ship side by side to customers of their own (0 of 30"
        " consignees received from two of them): a carrier's or agent's number, or one"
        " merchant's name variants, not a ring rotating names"
    )
    # Three names side by side, but every buyer received from at least two of them.
    assert _decision(store, "fixed", NodeKind.PHONE, RING_PHONE) == (False, "")
    assert _decision(store, "count", NodeKind.PHONE, AGENT_PHONE) == (False, "")


def _ranked(store: GraphStore, rule: str) -> list[tuple[str, tuple[str, ...], tuple[str, ...]]]:
    run = analyze_store(store, AnalysisConfig(hub_rule=rule))
    return [(n.name, n.reasons, n.entity_ids) for n in store.networks(run.run_id)]


def test_only_the_ring_networks_are_ranked_and_say_where_they_stopped(store: GraphStore) -> None:
    _write(store)
    before = _ranked(store, "count")
    tower, agent = node_id(NodeKind.ADDRESS, TOWER), node_id(NodeKind.PHONE, AGENT_PHONE)
    # The oracle: by counts alone the tower is a drop and the agent's merchants churn.
    assert any("12 consignees at one address" in r for _, reasons, _ in before for r in reasons)
    assert any(agent in ids for _, _, ids in before)
    networks = _ranked(store, "fixed")
    reasons = [r for _, rs, _ in networks for r in rs]
    assert not any("consignees at one address: 500 HARBOR TOWERS" in r.upper() for r in reasons)
    assert not any(tower in ids or agent in ids for _, _, ids in networks)
    assert not any("5 shipper names over one phone" in r for r in reasons)
    # The drop and the renamed ring stay networks.
    assert any("8 consignees at one address" in r for r in reasons)
    assert any("3 shipper names over one phone" in r for r in reasons)
    # `graphintel analyze` lists the cut with its parties and reason.
    listed = {h.node_id: h for h in analyze_store(store).hubs}
    assert (listed[tower].count, listed[tower].measure) == (12, "parties")
    assert listed[tower].reason.startswith("address of 12 consignees fed by the whole market")
    assert (listed[agent].count, listed[agent].measure) == (5, "parties")
    # The merchant with a seized parcel is still a network of its own, not glued to the
    # four others through the agent's phone, and says it stopped there and why.
    seized = [n for n in networks if party("merchant 1 trading") in n[2]]
    assert len(seized) == 1
    name, why, ids = seized[0]
    assert not any(party(f"merchant {m} trading") in ids for m in (0, 2, 3, 4))
    assert any(
        r.startswith("stopped at hub")
        and "phone of 5 shippers that ship side by side to customers of their own" in r
        for r in why
    )


SHOPPERS_PHONE = "+1 212 555 0100"
RING_CONTACT = "+1 212 555 0199"


def _contacts(g: GraphBuilder) -> None:
    """Six shoppers at homes of their own giving one phone (a typo, a shared pattern), each
    buying from shops of their own; one of them is also a ring's consignee, fed by its two
    shippers, with a seizure. And six names of a ring at homes of their own giving the
    ring's phone, fed by its two other shippers."""
    for k in range(18):
        g.ship(
            f"cx-{k}",
            f"gift shop {k}",
            f"a{k % 6} cox",
            date=f"2026-01-{1 + k:02d}",
            address=f"{k % 6} birch rd",
            consignee_phone=SHOPPERS_PHONE,
            outcome="violation" if k == 9 else "",  # an ordinary shopper's mistake
        )
    for k in range(6):
        g.ship(
            f"cr-{k}",
            f"ring seller {k % 2}",
            "a0 cox",
            date=f"2026-02-{1 + k:02d}",
            address="0 birch rd",
            outcome="seized" if k == 4 else "",
            category="fentanyl" if k == 4 else "",
        )
    for k in range(18):
        g.ship(
            f"rc-{k}",
            f"ring seller {2 + k % 2}",
            f"ring name {k % 6}",
            date=f"2026-03-{1 + k:02d}",
            address=f"{k % 6} cedar ct",
            consignee_phone=RING_CONTACT,
        )


def test_a_contact_of_shoppers_fed_by_the_whole_market_is_a_hub(store: GraphStore) -> None:
    g = GraphBuilder()
    _contacts(g)
    g.write(store)
    cut, why = _decision(store, "fixed", NodeKind.PHONE, SHOPPERS_PHONE)
    assert cut
    assert why == (
        "phone of 6 consignees fed by the whole market: their 24 parcels came from 20"
        " different shippers (a ring's names are fed again and again by its few): ordinary"
        " shoppers sharing a contact, not a ring"
    )
    assert _decision(store, "fixed", NodeKind.PHONE, RING_CONTACT) == (False, "")
    assert _decision(store, "count", NodeKind.PHONE, SHOPPERS_PHONE) == (False, "")
    # The seized parcel's network does not hold the shopper with a violation of her own
    # (by counts alone the shared phone glued the two).
    phone = node_id(NodeKind.PHONE, SHOPPERS_PHONE)
    for rule, glued in (("count", True), ("fixed", False)):
        run = analyze_store(store, AnalysisConfig(hub_rule=rule))
        seized = [n for n in store.networks(run.run_id) if party("ring seller 0") in n.entity_ids]
        assert len(seized) == 1
        assert (party("a3 cox") in seized[0].entity_ids) is glued
        assert (phone in seized[0].entity_ids) is glued
