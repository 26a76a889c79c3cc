"""Countries as ISO 3166-1 alpha-2 codes, from a code or an English name.

The manifest allows "ISO alpha-2 or a country name"; labels also write alpha-3 in capitals
("HKG", "CHN"), which is read too. Phone parsing and address keys need the code. English
names come from ``country_names`` (CLDR names, via libphonenumber) plus the aliases
manifests actually use ("PRC", "USA", "UK").
"""

from __future__ import annotations

from functools import lru_cache

import phonenumbers

from graphintel.normalize.country_names import COUNTRY_NAMES, ISO3_CODES
from graphintel.normalize.text import tokens

_ALIASES: dict[str, str] = {
    "usa": "US",
    "u s": "US",
    "u s a": "US",
    "united states of america": "US",
    "america": "US",
    "prc": "CN",
    "p r c": "CN",
    "p r china": "CN",
    "peoples republic of china": "CN",
    "people s republic of china": "CN",
    "mainland china": "CN",
    "china mainland": "CN",
    "uk": "GB",
    "u k": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "republic of korea": "KR",
    "korea republic of": "KR",
    "korea": "KR",
    "hong kong sar": "HK",
    "hongkong": "HK",
    "hong kong china": "HK",
    "macau": "MO",
    "taiwan province of china": "TW",
    "republic of china": "TW",
    "viet nam": "VN",
    "russian federation": "RU",
    "uae": "AE",
    "holland": "NL",
    "the netherlands": "NL",
    "turkiye": "TR",
    "czechia": "CZ",
    "ivory coast": "CI",
}

# Reserved or user-assigned codes that phonenumbers does not list but manifests use.
_EXTRA_CODES = frozenset({"EU", "XK"})


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """English country name (folded) -> ISO2, loaded once on first use."""
    table = {" ".join(tokens(name)): code for code, name in COUNTRY_NAMES.items()}
    table.update(_ALIASES)
    return table


@lru_cache(maxsize=4096)  # manifests spell a few hundred countries and cities, each often
def country_code(value: str) -> str | None:
    """ISO2 code for an ISO2 or ISO3 code or an English country name; ``None`` when unknown.

    >>> country_code("P.R. China"), country_code("us"), country_code("HKG"), country_code("Mars")
    ('CN', 'US', 'HK', None)
    """
    text = value.strip()
    if not text:
        return None
    if len(text) == 2 and text.isalpha():
        code = text.upper()
        # a code whose country has no phone plan (Pitcairn, Antarctica ...) is still a country
        if code in COUNTRY_NAMES or code in phonenumbers.SUPPORTED_REGIONS or code in _EXTRA_CODES:
            return code
    if len(text) == 3 and text.isupper() and text in ISO3_CODES:
        return ISO3_CODES[text]
    return _names().get(" ".join(tokens(text)))
