"""Persons whose street line was mistyped beyond an exact key still meet (blocking by name
and house number within a ZIP) and merge when the model and the safety rules allow it."""

from __future__ import annotations

from graphintel.model import Role
from graphintel.records import Mention
from graphintel.resolve import FeatureExtractor, RecordTable, ResolverConfig, resolve_records
from graphintel.resolve.blocking import place_keys
from graphintel.resolve.features import PartyMention


def _consignee(shipment: str, name: str, street: str, zip5: str = "62701") -> PartyMention:
    return PartyMention(
        Mention(
            name, street, "Springfield", "IL", zip5, "US", shipment_id=shipment, role=Role.CONSIGNEE
        )
    )


def _resolve(mentions: list[PartyMention]) -> dict[str, str]:
    extractor, table = FeatureExtractor(), RecordTable()
    index = {}
    for pm in mentions:
        index[pm.mention.shipment_id] = table.add(extractor.features(pm), pm.mention.mention_id)
    resolution = resolve_records(table, ResolverConfig())
    return {shipment: resolution.entity_of[i] for shipment, i in index.items()}


# Ten different John Smiths in one ZIP make "john smith" a common name there.
SMITHS = [_consignee(f"J{i}", "John Smith", f"{100 + i} Elm St") for i in range(10)]


def test_place_keys_name_and_house_number_within_the_zip() -> None:
    features = FeatureExtractor().features(_consignee("S1", "Zebulon Quist", "110 Denns St"))
    assert place_keys(features) == ["pname:US|62701|quist zebulon", "pnum:US|62701|110"]
    company = FeatureExtractor().features(_consignee("S2", "Quist Trading Ltd", "110 Denns St"))
    assert place_keys(company) == []


def test_a_rare_name_in_one_zip_merges_across_a_mistyped_street() -> None:
    found = _resolve([*SMITHS, _consignee("Q1", "Zebulon Quist", "110 Denns St"),
                      _consignee("Q2", "QUIST, Zebulon", "2 Dennis Street")])  # fmt: skip
    assert found["Q1"] == found["Q2"]


def test_a_common_name_in_one_zip_needs_more_than_the_zip() -> None:
    found = _resolve(SMITHS)
    assert len({found[f"J{i}"] for i in range(10)}) == 10


def test_the_same_rare_name_in_another_zip_stays_apart() -> None:
    found = _resolve([*SMITHS, _consignee("Q1", "Zebulon Quist", "110 Denns St"),
                      _consignee("Q2", "Zebulon Quist", "9 Oak St", zip5="10001")])  # fmt: skip
    assert found["Q1"] != found["Q2"]


def test_a_street_typo_supports_a_name_typo_but_not_another_unit() -> None:
    found = _resolve([
        *SMITHS,
        _consignee("T1", "Wei Zhang", "100 River Tower Dr Apt 4B"),
        _consignee("T2", "Wei Zhng", "100 Rivr Tower Dr Apt 4B"),  # typos in name and street
        _consignee("T3", "Wei Zhang", "100 River Tower Dr Apt 12F"),  # the tower's other unit
        _consignee("T4", "Wei Zhnag", "100 River Tower Dr Apt 12F"),
    ])  # fmt: skip
    assert found["T1"] == found["T2"]
    assert found["T3"] == found["T4"]
    assert found["T1"] != found["T3"]
