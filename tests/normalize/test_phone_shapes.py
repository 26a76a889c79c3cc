"""Phones answered by ``e164_by_shape`` read exactly as phonenumbers reads them.

Most manifest phones are US numbers, Chinese mobiles and landlines and Hong Kong numbers
written with separators; ``normalize_phone`` answers those from the digits' shape. The
oracle is ``read_phone``, the phonenumbers path, on the same spelling and region.
"""

from __future__ import annotations

import re

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from graphintel.normalize import normalize_phone
from graphintel.normalize.phone import e164_by_shape, read_phone

NANP = phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]
# Every region with a shape table, regions that share a prefix with one, and no region.
REGIONS = ("US", "CA", "PR", "GU", "BS", "AG", "SX", "CN", "HK", "MO", "TW", "GB", "RU", "ZZ")
# Leading digits around the shapes' edges: country codes, international and national
# prefixes, Chinese carrier codes ("179XX", "12XX"), 0 and 1 in front.
PREFIXES = ("", "+", "00", "011", "0", "1", "+1", "001", "+11", "11", "+10", "86", "+86",
            "0086", "861", "+861", "860", "179", "1790", "+86179", "8617900", "12", "13",
            "852", "+852", "00852", "8520", "+8528", "853", "85", "+85", "8", "+7")  # fmt: skip
SEPARATORS = ("", " ", "-", ".", "(", ")", ") ", " (")


def _spell(digits: str, seps: list[str]) -> str:
    """``digits`` with separators after some of its digits (and "+" kept in front)."""
    out, k = [], 0
    for i, ch in enumerate(digits):
        out.append(ch)
        if ch != "+" and k < len(seps) and i % 3 == 2:
            out.append(seps[k])
            k += 1
    return "".join(out)


SPELLED = st.builds(
    lambda prefix, body, seps: _spell(prefix + body, seps),
    st.sampled_from(PREFIXES),
    st.text("0123456789", min_size=0, max_size=13),
    st.lists(st.sampled_from(SEPARATORS), max_size=5),
)


def _canonical(text: str) -> str:
    return ("+" if text.startswith("+") else "") + re.sub(r"[^0-9]", "", text)


def _agrees(text: str, region: str) -> None:
    expected = read_phone(text.strip(), region) if text.strip() else None
    shaped = e164_by_shape(_canonical(text.strip()), region) if text.strip() else None
    assert shaped is None or shaped == expected, (text, region)
    assert normalize_phone(text, region, region) == expected


def _normalizes_as_read(text: str, region: str) -> None:
    assert normalize_phone(text, region, region) == read_phone(text.strip(), region)


@settings(max_examples=3000, deadline=None)
@given(SPELLED, st.sampled_from(REGIONS + NANP))
@example("484-555-3648", "US")
@example("+1 (520) 555-2239", "ZZ")
@example("(218) 555-4666", "CA")
@example("1 218 555 4666", "PR")
@example("+1 218 555 466", "US")  # "+1" with 9 digits
@example("+1 1218 555 4666", "US")  # "+1" with 11 digits
@example("555-4666", "US")  # 7 digits
@example("0086-18168274902", "ZZ")
@example("17912345678", "CN")  # a carrier-code prefix
@example("8617912345678", "CN")
@example("86 400 820 7319", "CN")
@example("852-8502-6329", "HK")
@example("85212345", "HK")
def test_shaped_phones_read_as_phonenumbers_reads_them(text: str, region: str) -> None:
    _agrees(text, region)


@settings(max_examples=300, deadline=None)
@given(SPELLED, st.sampled_from(("US", "CN", "HK", "ZZ")), st.sampled_from(("ext. 12", "x9")))
def test_extensions_take_the_phonenumbers_path(text: str, region: str, extension: str) -> None:
    _normalizes_as_read(f"{text} {extension}", region)


@pytest.mark.parametrize("region", ["US", "CA", "PR", "GU", "CN", "HK", "ZZ"])
@pytest.mark.parametrize("lead", [f"{d:02d}" for d in range(100)])
def test_every_two_leading_digits_and_length(lead: str, region: str) -> None:
    """A grid over the first two digits, lengths 7 to 13, with and without "+" or "00"."""
    for length in range(7, 14):
        body = (lead + "4729186503172")[:length]
        for prefix in ("", "+", "00", "1", "86", "852"):
            _agrees(prefix + body, region)


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        ("484-555-3648", "US", "+14845553648"),
        ("2245557680", "US", "+12245557680"),
        ("+1 (520) 555-2239", "US", "+15205552239"),
        ("(218) 555-4666", "US", "+12185554666"),
        ("1-218-555-4666", "GU", "+12185554666"),
        ("+1 (520) 555-2239", "ZZ", "+15205552239"),
        ("+86 138 0013 8000", "ZZ", "+8613800138000"),
        ("0086-18168274902", "ZZ", "+8618168274902"),
        ("18168274902", "CN", "+8618168274902"),
        ("400-820-7319", "CN", "+864008207319"),
        ("+86-755-88881234", "ZZ", "+8675588881234"),
        ("8613800138000", "CN", "+8613800138000"),
        ("852-8502-6329", "HK", "+85285026329"),
        ("+852 8502 6329", "ZZ", "+85285026329"),
        ("8502 6329", "HK", "+85285026329"),
    ],
)
def test_shapes_give_e164(text: str, region: str, e164: str) -> None:
    assert e164_by_shape(_canonical(text), region) == e164
    assert read_phone(text, region) == e164


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("0755-8888-1234", "CN"),  # national prefix 0: phonenumbers decides
        ("17912345678", "CN"),  # "179XX" is a Chinese carrier code
        ("11234567890", "US"),  # +1 then a national number starting with 1
        ("2125550147", "ZZ"),  # no region: bare digits are never guessed at
        ("2125550147", "GB"),
        ("555-4666", "US"),  # 7 digits
        ("+1 212 555 014", "US"),  # 9 digits after +1
        ("85212345", "HK"),
        ("+853 2812 3456", "ZZ"),  # Macau has no shape
    ],
)
def test_other_spellings_are_left_to_phonenumbers(text: str, region: str) -> None:
    assert e164_by_shape(_canonical(text), region) is None
