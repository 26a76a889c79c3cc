"""PNG of the chart drawn with matplotlib (Agg, no display) at the chart's positions.

Labels are drawn with math text off, so a ``$`` in a manifest name is never parsed."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from graphintel.export.chart import Chart  # noqa: E402
from graphintel.export.layout import apply_layout, bounds  # noqa: E402
from graphintel.export.style import (  # noqa: E402
    EDGE_COLOUR,
    EVIDENCE_RING,
    fill,
    radius,
    short_label,
)
from graphintel.export.text import xml_clean  # noqa: E402

DPI = 100
MARGIN = 60.0
MAX_PIXELS = 2400  # longest side; larger charts are drawn smaller, not cropped
MIN_PIXELS = 300
LABEL_LIMIT = 400  # above this many nodes only parties and cited evidence are labelled


def render(chart: Chart, dpi: int = DPI, max_pixels: int = MAX_PIXELS) -> bytes:
    apply_layout(chart)
    min_x, min_y, max_x, max_y = bounds(chart)
    width_px = max(max_x - min_x + 2 * MARGIN, MIN_PIXELS)
    height_px = max(max_y - min_y + 2 * MARGIN, MIN_PIXELS)
    shrink = min(1.0, max_pixels / max(width_px, height_px))
    fig = Figure(figsize=(width_px * shrink / dpi, height_px * shrink / dpi), dpi=dpi)
    ax = fig.add_axes((0.0, 0.0, 1.0, 1.0))
    ax.set_axis_off()
    cx, cy = (min_x + max_x) / 2, (min_y + max_y) / 2
    ax.set_xlim(cx - width_px / 2, cx + width_px / 2)
    ax.set_ylim(cy + height_px / 2, cy - height_px / 2)  # screen coordinates: y grows down
    pos = {n.id: (n.x, n.y) for n in chart.nodes}
    segments = [
        (pos[e.source], pos[e.target]) for e in chart.edges if e.source in pos and e.target in pos
    ]
    widths = [
        min(1.0 + e.weight / 2, 6.0) * 0.6
        for e in chart.edges
        if e.source in pos and e.target in pos
    ]
    ax.add_collection(LineCollection(segments, colors=EDGE_COLOUR, linewidths=widths, zorder=1))
    points_per_px = 72.0 / dpi * shrink
    ax.scatter(
        [n.x for n in chart.nodes],
        [n.y for n in chart.nodes],
        s=[(2 * radius(n.kind) * points_per_px) ** 2 for n in chart.nodes],
        c=[fill(n.kind, n.flags) for n in chart.nodes],
        edgecolors=[EVIDENCE_RING if "evidence" in n.flags else "none" for n in chart.nodes],
        linewidths=2,
        zorder=2,
    )
    many = len(chart.nodes) > LABEL_LIMIT
    for n in chart.nodes:
        if many and n.kind.value != "Party" and "evidence" not in n.flags:
            continue
        ax.text(
            n.x,
            n.y + radius(n.kind) + 10,
            short_label(xml_clean(n.label)),
            fontsize=7,
            ha="center",
            va="center",
            parse_math=False,
            zorder=3,
        )
    fig.text(0.01, 0.005, chart.provenance_line(), fontsize=6, color="#555", parse_math=False)
    buffer = io.BytesIO()
    metadata = {
        "Title": chart.title,
        "Description": chart.provenance_line(),
        "Source": f"GraphIntel run {chart.run_id}" if chart.run_id else "GraphIntel",
    }
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata=metadata)
    return buffer.getvalue()
