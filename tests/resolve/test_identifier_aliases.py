"""One graph node per place and per phone number, however the manifests spelled them.

Each failure class from issue 14 as a small manifest: a street-word typo, unit forms and a
blank city (one address node, the variants kept as aliases with the reason), different units
and house numbers (kept apart), a mainland mobile written without its country code under a
Hong Kong or Canadian shipper (one phone node), and a shared number of unrelated parties
(kept apart).
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from graphintel.errors import ResolveError
from graphintel.model import NodeKind
from graphintel.records import NodeRecord
from graphintel.resolve import address_merge, phone_merge, resolve_store
from graphintel.resolve.address_merge import address_aliases, slipped_words
from graphintel.resolve.background import Background
from graphintel.resolve.handoff import Handoff
from graphintel.resolve.identifier_aliases import IdentifierAliases
from graphintel.resolve.phone_merge import phone_aliases
from graphintel.store import GraphStore
from tests.resolve.helpers import load, ship

NEWARK: dict[str, Any] = {
    "consignee_city": "Newark", "consignee_state": "NJ", "consignee_postal_code": "07146",
}  # fmt: skip


def _nodes(store: GraphStore, kind: NodeKind) -> list[NodeRecord]:
    return [n for batch in store.iter_nodes() for n in batch if n.kind is kind]


def _aliases(node: NodeRecord) -> dict[str, str]:
    found: list[dict[str, Any]] = node.props.get("aliases", [])
    return {a["key"]: a["why"] for a in found}


def test_street_typo_and_unit_forms_are_one_address_node_other_units_apart(
    store: GraphStore,
) -> None:
    lines = ["1535 Hill Lane Apt 5B", "1535 HILL LN #5B", "1535 hill ln, suite 5b",
             "1535 Hlil Ln Unit 5B", "1535 Hill Lane Apt 15B", "1537 Hill Lane Apt 5B"]  # fmt: skip
    load(store, [ship(f"S{i}", consignee_name=f"Person {chr(65 + i)}", consignee_address=line,
                      **NEWARK) for i, line in enumerate(lines, 1)])  # fmt: skip
    resolve_store(store)
    nodes = {n.id.split(":", 1)[1]: n for n in _nodes(store, NodeKind.ADDRESS)}
    assert sorted(nodes) == [
        "US|07146|1535 HILL LN UNIT 15B",
        "US|07146|1535 HILL LN UNIT 5B",
        "US|07146|1537 HILL LN UNIT 5B",
    ]
    five_b = nodes["US|07146|1535 HILL LN UNIT 5B"]
    assert five_b.label.startswith("1535 HILL LN UNIT 5B")
    assert _aliases(five_b) == {
        "US|07146|1535 HLIL LN UNIT 5B": "street word HLIL read as HILL (same numbers, "
        "country US, place 07146)"
    }
    assert five_b.props["shipment_count"] == 4
    assert not _aliases(nodes["US|07146|1535 HILL LN UNIT 15B"])


def test_typo_in_an_abbreviated_word_and_a_blank_city_join_the_shipper_address(
    store: GraphStore,
) -> None:
    shipper: dict[str, Any] = {
        "shipper_name": "Dongguan Jinfeng Mold Co Ltd", "shipper_country": "CN",
        "shipper_phone": "+86 769 2233 4455",
    }  # fmt: skip
    load(store, [
        ship("S1", shipper_address="Room 1203, No. 88 Industrial Road", shipper_city="Dongguan",
             **shipper),
        ship("S2", shipper_address="Rm 1203, No. 88 Industrial Rd", shipper_city="Dongguan",
             **shipper),
        ship("S3", shipper_address="No. 88 INDUSRTIAL ROAD ROOM 1203", shipper_city="DONGGUAN",
             **shipper),
        ship("S4", shipper_address="No. 88 Industrial Road, Room 1203", shipper_city="", **shipper),
    ])  # fmt: skip
    resolve_store(store)
    (node,) = [n for n in _nodes(store, NodeKind.ADDRESS) if n.id.startswith("address:CN")]
    assert node.id == "address:CN|DONGGUAN|NO 88 IND RD UNIT 1203"
    assert _aliases(node) == {
        "CN|DONGGUAN|NO 88 INDUSRTIAL RD UNIT 1203": "street word INDUSRTIAL read as IND "
        "(INDUSTRIAL) (same numbers, country CN, place DONGGUAN)",
        "CN||NO 88 IND RD UNIT 1203": "blank place filled with DONGGUAN (the only spelling "
        "that fits) (same numbers, country CN)",
    }


def test_building_after_the_street_and_a_blank_country_are_one_address() -> None:
    found = address_aliases({
        "CN|SHENZHEN|BLDG 3 GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD UNIT 1402": 45,
        "CN|SHENZHEN|GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD BLDG 3 UNIT 1402": 1,
        "|SHENZHEN|BLDG 3 GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD UNIT 1402": 3,
        "CN|SHENZHEN|BLDG 63 GAOWEI TECHNOLOGY PARK NO 3 HUAQIANG RD UNIT 1402": 2,
    })  # fmt: skip
    canonical = "CN|SHENZHEN|BLDG 3 GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD UNIT 1402"
    assert found == {
        "CN|SHENZHEN|GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD BLDG 3 UNIT 1402": (
            canonical,
            "parts in another order (same numbers, country CN, place SHENZHEN)",
        ),
        "|SHENZHEN|BLDG 3 GAOWEI TECHNOLOGY PARK NO 63 HUAQIANG RD UNIT 1402": (
            canonical,
            "blank country filled with CN (the only spelling that fits) (same numbers, "
            "place SHENZHEN)",
        ),
    }  # building 63 at number 3 is another place


def test_a_blank_city_that_fits_two_places_stays_apart() -> None:
    found = address_aliases({
        "CN|SHENZHEN|NO 88 JIANSHE RD": 5, "CN|DONGGUAN|NO 88 JIANSHE RD": 3,
        "CN||NO 88 JIANSHE RD": 1,
    })  # fmt: skip
    assert found == {}


def test_numbers_short_words_and_street_types_are_never_typos() -> None:
    assert slipped_words(("MAGNOLIA", "CT"), ("MAGONLIA", "CT")) == [("MAGNOLIA", "MAGONLIA")]
    assert slipped_words(("ELM", "ST"), ("ELK", "ST")) is None
    assert slipped_words(("CANAL", "ST"), ("CANAL", "AVE")) is None
    assert slipped_words(("N", "RD"), ("NURTH", "RD")) == [("N", "NURTH")]
    assert slipped_words(("S", "RD"), ("WEST", "RD")) is None
    found = address_aliases({
        "US|10001|12 MAIN ST": 4, "US|10001|21 MAIN ST": 1, "US|10001|12 MAIN ST UNIT 4": 1,
        "US|10002|12 MAEN ST": 1,
    })  # fmt: skip
    assert found == {}


def test_a_mainland_mobile_without_country_code_is_one_phone_node(store: GraphStore) -> None:
    hk: dict[str, Any] = {
        "shipper_name": "Meijia Haitong Commerce Limited", "shipper_country": "HK",
        "shipper_address": "No. 296 Binhe Ave", "shipper_city": "Dongguan",
    }  # fmt: skip
    ca: dict[str, Any] = {
        "shipper_name": "Haoyu Commerce Limited", "shipper_country": "CA",
        "shipper_address": "No. 12 Renmin Rd", "shipper_city": "Guangzhou",
    }  # fmt: skip
    load(store, [
        ship("S1", shipper_phone="0086 155 9625 2630", **hk),
        ship("S2", shipper_phone="15596252630", **hk),
        ship("S3", shipper_phone="+86 400 1441 4388", **ca),
        ship("S4", shipper_phone="40014414388", **ca),
    ])  # fmt: skip
    resolve_store(store)
    phones = {n.label: n for n in _nodes(store, NodeKind.PHONE)}
    assert set(phones) == {"+8615596252630", "+8640014414388"}
    assert _aliases(phones["+8615596252630"]) == {
        "+85215596252630": "+85215596252630 is +8615596252630: the same digits read as "
        "+852 15596252630 and as +86 15596252630; one party wrote both (address "
        "HK|DONGGUAN|NO 296 BINHE AVE)"
    }
    assert _aliases(phones["+8640014414388"]) == {
        "40014414388": "40014414388 is +8640014414388: the same digits read as 40014414388 "
        "(no country code) and as +86 40014414388; one party wrote both (address "
        "CA|GUANGZHOU|NO 12 RENMIN RD)"
    }


def test_one_number_of_unrelated_parties_in_two_readings_stays_apart(store: GraphStore) -> None:
    load(store, [
        ship("S1", shipper_name="Meijia Haitong Commerce Limited", shipper_country="HK",
             shipper_address="No. 296 Binhe Ave", shipper_phone="15596252630"),
        ship("S2", shipper_name="Yiwu Jinlong Toys Ltd", shipper_country="CN",
             shipper_address="No. 7 Futian Blvd", shipper_phone="+86 155 9625 2630"),
    ])  # fmt: skip
    resolve_store(store)
    phones = sorted(n.label for n in _nodes(store, NodeKind.PHONE))
    assert phones == ["+85215596252630", "+8615596252630"]


def test_digits_no_region_could_read_join_the_number_the_party_wrote_in_full() -> None:
    """A blank country leaves "0571-26345922" and "85275029659" as bare digits: a trunk "0"
    before the national number, or the country code without "+", of the party's number."""
    factory = ("+8657126345922", "CN|HANGZHOU|NO 8 WENSAN RD", "", "hangzhou kaite")
    shop = ("+85275029659", "HK|HONG KONG|12 F ON LOK RD", "", "wing on trading")
    found = phone_aliases([
        (factory, 40), (("057126345922", "", "", "hangzhou kaite"), 2),
        (shop, 30), (("85275029659", "", "", "wing on trading"), 1),
        (("057126345922", "", "", "another party"), 1),
    ])  # fmt: skip
    assert found == {
        "057126345922": (
            "+8657126345922",
            "057126345922 is +8657126345922: the same digits read as 057126345922 (no country "
            "code) and as +86 57126345922; one party wrote both (name hangzhou kaite)",
        ),
        "85275029659": (
            "+85275029659",
            "85275029659 is +85275029659: the same digits read as 85275029659 (no country "
            "code) and as +852 75029659; one party wrote both (name wing on trading)",
        ),
    }


