"""Risk flow's own solver against networkx's personalized PageRank (the oracle): random
weighted graphs of several parts, dead ends and hubs, over several seeds; parts without a
seed get no mass, and a whole analysis ranks the same networks either way."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from graphintel.analytics import build_projection
from graphintel.analytics.components import trade_edges
from graphintel.analytics.risk_flow import restart_walk, risk_flow
from graphintel.store import GraphStore
from tests.analytics.graphs import GraphBuilder

ALPHA = 0.85


def _random_graph(seed: int) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Three random parts, a few isolated nodes (one of them a seed), repeated edges."""
    rng = np.random.default_rng(seed)
    sizes = rng.integers(5, 40, size=3)
    offsets = np.r_[0, np.cumsum(sizes)]
    src: list[int] = []
    dst: list[int] = []
    for start, size in zip(offsets[:-1], sizes, strict=True):
        for _ in range(int(size) * 2):
            a, b = rng.integers(0, size, size=2)
            if a != b:
                src.append(int(start + a))
                dst.append(int(start + b))
    n = int(offsets[-1]) + 4  # four isolated nodes at the end
    weight = rng.integers(1, 6, size=len(src)).astype(np.float64)
    reset = np.zeros(n, dtype=np.float64)
    seeded = rng.choice(int(offsets[2]), size=4, replace=False)  # parts 0-1 only
    reset[seeded] = rng.uniform(0.5, 3.0, size=4)
    reset[n - 1] = 1.0  # an isolated seed: a dead end
    return n, np.asarray(src), np.asarray(dst), weight, reset


def _oracle(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    w: np.ndarray,
    reset: np.ndarray,
    alpha: float = ALPHA,
) -> np.ndarray:
    graph = nx.Graph()
    graph.add_nodes_from(range(n))
    for a, b, weight in zip(src.tolist(), dst.tolist(), w.tolist(), strict=True):
        old = graph.get_edge_data(a, b, {"weight": 0.0})["weight"]
        graph.add_edge(a, b, weight=old + weight)  # repeated edges add up
    scores = nx.pagerank(
        graph,
        alpha=alpha,
        personalization={i: float(v) for i, v in enumerate(reset)},
        dangling={i: float(v) for i, v in enumerate(reset)},
        tol=1e-14,
        max_iter=10_000,
    )
    return np.array([scores[i] for i in range(n)])


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_restart_walk_is_networkx_personalized_pagerank(seed: int) -> None:
    n, src, dst, weight, reset = _random_graph(seed)
    ours = restart_walk(n, src, dst, weight, reset, ALPHA)
    assert ours.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(ours, _oracle(n, src, dst, weight, reset), atol=1e-11)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_risk_flow_reaches_only_seeded_parts_and_skips_hubs(store: GraphStore, seed: int) -> None:
    rng = np.random.default_rng(seed)
    g = GraphBuilder()
    for k in range(60):  # trade among 25 parties, some on shared phones; one consolidator
        a, b = rng.integers(0, 25, size=2)
        g.ship(f"S{k}", f"Shipper {a}", f"Buyer {b}", consignee_phone=f"+1555{b % 7:04d}")
    for k in range(130):
        g.ship(f"C{k}", "Consolidator", f"Consumer {k}")
    g.ship("Q0", "Quiet Shipper", "Quiet Buyer", address="1 far st")  # a part of its own
    g.write(store)
    projection = build_projection(store)
    assert projection.party_is_hub.any()  # the consolidator
    seeds = np.zeros(projection.n_nodes, dtype=np.float64)
    seeds[rng.choice(np.flatnonzero(~projection.node_is_hub()), size=3, replace=False)] = 2.0
    p = projection
    trade = trade_edges(p)
    edges = (
        np.r_[p.link_party, trade[0]],
        np.r_[p.link_ident + p.n_parties, trade[1]],
        np.r_[p.link_weight, trade[2]],
    )
    flow = risk_flow(p, edges, seeds, alpha=ALPHA)

    keep = ~p.node_is_hub()
    mask = keep[edges[0]] & keep[edges[1]]
    expected = seeds.sum() * _oracle(
        p.n_nodes, edges[0][mask], edges[1][mask], edges[2][mask], seeds
    )
    np.testing.assert_allclose(flow.mass, expected, atol=1e-10)
    assert flow.mass[~keep].sum() == 0.0
    assert flow.mass.sum() == pytest.approx(seeds.sum())


@pytest.mark.parametrize("alpha", [0.3, 0.6, 0.95, 0.99])
def test_restart_walk_follows_networkx_at_other_restart_rates(alpha: float) -> None:
    """Chebyshev's steps depend on alpha (their weights, and a spectrum within
    [-alpha, alpha]); near 1, where power iteration would need thousands of steps, too."""
    n, src, dst, weight, reset = _random_graph(5)
    ours = restart_walk(n, src, dst, weight, reset, alpha)
    assert ours.sum() == pytest.approx(1.0, abs=1e-12)
    expected = _oracle(n, src, dst, weight, reset, alpha)
    np.testing.assert_allclose(ours, expected, atol=1e-11)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_restart_walk_with_many_leaves_is_networkx_personalized_pagerank(seed: int) -> None:
    """Leaves are solved in closed form: pendant nodes (some seeded, some on one node
    twice), a part of two leaves; as networkx finds them."""
    n, src, dst, weight, reset = _random_graph(seed)
    rng = np.random.default_rng(seed + 100)
    hosts = rng.integers(0, n - 4, size=40)
    pendants = np.arange(n, n + 40)
    twice = pendants[:5]  # on one host by two edges: not a leaf
    pair = np.array([n + 40, n + 41])  # a part of its own: two leaves on one edge
    src = np.concatenate([src, hosts, hosts[:5], pair[:1]])
    dst = np.concatenate([dst, pendants, twice, pair[1:]])
    weight = np.concatenate([weight, rng.integers(1, 4, size=len(src) - len(weight))]).astype(
        np.float64
    )
    n += 42
    reset = np.concatenate([reset, np.zeros(42)])
    reset[pendants[rng.choice(40, size=6, replace=False)]] = rng.uniform(0.5, 2.0, size=6)
    reset[pair[0]] = 1.5
    ours = restart_walk(n, src, dst, weight, reset, ALPHA)
    assert ours.sum() == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(ours, _oracle(n, src, dst, weight, reset), atol=1e-11)
