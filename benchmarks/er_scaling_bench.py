"""How entity resolution scales with party mentions, and the 1M-mention resolve.

For each target size (party mentions) it generates ``graphintel synth`` shipments (about
2.24 mentions per shipment), loads them into a fresh SQLite store and counts the candidate
pairs the blocker makes (normalization plus blocking, as ``resolve`` does): mentions,
distinct records, candidate pairs and pairs per mention. Pairs per mention that stay flat
mean candidate pairs grow linearly with the records.

At the largest size it then runs, each in its own process so peak memory is its own:

* the named baseline, ``bare pass``: read every shipment, take its party mentions and write
  them back to a scratch table (``executemany``), nothing else;
* ``resolve --full`` of the whole store with ``--workers`` normalizing processes (the figure
  the target is about), with its stages as the pipeline logs them: entity resolution proper
  (read, normalize, block, compare, fit, cluster: every mention has its entity id), and
  the rest of the command; with 2 workers the resolution and the party half of the graph
  run in a second process while the first writes shipments and identifiers, so those
  stages overlap;
* with ``--incremental``: a resolve of 95% of the shipments, then the other 5% loaded and
  resolved incrementally (the time a daily top-up costs).

CPU figures add the child processes' CPU (normalizing workers, the resolution process) to
the main process's. Memory: the main process's peak RSS, the largest child's, and the peak
of all of them together as proportional set size (sampled every second from /proc: the
forked process shares its parent's pages, which a sum of RSS would count twice).

Usage::

    nice .venv/bin/python benchmarks/er_scaling_bench.py \\
        --sizes 50000,100000,200000,500000,1000000 --incremental
    # the baseline and resolve --full only, on a copy of an existing loaded store (and,
    # with --incremental, the 95% + 5% steps on its manifest):
    nice .venv/bin/python benchmarks/er_scaling_bench.py --store /tmp/s3/base.db \\
        --incremental --manifest /tmp/s3/m450/manifest.csv
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import random
import re
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graphintel.resolve import run_resolution
from graphintel.resolve.blocking import Blocker
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.features import FeatureExtractor, shipment_mentions
from graphintel.resolve.table import RecordTable
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file

MENTIONS_PER_SHIPMENT = 2.24  # synth's shipper + consignee + (most) sellers


_LAP = re.compile(r"^(?P<stage>.+) took (?P<wall>[0-9.]+) s \((?P<cpu>[0-9.]+) s CPU")
RESOLUTION_STAGES = ("reading and normalizing shipments", "resolving parties")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _Laps(logging.Handler):
    """Collects the pipeline's "<stage> took W s (C s CPU...)" log lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.stages: list[dict[str, Any]] = []

    def emit(self, record: logging.LogRecord) -> None:
        found = _LAP.match(record.getMessage())
        if found:
            self.stages.append({"stage": found["stage"], "wall_s": float(found["wall"]),
                                "cpu_s": float(found["cpu"]),
                                "second": "second process" in record.getMessage()})  # fmt: skip


def count_pairs(db: Path) -> dict[str, Any]:
    """Normalize and block like ``resolve`` does; count what the blocker yields."""
    store = SqliteStore(db)
    table, extractor = RecordTable(), FeatureExtractor()
    mentions = 0
    for batch in store.iter_shipments():
        for s in batch:
            for pm in shipment_mentions(s):
                table.add(extractor.features(pm), pm.mention.mention_id)
                mentions += 1
    store.close()
    table.canonical_order()
    blocker = Blocker(table.features, table.mention_count, ResolverConfig())
    blocker.pairs()
    return {"mentions": mentions, "records": len(table), "pairs": blocker.candidate_pairs}


def bare_pass(db: Path) -> dict[str, Any]:
    """Read every mention and write it back: the least a resolver of mentions must do."""
    store = SqliteStore(db)
    scratch = sqlite3.connect(db.with_suffix(".scratch.db"))
    scratch.execute("CREATE TABLE m (mention_id TEXT, name TEXT, phone TEXT, address TEXT)")
    count = 0
    for batch in store.iter_shipments():
        rows = [
            (pm.mention.mention_id, pm.mention.name, pm.mention.phone, pm.mention.address)
            for s in batch
            for pm in shipment_mentions(s)
        ]
        scratch.executemany("INSERT INTO m VALUES (?, ?, ?, ?)", rows)
        count += len(rows)
    scratch.commit()
    scratch.close()
    store.close()
    return {"mentions": count}


