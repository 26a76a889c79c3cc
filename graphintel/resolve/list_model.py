"""Party-list linkage: a Fellegi-Sunter model trusted on name and address sub-fields.

A manifest resolver must not merge two parcels' parties on a name and a street line a few
typos apart (a household, a ring's rotated names); a party list (a watchlist, a seller
list, Febrl) is the opposite case: its records are one row per party, typos are the main
difference between duplicates, and the model, the way Splink uses it, is what decides.

``link_list`` blocks the records on several list keys (name-token prefixes, a name token
with the postcode or the city, house number with the street's first word or the
postcode, phone, e-mail; blocks beyond ``max_block`` records are skipped with a warning
naming the key), compares each candidate pair on name, house number, street, city,
postcode, state, country, phone and e-mail as separate fields (term-frequency adjusted
exact names and streets), fits m by EM with u from random record pairs, and links every
pair whose match probability reaches ``threshold``. The only rules left on top are about
identifiers: names must be alike word by word (a shared address or phone alone never
links two records), different countries never link, and own phones or e-mails that
disagree with no identifier agreeing keep two records apart.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import FieldSpec, FSModel, TermFrequencies, decode, fit_em
from graphintel.resolve.scoring import compare_names

logger = logging.getLogger(__name__)

GIVEN = FieldSpec(
    "given_name",
    ("different", "similar", "one_typo", "exact"),
    prior_m=(0.10, 0.05, 0.15, 0.70),
    prior_u=(0.95, 0.03, 0.01, 0.01),
    tf_level=4,
)
SURNAME = FieldSpec(
    "surname",
    ("different", "similar", "one_typo", "exact"),
    prior_m=(0.05, 0.05, 0.15, 0.75),
    prior_u=(0.97, 0.02, 0.005, 0.005),
    tf_level=4,
)
NUMBER = FieldSpec("street_number", ("different", "exact"), (0.10, 0.90), (0.95, 0.05))
STREET = FieldSpec(
    "street",
    ("different", "loose", "close", "exact"),
    prior_m=(0.05, 0.05, 0.15, 0.75),
    prior_u=(0.95, 0.03, 0.01, 0.01),
    tf_level=4,
)
CITY = FieldSpec("city", ("different", "close", "exact"), (0.05, 0.10, 0.85), (0.95, 0.02, 0.03))
POSTCODE = FieldSpec(
    "postcode", ("different", "one_edit", "exact"), (0.05, 0.10, 0.85), (0.95, 0.04, 0.01)
)
STATE = FieldSpec("state", ("different", "exact"), (0.05, 0.95), (0.70, 0.30))
COUNTRY = FieldSpec("country", ("different", "exact"), (0.02, 0.98), (0.30, 0.70))
PHONE = FieldSpec("phone", ("different", "exact"), (0.15, 0.85), (0.97, 0.03))
EMAIL = FieldSpec("email", ("different", "exact"), (0.10, 0.90), (0.98, 0.02))
LIST_FIELDS: tuple[FieldSpec, ...] = (
    GIVEN, SURNAME, NUMBER, STREET, CITY, POSTCODE, STATE, COUNTRY, PHONE, EMAIL,
)  # fmt: skip
_TOKEN_EXACT, _TOKEN_SIMILAR, _STREET_EXACT = 4, 2, STREET.radix - 1
_NAME_FIELDS = (0, 1)  # given name, surname
_NUMBER, _STREET, _POSTCODE = 2, 3, 5
_U_PRIOR_PAIRS = 200.0


@dataclass(frozen=True, slots=True)
class ListRecord:
    """The compared values of one list record (lower-cased, trimmed; "" when not given)."""

    features: PartyFeatures
    given: str  # the name's first word when it has two or more
    surname: str  # its last word
    number: str
    street: str
    city: str
    postcode: str
    state: str

    @classmethod
    def of(cls, features: PartyFeatures, address: str, city: str, state: str,
           postcode: str) -> ListRecord:  # fmt: skip
        words = address.lower().replace(",", " ").split()
        number = " ".join(w for w in words if any(ch.isdigit() for ch in w))
        street = " ".join(w for w in words if not any(ch.isdigit() for ch in w))
        tokens = features.name.lower().split()
        given = tokens[0] if len(tokens) >= 2 else ""
        surname = tokens[-1] if tokens else ""
        return cls(features, given, surname, number, street, " ".join(city.lower().split()),
                   "".join(postcode.split()).lower(), " ".join(state.lower().split()))  # fmt: skip


@dataclass(frozen=True, slots=True)
class ListLink:
    a: int
    b: int
    probability: float
    weight: float
    fields: tuple[tuple[str, str, str, str, float], ...]  # field, value a, value b, level, w


@dataclass(frozen=True, slots=True)
class ListLinkage:
    links: list[ListLink]
    candidate_pairs: int
    skipped_blocks: int
    model: FSModel


def _tokens(r: ListRecord) -> list[str]:
    return [t for t in r.features.name.lower().split() if len(t) > 1]


def _keys(r: ListRecord) -> set[str]:
    tokens = _tokens(r)
    keys: set[str] = set()
    for x, y in combinations(sorted(set(tokens)), 2):
        keys.add(f"np:{x[:2]}|{y[:2]}")
    for t in tokens:
        if r.postcode:
            keys.add(f"tp:{t}|{r.postcode}")
        if r.city:
            keys.add(f"tc:{t}|{r.city}")
    if len(tokens) == 1:
        keys.add(f"n1:{tokens[0]}")
    if r.number:
        first = r.street.split()[0] if r.street else ""
        keys.add(f"ns:{r.number}|{first}")
        if r.postcode:
            keys.add(f"pn:{r.postcode}|{r.number}")
    f = r.features
    if f.phone:
        keys.add(f"ph:{f.phone}")
    if f.email:
        keys.add(f"em:{f.email}")
    return keys


def candidate_pairs(records: Sequence[ListRecord], max_block: int) -> tuple[set[tuple[int, int]],
                                                                         int]:  # fmt: skip
    """Record pairs sharing a list blocking key; blocks over ``max_block`` are skipped."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(records):
        for key in _keys(r):
            blocks[key].append(k)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for key, members in blocks.items():
        if len(members) > max_block:
            skipped += 1
            if skipped <= 20:
                logger.warning("list block %r has %d records: skipped", key, len(members))
            continue
        pairs.update(combinations(members, 2))
    return pairs, skipped


