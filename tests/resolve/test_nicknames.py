"""A nickname is its full name spelled another way; two full names are two people.

Blindgen (a generator this code was not written against) writes consignees as "Bill
Jordan" and "William Jordan", "Peggy"/"Meg"/"Margaret Harrison": before the nickname table
each spelling was a person of its own (consignee recall 0.87 on 200k shipments).
"""

from __future__ import annotations

from graphintel.normalize.nicknames import same_given_name
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore
from tests.resolve.helpers import entities, load, ship

HOME = {"consignee_address": "458 Hickory Ln", "consignee_postal_code": "32202",
        "consignee_phone": "904-907-9053"}  # fmt: skip


def test_nicknames_of_one_full_name_but_not_two_full_names() -> None:
    assert same_given_name("bill", "william") and same_given_name("william", "billy")
    assert same_given_name("peggy", "meg")  # both Margaret
    assert same_given_name("pat", "patricia") and same_given_name("pat", "patrick")
    assert not same_given_name("patricia", "patrick")
    assert not same_given_name("william", "margaret")


def test_a_nickname_and_its_full_name_are_one_consignee_and_the_evidence_says_nickname(
    store: GraphStore,
) -> None:
    load(store, [
        ship("S1", consignee_name="William Jordan", consignee_email="wjordan@gmail.com", **HOME),
        ship("S2", consignee_name="Bill Jordan", consignee_email="wjordan@gmail.com", **HOME),
        ship("S3", consignee_name="Billy Jordan", **HOME),
    ])  # fmt: skip
    resolve_store(store)
    (entity,) = entities(store, "consignee", ["S1", "S2", "S3"])
    names = {r.rule for r in store.merge_evidence(entity) if r.field == "name"}
    assert names == {"fellegi_sunter:nickname"}


def test_two_full_names_that_share_a_nickname_stay_two_people(store: GraphStore) -> None:
    load(store, [
        ship("S1", consignee_name="Patrick Kane", **HOME),
        ship("S2", consignee_name="Patricia Kane", **HOME),
    ])  # fmt: skip
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S2"])) == 2
