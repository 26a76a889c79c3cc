"""Mention noise: case changes, one-character typos and missing optional fields.

Each function draws its own random numbers from the generator it is given, so one chunk's
noise depends only on that chunk's seed.
"""

from __future__ import annotations

import numpy as np

from graphintel.synth.arrowkit import Str, blank, lower, patch, upper, where

# Letters a slip of the finger tends to produce.
_SLIPS = "etaoinsrhldcumfpgwybvk"


def typo(text: str, a: float, b: float, c: float) -> str:
    """One substitution, deletion, doubling or transposition of a letter (never the first
    character, never a digit: a changed house number is another address, not a typo)."""
    letters = [i for i in range(1, len(text) - 1) if text[i].isalpha()]
    if len(text) < 4 or not letters:
        return text
    pos = letters[int(a * len(letters))]
    op = int(b * 4)
    ch = text[pos]
    if op == 3 and text[pos + 1] != ch and text[pos + 1].isalpha():
        return text[:pos] + text[pos + 1] + ch + text[pos + 2 :]
    if op == 0:
        rep = _SLIPS[int(c * len(_SLIPS))]
        if rep == ch.lower():
            rep = _SLIPS[(int(c * len(_SLIPS)) + 1) % len(_SLIPS)]
        return text[:pos] + (rep.upper() if ch.isupper() else rep) + text[pos + 1 :]
    if op == 2:
        return text[:pos] + ch + text[pos:]
    return text[:pos] + text[pos + 1 :]


def typos_mask(values: Str, rng: np.random.Generator, p: float) -> tuple[Str, np.ndarray]:
    """A one-character typo in a fraction ``p`` of the rows, and which rows."""
    mask = rng.random(len(values)) < p
    r = rng.random((int(mask.sum()), 3))

    def fix(texts: list[str]) -> list[str]:
        return [typo(t, *r[i]) for i, t in enumerate(texts)]

    return patch(values, mask, fix), mask


def typos(values: Str, rng: np.random.Generator, p: float) -> Str:
    return typos_mask(values, rng, p)[0]


def recase_mask(
    values: Str, rng: np.random.Generator, p_upper: float, p_lower: float = 0.0
) -> tuple[Str, np.ndarray]:
    """Upper-case a fraction ``p_upper`` of the rows and lower-case a fraction ``p_lower``;
    also returns which rows changed case."""
    u = rng.random(len(values))
    out = where(u < p_upper, upper(values), values)
    if p_lower:
        out = where((u >= p_upper) & (u < p_upper + p_lower), lower(values), out)
    return out, u < p_upper + p_lower


def recase(values: Str, rng: np.random.Generator, p_upper: float, p_lower: float = 0.0) -> Str:
    return recase_mask(values, rng, p_upper, p_lower)[0]


def drop_mask(values: Str, rng: np.random.Generator, p: float) -> tuple[Str, np.ndarray]:
    """Blank a fraction ``p`` of the rows (the field was left empty on the label)."""
    mask = rng.random(len(values)) < p
    return blank(values, mask), mask


def drop(values: Str, rng: np.random.Generator, p: float) -> Str:
    return drop_mask(values, rng, p)[0]
