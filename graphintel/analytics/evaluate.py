"""How well a run's ranked networks find known rings: recall, precision and average precision.

The truth is a CSV with one row per shipment, ``shipment_id`` and ``ring_id`` (empty for a
shipment outside every ring), as ``graphintel synth`` writes it (``truth.csv``) or as a
case team can assemble from closed cases. A ring counts as found when some top-K network's
shipments have a Jaccard index of at least ``min_jaccard`` with the ring's shipments; a
top-K network is correct when it matches some ring that way.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from graphintel.errors import GraphIntelError
from graphintel.model import NodeKind, node_id
from graphintel.records import Network


class TruthFileError(GraphIntelError, ValueError):
    """The truth file is missing, unreadable or lacks its columns."""


@dataclass(frozen=True)
class Truth:
    """Shipment node ids of every ring, and every shipment the truth covers."""

    rings: dict[str, frozenset[str]]
    shipments: frozenset[str]


@dataclass(frozen=True)
class NetworkEvaluation:
    rings: int
    recall_at: int  # K for recall
    found: int
    recall: float
    precision_at: int  # K for precision
    correct: int
    precision: float
    average_precision: float  # of shipment risk scores (a shipment's best network score)
    missed: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "rings": self.rings,
            f"recall@{self.recall_at}": round(self.recall, 4),
            "rings_found": self.found,
            f"precision@{self.precision_at}": round(self.precision, 4),
            "correct_networks": self.correct,
            "average_precision": round(self.average_precision, 4),
            "missed": list(self.missed),
        }


def read_truth(path: Path) -> Truth:
    """Read ``shipment_id`` and ``ring_id`` columns of a truth CSV."""
    rings: dict[str, set[str]] = defaultdict(set)
    shipments: set[str] = set()
    try:
        with path.open(newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            missing = {"shipment_id", "ring_id"} - set(reader.fieldnames or ())
            if missing:
                raise TruthFileError(f"{path}: missing column(s) {', '.join(sorted(missing))}")
            for row in reader:
                sid = node_id(NodeKind.SHIPMENT, row["shipment_id"])
                shipments.add(sid)
                if row["ring_id"]:
                    rings[row["ring_id"]].add(sid)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise TruthFileError(f"{path}: {exc}") from exc
    return Truth({r: frozenset(s) for r, s in rings.items()}, frozenset(shipments))


def _matches(ships: frozenset[str], members: frozenset[str], min_jaccard: float) -> bool:
    inter = len(ships & members)
    return inter > 0 and inter >= min_jaccard * (len(ships) + len(members) - inter)


def average_precision(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float:
    """Average precision of ``scores`` for binary ``labels`` (ties share one threshold,
    as in scikit-learn's ``average_precision_score``)."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    positives = int(y.sum())
    if positives == 0:
        return 0.0
    order = np.argsort(-s, kind="stable")
    s, y = s[order], y[order]
    last = np.r_[np.flatnonzero(s[1:] != s[:-1]), len(s) - 1]  # end of each tie group
    tp = np.cumsum(y)[last]
    precision = tp / (last + 1)
    recall = tp / positives
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def evaluate_networks(
    networks: Sequence[Network],
    truth: Truth,
    top: int | None = None,
    min_jaccard: float = 0.5,
) -> NetworkEvaluation:
    """Recall at K (default 2 x rings), precision at K (default rings), AP of shipments."""
    ranked = sorted(networks, key=lambda n: n.rank)
    n_rings = len(truth.rings)
    recall_at = top if top is not None else 2 * n_rings
    precision_at = top if top is not None else n_rings
    matched: list[set[str]] = []
    for network in ranked[: max(recall_at, precision_at)]:
        ships = frozenset(network.shipment_ids)
        matched.append(
            {r for r, members in truth.rings.items() if _matches(ships, members, min_jaccard)}
        )
    found = set().union(*matched[:recall_at]) if recall_at else set()
    correct = sum(1 for m in matched[:precision_at] if m)
    risk: dict[str, float] = {}
    for network in ranked:
        for sid in network.shipment_ids:
            risk[sid] = max(risk.get(sid, 0.0), network.score)
    universe = sorted(truth.shipments | set(risk))
    in_ring = set().union(*truth.rings.values()) if truth.rings else set()
    ap = average_precision([risk.get(s, 0.0) for s in universe], [s in in_ring for s in universe])
    return NetworkEvaluation(
        rings=n_rings,
        recall_at=recall_at,
        found=len(found),
        recall=len(found) / n_rings if n_rings else 0.0,
        precision_at=precision_at,
        correct=correct,
        precision=correct / precision_at if precision_at else 0.0,
        average_precision=ap,
        missed=tuple(sorted(set(truth.rings) - found)),
    )