def _every_block_whole(mentions: dict[str, int]) -> dict[str, tuple[str, str]]:
    """``address_aliases`` as it was first written: every spelling of every block of two
    keys or more parsed and each block clustered whole."""
    by_numbers: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in mentions:
        numbers = address_merge._NUMBER_TOKEN.findall(key, key.rfind("|") + 1)
        if numbers:
            by_numbers[tuple(sorted(numbers))].append(key)
    blocks = [
        [address_merge._variant(key, line, mentions[key]) for key in keys
         if (line := address_merge._line(key)) is not None]
        for keys in by_numbers.values() if len(keys) > 1
    ]  # fmt: skip
    words = Counter(w for block in blocks for v in block for w in v.words)
    out: dict[str, tuple[str, str]] = {}
    for block in blocks:
        if len(block) > 1:
            for key, canonical, why in address_merge._cluster(block, words):
                out[key] = (canonical, why)
    return out


def _address_keys(rng: random.Random) -> dict[str, int]:
    """Address keys that share house numbers across streets and places, with slips,
    blanks, unreadable countries, units and mention counts that tie."""
    streets = ("MAIN ST", "MAEN ST", "MAIN AVE", "MAGNOLIA CT", "MAGONLIA CT", "ELM ST",
               "JIANSHE RD", "JIANHSE RD", "N PARK RD", "NURTH PARK RD",
               "LAKE VIEW DR")  # fmt: skip
    countries, places = ["US", "CN", "", "DEUTSCHLAND"], ["10001", "10002", "SHENZHEN", ""]
    found: dict[str, int] = {}
    for _ in range(rng.randint(5, 60)):
        number = str(rng.choice((12, 21, 88, 296, 1402)))
        line = rng.choice((f"{number} {rng.choice(streets)}", f"NO {number} {rng.choice(streets)}",
                           f"{rng.choice(streets)} {number}",
                           f"{number} {rng.choice(streets)} UNIT {rng.choice(('4', '4B'))}",
                           rng.choice(streets)))  # fmt: skip
        key = f"{rng.choice(countries)}|{rng.choice(places)}|{line}"
        found[key] = rng.choice((1, 1, 2, 3))
    return found


