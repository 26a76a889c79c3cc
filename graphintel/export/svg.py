"""SVG of the chart, written by hand: every piece of manifest text is XML-escaped, and the
document carries its provenance in ``<metadata>``."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from graphintel.export.chart import Chart, source_refs
from graphintel.export.layout import apply_layout, bounds
from graphintel.export.style import EDGE_COLOUR, EVIDENCE_RING, fill, radius, short_label
from graphintel.export.text import xml_clean

MARGIN = 60.0
FONT = "DejaVu Sans, Arial, sans-serif"


def _text(value: object) -> str:
    return escape(xml_clean(value))


def _attr(value: object) -> str:
    return quoteattr(xml_clean(value))


def offset(chart: Chart) -> tuple[float, float, float, float]:
    """Shift that puts the chart inside the canvas, and the canvas width and height."""
    min_x, min_y, max_x, max_y = bounds(chart)
    return MARGIN - min_x, MARGIN - min_y, max_x - min_x + 2 * MARGIN, max_y - min_y + 2 * MARGIN


def render(chart: Chart) -> bytes:
    apply_layout(chart)
    dx, dy, width, height = offset(chart)
    pos = {n.id: (n.x + dx, n.y + dy) for n in chart.nodes}
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.2f} {height:.2f}" font-family={_attr(FONT)}>',
        f"<title>{_text(chart.title)}</title>",
        f"<desc>{_text(chart.provenance_line())}</desc>",
        "<metadata>",
        f"<graphintel run-id={_attr(chart.run_id)} network-id={_attr(chart.network_id)}"
        f" case={_attr(chart.case_name)} exported={_attr(chart.created_at)}/>",
        "</metadata>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<g class="edges" stroke="{EDGE_COLOUR}" stroke-opacity="0.8">',
    ]
    for e in chart.edges:
        if e.source not in pos or e.target not in pos:
            continue
        (x1, y1), (x2, y2) = pos[e.source], pos[e.target]
        width_px = min(1.0 + e.weight / 2, 6.0)
        out.append(
            f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}"'
            f' stroke-width="{width_px:.1f}"><title>{_text(e.kind)}</title></line>'
        )
    out.append("</g>")
    out.append('<g class="nodes">')
    for n in chart.nodes:
        x, y = pos[n.id]
        r = radius(n.kind)
        ring = f' stroke="{EVIDENCE_RING}" stroke-width="3"' if "evidence" in n.flags else ""
        rows = "; ".join(source_refs(n.sources, chart.files))
        out.append(
            f'<g class="node" data-id={_attr(n.id)} data-kind={_attr(n.kind.value)}>'
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{r:.1f}" fill="{fill(n.kind, n.flags)}"{ring}>'
            f"<title>{_text(n.kind.value)}: {_text(n.label)} (source rows: {_text(rows)})</title>"
            "</circle>"
            f'<text x="{x:.2f}" y="{y + r + 12:.2f}" font-size="10" text-anchor="middle"'
            f' fill="#222">{_text(short_label(n.label))}</text></g>'
        )
    out.append("</g>")
    out.append(
        f'<text x="8" y="{height - 8:.0f}" font-size="9" fill="#555">'
        f"{_text(chart.provenance_line())}</text>"
    )
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
