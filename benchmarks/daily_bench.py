"""What a daily ``graphintel run`` costs against a full run of the same data (issue 17).

It takes a manifest (``--manifest``) or synthesizes one (``graphintel synth``, ``--base`` +
``--new`` shipments), splits it by arrival date into a base and a "new day" (the newest
``--new`` rows), builds the base store with ``graphintel run BASE.csv``, copies it, and then
times, each in its own child process:

* daily: ``graphintel run NEWDAY.csv`` on the copy of the base store (incremental resolve,
  and analysis from the base store's analysis cache, copied with it);
* full (the named baseline): ``graphintel run BASE.csv NEWDAY.csv`` on a fresh store.

For each it prints wall time, CPU (the child and its own children: normalizing workers,
the forked resolution process) and peak RSS of the largest process, then the time of each
stage: load, resolve (with the resolver's own stage laps from its log) and analyze. The
target is daily <= 15% of full's wall time. Finally it checks that the two stores hold the
same result: shipments, graph (nodes, edges), mentions with their entity ids, merge
evidence, and the networks of the last analysis (compared on their content and members,
not their ids: the daily run's networks keep the ids of the base run's, by design).

Usage::

    .venv/bin/python benchmarks/daily_bench.py \\
        --base 200000 --new 10000 --workdir /tmp/daily
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

TARGET = 0.15
_LAP = re.compile(r"^(?P<stage>.+) took (?P<wall>[\d.]+) s \((?P<cpu>[\d.]+) s CPU")
# Compared as sets of rows; the columns that differ by design (ids of loads and runs,
# timestamps) are left out.
_TABLES: dict[str, str | None] = {
    "shipments": None,  # every column but load_id
    "nodes": "SELECT id, kind, label, props FROM nodes",
    "edges": "SELECT source, kind, target, weight, props FROM edges",
    "mentions": "SELECT shipment_id, role, entity_id, name FROM mentions",
    # each row with its place among its merge's rows (a day rewrites the rows of some
    # merges: ids and the order of merges differ, ``merge_evidence`` orders them on read);
    # weights are derived on read from the stored levels and counts and the model weights
    # row (entity "")
    "merge_evidence": (
        "SELECT entity_id, mention_a, mention_b,"
        " row_number() OVER (PARTITION BY entity_id, mention_a, mention_b ORDER BY id),"
        " field, value_a, value_b, similarity, weight, rule, level, tf_count"
        " FROM merge_evidence"
    ),
}
_NETWORKS = (
    "SELECT n.network_id, n.rank, n.score, n.reasons, n.typologies, n.first_date,"
    " n.last_date, n.seized_count, n.n_shipments, n.n_entities, n.countries, n.points"
    " FROM networks n WHERE n.run_id = ?"
)


# -- child: one CLI command, timed stage by stage -----------------------------------------
def child(out: Path, argv: list[str]) -> None:
    """Run ``graphintel ARGV`` in this process with its load, resolve and analyze steps
    timed and the resolver's stage laps collected from its log; write them to ``out``."""
    from graphintel.cli import commands

    stages: list[tuple[str, float]] = []
    laps: list[tuple[str, float, float]] = []
    notes: list[str] = []  # what the analysis says of its graph read and search index

    class LapHandler(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            message = record.getMessage()
            found = _LAP.match(message)
            if found:
                laps.append((found["stage"], float(found["wall"]), float(found["cpu"])))
            elif message.startswith(("search index:", "analysis reads")):
                notes.append(message)

    root = logging.getLogger()
    root.addHandler(LapHandler())  # basicConfig then adds no handler: nothing is printed
    root.setLevel(logging.INFO)

    def timed(name: str, step: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return step(*args, **kwargs)
            finally:
                stages.append((name, time.perf_counter() - started))

        return wrapper

    commands._load_files = timed("load", commands._load_files)
    commands._resolve = timed("resolve", commands._resolve)
    commands._analyze = timed("analyze", commands._analyze)
    try:
        commands.cli(argv, standalone_mode=False)
    finally:
        out.write_text(json.dumps({"stages": stages, "laps": laps, "notes": notes}))


# -- parent --------------------------------------------------------------------------------
def timed_child(name: str, store: Path, args: Sequence[str], workdir: Path) -> dict[str, Any]:
    """Run one command in a child process; its wall, CPU, peak RSS and stage times."""
    out = workdir / f"{name}.stages.json"
    command = [sys.executable, __file__, "_child", str(out), "--",
               "--quiet", "--store", f"sqlite:///{store}", *args]  # fmt: skip
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    with (workdir / f"{name}.log").open("w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{name} failed ({proc.returncode}); see {workdir / f'{name}.log'}")
    result: dict[str, Any] = json.loads(out.read_text())
    result.update(load_before=load_before, load_after=os.getloadavg()[0])
    result.update(wall=wall, cpu=usage.ru_utime + usage.ru_stime, rss_mib=usage.ru_maxrss / 1024)
    return result


def show(name: str, result: dict[str, Any]) -> None:
    print(f"\n{name} (load average before {result['load_before']:.2f}, after "
          f"{result['load_after']:.2f}): {result['wall']:.1f} s wall, {result['cpu']:.1f} s CPU, "
          f"peak RSS {result['rss_mib']:,.0f} MiB (largest process)")  # fmt: skip
    for stage, wall in result["stages"]:
        print(f"  {stage:<10} {wall:8.1f} s")
        if stage == "resolve":
            for lap, lap_wall, lap_cpu in result["laps"]:
                print(f"    {lap:<48} {lap_wall:7.1f} s ({lap_cpu:.1f} s CPU)")
    for note in result.get("notes", ()):
        print(f"    {note}")
    rest = result["wall"] - sum(wall for _, wall in result["stages"])
    print(f"  {'the rest':<10} {rest:8.1f} s (start-up, imports, printing the networks)")


def split(manifest: Path, new: int, folder: Path) -> tuple[Path, Path]:
    """The manifest as a base and a new day: its ``new`` latest rows by arrival date."""
    with manifest.open(newline="", encoding="utf-8") as fh:
        header, *rows = list(csv.reader(fh))
    date = header.index("arrival_date")
    rows.sort(key=lambda r: r[date])  # stable: equal dates keep the file's order
    paths = (folder / "base.csv", folder / "newday.csv")
    for path, part in zip(paths, (rows[:-new], rows[-new:]), strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    print(f"base: {len(rows) - new:,} shipments up to {rows[-new - 1][date]}; "
          f"new day: {new:,} from {rows[-new][date]} to {rows[-1][date]}")  # fmt: skip
    return paths


def _digest(rows: list[tuple[Any, ...]]) -> tuple[int, str]:
    h = hashlib.sha256()
    for row in sorted(repr(r) for r in rows):
        h.update(row.encode())
    return len(rows), h.hexdigest()[:16]


def _networks(db: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The last analysis's networks, each with its sorted members instead of its id."""
    (run_id,) = db.execute(
        "SELECT run_id FROM runs WHERE kind = 'analyze' ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    members: dict[str, list[str]] = {}
    for network_id, node_id in db.execute(
        "SELECT network_id, node_id FROM network_members WHERE run_id = ?", (run_id,)
    ):
        members.setdefault(network_id, []).append(node_id)
    return [
        (*row[1:], tuple(sorted(members.get(row[0], []))))
        for row in db.execute(_NETWORKS, (run_id,))
    ]


def fingerprints(store: Path) -> dict[str, tuple[int, str]]:
    """Row count and digest of each compared table of ``store``."""
    with sqlite3.connect(store) as db:
        columns = [c[1] for c in db.execute("PRAGMA table_info(shipments)") if c[1] != "load_id"]
        shipments = "SELECT " + ", ".join(columns) + " FROM shipments"
        found = {
            name: _digest(db.execute(sql or shipments).fetchall()) for name, sql in _TABLES.items()
        }
        found["networks"] = _digest(_networks(db))
    return found


def compare(daily: Path, full: Path) -> bool:
    a, b = fingerprints(daily), fingerprints(full)
    print("\nsame result (daily store vs full store):")
    for name in a:
        same = a[name] == b[name]
        print(f"  {name:<15} {a[name][0]:>10,} rows  {'identical' if same else 'DIFFERENT'}"
              + ("" if same else f" (full: {b[name][0]:,} rows)"))  # fmt: skip
    return a == b


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["_child"]:
        child(Path(argv[1]), argv[3:])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, help="use this manifest instead of synth")
    parser.add_argument("--base", type=int, default=200_000, help="synth: base shipments")
    parser.add_argument("--new", type=int, default=10_000, help="shipments of the new day")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/daily_bench"))
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("*.db*"):
        old.unlink()
    manifest = args.manifest
    if manifest is None:
        from graphintel.synth import generate

        manifest = generate(work / "synth", shipments=args.base + args.new, seed=args.seed).manifest
    base_csv, new_csv = split(manifest, args.new, work)

    base = work / "base.db"
    show(
        "base store: graphintel run BASE.csv",
        timed_child("base", base, ["run", str(base_csv)], work),
    )
    daily = work / "daily.db"
    with sqlite3.connect(base) as source, sqlite3.connect(daily) as copy:
        source.backup(copy)  # whole, also if part of it were still in the WAL
    cache = Path(f"{base}.analysis-cache")  # the analysis cache travels with its store
    if cache.exists():
        shutil.copyfile(cache, Path(f"{daily}.analysis-cache"))
    daily_run = timed_child("daily", daily, ["run", str(new_csv)], work)
    show("daily: graphintel run NEWDAY.csv on a copy of the base store", daily_run)
    full = work / "full.db"
    full_run = timed_child("full", full, ["run", str(base_csv), str(new_csv)], work)
    show("full (baseline): graphintel run BASE.csv NEWDAY.csv on a fresh store", full_run)

    ratio = daily_run["wall"] / full_run["wall"]
    print(f"\ndaily / full wall time: {ratio:.2f} (target <= {TARGET:.2f}: "
          f"{'met' if ratio <= TARGET else 'NOT met'}); CPU: "
          f"{daily_run['cpu'] / full_run['cpu']:.2f}")  # fmt: skip
    same = compare(daily, full)
    print("results identical" if same else "results DIFFER")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
