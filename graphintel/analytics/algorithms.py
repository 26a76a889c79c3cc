"""Graph algorithms with networkx-style signatures, run by igraph's C core, in a registry.

Every function takes the graph first (a networkx ``Graph`` or a compact ``EdgeGraph`` of
integer nodes), then ``weight=`` and, where randomness is involved, ``seed=``, and returns
what the networkx function of the same name returns (communities as a list of node sets,
centralities as dicts), so networkx stays the reference API and the test oracle. igraph
does the work because it is one to two orders of magnitude faster at the sizes an
analysis meets (measured in ``benchmarks/community_bench.py``). The array-level functions
(``*_labels``, ``*_scores``) skip the Python-object results for the analysis jobs.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import metadata
from typing import Any, TypeAlias

import igraph as ig  # type: ignore[import-untyped]
import networkx as nx
import numpy as np
from scipy.sparse import coo_matrix  # type: ignore[import-untyped]
from scipy.sparse.csgraph import (  # type: ignore[import-untyped]
    connected_components as _sparse_components,
)

from graphintel.analytics.arrays import FloatArray, IntArray
from graphintel.errors import GraphIntelError


class UnknownAlgorithmError(GraphIntelError, KeyError):
    """An algorithm name that the registry does not hold."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True, eq=False)
class EdgeGraph:
    """An undirected graph on nodes ``0..n_nodes-1`` as edge arrays (weights optional)."""

    n_nodes: int
    sources: IntArray
    targets: IntArray
    weights: FloatArray | None = None

    @classmethod
    def from_networkx(cls, graph: nx.Graph, weight: str | None = "weight") -> EdgeGraph:
        """The same graph with nodes numbered in ``graph``'s node order."""
        index = {node: i for i, node in enumerate(graph)}
        edges = list(graph.edges(data=True))
        src = np.fromiter((index[u] for u, _, _ in edges), dtype=np.int64, count=len(edges))
        dst = np.fromiter((index[v] for _, v, _ in edges), dtype=np.int64, count=len(edges))
        weights = None
        if weight is not None:
            weights = np.fromiter(
                (float(d.get(weight, 1.0)) for _, _, d in edges), dtype=np.float64, count=len(edges)
            )
        return cls(len(index), src, dst, weights)

    def to_igraph(self) -> ig.Graph:
        graph = ig.Graph(n=self.n_nodes, directed=False)
        graph.add_edges(np.column_stack([self.sources, self.targets]))
        return graph


GraphLike: TypeAlias = nx.Graph | EdgeGraph


def _prepare(graph: GraphLike, weight: str | None) -> tuple[EdgeGraph, list[Hashable]]:
    if isinstance(graph, EdgeGraph):
        edge_graph = (
            graph
            if weight is not None
            else EdgeGraph(graph.n_nodes, graph.sources, graph.targets, None)
        )
        return edge_graph, list(range(graph.n_nodes))
    if graph.is_directed() or graph.is_multigraph():
        raise nx.NetworkXNotImplemented("only simple undirected graphs are supported")
    return EdgeGraph.from_networkx(graph, weight), list(graph)


def _weights(edge_graph: EdgeGraph) -> list[float] | None:
    return None if edge_graph.weights is None else edge_graph.weights.tolist()


@contextmanager
def _seeded(seed: int | None) -> Iterator[None]:
    """igraph draws from a Python RNG: give it a private seeded one for the call."""
    if seed is None:
        yield
        return
    ig.set_random_number_generator(random.Random(seed))
    try:
        yield
    finally:
        ig.set_random_number_generator(random)


def _sets(labels: IntArray, nodes: list[Hashable]) -> list[set[Hashable]]:
    """Communities as node sets, largest first (ties by smallest member position)."""
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.r_[True, labels[order][1:] != labels[order][:-1], True])
    groups = [order[bounds[i] : bounds[i + 1]] for i in range(len(bounds) - 1)]
    groups.sort(key=lambda g: (-len(g), int(g.min())))
    return [{nodes[i] for i in g} for g in groups]


