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

The walk is solved on the parts of the graph that hold a seed, not by igraph's PRPACK
over the whole graph: no mass ever reaches a part without a seed (the walk restarts at the
seeds, and a dead end restarts there too), and most of the graph's nodes sit in the one
part a daily load always touches, so reusing parts would save little; PRPACK's
preprocessing, though, cost six times the iteration (0.68 s against 0.11 s on a
50k-shipment store's 147k-node seeded part) and grew with the history. The iteration is
Chebyshev's semi-iteration (``restart_walk``) rather than plain power iteration: the walk's
eigenvalues are real and within [-1, 1], so it reaches the same tolerance in about a third
of the matrix products (56 against 168 on a 190k-shipment store's 552k-node part), and
the matrix products are what grows with the history. Those products run over the nodes that
are not leaves only: a leaf (most identifiers are one party's) is solved for in closed form
from the node it hangs on (448k of those 552k nodes). It agrees with networkx to 1e-11 seed
units (``tests/analytics/test_risk_flow.py``: networkx is the oracle), far below the six
decimals a score keeps.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]

from graphintel.analytics.arrays import BoolArray, FloatArray, IntArray
from graphintel.analytics.components import component_labels
from graphintel.analytics.config import AnalysisConfig
from graphintel.analytics.projection import Projection
from graphintel.analytics.typologies import Hit

logger = logging.getLogger(__name__)

SEED_TYPOLOGIES = ("seizure", "watchlist_hit")
# The walk stops when a step moves less than this share of its mass in all.
TOLERANCE = 1e-13
MAX_ITERATIONS = 1000
_CHECK_EVERY = 8


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
    mass = np.zeros(projection.n_nodes, dtype=np.float64)
    if total <= 0:
        return RiskFlow(seeds, mass)
    src, dst, weight = edges
    keep = ~projection.node_is_hub()
    mask = keep[src] & keep[dst]
    src, dst, weight = src[mask], dst[mask], weight[mask]
    del edges, keep, mask  # not held through the walk (``analyze_store`` passes its own copy)
    reached = _seeded_parts(projection.n_nodes, src, dst, seeds)
    nodes = np.flatnonzero(reached)
    local = np.full(projection.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    inside = reached[src]  # an edge lies in one part: both ends are reached or neither
    walked = (local[src[inside]], local[dst[inside]], weight[inside])
    del src, dst, weight, inside, local  # the walk's matrix is built without them
    mass[nodes] = total * restart_walk(len(nodes), *walked, seeds[nodes], alpha)
    logger.info(
        "risk flow from %.1f seed units over %d edges of %d nodes",
        total,
        len(walked[0]),
        len(nodes),
    )
    return RiskFlow(seeds, mass)


def _seeded_parts(n_nodes: int, src: IntArray, dst: IntArray, seeds: FloatArray) -> BoolArray:
    """Nodes in a connected part of the graph that holds a positive seed."""
    parts = component_labels(n_nodes, src, dst)
    seeded = np.zeros(parts.count + 1, dtype=bool)  # the last slot: label -1 (none here)
    seeded[parts.labels[seeds > 0]] = True
    return np.asarray(seeded[parts.labels], dtype=bool)


def restart_walk(
    n_nodes: int,
    src: IntArray,
    dst: IntArray,
    weight: FloatArray,
    reset: FloatArray,
    alpha: float,
) -> FloatArray:
    """Personalized PageRank of an undirected weighted graph (unit total): the fixed point
    of ``x = (1 - alpha) v + alpha (W x + d v)``, ``v`` the reset vector scaled to 1, ``W``
    the walk along edges in proportion to their weight, ``d`` the mass at dead ends
    (networkx's and igraph's reading).

    The dead ends' mass returns along ``v``, so ``x`` is proportional to the solution ``y``
    of ``y = v + alpha W y``. Leaves (a node on one edge whose other end is on more: most
    identifiers, used by one party) are solved for in closed form (``_Leaves``), and the
    rest by Chebyshev's semi-iteration (``_chebyshev``). Deterministic: matrix products,
    element-wise steps and sums only (no dot products, whose BLAS kernels may sum in an
    order that depends on memory alignment), so the same graph in the same node order gives
    the same bits and a daily and a full analysis agree."""
    v = reset / float(reset.sum())
    ends = np.concatenate([src, dst])
    entries = np.bincount(ends, minlength=n_nodes)
    degree = np.asarray(
        np.bincount(ends, np.concatenate([weight, weight]), minlength=n_nodes), dtype=np.float64
    )
    del ends
    leaves = _Leaves.of(n_nodes, src, dst, weight, entries, degree)
    del entries
    core = leaves.core
    local = np.full(n_nodes, -1, dtype=np.int64)
    local[core] = np.arange(len(core))
    inner = leaves.inner_edges
    a, b, w = local[src[inner]], local[dst[inner]], weight[inner]
    n_core = len(core)
    # Indices in the matrix's own index type (int32 below 2**31 nodes): scipy would
    # otherwise copy them into it, holding both while it builds the matrix.
    index = np.int32 if n_core < 2**31 else np.int64
    share = leaves.share[core]
    diagonal = np.flatnonzero(share > 0)  # nodes with leaves: out to them and straight back
    frm = np.concatenate([a, b, diagonal]).astype(index)
    to = np.concatenate([b, a, diagonal]).astype(index)
    steps = np.concatenate([w, w]) * alpha / degree[core][frm[: 2 * len(w)]]
    back = alpha * alpha * share[diagonal]
    walk = csr_matrix((np.concatenate([steps, back]), (to, frm)), shape=(n_core, n_core))
    del frm, to, steps, back, a, b, w, local, share, degree
    y = np.zeros(n_nodes, dtype=np.float64)
    y[core] = _chebyshev(walk, leaves.reset(v, alpha)[core], alpha)
    leaves.fill(y, v, alpha)
    return np.asarray(y / float(y.sum()), dtype=np.float64)


@dataclass(frozen=True, eq=False)
class _Leaves:
    """The leaves of the walk's graph, each with the one node it hangs on.

    For a leaf ``l`` on node ``p`` (all of ``l``'s walk goes to ``p``), ``y_l = v_l +
    alpha (w_l / D_p) y_p``; put into ``p``'s equation, ``p`` gets ``alpha v_l`` more
    restart weight and a walk back to itself of ``alpha^2 w_l / D_p``: the same solution on
    the other nodes (a Schur complement, whose walk keeps its spectrum within
    [-alpha, alpha], so Chebyshev's steps stay valid), and ``y_l`` from ``y_p`` after.
    Two leaves on one edge (a part of two nodes) are kept as they are."""

    leaf: IntArray
    parent: IntArray
    weight: FloatArray  # of the leaf's edge
    share: FloatArray  # per node: the share of its weighted degree that goes to its leaves
    core: IntArray  # the nodes that are not leaves, in order
    inner_edges: BoolArray  # the edges between two core nodes
    parent_degree: FloatArray  # per leaf

    @classmethod
    def of(
        cls,
        n_nodes: int,
        src: IntArray,
        dst: IntArray,
        weight: FloatArray,
        entries: IntArray,
        degree: FloatArray,
    ) -> _Leaves:
        src_leaf, dst_leaf = entries[src] == 1, entries[dst] == 1
        hangs = src_leaf != dst_leaf  # exactly one end a leaf: the other is on more edges
        leaf = np.where(src_leaf, src, dst)[hangs]
        parent = np.where(src_leaf, dst, src)[hangs]
        w = weight[hangs]
        is_leaf = np.zeros(n_nodes, dtype=bool)
        is_leaf[leaf] = True
        to_leaves = np.bincount(parent, w, minlength=n_nodes)
        share = np.divide(to_leaves, degree, out=np.zeros(n_nodes), where=degree > 0)
        return cls(
            leaf=leaf,
            parent=parent,
            weight=w,
            share=share,
            core=np.flatnonzero(~is_leaf),
            inner_edges=~hangs,
            parent_degree=degree[parent],
        )

    def reset(self, v: FloatArray, alpha: float) -> FloatArray:
        """The core's restart weights: its own, and ``alpha`` times its leaves'."""
        out = v.copy()
        out += alpha * np.bincount(self.parent, v[self.leaf], minlength=len(v))
        return out

    def fill(self, y: FloatArray, v: FloatArray, alpha: float) -> None:
        """The leaves' values from their parents'."""
        y[self.leaf] = v[self.leaf] + alpha * (self.weight / self.parent_degree) * y[self.parent]


def _chebyshev(walk: csr_matrix, v: FloatArray, alpha: float) -> FloatArray:
    """``y = v + walk y`` by Chebyshev's semi-iteration, the walk's spectrum within
    [-alpha, alpha] (similar to a symmetric matrix of spectral radius at most ``alpha``):
    the error shrinks by ``alpha / (1 + sqrt(1 - alpha^2))`` a step (0.56 at 0.85) against
    ``alpha`` for power iteration (Golub and Varga, "Chebyshev semi-iterative methods",
    1961)."""
    before, y = v, walk @ v  # the first step: y1 = v + walk v
    y += v
    omega = 1.0 / (1.0 - alpha * alpha / 2.0)
    for k in range(2, MAX_ITERATIONS):
        step = walk @ y
        step += v
        step -= before
        step *= omega
        step += before
        # The change is measured every few steps only: it costs as much as a step.
        if k % _CHECK_EVERY == 0:
            moved = float(np.abs(step - y).sum())
            if moved < TOLERANCE * float(step.sum()):
                y = step
                break
        before, y = y, step
        omega = 1.0 / (1.0 - alpha * alpha * omega / 4.0)
    return np.asarray(y, dtype=np.float64)
