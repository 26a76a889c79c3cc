"""Hub decisions: a consolidator, a hotline or a tower used by many unrelated parties is a
hub; a drop fed by a few shippers and one shipper rotating through many names are not.
Each decision carries a reason, and the adaptive party limit follows the data's tail."""

from __future__ import annotations

import numpy as np
import pytest

from graphintel.analytics import analyze_store
from graphintel.analytics.config import AnalysisConfig, AnalysisConfigError
from graphintel.analytics.hubs import adaptive_party_limit
from graphintel.analytics.projection import HubSettings
from graphintel.analytics.reading import build_projection
from graphintel.model import NodeKind, node_id
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, party


def _market(g: GraphBuilder, rng: np.random.Generator) -> None:
    """A consolidator shipping to 150 shoppers at their own homes, a tower of 40 unrelated
    residents each buying from their own shop, and a hotline 30 unrelated sellers share."""
    for k in range(150):
        g.ship(f"cons-{k}", "Big Consolidator", f"shopper {k}", address=f"{k} elm st")
    for k in range(40):
        g.ship(f"tower-{k}", f"shop {k}", f"resident {k}", address="1 tower plaza")
    for k in range(30):
        for j in range(int(rng.integers(2, 4))):
            g.ship(
                f"hot-{k}-{j}",
                f"seller {k}",
                f"buyer {k}-{j}",
                address=f"{k}-{j} oak st",
                shipper_phone="+1 800 555 0100",
                shipper_email=f"seller{k}@mail.example",
            )


def _drop(g: GraphBuilder) -> None:
    """40 consignee names at one address, fed by 3 shippers; one tenant lives in the tower."""
    for k in range(40):
        g.ship(f"drop-{k}", f"ring shipper {k % 3}", f"tenant {k}", address="9 water st unit 10b")
    g.ship("drop-home", "shop 0", "tenant 0", address="1 tower plaza")


def _rotating_shipper(g: GraphBuilder) -> None:
    """One shipper under 30 names that keep one phone, one e-mail and one office."""
    for k in range(30):
        for j in range(2):
            g.ship(
                f"rot-{k}-{j}",
                f"shell company {k}",
                f"rot buyer {k}-{j}",
                date=f"2026-{1 + k // 10:02d}-{1 + k % 10:02d}",
                address=f"{k}-{j} pine st",
                shipper_phone="+86 138 0000 1111",
                shipper_email="sales@shell.example",
                shipper_address="no. 1 longgang rd",
            )


@pytest.fixture()
def market(store: GraphStore) -> GraphStore:
    g = GraphBuilder()
    _market(g, np.random.default_rng(5))
    _drop(g)
    _rotating_shipper(g)
    return g.write(store)


def _hub(projection: object, kind: NodeKind, key: str) -> tuple[bool, str]:
    from graphintel.analytics.projection import Projection

    assert isinstance(projection, Projection)
    nid = node_id(kind, key)
    if kind is NodeKind.PARTY:
        p = projection.party_ids.index(nid)
        return bool(projection.party_is_hub[p]), projection.hub_reasons.get(p, "")
    i = projection.ident_ids.index(nid)
    return (
        bool(projection.ident_is_hub[i]),
        projection.hub_reasons.get(projection.n_parties + i, ""),
    )


@pytest.mark.parametrize("rule", ["fixed", "adaptive"])
def test_many_unrelated_users_make_a_hub_and_a_drop_fed_by_3_shippers_is_kept(
    market: GraphStore, rule: str
) -> None:
    projection = build_projection(market, HubSettings(hub_rule=rule))
    consolidator, why = _hub(projection, NodeKind.PARTY, "big-consolidator")
    assert consolidator and "150 counterparties" in why
    tower, why = _hub(projection, NodeKind.ADDRESS, "1 tower plaza")
    assert tower and "41 parties" in why
    hotline, why = _hub(projection, NodeKind.PHONE, "+1 800 555 0100")
    assert hotline and "30 parties" in why
    drop, why = _hub(projection, NodeKind.ADDRESS, "9 water st unit 10b")
    assert not drop and "3 non-hub shippers" in why and why.startswith("kept")


def test_one_shipper_under_many_names_is_one_actor_not_a_hub(market: GraphStore) -> None:
    fixed = build_projection(market, HubSettings(hub_rule="fixed"))
    assert _hub(fixed, NodeKind.PHONE, "+86 138 0000 1111")[0]  # the old rule cut it
    adaptive = build_projection(market, HubSettings(hub_rule="adaptive"))
    for kind, key in (
        (NodeKind.PHONE, "+86 138 0000 1111"),
        (NodeKind.EMAIL, "sales@shell.example"),
    ):
        cut, why = _hub(adaptive, kind, key)
        assert not cut and "one actor under many names" in why
    # ...so identity churn sees the 30 names over one phone.
    run = analyze_store(market, AnalysisConfig(hub_rule="adaptive"))
    networks = market.networks(run.run_id)
    churn = [n for n in networks if "identity_churn" in n.typologies]
    assert churn and party("shell company 7") in churn[0].entity_ids
    assert any("30 shipper names over one phone" in r for r in churn[0].reasons)


