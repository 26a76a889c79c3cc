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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, combinations
from operator import attrgetter
from typing import Any

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from graphintel.normalize.name_compare import compare_names
from graphintel.resolve.config import ResolverConfig
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
_SLICE = 1 << 20  # pairs compared at once


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


def candidate_pairs(records: Sequence[ListRecord], max_block: int) -> tuple[np.ndarray, int]:
    """Record pairs sharing a list blocking key, as sorted unique rows (i, j) with i < j;
    blocks over ``max_block`` are skipped. Blocks of one size are expanded together with
    numpy, so a list whose name blocks yield millions of pairs needs no Python set."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for k, r in enumerate(records):
        for key in _keys(r):
            blocks[key].append(k)
    by_size: dict[int, list[list[int]]] = defaultdict(list)
    skipped = 0
    for key, members in blocks.items():
        if len(members) > max_block:
            skipped += 1
            if skipped <= 20:
                logger.warning("list block %r has %d records: skipped", key, len(members))
            continue
        if len(members) >= 2:
            by_size[len(members)].append(members)
    del blocks
    n = max(len(records), 1)
    codes = [np.zeros(0, dtype=np.int64)]
    for size, groups in by_size.items():
        first, second = np.triu_indices(size, 1)
        rows = np.asarray(groups, dtype=np.int64)  # one block per row, ascending indices
        codes.append((rows[:, first] * n + rows[:, second]).reshape(-1))
    unique = sorted_unique(np.concatenate(codes))
    return np.column_stack((unique // n, unique % n)), skipped


def _factorize(columns: Sequence[Sequence[str]]) -> tuple[list[np.ndarray], list[str]]:
    """Each column's values as integer ids over one shared vocabulary (0 is "")."""
    values = list(dict.fromkeys(chain([""], *columns)))
    index = dict(zip(values, range(len(values)), strict=True))
    ids = [np.fromiter(map(index.__getitem__, c), np.int64, len(c)) for c in columns]
    return ids, values


class _ListColumns:
    """The compared values of every record as integer ids (0 for ""), so that exact
    agreement is an integer comparison and each distinct pair of values is graded once."""

    def __init__(self, records: Sequence[ListRecord]) -> None:
        def column(name: str) -> list[str]:
            return list(map(attrgetter(name), records))

        (self.given, self.surname), self.names = _factorize((column("given"), column("surname")))
        self.ids: dict[str, np.ndarray] = {}
        self.values: dict[str, list[str]] = {}
        for name in ("number", "street", "city", "postcode", "state", "features.country",
                     "features.phone", "features.email"):  # fmt: skip
            field = name.removeprefix("features.")
            (self.ids[field],), self.values[field] = _factorize([column(name)])


