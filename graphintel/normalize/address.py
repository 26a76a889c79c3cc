"""Postal addresses as comparable keys that keep the unit.

US addresses follow USPS Publication 28 abbreviations ("Street" -> "ST", "Apartment 4B"
-> "UNIT 4B", ZIP+4 -> ZIP5). A US street line of the plain form "number, name words,
street type" is read by token rules; any other (a unit without a designator, a PO box, a
city left in the street line) is parsed into its components by ``usaddress`` (a CRF
parser, about 0.3 ms a line, hence the fast path for the plain form, which it reads the
same way). Other countries get token normalization only. The key keeps
the unit because an apartment tower is one building with hundreds of unrelated households:
"UNIT 4B" and "UNIT 12F" at one street address must never share a key.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from functools import lru_cache

import usaddress

from graphintel.normalize.country import country_code
from graphintel.normalize.text import fold, tokens, upper_tokens

# Street suffixes and directionals (USPS Pub. 28), plus ordinal words and the romanized
# Chinese street words seen on shipper addresses ("Jianshe Lu" = "Jianshe Road").
_ABBREVIATIONS: dict[str, str] = {
    "STREET": "ST", "STR": "ST", "AVENUE": "AVE", "AV": "AVE", "AVEN": "AVE",
    "ROAD": "RD", "BOULEVARD": "BLVD", "BOUL": "BLVD", "DRIVE": "DR", "DRV": "DR",
    "LANE": "LN", "COURT": "CT", "PLACE": "PL", "TERRACE": "TER", "CIRCLE": "CIR",
    "HIGHWAY": "HWY", "PARKWAY": "PKWY", "PKY": "PKWY", "SQUARE": "SQ", "TRAIL": "TRL",
    "EXPRESSWAY": "EXPY", "FREEWAY": "FWY", "TURNPIKE": "TPKE", "CROSSING": "XING",
    "ALLEY": "ALY", "PLAZA": "PLZ", "POINT": "PT", "CENTER": "CTR", "CENTRE": "CTR",
    "MOUNT": "MT", "FORT": "FT", "HEIGHTS": "HTS", "JUNCTION": "JCT", "ROUTE": "RTE",
    "NORTH": "N", "SOUTH": "S", "EAST": "E", "WEST": "W", "NORTHEAST": "NE",
    "NORTHWEST": "NW", "SOUTHEAST": "SE", "SOUTHWEST": "SW",
    "FIRST": "1ST", "SECOND": "2ND", "THIRD": "3RD", "FOURTH": "4TH", "FIFTH": "5TH",
    "SIXTH": "6TH", "SEVENTH": "7TH", "EIGHTH": "8TH", "NINTH": "9TH", "TENTH": "10TH",
    "BUILDING": "BLDG", "FLOOR": "FL", "DISTRICT": "DIST", "INDUSTRIAL": "IND",
    "NUMBER": "NO", "LU": "RD", "JIE": "ST", "DADAO": "AVE", "QU": "DIST",
    "WY": "WAY", "CRT": "CT", "TERR": "TER", "HWAY": "HWY", "STRT": "ST", "AVNUE": "AVE",
}  # fmt: skip

_US_STATES: dict[str, str] = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI",
    "MINNESOTA": "MN", "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT",
    "NEBRASKA": "NE", "NEVADA": "NV", "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ",
    "NEW MEXICO": "NM", "NEW YORK": "NY", "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND",
    "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR", "PENNSYLVANIA": "PA",
    "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD", "TENNESSEE": "TN",
    "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA", "WASHINGTON": "WA",
    "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY", "PUERTO RICO": "PR",
    "GUAM": "GU", "VIRGIN ISLANDS": "VI", "AMERICAN SAMOA": "AS",
    "NORTHERN MARIANA ISLANDS": "MP",
}  # fmt: skip
_STATE_CODES = frozenset(_US_STATES.values())

logger = logging.getLogger(__name__)

# Street types and trailing directionals (USPS abbreviations) that end a plain street line.
_LINE_ENDS = frozenset(
    {"ST", "AVE", "RD", "BLVD", "DR", "LN", "CT", "PL", "TER", "CIR", "HWY", "PKWY", "SQ",
     "TRL", "EXPY", "FWY", "TPKE", "XING", "ALY", "PLZ", "PT", "CTR", "WAY", "LOOP", "RUN",
     "PATH", "ROW", "WALK", "PIKE", "N", "S", "E", "W", "NE", "NW", "SE", "SW"}
)  # fmt: skip
_HOUSE_NUMBER = re.compile(r"^[0-9]+[A-Z]?$")
# usaddress labels that make up the street line, in order (the rest is unit, place, ZIP).
_STREET_LABELS = (
    "AddressNumberPrefix", "AddressNumber", "AddressNumberSuffix", "StreetNamePreModifier",
    "StreetNamePreDirectional", "StreetNamePreType", "StreetName", "StreetNamePostType",
    "StreetNamePostDirectional",
)  # fmt: skip

# A unit designator followed by a unit number that holds a digit or is a single letter
# ("Apt 4B", "APT4B", "Suite 200", "Unit C"); "#4B" on its own. "Flat Rock Rd" is not a unit.
_UNIT_VALUE = r"([A-Z]?[0-9][A-Z0-9-]*|[A-Z](?![A-Z0-9]))"
_UNIT_WORDS = "APARTMENT|APT|UNIT|SUITE|STE|ROOM|RM|FLAT|FLT"
_UNIT = re.compile(rf"(?:\b(?:{_UNIT_WORDS})(?:[.\s#]+|(?=[0-9]))|#\s*)" + _UNIT_VALUE)


@dataclass(frozen=True, slots=True)
class NormalizedAddress:
    """An address split into normalized parts, with its comparison key and a readable label.

    ``key`` is ``None`` when there is no street line: a city alone identifies nobody.
    ``street_key`` is the street line with the unit, the state and the country but no city
    or postal code: it still matches when one spelling of an address lost its ZIP or city.
    """

    street: str
    unit: str
    city: str
    state: str
    postal_code: str
    country: str
    key: str | None
    label: str
    street_key: str | None = None


def street_word_forms() -> dict[str, frozenset[str]]:
    """{abbreviation: the words it abbreviates} ("N": {"NORTH"}, "CTR": {"CENTER", ...}),
    for comparing a misspelt word with the abbreviation of the word it was meant to be."""
    forms: dict[str, set[str]] = {}
    for word, short in _ABBREVIATIONS.items():
        forms.setdefault(short, set()).add(word)
    return {short: frozenset(words) for short, words in forms.items()}


def _split_unit(street: str) -> tuple[str, str]:
    """(street without the unit, unit number) from a folded, upper-cased street line."""
    matches = list(_UNIT.finditer(street))
    if not matches:
        return street, ""
    last = matches[-1]
    unit = last.group(1).replace("-", "")
    return street[: last.start()] + " " + street[last.end() :], unit


def _street_tokens(street: str) -> list[str]:
    raw = upper_tokens(street)
    words = list(map(_ABBREVIATIONS.get, raw, raw))  # each word's abbreviation, or itself
    if "P" not in words and "POST" not in words:
        return words
    out: list[str] = []
    i = 0
    while i < len(words):  # "P O BOX" and "POST OFFICE BOX" -> "PO BOX"
        if words[i : i + 2] in (["P", "O"], ["POST", "OFFICE"]):
            out.append("PO")
            i += 2
            continue
        out.append(words[i])
        i += 1
    return out


def _is_plain(words: list[str]) -> bool:
    """House number, name words and a street type or directional: nothing to parse."""
    return (
        len(words) >= 3
        and _HOUSE_NUMBER.match(words[0]) is not None
        and words[-1] in _LINE_ENDS
        and not any(map(str.isdigit, words[1:]))
    )


@lru_cache(maxsize=1 << 16)
def parse_us_street(line: str) -> tuple[str, str] | None:
    """(street line, unit) of an upper-cased US street line by ``usaddress``; ``None``
    when it finds no house number and street name (or cannot label the line)."""
    try:
        parts, _kind = usaddress.tag(line)
    except (usaddress.RepeatedLabelError, ValueError, TypeError):
        logger.debug("usaddress could not label %r", line)
        return None
    unit = "".join(ch for ch in parts.get("OccupancyIdentifier", "") if ch.isalnum())
    if parts.get("USPSBoxID"):
        return f"PO BOX {parts['USPSBoxID']}", unit
    if not (parts.get("AddressNumber") and parts.get("StreetName")):
        return None
    street = " ".join(parts[label] for label in _STREET_LABELS if parts.get(label))
    return " ".join(_street_tokens(street)), unit


def us_street_line(street: str) -> tuple[str, str]:
    """(normalized street line, unit) of a raw US street line: token rules for the plain
    form, ``usaddress`` for the rest (token rules again if it cannot read the line)."""
    upper = fold(street).upper()
    rest, unit = _split_unit(upper)
    words = _street_tokens(rest)
    if not words or _is_plain(words):
        return " ".join(words), unit
    parsed = parse_us_street(upper)
    if parsed is None or not parsed[0]:
        return " ".join(words), unit
    line, parsed_unit = parsed
    return line, unit or parsed_unit


def us_zip5(postal_code: str) -> str:
    """ZIP5 from a ZIP or ZIP+4; a 4-digit ZIP regains the leading zero spreadsheets drop."""
    digits = postal_code if postal_code.isdigit() else "".join(filter(str.isdigit, postal_code))
    if len(digits) == 4 or len(digits) == 8:
        digits = "0" + digits
    return digits[:5] if len(digits) >= 5 else ""


@lru_cache(maxsize=1 << 14)  # a few thousand cities and states recur on every parcel
def place_name(city: str) -> str:
    """A city (or other place name) as upper-case tokens ("Hong  Kong," -> "HONG KONG")."""
    return " ".join(tokens(city)).upper()


@lru_cache(maxsize=1 << 12)
def us_state(state: str) -> str:
    """Two-letter USPS state code from a code or a state name ("" when unknown)."""
    text = " ".join(tokens(state)).upper()
    if text in _STATE_CODES:
        return text
    return _US_STATES.get(text, "")


def _line(street: str, unit: str) -> str:
    if not unit:
        return street
    return f"{street} UNIT {unit}" if street else f"UNIT {unit}"  # "#0" alone: no stray space


def normalize_us_address(
    street: str, city: str = "", state: str = "", postal_code: str = ""
) -> NormalizedAddress:
    """Normalize a US address; the key is ZIP5 (or city and state), street and unit.

    ``unit`` holds the bare unit number; the key and label write it as "UNIT 4B".

    >>> normalize_us_address("123 Main Street, Apartment 4B", "New York", "NY", "10001-2345").key
    'US|10001|123 MAIN ST UNIT 4B'
    """
    street_norm, unit = us_street_line(street)
    city_norm = place_name(city)
    state_norm = us_state(state)
    zip5 = us_zip5(postal_code)
    place = zip5 or " ".join(filter(None, (city_norm, state_norm)))
    line = _line(street_norm, unit)
    region = " ".join(filter(None, (state_norm, zip5)))
    return NormalizedAddress(
        street_norm, unit, city_norm, state_norm, zip5, "US",
        f"US|{place}|{line}" if street_norm else None,
        ", ".join(filter(None, (line, city_norm, region, "US"))),
        f"US|{state_norm}|{line}" if street_norm else None,
    )  # fmt: skip


def normalize_foreign_address(
    street: str, city: str = "", country: str = "", postal_code: str = ""
) -> NormalizedAddress:
    """Token-normalize a non-US address; the key is country, city, street and unit.

    >>> normalize_foreign_address("Rm 1203, No. 88 Jianshe Lu", "Shenzhen", "China").key
    'CN|SHENZHEN|NO 88 JIANSHE RD UNIT 1203'
    """
    street_text, unit = _split_unit(fold(street).upper())
    street_norm = " ".join(_street_tokens(street_text))
    city_norm = place_name(city)
    code = country_code(country) or " ".join(tokens(country)).upper()
    postal = "".join(tokens(postal_code)).upper()
    line = _line(street_norm, unit)
    return NormalizedAddress(
        street_norm, unit, city_norm, "", postal, code,
        f"{code}|{city_norm}|{line}" if street_norm else None,
        ", ".join(filter(None, (line, city_norm, postal, code))),
        f"{code}||{line}" if street_norm else None,
    )  # fmt: skip


def normalize_address(
    street: str,
    city: str = "",
    state: str = "",
    postal_code: str = "",
    country: str = "",
    default_country: str = "US",
) -> NormalizedAddress:
    """Dispatch on the country (``default_country`` when empty): US rules or foreign rules."""
    code = country_code(country) if country.strip() else default_country
    if code == "US":
        return normalize_us_address(street, city, state, postal_code)
    return normalize_foreign_address(street, city, country or default_country, postal_code)
