"""The neutral in-memory link chart every export format is written from.

A network of an analysis run and a saved case both become a ``Chart``, so each format
module knows one shape only: nodes with kind, label, properties and a position, edges,
and the provenance (source rows, run id) that every export must carry.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphintel.export.summary import NetworkSummary
from graphintel.model import NodeKind
from graphintel.records import MergeEvidence, Provenance, RunRecord


@dataclass(slots=True)
class ChartNode:
    """One entity on the chart; ``x``/``y`` are pixels, y growing downwards (screen)."""

    id: str
    kind: NodeKind
    label: str
    props: dict[str, Any] = field(default_factory=dict)
    x: float = 0.0
    y: float = 0.0
    sources: tuple[Provenance, ...] = ()  # the manifest rows behind the node
    merge_evidence: tuple[MergeEvidence, ...] = ()  # why a party's mentions are one party
    flags: frozenset[str] = frozenset()  # "evidence" (cited by a reason), "seized"


@dataclass(frozen=True, slots=True)
class ChartEdge:
    source: str
    target: str
    kind: str  # an EdgeKind value, or a folded link kind from a saved case
    weight: float = 1.0
    props: dict[str, Any] = field(default_factory=dict)
    sources: tuple[Provenance, ...] = ()  # the manifest rows that made the edge

    @property
    def id(self) -> str:
        return f"{self.source}|{self.kind}|{self.target}"


@dataclass(frozen=True, slots=True)
class Reason:
    """A reason the network ranks, with the node ids it cites as evidence and the points it
    added to the score (None for a chart that did not come from an analysis run)."""

    text: str
    evidence: tuple[str, ...] = ()
    points: float | None = None


@dataclass(slots=True)
class Chart:
    """A link chart ready to export, with where it came from."""

    title: str
    nodes: list[ChartNode]
    edges: list[ChartEdge]
    run_id: str = ""
    network_id: str = ""
    case_name: str = ""
    run: RunRecord | None = None
    reasons: list[Reason] = field(default_factory=list)
    typologies: tuple[str, ...] = ()  # the typologies the analysis run found in the network
    notes: str = ""
    analyst: str = ""
    created_at: str = ""  # ISO 8601 UTC, when the chart was built for export
    omitted_sources: int = 0  # nodes whose source rows were cut at the per-node limit
    files: dict[str, str] = field(default_factory=dict)  # file id (content hash) -> file name
    narrative: str = ""  # the analyst's case narrative (who, what, why, next steps)
    summary: NetworkSummary | None = None  # the summarised link chart, when read from a store
    drawn: bool = False  # positions are the investigator's (a saved case, the app's view)
    paper: str = "a4"  # the PDF report's paper: "a4" or "letter"

    _index: dict[str, ChartNode] = field(default_factory=dict, init=False, repr=False)
    _indexed: tuple[int, int] = field(default=(0, -1), init=False, repr=False)

    def node(self, node_id: str) -> ChartNode | None:
        """The node with this id, from an index rebuilt whenever the node list was replaced
        or grew or shrank."""
        if self._indexed != (id(self.nodes), len(self.nodes)):
            self._index = {n.id: n for n in self.nodes}
            self._indexed = (id(self.nodes), len(self.nodes))
        return self._index.get(node_id)

    def provenance_line(self) -> str:
        """One line naming the origin, written into every format's header or metadata."""
        parts = ["GraphIntel export"]
        if self.case_name:
            parts.append(f"case {self.case_name}")
        if self.network_id:
            parts.append(f"network {self.network_id}")
        if self.run_id:
            parts.append(f"analysis run {self.run_id}")
        if self.created_at:
            parts.append(f"exported {self.created_at}")
        return "; ".join(parts)


def source_refs(sources: tuple[Provenance, ...], files: dict[str, str] | None = None) -> list[str]:
    """Source rows as ``file:row@load_id`` strings, the compact form text formats use:
    the file by name where ``files`` knows it (people read these), else by its id (the
    content hash; the formats that are read back keep ids and carry the names apart)."""
    names = files or {}
    return [f"{names.get(p.file_id, p.file_id)}:{p.row_number}@{p.load_id}" for p in sources]


def parse_source_ref(ref: str) -> Provenance:
    """The inverse of ``source_refs`` for one reference."""
    location, _, load_id = ref.rpartition("@")
    file_id, _, row = location.rpartition(":")
    return Provenance(file_id, int(row), load_id)
