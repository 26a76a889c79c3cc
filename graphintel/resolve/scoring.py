"""Pair decisions: when two distinct records are one party, and why.

A shared identifier alone never merges: a household shares an address and a phone, 300
sellers share a marketplace hotline, a ring rotates shipper names over one phone. Linking
those is the graph's job. A merge needs a similar name plus an agreeing identifier, or an
identical company name in the same country, or one marketplace seller account.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures

RULE_SELLER_ACCOUNT = "same_seller_account"
RULE_NAME_AND_IDENTIFIER = "similar_name_and_shared_identifier"
RULE_EXACT_COMPANY = "same_company_name_and_country"

# Evidence weights: how much each agreeing field says about identity (documented, fixed).
FIELD_WEIGHTS: dict[str, float] = {
    "seller": 1.0,
    "email": 0.9,
    "phone": 0.8,
    "address": 0.6,
    "name_key": 0.7,
}
IDENTIFIER_FIELDS: tuple[str, ...] = ("phone", "email", "address")


@dataclass(frozen=True, slots=True)
class Decision:
    """An accepted pair: the rule, the name similarity and the fields that agree exactly."""

    a: int
    b: int
    rule: str
    name_similarity: float
    agreements: tuple[str, ...]

    @property
    def score(self) -> float:
        """Orders merges strongest first, so the anti-chaining guard sees the best ones."""
        return self.name_similarity / 100 + sum(FIELD_WEIGHTS[f] for f in self.agreements)


def _words(name: str) -> tuple[list[str], list[str]]:
    """(words, initials): single letters count as initials when two longer words remain."""
    tokens = name.split()
    words = [t for t in tokens if len(t) > 1]
    if len(words) >= 2:
        return sorted(words), sorted(t for t in tokens if len(t) == 1)
    return sorted(tokens), []


def _align(a: list[str], b: list[str]) -> tuple[list[str], list[str], float]:
    """Match each word of the shorter name greedily to its best unused word of the other.

    Returns (the shorter name's words, their matches, the weakest match's similarity).
    The weakest match keeps "huayu" and "huaxin" apart even when the rest of two names
    agrees. Optimal string alignment counts a transposed pair of letters as one edit, so
    "jhon" is as close to "john" as one typo makes it.
    """
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    unused = list(long_)
    matches: list[str] = []
    weakest = 100.0
    for word in short:
        if not unused:
            break
        scores = [OSA.normalized_similarity(word, other) * 100 for other in unused]
        best = max(range(len(unused)), key=scores.__getitem__)
        weakest = min(weakest, scores[best])
        matches.append(unused.pop(best))
    return short[: len(matches)], matches, weakest


@dataclass(frozen=True, slots=True)
class NameComparison:
    similarity: float  # whole-name (or, for companies, best-subset) similarity, 0..100
    weakest_word: float  # the weakest word match, 0..100 (see _align)


def compare_names(a: str, b: str, companies: bool = False) -> NameComparison:
    """Compare two normalized names, ignoring word order and middle initials.

    For companies a name may drop words of the other ("Huayu Trading" is "Shenzhen Huayu
    Trading" without its place prefix), so the similarity is the better of the whole-name
    score and the score of the shorter name against its matched words (when the shorter
    name has two words or more). Conflicting initials ("john a smith" vs "john b smith")
    score 0: they name two people.
    """
    if a == b:
        return NameComparison(100.0, 100.0)
    words_a, initials_a = _words(a)
    words_b, initials_b = _words(b)
    if initials_a and initials_b and initials_a != initials_b:
        return NameComparison(0.0, 0.0)
    similarity = float(fuzz.ratio(" ".join(words_a), " ".join(words_b)))
    short, matched, weakest = _align(words_a, words_b)
    if companies and len(short) >= 2:
        similarity = max(similarity, float(fuzz.ratio(" ".join(short), " ".join(matched))))
    return NameComparison(similarity, weakest)


def decide(
    i: int, a: PartyFeatures, j: int, b: PartyFeatures, config: ResolverConfig
) -> Decision | None:
    """The merge decision for records ``a`` and ``b``, or ``None`` to keep them apart."""
    if a.seller and b.seller:
        if a.seller == b.seller:
            similarity = compare_names(a.name, b.name).similarity
            return Decision(i, j, RULE_SELLER_ACCOUNT, similarity, ("seller",))
        return None  # two marketplace accounts are two sellers until the graph says otherwise
    if a.country and b.country and a.country != b.country:
        return None
    names = compare_names(a.name, b.name, companies=a.is_company and b.is_company)
    similarity = names.similarity
    agreements = tuple(
        f for f in IDENTIFIER_FIELDS if getattr(a, f) and getattr(a, f) == getattr(b, f)
    )
    if (
        agreements
        and similarity >= config.name_threshold
        and names.weakest_word >= config.word_threshold
    ):
        return Decision(i, j, RULE_NAME_AND_IDENTIFIER, similarity, agreements)
    if (
        a.is_company
        and b.is_company
        and a.name_key
        and a.name_key == b.name_key
        and (a.country == b.country)
    ):
        return Decision(i, j, RULE_EXACT_COMPANY, similarity, ("name_key", *agreements))
    return None
