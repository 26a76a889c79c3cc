"""The PDF case report's first page, a summary a case team reads before anything else: the
key facts, the key parties, why the network ranks (the run's reasons), a timeline of
shipments per day (seized in red) and the seized shipments with their source rows; and
the summarised chart's page with its legend as text (so it prints and searches).

Every cell is manifest text escaped for reportlab's paragraph markup (``pdf_text``)."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import date, timedelta

import matplotlib

matplotlib.use("Agg")

from matplotlib.dates import AutoDateLocator, ConciseDateFormatter  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from reportlab.lib.units import mm  # noqa: E402
from reportlab.platypus import Image, Paragraph, Spacer, Table, TableStyle  # noqa: E402
from reportlab.platypus.flowables import Flowable  # noqa: E402

from graphintel.export.chart import Chart, ChartNode, source_refs  # noqa: E402
from graphintel.export.pdf_text import CELL, H1, H2, SMALL, grid_table, mark, p  # noqa: E402
from graphintel.export.scene import Scene  # noqa: E402
from graphintel.export.style import SEIZED_FILL  # noqa: E402
from graphintel.export.summary import NetworkSummary  # noqa: E402
from graphintel.model import NodeKind  # noqa: E402

KEY_PARTIES = 8
SEIZED_ROWS = 8
WEEKLY_AFTER_DAYS = 120  # a longer timeline counts weeks rather than days
SYMBOLS = {"dot": "●", "ring": "<b>O</b>", "line": "—"}  # the base fonts lack a ring


def _money(value: float) -> str:
    return f"${value:,.0f}"


def _timeline_image(summary: NetworkSummary, width: float, height: float) -> Image | None:
    if not summary.timeline:
        return None
    first = date.fromisoformat(summary.timeline[0][0])
    last = date.fromisoformat(summary.timeline[-1][0])
    weekly = (last - first).days > WEEKLY_AFTER_DAYS
    counts: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for day, shipments, seized in summary.timeline:
        d = date.fromisoformat(day)
        if weekly:
            d -= timedelta(days=d.weekday())
        counts[d][0] += shipments - seized
        counts[d][1] += seized
    days = sorted(counts)
    epoch = date(1970, 1, 1)  # matplotlib's date numbers: days since 1970-01-01
    xs = [float((d - epoch).days) for d in days]
    fig = Figure(figsize=(width / mm / 25.4, height / mm / 25.4), dpi=200)
    ax = fig.add_axes((0.07, 0.2, 0.91, 0.7))
    bar = 5.0 if weekly else 0.8
    ax.bar(xs, [counts[d][0] for d in days], width=bar, color="#1d4e89", label="shipments")
    ax.bar(xs, [counts[d][1] for d in days], width=bar, bottom=[counts[d][0] for d in days],
           color=SEIZED_FILL, label="seized")  # fmt: skip
    ax.set_title(f"shipments per {'week' if weekly else 'day'}, {first} to {last}", fontsize=7,
                 loc="left")  # fmt: skip
    ax.tick_params(labelsize=6)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=6, frameon=False, loc="upper right")
    locator = AutoDateLocator(maxticks=7)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_locator(locator)
    concise = ConciseDateFormatter(locator, show_offset=False)  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(concise)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", facecolor="white")
    image = Image(io.BytesIO(buffer.getvalue()), width=width, height=height)
    return image


def _roles(node: ChartNode | None) -> str:
    roles = node.props.get("roles") if node is not None else None
    return ", ".join(str(r) for r in roles) if isinstance(roles, list) else ""


def _parties_of_shipments(chart: Chart) -> dict[str, dict[str, str]]:
    """shipment node id -> role edge kind -> party label."""
    labels = {n.id: n.label for n in chart.nodes}
    out: dict[str, dict[str, str]] = defaultdict(dict)
    for e in chart.edges:
        if e.kind in ("SHIPPED_BY", "CONSIGNED_TO") and e.target in labels:
            out[e.source][e.kind] = labels[e.target]
    return out


def summary_page(chart: Chart, summary: NetworkSummary, width: float) -> list[Flowable]:
    """The one-page summary (see the module docstring)."""
    out: list[Flowable] = [
        p(chart.title, H1),
        p(
            f"{chart.created_at} · analyst: {chart.analyst or 'not given'} · "
            f"{chart.provenance_line()}",
            SMALL,
        ),  # fmt: skip
        Spacer(1, 2 * mm),
    ]
    facts = [
        ["shipments", f"{summary.shipments}", "first / last arrival",
         f"{summary.first_date} / {summary.last_date}"],
        ["declared value", _money(summary.value_usd), "seized shipments",
         f"{len(summary.seized_shipment_ids)}"],
        ["parties", f"{sum(n.kind is NodeKind.PARTY for n in summary.nodes)}", "identifiers",
         f"{sum(n.kind is not NodeKind.PARTY for n in summary.nodes)}"],
    ]  # fmt: skip
    out.append(grid_table(facts, [0.16 * width, 0.2 * width, 0.2 * width, 0.44 * width]))
    out += [Spacer(1, 2 * mm), p("Key parties", H2)]
    parties = sorted(
        (n for n in summary.nodes if n.kind is NodeKind.PARTY),
        key=lambda n: (not n.key, -n.shipments, n.label),
    )[:KEY_PARTIES]
    out.append(
        grid_table(
            [
                [
                    "party",
                    "roles",
                    "shipments",
                    "seized",
                    "declared value",
                    "first / last seen",
                    "linked to",
                ]
            ]
            + [
                [
                    n.label,
                    _roles(chart.node(n.id)),
                    n.shipments,
                    n.seized,
                    _money(n.value_usd),
                    f"{n.first_date} / {n.last_date}",
                    n.degree,
                ]
                for n in parties
            ],
            [w * width for w in (0.3, 0.14, 0.08, 0.07, 0.11, 0.2, 0.1)],
            header=True,
        )  # fmt: skip
    )
    out += [Spacer(1, 2 * mm), p("Why this network ranks", H2)]
    typologies = chart.typologies
    if typologies:
        out.append(p("Typologies: " + ", ".join(typologies), CELL))
    reasons = [
        [i, "" if r.points is None else f"{r.points:+.1f}", r.text, len(r.evidence)]
        for i, r in enumerate(chart.reasons, 1)
    ]
    if reasons:
        out.append(
            grid_table(
                [["#", "points", "reason (the analysis run's own words)", "evidence"], *reasons],
                [0.05 * width, 0.09 * width, 0.74 * width, 0.12 * width],
                header=True,
            )
        )
    else:
        out.append(p("No reasons recorded (a chart not taken from an analysis run).", CELL))
    timeline = _timeline_image(summary, 0.4 * width, 38 * mm)
    seized = _seized_table(chart, summary, 0.58 * width)
    left: Flowable = timeline if timeline is not None else p("No arrival dates.", CELL)
    row = Table([[left, seized]], colWidths=[0.42 * width, 0.58 * width])
    row.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])
    )
    out += [Spacer(1, 2 * mm), p("Timeline and seized shipments", H2), row]
    return out


def _seized_table(chart: Chart, summary: NetworkSummary, width: float) -> Flowable:
    ids = summary.seized_shipment_ids
    if not ids:
        return p("No seized shipments.", CELL)
    ends = _parties_of_shipments(chart)
    rows: list[list[object]] = [["shipment", "arrival", "shipper → consignee", "value", "row"]]
    for sid in ids[:SEIZED_ROWS]:
        node = chart.node(f"shipment:{sid}")
        props = node.props if node is not None else {}
        parties = ends.get(f"shipment:{sid}", {})
        value = props.get("declared_value_usd")
        rows.append([
            sid, props.get("arrival_date", ""),
            f"{parties.get('SHIPPED_BY', '?')} → {parties.get('CONSIGNED_TO', '?')}",
            _money(float(value)) if isinstance(value, int | float) else "",
            "; ".join(source_refs(node.sources, chart.files)) if node is not None else "",
        ])  # fmt: skip
    table = grid_table(rows, [w * width for w in (0.16, 0.12, 0.33, 0.08, 0.31)], header=True)
    if len(ids) <= SEIZED_ROWS:
        return table
    more = Paragraph(f"… and {len(ids) - SEIZED_ROWS} more (listed under the entities).", CELL)
    return Table([[table], [more]], colWidths=[width])


def chart_page(scene: Scene, drawing: Flowable, width: float) -> list[Flowable]:
    """The summarised chart with its legend written out as text beside it."""
    legend = [[mark(e.colour, SYMBOLS.get(e.shape, "")), p(e.text, CELL)] for e in scene.legend]
    legend_table = Table(legend, colWidths=[8 * mm, 0.2 * width - 8 * mm])
    legend_table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    row = Table([[drawing, [p("Legend", H2), legend_table]]], colWidths=[0.8 * width, 0.2 * width])
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return [p(scene.title + ": link chart", H2), p(scene.subtitle, SMALL), row]