def _dense(labels: Iterable[int]) -> IntArray:
    raw = np.asarray(list(labels), dtype=np.int64)
    _, first, inverse = np.unique(raw, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[inverse]


# -- communities --------------------------------------------------------------------------
def leiden_labels(
    graph: EdgeGraph, *, resolution: float = 1.0, seed: int | None = None, n_iterations: int = 2
) -> IntArray:
    """Leiden (modularity objective) community label per node, numbered by first member.

    Two iterations (igraph's default) reach within 0.1% of the converged modularity in a
    third of the time (``benchmarks/community_bench.py``); ``n_iterations=-1`` iterates
    until no node moves.
    """
    g = graph.to_igraph()
    with _seeded(seed):
        clustering = g.community_leiden(
            objective_function="modularity",
            weights=_weights(graph),
            resolution=resolution,
            n_iterations=n_iterations,
        )
    return _dense(clustering.membership)


def leiden_each_labels(
    graph: EdgeGraph, *, resolution: float = 1.0, seed: int | None = None, n_iterations: int = 2
) -> IntArray:
    """Leiden communities by the modularity of each connected part on its own, in one call.

    Modularity over a disjoint union compares every part against the union's total weight,
    so when thousands of parts are split at once each looks small and none is cut (the
    resolution limit): two rings glued by one merged shell stayed one network. The
    constant Potts model with node weight ``k_i / sqrt(2 m_c)`` (``k_i`` the node's weighted
    degree, ``m_c`` its part's total weight) scores each part ``c`` by exactly its own
    modularity times ``2 m_c``, and parts share no edge, so each is optimised as if alone.
    """
    n = graph.n_nodes
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    weights = (
        np.ones(len(graph.sources), dtype=np.float64) if graph.weights is None else graph.weights
    )
    degree = np.bincount(graph.sources, weights, minlength=n) + np.bincount(
        graph.targets, weights, minlength=n
    )
    part = _parts(graph)
    total = np.bincount(part, degree)
    node_weights = degree / np.sqrt(np.maximum(total[part], 1e-12))
    g = graph.to_igraph()
    with _seeded(seed):
        clustering = g.community_leiden(
            objective_function="CPM",
            weights=weights.tolist(),
            node_weights=node_weights.tolist(),
            resolution=resolution,
            n_iterations=n_iterations,
        )
    return _dense(clustering.membership)


def _parts(graph: EdgeGraph) -> IntArray:
    """Connected part label per node."""
    n = graph.n_nodes
    matrix = coo_matrix(
        (np.ones(len(graph.sources), dtype=np.int8), (graph.sources, graph.targets)), shape=(n, n)
    )
    _, labels = _sparse_components(matrix, directed=False)
    return np.asarray(labels, dtype=np.int64)


def louvain_labels(
    graph: EdgeGraph, *, resolution: float = 1.0, seed: int | None = None
) -> IntArray:
    """Louvain (multilevel modularity) community label per node."""
    g = graph.to_igraph()
    with _seeded(seed):
        clustering = g.community_multilevel(weights=_weights(graph), resolution=resolution)
    return _dense(clustering.membership)


def label_propagation_labels(graph: EdgeGraph, *, seed: int | None = None) -> IntArray:
    """Asynchronous label propagation community label per node."""
    g = graph.to_igraph()
    with _seeded(seed):
        clustering = g.community_label_propagation(weights=_weights(graph))
    return _dense(clustering.membership)


def leiden_communities(
    graph: GraphLike,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = None,
) -> list[set[Hashable]]:
    """Leiden communities (networkx's ``leiden_communities`` signature), largest first."""
    edge_graph, nodes = _prepare(graph, weight)
    return _sets(leiden_labels(edge_graph, resolution=resolution, seed=seed), nodes)


def louvain_communities(
    graph: GraphLike,
    weight: str | None = "weight",
    resolution: float = 1.0,
    seed: int | None = None,
) -> list[set[Hashable]]:
    """Louvain communities (networkx's ``louvain_communities`` signature), largest first."""
    edge_graph, nodes = _prepare(graph, weight)
    return _sets(louvain_labels(edge_graph, resolution=resolution, seed=seed), nodes)


def label_propagation_communities(
    graph: GraphLike, weight: str | None = None, seed: int | None = None
) -> list[set[Hashable]]:
    """Label propagation communities (networkx's ``asyn_lpa_communities``), largest first."""
    edge_graph, nodes = _prepare(graph, weight)
    return _sets(label_propagation_labels(edge_graph, seed=seed), nodes)


def connected_components(graph: GraphLike) -> list[set[Hashable]]:
    """Connected components, largest first."""
    edge_graph, nodes = _prepare(graph, None)
    membership = edge_graph.to_igraph().connected_components().membership
    return _sets(_dense(membership), nodes)


# -- centrality ---------------------------------------------------------------------------
def pagerank_scores(
    graph: EdgeGraph, *, alpha: float = 0.85, reset: FloatArray | None = None
) -> FloatArray:
    """PageRank per node (PRPACK); ``reset`` is the personalization vector (any scale)."""
    g = graph.to_igraph()
    if reset is None:
        values = g.pagerank(directed=False, damping=alpha, weights=_weights(graph))
    else:
        values = g.personalized_pagerank(
            directed=False, damping=alpha, reset=reset.tolist(), weights=_weights(graph)
        )
    return np.asarray(values, dtype=np.float64)


def pagerank(
    graph: GraphLike,
    alpha: float = 0.85,
    personalization: Mapping[Hashable, float] | None = None,
    weight: str | None = "weight",
) -> dict[Hashable, float]:
    """PageRank (networkx's ``pagerank`` signature for undirected graphs)."""
    edge_graph, nodes = _prepare(graph, weight)
    reset = None
    if personalization is not None:
        position = {node: i for i, node in enumerate(nodes)}
        reset = np.zeros(len(nodes), dtype=np.float64)
        for node, value in personalization.items():
            reset[position[node]] = float(value)
        if reset.sum() <= 0:
            raise nx.NetworkXError("personalization must have a positive total")
    scores = pagerank_scores(edge_graph, alpha=alpha, reset=reset)
    return dict(zip(nodes, scores.tolist(), strict=True))


def personalized_pagerank(
    graph: GraphLike,
    seeds: Iterable[Hashable] | Mapping[Hashable, float],
    alpha: float = 0.85,
    weight: str | None = "weight",
) -> dict[Hashable, float]:
    """PageRank restarting at ``seeds`` (seized shipments' parties, watchlist hits, ...).

    A mapping gives each seed its own restart weight; an iterable weighs them equally.
    """
    if isinstance(seeds, Mapping):
        personalization = {node: float(v) for node, v in seeds.items()}
    else:
        personalization = dict.fromkeys(seeds, 1.0)
    if not personalization:
        raise nx.NetworkXError("personalized_pagerank needs at least one seed")
    return pagerank(graph, alpha=alpha, personalization=personalization, weight=weight)


def betweenness_centrality(
    graph: GraphLike,
    k: int | None = None,
    normalized: bool = True,
    weight: str | None = None,
    seed: int | None = None,
) -> dict[Hashable, float]:
    """Betweenness (endpoints excluded), from ``k`` sampled sources when ``k`` is given.

    Sources are drawn exactly as networkx draws them (``random.Random(seed).sample`` over
    the node order), so the same seed gives networkx's numbers.
    """
    edge_graph, nodes = _prepare(graph, weight)
    n = len(nodes)
    g = edge_graph.to_igraph()
    weights = _weights(edge_graph)
    if k is None:
        sampled: list[int] | None = None
        raw = 2.0 * np.asarray(g.betweenness(directed=False, weights=weights), dtype=np.float64)
    else:
        if not 0 < k <= n:
            raise ValueError(f"k must be between 1 and the number of nodes ({n}), not {k}")
        sampled = random.Random(seed).sample(range(n), k)
        raw = 2.0 * np.asarray(
            g.betweenness(directed=False, weights=weights, sources=sampled), dtype=np.float64
        )
    return dict(zip(nodes, _rescale(raw, n, normalized, sampled).tolist(), strict=True))


def _rescale(raw: FloatArray, n: int, normalized: bool, sampled: list[int] | None) -> FloatArray:
    """networkx's rescaling of ordered-pair betweenness (endpoints excluded)."""
    big_n = n - 1
    if big_n < 2:
        return raw
    k = big_n if sampled is None else len(sampled)
    if sampled is None:
        return raw * (1 / (k * (big_n - 1)) if normalized else big_n / (k * 2))
    if normalized:
        source = 1 / ((k - 1) * (big_n - 1)) if k > 1 else np.nan
        other = 1 / (k * (big_n - 1))
    else:
        source = big_n / ((k - 1) * 2) if k > 1 else np.nan
        other = big_n / (k * 2)
    scale = np.full(n, other, dtype=np.float64)
    scale[sampled] = source
    return np.asarray(raw * scale, dtype=np.float64)


# -- cores --------------------------------------------------------------------------------
def core_number(graph: GraphLike) -> dict[Hashable, int]:
    """The core number of every node (networkx's ``core_number``)."""
    edge_graph, nodes = _prepare(graph, None)
    g = edge_graph.to_igraph().simplify(multiple=True, loops=True)
    return dict(zip(nodes, (int(c) for c in g.coreness()), strict=True))


def k_core(graph: GraphLike, k: int | None = None) -> set[Hashable]:
    """The nodes of the k-core (default: the main core, the largest k with a non-empty core)."""
    cores = core_number(graph)
    if not cores:
        return set()
    threshold = max(cores.values()) if k is None else k
    return {node for node, c in cores.items() if c >= threshold}


# -- registry -----------------------------------------------------------------------------
@dataclass(frozen=True)
class Algorithm:
    """A registered algorithm: its function, what it returns and whether it splits networks."""

    name: str
    function: Callable[..., Any]
    kind: str  # "communities", "centrality" or "cores"
    description: str
    # Array-level labeller used by the analysis to split oversized components.
    labeller: Callable[..., IntArray] | None = None


ALGORITHMS: dict[str, Algorithm] = {
    a.name: a
    for a in (
        Algorithm("components", connected_components, "communities", "connected components"),
        Algorithm(
            "leiden",
            leiden_communities,
            "communities",
            "Leiden modularity communities (igraph)",
            leiden_labels,
        ),
        Algorithm(
            "louvain",
            louvain_communities,
            "communities",
            "Louvain multilevel modularity communities (igraph)",
            louvain_labels,
        ),
        Algorithm(
            "label_propagation",
            label_propagation_communities,
            "communities",
            "asynchronous label propagation (igraph)",
            lambda graph, *, resolution=1.0, seed=None: label_propagation_labels(graph, seed=seed),
        ),
        Algorithm("pagerank", pagerank, "centrality", "PageRank (PRPACK)"),
        Algorithm(
            "personalized_pagerank",
            personalized_pagerank,
            "centrality",
            "PageRank restarting at seed nodes",
        ),
        Algorithm(
            "betweenness",
            betweenness_centrality,
            "centrality",
            "betweenness, sampled from k sources on large graphs (brokers)",
        ),
        Algorithm("k_core", core_number, "cores", "core number of every node"),
    )
}

COMMUNITY_ALGORITHMS: tuple[str, ...] = tuple(
    name for name, a in ALGORITHMS.items() if a.kind == "communities"
)


def algorithm_names() -> list[str]:
    return list(ALGORITHMS)


def get_algorithm(name: str) -> Algorithm:
    try:
        return ALGORITHMS[name]
    except KeyError:
        known = ", ".join(ALGORITHMS)
        raise UnknownAlgorithmError(f"unknown algorithm {name!r}; known: {known}") from None


def algorithm_versions() -> dict[str, str]:
    """Versions of the libraries behind the registry, recorded with every run."""
    return {"igraph": metadata.version("igraph")}
