"""Address keys that spell one place: street-word typos and a blank city resolve to one node.

Normalization (``graphintel.normalize.address``) already makes unit forms ("Apt 5B", "#5B",
"Suite 5B"), street-type abbreviations, case, state names and ZIP+4 agree. What it cannot
see alone is a slip in a street word ("INDUSRTIAL", "MAGONLIA") or a city left blank: those
need the other spellings of the place. Here every distinct address key is compared with the
others that share its country and every number in order (house number, building, unit): a
number is never a typo, so "UNIT 5B" and "UNIT 15B", or 12 and 21 Main St, never meet. Within
such a block, variants join the most-mentioned spelling (star clusters, no chains) when

* their places agree (the same ZIP or city), or one of them is blank and the street line
  fits exactly one place of the block (a blank city is filled from the other mentions),
* and their street words pair up in order, each equal or a slip: one edit (insertion,
  deletion, substitution or transposition of neighbours) in a word of 4 letters or more,
  two in a word of 8 or more, in at most ``MAX_SLIPPED_WORDS`` words. Short words (ST, N,
  ELM) and the street type must be equal: "ELM ST" and "ELK ST", "CANAL ST" and "CANAL
  AVE" are other streets.

Each merged variant keeps its key as an alias of the canonical key with a sentence saying
why (the graph shows both on the address node).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz.distance import OSA

from graphintel.normalize.address import street_word_forms

MAX_SLIPPED_WORDS = 2
_MIN_SLIP_LETTERS = 4  # "ELM"/"ELK" are other words, "MAIN"/"MAEN" a slip
_MIN_TWO_SLIP_LETTERS = 8
_NOISE = frozenset({"NO"})  # "No. 88 Jianshe Rd" and "88 Jianshe Rd" are one line
_FULL_FORMS = street_word_forms()  # "N": {"NORTH"}, "IND": {"INDUSTRIAL"}


@dataclass(frozen=True, slots=True)
class _Variant:
    key: str
    place: str
    words: tuple[str, ...]
    mentions: int
    commonness: int = 0  # how many keys use its street words: a tie-break for the canonical


def _parse(key: str, mentions: int) -> tuple[tuple[str, tuple[str, ...]], _Variant] | None:
    """(block, variant) of an address key "CC|PLACE|LINE" (``None``: not such a key)."""
    parts = key.split("|", 2)
    if len(parts) != 3:
        return None
    country, place, line = parts
    tokens = line.split()
    numbers = tuple(t for t in tokens if any(ch.isdigit() for ch in t))
    if not numbers:
        return None  # a line without any number is too vague to merge on words alone
    words = tuple(t for t in tokens if not any(ch.isdigit() for ch in t) and t not in _NOISE)
    return (country, numbers), _Variant(key, place, words, mentions)


def _slip(a: str, b: str) -> bool:
    """Whether two different street words are one word with a slip of the pen; an
    abbreviation stands for its full words ("N" and "NURTH": "NORTH" misspelt)."""
    for short, other in ((a, b), (b, a)):
        full = _FULL_FORMS.get(short)
        if full is not None and other not in _FULL_FORMS:
            return any(_letters_slip(word, other) for word in full)
    return _letters_slip(a, b)


def _letters_slip(a: str, b: str) -> bool:
    """One edit (two from 8 letters) between words of 4 letters or more (3 for the shorter:
    "UNON" is "UNION" with a letter dropped)."""
    longer = max(len(a), len(b))
    if min(len(a), len(b)) < _MIN_SLIP_LETTERS - 1 or longer < _MIN_SLIP_LETTERS:
        return False
    allowed = 2 if longer >= _MIN_TWO_SLIP_LETTERS else 1
    return OSA.distance(a, b, score_cutoff=allowed) <= allowed


def slipped_words(a: tuple[str, ...], b: tuple[str, ...]) -> list[tuple[str, str]] | None:
    """The (a word, b word) pairs that differ by a slip, or ``None`` when the street words
    of ``a`` and ``b`` are not one line (different count, a word or street type changed)."""
    if len(a) != len(b):
        return None
    slips: list[tuple[str, str]] = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        if x == y:
            continue
        if i == len(a) - 1 or not _slip(x, y):  # the last word is the street type
            return None
        slips.append((x, y))
    return slips if len(slips) <= MAX_SLIPPED_WORDS else None


def _spelled(word: str) -> str:
    full = _FULL_FORMS.get(word)
    return f"{word} ({'/'.join(sorted(full))})" if full else word


def _why(variant: _Variant, center: _Variant, slips: list[tuple[str, str]]) -> str:
    parts = [f"street word {x} read as {_spelled(y)}" for x, y in slips]
    if not variant.place and center.place:
        parts.append(f"blank place filled with {center.place} (the only place of this line)")
    numbers = "same numbers" + (f" and place {center.place}" if variant.place else "")
    return "; ".join(parts) + f" ({numbers})"


def _cluster(block: list[_Variant]) -> Iterable[tuple[str, str, str]]:
    """(variant key, canonical key, why) of the variants of one block that join a center:
    the most-mentioned spelling, then the one whose words most other keys use."""
    block.sort(key=lambda v: (-v.mentions, -v.commonness, v.key))
    centers: list[_Variant] = []
    blank: list[_Variant] = []
    for v in block:
        if not v.place:
            blank.append(v)
            continue
        for c in centers:
            if c.place == v.place and (slips := slipped_words(v.words, c.words)) is not None:
                yield v.key, c.key, _why(v, c, slips)
                break
        else:
            centers.append(v)
    for v in blank:  # a blank place joins only when one place of the block fits its line
        fits = [(c, s) for c in centers if (s := slipped_words(v.words, c.words)) is not None]
        if len(fits) == 1:
            yield v.key, fits[0][0].key, _why(v, *fits[0])
        elif not fits:
            centers.append(v)


def address_aliases(mentions: dict[str, int]) -> dict[str, tuple[str, str]]:
    """{variant key: (canonical key, why)} over address keys and their mention counts."""
    blocks: dict[tuple[str, tuple[str, ...]], list[_Variant]] = defaultdict(list)
    for key, count in mentions.items():
        parsed = _parse(key, count)
        if parsed is not None:
            blocks[parsed[0]].append(parsed[1])
    words: Counter[str] = Counter()
    for block in blocks.values():
        if len(block) > 1:
            for v in block:
                words.update(v.words)
    out: dict[str, tuple[str, str]] = {}
    for block in blocks.values():
        if len(block) > 1:
            block = [replace(v, commonness=sum(map(words.__getitem__, v.words))) for v in block]
            for key, canonical, why in _cluster(block):
                out[key] = (canonical, why)
    return out
