"""Word-by-word comparison of two normalized party names, and a company's distinctive core.

Used by the resolver (pair levels, the chaining guard, hubs), by the watchlist screen and
by the list de-duplication, so it lives with the normalizers rather than inside ``resolve``.

Companies are compared on what identifies them: before words are aligned, abbreviations are
expanded ("intl" -> "international"), a place split in Pinyin is joined ("shen zhen" ->
"shenzhen"), two words of one name that spell one word of the other are joined ("jiu zhou"
/ "jiuzhou"), and place and generic trade words that the other name lacks (within a typo)
are set aside (``name_words``): "Dongguan Fuda Chemical" and "Fuda Chemical" are one name
with the place dropped, which ``NameComparison.dropped`` reports (it is not a typo). Two
neighbouring words also join when together they are a typo away from one word of the other
name ("yida dingxin" / "yidajdingxin": a space typed as a letter), which ``joined`` reports,
and a word that is a place name only by a typo ("juizhou" ~ "huizhou") is not set aside when
the other name has an unmatched word of its own (the two are one word mistyped two ways).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from graphintel.normalize.name_words import (
    ABBREVIATIONS,
    GENERIC_WORDS,
    PLACE_WORDS,
    SET_ASIDE_WORDS,
)
from graphintel.normalize.nicknames import mistyped_given_name, same_given_name


@dataclass(frozen=True, slots=True)
class NameComparison:
    similarity: float  # 0..100, over the aligned words (see compare_names)
    weakest_word: float  # 0..100, the least similar pair of aligned words
    typo_words: bool = True  # every aligned word pair is within typo distance
    by_initial: bool = False  # a word was matched only through an initial ("J." ~ "John")
    edits: int = 0  # edits between the aligned names
    dropped: tuple[str, ...] = ()  # place or generic words one company name lacks
    by_nickname: bool = False  # a given name matched its nickname ("bill" ~ "william")
    # every aligned word pair within two typos (``wide_edits``), middle initials aside
    wide_typos: bool = True
    # both persons have middle initials and they differ ("susan l long" / "susan r long");
    # ``typo_words`` is then False, as two namesakes would be
    initials_differ: bool = False
    joined: bool = False  # two words of one company name are one word of the other

    @property
    def one_typo(self) -> bool:
        """At most one edit apart: "Jean Cxo" is Jean Cox even if short names score low."""
        return self.edits <= 1


DIFFERENT = NameComparison(0.0, 0.0, False, edits=1_000, wide_typos=False)
_SAME_NAME = NameComparison(100.0, 100.0)
_OutcomeKey = tuple[float, float, bool, bool, int, tuple[str, ...], bool, bool, bool, bool]
_KNOWN_OUTCOMES: dict[_OutcomeKey, NameComparison] = {}
_MAX_KNOWN_OUTCOMES = 1 << 16


def typo_edits(length: int) -> int:
    """Edits one typo budget allows in a word of ``length`` letters: none in two-letter
    words, one up to nine letters, two from ten."""
    if length <= 2:
        return 0
    return 1 if length < 10 else 2


def wide_edits(length: int) -> int:
    """Edits two typos allow in a word of ``length`` letters: as one typo up to six letters
    (two edits make another name of a short one: "huayu" / "haoyu", "joe" / "lee"), two
    from seven, three from ten. A name this far from another is one party only on strong
    evidence (the resolver asks two identifiers in common)."""
    if length < 7:
        return typo_edits(length)
    return 2 if length < 10 else 3


def _outcome(
    similarity: float,
    weakest: float,
    typo_words: bool,
    by_initial: bool,
    edits: int,
    dropped: tuple[str, ...] = (),
    by_nickname: bool = False,
    wide_typos: bool = True,
    initials_differ: bool = False,
    joined: bool = False,
) -> NameComparison:
    """One shared (immutable) NameComparison per distinct outcome: a resolution meets a
    few thousand outcomes over hundreds of thousands of name pairs, and building a frozen
    dataclass costs more than finding it."""
    key = (similarity, weakest, typo_words, by_initial, edits, dropped, by_nickname,
           wide_typos, initials_differ, joined)  # fmt: skip
    found = _KNOWN_OUTCOMES.get(key)
    if found is None:
        found = NameComparison(*key)
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


_LONG_GENERIC = sorted(w for w in GENERIC_WORDS if len(w) >= 7)


@lru_cache(maxsize=1 << 14)
def _is_generic_typo(word: str) -> bool:
    """A generic trade word of seven letters or more mistyped by one edit ("techhnology")."""
    if len(word) < 7:
        return False
    return process.extractOne(word, _LONG_GENERIC, scorer=OSA.distance, score_cutoff=1) is not None


def is_set_aside(word: str) -> bool:
    """A place or generic trade word (see ``name_words``), or one mistyped."""
    return word in SET_ASIDE_WORDS or is_place(word) or _is_generic_typo(word)


@lru_cache(maxsize=1 << 16)
def company_words(name: str) -> tuple[str, ...]:
    """A normalized company name's words with abbreviations expanded and places written in
    split Pinyin joined ("shen zhen hua yu intl" -> "shenzhen hua yu international")."""
    words = [part for word in name.split() for part in ABBREVIATIONS.get(word, word).split()]
    joined = _join_split_words(tuple(words), PLACE_WORDS)
    # a place written twice ("Ningbo ... Co., Ltd. Ningbo") is one place
    return tuple(w for k, w in enumerate(joined) if w not in PLACE_WORDS or w not in joined[:k])


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
    """Whether a word of ``others`` is within a typo of ``word``. The word itself, and
    words too much longer or shorter to be a typo away (the distance is at least the
    difference in length), are settled without a distance call."""
    if word in others:
        return True
    size = len(word)
    budget = typo_edits(size)
    if not budget:
        return False
    distance = OSA.distance
    return any(
        abs(len(o) - size) <= budget and distance(word, o, score_cutoff=budget) <= budget
        for o in others
    )


def _join_near(words: tuple[str, ...], others: tuple[str, ...]) -> tuple[str, ...]:
    """``words`` with two neighbours joined where together they are within a typo of a word
    of ``others`` that has no counterpart of its own in ``words`` ("yida dingxin" against
    "yidajdingxin", "sanhe xinyuan" against "sanhetxinyuan")."""
    if len(words) < 2:
        return words
    mine = set(words)
    sizes = {len(x) + len(y) for x, y in zip(words, words[1:], strict=False)}
    lone = [
        o
        for o in others
        if len(o) >= 6
        and o not in mine
        and any(abs(n - len(o)) <= typo_edits(len(o)) for n in sizes)
        and not _has_counterpart(o, words)
    ]
    if not lone:
        return words
    out: list[str] = []
    k = 0
    while k < len(words):
        if k + 1 < len(words) and len(words[k]) > 1 and len(words[k + 1]) > 1:
            pair = words[k] + words[k + 1]
            if any(OSA.distance(pair, o, score_cutoff=typo_edits(len(o))) <= typo_edits(len(o))
                   for o in lone):  # fmt: skip
                out.append(pair)
                k += 2
                continue
        out.append(words[k])
        k += 1
    return tuple(out)


def _loose(word: str, mine: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """A place or generic word (of ``mine``) that the other name lacks (within a typo). A
    word that is a place only by a typo ("juizhou" ~ "huizhou", "jinhia" ~ "jinhua") is
    not set aside when the other name has a word of its own without a counterpart here
    (other than a listed place or generic word): the two are one word mistyped two ways."""
    if not is_set_aside(word) or _has_counterpart(word, others):
        return False
    if word in SET_ASIDE_WORDS:
        return True
    return all(o in SET_ASIDE_WORDS or _has_counterpart(o, mine) for o in others)


def _company_views(
    a: str, b: str
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], bool]:
    """Both company names' comparable words, the words set aside (sorted), and whether
    neighbouring words were joined to meet a word of the other name."""
    wa, wb = company_words(a), company_words(b)
    wa = _join_split_words(wa, frozenset(wb))
    wb = _join_split_words(wb, frozenset(wa))
    na, nb = _join_near(wa, wb), _join_near(wb, wa)
    joined = len(na) != len(wa) or len(nb) != len(wb)
    wa, wb = na, nb
    # unmatched place and generic words of each name
    loose_a = [w for w in wa if _loose(w, wa, wb)]
    loose_b = [w for w in wb if _loose(w, wb, wa)]
    # A word is set aside only when the other name has none of its kind in its place:
    # "Wuhan Huamei" and "Dongguan Huamei" name two places, "Mingtai Trading" and
    # "Mingtai Technology" two trades. Once both name one place ("Yiwu"), a province or
    # country more on either side ("Zhejiang", "China") only qualifies it.
    shared_place = any(is_place(w) and _has_counterpart(w, wb) for w in wa)
    places_a = not shared_place and any(map(is_place, loose_a))
    places_b = not shared_place and any(map(is_place, loose_b))
    trades_a = any(not is_place(w) for w in loose_a)
    trades_b = any(not is_place(w) for w in loose_b)
    drop_a = {w for w in loose_a if not (places_b if is_place(w) else trades_b)}
    drop_b = {w for w in loose_b if not (places_a if is_place(w) else trades_a)}
    keep_a = tuple(w for w in wa if w not in drop_a)
    keep_b = tuple(w for w in wb if w not in drop_b)
    if not keep_a or not keep_b:
        return wa, wb, (), joined
    return keep_a, keep_b, tuple(sorted(drop_a | drop_b)), joined


def compare_names(a: str, b: str, companies: bool = False) -> NameComparison:
    """Compare two normalized names word by word, whatever their word order.

    Each word of the name with fewer words is matched greedily to its most similar unused
    word of the other (optimal string alignment, so a transposed pair of letters is one
    typo); ``typo_words`` says whether every matched pair is within ``typo_edits``, which
    keeps "Huayu" and "Huaxin" (or "Jane" and "Joan") apart however alike the rest is;
    ``wide_typos`` says whether every pair is within two typos (``wide_edits``).
    A word left over on one side may be matched by the other side's initial ("t nelson" ~
    "thomas nelson"); other leftover initials are middle initials and are ignored unless
    both sides have different ones ("john a smith" vs "john b smith"): then
    ``initials_differ`` is set and ``typo_words`` is False (namesakes, unless strong
    evidence says one person whose middle initial was written wrong).
    Other leftover words count against the match. Two companies are first reduced to the
    words that can identify them (see the module docstring); the words set aside are in
    ``dropped``, and conflicting initials do not apply to them ("E-commerce" leaves an "e").

    For two persons, a given name and its nickname ("bill"/"william", ``nicknames``) are one
    word, matched before any typo, and ``by_nickname`` says so. A word beyond a typo of its
    best match that is a typo away from a nickname or full name of an unused word
    ("beecky" ~ "rebecca" through "becky") is aligned to that form: one typo, by nickname.

    A word found as is in the other name is its own best match (the only one scoring 1.0,
    its first occurrence as the greedy order picks); others are scored by their OSA
    distance, similarity ``1 - distance / longer length`` exactly as rapidfuzz computes
    it, ties to the first. ``tests/normalize/test_compare_names_oracle.py`` holds this
    function to the plain word-by-word version.
    """
    if a == b:
        return _SAME_NAME
    dropped: tuple[str, ...] = ()
    joined = False
    if companies:
        words_a, words_b, dropped, joined = _company_views(a, b)
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
    typo_words = wide = True
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
        longer = max(size, len(unused[best]))
        if not companies and best_edits > typo_edits(longer):
            mistyped = _mistyped_nickname(word, unused)
            if mistyped is not None:  # "beecky" ~ "rebecca": one typo from "becky"
                k, mine, theirs = mistyped
                unused.pop(k)
                left.append(mine)
                right.append(theirs)
                by_nickname = True
                continue
        match = unused.pop(best)
        weakest = min(weakest, best_score * 100)
        if best_edits > typo_edits(longer):
            typo_words = False
            if best_edits > wide_edits(longer):
                wide = False
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
    differ = bool(conflicting) and not companies
    if differ:
        typo_words = False
    right.extend(extra)
    left_text, right_text = " ".join(left), " ".join(right)
    if left_text == right_text:
        return _outcome(100.0, weakest, typo_words, by_initial, 0, dropped, by_nickname, wide,
                        differ, joined)  # fmt: skip
    similarity = float(fuzz.ratio(left_text, right_text))
    edits = distance(left_text, right_text)
    return _outcome(similarity, weakest, typo_words, by_initial, edits, dropped, by_nickname,
                    wide, differ, joined)  # fmt: skip


def _mistyped_nickname(word: str, unused: list[str]) -> tuple[int, str, str] | None:
    """The first unused word one of whose given-name forms ``word`` mistypes by one edit,
    or that mistypes one of ``word``'s ("rebecca" / "beecky" through "becky"): its index and
    the two words to align (the form standing in for the correctly spelled side)."""
    for k, other in enumerate(unused):
        form = mistyped_given_name(word, other)
        if form:
            return k, word, form
        form = mistyped_given_name(other, word)
        if form:
            return k, form, other
    return None


# ``compare_names`` memoized: one resolution compares the same two spellings for many pairs
# of records, again in the chaining guard and again for the evidence of each merge.
# The resolver empties it when done. At 100,000 shipments a resolution asks ~570,000 times
# for ~250,000 distinct pairs of spellings; 131,072 entries then already recomputed 13,000
# pairs, and a million shipments ask for millions: 524,288 entries (~110 MB) keep a
# spelling pair's repeats within reach.
compare_names_cached = lru_cache(maxsize=1 << 19)(compare_names)
