"""The link chart drawn into the PDF as vector graphics (reportlab canvas), not a picture:
sharp at any zoom and print size, its names are text a reader can search and copy, and
drawing it costs a few tens of milliseconds where rendering and embedding a 2,000-pixel
image cost about a second. Labels are placed for the page's scale (``label_place``)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus.flowables import Flowable

from graphintel.export.label_place import LINE, PAD, Fonts, place
from graphintel.export.scene import Scene

NODE_FONT = 7.0  # points
LINK_FONT = 6.0
MIN_RADIUS = 1.2  # points: a circle never shrinks to nothing on a very large chart
_FACE = {False: "Helvetica", True: "Helvetica-Bold"}


def helvetica_width(text: str, size: float, bold: bool) -> float:
    return float(stringWidth(text, _FACE[bold], size))


class ChartDrawing(Flowable):  # type: ignore[misc]
    """The scene scaled to fit ``max_w`` x ``max_h`` points, y turned up for PDF."""

    def __init__(self, scene: Scene, max_w: float, max_h: float) -> None:
        super().__init__()
        min_x, min_y, max_x, max_y = scene.bounds()
        planned = min(max_w / max(max_x - min_x, 1.0), max_h / max(max_y - min_y, 1.0))
        least = MIN_RADIUS / planned
        scene = replace(
            scene, dots=[d if d.r >= least else replace(d, r=least) for d in scene.dots]
        )
        self.scene = place(scene, Fonts(helvetica_width, NODE_FONT, LINK_FONT, 1.0 / planned))
        min_x, min_y, max_x, max_y = self.scene.bounds()
        self.scale = min(max_w / max(max_x - min_x, 1.0), max_h / max(max_y - min_y, 1.0))
        # Placed labels grew the picture a little; their fonts shrink by as much, so the
        # boxes checked for overlap are the boxes drawn.
        self.font_scale = self.scale / planned
        self.origin = (min_x, min_y)
        self.width = (max_x - min_x) * self.scale
        self.height = (max_y - min_y) * self.scale

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        return self.width, self.height

    def _at(self, x: float, y: float) -> tuple[float, float]:
        return (x - self.origin[0]) * self.scale, self.height - (y - self.origin[1]) * self.scale

    def draw(self) -> None:
        canv = self.canv
        scene, s = self.scene, self.scale
        canv.saveState()
        groups: dict[tuple[str, float], list[tuple[float, float, float, float]]] = defaultdict(list)
        for ln in scene.lines:
            groups[(ln.colour, round(max(ln.width * s, 0.25), 2))].append(
                (*self._at(ln.x1, ln.y1), *self._at(ln.x2, ln.y2))
            )
        canv.setStrokeAlpha(0.85)
        for (colour, width), segments in groups.items():
            canv.setStrokeColor(colors.HexColor(colour))
            canv.setLineWidth(width)
            canv.lines(segments)
        canv.setStrokeAlpha(1.0)
        for d in scene.dots:
            x, y = self._at(d.x, d.y)
            canv.setFillColor(colors.HexColor(d.fill))
            ring = d.ring or "#ffffff"
            canv.setStrokeColor(colors.HexColor(ring))
            canv.setLineWidth(max(1.2 if d.ring else 0.3, 3.0 * s if d.ring else 0.8 * s))
            canv.circle(x, y, d.r * s, stroke=1, fill=1)
        for ln in scene.lines:
            if ln.label:
                self._label(ln.label, ln.lx, ln.ly, LINK_FONT, False, "#333333")
        for d in scene.dots:
            if d.label:
                self._label(d.label, d.lx, d.ly, NODE_FONT, d.key, "#222222")
        canv.restoreState()

    def _label(self, text: str, lx: float, ly: float, size: float, bold: bool, ink: str) -> None:
        """A label on a light box, centred at the placed point."""
        canv, size = self.canv, size * self.font_scale
        x, y = self._at(lx, ly)
        w = helvetica_width(text, size, bold) + 2 * PAD * size
        h = LINE * size + 2 * PAD * size
        canv.setFillColor(colors.white, alpha=0.75)
        canv.rect(x - w / 2, y - h / 2, w, h, stroke=0, fill=1)
        canv.setFillColor(colors.HexColor(ink), alpha=1.0)
        canv.setFont(_FACE[bold], size)
        canv.drawCentredString(x, y - 0.35 * size, text)
