"""The pair rules: comparison levels, the safety rules over the model, the seller rules.

Shippers and consignees are scored by a Fellegi-Sunter model (``fs_model``) fitted on the
run's own candidate pairs without labels: each pair gets one comparison level per field
(name, phone, e-mail, address, country), each level a weight ``log2(m/u)``, common names and
addresses a term-frequency adjustment, and a pair merges when its match probability reaches
``ResolverConfig.match_probability``.

Safety rules stay on top of the model, because they protect precision where the model's
independence assumption does not hold:

* a shared identifier alone never merges: the names must be alike (every word within a
  typo, see ``compare_names``; names alike only through two typos in a word, several
  typo'd words or a middle initial that differs need two identifiers in common, for two
  persons one of them the e-mail, since a household shares its address and phone, so
  "Patrick" and "Patricia" of one home, or several companies over one drop address, keep
  apart unless their names nearly agree)
  and a merge needs a non-hub identifier in common, or, for
  two companies, the same name in the same country, or a name at most a typo apart on a
  street line a typo apart (same house number and unit), or the same rare person name (its
  term-frequency adjustment positive) in the same ZIP or city but not another unit; a
  household shares an address and a phone, a ring rotates shipper names over one phone,
  and linking those is the graph's job;
* hub identifiers (``blocking.Blocker.hubs``) are null: agreeing on a marketplace hotline
  supports nothing, and disagreeing with one contradicts nothing;
* different countries, or own phones and e-mails that disagree more than they agree, keep
  two records apart; an initial ("J. Smith") needs an e-mail or two identifiers in common;
  a person at addresses in two different places (ZIPs or cities) needs two identifiers in
  common: a name-made webmail address ("mcastro@hotmail.com") is shared by namesakes across
  the country, so an e-mail alone does not make them one person;
* two companies of one name at two different addresses with no phone or e-mail in common
  are two companies (a common trade name is reused from city to city; one company that
  moved shows its phone or e-mail at both).

Sellers have no identifiers besides their marketplace account, so they keep exact rules:
one marketplace seller id, or one shop name on one marketplace.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from graphintel.normalize.name_compare import compare_names, compare_names_cached, is_place
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import FieldSpec

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
    ("different", "loose", "typos", "initial", "close", "words_dropped", "one_typo", "exact"),
    prior_m=(0.02, 0.03, 0.03, 0.05, 0.08, 0.12, 0.15, 0.52),
    prior_u=(0.80, 0.12, 0.005, 0.02, 0.02, 0.01, 0.0125, 0.0125),
    tf_level=8,
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
_DIFF, _LOOSE, _TYPOS, _INITIAL, _CLOSE, _DROPPED, _ONE_TYPO, _EXACT = range(1, 9)
# address levels
_A_DIFF, _A_SIMILAR, _A_STREET, _A_EXACT = range(1, 5)
LOOSE_NAME = 70.0  # names at least this similar are "loose" rather than "different"
SIMILAR_STREET = 90.0  # street lines this similar (a typo, same numbers): "similar_street"


@dataclass(frozen=True, slots=True)
class FieldScore:
    """One field's part in a decision: both values, their similarity (0..1) and weight."""

    field: str
    value_a: str
    value_b: str
    level: str
    similarity: float
    weight: float


class FieldScorer(Protocol):
    """What spells out a model decision's per-field evidence (``scoring.PairScorer``)."""

    def field_scores(self, d: Decision) -> tuple[FieldScore, ...]: ...


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
    scorer: FieldScorer | None = field(default=None, compare=False, repr=False)

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


