"""Positions for a summarised link chart in which no two nodes overlap.

A seeded force-directed layout (igraph) places linked nodes near each other; then every
pair of circles closer than their radii plus a gap is pushed apart, a few rounds, and if
any overlap survives the whole picture is spread out until none does. Spreading only
scales distances, so it always ends; the pushes keep the picture compact. Shared by the
exports and the app, so both show the same chart."""

from __future__ import annotations

import math
import random
import threading
from collections.abc import Mapping, Sequence

import igraph as ig  # type: ignore[import-untyped]
import numpy as np
from numpy.typing import NDArray
from scipy.spatial import cKDTree  # type: ignore[import-untyped]

SEED = 7
SPACING = 150.0  # pixels between linked nodes, roughly
GAP = 12.0  # pixels kept free between two circles (room for a label line)
PUSH_ROUNDS = 60
ITERATIONS = 500
GRID_FROM = 200  # above this many nodes repulsion is computed on a grid (near nodes only)
_IGRAPH_RNG = threading.Lock()
SPREAD = 1.15  # factor by which the picture grows while an overlap remains


def spring_positions(
    node_ids: Sequence[str], links: Mapping[tuple[str, str], float]
) -> NDArray[np.float64]:
    """A seeded Fruchterman-Reingold layout (igraph's, in C: networkx's takes seconds from
    a few hundred nodes), scaled so that linked nodes sit about ``SPACING`` apart."""
    n = len(node_ids)
    if n == 1:
        return np.zeros((1, 2))
    index = {node: i for i, node in enumerate(node_ids)}
    pairs = sorted(links.items())
    graph = ig.Graph(n=n, edges=[(index[a], index[b]) for (a, b), _ in pairs])
    weights = [1.0 + math.log1p(w) for _, w in pairs]
    start = np.random.default_rng(SEED).uniform(-1.0, 1.0, size=(n, 2)) * math.sqrt(n)
    with _IGRAPH_RNG:  # igraph draws from one process-wide generator: seed it, then restore
        ig.set_random_number_generator(random.Random(SEED))
        try:
            found = graph.layout_fruchterman_reingold(
                weights=weights or None, niter=ITERATIONS, seed=start.tolist(), grid=n > GRID_FROM
            )
        finally:
            ig.set_random_number_generator(random)
    xy = np.asarray(found.coords, dtype=np.float64)
    linked = [(index[a], index[b]) for (a, b), _ in pairs if a != b]
    if linked:
        ends = np.asarray(linked)
        typical = float(np.median(np.linalg.norm(xy[ends[:, 0]] - xy[ends[:, 1]], axis=1)))
    else:
        typical = float(np.ptp(xy, axis=0).max()) / math.sqrt(n) or 1.0
    return xy * (SPACING / max(typical, 1e-9))


def _clashes(
    xy: NDArray[np.float64], radii: NDArray[np.float64], gap: float
) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.float64], NDArray[np.float64]]:
    """The pairs (i, j) of circles closer than their radii plus ``gap``, their offsets
    ``xy[i] - xy[j]`` and distances; a k-d tree finds the candidates in O(n log n)."""
    reach = 2 * float(radii.max()) + gap
    pairs = cKDTree(xy).query_pairs(reach, output_type="ndarray")
    i, j = pairs[:, 0], pairs[:, 1]
    delta = xy[i] - xy[j]
    d = np.sqrt((delta**2).sum(axis=1))
    clash = d < radii[i] + radii[j] + gap
    return i[clash], j[clash], delta[clash], d[clash]


def overlaps(xy: NDArray[np.float64], radii: NDArray[np.float64], gap: float = GAP) -> int:
    """How many pairs of circles are closer than their radii plus ``gap``."""
    if len(xy) < 2:
        return 0
    return len(_clashes(xy, radii, gap)[0])


def _push(xy: NDArray[np.float64], radii: NDArray[np.float64], gap: float) -> bool:
    """One round of pushing every clashing pair apart; False when nothing clashed."""
    i, j, delta, d = _clashes(xy, radii, gap)
    if not len(i):
        return False
    # Coincident points get a seeded direction each, so they separate too.
    same = d < 1e-9
    if same.any():
        angles = np.random.default_rng(SEED).uniform(0, 2 * math.pi, size=int(same.sum()))
        delta[same] = np.stack([np.cos(angles), np.sin(angles)], axis=1)
        d[same] = 1.0
    overlap = (radii[i] + radii[j] + gap - d) / 2.0
    step = delta / d[:, None] * overlap[:, None] * 0.6
    np.add.at(xy, i, step)
    np.add.at(xy, j, -step)
    return True


def separate(
    xy: NDArray[np.float64], radii: NDArray[np.float64], gap: float = GAP
) -> NDArray[np.float64]:
    """``xy`` moved so that no two circles overlap (radii plus ``gap`` apart)."""
    out = xy.astype(np.float64).copy()
    if len(out) < 2:
        return out
    for _ in range(PUSH_ROUNDS):
        if not _push(out, radii, gap):
            return out
    while overlaps(out, radii, gap):
        centre = out.mean(axis=0)
        out = (out - centre) * SPREAD + centre
        for _ in range(PUSH_ROUNDS // 6):
            if not _push(out, radii, gap):
                break
    return out


def layout(
    node_ids: Sequence[str],
    radii: Sequence[float],
    links: Mapping[tuple[str, str], float],
) -> dict[str, tuple[float, float]]:
    """Positions (pixels, y down, centred on 0) for circles of ``radii``, linked by
    ``links`` (pair of node ids -> weight), none overlapping another."""
    if not node_ids:
        return {}
    r = np.asarray(radii, dtype=np.float64)
    xy = separate(spring_positions(node_ids, links), r)
    xy -= xy.mean(axis=0)
    return {
        n: (round(float(x), 2), round(float(y), 2)) for n, (x, y) in zip(node_ids, xy, strict=True)
    }
