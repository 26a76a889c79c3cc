"""Labels on a dense hub (one address shared by forty parties) as each format draws them:
no two drawn labels intersect. The PNG's boxes are matplotlib's own extents of the drawn
text and the PDF's are poppler's word boxes, not the placer's estimates; the same labels
written under their circles, as before, do collide on this network."""

from __future__ import annotations

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from itertools import combinations
from pathlib import Path

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from graphintel.export import export_bytes, png
from graphintel.export.chart import Chart, ChartNode
from graphintel.export.label_place import HIDDEN_NOTE, PAD, dejavu_width
from graphintel.export.scene import scene_of
from graphintel.export.summary import NetworkSummary, SummaryLink, SummaryNode, radius_for
from graphintel.export.summary_layout import layout
from graphintel.model import NodeKind

PARTIES = 40
HUB = "address:US|07105|1 HUB ST"
Box = tuple[float, float, float, float]


def _hub_chart() -> Chart:
    ids = [HUB] + [f"party:p{i:02d}" for i in range(PARTIES)]
    shipments = {HUB: PARTIES, **{p: 1 + i % 3 for i, p in enumerate(ids[1:])}}
    radii = [radius_for(shipments[n]) for n in ids]
    where = layout(ids, radii, {(HUB, p): 1.0 for p in ids[1:]})
    nodes = tuple(
        SummaryNode(n, NodeKind.ADDRESS if n == HUB else NodeKind.PARTY,
                    "1 HUB ST, NEWARK, NJ 07105" if n == HUB else f"Trading Company {n[-2:]} Ltd",
                    shipments[n], 0, 10.0 * shipments[n], "2026-03-01", "2026-03-08",
                    PARTIES if n == HUB else 1, n == HUB or n.endswith("0"), r, *where[n])
        for n, r in zip(ids, radii, strict=True)
    )  # fmt: skip
    links = tuple(
        SummaryLink(p, HUB, "HAS_ADDRESS", shipments[p], 10.0 * shipments[p], "2026-03-01",
                    "2026-03-08", (f"s{p[-2:]}",), 0)
        for p in ids[1:]
    )  # fmt: skip
    summary = NetworkSummary("hub", nodes, links, PARTIES, 400.0, "2026-03-01", "2026-03-08",
                             (), (("2026-03-01", PARTIES, 0),))  # fmt: skip
    members = [ChartNode(n.id, n.kind, n.label) for n in nodes]
    return Chart(title="Dense hub", nodes=members, edges=[], summary=summary)


def _intersecting(boxes: list[tuple[str, Box]]) -> list[tuple[str, str]]:
    return [
        (a, b)
        for (a, p), (b, q) in combinations(boxes, 2)
        if p[0] < q[2] and q[0] < p[2] and p[1] < q[3] and q[1] < p[3]
    ]


def test_labels_written_under_their_circles_would_collide() -> None:
    """The network is dense enough to test: the old placement overlaps."""
    scene = scene_of(_hub_chart())
    size = 10.0
    boxes = []
    for d in scene.dots:
        w = dejavu_width(d.label, size, d.key)
        boxes.append((d.id, (d.x - w / 2, d.y + d.r, d.x + w / 2, d.y + d.r + 1.2 * size)))
    assert len(_intersecting(boxes)) > 20


def test_png_labels_do_not_intersect() -> None:
    scene = scene_of(_hub_chart())
    fig = png.figure(scene)
    renderer = FigureCanvasAgg(fig).get_renderer()
    ax = fig.axes[0]
    drawn = [t for t in ax.texts if t.get_gid() in ("node-label", "link-label")]
    boxes = [
        (t.get_text(), (e.x0, e.y0, e.x1, e.y1))
        for t in drawn
        for e in (t.get_window_extent(renderer),)
    ]
    node_labels = [t for t in drawn if t.get_gid() == "node-label"]
    assert len(node_labels) >= 12  # most names fit around the hub
    assert _intersecting(boxes) == []
    left_out = PARTIES + 1 - len(node_labels)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    if left_out:
        assert HIDDEN_NOTE.format(left_out) in legend
    keys = {d.label for d in scene.dots if d.key}
    assert keys <= {t.get_text() for t in node_labels}  # key nodes are named first


def test_svg_labels_do_not_intersect() -> None:
    root = ET.fromstring(export_bytes(_hub_chart(), "svg"))
    boxes = []
    for t in root.iter("{http://www.w3.org/2000/svg}text"):
        if t.get("dominant-baseline") != "central":
            continue  # titles, legend and annotation are laid out apart from the chart
        size = float(t.get("font-size", "0"))
        text = t.text or ""
        w = dejavu_width(text, size, t.get("font-weight") == "bold") + 2 * PAD * size
        h = 1.2 * size
        x, y = float(t.get("x", "0")), float(t.get("y", "0"))
        boxes.append((text, (x - w / 2, y - h / 2, x + w / 2, y + h / 2)))
    assert len(boxes) >= 12
    assert _intersecting(boxes) == []


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_chart_words_do_not_intersect(tmp_path: Path) -> None:
    path = tmp_path / "hub.pdf"
    path.write_bytes(export_bytes(_hub_chart(), "pdf"))
    html = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-bbox", str(path), "-"],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    words = [
        (m["word"], (float(m["x0"]), float(m["y0"]), float(m["x1"]), float(m["y1"])))
        for m in re.finditer(
            r'<word xMin="(?P<x0>[\d.]+)" yMin="(?P<y0>[\d.]+)" xMax="(?P<x1>[\d.]+)" '
            r'yMax="(?P<y1>[\d.]+)">(?P<word>[^<]*)</word>',
            html,
        )
    ]
    assert sum(w.startswith("Trading") for w, _ in words) >= 12
    # poppler's boxes are the fonts' full line height: shave a hair so words that merely
    # touch (one label's line on top of the next) do not count
    shaved = [(w, (b[0] + 0.2, b[1] + 0.2, b[2] - 0.2, b[3] - 0.2)) for w, b in words]
    assert _intersecting(shaved) == []
