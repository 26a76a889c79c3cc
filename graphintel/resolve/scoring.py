"""The pair scorer: a Fellegi-Sunter model fitted on the run's own candidate pairs.

``PairScorer.score`` compares every candidate pair into a comparison vector (the levels of
``rules``), fits the model by EM without labels, weighs all pairs with numpy and keeps those
that pass the safety rules (``rules`` documents them) and reach
``ResolverConfig.match_probability``. ``decision_evidence`` spells out a kept merge.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from operator import attrgetter, itemgetter

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from graphintel.evidence_weights import (
    MATCH_PROBABILITY,
    PAIR_TOTAL,
    EvidenceWeights,
    TermWeights,
)
from graphintel.normalize.name_compare import compare_names_cached
from graphintel.records import MergeEvidence
from graphintel.resolve.config import ProgressCallback, ResolverConfig
from graphintel.resolve.features import PartyFeatures
from graphintel.resolve.fs_model import (
    FSModel,
    IntArray,
    TermFrequencies,
    decode,
    encode,
    fit_em,
    sorted_unique,
)
from graphintel.resolve.rules import (
    _A,
    _A_DIFF,
    _A_EXACT,
    _A_SIMILAR,
    _A_STREET,
    _C,
    _E,
    _EXACT,
    _INITIAL,
    _N,
    _ONE_TYPO,
    _P,
    _TYPOS,
    ADDRESS,
    COUNTRY,
    FIELD_WEIGHTS,
    FIELDS,
    NAME,
    RULE_MODEL,
    SIMILAR_STREET,
    Decision,
    FieldScore,
    _place,
    _unit,
    decide,
    name_level,
)

logger = logging.getLogger(__name__)

# (field index, name, value a, value b, level, similarity, weight, count of the value at a
# TF-adjusted level): one field of a compared pair
FieldValues = tuple[int, str, str, str, int, float, float, int]

_U_PRIOR_PAIRS = 1_000.0  # pseudo-pairs behind the prior u when seeding from random pairs


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
        self._listed_only = False  # see ``prepare``

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
        left: npt.NDArray[np.int32],
        right: npt.NDArray[np.int32],
        hubs: Collection[str],
        progress: ProgressCallback | None = None,
        progress_every: int = 50_000,
    ) -> list[Decision]:
        """Decisions for the accepted pairs (left[k], right[k]), compared under ``hubs``."""
        records, config = self.records, self.config
        decisions: list[Decision] = []
        self._cols = _Columns(records, hubs)
        by_rules = config.scoring == "rules"
        # see is_seller_pair
        seller = np.array([bool(r.seller_id or r.market) for r in records], dtype=bool)
        ruled = np.ones(len(left), dtype=bool) if by_rules else seller[left] | seller[right]
        for i, j in zip(left[ruled].tolist(), right[ruled].tolist(), strict=True):
            rule = decide(i, records[i], j, records[j], config, hubs)
            if rule is not None:
                decisions.append(rule)
        done = int(ruled.sum())
        if progress is not None:
            progress("comparing candidate pairs", done)
        if by_rules:
            return decisions
        lefts, rights = left[~ruled], right[~ruled]
        code_arr = np.empty(len(lefts), dtype=np.int64)
        for start in range(0, len(lefts), progress_every):
            end = min(start + progress_every, len(lefts))
            code_arr[start:end] = self.compare(lefts[start:end], rights[start:end])
            if progress is not None:
                progress("comparing candidate pairs", done + end)
        self.model = self.fit(code_arr)
        if len(code_arr):
            decisions.extend(self._accepted(lefts, rights, code_arr))
        return decisions

    def compare(self, left: npt.NDArray[np.int32], right: npt.NDArray[np.int32]) -> IntArray:
        """The encoded comparison vectors (``fs_model.encode``) of pairs (left[k], right[k])."""
        levels = self.levels
        return encode([levels(i, j) for i, j in zip(left.tolist(), right.tolist(),
                                                       strict=True)], FIELDS)  # fmt: skip

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
        # a person in two places (ZIPs or cities): one shared identifier is not enough
        elsewhere = (place[left] != "") & (place[right] != "") & (place[left] != place[right])
        rare_name = name_adj[left] > 0  # rarer than a typical name
        identifiers = (phone == 2).astype(int) + (email == 2) + (address >= _A_STREET)
        conflicts = (phone == 1).astype(int) + (email == 1)
        personal = (phone == 2).astype(int) + (email == 2)
        ok = (
            (name >= _TYPOS)
            & ((name != _TYPOS) | ((identifiers >= 2) & (companies | (email == 2))))
            & (
                (identifiers > 0)
                | (companies & (name == _EXACT) & same_country & (address != _A_DIFF))
                | ((name >= _ONE_TYPO) & (address == _A_SIMILAR))
                | (~companies & (name == _EXACT) & rare_name & (address == _A_DIFF) & same_place)
            )
            & ((name != _INITIAL) | (email == 2) | (identifiers >= 2))
            & ~(~companies & elsewhere & (identifiers < 2))
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

    # -- one pair at a time (``explain``) ---------------------------------------------------
    def prepare(self, model: FSModel, hubs: Collection[str]) -> None:
        """Weigh single pairs with a saved ``model`` under ``hubs`` instead of fitting one.
        Term-frequency adjustments apply to the values the saved model lists (its most
        common); others get none."""
        self.model = model
        self._cols = _Columns(self.records, hubs)
        self._level_weights = model.level_weights()
        self._weight_table = [w.tolist() for w in self._level_weights]
        self.tf = {
            kind: TermFrequencies(model.tf[kind].counts, model.tf[kind].total)
            if kind in model.tf
            else TermFrequencies({}, 0)
            for kind in ("name", "address")
        }
        self._listed_only = True

    def _adjustment(self, kind: str, value: str) -> float:
        tf = self.tf[kind]
        if self._listed_only and value not in tf.counts:
            return 0.0
        return tf.adjustment(value)

    def rare_name(self, a: PartyFeatures) -> bool:
        """The name rarer than a typical one (its TF adjustment positive)."""
        return bool(a.name_key) and self._adjustment("name", a.name_key) > 0

    def pair_weight(self, i: int, j: int) -> float:
        """The match weight of records ``i`` and ``j`` (after ``prepare`` or ``score``)."""
        assert self.model is not None
        fields = self.values_of(i, j, self.levels(i, j))
        return self.model.prior_weight + sum(row[6] for row in fields)

    def field_scores(self, d: Decision) -> tuple[FieldScore, ...]:
        """Both values, similarity and weight (TF-adjusted) of every non-null field of ``d``."""
        return tuple(
            FieldScore(name, va, vb, FIELDS[f].levels[level - 1], sim, w)
            for f, name, va, vb, level, sim, w, _ in self.field_values(d)
        )

    def field_values(self, d: Decision) -> list[FieldValues]:
        """``field_scores`` as plain tuples (field index, name, values, level, similarity,
        weight, the value's count at a TF-adjusted level): merge evidence is built from
        them for every merge of a resolution."""
        return self.values_of(d.a, d.b, d.levels)

    def term_count(self, kind: str, value: str) -> int:
        """How many parties carry ``value`` as a TF adjustment counts them (0 for none)."""
        return self.tf[kind].counts.get(value, 1) if value else 0

    def values_of(self, i: int, j: int, levels: Sequence[int]) -> list[FieldValues]:
        """``field_values`` of records ``i`` and ``j`` compared at ``levels``."""
        a, b = self.records[i], self.records[j]
        level_weights = self._weight_table
        rows: list[FieldValues] = []
        name = levels[_N]
        if name:
            w = level_weights[_N][name]
            count = 0
            if name == NAME.tf_level:
                w = max(w + self._adjustment("name", a.name_key), 0.0)
                count = self.term_count("name", a.name_key)
            sim = name_level(a, b, self.config)[1] / 100
            rows.append((_N, "name", a.name, b.name, name, sim, w, count))
        for f, field_name, va, vb in ((_P, "phone", a.phone, b.phone),
                                      (_E, "email", a.email, b.email)):  # fmt: skip
            level = levels[f]
            if level:
                sim = 1.0 if level == FIELDS[f].radix - 1 else 0.0
                rows.append((f, field_name, va, vb, level, sim, level_weights[f][level], 0))
        address = levels[_A]
        if address:
            w = level_weights[_A][address]
            count = 0
            if address == ADDRESS.tf_level:
                w = max(w + self._adjustment("address", a.address), 0.0)
                count = self.term_count("address", a.address)
            sim = 1.0 if address == _A_EXACT else fuzz.ratio(a.street, b.street) / 100
            rows.append((_A, "address", a.address or a.street, b.address or b.street, address,
                         sim, w, count))  # fmt: skip
        country = levels[_C]
        if country:
            sim = 1.0 if country == COUNTRY.radix - 1 else 0.0
            rows.append((_C, "country", a.country, b.country, country, sim,
                         level_weights[_C][country], 0))  # fmt: skip
        return rows

    def evidence_weights(self) -> EvidenceWeights | None:
        """The fitted model's weights as stored evidence rows are weighed with on read
        (``evidence_weights``); None before a model is fitted."""
        if self.model is None:
            return None
        terms = {
            spec.name: TermWeights(spec.tf_level, self.tf[spec.name].total,
                                   self.tf[spec.name].u_random)
            for spec in FIELDS if spec.tf_level
        }  # fmt: skip
        return EvidenceWeights(
            self.model.prior_weight,
            {
                spec.name: tuple(w.tolist())
                for spec, w in zip(FIELDS, self.model.level_weights(), strict=True)
            },
            terms,
        )


# "fellegi_sunter:exact" and the like: the rule of each field level's evidence row
_MODEL_RULES = [[""] + [f"{RULE_MODEL}:{label}" for label in spec.levels] for spec in FIELDS]


def name_rule(a: PartyFeatures, b: PartyFeatures, level: int) -> str:
    """The name row's rule: the level's label, or what the comparison really did when the
    level alone would hide it (a nickname, a middle initial that differs, two words written
    as one, two typos in one word)."""
    names = compare_names_cached(a.name, b.name, a.is_company and b.is_company)
    if names.initials_differ:
        return f"{RULE_MODEL}:middle_initial_differs"
    if names.by_nickname:
        return f"{RULE_MODEL}:{'nickname' if names.edits == 0 else 'nickname_and_typo'}"
    if names.joined and level < _EXACT:
        return f"{RULE_MODEL}:words_joined"
    return _MODEL_RULES[_N][level]


def decision_evidence(
    entity_id: str, d: Decision, a: PartyFeatures, b: PartyFeatures, ma: str, mb: str
) -> list[MergeEvidence]:
    """The evidence rows of one merge: per field (both values, similarity, weight), and for
    a model decision a closing ``match_probability`` row whose weight is the match weight
    (the prior plus every field's weight)."""
    if d.rule == RULE_MODEL:
        scorer = d.scorer
        fields = scorer.field_values(d) if isinstance(scorer, PairScorer) else []
        rows = [
            MergeEvidence(entity_id, ma, mb, name, va, vb, sim, round(w, 3),
                          name_rule(a, b, level) if f == _N else _MODEL_RULES[f][level],
                          level, count)
            for f, name, va, vb, level, sim, w, count in fields
        ]  # fmt: skip
        rows.append(
            MergeEvidence(entity_id, ma, mb, MATCH_PROBABILITY, "", "",
                          round(d.probability, 6), round(d.weight, 3), d.rule, PAIR_TOTAL)
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
