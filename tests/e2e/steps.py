"""The steps the browser tests share: serve a store, open a tab that records what went wrong,
wait for the chart, query or click it, and save a named screenshot for a human to look at.

Every wait is for a condition, never a timer.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Dialog, Page, expect, sync_playwright

from graphintel.store import SqliteStore
from tests.builders import AppSample, build_app_sample

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

# The marks of every browser test module.
BROWSER_MARKS = [
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
    """What the page reported: alert texts (manifest text run as script) and errors."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# -- the app and the browser -------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, log: Path) -> Server:
    """``graphintel serve`` on ``db``, once its home page answers."""
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


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@contextmanager
def serving(tmp: Path, with_sample: bool = True) -> Iterator[Server]:
    """The app on a store in ``tmp``: the hand-built sample, or empty."""
    db = tmp / ("sample.db" if with_sample else "empty.db")
    sample = None
    if with_sample:
        store = SqliteStore(db)
        sample = build_app_sample(store)
        store.close()
    server = start_server(db, tmp / "serve.log")
    server.sample = sample
    try:
        yield server
    finally:
        stop_server(server)


@contextmanager
def chromium_browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def open_tab(
    browser: Browser, width: int = 1600, height: int = 900, downloads: bool = False
) -> Iterator[tuple[Page, BrowserEvents]]:
    """A fresh context's page recording dialogs (dismissed), console errors and page errors."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    events = BrowserEvents()
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=downloads
    )
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
    try:
        yield pg, events
    finally:
        context.close()


# -- steps on a page ---------------------------------------------------------------------------
def wait_for_chart(pg: Page) -> int:
    """Wait until the chart is drawn, its label hook has run and the timeline under it is
    drawn (plotly loads late and would move the chart under a click): conditions, not timers.
    Returns the nodes drawn."""
    pg.wait_for_function(
        "() => { const cy = window.giChart && window.giChart.cy();"
        " return cy && cy.nodes().length > 0 && cy.scratch('giLabels') === true"
        " && document.querySelector('#gi-timeline .main-svg') !== null; }"
    )
    return int(cy(pg, "cy.nodes().length"))


def open_chart(pg: Page, url: str) -> int:
    """Go to a page with a link chart and wait for it; returns the nodes drawn."""
    pg.goto(url)
    return wait_for_chart(pg)


def cy(pg: Page, expression: str, arg: Any = None) -> Any:
    """The value of a JavaScript ``expression`` over the chart's ``cy`` (and ``arg``)."""
    return pg.evaluate(f"(arg) => {{ const cy = {CY}; return ({expression}); }}", arg)


def wait_cy(pg: Page, condition: str) -> None:
    """Wait until a JavaScript ``condition`` over the chart's ``cy`` holds."""
    pg.wait_for_function(f"() => {{ const cy = {CY}; return ({condition}); }}")


def click_node(pg: Page, node: str) -> None:
    """A real mouse click on ``node`` where the chart draws it."""
    box = pg.locator("#gi-graph").bounding_box()
    assert box is not None
    pos = cy(pg, "cy.getElementById(arg).renderedPosition()", node)
    pg.mouse.click(box["x"] + pos["x"], box["y"] + pos["y"])


def click(pg: Page, selector: str, then: str | None = None, shows: str | None = None) -> None:
    """Click ``selector``; with ``then``, wait until that element contains ``shows``."""
    pg.locator(selector).click()
    if then is not None and shows is not None:
        expect(pg.locator(then)).to_contain_text(shows)


def choose(pg: Page, dropdown: str, label: str) -> None:
    """Open ``dropdown`` and pick the option labelled exactly ``label``."""
    pg.locator(dropdown).click()
    pg.get_by_text(label, exact=True).click()


def shot(pg: Page, name: str, full_page: bool = False) -> None:
    """Save ``artifacts/screenshots/<name>.png``."""
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
