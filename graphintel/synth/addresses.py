"""Addresses as written on labels.

US street lines vary their suffix ("Street"/"St"/"St."), unit format ("Apt 4B", "#4B",
"Unit 4B", "Apartment 4B") and case; states are codes or names, ZIPs sometimes ZIP+4.
Shipper addresses switch between full and abbreviated words ("Room"/"Rm", "Road"/"Rd").
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.arrowkit import Str, choose, join, lower, num, take, vocab, where
from graphintel.synth.companies import Companies
from graphintel.synth.noise import drop, drop_mask, recase_mask, typos_mask
from graphintel.synth.people import Addresses, Persons
from graphintel.synth.variation import mark, none
from graphintel.synth.vocab_people import (
    STATE_NAMES,
    STREET_NAMES,
    STREET_TYPES,
    UNIT_LETTERS,
    UNIT_PREFIXES,
    US_CITIES,
)
from graphintel.synth.vocab_trade import CN, COUNTRIES, HK

STREETS = vocab(STREET_NAMES)
STYPE_FLAT = vocab([s for family in STREET_TYPES for s in family])
STYPE_LEN = np.array([len(f) for f in STREET_TYPES])
STYPE_OFF = np.concatenate([[0], np.cumsum(STYPE_LEN)[:-1]])
UNIT_PREF = vocab(UNIT_PREFIXES)
UNIT_PREF_P = np.array([0.4, 0.2, 0.2, 0.1, 0.1])
LETTERS = vocab(UNIT_LETTERS)
CITY = vocab([c[0] for c in US_CITIES])
STATE = vocab([c[1] for c in US_CITIES])
STATE_NAME = vocab([STATE_NAMES[c[1]] for c in US_CITIES])

COUNTRY_CODE = vocab([c[0] for c in COUNTRIES])
COUNTRY_NAME = vocab([c[1][0] for c in COUNTRIES])
COUNTRY_NAME2 = vocab([c[1][1] for c in COUNTRIES])


def _variant(length: np.ndarray, rng: np.random.Generator, p_canonical: float) -> np.ndarray:
    other = 1 + (rng.random(len(length)) * (length - 1)).astype(np.int64)
    return np.where((rng.random(len(length)) < p_canonical) | (length == 1), 0, other)


def consignee_address(
    persons: Persons, addresses: Addresses, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    """Street line with the unit: "123 Main Street Apt 4B", "123 MAIN ST, #4B"; and the
    variation bits."""
    a = persons.addr[idx]
    unit = persons.unit[idx]
    st = addresses.stype[a]
    variant = _variant(STYPE_LEN[st], rng, 0.5)
    suffix = take(STYPE_FLAT, STYPE_OFF[st] + variant)
    line = join(num(addresses.num[a]), take(STREETS, addresses.street[a]), suffix, sep=" ")
    has_unit = unit >= 0
    u = np.where(has_unit, unit, 0)
    sep = rng.random(len(idx)) < 0.3
    prefix = rng.choice(len(UNIT_PREFIXES), len(idx), p=UNIT_PREF_P)
    unit_text = join(
        choose(sep, [" ", ", "]),
        take(UNIT_PREF, prefix),
        num(u // 8 + 1),
        take(LETTERS, u % 8),
    )
    full = where(has_unit, join(line, unit_text), line)
    full, cased = recase_mask(full, rng, 0.07, 0.01)
    full, typo = typos_mask(full, rng, 0.015)
    bits = mark(none(len(idx)), variant > 0, "adr.abbr")
    bits = mark(bits, has_unit & (prefix > 0), "adr.unit")
    bits = mark(mark(bits, cased, "adr.case"), typo, "adr.street_typo")
    return drop(full, rng, 0.005), bits


def consignee_place(
    persons: Persons, addresses: Addresses, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, Str, Str, Str, np.ndarray]:
    """City, state, postal code and country columns, and their variation bits."""
    n = len(idx)
    a = persons.addr[idx]
    c = addresses.city[a]
    city, cased = recase_mask(take(CITY, c), rng, 0.08, 0.02)
    city, no_city = drop_mask(city, rng, 0.02)
    code = take(STATE, c)
    state_form = rng.choice(3, n, p=[0.85, 0.10, 0.05])
    state = choose(state_form, [code, take(STATE_NAME, c), lower(code)])
    state = drop(state, rng, 0.01)
    zip5 = num(addresses.zip5[a], 5)
    plus4 = rng.random(n) < 0.12
    postal = where(plus4, join(zip5, "-", num(addresses.plus4[a], 4)), zip5)
    postal = drop(postal, rng, 0.02)
    form = rng.choice(4, n, p=[0.80, 0.12, 0.05, 0.03])
    country = choose(form, ["US", "", "USA", "United States"])
    bits = mark(mark(none(n), cased, "adr.case"), no_city, "adr.blank_city")
    bits = mark(mark(bits, state_form > 0, "adr.state_form"), plus4, "adr.postal")
    bits = mark(mark(bits, form == 1, "adr.blank_country"), form > 1, "adr.country_form")
    return city, state, postal, country, bits


def shipper_address(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    n = len(idx)
    abbr = rng.random(n) < 0.35
    text = where(abbr, take(companies.addr_abbr, idx), take(companies.addr_full, idx))
    text, cased = recase_mask(text, rng, 0.08)
    text, typo = typos_mask(text, rng, 0.015)
    bits = mark(mark(mark(none(n), abbr, "adr.abbr"), cased, "adr.case"), typo, "adr.street_typo")
    return drop(text, rng, 0.04), bits


def shipper_place(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, Str, np.ndarray]:
    """City ("Shenzhen", "SHENZHEN", "Shenzhen City") and country ("CN", "China"), and
    their variation bits."""
    n = len(idx)
    country = companies.country[idx]
    city = take(companies.city, idx)
    city = where((country == CN) & (rng.random(n) < 0.06), join(city, " City"), city)
    city, cased = recase_mask(city, rng, 0.10, 0.03)
    city, no_city = drop_mask(city, rng, 0.03)
    which = rng.choice(3, n, p=[0.75, 0.18, 0.07])
    names = [take(COUNTRY_CODE, country), take(COUNTRY_NAME, country), take(COUNTRY_NAME2, country)]
    country_text, no_country = drop_mask(choose(which, names), rng, 0.02)
    bits = mark(mark(none(n), cased, "adr.case"), no_city, "adr.blank_city")
    bits = mark(bits, (which > 0) & ~no_country, "adr.country_form")
    return city, country_text, mark(bits, no_country, "adr.blank_country")


def origin_country(companies: Companies, idx: np.ndarray, rng: np.random.Generator) -> Str:
    """Country of origin: the shipper's country; Hong Kong shippers mostly ship Chinese goods."""
    country = companies.country[idx]
    hk = country == HK
    origin = np.where(hk & (rng.random(len(idx)) < 0.6), CN, country)
    return drop(take(COUNTRY_CODE, origin), rng, 0.03)