def _token_level(a: str, b: str) -> int:
    """Splink's name comparison: exact, one edit, Jaro-Winkler >= 0.88, different."""
    if not a or not b:
        return 0
    if a == b:
        return 4
    if OSA.distance(a, b) <= 1:
        return 3
    return 2 if JaroWinkler.similarity(a, b) >= 0.88 else 1


def _name_levels(a: ListRecord, b: ListRecord) -> tuple[int, int]:
    """Given name and surname levels, in whichever order the two names agree best (a
    swapped "Smith John", a name that lost its given name or surname)."""
    straight = (_token_level(a.given, b.given), _token_level(a.surname, b.surname))
    swapped = (_token_level(a.given, b.surname), _token_level(a.surname, b.given))
    return swapped if sum(swapped) > sum(straight) else straight


def _levels(a: ListRecord, b: ListRecord, config: ResolverConfig) -> tuple[int, ...]:
    given, surname = _name_levels(a, b)
    number = (2 if a.number == b.number else 1) if a.number and b.number else 0
    street = 0
    if a.street and b.street:
        if a.street == b.street:
            street = 4
        else:
            ratio = fuzz.ratio(a.street, b.street)
            street = 3 if ratio >= 85 else (2 if ratio >= 65 else 1)
    city = 0
    if a.city and b.city:
        city = 3 if a.city == b.city else (2 if JaroWinkler.similarity(a.city, b.city) >= 0.9
                                           else 1)  # fmt: skip
    postcode = 0
    if a.postcode and b.postcode:
        postcode = 3 if a.postcode == b.postcode else (
            2 if Levenshtein.distance(a.postcode, b.postcode) <= 1 else 1)  # fmt: skip
    state = (2 if a.state == b.state else 1) if a.state and b.state else 0
    fa, fb = a.features, b.features
    country = (2 if fa.country == fb.country else 1) if fa.country and fb.country else 0
    phone = (2 if fa.phone == fb.phone else 1) if fa.phone and fb.phone else 0
    email = (2 if fa.email == fb.email else 1) if fa.email and fb.email else 0
    return given, surname, number, street, city, postcode, state, country, phone, email


def _encode(levels: tuple[int, ...]) -> int:
    code = 0
    for level, spec in zip(levels, LIST_FIELDS, strict=True):
        code = code * spec.radix + level
    return code


