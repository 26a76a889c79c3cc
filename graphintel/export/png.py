"""PNG of the chart's scene (``scene``) drawn with matplotlib (Agg, no display): circles,
links with their labels, a legend panel on the right and the narrative and notes as an
annotation below (and in the file's ``Comment``). Math text is off, so a ``$`` in a
manifest name is never parsed."""

from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from graphintel.export.chart import Chart  # noqa: E402
from graphintel.export.label_place import Fonts, dejavu_width, place  # noqa: E402
from graphintel.export.narrative import narrative_of  # noqa: E402
from graphintel.export.scene import LegendEntry, Scene, scene_of  # noqa: E402
from graphintel.export.text import xml_clean  # noqa: E402

DPI = 100
MARGIN = 40.0  # pixels around the drawing, in chart pixels
MAX_PIXELS = 2400  # longest side of the drawing; larger charts are drawn smaller, not cropped
MIN_PIXELS = 300
LEGEND_PX = 300  # the legend panel's width
LEGEND_MIN_PX = 330  # the height the legend needs
LINE_PX = 15  # one annotation line's height
FONT = 8  # node labels, points
LINK_FONT = 6.5
_LABEL_BOX = {"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.75}


def _handle(entry: LegendEntry) -> Line2D:
    if entry.shape == "line":
        return Line2D([], [], color=entry.colour, linewidth=3)
    if entry.shape == "ring":
        return Line2D([], [], marker="o", linestyle="", markersize=11, markerfacecolor="white",
                      markeredgecolor=entry.colour, markeredgewidth=2.5)  # fmt: skip
    if entry.shape == "dot":
        return Line2D([], [], marker="o", linestyle="", markersize=10, color=entry.colour)
    return Line2D([], [], linestyle="")


def fonts(scene: Scene, max_pixels: int) -> Fonts:
    """The label fonts at the scale the scene will be drawn at (``max_pixels``)."""
    min_x, min_y, max_x, max_y = scene.bounds()
    longest = max(max_x - min_x + 2 * MARGIN, max_y - min_y + 2 * MARGIN, MIN_PIXELS)
    shrink = min(1.0, max_pixels / longest)
    return Fonts(dejavu_width, FONT, LINK_FONT, DPI / 72.0 / shrink)


def figure(scene: Scene, max_pixels: int = MAX_PIXELS, panels: bool = True) -> Figure:
    """The scene as a matplotlib figure; ``panels`` adds the legend and the annotation.
    Labels are placed (``label_place``) for the scale they are drawn at."""
    planned = fonts(scene, max_pixels)
    scene = place(scene, planned)
    min_x, min_y, max_x, max_y = scene.bounds()
    width = max(max_x - min_x + 2 * MARGIN, MIN_PIXELS)
    height = max(max_y - min_y + 2 * MARGIN, MIN_PIXELS)
    shrink = min(1.0, max_pixels / max(width, height))
    # Placed labels grew the picture a little: draw them smaller by as much, so that the
    # boxes checked for overlap are the boxes drawn.
    font_scale = DPI / 72.0 / shrink / planned.unit
    draw_w, draw_h = width * shrink, height * shrink
    legend_w = LEGEND_PX if panels else 0
    notes_h = (len(scene.annotation) + 1) * LINE_PX if panels and scene.annotation else 0
    title_h = 2 * LINE_PX + 8 if panels else 0
    if panels:
        draw_h = max(draw_h, LEGEND_MIN_PX)
    fig_w, fig_h = draw_w + legend_w, draw_h + notes_h + title_h
    fig = Figure(figsize=(fig_w / DPI, fig_h / DPI), dpi=DPI)
    ax = fig.add_axes((0.0, notes_h / fig_h, draw_w / fig_w, draw_h / fig_h))
    ax.set_axis_off()
    cx, cy = (min_x + max_x) / 2, (min_y + max_y) / 2
    span_h = draw_h / shrink
    ax.set_xlim(cx - width / 2, cx + width / 2)
    ax.set_ylim(cy + span_h / 2, cy - span_h / 2)  # screen coordinates: y grows down
    points_per_px = 72.0 / DPI * shrink
    ax.add_collection(
        LineCollection(
            [((ln.x1, ln.y1), (ln.x2, ln.y2)) for ln in scene.lines],
            colors=[ln.colour for ln in scene.lines],
            linewidths=[ln.width * max(shrink, 0.4) for ln in scene.lines],
            alpha=0.85,
            zorder=1,
        )
    )
    for ln in scene.lines:
        if ln.label:
            ax.text(ln.lx, ln.ly, ln.label, fontsize=LINK_FONT * font_scale, color="#333",
                    ha="center", va="center", parse_math=False, zorder=2, gid="link-label",
                    bbox=_LABEL_BOX)  # fmt: skip
    ax.scatter(
        [d.x for d in scene.dots],
        [d.y for d in scene.dots],
        s=[(2 * d.r * points_per_px) ** 2 for d in scene.dots],
        c=[d.fill for d in scene.dots],
        edgecolors=[d.ring or "white" for d in scene.dots],
        linewidths=[3.0 if d.ring else 0.8 for d in scene.dots],
        zorder=3,
    )
    for d in scene.dots:
        if d.label:
            ax.text(d.lx, d.ly, d.label, fontsize=FONT * font_scale,
                    fontweight="bold" if d.key else "normal", ha="center", va="center",
                    parse_math=False, zorder=4, gid="node-label", bbox=_LABEL_BOX)  # fmt: skip
    if panels:
        _panels(fig, scene, (fig_w, fig_h), draw_w, notes_h, title_h)
    return fig


def _panels(
    fig: Figure,
    scene: Scene,
    size: tuple[float, float],
    draw_w: float,
    notes_h: float,
    title_h: float,
) -> None:
    fig_w, fig_h = size
    fig.text(8 / fig_w, 1 - 6 / fig_h, scene.title, fontsize=FONT + 4, fontweight="bold",
             va="top", parse_math=False)  # fmt: skip
    fig.text(8 / fig_w, 1 - (LINE_PX + 12) / fig_h, scene.subtitle, fontsize=FONT,
             color="#444", va="top", parse_math=False)  # fmt: skip
    fig.legend(
        handles=[_handle(e) for e in scene.legend],
        labels=[e.text for e in scene.legend],
        loc="upper left",
        bbox_to_anchor=((draw_w + 4) / fig_w, 1 - title_h / fig_h),
        fontsize=FONT,
        title="Legend",
        frameon=True,
    )
    for i, line in enumerate(scene.annotation):
        fig.text(8 / fig_w, (notes_h - (i + 1) * LINE_PX) / fig_h, line, fontsize=FONT - 0.5,
                 color="#222", va="bottom", parse_math=False)  # fmt: skip


def render(chart: Chart, dpi: int = DPI, max_pixels: int = MAX_PIXELS) -> bytes:
    fig = figure(scene_of(chart), max_pixels)
    buffer = io.BytesIO()
    metadata = {
        "Title": chart.title,
        "Description": chart.provenance_line(),
        "Source": f"GraphIntel run {chart.run_id}" if chart.run_id else "GraphIntel",
        "Comment": xml_clean(narrative_of(chart, chart.summary).text()),
    }
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata=metadata)
    return buffer.getvalue()
