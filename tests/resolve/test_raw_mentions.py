"""Raw mentions are told apart by their exact fields, whatever text the manifest holds:
the compact key (``packed``) must never merge two different raw mentions."""

from __future__ import annotations

import itertools

from graphintel.resolve.features import FeatureExtractor
from graphintel.resolve.parallel import Normalizer
from graphintel.resolve.raw_mentions import RawMentions, packed
from graphintel.resolve.table import RawKey, RecordTable


def _raw(name: str, address: str, city: str = "Boston") -> RawKey:
    return ("consignee", name, address, city, "MA", "02108", "US", "", "", "", "")


# Pairs that join to the same text when the separator sits inside a field.
_TRICKY = [
    _raw("Ann\x00Lee", "1 Elm St"),
    _raw("Ann", "Lee\x001 Elm St"),
    _raw("Ann", "Lee"),
    _raw("Ann Lee", "1 Elm St"),
    _raw("Ann Lee", "1 Elm St", "\x00"),
    _raw("Ann Lee", "1 Elm St\x00", ""),
]


def test_packed_keys_equal_exactly_when_the_raw_mentions_are_equal() -> None:
    for a, b in itertools.product(_TRICKY, repeat=2):
        assert (packed(a) == packed(b)) == (a == b), (a, b)


def test_each_distinct_raw_mention_gets_its_own_key_and_repeats_share_it() -> None:
    mentions = RawMentions(RecordTable(), Normalizer(FeatureExtractor()))
    keys = [mentions.add(f"S{i}", raw) for i, raw in enumerate(_TRICKY + _TRICKY)]
    half = len(_TRICKY)
    assert len(set(keys[:half])) == half
    assert keys[half:] == keys[:half]
    assert len(mentions) == half
    mentions.finish()
