"""Community detection speed: GraphIntel's Leiden against igraph directly and networkx.

One planted-partition graph (communities of 10-60 nodes, mostly internal edges, a few
random ones across) is given as the same edge list to:
- ``graphintel.analytics.algorithms.leiden_labels`` (what ``graphintel analyze
  --algorithm leiden`` runs), from the numpy edge arrays;
- igraph called directly: ``Graph(n, edges).community_leiden`` with the same parameters
  (target: ours within 1.5x of this);
- networkx ``louvain_communities`` on a ``Graph`` of the same edges (target: ours at least
  20x faster). networkx runs on the full graph unless ``--nx-max-edges`` is lower.
Each is timed once after a warm-up on a small graph; modularity of each partition is printed
(networkx computes it) so speed is not bought with quality. Usage:

    .venv/bin/python benchmarks/community_bench.py --nodes 300000
"""

from __future__ import annotations

import argparse
import random
import time

import igraph as ig  # type: ignore[import-untyped]
import networkx as nx
import numpy as np

from graphintel.analytics.algorithms import EdgeGraph, leiden_labels


def planted(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = []
    while sum(sizes) < n:
        sizes.append(int(rng.integers(10, 61)))
    sizes[-1] -= sum(sizes) - n
    src, dst = [], []
    start = 0
    for size in sizes:
        if size < 2:
            start += size
            continue
        m = size * 3  # average internal degree ~6
        a = rng.integers(start, start + size, m)
        b = rng.integers(start, start + size, m)
        src.append(a)
        dst.append(b)
        start += size
    cross = n // 5
    src.append(rng.integers(0, n, cross))
    dst.append(rng.integers(0, n, cross))
    s, d = np.concatenate(src), np.concatenate(dst)
    keep = s != d
    lo, hi = np.minimum(s[keep], d[keep]), np.maximum(s[keep], d[keep])
    keys = np.unique(lo.astype(np.int64) * n + hi)
    return keys // n, keys % n


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - t
    print(f"  {label:<44} {seconds:8.2f} s", flush=True)
    return result, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=300_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--resolution", type=float, default=1.0)
    parser.add_argument("--nx-max-edges", type=int, default=10**9)
    args = parser.parse_args()
    src, dst = planted(args.nodes, args.seed)
    print(f"planted-partition graph: {args.nodes:,} nodes, {len(src):,} edges")
    warm = EdgeGraph(100, src[src < 100][:50] % 100, dst[src < 100][:50] % 100)
    leiden_labels(warm, seed=1)

    graph = EdgeGraph(args.nodes, src, dst)
    ours, t_ours = timed(
        "graphintel leiden_labels (from numpy arrays)",
        lambda: leiden_labels(graph, resolution=args.resolution, seed=args.seed),
    )

    def direct() -> list[int]:
        g = ig.Graph(n=args.nodes, edges=list(zip(src.tolist(), dst.tolist(), strict=True)))
        random.seed(args.seed)
        return list(
            g.community_leiden(
                objective_function="modularity", resolution=args.resolution, n_iterations=2
            ).membership
        )

    theirs, t_direct = timed("igraph Graph(edges).community_leiden directly", direct)

    nx_graph = nx.Graph()
    nx_graph.add_nodes_from(range(args.nodes))
    nx_graph.add_edges_from(zip(src.tolist(), dst.tolist(), strict=True))

    def groups(labels: list[int] | np.ndarray) -> list[set[int]]:
        out: dict[int, set[int]] = {}
        for node, label in enumerate(np.asarray(labels).tolist()):
            out.setdefault(label, set()).add(node)
        return list(out.values())

    q_ours = nx.community.modularity(nx_graph, groups(ours))
    q_direct = nx.community.modularity(nx_graph, groups(theirs))
    if len(src) <= args.nx_max_edges:
        ref, t_nx = timed(
            "networkx louvain_communities",
            lambda: nx.community.louvain_communities(
                nx_graph, resolution=args.resolution, seed=args.seed
            ),
        )
        q_nx = nx.community.modularity(nx_graph, ref)
        speedup = f"{t_nx / t_ours:.1f}x (target >= 20x)"
    else:
        q_nx, speedup = float("nan"), "skipped (--nx-max-edges)"
    print(f"modularity: ours {q_ours:.4f}, igraph direct {q_direct:.4f}, networkx {q_nx:.4f}")
    print(f"ours / igraph direct: {t_ours / t_direct:.2f}x (target <= 1.5x)")
    print(f"networkx louvain / ours: {speedup}")


if __name__ == "__main__":
    main()
