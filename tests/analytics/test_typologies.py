"""Each typology on a small hand-built store: what it flags, and what it must not."""

from __future__ import annotations

import pytest

from graphintel.analytics import (
    AnalysisConfig,
    Typology,
    UnknownTypologyError,
    build_projection,
    get_typology,
    typology_names,
)
from graphintel.errors import GraphIntelError
from graphintel.model import NodeKind
from tests.analytics.graphs import GraphBuilder, ident, party

CONFIG = AnalysisConfig()


def _hits(store, g: GraphBuilder, name: str, config: AnalysisConfig = CONFIG):
    projection = build_projection(g.write(store), config.hub_settings())
    return get_typology(name).detect(projection, config), projection


def test_registry_holds_each_typology_once():
    names = typology_names()
    assert len(names) == len(set(names))
    assert set(names) >= {
        "seizure",
        "drop_address",
        "shared_payment",
        "shared_ip",
        "split_shipment",
        "identity_churn",
    }
    for name in names:
        detector = get_typology(name)
        assert isinstance(detector, Typology) and detector.name == name
    with pytest.raises(UnknownTypologyError, match="known: seizure") as info:
        get_typology("money_mule")
    assert isinstance(info.value, GraphIntelError)


def test_drop_address_flags_many_consignees_at_one_unit(store):
    g = GraphBuilder()
    for k in range(6):
        g.ship(f"D{k}", "Acme", f"Buyer {k}", address="77 dock rd unit 4")
    hits, _ = _hits(store, g, "drop_address")
    assert len(hits) == 1
    assert hits[0].reason == "6 consignees at one address: 77 dock rd unit 4"
    assert ident(NodeKind.ADDRESS, "77 dock rd unit 4") in hits[0].evidence
    assert {party(f"Buyer {k}") for k in range(6)} <= set(hits[0].evidence)
    assert "shipment:D0" in hits[0].evidence


def test_drop_address_keeps_tower_flats_and_households_apart(store):
    g = GraphBuilder()
    for k in range(12):  # a tower: one street address, twelve flats
        g.ship(f"T{k}", "Acme", f"Tenant {k}", address=f"1 tower plz apt {k}")
    for k in range(4):  # a household of four
        g.ship(f"H{k}", "Acme", f"Family member {k}", address="9 oak ln")
    hits, _ = _hits(store, g, "drop_address")
    assert hits == []


@pytest.mark.parametrize(
    ("name", "field", "value", "reason"),
    [
        (
            "shared_payment",
            "payment",
            "card:fp_9",
            "payment account card:fp_9 used by 5 consignees at 5 addresses",
        ),
        (
            "shared_ip",
            "ip",
            "203.0.113.9",
            "IP address 203.0.113.9 ordered for 5 consignees at 5 addresses",
        ),
    ],
)
def test_shared_payment_and_ip(store, name, field, value, reason):
    g = GraphBuilder()
    for k in range(5):
        g.ship(f"P{k}", "Acme", f"Buyer {k}", address=f"{k} elm st", **{field: value})
    for k in range(3):  # a household sharing a card and a router is not flagged
        g.ship(f"F{k}", "Acme", f"Kin {k}", address="3 ash st", **{field: "fam"})
    hits, _ = _hits(store, g, name)
    assert [h.reason for h in hits] == [reason]
    assert len([e for e in hits[0].evidence if e.startswith("party:")]) == 5


@pytest.mark.parametrize("field", ["payment", "ip"])
def test_household_split_by_the_resolver_is_not_a_shared_identifier_ring(store, field):
    g = GraphBuilder()
    # Four family members plus a typo-duplicate of one: five consignee parties, one home.
    names = ["Albert Snyder", "Frank Snyder", "Jeffrey Snyder", "Jeffrey Synder", "Liz Snyder"]
    for k, name in enumerate(names):
        g.ship(f"F{k}", "Acme", name, address="9812 ocean dr", **{field: "shared-home"})
    hits, _ = _hits(store, g, "shared_payment" if field == "payment" else "shared_ip")
    assert hits == []


def test_shared_identifier_skips_hubs(store):
    g = GraphBuilder()
    for k in range(25):  # a campus NAT address shared by 25 buyers is a hub, not a ring
        g.ship(f"N{k}", "Acme", f"Student {k}", ip="100.64.0.1")
    hits, projection = _hits(store, g, "shared_ip")
    assert hits == []
    assert projection.ident_is_hub.sum() == 1


def test_split_shipment_on_adjacent_days(store):
    g = GraphBuilder()
    g.ship("A1", "Pill Co", "Joe Roe", date="2026-03-01", value=300.0)
    g.ship("A2", "Pill Co", "Joe Roe", date="2026-03-02", value=350.0)
    g.ship("A3", "Pill Co", "Joe Roe", date="2026-03-02", value=400.0)
    g.ship("A4", "Pill Co", "Joe Roe", date="2026-03-09", value=700.0)  # a week later
    g.ship("A5", "Pill Co", "Joe Roe", date="2026-03-02", value=900.0)  # formal entry anyway
    hits, _ = _hits(store, g, "split_shipment")
    assert len(hits) == 1
    assert hits[0].reason == (
        "3 shipments to one consignee on adjacent days, each under $800, together $1,050"
    )
    assert set(hits[0].evidence) == {
        party("Joe Roe"),
        party("Pill Co"),
        "shipment:A1",
        "shipment:A2",
        "shipment:A3",
    }


def test_split_shipment_same_day(store):
    g = GraphBuilder()
    g.ship("B1", "Pill Co", "Joe Roe", date="2026-03-05", value=450.0)
    g.ship("B2", "Pill Co", "Joe Roe", date="2026-03-05", value=450.0)
    hits, _ = _hits(store, g, "split_shipment")
    assert [h.reason for h in hits] == [
        "2 shipments to one consignee on one day, each under $800, together $900"
    ]


