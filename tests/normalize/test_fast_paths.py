"""The normalizers' fast paths and caches answer exactly as the slow, uncached code does.

Normalization dominates resolution time, so phones are memoized on their bare digits,
ASCII text skips Unicode folding and name checks skip per-character category lookups.
Each shortcut is checked here against its oracle: the uncached reader on the text as
written, phonenumbers itself, or the general Unicode path.
"""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graphintel.model import Role
from graphintel.normalize import normalize_phone
from graphintel.normalize.address import place_name, us_state
from graphintel.normalize.checks import name_problem
from graphintel.normalize.phone import read_phone
from graphintel.normalize.text import is_symbol, tokens, upper_tokens
from graphintel.records import Mention
from graphintel.resolve.features import FeatureExtractor, PartyMention

REGIONS = ("US", "CN", "HK", "GB", "DE", "IN", "MX", "ZZ")
# Spellings of phone numbers as manifests write them: digits with separators, "+" in front.
PLAIN_PHONES = st.builds(
    lambda plus, groups, seps: (
        ("+" if plus else "") + "".join(g + s for g, s in zip(groups, seps, strict=False))
    ),
    st.booleans(),
    st.lists(st.text("0123456789", min_size=1, max_size=5), min_size=1, max_size=6),
    st.lists(st.sampled_from(["", " ", "-", ".", "(", ")", ") ", " ("]), max_size=6),
)


@settings(max_examples=400, deadline=None)
@given(PLAIN_PHONES, st.sampled_from(REGIONS))
@example("(212) 555-0147", "US")
@example("+1 (212) 555-0147", "ZZ")
@example("852-8502-6329", "HK")
@example("0086 138 0013 8000", "US")
@example("(0755) 8888 1234", "CN")
@example("+86 0000 0001", "ZZ")
def test_plain_phone_spellings_normalize_as_written(text: str, region: str) -> None:
    """The digits-keyed cache returns what parsing the spelling itself returns."""
    expected = read_phone(text.strip(), region) if text.strip() else None
    assert normalize_phone(text, region, region) == expected


@pytest.mark.parametrize(
    ("text", "region"),
    [("+8613800138000", "ZZ"), ("(138) 0013-8000", "CN"), ("212.555.0147", "US"),
     ("+44 20 7946 0958", "ZZ"), ("020 7946 0958", "GB")],
)  # fmt: skip
def test_cached_phone_is_phonenumbers_e164(text: str, region: str) -> None:
    number = phonenumbers.parse(text, region)
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    assert normalize_phone(text, region, region) == e164
    assert normalize_phone(text, region, region) == e164  # second answer from the cache


@given(st.text(max_size=40))
@example("123 O'Brien St")
@example("Ｎｏ. 88 Jianshe Lu")
def test_upper_tokens_are_tokens_upper_cased(text: str) -> None:
    assert upper_tokens(text) == [t.upper() for t in tokens(text)]


def _letters_slow(text: str) -> int:
    return sum(1 for ch in text if ch.isalnum() and not is_symbol(ch))


@given(st.text(st.characters(max_codepoint=127), max_size=30))
@example("J.")
@example("!!")
def test_ascii_name_check_counts_letters_as_the_unicode_path(text: str) -> None:
    letters = _letters_slow(text.strip())
    problem = name_problem(text)
    if text.strip() and len(text.strip()) <= 200:
        assert (problem == "symbols_only") == (letters == 0)
        assert (problem == "one_letter") == (letters == 1)


def test_extractor_caches_do_not_change_features() -> None:
    """A warm extractor (every value cached) gives each mention the features a fresh one does."""
    mentions = [
        PartyMention(
            Mention(name, street, city, "", zip5, country, phone, email, shipment_id=f"s{i}",
                    role=role)
        )
        for i, (role, name, street, city, zip5, country, phone, email) in enumerate(
            [
                (Role.CONSIGNEE, "SMITH, John", "12 Main Street Apt 4B", "Austin", "78701", "",
                 "(512) 555-0147", "J.Smith+x@gmail.com"),
                (Role.CONSIGNEE, "john smith", "12 main st unit 4b", "Austin", "78701", "US",
                 "512.555.0147", "jsmith@gmail.com"),
                (Role.SHIPPER, "Huaxin Trading Co., Ltd.", "Rm 1203, No. 88 Jianshe Lu",
                 "Shenzhen", "", "", "+86 138 0013 8000", ""),
                (Role.SHIPPER, "Huaxin Trading Co., Ltd.", "Rm 1203, No. 88 Jianshe Lu",
                 "Hong Kong", "", "", "852-8502-6329", ""),
                (Role.SHIPPER, "😀", "", "", "", "China", "ext 12", "bad@"),
            ]
        )
    ]  # fmt: skip
    warm = FeatureExtractor()
    first = [warm.features(pm) for pm in mentions]
    again = [warm.features(pm) for pm in mentions]
    fresh = [FeatureExtractor(cache_size=1).features(pm) for pm in mentions]
    assert first == again == fresh


@given(st.text(max_size=30))
@example("  new   york, ")
@example("Ｓｈｅｎｚｈｅｎ")
def test_cached_place_names_and_states_match_uncached(text: str) -> None:
    assert place_name(text) == place_name.__wrapped__(text) == " ".join(tokens(text)).upper()
    assert us_state(text) == us_state.__wrapped__(text)
