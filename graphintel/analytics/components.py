"""Connected components over shared identifiers, after hub suppression.

Two parties fall in one component when a chain of non-hub identifiers links them. Hubs are
left out entirely (label ``-1``), so a marketplace hotline cannot fuse its 300 callers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components as _sparse_components,
)

from graphintel.analytics.algorithms import EdgeGraph
from graphintel.analytics.arrays import BoolArray, FloatArray, IntArray, distinct
from graphintel.analytics.projection import Projection

logger = logging.getLogger(__name__)

Labeller = Callable[..., IntArray]


@dataclass(frozen=True, eq=False)
class Components:
    """Component label per node of a projection's unified index space (``-1`` = left out)."""

    labels: IntArray
    count: int

    def members(self) -> list[IntArray]:
        """The node indices of each component, ordered by component label."""
        kept = np.flatnonzero(self.labels >= 0)
        order = kept[np.argsort(self.labels[kept], kind="stable")]
        bounds = np.searchsorted(self.labels[order], np.arange(self.count + 1))
        return [order[bounds[c] : bounds[c + 1]] for c in range(self.count)]

    def sizes(self) -> IntArray:
        return np.bincount(self.labels[self.labels >= 0], minlength=self.count).astype(np.int64)


def component_labels(
    n_nodes: int, sources: IntArray, targets: IntArray, keep: BoolArray | None = None
) -> Components:
    """Components of an undirected graph given as edge arrays; nodes outside ``keep`` get -1.

    Labels are renumbered densely in order of each component's smallest node index, so the
    result does not depend on the edge order.
    """
    keep_mask = np.ones(n_nodes, dtype=bool) if keep is None else np.asarray(keep, dtype=bool)
    edge_mask = keep_mask[sources] & keep_mask[targets] if len(sources) else np.zeros(0, bool)
    # The matrix in the index type scipy gives it (int32 below 2**31 nodes) and with the
    # float64 data csgraph works on, the edge copies freed before it is labelled: scipy
    # would otherwise copy both while the int64 edges are still held (~45 bytes an edge
    # at the peak, ~24 so).
    index = np.int32 if n_nodes < 2**31 else np.int64
    src = sources[edge_mask].astype(index)
    dst = targets[edge_mask].astype(index)
    del edge_mask
    pairs = coo_matrix((np.ones(len(src)), (src, dst)), shape=(n_nodes, n_nodes))
    del src, dst
    matrix = pairs.tocsr()
    del pairs
    _, raw = _sparse_components(matrix, directed=True, connection="weak")
    del matrix
    raw = np.asarray(raw, dtype=np.int64)
    labels = np.full(n_nodes, -1, dtype=np.int64)
    kept_nodes = np.flatnonzero(keep_mask)
    # np.unique's return_index gives each raw label's first (smallest) kept node.
    uniques, first = np.unique(raw[kept_nodes], return_index=True)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(uniques))
    dense = np.full(int(raw.max()) + 1 if len(raw) else 0, -1, dtype=np.int64)
    dense[uniques] = rank
    labels[kept_nodes] = dense[raw[kept_nodes]]
    return Components(labels=labels, count=len(uniques))


def network_edges(
    projection: Projection, joins: Iterable[Sequence[int]] = ()
) -> tuple[IntArray, IntArray, FloatArray]:
    """Edges networks are made of (unified indices) with weights: every party-identifier
    link, plus a chain through each join group's non-hub nodes (weight 1)."""
    is_hub = projection.node_is_hub()
    extra_src: list[int] = []
    extra_dst: list[int] = []
    for group in joins:
        kept = [int(n) for n in group if not is_hub[n]]
        extra_src.extend(kept[:-1])
        extra_dst.extend(kept[1:])
    sources = np.concatenate([projection.link_party, np.asarray(extra_src, dtype=np.int64)])
    targets = np.concatenate(
        [projection.link_ident + projection.n_parties, np.asarray(extra_dst, dtype=np.int64)]
    )
    weights = np.concatenate([projection.link_weight, np.ones(len(extra_src), dtype=np.float64)])
    return sources, targets, weights