@pytest.mark.parametrize("seed", range(60))
def test_address_aliases_equal_every_block_clustered_whole(seed: int) -> None:
    """Only the spellings that can meet are parsed (``address_merge._clustered``): the
    aliases are those of every block parsed and clustered whole."""
    mentions = _address_keys(random.Random(seed))
    assert address_aliases(mentions) == _every_block_whole(mentions)


def _pairs_by_comparison(keys: list[str]) -> set[tuple[str, str]]:
    """The candidate pairs as ``phone_merge`` describes them, every pair of keys compared."""

    def national(key: str) -> str | None:
        parts = phone_merge.split_code(key)
        if parts is None or len(parts[1]) < phone_merge.MIN_NATIONAL_DIGITS:
            return None
        return parts[1]

    pairs: set[tuple[str, str]] = set()
    for a in keys:
        for b in keys:
            if a == b:
                continue
            if national(a) is not None:
                paired = national(b) is not None and national(b) in (national(a), a[1:])
            elif not a.startswith("+") and len(a) >= phone_merge.MIN_NATIONAL_DIGITS:
                trunk = a[1:] if a[:1] == "0" and a[1:2] != "0" else ""
                written = phone_merge.split_code(b) is not None and len(b) > 9 and b[1:] == a
                paired = (national(b) is not None and national(b) in (a, trunk)) or written
            else:
                paired = False
            if paired:
                pairs.add((min(a, b), max(a, b)))
    return pairs


