"""Pairwise precision and recall of a resolution against ground truth.

The standard entity-resolution measure (as in splink and the Febrl benchmarks): every pair
of mentions put in one entity is a predicted link; precision is the share of predicted
links that are true, recall the share of true links that were predicted. Counting goes
through cluster-intersection sizes, never through the pairs themselves.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class PairwiseScores:
    true_links: int
    predicted_links: int
    correct_links: int

    @property
    def precision(self) -> float:
        return self.correct_links / self.predicted_links if self.predicted_links else 1.0

    @property
    def recall(self) -> float:
        return self.correct_links / self.true_links if self.true_links else 1.0


def _links(sizes: Iterable[int]) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(
    predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]
) -> PairwiseScores:
    """Score ``predicted`` (mention -> entity) against ``truth`` (mention -> true entity).

    Only mentions present in both mappings count.
    """
    common = predicted.keys() & truth.keys()
    by_pred = Counter(predicted[m] for m in common)
    by_truth = Counter(truth[m] for m in common)
    by_both = Counter((predicted[m], truth[m]) for m in common)
    return PairwiseScores(
        true_links=_links(by_truth.values()),
        predicted_links=_links(by_pred.values()),
        correct_links=_links(by_both.values()),
    )
