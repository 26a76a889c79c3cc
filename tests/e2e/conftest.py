"""Fixtures of the browser tests: one app server and one Chromium per test module, a fresh
tab per test (see ``steps``)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e.steps import BrowserEvents, Server, chromium_browser, open_tab, serving


@pytest.fixture(scope="module")
def sample_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("e2e")) as server:
        yield server


@pytest.fixture(scope="module")
def empty_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    with serving(tmp_path_factory.mktemp("e2e-empty"), with_sample=False) as server:
        yield server


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def tab(chromium: Browser) -> Iterator[tuple[Page, BrowserEvents]]:
    with open_tab(chromium) as opened:
        yield opened
