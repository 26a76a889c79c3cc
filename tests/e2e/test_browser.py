"""Drive the real app (started by ``graphintel serve``) in Debian's headless Chromium.

Each step saves a screenshot to ``artifacts/screenshots/`` for a human to look at.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from graphintel.store import SqliteStore
from tests.builders import IMG_NAME, SCRIPT_NAME, AppSample, build_app_sample

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
STARTUP_WAIT_S = 60  # a slow CI box can take a while to import dash; this is not a speed check
# How long a browser condition may take to come true on a loaded machine (a bound on waiting
# for a condition, never a sleep): Playwright's default of 5 s fails on a busy CI box.
expect.set_options(timeout=30_000)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"
    ),
]

CY = "document.querySelector('#gi-graph')._cyreg.cy"


@dataclass
class Server:
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    sample: AppSample | None = None


@dataclass
class BrowserEvents:
    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(db: Path, log: Path) -> Server:
    port = _free_port()
    cmd = [
        sys.executable,
        "-c",
        "from graphintel.cli import main; main()",
        "--store",
        f"sqlite:///{db}",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    out = log.open("wb")
    process = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_WAIT_S
    while True:
        try:
            with urllib.request.urlopen(url + "/", timeout=2) as response:
                if response.status == 200:
                    return Server(url, process, log)
        except (urllib.error.URLError, ConnectionError):
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"the app did not start:\n{log.read_text(errors='replace')}")
        time.sleep(0.2)


def _stop(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e")
    store = SqliteStore(tmp / "sample.db")
    sample = build_app_sample(store)
    store.close()
    server = _start(tmp / "sample.db", tmp / "serve.log")
    server.sample = sample
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp = tmp_path_factory.mktemp("e2e-empty")
    server = _start(tmp / "empty.db", tmp / "serve.log")
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def tab(chromium: Browser) -> Iterator[tuple[Page, BrowserEvents]]:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    events = BrowserEvents()
    context = chromium.new_context(viewport={"width": 1600, "height": 900})
    pg = context.new_page()

    def on_dialog(dialog: Dialog) -> None:
        events.dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            events.errors.append(message.text)

    pg.on("dialog", on_dialog)
    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: events.errors.append(str(exc)))
    yield pg, events
    context.close()


def _wait_for_chart(pg: Page) -> int:
    """Wait until the chart is drawn, its label hook has run and the timeline under it is
    drawn (plotly loads late and would move the chart under a click): conditions, not timers."""
    pg.wait_for_function(
        "() => { const cy = window.giChart && window.giChart.cy();"
        " return cy && cy.nodes().length > 0 && cy.scratch('giLabels') === true"
        " && document.querySelector('#gi-timeline .main-svg') !== null; }"
    )
    return int(pg.evaluate(f"() => {CY}.nodes().length"))


def _layouts_done(pg: Page) -> int:
    return int(pg.evaluate(f"() => {CY}.scratch('giLayouts') || 0"))


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
    pg.screenshot(path=str(SCREENSHOTS / "01_networks.png"))

    # 2. a click on the top row opens its link chart
    table.locator(".ag-cell[col-id=score]").first.click()
    pg.wait_for_url(re.compile(rf"/network/{sample.run_id}/{sample.ring}$"))
    drawn = _wait_for_chart(pg)
    counts = pg.locator("#gi-graph-counts").inner_text()
    assert counts.startswith(f"{drawn} nodes")
    assert drawn == 44
    expect(pg.locator("#gi-reasons")).to_contain_text("4 consignees share one delivery address")
    expect(pg.locator("#gi-legend")).to_contain_text("Payment account")
    pg.screenshot(path=str(SCREENSHOTS / "02_network.png"))

    # 3. clicking a node (the party named like a script tag) fills the detail panel
    box = pg.locator("#gi-graph").bounding_box()
    assert box is not None
    pos = pg.evaluate(f"() => {CY}.getElementById('{sample.script_party}').renderedPosition()")
    pg.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])
    detail = pg.locator("#gi-detail")
    expect(detail.locator(".gi-detail-label")).to_have_text(SCRIPT_NAME)
    expect(detail).to_contain_text("Source rows (10)")
    expect(detail).to_contain_text("sha256-sample")
    selected = pg.evaluate(f"() => {CY}.$(':selected').map(n => n.id())")
    assert selected == [sample.script_party]
    pg.screenshot(path=str(SCREENSHOTS / "03_node_detail.png"))

    # 4. an evidence chip opens its node too; the merge evidence of a party shows
    pg.locator("#gi-reasons .gi-chip", has_text="Shenzhen Huayu").click()
    expect(detail.locator(".gi-detail-label")).to_have_text("Shenzhen Huayu Trading Co., Ltd.")
    expect(detail).to_contain_text("company-name-jaro-winkler")
    pg.screenshot(path=str(SCREENSHOTS / "04_merge_evidence.png"))

    # 5. the layout selector re-lays the chart with a layout from the offline extra bundle
    before = _layouts_done(pg)
    pg.locator("#gi-layout-select").click()
    pg.get_by_text("Rings by connections", exact=True).click()
    pg.wait_for_function(f"() => ({CY}.scratch('giLayouts') || 0) > {before}")
    assert pg.evaluate(f"() => {CY}.nodes().length") == drawn
    pg.screenshot(path=str(SCREENSHOTS / "05_concentric_layout.png"))

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
    pg.goto(f"{sample_server.url}/network/{sample.run_id}/{sample.big}")
    drawn = _wait_for_chart(pg)
    # the summary: 1 shipper, 40 consignees, 10 addresses; links count their shipments
    assert drawn == 51
    expect(pg.locator("#gi-graph-counts")).to_contain_text("summarising 800 shipments")
    expect(pg.locator("#gi-view-switch .gi-view-on")).to_have_text("Summary")
    assert pg.evaluate(f"() => {CY}.edges('.summary').length") > 0
    pg.screenshot(path=str(SCREENSHOTS / "06_summarised_network.png"))
    pg.locator("#gi-view-switch").get_by_text("Full chart").click()
    expect(pg.locator("#gi-graph-notice")).to_contain_text("shipments are folded")
    drawn = _wait_for_chart(pg)
    edges = int(pg.evaluate(f"() => {CY}.edges().length"))
    assert drawn + edges <= 1500
    pg.screenshot(path=str(SCREENSHOTS / "06_folded_network.png"))
    assert events.errors == []


def test_empty_store_explains_what_to_run(
    empty_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    pg.goto(empty_server.url + "/")
    empty = pg.locator("#gi-networks-empty")
    expect(empty).to_contain_text("graphintel run FILE")
    pg.screenshot(path=str(SCREENSHOTS / "07_empty_store.png"))
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
    pg.screenshot(path=str(SCREENSHOTS / "17_networks_sorted.png"))
    assert events.errors == []


def _click_node(pg: Page, node: str) -> None:
    box = pg.locator("#gi-graph").bounding_box()
    assert box is not None
    pos = pg.evaluate(f"() => {CY}.getElementById({node!r}).renderedPosition()")
    pg.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


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
    pg.goto(f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    _wait_for_chart(pg)
    assert pg.evaluate(PRESS_AFTER_MOVE_JS, sample.img_party) == sample.img_party
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(IMG_NAME)
    pg.screenshot(path=str(SCREENSHOTS / "10a_press_after_chart_moved.png"))
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
    pg.screenshot(path=str(SCREENSHOTS / "08_search_misspelt.png"))

    # 2. the result opens in the workspace with its neighbourhood
    results.first.locator("a").click()
    pg.wait_for_url(re.compile(r"/explore/"))
    drawn = _wait_for_chart(pg)
    assert pg.evaluate(f"() => {CY}.getElementById('{sample.main_shipper}').length") == 1
    assert drawn > 20  # the shipper, its 20 shipments and the parties on them
    pg.screenshot(path=str(SCREENSHOTS / "09_search_result_neighbourhood.png"))

    # 3. on a network: expanding a consignee draws its neighbours and says how many were not
    pg.goto(f"{sample_server.url}/network/{sample.run_id}/{sample.tiny}")
    before = _wait_for_chart(pg)
    solo = "party:solo"
    _click_node(pg, solo)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text("Lone Seller LLC")
    pg.locator("#gi-btn-expand").click()
    expect(pg.locator("#gi-graph-status")).to_contain_text("Expanded Lone Seller LLC")
    pg.locator("#gi-btn-undo").click()
    expect(pg.locator("#gi-graph-status")).to_contain_text("Undone")
    assert pg.evaluate(f"() => {CY}.nodes().length") == before

    # 4. the ring: expand the drop address to its neighbours beyond the network
    pg.goto(f"{sample_server.url}/network/{sample.run_id}/{sample.ring}")
    ring_nodes = _wait_for_chart(pg)
    _click_node(pg, sample.img_party)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(IMG_NAME)
    _click_node(pg, sample.script_party)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(SCRIPT_NAME)
    pg.locator("#gi-btn-path").click()
    expect(pg.locator("#gi-graph-status")).to_contain_text("Shortest path: 3 hops")
    assert pg.evaluate(f"() => {CY}.nodes('.path').length") == 4
    pg.screenshot(path=str(SCREENSHOTS / "10_shortest_path.png"))

    # 5. the date filter fades the shipments outside February
    pg.locator("#gi-date-from").fill("2026-02-01")
    pg.locator("#gi-date-to").fill("2026-02-28")
    pg.locator("#gi-btn-dates").click()
    expect(pg.locator("#gi-graph-status")).to_contain_text("20 shipments outside")
    pg.wait_for_function(f"() => {CY}.nodes('.Shipment.faded').length === 20")
    pg.screenshot(path=str(SCREENSHOTS / "11_date_filter.png"))

    # 6. hide a node, pin another, colour by community, click a link for its detail
    _click_node(pg, sample.shared_address)
    pg.locator("#gi-btn-hide").click()
    pg.wait_for_function(f"() => {CY}.nodes().length === {ring_nodes - 1}")
    _click_node(pg, sample.main_shipper)
    pg.locator("#gi-btn-pin").click()
    pg.wait_for_function(f"() => {CY}.getElementById('{sample.main_shipper}').locked()")
    assert pg.evaluate(f"() => {CY}.nodes('.Shipment.faded').length") == 20
    pg.locator("#gi-community-toggle input").check()
    # a tap on a link (emitted on the edge itself: a mouse click at its midpoint may land on a
    # label of a crossing node) shows the link and its shipment
    pg.evaluate(f"() => {CY}.edges('.SHIPPED_BY')[0].emit('tap')")
    expect(pg.locator("#gi-detail .gi-badge-link")).to_have_text("Link")
    expect(pg.locator("#gi-detail")).to_contain_text("shipped by")
    pg.screenshot(path=str(SCREENSHOTS / "12_edge_detail_communities.png"))

    # 7. a note on a node, then save the case and reopen it from the cases list
    _click_node(pg, sample.main_shipper)
    expect(pg.locator("#gi-detail .gi-detail-label")).to_have_text(
        "Shenzhen Huayu Trading Co., Ltd."
    )
    pg.locator("#gi-note-text").fill("Same phone as the <script> shipper")
    pg.locator("#gi-btn-save-note").click()
    expect(pg.locator("#gi-note-status")).to_have_text("Note saved.")
    assert pg.evaluate(f"() => {CY}.nodes('.Shipment.faded').length") == 20
    pg.locator("#gi-case-name").fill("Newark drop <img src=x onerror=alert(1)>")
    pg.locator("#gi-btn-save-case").click()
    expect(pg.locator("#gi-case-status")).to_contain_text("Saved")
    positions = pg.evaluate(f"() => {CY}.getElementById('{sample.main_shipper}').position()")
    pg.goto(sample_server.url + "/cases")
    link = pg.locator(".gi-case-link", has_text="Newark drop")
    expect(link).to_have_count(1)
    pg.screenshot(path=str(SCREENSHOTS / "13_cases_list.png"))
    link.click()
    reopened = _wait_for_chart(pg)
    assert reopened == ring_nodes - 1  # the hidden node stays hidden
    assert pg.evaluate(f"() => {CY}.nodes('.Shipment.faded').length") == 20
    again = pg.evaluate(f"() => {CY}.getElementById('{sample.main_shipper}').position()")
    assert abs(again["x"] - positions["x"]) < 1 and abs(again["y"] - positions["y"]) < 1
    assert pg.locator("#gi-date-from").input_value() == "2026-02-01"
    pg.screenshot(path=str(SCREENSHOTS / "14_case_reopened.png"))

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
    pg.screenshot(path=str(SCREENSHOTS / "15_overview.png"), full_page=True)

    pg.goto(sample_server.url + "/")
    names = pg.locator("#gi-networks-table .ag-cell[col-id=id]")
    expect(names).to_have_count(3)
    pg.locator("#gi-networks-min-score").fill("0.9")
    expect(names).to_have_text([sample.ring])
    expect(pg.locator("#gi-networks-shown")).to_have_text("1 of 3 shown")
    pg.screenshot(path=str(SCREENSHOTS / "16_networks_filtered.png"))
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
    pg.screenshot(path=str(SCREENSHOTS / "18_networks_by_country.png"))
    assert events.errors == []
