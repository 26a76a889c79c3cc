"""The progress display draws from the reporting thread and starts none of its own (so
``resolve`` may fork), throttled within a stage, and ``resolve`` still runs with it."""

from __future__ import annotations

import io
import logging
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.console import Console

from graphintel.cli import cli, progress
from graphintel.cli.progress import stage_progress
from graphintel.resolve import pipeline
from graphintel.synth import generate
from tests.isolated import run_isolated


def test_the_display_runs_no_thread_and_shows_each_stage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    threads = threading.active_count()  # earlier tests may have left some running
    with stage_progress("x", enabled=True) as report:
        report("reading shipments", 1_234)
        report("building graph", 56)
        assert threading.active_count() == threads
    err = capsys.readouterr().err
    assert "x: reading shipments" in err and "1,234" in err
    assert "x: building graph" in err and "56" in err


def _terminal() -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=True, width=100, markup=False), out


def test_reports_redraw_at_most_every_interval_within_a_stage(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    now = [1_000.0]
    monkeypatch.setattr(progress, "_clock", lambda: now[0])
    console, out = _terminal()
    threads = threading.active_count()
    with stage_progress("x", console=console) as report:
        report("reading", 10_000)
        assert "x: reading" in out.getvalue() and "10,000" in out.getvalue()
        report("reading", 20_000)  # same instant: not drawn yet
        assert "20,000" not in out.getvalue()
        now[0] += progress._REFRESH_EVERY
        report("reading", 30_000)
        assert "30,000" in out.getvalue()
        report("writing", 7)  # a new stage is drawn at once
        assert "x: writing" in out.getvalue()
        assert threading.active_count() == threads


def _resolve_with_progress(tmp_path: Path) -> None:
    """Run isolated (a process with one thread, as the CLI is): load, then resolve with
    progress bars and two workers; the resolution runs in a second process and the stages show."""
    pipeline.PARALLEL_MIN_MENTIONS = 0
    log = logging.getLogger(pipeline.__name__)
    log.setLevel(logging.INFO)
    seen: list[str] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = lambda record: seen.append(record.getMessage())  # type: ignore[method-assign]
    log.addHandler(handler)
    synth = generate(tmp_path / "synth", shipments=1_000, seed=6)
    url = f"sqlite:///{tmp_path / 's.db'}"
    runner = CliRunner()
    loaded = runner.invoke(cli, ["--store", url, "load", str(synth.manifest)])
    assert loaded.exit_code == 0, loaded.output
    assert "load manifest.csv: rows read" in loaded.stderr
    result = runner.invoke(cli, ["--store", url, "resolve", "--workers", "2"])
    assert result.exit_code == 0, result.output
    assert "resolve: reading shipments" in result.stderr
    assert "resolve: writing mentions" in result.stderr
    assert "resolved (full resolution:" in result.stderr
    assert "resolving parties in a spawned second process" in seen


def test_resolve_with_progress_runs_a_second_process_and_shows_its_stages(tmp_path: Path) -> None:
    run_isolated(_resolve_with_progress, tmp_path)
