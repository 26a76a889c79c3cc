"""Word-by-word comparison of two normalized party names, and a company's distinctive core.

Used by the resolver (pair levels, the chaining guard, hubs), by the watchlist screen and
by the list de-duplication, so it lives with the normalizers rather than inside ``resolve``.

Companies are compared on what identifies them: before words are aligned, abbreviations are
expanded ("intl" -> "international"), a place split in Pinyin is joined ("shen zhen" ->
"shenzhen"), two words of one name that spell one word of the other are joined ("jiu zhou"
/ "jiuzhou"), and place and generic trade words that the other name lacks (within a typo)
are set aside (``name_words``): "Dongguan Fuda Chemical" and "Fuda Chemical" are one name
with the place dropped, which ``NameComparison.dropped`` reports (it is not a typo).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graphintel.normalize.name_words import (
    ABBREVIATIONS,
    PLACE_WORDS,
    SET_ASIDE_WORDS,
)
from graphintel.normalize.nicknames import same_given_name


@dataclass(frozen=True, slots=True)
class NameComparison:
    similarity: float  # 0..100, over the aligned words (see compare_names)
    weakest_word: float  # 0..100, the least similar pair of aligned words
    typo_words: bool = True  # every aligned word pair is within typo distance
    by_initial: bool = False  # a word was matched only through an initial ("J." ~ "John")
    edits: int = 0  # edits between the aligned names
    dropped: tuple[str, ...] = ()  # place or generic words one company name lacks
    by_nickname: bool = False  # a given name matched its nickname ("bill" ~ "william")

    @property
    def one_typo(self) -> bool:
        """At most one edit apart: "Jean Cxo" is Jean Cox even if short names score low."""
        return self.edits <= 1


DIFFERENT = NameComparison(0.0, 0.0, False, edits=1_000)
_SAME_NAME = NameComparison(100.0, 100.0)
_KNOWN_OUTCOMES: dict[
    tuple[float, float, bool, bool, int, tuple[str, ...], bool], NameComparison
] = {}
_MAX_KNOWN_OUTCOMES = 1 << 16


def typo_edits(length: int) -> int:
    """Edits one typo budget allows in a word of ``length`` letters: none in two-letter
    words, one up to nine letters, two from ten."""
    if length <= 2:
        return 0
    return 1 if length < 10 else 2


def _outcome(
    similarity: float,
    weakest: float,
    typo_words: bool,
    by_initial: bool,
    edits: int,
    dropped: tuple[str, ...] = (),
    by_nickname: bool = False,
) -> NameComparison:
    """One shared (immutable) NameComparison per distinct outcome: a resolution meets a
    few thousand outcomes over hundreds of thousands of name pairs, and building a frozen
    dataclass costs more than finding it."""
    key = (similarity, weakest, typo_words, by_initial, edits, dropped, by_nickname)
    found = _KNOWN_OUTCOMES.get(key)
    if found is None:
        found = NameComparison(
            similarity, weakest, typo_words, by_initial, edits, dropped, by_nickname
        )
        if len(_KNOWN_OUTCOMES) < _MAX_KNOWN_OUTCOMES:
            _KNOWN_OUTCOMES[key] = found
    return found


@lru_cache(maxsize=1 << 16)
def _split(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name's words and its initials (one-letter words); memoized, because one name is
    compared with many others."""
    tokens = name.split()
    return tuple(t for t in tokens if len(t) > 1), tuple(t for t in tokens if len(t) == 1)


_PLACES = sorted(PLACE_WORDS)


@lru_cache(maxsize=1 << 14)
def is_place(word: str) -> bool:
    """A place word, or a place name mistyped by one edit (six letters or more:
    "donggaun")."""
    if word in PLACE_WORDS:
        return True
    if len(word) < 6:
        return False
    return process.extractOne(word, _PLACES, scorer=OSA.distance, score_cutoff=1) is not None


def is_set_aside(word: str) -> bool:
    """A place or generic trade word (see ``name_words``)."""
    return word in SET_ASIDE_WORDS or is_place(word)


@lru_cache(maxsize=1 << 16)
def company_words(name: str) -> tuple[str, ...]:
    """A normalized company name's words with abbreviations expanded and places written in
    split Pinyin joined ("shen zhen hua yu intl" -> "shenzhen hua yu international")."""
    words = [part for word in name.split() for part in ABBREVIATIONS.get(word, word).split()]
    return _join_split_words(tuple(words), PLACE_WORDS)


@lru_cache(maxsize=1 << 16)
def name_core(name: str, company: bool) -> str:
    """The distinctive words of a normalized name: a company's without place and generic
    words (all of them when nothing else is left), a person's as they are."""
    if not company:
        return name
    words = company_words(name)
    core = [w for w in words if not is_set_aside(w)]
    return " ".join(core or words)


def _join_split_words(words: tuple[str, ...], joined: frozenset[str]) -> tuple[str, ...]:
    """``words`` with two neighbours joined where ``joined`` has them as one word (the
    other name's words, or the places written in split Pinyin)."""
    out: list[str] = []
    k = 0
    while k < len(words):
        if k + 1 < len(words) and words[k] + words[k + 1] in joined:
            out.append(words[k] + words[k + 1])
            k += 2
        else:
            out.append(words[k])
            k += 1
    return tuple(out)


def _has_counterpart(word: str, others: tuple[str, ...]) -> bool:
    budget = typo_edits(len(word))
    return any(OSA.distance(word, o, score_cutoff=budget) <= budget for o in others)


