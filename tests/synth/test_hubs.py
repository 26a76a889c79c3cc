"""Legitimate hubs share identifiers on a large scale, the way rings do on a small one."""

from __future__ import annotations

from collections import Counter, defaultdict

from tests.synth import keys
from tests.synth.conftest import Generated


def _hub_rows(gen: Generated, kind: str) -> list[tuple[dict[str, str], dict[str, str]]]:
    return [(m, t) for m, t in zip(gen.manifest, gen.truth, strict=True) if t["hub_kind"] == kind]


def test_consolidators_ship_for_many_sellers(gen: Generated) -> None:
    rows = _hub_rows(gen, "consolidator")
    per_shipper: dict[str, set[str]] = defaultdict(set)
    for _, t in rows:
        per_shipper[t["shipper_entity"]].add(t["seller_entity"])
    assert 2 <= len(per_shipper) <= 12
    biggest = max(per_shipper, key=lambda s: len(per_shipper[s]))
    assert sum(1 for _, t in rows if t["shipper_entity"] == biggest) >= 500
    assert len(per_shipper[biggest]) >= 50
    assert sum(1 for m, _ in rows if m["seller_id"]) > 0.9 * len(rows)


def test_marketplace_hotline_is_many_shippers_phone(gen: Generated) -> None:
    rows = _hub_rows(gen, "hotline")
    owners: dict[str, set[str]] = defaultdict(set)
    for m, t in rows:
        if m["shipper_phone"]:
            owners[keys.phone(m["shipper_phone"])].add(t["shipper_entity"])
    assert max(len(s) for s in owners.values()) >= 50


def test_apartment_tower_residents_have_units_of_their_own(gen: Generated) -> None:
    rows = _hub_rows(gen, "tower")
    residents: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
    for m, t in rows:
        street, unit = keys.us_street(m["consignee_address"])
        residents[street][t["consignee_entity"]][unit] += 1
    big = max(residents.values(), key=len)
    assert len(big) >= 10
    units = [c.most_common(1)[0][0] for c in big.values()]
    assert all(units) and len(set(units)) == len(units)


def _surname(name: str) -> str:
    name = name.upper()
    return name.split(",")[0].strip() if "," in name else name.split()[-1]


def test_households_are_two_to_four_people_at_one_door(gen: Generated) -> None:
    rows = _hub_rows(gen, "household")
    homes: dict[tuple[str, str], set[str]] = defaultdict(set)
    surnames: dict[tuple[str, str], set[str]] = defaultdict(set)
    phones: dict[str, set[str]] = defaultdict(set)
    for m, t in rows:
        home = keys.us_street(m["consignee_address"])
        homes[home].add(t["consignee_entity"])
        surnames[home].add(_surname(m["consignee_name"]))
        if m["consignee_phone"]:
            phones[keys.phone(m["consignee_phone"])].add(t["consignee_entity"])
    shared = [h for h, people in homes.items() if len(people) > 1]
    assert shared and max(len(homes[h]) for h in shared) <= 4
    assert any(len(surnames[h]) == 1 for h in shared)  # often one family name
    assert any(len(p) > 1 for p in phones.values())  # sometimes one phone


def test_ordinary_consumers_do_not_share_phones(gen: Generated) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for m, t in zip(gen.manifest, gen.truth, strict=True):
        if not t["hub_kind"] and not t["ring_id"] and m["consignee_phone"]:
            owners[keys.phone(m["consignee_phone"])].add(t["consignee_entity"])
    assert owners and all(len(s) == 1 for s in owners.values())


def test_some_consumers_buy_again_and_again(gen: Generated) -> None:
    counts = Counter(t["consignee_entity"] for t in gen.truth if not t["ring_id"])
    assert max(counts.values()) >= 5
    assert sum(1 for c in counts.values() if c == 1) > 0.3 * len(counts)
