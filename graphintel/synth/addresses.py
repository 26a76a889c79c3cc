"""Addresses as written on labels.

US street lines vary their suffix ("Street"/"St"/"St."), unit format ("Apt 4B", "#4B",
"Unit 4B", "Apartment 4B") and case; states are codes or names, ZIPs sometimes ZIP+4.
Shipper addresses switch between full and abbreviated words ("Room"/"Rm", "Road"/"Rd").
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.arrowkit import Str, choose, join, lower, num, take, vocab, where
from graphintel.synth.companies import Companies
from graphintel.synth.noise import drop, recase, typos
from graphintel.synth.people import Addresses, Persons
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
) -> Str:
    """Street line with the unit: "123 Main Street Apt 4B", "123 MAIN ST, #4B"."""
    a = persons.addr[idx]
    unit = persons.unit[idx]
    st = addresses.stype[a]
    suffix = take(STYPE_FLAT, STYPE_OFF[st] + _variant(STYPE_LEN[st], rng, 0.5))
    line = join(num(addresses.num[a]), take(STREETS, addresses.street[a]), suffix, sep=" ")
    has_unit = unit >= 0
    u = np.where(has_unit, unit, 0)
    unit_text = join(
        choose(rng.random(len(idx)) < 0.3, [" ", ", "]),
        take(UNIT_PREF, rng.choice(len(UNIT_PREFIXES), len(idx), p=UNIT_PREF_P)),
        num(u // 8 + 1),
        take(LETTERS, u % 8),
    )
    full = where(has_unit, join(line, unit_text), line)
    return drop(typos(recase(full, rng, 0.07, 0.01), rng, 0.015), rng, 0.005)


def consignee_place(
    persons: Persons, addresses: Addresses, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, Str, Str, Str]:
    """City, state, postal code and country columns."""
    n = len(idx)
    a = persons.addr[idx]
    c = addresses.city[a]
    city = drop(recase(take(CITY, c), rng, 0.08, 0.02), rng, 0.02)
    code = take(STATE, c)
    state = choose(rng.choice(3, n, p=[0.85, 0.10, 0.05]), [code, take(STATE_NAME, c), lower(code)])
    state = drop(state, rng, 0.01)
    zip5 = num(addresses.zip5[a], 5)
    postal = where(rng.random(n) < 0.12, join(zip5, "-", num(addresses.plus4[a], 4)), zip5)
    postal = drop(postal, rng, 0.02)
    country = choose(
        rng.choice(4, n, p=[0.80, 0.12, 0.05, 0.03]), ["US", "", "USA", "United States"]
    )
    return city, state, postal, country


def shipper_address(companies: Companies, idx: np.ndarray, rng: np.random.Generator) -> Str:
    n = len(idx)
    text = where(
        rng.random(n) < 0.35, take(companies.addr_abbr, idx), take(companies.addr_full, idx)
    )
    return drop(typos(recase(text, rng, 0.08), rng, 0.015), rng, 0.04)


def shipper_place(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, Str]:
    """City ("Shenzhen", "SHENZHEN", "Shenzhen City") and country ("CN", "China")."""
    n = len(idx)
    country = companies.country[idx]
    city = take(companies.city, idx)
    city = where((country == CN) & (rng.random(n) < 0.06), join(city, " City"), city)
    city = drop(recase(city, rng, 0.10, 0.03), rng, 0.03)
    which = rng.choice(3, n, p=[0.75, 0.18, 0.07])
    names = [take(COUNTRY_CODE, country), take(COUNTRY_NAME, country), take(COUNTRY_NAME2, country)]
    return city, drop(choose(which, names), rng, 0.02)


def origin_country(companies: Companies, idx: np.ndarray, rng: np.random.Generator) -> Str:
    """Country of origin: the shipper's country; Hong Kong shippers mostly ship Chinese goods."""
    country = companies.country[idx]
    hk = country == HK
    origin = np.where(hk & (rng.random(len(idx)) < 0.6), CN, country)
    return drop(take(COUNTRY_CODE, origin), rng, 0.03)
