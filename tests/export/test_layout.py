"""Server-side layout: seeded (same chart, same picture), saved positions kept, and large
charts place each shipment beside the entities it touches."""

from __future__ import annotations

import math

from graphintel.export import Chart, ChartEdge, ChartNode
from graphintel.export.layout import DIRECT_LIMIT, apply_layout
from graphintel.model import NodeKind


def _star(shipments: int) -> Chart:
    parties = [ChartNode(f"party:{i}", NodeKind.PARTY, f"P{i}") for i in range(10)]
    nodes = list(parties)
    edges = []
    for s in range(shipments):
        nodes.append(ChartNode(f"shipment:S{s}", NodeKind.SHIPMENT, f"S{s}"))
        edges.append(ChartEdge(f"shipment:S{s}", f"party:{s % 10}", "SHIPPED_BY"))
        edges.append(ChartEdge(f"shipment:S{s}", f"party:{(s + 1) % 10}", "CONSIGNED_TO"))
    return Chart("star", nodes, edges)


def test_layout_is_seeded_and_keeps_saved_positions() -> None:
    a, b = apply_layout(_star(40)), apply_layout(_star(40))
    assert [(n.x, n.y) for n in a.nodes] == [(n.x, n.y) for n in b.nodes]
    assert len({(n.x, n.y) for n in a.nodes}) == len(a.nodes)
    saved = _star(3)
    saved.nodes[0].x, saved.nodes[0].y = 5.0, 7.0
    apply_layout(saved)
    assert [(n.x, n.y) for n in saved.nodes[1:]] == [(0.0, 0.0)] * (len(saved.nodes) - 1)


def test_large_chart_places_shipments_beside_their_entities() -> None:
    chart = apply_layout(_star(DIRECT_LIMIT + 100))
    where = {n.id: (n.x, n.y) for n in chart.nodes}
    spread = max(math.dist(where["party:0"], where[f"party:{i}"]) for i in range(1, 10))
    for s in range(0, DIRECT_LIMIT + 100, 37):
        a, b = where[f"party:{s % 10}"], where[f"party:{(s + 1) % 10}"]
        middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
        assert math.dist(where[f"shipment:S{s}"], middle) < spread / 2
    assert len({where[f"shipment:S{s}"] for s in range(DIRECT_LIMIT + 100)}) == DIRECT_LIMIT + 100
