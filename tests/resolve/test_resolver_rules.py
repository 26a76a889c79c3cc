"""What the resolver merges and what it must keep apart, on hand-built shipments."""

from __future__ import annotations

import logging
from itertools import combinations

import pytest

from graphintel.model import NodeKind, Role
from graphintel.records import Mention
from graphintel.resolve import (
    FeatureExtractor,
    RecordTable,
    ResolverConfig,
    entity_id_for,
    resolve_records,
    resolve_store,
)
from graphintel.resolve.features import PartyMention
from graphintel.store import GraphStore
from tests.resolve.helpers import entities, entity_of, load, ship

TOWER = "100 River Tower Dr"
CN_SHIPPER = {"shipper_country": "CN", "shipper_city": "Shenzhen"}


def test_typo_legal_form_and_case_variants_with_a_shared_phone_merge(store: GraphStore) -> None:
    names = [
        "Shenzhen Huaxin Trading Co., Ltd.",
        "SHENZHEN HUAXIN TRADING CO.,LTD",
        "Shenzhen Huaxn Trading Company Limited",
        "shenzhen huaxin tradng co ltd",
    ]
    phones = ["+86 138 0013 8000", "13800138000", "(138) 0013-8000", "0086 138 0013 8000"]
    shipments = [
        ship(f"S{i}", shipper_name=n, shipper_phone=p, consignee_name=f"Person {c}", **CN_SHIPPER)
        for i, (n, p, c) in enumerate(zip(names, phones, "ABCD", strict=True), 1)
    ]
    load(store, shipments)
    summary = resolve_store(store)
    assert len(entities(store, "shipper", ["S1", "S2", "S3", "S4"])) == 1
    assert summary.merges >= 2  # two spellings collapse exactly; the typos need merges
    assert summary.mentions == 8 and summary.shipments == 4


def test_household_members_at_one_address_and_phone_stay_distinct(store: GraphStore) -> None:
    household = {
        "consignee_address": "12 Oak Street Apt 3",
        "consignee_city": "Springfield",
        "consignee_state": "IL",
        "consignee_postal_code": "62701",
        "consignee_phone": "217-555-0101",
        "consignee_email": "smith.family@example.com",
    }
    # One-letter-apart first names ("John", "Joan") are as close as a typo and do merge;
    # names two edits apart or more stay apart.
    people = ["John Smith", "Mary Smith", "Jane Smith", "Robert Smith", "Smith, John"]
    load(store, [ship(f"S{i}", consignee_name=n, **household) for i, n in enumerate(people, 1)])
    resolve_store(store)
    found = entity_of(store)
    assert len({found[f"S{i}#consignee"] for i in (1, 2, 3, 4)}) == 4
    assert found["S1#consignee"] == found["S5#consignee"]  # "Smith, John" is John Smith


WORDS = ("Bright", "Star", "Blue", "Ocean", "Golden", "Eagle", "Royal", "Silver", "Green",
         "Leaf", "Nova", "Apex", "Summit", "Crown", "Delta", "Omega", "Zenith", "Orion", "Vista",
         "Coral", "Falcon", "Harbor", "Maple", "Unity", "Pioneer", "Vertex", "Titan", "Lotus",
         "Jade", "Pearl")  # fmt: skip


@pytest.mark.parametrize(
    ("n_shippers", "max_block_size"),
    [(40, 20_000), (300, 20_000), (300, 100)],  # exhaustive, hub by name, skipped block
)
def test_many_parties_on_one_hotline_phone_stay_distinct(
    store: GraphStore, n_shippers: int, max_block_size: int
) -> None:
    """Marketplace sellers that print the marketplace's hotline as their shipper phone."""
    brands = [f"{a} {b}" for a, b in combinations(WORDS, 2)][:n_shippers]
    shipments = [
        ship(f"S{i}", shipper_name=f"Shenzhen {brand} Technology Co., Ltd.",
             shipper_phone="400-800-8888", **CN_SHIPPER)
        for i, brand in enumerate(brands, 1)
    ]  # fmt: skip
    load(store, shipments)
    summary = resolve_store(store, ResolverConfig(max_block_size=max_block_size))
    shipper_entities = entities(store, "shipper", [s.shipment_id for s in shipments])
    assert len(shipper_entities) == n_shippers
    assert summary.merges == 0
    assert summary.oversized_blocks == (1 if n_shippers > max_block_size else 0)


