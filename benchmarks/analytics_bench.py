"""Projection and components of ``graphintel.analytics`` against a networkx baseline.

The same generated resolved graph (shipments between parties, each consignee with an
address, card and IP, shippers with phones, some identifiers shared) is fed to
``ProjectionBuilder`` + ``connected_components`` and, as the named baseline, straight into a
networkx ``Graph`` of the same party-identifier links (identifiers over 20 parties removed)
+ ``nx.connected_components``. Both are
checked to give the same components, then the times, peak memory of each phase (each
in its own process) and ratios are printed. Usage:

    .venv/bin/python benchmarks/analytics_bench.py --shipments 300000
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time

import networkx as nx

from graphintel.analytics import ProjectionBuilder, connected_components
from graphintel.model import EdgeKind, NodeKind, node_id
from graphintel.records import EdgeRecord, NodeRecord


def make_graph(n: int, seed: int = 11) -> tuple[list[NodeRecord], list[EdgeRecord]]:
    rng = random.Random(seed)
    n_consignees, n_shippers = max(n // 3, 1), max(n // 50, 1)
    nodes: list[NodeRecord] = []
    edges: list[EdgeRecord] = []
    for i in range(n):
        sid = node_id(NodeKind.SHIPMENT, f"S{i}")
        nodes.append(
            NodeRecord(
                sid,
                NodeKind.SHIPMENT,
                f"S{i}",
                {"arrival_date": "2026-03-01", "declared_value_usd": 25.0},
            )
        )
        c = rng.randrange(n_consignees)
        s = rng.randrange(n_shippers)
        edges.append(EdgeRecord(sid, node_id(NodeKind.PARTY, f"s{s}"), EdgeKind.SHIPPED_BY))
        edges.append(EdgeRecord(sid, node_id(NodeKind.PARTY, f"c{c}"), EdgeKind.CONSIGNED_TO))
        household = c // 2 if rng.random() < 0.3 else c
        for kind, edge, key in (
            (NodeKind.ADDRESS, EdgeKind.DELIVERED_TO, f"a{household}"),
            (NodeKind.PAYMENT_ACCOUNT, EdgeKind.PAID_WITH, f"card{c}"),
            (NodeKind.IP_ADDRESS, EdgeKind.ORDERED_FROM, f"ip{rng.randrange(n_consignees)}"),
        ):
            edges.append(EdgeRecord(sid, node_id(kind, key), edge))
    for s in range(n_shippers):
        phone = f"+86{rng.randrange(n_shippers // 2 + 1)}"
        edges.append(
            EdgeRecord(
                node_id(NodeKind.PARTY, f"s{s}"), node_id(NodeKind.PHONE, phone), EdgeKind.HAS_PHONE
            )
        )
    return nodes, edges


def networkx_graph(nodes: list[NodeRecord], edges: list[EdgeRecord]) -> nx.Graph:
    """The baseline: the same party-identifier graph built straight from the records."""
    consignee: dict[str, str] = {}
    shipment_idents: list[tuple[str, str]] = []
    graph = nx.Graph()
    for node in nodes:
        if node.kind is not NodeKind.SHIPMENT:
            graph.add_node(node.id, kind=node.kind.value, label=node.label)
    for edge in edges:
        if edge.kind is EdgeKind.CONSIGNED_TO:
            consignee[edge.source] = edge.target
            graph.add_node(edge.target, kind="Party")
        elif edge.kind in (EdgeKind.SHIPPED_BY, EdgeKind.SOLD_BY):
            graph.add_node(edge.target, kind="Party")
        elif edge.kind in (EdgeKind.DELIVERED_TO, EdgeKind.PAID_WITH, EdgeKind.ORDERED_FROM):
            shipment_idents.append((edge.source, edge.target))
        else:
            graph.add_node(edge.source, kind="Party")
            graph.add_edge(edge.source, edge.target, weight=edge.weight)
    for shipment, ident in shipment_idents:
        if shipment in consignee:
            graph.add_edge(consignee[shipment], ident)
    hubs = [n for n, d in graph.degree() if d > 20 and graph.nodes[n].get("kind") != "Party"]
    graph.remove_nodes_from(hubs)
    return graph


def parties(graph: nx.Graph) -> set[str]:
    return {n for n, kind in graph.nodes(data="kind") if kind == "Party"}


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_phase(phase: str, n: int) -> dict[str, float]:
    nodes, edges = make_graph(n)
    base_mb = _peak_mb()
    start = time.perf_counter()
    if phase == "graphintel":
        builder = ProjectionBuilder()
        builder.add_nodes(nodes)
        builder.add_edges(edges)
        projection = builder.build()
        built = time.perf_counter()
        components = connected_components(projection)
        count = int((components.sizes() > 0).sum())
    else:
        graph = networkx_graph(nodes, edges)
        built = time.perf_counter()
        party_nodes = parties(graph)
        count = sum(1 for c in nx.connected_components(graph) if not c.isdisjoint(party_nodes))
    done = time.perf_counter()
    return {
        "build_s": built - start,
        "components_s": done - built,
        "total_s": done - start,
        "components": count,
        "peak_mb_over_input": _peak_mb() - base_mb,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, default=300_000)
    parser.add_argument("--phase", choices=("graphintel", "networkx"))
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.shipments)))
        return
    results = {}
    for phase in ("graphintel", "networkx"):
        out = subprocess.run(
            [sys.executable, __file__, "--shipments", str(args.shipments), "--phase", phase],
            check=True,
            capture_output=True,
            text=True,
        )
        results[phase] = json.loads(out.stdout)
    ours, base = results["graphintel"], results["networkx"]
    assert ours["components"] == base["components"], "component counts differ"
    print(f"shipments: {args.shipments:,}; components: {int(ours['components']):,}")
    for name, r in results.items():
        print(
            f"{name:>10}: build {r['build_s']:.2f} s, components {r['components_s']:.2f} s,"
            f" total {r['total_s']:.2f} s, peak memory over input {r['peak_mb_over_input']:.0f} MB"
        )
    print(
        f"ratio networkx/graphintel: build+components {base['total_s'] / ours['total_s']:.1f}x,"
        f" components only {base['components_s'] / max(ours['components_s'], 1e-9):.1f}x"
    )


if __name__ == "__main__":
    main()
