"""A daily ``graphintel analyze`` from the analysis cache against a full one (issue 17).

It copies a resolved and analysed store (``--store``; never written), loads a new day into
the copy (``--new``) and resolves it (incremental), copies the result once more, then
times in child processes, on the same data:

* cached: ``graphintel analyze`` (the graph read from the analysis cache plus the changes
  the store's journal names since the base analysis);
* full (the named baseline): ``graphintel analyze --full`` (the whole graph read).

and prints wall, CPU and peak RSS of each, the ratio, and whether the two last runs hold
identical networks (content and members), lineage and alerts. A store analysed before the
cache existed has none: the base copy is then analysed once first to make it (timed too).

Usage::

    .venv/bin/python benchmarks/analyze_cache_bench.py \\
        --store /tmp/daily1m/base.db --new /tmp/daily1m/newday.csv --workdir /tmp/anbench
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import daily_bench  # noqa: E402  (a sibling script: its timed child processes)


def _copy(source: Path, target: Path, with_cache: bool) -> None:
    for old in target.parent.glob(f"{target.name}*"):
        old.unlink()
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    cache = Path(f"{source}.analysis-cache")
    if with_cache and cache.exists():
        shutil.copyfile(cache, Path(f"{target}.analysis-cache"))


def _current_cache(path: Path) -> bool:
    """Whether ``path`` holds a cache this code would use (one of other code is not)."""
    from graphintel.analytics.cache_file import StaleCache, load_cache

    try:
        load_cache(path)
    except (FileNotFoundError, StaleCache):
        return False
    return True


def _show_log_lines(log: Path) -> None:
    """The run's own account of how it read the graph and of the search index it rebuilt
    (a resolution's graph delta makes the index stale: part of the analyze stage)."""
    for line in log.read_text(errors="replace").splitlines():
        if "search index:" in line or "graph read" in line or "analysis reads" in line:
            print("   ", line[line.find("graph read") :] if "analyzed:" in line else line)


def _last_run(db: sqlite3.Connection) -> str:
    row = db.execute(
        "SELECT run_id FROM runs WHERE kind = 'analyze' ORDER BY started_at DESC LIMIT 1"
    ).fetchone()
    return str(row[0])


def results(store: Path) -> dict[str, Any]:
    """The last analysis's networks (with members), lineage and alerts, ids of runs aside."""
    with sqlite3.connect(store) as db:
        run_id = _last_run(db)
        lineage = db.execute(
            "SELECT network_id, event, related, added, removed, size FROM network_lineage"
            " WHERE run_id = ?",
            (run_id,),
        ).fetchall()
        alerts = db.execute(
            "SELECT kind, subject, reasons, shipment_ids, network_ids FROM alerts WHERE run_id = ?",
            (run_id,),
        ).fetchall()
        return {
            "networks": daily_bench._digest(daily_bench._networks(db)),
            "lineage": daily_bench._digest(lineage),
            "alerts": daily_bench._digest(alerts),
        }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True, help="resolved, analysed store")
    parser.add_argument("--new", type=Path, required=True, help="the new day's manifest")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/analyze_cache_bench"))
    parser.add_argument("--window-days", type=int, default=None)
    parser.add_argument(
        "--resume",
        action="store_true",
        help="WORKDIR/cached.db already holds the base, its cache and the new day's load"
        " (a run stopped before its resolve): start from the resolve",
    )
    args = parser.parse_args(argv)
    work: Path = args.workdir
    work.mkdir(parents=True, exist_ok=True)
    window = [] if args.window_days is None else ["--window-days", str(args.window_days)]
    cached, full = work / "cached.db", work / "full.db"
    if not args.resume:
        _copy(args.store, cached, with_cache=True)
        if not _current_cache(Path(f"{cached}.analysis-cache")):
            made = daily_bench.timed_child("make-cache", cached, ["analyze", *window], work)
            daily_bench.show("base analysed once to make the cache", made)
        day = daily_bench.timed_child("load", cached, ["load", str(args.new)], work)
        daily_bench.show("new day loaded", day)
    daily_bench.show(
        "new day resolved (incremental)",
        daily_bench.timed_child("resolve", cached, ["resolve"], work),
    )
    _copy(cached, full, with_cache=False)  # the same store, to be analysed from scratch
    fast = daily_bench.timed_child("cached", cached, ["analyze", *window], work)
    slow = daily_bench.timed_child("full", full, ["analyze", "--full", *window], work)
    daily_bench.show("cached: graphintel analyze", fast)
    _show_log_lines(work / "cached.log")
    daily_bench.show("full: graphintel analyze --full", slow)
    _show_log_lines(work / "full.log")
    same = results(cached) == results(full)
    print(
        f"\ncached / full: {fast['wall'] / slow['wall']:.2f} wall"
        f" ({fast['wall']:.1f} s / {slow['wall']:.1f} s),"
        f" {fast['cpu'] / slow['cpu']:.2f} CPU ({fast['cpu']:.1f} s / {slow['cpu']:.1f} s)"
    )
    print(f"networks, lineage and alerts of the two runs: {'identical' if same else 'DIFFERENT'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
