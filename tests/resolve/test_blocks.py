"""The columnar block map gives what a dict of key tuples to record lists gave.

``blocking.Blocks`` replaced ``defaultdict(list)`` filled record by record (the oracle
below): the blocks must come out with the same keys and members, in the same order (the
order decides the order of candidate pairs, hence blocking stars and tie-breaks).
"""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from graphintel.resolve.blocking import BlockKey, Blocks, block_keys
from graphintel.resolve.features import PartyFeatures


def reference_blocks(records: list[PartyFeatures]) -> dict[BlockKey, list[int]]:
    """The previous block map (the oracle)."""
    blocks: dict[BlockKey, list[int]] = defaultdict(list)
    for index, features in enumerate(records):
        for key in block_keys(features):
            blocks[key].append(index)
    return blocks


_few = st.sampled_from
records_strategy = st.lists(
    st.builds(
        PartyFeatures,
        name=_few(["ACME", "JOHN SMITH", "LI WEI", ""]),
        name_key=_few(["acme", "smith john", "li wei", ""]),
        is_company=st.booleans(),
        country=_few(["US", "CN", ""]),
        phone=_few(["+15551234567", "+8613800000000", ""]),
        email=_few(["a@x.com", "b@y.com", ""]),
        address=_few(["US|10001|12 MAIN ST", "US|10001|14 MAIN ST", "CN|SHENZHEN|5 RD", ""]),
        street=_few(["US|NY|12 MAIN ST", "US|NY|14 MAIN ST", ""]),
        seller_id=_few(["S1", "S2", ""]),
        market=_few(["amazon", ""]),
    ),
    max_size=40,
)


@settings(max_examples=200, deadline=None)
@given(records_strategy, st.integers(min_value=0, max_value=4))
def test_blocks_match_a_dict_of_lists(records: list[PartyFeatures], least: int) -> None:
    reference = reference_blocks(records)
    blocks = Blocks(records)
    assert list(blocks.sized(least)) == [
        (key, members) for key, members in reference.items() if len(members) >= least
    ]
    keys = list(reference)[::3] + [("phone", "+10000000000"), ("nosuchkind", "x")]
    assert blocks.members(keys) == {i for key in keys for i in reference.get(key, [])}


def test_no_records_no_blocks() -> None:
    assert list(Blocks([]).sized(0)) == []
    assert Blocks([]).members([("phone", "+15551234567")]) == set()
