"""Watchlists end to end: matching entries to parties and identifiers, the watchlist_hit
typology raising (bad) or damping (trusted) a network's score, and risk flow (personalized
PageRank from seizures and bad hits) reaching networks next to known bad ones without
letting a legitimate hub collect it."""

from __future__ import annotations

import pytest

from graphintel.analytics import AnalysisConfig, analyze_store, build_projection
from graphintel.analytics.watchlist import match_watchlists
from graphintel.model import NodeKind
from graphintel.records import Network, Watchlist, WatchlistEntry
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder, ident, party

HUAYU = "Shenzhen Huayu Trading Co Ltd"


def _add_list(store: GraphStore, name: str, kind: str, *entries: WatchlistEntry) -> None:
    store.replace_watchlist(
        Watchlist(name, kind, f"{name}.csv", "sha", "2026-01-01T00:00:00+00:00", 0),
        list(entries),
    )


def _networks(store: GraphStore, config: AnalysisConfig | None = None) -> list[Network]:
    return store.networks(analyze_store(store, config).run_id)


def _holding(networks: list[Network], node_id: str) -> Network | None:
    return next((n for n in networks if node_id in n.entity_ids), None)


def _shell_pair(g: GraphBuilder) -> None:
    """Two shippers behind one phone, each shipping to its own buyer: no typology fires
    (identity churn needs three names), so the pair is not ranked on its own."""
    for k, shipper in enumerate((HUAYU, "Huayu Intl Trading")):
        for j in range(2):
            g.ship(
                f"H{k}{j}",
                shipper,
                f"Quiet Buyer {k}{j}",
                address=f"{k}{j} oak st",
                shipper_phone="+8613800001111",
            )


def _household_noise(g: GraphBuilder) -> None:
    for k in range(6):
        g.ship(f"N{k}", "Lawful Exports Ltd", f"Shopper {k}", address=f"{k} pine st")


# -- matching -----------------------------------------------------------------------------
def test_exact_identifiers_and_misspelt_names_match_unrelated_names_do_not(
    store: GraphStore,
) -> None:
    g = GraphBuilder()
    _shell_pair(g)
    g.ship("X1", "Shenzhen Huayang Trading Co Ltd", "Other Buyer", address="9 elm st")
    g.write(store)
    projection = build_projection(store)
    _add_list(
        store,
        "ofac",
        "bad",
        WatchlistEntry("ofac", 1, name="Shenzen Huayo Tradng", country="CN"),
        WatchlistEntry("ofac", 2, phone="+86 138 0000 1111", country="China"),
        WatchlistEntry("ofac", 3, name="Northwind Precision Tooling GmbH"),
        WatchlistEntry("ofac", 4, name="Shenzhen Huayang Electronics"),
    )
    hits = match_watchlists(store, projection)
    found = {(h.row_number, h.node_id) for h in hits}
    assert found == {
        (1, party(HUAYU)),  # three typos, one in each word
        (2, ident(NodeKind.PHONE, "+8613800001111")),  # normalized to E.164
    }, "Huayang is not Huayu, and the GmbH is not in the data"
    by_row = {h.row_number: h for h in hits}
    assert by_row[1].field == "name" and 88 <= by_row[1].similarity < 100
    assert by_row[1].matched == HUAYU
    assert by_row[2].exact and by_row[2].field == "phone"


def test_country_must_agree_when_the_party_has_one(store: GraphStore) -> None:
    g = GraphBuilder()
    g.ship("S1", HUAYU, "Buyer One", address="1 oak st")
    g.nodes[party(HUAYU)] = g.nodes[party(HUAYU)].__class__(
        party(HUAYU), NodeKind.PARTY, HUAYU, {"names": [HUAYU], "countries": ["CN"]}
    )
    g.write(store)
    projection = build_projection(store)
    entries = [
        WatchlistEntry("l", 1, name=HUAYU, country="China"),
        WatchlistEntry("l", 2, name=HUAYU, country="US"),
        WatchlistEntry("l", 3, name=HUAYU),
    ]
    lists = [Watchlist("l", "bad", "l.csv", "sha", "", 3)]
    hits = match_watchlists(store, projection, lists, entries)
    assert [h.row_number for h in hits] == [1, 3]


