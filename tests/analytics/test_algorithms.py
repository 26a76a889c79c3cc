"""The algorithm registry against networkx on seeded random graphs and LFR ground truth."""

from __future__ import annotations

import functools
from collections.abc import Hashable
from typing import cast

import networkx as nx
import numpy as np
import pytest
from networkx.algorithms.community import modularity

from graphintel.analytics import algorithms as alg


def _gnp(seed: int, n: int = 120, p: float = 0.06) -> nx.Graph:
    graph = nx.gnp_random_graph(n, p, seed=seed)
    graph.remove_nodes_from([v for v in list(graph) if graph.degree(v) == 0])
    for i, (u, v) in enumerate(graph.edges()):
        graph.edges[u, v]["weight"] = 1.0 + (i * 7 % 5)
    return graph


# Seeds whose LFR parameters converge quickly (others can search for minutes).
LFR_SEEDS = (2, 11, 42)


@functools.cache
def _lfr(seed: int) -> tuple[nx.Graph, list[set[Hashable]]]:
    graph = nx.LFR_benchmark_graph(
        250, 3, 1.5, 0.1, average_degree=5, min_community=20, max_community=60, seed=seed
    )
    truth = {frozenset(graph.nodes[v]["community"]) for v in graph}
    graph.remove_edges_from(nx.selfloop_edges(graph))
    return graph, [set(c) for c in truth]


def _nmi(found: list[set[Hashable]], truth: list[set[Hashable]], nodes: list[Hashable]) -> float:
    """Normalized mutual information of two partitions of ``nodes``."""
    a = {v: i for i, c in enumerate(found) for v in c}
    b = {v: i for i, c in enumerate(truth) for v in c}
    x = np.array([a[v] for v in nodes])
    y = np.array([b[v] for v in nodes])
    joint = np.zeros((x.max() + 1, y.max() + 1))
    np.add.at(joint, (x, y), 1)
    joint /= len(nodes)
    px, py = joint.sum(1), joint.sum(0)
    nz = joint > 0
    mi = float((joint[nz] * np.log(joint[nz] / np.outer(px, py)[nz])).sum())
    hx = -float((px[px > 0] * np.log(px[px > 0])).sum())
    hy = -float((py[py > 0] * np.log(py[py > 0])).sum())
    return 2 * mi / (hx + hy) if hx + hy else 1.0


def _is_partition(communities: list[set[Hashable]], graph: nx.Graph) -> bool:
    members = [v for c in communities for v in c]
    return bool(len(members) == len(set(members)) == graph.number_of_nodes())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pagerank_matches_networkx(seed: int) -> None:
    graph = _gnp(seed)
    ours = alg.pagerank(graph, alpha=0.85)
    ref = nx.pagerank(graph, alpha=0.85, tol=1e-12)
    assert ours.keys() == ref.keys()
    assert max(abs(ours[v] - ref[v]) for v in ref) < 1e-6


@pytest.mark.parametrize("seed", [1, 2])
def test_personalized_pagerank_matches_networkx_and_favours_the_seeds(seed: int) -> None:
    graph = _gnp(seed)
    seeds = sorted(graph)[:3]
    ours = alg.personalized_pagerank(graph, seeds)
    ref = nx.pagerank(graph, personalization=dict.fromkeys(seeds, 1.0), tol=1e-12)
    assert max(abs(ours[v] - ref[v]) for v in ref) < 1e-6
    plain = alg.pagerank(graph)
    assert all(ours[s] > plain[s] for s in seeds)


def test_personalized_pagerank_needs_a_seed() -> None:
    with pytest.raises(nx.NetworkXError):
        alg.personalized_pagerank(_gnp(1), [])


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_exact_betweenness_matches_networkx(seed: int) -> None:
    graph = _gnp(seed, n=80)
    for normalized in (True, False):
        ours = alg.betweenness_centrality(graph, normalized=normalized)
        ref = nx.betweenness_centrality(graph, normalized=normalized)
        assert max(abs(ours[v] - ref[v]) for v in ref) < 1e-9


@pytest.mark.parametrize("seed", [4, 5])
def test_sampled_betweenness_matches_networkx_with_the_same_seed(seed: int) -> None:
    graph = _gnp(seed, n=150)
    ours = alg.betweenness_centrality(graph, k=20, seed=seed)
    ref = nx.betweenness_centrality(graph, k=20, seed=seed)
    assert max(abs(ours[v] - ref[v]) for v in ref) < 1e-9


def test_weighted_betweenness_matches_networkx() -> None:
    graph = _gnp(6, n=70)
    ours = alg.betweenness_centrality(graph, weight="weight")
    ref = nx.betweenness_centrality(graph, weight="weight")
    assert max(abs(ours[v] - ref[v]) for v in ref) < 1e-9


def test_sampled_betweenness_finds_the_broker_between_two_cliques() -> None:
    graph = nx.disjoint_union(nx.complete_graph(20), nx.complete_graph(20))
    graph.add_edges_from(("broker", v) for v in (0, 1, 2, 20, 21, 22))
    scores = alg.betweenness_centrality(graph, k=10, seed=3)
    assert max(scores, key=scores.__getitem__) == "broker"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_core_number_and_k_core_match_networkx(seed: int) -> None:
    graph = _gnp(seed, n=150, p=0.08)
    assert alg.core_number(graph) == nx.core_number(graph)
    assert alg.k_core(graph) == set(nx.k_core(graph))
    assert alg.k_core(graph, 3) == set(nx.k_core(graph, 3))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_components_match_networkx(seed: int) -> None:
    graph = nx.gnp_random_graph(200, 0.008, seed=seed)
    ours = alg.connected_components(graph)
    ref = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(c)))
    assert ours == ref


