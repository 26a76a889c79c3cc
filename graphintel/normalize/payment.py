"""Payment identifiers: tokenised, so compared exactly, never fuzzily, in a canonical form.

Tokens such as "card_fp:9f8A..." or "iban:DE89..." are case-sensitive opaque values; only
the surrounding whitespace and the case of the scheme prefix are noise. Two kinds have
spellings that reach the same account, and are written one way (per scheme):

* a wallet or account named by an e-mail address ("wallet:J.Smith+shop@GMail.com") is that
  mailbox (``normalize_email``: case, "+tags", Gmail dots);
* a crypto address: hexadecimal ones ("0x" + 40 hex digits: Ethereum and its kin) and
  bech32 ones ("bc1...", "ltc1...", "tb1...") are case-insensitive and written in lower
  case; a "bitcoin:" or "ethereum:" payment URI is reduced to its address (no "?amount=");
  base58 addresses (Bitcoin "1..."/"3...", Tron "T...") are case-sensitive and kept as
  written. Card fingerprints stay exact.
"""

from __future__ import annotations

import re

from graphintel.normalize.email import normalize_email

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9_+.\-]*):(.+)$", re.DOTALL)
_HEX_ADDRESS = re.compile(r"0[xX][0-9a-fA-F]{40}")
_BECH32 = re.compile(r"(?:bc|tb|ltc|bcrt)1[02-9ac-hj-np-z]{6,87}", re.IGNORECASE)
_URI_SCHEMES = frozenset(("bitcoin", "ethereum", "litecoin"))
_EMAIL_LIKE = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def _canonical_value(value: str) -> str:
    """A crypto address or an e-mail-named account in its canonical spelling (else as is)."""
    if _HEX_ADDRESS.fullmatch(value) or _BECH32.fullmatch(value):
        return value.lower()
    if _EMAIL_LIKE.fullmatch(value):
        return normalize_email(value) or value
    return value


def normalize_payment_account(raw: str) -> str | None:
    """``raw`` stripped, with a scheme prefix lower-cased and the value canonical (see the
    module docstring); ``None`` when empty.

    >>> normalize_payment_account("  CARD_FP:9f8A77 ")
    'card_fp:9f8A77'
    >>> normalize_payment_account("crypto:0xAbC0000000000000000000000000000000000dEf")
    'crypto:0xabc0000000000000000000000000000000000def'
    """
    text = raw.strip()
    if not text:
        return None
    match = _SCHEME.match(text)
    if not match:
        return _canonical_value(text)
    scheme, value = match.group(1).lower(), match.group(2).strip()
    address = value.split("?", 1)[0].strip()
    if scheme in _URI_SCHEMES and address:  # "bitcoin:BC1Q...?amount=0.1": the address
        return _canonical_value(address)
    return f"{scheme}:{_canonical_value(value)}"