def resolve_phase(db: Path, full: bool, workers: int) -> dict[str, Any]:
    laps = _Laps()
    pipeline_log = logging.getLogger("graphintel.resolve.pipeline")
    pipeline_log.setLevel(logging.INFO)
    pipeline_log.addHandler(laps)
    store = SqliteStore(db)
    outcome = run_resolution(store, full=full, workers=workers)
    store.close()
    pipeline_log.removeHandler(laps)
    return {
        "stages": laps.stages,
        "mode": outcome.mode,
        "new_mentions": outcome.new_mentions,
        "compared": outcome.compared_pairs,
        "reused": outcome.reused_pairs,
        **outcome.summary.as_dict(),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_phase(phase: str, db: Path, workers: int) -> dict[str, Any]:
    wall, cpu, child_cpu = time.perf_counter(), time.process_time(), _children_cpu()
    if phase == "baseline":
        out = bare_pass(db)
    elif phase == "pairs":
        out = count_pairs(db)
    else:
        out = resolve_phase(db, full=phase == "full", workers=workers)
    out.update(
        wall_s=time.perf_counter() - wall,
        cpu_s=time.process_time() - cpu + _children_cpu() - child_cpu,
        peak_mb=_peak_mb(),
        worker_peak_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    )
    return out


def _descendants(pid: int) -> list[int]:
    """``pid`` and every process below it (Linux ``/proc``), as far as they still run."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                queue.extend(int(c) for c in (task / "children").read_text().split())
            except OSError:
                continue
    return found


def _pss_mb(pids: list[int]) -> float:
    """Proportional set size of these processes together: pages they share (a fork's
    copy-on-write pages) count once in all, unlike a sum of their RSS."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total_kb += int(line.split()[1])
                    break
        except OSError:
            continue
    return total_kb / 1024


def _child(phase: str, db: Path, workers: int = 1) -> dict[str, Any]:
    """Run one phase in its own process; sample the memory of that process and of every
    process it starts (normalizing workers, the forked resolution process) meanwhile."""
    command = [sys.executable, __file__, "--phase", phase, "--db", str(db),
               "--workers", str(workers)]  # fmt: skip
    with tempfile.TemporaryFile("w+") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.DEVNULL, text=True)
        peak_pss = 0.0
        while proc.poll() is None:
            if sys.platform == "linux":
                peak_pss = max(peak_pss, _pss_mb(_descendants(proc.pid)))
            time.sleep(1.0)
        if proc.returncode != 0:
            raise SystemExit(f"phase {phase} failed with exit code {proc.returncode}")
        out.seek(0)
        result: dict[str, Any] = json.loads(out.read().strip().splitlines()[-1])
    result["peak_pss_mb"] = peak_pss
    return result


def _split(manifest: Path, share: float, seed: int) -> tuple[Path, Path]:
    with manifest.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        rows = list(reader)
    rng = random.Random(seed)
    parts: tuple[list[list[str]], list[list[str]]] = ([], [])
    for row in rows:
        parts[rng.random() >= share].append(row)
    paths = (manifest.with_name("part_a.csv"), manifest.with_name("part_b.csv"))
    for path, part in zip(paths, parts, strict=True):
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows(part)
    return paths


def _fmt(r: dict[str, Any]) -> str:
    text = f"{r['wall_s']:.1f} s wall, {r['cpu_s']:.1f} s CPU, peak RSS {r['peak_mb']:.0f} MiB"
    if r.get("worker_peak_mb"):
        text += f" (largest child process {r['worker_peak_mb']:.0f} MiB)"
    if r.get("peak_pss_mb"):
        text += f"; all its processes together at most {r['peak_pss_mb']:.0f} MiB (PSS)"
    return text


TARGET_MENTIONS = 1_000_000
TARGET_SECONDS = 120.0


def _verdict(wall: float, mentions: int) -> str:
    if mentions < TARGET_MENTIONS:
        return ""
    return f" (target < {TARGET_SECONDS:.0f} s: {'met' if wall < TARGET_SECONDS else 'MISSED'})"


def _print_stages(full: dict[str, Any]) -> None:
    """The pipeline's laps (``*``: in the second process, beside the first's), and the time
    until every mention had its entity id: pass one, then resolution, back to back."""
    stages = full.get("stages", [])
    for lap in stages:
        where = "*" if lap.get("second") else " "
        print(f"   {where}{lap['stage']:<56} {lap['wall_s']:6.1f} s wall {lap['cpu_s']:6.1f} s CPU")
    if any(lap.get("second") for lap in stages):
        print("    (* in the second process, at the same time as the first process's laps)")
    resolution = [lap for lap in stages if lap["stage"] in RESOLUTION_STAGES]
    if len(resolution) != len(RESOLUTION_STAGES):
        return
    wall = sum(lap["wall_s"] for lap in resolution)
    cpu = sum(lap["cpu_s"] for lap in resolution)
    mentions = int(full["mentions"])
    print(f"  entity resolution (every mention has its entity id): {wall:.1f} s wall,"
          f" {cpu:.1f} s CPU{_verdict(wall, mentions)}")  # fmt: skip
    print(f"  graph rebuild after it (the rest of the command):     "
          f"{full['wall_s'] - wall:.1f} s wall")  # fmt: skip
    command = "resolve --full" if full.get("mode") == "full" else "resolve (incremental)"
    print(f"  whole {command + ':':<48}{full['wall_s']:.1f} s"
          f" wall{_verdict(full['wall_s'], mentions)}")  # fmt: skip


