"""The link chart as an investigator sees it, at a laptop's 1366x768 and a desktop's
1920x1080: the toolbar fits, key labels are readable at the fitted zoom, no node sits on
another, the legend names exactly the colours drawn, the wheel zooms smoothly, brushing the
timeline filters the chart and a path is listed hop by hop. Screenshots go to
``artifacts/screenshots/`` for a human to look at."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.steps import (
    BROWSER_MARKS,
    CY,
    BrowserEvents,
    Server,
    click_node,
    cy,
    open_chart,
    open_tab,
    shot,
    wait_cy,
)

pytestmark = BROWSER_MARKS

VIEWPORTS = [(1366, 768), (1920, 1080)]
MIN_LABEL_PX = 10  # on screen, at the zoom the chart opens with
ROW_PX = 46  # one line of toolbar controls

# Pairs of nodes whose discs overlap, in model coordinates (what the layout controls).
OVERLAPS_JS = f"""() => {{
    const ns = {CY}.nodes().map(n => ({{p: n.position(), r: n.width() / 2}}));
    let clashes = 0;
    for (let i = 0; i < ns.length; i++) {{
        for (let j = i + 1; j < ns.length; j++) {{
            const d = Math.hypot(ns[i].p.x - ns[j].p.x, ns[i].p.y - ns[j].p.y);
            if (d < ns[i].r + ns[j].r - 0.5) {{ clashes++; }}
        }}
    }}
    return clashes;
}}"""

# Key nodes (parties, cited identifiers, seizures) whose label is hidden or smaller than
# MIN_LABEL_PX on screen; and whether every party is a key node.
SMALL_LABELS_JS = f"""() => {{
    const cy = {CY};
    const z = cy.zoom();
    const small = cy.nodes('.key').not('.gi-crowded').filter(n => {{
        const px = n.pstyle('font-size').pfValue * z;
        return !n.data('label') || px < {MIN_LABEL_PX}
            || px < n.pstyle('min-zoomed-font-size').pfValue;
    }});
    return {{small: small.map(n => n.id()),
             partiesNotKey: cy.nodes('.Party').not('.key').length,
             keys: cy.nodes('.key').length,
             crowded: cy.nodes('.key.gi-crowded').map(n => n.id())}};
}}"""

# Pairs of drawn labels whose boxes (text and its background, on screen) intersect.
LABEL_CLASHES_JS = f"""() => {{
    const cy = {CY};
    const z = cy.zoom();
    const opts = {{includeNodes: false, includeEdges: false, includeLabels: true}};
    const boxes = cy.nodes().not('.gi-crowded')
        .filter(n => window.giChart.labelShown(n, z))
        .map(n => [n.id(), n.renderedBoundingBox(opts)]);
    const clashes = [];
    for (let i = 0; i < boxes.length; i++) {{
        for (let j = i + 1; j < boxes.length; j++) {{
            const a = boxes[i][1], b = boxes[j][1];
            if (a.x1 < b.x2 - 0.5 && b.x1 < a.x2 - 0.5 && a.y1 < b.y2 - 0.5 && b.y1 < a.y2 - 0.5) {{
                clashes.push([boxes[i][0], boxes[j][0]]);
            }}
        }}
    }}
    return {{drawn: boxes.length, clashes: clashes}};
}}"""

# A crowded label's opacity once its node is hovered (cytoscape's own mouseover event).
HOVER_JS = f"""(id) => {{
    const n = {CY}.getElementById(id);
    n.emit('mouseover');
    return n.pstyle('text-opacity').value;
}}"""

# The fill colours on the chart and on the legend's swatches, as sorted "rgb(r,g,b)" lists.
FILLS_JS = f"""() => Array.from(new Set({CY}.nodes()
    .map(n => n.style('background-color').replace(/\\s/g, '')))).sort()"""
LEGEND_FILLS_JS = """() => Array.from(new Set(Array.from(
    document.querySelectorAll('#gi-legend .gi-legend-swatch'))
    .map(s => getComputedStyle(s).backgroundColor.replace(/\\s/g, '')))).sort()"""


@pytest.fixture(params=VIEWPORTS, ids=[f"{w}x{h}" for w, h in VIEWPORTS])
def sized_tab(
    request: pytest.FixtureRequest, chromium: Browser
) -> Iterator[tuple[Page, BrowserEvents, str]]:
    width, height = request.param
    with open_tab(chromium, width, height) as (pg, events):
        yield pg, events, f"{width}x{height}"


def _assert_fits(pg: Page, size: str) -> None:
    """The toolbar is two unwrapped rows (it wrapped to five); chart, timeline and legend
    inside the window."""
    height = pg.viewport_size["height"] if pg.viewport_size else 0
    rows = pg.evaluate(
        "() => Array.from(document.querySelectorAll('#gi-graph-toolbar .gi-toolbar'))"
        ".map(r => r.getBoundingClientRect().height)"
    )
    assert len(rows) == 2 and all(h <= ROW_PX for h in rows), f"toolbar wraps at {size}: {rows}"
    chart = pg.locator("#gi-graph").bounding_box()
    legend = pg.locator("#gi-legend").bounding_box()
    assert chart and legend
    assert chart["height"] >= 300, f"chart squeezed at {size}: {chart['height']} px"
    assert legend["y"] + legend["height"] <= height + 1, f"legend clipped at {size}"


def _assert_readable(pg: Page) -> None:
    """Key labels readable at the default zoom, no two drawn labels overlapping (a label
    that would is hidden until hovered), no node on another."""
    labels = pg.evaluate(SMALL_LABELS_JS)
    assert labels["keys"] > 0 and labels["partiesNotKey"] == 0
    assert labels["small"] == [], f"labels unreadable at the default zoom: {labels['small']}"
    drawn = pg.evaluate(LABEL_CLASHES_JS)
    assert drawn["clashes"] == [], f"labels overlap: {drawn['clashes'][:5]}"
    assert drawn["drawn"] >= labels["keys"] - len(labels["crowded"]) > 0
    if labels["crowded"]:
        assert pg.evaluate(HOVER_JS, labels["crowded"][0]) == 1
        cy(pg, "cy.getElementById(arg).emit('mouseout')", labels["crowded"][0])
    assert pg.evaluate(OVERLAPS_JS) == 0


def _assert_legend_matches(pg: Page) -> None:
    """The legend's colours are the chart's (waited for: stylesheet and legend are two
    callbacks that land one after the other)."""
    pg.wait_for_function(
        f"() => JSON.stringify(({FILLS_JS})()) === JSON.stringify(({LEGEND_FILLS_JS})())"
    )
    fills, legend = pg.evaluate(FILLS_JS), pg.evaluate(LEGEND_FILLS_JS)
    assert fills == legend and fills


def test_summarised_network_is_readable_and_legend_follows_colouring(
    sample_server: Server, sized_tab: tuple[Page, BrowserEvents, str]
) -> None:
    pg, events, size = sized_tab
    sample = sample_server.sample
    assert sample is not None
    open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.big}")
    expect(pg.locator("#gi-view-switch .gi-view-on")).to_have_text("Summary")
    _assert_fits(pg, size)
    _assert_readable(pg)
    _assert_legend_matches(pg)
    shot(pg, f"20_summary_{size}")

    # colour by network: the legend now names the networks, with their colours
    before = pg.locator("#gi-legend").inner_text()
    pg.locator("#gi-community-toggle input").check()
    expect(pg.locator("#gi-legend")).not_to_have_text(before)
    expect(pg.locator("#gi-legend")).to_contain_text(sample.big)
    wait_cy(pg, "cy.nodes('.Party').first().style('background-color') !== 'rgb(37, 99, 235)'")
    _assert_legend_matches(pg)

    # three wheel ticks zoom in by well under 2x (they jumped 0.33 -> 4.0, 12x)
    box = pg.locator("#gi-graph").bounding_box()
    assert box is not None
    start = float(cy(pg, "cy.zoom()"))
    pg.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    for _ in range(3):
        pg.mouse.wheel(0, -100)
    wait_cy(pg, f"cy.zoom() !== {start}")
    ratio = float(cy(pg, "cy.zoom()")) / start
    assert 1.0 < ratio < 2.0
    assert events.errors == []


def test_full_chart_timeline_brush_and_path_list(
    sample_server: Server, sized_tab: tuple[Page, BrowserEvents, str]
) -> None:
    pg, events, size = sized_tab
    sample = sample_server.sample
    assert sample is not None
    open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    expect(pg.locator("#gi-view-switch .gi-view-on")).to_have_text("Full chart")
    _assert_fits(pg, size)
    _assert_readable(pg)
    _assert_legend_matches(pg)
    # seizures stand out: drawn large and labelled
    seized = cy(pg, "cy.nodes('.Shipment.seized').map(n => [n.width(), n.data('label')])")
    assert seized and all(w >= 30 and label.startswith("SEIZED") for w, label in seized)
    shot(pg, f"21_full_{size}")

    # brushing the timeline over its first days fades the shipments of the other days
    visible = "cy.elements().not('.faded').length"
    shown = int(cy(pg, visible))
    drag = pg.locator("#gi-timeline .nsewdrag").first
    area = drag.bounding_box()
    assert area is not None
    y = area["y"] + area["height"] / 2
    pg.mouse.move(area["x"] + 2, y)
    pg.mouse.down()
    pg.mouse.move(area["x"] + area["width"] * 0.3, y, steps=8)
    pg.mouse.up()
    wait_cy(pg, "cy.nodes('.Shipment.faded').length > 0")
    assert int(cy(pg, visible)) < shown
    expect(pg.locator("#gi-date-from")).to_have_value(re.compile(r"^\d{4}-\d{2}-\d{2}$"))
    shot(pg, f"22_timeline_brush_{size}")
    pg.locator("#gi-btn-dates-clear").click()
    wait_cy(pg, "cy.elements('.faded').length === 0")

    # a path is listed hop by hop, each node with its kind and the link to the next
    click_node(pg, sample.img_party)
    click_node(pg, sample.script_party)
    pg.locator("#gi-btn-path").click()
    hops = pg.locator("#gi-path-list li")
    expect(hops).to_have_count(4)
    expect(hops.first).to_contain_text("Party")
    expect(hops.nth(0)).to_contain_text("↓")
    expect(hops.nth(3)).not_to_contain_text("↓")
    shot(pg, f"23_path_list_{size}")
    assert events.errors == []
