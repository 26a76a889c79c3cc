"""Export of one large network: the server layout against a networkx baseline, then every
format's time and size.

The chart is a consolidator-style network (parties, shared addresses, many shipments). The
named baseline is ``nx.spring_layout`` over every node (what a plain networkx export would
do); GraphIntel's ``apply_layout`` lays out parties and identifiers only and places each
shipment beside the entities it touches. Usage:

    .venv/bin/python benchmarks/export_bench.py --shipments 2000
"""

from __future__ import annotations

import argparse
import time

import networkx as nx

from graphintel.export import FORMATS, Chart, ChartEdge, ChartNode, export_bytes
from graphintel.export.layout import apply_layout
from graphintel.model import NodeKind


def make_chart(shipments: int, parties: int, addresses: int) -> Chart:
    nodes = [ChartNode(f"party:{i}", NodeKind.PARTY, f"Party {i}") for i in range(parties)]
    nodes += [ChartNode(f"address:{i}", NodeKind.ADDRESS, f"{i} Main St") for i in range(addresses)]
    edges = []
    for s in range(shipments):
        sid = f"shipment:S{s:06d}"
        nodes.append(ChartNode(sid, NodeKind.SHIPMENT, sid, {"arrival_date": "2026-03-01"}))
        edges.append(ChartEdge(sid, "party:0", "SHIPPED_BY"))
        edges.append(ChartEdge(sid, f"party:{1 + s % (parties - 1)}", "CONSIGNED_TO"))
        edges.append(ChartEdge(sid, f"address:{s % addresses}", "DELIVERED_TO"))
    return Chart("bench", nodes, edges, run_id="run-bench", network_id="net-bench")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=2000)
    parser.add_argument("--parties", type=int, default=60)
    parser.add_argument("--addresses", type=int, default=15)
    args = parser.parse_args()
    chart = make_chart(args.shipments, args.parties, args.addresses)
    print(f"chart: {len(chart.nodes):,} nodes, {len(chart.edges):,} edges")

    graph = nx.Graph()
    graph.add_nodes_from(n.id for n in chart.nodes)
    graph.add_edges_from((e.source, e.target) for e in chart.edges)
    start = time.perf_counter()
    nx.spring_layout(graph, seed=7, iterations=50)
    baseline = time.perf_counter() - start
    print(f"baseline nx.spring_layout (all nodes): {baseline:.2f} s")
    start = time.perf_counter()
    apply_layout(chart)
    ours = time.perf_counter() - start
    print(f"graphintel apply_layout:              {ours:.2f} s  ({baseline / ours:.0f}x faster)")

    for name in FORMATS:
        start = time.perf_counter()
        data = export_bytes(chart, name)
        print(f"{name:10s} {time.perf_counter() - start:6.2f} s  {len(data):>12,} bytes")


if __name__ == "__main__":
    main()
