"""Pair decisions: when two distinct records are one party, and why.

Shippers and consignees are scored by a Fellegi-Sunter model (``fs_model``) fitted on the
run's own candidate pairs without labels: each pair gets one comparison level per field
(name, phone, e-mail, address, country), each level a weight ``log2(m/u)``, common names and
addresses a term-frequency adjustment, and a pair merges when its match probability reaches
``ResolverConfig.match_probability``.

Safety rules stay on top of the model, because they protect precision where the model's
independence assumption does not hold:

* a shared identifier alone never merges: the names must be alike (every word within a
  typo, see ``compare_names``) and a merge needs a non-hub identifier in common, or, for
  two companies, the same name in the same country, or a name at most a typo apart on a
  street line a typo apart (same house number and unit), or the same rare name (its
  term-frequency adjustment positive) in the same ZIP or city but not another unit; a
  household shares an address and a phone, a ring rotates shipper names over one phone,
  and linking those is the graph's job;
* hub identifiers (``blocking.Blocker.hubs``) are null: agreeing on a marketplace hotline
  supports nothing, and disagreeing with one contradicts nothing;
* different countries, or own phones and e-mails that disagree more than they agree, keep
  two records apart; an initial ("J. Smith") needs an e-mail or two identifiers in common.

Sellers have no identifiers besides their marketplace account, so they keep exact rules:
one marketplace seller id, or one shop name on one marketplace.
"""

from __future__ import annotations

import logging
from array import array
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from operator import attrgetter, itemgetter

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from graphintel.records import MergeEvidence
from graphintel.resolve.config import ProgressCallback, ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import (
    FieldSpec,
    FSModel,
    TermFrequencies,
    decode,
    encode,
    fit_em,
    sorted_unique,
)

logger = logging.getLogger(__name__)

RULE_SELLER_ACCOUNT = "same_seller_account"
RULE_SHOP_NAME = "same_shop_name_on_marketplace"
RULE_NAME_AND_IDENTIFIER = "similar_name_and_shared_identifier"
RULE_EXACT_COMPANY = "same_company_name_and_country"
RULE_MODEL = "fellegi_sunter"

# Fixed weights of the exact seller rules' evidence (sellers are not scored by the model).
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
PERSONAL_FIELDS: tuple[str, ...] = ("phone", "email")

# The model's fields. Priors: the documented m and u each level starts from and is pulled
# towards by ``ResolverConfig.em_prior_pairs`` pseudo-pairs (u is then re-seeded from random
# record pairs and the value frequencies).
NAME = FieldSpec(
    "name",
    ("different", "loose", "initial", "close", "one_typo", "exact"),
    prior_m=(0.02, 0.03, 0.05, 0.10, 0.20, 0.60),
    prior_u=(0.80, 0.12, 0.02, 0.02, 0.02, 0.02),
    tf_level=6,
)
PHONE = FieldSpec("phone", ("different", "exact"), (0.15, 0.85), (0.97, 0.03))
EMAIL = FieldSpec("email", ("different", "exact"), (0.10, 0.90), (0.98, 0.02))
ADDRESS = FieldSpec(
    "address",
    ("different", "similar_street", "same_street", "exact"),
    prior_m=(0.20, 0.05, 0.15, 0.60),
    prior_u=(0.90, 0.03, 0.02, 0.05),
    tf_level=4,
)
COUNTRY = FieldSpec("country", ("different", "exact"), (0.02, 0.98), (0.30, 0.70))
FIELDS: tuple[FieldSpec, ...] = (NAME, PHONE, EMAIL, ADDRESS, COUNTRY)
_N, _P, _E, _A, _C = range(len(FIELDS))

