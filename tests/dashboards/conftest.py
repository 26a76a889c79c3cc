"""Fixtures for the app's tests: the sample store and an app over it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import dash
import pytest

from dashboards.app import create_app
from graphintel.store import GraphStore, SqliteStore
from tests.dashboards.sample import Sample, build_sample


@pytest.fixture
def sample_store(tmp_path: Path) -> Iterator[tuple[GraphStore, Sample]]:
    store = SqliteStore(tmp_path / "sample.db")
    sample = build_sample(store)
    yield store, sample
    store.close()


@pytest.fixture
def app(sample_store: tuple[GraphStore, Sample]) -> dash.Dash:
    return create_app(sample_store[0])
