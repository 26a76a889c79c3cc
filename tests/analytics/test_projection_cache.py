"""The analysis cache against its oracle: a from-scratch analysis of the same store.

Over synth seeds a base is loaded, resolved and analysed (which writes the cache); the
newest days are loaded and resolved (a graph delta), sometimes with a judgement that joins
two networks, a new hub or a moving retention window; then the store is copied, the
original analysed from its cache and the copy with ``full=True``. Networks (members,
scores, reasons, points, typologies), lineage and alerts must be identical, and so must
the projection inputs themselves. A cache that is corrupt, from a rewritten graph or of a
store without a journal is not used, and the summary says why.
"""

from __future__ import annotations

import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from graphintel.analytics import AnalysisSummary, analyze_store, cache_file, projection_cache
from graphintel.analytics.cache_file import (
    CachedGraph,
    StaleCache,
    _joined,
    _split,
    load_cache,
)
from graphintel.analytics.cache_update import apply_changes, exact_inputs
from graphintel.analytics.projection import ProjectionInputs
from graphintel.analytics.projection_cache import cache_path, windowed
from graphintel.analytics.reading import build_projection, read_graph
from graphintel.daily.retention import WindowView
from graphintel.resolve import resolve_store
from graphintel.store import SqliteStore
from loaders.load import load_file
from tests.daily.days import Days, synth_days

SHIPMENTS = 2500


def _copy(store: SqliteStore, to: Path) -> SqliteStore:
    """A consistent copy of the store's file (WAL included), without the analysis cache."""
    with sqlite3.connect(to) as target:
        store._conn().backup(target)
    target.close()
    return SqliteStore(to)


def _networks(store: SqliteStore, run_id: str) -> list[dict[str, Any]]:
    out = []
    for n in store.networks(run_id):
        row = asdict(n)
        row.pop("run_id")
        out.append(row)
    return out


def _lineage(store: SqliteStore, run_id: str) -> list[tuple[Any, ...]]:
    return sorted(
        (e.network_id, e.event, e.related, e.added, e.removed, e.size)
        for e in store.lineage(run_id)
    )


def _alerts(store: SqliteStore, run_id: str) -> list[tuple[Any, ...]]:
    return sorted(
        (a.kind, a.subject, a.reasons, a.shipment_ids, a.network_ids)
        for a in store.alerts(run_id=run_id)
    )


def _counts(summary: AnalysisSummary) -> dict[str, int]:
    return {k: v for k, v in summary.counts.items() if not k.startswith("graph_")}


def assert_same_inputs(a: ProjectionInputs, b: ProjectionInputs) -> None:
    for f in fields(ProjectionInputs):
        left, right = getattr(a, f.name), getattr(b, f.name)
        if isinstance(left, list):
            assert left == right, f.name
        elif isinstance(left, tuple):
            for x, y in zip(left, right, strict=True):
                assert np.array_equal(x, y), f.name
        else:
            assert np.array_equal(left, right, equal_nan=left.dtype.kind == "f"), f.name


def assert_same_analysis(
    cached: SqliteStore, run: AnalysisSummary, full: SqliteStore, oracle: AnalysisSummary
) -> None:
    assert _networks(cached, run.run_id) == _networks(full, oracle.run_id)
    assert _lineage(cached, run.run_id) == _lineage(full, oracle.run_id)
    assert _alerts(cached, run.run_id) == _alerts(full, oracle.run_id)
    assert _counts(run) == _counts(oracle)
    assert run.networks > 0


def _full_inputs(store: Any) -> ProjectionInputs:
    builder, counts = read_graph(store)
    exact = exact_inputs(builder.inputs(), counts)
    assert not isinstance(exact, str), exact
    return exact


def _new_hub(days: Days, parties: int) -> None:
    """Give ``parties`` consignees of the new day one shared phone: a new hub identifier."""
    with days.new.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        names = list(reader.fieldnames or ())
        rows = list(reader)
    seen: set[str] = set()
    for row in rows:
        if row["consignee_name"] not in seen and len(seen) < parties:
            seen.add(row["consignee_name"])
            row["consignee_phone"] = "+1 555 010 9999"
    with days.new.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=names)
        writer.writeheader()
        writer.writerows(rows)


