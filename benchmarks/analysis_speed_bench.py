"""Speed of one whole in-memory analysis at the issue's scale (target: 1,000,000 shipments
in under 90 s on 2 cores), step by step.

The resolved graph comes from ``analytics_bench.make_graph`` (shipments between random
shippers and consignees with addresses, cards, IPs and shipper phones, households and
shared identifiers); reading it from a store is not included (see
``benchmarks/bench_pipeline.py`` for the store path). Steps: projection, typologies,
components + Leiden splitting (``AnalysisConfig(algorithm="leiden",
split_min_parties=...)``), PageRank over the network edges, scoring. The named baseline
is networkx ``louvain_communities`` on the largest component only (the rest would take
far longer), against our Leiden split of that component. Usage:

    .venv/bin/python benchmarks/analysis_speed_bench.py --shipments 1000000
"""

from __future__ import annotations

import argparse
import time

import networkx as nx
import numpy as np
from analytics_bench import make_graph

from graphintel.analytics import AnalysisConfig, ProjectionBuilder, detect, score_networks
from graphintel.analytics.algorithms import EdgeGraph, pagerank_scores
from graphintel.analytics.components import network_edges
from graphintel.analytics.jobs import find_networks


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, default=1_000_000)
    parser.add_argument("--split-min-parties", type=int, default=60)
    args = parser.parse_args()
    nodes, edges = make_graph(args.shipments)
    config = AnalysisConfig(algorithm="leiden", seed=1, split_min_parties=args.split_min_parties)
    steps: dict[str, float] = {}

    def step(name: str, t0: float) -> float:
        steps[name] = time.perf_counter() - t0
        print(f"  {name:<36} {steps[name]:7.2f} s", flush=True)
        return time.perf_counter()

    t = time.perf_counter()
    builder = ProjectionBuilder()
    builder.add_nodes(nodes)
    builder.add_edges(edges)
    projection = builder.build(hub_limit=config.hub_limit, party_hub_limit=config.party_hub_limit)
    t = step("projection (from records)", t)
    hits = detect(projection, config)
    t = step("typologies", t)
    joins = [hit.anchors for name in config.join_typologies for hit in hits.get(name, ())]
    components = find_networks(projection, joins, config)
    t = step("components + Leiden split", t)
    src, dst, weight = network_edges(projection, joins)
    keep = ~projection.node_is_hub()
    mask = keep[src] & keep[dst]
    pagerank_scores(EdgeGraph(projection.n_nodes, src[mask], dst[mask], weight[mask]))
    t = step("PageRank (network edges)", t)
    scored = score_networks(projection, components, hits, config)
    t = step("scoring", t)
    total = sum(steps.values())
    print(
        f"{args.shipments:,} shipments: {projection.n_parties:,} parties,"
        f" {projection.n_identifiers:,} identifiers, {components.count:,} networks,"
        f" {len(scored):,} scored; total {total:.1f} s (target < 90 s)"
    )

    # Baseline on the largest component, which the split step handled.
    plain = find_networks(projection, joins, AnalysisConfig())
    sizes = np.bincount(plain.labels[plain.labels >= 0])
    largest = int(sizes.argmax())
    members = np.flatnonzero(plain.labels == largest)
    inside = np.zeros(projection.n_nodes, dtype=bool)
    inside[members] = True
    m = mask & inside[src] & inside[dst]
    graph = nx.Graph()
    graph.add_weighted_edges_from(
        zip(src[m].tolist(), dst[m].tolist(), weight[m].tolist(), strict=True)
    )
    print(f"largest component: {len(members):,} nodes, {graph.number_of_edges():,} edges")
    from graphintel.analytics.algorithms import leiden_communities

    t = time.perf_counter()
    leiden_communities(graph, resolution=config.resolution, seed=1)
    ours = time.perf_counter() - t
    t = time.perf_counter()
    nx.community.louvain_communities(graph, resolution=config.resolution, seed=1)
    theirs = time.perf_counter() - t
    print(f"  leiden (ours) {ours:.2f} s, networkx louvain {theirs:.2f} s: {theirs / ours:.1f}x")


if __name__ == "__main__":
    main()
