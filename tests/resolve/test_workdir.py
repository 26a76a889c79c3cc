"""A resolution leaves no scratch file behind, and the scratch directory a killed run left
is removed by the next run, while those of live runs are kept."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

import pytest

from graphintel.resolve import pipeline, run_resolution
from graphintel.resolve.workdir import OWNER_FILE, PREFIX, Workdir, sweep_stale
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file


def _dead_pid() -> int:
    """The id of a process that has exited and been reaped."""
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    return pid


def _left_by(tmp_path: Path, record: str) -> Path:
    path = tmp_path / f"{PREFIX}left"
    path.mkdir()
    (path / "rows.spool").write_bytes(b"x" * 1000)
    (path / OWNER_FILE).write_text(record)
    return path


def test_the_directory_of_a_killed_run_is_removed(tmp_path: Path) -> None:
    left = _left_by(tmp_path, str(_dead_pid()))
    assert sweep_stale(str(tmp_path)) == [str(left)]
    assert not left.exists()


def test_a_reused_process_id_does_not_keep_a_dead_run_s_directory(tmp_path: Path) -> None:
    # Our own pid, but a start time that is not ours: the owner died, the pid was reused.
    left = _left_by(tmp_path, f"{os.getpid()} 1")
    sweep_stale(str(tmp_path))
    assert not left.exists()


def test_live_runs_and_directories_without_an_owner_are_kept(tmp_path: Path) -> None:
    live = Workdir(str(tmp_path))
    unknown = tmp_path / f"{PREFIX}unknown"
    unknown.mkdir()
    other = tmp_path / "not-ours"
    other.mkdir()
    (other / OWNER_FILE).write_text(str(_dead_pid()))
    assert sweep_stale(str(tmp_path)) == []
    assert Path(live.name).is_dir() and unknown.is_dir() and other.is_dir()
    live.cleanup()
    assert not Path(live.name).exists()


def _split(manifest: Path, out: Path) -> list[Path]:
    with manifest.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    half = len(rows) * 4 // 5
    paths = [out / "base.csv", out / "day.csv"]
    for path, part in zip(paths, (rows[:half], rows[half:]), strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    return paths


@pytest.mark.parametrize("workers", [1, 2])
def test_full_and_incremental_runs_leave_no_scratch_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(pipeline, "PARALLEL_MIN_MENTIONS", 0)
    synth = generate(tmp_path / "synth", shipments=1_000, seed=3)
    base, day = _split(synth.manifest, tmp_path)
    left = _left_by(scratch, str(_dead_pid()))
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    store = SqliteStore(tmp_path / "s.db")
    load_file(store, base)
    run_resolution(store, workers=workers)
    assert not left.exists()  # swept by the run
    load_file(store, day)
    assert run_resolution(store, workers=workers).delta
    store.close()
    assert sorted(os.listdir(scratch)) == []
