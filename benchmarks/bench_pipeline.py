"""Time and peak memory of the whole CLI pipeline, as a user runs it.

Runs ``graphintel synth`` (default 1,000,000 shipments) and ``graphintel run`` (default
100,000 shipments) as separate processes and prints wall time and peak RSS of each, then
the same figures for a named baseline run in this script on the same manifest:

- ``raw floor``: ``csv.reader`` over the manifest plus ``sqlite3.executemany`` of every
  row into one table: the least any loader can do, with no validation, resolution,
  graph or analysis.

    .venv/bin/python benchmarks/bench_pipeline.py --synth-shipments 1000000 --run-shipments 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load_floor  # a sibling script: the raw floor every load benchmark shares

_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
wall = time.perf_counter() - start
rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
print(f"{code} {wall} {rss}")
"""


def measure(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command run in its own process tree."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, *cmd], check=True, capture_output=True, text=True
    ).stdout.split()
    code, wall, rss = int(out[0]), float(out[1]), float(out[2])
    if code != 0:
        raise SystemExit(f"{' '.join(cmd)} exited {code}")
    return wall, rss


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--synth-shipments", type=int, default=1_000_000)
    ap.add_argument("--run-shipments", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    exe = shutil.which("graphintel") or str(Path(sys.executable).parent / "graphintel")

    with tempfile.TemporaryDirectory(prefix="bench_pipeline_") as tmp:
        big, small = Path(tmp) / "big", Path(tmp) / "small"
        synth_s, synth_rss = measure(
            [
                exe,
                "synth",
                "-o",
                str(big),
                "--shipments",
                str(args.synth_shipments),
                "--seed",
                str(args.seed),
            ]
        )
        shutil.rmtree(big)
        subprocess.run(
            [exe, "synth", "-o", str(small), "--shipments", str(args.run_shipments)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        manifest = small / "manifest.csv"
        store = Path(tmp) / "run.db"
        run_s, run_rss = measure(
            [exe, "--quiet", "--store", str(store), "run", str(manifest), "--top", "0"]
        )
        floor_s, floor_rss = measure(
            [sys.executable, load_floor.SCRIPT, str(manifest), str(Path(tmp) / "floor.db")]
        )
        networks = json.loads(
            subprocess.run(
                [exe, "--store", str(store), "networks", "--format", "json", "--top", "5"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
        with manifest.open(newline="", encoding="utf-8") as f:
            rows = sum(1 for _ in csv.reader(f)) - 1
        conn = sqlite3.connect(store)
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("shipments", "nodes", "edges")
        }
        conn.close()

    print(
        f"graphintel synth  {args.synth_shipments:>9,} shipments  {synth_s:7.1f} s"
        f"  peak RSS {synth_rss:7.0f} MiB"
    )
    print(
        f"graphintel run    {rows:>9,} shipments  {run_s:7.1f} s"
        f"  peak RSS {run_rss:7.0f} MiB  ({counts['nodes']:,} nodes, {counts['edges']:,} edges,"
        f" top network score {networks[0]['score'] if networks else 0})"
    )
    print(
        f"raw floor         {rows:>9,} shipments  {floor_s:7.1f} s"
        f"  peak RSS {floor_rss:7.0f} MiB  (csv.reader + sqlite3 executemany)"
    )
    print(f"ratio run / raw floor: {run_s / floor_s:.1f}x time, {run_rss / floor_rss:.1f}x memory")
    _ = time  # keep the import for readers timing parts by hand


if __name__ == "__main__":
    main()