def test_variants_in_a_hub_block_still_merge(store: GraphStore) -> None:
    """A consolidator's many spellings behind one busy phone are one party."""
    brands = [f"{a} {b}" for a, b in combinations(WORDS, 2)][:80]
    shipments = [
        ship(f"S{i}", shipper_name=f"{brand} Trading Co., Ltd.", shipper_phone="400-800-8888",
             **CN_SHIPPER)
        for i, brand in enumerate(brands, 1)
    ]  # fmt: skip
    variants = ["Bright Star Tradng Co Ltd", "BRIGHT STAR TRADING COMPANY LIMITED",
                "Brihgt Star Trading Co., Ltd."]  # fmt: skip
    shipments += [
        ship(f"S{i}", shipper_name=name, shipper_phone="+86 400 800 8888", **CN_SHIPPER)
        for i, name in enumerate(variants, 101)
    ]
    load(store, shipments)
    resolve_store(store, ResolverConfig(exhaustive_block_size=10))
    found = entity_of(store)
    assert brands[0] == "Bright Star"
    assert {found[f"S{i}#shipper"] for i in (1, 101, 102, 103)} == {found["S1#shipper"]}
    assert len(entities(store, "shipper", [f"S{i}" for i in range(1, 81)])) == 80


def test_a_hub_phone_supports_no_merge(store: GraphStore) -> None:
    """Near-identical brands behind a marketplace hotline stay apart unless something of
    their own agrees."""
    hotline = {"shipper_phone": "400-820-7319", **CN_SHIPPER}
    regulars = [f"{a} {b} Trading Co., Ltd." for a, b in combinations(WORDS, 2)][:12]
    shipments = [
        ship(f"S{i}", shipper_name=name, **hotline)
        for i, name in enumerate(regulars * 2, 1)  # twelve established names: a hub
    ]
    shipments += [
        ship("S101", shipper_name="Shenzhen Huahong Trading Co., Ltd.",
             shipper_email="sales@huahong.example", **hotline),
        ship("S102", shipper_name="Shenzhen Huarong Trading Co., Ltd.",
             shipper_email="sales@huarong.example", **hotline),
        ship("S103", shipper_name="Shenzhen Huahong Tradng Co Ltd",
             shipper_email="SALES@HUAHONG.EXAMPLE", **hotline),
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S101#shipper"] != found["S102#shipper"]  # one letter apart, hotline only
    assert found["S101#shipper"] == found["S103#shipper"]  # the typo shares its e-mail
    fields = {r.field for r in store.merge_evidence(found["S101#shipper"])}
    assert {"name", "email"} <= fields and "phone" not in fields  # the hotline is no evidence


def test_a_household_address_is_no_hub(store: GraphStore) -> None:
    """Four members written several ways still leave the address as evidence."""
    home = {"consignee_address": "3951 Beach St", "consignee_postal_code": "40281"}
    people = [
        ("Albert Marshall", "201-555-0127"), ("Albert M. Marshall", "201-555-0127"),
        ("Nicole Green", "520-555-0120"), ("Nicole J. Green", "520-555-0120"),
        ("Christina Ward", "351-555-0106"), ("Christina Ward", "351-555-0106"),
        ("L. Young", "857-555-0113"), ("Linda G. Young", "857-555-0113"),
        ("Linda G Young", ""), ("Linda Young", ""),
    ]  # fmt: skip
    load(store, [ship(f"S{i}", consignee_name=n, consignee_phone=p, **home)
                 for i, (n, p) in enumerate(people, 1)])  # fmt: skip
    summary = resolve_store(store)
    assert summary.hub_identifiers == 0
    found = entity_of(store)
    assert len({found[f"S{i}#consignee"] for i in range(1, 11)}) == 4
    assert found["S10#consignee"] == found["S8#consignee"]  # address and name, no hub


def test_own_phones_and_emails_that_differ_keep_namesakes_apart(store: GraphStore) -> None:
    home = {"consignee_address": "8652 Spruce Dr", "consignee_postal_code": "07347"}
    shipments = [
        ship("S1", consignee_name="Richard Adams", consignee_phone="480-555-0612",
             consignee_email="richard_adams1@example.com", **home),
        ship("S2", consignee_name="Richard Adams", consignee_phone="615-555-9241",
             consignee_email="richard.adams2@example.com", **home),
        ship("S3", consignee_name="RICHARD ADAMS", consignee_phone="(480) 555-0612", **home),
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#consignee"] != found["S2#consignee"]
    assert found["S1#consignee"] == found["S3#consignee"]


def test_an_initial_needs_more_than_a_shared_address(store: GraphStore) -> None:
    home = {"consignee_address": "5 Elm St Apt 2", "consignee_postal_code": "02108"}
    other = {"consignee_address": "9 Oak St", "consignee_postal_code": "02108"}
    shipments = [
        ship("S1", consignee_name="Thomas Nelson", consignee_email="tn@example.com", **home),
        ship("S2", consignee_name="T. Nelson", consignee_email="TN@example.com", **home),
        ship("S3", consignee_name="Tina Nelson", **other),
        ship("S4", consignee_name="T. Nelson", **other),
    ]
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#consignee"] == found["S2#consignee"]  # initial + e-mail
    assert found["S3#consignee"] != found["S4#consignee"]  # initial + address only


def test_ring_rotating_shipper_names_over_one_phone_stay_distinct(store: GraphStore) -> None:
    names = ["Yiwu Jinlong Trading Co., Ltd.", "Yiwu Haoyun Trading Co., Ltd.",
             "Yiwu Ruifeng Trading Co., Ltd.", "Yiwu Tiancheng Trading Co., Ltd."]  # fmt: skip
    shipments = [
        ship(f"S{i}", shipper_name=n, shipper_phone="+86 579 8555 0000",
             shipper_address="No. 8 Gongye Road", shipper_city="Yiwu", shipper_country="CN")
        for i, n in enumerate(names, 1)
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    assert len(entities(store, "shipper", ["S1", "S2", "S3", "S4"])) == 4


def test_different_units_in_one_tower_do_not_merge(store: GraphStore) -> None:
    tower = {
        "consignee_city": "New York",
        "consignee_state": "NY",
        "consignee_postal_code": "10001",
    }
    shipments = [
        ship("S1", consignee_name="Wei Zhang", consignee_address=f"{TOWER} Apt 4B", **tower),
        ship("S2", consignee_name="Wei Zhang", consignee_address=f"{TOWER} Apt 12F", **tower),
        ship("S3", consignee_name="WEI ZHANG", consignee_address="100 River Tower Drive #4B",
             consignee_phone="212-555-0199", **tower),
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#consignee"] != found["S2#consignee"]
    assert found["S1#consignee"] == found["S3#consignee"]  # same unit, same name: one person


def test_every_merge_has_evidence_rows(store: GraphStore) -> None:
    shipments = [
        ship("S1", shipper_name="Huaxin Trading Co., Ltd.", shipper_phone="13800138000",
             consignee_name="Jhon Smith", consignee_email="jsmith@gmail.com", **CN_SHIPPER),
        ship("S2", shipper_name="Huaxn Trading Co Ltd", shipper_phone="+86 138 0013 8000",
             consignee_name="John Smith", consignee_email="J.Smith+x@gmail.com", **CN_SHIPPER),
    ]  # fmt: skip
    load(store, shipments)
    summary = resolve_store(store)
    assert summary.merges == 2
    found = entity_of(store)
    for role, identifier in (("shipper", "phone"), ("consignee", "email")):
        entity = found[f"S1#{role}"]
        assert found[f"S2#{role}"] == entity
        rows = store.merge_evidence(entity)
        by_field = {r.field: r for r in rows}
        assert {"name", identifier, "match_probability"} <= set(by_field)
        assert {(r.mention_a, r.mention_b) for r in rows} == {(f"S1#{role}", f"S2#{role}")}
        assert 0.88 <= by_field["name"].similarity < 1.0
        assert by_field[identifier].similarity == 1.0 and by_field[identifier].weight > 0
        assert by_field["name"].value_a != by_field["name"].value_b
        assert all(r.rule.startswith("fellegi_sunter") for r in rows)
        # the closing row holds the match probability and the match weight behind it
        total = by_field["match_probability"]
        assert total.similarity >= 0.8
        assert total.similarity == pytest.approx(1 / (1 + 2**-total.weight), abs=1e-4)


def test_seller_account_is_an_exact_key(store: GraphStore) -> None:
    shipments = [
        ship("S1", seller_name="Bright Star Store", seller_id="A1B2", marketplace="ShopMart"),
        ship("S2", seller_name="Star Home Goods", seller_id="A1B2", marketplace="shopmart"),
        ship("S3", seller_name="Bright Star Store", seller_id="Z9", marketplace="ShopMart"),
        ship("S4", seller_name=""),
    ]
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#seller"] == found["S2#seller"]  # a renamed shop is one account
    assert found["S1#seller"] != found["S3#seller"]  # another account, same shop name
    assert "S4#seller" not in found
    rows = store.merge_evidence(found["S1#seller"])
    assert {r.rule for r in rows} == {"same_seller_account"}
    assert {r.field for r in rows} == {"name", "seller_id"}


def test_identical_company_name_merges_within_a_country_only(store: GraphStore) -> None:
    shipments = [
        ship("S1", shipper_name="Golden Eagle Trading Limited", shipper_country="HK"),
        ship("S2", shipper_name="GOLDEN EAGLE TRADING LTD.", shipper_country="Hong Kong"),
        ship("S3", shipper_name="Golden Eagle Trading Ltd", shipper_country="GB"),
        ship("S4", consignee_name="John Smith"),
        ship("S5", consignee_name="John Smith"),  # people need more than a shared name
    ]
    load(store, shipments)
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#shipper"] == found["S2#shipper"]
    assert found["S1#shipper"] != found["S3#shipper"]
    assert found["S4#consignee"] != found["S5#consignee"]


def test_a_shared_phone_never_merges_across_countries(store: GraphStore) -> None:
    shipments = [
        ship("S1", shipper_name="Huaxin Trading Co., Ltd.", shipper_phone="+86 138 0013 8000",
             shipper_country="CN"),
        ship("S2", shipper_name="Huaxin Trading Ltd", shipper_phone="+86 138 0013 8000",
             shipper_country="HK"),
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    assert len(entities(store, "shipper", ["S1", "S2"])) == 2


def _table(rows: list[tuple[str, str, str]]) -> RecordTable:
    """A record table of consignee mentions (name, phone, e-mail), one shipment each."""
    extractor = FeatureExtractor()
    table = RecordTable()
    for i, (name, phone, email) in enumerate(rows):
        mention = Mention(
            name, country="US", phone=phone, email=email, shipment_id=f"S{i}", role=Role.CONSIGNEE
        )
        table.add(extractor.features(PartyMention(mention)), mention.mention_id)
    return table


def test_chaining_guard_stops_small_steps_from_joining_different_names() -> None:
    # Each neighbour pair is one typo apart and shares an identifier; the ends are two.
    table = _table(
        [
            ("anna lee", "2125550101", ""),
            ("anne lee", "2125550101", "al@example.com"),
            ("anne lea", "", "al@example.com"),
        ]
    )
    config = ResolverConfig(name_threshold=80)
    resolution = resolve_records(table, config)
    assert resolution.refused_by_guard == 1
    assert resolution.entity_of[0] != resolution.entity_of[2]
    assert resolution.entity_of[1] == resolution.entity_of[2]  # the stronger pair (e-mail)
    assert resolution.entities == 2
    without_guard = resolve_records(
        table, ResolverConfig(name_threshold=80, chain_threshold=0, chain_word_threshold=0)
    )
    assert without_guard.entities == 1


def test_entity_ids_are_stable_and_come_from_the_smallest_mention(store: GraphStore) -> None:
    shipments = [
        ship("S2", shipper_name="Huaxin Trading Co., Ltd.", shipper_phone="13800138000",
             **CN_SHIPPER),
        ship("S1", shipper_name="Huaxn Trading Co Ltd", shipper_phone="13800138000",
             **CN_SHIPPER),
    ]  # fmt: skip
    load(store, shipments)
    resolve_store(store)
    first = entity_of(store)
    assert first["S1#shipper"] == first["S2#shipper"] == entity_id_for("S1#shipper")
    assert first["S1#shipper"].startswith("party:")
    resolve_store(store)
    assert entity_of(store) == first
    [party] = store.nodes([first["S1#shipper"]])
    assert party.kind is NodeKind.PARTY


def test_oversized_block_warning_names_the_key(
    store: GraphStore, caplog: pytest.LogCaptureFixture
) -> None:
    shipments = [
        ship(f"S{i}", consignee_name=f"Person{i} Lastname{i}", consignee_phone="800-555-0100")
        for i in range(1, 8)
    ]
    load(store, shipments)
    with caplog.at_level(logging.WARNING, logger="graphintel.resolve"):
        summary = resolve_store(store, ResolverConfig(max_block_size=5))
    assert summary.oversized_blocks == 1
    assert any("phone:+18005550100" in r.getMessage() for r in caplog.records)
