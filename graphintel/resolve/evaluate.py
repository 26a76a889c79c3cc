"""Precision and recall of a resolution against ground truth.

The standard entity-resolution measure (as in splink and the Febrl benchmarks) is pairwise:
every pair of mentions put in one entity is a predicted link; precision is the share of
predicted links that are true, recall the share of true links that were predicted. Pairwise
scores are dominated by big clusters, so ``er_metrics`` adds two cluster-level views:
B-cubed (per mention, the share of its predicted cluster that is truly its entity, and of
its true entity that it was put with) and exact cluster matches. Counting goes through
cluster-intersection sizes, never through the pairs themselves.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from graphintel.errors import InputFileError
from graphintel.records import mention_id


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

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


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


@dataclass(frozen=True, slots=True)
class ErMetrics:
    """Pairwise, B-cubed and exact-cluster scores of one resolution against ground truth."""

    mentions: int  # in both the resolution and the truth: the ones scored
    only_predicted: int  # in the resolution, not in the truth (not scored)
    only_truth: int  # in the truth, not in the resolution (not scored)
    predicted_clusters: int
    true_clusters: int
    pairwise: PairwiseScores
    bcubed_precision: float
    bcubed_recall: float
    exact_clusters: int  # predicted clusters equal to a true cluster

    @property
    def bcubed_f1(self) -> float:
        return _f1(self.bcubed_precision, self.bcubed_recall)

    @property
    def cluster_precision(self) -> float:
        """Share of predicted clusters that are exactly a true entity."""
        return self.exact_clusters / self.predicted_clusters if self.predicted_clusters else 1.0

    @property
    def cluster_recall(self) -> float:
        """Share of true entities found exactly as one predicted cluster."""
        return self.exact_clusters / self.true_clusters if self.true_clusters else 1.0

    def as_dict(self) -> dict[str, Any]:
        p = self.pairwise
        out = {k: v for k, v in asdict(self).items() if k != "pairwise"}
        out.update(
            pairwise_precision=p.precision, pairwise_recall=p.recall, pairwise_f1=p.f1,
            true_links=p.true_links, predicted_links=p.predicted_links,
            correct_links=p.correct_links, bcubed_f1=self.bcubed_f1,
            cluster_precision=self.cluster_precision, cluster_recall=self.cluster_recall,
        )  # fmt: skip
        return out


def er_metrics(predicted: Mapping[str, Hashable], truth: Mapping[str, Hashable]) -> ErMetrics:
    """Score ``predicted`` (mention -> entity) against ``truth`` (mention -> true entity) on
    the mentions both name; the others are only counted."""
    common = predicted.keys() & truth.keys()
    by_pred = Counter(predicted[m] for m in common)
    by_truth = Counter(truth[m] for m in common)
    by_both = Counter((predicted[m], truth[m]) for m in common)
    # B-cubed: each mention in cell (c, t) has precision n_ct/|c| and recall n_ct/|t|.
    b_precision = sum(n * n / by_pred[c] for (c, _), n in by_both.items())
    b_recall = sum(n * n / by_truth[t] for (_, t), n in by_both.items())
    exact = sum(1 for (c, t), n in by_both.items() if n == by_pred[c] == by_truth[t])
    total = len(common)
    return ErMetrics(
        mentions=total,
        only_predicted=len(predicted) - total,
        only_truth=len(truth) - total,
        predicted_clusters=len(by_pred),
        true_clusters=len(by_truth),
        pairwise=PairwiseScores(
            true_links=_links(by_truth.values()),
            predicted_links=_links(by_pred.values()),
            correct_links=_links(by_both.values()),
        ),
        bcubed_precision=b_precision / total if total else 1.0,
        bcubed_recall=b_recall / total if total else 1.0,
        exact_clusters=exact,
    )


_SYNTH_ROLES = ("shipper", "consignee", "seller")
_CLUSTER_COLUMNS = ("cluster_id", "entity_id")


def read_entity_truth(path: Path) -> dict[str, str]:
    """mention or record id -> true entity, from either layout:

    - synth's ``truth.csv`` (``shipment_id`` and ``shipper_entity``, ``consignee_entity``,
      ``seller_entity``): keys are mention ids (``SHIP1#consignee``); an empty entity means
      the shipment has no such mention;
    - any ``record_id`` plus ``cluster_id`` (or ``entity_id``) file, such as a reviewed
      ``graphintel dedupe`` output or a store's ``graphintel entities`` listing.
    """
    out: dict[str, str] = {}
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = set(reader.fieldnames or ())
            roles = [r for r in _SYNTH_ROLES if f"{r}_entity" in header]
            if "shipment_id" in header and roles:
                for row in reader:
                    for role in roles:
                        if entity := row[f"{role}_entity"]:
                            out[mention_id(row["shipment_id"], role)] = entity
                return out
            return _read_clusters(reader, header, path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(str(path), str(exc)) from exc


def read_clusters(path: Path) -> dict[str, str]:
    """record id -> cluster id from a ``record_id`` plus ``cluster_id`` (or ``entity_id``)
    CSV such as ``graphintel dedupe`` writes."""
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            return _read_clusters(reader, set(reader.fieldnames or ()), path)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(str(path), str(exc)) from exc


def _read_clusters(reader: csv.DictReader[str], header: set[str], path: Path) -> dict[str, str]:
    key = next((k for k in ("record_id", "mention_id") if k in header), None)
    value = next((c for c in _CLUSTER_COLUMNS if c in header), None)
    if key is None or value is None:
        raise InputFileError(
            str(path),
            "needs record_id and cluster_id (or entity_id) columns, or synth's"
            " shipment_id with shipper_entity/consignee_entity/seller_entity",
        )
    out: dict[str, str] = {}
    for row in reader:
        record = row[key]
        if record in out:
            raise InputFileError(str(path), f"{key} {record!r} appears twice")
        if record:
            out[record] = row[value]
    return out