# -- scoring ------------------------------------------------------------------------------
def test_bad_hit_lifts_a_ring_without_seizures(store: GraphStore) -> None:
    g = GraphBuilder()
    _shell_pair(g)
    _household_noise(g)
    g.write(store)
    assert _holding(_networks(store), party(HUAYU)) is None

    _add_list(store, "ofac", "bad", WatchlistEntry("ofac", 7, name="Shenzen Huayo Tradng"))
    networks = _networks(store)
    ring = _holding(networks, party(HUAYU))
    assert ring is not None and ring.rank == 1 and ring.seized_count == 0
    assert "watchlist_hit" in ring.typologies
    [reason] = [r for r in ring.reasons if r.startswith("on bad list")]
    assert "ofac, row 7 (Shenzen Huayo Tradng)" in reason and HUAYU in reason
    assert list(ring.evidence[reason]) == [party(HUAYU)]
    assert party("Huayu Intl Trading") in ring.entity_ids  # the whole network, not the party


def _drop(g: GraphBuilder, prefix: str, address: str, buyers: list[str]) -> None:
    for k, buyer in enumerate(buyers):
        g.ship(f"{prefix}{k}", f"{prefix} Sender {k % 2}", buyer, address=address)


def test_trusted_hit_lowers_a_legitimate_business_below_a_ring(store: GraphStore) -> None:
    g = GraphBuilder()
    # A C-TPAT member's receiving dock: its own name and six staff at one address.
    staff = ["Ana Lopez", "Ben Okafor", "Chen Wei", "Dara Singh", "Eli Cohen", "Fay Moreau"]
    dock = ["Acme Fulfillment LLC", *staff]
    _drop(g, "A", "1 commerce way", dock)
    # A ring's drop address with five unrelated names.
    mules = ["Gil Baptiste", "Hana Novak", "Ivo Petrov", "Jia Tanaka", "Kai Mensah"]
    _drop(g, "R", "9 elm st", mules)
    g.write(store)
    before = _networks(store)
    acme = party("Acme Fulfillment LLC")
    assert _holding(before, acme).rank == 1  # type: ignore[union-attr]

    _add_list(store, "ctpat", "trusted", WatchlistEntry("ctpat", 2, name="ACME Fulfilment LLC"))
    after = _networks(store)
    legit = _holding(after, acme)
    assert legit is not None and legit.rank == 2
    assert legit.score == pytest.approx(_holding(before, acme).score * 0.25)  # type: ignore[union-attr]
    assert any(r.startswith("on trusted list ctpat, row 2") for r in legit.reasons)
    assert _holding(after, party("Gil Baptiste")).rank == 1  # type: ignore[union-attr]


# -- risk flow ----------------------------------------------------------------------------
def test_risk_flows_to_trading_partners_of_a_seized_network_but_not_to_a_hub(
    store: GraphStore,
) -> None:
    g = GraphBuilder()
    g.ship("S0", "Ring Shipper", "Mule A", outcome="seized", category="fentanyl")
    # The same shipper's other buyers share one phone: a network with no hit of its own.
    for k, buyer in enumerate(("Mule B", "Mule C")):
        for j in range(3):
            g.ship(f"S{k}{j}", "Ring Shipper", buyer, consignee_phone="+15555550100")
    # A consolidator shipping to 150 consumers, Mule A among them: a hub, cut.
    for k in range(150):
        g.ship(f"C{k}", "Big Consolidator", "Mule A" if k == 0 else f"Consumer {k}")
    g.write(store)

    networks = _networks(store)
    partners = _holding(networks, party("Mule B"))
    assert partners is not None and partners.seized_count == 0
    [reason] = [r for r in partners.reasons if r.startswith("risk flows in")]
    assert "seizure-equivalents" in reason
    assert _holding(networks, party("Big Consolidator")) is None
    assert all(n.rank < partners.rank for n in networks if n.seized_count)

    silent = _networks(store, AnalysisConfig(risk_flow_weight=0.0))
    assert _holding(silent, party("Mule B")) is None
