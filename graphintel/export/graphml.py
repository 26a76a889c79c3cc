"""GraphML written by networkx (yEd, Gephi, Cytoscape desktop, igraph all read it)."""

from __future__ import annotations

import io

import networkx as nx

from graphintel.export.chart import Chart
from graphintel.export.nxgraph import from_networkx, to_networkx


def render(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    nx.write_graphml(to_networkx(chart), buffer, encoding="utf-8")
    return buffer.getvalue()


def read(data: bytes) -> Chart:
    return from_networkx(nx.read_graphml(io.BytesIO(data), force_multigraph=True))
