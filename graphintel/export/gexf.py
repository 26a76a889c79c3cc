"""GEXF for Gephi, written by networkx, with the chart's positions as ``viz:position``; the
provenance and the case narrative go in ``<meta><description>`` (networkx drops graph
attributes from GEXF), each node's note in its ``note`` attribute."""

from __future__ import annotations

import io
from xml.sax.saxutils import escape

import networkx as nx

from graphintel.export.chart import Chart
from graphintel.export.narrative import narrative_of
from graphintel.export.nxgraph import from_networkx, to_networkx
from graphintel.export.text import xml_clean


def render(chart: Chart) -> bytes:
    graph = to_networkx(chart)
    for _, data in graph.nodes(data=True):
        data["viz"] = {"position": {"x": data["x"], "y": -data["y"], "z": 0.0}}
    buffer = io.BytesIO()
    nx.write_gexf(graph, buffer, encoding="utf-8")
    text = chart.provenance_line() + "\n" + narrative_of(chart, chart.summary).text()
    description = f"<description>{escape(xml_clean(text))}</description></meta>"
    return buffer.getvalue().replace(b"</meta>", description.encode("utf-8"), 1)


def read(data: bytes) -> Chart:
    graph = nx.read_gexf(io.BytesIO(data))
    for _, attrs in graph.nodes(data=True):
        attrs.pop("viz", None)
    return from_networkx(graph)
