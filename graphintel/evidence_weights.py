"""Merge evidence weights derived on read from the last resolution's model.

The resolver refits its Fellegi-Sunter model on every record each run, so the weight of
nearly every evidence row moves even where the merges it explains do not. A store
therefore keeps what a model row's weight is derived from (its field's comparison level
and, for a term-frequency adjusted level, how many parties carry the value:
``MergeEvidence.level``, ``tf_count``) with its derived columns stored as 0, plus one
row per graph holding the run's model weights (``weights_row``: entity id ``""``). A
daily run then rewrites only the rows of the merges it changes, and every reader
(``graphintel explain``, the exports, the app) gets the weights a full run computes:
``weighed`` repeats the resolver's arithmetic, in the same order, on the stored numbers.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from graphintel.records import MergeEvidence

PAIR_TOTAL = -1  # ``MergeEvidence.level`` of a model merge's closing match_probability row
JUDGED_ROW = -2  # ``MergeEvidence.level`` of the row of a merge a judgement made (fixed)
WEIGHTS_ENTITY = ""  # the entity id of the row holding the model weights
WEIGHTS_FIELD = "model_weights"
MATCH_PROBABILITY = "match_probability"
PROBABILITY_FLOOR = 1e-6  # no probability, share or u_random below it (none reaches 0)
# a ``MergeEvidence`` as the columns a store writes (``graphintel.store.base.EvidenceRow``)
StoredRow = tuple[str, str, str, str, str, str, float, float, str, int, int]


def term_adjustment(count: int, total: int, u_random: float) -> float:
    """Bits added to an exact agreement on a value ``count`` of ``total`` parties carry
    (negative for common values): the resolver weighs pairs with it
    (``fs_model.TermFrequencies``) and the stores weigh evidence rows on read with it."""
    share = count / total if total else 1.0
    return math.log2(max(u_random, PROBABILITY_FLOOR) / max(share, PROBABILITY_FLOOR))


@dataclass(frozen=True, slots=True)
class TermWeights:
    """What a field's term-frequency adjustment needs besides a value's count."""

    level: int  # the adjusted level (exact agreement)
    total: int  # parties that carry a value of the field
    u_random: float  # chance two random parties agree on it

    def adjustment(self, count: int) -> float:
        """``TermFrequencies.adjustment`` of a value ``count`` parties carry."""
        return term_adjustment(count, self.total, self.u_random)


@dataclass(frozen=True, slots=True)
class EvidenceWeights:
    """A fitted model's weights as evidence rows need them: the prior, each field's
    weight per level (index 0, null, weighs 0), and the term-frequency adjusted fields."""

    prior: float
    levels: dict[str, tuple[float, ...]]
    terms: dict[str, TermWeights]

    def to_json(self) -> str:
        """Floats as ``repr`` writes them: they read back bit for bit."""
        return json.dumps(
            {
                "prior": self.prior,
                "levels": {f: list(w) for f, w in self.levels.items()},
                "terms": {
                    f: {"level": t.level, "total": t.total, "u_random": t.u_random}
                    for f, t in self.terms.items()
                },
            }
        )

    @classmethod
    def from_json(cls, text: str) -> EvidenceWeights:
        doc = json.loads(text)
        return cls(
            float(doc["prior"]),
            {f: tuple(float(x) for x in w) for f, w in doc["levels"].items()},
            {
                f: TermWeights(int(t["level"]), int(t["total"]), float(t["u_random"]))
                for f, t in doc["terms"].items()
            },
        )

    def field_weight(self, row: MergeEvidence) -> float:
        """A field row's weight: its level's, adjusted for the value's frequency at the
        adjusted level, never below 0 (``PairScorer.values_of``)."""
        w = self.levels[row.field][row.level]
        term = self.terms.get(row.field)
        if term is not None and row.level == term.level:
            # (an empty value is counted once there, and not adjusted in the pair weight)
            w = max(w + term.adjustment(row.tf_count or 1), 0.0)
        return w

    def pair_weight(self, fields: Sequence[MergeEvidence]) -> float:
        """A merge's match weight from its field rows, summed as ``PairScorer._accepted``
        sums it: the prior, each field's level weight in field order, then the adjustment
        of each adjusted field (bounded below by minus its level weight)."""
        total = self.prior
        for row in fields:
            total += self.levels[row.field][row.level]
        for row in fields:
            term = self.terms.get(row.field)
            if term is not None and row.level == term.level:
                adjusted = term.adjustment(row.tf_count) if row.tf_count else 0.0
                total += max(adjusted, -self.levels[row.field][term.level])
        return total


def weights_row(weights: EvidenceWeights) -> MergeEvidence:
    """The row that holds a graph's model weights."""
    return MergeEvidence(WEIGHTS_ENTITY, "", "", WEIGHTS_FIELD, weights.to_json(), "", 0.0, 0.0, "")


