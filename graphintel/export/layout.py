"""Server-side positions for charts that have none, so PNG, SVG, PDF and the i2 chart
of one export all show the same picture.

A force-directed layout costs O(n²) per step, and in a large network most nodes are
shipments; so above ``DIRECT_LIMIT`` nodes only the parties and identifiers are laid out
(linked where they share a shipment) and each shipment is placed on a small spiral around
the entities it touches. Everything is seeded: the same network gets the same picture."""

from __future__ import annotations

import math
from collections import defaultdict
from itertools import combinations

import networkx as nx

from graphintel.export.chart import Chart, ChartNode
from graphintel.model import NodeKind

SPACING = 90.0  # pixels between neighbouring nodes, roughly
SEED = 7
ITERATIONS = 50
DIRECT_LIMIT = 300  # above this many nodes, shipments are placed around their entities
GOLDEN_ANGLE = math.pi * (3 - math.sqrt(5))
SPIRAL_STEP = 14.0  # pixels between shipments orbiting the same entities


def has_positions(chart: Chart) -> bool:
    return any(n.x or n.y for n in chart.nodes)


def _spring(node_ids: list[str], links: set[tuple[str, str]]) -> dict[str, tuple[float, float]]:
    if len(node_ids) == 1:
        return {node_ids[0]: (0.0, 0.0)}
    graph = nx.Graph()
    graph.add_nodes_from(sorted(node_ids))
    graph.add_edges_from(sorted(links))
    raw = nx.spring_layout(graph, seed=SEED, iterations=ITERATIONS)
    scale = SPACING * math.sqrt(len(node_ids))
    # networkx puts y up; the chart's y grows downwards like a screen.
    return {k: (float(v[0]) * scale, -float(v[1]) * scale) for k, v in raw.items()}


def apply_layout(chart: Chart, force: bool = False) -> Chart:
    """Give every node a position unless the chart already has positions."""
    if not chart.nodes or (has_positions(chart) and not force):
        return chart
    ids = {n.id for n in chart.nodes}
    edges = {
        (e.source, e.target) if e.source < e.target else (e.target, e.source)
        for e in chart.edges
        if e.source != e.target and e.source in ids and e.target in ids
    }
    shipments = [n for n in chart.nodes if n.kind is NodeKind.SHIPMENT]
    anchors = [n for n in chart.nodes if n.kind is not NodeKind.SHIPMENT]
    if len(chart.nodes) <= DIRECT_LIMIT or not anchors or not shipments:
        positions = _spring([n.id for n in chart.nodes], edges)
    else:
        positions = _anchored(anchors, shipments, edges)
    for node in chart.nodes:
        x, y = positions[node.id]
        node.x, node.y = round(x, 2), round(y, 2)
    return chart


def _anchored(
    anchors: list[ChartNode], shipments: list[ChartNode], edges: set[tuple[str, str]]
) -> dict[str, tuple[float, float]]:
    anchor_ids = {n.id for n in anchors}
    touches: dict[str, set[str]] = defaultdict(set)
    links: set[tuple[str, str]] = set()
    for a, b in edges:
        if a in anchor_ids and b in anchor_ids:
            links.add((a, b))
        elif a in anchor_ids:
            touches[b].add(a)
        elif b in anchor_ids:
            touches[a].add(b)
    for entities in touches.values():
        links.update(combinations(sorted(entities), 2))
    positions = _spring(sorted(anchor_ids), links)
    orbit: dict[tuple[str, ...], int] = defaultdict(int)
    for s in sorted(shipments, key=lambda n: n.id):
        around = tuple(sorted(touches.get(s.id, ())))
        if around:
            cx = sum(positions[a][0] for a in around) / len(around)
            cy = sum(positions[a][1] for a in around) / len(around)
        else:
            cx, cy = 0.0, 0.0
        i = orbit[around] = orbit[around] + 1
        radius = SPIRAL_STEP * math.sqrt(i + 1)
        angle = i * GOLDEN_ANGLE
        positions[s.id] = (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
    return positions


def bounds(chart: Chart) -> tuple[float, float, float, float]:
    """min x, min y, max x, max y of the node positions (zeros for an empty chart)."""
    if not chart.nodes:
        return 0.0, 0.0, 0.0, 0.0
    xs = [n.x for n in chart.nodes]
    ys = [n.y for n in chart.nodes]
    return min(xs), min(ys), max(xs), max(ys)
