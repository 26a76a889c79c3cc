"""Export of one network of about 1,500 elements from a real store: building the chart
(exact provenance, the summarised link chart and its layout) and every format, against
named baselines in the same run.

The store comes from ``graphintel synth`` (generated, loaded, resolved and analysed here;
``--work DIR`` keeps it for the next run). Synthetic networks are smaller than a case a
team hands over, so the analysis run's networks, best first, are joined into one of at
least ``--elements`` parties, identifiers and shipments, recorded as a run of its own.
Each format is timed warm (a first pass loads matplotlib, reportlab, followthemoney).
Baselines: the store's own ``provenance`` per node (overstated for identifiers: the share
of its rows that do not hold the identifier is printed) and ``nx.spring_layout`` over the
summarised nodes (what a plain networkx layout costs, overlaps left); and for the PDF, the
report with its chart as a 2,000-pixel matplotlib picture embedded as an image (how the
report drew it before the chart was drawn as vector graphics). Every format is printed
alone and with the chart build, against the 3 s target for the two together. Usage:

    .venv/bin/python benchmarks/export_bench.py --shipments 20000 --elements 1500
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path

import networkx as nx
from reportlab.lib import rl_accel
from reportlab.platypus import Image

from graphintel.analytics import analyze_store
from graphintel.export import FORMATS, Chart, chart_from_network, export_bytes, pdf, png
from graphintel.export.members import network_members
from graphintel.export.provenance import exact_sources
from graphintel.export.scene import Scene
from graphintel.export.summary_layout import layout
from graphintel.model import IDENTIFIER_KINDS, kind_of
from graphintel.records import Network
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore, SqliteStore
from graphintel.synth import generate
from loaders.load import load_file

TARGET_S = 3.0  # issue 16: every export of a 1,500-element network, chart build included
RASTER_PIXELS = 2000


def prepare(work: Path, shipments: int, seed: int) -> SqliteStore:
    ready = work / "analysed.ok"
    if not ready.exists():
        summary = generate(work, shipments=shipments, seed=seed)
        store = SqliteStore(work / "store.db")
        try:
            load_file(store, summary.manifest)
            resolve_store(store)
            analyze_store(store)
        finally:
            store.close()
        ready.touch()
    return SqliteStore(work / "store.db")


def join_networks(store: GraphStore, elements: int) -> tuple[str, int]:
    """One network made of the latest analysis run's best networks, at least ``elements``
    members, recorded in a run of its own; its id and size."""
    run = store.latest_run()
    assert run is not None, "no analysis run"
    entities: dict[str, None] = {}
    shipments: dict[str, None] = {}
    reasons: list[str] = []
    evidence: dict[str, list[str]] = {}
    for n in store.networks(run.run_id):
        entities.update(dict.fromkeys(n.entity_ids))
        shipments.update(dict.fromkeys(n.shipment_ids))
        reasons += [r for r in n.reasons if r not in evidence]
        evidence.update({r: list(n.evidence.get(r, [])) for r in n.reasons})
        if len(entities) + len(shipments) >= elements:
            break
    joined = store.start_run("analyze", {"benchmark": "export_bench joined networks"}, {})
    network = Network("net-bench", joined.run_id, 1, 1.0, tuple(reasons[:8]),
                      {r: evidence[r] for r in reasons[:8]}, tuple(shipments),
                      tuple(entities))  # fmt: skip
    store.finish_run(joined.run_id, {"networks": 1}, [network])
    return network.network_id, len(entities) + len(shipments)


class _RasterChart(Image):  # type: ignore[misc]
    """Baseline: the scene drawn by matplotlib at 2,000 px and embedded as a PNG image."""

    def __init__(self, scene: Scene, max_w: float, max_h: float) -> None:
        buffer = io.BytesIO()
        png.figure(scene, RASTER_PIXELS, panels=False).savefig(
            buffer, format="png", dpi=png.DPI, facecolor="white"
        )
        super().__init__(io.BytesIO(buffer.getvalue()))
        scale = min(max_w / self.imageWidth, max_h / self.imageHeight)
        self.drawWidth, self.drawHeight = self.imageWidth * scale, self.imageHeight * scale
        self.scene = scene


def raster_pdf(chart: Chart) -> bytes:
    """The PDF report with ``_RasterChart`` in place of the vector drawing."""
    vector = pdf.ChartDrawing
    pdf.ChartDrawing = _RasterChart
    try:
        return pdf.render(chart)
    finally:
        pdf.ChartDrawing = vector


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--shipments", type=int, default=20_000)
    parser.add_argument("--elements", type=int, default=1_500)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=None, help="keep the store here")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="export-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    store = prepare(work, args.shipments, args.seed)
    print(f"store ready in {time.perf_counter() - t0:.1f} s ({work})")
    network_id, size = join_networks(store, args.elements)
    run = store.latest_run()
    assert run is not None
    network = store.network(run.run_id, network_id)
    assert network is not None
    members = network_members(network)
    idents = [m for m in members if kind_of(m) in IDENTIFIER_KINDS]
    print(f"network {network_id}: {size:,} elements ({len(idents)} identifiers)")

    start = time.perf_counter()
    overstated = {i: store.provenance(i, 200) for i in idents}
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    exact = exact_sources(store, idents)
    ours = time.perf_counter() - start
    cited = sum(len(rows) for rows in overstated.values())
    wrong = sum(len(set(overstated[i]) - set(exact.nodes[i])) for i in idents)
    print(
        f"baseline store.provenance (identifiers): {baseline:6.2f} s, "
        f"{wrong:,} of {cited:,} cited rows ({wrong / max(cited, 1):.0%}) do not hold them"
    )
    print(f"exact provenance (identifiers):          {ours:6.2f} s ({baseline / ours:.0f}x faster)")

    start = time.perf_counter()
    chart = chart_from_network(store, network_id)
    build = time.perf_counter() - start
    summary = chart.summary
    assert summary is not None
    print(
        f"chart_from_network (store reads, exact rows, summary, layout): {build:.2f} s; "
        f"{len(chart.nodes):,} nodes, {len(chart.edges):,} edges -> "
        f"{len(summary.nodes)} summarised nodes, {len(summary.links)} links"
    )
    ids = [n.id for n in summary.nodes]
    weights = {(ln.source, ln.target): float(ln.count) for ln in summary.links}
    graph = nx.Graph()
    graph.add_nodes_from(ids)
    graph.add_edges_from(weights)
    start = time.perf_counter()
    nx.spring_layout(graph, seed=7, iterations=50)
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    layout(ids, [n.radius for n in summary.nodes], weights)
    ours = time.perf_counter() - start
    print(
        f"baseline nx.spring_layout (summarised, overlaps left): {baseline:.2f} s; "
        f"summary_layout (no overlap): {ours:.2f} s"
    )
    for name in FORMATS:  # warm-up: the first call of a format imports its libraries
        export_bytes(chart, name)
    raster_pdf(chart)
    accel = "C" if "built-in" in repr(rl_accel.asciiBase85Encode) else "pure Python"
    print(f"reportlab accelerators (rl_accel): {accel}")
    start = time.perf_counter()
    raster = raster_pdf(chart)
    baseline = time.perf_counter() - start
    print(
        f"baseline pdf with a {RASTER_PIXELS}-px raster chart: {baseline:5.2f} s"
        f" (with the chart built: {build + baseline:5.2f} s) {len(raster):>12,} bytes"
    )
    print(f"chart build alone: {build:.2f} s; target for build + format: < {TARGET_S:.0f} s")
    print(f"{'format':10s} {'alone':>7s} {'+build':>7s} {'of target':>9s}")
    total = build
    for name in FORMATS:
        start = time.perf_counter()
        data = export_bytes(chart, name)
        seconds = time.perf_counter() - start
        total += seconds
        vs = f"  {baseline / seconds:.1f}x faster than the raster baseline" if name == "pdf" else ""
        both = build + seconds
        print(
            f"{name:10s} {seconds:6.2f}s {both:6.2f}s {both / TARGET_S:8.0%}"
            f"  {len(data):>12,} bytes{vs}"
        )
    print(f"all nine formats and one chart build: {total:.2f} s")
    store.close()


if __name__ == "__main__":
    main()
