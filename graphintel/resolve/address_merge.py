"""Address keys that spell one place: street-word typos, parts in another order and a blank
city or country resolve to one node.

Normalization (``graphintel.normalize.address``) already makes unit forms ("Apt 5B", "#5B",
"Suite 5B"), street-type abbreviations, case, state names and ZIP+4 agree. What it cannot
see alone is a slip in a street word ("INDUSRTIAL", "MAGONLIA"), a building written after
the street instead of before it, or a city or country left blank: those need the other
spellings of the place. Here every distinct address key is compared with the others that
have the same numbers, each after the same word ("BLDG 3", "UNIT 1402", the house number):
a number is never a typo, so "UNIT 5B" and "UNIT 15B", or 12 and 21 Main St, never meet.
Variants join the most-mentioned spelling (star clusters, no chains) when

* their country and place (ZIP or city) agree; a spelling with a blank country or place
  joins only when exactly one spelling of the block fits it (filled from the others),
* and their street words pair up, in any order, each equal or a slip: one edit
  (insertion, deletion, substitution or transposition of neighbours) in a word of 4
  letters or more, two in a word of 8 or more, in at most ``MAX_SLIPPED_WORDS`` words; an
  abbreviation stands for its full word ("NURTH" is a slip of "N", NORTH). Short words and
  street types must be equal: "ELM ST" and "ELK ST", "CANAL ST" and "CANAL AVE" are other
  streets.

Each merged variant keeps its key as an alias of the canonical key with a sentence saying
why (the graph shows both on the address node).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import permutations

from rapidfuzz.distance import OSA

from graphintel.normalize.address import street_word_forms

MAX_SLIPPED_WORDS = 2
_MIN_SLIP_LETTERS = 4  # "ELM"/"ELK" are other words, "MAIN"/"MAEN" a slip
_MIN_TWO_SLIP_LETTERS = 8
_NOISE = frozenset({"NO"})  # "No. 88 Jianshe Rd" and "88 Jianshe Rd" are one line
# Words that say what a number is, written before it ("BLDG 3", "UNIT 4B") or after it
# ("28/F": floor 28); any other number is a house or street number.
_DESIGNATORS = frozenset({"BLDG", "BLOCK", "BLK", "TOWER", "FL", "FLOOR", "UNIT", "LOT", "BOX"})
_DESIGNATORS_AFTER = frozenset({"F", "FL", "FLOOR"})
_DIGITS = frozenset("0123456789")
_NUMBER_TOKEN = re.compile(r"[^\s|]*[0-9][^\s|]*")  # a token of the line holding a digit
_FULL_FORMS = street_word_forms()  # "N": {"NORTH"}, "IND": {"INDUSTRIAL"}


@dataclass(frozen=True, slots=True)
class _Variant:
    key: str
    country: str
    place: str
    words: tuple[str, ...]  # the line's words in order, numbers and "NO" left out
    numbers: tuple[str, ...]  # the line's numbers in order
    numbered: frozenset[tuple[str, str]]  # (designator, number): ("BLDG", "3"), ("F", "28")
    mentions: int


def _designator(tokens: list[str], i: int) -> str:
    """What the number at ``tokens[i]`` is ("BLDG", "F", or "" for a house number)."""
    if i and tokens[i - 1] in _DESIGNATORS:
        return tokens[i - 1]
    if i + 1 < len(tokens) and tokens[i + 1] in _DESIGNATORS_AFTER:
        return tokens[i + 1]
    return ""


# An address key's (country, place, tokens of its line, whether each token holds a digit).
_Line = tuple[str, str, list[str], list[bool]]


def _line(key: str) -> _Line | None:
    """The line of an address key "CC|PLACE|LINE" (``None``: not such a key, or a line
    without any number, too vague to merge on words alone)."""
    parts = key.split("|", 2)
    if len(parts) != 3:
        return None
    country, place, line = parts
    if len(country) != 2:
        country = ""  # a country the normalizer could not read ("DEUTSCHLAND") says nothing
    tokens = [t for t in line.split() if t not in _NOISE]
    digits = [not _DIGITS.isdisjoint(t) for t in tokens]  # one test a token, used thrice
    if not any(digits):
        return None
    return country, place, tokens, digits


def _words(tokens: list[str], digits: list[bool]) -> tuple[str, ...]:
    """The line's words in order, numbers (and "NO") left out."""
    return tuple(t for t, d in zip(tokens, digits, strict=True) if not d)