def _company_views(a: str, b: str) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """Both company names' comparable words, and the words set aside (sorted)."""
    wa, wb = company_words(a), company_words(b)
    wa = _join_split_words(wa, frozenset(wb))
    wb = _join_split_words(wb, frozenset(wa))
    # unmatched place and generic words of each name
    loose_a = [w for w in wa if is_set_aside(w) and not _has_counterpart(w, wb)]
    loose_b = [w for w in wb if is_set_aside(w) and not _has_counterpart(w, wa)]
    # A word is set aside only when the other name has none of its kind in its place:
    # "Wuhan Huamei" and "Dongguan Huamei" name two places, "Mingtai Trading" and
    # "Mingtai Technology" two trades.
    places_a, places_b = any(map(is_place, loose_a)), any(map(is_place, loose_b))
    trades_a = any(not is_place(w) for w in loose_a)
    trades_b = any(not is_place(w) for w in loose_b)
    drop_a = {w for w in loose_a if not (places_b if is_place(w) else trades_b)}
    drop_b = {w for w in loose_b if not (places_a if is_place(w) else trades_a)}
    keep_a = tuple(w for w in wa if w not in drop_a)
    keep_b = tuple(w for w in wb if w not in drop_b)
    if not keep_a or not keep_b:
        return wa, wb, ()
    return keep_a, keep_b, tuple(sorted(drop_a | drop_b))


def compare_names(a: str, b: str, companies: bool = False) -> NameComparison:
    """Compare two normalized names word by word, whatever their word order.

    Each word of the name with fewer words is matched greedily to its most similar unused
    word of the other (optimal string alignment, so a transposed pair of letters is one
    typo); ``typo_words`` says whether every matched pair is within ``typo_edits``, which
    keeps "Huayu" and "Huaxin" (or "Jane" and "Joan") apart however alike the rest is.
    A word left over on one side may be matched by the other side's initial ("t nelson" ~
    "thomas nelson"); other leftover initials are middle initials and are ignored unless
    both sides have different ones ("john a smith" vs "john b smith" are two people).
    Other leftover words count against the match. Two companies are first reduced to the
    words that can identify them (see the module docstring); the words set aside are in
    ``dropped``, and conflicting initials do not apply to them ("E-commerce" leaves an "e").

    For two persons, a given name and its nickname ("bill"/"william", ``nicknames``) are one
    word, matched before any typo, and ``by_nickname`` says so.

    A word found as is in the other name is its own best match (the only one scoring 1.0,
    its first occurrence as the greedy order picks); others are scored by their OSA
    distance, similarity ``1 - distance / longer length`` exactly as rapidfuzz computes
    it, ties to the first. ``tests/normalize/test_compare_names_oracle.py`` holds this
    function to the plain word-by-word version.
    """
    if a == b:
        return _SAME_NAME
    dropped: tuple[str, ...] = ()
    if companies:
        words_a, words_b, dropped = _company_views(a, b)
        initials_a = tuple(w for w in words_a if len(w) == 1)
        initials_b = tuple(w for w in words_b if len(w) == 1)
        words_a = tuple(w for w in words_a if len(w) > 1)
        words_b = tuple(w for w in words_b if len(w) > 1)
    else:
        words_a, initials_a = _split(a)
        words_b, initials_b = _split(b)
    if len(words_a) > len(words_b):
        short, long_, init_short, init_long = words_b, words_a, initials_b, initials_a
    else:
        short, long_, init_short, init_long = words_a, words_b, initials_a, initials_b
    if not short:
        return DIFFERENT  # initials only: no word to align

    left: list[str] = []  # aligned words, short side
    right: list[str] = []  # aligned words, long side
    weakest = 100.0
    typo_words = True
    by_nickname = False
    unused = list(long_)
    distance = OSA.distance
    for word in short:
        if not unused:
            break
        if word in unused:
            unused.remove(word)
            left.append(word)
            right.append(word)
            continue
        if not companies:  # a nickname is its full name spelled another way
            nick = next((k for k, o in enumerate(unused) if same_given_name(word, o)), -1)
            if nick >= 0:
                unused.pop(nick)
                left.append(word)
                right.append(word)
                by_nickname = True
                continue
        size = len(word)
        best, best_score, best_edits = 0, -1.0, 0
        for k, other in enumerate(unused):
            edits = distance(word, other)
            score = 1.0 - edits / max(size, len(other))
            if score > best_score:
                best, best_score, best_edits = k, score, edits
        match = unused.pop(best)
        weakest = min(weakest, best_score * 100)
        if best_edits > typo_edits(max(size, len(match))):
            typo_words = False
        left.append(word)
        right.append(match)
    by_initial = False
    spare_initials = list(init_short)
    extra: list[str] = []
    for word in unused:
        if word[0] in spare_initials:
            spare_initials.remove(word[0])
            left.append(word[0])
            right.append(word[0])
            by_initial = True
        else:
            extra.append(word)
    conflicting = spare_initials and init_long and sorted(spare_initials) != sorted(init_long)
    if conflicting and not companies:
        return DIFFERENT
    right.extend(extra)
    left_text, right_text = " ".join(left), " ".join(right)
    if left_text == right_text:
        return _outcome(100.0, weakest, typo_words, by_initial, 0, dropped, by_nickname)
    similarity = float(fuzz.ratio(left_text, right_text))
    edits = distance(left_text, right_text)
    return _outcome(similarity, weakest, typo_words, by_initial, edits, dropped, by_nickname)


# ``compare_names`` memoized: one resolution compares the same two spellings for many pairs
# of records, again in the chaining guard and again for the evidence of each merge.
# The resolver empties it when done.
compare_names_cached = lru_cache(maxsize=1 << 17)(compare_names)