def _join_two_networks(store: SqliteStore, run_id: str) -> tuple[str, str]:
    """A 'same' judgement between parties of two different networks of ``run_id``."""
    nets = [n for n in store.networks(run_id) if any(e.startswith("party:") for e in n.entity_ids)]
    left = next(e for e in nets[0].entity_ids if e.startswith("party:"))
    right = next(e for e in nets[1].entity_ids if e.startswith("party:"))
    store.add_judgement(left, right, "same", "tester")
    return left, right


CASES = [
    pytest.param((7, None, ""), id="seed7"),
    pytest.param((19, 20, ""), id="seed19-window20"),
    pytest.param((31, None, "hub"), id="seed31-new-hub"),
    pytest.param((43, None, "join"), id="seed43-judged-join"),
]


@dataclass
class DayTwo:
    store: SqliteStore  # analysed from its cache
    run: AnalysisSummary
    copy: SqliteStore  # the same store analysed from scratch
    oracle: AnalysisSummary
    twist: str
    joined: tuple[str, str] = ("", "")


@pytest.fixture(scope="module", params=CASES)
def day_two(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[DayTwo]:
    seed, window, twist = request.param
    out = tmp_path_factory.mktemp(f"cache{seed}")
    days = synth_days(out, shipments=SHIPMENTS, seed=seed)
    if twist == "hub":
        _new_hub(days, parties=30)
    store = SqliteStore(out / "store.db")
    load_file(store, days.base)
    resolve_store(store)
    first = analyze_store(store, window_days=window)
    assert first.source is not None and not first.source.incremental
    path = cache_path(store)
    assert path is not None and path.exists()
    load_file(store, days.new)
    joined = _join_two_networks(store, first.run_id) if twist == "join" else ("", "")
    resolve_store(store)
    copy = _copy(store, out / "copy.db")
    run = analyze_store(store, window_days=window)
    oracle = analyze_store(copy, window_days=window, full=True)
    yield DayTwo(store, run, copy, oracle, twist, joined)
    store.close()
    copy.close()


def test_a_daily_analysis_from_the_cache_equals_a_full_one(day_two: DayTwo) -> None:
    run, oracle = day_two.run, day_two.oracle
    assert run.source is not None and run.source.incremental, run.source
    assert run.source.changed_nodes > 0 and run.source.changed_edges > 0
    assert oracle.source is not None and not oracle.source.incremental
    assert "from the analysis cache" in str(run) and "read in full (--full)" in str(oracle)
    assert_same_analysis(day_two.store, run, day_two.copy, oracle)


def test_the_updated_cache_is_the_state_a_full_read_gives(day_two: DayTwo) -> None:
    path = cache_path(day_two.store)
    assert path is not None
    assert_same_inputs(load_cache(path).inputs, _full_inputs(day_two.copy))


def test_the_twists_happened(day_two: DayTwo) -> None:
    """The new phone is a cut hub and the judged parties are one node now: the cases
    test what they say they test."""
    if day_two.twist == "hub":
        projection = build_projection(day_two.copy)
        hubs = [
            projection.ident_ids[i]
            for i in np.flatnonzero(projection.ident_is_hub)
            if "5550109999" in projection.ident_ids[i]
        ]
        assert hubs
    if day_two.twist == "join":
        assert len(day_two.copy.nodes(list(day_two.joined))) == 1


def test_the_window_of_the_cache_is_the_window_view(tmp_path: Path) -> None:
    days = synth_days(tmp_path, shipments=SHIPMENTS, seed=5)
    store = SqliteStore(tmp_path / "store.db")
    load_file(store, days.base)
    load_file(store, days.new)
    resolve_store(store)
    whole = CachedGraph(store.graph_mark(), _full_inputs(store), {}, "")
    for window in (1, 7, 30, 10_000):
        view = windowed(whole, window)
        assert_same_inputs(view, _full_inputs(WindowView(store, window)))
    assert len(windowed(whole, 7).ship_ids) < len(whole.inputs.ship_ids)
    store.close()


@pytest.fixture
def analysed(tmp_path: Path) -> Iterator[tuple[SqliteStore, Days]]:
    days = synth_days(tmp_path, shipments=SHIPMENTS, seed=11)
    store = SqliteStore(tmp_path / "store.db")
    load_file(store, days.base)
    resolve_store(store)
    analyze_store(store)
    load_file(store, days.new)
    resolve_store(store)
    yield store, days
    store.close()


def _against_oracle(store: SqliteStore, tmp_path: Path) -> AnalysisSummary:
    """Analyse ``store`` (as it would by default) and a copy of it from scratch; both must
    give the same results. Returns the store's run."""
    copy = _copy(store, tmp_path / "oracle.db")
    run = analyze_store(store)
    oracle = analyze_store(copy, full=True)
    assert_same_analysis(store, run, copy, oracle)
    copy.close()
    return run


def test_a_corrupt_cache_is_read_in_full_and_said(
    analysed: tuple[SqliteStore, Days], tmp_path: Path
) -> None:
    store, _ = analysed
    path = cache_path(store)
    assert path is not None
    data = bytearray(path.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 64] = b"\x00" * 64
    path.write_bytes(bytes(data))
    run = _against_oracle(store, tmp_path)
    assert run.source is not None and not run.source.incremental
    assert "unreadable" in run.source.reason or "corrupt" in run.source.reason
    again = analyze_store(store)  # the full read renewed the cache
    assert again.source is not None and again.source.incremental


def test_a_cache_of_a_rewritten_graph_is_stale(
    analysed: tuple[SqliteStore, Days], tmp_path: Path
) -> None:
    store, _ = analysed
    resolve_store(store, full=True)  # the whole graph written again: a new epoch
    run = _against_oracle(store, tmp_path)
    assert run.source is not None and not run.source.incremental
    assert "rewritten whole" in run.source.reason


def test_a_cache_older_than_the_trimmed_journal_is_stale(
    analysed: tuple[SqliteStore, Days], tmp_path: Path
) -> None:
    store, _ = analysed
    path = cache_path(store)
    assert path is not None
    older = path.read_bytes()
    assert analyze_store(store).source.incremental  # type: ignore[union-attr]
    path.write_bytes(older)  # a cache from before the journal it absorbed was trimmed
    run = _against_oracle(store, tmp_path)
    assert run.source is not None and not run.source.incremental
    assert "older than the store's" in run.source.reason


def test_an_applied_change_set_matches_a_full_read_without_analysis(
    analysed: tuple[SqliteStore, Days],
) -> None:
    store, _ = analysed
    path = cache_path(store)
    assert path is not None
    cached = load_cache(path)
    changes = store.graph_changes(cached.mark, cached.holder)
    assert changes is not None and changes.node_ids
    assert_same_inputs(apply_changes(cached, changes).inputs, _full_inputs(store))


def test_a_cache_replaced_between_its_header_and_its_body_is_read_in_full(
    analysed: tuple[SqliteStore, Days], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The store's changes are read (on a worker thread) for the mark in the cache's
    header while the body loads; a body of another cache is not updated with them."""
    store, _ = analysed
    path = cache_path(store)
    assert path is not None
    older = path.read_bytes()
    assert analyze_store(store).source.incremental  # type: ignore[union-attr]
    newer = path.read_bytes()
    path.write_bytes(older)

    def load_replaced(at: Path) -> CachedGraph:
        at.write_bytes(newer)  # replaced after its header was read
        return load_cache(at)

    monkeypatch.setattr(projection_cache, "load_cache", load_replaced)
    run = _against_oracle(store, tmp_path)
    assert run.source is not None and not run.source.incremental
    assert "replaced while it was read" in run.source.reason


class _NoJournal:
    """A SQLite store seen as one without a change journal (as Neo4j is)."""

    _hidden = frozenset({"graph_mark", "graph_changes", "trim_graph_journal"})

    def __init__(self, store: SqliteStore) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        if name in self._hidden:
            raise AttributeError(name)
        return getattr(self._store, name)


def test_a_store_without_a_journal_is_read_in_full(
    analysed: tuple[SqliteStore, Days], tmp_path: Path
) -> None:
    store, _ = analysed
    copy = _copy(store, tmp_path / "oracle.db")
    run = analyze_store(_NoJournal(store), window_days=30)
    oracle = analyze_store(copy, window_days=30, full=True)
    assert run.source is not None and not run.source.incremental
    assert "keeps no change journal" in run.source.reason
    assert_same_analysis(store, run, copy, oracle)
    copy.close()


def test_the_cli_says_how_it_read_the_graph_and_full_forces_a_read(
    analysed: tuple[SqliteStore, Days],
) -> None:
    from click.testing import CliRunner

    from graphintel.cli import cli

    store, _ = analysed
    url = f"sqlite:///{store.path}"
    runner = CliRunner()
    daily = runner.invoke(cli, ["--quiet", "--store", url, "analyze"])
    assert daily.exit_code == 0, daily.output
    assert "graph read from the analysis cache plus" in daily.output
    full = runner.invoke(cli, ["--quiet", "--store", url, "analyze", "--full"])
    assert full.exit_code == 0, full.output
    assert "graph read in full (--full)" in full.output
    counts = store.latest_run("analyze").counts  # type: ignore[union-attr]
    assert counts["graph_from_cache"] == 0


def test_a_cache_of_another_copy_of_the_store_is_stale(
    analysed: tuple[SqliteStore, Days], tmp_path: Path
) -> None:
    """Two copies of one store diverge; the newer cache of one, put next to the other,
    names the same epoch and a plausible mark but must not be used."""
    store, _ = analysed
    path = cache_path(store)
    assert path is not None
    copy = _copy(store, tmp_path / "copy.db")
    copy_path = cache_path(copy)
    assert copy_path is not None
    copy_path.write_bytes(path.read_bytes())
    latest = store.latest_run("analyze")
    assert latest is not None
    _join_two_networks(store, latest.run_id)  # the original goes its own way
    resolve_store(store)
    assert analyze_store(store).source.incremental  # type: ignore[union-attr]
    copy_path.write_bytes(path.read_bytes())  # the original's newer cache
    run = _against_oracle(copy, tmp_path)
    assert run.source is not None and not run.source.incremental
    assert "another copy" in run.source.reason
    copy.close()


def test_cache_text_columns_come_back_as_written() -> None:
    """Each column is joined by the first control character none of its strings holds."""
    columns: list[list[str]] = [
        [f'é{n}"\\' for n in range(23)],
        [],
        [""],
        ["", "x", ""],
        ["a\x00b", "\x00", "c\x01"],  # the first two separators taken
    ]
    for values in columns:
        sep, data = _joined("c", values)
        assert _split(data.decode(), len(values), sep) == values
    assert _joined("c", ["a\x00b", "\x01"])[0] == "\x02"
    with pytest.raises(StaleCache):
        _split("a\x00b", 3, "\x00")


def test_a_cache_that_cannot_be_saved_leaves_the_next_run_a_full_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = SqliteStore(tmp_path / "store.db")
    days = synth_days(tmp_path, shipments=1000, seed=5)
    load_file(store, days.base)
    resolve_store(store)
    monkeypatch.setattr(cache_file, "_SEPARATORS", (":",))  # every node id holds one
    analyze_store(store)
    path = cache_path(store)
    assert path is not None and not path.exists()
    assert not path.with_name(f"{path.name}.tmp").exists()  # nor a half-written one
    monkeypatch.undo()
    run = analyze_store(store)
    assert run.source is not None and not run.source.incremental
    assert run.source.reason == "no analysis cache yet"
    store.close()


def _split_by_day(manifest: Path, out: Path) -> list[Path]:
    """One manifest per arrival date, oldest first."""
    with manifest.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        names = list(reader.fieldnames or ())
        rows = list(reader)
    paths = []
    for day in sorted({r["arrival_date"] for r in rows}):
        path = out / f"day-{day}.csv"
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=names)
            writer.writeheader()
            writer.writerows(r for r in rows if r["arrival_date"] == day)
        paths.append(path)
    return paths


@pytest.mark.parametrize("seed", [11, 23])
def test_day_after_day_from_the_cache_equals_a_full_analysis_each_day(
    tmp_path: Path, seed: int
) -> None:
    """Three days loaded one at a time, each analysed from the cache the day before left:
    every day's networks, lineage, alerts and counts are a full analysis'."""
    days = synth_days(tmp_path, shipments=SHIPMENTS, seed=seed, new_days=3)
    store = SqliteStore(tmp_path / "store.db")
    load_file(store, days.base)
    resolve_store(store)
    analyze_store(store)
    for n, day in enumerate(_split_by_day(days.new, tmp_path)):
        load_file(store, day)
        resolve_store(store)
        (tmp_path / f"oracle{n}").mkdir()
        run = _against_oracle(store, tmp_path / f"oracle{n}")
        assert run.source is not None and run.source.incremental
    store.close()
