"""The list profile's vectorized comparison levels against a pair-by-pair oracle.

``list_model._level_matrix`` compares aligned arrays of values with rapidfuzz's ``cpdist``
and integer value ids; the oracle below is the straightforward per-pair reading of the
same rules (the implementation the vectorized one replaced), with rapidfuzz's scalar
scorers. They must agree on every pair, in both orders.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.list_model import (
    _U_PRIOR_PAIRS,
    LIST_FIELDS,
    ListRecord,
    _level_matrix,
    _ListColumns,
    _seed_u,
)


def _token(a: str, b: str) -> int:
    if not a or not b:
        return 0
    if a == b:
        return 4
    if OSA.distance(a, b) <= 1:
        return 3
    return 2 if JaroWinkler.similarity(a, b) >= 0.88 else 1


def _exact(a: str, b: str) -> int:
    return (2 if a == b else 1) if a and b else 0


def _oracle(a: ListRecord, b: ListRecord) -> tuple[int, ...]:
    straight = (_token(a.given, b.given), _token(a.surname, b.surname))
    swapped = (_token(a.given, b.surname), _token(a.surname, b.given))
    given_level, surname = swapped if sum(swapped) > sum(straight) else straight
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
    fa, fb = a.features, b.features
    return (given_level, surname, _exact(a.number, b.number), street, city, postcode,
            _exact(a.state, b.state), _exact(fa.country, fb.country),
            _exact(fa.phone, fb.phone), _exact(fa.email, fb.email))  # fmt: skip


def _record(
    given_name: str, surname: str, number: str, street: str, city: str,
    postcode: str, state: str, country: str, phone: str, email: str,
) -> ListRecord:  # fmt: skip
    name = f"{given_name} {surname}".strip()
    features = PartyFeatures(name, name, False, country, phone, email)
    return ListRecord(features, given_name, surname, number, street, city, postcode, state)


def _all_pairs_agree(records: list[ListRecord]) -> None:
    n = len(records)
    left = np.array([i for i in range(n) for j in range(n) if i != j], dtype=np.int64)
    right = np.array([j for i in range(n) for j in range(n) if i != j], dtype=np.int64)
    found = _level_matrix(_ListColumns(records), left, right).tolist()
    expected = [list(_oracle(records[i], records[j])) for i, j in zip(left, right, strict=True)]
    assert found == expected


# Small vocabularies with typos, empties, diacritics and transpositions, so that every
# level of every field (exact, one edit, Jaro-Winkler, different, null) occurs.
TOKENS = ["", "anna", "ana", "anne", "hanna", "nana", "smith", "smyth", "smiht", "jose",
          "josé", "o'neil", "li", "lee", "x"]  # fmt: skip
STREETS = ["", "maple avenue", "maple avenu", "mapel avenue", "maple", "harbor view road",
           "harbour view rd", "quarry lane",
           # fuzz.ratio exactly 85 and 65 against the first: the "close" and "loose" edges
           "aaaaaaaaaabbbbbbbbbb", "aaaaaaaaaabbbbbbbccc", "aaaaaaaaaabbbccccccc"]  # fmt: skip
CITIES = ["", "springfield", "springfeld", "springvale", "dayton", "daytona"]
POSTCODES = ["", "62704", "62705", "62740", "6270", "45402"]
SHORT = ["", "1", "12", "x"]

record_values = st.builds(
    _record, st.sampled_from(TOKENS), st.sampled_from(TOKENS), st.sampled_from(SHORT),
    st.sampled_from(STREETS) | st.text("abé ", max_size=8), st.sampled_from(CITIES),
    st.sampled_from(POSTCODES), st.sampled_from(SHORT), st.sampled_from(SHORT),
    st.sampled_from(SHORT), st.sampled_from(SHORT),
)  # fmt: skip


@given(st.lists(record_values, min_size=2, max_size=10))
def test_vectorized_levels_match_the_pair_by_pair_oracle(records: list[ListRecord]) -> None:
    _all_pairs_agree(records)


def test_every_combination_of_the_vocabularies_matches_the_oracle() -> None:
    records = [
        _record(g, s, n, st_, c, p, "il", "US", "", "")
        for k, (g, s) in enumerate((g, s) for g in TOKENS for s in TOKENS[::2])
        for n, st_, c, p in [
            (SHORT[k % 4], STREETS[k % len(STREETS)], CITIES[k % 6], POSTCODES[k % 6])
        ]
    ]
    _all_pairs_agree(records)


def test_u_seeding_counts_the_oracle_levels_of_the_random_pairs() -> None:
    records = [_record(g, s, "1", "maple avenue", "dayton", "45402", "oh", "US", "", "")
               for g in TOKENS for s in TOKENS]  # fmt: skip
    config = ResolverConfig(u_sample_pairs=500)
    rng = np.random.default_rng(config.seed)
    x, y = rng.integers(0, len(records), 500), rng.integers(0, len(records), 500)
    counts = np.zeros((10, 5))
    for i, j in zip(x.tolist(), y.tolist(), strict=True):
        if i != j:
            for f, level in enumerate(_oracle(records[i], records[j])):
                counts[f][level] += 1
    seeded = _seed_u(_ListColumns(records), len(records), config)
    for f, spec in enumerate(LIST_FIELDS):
        prior, observed = np.asarray(spec.prior_u), counts[f][1 : spec.radix]
        seen = float(observed.sum())
        share = observed / seen if seen else prior
        u = (share * seen + prior * _U_PRIOR_PAIRS) / (seen + _U_PRIOR_PAIRS)
        assert seeded[f].tolist() == (np.maximum(u, 1e-6) / np.maximum(u, 1e-6).sum()).tolist()
