"""A Fellegi-Sunter match model whose m and u probabilities are estimated without labels.

Every candidate pair becomes a comparison vector: one level per field (0 means null: a
value missing on either side, or an identifier too common to mean anything). Under the
model a level's Bayes factor is ``m / u``, the odds of seeing it among matches versus
non-matches, and a pair's match weight is the prior log-odds plus the sum of the fields'
``log2(m / u)``.

m, u and the match share ``lambda`` are fitted by expectation-maximisation on the counts of
the distinct comparison vectors (a few hundred, however many pairs there are), so fitting
never loops over pairs in Python. The fit is a MAP estimate: the documented prior
probabilities act as a few pseudo-pairs, which keeps a store of five shipments from
fitting nonsense while thousands of pairs outweigh the prior at once. u starts from a
sample of random record pairs (as Splink does) and exact-agreement u from the value
frequencies.

Term-frequency adjustment (as in Splink): agreeing exactly on a value that many records
carry ("john smith", a warehouse address) says less than agreeing on a rare one; the exact
level's weight gains ``log2(u_random / p_value)``, where ``p_value`` is the value's share of
records and ``u_random`` the chance two random records agree on that field.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt

from graphintel.evidence_weights import PROBABILITY_FLOOR, term_adjustment

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One compared field: its level labels (levels 1..k; 0 is null), its prior m and u per
    level, and which level (if any) is term-frequency adjusted."""

    name: str
    levels: tuple[str, ...]
    prior_m: tuple[float, ...]
    prior_u: tuple[float, ...]
    tf_level: int = 0

    @property
    def radix(self) -> int:
        return len(self.levels) + 1

    def level(self, label: str) -> int:
        return self.levels.index(label) + 1


