"""What the drawn formats (PNG, SVG, the PDF's chart) draw: circles, lines, labels, a legend
and an annotation, decided once so that every picture of one export is the same.

A chart read from the store with no positions of its own is drawn as its summarised link
chart (``summary``): parties and identifiers, shipments folded into links whose width
grows with their shipment count and whose label gives count and value, key nodes
labelled, nodes with seized shipments ringed in red. A chart drawn by the investigator
(a saved case or the app's view: positions given) is drawn as drawn."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass, field, replace

from graphintel.export.chart import Chart
from graphintel.export.layout import apply_layout
from graphintel.export.narrative import narrative_of
from graphintel.export.style import (
    EDGE_COLOUR,
    EVIDENCE_RING,
    KIND_COLOURS,
    SEIZED_FILL,
    fill,
    radius,
    short_label,
)
from graphintel.export.summary import LINK_LABELS, NetworkSummary
from graphintel.export.text import xml_clean
from graphintel.model import NodeKind

LABEL_ALL = 60  # up to this many nodes every node is labelled; above, key nodes first and
LABEL_MAX = 80  # then those with the most seizures and shipments, this many in all
LINK_LABEL_MAX = 60  # links labelled (×count, value): all up to this many, else the busiest
CHART_LABEL_LIMIT = 400  # a drawn chart above this many nodes labels parties and evidence
PARTY_LINK_COLOUR = "#4a5568"
ANNOTATION_LINES = 14
LABEL_CHAR_PX = 6.5  # about the width of one label character at the drawn font size
ANNOTATION_WIDTH = 110  # characters per annotation line
_PARTY_LINKS = {"SHIPPED_TO", "SOLD_TO", "SHIPS_FOR"}
KIND_NAMES = {
    NodeKind.SHIPMENT: "shipment",
    NodeKind.PARTY: "party",
    NodeKind.ADDRESS: "address",
    NodeKind.PHONE: "phone",
    NodeKind.EMAIL: "e-mail",
    NodeKind.PAYMENT_ACCOUNT: "payment account",
    NodeKind.IP_ADDRESS: "IP address",
}


@dataclass(frozen=True, slots=True)
class Dot:
    id: str
    kind: NodeKind
    x: float
    y: float
    r: float
    fill: str
    ring: str  # "" for none
    label: str  # "" for none
    key: bool
    title: str  # the hover text (SVG)
    lx: float = 0.0  # the label's centre once placed (``label_place``)
    ly: float = 0.0


@dataclass(frozen=True, slots=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float
    colour: str
    label: str  # "" for none
    title: str
    lx: float = 0.0  # the label's centre once placed (``label_place``)
    ly: float = 0.0


@dataclass(frozen=True, slots=True)
class LegendEntry:
    shape: str  # "dot", "ring" or "line"
    colour: str
    text: str


@dataclass(slots=True)
class Scene:
    title: str
    subtitle: str
    dots: list[Dot]
    lines: list[Line]
    legend: list[LegendEntry]
    annotation: list[str] = field(default_factory=list)
    label_boxes: list[list[float]] | None = None  # once placed: x0, y0, x1, y1 of each

    def bounds(self) -> tuple[float, float, float, float]:
        """min x, min y, max x, max y over the circles and the placed labels' boxes (before
        placing, a label under its circle is guessed at)."""
        if not self.dots:
            return 0.0, 0.0, 0.0, 0.0
        if self.label_boxes is not None:
            boxes = self.label_boxes
        else:
            half = {d.id: LABEL_CHAR_PX * len(d.label) / 2 for d in self.dots if d.label}
            boxes = [
                [d.x - half[d.id], d.y, d.x + half[d.id], d.y + d.r + 16]
                for d in self.dots
                if d.label
            ]
        return (
            min([d.x - d.r for d in self.dots] + [b[0] for b in boxes]),
            min([d.y - d.r for d in self.dots] + [b[1] for b in boxes]),
            max([d.x + d.r for d in self.dots] + [b[2] for b in boxes]),
            max([d.y + d.r for d in self.dots] + [b[3] for b in boxes]),
        )


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _summary_scene(chart: Chart, summary: NetworkSummary) -> Scene:
    flags = {n.id: n.flags for n in chart.nodes}
    ranked = sorted(summary.nodes, key=lambda n: (not n.key, -n.seized, -n.shipments, n.id))
    labelled = {n.id for n in ranked[: len(ranked) if len(ranked) <= LABEL_ALL else LABEL_MAX]}
    dots = []
    for n in summary.nodes:
        ring = (
            SEIZED_FILL if n.seized else EVIDENCE_RING if "evidence" in flags.get(n.id, ()) else ""
        )
        dates = f", {n.first_date} to {n.last_date}" if n.first_date else ""
        dots.append(
            Dot(n.id, n.kind, n.x, n.y, n.radius, KIND_COLOURS[n.kind], ring,
                short_label(n.label) if n.id in labelled else "", n.key,
                f"{KIND_NAMES[n.kind]}: {n.label} ({n.shipments} shipments{dates},"
                f" {n.seized} seized)")
        )  # fmt: skip
    where = {n.id: n for n in summary.nodes}
    busiest = sorted(summary.links, key=lambda ln: (-ln.count, -ln.value_usd, ln.source))
    label_links = {(ln.source, ln.target, ln.kind) for ln in busiest[:LINK_LABEL_MAX]}
    lines = []
    for ln in summary.links:
        a, b = where[ln.source], where[ln.target]
        colour = SEIZED_FILL if ln.seized else (
            PARTY_LINK_COLOUR if ln.kind in _PARTY_LINKS else EDGE_COLOUR
        )  # fmt: skip
        shown = (ln.source, ln.target, ln.kind) in label_links
        label = f"×{ln.count} {_money(ln.value_usd)}" if shown else ""
        lines.append(
            Line(a.x, a.y, b.x, b.y, min(1.0 + 1.5 * math.log2(ln.count), 8.0), colour, label,
                 f"{LINK_LABELS.get(ln.kind, ln.kind)}: {ln.count} shipments, "
                 f"{_money(ln.value_usd)}, {ln.first_date} to {ln.last_date}, "
                 f"{ln.seized} seized")
        )  # fmt: skip
    kinds = sorted({n.kind for n in summary.nodes}, key=list(NodeKind).index)
    legend = [LegendEntry("dot", KIND_COLOURS[k], KIND_NAMES[k]) for k in kinds]
    legend += [
        LegendEntry("ring", SEIZED_FILL, "has seized shipments"),
        LegendEntry("ring", EVIDENCE_RING, "cited by a reason"),
        LegendEntry("line", PARTY_LINK_COLOUR, "party to party (shipped / sold to)"),
        LegendEntry("line", EDGE_COLOUR, "party to identifier"),
        LegendEntry("line", SEIZED_FILL, "link with seized shipments"),
        LegendEntry("text", "#222", "width and ×n: shipments; $: declared value"),
        LegendEntry("text", "#222", "circle size: shipments"),
    ]
    subtitle = (
        f"{summary.shipments} shipments folded into {len(summary.links)} links, "
        f"{summary.first_date} to {summary.last_date}"
    )
    return Scene(chart.title, subtitle, dots, lines, legend)


def _drawn_scene(chart: Chart) -> Scene:
    apply_layout(chart)
    many = len(chart.nodes) > CHART_LABEL_LIMIT
    dots = [
        Dot(n.id, n.kind, n.x, n.y, radius(n.kind), fill(n.kind, n.flags),
            EVIDENCE_RING if "evidence" in n.flags else "",
            "" if many and n.kind is not NodeKind.PARTY and "evidence" not in n.flags
            else short_label(n.label),
            "evidence" in n.flags, f"{KIND_NAMES[n.kind]}: {n.label}")
        for n in chart.nodes
    ]  # fmt: skip
    pos = {n.id: (n.x, n.y) for n in chart.nodes}
    lines = [
        Line(*pos[e.source], *pos[e.target], min(1.0 + e.weight / 2, 6.0), EDGE_COLOUR, "",
             e.kind.replace("_", " ").lower())
        for e in chart.edges
        if e.source in pos and e.target in pos
    ]  # fmt: skip
    kinds = sorted({n.kind for n in chart.nodes}, key=list(NodeKind).index)
    legend = [LegendEntry("dot", KIND_COLOURS[k], KIND_NAMES[k]) for k in kinds]
    legend += [
        LegendEntry("dot", SEIZED_FILL, "seized shipment"),
        LegendEntry("ring", EVIDENCE_RING, "cited by a reason"),
    ]
    return Scene(chart.title, "as drawn by the investigator", dots, lines, legend)


def annotation(chart: Chart) -> list[str]:
    """The narrative and notes as wrapped lines, at most ``ANNOTATION_LINES``."""
    text = narrative_of(chart, chart.summary)
    out: list[str] = []
    for heading, lines in text.sections():
        for line in lines:
            out += textwrap.wrap(f"{heading}: {line}", ANNOTATION_WIDTH) or [""]
    if len(out) > ANNOTATION_LINES:
        out = [*out[: ANNOTATION_LINES - 1], "… (the full narrative is in the file's metadata)"]
    return out


def scene_of(chart: Chart) -> Scene:
    """The picture of ``chart`` (see the module docstring), with its annotation."""
    summary = chart.summary
    if summary is not None and summary.nodes and not chart.drawn:
        scene = _summary_scene(chart, summary)
    else:
        scene = _drawn_scene(chart)
    scene.title = xml_clean(scene.title)
    scene.dots = [
        replace(d, label=xml_clean(d.label), title=xml_clean(d.title)) for d in scene.dots
    ]
    scene.annotation = [xml_clean(line) for line in annotation(chart)]
    return scene
