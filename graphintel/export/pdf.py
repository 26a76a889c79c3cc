"""A PDF case report (reportlab) a case team can sign: a one-page summary first (key facts,
key parties, why the network ranks, a timeline, the seized shipments), then the link chart
with its legend, the case narrative and notes, the reasons with their evidence, every
entity and link with the source rows behind it (file name, row, load), the merge
explanations, the source files with their content hashes and the analysis run's
parameters, so another analyst can check and reproduce the work.

The page is A4 or US Letter (``Chart.paper``), landscape; nothing is drawn outside the
margins of either. reportlab paragraphs parse a markup of their own, so all manifest text
is escaped (``pdf_text``)."""

from __future__ import annotations

import io
import json
from typing import Any

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer
from reportlab.platypus.flowables import Flowable, KeepInFrame

from graphintel.export.chart import Chart, source_refs
from graphintel.export.narrative import DRAFT_NOTE, narrative_of
from graphintel.export.pdf_chart import ChartDrawing
from graphintel.export.pdf_summary import chart_page, summary_page
from graphintel.export.pdf_text import BODY, CELL, H1, H2, SMALL, grid_table, p
from graphintel.export.scene import scene_of
from graphintel.export.summary import LINK_LABELS
from graphintel.export.text import xml_clean

PAPERS = {"a4": landscape(A4), "letter": landscape(LETTER)}
MARGIN = 14 * mm
SOURCES_IN_TABLE = 10  # source rows listed per entity in the table (the count is always shown)
LINKS_IN_TABLE = 300  # the busiest folded links listed; every link is in the data formats


def page_size(chart: Chart) -> tuple[float, float]:
    width, height = PAPERS.get(chart.paper.lower(), PAPERS["a4"])
    return float(width), float(height)


def _label(chart: Chart, node_id: str) -> str:
    node = chart.node(node_id)
    return f"{node.label} ({node_id})" if node is not None else node_id


def _rows(refs: list[str]) -> str:
    shown = "; ".join(refs[:SOURCES_IN_TABLE])
    return shown + (f"; … ({len(refs)} rows)" if len(refs) > SOURCES_IN_TABLE else "")


def story(chart: Chart) -> list[Flowable]:
    width_pt, height_pt = page_size(chart)
    # The frame inside the margins pads its content by 6 points on every side.
    width, height = width_pt - 2 * MARGIN - 12, height_pt - 2 * MARGIN - 12
    out: list[Flowable] = []
    if chart.summary is not None and chart.summary.nodes:
        # Shrunk to fit where a long network would spill over: the summary is one page.
        page = summary_page(chart, chart.summary, width)
        out += [KeepInFrame(width, height, page, mode="shrink"), PageBreak()]
    else:
        out += [p(chart.title, H1), p(chart.provenance_line(), SMALL)]
    scene = scene_of(chart)
    drawing = ChartDrawing(scene, 0.8 * width - 12, height - 24 * mm)
    out += [*chart_page(drawing.scene, drawing, width), PageBreak()]
    out += _narrative(chart)
    out += [Spacer(1, 3 * mm), p("Reasons and evidence", H2)]
    if not chart.reasons:
        out.append(p("No reasons recorded."))
    for i, reason in enumerate(chart.reasons, 1):
        out.append(p(f"{i}. {reason.text}"))
        cited = ", ".join(_label(chart, e) for e in reason.evidence) or "no evidence ids"
        out.append(p(f"Evidence: {cited}", CELL))
    out += _entities(chart, width)
    out += _links(chart, width)
    out += _merges(chart, width)
    out += _files(chart, width)
    out += [Spacer(1, 3 * mm), p("Analysis run", H2), *_run_section(chart, width)]
    return out


def _narrative(chart: Chart) -> list[Flowable]:
    narrative = narrative_of(chart, chart.summary)
    out: list[Flowable] = [p("Case narrative", H2)]
    for heading, lines in narrative.sections():
        out.append(p(heading, CELL if heading == "Notes" else BODY))
        out += [p(f"• {line}", CELL) for line in lines]
    out.append(p(DRAFT_NOTE, SMALL))
    return out


