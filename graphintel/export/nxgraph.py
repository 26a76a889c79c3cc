"""The chart as a networkx multigraph and back: the common ground of the GraphML and GEXF
writers, and of their round-trip tests. Attribute values are flat strings and numbers
(properties as JSON), which both formats carry unchanged."""

from __future__ import annotations

import json
from typing import Any

import networkx as nx

from graphintel.export.chart import Chart, ChartEdge, ChartNode, parse_source_ref, source_refs
from graphintel.export.layout import apply_layout
from graphintel.export.text import xml_clean
from graphintel.model import NodeKind

SEP = "; "


def _clean_json(value: Any) -> str:
    return xml_clean(json.dumps(value, sort_keys=True, ensure_ascii=False, default=str))


def to_networkx(chart: Chart) -> nx.MultiDiGraph:
    """One node per chart node, one keyed edge per chart edge (key = edge kind)."""
    apply_layout(chart)
    graph = nx.MultiDiGraph(
        name=xml_clean(chart.title),
        run_id=xml_clean(chart.run_id),
        network_id=xml_clean(chart.network_id),
        case=xml_clean(chart.case_name),
        provenance=xml_clean(chart.provenance_line()),
        narrative=xml_clean(chart.narrative),
        notes=xml_clean(chart.notes),
        source_files=_clean_json(chart.files),
    )
    for n in chart.nodes:
        graph.add_node(
            xml_clean(n.id),
            kind=n.kind.value,
            label=xml_clean(n.label),
            x=float(n.x),
            y=float(n.y),
            source_rows=xml_clean(SEP.join(source_refs(n.sources))),
            flags=",".join(sorted(n.flags)),
            props=_clean_json(n.props),
            note=xml_clean(n.props.get("note", "")),
            run_id=xml_clean(chart.run_id),
        )
    for e in chart.edges:
        graph.add_edge(
            xml_clean(e.source),
            xml_clean(e.target),
            key=xml_clean(e.kind),
            kind=xml_clean(e.kind),
            weight=float(e.weight),
            props=_clean_json(e.props),
            source_rows=xml_clean(SEP.join(source_refs(e.sources))),
            run_id=xml_clean(chart.run_id),
        )
    return graph


def from_networkx(graph: nx.Graph) -> Chart:
    """A chart from a graph written by ``to_networkx`` (read back from GraphML or GEXF)."""
    nodes = []
    for node_id, data in graph.nodes(data=True):
        refs = str(data.get("source_rows", ""))
        flags = str(data.get("flags", ""))
        nodes.append(
            ChartNode(
                id=str(node_id),
                kind=NodeKind(str(data["kind"])),
                label=str(data.get("label", node_id)),
                props=json.loads(str(data.get("props", "{}"))),
                x=float(data.get("x", 0.0)),
                y=float(data.get("y", 0.0)),
                sources=tuple(parse_source_ref(r) for r in refs.split(SEP) if r),
                flags=frozenset(f for f in flags.split(",") if f),
            )
        )
    edges = [
        ChartEdge(
            str(u),
            str(v),
            str(data["kind"]),
            float(data.get("weight", 1.0)),
            json.loads(str(data.get("props", "{}"))),
            tuple(parse_source_ref(r) for r in str(data.get("source_rows", "")).split(SEP) if r),
        )
        for u, v, data in graph.edges(data=True)
    ]
    run_ids = {str(d.get("run_id", "")) for _, d in graph.nodes(data=True)}
    return Chart(
        title=str(graph.graph.get("name", "")),
        nodes=nodes,
        edges=edges,
        run_id=str(graph.graph.get("run_id", "")) or (run_ids.pop() if len(run_ids) == 1 else ""),
        network_id=str(graph.graph.get("network_id", "")),
        case_name=str(graph.graph.get("case", "")),
        notes=str(graph.graph.get("notes", "")),
        narrative=str(graph.graph.get("narrative", "")),
        files=json.loads(str(graph.graph.get("source_files", "{}"))),
    )
