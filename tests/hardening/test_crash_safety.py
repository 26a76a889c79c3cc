"""Kill ``graphintel load``, ``resolve`` and ``analyze`` at named points, rerun, compare.

Each test arms one fault point of ``graphintel.faults`` (``GRAPHINTEL_FAULT``) in a real
command, which then SIGKILLs itself exactly there: no timing, no log wording, the same
kill on a fast machine and a slow one. The killed command must leave the store as it was
before it started (every table, row for row), except for what the README says it changes:
a resolve empties the resolver state before it swaps the graph, a resolve killed after
its commit leaves the new graph, and an analysis run killed after it was recorded stays
``running`` until the next ``analyze`` marks it failed. Then the same command runs to the
end, and the store must equal the one an uninterrupted run of that command produces.
"""

from __future__ import annotations

import csv
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from graphintel.faults import ENVIRONMENT_VARIABLE, POINTS
from graphintel.store import trigram_search
from graphintel.store.runguard import INTERRUPTED
from graphintel.synth import generate
from tests.hardening import storedump

SHIPMENTS = 2000
PARTS = 6
BIG_FILE_SHIPMENTS = 5200  # more than one load batch (5,000 rows): a kill can come mid-file
# Only a guard against a hung command, far above any run: the tests never race a clock.
HANG = 3600
GRAPHINTEL = str(Path(sys.executable).with_name("graphintel"))  # the installed command
GRAPH_TABLES = ("nodes", "edges", "mentions", "merge_evidence")
# The CLI with the second-process threshold lowered, so 2,000 shipments resolve forked.
FORKED_CLI = (
    "import sys; from graphintel.resolve import pipeline; pipeline.PARALLEL_MIN_MENTIONS = 0;"
    " from graphintel.cli.commands import cli; cli(sys.argv[1:])"
)


def _command(store: Path, *args: str) -> list[str]:
    return [GRAPHINTEL, "--quiet", "--store", str(store), *args]


def _run(command: list[str], fault: str = "") -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != ENVIRONMENT_VARIABLE}
    if fault:
        env[ENVIRONMENT_VARIABLE] = fault
    return subprocess.run(command, capture_output=True, text=True, timeout=HANG, env=env)


def _ok(command: list[str]) -> None:
    done = _run(command)
    assert done.returncode == 0, done.stderr[-2000:]


def _killed_at(command: list[str], point: str, hit: int = 1) -> None:
    """Run ``command`` with ``point`` armed; assert it died there, by SIGKILL."""
    done = _run(command, f"{point}:{hit}")
    assert f"fault point {point} (hit {hit}): killing process" in done.stderr, done.stderr[-2000:]
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]