def _entities(chart: Chart, width: float) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 3 * mm), p("Entities and their source rows", H2)]
    if chart.omitted_sources:
        out.append(
            p(
                f"{chart.omitted_sources} entities have more source rows than the export "
                "lists; `graphintel entities` gives every mention.",
                CELL,
            )
        )
    rows: list[list[object]] = [["kind", "label", "id", "flags", "note", "source rows"]]
    for n in sorted(chart.nodes, key=lambda n: (n.kind.value, n.id)):
        refs = source_refs(n.sources, chart.files)
        rows.append([n.kind.value, n.label, n.id, ", ".join(sorted(n.flags)),
                     n.props.get("note", ""), _rows(refs)])  # fmt: skip
    out.append(grid_table(rows, [w * width for w in (0.08, 0.2, 0.2, 0.07, 0.13, 0.32)], True))
    return out


def _links(chart: Chart, width: float) -> list[Flowable]:
    summary = chart.summary
    if summary is None or not summary.links:
        return []
    labels = {n.id: n.label for n in summary.nodes}
    rows: list[list[object]] = [["from", "link", "to", "shipments", "value", "first / last",
                                 "seized", "shipment ids"]]  # fmt: skip
    busiest = sorted(summary.links, key=lambda ln: (-ln.count, ln.source, ln.target))
    for ln in busiest[:LINKS_IN_TABLE]:
        ids = ", ".join(ln.shipment_ids[:SOURCES_IN_TABLE])
        if len(ln.shipment_ids) > SOURCES_IN_TABLE:
            ids += f", … ({len(ln.shipment_ids)})"
        rows.append([labels.get(ln.source, ln.source), LINK_LABELS.get(ln.kind, ln.kind),
                     labels.get(ln.target, ln.target), ln.count, f"${ln.value_usd:,.0f}",
                     f"{ln.first_date} / {ln.last_date}", ln.seized, ids])  # fmt: skip
    widths = [w * width for w in (0.18, 0.08, 0.18, 0.07, 0.08, 0.15, 0.06, 0.2)]
    cut = len(busiest) - LINKS_IN_TABLE
    more = (
        f" The {LINKS_IN_TABLE} busiest of {len(busiest)} links are listed; all are"
        " in the SVG (as tooltips), and unfolded in the CSV, GraphML and i2 exports."
        if cut > 0
        else ""
    )
    return [
        Spacer(1, 3 * mm),
        p("Links of the chart (shipments folded)", H2),
        p("Each shipment's row is listed under the entities (kind Shipment)." + more, CELL),
        grid_table(rows, widths, True),
    ]


def _merges(chart: Chart, width: float) -> list[Flowable]:
    out: list[Flowable] = [Spacer(1, 3 * mm), p("Merge explanations", H2)]
    merges = [(n, m) for n in chart.nodes for m in n.merge_evidence]
    if not merges:
        return [*out, p("No merges: every party on this chart is a single manifest mention.")]
    rows: list[list[object]] = [
        ["party", "mention a", "mention b", "field", "value a", "value b", "sim.", "rule"]
    ]
    rows += [
        [n.label, m.mention_a, m.mention_b, m.field, m.value_a, m.value_b,
         f"{m.similarity:.2f}", m.rule]
        for n, m in merges
    ]  # fmt: skip
    widths = [w * width for w in (0.16, 0.12, 0.12, 0.07, 0.17, 0.17, 0.05, 0.14)]
    return [*out, grid_table(rows, widths, True)]


def _files(chart: Chart, width: float) -> list[Flowable]:
    cited = sorted({s.file_id for n in chart.nodes for s in n.sources})
    if not cited:
        return []
    rows: list[list[object]] = [["file", "content hash (file id)"]]
    rows += [[chart.files.get(f, "(not in the store's loads)"), f] for f in cited]
    return [
        Spacer(1, 3 * mm),
        p("Source files", H2),
        p("Rows above cite file name:row@load; the hash identifies the exact file.", CELL),
        grid_table(rows, [0.3 * width, 0.7 * width], True),
    ]


def _run_section(chart: Chart, width: float) -> list[Flowable]:
    run = chart.run
    if run is None:
        return [p(f"Run id: {chart.run_id or 'none recorded'}")]
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
    rows: list[list[object]] = [["field", "value"]] + [
        [k, json.dumps(v, sort_keys=True, default=str) if isinstance(v, dict) else v]
        for k, v in fields
    ]
    return [grid_table(rows, [0.18 * width, 0.82 * width], True)]


def render(chart: Chart) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=page_size(chart),
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=MARGIN,
        title=xml_clean(chart.title),
        author=xml_clean(chart.analyst or "GraphIntel"),
        subject=xml_clean(chart.provenance_line()),
        creator="GraphIntel",
    )
    doc.build(story(chart))
    return buffer.getvalue()
