"""Drawing what is new into a saved case (``graphintel.daily.cases``): the new nodes styled
like any workspace node and classed ``new`` so the chart highlights them, placed on a ring
around the case's drawing, with every link the store holds to what is drawn."""

from __future__ import annotations

import math
from collections.abc import Sequence

from dashboards.workspace import (
    Element,
    classes_of,
    edge_element,
    is_node,
    is_seized,
    node_element,
    node_ids,
    with_classes,
)
from graphintel.store.base import GraphStore

NEW_CLASS = "new"


def _centre(elements: Sequence[Element]) -> tuple[float, float, float]:
    """Centre and radius of the drawn nodes' positions (0, 0, 0 when none is placed)."""
    spots = [el["position"] for el in elements if is_node(el) and "position" in el]
    if not spots:
        return 0.0, 0.0, 0.0
    cx = sum(float(p["x"]) for p in spots) / len(spots)
    cy = sum(float(p["y"]) for p in spots) / len(spots)
    radius = max(math.hypot(float(p["x"]) - cx, float(p["y"]) - cy) for p in spots)
    return cx, cy, radius


def draw_new(store: GraphStore, elements: list[Element], new_ids: Sequence[str]) -> list[Element]:
    """``elements`` with ``new_ids`` added (classed ``new``) and the links among all of them;
    nodes already drawn keep their place and lose an earlier refresh's ``new`` class."""
    present = set(node_ids(elements))
    records = store.nodes([n for n in dict.fromkeys(new_ids) if n not in present])
    cx, cy, radius = _centre(elements)
    ring = radius + 80.0 + 4.0 * len(records)
    added: list[Element] = []
    for i, rec in enumerate(records):
        _, degree = store.neighbours(rec.id, limit=0)
        el = node_element(rec, degree, seized=is_seized(rec))
        angle = 2 * math.pi * i / max(len(records), 1)
        position = {"x": round(cx + ring * math.cos(angle), 1),
                    "y": round(cy + ring * math.sin(angle), 1)}  # fmt: skip
        added.append({**with_classes(el, classes_of(el) | {NEW_CLASS}), "position": position})
    kept = [
        with_classes(el, classes_of(el) - {NEW_CLASS}) if NEW_CLASS in classes_of(el) else el
        for el in elements
    ]
    have = {str(el["data"]["id"]) for el in elements if not is_node(el)}
    all_ids = [*present, *(r.id for r in records)]
    links = [
        edge_element(e.source, e.target, e.kind.value, e.weight)
        for e in store.edges_among(all_ids)
        if f"{e.source}|{e.kind.value}|{e.target}" not in have
    ]
    return [*kept, *added, *links]
