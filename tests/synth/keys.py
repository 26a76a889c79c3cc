"""Test-side comparison keys: enough normalization to tell one identifier from another
despite the generator's spelling noise (the real normalizers live in graphintel.normalize)."""

from __future__ import annotations

import re

_US_WORDS = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "ROAD": "RD",
    "DRIVE": "DR",
    "LANE": "LN",
    "BOULEVARD": "BLVD",
    "COURT": "CT",
    "PLACE": "PL",
    "TERRACE": "TER",
    "APARTMENT": "#",
    "APT": "#",
    "UNIT": "#",
}
_CN_WORDS = {
    "ROOM": "RM",
    "BUILDING": "BLDG",
    "ROAD": "RD",
    "DISTRICT": "DIST",
    "FLAT": "FLT",
    "INDUSTRIAL": "IND",
}


def _words(text: str, table: dict[str, str]) -> list[str]:
    tokens = re.findall(r"[A-Z0-9/]+|#", text.upper())
    return [table.get(t, t) for t in tokens]


def us_street(address: str) -> tuple[str, str]:
    """(street line without unit, unit) e.g. ("123 MAIN ST", "4B")."""
    words = _words(address, _US_WORDS)
    if "#" in words:
        i = words.index("#")
        return " ".join(words[:i]), "".join(words[i + 1 :])
    return " ".join(words), ""


def shipper_address(address: str) -> str:
    return " ".join(_words(address, _CN_WORDS))


def phone(text: str) -> str:
    """National significant number: the same number in any national or international
    spelling ("+86 755 2345 6789" = "0755-23456789", "+1 (415) 555-0134" = "4155550134")."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    for code, length in (("1", 11), ("86", 12), ("86", 13), ("852", 11)):
        if digits.startswith(code) and len(digits) == length:
            digits = digits[len(code) :]
            break
    return digits.lstrip("0")


def legal_free(name: str) -> str:
    """Upper-cased company name with its legal form removed."""
    n = re.sub(r"[.,]", " ", name.upper())
    n = re.sub(r"\b(CO|LTD|COMPANY|LIMITED|INC|INCORPORATED|LLC|L L C|PVT|PRIVATE)\b", " ", n)
    return " ".join(n.split())
