"""Drive the real app (started by ``graphintel serve``) in Debian's headless Chromium.

Each step saves a screenshot to ``artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.builders import IMG_NAME, SCRIPT_NAME
from tests.e2e.steps import (
    BROWSER_MARKS,
    CY,
    STARTUP_WAIT_S,
    BrowserEvents,
    Server,
    choose,
    click,
    click_node,
    cy,
    open_chart,
    shot,
    wait_cy,
    wait_for_chart,
)

pytestmark = BROWSER_MARKS


def _layouts_done(pg: Page) -> int:
    return int(cy(pg, "cy.scratch('giLayouts') || 0"))


def test_networks_to_network_to_node_detail(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample

    # 1. the ranked networks
    pg.goto(sample_server.url + "/")
    table = pg.locator("#gi-networks-table")
    expect(table).to_be_visible()
    expect(table.locator(".ag-cell[col-id=id]").first).to_have_text(sample.ring)
    shot(pg, "01_networks")

    # 2. a click on the top row opens its link chart
    table.locator(".ag-cell[col-id=score]").first.click()
    pg.wait_for_url(re.compile(rf"/network/{sample.run_id}/{sample.ring}$"))
    drawn = wait_for_chart(pg)
    counts = pg.locator("#gi-graph-counts").inner_text()
    assert counts.startswith(f"{drawn} nodes")
    assert drawn == 44
    expect(pg.locator("#gi-reasons")).to_contain_text("4 consignees share one delivery address")
    expect(pg.locator("#gi-legend")).to_contain_text("Payment account")
    shot(pg, "02_network")

    # 3. clicking a node (the party named like a script tag) fills the detail panel
    click_node(pg, sample.script_party)
    detail = pg.locator("#gi-detail")
    expect(detail.locator(".gi-detail-label")).to_have_text(SCRIPT_NAME)
    expect(detail).to_contain_text("Source rows (10)")
    expect(detail).to_contain_text("sha256-sample")
    selected = cy(pg, "cy.$(':selected').map(n => n.id())")
    assert selected == [sample.script_party]
    shot(pg, "03_node_detail")

    # 4. an evidence chip opens its node too; the merge evidence of a party shows
    pg.locator("#gi-reasons .gi-chip", has_text="Shenzhen Huayu").click()
    expect(detail.locator(".gi-detail-label")).to_have_text("Shenzhen Huayu Trading Co., Ltd.")
    expect(detail).to_contain_text("company-name-jaro-winkler")
    shot(pg, "04_merge_evidence")

    # 5. the layout selector re-lays the chart with a layout from the offline extra bundle
    before = _layouts_done(pg)
    choose(pg, "#gi-layout-select", "Rings by connections")
    wait_cy(pg, f"(cy.scratch('giLayouts') || 0) > {before}")
    assert cy(pg, "cy.nodes().length") == drawn
    shot(pg, "05_concentric_layout")

    # Manifest text never ran as markup anywhere on the way.
    assert events.dialogs == []
    assert pg.locator("#gi-reasons").inner_text().count(IMG_NAME) >= 1
    assert pg.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert events.errors == []


def test_a_large_network_opens_summarised_and_the_full_chart_is_folded(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample
    drawn = open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.big}")
    # the summary: 1 shipper, 40 consignees, 10 addresses; links count their shipments
    assert drawn == 51
    expect(pg.locator("#gi-graph-counts")).to_contain_text("summarising 800 shipments")
    expect(pg.locator("#gi-view-switch .gi-view-on")).to_have_text("Summary")
    assert cy(pg, "cy.edges('.summary').length") > 0
    shot(pg, "06_summarised_network")
    pg.locator("#gi-view-switch").get_by_text("Full chart").click()
    expect(pg.locator("#gi-graph-notice")).to_contain_text("shipments are folded")
    drawn = wait_for_chart(pg)
    edges = int(cy(pg, "cy.edges().length"))
    assert drawn + edges <= 1500
    shot(pg, "06_folded_network")
    assert events.errors == []


def test_empty_store_explains_what_to_run(
    empty_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    pg.goto(empty_server.url + "/")
    empty = pg.locator("#gi-networks-empty")
    expect(empty).to_contain_text("graphintel run FILE")
    shot(pg, "07_empty_store")
    pg.goto(empty_server.url + "/network/run-x/net-y")
    expect(pg.locator("#gi-network-missing")).to_contain_text("net-y")
    assert events.errors == []


def test_table_filters_numbers_as_numbers_and_text_by_substring(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample
    pg.goto(sample_server.url + "/")
    table = pg.locator("#gi-networks-table")
    names = table.locator(".ag-cell[col-id=id]")
    expect(names).to_have_count(3)
    shipments = table.locator("input[aria-label='Shipments Filter Input']:not([disabled])")
    shipments.fill("100")  # at least 100: "30" >= "100" as text, 30 < 100 as a number
    expect(names).to_have_text([sample.big])
    shipments.fill("")
    expect(names).to_have_count(3)
    reasons = table.locator("input[aria-label='Reasons Filter Input']")
    reasons.fill("PAID FROM")  # any case, any part
    expect(names).to_have_text([sample.ring])
    reasons.fill("")
    table.get_by_role("columnheader", name="Shipments").click()  # sort: fewest first
    expect(names).to_have_text([sample.tiny, sample.ring, sample.big])
    shot(pg, "17_networks_sorted")
    assert events.errors == []


# Cytoscape maps presses through a cached place of its container. Here the page moves the
# chart (as the timeline loading under it does) after the pointer was over it and the press
# comes at once, in the same task: the press must still select the node under it.
PRESS_AFTER_MOVE_JS = f"""(node) => {{
    const cy = {CY};
    const canvas = document.querySelector('#gi-graph canvas:last-of-type');
    const fire = (type, [x, y]) => canvas.dispatchEvent(new MouseEvent(type,
        {{clientX: x, clientY: y, bubbles: true, cancelable: true, button: 0, view: window}}));
    const at = () => {{
        const b = document.getElementById('gi-graph').getBoundingClientRect();
        const p = cy.getElementById(node).renderedPosition();
        return [b.left + p.x, b.top + p.y];
    }};
    let hit = null;
    cy.one('tap', e => {{ hit = e.target === cy ? 'background' : e.target.id(); }});
    fire('mousemove', at());
    document.body.style.paddingTop = '40px';
    fire('mousedown', at());
    fire('mouseup', at());
    return hit;
}}"""


def test_a_press_right_after_the_chart_moved_selects_the_node_under_it(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample
    open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    assert pg.evaluate(PRESS_AFTER_MOVE_JS, sample.img_party) == sample.img_party
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(IMG_NAME)
    shot(pg, "10a_press_after_chart_moved")
    assert events.errors == []


def test_investigator_workspace_search_expand_filter_path_case(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample

    # 1. a misspelt name typed into the header search finds the party
    pg.goto(sample_server.url + "/")
    pg.locator("#gi-search-input").fill("shenzen huayo tradng")
    pg.locator("#gi-search-input").press("Enter")
    results = pg.locator("#gi-search-results li")
    expect(results.first).to_contain_text("Shenzhen Huayu Trading Co., Ltd.")
    shot(pg, "08_search_misspelt")

    # 2. the result opens in the workspace with its neighbourhood
    results.first.locator("a").click()
    pg.wait_for_url(re.compile(r"/explore/"))
    drawn = wait_for_chart(pg)
    assert cy(pg, f"cy.getElementById('{sample.main_shipper}').length") == 1
    assert drawn > 20  # the shipper, its 20 shipments and the parties on them
    shot(pg, "09_search_result_neighbourhood")

    # 3. on a network: expanding a consignee draws its neighbours and says how many were not
    before = open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.tiny}")
    solo = "party:solo"
    click_node(pg, solo)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text("Lone Seller LLC")
    click(pg, "#gi-btn-expand", "#gi-graph-status", "Expanded Lone Seller LLC")
    click(pg, "#gi-btn-undo", "#gi-graph-status", "Undone")
    assert cy(pg, "cy.nodes().length") == before

    # 4. the ring: expand the drop address to its neighbours beyond the network
    ring_nodes = open_chart(pg, f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    click_node(pg, sample.img_party)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(IMG_NAME)
    click_node(pg, sample.script_party)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(SCRIPT_NAME)
    click(pg, "#gi-btn-path", "#gi-graph-status", "Shortest path: 3 hops")
    assert cy(pg, "cy.nodes('.path').length") == 4
    shot(pg, "10_shortest_path")

    # 5. the date filter fades the shipments outside February
    pg.locator("#gi-date-from").fill("2026-02-01")
    pg.locator("#gi-date-to").fill("2026-02-28")
    click(pg, "#gi-btn-dates", "#gi-graph-status", "20 shipments outside")
    wait_cy(pg, "cy.nodes('.Shipment.faded').length === 20")
    shot(pg, "11_date_filter")

    # 6. hide a node, pin another, colour by community, click a link for its detail
    click_node(pg, sample.shared_address)
    pg.locator("#gi-btn-hide").click()
    wait_cy(pg, f"cy.nodes().length === {ring_nodes - 1}")
    click_node(pg, sample.main_shipper)
    pg.locator("#gi-btn-pin").click()
    wait_cy(pg, f"cy.getElementById('{sample.main_shipper}').locked()")
    assert cy(pg, "cy.nodes('.Shipment.faded').length") == 20
    pg.locator("#gi-community-toggle input").check()
    # a tap on a link (emitted on the edge itself: a mouse click at its midpoint may land on a
    # label of a crossing node) shows the link and its shipment
    cy(pg, "cy.edges('.SHIPPED_BY')[0].emit('tap')")
    expect(pg.locator("#gi-detail .gi-badge-link")).to_have_text("Link")
    expect(pg.locator("#gi-detail")).to_contain_text("shipped by")
    shot(pg, "12_edge_detail_communities")

    # 7. a note on a node, then save the case and reopen it from the cases list
    click_node(pg, sample.main_shipper)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(
        "Shenzhen Huayu Trading Co., Ltd."
    )
    pg.locator("#gi-note-text").fill("Same phone as the <script> shipper")
    pg.locator("#gi-btn-save-note").click()
    expect(pg.locator("#gi-note-status")).to_have_text("Note saved.")
    assert cy(pg, "cy.nodes('.Shipment.faded').length") == 20
    pg.locator("#gi-case-name").fill("Newark drop <img src=x onerror=alert(1)>")
    click(pg, "#gi-btn-save-case", "#gi-case-status", "Saved")
    positions = cy(pg, f"cy.getElementById('{sample.main_shipper}').position()")
    pg.goto(sample_server.url + "/cases")
    link = pg.locator(".gi-case-link", has_text="Newark drop")
    expect(link).to_have_count(1)
    shot(pg, "13_cases_list")
    link.click()
    reopened = wait_for_chart(pg)
    assert reopened == ring_nodes - 1  # the hidden node stays hidden
    assert cy(pg, "cy.nodes('.Shipment.faded').length") == 20
    again = cy(pg, f"cy.getElementById('{sample.main_shipper}').position()")
    assert abs(again["x"] - positions["x"]) < 1 and abs(again["y"] - positions["y"]) < 1
    assert pg.locator("#gi-date-from").input_value() == "2026-02-01"
    shot(pg, "14_case_reopened")

    # 8. rename, then delete it
    pg.goto(sample_server.url + "/cases")
    pg.locator(".gi-cases-table input").fill("Newark drop (closed)")
    pg.get_by_role("button", name="Rename").click()
    expect(pg.locator(".gi-case-link")).to_have_text("Newark drop (closed)")
    pg.get_by_role("button", name="Delete").click()
    expect(pg.locator("#gi-cases-list")).to_contain_text("No cases yet")

    assert events.dialogs == []
    assert pg.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert events.errors == []


def test_overview_and_network_filters(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample
    pg.goto(sample_server.url + "/overview")
    expect(pg.locator("#gi-overview-page")).to_contain_text("Latest runs")
    # plotly is a large async bundle: on a busy CI box it takes a while (not a speed check)
    expect(pg.locator("#gi-overview-page .js-plotly-plot")).to_have_count(
        4, timeout=STARTUP_WAIT_S * 1000
    )
    expect(pg.locator("#gi-overview-page")).to_contain_text("$800 de minimis")
    shot(pg, "15_overview", full_page=True)

    pg.goto(sample_server.url + "/")
    names = pg.locator("#gi-networks-table .ag-cell[col-id=id]")
    expect(names).to_have_count(3)
    pg.locator("#gi-networks-min-score").fill("0.9")
    expect(names).to_have_text([sample.ring])
    expect(pg.locator("#gi-networks-shown")).to_have_text("1 of 3 shown")
    shot(pg, "16_networks_filtered")
    pg.locator("#gi-networks-min-score").fill("")
    expect(names).to_have_count(3)
    country = pg.locator("#gi-networks-country")  # multi-select of origin countries
    country.click()
    pg.keyboard.type("HK")
    # click the option itself: Enter picks whichever option is first while the list still filters
    pg.locator(".dash-dropdown-option", has_text="HK").first.click()
    expect(names).to_have_text([sample.ring])
    expect(pg.locator("#gi-networks-shown")).to_have_text("1 of 3 shown")
    expect(pg.locator("#gi-networks-table .ag-cell[col-id=countries]")).to_have_text(["CN, HK"])
    shot(pg, "18_networks_by_country")
    assert events.errors == []