@pytest.mark.parametrize(
    "shipments",
    [
        # two days apart
        [("Pill Co", "2026-03-01", 500.0), ("Pill Co", "2026-03-03", 500.0)],
        # together not over the limit
        [("Pill Co", "2026-03-01", 400.0), ("Pill Co", "2026-03-02", 400.0)],
        # two different shippers
        [("Pill Co", "2026-03-01", 500.0), ("Other Co", "2026-03-01", 500.0)],
    ],
)
def test_split_shipment_negatives(store, shipments):
    g = GraphBuilder()
    for k, (shipper, date, value) in enumerate(shipments):
        g.ship(f"N{k}", shipper, "Joe Roe", date=date, value=value)
    hits, _ = _hits(store, g, "split_shipment")
    assert hits == []


def test_identity_churn_over_one_phone(store):
    g = GraphBuilder()
    for k, name in enumerate(["Huayu Trading", "Huayu Import Export", "HY Global"]):
        g.ship(f"C{k}", name, f"Buyer {k}", shipper_phone="+8613800000001")
    for k, name in enumerate(["Alpha Co", "Alpha Company"]):  # two names: not churn yet
        g.ship(f"E{k}", name, f"Client {k}", shipper_email="sales@alpha.example")
    hits, _ = _hits(store, g, "identity_churn")
    assert [h.reason for h in hits] == ["3 shipper names over one phone +8613800000001"]
    assert party("HY Global") in hits[0].evidence
    assert "shipment:C2" in hits[0].evidence


def test_identity_churn_ignores_consignees_and_hubs(store):
    g = GraphBuilder()
    for k in range(4):  # consignees sharing a phone are not shipper churn
        g.ship(f"K{k}", f"Shop {k}", f"Person {k}", consignee_phone="+12125550000")
    for k in range(30):  # a marketplace hotline over 30 sellers is a hub
        g.ship(f"M{k}", f"Seller {k}", f"Buyer {k}", shipper_phone="+4000000000")
    hits, _ = _hits(store, g, "identity_churn")
    assert hits == []


def test_seizures_are_seeds_with_categories(store):
    g = GraphBuilder()
    g.ship("Z1", "Pill Co", "Joe Roe", outcome="seized", category="fentanyl")
    g.ship("Z2", "Pill Co", "Jim Roe", outcome="seized", category="pill press")
    g.ship("Z3", "Pill Co", "Jim Roe", outcome="violation", category="counterfeit")
    g.ship("Z4", "Pill Co", "Jim Roe", outcome="cleared")
    hits, projection = _hits(store, g, "seizure")
    assert sorted(h.evidence[0] for h in hits) == ["shipment:Z1", "shipment:Z2", "shipment:Z3"]
    pill_co = projection.party_ids.index(party("Pill Co"))
    assert all(pill_co in h.anchors for h in hits)
    findings = get_typology("seizure").summarize(hits, projection, CONFIG)
    reasons = {f.reason: f for f in findings}
    assert set(reasons) == {
        "2 seized shipments: fentanyl, pill press",
        "1 shipment with violations: counterfeit",
    }
    seized = reasons["2 seized shipments: fentanyl, pill press"]
    assert seized.evidence == ("shipment:Z1", "shipment:Z2")
    assert seized.points > reasons["1 shipment with violations: counterfeit"].points


def test_thresholds_are_configurable(store):
    g = GraphBuilder()
    for k in range(3):
        g.ship(f"D{k}", "Acme", f"Buyer {k}", address="5 dock rd")
    g.write(store)
    projection = build_projection(store)
    assert get_typology("drop_address").detect(projection, CONFIG) == []
    loose = AnalysisConfig(drop_address_min_consignees=3)
    assert len(get_typology("drop_address").detect(projection, loose)) == 1


def test_config_rejects_nonsense_thresholds():
    with pytest.raises(GraphIntelError, match="hub_limit"):
        AnalysisConfig(hub_limit=0)
    with pytest.raises(GraphIntelError, match="weight"):
        AnalysisConfig(typology_weights={"seizure": -1.0})


def test_identity_churn_notes_names_used_one_after_another(store):
    g = GraphBuilder()
    shells = ["Dawan Bio", "Dawan Biotech", "DW Pharma", "Dawan Chemical"]
    for k in range(16):  # four shells, each in turn for four weeks
        day = f"2026-{1 + k // 4:02d}-{1 + 7 * (k % 4):02d}"
        g.ship(f"W{k}", shells[k // 4], f"Buyer {k}", date=day, shipper_email="x@dawan.example")
    for k in range(12):  # three marketplace sellers sharing a number, side by side
        day = f"2026-{1 + k // 3:02d}-01"
        g.ship(f"H{k}", f"Seller {k % 3}", f"Client {k}", date=day, shipper_phone="+4008207319")
    counted = AnalysisConfig(hub_rule="count")  # count limits only: the phone is no hub
    hits, _ = _hits(store, g, "identity_churn", counted)
    by_reason = {h.reason: h for h in hits}
    rotating = by_reason["4 shipper names over one e-mail x@dawan.example, used one after another"]
    side_by_side = by_reason["3 shipper names over one phone +4008207319"]
    assert rotating.points > 1.0 > side_by_side.points
    # By default the sellers' shared number is a hub (side by side, customers of their own).
    default = {
        h.reason for h in get_typology("identity_churn").detect(build_projection(store), CONFIG)
    }
    assert default == {"4 shipper names over one e-mail x@dawan.example, used one after another"}
