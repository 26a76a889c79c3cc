"""Payment identifiers: tokenised, so compared exactly, never fuzzily.

Tokens such as "card_fp:9f8A..." or "wallet:alipay/2088..." are case-sensitive opaque
values; only the surrounding whitespace and the case of the scheme prefix are noise.
"""

from __future__ import annotations

import re

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9_+.\-]*):(.+)$", re.DOTALL)


def normalize_payment_account(raw: str) -> str | None:
    """``raw`` stripped, with a scheme prefix lower-cased; ``None`` when empty.

    >>> normalize_payment_account("  CARD_FP:9f8A77 ")
    'card_fp:9f8A77'
    """
    text = raw.strip()
    if not text:
        return None
    match = _SCHEME.match(text)
    if match:
        return f"{match.group(1).lower()}:{match.group(2)}"
    return text