def stored(row: MergeEvidence) -> MergeEvidence:
    """The row as a store keeps it: derived columns 0, so it stays what it is while the
    model moves (a fixed-weight row as it is)."""
    return MergeEvidence(*stored_row(row))


def stored_row(e: MergeEvidence) -> StoredRow:
    """``stored`` as the row of columns a store writes, built in one step: a run stages
    every row it writes this way."""
    level = e.level
    if level == 0 or level == JUDGED_ROW:
        return (e.entity_id, e.mention_a, e.mention_b, e.field, e.value_a, e.value_b,
                e.similarity, e.weight, e.rule, level, e.tf_count)  # fmt: skip
    similarity = 0.0 if level == PAIR_TOTAL else e.similarity
    return (e.entity_id, e.mention_a, e.mention_b, e.field, e.value_a, e.value_b,
            similarity, 0.0, e.rule, level, e.tf_count)  # fmt: skip


def weighed(rows: Iterable[MergeEvidence], weights: EvidenceWeights | None) -> list[MergeEvidence]:
    """Stored rows of one entity as the resolver made them, in its order: derived weights
    filled in (a field row's weight; on a merge's closing row its match probability and
    weight, from the merge's field rows), and the merges strongest first as clustering
    applied them (``cluster``: by score, then by the two records, which are in mention id
    order), those a judgement made last. A day rewrites only the rows of merges that
    changed, so the store's order is not the resolver's. Without ``weights`` (a store
    written before they were kept, or a resolution by fixed rules only) as stored."""
    if weights is None:
        return list(rows)
    merges: list[tuple[float, str, str, list[MergeEvidence]]] = []
    judged: list[MergeEvidence] = []
    merge: list[MergeEvidence] = []
    for row in rows:
        if row.level == JUDGED_ROW:
            judged.append(row)
            continue
        if merge and (row.mention_a, row.mention_b) != (merge[0].mention_a, merge[0].mention_b):
            merges.append(_weighed_merge(merge, weights))
            merge = []
        merge.append(row)
    if merge:
        merges.append(_weighed_merge(merge, weights))
    merges.sort(key=lambda m: (-m[0], m[1], m[2]))
    return [row for m in merges for row in m[3]] + judged


def _weighed_merge(
    rows: list[MergeEvidence], weights: EvidenceWeights
) -> tuple[float, str, str, list[MergeEvidence]]:
    """One merge's rows weighed, with its score as clustering ordered by it
    (``Decision.score``): a model merge's match weight, a fixed rule's name similarity
    plus the weights of the fields it saw agree."""
    first = rows[0]
    if rows[-1].level != PAIR_TOTAL:  # a fixed rule's merge: stored as it was made
        return (
            first.similarity + sum(r.weight for r in rows[1:]),
            first.mention_a,
            first.mention_b,
            rows,
        )
    fields = rows[:-1]
    w = weights.pair_weight(fields)
    probability = 1.0 / (1.0 + math.pow(2.0, -w))
    out = [replace(r, weight=round(weights.field_weight(r), 3)) for r in fields]
    out.append(replace(rows[-1], similarity=round(probability, 6), weight=round(w, 3)))
    return w, first.mention_a, first.mention_b, out


def read_weights(rows: Iterable[MergeEvidence]) -> EvidenceWeights | None:
    """The model weights held by the weights row among ``rows``, if any."""
    for row in rows:
        if row.entity_id == WEIGHTS_ENTITY and row.field == WEIGHTS_FIELD:
            return EvidenceWeights.from_json(row.value_a)
    return None