def _split(folder: Path, parts: int) -> list[Path]:
    with (folder / "manifest.csv").open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    size = -(-len(rows) // parts)
    paths = []
    for i in range(parts):
        path = folder / f"part{i}.csv"
        with path.open("w", newline="", encoding="utf-8") as out:
            writer = csv.writer(out)
            writer.writerow(header)
            writer.writerows(rows[i * size : (i + 1) * size])
        paths.append(path)
    return paths


@pytest.fixture(scope="module")
def parts(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A synthetic manifest split into several files, so a load commits some and not others."""
    folder = tmp_path_factory.mktemp("manifest")
    generate(folder, shipments=SHIPMENTS, seed=11)
    return _split(folder, PARTS)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory, parts: list[Path]) -> Path:
    """The store after load, resolve and analyze ran once each, uninterrupted."""
    store = tmp_path_factory.mktemp("reference") / "ref.db"
    _ok(_command(store, "load", *map(str, parts)))
    _ok(_command(store, "resolve"))
    _ok(_command(store, "analyze"))
    return store


def _copy(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    return target


def test_every_fault_point_is_exercised_here() -> None:
    """A point added to graphintel.faults without a crash test here fails this test."""
    source = Path(__file__).read_text(encoding="utf-8")
    assert [p for p in POINTS if f'"{p}"' not in source] == []


def test_an_unknown_fault_point_fails_loudly(tmp_path: Path) -> None:
    done = _run(_command(tmp_path / "s.db", "loads"), "resolve.no_such_point")
    assert done.returncode != 0
    assert "unknown fault point 'resolve.no_such_point'" in done.stderr


# -- load ------------------------------------------------------------------------------------
@pytest.mark.parametrize("hit", [1, 3])
def test_load_killed_before_a_commit_keeps_whole_files_and_reruns_to_the_reference(
    tmp_path: Path, parts: list[Path], reference: Path, hit: int
) -> None:
    store = tmp_path / "s.db"
    _ok(_command(store, "load", str(parts[0])))
    untouched = storedump.tables(store)
    # part0 is loaded already, so the n-th commit to come is that of part n.
    _killed_at(_command(store, "load", *map(str, parts)), "load.before_commit", hit)
    if hit == 1:
        assert storedump.tables(store) == untouched
    files = {row[0] for row in storedump.loads(store)}
    assert len(files) == hit  # part0 and the hit - 1 files committed before the kill
    assert storedump.shipments(store) == [
        s for s in storedump.shipments(reference) if s[-2] in files
    ]
    _ok(_command(store, "load", *map(str, parts)))
    assert storedump.integrity(store) == "ok"
    assert storedump.loads(store) == storedump.loads(reference)
    assert storedump.shipments(store) == storedump.shipments(reference)
    assert storedump.quarantine(store) == storedump.quarantine(reference)


def test_load_killed_mid_file_leaves_nothing_of_it_and_reruns_to_the_reference(
    tmp_path: Path,
) -> None:
    generate(tmp_path, shipments=BIG_FILE_SHIPMENTS, seed=5)
    manifest = str(tmp_path / "manifest.csv")
    expected = tmp_path / "expected.db"
    _ok(_command(expected, "load", manifest))
    store = tmp_path / "s.db"
    _ok(_command(store, "loads"))  # an empty store
    untouched = storedump.tables(store)
    _killed_at(_command(store, "load", manifest), "load.mid_file")  # after its first batch
    assert storedump.tables(store) == untouched
    _ok(_command(store, "load", manifest))
    for dump in (storedump.loads, storedump.shipments, storedump.quarantine):
        assert dump(store) == dump(expected)


# -- resolve ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def unresolved(tmp_path_factory: pytest.TempPathFactory, parts: list[Path]) -> Path:
    """Resolved and analyzed before the last file came: the new graph differs from the old."""
    store = tmp_path_factory.mktemp("unresolved") / "s.db"
    _ok(_command(store, "load", *map(str, parts[:-1])))
    _ok(_command(store, "resolve"))
    _ok(_command(store, "analyze"))
    _ok(_command(store, "load", str(parts[-1])))
    return store


@pytest.fixture(scope="module")
def resolved(tmp_path_factory: pytest.TempPathFactory, unresolved: Path) -> Path:
    """``unresolved`` after one uninterrupted resolve."""
    store = _copy(unresolved, tmp_path_factory.mktemp("resolved") / "s.db")
    _ok(_command(store, "resolve"))
    return store


def _without(path: Path, *skipped: str) -> dict[str, storedump.Rows]:
    """The tables but ``skipped``; the search index's stamp without the time it was taken
    (a delta small enough updates the index in place and stamps it anew)."""
    tables = {t: rows for t, rows in storedump.tables(path).items() if t not in skipped}
    if "meta" in tables:
        tables["meta"] = [
            (key, value.split(":")[0]) if key == trigram_search.META_KEY else (key, value)
            for key, value in tables["meta"]
        ]
    return tables


def _check_killed_resolve(store: Path, point: str, unresolved: Path, resolved: Path) -> None:
    assert storedump.integrity(store) == "ok"
    assert storedump.graph(resolved) != storedump.graph(unresolved)  # old and new tell apart
    if point == "resolve.after_normalization":  # nothing written yet
        assert storedump.tables(store) == storedump.tables(unresolved)
        return
    # The resolver state is emptied before the swap and saved after it: the next run
    # resolves in full. The run is recorded last.
    assert storedump.tables(store)["resolver_state"] == []
    assert storedump.tables(store)["runs"] == storedump.tables(unresolved)["runs"]
    if point == "resolve.before_state_save":  # the new graph (and search index) committed
        assert _without(store, "resolver_state", "runs") == _without(
            resolved, "resolver_state", "runs"
        )
    else:
        assert _without(store, "resolver_state") == _without(unresolved, "resolver_state")


@pytest.mark.parametrize(
    "point",
    [
        "resolve.after_normalization",
        "resolve.in_resolution",
        "resolve.between_parts",
        "resolve.before_commit",
        "resolve.before_state_save",
    ],
)
def test_resolve_killed_keeps_the_old_graph_or_the_new_and_reruns_to_the_reference(
    tmp_path: Path, unresolved: Path, resolved: Path, point: str
) -> None:
    store = _copy(unresolved, tmp_path / "s.db")
    _killed_at(_command(store, "resolve"), point)
    _check_killed_resolve(store, point, unresolved, resolved)
    _ok(_command(store, "resolve"))
    assert storedump.graph(store) == storedump.graph(resolved)
    assert storedump.tables(store)["resolver_state"] == storedump.tables(resolved)["resolver_state"]
    assert storedump.shipments(store) == storedump.shipments(unresolved)


def test_resolve_whose_second_process_is_killed_fails_and_reruns_to_the_reference(
    tmp_path: Path, unresolved: Path, resolved: Path
) -> None:
    store = _copy(unresolved, tmp_path / "s.db")
    forked = [sys.executable, "-c", FORKED_CLI, "--quiet", "--store", str(store), "resolve"]
    done = _run([*forked, "--workers", "2"], "resolve.in_resolution")
    # The second process dies; this one reports it, rolls back and exits with status 1.
    assert "fault point resolve.in_resolution (hit 1)" in done.stderr
    assert done.returncode == 1, done.stderr[-2000:]
    assert "the resolution process ended without a result" in done.stderr
    _check_killed_resolve(store, "resolve.in_resolution", unresolved, resolved)
    _ok([*forked, "--workers", "2"])
    assert storedump.graph(store) == storedump.graph(resolved)


# -- analyze ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "point", ["analyze.after_run_recorded", "analyze.mid_analysis", "analyze.before_commit"]
)
def test_analyze_killed_keeps_earlier_runs_and_is_marked_failed_by_the_next(
    tmp_path: Path, reference: Path, point: str
) -> None:
    store = _copy(reference, tmp_path / "s.db")
    untouched = storedump.tables(store)
    (earlier, status, _), *others = storedump.runs(store)
    assert (status, others) == ("succeeded", [])
    expected = storedump.networks(store, earlier)

    _killed_at(_command(store, "analyze"), point)
    after_kill = storedump.tables(store)
    assert storedump.integrity(store) == "ok"
    assert {t: r for t, r in after_kill.items() if t != "runs"} == {
        t: r for t, r in untouched.items() if t != "runs"
    }  # no result of the killed run anywhere
    assert [status for _, status, _ in storedump.runs(store)] == ["succeeded", "running"]

    _ok(_command(store, "analyze"))
    (first, *_), (interrupted, failed, message), (latest, succeeded, _) = storedump.runs(store)
    assert first == earlier
    assert storedump.networks(store, earlier) == expected  # the earlier run untouched
    assert (failed, message) == ("failed", INTERRUPTED)
    assert storedump.networks(store, interrupted) == ([], [])
    assert succeeded == "succeeded"
    assert storedump.networks(store, latest) == expected  # same data, same result
