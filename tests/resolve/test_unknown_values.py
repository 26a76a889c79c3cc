"""Bad party values become unknown with a counted warning, never a crash and never a merge
on an empty key."""

from __future__ import annotations

import logging

import pytest

from graphintel.model import Role
from graphintel.records import Mention
from graphintel.resolve import FeatureExtractor, RecordTable, ResolverConfig, resolve_records
from graphintel.resolve.features import PartyMention

HOME = {"address": "12 Oak Street", "city": "Springfield", "state": "IL", "postal_code": "62701"}


def _mention(shipment: str, name: str, phone: str = "217-555-0101", email: str = "",
             address: str = HOME["address"]) -> PartyMention:  # fmt: skip
    place = (HOME["city"], HOME["state"], HOME["postal_code"], "US")
    return PartyMention(
        Mention(name, address, *place, phone, email, shipment_id=shipment, role=Role.CONSIGNEE)
    )


@pytest.mark.parametrize(
    ("name", "phone", "email", "address", "warnings"),
    [
        ("", "", "", "", {"name:empty": 1}),
        ("J", "", "", "", {"name:one_letter": 1}),
        ("x" * 10_000, "", "", "", {"name:too_long": 1}),
        ("😀😀😀", "", "", "", {"name:symbols_only": 1}),
        ("Jоhn Smith", "", "", "", {"name:mixed_scripts": 1}),  # Cyrillic "о"
        ("John Smith", "12", "", "", {"phone:malformed": 1}),
        ("John Smith", "", "not-an-email", "", {"email:malformed": 1}),
        ("John Smith", "", "", "9" * 10_000, {"address:too_long": 1}),
        (
            "John Smith",
            "☎☎",
            "@@",
            "###",
            {"phone:malformed": 1, "email:malformed": 1, "address:symbols_only": 1},
        ),  # fmt: skip
        ("Zoë 😀 Saldaña", "217-555-0101", "zoe@example.com", "12 Oak St", {}),
    ],
)
def test_bad_values_become_unknown_and_are_counted(
    name: str, phone: str, email: str, address: str, warnings: dict[str, int]
) -> None:
    extractor = FeatureExtractor()
    features = extractor.features(_mention("S1", name, phone, email, address))
    assert dict(extractor.warnings) == warnings
    if any(w.startswith("name:") for w in warnings):
        assert (features.name, features.name_key) == ("", "")
        assert features.lone == "S1#consignee"  # a record of its own
    if "phone:malformed" in warnings:
        assert features.phone == ""
    if "email:malformed" in warnings:
        assert features.email == ""
    if any(w.startswith("address:") for w in warnings):
        assert features.address == features.street == ""


def test_unknown_names_never_merge_even_on_a_shared_phone_and_address() -> None:
    extractor, table = FeatureExtractor(), RecordTable()
    names = ["", "", "J", "J", "😀", "😀", "x" * 10_000, "x" * 10_000]
    for i, name in enumerate(names):
        pm = _mention(f"S{i}", name)
        table.add(extractor.features(pm), pm.mention.mention_id)
    assert len(table) == len(names)  # identical unknown names do not collapse either
    resolution = resolve_records(table, ResolverConfig())
    assert len(set(resolution.entity_of)) == len(names)
    assert resolution.merges == 0 and not resolution.evidence


def test_counts_are_logged_once(caplog: pytest.LogCaptureFixture) -> None:
    extractor = FeatureExtractor()
    for i, name in enumerate(["", "J", "", "Li Wei"]):
        extractor.features(_mention(f"S{i}", name))
    with caplog.at_level(logging.WARNING, logger="graphintel.resolve.features"):
        extractor.log_warnings()
    assert [r.getMessage() for r in caplog.records] == [
        "values made unknown (per distinct raw mention): name:empty 2, name:one_letter 1"
    ]
