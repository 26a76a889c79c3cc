"""Labels placed so that no two overlap, for every drawn format.

Around a dense hub forty names written under their circles pile into one smudge. Here the
candidate labels, best first (key nodes, then ringed ones: seized or cited, then the
biggest circles), each take the first free spot of eight around their circle (below,
above, right, left, then the corners), clear of every circle if one is, else clear of the
named circles (a key node's label: of the key nodes' circles). A label with no free spot
is left out and counted in the legend (the SVG keeps every name as a tooltip, the PDF in
its tables). Link labels come after, at their link's middle only. A renderer measures its
own font (``Fonts``): the boxes are in chart units for the scale it will draw at, so what
is checked here is what gets drawn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath
from numpy.typing import NDArray

from graphintel.export.scene import LegendEntry, Scene

HIDDEN_NOTE = "{} names hidden (no room)"
PAD = 0.15  # free space around a label's text, in font sizes
LINE = 1.2  # a label's height, in font sizes

Width = Callable[[str, float, bool], float]  # text, font size, bold -> width in font units


@dataclass(frozen=True, slots=True)
class Fonts:
    """How a renderer draws labels: ``width`` measures text in its font units (points or
    pixels) at a size; ``unit`` is chart units per font unit at the drawing's scale."""

    width: Width
    node_size: float
    link_size: float
    unit: float

    def box(self, text: str, size: float, bold: bool) -> tuple[float, float]:
        """Width and height in chart units of a label's box, its padding included."""
        pad = 2 * PAD * size
        return (self.width(text, size, bold) + pad) * self.unit, (LINE * size + pad) * self.unit


_TO_PATH = TextToPath()


@lru_cache(maxsize=4096)
def dejavu_width(text: str, size: float, bold: bool) -> float:
    """Width of ``text`` in DejaVu Sans (matplotlib's font and the SVG's first choice) at
    ``size``, in the units of ``size``."""
    prop = FontProperties(family="DejaVu Sans", size=size, weight="bold" if bold else "normal")
    width, _, _ = _TO_PATH.get_text_width_height_descent(text, prop, ismath=False)
    return float(width)


@dataclass(slots=True)
class _Boxes:
    """Placed label boxes (x0, y0, x1, y1), grown in place."""

    rows: NDArray[np.float64]
    used: int = 0

    def hits(self, box: NDArray[np.float64]) -> bool:
        b = self.rows[: self.used]
        return bool(
            (
                (b[:, 0] < box[2]) & (box[0] < b[:, 2]) & (b[:, 1] < box[3]) & (box[1] < b[:, 3])
            ).any()
        )

    def add(self, box: NDArray[np.float64]) -> None:
        self.rows[self.used] = box
        self.used += 1


def _covers_circle(
    box: NDArray[np.float64], centres: NDArray[np.float64], r: NDArray[np.float64]
) -> bool:
    """Whether the box touches any circle (its nearest point closer than the radius)."""
    near_x = np.clip(centres[:, 0], box[0], box[2])
    near_y = np.clip(centres[:, 1], box[1], box[3])
    return bool((((centres[:, 0] - near_x) ** 2 + (centres[:, 1] - near_y) ** 2) < r**2).any())


def _spots(
    x: float, y: float, r: float, w: float, h: float, gap: float
) -> list[tuple[float, float]]:
    """Centres of the spots around a circle, best first: below, above, right, left, then
    the four corners."""
    dx, dy = r + gap + w / 2, r + gap + h / 2
    corner = (r + gap) * 0.7071
    return [
        (x, y + dy),
        (x, y - dy),
        (x + dx, y),
        (x - dx, y),
        (x + corner + w / 2, y + corner + h / 2),
        (x - corner - w / 2, y + corner + h / 2),
        (x + corner + w / 2, y - corner - h / 2),
        (x - corner - w / 2, y - corner - h / 2),
    ]


def _box(centre: tuple[float, float], w: float, h: float) -> NDArray[np.float64]:
    return np.array([centre[0] - w / 2, centre[1] - h / 2, centre[0] + w / 2, centre[1] + h / 2])


def _free_spot(
    spots: list[tuple[float, float]],
    size: tuple[float, float],
    placed: _Boxes,
    obstacles: list[tuple[NDArray[np.float64], NDArray[np.float64]]],
) -> tuple[float, float] | None:
    """The first spot clear of every placed label and of the first of the ``obstacles``
    (circles) that leave one free."""
    for centres, radii in obstacles:
        for spot in spots:
            box = _box(spot, *size)
            if not placed.hits(box) and not _covers_circle(box, centres, radii):
                return spot
    return None


def place(scene: Scene, fonts: Fonts) -> Scene:
    """``scene`` with each label at a free spot (``Dot.lx``/``ly``, ``Line.lx``/``ly``: the
    label's centre) or left out, and the legend saying how many were left out."""
    dots, lines = list(scene.dots), list(scene.lines)
    centres = np.array([(d.x, d.y) for d in dots], dtype=np.float64).reshape(-1, 2)
    radii = np.array([d.r for d in dots], dtype=np.float64)
    named = np.array([bool(d.label) for d in dots], dtype=bool)
    key = np.array([d.key for d in dots], dtype=bool)
    # When nothing else is free (in a dense cluster every spot covers a circle) a label may
    # cover an unnamed circle, and a key node's label any circle but a key node's; never
    # another label.
    obstacles = [(centres, radii), (centres[named], radii[named])]
    key_obstacles = [*obstacles, (centres[key], radii[key])]
    placed = _Boxes(np.zeros((len(dots) + len(lines), 4)))
    gap = 0.4 * fonts.node_size * fonts.unit  # clear of a 3-pixel ring
    hidden = 0
    ranked = sorted(
        (i for i, d in enumerate(dots) if d.label),
        key=lambda i: (not dots[i].key, not dots[i].ring, -dots[i].r, i),
    )
    for i in ranked:
        d = dots[i]
        w, h = fonts.box(d.label, fonts.node_size, d.key)
        spot = _free_spot(
            _spots(d.x, d.y, d.r, w, h, gap), (w, h), placed, key_obstacles if d.key else obstacles
        )
        if spot is None:
            dots[i] = replace(d, label="")
            hidden += 1
        else:
            placed.add(_box(spot, w, h))
            dots[i] = replace(d, lx=spot[0], ly=spot[1])
    for i, ln in enumerate(lines):
        if not ln.label:
            continue
        w, h = fonts.box(ln.label, fonts.link_size, False)
        cx, cy = (ln.x1 + ln.x2) / 2, (ln.y1 + ln.y2) / 2
        box = _box((cx, cy), w, h)
        if placed.hits(box) or _covers_circle(box, centres, radii):
            lines[i] = replace(ln, label="")
        else:
            placed.add(box)
            lines[i] = replace(ln, lx=cx, ly=cy)
    legend = list(scene.legend)
    if hidden:
        legend.append(LegendEntry("text", "#222", HIDDEN_NOTE.format(hidden)))
    return replace(
        scene,
        dots=dots,
        lines=lines,
        legend=legend,
        label_boxes=placed.rows[: placed.used].tolist(),
    )
