"""Turn a chart as drawn (node ids with positions, the links shown) into a ``Chart``.

The app exports the investigator's current view this way, and a saved case (elements,
positions, notes) takes the same road: labels, properties and source rows always come
from the store, never from the browser, so an export cannot carry text the store lacks."""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from graphintel.errors import NotFoundError
from graphintel.export.chart import Chart, ChartEdge, Reason
from graphintel.export.members import evidence_node_id, find_run
from graphintel.export.network import (
    chart_parts,
    file_names,
    network_title,
    now_iso,
    reasons_of,
)
from graphintel.export.summary import summary_from_parts
from graphintel.model import kind_of
from graphintel.records import RunRecord
from graphintel.store.base import GraphStore

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ViewEdge:
    source: str
    target: str
    kind: str
    weight: float = 1.0


def _is_node_id(value: str) -> bool:
    try:
        kind_of(value)
    except ValueError:
        return False
    return True


def chart_from_view(
    store: GraphStore,
    positions: Mapping[str, tuple[float, float]],
    edges: Sequence[ViewEdge],
    *,
    run_id: str | None = None,
    network_id: str = "",
    case_name: str = "",
    title: str = "",
    notes: str = "",
    analyst: str = "",
    narrative: str = "",
) -> Chart:
    """The drawn nodes (those the store knows) at their drawn positions, and the drawn links
    among them; the network's reasons and the run's parameters when a network is named."""
    wanted = [n for n in positions if _is_node_id(n)]
    records = store.nodes(wanted) if wanted else []
    if not records:
        raise NotFoundError("the chart has no nodes the store knows: nothing to export")
    run: RunRecord | None = None
    reasons: list[Reason] = []
    typologies: tuple[str, ...] = ()
    network_name = f"Network {network_id}"
    if run_id or network_id:
        run = find_run(store, run_id)
        network = store.network(run.run_id, network_id) if network_id else None
        if network is not None:
            reasons, typologies = reasons_of(network), network.typologies
            network_name = network_title(network)
    cited = {e for r in reasons for e in r.evidence}
    known = {r.id for r in records}
    drawn = [
        ChartEdge(e.source, e.target, e.kind, float(e.weight))
        for e in edges
        if e.source in known and e.target in known
    ]
    nodes, chart_edges, cut, shipments = chart_parts(
        store, records, drawn, {evidence_node_id(c) for c in cited}
    )
    for node in nodes:
        node.x, node.y = (float(v) for v in positions[node.id])
    log.info("view export: %d nodes, %d edges", len(nodes), len(chart_edges))
    return Chart(
        title=title or (f"Case {case_name}" if case_name else network_name),
        nodes=nodes,
        edges=chart_edges,
        run_id=run.run_id if run else "",
        network_id=network_id,
        case_name=case_name,
        run=run,
        reasons=reasons,
        typologies=typologies,
        notes=notes,
        analyst=analyst,
        created_at=now_iso(),
        omitted_sources=cut,
        files=file_names(store),
        narrative=narrative,
        drawn=True,
        summary=summary_from_parts(
            records,
            store.edges_among([r.id for r in records]),
            shipments,
            evidence={evidence_node_id(c) for c in cited},
        ),
    )
