"""The export control in the real app, in headless Chromium: PNG from cytoscape's renderer,
i2 ANX from the server with the positions the investigator sees, hostile names as data."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from graphintel.export.anx import NARRATIVE_ID
from tests.builders import IMG_NAME, SCRIPT_NAME
from tests.e2e.steps import (
    BROWSER_MARKS,
    BrowserEvents,
    Server,
    choose,
    cy,
    open_chart,
    open_tab,
    shot,
)

pytestmark = BROWSER_MARKS


@pytest.fixture
def page(chromium: Browser) -> Iterator[tuple[Page, BrowserEvents]]:
    with open_tab(chromium, downloads=True) as opened:
        yield opened


def test_export_png_and_anx_from_the_network_page(
    sample_server: Server, page: tuple[Page, BrowserEvents], tmp_path: Path
) -> None:
    pg, events = page
    sample = sample_server.sample
    assert sample is not None
    drawn = open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    shot(pg, "export-01-toolbar")

    with pg.expect_download() as png_download:
        pg.locator("#gi-btn-export").click()  # PNG is the default choice
    png_path = tmp_path / "chart.png"
    png_download.value.save_as(png_path)
    assert png_download.value.suggested_filename.endswith(".png")
    assert sample.run_id in png_download.value.suggested_filename
    data = png_path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 5_000

    choose(pg, "#gi-export-format", "i2 Analyst's Notebook (.anx)")
    positions = cy(
        pg, "Object.fromEntries(cy.nodes().map(n => [n.id(), [n.position().x, n.position().y]]))"
    )
    with pg.expect_download() as anx_download:
        pg.locator("#gi-btn-export").click()
    anx_path = tmp_path / "chart.anx"
    anx_download.value.save_as(anx_path)
    assert anx_download.value.suggested_filename == f"graphintel-{sample.ring}-{sample.run_id}.anx"
    shot(pg, "export-02-anx-downloaded")

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
    assert events.dialogs == [] and events.errors == []
