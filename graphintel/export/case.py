"""Turn a saved case (the investigator's chart: elements with positions, notes, filters)
into a ``Chart`` through the same road as the app's current view (``chart_from_view``).

The payload is written by the app (``dashboards.pages.cases.case_payload``); read here are
the Cytoscape.js element list (``elements``, nodes with ``position``), where the chart came
from (``source``: run id and network id), the notes on its nodes (``notes``, node id to
text, overlaid by the store's current notes) and the case narrative (``narrative``, text)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graphintel.errors import NotFoundError
from graphintel.export.chart import Chart
from graphintel.export.layout import apply_layout
from graphintel.export.view import ViewEdge, chart_from_view
from graphintel.records import CaseRecord
from graphintel.store.base import GraphStore, WorkspaceStore


def find_case(store: WorkspaceStore, ref: str) -> CaseRecord:
    """A case by id, else by its exact name (a name shared by several cases is ambiguous)."""
    found = store.case(ref)
    if found is not None:
        return found
    named = [c for c in store.cases() if c.name == ref]
    if len(named) > 1:
        ids = ", ".join(c.case_id for c in named)
        raise NotFoundError(f"{len(named)} cases are named {ref!r} ({ids}): give the case id")
    if named:
        by_id = store.case(named[0].case_id)
        if by_id is not None:
            return by_id
    raise NotFoundError(f"no case with id or name {ref!r}")


def _node_notes(payload: Mapping[str, Any]) -> dict[str, str]:
    notes = payload.get("notes")
    if not isinstance(notes, Mapping):
        return {}
    return {str(k): str(v) for k, v in notes.items() if str(v).strip()}


def chart_from_case(
    store: GraphStore, ref: str, *, analyst: str = "", narrative: str = ""
) -> Chart:
    """The case's chart as saved: its nodes at their saved positions, its links, its notes
    and its narrative (``narrative`` given here, else the one saved with the case)."""
    case = find_case(store, ref)
    payload = case.payload
    elements = payload.get("elements") or []
    if not isinstance(elements, list):
        raise NotFoundError(f"case {case.name!r} holds no chart elements")
    positions: dict[str, tuple[float, float]] = {}
    edges: list[ViewEdge] = []
    positioned = False
    for el in elements:
        data = el.get("data", {}) if isinstance(el, Mapping) else {}
        if "source" in data and "target" in data:
            edges.append(
                ViewEdge(
                    str(data["source"]),
                    str(data["target"]),
                    str(data.get("kind", "")),
                    float(data.get("weight", 1.0)),
                )
            )
        elif "id" in data:
            pos = el.get("position") or {}
            positioned = positioned or bool(pos)
            positions[str(data["id"])] = (float(pos.get("x", 0.0)), float(pos.get("y", 0.0)))
    source = payload.get("source") or payload.get("context") or {}
    chart = chart_from_view(
        store,
        positions,
        edges,
        run_id=str(source.get("run_id") or "") or None,
        network_id=str(source.get("network_id") or ""),
        case_name=case.name,
        title=f"Case {case.name}",
        notes=f"Case {case.case_id}, saved {case.updated_at}",
        analyst=analyst,
        narrative=narrative or str(payload.get("narrative") or ""),
    )
    notes = _node_notes(payload) | store.notes([n.id for n in chart.nodes])
    for node_id, text in notes.items():
        node = chart.node(node_id)
        if node is not None:
            node.props["note"] = text
    chart.drawn = positioned
    return chart if positioned else apply_layout(chart, force=True)
