"""Components against networkx as the oracle, on seeded random graphs."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphintel.analytics import (
    ProjectionBuilder,
    component_labels,
    connected_components,
    to_networkx,
)
from graphintel.analytics.projection import HubSettings
from graphintel.model import EdgeKind, NodeKind, node_id
from graphintel.records import EdgeRecord, NodeRecord

_HAS = {
    NodeKind.ADDRESS: EdgeKind.HAS_ADDRESS,
    NodeKind.PHONE: EdgeKind.HAS_PHONE,
    NodeKind.EMAIL: EdgeKind.HAS_EMAIL,
}


def _random_projection(seed: int, n_party: int, n_ident: int, n_links: int, hub_limit: int):
    rng = np.random.default_rng(seed)
    kinds = list(_HAS)
    idents = [node_id(kinds[i % 3], f"id{i}") for i in range(n_ident)]
    nodes = [
        NodeRecord(node_id(NodeKind.PARTY, f"p{i}"), NodeKind.PARTY, f"P{i}")
        for i in range(n_party)
    ]
    nodes += [NodeRecord(i, kinds[k % 3], i) for k, i in enumerate(idents)]
    # Skewed identifier popularity so that some identifiers become hubs.
    popularity = rng.zipf(1.6, size=n_ident).astype(float)
    chosen = rng.choice(n_ident, size=n_links, p=popularity / popularity.sum())
    edges = [
        EdgeRecord(
            node_id(NodeKind.PARTY, f"p{rng.integers(n_party)}"),
            idents[i],
            _HAS[kinds[i % 3]],
            float(rng.integers(1, 5)),
        )
        for i in chosen
    ]
    builder = ProjectionBuilder()
    builder.add_edges(edges)  # edges before nodes: the builder must cope with either order
    builder.add_nodes(nodes)
    return builder.build(HubSettings(hub_limit=hub_limit))


@pytest.mark.parametrize(
    ("seed", "n_party", "n_ident", "n_links", "hub_limit"),
    [
        (0, 50, 40, 60, 5),
        (1, 200, 150, 260, 8),
        (2, 400, 100, 700, 20),
        (3, 30, 200, 80, 3),
        (4, 1000, 800, 1500, 10),
    ],
)
def test_components_match_networkx(seed, n_party, n_ident, n_links, hub_limit):
    projection = _random_projection(seed, n_party, n_ident, n_links, hub_limit)
    assert projection.ident_is_hub.any(), "the random graph should exercise hub suppression"
    components = connected_components(projection)
    ours = {
        frozenset(projection.node_id(int(n)) for n in members) for members in components.members()
    }
    oracle = {frozenset(c) for c in nx.connected_components(to_networkx(projection))}
    assert ours == oracle
    hub_nodes = np.flatnonzero(projection.node_is_hub())
    assert (components.labels[hub_nodes] == -1).all()


@pytest.mark.parametrize("seed", range(6))
def test_component_labels_match_networkx_on_general_graphs(seed):
    rng = np.random.default_rng(100 + seed)
    n = int(rng.integers(1, 300))
    m = int(rng.integers(0, 2 * n))
    src = rng.integers(0, n, size=m)
    dst = rng.integers(0, n, size=m)
    keep = rng.random(n) > 0.1
    result = component_labels(n, src, dst, keep)
    graph = nx.Graph()
    graph.add_nodes_from(np.flatnonzero(keep).tolist())
    graph.add_edges_from(
        (int(a), int(b)) for a, b in zip(src, dst, strict=True) if keep[a] and keep[b]
    )
    oracle = {frozenset(c) for c in nx.connected_components(graph)}
    ours = {frozenset(m.tolist()) for m in result.members()}
    assert ours == oracle
    assert result.count == len(oracle)
    assert (result.labels[~keep] == -1).all()
    assert result.sizes().sum() == keep.sum()


def test_labels_do_not_depend_on_edge_order():
    rng = np.random.default_rng(7)
    src = rng.integers(0, 100, size=120)
    dst = rng.integers(0, 100, size=120)
    first = component_labels(100, src, dst)
    perm = rng.permutation(120)
    second = component_labels(100, dst[perm], src[perm])
    assert (first.labels == second.labels).all()
    # Components are numbered by their smallest node.
    smallest = [int(m.min()) for m in first.members()]
    assert smallest == sorted(smallest)


def test_to_networkx_leaves_hubs_out_unless_asked():
    projection = _random_projection(0, 50, 40, 60, 5)
    hubs = {h.node_id for h in projection.hubs()}
    assert hubs
    assert hubs.isdisjoint(to_networkx(projection).nodes)
    full = to_networkx(projection, include_hubs=True)
    assert hubs <= set(full.nodes)
    assert all(full.nodes[h]["hub"] for h in hubs)
    assert full.number_of_edges() == len(projection.link_party)


def test_joins_merge_components_but_never_pull_in_hubs():
    projection = _random_projection(1, 200, 150, 260, 8)
    plain = connected_components(projection)
    hub = int(np.flatnonzero(projection.node_is_hub())[0])
    a, b = (int(m[0]) for m in plain.members()[:2])
    joined = connected_components(projection, [(a, hub, b)])
    assert joined.count == plain.count - 1
    assert joined.labels[a] == joined.labels[b]
    assert joined.labels[hub] == -1
