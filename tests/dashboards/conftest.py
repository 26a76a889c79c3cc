"""Fixtures for the app's tests: the sample store and an app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest

from dashboards.app import create_app
from graphintel.store import GraphStore, SqliteStore
from tests.builders import AppSample, build_app_sample


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[tuple[GraphStore, AppSample]]:
    store = SqliteStore(tmp_path / "sample.db")
    sample = build_app_sample(store)
    yield store, sample
    store.close()


@pytest.fixture
def app(sample_store: tuple[GraphStore, AppSample]) -> dash.Dash:
    return create_app(sample_store[0])
