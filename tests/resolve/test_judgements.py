"""Investigator judgements: a "different" pair never merges again, a "same" pair merges with
evidence naming who judged, across every later resolution."""

from __future__ import annotations

from graphintel.resolve import resolve_store
from graphintel.resolve.judgements import RULE_JUDGED_SAME
from graphintel.store import GraphStore
from tests.resolve.helpers import entities, entity_of, load, ship

CN = {"shipper_country": "CN", "shipper_city": "Shenzhen"}
PHONE = "+86 138 0013 8000"


def _twins(store: GraphStore) -> None:
    load(
        store,
        [
            ship("S1", shipper_name="Shenzhen Huaxin Trading Co., Ltd.", shipper_phone=PHONE, **CN),
            ship("S2", shipper_name="Shenzhen Huaxn Trading Co Ltd", shipper_phone=PHONE, **CN),
            ship("S3", shipper_name="Shenzhen Huaxin Tradng Co", shipper_phone=PHONE, **CN),
        ],
    )


def test_judged_different_mentions_stay_apart_across_re_resolution(store: GraphStore) -> None:
    _twins(store)
    resolve_store(store)
    assert len(entities(store, "shipper", ["S1", "S2", "S3"])) == 1  # the resolver merges them
    store.add_judgement("S1#shipper", "S2#shipper", "different", "ana")
    for _ in range(2):
        resolve_store(store)
        found = entity_of(store)
        assert found["S1#shipper"] != found["S2#shipper"]


def test_judged_same_entities_are_translated_to_their_mentions(store: GraphStore) -> None:
    load(
        store,
        [
            ship("S1", consignee_name="Maria Gonzalez", consignee_phone="305-555-0101"),
            ship("S2", consignee_name="Li Wei", consignee_city="Dallas"),
            ship("S3", consignee_name="Maria Gonzalez", consignee_phone="305-555-0101"),
        ],
    )
    resolve_store(store)
    found = entity_of(store)
    assert found["S1#consignee"] == found["S3#consignee"] != found["S2#consignee"]
    store.add_judgement(found["S1#consignee"], found["S2#consignee"], "same", "ana")
    for _ in range(2):
        resolve_store(store)
        assert len(entities(store, "consignee", ["S1", "S2", "S3"])) == 1


def test_judged_same_merges_with_evidence_naming_the_user(store: GraphStore) -> None:
    load(
        store,
        [
            ship("S1", consignee_name="Maria Gonzalez", consignee_city="Miami"),
            ship("S2", consignee_name="Li Wei", consignee_city="Dallas"),
        ],
    )
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S2"])) == 2
    store.add_judgement("S1#consignee", "S2#consignee", "same", "ana")
    for _ in range(2):
        resolve_store(store)
        [entity] = entities(store, "consignee", ["S1", "S2"])
        judged = [ev for ev in store.merge_evidence(entity) if ev.rule == RULE_JUDGED_SAME]
        assert len(judged) == 1
        assert "ana" in judged[0].field
        assert {judged[0].mention_a, judged[0].mention_b} == {"S1#consignee", "S2#consignee"}


def test_different_outranks_same_for_one_pair(store: GraphStore) -> None:
    load(store, [ship("S1", consignee_name="Maria Gonzalez"), ship("S2", consignee_name="Li Wei")])
    store.add_judgement("S1#consignee", "S2#consignee", "same", "ana")
    store.add_judgement("S2#consignee", "S1#consignee", "different", "bo")
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S2"])) == 2


def test_judgement_on_unknown_mention_is_skipped(store: GraphStore) -> None:
    load(store, [ship("S1", consignee_name="Maria Gonzalez")])
    store.add_judgement("S1#consignee", "NOPE#consignee", "same", "ana")
    summary = resolve_store(store)
    assert summary.shipments == 1
