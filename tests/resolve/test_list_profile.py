"""The list profile of ``dedupe_records``: the Fellegi-Sunter model decides typo'd list
duplicates that the manifest profile, built for parcels, leaves apart."""

from __future__ import annotations

import pytest

from graphintel.model import Role
from graphintel.records import PartyRecord
from graphintel.resolve.dedupe import dedupe_records

GIVEN = ["olivia", "liam", "emma", "noah", "ava", "elijah", "sophia", "lucas", "mia", "mason",
         "harper", "logan", "amelia", "ethan", "evelyn", "aiden", "abigail", "carter"]  # fmt: skip
SURNAMES = ["garcia", "okafor", "lindqvist", "brennan", "tanaka", "moreau", "kowalski",
            "haddad", "fitzgerald", "nakamura", "delacroix", "abernathy"]  # fmt: skip
STREETS = ["maple avenue", "birchwood drive", "harbor view road", "quarry lane",
           "juniper court", "lighthouse way", "orchard street", "pinecrest boulevard"]  # fmt: skip
CITIES = [("springfield", "IL", "62704"), ("dayton", "OH", "45402"), ("fresno", "CA", "93721"),
          ("tulsa", "OK", "74103"), ("albany", "NY", "12207")]  # fmt: skip


def _population() -> list[PartyRecord]:
    """Sixty distinct people, each at their own address."""
    out = []
    for k in range(60):
        city, state, zip5 = CITIES[k % len(CITIES)]
        out.append(PartyRecord(
            f"{GIVEN[k % len(GIVEN)]} {SURNAMES[(k * 7) % len(SURNAMES)]}",
            f"{100 + k * 13} {STREETS[(k * 3) % len(STREETS)]}", city, state, zip5, "US",
            record_id=f"r{k:02d}",
        ))  # fmt: skip
    return out


# One person twice: a typo in each name word and in the street name, same house number.
TWIN_A = PartyRecord("Jonathan Whitaker", "412 Mulberry Street", "Dayton", "OH", "45402",
                     "US", record_id="t1")  # fmt: skip
TWIN_B = PartyRecord("Jonathon Whitakre", "412 Mulbery Street", "Dayton", "OH", "45402",
                     "US", record_id="t2")  # fmt: skip


def _cluster_of(records: list[PartyRecord], **kwargs: object) -> dict[str, str]:
    result = dedupe_records(records, Role.CONSIGNEE, **kwargs)  # type: ignore[arg-type]
    return {r.record_id: r.cluster_id for r in result.rows}


def test_typo_duplicates_merge_in_list_mode_but_not_in_manifest_mode() -> None:
    records = [*_population(), TWIN_A, TWIN_B]
    listed = _cluster_of(records)
    manifest = _cluster_of(records, profile="manifest")
    assert listed["t1"] == listed["t2"]
    assert manifest["t1"] != manifest["t2"]
    # the sixty distinct people stay sixty clusters in both modes
    for found in (listed, manifest):
        assert len({found[r.record_id] for r in _population()}) == 60


def test_a_list_link_explains_itself_and_the_model_is_returned() -> None:
    result = dedupe_records([*_population(), TWIN_A, TWIN_B], Role.CONSIGNEE)
    row = next(r for r in result.rows if r.record_id == "t2")
    assert row.matched_to == "t1"
    assert row.score is not None and 0.5 <= row.score <= 1.0
    assert "fellegi_sunter_list" in row.explanation and "surname" in row.explanation
    assert result.model is not None and result.model["threshold_probability"] == 0.5


def test_same_name_at_another_address_stays_apart() -> None:
    other = PartyRecord("Jonathan Whitaker", "87 Lighthouse Way", "Albany", "NY", "12207",
                        "US", record_id="t3")  # fmt: skip
    found = _cluster_of([*_population(), TWIN_A, other])
    assert found["t1"] != found["t3"]


def test_a_household_member_stays_apart_unless_households_are_one_party() -> None:
    wife = PartyRecord("Mary Whitaker", "412 Mulberry Street", "Dayton", "OH", "45402",
                       "US", record_id="t4")  # fmt: skip
    records = [*_population(), TWIN_A, wife]
    assert _cluster_of(records)["t4"] == "t4"
    merged = _cluster_of(records, households_apart=False)
    assert merged["t4"] == merged["t1"]


def test_an_unknown_profile_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown dedupe profile"):
        dedupe_records([TWIN_A], profile="fuzzy")
