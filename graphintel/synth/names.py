"""Party names as written on labels: one true person or company, many spellings.

Persons: "John Smith", "John R. Smith", "Smith, John", "J. Smith", upper or lower case,
a typo now and then. Companies: the legal form varies most ("Co., Ltd." / "CO LTD" /
"Company Limited" / "Co.,Ltd"), sometimes the place prefix is left off, sometimes the
whole name is upper-cased or mistyped.
"""

from __future__ import annotations

import numpy as np
import pyarrow.compute as pc

from graphintel.synth.arrowkit import Str, join, switch, take, vocab, where
from graphintel.synth.companies import Companies
from graphintel.synth.noise import recase_mask, typos_mask
from graphintel.synth.people import Persons
from graphintel.synth.variation import mark, none
from graphintel.synth.vocab_people import FIRST_NAMES, LAST_NAMES, MIDDLE_INITIALS
from graphintel.synth.vocab_trade import LEGAL_FORMS

FIRST = vocab(FIRST_NAMES)
LAST = vocab(LAST_NAMES)
MIDDLE = vocab(MIDDLE_INITIALS)

LEGAL_FLAT = vocab([form for family in LEGAL_FORMS for form in family])
LEGAL_LEN = np.array([len(f) for f in LEGAL_FORMS])
LEGAL_OFF = np.concatenate([[0], np.cumsum(LEGAL_LEN)[:-1]])

# "First Last", "First M. Last", "Last, First", "First M Last", "F. Last"
_PERSON_P = np.array([0.83, 0.05, 0.05, 0.04, 0.03])


def person_names(
    persons: Persons, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    """Names as written and their variation bits (``variation``)."""

    def build(k: int, rows: np.ndarray) -> Str:
        p = idx[rows]
        first, last = take(FIRST, persons.first[p]), take(LAST, persons.last[p])
        if k == 0:
            return join(first, " ", last)
        if k == 2:
            return join(last, ", ", first)
        if k == 4:
            return join(pc.utf8_slice_codeunits(first, 0, 1), ". ", last)
        mid = take(MIDDLE, persons.middle[p])
        return join(first, " ", mid, ". " if k == 1 else " ", last)

    layout = rng.choice(len(_PERSON_P), len(idx), p=_PERSON_P)
    names = switch(layout, len(_PERSON_P), build)
    names, cased = recase_mask(names, rng, 0.08, 0.02)
    names, typo = typos_mask(names, rng, 0.035)
    bits = mark(none(len(idx)), (layout == 1) | (layout == 3), "per.middle")
    bits = mark(mark(bits, layout == 2, "per.order"), layout == 4, "per.initial")
    return names, mark(mark(bits, cased, "per.case"), typo, "per.typo")


def legal_variants(family: np.ndarray, rng: np.random.Generator, p_canonical: float) -> Str:
    """A legal-form spelling per row: the registered one with ``p_canonical``, else another
    of the same family."""
    n = len(family)
    length = LEGAL_LEN[family]
    other = 1 + (rng.random(n) * (length - 1)).astype(np.int64)
    variant = np.where(rng.random(n) < p_canonical, 0, other)
    return take(LEGAL_FLAT, LEGAL_OFF[family] + variant)


def company_names(
    companies: Companies, idx: np.ndarray, rng: np.random.Generator
) -> tuple[Str, np.ndarray]:
    """Names as written and their variation bits (``variation``)."""
    n = len(idx)
    short = rng.random(n) < 0.04
    stem = where(short, take(companies.short, idx), take(companies.base, idx))
    legal = legal_variants(companies.legal[idx], rng, 0.5)
    name, cased = recase_mask(join(stem, " ", legal), rng, 0.10, 0.02)
    name, typo = typos_mask(name, rng, 0.03)
    has_place = pc.not_equal(take(companies.short, idx), take(companies.base, idx))
    bits = mark(none(n), short & has_place.to_numpy(zero_copy_only=False), "org.geo_drop")
    registered = take(LEGAL_FLAT, LEGAL_OFF[companies.legal[idx]])
    bits = mark(bits, pc.not_equal(legal, registered).to_numpy(zero_copy_only=False), "org.legal")
    return name, mark(mark(bits, cased, "org.case"), typo, "org.typo1")