# name levels
_DIFF, _LOOSE, _INITIAL, _CLOSE, _ONE_TYPO, _EXACT = range(1, 7)
# address levels
_A_DIFF, _A_SIMILAR, _A_STREET, _A_EXACT = range(1, 5)
LOOSE_NAME = 70.0  # names at least this similar are "loose" rather than "different"
SIMILAR_STREET = 90.0  # street lines this similar (a typo, same numbers): "similar_street"
_U_PRIOR_PAIRS = 1_000.0  # pseudo-pairs behind the prior u when seeding from random pairs


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One field's part in a decision: both values, their similarity (0..1) and weight."""

    field: str
    value_a: str
    value_b: str
    level: str
    similarity: float
    weight: float


@dataclass(frozen=True, slots=True)
class Decision:
    """An accepted pair: the rule (or model), the name similarity, the fields that agree
    exactly and, for model decisions, the match weight, probability and per-field scores."""

    a: int
    b: int
    rule: str
    name_similarity: float
    agreements: tuple[str, ...]
    weight: float = 0.0
    probability: float = 1.0
    levels: tuple[int, ...] = ()  # the model's comparison vector
    # the scorer that weighed it, to spell out its per-field evidence when it is kept
    scorer: PairScorer | None = field(default=None, compare=False, repr=False)

    @property
    def fields(self) -> tuple[FieldScore, ...]:
        """Per-field evidence of a model decision (computed on demand: most accepted pairs
        join records already joined and are never shown)."""
        return self.scorer.field_scores(self) if self.scorer is not None else ()

    @property
    def score(self) -> float:
        """Orders merges strongest first, so the anti-chaining guard sees the best ones."""
        if self.rule == RULE_MODEL:
            return self.weight
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


