"""Pair decisions: when two distinct records are one party, and why.

A shared identifier alone never merges: a household shares an address and a phone, 300
sellers share a marketplace hotline, a ring rotates shipper names over one phone. Linking
those is the graph's job. A merge needs a similar name plus an agreeing identifier, or an
identical company name in the same country, or one marketplace seller account (or one
shop name on one marketplace).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures

RULE_SELLER_ACCOUNT = "same_seller_account"
RULE_SHOP_NAME = "same_shop_name_on_marketplace"
RULE_NAME_AND_IDENTIFIER = "similar_name_and_shared_identifier"
RULE_EXACT_COMPANY = "same_company_name_and_country"

# Evidence weights: how much each agreeing field says about identity (documented, fixed).
FIELD_WEIGHTS: dict[str, float] = {
    "seller_id": 1.0,
    "email": 0.9,
    "phone": 0.8,
    "name_key": 0.7,
    "address": 0.6,
    "street": 0.5,
    "market": 0.3,
}
IDENTIFIER_FIELDS: tuple[str, ...] = ("phone", "email", "address")
# Identifiers one party rarely shares with another: disagreement on them is evidence of
# two parties (a household's members each have their own phone and e-mail).
PERSONAL_FIELDS: tuple[str, ...] = ("phone", "email")


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


@dataclass(frozen=True, slots=True)
class NameComparison:
    similarity: float  # 0..100, over the aligned words (see compare_names)
    weakest_word: float  # 0..100, the least similar pair of aligned words
    typo_words: bool = True  # every aligned word pair is within typo distance
    by_initial: bool = False  # a word was matched only through an initial ("J." ~ "John")
    edits: int = 0  # edits between the aligned names

    @property
    def one_typo(self) -> bool:
        """At most one edit apart: "Jean Cxo" is Jean Cox even if short names score low."""
        return self.edits <= 1


_DIFFERENT = NameComparison(0.0, 0.0, False, edits=1_000)


def typo_edits(length: int) -> int:
    """Edits one typo budget allows in a word of ``length`` letters: none in two-letter
    words, one up to nine letters, two from ten."""
    if length <= 2:
        return 0
    return 1 if length < 10 else 2


def _split(name: str) -> tuple[list[str], list[str]]:
    tokens = name.split()
    return [t for t in tokens if len(t) > 1], [t for t in tokens if len(t) == 1]


def compare_names(a: str, b: str, companies: bool = False) -> NameComparison:
    """Compare two normalized names word by word, whatever their word order.

    Each word of the name with fewer words is matched greedily to its most similar unused
    word of the other (optimal string alignment, so a transposed pair of letters is one
    typo); ``typo_words`` says whether every matched pair is within ``typo_edits``, which
    keeps "Huayu" and "Huaxin" (or "Jane" and "Joan") apart however alike the rest is.
    A word left over on one side may be matched by the other side's initial ("t nelson" ~
    "thomas nelson"); other leftover initials are middle initials and are ignored unless
    both sides have different ones ("john a smith" vs "john b smith" are two people).
    Leftover words count against persons but not against companies, whose names often
    drop a place prefix ("Huayu Trading" ~ "Shenzhen Huayu Trading"), and conflicting
    initials do not apply to companies ("E-commerce" leaves an "e").
    """
    if a == b:
        return NameComparison(100.0, 100.0)
    words_a, initials_a = _split(a)
    words_b, initials_b = _split(b)
    swap = len(words_a) > len(words_b)
    short, long_ = (words_b, words_a) if swap else (words_a, words_b)
    init_short, init_long = (initials_b, initials_a) if swap else (initials_a, initials_b)

    left: list[str] = []  # aligned words, short side
    right: list[str] = []  # aligned words, long side
    weakest = 100.0
    typo_words = True
    unused = list(long_)
    for word in short:
        if not unused:
            break
        scores = [OSA.normalized_similarity(word, other) for other in unused]
        best = max(range(len(unused)), key=scores.__getitem__)
        match = unused.pop(best)
        weakest = min(weakest, scores[best] * 100)
        if OSA.distance(word, match) > typo_edits(max(len(word), len(match))):
            typo_words = False
        left.append(word)
        right.append(match)
    if not left:
        return _DIFFERENT
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
        return _DIFFERENT
    if extra and not (companies and len(short) >= 2):
        right.extend(extra)
    left_text, right_text = " ".join(left), " ".join(right)
    similarity = float(fuzz.ratio(left_text, right_text))
    edits = OSA.distance(left_text, right_text)
    return NameComparison(similarity, weakest, typo_words, by_initial, edits)


def _reliable(field: str, value: str) -> bool:
    """A value that can contradict: present, and for a phone read as E.164 (a digits-only
    fallback may be the same number written in a way the parser could not place)."""
    return bool(value) and (field != "phone" or value.startswith("+"))


def _compatible_markets(a: PartyFeatures, b: PartyFeatures) -> bool:
    return not (a.market and b.market and a.market != b.market)


def decide(
    i: int,
    a: PartyFeatures,
    j: int,
    b: PartyFeatures,
    config: ResolverConfig,
    hubs: Collection[str] = frozenset(),
) -> Decision | None:
    """The merge decision for records ``a`` and ``b``, or ``None`` to keep them apart.

    ``hubs`` holds blocking keys ("phone:+864008207319") of identifiers that many
    established names share (see ``blocking.Blocker.hubs``): agreeing on one supports
    nothing, and disagreeing with one contradicts nothing.
    """
    if a.seller_id and b.seller_id:
        if a.seller_id == b.seller_id and _compatible_markets(a, b):
            similarity = compare_names(a.name, b.name).similarity
            return Decision(i, j, RULE_SELLER_ACCOUNT, similarity, ("seller_id",))
        return None  # two marketplace accounts are two sellers until the graph says otherwise
    if not _compatible_markets(a, b):
        return None
    if a.country and b.country and a.country != b.country:
        return None
    companies = a.is_company and b.is_company
    names = compare_names(a.name, b.name, companies)
    similarity = names.similarity
    agreements = tuple(
        f
        for f in IDENTIFIER_FIELDS
        if getattr(a, f) and getattr(a, f) == getattr(b, f) and f"{f}:{getattr(a, f)}" not in hubs
    )
    street = a.street and a.street == b.street and f"street:{a.street}" not in hubs
    if street and "address" not in agreements:
        agreements += ("street",)  # one spelling lost its ZIP or city
    conflicts = [
        f
        for f in PERSONAL_FIELDS
        if _reliable(f, getattr(a, f))
        and _reliable(f, getattr(b, f))
        and getattr(a, f) != getattr(b, f)
        and f"{f}:{getattr(a, f)}" not in hubs
        and f"{f}:{getattr(b, f)}" not in hubs
    ]
    if conflicts and len(conflicts) >= sum(f in PERSONAL_FIELDS for f in agreements):
        return None  # their own phones or e-mails say two parties
    # "J. Smith" is as close to Jane as to John Smith of one household: an initial needs an
    # e-mail or two identifiers in common.
    strong_enough = not names.by_initial or "email" in agreements or len(agreements) >= 2
    similar = similarity >= config.name_threshold or names.one_typo
    if agreements and strong_enough and similar and names.typo_words:
        return Decision(i, j, RULE_NAME_AND_IDENTIFIER, similarity, agreements)
    if a.name_key and a.name_key == b.name_key:
        if a.market and a.market == b.market:
            return Decision(i, j, RULE_SHOP_NAME, similarity, ("name_key", "market"))
        if companies and a.country == b.country and a.market == b.market:
            return Decision(i, j, RULE_EXACT_COMPANY, similarity, ("name_key", *agreements))
    return None
