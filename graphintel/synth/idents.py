"""Contact and order identifiers: phones, e-mails, payment tokens, buyer IPs.

Payment accounts are tokens with a scheme prefix ("card:fp_9c1e...", "wallet:wlt_...",
"bank:acct_...", "crypto:addr_..."), never card numbers. Buyer IPs come from reserved
ranges: 100.64.0.0/10, 198.18.0.0/15 and the IPv6 documentation prefix 2001:db8::/32.
"""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from graphintel.synth.arrowkit import (
    HEXG,
    Part,
    Str,
    capitalize,
    choose,
    hex_words,
    join,
    lower,
    num,
    switch,
    take,
    vocab,
    where,
)
from graphintel.synth.companies import Companies
from graphintel.synth.names import FIRST, LAST
from graphintel.synth.noise import drop, drop_mask, recase_mask
from graphintel.synth.people import (
    EMAIL_STYLES,
    PAY_BANK,
    PAY_CARD,
    PAY_CRYPTO,
    PAY_WALLET,
    V4_BLOCKS,
    Persons,
)
from graphintel.synth.phones import N_FORMATS, US_FORMATS, us_phone_text
from graphintel.synth.plan import IP_FRESH, IP_HOME, Plan
from graphintel.synth.variation import mark, none
from graphintel.synth.vocab_people import EMAIL_DOMAINS

DOMAINS = vocab(EMAIL_DOMAINS)
PAY_KINDS = ("card", "wallet", "bank", "crypto")  # indexed by people.PAY_*
PAY_METHODS = vocab([*PAY_KINDS, ""])
assert (PAY_CARD, PAY_WALLET, PAY_BANK, PAY_CRYPTO) == (0, 1, 2, 3)


def phone_bits(text: Str) -> np.ndarray:
    """The ``tel.*`` class of each written phone, read from its shape."""

    def has(pattern: str) -> np.ndarray:
        return np.asarray(pc.match_substring_regex(text, pattern).to_numpy(zero_copy_only=False))

    e164, plus, zeros = has(r"^\+\d+$"), has(r"^\+"), has(r"^00")
    cc = has(r"^(852|86|1)[- ]\d")
    national = has(r"^[0-9(]") & ~zeros & ~cc
    bits = mark(mark(none(len(text)), plus & ~e164, "tel.plus"), zeros, "tel.00")
    return mark(mark(bits, cc, "tel.cc_noplus"), national, "tel.national")