def trade_edges(projection: Projection) -> tuple[IntArray, IntArray, FloatArray]:
    """Shipper-consignee, seller-consignee and shipper-seller pairs of non-hub parties,
    weighted by shipments. Components ignore them (a legitimate shipper would join all its
    customers), but inside a component they keep trading partners in one community."""
    p = projection
    src_parts, dst_parts = [], []
    for a, b in (
        (p.ship_shipper, p.ship_consignee),
        (p.ship_seller, p.ship_consignee),
        (p.ship_shipper, p.ship_seller),
    ):
        mask = (a >= 0) & (b >= 0) & (a != b)
        mask[mask] = ~(p.party_is_hub[a[mask]] | p.party_is_hub[b[mask]])
        src_parts.append(a[mask])
        dst_parts.append(b[mask])
    n = max(p.n_parties, 1)
    keys, counts = np.unique(
        np.minimum(np.concatenate(src_parts), np.concatenate(dst_parts)) * n
        + np.maximum(np.concatenate(src_parts), np.concatenate(dst_parts)),
        return_counts=True,
    )
    return keys // n, keys % n, counts.astype(np.float64)


def connected_components(projection: Projection, joins: Iterable[Sequence[int]] = ()) -> Components:
    """Components of the party-identifier graph with hubs left out.

    ``joins`` are groups of nodes (unified indices) to put in one component even without a
    shared identifier, such as the shipper and consignee of a seizure; hubs in a group are
    skipped, so a join can never pull a hub back in.
    """
    sources, targets, _ = network_edges(projection, joins)
    return component_labels(projection.n_nodes, sources, targets, keep=~projection.node_is_hub())


def split_components(
    projection: Projection,
    components: Components,
    edges: tuple[IntArray, IntArray, FloatArray],
    labeller: Labeller,
    *,
    min_parties: int,
    resolution: float = 1.0,
    seed: int | None = None,
) -> Components:
    """Split every component with more than ``min_parties`` parties into communities.

    One call of ``labeller`` (e.g. ``leiden_labels``) covers all oversized components at
    once as one disjoint graph; a community never spans two components because its label
    is keyed by both. Smaller components are kept whole: a ring of 12 stays one network.
    Plain modularity then judges every component against the whole union's weight (few are
    cut once there are thousands); ``leiden_each_labels`` judges each on its own.
    """
    labels = components.labels
    party_labels = labels[: projection.n_parties]
    sizes = np.bincount(party_labels[party_labels >= 0], minlength=components.count)
    big = sizes > min_parties
    in_big = (labels >= 0) & big[np.maximum(labels, 0)]
    if not in_big.any():
        return components
    nodes = np.flatnonzero(in_big)
    local = np.full(projection.n_nodes, -1, dtype=np.int64)
    local[nodes] = np.arange(len(nodes))
    src, dst, weight = edges
    mask = in_big[src] & in_big[dst] & (labels[src] == labels[dst])
    graph = EdgeGraph(len(nodes), local[src[mask]], local[dst[mask]], weight[mask])
    community = labeller(graph, resolution=resolution, seed=seed)
    keys = labels.copy()
    keys[nodes] = components.count + labels[nodes] * len(nodes) + community
    logger.info(
        "split %d components over %d parties into %d communities",
        int(big.sum()),
        min_parties,
        len(distinct(community * components.count + labels[nodes])),
    )
    return _renumber(keys)


def _renumber(keys: IntArray) -> Components:
    """Dense labels in order of each key's smallest node (-1 stays -1)."""
    out = np.full(len(keys), -1, dtype=np.int64)
    kept = np.flatnonzero(keys >= 0)
    uniques, first, inverse = np.unique(keys[kept], return_index=True, return_inverse=True)
    rank = np.empty(len(uniques), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(uniques))
    out[kept] = rank[inverse]
    return Components(labels=out, count=len(uniques))