def test_hub_reasons_reach_the_run_and_the_networks(market: GraphStore) -> None:
    summary = analyze_store(market, AnalysisConfig(hub_rule="adaptive"))
    tower = node_id(NodeKind.ADDRESS, "1 tower plaza")
    assert f"hub:{tower}" in summary.counts
    listed = {h.node_id: h.reason for h in summary.hubs}
    assert "share nothing else" in listed[tower]
    assert listed[node_id(NodeKind.PARTY, "big-consolidator")] in str(summary)
    # A network whose parties use a hub says it stopped there, and why.
    networks = market.networks(summary.run_id)
    assert any(r.startswith("stopped at hub") for n in networks for r in n.reasons)


def test_adaptive_party_limit_follows_the_tail_of_the_data() -> None:
    rng = np.random.default_rng(0)
    small = rng.integers(1, 10, size=10_000)
    assert adaptive_party_limit(small, 100) == 100  # a small market keeps the floor
    heavy = np.concatenate([small, rng.integers(150, 400, size=30)])
    limit = adaptive_party_limit(heavy, 100)
    assert limit == int(np.quantile(heavy, 0.999)) and 150 <= limit < 400
    assert adaptive_party_limit(np.zeros(5, dtype=np.int64), 100) == 100


@pytest.fixture()
def cards(store: GraphStore) -> GraphStore:
    """Three payment accounts, each paying for 40 consignees at homes of their own: a ring's
    card fed by its 3 shippers, a marketplace wallet whose buyers each buy from a shop of
    their own, and a processor behind the parcels of a consolidator (a hub shipper)."""
    g = GraphBuilder()
    for k in range(40):
        g.ship(
            f"card-{k}",
            f"card shipper {k % 3}",
            f"payer {k}",
            address=f"{k} birch st",
            payment="acct ring",
        )
        g.ship(
            f"wallet-{k}",
            f"store {k}",
            f"wallet user {k}",
            address=f"{k} cedar st",
            payment="acct wallet",
        )
        g.ship(
            f"proc-{k}",
            "Big Consolidator",
            f"card user {k}",
            address=f"{k} maple st",
            payment="acct processor",
        )
    for k in range(110):  # ...which makes the consolidator a hub (over 100 counterparties)
        g.ship(f"cons-{k}", "Big Consolidator", f"shopper {k}", address=f"{k} elm st")
    return g.write(store)


@pytest.mark.parametrize("rule", ["count", "fixed"])
def test_a_rings_card_fed_by_few_shippers_is_kept_when_payment_is_judged_by_its_feeders(
    cards: GraphStore, rule: str
) -> None:
    judged = build_projection(cards, HubSettings(hub_rule=rule, fed_kinds=("address", "payment")))
    card, why = _hub(judged, NodeKind.PAYMENT_ACCOUNT, "acct ring")
    assert not card and why.startswith("kept: payment account of 40 parties")
    assert "3 non-hub shippers" in why and "a ring's card, not a hub" in why
    # Market-fed accounts stay hubs: many shippers of their own, or a hub shipper's parcels.
    for key in ("acct wallet", "acct processor"):
        cut, why = _hub(judged, NodeKind.PAYMENT_ACCOUNT, key)
        assert cut and why == "payment account shared by 40 parties (limit 20)"
    # Judged by count alone, the ring's card is cut like the others.
    counted = build_projection(cards, HubSettings(hub_rule=rule, fed_kinds=("address",)))
    assert _hub(counted, NodeKind.PAYMENT_ACCOUNT, "acct ring")[0]


def test_a_rings_card_kept_over_the_limit_makes_its_network(cards: GraphStore) -> None:
    def card_network(config: AnalysisConfig) -> list[str]:
        run = analyze_store(cards, config)
        return [
            reason
            for network in cards.networks(run.run_id)
            if party("payer 7") in network.entity_ids and "shared_payment" in network.typologies
            for reason in network.reasons
        ]

    # Cut as a hub (the rule before), the card ties nobody; kept (the default), it makes
    # the ring's network, which says why the card was kept.
    assert not card_network(AnalysisConfig(fed_kinds=("address",)))
    reasons = card_network(AnalysisConfig())
    assert "payment account acct ring used by 40 consignees at 40 addresses" in reasons
    assert any(r.startswith("acct ring: kept: payment account of 40 parties") for r in reasons)


def test_only_a_consignees_identifiers_can_be_judged_by_their_feeders() -> None:
    with pytest.raises(AnalysisConfigError, match="fed_kinds"):
        AnalysisConfig(fed_kinds=("address", "phone"))
