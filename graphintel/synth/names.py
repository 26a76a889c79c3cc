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
from graphintel.synth.noise import recase, typos
from graphintel.synth.people import Persons
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


def person_names(persons: Persons, idx: np.ndarray, rng: np.random.Generator) -> Str:
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

    names = switch(rng.choice(len(_PERSON_P), len(idx), p=_PERSON_P), len(_PERSON_P), build)
    return typos(recase(names, rng, 0.08, 0.02), rng, 0.035)


def legal_variants(family: np.ndarray, rng: np.random.Generator, p_canonical: float) -> Str:
    """A legal-form spelling per row: the registered one with ``p_canonical``, else another
    of the same family."""
    n = len(family)
    length = LEGAL_LEN[family]
    other = 1 + (rng.random(n) * (length - 1)).astype(np.int64)
    variant = np.where(rng.random(n) < p_canonical, 0, other)
    return take(LEGAL_FLAT, LEGAL_OFF[family] + variant)


def company_names(companies: Companies, idx: np.ndarray, rng: np.random.Generator) -> Str:
    n = len(idx)
    stem = where(rng.random(n) < 0.04, take(companies.short, idx), take(companies.base, idx))
    name = join(stem, " ", legal_variants(companies.legal[idx], rng, 0.5))
    return typos(recase(name, rng, 0.10, 0.02), rng, 0.03)
