"""Node positions computed on the server: the chart opens with them (a preset layout), so the
same network looks the same on every load, no force simulation runs in the browser, and no
two nodes overlap (the browser's force layouts let structurally equivalent hubs, such as a
shipper and the drop address all its parcels go to, land on top of each other). The layout
itself is the exports' (graphintel.export.summary_layout), so app and exports agree.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from graphintel.export.summary_layout import layout, overlaps, separate

Element = dict[str, Any]
Positions = dict[str, dict[str, float]]
GAP = 10.0  # px kept free between two node outlines
SPREAD = 1.6  # room for fixed-size labels at the fitted zoom
ASPECT = np.array([1.6, 1.0])  # wider than tall, as the chart is on a screen


def _split(elements: Sequence[Element]) -> tuple[list[str], list[float], Counter[tuple[str, str]]]:
    """Node ids, their radii (half the drawn size) and the links among them (pair -> count)."""
    names: list[str] = []
    radii: list[float] = []
    for el in elements:
        if "source" not in el["data"]:
            names.append(str(el["data"]["id"]))
            radii.append(float(el["data"].get("size") or 20) / 2)
    present = set(names)
    links: Counter[tuple[str, str]] = Counter()
    for el in elements:
        d = el["data"]
        if "source" in d and d["source"] in present and d["target"] in present:
            a, b = sorted((str(d["source"]), str(d["target"])))
            links[(a, b)] += 1
    return names, radii, links


def _as_positions(names: Sequence[str], xy: NDArray[np.float64]) -> Positions:
    return {
        n: {"x": round(float(p[0]), 1), "y": round(float(p[1]), 1)}
        for n, p in zip(names, xy, strict=True)
    }


def spread_core(
    names: Sequence[str], xy: NDArray[np.float64], radii: NDArray[np.float64]
) -> Positions:
    """Positions pulled apart in the middle (a fisheye: distance from the centre r becomes
    R * sqrt(r / R)), then separated again. A spring layout of a hub-and-spoke network packs
    the parties into a dense core with the one-link identifiers far out; the app draws labels
    at a fixed size on screen, and the core is where they are."""
    if len(names) < 3:
        return _as_positions(names, xy)
    centre = np.median(xy, axis=0)
    offset = xy - centre
    r = np.hypot(offset[:, 0], offset[:, 1])
    outer = float(r.max()) or 1.0
    factor = np.where(r > 1e-9, np.sqrt(r / outer) * outer / np.maximum(r, 1e-9), 1.0)
    spread = offset * factor[:, None] * SPREAD * ASPECT
    return _as_positions(names, separate(spread, radii, GAP))


def seeded_positions(elements: Sequence[Element]) -> Positions:
    """A seeded spring layout, its core spread out, with no two nodes overlapping; the same
    chart gets the same positions every time."""
    names, radii, links = _split(elements)
    where = layout(names, radii, {k: float(v) for k, v in links.items()})
    xy = np.array([where[n] for n in names], dtype=np.float64).reshape(-1, 2)
    return spread_core(names, xy, np.asarray(radii, dtype=np.float64))


def concentric_positions(elements: Sequence[Element]) -> Positions:
    """Rings by connectedness: the most connected node in the middle, then rings of growing
    circumference, each holding as many nodes as fit (cytoscape's own concentric layout puts
    every node of a hub-and-spoke network on one ring)."""
    names, radii, links = _split(elements)
    if not names:
        return {}
    degree: Counter[str] = Counter()
    for a, b in links:
        degree[a] += 1
        degree[b] += 1
    order = sorted(range(len(names)), key=lambda i: (-degree[names[i]], names[i]))
    r = np.asarray(radii, dtype=np.float64)
    slot = 2 * float(r.max()) + GAP
    xy = np.zeros((len(names), 2))
    placed, ring = 1, 1  # the first node sits in the middle
    while placed < len(order):
        radius = slot * 1.3 * ring
        count = max(6, int(2 * math.pi * radius / slot))
        members = order[placed : placed + count]
        for k, i in enumerate(members):
            angle = 2 * math.pi * k / len(members) + ring * 0.35
            xy[i] = (radius * math.cos(angle), radius * math.sin(angle))
        placed += len(members)
        ring += 1
    return _as_positions(names, separate(xy, r, GAP))


def overlapping_pairs(elements: Sequence[Element]) -> int:
    """How many pairs of placed nodes overlap (their discs touch): what the layouts promise
    never to leave, checked by the tests."""
    placed = [el for el in elements if "source" not in el["data"] and el.get("position")]
    if len(placed) < 2:
        return 0
    xy = np.array([[el["position"]["x"], el["position"]["y"]] for el in placed], dtype=float)
    radii = np.array([float(el["data"].get("size") or 20) / 2 for el in placed])
    return overlaps(xy, radii, gap=0.0)
