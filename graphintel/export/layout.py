"""Server-side positions for charts that have none, so PNG, SVG, PDF and the i2 chart
of one export all show the same picture."""

from __future__ import annotations

import math

import networkx as nx

from graphintel.export.chart import Chart

SPACING = 90.0  # pixels between neighbouring nodes, roughly
SEED = 7  # one seed: the same network always gets the same picture


def has_positions(chart: Chart) -> bool:
    return any(n.x or n.y for n in chart.nodes)


def apply_layout(chart: Chart, force: bool = False) -> Chart:
    """Give every node a position (force-directed, seeded) unless the chart has them."""
    if not chart.nodes or (has_positions(chart) and not force):
        return chart
    graph = nx.Graph()
    graph.add_nodes_from(sorted(n.id for n in chart.nodes))
    graph.add_edges_from((e.source, e.target) for e in chart.edges if e.source != e.target)
    count = graph.number_of_nodes()
    if count == 1:
        positions = {chart.nodes[0].id: (0.0, 0.0)}
    else:
        raw = nx.spring_layout(graph, seed=SEED, iterations=100)
        positions = {k: (float(v[0]), float(v[1])) for k, v in raw.items()}
    scale = SPACING * math.sqrt(count)
    for node in chart.nodes:
        x, y = positions[node.id]
        node.x = round(x * scale, 2)
        node.y = round(-y * scale, 2)  # screen coordinates grow downwards
    return chart


def bounds(chart: Chart) -> tuple[float, float, float, float]:
    """min x, min y, max x, max y of the node positions (zeros for an empty chart)."""
    if not chart.nodes:
        return 0.0, 0.0, 0.0, 0.0
    xs = [n.x for n in chart.nodes]
    ys = [n.y for n in chart.nodes]
    return min(xs), min(ys), max(xs), max(ys)
