"""Shared fixtures: stores and small hand-built records."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from graphintel.records import Provenance, ShipmentRecord
from graphintel.store import GraphStore, SqliteStore

# The suite replays the same property examples on every run, so a CI result never depends on
# luck; `HYPOTHESIS_PROFILE=explore` draws new random examples.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say it when the Cypher lint tests did not run, so a green summary never hides it."""
    skipped = terminalreporter.stats.get("skipped", [])
    lint = [r for r in skipped if "test_cypher_lint.py" in r.nodeid]
    if lint:
        terminalreporter.write_line(
            f"{len(lint)} Cypher lint tests skipped: the linter needs Node 20+ and `npm ci`"
            " (`make test` runs it when Node is present)",
            yellow=True,
        )


@pytest.fixture(autouse=True)
def temporary_files_removed(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Give each test its own temporary directory (this process's and its children's) and
    fail the test when it leaves a GraphIntel scratch file there: a spool or scratch
    directory left behind by every run would fill a server's disk."""
    scratch = tmp_path_factory.mktemp("tmpdir")
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    yield
    left = sorted(p.name for p in scratch.iterdir() if p.name.startswith("graphintel-"))
    assert not left, f"temporary files left behind: {left}"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[GraphStore]:
    s = SqliteStore(tmp_path / "store.db")
    yield s
    s.close()


def make_shipment(
    shipment_id: str,
    row: int = 1,
    file_id: str = "file-a",
    load_id: str = "load-file-a",
    **values: object,
) -> ShipmentRecord:
    """A valid shipment with sensible defaults; override any canonical field by keyword."""
    defaults: dict[str, object] = {
        "arrival_date": "2026-03-01",
        "declared_value_usd": 25.0,
        "shipper_name": "Shenzhen Huayu Trading Co., Ltd.",
        "consignee_name": "John Smith",
    }
    defaults.update(values)
    return ShipmentRecord(
        shipment_id=shipment_id,
        provenance=Provenance(file_id, row, load_id),
        **defaults,  # type: ignore[arg-type]
    )
