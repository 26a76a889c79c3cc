"""SVG of the chart's scene (``scene``), written by hand: every piece of manifest text is
XML-escaped; the legend sits on the right, the narrative and notes below the drawing, and
the document carries its provenance, narrative and notes in ``<metadata>``."""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from graphintel.export.chart import Chart, source_refs
from graphintel.export.label_place import Fonts, dejavu_width, place
from graphintel.export.narrative import narrative_of
from graphintel.export.scene import LegendEntry, Scene, scene_of
from graphintel.export.text import xml_clean

MARGIN = 40.0
LEGEND_W = 300.0
LINE_H = 15.0
TITLE_H = 46.0
FONT = "DejaVu Sans, Arial, sans-serif"
NODE_FONT_PX = 10.0
LINK_FONT_PX = 9.0


def _text(value: object) -> str:
    return escape(xml_clean(value))


def _attr(value: object) -> str:
    return quoteattr(xml_clean(value))


def offset(scene: Scene) -> tuple[float, float, float, float]:
    """Shift that puts the drawing inside its area, and that area's width and height."""
    min_x, min_y, max_x, max_y = scene.bounds()
    return (
        MARGIN - min_x,
        MARGIN - min_y + TITLE_H,
        max_x - min_x + 2 * MARGIN,
        max_y - min_y + 2 * MARGIN,
    )


def _legend(entries: list[LegendEntry], x: float, y: float) -> list[str]:
    out = [f'<g class="legend"><text x="{x:.0f}" y="{y:.0f}" font-size="12"'
           ' font-weight="bold">Legend</text>']  # fmt: skip
    for i, e in enumerate(entries):
        cy = y + 20 + i * 18
        if e.shape == "dot":
            mark = f'<circle cx="{x + 8:.0f}" cy="{cy - 4:.0f}" r="6" fill="{e.colour}"/>'
        elif e.shape == "ring":
            mark = (f'<circle cx="{x + 8:.0f}" cy="{cy - 4:.0f}" r="6" fill="white"'
                    f' stroke="{e.colour}" stroke-width="2.5"/>')  # fmt: skip
        elif e.shape == "line":
            mark = (f'<line x1="{x:.0f}" y1="{cy - 4:.0f}" x2="{x + 16:.0f}" y2="{cy - 4:.0f}"'
                    f' stroke="{e.colour}" stroke-width="3"/>')  # fmt: skip
        else:
            mark = ""
        out.append(
            f'{mark}<text x="{x + 24:.0f}" y="{cy:.0f}" font-size="11">{_text(e.text)}</text>'
        )
    out.append("</g>")
    return out


def placed_scene(chart: Chart) -> Scene:
    """The scene with its labels placed for the SVG's fonts, as drawn."""
    return place(scene_of(chart), Fonts(dejavu_width, NODE_FONT_PX, LINK_FONT_PX, 1.0))


def render(chart: Chart) -> bytes:
    scene = placed_scene(chart)
    dx, dy, draw_w, draw_h = offset(scene)
    draw_h = max(draw_h, 20 + 18 * len(scene.legend))
    notes_h = (len(scene.annotation) + 1) * LINE_H if scene.annotation else 0.0
    width, height = draw_w + LEGEND_W, TITLE_H + draw_h + notes_h
    narrative = narrative_of(chart, chart.summary)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.2f} {height:.2f}" font-family={_attr(FONT)}>',
        f"<title>{_text(chart.title)}</title>",
        f"<desc>{_text(chart.provenance_line())}\n{_text(narrative.text())}</desc>",
        "<metadata>",
        f"<graphintel run-id={_attr(chart.run_id)} network-id={_attr(chart.network_id)}"
        f" case={_attr(chart.case_name)} exported={_attr(chart.created_at)}>",
        f"<narrative>{_text(narrative.text())}</narrative>",
        *(
            f"<note node={_attr(n.id)}>{_text(n.props['note'])}</note>"
            for n in chart.nodes
            if str(n.props.get("note", "")).strip()
        ),
        "</graphintel>",
        "</metadata>",
        '<rect width="100%" height="100%" fill="#ffffff"/>',
        f'<text x="8" y="20" font-size="16" font-weight="bold">{_text(scene.title)}</text>',
        f'<text x="8" y="38" font-size="11" fill="#444">{_text(scene.subtitle)}</text>',
        '<g class="links" stroke-opacity="0.85">',
    ]
    for ln in scene.lines:
        x1, y1, x2, y2 = ln.x1 + dx, ln.y1 + dy, ln.x2 + dx, ln.y2 + dy
        out.append(
            f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{ln.colour}"'
            f' stroke-width="{ln.width:.1f}"><title>{_text(ln.title)}</title></line>'
        )
        if ln.label:
            out.append(
                f'<text x="{ln.lx + dx:.2f}" y="{ln.ly + dy:.2f}" font-size="{LINK_FONT_PX:g}"'
                ' text-anchor="middle" dominant-baseline="central" fill="#333"'
                f' paint-order="stroke" stroke="#fff" stroke-width="3">{_text(ln.label)}</text>'
            )
    out.append("</g>")
    out.append('<g class="nodes">')
    rows = {n.id: "; ".join(source_refs(n.sources, chart.files)) for n in chart.nodes}
    for d in scene.dots:
        x, y = d.x + dx, d.y + dy
        ring = f' stroke="{d.ring}" stroke-width="3"' if d.ring else ' stroke="#fff"'
        weight = ' font-weight="bold"' if d.key else ""
        label = (
            f'<text x="{d.lx + dx:.2f}" y="{d.ly + dy:.2f}" font-size="{NODE_FONT_PX:g}"'
            ' text-anchor="middle" dominant-baseline="central" class="label"'
            f' fill="#222"{weight} paint-order="stroke" stroke="#fff" stroke-width="3">'
            f"{_text(d.label)}</text>"
            if d.label
            else ""
        )
        out.append(
            f'<g class="node" data-id={_attr(d.id)} data-kind={_attr(d.kind.value)}>'
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{d.r:.1f}" fill="{d.fill}"{ring}>'
            f"<title>{_text(d.title)} (source rows: {_text(rows.get(d.id, ''))})</title>"
            f"</circle>{label}</g>"
        )
    out.append("</g>")
    out += _legend(scene.legend, draw_w + 10, TITLE_H + 10)
    out.append('<g class="annotation" font-size="10" fill="#222">')
    for i, line in enumerate(scene.annotation):
        out.append(
            f'<text x="8" y="{TITLE_H + draw_h + (i + 1) * LINE_H:.0f}">{_text(line)}</text>'
        )
    out.append("</g>")
    out.append(
        f'<text x="8" y="{height - 4:.0f}" font-size="9" fill="#555">'
        f"{_text(chart.provenance_line())}</text>"
    )
    out.append("</svg>")
    return ("\n".join(out) + "\n").encode("utf-8")