def name_level(a: PartyFeatures, b: PartyFeatures, config: ResolverConfig) -> tuple[int, float]:
    """The name's comparison level (0 when either name is unknown) and its similarity.

    "typos" holds names alike only through more than a typo per word (up to two), through
    a typo in each of several words (similarity under the threshold) or with middle
    initials that differ: the safety rules ask two identifiers in common for them."""
    if not a.name or not b.name:
        return 0, 0.0
    if a.name_key == b.name_key:
        return _EXACT, 100.0
    names = compare_names_cached(a.name, b.name, a.is_company and b.is_company)
    sim = names.similarity
    if names.typo_words:
        if names.by_initial:
            return _INITIAL, sim
        if names.dropped:
            if _elsewhere(a, b, names.dropped):
                return _LOOSE, sim
            return _DROPPED, sim
        if names.one_typo:
            return _ONE_TYPO, sim
        if sim >= config.name_threshold:
            return _CLOSE, sim
        return _TYPOS, sim
    if names.wide_typos and not names.by_initial and sim >= LOOSE_NAME:
        if names.dropped and _elsewhere(a, b, names.dropped):
            return _LOOSE, sim
        return _TYPOS, sim
    return (_LOOSE if sim >= LOOSE_NAME else _DIFF), sim


def _elsewhere(a: PartyFeatures, b: PartyFeatures, dropped: tuple[str, ...]) -> bool:
    """Whether a place word one name dropped is contradicted by the two addresses lying in
    different cities: "Zhengda Industrial" in Dongguan is not "Tianjin Zhengda Industrial"
    in Tianjin."""
    place_a, place_b = _place(a.address), _place(b.address)
    return bool(place_a and place_b and place_a != place_b and any(map(is_place, dropped)))


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


def model_verdict(
    levels: Sequence[int],
    a: PartyFeatures,
    b: PartyFeatures,
    weight: float,
    threshold_weight: float,
    rare_name: bool,
) -> tuple[bool, str]:
    """Whether the safety rules and the threshold accept one model-scored pair, and the rule
    that decided, in words: the one-pair form of ``PairScorer._accepted`` (which applies
    the same rules to arrays; tests/resolve/test_explain.py holds them to each other)."""
    name, phone, email, address, country = levels
    companies = a.is_company and b.is_company
    same_country = country == 2 or (not a.country and not b.country)
    place_a, place_b, unit_a, unit_b = (
        _place(a.address),
        _place(b.address),
        _unit(a.address),
        _unit(b.address),
    )
    same_place = (
        place_a == place_b and place_a != "" and (not unit_a or not unit_b or unit_a == unit_b)
    )
    identifiers = (phone == 2) + (email == 2) + (address >= _A_STREET)
    conflicts = (phone == 1) + (email == 1)
    personal = (phone == 2) + (email == 2)
    if name < _TYPOS:
        return False, "names differ beyond typos: a shared identifier alone never merges"
    if name == _TYPOS and (identifiers < 2 or not (companies or email == 2)):
        return False, (
            "names alike only through several typos (or a middle initial that differs) "
            "need two identifiers in common, for persons one of them the e-mail"
        )
    if not (
        identifiers > 0
        or (companies and name == _EXACT and same_country and address != _A_DIFF)
        or (name >= _ONE_TYPO and address == _A_SIMILAR)
        or (not companies and name == _EXACT and rare_name and address == _A_DIFF and same_place)
    ):
        return False, (
            "no identifier in common that is not a hub (nor the same company name in one "
            "country at no other address, nor a street a typo apart)"
        )
    if name == _INITIAL and not (email == 2 or identifiers >= 2):
        return False, "a name matched through an initial needs an e-mail or two identifiers"
    if not companies and place_a and place_b and place_a != place_b and identifiers < 2:
        return False, "a person in two different places needs two identifiers in common"
    if country == 1:
        return False, "different countries"
    if conflicts > 0 and conflicts >= personal:
        return False, "their own phones or e-mails disagree more than they agree"
    if weight < threshold_weight:
        return False, f"match weight {weight:.2f} below the threshold {threshold_weight:.2f}"
    return True, f"{RULE_MODEL}: weight {weight:.2f} reaches the threshold {threshold_weight:.2f}"
