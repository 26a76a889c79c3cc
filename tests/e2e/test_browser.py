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
from tests.dashboards.sample import IMG_NAME, SCRIPT_NAME, Sample, build_sample

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
    sample: Sample | None = None


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
    sample = build_sample(store)
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
    pg.wait_for_function(
        f"() => {{ const e = document.querySelector('#gi-graph');"
        f" return e && e._cyreg && e._cyreg.cy && {CY}.nodes().length > 0; }}"
    )
    pg.wait_for_timeout(500)  # let the layout settle before a screenshot
    return int(pg.evaluate(f"() => {CY}.nodes().length"))


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
    expect(table.locator("td[data-dash-column=network]").first).to_have_text(sample.ring)
    pg.screenshot(path=str(SCREENSHOTS / "01_networks.png"))

    # 2. a click on the top row opens its link chart
    table.locator("td[data-dash-column=score]").first.click()
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
    pg.locator("#gi-layout-select").click()
    pg.get_by_text("Concentric by degree", exact=True).click()
    pg.wait_for_function(f"() => {CY}.nodes().length === {drawn}")
    pg.wait_for_timeout(500)
    pg.screenshot(path=str(SCREENSHOTS / "05_concentric_layout.png"))

    # Manifest text never ran as markup anywhere on the way.
    assert events.dialogs == []
    assert pg.locator("#gi-reasons").inner_text().count(IMG_NAME) >= 1
    assert pg.evaluate("() => document.querySelectorAll('img[src=x]').length") == 0
    assert events.errors == []


def test_a_large_network_is_folded_and_says_so(
    sample_server: Server, tab: tuple[Page, BrowserEvents]
) -> None:
    pg, events = tab
    assert sample_server.sample is not None
    sample = sample_server.sample
    pg.goto(f"{sample_server.url}/network/{sample.run_id}/{sample.big}")
    drawn = _wait_for_chart(pg)
    assert drawn == 51  # shipments folded away: 1 shipper, 40 consignees, 10 addresses
    edges = int(pg.evaluate(f"() => {CY}.edges().length"))
    assert drawn + edges <= 1500
    expect(pg.locator("#gi-graph-notice")).to_contain_text("shipments are folded")
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
    names = table.locator("td[data-dash-column=network]")
    expect(names).to_have_count(3)
    shipments = table.locator("th.dash-filter[data-dash-column=n_shipments] input[type=text]")
    shipments.fill("> 100")  # "30" > "100" as text; 30 < 100 as a number
    shipments.press("Enter")
    expect(names).to_have_text([sample.big])
    shipments.fill("")
    shipments.press("Enter")
    reasons = table.locator("th.dash-filter[data-dash-column=reasons] input[type=text]")
    reasons.fill("PAID FROM")
    reasons.press("Enter")
    expect(names).to_have_text([sample.ring])
    assert events.errors == []
