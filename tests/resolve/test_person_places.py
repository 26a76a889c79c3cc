"""Namesakes who share a name-made webmail address in different places stay two people.

"mcastro@hotmail.com" is the address many a Maria or Marie Castro would pick; two consignees
of that name in two ZIPs with one such e-mail in common and nothing else are two people (issue
14: consignee precision fell at national scale through exactly these merges). The same person
in one place, or in two places with a phone and an e-mail in common, still merges.
"""

from __future__ import annotations

from graphintel.resolve import resolve_store
from graphintel.resolve.explain import explain_pair
from graphintel.store import GraphStore
from tests.resolve.helpers import entities, load, ship


def _castro(shipment_id: str, name: str, address: str, zip5: str, phone: str = "") -> object:
    return ship(shipment_id, consignee_name=name, consignee_address=address,
                consignee_postal_code=zip5, consignee_phone=phone,
                consignee_email="mcastro@hotmail.com")  # fmt: skip


def test_namesakes_sharing_only_an_email_in_two_places_stay_apart(store: GraphStore) -> None:
    load(store, [
        _castro("S1", "Marie Castro", "4301 Madison Ct Apt 591", "38159", "312-898-1685"),
        _castro("S2", "Marie Castro", "4301 Madison Ct Apt 591", "38159"),
        _castro("S3", "Maria Castro", "938 Valley Ln Apt 18A", "92195"),
        _castro("S4", "Maria Castro", "938 Valley Lane #18A", "92195", "503-137-8345"),
    ])  # fmt: skip
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S2"])) == 1
    assert len(entities(store, "consignee", ["S3", "S4"])) == 1
    assert len(entities(store, "consignee", ["S1", "S2", "S3", "S4"])) == 2
    found = explain_pair(store, "S2#consignee", "S3#consignee")
    assert not found.merges
    assert found.rule == "a person in two different places needs two identifiers in common"


def test_one_person_in_two_places_with_phone_and_email_in_common_merges(
    store: GraphStore,
) -> None:
    load(store, [
        _castro("S1", "Marie Castro", "4301 Madison Ct Apt 591", "38159", "312-898-1685"),
        _castro("S2", "Marie Castro", "938 Valley Ln Apt 18A", "92195", "312-898-1685"),
    ])  # fmt: skip
    resolve_store(store)
    assert len(entities(store, "consignee", ["S1", "S2"])) == 1
