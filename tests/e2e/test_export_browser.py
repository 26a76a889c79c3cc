"""The export control in the real app, in headless Chromium: PNG from cytoscape's renderer,
i2 ANX from the server with the positions the investigator sees, hostile names as data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from graphintel.export.anx import NARRATIVE_ID
from graphintel.store import SqliteStore
from tests.builders import IMG_NAME, SCRIPT_NAME, build_app_sample
from tests.e2e.test_browser import (
    CHROMIUM,
    CHROMIUM_ARGS,
    CY,
    SCREENSHOTS,
    Server,
    _start,
    _stop,
    _wait_for_chart,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]


@pytest.fixture(scope="module")
def export_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e-export")
    store = SqliteStore(tmp / "sample.db")
    sample = build_app_sample(store)
    store.close()
    server = _start(tmp / "sample.db", tmp / "serve.log")
    server.sample = sample
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def export_browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(export_browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    context = export_browser.new_context(
        viewport={"width": 1600, "height": 900}, accept_downloads=True
    )
    pg = context.new_page()
    problems: list[str] = []
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.on("pageerror", lambda exc: problems.append(str(exc)))
    yield pg, problems
    context.close()


def _choose(pg: Page, label: str) -> None:
    pg.locator("#gi-export-format").click()
    pg.get_by_text(label, exact=True).click()


def test_export_png_and_anx_from_the_network_page(
    export_server: Server, page: tuple[Page, list[str]], tmp_path: Path
) -> None:
    pg, problems = page
    sample = export_server.sample
    assert sample is not None
    pg.goto(f"{export_server.url}/network/{sample.run_id}/{sample.ring}")
    drawn = _wait_for_chart(pg)
    pg.screenshot(path=str(SCREENSHOTS / "export-01-toolbar.png"))

    with pg.expect_download() as png_download:
        pg.locator("#gi-btn-export").click()  # PNG is the default choice
    png_path = tmp_path / "chart.png"
    png_download.value.save_as(png_path)
    assert png_download.value.suggested_filename.endswith(".png")
    assert sample.run_id in png_download.value.suggested_filename
    data = png_path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000

    _choose(pg, "i2 Analyst's Notebook (.anx)")
    positions = pg.evaluate(
        f"() => Object.fromEntries({CY}.nodes()"
        ".map(n => [n.id(), [n.position().x, n.position().y]]))"
    )
    with pg.expect_download() as anx_download:
        pg.locator("#gi-btn-export").click()
    anx_path = tmp_path / "chart.anx"
    anx_download.value.save_as(anx_path)
    assert anx_download.value.suggested_filename == f"graphintel-{sample.ring}-{sample.run_id}.anx"
    pg.screenshot(path=str(SCREENSHOTS / "export-02-anx-downloaded.png"))

    root = ET.parse(anx_path).getroot()
    entities = {e.get("EntityId"): e.get("Identity") for e in root.iter("Entity")}
    # every drawn node, and the case narrative's text block (graphintel.export.anx)
    assert len(entities) == drawn + 1 and NARRATIVE_ID in entities.values()
    for link in root.iter("Link"):
        assert link.get("End1Id") in entities and link.get("End2Id") in entities
    types = {t.get("Name") for t in root.iter("EntityType")}
    assert {s.get("Type") for s in root.iter("IconStyle")} <= types
    labels = {item.get("Label") for item in root.iter("ChartItem")}
    assert SCRIPT_NAME in labels and IMG_NAME in labels  # full names from the store, as text
    for end in root.iter("End"):
        identity = end.find("Entity").get("Identity")  # type: ignore[union-attr]
        if identity == NARRATIVE_ID:  # placed above the drawn chart
            continue
        x, y = positions[identity]
        assert (int(end.get("X", "")), int(end.get("Y", ""))) == (round(x), round(y))
    run_values = {
        a.get("Value") for a in root.iter("Attribute") if a.get("AttributeClass") == "Analysis run"
    }
    assert run_values == {sample.run_id}
    assert pg.locator("#gi-export-status").inner_text().startswith("Exported graphintel-")
    assert problems == []
