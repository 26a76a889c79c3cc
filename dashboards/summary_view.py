"""The summarised link chart of a large network (graphintel.export.summary, shared with the
exports) as cytoscape elements: parties and identifiers placed without overlap (the exports'
layout with its core spread, see chart_layout.spread_core), each link
standing for every shipment that ties two of them, with its count, value and dates."""

from __future__ import annotations

from typing import Any

import numpy as np

from dashboards.chart_layout import spread_core
from dashboards.workspace import Element, edge_label
from graphintel.export.summary import LINK_LABELS, NetworkSummary
from graphintel.labels import short_label

SUMMARY = "summary"  # class of a folded link (the stylesheet widens it by its count)
LINK_SHIPMENTS_KEPT = 50  # shipment ids a link carries to the browser for its detail


def summary_elements(summary: NetworkSummary, cited: set[str]) -> list[Element]:
    """Nodes with their server positions and classes (kind, key, evidence, seized) and one
    link per folded relation, dated for the timeline filter."""
    out: list[Element] = []
    spots = spread_core(
        [n.id for n in summary.nodes],
        np.array([(n.x, n.y) for n in summary.nodes], dtype=np.float64).reshape(-1, 2),
        np.array([n.radius for n in summary.nodes], dtype=np.float64),
    )
    for n in summary.nodes:
        classes = [n.kind.value]
        if n.kind.value == "Party" or n.id in cited:
            classes.append("key")
        if n.id in cited:
            classes.append("evidence")
        if n.seized:
            classes.append("seized")
        label = short_label(n.label)
        if n.seized:
            label += f" ({n.seized} seized)"
        data: dict[str, Any] = {
            "id": n.id,
            "label": label,
            "kind": n.kind.value,
            "size": round(2 * n.radius, 1),
            "shipments": n.shipments,
            "seized": n.seized,
            "value": n.value_usd,
            "first_date": n.first_date,
            "last_date": n.last_date,
        }
        out.append({"data": data, "classes": " ".join(classes), "position": spots[n.id]})
    for link in summary.links:
        classes = [SUMMARY, link.kind] + (["seized"] if link.seized else [])
        out.append(
            {
                "data": {
                    "id": f"{link.source}|{link.kind}|{link.target}",
                    "source": link.source,
                    "target": link.target,
                    "kind": link.kind,
                    "weight": link.count,
                    "label": link.label,
                    "value": link.value_usd,
                    "first_date": link.first_date,
                    "last_date": link.last_date,
                    "seized": link.seized,
                    "shipments": list(link.shipment_ids[:LINK_SHIPMENTS_KEPT]),
                },
                "classes": " ".join(classes),
            }
        )
    return out


def link_words(kind: str, weight: float) -> str:
    """A folded link's kind in words, else a drawn edge's (for the link detail panel)."""
    return LINK_LABELS.get(kind) or edge_label(kind, weight)