def _largest(db: Path, workers: int) -> dict[str, Any]:
    """The baseline and ``resolve --full`` on ``db``; prints and returns the full run."""
    base = _child("baseline", db)
    full = _child("full", db, workers)
    print(f"\nat {full['mentions']:,} party mentions ({full['shipments']:,} shipments),"
          f" {workers} normalizing workers, load average {os.getloadavg()[0]:.1f}:")  # fmt: skip
    print(f"  baseline, bare pass (read mentions, write them back): {_fmt(base)}")
    print(f"  resolve --full:                                       {_fmt(full)}")
    _print_stages(full)
    print(f"  ratio resolve / bare pass: {full['wall_s'] / base['wall_s']:.1f}x wall, "
          f"{full['peak_mb'] / base['peak_mb']:.1f}x peak memory")  # fmt: skip
    print(f"  {full['candidate_pairs']:,} candidate pairs, {full['entities']:,} entities")
    return full


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="50000,100000,200000,500000,1000000")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--phase", choices=("baseline", "pairs", "full", "incremental"))
    parser.add_argument("--db", type=Path)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--workers", type=int, default=min(os.cpu_count() or 1, 4))
    parser.add_argument("--store", type=Path, help="skip the sweep: time a copy of this store")
    parser.add_argument("--manifest", type=Path, help="with --store --incremental: its manifest")
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.db, args.workers)))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="er-scaling-", dir=args.workdir) as tmp:
        work = Path(tmp)
        if args.store:
            copy = work / "store.db"
            shutil.copyfile(args.store, copy)
            full = _largest(copy, args.workers)
            if args.incremental:
                if args.manifest is None:
                    parser.error("--incremental with --store needs --manifest (the store's file)")
                _incremental(args.manifest, work / "incremental", full, args)
            return
        print(
            f"{'target':>10} {'mentions':>10} {'records':>10} {'pairs':>10} {'pairs/mention':>14}"
        )
        for size in sizes:
            out = work / str(size)
            synth = generate(out, shipments=max(2_000, round(size / MENTIONS_PER_SHIPMENT)),
                             seed=args.seed)  # fmt: skip
            db = out / "store.db"
            store = SqliteStore(db)
            load_file(store, synth.manifest)
            store.close()
            r = _child("pairs", db)
            print(f"{size:>10,} {r['mentions']:>10,} {r['records']:>10,} {r['pairs']:>10,} "
                  f"{r['pairs'] / r['mentions']:>14.3f}", flush=True)  # fmt: skip
        largest = work / str(sizes[-1])
        full = _largest(largest / "store.db", args.workers)
        if args.incremental:
            _incremental(largest / "manifest.csv", largest, full, args)


def _incremental(manifest: Path, work: Path, full: dict[str, Any], args: Any) -> None:
    """A full resolve of 95% of ``manifest``, then the other 5% loaded and resolved
    incrementally; compared with ``full`` (the whole store resolved in full)."""
    work.mkdir(parents=True, exist_ok=True)
    local = work / "manifest.csv"
    if local != manifest:
        shutil.copyfile(manifest, local)
    part_a, part_b = _split(local, 0.95, args.seed)
    step = work / "step.db"
    store = SqliteStore(step)
    load_file(store, part_a)
    store.close()
    first = _child("full", step, args.workers)
    store = SqliteStore(step)
    load_file(store, part_b)
    store.close()
    inc = _child("incremental", step, args.workers)
    print(f"  resolve of 95% of the shipments (full):       {_fmt(first)}")
    print(f"  then 5% more, resolved incrementally:         {_fmt(inc)}; "
          f"{inc['new_mentions']:,} new mentions, {inc['compared']:,} pairs compared, "
          f"{inc['reused']:,} reused")  # fmt: skip
    _print_stages(inc)
    print(f"  ratio incremental / full: {inc['wall_s'] / full['wall_s']:.2f}x wall,"
          f" {inc['cpu_s'] / full['cpu_s']:.2f}x CPU")  # fmt: skip


if __name__ == "__main__":
    main()