def _variant(key: str, line: _Line, mentions: int) -> _Variant:
    country, place, tokens, digits = line
    numbers = tuple(t for t, d in zip(tokens, digits, strict=True) if d)
    numbered = frozenset((_designator(tokens, i), t) for i, t in enumerate(tokens) if digits[i])
    return _Variant(key, country, place, _words(tokens, digits), numbers, numbered, mentions)


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
    of ``a`` and ``b`` (in any order) are not one line: a word differs beyond a slip, a
    street type changed ("CANAL ST", "CANAL AVE"), a word is missing."""
    if len(a) != len(b):
        return None
    only_a = list((Counter(a) - Counter(b)).elements())
    only_b = list((Counter(b) - Counter(a)).elements())
    if len(only_a) > MAX_SLIPPED_WORDS:
        return None
    for order in permutations(only_b):
        if all(map(_slip, only_a, order)):
            return list(zip(only_a, order, strict=True))
    return None


def _spelled(word: str) -> str:
    full = _FULL_FORMS.get(word)
    return f"{word} ({'/'.join(sorted(full))})" if full else word


def _why(variant: _Variant, center: _Variant, slips: list[tuple[str, str]]) -> str:
    parts = [f"street word {x} read as {_spelled(y)}" for x, y in slips]
    swapped = dict(slips)
    if variant.numbers != center.numbers or [swapped.get(w, w) for w in variant.words] != list(
        center.words
    ):
        parts.append("parts in another order")
    only = " (the only spelling that fits)"
    if not variant.country and center.country:
        parts.append(f"blank country filled with {center.country}{only}")
    if not variant.place and center.place:
        parts.append(f"blank place filled with {center.place}{only}")
    agreed = ", ".join(
        f"{name} {value}"
        for name, value, given in (
            ("country", center.country, variant.country),
            ("place", center.place, variant.place),
        )
        if given
    )
    return "; ".join(parts) + f" (same numbers{', ' + agreed if agreed else ''})"


def _fits(v: _Variant, c: _Variant) -> list[tuple[str, str]] | None:
    """The slips that make ``v`` a spelling of ``c`` (``None``: another place). Country and
    place must agree, or be blank in ``v``."""
    if v.numbered != c.numbered:
        return None
    if (v.country and v.country != c.country) or (v.place and v.place != c.place):
        return None
    return slipped_words(v.words, c.words)


def _cluster(block: list[_Variant], words: Counter[str]) -> Iterable[tuple[str, str, str]]:
    """(variant key, canonical key, why) of the variants of one block that join a center:
    the most-mentioned complete spelling, then the one whose words most other keys use
    (``words``: how many keys use each word). A spelling with a blank country or place
    joins only when exactly one center fits it."""
    block.sort(
        key=lambda v: (
            not (v.country and v.place),
            -v.mentions,
            -sum(map(words.__getitem__, v.words)),
            v.key,
        )
    )
    # The centers a variant may fit: a complete one only those of its own numbers,
    # country and place, one with a blank only those of its numbers (``_fits``); each
    # list in the centers' order, so the first that fits is the first of all centers.
    exact: dict[tuple[frozenset[tuple[str, str]], str, str], list[_Variant]] = defaultdict(list)
    numbered: dict[frozenset[tuple[str, str]], list[_Variant]] = defaultdict(list)
    for v in block:
        if v.country and v.place:  # the first center that fits (no need to try the rest)
            candidates = exact.get((v.numbered, v.country, v.place), ())
            fits = next(([(c, s)] for c in candidates if (s := _fits(v, c)) is not None), [])
        else:
            candidates = numbered.get(v.numbered, ())
            fits = [(c, s) for c in candidates if (s := _fits(v, c)) is not None]
        if len(fits) == 1:
            yield v.key, fits[0][0].key, _why(v, *fits[0])
        elif not fits:
            exact[(v.numbered, v.country, v.place)].append(v)
            numbered[v.numbered].append(v)


def _clustered(keys: list[str], lines: list[str]) -> list[list[str]]:
    """The spellings of one block (same numbers) that ``_cluster`` must see, in groups it
    can cluster apart; the line of every spelling of the block is added to ``lines``.

    A complete spelling is only ever compared with spellings of its own country and place
    (``_fits``), or with one that has a blank: in a block without blanks, a spelling alone
    with its country and place neither joins nor is joined, and the spellings of each
    country and place cluster apart. Most blocks are so (a house number is shared by many
    streets), so most spellings are never parsed; only their words are counted, for the
    tie-break on the words most keys use. (A daily run finds the aliases of every key
    again: this made that about twice as fast.) A key of a block holds a number in its
    line, so it parses (``_line``) exactly when it has its three parts."""
    places: dict[tuple[str, str], list[str]] = defaultdict(list)
    blank = False
    for key in keys:
        parts = key.split("|", 2)
        if len(parts) == 3:
            country, place, line = parts
            if len(country) != 2:
                country = ""  # as ``_line`` reads it
            places[(country, place)].append(key)
            lines.append(line)
            blank = blank or not (country and place)
    if blank:
        return [[key for group in places.values() for key in group]]
    return [group for group in places.values() if len(group) > 1]


def address_aliases(mentions: dict[str, int]) -> dict[str, tuple[str, str]]:
    """{variant key: (canonical key, why)} over address keys and their mention counts."""
    by_numbers: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for key in mentions:  # a block: the same numbers, in any order (one regex call a key)
        numbers = _NUMBER_TOKEN.findall(key, key.rfind("|") + 1)
        if numbers:
            by_numbers[tuple(sorted(numbers))].append(key)
    lines: list[str] = []  # the line of every spelling in a block
    blocks = [
        [_variant(key, line, mentions[key]) for key in group if (line := _line(key)) is not None]
        for keys in by_numbers.values()
        if len(keys) > 1
        for group in _clustered(keys, lines)
    ]
    # How many spellings use each word of a clustered spelling, counted over every line:
    # a word holds no digit and is not noise, so it is counted as the same token.
    wanted = {w for block in blocks for v in block for w in v.words}
    words = Counter([t for line in lines for t in line.split() if t in wanted])
    out: dict[str, tuple[str, str]] = {}
    for block in blocks:
        if len(block) > 1:  # one spelling alone is its own center: nothing to merge
            for key, canonical, why in _cluster(block, words):
                out[key] = (canonical, why)
    return out
