"""SIGKILL ``graphintel load``, ``resolve`` and ``analyze`` mid-work, rerun, compare.

Each kill point is seeded: wait for a log line of the command (or none: kill while it is
still starting), then a random delay, then SIGKILL. After the kills the same command runs
to completion, and the store must hold exactly what an uninterrupted run of the same
commands produced: the same shipments with the same source rows, no duplicate, no loss,
earlier analysis runs untouched, and each killed run either absent or marked failed.

The default variant uses a few kill points per command on 2,000 shipments; set
``GRAPHINTEL_HEAVY_TESTS=1`` for the heavier one (more kill points).
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphintel.store.runguard import INTERRUPTED
from graphintel.synth import generate
from tests.hardening import storedump

SHIPMENTS = 2000
PARTS = 6
GRAPHINTEL = str(Path(sys.executable).with_name("graphintel"))  # the installed command
HEAVY = os.environ.get("GRAPHINTEL_HEAVY_TESTS") == "1"

# Log lines (with -v) that mark the stages of each command; "" means "while starting".
LOAD_MARKS = tuple(f"part{i}.csv as load-" for i in range(PARTS - 1))
RESOLVE_MARKS = (
    "reading and normalizing shipments took",
    "resolving parties took",
    "building the graph took",
)
ANALYZE_MARKS = ("analysis run",)


@dataclass(frozen=True)
class Kill:
    mark: str
    delay: float

    def __str__(self) -> str:
        return f"after {self.mark or 'start'!r} + {self.delay:.2f} s"


def _kill_points(seed: int, marks: Sequence[str], n: int, max_delay: float) -> list[Kill]:
    """``n`` kill points at distinct stages where possible (one while starting if heavy)."""
    rng = random.Random(seed)
    stages = list(marks) if len(marks) >= n else [rng.choice(marks) for _ in range(n)]
    chosen = rng.sample(stages, n) if len(stages) >= n else stages
    if HEAVY:
        chosen[0] = ""
    return [Kill(mark, round(rng.uniform(0, max_delay), 2)) for mark in chosen]


def _command(store: Path, *args: str) -> list[str]:
    return [GRAPHINTEL, "--quiet", "-v", "--store", str(store), *args]


def _run(store: Path, *args: str) -> None:
    done = subprocess.run(_command(store, *args), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]


def _run_and_kill(store: Path, kill: Kill, *args: str) -> bool:
    """Start the command, SIGKILL it at ``kill``; True if it was still running then."""
    proc = subprocess.Popen(
        _command(store, *args), stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert proc.stderr is not None
    if kill.mark:
        for line in proc.stderr:
            if kill.mark in line:
                break
    time.sleep(kill.delay)
    killed = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    return killed


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A synthetic manifest split into several files, so a load commits some and not others."""
    folder = tmp_path_factory.mktemp("manifest")
    generate(folder, shipments=SHIPMENTS, seed=11)
    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    size = -(-len(rows) // PARTS)
    paths = []
    for i in range(PARTS):
        path = folder / f"part{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows[i * size : (i + 1) * size])
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, parts: list[Path]) -> Path:
    """The store after load, resolve and analyze ran once each, uninterrupted."""
    store = tmp_path_factory.mktemp("reference") / "ref.db"
    _run(store, "load", *map(str, parts))
    _run(store, "resolve")
    _run(store, "analyze")
    return store


def _assert_loaded_like(store: Path, reference: Path) -> None:
    assert storedump.integrity(store) == "ok"
    assert storedump.loads(store) == storedump.loads(reference)
    assert storedump.shipments(store) == storedump.shipments(reference)
    assert storedump.quarantine(store) == storedump.quarantine(reference)


def _assert_whole_files(store: Path, reference: Path) -> None:
    """Whatever a killed load left is a set of complete files, each exactly as loaded."""
    assert storedump.integrity(store) == "ok"
    loaded = storedump.loads(store)
    assert set(loaded) <= set(storedump.loads(reference))
    files = {row[0] for row in loaded}
    assert storedump.shipments(store) == [
        s for s in storedump.shipments(reference) if s[-2] in files
    ]


def _kills(seed: int, marks: Sequence[str], max_delay: float) -> list[Kill]:
    return _kill_points(seed, marks, 5 if HEAVY else 2, max_delay)


@pytest.mark.parametrize("seed", [1, 2, 3] if HEAVY else [1])
def test_killed_load_reruns_to_the_uninterrupted_store(
    tmp_path: Path, parts: list[Path], reference: Path, seed: int
) -> None:
    store = tmp_path / "s.db"
    interrupted = 0
    for kill in _kills(seed, LOAD_MARKS, 0.4):
        interrupted += _run_and_kill(store, kill, "load", *map(str, parts))
        if store.exists():
            _assert_whole_files(store, reference)  # whatever the kill left: whole files
    assert interrupted, "no kill point caught the load running; the test proved nothing"
    _run(store, "load", *map(str, parts))
    _assert_loaded_like(store, reference)


def test_killed_resolve_reruns_to_the_uninterrupted_graph(tmp_path: Path, reference: Path) -> None:
    store = tmp_path / "s.db"
    shutil.copyfile(reference, store)  # loaded, resolved and analyzed once
    _run(store, "resolve")  # the uninterrupted result, with the code as it is now
    before = storedump.graph(store)
    interrupted = 0
    for kill in _kills(5, RESOLVE_MARKS, 0.5):
        interrupted += _run_and_kill(store, kill, "resolve")
        assert storedump.integrity(store) == "ok", kill
        assert storedump.graph(store) == before, kill  # old graph whole, or the new one whole
    assert interrupted
    _run(store, "resolve")
    assert storedump.graph(store) == before
    _assert_loaded_like(store, reference)  # resolve reads shipments, never writes them


def test_killed_analyze_keeps_earlier_runs_and_marks_itself_failed(
    tmp_path: Path, parts: list[Path], reference: Path
) -> None:
    store = tmp_path / "s.db"
    shutil.copyfile(reference, store)  # loaded, resolved and analyzed once
    _run(store, "analyze")  # an uninterrupted run, with the code as it is now
    earlier = storedump.runs(store)
    assert [status for _, status, _ in earlier] == ["succeeded", "succeeded"]
    earlier_networks = [storedump.networks(store, run_id) for run_id, _, _ in earlier]
    expected = earlier_networks[-1]
    interrupted = 0
    for kill in _kills(9, ANALYZE_MARKS, 0.5):
        interrupted += _run_and_kill(store, kill, "analyze")
        assert storedump.integrity(store) == "ok", kill
    assert interrupted
    _run(store, "analyze")

    runs = storedump.runs(store)
    assert runs[:2] == earlier  # earlier runs untouched
    assert [storedump.networks(store, run_id) for run_id, _, _ in earlier] == earlier_networks
    *attempts, (latest, latest_status, _) = runs[2:]
    assert latest_status == "succeeded"
    assert storedump.networks(store, latest) == expected  # same data, same result
    killed = [run_id for run_id, status, _ in attempts if status != "succeeded"]
    assert killed, "no kill point caught a recorded run; the guard was not exercised"
    for run_id, status, message in attempts:
        if status == "succeeded":  # the kill came after the run had committed
            assert storedump.networks(store, run_id) == expected
        else:
            assert (status, message) == ("failed", INTERRUPTED), run_id
            assert storedump.networks(store, run_id) == ([], [])
    _assert_loaded_like(store, reference)
    assert storedump.graph(store) == storedump.graph(reference)
