"""What a typology detector is: an abstract base class, its hits and its findings.

A detector reads a ``Projection`` and returns ``Hit``s, each anchored to the parties or
identifiers it concerns; scoring places a hit in every network that holds one of its
anchors, then asks the typology to ``summarize`` the hits of one network into reasons.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

import numpy as np

from graphintel.analytics.arrays import IntArray
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection


@dataclass(frozen=True)
class Hit:
    """One flagged pattern with the reason an investigator reads and the ids to check."""

    typology: str
    reason: str
    evidence: tuple[str, ...]  # node ids (parties, identifiers, shipments)
    anchors: tuple[int, ...]  # nodes of the projection's unified index space
    points: float  # 1.0 at the typology's threshold, growing slowly above it
    shipments: tuple[int, ...] = ()  # shipment indices behind the hit


@dataclass(frozen=True)
class Finding:
    """One reason of one network, as scoring ranks and stores it."""

    typology: str
    reason: str
    evidence: tuple[str, ...]
    points: float


def strength(count: float, threshold: float) -> float:
    """Points for ``count`` against a threshold: 1 at the threshold, +1 per doubling."""
    return 1.0 + math.log2(max(count, threshold) / threshold)


def group_by(values: IntArray, n_groups: int) -> tuple[IntArray, IntArray]:
    """Indices of ``values`` sorted by value, and the bounds of each value's slice.

    Members of group ``g`` are ``order[bounds[g]:bounds[g + 1]]``; negative values are skipped.
    """
    valid = np.flatnonzero(values >= 0)
    order = valid[np.argsort(values[valid], kind="stable")]
    bounds = np.searchsorted(values[order], np.arange(n_groups + 1))
    return order, bounds


class Typology(ABC):
    """A detector of one laundering or evasion pattern, registered by ``name``."""

    name: ClassVar[str]
    description: ClassVar[str]

    @abstractmethod
    def detect(self, projection: Projection, config: AnalysisConfig) -> list[Hit]:
        """Every occurrence of the pattern in the projection (hubs excluded)."""

    def summarize(
        self, hits: Sequence[Hit], projection: Projection, config: AnalysisConfig
    ) -> list[Finding]:
        """The reasons one network's hits of this typology give (one per hit by default)."""
        return [Finding(h.typology, h.reason, h.evidence, h.points) for h in hits]
