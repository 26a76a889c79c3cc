"""GEXF for Gephi, written by networkx, with the chart's positions as ``viz:position``."""

from __future__ import annotations

import io

import networkx as nx

from graphintel.export.chart import Chart
from graphintel.export.nxgraph import from_networkx, to_networkx


def render(chart: Chart) -> bytes:
    graph = to_networkx(chart)
    for _, data in graph.nodes(data=True):
        data["viz"] = {"position": {"x": data["x"], "y": -data["y"], "z": 0.0}}
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    return buffer.getvalue()


def read(data: bytes) -> Chart:
    graph = nx.read_gexf(io.BytesIO(data))
    for _, attrs in graph.nodes(data=True):
        attrs.pop("viz", None)
    return from_networkx(graph)
