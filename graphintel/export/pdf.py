"""A PDF case report (reportlab): title, date, analyst, the chart image, the reasons with
their evidence, the entities with their source rows, the merge explanations and the
analysis run's parameters, so another analyst can check and reproduce the work.

reportlab paragraphs parse a markup of their own, so all manifest text is escaped."""

from __future__ import annotations

import io
import json
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import (
    Image,
    LongTable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from graphintel.export import png
from graphintel.export.chart import Chart, source_refs
from graphintel.export.text import xml_clean

PAGE = landscape(A4)
SOURCES_IN_TABLE = 10  # source rows listed per entity in the table (the count is always shown)
IMAGE_PIXELS = 1600  # the chart image: sharp on a page, small enough to mail
_STYLES = getSampleStyleSheet()
_CELL = ParagraphStyle("cell", parent=_STYLES["BodyText"], fontSize=7, leading=8.5)
_BODY = _STYLES["BodyText"]


def _p(text: object, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(xml_clean(text)), style)


def _table(header: list[str], rows: list[list[object]], widths: list[float]) -> LongTable:
    data = [[_p(h, _CELL) for h in header]] + [[_p(v, _CELL) for v in row] for row in rows]
    table = LongTable(data, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8edf3")),
                ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#b0b8c4")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def _chart_image(chart: Chart) -> Image:
    data = png.render(chart, max_pixels=IMAGE_PIXELS)
    image = Image(io.BytesIO(data))
    max_w, max_h = PAGE[0] - 30 * mm, PAGE[1] - 60 * mm
    scale = min(max_w / image.imageWidth, max_h / image.imageHeight, 1.0)
    image.drawWidth = image.imageWidth * scale
    image.drawHeight = image.imageHeight * scale
    return image


def _label(chart: Chart, node_id: str) -> str:
    node = chart.node(node_id)
    return f"{node.label} ({node_id})" if node is not None else node_id


def story(chart: Chart) -> list[Flowable]:
    h1, h2 = _STYLES["Title"], _STYLES["Heading2"]
    out: list[Flowable] = [
        _p(chart.title, h1),
        _p(f"Date: {chart.created_at}"),
        _p(f"Analyst: {chart.analyst or 'not given'}"),
        _p(chart.provenance_line()),
    ]
    if chart.notes:
        out += [Spacer(1, 3 * mm), _p(f"Notes: {chart.notes}")]
    out += [Spacer(1, 4 * mm), _chart_image(chart), PageBreak(), _p("Reasons and evidence", h2)]
    if not chart.reasons:
        out.append(_p("No reasons recorded."))
    for i, reason in enumerate(chart.reasons, 1):
        out.append(_p(f"{i}. {reason.text}"))
        cited = ", ".join(_label(chart, e) for e in reason.evidence) or "no evidence ids"
        out.append(_p(f"Evidence: {cited}", _CELL))
    out += [Spacer(1, 4 * mm), _p("Entities and their source rows", h2)]
    if chart.omitted_sources:
        out.append(
            _p(
                f"{chart.omitted_sources} entities have more source rows than the export "
                "lists; `graphintel entities` gives every mention.",
                _CELL,
            )
        )
    rows: list[list[object]] = []
    for n in sorted(chart.nodes, key=lambda n: (n.kind.value, n.id)):
        refs = source_refs(n.sources, chart.files)
        shown = "; ".join(refs[:SOURCES_IN_TABLE])
        if len(refs) > SOURCES_IN_TABLE:
            shown += f"; … ({len(refs)} rows)"
        rows.append([n.kind.value, n.label, n.id, ", ".join(sorted(n.flags)), shown])
    width = PAGE[0] - 30 * mm
    out.append(
        _table(
            ["kind", "label", "id", "flags", "source rows (file:row@load)"],
            rows,
            [w * width for w in (0.09, 0.22, 0.24, 0.07, 0.38)],
        )
    )
    out += [Spacer(1, 4 * mm), _p("Merge explanations", h2)]
    merges = [(n, m) for n in chart.nodes for m in n.merge_evidence]
    if merges:
        out.append(
            _table(
                ["party", "mention a", "mention b", "field", "value a", "value b", "sim.", "rule"],
                [
                    [
                        n.label,
                        m.mention_a,
                        m.mention_b,
                        m.field,
                        m.value_a,
                        m.value_b,
                        f"{m.similarity:.2f}",
                        m.rule,
                    ]
                    for n, m in merges
                ],
                [w * width for w in (0.16, 0.12, 0.12, 0.07, 0.17, 0.17, 0.05, 0.14)],
            )
        )
    else:
        out.append(_p("No merges: every party on this chart is a single manifest mention."))
    out += [Spacer(1, 4 * mm), _p("Analysis run", h2)]
    out += _run_section(chart)
    return out


def _run_section(chart: Chart) -> list[Flowable]:
    run = chart.run
    if run is None:
        return [_p(f"Run id: {chart.run_id or 'none recorded'}")]
    fields: list[tuple[str, Any]] = [
        ("run id", run.run_id),
        ("kind", run.kind),
        ("status", run.status),
        ("started", run.started_at),
        ("finished", run.finished_at),
        ("parameters", run.params),
        ("library versions", run.versions),
        ("counts", run.counts),
    ]
    rows: list[list[object]] = [
        [k, json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict) else v]
        for k, v in fields
    ]
    width = PAGE[0] - 30 * mm
    return [_table(["field", "value"], rows, [0.18 * width, 0.82 * width])]


def render(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=xml_clean(chart.title),
        author=xml_clean(chart.analyst or "GraphIntel"),
        subject=xml_clean(chart.provenance_line()),
        creator="GraphIntel",
    )
    doc.build(story(chart))
    return buffer.getvalue()