def consignee_phone(
    persons: Persons, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    fmt = rng.integers(0, US_FORMATS, len(idx))
    text = drop(us_phone_text(persons.phone[idx], fmt), rng, 0.07)
    return text, phone_bits(text)


# Mailbox layouts: F = first name, L = last name, I = first initial, N = per-person number.
_EMAIL_LAYOUTS: tuple[tuple[str, ...], ...] = (
    ("F", ".", "L", "N"),
    ("I", "L", "N"),
    ("F", "L", "N"),
    ("L", ".", "F", "N"),
    ("F", "_", "L", "N"),
)
assert len(_EMAIL_LAYOUTS) == EMAIL_STYLES


def consignee_email(
    persons: Persons, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    """Mailbox from the true name and a per-person number; case varies, often missing."""

    def build(k: int, rows: np.ndarray) -> Part:
        if k == EMAIL_STYLES:
            return ""
        p = idx[rows]
        first = lower(take(FIRST, persons.first[p]))
        last = pc.replace_substring_regex(lower(take(LAST, persons.last[p])), "[^a-z]", "")
        parts = {"F": first, "L": last, "N": num(persons.email_num[p])}
        if "I" in _EMAIL_LAYOUTS[k]:
            parts["I"] = pc.utf8_slice_codeunits(first, 0, 1)
        local = join(*[parts.get(x, x) for x in _EMAIL_LAYOUTS[k]])
        return join(local, "@", take(DOMAINS, persons.email_domain[p]))

    style = persons.email_style[idx]
    email = switch(np.where(style < 0, EMAIL_STYLES, style), EMAIL_STYLES + 1, build)
    capital = rng.random(len(idx)) < 0.06
    email = where(capital, capitalize(email), email)
    email, cased = recase_mask(email, rng, 0.03)
    email, gone = drop_mask(email, rng, 0.08)
    return email, mark(none(len(idx)), (capital | cased) & ~gone & (style >= 0), "eml.case")


# Hex digits 7 and 13 (of 16) are forced to a letter, so that a token never holds a run of
# 13 or more decimal digits that could pass for a card number.
_NO_PAN = np.uint64((0xA << 36) | (0xA << 12))


def payment(persons: Persons, idx: np.ndarray, rng: np.random.Generator) -> tuple[Str, Str]:
    """payment_method and payment_account columns."""
    kind = persons.pay_kind[idx]
    token = persons.pay_token[idx] | _NO_PAN

    def build(k: int, rows: np.ndarray) -> Part:
        t = token[rows]
        if k == PAY_CARD:
            return join("card:fp_", hex_words(t, 4))
        if k == PAY_WALLET:
            return join("wallet:wlt_", hex_words(t, 3))
        if k == PAY_BANK:
            return join("bank:acct_", num((t % np.uint64(10**10)).astype(np.int64), 10))
        if k == PAY_CRYPTO:
            return join("crypto:addr_", hex_words(t, 4))
        return ""

    which = np.where(kind < 0, len(PAY_KINDS), kind)
    account = switch(which, len(PAY_KINDS) + 1, build)
    method = take(PAY_METHODS, which)
    return drop(method, rng, 0.03), drop(account, rng, 0.04)


def _ipv4(slot: np.ndarray) -> Str:
    (base0, size0), (base1, _) = V4_BLOCKS
    s = slot.astype(np.int64)
    ip = np.where(s < size0, base0 + s, base1 + s - size0)
    return join(*(num((ip >> k) & 255) for k in (24, 16, 8, 0)), sep=".")


def _ipv6(bits: np.ndarray) -> Str:
    """2001:db8: plus six groups spread from 64 random bits."""
    b = bits.astype(np.uint64)
    mixed = (b * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(32)
    return join("2001:db8:", hex_words(b, 4, HEXG, ":"), ":", hex_words(mixed, 2, HEXG, ":"))


_V4_HOME, _V6_HOME, _FRESH, _NO_IP = range(4)


def buyer_ip(plan: Plan, persons: Persons, rng: np.random.Generator) -> Str:
    """The consumer's home IP, or a fresh mobile IPv6, or nothing."""
    val = persons.ip_val[plan.consignee]
    fresh = rng.integers(0, 1 << 63, len(plan), dtype=np.int64).astype(np.uint64)

    def build(k: int, rows: np.ndarray) -> Part:
        if k == _V4_HOME:
            return _ipv4(val[rows])
        if k == _V6_HOME:
            return _ipv6(val[rows])
        if k == _FRESH:
            return _ipv6(fresh[rows])
        return ""

    home = np.where(persons.ip_v6[plan.consignee], _V6_HOME, _V4_HOME)
    which = np.where(
        plan.ip_mode == IP_HOME, home, np.where(plan.ip_mode == IP_FRESH, _FRESH, _NO_IP)
    )
    return switch(which, 4, build)


def shipper_phone(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    spellings = [take(companies.phones[k], idx) for k in range(N_FORMATS)]
    text = drop(choose(rng.integers(0, N_FORMATS, len(idx)), spellings), rng, 0.06)
    return text, phone_bits(text)


def shipper_email(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    email, cased = recase_mask(take(companies.email, idx), rng, 0.05)
    email, gone = drop_mask(email, rng, 0.12)
    return email, mark(none(len(idx)), cased & ~gone, "eml.case")
