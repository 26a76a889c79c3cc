"""Phone numbers as E.164 ("+8613800138000"), whatever way the manifest wrote them.

The default region comes from the party's country, because "138 0013 8000" means a
Chinese mobile only when we know the shipper is in China. Consignees are US recipients,
so callers pass ``default_region="US"`` when the country is unknown.
"""

from __future__ import annotations

import phonenumbers

from graphintel.normalize.country import country_code

# Fewer digits than this cannot identify a subscriber anywhere; such values get no key.
MIN_FALLBACK_DIGITS = 7


def normalize_phone(raw: str, country: str = "", default_region: str = "US") -> str | None:
    """E.164 form of ``raw``, or a digits-only fallback key, or ``None``.

    ``country`` is an ISO2 code or a country name; ``default_region`` is used when it is
    empty or unknown. A number ``phonenumbers`` cannot read as a possible number falls back
    to its bare digits (no leading "+", so a fallback never poses as E.164) when it has at
    least ``MIN_FALLBACK_DIGITS`` digits; anything shorter returns ``None``.

    >>> normalize_phone("(138) 0013-8000", "China")
    '+8613800138000'
    >>> normalize_phone("212-555-0147 ext. 9")
    '+12125550147'
    """
    text = raw.strip()
    if not text:
        return None
    region = country_code(country) or default_region
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is not None and phonenumbers.is_possible_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= MIN_FALLBACK_DIGITS else None
