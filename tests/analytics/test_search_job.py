"""The search index the analysis has built in a spawned process beside it is the one it
builds itself (the oracle: the same analysis with no child), entry for entry and posting for
posting; a child that fails leaves the build to the analysis, which then still ends with
the index, and the networks are the same either way."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest

import graphintel.analytics.search_job as search_job
from graphintel.analytics.jobs import analyze_store
from tests.resolve.helpers import resolved_synth


def _index_and_networks(path: Path) -> tuple[list[Any], list[Any], list[Any]]:
    with sqlite3.connect(path) as conn:
        entries = conn.execute("SELECT doc, node_id, label, text FROM search_entries").fetchall()
        postings = conn.execute("SELECT code, docs FROM search_postings").fetchall()
        networks = conn.execute(
            "SELECT score, n_shipments, n_entities FROM networks ORDER BY score DESC"
        ).fetchall()
    return sorted(entries), sorted(postings), networks


@pytest.mark.parametrize("seed", [3, 8])
def test_index_built_beside_the_analysis_is_the_one_built_after_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    monkeypatch.setattr(search_job, "SECOND_PROCESS_MIN_SHIPMENTS", 1)
    spawned: list[bool] = []
    real_init = search_job.SearchIndexJob.__init__

    def spy(self: search_job.SearchIndexJob, store: Any) -> None:
        real_init(self, store)
        spawned.append(self._process is not None)

    monkeypatch.setattr(search_job.SearchIndexJob, "__init__", spy)
    beside = resolved_synth(tmp_path / "beside", 1_500, seed, "g.db")
    analyze_store(beside)
    assert spawned == [True] and beside.search_index_ready()

    monkeypatch.setattr(search_job, "SECOND_PROCESS_MIN_SHIPMENTS", 10**9)
    after = resolved_synth(tmp_path / "after", 1_500, seed, "g.db")
    analyze_store(after)
    assert spawned == [True, False] and after.search_index_ready()

    got = _index_and_networks(tmp_path / "beside" / "g.db")
    assert got[0], "no entries"
    assert got == _index_and_networks(tmp_path / "after" / "g.db")


def _fail(url: str) -> None:
    raise RuntimeError(f"no index for {url}")


def test_a_failed_child_leaves_the_build_to_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(search_job, "SECOND_PROCESS_MIN_SHIPMENTS", 1)
    monkeypatch.setattr(search_job, "_build", _fail)
    store = resolved_synth(tmp_path, 1_500, 5, "g.db")
    with caplog.at_level(logging.WARNING, logger=search_job.__name__):
        analyze_store(store)
    assert "second process failed (exit code 1)" in caplog.text
    assert store.search_index_ready()
    entries, postings, _ = _index_and_networks(tmp_path / "g.db")
    assert entries and postings
