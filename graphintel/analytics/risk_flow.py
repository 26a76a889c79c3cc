"""Risk flow: personalized PageRank from what is already known to be bad.

Seeds are the parties and identifiers of seized shipments (a violation counts
``violation_factor``) and the nodes a bad watchlist names. PageRank restarts at them and
walks the non-hub graph (shared identifiers plus shipper-consignee trade links), so risk
reaches the networks that trade with or share identifiers with a seized one, in
proportion to how tightly they are tied. Hubs are not in that graph: a consolidator or a
hotline cannot collect the risk of the whole market, which is what plain PageRank would
reward (it ranks by connectedness).

A network's **inflow** is the PageRank mass it holds beyond its own seeds, in seed units
(1.0 = one seized shipment's worth): a network that only keeps its own seizures' mass has
none; one next to seized networks has some although nothing of its own was seized.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from graphintel.analytics.algorithms import EdgeGraph, pagerank_scores
from graphintel.analytics.arrays import FloatArray, IntArray
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies import Hit

logger = logging.getLogger(__name__)

SEED_TYPOLOGIES = ("seizure", "watchlist_hit")


@dataclass(frozen=True, eq=False)
class RiskFlow:
    """Seed weight and personalized PageRank mass per node, both in seed units."""

    seeds: FloatArray
    mass: FloatArray

    @property
    def total(self) -> float:
        return float(self.seeds.sum())

    def inflow(self, labels: IntArray, count: int) -> FloatArray:
        """Per component label: mass held beyond the component's own seeds."""
        kept = labels >= 0
        held = np.bincount(labels[kept], weights=self.mass[kept], minlength=count)
        own = np.bincount(labels[kept], weights=self.seeds[kept], minlength=count)
        return np.asarray(np.maximum(held - own, 0.0), dtype=np.float64)


def seed_weights(
    projection: Projection, hits: Mapping[str, Sequence[Hit]], config: AnalysisConfig
) -> FloatArray:
    """Restart weight per node: each seized shipment (or bad watchlist hit) spreads its
    points over its non-hub anchors; trusted hits (negative points) are not seeds."""
    seeds = np.zeros(projection.n_nodes, dtype=np.float64)
    is_hub = projection.node_is_hub()
    for name in SEED_TYPOLOGIES:
        for hit in hits.get(name, ()):
            anchors = [a for a in hit.anchors if not is_hub[a]]
            if hit.points > 0 and anchors:
                np.add.at(seeds, anchors, hit.points / len(anchors))
    return seeds


def risk_flow(
    projection: Projection,
    edges: tuple[IntArray, IntArray, FloatArray],
    seeds: FloatArray,
    alpha: float = 0.85,
) -> RiskFlow:
    """Personalized PageRank over ``edges`` (hub ends dropped), restarting at ``seeds``."""
    total = float(seeds.sum())
    if total <= 0:
        return RiskFlow(seeds, np.zeros(projection.n_nodes, dtype=np.float64))
    src, dst, weight = edges
    keep = ~projection.node_is_hub()
    mask = keep[src] & keep[dst]
    graph = EdgeGraph(projection.n_nodes, src[mask], dst[mask], weight[mask])
    mass = pagerank_scores(graph, alpha=alpha, reset=seeds) * total
    logger.info("risk flow from %.1f seed units over %d edges", total, int(mask.sum()))
    return RiskFlow(seeds, mass)
