"""The PDF case report as a reader gets it: rendered to PNG with poppler (pdftoppm) on A4
and on Letter, text extracted with pdftotext. Page 1 is the summary, page 2 the chart
with its legend, every page keeps its drawing inside the margins."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from graphintel.export import chart_from_network, export_bytes
from graphintel.export.pdf import MARGIN
from graphintel.store import GraphStore, SqliteStore
from tests.export import casework

pytestmark = pytest.mark.skipif(
    shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None,
    reason="poppler-utils (pdftoppm, pdftotext) not installed",
)
DPI = 50
POINTS_PER_INCH = 72.0
PAGES = {"a4": (842, 595), "letter": (792, 612)}  # landscape, points
ELM = "address:US|07105|12 ELM ST"


@pytest.fixture(scope="module")
def report_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GraphStore]:
    store = SqliteStore(Path(tmp_path_factory.mktemp("report")) / "case.db")
    casework.build(store)
    store.set_note(ELM, "Vacant unit per HSI Newark <b>visit</b>")
    yield store
    store.close()


def _network_with(store: GraphStore, node: str) -> str:
    run = store.latest_run()
    assert run is not None
    return next(n.network_id for n in store.networks(run.run_id) if node in n.entity_ids)


def _pages(pdf: bytes, folder: Path) -> list[np.ndarray]:
    path = folder / "report.pdf"
    path.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", str(path), str(folder / "page")],
                   check=True, capture_output=True)  # fmt: skip
    return [np.asarray(Image.open(p).convert("L")) for p in sorted(folder.glob("page-*.png"))]


def _text(pdf: bytes, folder: Path, page: int) -> str:
    path = folder / "text.pdf"
    path.write_bytes(pdf)
    found = subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(path), "-"],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return found.stdout


@pytest.mark.parametrize("paper", ["a4", "letter"])
def test_report_pages_fit_the_paper_and_read_as_text(
    report_store: GraphStore, tmp_path: Path, paper: str
) -> None:
    chart = chart_from_network(
        report_store,
        _network_with(report_store, ELM),
        analyst="A. Analyst",
        narrative="Three consignees share one drop address; next: visit it.",
    )
    chart.paper = paper
    pdf = export_bytes(chart, "pdf")
    pages = _pages(pdf, tmp_path)
    width_pt, height_pt = PAGES[paper]
    margin_px = int(MARGIN / POINTS_PER_INCH * DPI) - 1
    for image in pages:
        assert image.shape[1] == pytest.approx(width_pt / POINTS_PER_INCH * DPI, abs=2)
        assert image.shape[0] == pytest.approx(height_pt / POINTS_PER_INCH * DPI, abs=2)
        inner = image[margin_px:-margin_px, margin_px:-margin_px]
        assert (inner < 250).any()  # something is printed on every page
        border = np.concatenate(
            [
                image[:margin_px].ravel(),
                image[-margin_px:].ravel(),
                image[:, :margin_px].ravel(),
                image[:, -margin_px:].ravel(),
            ]
        )
        assert (border > 250).all()  # nothing in the margins: the page prints whole
    summary = _text(pdf, tmp_path, 1)
    for expected in ("Key parties", "Why this network ranks", "Timeline", "seized", "Mary Jones",
                     "declared value", "A. Analyst"):  # fmt: skip
        assert expected in summary, expected
    network = next(
        n for n in report_store.networks(chart.run_id) if n.network_id == chart.network_id
    )
    assert network.name and chart.title == f"{network.name} ({network.network_id})"
    assert network.points and sum(network.points.values()) == pytest.approx(network.score)
    for points in network.points.values():  # the points each reason added, as printed
        assert f"{points:+.1f}" in summary
    chart_page = _text(pdf, tmp_path, 2)
    assert "Legend" in chart_page and "party to identifier" in chart_page
    # the drawn chart is a picture on page 2, inside the margins
    ink = np.argwhere(pages[1][margin_px:-margin_px, margin_px:-margin_px] < 200)
    assert len(ink) > 500
    rest = "".join(_text(pdf, tmp_path, i) for i in range(3, len(pages) + 1))
    for expected in ("Case narrative", "Three consignees share one drop address", "Who",
                     "What", "Why", "Next steps", "Vacant unit per HSI Newark <b>visit</b>",
                     "manifest_a.csv:3@load-manifest_a", "Source files"):  # fmt: skip
        assert expected in rest, expected
    assert "manifest_a.csv" in rest and not any(len(w) == 64 for w in rest.split())
