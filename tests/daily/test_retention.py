"""Retention: a window restricts what the analysis reads, never what the store keeps."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from graphintel.analytics import AnalysisConfigError, analyze_store
from graphintel.analytics.reading import build_projection
from graphintel.cli import cli
from graphintel.daily.retention import WindowView
from graphintel.model import NodeKind
from graphintel.resolve import resolve_store
from graphintel.store import GraphStore, SqliteStore
from loaders.load import load_file
from tests.daily.days import synth_days


@pytest.fixture(scope="module", params=[5, 23])
def loaded(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[GraphStore]:
    out = tmp_path_factory.mktemp(f"retention{request.param}")
    days = synth_days(out, shipments=2000, seed=request.param)
    store = SqliteStore(out / "store.db")
    load_file(store, days.base)
    load_file(store, days.new)
    resolve_store(store)
    yield store
    store.close()


def _shipment_days(store: GraphStore) -> dict[str, date]:
    return {
        f"shipment:{s.shipment_id}": date.fromisoformat(s.arrival_date)
        for batch in store.iter_shipments()
        for s in batch
    }


@pytest.mark.parametrize("window", [1, 30, 90, 100_000])
def test_the_analysis_reads_only_shipments_of_the_window(loaded: GraphStore, window: int) -> None:
    days = _shipment_days(loaded)
    first = max(days.values()) - timedelta(days=window - 1)
    inside = {s for s, d in days.items() if d >= first}
    view = WindowView(loaded, window)
    assert view.outside() == set(days) - inside
    read = {n.id for batch in view.iter_nodes(kinds=[NodeKind.SHIPMENT]) for n in batch}
    assert read == inside
    ends = [e for batch in view.iter_edge_ends() for e in batch]
    assert ends and all(e[0] not in view.outside() for e in ends)
    projection = build_projection(view)
    assert projection.n_shipments == len(inside)
    assert loaded.shipment_count() == len(days)  # nothing left the store


def test_a_window_holds_at_least_a_day(loaded: GraphStore) -> None:
    with pytest.raises(ValueError, match="at least one day"):
        WindowView(loaded, 0)


def test_an_analysis_with_a_window_ranks_only_shipments_of_the_window(loaded: GraphStore) -> None:
    days = _shipment_days(loaded)
    first = max(days.values()) - timedelta(days=29)
    windowed = analyze_store(loaded, window_days=30)
    nets = loaded.networks(windowed.run_id)
    assert nets and all(days[s] >= first for n in nets for s in n.shipment_ids)
    assert loaded.latest_run("analyze").params["window_days"] == 30  # type: ignore[union-attr]
    whole = analyze_store(loaded)
    assert whole.counts["shipments"] == len(days) > windowed.counts["shipments"]
    with pytest.raises(AnalysisConfigError, match="window_days"):
        analyze_store(loaded, window_days=0)


def test_the_cli_takes_the_window_from_its_option_or_the_environment(
    loaded: GraphStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    args = ["--store", loaded.url, "--quiet", "analyze"]
    done = runner.invoke(cli, [*args, "--window-days", "45"])
    assert done.exit_code == 0, done.output
    assert loaded.latest_run("analyze").params["window_days"] == 45  # type: ignore[union-attr]
    monkeypatch.setenv("GRAPHINTEL_WINDOW_DAYS", "60")
    done = runner.invoke(cli, args)
    assert done.exit_code == 0, done.output
    assert loaded.latest_run("analyze").params["window_days"] == 60  # type: ignore[union-attr]
    refused = runner.invoke(cli, [*args, "--window-days", "0"])
    assert refused.exit_code == 2 and "window-days" in refused.output