@pytest.mark.parametrize("name", ["leiden", "louvain"])
@pytest.mark.parametrize("seed", LFR_SEEDS)
def test_modularity_communities_recover_lfr_ground_truth(name: str, seed: int) -> None:
    graph, truth = _lfr(seed)
    found = alg.get_algorithm(name).function(graph, weight=None, seed=seed)
    reference = nx.community.louvain_communities(graph, seed=seed)
    assert _is_partition(found, graph)
    nodes = list(graph)
    assert _nmi(found, truth, nodes) >= 0.9
    # At least as good a partition as networkx's own Louvain on the same graph.
    assert modularity(graph, found) >= modularity(graph, reference) - 0.01


@pytest.mark.parametrize("seed", LFR_SEEDS)
def test_label_propagation_recovers_lfr_ground_truth(seed: int) -> None:
    graph, truth = _lfr(seed)
    found = alg.label_propagation_communities(graph, seed=seed)
    reference = list(nx.community.asyn_lpa_communities(graph, seed=seed))
    assert _is_partition(found, graph)
    nodes = list(graph)
    assert _nmi(found, truth, nodes) >= _nmi(reference, truth, nodes) - 0.1
    assert _nmi(found, truth, nodes) >= 0.7  # label propagation is the weakest of the three


def test_community_detection_is_reproducible_with_a_seed() -> None:
    graph, _ = _lfr(11)
    for name in ("leiden", "louvain", "label_propagation"):
        function = alg.get_algorithm(name).function
        assert function(graph, seed=11) == function(graph, seed=11)


def test_resolution_controls_community_size() -> None:
    graph, _ = _lfr(42)
    coarse = alg.leiden_communities(graph, weight=None, resolution=0.05, seed=1)
    fine = alg.leiden_communities(graph, weight=None, resolution=3.0, seed=1)
    assert len(coarse) < len(fine)


def test_seeded_run_leaves_the_global_random_state_alone() -> None:
    import random

    random.seed(99)
    expected = random.random()
    random.seed(99)
    alg.leiden_communities(_gnp(2), seed=5)
    assert random.random() == expected


def test_edge_graph_input_returns_integer_nodes() -> None:
    graph = nx.disjoint_union(nx.complete_graph(5), nx.complete_graph(4))
    edge_graph = alg.EdgeGraph.from_networkx(graph, weight=None)
    assert alg.leiden_communities(edge_graph, seed=1) == [set(range(5)), set(range(5, 9))]
    assert np.array_equal(
        alg.leiden_labels(edge_graph, seed=1), np.array([0] * 5 + [1] * 4, dtype=np.int64)
    )


def test_registry_names_and_unknown_name() -> None:
    assert {"components", "leiden", "louvain", "label_propagation"} <= set(alg.COMMUNITY_ALGORITHMS)
    assert {"pagerank", "personalized_pagerank", "betweenness", "k_core"} <= set(
        alg.algorithm_names()
    )
    with pytest.raises(alg.UnknownAlgorithmError, match="known: components"):
        alg.get_algorithm("girvan_newman")


def test_directed_graphs_are_refused() -> None:
    with pytest.raises(nx.NetworkXNotImplemented):
        alg.pagerank(nx.DiGraph([(1, 2)]))


def _pair_of_cliques(offset: int, size: int = 6) -> list[tuple[int, int]]:
    """Two cliques of ``size`` joined by one edge, nodes numbered from ``offset``."""
    left = [offset + i for i in range(size)]
    right = [offset + size + i for i in range(size)]
    edges = [(u, v) for group in (left, right) for i, u in enumerate(group) for v in group[i + 1 :]]
    return [*edges, (left[0], right[0])]


def test_leiden_each_splits_every_part_as_if_it_were_alone() -> None:
    """Oracle: each part of a disjoint union gets the partition, and the modularity, that
    Leiden finds on the part by itself; Leiden over the union at the same resolution keeps
    the small parts whole (the union's total weight dwarfs them: the resolution limit)."""
    edges = [e for k in range(40) for e in _pair_of_cliques(12 * k)]
    graph = alg.EdgeGraph(
        480, np.array([u for u, _ in edges]), np.array([v for _, v in edges]), None
    )
    each = alg.leiden_each_labels(graph, resolution=0.5, seed=1)
    union = alg.leiden_labels(graph, resolution=0.5, seed=1)
    alone_graph = nx.Graph(_pair_of_cliques(0))
    alone = alg.leiden_communities(alone_graph, resolution=0.5, seed=1, weight=None)
    for k in range(40):
        part = each[12 * k : 12 * (k + 1)]
        found = [set(np.flatnonzero(part == c).tolist()) for c in np.unique(part)]
        assert sorted(sorted(c) for c in found) == sorted(
            sorted(cast(int, v) for v in c) for c in alone
        )
        assert modularity(alone_graph, found, resolution=0.5) == pytest.approx(
            modularity(alone_graph, alone, resolution=0.5)
        )
        assert len(np.unique(union[12 * k : 12 * (k + 1)])) == 1