@lru_cache(maxsize=1 << 16)
def _split(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """A name's words and its initials (one-letter words); memoized, because one name is
    compared with many others."""
    tokens = name.split()
    return tuple(t for t in tokens if len(t) > 1), tuple(t for t in tokens if len(t) == 1)


_SAME_NAME = NameComparison(100.0, 100.0)
_KNOWN_OUTCOMES: dict[tuple[float, float, bool, bool, int], NameComparison] = {}
_MAX_KNOWN_OUTCOMES = 1 << 16


def _outcome(
    similarity: float, weakest: float, typo_words: bool, by_initial: bool, edits: int
) -> NameComparison:
    """One shared (immutable) NameComparison per distinct outcome: a resolution meets a
    few thousand outcomes over hundreds of thousands of name pairs, and building a frozen
    dataclass costs more than finding it."""
    key = (similarity, weakest, typo_words, by_initial, edits)
    found = _KNOWN_OUTCOMES.get(key)
    if found is None:
        found = NameComparison(similarity, weakest, typo_words, by_initial, edits)
        if len(_KNOWN_OUTCOMES) < _MAX_KNOWN_OUTCOMES:
            _KNOWN_OUTCOMES[key] = found
    return found


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

    A word found as is in the other name is its own best match (the only one scoring 1.0,
    its first occurrence as the greedy order picks); others are scored by their OSA
    distance, similarity ``1 - distance / longer length`` exactly as rapidfuzz computes
    it, ties to the first. ``tests/resolve/test_compare_names_oracle.py`` holds this
    function to the plain word-by-word version.
    """
    if a == b:
        return _SAME_NAME
    words_a, initials_a = _split(a)
    words_b, initials_b = _split(b)
    if len(words_a) > len(words_b):
        short, long_, init_short, init_long = words_b, words_a, initials_b, initials_a
    else:
        short, long_, init_short, init_long = words_a, words_b, initials_a, initials_b
    if not short:
        return _DIFFERENT  # initials only: no word to align

    left: list[str] = []  # aligned words, short side
    right: list[str] = []  # aligned words, long side
    weakest = 100.0
    typo_words = True
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
        return _DIFFERENT
    if extra and not (companies and len(short) >= 2):
        right.extend(extra)
    left_text, right_text = " ".join(left), " ".join(right)
    if left_text == right_text:
        return _outcome(100.0, weakest, typo_words, by_initial, 0)
    similarity = float(fuzz.ratio(left_text, right_text))
    edits = distance(left_text, right_text)
    return _outcome(similarity, weakest, typo_words, by_initial, edits)


# ``compare_names`` memoized: one resolution compares the same two spellings for many pairs
# of records, again in the chaining guard and again for the evidence of each merge.
# ``resolver.resolve_records`` empties it when done.
compare_names_cached = lru_cache(maxsize=1 << 17)(compare_names)


def name_level(a: PartyFeatures, b: PartyFeatures, config: ResolverConfig) -> tuple[int, float]:
    """The name's comparison level (0 when either name is unknown) and its similarity."""
    if not a.name or not b.name:
        return 0, 0.0
    if a.name_key == b.name_key:
        return _EXACT, 100.0
    names = compare_names_cached(a.name, b.name, a.is_company and b.is_company)
    sim = names.similarity
    if names.typo_words:
        if names.by_initial:
            return _INITIAL, sim
        if names.one_typo:
            return _ONE_TYPO, sim
        if sim >= config.name_threshold:
            return _CLOSE, sim
    return (_LOOSE if sim >= LOOSE_NAME else _DIFF), sim


def _place(address_key: str) -> str:
    """The ZIP (or city) part of an address key ("US|10001|1 MAIN ST" -> "10001")."""
    parts = address_key.split("|", 2)
    return parts[1] if len(parts) == 3 else ""


def _unit(address_key: str) -> str:
    """The unit of an address key ("US|10001|1 MAIN ST UNIT 4B" -> "4B")."""
    _, sep, unit = address_key.rpartition(" UNIT ")
    return unit if sep else ""


def _reliable(field: str, value: str) -> bool:
    """A value that can contradict: present, and for a phone read as E.164 (a digits-only
    fallback may be the same number written in a way the parser could not place)."""
    return bool(value) and (field != "phone" or value.startswith("+"))


def _compatible_markets(a: PartyFeatures, b: PartyFeatures) -> bool:
    return not (a.market and b.market and a.market != b.market)


def is_seller_pair(a: PartyFeatures, b: PartyFeatures) -> bool:
    """Pairs the exact seller rules decide instead of the model."""
    return bool(a.seller_id or b.seller_id or a.market or b.market)


def decide(
    i: int,
    a: PartyFeatures,
    j: int,
    b: PartyFeatures,
    config: ResolverConfig,
    hubs: Collection[str] = frozenset(),
) -> Decision | None:
    """The rule-based decision (used for sellers; kept as the documented fallback).

    ``hubs`` holds blocking keys ("phone:+864008207319") of identifiers that many
    established names share: agreeing on one supports nothing, and disagreeing with one
    contradicts nothing.
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
    if not a.name or not b.name:
        return None  # an unknown name merges nothing
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


class _Columns:
    """Per-record values the comparator reads, hubs already blanked out."""

    def __init__(self, records: Sequence[PartyFeatures], hubs: Collection[str]) -> None:
        def keep(kind: str, value: str) -> str:
            return value if value and f"{kind}:{value}" not in hubs else ""

        # a hub value can neither support nor contradict: null, not "different"
        self.phone = [keep("phone", r.phone) for r in records]
        self.email = [keep("email", r.email) for r in records]
        self.address_hub = [
            bool(r.address) and not (keep("address", r.address) and keep("street", r.street))
            for r in records
        ]
        self._records = records
        self._numbers: dict[int, tuple[str, ...]] = {}

    def numbers(self, index: int) -> tuple[str, ...]:
        """House number and unit: street lines that differ in them are two places, however
        alike the rest ("UNIT 4B" and "UNIT 12F" of one tower). Computed when first asked:
        only street lines a typo apart need them."""
        found = self._numbers.get(index)
        if found is None:
            words = self._records[index].street.split()
            found = tuple(w for w in words if any(ch.isdigit() for ch in w))
            self._numbers[index] = found
        return found


class PairScorer:
    """Scores candidate pairs with a Fellegi-Sunter model fitted on those same pairs.

    ``score`` makes two passes: the first turns every pair into an encoded comparison
    vector (kept in compact arrays), the model is fitted by EM on the counts of distinct
    vectors, and the second pass weighs all pairs at once with numpy. ``model`` holds the
    fitted model afterwards.
    """

    def __init__(self, records: Sequence[PartyFeatures], config: ResolverConfig) -> None:
        self.records = records
        self.config = config
        self.model: FSModel | None = None
        self._cols: _Columns | None = None
        self._level_weights: list[np.ndarray] = []
        self._weight_table: list[list[float]] = []  # the same, as Python floats
        scored = [r for r in records if not (r.seller_id or r.market)]
        # A value's frequency counts the parties that carry it, not the records: one
        # consolidator's fifty spellings at one warehouse make its name no more common.
        # Parties are told apart by what they hold besides the value: a name by the street
        # lines (else phones, e-mails) it appears with, an address by the names at it.
        first = itemgetter(0)
        self.tf = {
            "name": TermFrequencies.of(
                map(first, {(r.name_key, r.street or r.phone or r.email or r.name)
                            for r in scored})
            ),
            "address": TermFrequencies.of(map(first, {(r.address, r.name_key) for r in scored})),
        }  # fmt: skip
        self._phone_tf = TermFrequencies.of(map(attrgetter("phone"), scored))
        self._email_tf = TermFrequencies.of(map(attrgetter("email"), scored))
        self._country_tf = TermFrequencies.of(map(attrgetter("country"), scored))

    # -- comparison ------------------------------------------------------------------------
    def levels(self, i: int, j: int) -> tuple[int, int, int, int, int]:
        """The comparison vector of records ``i`` and ``j``."""
        assert self._cols is not None
        cols = self._cols
        a, b = self.records[i], self.records[j]
        name, _ = name_level(a, b, self.config)
        pa, pb = cols.phone[i], cols.phone[j]
        phone = 0
        if pa and pb:
            phone = 2 if pa == pb else (1 if pa[0] == "+" and pb[0] == "+" else 0)
        ea, eb = cols.email[i], cols.email[j]
        email = (2 if ea == eb else 1) if ea and eb else 0
        address = 0
        if a.address and b.address and not (cols.address_hub[i] or cols.address_hub[j]):
            if a.address == b.address:
                address = _A_EXACT
            elif a.street == b.street:
                address = _A_STREET
            elif cols.numbers(i) == cols.numbers(j) and fuzz.ratio(
                a.street, b.street, score_cutoff=SIMILAR_STREET
            ):
                address = _A_SIMILAR
            else:
                address = _A_DIFF
        country = (2 if a.country == b.country else 1) if a.country and b.country else 0
        return name, phone, email, address, country

    # -- fitting ---------------------------------------------------------------------------
    def _seed_u(self, pool: Sequence[int]) -> list[np.ndarray]:
        """u per field from random record pairs, exact agreement from value frequencies."""
        counts = [np.zeros(f.radix) for f in FIELDS]
        if len(pool) >= 2:
            rng = np.random.default_rng(self.config.seed)
            n = self.config.u_sample_pairs
            left = rng.integers(0, len(pool), n)
            right = rng.integers(0, len(pool), n)
            for x, y in zip(left.tolist(), right.tolist(), strict=True):
                if x != y:
                    for f, level in enumerate(self.levels(pool[x], pool[y])):
                        counts[f][level] += 1
        tfs = (self.tf["name"], self._phone_tf, self._email_tf, self.tf["address"],
               self._country_tf)  # fmt: skip
        pool_pairs = len(pool) * (len(pool) - 1) // 2
        strength = _U_PRIOR_PAIRS
        seeded: list[np.ndarray] = []
        for f, spec in enumerate(FIELDS):
            prior = np.asarray(spec.prior_u)
            observed = counts[f][1:]
            # A sample of a small pool repeats the same few pairs: it weighs as many
            # pairs as the pool has, against the prior's pseudo-pairs.
            seen = min(float(observed.sum()), float(pool_pairs))
            share = observed / observed.sum() if observed.sum() else prior
            u = (share * seen + prior * strength) / (seen + strength)
            tf = tfs[f]
            tf_pairs = tf.total * (tf.total - 1) / 2
            exact = (tf.u_random * tf_pairs + prior[-1] * strength) / (tf_pairs + strength)
            u_exact = min(max(exact, 1e-6), 0.999)
            rest = u[:-1] / u[:-1].sum() * (1 - u_exact)
            seeded.append(np.concatenate((rest, [u_exact])))
        return seeded

    def fit(self, codes: np.ndarray) -> FSModel:
        """Fit m, u and lambda by EM on the distinct comparison vectors of ``codes``."""
        config = self.config
        distinct, counts = np.unique(codes, return_counts=True)
        patterns = decode(distinct, FIELDS)
        pool = [k for k, r in enumerate(self.records) if not (r.seller_id or r.market)]
        u0 = self._seed_u(pool)
        m0 = [np.asarray(f.prior_m) for f in FIELDS]
        result = fit_em(
            patterns, counts, FIELDS, m0, u0, config.em_prior_lambda,
            fix_u=config.em_fix_u, prior_pairs=config.em_prior_pairs,
            max_iterations=config.em_max_iterations, tolerance=config.em_tolerance,
        )  # fmt: skip
        model = FSModel(
            FIELDS,
            result.m,
            result.u,
            result.lam,
            config.match_probability,
            dict(self.tf),
            {
                "candidate_pairs": int(counts.sum()),
                "distinct_vectors": len(distinct),
                "em_iterations": result.iterations,
                "em_converged": result.converged,
                "u_fixed": config.em_fix_u,
                "u_sample_pairs": config.u_sample_pairs,
                "prior_pairs": config.em_prior_pairs,
            },
        )
        logger.info(
            "Fellegi-Sunter model: %d pairs in %d distinct vectors, lambda %.4f, "
            "EM %d iterations (%s)",
            int(counts.sum()), len(distinct), result.lam, result.iterations,
            "converged" if result.converged else "not converged",
        )  # fmt: skip
        return model

    # -- scoring ---------------------------------------------------------------------------
    def score(
        self,
        pairs: Iterable[tuple[int, int]],
        hubs: Callable[[], Collection[str]],
        progress: ProgressCallback | None = None,
        progress_every: int = 50_000,
    ) -> list[Decision]:
        """Decisions for the accepted ``pairs``; ``hubs`` is read once pairs have started
        (the blocker knows its hubs only then)."""
        records, config = self.records, self.config
        left, right = array("i"), array("i")
        vectors: list[tuple[int, ...]] = []
        decisions: list[Decision] = []
        hub_keys: Collection[str] = frozenset()
        by_rules = config.scoring == "rules"
        seller = [bool(r.seller_id or r.market) for r in records]  # see is_seller_pair
        levels = self.levels
        compared = 0
        for i, j in pairs:
            if self._cols is None:
                hub_keys = hubs()
                self._cols = _Columns(records, hub_keys)
            if by_rules or seller[i] or seller[j]:
                rule = decide(i, records[i], j, records[j], config, hub_keys)
                if rule is not None:
                    decisions.append(rule)
            else:
                left.append(i)
                right.append(j)
                vectors.append(levels(i, j))
            compared += 1
            if progress is not None and compared % progress_every == 0:
                progress("comparing candidate pairs", compared)
        if progress is not None:
            progress("comparing candidate pairs", compared)
        if self._cols is None:
            self._cols = _Columns(records, hubs())
        if by_rules:
            return decisions
        code_arr = encode(vectors, FIELDS)
        del vectors
        self.model = self.fit(code_arr)
        if len(code_arr):
            lefts = np.frombuffer(left, dtype=np.int32)
            rights = np.frombuffer(right, dtype=np.int32)
            decisions.extend(self._accepted(lefts, rights, code_arr))
        return decisions

    def _tf_adjustments(self, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Name and address TF adjustments per record, for the ``used`` records (0 for
        the others, which no scored pair reads)."""
        name_tf, address_tf = self.tf["name"], self.tf["address"]
        rows = [self.records[k] for k in used.tolist()]
        name_adj, address_adj = np.zeros(len(self.records)), np.zeros(len(self.records))
        name_adj[used] = [name_tf.adjustment(r.name_key) if r.name_key else 0.0 for r in rows]
        address_adj[used] = [address_tf.adjustment(r.address) if r.address else 0.0
                             for r in rows]  # fmt: skip
        return name_adj, address_adj

    def _places(self, used: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """ZIP (or city) and unit per record, for the ``used`` records ("" for the others)."""
        addresses = [self.records[k].address for k in used.tolist()]
        place = np.full(len(self.records), "", dtype=object)
        unit = np.full(len(self.records), "", dtype=object)
        place[used] = [_place(a) for a in addresses]
        unit[used] = [_unit(a) for a in addresses]
        return place, unit

    def _accepted(self, left: np.ndarray, right: np.ndarray, codes: np.ndarray) -> list[Decision]:
        """Vectorized weights, safety rules and threshold over all model-scored pairs."""
        assert self.model is not None
        model = self.model
        distinct, inverse = np.unique(codes, return_inverse=True)
        weight = model.pattern_weights(distinct)[inverse]
        lv = decode(distinct, FIELDS)[inverse]
        name, phone, email, address, country = (lv[:, k] for k in range(len(FIELDS)))
        self._level_weights = model.level_weights()
        self._weight_table = [w.tolist() for w in self._level_weights]
        name_adj, address_adj = self._tf_adjustments(sorted_unique(left))
        # An exact agreement never counts against a match, however common the value.
        name_w, address_w = self._level_weights[_N][_EXACT], self._level_weights[_A][_A_EXACT]
        weight = weight + np.where(name == _EXACT, np.maximum(name_adj[left], -name_w), 0.0)
        weight = weight + np.where(
            address == _A_EXACT, np.maximum(address_adj[left], -address_w), 0.0
        )

        company = np.array([r.is_company for r in self.records], dtype=bool)
        companies = company[left] & company[right]
        no_country = np.array([not r.country for r in self.records], dtype=bool)
        same_country = (country == 2) | (no_country[left] & no_country[right])
        place, unit = self._places(sorted_unique(np.concatenate((left, right))))
        # one ZIP, but not two units of one building (neighbours, not one person)
        same_place = (place[left] == place[right]) & (place[left] != "")
        same_place &= (unit[left] == "") | (unit[right] == "") | (unit[left] == unit[right])
        rare_name = name_adj[left] > 0  # rarer than a typical name
        identifiers = (phone == 2).astype(int) + (email == 2) + (address >= _A_STREET)
        conflicts = (phone == 1).astype(int) + (email == 1)
        personal = (phone == 2).astype(int) + (email == 2)
        ok = (
            (name >= _INITIAL)
            & (
                (identifiers > 0)
                | (companies & (name == _EXACT) & same_country)
                | ((name >= _ONE_TYPO) & (address == _A_SIMILAR))
                | ((name == _EXACT) & rare_name & (address == _A_DIFF) & same_place)
            )
            & ((name != _INITIAL) | (email == 2) | (identifiers >= 2))
            & (country != 1)
            & ~((conflicts > 0) & (conflicts >= personal))
            & (weight >= model.threshold_weight)
        )
        kept = np.flatnonzero(ok)
        probability = FSModel.probability
        out = [
            Decision(i, j, RULE_MODEL, 0.0, (), w, probability(w), tuple(levels), self)
            for i, j, w, levels in zip(
                left[kept].tolist(), right[kept].tolist(), weight[kept].tolist(),
                lv[kept].tolist(), strict=True,
            )
        ]  # fmt: skip
        logger.info(
            "model accepted %d of %d scored pairs (%d above the threshold before safety rules)",
            len(out), len(codes), int((weight >= model.threshold_weight).sum()),
        )  # fmt: skip
        return out

    def field_scores(self, d: Decision) -> tuple[FieldScore, ...]:
        """Both values, similarity and weight (TF-adjusted) of every non-null field of ``d``."""
        return tuple(
            FieldScore(name, va, vb, FIELDS[f].levels[level - 1], sim, w)
            for f, name, va, vb, level, sim, w in self._field_values(d)
        )

    def _field_values(self, d: Decision) -> list[tuple[int, str, str, str, int, float, float]]:
        """``field_scores`` as plain tuples (field index, name, values, level, similarity,
        weight): merge evidence is built from them for every merge of a resolution."""
        levels = d.levels
        a, b = self.records[d.a], self.records[d.b]
        level_weights = self._weight_table
        rows: list[tuple[int, str, str, str, int, float, float]] = []
        name = levels[_N]
        if name:
            w = level_weights[_N][name]
            if name == NAME.tf_level:
                w = max(w + self.tf["name"].adjustment(a.name_key), 0.0)
            sim = name_level(a, b, self.config)[1] / 100
            rows.append((_N, "name", a.name, b.name, name, sim, w))
        for f, field_name, va, vb in ((_P, "phone", a.phone, b.phone),
                                      (_E, "email", a.email, b.email)):  # fmt: skip
            level = levels[f]
            if level:
                sim = 1.0 if level == FIELDS[f].radix - 1 else 0.0
                rows.append((f, field_name, va, vb, level, sim, level_weights[f][level]))
        address = levels[_A]
        if address:
            w = level_weights[_A][address]
            if address == ADDRESS.tf_level:
                w = max(w + self.tf["address"].adjustment(a.address), 0.0)
            sim = 1.0 if address == _A_EXACT else fuzz.ratio(a.street, b.street) / 100
            rows.append((_A, "address", a.address or a.street, b.address or b.street, address,
                         sim, w))  # fmt: skip
        country = levels[_C]
        if country:
            sim = 1.0 if country == COUNTRY.radix - 1 else 0.0
            rows.append((_C, "country", a.country, b.country, country, sim,
                         level_weights[_C][country]))  # fmt: skip
        return rows


# "fellegi_sunter:exact" and the like: the rule of each field level's evidence row
_MODEL_RULES = [[""] + [f"{RULE_MODEL}:{label}" for label in spec.levels] for spec in FIELDS]


def decision_evidence(
    entity_id: str, d: Decision, a: PartyFeatures, b: PartyFeatures, ma: str, mb: str
) -> list[MergeEvidence]:
    """The evidence rows of one merge: per field (both values, similarity, weight), and for
    a model decision a closing ``match_probability`` row whose weight is the match weight
    (the prior plus every field's weight)."""
    if d.rule == RULE_MODEL:
        fields = d.scorer._field_values(d) if d.scorer is not None else []
        rows = [
            MergeEvidence(entity_id, ma, mb, name, va, vb, sim, round(w, 3),
                          _MODEL_RULES[f][level])
            for f, name, va, vb, level, sim, w in fields
        ]  # fmt: skip
        rows.append(
            MergeEvidence(entity_id, ma, mb, "match_probability", "", "",
                          round(d.probability, 6), round(d.weight, 3), d.rule)
        )  # fmt: skip
        return rows
    rows = [
        MergeEvidence(entity_id, ma, mb, "name", a.name, b.name, d.name_similarity / 100, 1.0,
                      d.rule)
    ]  # fmt: skip
    for name in d.agreements:
        rows.append(
            MergeEvidence(
                entity_id, ma, mb, name, str(getattr(a, name)), str(getattr(b, name)),
                1.0, FIELD_WEIGHTS[name], d.rule,
            )
        )  # fmt: skip
    return rows
