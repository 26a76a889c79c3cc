"""truth.csv and rings.csv describe what the manifest really contains."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal

from graphintel.synth import TRUTH_COLUMNS, TYPOLOGIES
from tests.synth import keys
from tests.synth.conftest import N_SHIPMENTS, Generated


def test_truth_has_one_row_per_shipment_in_manifest_order(gen: Generated) -> None:
    assert tuple(gen.truth[0].keys()) == TRUTH_COLUMNS
    assert [t["shipment_id"] for t in gen.truth] == [m["shipment_id"] for m in gen.manifest]
    for m, t in zip(gen.manifest, gen.truth, strict=True):
        assert bool(t["seller_entity"]) <= bool(m["seller_name"] or m["seller_id"])
        assert bool(t["ring_id"]) == bool(t["typology"])


def test_ring_count_typologies_and_share(gen: Generated) -> None:
    assert len(gen.rings) == max(8, round(N_SHIPMENTS / 1000))
    assert {r["typology"] for r in gen.rings} == set(TYPOLOGIES)
    in_rings = sum(1 for t in gen.truth if t["ring_id"])
    assert 0.01 * N_SHIPMENTS < in_rings < 0.10 * N_SHIPMENTS
    assert in_rings == gen.summary.ring_shipments


def test_rings_csv_counts_match_the_manifest(gen: Generated) -> None:
    for ring in gen.rings:
        rows = gen.rows_of_ring(ring["ring_id"])
        assert int(ring["n_shipments"]) == len(rows)
        assert int(ring["n_consignees"]) == len({t["consignee_entity"] for _, t in rows})
        assert int(ring["n_shippers"]) == len({t["shipper_entity"] for _, t in rows})
        seized = [m for m, _ in rows if m["inspection_outcome"] == "seized"]
        assert int(ring["n_seized"]) == len(seized)
        assert {m["seizure_category"] for m in seized} <= {ring["seizure_category"]}
        assert all(t["typology"] == ring["typology"] for _, t in rows)


def test_about_half_the_rings_have_one_to_four_seizures(gen: Generated) -> None:
    seized = [int(r["n_seized"]) for r in gen.rings]
    assert sum(s > 0 for s in seized) == (len(gen.rings) + 1) // 2
    assert all(0 <= s <= 4 for s in seized)
    categories = {r["seizure_category"] for r in gen.rings if int(r["n_seized"])}
    assert categories <= {"fentanyl", "precursor", "pill press", "counterfeit"}
    # Legit traffic is rarely inspected, so a seizure alone is no proof of a ring.
    legit = [m for m, t in zip(gen.manifest, gen.truth, strict=True) if not t["ring_id"]]
    inspected = sum(1 for m in legit if m["inspection_outcome"])
    assert 0 < inspected < 0.02 * len(legit)


def test_ring_goods_lean_to_precursor_and_press_headings(gen: Generated) -> None:
    def share(rows: list[dict[str, str]]) -> float:
        coded = [m["hts_code"] for m in rows if m["hts_code"]]
        return sum(c.startswith(("2933", "2934", "8479")) for c in coded) / len(coded)

    ring = [m for m, t in zip(gen.manifest, gen.truth, strict=True) if t["ring_id"]]
    legit = [m for m, t in zip(gen.manifest, gen.truth, strict=True) if not t["ring_id"]]
    assert share(ring) > 0.4
    assert 0 < share(legit) < 0.03


def test_drop_address_rings_share_one_address(gen: Generated) -> None:
    for ring_id in gen.rings_of("drop_address"):
        rows = gen.rows_of_ring(ring_id)
        streets = Counter(keys.us_street(m["consignee_address"])[0] for m, _ in rows)
        street, hits = streets.most_common(1)[0]
        assert hits >= 0.8 * len(rows)
        at_drop = [(m, t) for m, t in rows if keys.us_street(m["consignee_address"])[0] == street]
        assert 6 <= len({t["consignee_entity"] for _, t in at_drop}) <= 25
        names = {m["consignee_name"].upper() for m, _ in at_drop}
        assert len(names) >= 6


def _shared_value_rings(gen: Generated, typology: str, column: str) -> None:
    for ring_id in gen.rings_of(typology):
        rows = gen.rows_of_ring(ring_id)
        values = Counter(m[column] for m, _ in rows if m[column])
        value, hits = values.most_common(1)[0]
        assert hits >= 0.8 * sum(values.values()), ring_id
        users = {t["consignee_entity"] for m, t in rows if m[column] == value}
        assert 5 <= len(users) <= 20, ring_id
        streets = {keys.us_street(m["consignee_address"])[0] for m, _ in rows}
        assert len(streets) >= 5, ring_id


def test_shared_payment_rings_use_one_account(gen: Generated) -> None:
    _shared_value_rings(gen, "shared_payment", "payment_account")


def test_shared_ip_rings_order_from_one_ip(gen: Generated) -> None:
    _shared_value_rings(gen, "shared_ip", "buyer_ip")


def test_split_shipment_rings_stay_under_de_minimis_each_but_not_together(
    gen: Generated,
) -> None:
    for ring_id in gen.rings_of("split_shipment"):
        rows = gen.rows_of_ring(ring_id)
        assert all(Decimal(m["declared_value_usd"]) < 800 for m, _ in rows)
        by_consignee: dict[str, list[tuple[str, Decimal]]] = defaultdict(list)
        for m, t in rows:
            by_consignee[t["consignee_entity"]].append(
                (m["arrival_date"], Decimal(m["declared_value_usd"]))
            )
        assert 1 <= len(by_consignee) <= 3
        for parcels in by_consignee.values():
            days = sorted({d for d, _ in parcels})
            best = max((sum(v for d2, v in parcels if d <= d2 <= _next_day(d)), d) for d in days)
            in_window = [v for d2, v in parcels if best[1] <= d2 <= _next_day(best[1])]
            assert best[0] > 800 and len(in_window) >= 3, ring_id
        shippers = {t["shipper_entity"] for _, t in rows}
        assert 1 <= len(shippers) <= 3


def _next_day(iso: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(iso) + timedelta(days=1)).isoformat()


def test_identity_churn_rings_rotate_names_over_one_contact(gen: Generated) -> None:
    for ring_id in gen.rings_of("identity_churn"):
        rows = gen.rows_of_ring(ring_id)
        shippers = {t["shipper_entity"] for _, t in rows}
        assert 3 <= len(shippers) <= 8, ring_id
        assert len({keys.legal_free(m["shipper_name"]) for m, _ in rows}) >= 3
        anchors = {
            "phone": lambda m: keys.phone(m["shipper_phone"]),
            "email": lambda m: m["shipper_email"].lower(),
            "address": lambda m: keys.shipper_address(m["shipper_address"]),
        }
        shared = False
        for key in anchors.values():
            owners: dict[str, set[str]] = defaultdict(set)
            for m, t in rows:
                if key(m):
                    owners[key(m)].add(t["shipper_entity"])
            if owners and max(len(s) for s in owners.values()) >= min(3, len(shippers)):
                shared = True
        assert shared, ring_id
