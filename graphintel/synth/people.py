"""US consignees: street addresses, and persons with their own phone, e-mail, payment, IP.

Identifiers are handed out by global entity id through bijections (see ``tables``), so two
unrelated consumers never share a phone, address or IPv4 address by accident: every shared
identifier in the output was put there on purpose (household, tower, ring).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from graphintel.synth.tables import ArrayTable, Bijection, mixed_radix, zipf_weights
from graphintel.synth.vocab_people import (
    EMAIL_DOMAINS,
    FIRST_NAMES,
    LAST_NAMES,
    MIDDLE_INITIALS,
    STREET_NAMES,
    STREET_TYPES,
    US_AREA_CODES,
    US_CITIES,
)

NO_UNIT = -1
UNIT_FLOORS = 40  # unit code = (floor - 1) * 8 + letter index
STREET_TYPE_P = np.array([30, 20, 12, 12, 6, 5, 5, 4, 4, 2], dtype=np.float64)
STREET_TYPE_P /= STREET_TYPE_P.sum()
assert len(STREET_TYPE_P) == len(STREET_TYPES)

PAY_CARD, PAY_WALLET, PAY_BANK, PAY_CRYPTO = range(4)
PAY_P = (0.70, 0.22, 0.07, 0.01)
EMAIL_STYLES = 5

# Reserved IPv4 blocks used for consumers: 100.64.0.0/10 (shared address space) and
# 198.18.0.0/15 (benchmarking); (first address as an integer, size).
V4_BLOCKS: tuple[tuple[int, int], ...] = ((0x64400000, 1 << 22), (0xC6120000, 1 << 17))
V4_SIZE = sum(size for _, size in V4_BLOCKS)

_FIRST_P = zipf_weights(len(FIRST_NAMES), 25.0)
_LAST_P = zipf_weights(len(LAST_NAMES), 15.0)
# Joint probability of (first, last) as index first * len(LAST_NAMES) + last.
NAME_P = np.outer(_FIRST_P, _LAST_P).ravel()


@dataclass
class Addresses(ArrayTable):
    num: np.ndarray  # house number
    street: np.ndarray  # index into STREET_NAMES
    stype: np.ndarray  # index into STREET_TYPES
    city: np.ndarray  # index into US_CITIES
    zip5: np.ndarray
    plus4: np.ndarray


@dataclass
class Persons(ArrayTable):
    first: np.ndarray
    last: np.ndarray
    middle: np.ndarray
    addr: np.ndarray  # index into Addresses
    unit: np.ndarray  # unit code or NO_UNIT
    phone: np.ndarray  # 10-digit US number, or -1
    email_style: np.ndarray  # 0..EMAIL_STYLES-1, or -1 for none
    email_domain: np.ndarray
    email_num: np.ndarray
    pay_kind: np.ndarray  # PAY_*, or -1 for none
    pay_token: np.ndarray  # uint64
    ip_v6: np.ndarray  # bool
    ip_val: np.ndarray  # uint64: IPv4 slot in V4_BLOCKS, or 64 random IPv6 bits
    hub: np.ndarray  # HUB_* code of the consignee side (tower, household) or 0


class IdSpace:
    """Collision-free identifiers for up to ``capacity`` persons and addresses."""

    def __init__(self, capacity: int, rng: np.random.Generator) -> None:
        n_area = len(US_AREA_CODES)
        # Lines 555-0100..0199 (reserved for fiction) while they suffice, else 555-XXXX,
        # then 556-XXXX and up.
        fiction_only = 2 * capacity <= n_area * 100
        self._lines, self._first_line = (100, 100) if fiction_only else (10_000, 0)
        self.n_exchanges = max(1, math.ceil(2 * capacity / (n_area * self._lines)))
        self._phone = Bijection.draw(n_area * self.n_exchanges * self._lines, rng)
        self._v4 = Bijection.draw(V4_SIZE, rng)
        self._email = Bijection.draw(max(10_000, 2 * capacity), rng)
        self._street = Bijection.draw(9_999 * len(STREET_NAMES) * len(US_CITIES), rng)
        self._areas = np.array(US_AREA_CODES, dtype=np.int64)

    def phones(self, ids: np.ndarray) -> np.ndarray:
        """Distinct US numbers NPA-555-01XX, or NPA-555-XXXX when there are too many."""
        line, exch, area = mixed_radix(self._phone(ids), (self._lines, self.n_exchanges, 1 << 30))
        return np.asarray(
            self._areas[area] * 10_000_000 + (555 + exch) * 10_000 + self._first_line + line
        )

    def addresses(self, ids: np.ndarray, rng: np.random.Generator) -> Addresses:
        num, street, city = mixed_radix(self._street(ids), (9_999, len(STREET_NAMES), 1 << 30))
        prefixes = np.array([int(c[2]) for c in US_CITIES], dtype=np.int64)
        n = len(ids)
        return Addresses(
            num=(num + 1).astype(np.int32),
            street=street.astype(np.int16),
            stype=rng.choice(len(STREET_TYPES), n, p=STREET_TYPE_P).astype(np.int8),
            city=city.astype(np.int16),
            zip5=(prefixes[city] * 100 + rng.integers(0, 100, n)).astype(np.int32),
            plus4=rng.integers(1, 10_000, n).astype(np.int16),
        )

    def persons(
        self, ids: np.ndarray, addr: np.ndarray, unit: np.ndarray, rng: np.random.Generator
    ) -> Persons:
        """Fresh persons, each with identifiers of their own."""
        n = len(ids)
        phone = self.phones(ids)
        phone[rng.random(n) < 0.04] = -1
        style = rng.integers(0, EMAIL_STYLES, n).astype(np.int8)
        style[rng.random(n) < 0.06] = -1
        pay_kind = rng.choice(len(PAY_P), n, p=PAY_P).astype(np.int8)
        pay_kind[rng.random(n) < 0.03] = -1
        v6 = (rng.random(n) >= 0.65) | (np.asarray(ids) >= V4_SIZE)
        ip_val = rng.integers(0, 1 << 63, n, dtype=np.int64).astype(np.uint64)
        ip_val[~v6] = self._v4(np.asarray(ids)[~v6]).astype(np.uint64)
        return Persons(
            first=rng.choice(len(FIRST_NAMES), n, p=_FIRST_P).astype(np.int16),
            last=rng.choice(len(LAST_NAMES), n, p=_LAST_P).astype(np.int16),
            middle=rng.integers(0, len(MIDDLE_INITIALS), n).astype(np.int8),
            addr=np.asarray(addr, dtype=np.int32),
            unit=np.asarray(unit, dtype=np.int32),
            phone=phone.astype(np.int64),
            email_style=style,
            email_domain=rng.integers(0, len(EMAIL_DOMAINS), n).astype(np.int8),
            email_num=self._email(ids).astype(np.int32),
            pay_kind=pay_kind,
            pay_token=rng.integers(1, 1 << 63, n, dtype=np.int64).astype(np.uint64),
            ip_v6=v6,
            ip_val=ip_val,
            hub=np.zeros(n, dtype=np.int8),
        )


def random_units(n: int, rng: np.random.Generator, p_unit: float) -> np.ndarray:
    """Apartment units for a fraction ``p_unit`` of ordinary homes."""
    units = rng.integers(0, UNIT_FLOORS * 8, n).astype(np.int32)
    units[rng.random(n) >= p_unit] = NO_UNIT
    return units
