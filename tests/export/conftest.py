"""Fixtures of the export tests: the hostile-names sample (``tests.builders``) and its chart."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from graphintel.export import Chart, chart_from_network
from graphintel.store import GraphStore, SqliteStore
from tests.builders import ExportSample, build_export_sample


@pytest.fixture
def export_store(tmp_path: Path) -> Iterator[tuple[GraphStore, ExportSample]]:
    store = SqliteStore(tmp_path / "export.db")
    yield store, build_export_sample(store)
    store.close()


@pytest.fixture
def chart(export_store: tuple[GraphStore, ExportSample]) -> Chart:
    store, sample = export_store
    return chart_from_network(store, sample.network, analyst="A. Analyst")