@dataclass(frozen=True)
class TermFrequencies:
    """Relative frequency of each value of one field among the records."""

    counts: Mapping[str, int]
    total: int

    @classmethod
    def of(cls, values: Iterable[str]) -> TermFrequencies:
        counts = Counter(filter(None, values))
        return cls(counts, sum(counts.values()))

    @cached_property
    def u_random(self) -> float:
        """Chance that two records drawn at random (values present) agree exactly."""
        if self.total < 2:
            return 1.0
        return sum(c * c for c in self.counts.values()) / (self.total * self.total)

    def adjustment(self, value: str) -> float:
        """Bits added to an exact agreement on ``value`` (negative for common values)."""
        return term_adjustment(self.counts.get(value, 1), self.total, self.u_random)

    def summary(self, top: int = 10) -> dict[str, Any]:
        # nsmallest is sorted(...)[:top] without sorting every value
        common = heapq.nsmallest(top, self.counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return {
            "parties": self.total,
            "distinct_values": len(self.counts),
            "u_random": self.u_random,
            "most_common": [
                {"value": v, "parties": c, "adjustment": self.adjustment(v)} for v, c in common
            ],
        }


@dataclass(frozen=True, slots=True)
class EMResult:
    m: list[FloatArray]
    u: list[FloatArray]
    lam: float
    iterations: int
    converged: bool


def encode(levels: npt.ArrayLike, fields: Sequence[FieldSpec]) -> IntArray:
    """Comparison vectors (rows of levels) as one mixed-radix integer each."""
    arr = np.asarray(levels, dtype=np.int64).reshape(-1, len(fields))
    code = np.zeros(len(arr), dtype=np.int64)
    for f, spec in enumerate(fields):
        code = code * spec.radix + arr[:, f]
    return code


def decode(codes: npt.ArrayLike, fields: Sequence[FieldSpec]) -> IntArray:
    """The rows of levels behind ``encode``'s integers."""
    code = np.asarray(codes, dtype=np.int64).copy()
    out = np.zeros((len(code), len(fields)), dtype=np.int64)
    for f in range(len(fields) - 1, -1, -1):
        out[:, f] = code % fields[f].radix
        code //= fields[f].radix
    return out


def sorted_unique(values: npt.NDArray[Any]) -> npt.NDArray[Any]:
    """``np.unique`` of integers by sorting: numpy 2's hash-based ``np.unique`` measured
    100x slower on millions of pair codes."""
    values = np.sort(values)
    keep = np.ones(len(values), dtype=bool)
    keep[1:] = values[1:] != values[:-1]
    out: npt.NDArray[Any] = values[keep]
    return out


def _normalised(values: npt.ArrayLike) -> FloatArray:
    arr = np.clip(np.asarray(values, dtype=np.float64), PROBABILITY_FLOOR, None)
    out: FloatArray = arr / arr.sum()
    return out


def _with_null(probabilities: FloatArray) -> FloatArray:
    """Prepend the null level's factor 1, so indexing by level gives log 0 for nulls."""
    return np.concatenate(([1.0], probabilities))


def fit_em(
    patterns: IntArray,
    counts: npt.ArrayLike,
    fields: Sequence[FieldSpec],
    m0: Sequence[FloatArray],
    u0: Sequence[FloatArray],
    lam0: float,
    *,
    fix_u: bool = False,
    prior_pairs: float = 0.0,
    prior_m: Sequence[FloatArray] | None = None,
    prior_u: Sequence[FloatArray] | None = None,
    max_iterations: int = 200,
    tolerance: float = 1e-7,
) -> EMResult:
    """EM for m, u (unless ``fix_u``) and lambda on distinct comparison vectors.

    ``patterns`` holds one row of levels per distinct vector and ``counts`` how many pairs
    showed it. With ``prior_pairs`` > 0, ``prior_m``/``prior_u`` add that many pseudo-pairs
    to each class's level counts (a MAP estimate under Dirichlet priors).
    """
    weights = np.asarray(counts, dtype=np.float64)
    m = [_normalised(x) for x in m0]
    u = [_normalised(x) for x in u0]
    lam = min(max(lam0, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR)
    pm = prior_m or m0
    pu = prior_u or u0
    converged = False
    iteration = 0
    for iteration in range(1, max_iterations + 1):  # noqa: B007 - reported after the loop
        log_m = np.zeros(len(patterns))
        log_u = np.zeros(len(patterns))
        for f in range(len(fields)):
            log_m += np.log(_with_null(m[f])[patterns[:, f]])
            log_u += np.log(_with_null(u[f])[patterns[:, f]])
        log_odds = math.log(lam) - math.log1p(-lam) + log_m - log_u
        posterior = 1.0 / (1.0 + np.exp(-np.clip(log_odds, -700, 700)))
        wm = weights * posterior
        wu = weights * (1.0 - posterior)
        new_lam = (wm.sum() + prior_pairs * lam0) / (weights.sum() + prior_pairs)
        new_m: list[FloatArray] = []
        new_u: list[FloatArray] = []
        for f, spec in enumerate(fields):
            k = spec.radix
            cm = np.bincount(patterns[:, f], weights=wm, minlength=k)[1:]
            new_m.append(_normalised(cm + prior_pairs * pm[f]))
            if fix_u:
                new_u.append(u[f])
            else:
                cu = np.bincount(patterns[:, f], weights=wu, minlength=k)[1:]
                new_u.append(_normalised(cu + prior_pairs * pu[f]))
        change = max(
            abs(new_lam - lam),
            max(float(np.abs(a - b).max()) for a, b in zip(new_m, m, strict=True)),
            max(float(np.abs(a - b).max()) for a, b in zip(new_u, u, strict=True)),
        )
        m, u, lam = new_m, new_u, float(min(max(new_lam, PROBABILITY_FLOOR), 1 - PROBABILITY_FLOOR))
        if change < tolerance:
            converged = True
            break
    return EMResult(m, u, lam, iteration, converged)


@dataclass(slots=True)
class FSModel:
    """A fitted model: m, u per field level, lambda, TF tables and the decision threshold."""

    fields: tuple[FieldSpec, ...]
    m: list[FloatArray]
    u: list[FloatArray]
    lam: float
    threshold: float  # match probability a pair needs
    tf: dict[str, TermFrequencies] = field(default_factory=dict)
    fit: dict[str, Any] = field(default_factory=dict)  # pairs, patterns, iterations, ...

    @property
    def prior_weight(self) -> float:
        return math.log2(self.lam / (1 - self.lam))

    @property
    def threshold_weight(self) -> float:
        """The match weight equivalent to ``threshold``."""
        return math.log2(self.threshold / (1 - self.threshold))

    def level_weights(self) -> list[FloatArray]:
        """log2(m/u) per field, indexed by level (0 for null).

        A field's lowest level (disagreement) never counts for a match and its highest
        (exact agreement) never against one, whatever a sparse fit says: on a store where
        every record shares one phone, disagreeing on it is rare among matches and
        non-matches alike, and its m/u ratio is noise.
        """
        out: list[FloatArray] = []
        for m, u in zip(self.m, self.u, strict=True):
            w = np.log2(m / u)
            w[0] = min(w[0], 0.0)
            w[-1] = max(w[-1], 0.0)
            out.append(np.concatenate(([0.0], w)))
        return out

    def pattern_weights(self, codes: npt.ArrayLike) -> FloatArray:
        """Prior plus field weights of each encoded comparison vector (no TF adjustment)."""
        levels = decode(codes, self.fields)
        total = np.full(len(levels), self.prior_weight)
        for f, w in enumerate(self.level_weights()):
            total += w[levels[:, f]]
        return total

    def weight(self, field_index: int, level: int) -> float:
        return float(self.level_weights()[field_index][level])

    @staticmethod
    def probability(weight: float) -> float:
        return 1.0 / (1.0 + math.pow(2.0, -weight))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready description, as saved with each resolve run."""
        weights = self.level_weights()
        return {
            "model": "fellegi_sunter",
            "lambda": self.lam,
            "prior_weight": self.prior_weight,
            "threshold_probability": self.threshold,
            "threshold_weight": self.threshold_weight,
            "fields": [
                {
                    "field": spec.name,
                    "tf_adjusted_level": spec.levels[spec.tf_level - 1] if spec.tf_level else "",
                    "levels": [
                        {
                            "level": label,
                            "m": float(self.m[f][k]),
                            "u": float(self.u[f][k]),
                            "weight": float(weights[f][k + 1]),
                        }
                        for k, label in enumerate(spec.levels)
                    ],
                }
                for f, spec in enumerate(self.fields)
            ],
            "term_frequencies": {name: tf.summary() for name, tf in self.tf.items()},
            "fit": self.fit,
        }

    @classmethod
    def from_dict(cls, doc: Mapping[str, Any], fields: Sequence[FieldSpec]) -> FSModel:
        """The model ``to_dict`` described (TF tables keep only their summary)."""
        by_name = {f["field"]: f for f in doc["fields"]}
        m = [np.array([lv["m"] for lv in by_name[s.name]["levels"]]) for s in fields]
        u = [np.array([lv["u"] for lv in by_name[s.name]["levels"]]) for s in fields]
        tf = {
            name: TermFrequencies(
                {e["value"]: int(e["parties"]) for e in summary["most_common"]},
                int(summary["parties"]),
            )
            for name, summary in doc.get("term_frequencies", {}).items()
        }
        return cls(
            tuple(fields), m, u, float(doc["lambda"]), float(doc["threshold_probability"]),
            tf, dict(doc.get("fit", {})),
        )  # fmt: skip
