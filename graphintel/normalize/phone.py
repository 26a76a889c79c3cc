"""Phone numbers as E.164 ("+8613800138000"), whatever way the manifest wrote them.

The default region comes from the party's country, because "138 0013 8000" means a
Chinese mobile only when we know the shipper is in China. Consignees are US recipients,
so callers pass ``default_region="US"`` when the country is unknown.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from graphintel.normalize.country import country_code

# Fewer digits than this cannot identify a subscriber anywhere; such values get no key.
MIN_FALLBACK_DIGITS = 7
_UNKNOWN = "ZZ"
# Digits without "+" are read as country code plus number, when the national reading is not
# a valid number, only from this length (a code and eight digits at least).
_MIN_INTERNATIONAL_DIGITS = 10
_E164 = phonenumbers.PhoneNumberFormat.E164
_EXTENSION = re.compile(r"[A-Za-z#;]")  # "ext. 9", "x9", "#9" start an extension
_NON_DIGITS = re.compile(r"[^0-9]+")
# Digits with spaces, dashes, dots and parentheses, "+" only in front, well short of
# phonenumbers' input length limit: phonenumbers reads such a spelling as its bare digits,
# so all spellings of one number share a cache entry ("(212) 555-0147", "212.555.0147").
# Anything else (letters, other scripts, extensions) is parsed as written.
_PLAIN = re.compile(r"\+?[0-9(][0-9 ().-]{0,63}")

# Shapes of "+"-and-digits spellings whose phonenumbers reading follows from the digits
# alone, so ``e164_by_shape`` answers them without parsing (most manifest phones: US
# numbers, Chinese mobiles and landlines, Hong Kong numbers). Why each is safe:
# * after "+" (or "00"), "1", "86" and "852" are the country codes the digits start with
#   ("8" and "85" are none). The national part starts with 2-9, which no national prefix
#   rule strips (+1: "1" or a 7-digit local number; +86: "0", "1[12]XX", "179XX"; +852:
#   none), or is a Chinese "1" + 10 digits, which stripping "1[12]XX" or "179XX" would cut
#   to 6 digits, a length phonenumbers never strips to. Its length is possible (+1: 10,
#   +86: 10 or 11, +852: 8), and is_possible_number checks nothing but the length.
# * without "+", a national number of a region in ``_NATIONAL`` that starts with none of
#   the region's country code, international prefixes ("011"; "00", "1[12]XX00",
#   "179XX00") and national prefixes, with such a length, is "+", the code and the number.
# tests/normalize/test_phone_shapes.py checks every shape against ``read_phone``.
_INTERNATIONAL = re.compile(r"1[2-9][0-9]{9}|86(?:1[0-9]{10}|[2-9][0-9]{9,10})|852[2-9][0-9]{7}")
_NANP = (str(1), re.compile(r"[2-9][0-9]{9}"))
_NATIONAL: dict[str, tuple[str, re.Pattern[str]]] = {
    **{region: _NANP for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1]},
    "CN": ("86", re.compile(r"(?:1(?:[3-689][0-9]|7[0-8])|[2-9][0-9]{1,2})[0-9]{8}")),
    "HK": ("852", re.compile(r"[2-9][0-9]{7}")),
}


def _parse(text: str, region: str) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None


def _usable(number: phonenumbers.PhoneNumber | None) -> bool:
    """A possible number without a run of leading zeros ("+86 0000 0001" reads back as
    another number: its E.164 form would not be a stable key)."""
    return (
        number is not None
        and phonenumbers.is_possible_number(number)
        and (number.number_of_leading_zeros or 1) <= 1
    )


def _international(digits: str) -> str | None:
    """``digits`` read as country code plus number, if that is a possible number."""
    number = _parse("+" + digits, _UNKNOWN)
    if number is None or not _usable(number):
        return None
    return phonenumbers.format_number(number, _E164)


def normalize_phone(raw: str, country: str = "", default_region: str = "US") -> str | None:
    """E.164 form of ``raw``, or a digits-only fallback key, or ``None``.

    ``country`` is an ISO2 code or a country name; ``default_region`` is used when it is
    empty or unknown ("ZZ" for none). In order: a leading "+" or "00" marks an
    international number; digits that start with the region's own country code are read
    as international ("852-8502-6329" in Hong Kong); otherwise the number is national to
    the region if that is a valid number there, else international if the digits start
    with a country code ("85249097945" of a Chinese shipper is "+85249097945"), else
    national if merely possible. With no region, bare digits are never guessed at:
    "16578577495" is a Chinese mobile as much as a Californian number. A number none of
    this can read falls back to its bare digits (no "+", so a fallback never poses as
    E.164) when it has at least ``MIN_FALLBACK_DIGITS`` digits; anything shorter, or all
    zeros, returns ``None``.

    >>> normalize_phone("(138) 0013-8000", "China")
    '+8613800138000'
    >>> normalize_phone("212-555-0147 ext. 9")
    '+12125550147'
    """
    text = raw.strip()
    if not text:
        return None
    region = country_code(country) or default_region
    if _PLAIN.fullmatch(text):
        canonical = ("+" if text[0] == "+" else "") + _NON_DIGITS.sub("", text)
        return e164_by_shape(canonical, region) or _plain_phone(canonical, region)
    return read_phone(text, region)


def e164_by_shape(canonical: str, region: str) -> str | None:
    """``read_phone(canonical, region)`` of a "+"-and-digits spelling whose reading its
    shape decides (see ``_INTERNATIONAL``); ``None`` means: ask ``read_phone``."""
    if canonical.startswith("+"):
        digits = canonical[1:]
    elif canonical.startswith("00"):
        digits = canonical[2:]
    elif (national := _NATIONAL.get(region)) is None:
        return None
    elif not canonical.startswith(national[0]):
        if _INTERNATIONAL.fullmatch(canonical):
            return None  # also a number after its country code ("85249097945" in CN): ask
        return f"+{national[0]}{canonical}" if national[1].fullmatch(canonical) else None
    else:  # the region's own country code: read as international (see read_phone)
        digits = canonical
    return "+" + digits if _INTERNATIONAL.fullmatch(digits) else None


@lru_cache(maxsize=1 << 16)
def _plain_phone(canonical: str, region: str) -> str | None:
    """``read_phone`` of a "+"-and-digits spelling, memoized: numbers repeat across parcels."""
    return read_phone(canonical, region)


def read_phone(text: str, region: str) -> str | None:
    """``normalize_phone`` of stripped, non-empty ``text`` in ISO2 ``region`` ("ZZ": none),
    uncached and as written."""
    digits = "".join(ch for ch in _EXTENSION.split(text, 1)[0] if ch.isdigit())
    if not digits.strip("0"):
        return None  # "000000000" is a placeholder: a key for it would link strangers
    if text.startswith("+"):
        number = _parse(text, _UNKNOWN)
        if number is not None and _usable(number):
            return phonenumbers.format_number(number, _E164)
    elif digits.startswith("00") and (found := _international(digits[2:])):
        return found
    elif region != _UNKNOWN:
        code = str(phonenumbers.country_code_for_region(region))
        if code != "0" and digits.startswith(code) and len(digits) > len(code) + 6:
            found = _international(digits)
            if found:
                return found
        parsed = _parse(text, region)
        number = parsed if parsed is not None and _usable(parsed) else None
        if number is not None and phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, _E164)
        # Not a valid national number: a country code written without "+" or "00"
        # ("85249097945" of a Hong Kong party filed under CN) reads as international.
        # (where ``e164_by_shape`` reads the region's own numbers, only for digits shaped
        # like a "+1", "+86" or "+852" number: the two must agree)
        if (
            len(digits) >= _MIN_INTERNATIONAL_DIGITS
            and (region not in _NATIONAL or _INTERNATIONAL.fullmatch(digits))
            and (found := _international(digits))
        ):
            return found
        if number is not None:
            return phonenumbers.format_number(number, _E164)
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= MIN_FALLBACK_DIGITS else None


@lru_cache(maxsize=1 << 14)
def phone_region(e164: str) -> str | None:
    """The ISO2 region an E.164 number's country code belongs to (the main one for "+1").

    >>> phone_region("+85262668320"), phone_region("digits only")
    ('HK', None)
    """
    if not e164.startswith("+"):
        return None
    number = _parse(e164, _UNKNOWN)
    if number is None or number.country_code is None:
        return None
    region = phonenumbers.region_code_for_country_code(number.country_code)
    # "001" is phonenumbers' code for non-geographic numbers (+800 freephone, +882 ...)
    no_region = (_UNKNOWN, phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY)
    return None if region in no_region else region
