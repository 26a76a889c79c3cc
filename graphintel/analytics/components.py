"""Connected components over shared identifiers, after hub suppression.

Two parties fall in one component when a chain of non-hub identifiers links them. Hubs are
left out entirely (label ``-1``), so a marketplace hotline cannot fuse its 300 callers.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components as _sparse_components,
)

from graphintel.analytics.projection import BoolArray, IntArray, Projection


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
    src, dst = sources[edge_mask], targets[edge_mask]
    matrix = coo_matrix(
        (np.ones(len(src), dtype=np.int8), (src, dst)), shape=(n_nodes, n_nodes)
    ).tocsr()
    _, raw = _sparse_components(matrix, directed=True, connection="weak")
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


def connected_components(projection: Projection, joins: Iterable[Sequence[int]] = ()) -> Components:
    """Components of the party-identifier graph with hubs left out.

    ``joins`` are groups of nodes (unified indices) to put in one component even without a
    shared identifier, such as the shipper and consignee of a seizure; hubs in a group are
    skipped, so a join can never pull a hub back in.
    """
    is_hub = projection.node_is_hub()
    sources = [projection.link_party]
    targets = [projection.link_ident + projection.n_parties]
    extra_src: list[int] = []
    extra_dst: list[int] = []
    for group in joins:
        kept = [int(n) for n in group if not is_hub[n]]
        extra_src.extend(kept[:-1])
        extra_dst.extend(kept[1:])
    sources.append(np.asarray(extra_src, dtype=np.int64))
    targets.append(np.asarray(extra_dst, dtype=np.int64))
    return component_labels(
        projection.n_nodes, np.concatenate(sources), np.concatenate(targets), keep=~is_hub
    )