@pytest.mark.parametrize("seed", range(40))
def test_phone_candidate_pairs_equal_every_pair_compared(seed: int) -> None:
    rng = random.Random(seed)
    keys: set[str] = set()
    for _ in range(rng.randint(2, 8)):
        digits = "".join(rng.choice("0123456789") for _ in range(rng.randint(7, 11)))
        for _ in range(rng.randint(1, 4)):
            code = rng.choice(("1", "86", "852", "44", "7", "999"))
            keys.add(rng.choice((f"+{code}{digits}", f"0{digits}", f"{code}{digits}", digits,
                                 f"+{digits}")))  # fmt: skip
    found = sorted(keys)
    assert phone_merge._candidate_pairs(found) == _pairs_by_comparison(found)


@pytest.mark.skipif(sys.platform != "linux", reason="the pipeline forks on Linux only")
def test_aliases_reach_a_forked_job_written_after_it_started(tmp_path: Path) -> None:
    handoff: Handoff[IdentifierAliases] = Handoff(str(tmp_path / "aliases.pickle"), "aliases")
    found = IdentifierAliases({"A|B|1 X": ("A|B|1 Y", "why")}, {"+1": ("+2", "because")})

    def job() -> Iterator[IdentifierAliases]:
        yield handoff.get()  # waits: the aliases come after the job started

    background = Background(job, fork=True)
    try:
        handoff.put(found)
        assert background.receive() == found
    finally:
        background.close()


def test_aliases_never_written_fail_instead_of_waiting(tmp_path: Path) -> None:
    handoff: Handoff[IdentifierAliases] = Handoff(str(tmp_path / "a.pickle"), "the aliases")
    with pytest.raises(ResolveError, match="the aliases were never written"):
        handoff.get()  # the writer is this process