def _seed_u(records: Sequence[ListRecord], config: ResolverConfig) -> list[np.ndarray]:
    counts = [np.zeros(f.radix) for f in LIST_FIELDS]
    n = len(records)
    if n >= 2:
        rng = np.random.default_rng(config.seed)
        for x, y in zip(
            rng.integers(0, n, config.u_sample_pairs).tolist(),
            rng.integers(0, n, config.u_sample_pairs).tolist(),
            strict=True,
        ):
            if x != y:
                for f, level in enumerate(_levels(records[x], records[y], config)):
                    counts[f][level] += 1
    seeded = []
    for f, spec in enumerate(LIST_FIELDS):
        prior = np.asarray(spec.prior_u)
        observed = counts[f][1:]
        seen = float(observed.sum())
        share = observed / seen if seen else prior
        u = (share * seen + prior * _U_PRIOR_PAIRS) / (seen + _U_PRIOR_PAIRS)
        seeded.append(np.maximum(u, 1e-6) / np.maximum(u, 1e-6).sum())
    return seeded


def link_list(
    records: Sequence[ListRecord],
    config: ResolverConfig,
    threshold: float,
    max_block: int = 500,
    households_apart: bool = True,
) -> ListLinkage:
    """Links between ``records`` whose match probability reaches ``threshold``.

    ``households_apart`` keeps two records whose given names (or surnames) plainly differ
    apart unless a phone or e-mail agrees: on a watchlist, Mary Smith at John Smith's
    address is another party. Febrl's truth counts a replaced given name at one address as
    a typo of one person; ``households_apart=False`` follows it (as Splink does)."""
    pairs, skipped = candidate_pairs(records, max_block)
    ordered = sorted(pairs)
    vectors = [_levels(records[i], records[j], config) for i, j in ordered]
    codes = np.array([_encode(v) for v in vectors], dtype=np.int64)
    u0 = _seed_u(records, config)
    distinct, inverse, counts = (np.unique(codes, return_inverse=True, return_counts=True)
                                 if len(codes) else (codes, codes, codes))  # fmt: skip
    patterns = decode(distinct, LIST_FIELDS)
    m, share, iterations = _fit(patterns, counts, u0, config)
    # The prior is Splink's: the chance that two records drawn at random match (the matches
    # EM finds among the candidate pairs, over all record pairs), not the match share among
    # candidate pairs, which the blocking keys' own agreement would count twice.
    all_pairs = max(len(records) * (len(records) - 1) // 2, 1)
    lam = min(max(share * len(ordered) / all_pairs, 1e-9), 0.5)
    tf = {
        "name_token": TermFrequencies.of(t for r in records for t in {r.given, r.surname} if t),
        "street": TermFrequencies.of(f"{r.number} {r.street}" for r in records if r.street),
    }
    model = FSModel(LIST_FIELDS, m, u0, lam, threshold, tf,
                    {"candidate_pairs": len(ordered), "distinct_vectors": len(distinct),
                     "em_iterations": iterations, "profile": "list",
                     "candidate_match_share": share,
                     "skipped_blocks": skipped})  # fmt: skip
    logger.info(
        "list model: %d candidate pairs, lambda %.4f, EM %d iterations; threshold p >= %.2f",
        len(ordered), lam, iterations, threshold,
    )  # fmt: skip
    if not len(codes):
        return ListLinkage([], 0, skipped, model)
    level_weights = model.level_weights()
    base = model.pattern_weights(distinct)[inverse]
    names_tf = tf["name_token"]
    links: list[ListLink] = []
    for k, (i, j) in enumerate(ordered):
        v = vectors[k]
        a, b = records[i], records[j]
        weight = float(base[k])
        for f in _NAME_FIELDS:
            if v[f] == _TOKEN_EXACT:
                token = _agreeing_token(a, b, f)
                weight += max(names_tf.adjustment(token), -float(level_weights[f][v[f]]))
        if v[_STREET] == _STREET_EXACT and v[_NUMBER] == 2:
            weight += max(tf["street"].adjustment(f"{a.number} {a.street}"),
                          -float(level_weights[_STREET][v[_STREET]]))  # fmt: skip
        if weight < model.threshold_weight or not _allowed(a, b, v, households_apart):
            continue
        links.append(ListLink(i, j, FSModel.probability(weight), weight,
                              _evidence(a, b, v, level_weights)))  # fmt: skip
    logger.info("list model linked %d of %d candidate pairs", len(links), len(ordered))
    return ListLinkage(links, len(ordered), skipped, model)


def _agreeing_token(a: ListRecord, b: ListRecord, f: int) -> str:
    own, other = (a.given, a.surname) if f == 0 else (a.surname, a.given)
    return own if own and own in (b.given, b.surname) else other


def _fit(
    patterns: np.ndarray, counts: np.ndarray, u: list[np.ndarray], config: ResolverConfig
) -> tuple[list[np.ndarray], float, int]:
    """m by EM the way Splink trains it: the address fields' m on pairs whose given name
    and surname agree exactly, the name fields' m on pairs with the same postcode and house
    number (a field a training block fixes would look perfect), then the match share among
    candidate pairs by EM with m and u fixed."""
    m = [np.asarray(f.prior_m, dtype=np.float64) for f in LIST_FIELDS]
    iterations = 0
    names = (patterns[:, 0] == _TOKEN_EXACT) & (patterns[:, 1] == _TOKEN_EXACT)
    places = (patterns[:, _POSTCODE] == 3) & (patterns[:, _NUMBER] == 2)
    rest = [f for f in range(len(LIST_FIELDS)) if f not in _NAME_FIELDS]
    for rows, estimated in ((names, rest), (places, list(_NAME_FIELDS))):
        if not rows.any():
            continue
        fields = [LIST_FIELDS[f] for f in estimated]
        result = fit_em(
            patterns[rows][:, estimated], counts[rows], fields, [m[f] for f in estimated],
            [u[f] for f in estimated], config.em_prior_lambda, fix_u=True,
            prior_pairs=config.em_prior_pairs, max_iterations=config.em_max_iterations,
            tolerance=config.em_tolerance,
        )  # fmt: skip
        iterations += result.iterations
        for f, fitted in zip(estimated, result.m, strict=True):
            m[f] = fitted
    log_ratio = np.zeros(len(patterns))
    for f in range(len(LIST_FIELDS)):
        ratio = np.concatenate(([1.0], m[f] / u[f]))
        log_ratio += np.log(ratio[patterns[:, f]])
    lam = config.em_prior_lambda
    weights = counts.astype(np.float64)
    for _ in range(config.em_max_iterations):
        iterations += 1
        odds = np.exp(np.clip(np.log(lam / (1 - lam)) + log_ratio, -700, 700))
        new = float((weights * odds / (1 + odds)).sum() / max(weights.sum(), 1.0))
        new = min(max(new, 1e-9), 1 - 1e-9)
        if abs(new - lam) < config.em_tolerance:
            lam = new
            break
        lam = new
    return m, lam, iterations


def _allowed(a: ListRecord, b: ListRecord, v: tuple[int, ...], households_apart: bool) -> bool:
    """The identifier rules: a name word within a typo (a shared address or phone alone
    links nothing), no name word plainly different unless a phone or e-mail agrees, company
    names alike word by word, one country, no own phone or e-mail
    contradicted."""
    given, surname, country, phone, email = v[0], v[1], v[7], v[8], v[9]
    if max(given, surname) < 3 or country == 1:
        return False
    if households_apart and min(given, surname) == 1 and not (phone == 2 or email == 2):
        return False  # Mary Smith at John Smith's address is his household, not him
    if (a.features.is_company or b.features.is_company) and not compare_names(
        a.features.name, b.features.name, True
    ).typo_words:
        return False
    agree = (phone == 2) + (email == 2)
    disagree = (phone == 1) + (email == 1)
    return not (disagree and disagree >= agree)


def _evidence(
    a: ListRecord, b: ListRecord, v: tuple[int, ...], weights: list[np.ndarray]
) -> tuple[tuple[str, str, str, str, float], ...]:
    fa, fb = a.features, b.features
    values = ((a.given, b.given), (a.surname, b.surname), (a.number, b.number),
              (a.street, b.street), (a.city, b.city), (a.postcode, b.postcode),
              (a.state, b.state), (fa.country, fb.country), (fa.phone, fb.phone),
              (fa.email, fb.email))  # fmt: skip
    return tuple(
        (spec.name, va, vb, spec.levels[level - 1], round(float(weights[f][level]), 3))
        for f, (spec, level, (va, vb)) in enumerate(zip(LIST_FIELDS, v, values, strict=True))
        if level
    )