def _graded(
    a: np.ndarray,
    b: np.ndarray,
    values: list[str],
    top: int,
    grade: Callable[[list[str], list[str]], np.ndarray],
) -> np.ndarray:
    """Levels of aligned value ids: 0 where either is "", ``top`` where they are equal, and
    ``grade``'s levels elsewhere, computed once per distinct pair of values."""
    out = np.zeros(len(a), dtype=np.int64)
    present = (a != 0) & (b != 0)
    same = present & (a == b)
    out[same] = top
    rest = np.flatnonzero(present & ~same)
    if len(rest):
        width = len(values)
        distinct, inverse = np.unique(a[rest] * width + b[rest], return_inverse=True)
        first = [values[k] for k in (distinct // width).tolist()]
        second = [values[k] for k in (distinct % width).tolist()]
        out[rest] = grade(first, second)[inverse.reshape(-1)]
    return out


def _cpdist(scorer: Any, a: list[str], b: list[str], dtype: Any) -> np.ndarray:
    result: np.ndarray = process.cpdist(a, b, scorer=scorer, dtype=dtype, workers=1)
    return result


def _token_grade(a: list[str], b: list[str]) -> np.ndarray:
    """Splink's name comparison below exact: one edit (3), Jaro-Winkler >= 0.88 (2), else 1."""
    out = np.where(_cpdist(OSA.distance, a, b, np.int64) <= 1, 3, 0)
    far = np.flatnonzero(out == 0)
    if len(far):
        jw = _cpdist(JaroWinkler.similarity, [a[k] for k in far.tolist()],
                     [b[k] for k in far.tolist()], np.float64)  # fmt: skip
        out[far] = np.where(jw >= 0.88, 2, 1)
    return out


def _street_grade(a: list[str], b: list[str]) -> np.ndarray:
    ratio = _cpdist(fuzz.ratio, a, b, np.float64)
    return np.where(ratio >= 85, 3, np.where(ratio >= 65, 2, 1))


def _city_grade(a: list[str], b: list[str]) -> np.ndarray:
    return np.where(_cpdist(JaroWinkler.similarity, a, b, np.float64) >= 0.9, 2, 1)


def _postcode_grade(a: list[str], b: list[str]) -> np.ndarray:
    return np.where(_cpdist(Levenshtein.distance, a, b, np.int64) <= 1, 2, 1)


def _exact_levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.where((a != 0) & (b != 0), np.where(a == b, 2, 1), 0)


def _level_matrix(cols: _ListColumns, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """The comparison vectors of the record pairs (``left[k]``, ``right[k]``), one row each:
    given name, surname (in whichever order the two names agree best: a swapped "Smith
    John", a name that lost its given name or surname), house number, street, city,
    postcode, state, country, phone, e-mail. Exact tests are integer comparisons of value
    ids; the other grades come from rapidfuzz's ``cpdist``, once per distinct value pair.
    Splink's name comparison: exact (4), one edit (3), Jaro-Winkler >= 0.88 (2), else 1."""
    ga, gb, sa, sb = cols.given[left], cols.given[right], cols.surname[left], cols.surname[right]
    names = cols.names
    given, surname = (
        _graded(ga, gb, names, 4, _token_grade),
        _graded(sa, sb, names, 4, _token_grade),
    )
    given_swapped = _graded(ga, sb, names, 4, _token_grade)
    surname_swapped = _graded(sa, gb, names, 4, _token_grade)
    swap = given_swapped + surname_swapped > given + surname
    ids, values = cols.ids, cols.values

    def graded(
        name: str, top: int, grade: Callable[[list[str], list[str]], np.ndarray]
    ) -> np.ndarray:
        return _graded(ids[name][left], ids[name][right], values[name], top, grade)

    def exact(name: str) -> np.ndarray:
        return _exact_levels(ids[name][left], ids[name][right])

    return np.column_stack((
        np.where(swap, given_swapped, given),
        np.where(swap, surname_swapped, surname),
        exact("number"),
        graded("street", 4, _street_grade),
        graded("city", 3, _city_grade),
        graded("postcode", 3, _postcode_grade),
        exact("state"),
        exact("country"),
        exact("phone"),
        exact("email"),
    )).astype(np.int64)  # fmt: skip


def _seed_u(cols: _ListColumns, n: int, config: ResolverConfig) -> list[np.ndarray]:
    counts = [np.zeros(f.radix) for f in LIST_FIELDS]
    if n >= 2:
        rng = np.random.default_rng(config.seed)
        x = rng.integers(0, n, config.u_sample_pairs)
        y = rng.integers(0, n, config.u_sample_pairs)
        apart = x != y
        levels = _level_matrix(cols, x[apart], y[apart])
        for f, spec in enumerate(LIST_FIELDS):
            counts[f] += np.bincount(levels[:, f], minlength=spec.radix)
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
    ordered, skipped = candidate_pairs(records, max_block)
    left, right = ordered[:, 0], ordered[:, 1]
    cols = _ListColumns(records)
    # Compared in slices: at 200,000 records the name blocks give tens of millions of pairs.
    vectors = np.zeros((len(ordered), len(LIST_FIELDS)), dtype=np.int8)
    codes = np.zeros(len(ordered), dtype=np.int64)
    for start in range(0, len(ordered), _SLICE):
        part = slice(start, start + _SLICE)
        levels = _level_matrix(cols, left[part], right[part])
        vectors[part] = levels
        codes[part] = encode(levels, LIST_FIELDS)
    u0 = _seed_u(cols, len(records), config)
    distinct, inverse, counts = (np.unique(codes, return_inverse=True, return_counts=True)
                                 if len(codes) else (codes, codes, codes))  # fmt: skip
    del codes
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
    if not len(ordered):
        return ListLinkage([], 0, skipped, model)
    level_weights = model.level_weights()
    weight = model.pattern_weights(distinct)[inverse.reshape(-1)]
    del inverse
    # Term-frequency adjustments of exact agreements, added per pair in the same order as
    # pair by pair: given name, surname, street (number and street of the first record).
    names_tf, street_tf = tf["name_token"], tf["street"]
    token_adjustment = np.array([names_tf.adjustment(t) for t in cols.names])
    for f in _NAME_FIELDS:
        exact = np.flatnonzero(vectors[:, f] == _TOKEN_EXACT)
        tokens = _agreeing_tokens(cols, left[exact], right[exact], f)
        weight[exact] += np.maximum(token_adjustment[tokens],
                                    -float(level_weights[f][_TOKEN_EXACT]))  # fmt: skip
    street = np.flatnonzero((vectors[:, _STREET] == _STREET_EXACT) & (vectors[:, _NUMBER] == 2))
    firsts = sorted_unique(left[street])
    street_adjustment = np.zeros(len(records))
    street_adjustment[firsts] = [street_tf.adjustment(f"{records[i].number} {records[i].street}")
                                 for i in firsts.tolist()]  # fmt: skip
    weight[street] += np.maximum(street_adjustment[left[street]],
                                 -float(level_weights[_STREET][_STREET_EXACT]))  # fmt: skip
    links: list[ListLink] = []
    above = np.flatnonzero(weight >= model.threshold_weight)
    for i, j, w, v in zip(left[above].tolist(), right[above].tolist(), weight[above].tolist(),
                          vectors[above].tolist(), strict=True):  # fmt: skip
        a, b = records[i], records[j]
        if _allowed(a, b, v, households_apart):
            links.append(ListLink(i, j, FSModel.probability(w), w,
                                  _evidence(a, b, v, level_weights)))  # fmt: skip
    logger.info("list model linked %d of %d candidate pairs", len(links), len(ordered))
    return ListLinkage(links, len(ordered), skipped, model)


def _agreeing_tokens(cols: _ListColumns, left: np.ndarray, right: np.ndarray, f: int) -> np.ndarray:
    """The name token (an id of ``cols.names``) each pair agrees on exactly in name field
    ``f``: the first record's own token (given name for ``f`` 0, surname for 1) when the
    second record has it, else its other one."""
    own, other = (cols.given, cols.surname) if f == 0 else (cols.surname, cols.given)
    mine = own[left]
    found = (mine != 0) & ((mine == cols.given[right]) | (mine == cols.surname[right]))
    tokens: np.ndarray = np.where(found, mine, other[left])
    return tokens


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


def _allowed(a: ListRecord, b: ListRecord, v: Sequence[int], households_apart: bool) -> bool:
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
    a: ListRecord, b: ListRecord, v: Sequence[int], weights: list[np.ndarray]
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
