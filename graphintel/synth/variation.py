"""The variation classes of docs/variations.md as bits, one word per party mention.

Renderers return, next to each column, which catalogue classes they applied to each row;
truth.csv writes them as ``|``-joined codes (``shipper_variation``, ``consignee_variation``)
so resolution quality can be measured per class.
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.arrowkit import Str, take, vocab

CLASSES: tuple[str, ...] = (
    "org.legal", "org.geo_drop", "org.geo_move", "org.geo_add", "org.order", "org.pinyin",
    "org.abbr", "org.typo1", "org.typo2", "org.generic_drop", "org.case", "org.punct",
    "per.initial", "per.middle", "per.nickname", "per.order", "per.typo", "per.case",
    "adr.street_typo", "adr.abbr", "adr.unit", "adr.order", "adr.blank_city",
    "adr.blank_country", "adr.country_form", "adr.state_form", "adr.postal", "adr.case",
    "tel.plus", "tel.00", "tel.cc_noplus", "tel.national",
    "eml.case", "eml.plus", "eml.dots",
    "pay.token_case", "pay.eth_case", "pay.bech32_case",
)  # fmt: skip
_INDEX = {c: i for i, c in enumerate(CLASSES)}
assert len(CLASSES) <= 64


def bit(code: str) -> np.uint64:
    return np.uint64(1) << np.uint64(_INDEX[code])


def mark(bits: np.ndarray, mask: np.ndarray, code: str) -> np.ndarray:
    """``bits`` with ``code`` set where ``mask`` holds."""
    return np.asarray(bits | np.where(mask, bit(code), np.uint64(0)), dtype=np.uint64)


def none(n: int) -> np.ndarray:
    return np.zeros(n, dtype=np.uint64)


def codes_text(bits: np.ndarray) -> Str:
    """ "adr.abbr|org.legal"-style text per row (sorted codes, empty when none)."""
    uniq, inverse = np.unique(np.asarray(bits, dtype=np.uint64), return_inverse=True)
    texts = ["|".join(sorted(c for i, c in enumerate(CLASSES) if int(u) >> i & 1)) for u in uniq]
    return take(vocab(texts), inverse)
