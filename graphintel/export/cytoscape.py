"""Cytoscape.js JSON (the shape ``cy.json()`` produces and accepts), with positions, so a
chart can be re-imported into the app or any Cytoscape.js page as it was drawn."""

from __future__ import annotations

import json
from typing import Any

from graphintel.errors import GraphIntelError
from graphintel.export.chart import (
    Chart,
    ChartEdge,
    ChartNode,
    Reason,
    parse_source_ref,
    source_refs,
)
from graphintel.export.layout import apply_layout
from graphintel.model import NodeKind

FORMAT = "graphintel-cytoscape"
VERSION = 1


def to_cytoscape(chart: Chart) -> dict[str, Any]:
    apply_layout(chart)
    nodes = [
        {
            "data": {
                "id": n.id,
                "label": n.label,
                "kind": n.kind.value,
                "props": n.props,
                "source_rows": source_refs(n.sources),
            },
            "position": {"x": n.x, "y": n.y},
            "classes": " ".join([n.kind.value, *sorted(n.flags)]),
        }
        for n in chart.nodes
    ]
    edges = [
        {
            "data": {
                "id": e.id,
                "source": e.source,
                "target": e.target,
                "kind": e.kind,
                "weight": e.weight,
                "props": e.props,
                "source_rows": source_refs(e.sources),
            },
            "classes": e.kind,
        }
        for e in chart.edges
    ]
    return {
        "format": FORMAT,
        "version": VERSION,
        "data": {
            "title": chart.title,
            "run_id": chart.run_id,
            "network_id": chart.network_id,
            "case": chart.case_name,
            "notes": chart.notes,
            "analyst": chart.analyst,
            "exported_at": chart.created_at,
            "provenance": chart.provenance_line(),
            "narrative": chart.narrative,
            "source_files": chart.files,
            "reasons": [{"text": r.text, "evidence": list(r.evidence)} for r in chart.reasons],
        },
        "elements": {"nodes": nodes, "edges": edges},
    }


def render(chart: Chart) -> bytes:
    return json.dumps(to_cytoscape(chart), ensure_ascii=False, indent=1, default=str).encode()


class CytoscapeImportError(GraphIntelError):
    """A Cytoscape.js JSON document that is not a GraphIntel chart."""


def read(data: bytes | str) -> Chart:
    """A chart from Cytoscape.js JSON written by ``render`` (or by ``cy.json()`` in the app)."""
    try:
        doc = json.loads(data)
        meta = doc.get("data", {})
        elements = doc["elements"]
        if isinstance(elements, list):  # cytoscape's flat element list
            node_els = [el for el in elements if "source" not in el.get("data", {})]
            edge_els = [el for el in elements if "source" in el.get("data", {})]
        else:
            node_els, edge_els = elements.get("nodes", []), elements.get("edges", [])
        nodes = [_node(el) for el in node_els]
        edges = [
            ChartEdge(
                str(el["data"]["source"]),
                str(el["data"]["target"]),
                str(el["data"].get("kind", "")),
                float(el["data"].get("weight", 1.0)),
                dict(el["data"].get("props", {})),
                tuple(parse_source_ref(str(r)) for r in el["data"].get("source_rows", [])),
            )
            for el in edge_els
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise CytoscapeImportError(f"not a GraphIntel Cytoscape.js chart: {exc}") from exc
    return Chart(
        title=str(meta.get("title", "")),
        nodes=nodes,
        edges=edges,
        run_id=str(meta.get("run_id", "")),
        network_id=str(meta.get("network_id", "")),
        case_name=str(meta.get("case", "")),
        reasons=[
            Reason(str(r["text"]), tuple(str(e) for e in r.get("evidence", [])))
            for r in meta.get("reasons", [])
        ],
        notes=str(meta.get("notes", "")),
        analyst=str(meta.get("analyst", "")),
        created_at=str(meta.get("exported_at", "")),
        files={str(k): str(v) for k, v in dict(meta.get("source_files") or {}).items()},
        narrative=str(meta.get("narrative", "")),
    )


def _node(el: dict[str, Any]) -> ChartNode:
    data = el["data"]
    position = el.get("position") or {}
    classes = set(str(el.get("classes", "")).split())
    kind = NodeKind(str(data["kind"]))
    return ChartNode(
        id=str(data["id"]),
        kind=kind,
        label=str(data.get("label", data["id"])),
        props=dict(data.get("props", {})),
        x=float(position.get("x", 0.0)),
        y=float(position.get("y", 0.0)),
        sources=tuple(parse_source_ref(str(r)) for r in data.get("source_rows", [])),
        flags=frozenset(classes & {"evidence", "seized"}),
    )
