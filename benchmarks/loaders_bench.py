"""Load throughput and memory of ``loaders.load_file`` against named baselines.

Baselines, run in the same script on the same generated file:
- ``csv.DictReader``: the bare stdlib parse of the CSV (no validation, no store);
- ``sqlite executemany``: the same rows inserted straight into a SQLite table.

Memory: each load runs in its own process at two file sizes; bounded memory means peak RSS
stays flat while the file grows. Usage:

    .venv/bin/python benchmarks/loaders_bench.py --rows 200000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import load_floor  # a sibling script: the raw floor every load benchmark shares
import pyarrow as pa
import pyarrow.parquet as pq

from graphintel.manifest import COLUMN_NAMES


def make_rows(n: int, seed: int = 7) -> list[dict[str, str]]:
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        row = dict.fromkeys(COLUMN_NAMES, "")
        row.update(
            shipment_id=f"HAWB{i:09d}",
            arrival_date=f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            declared_value_usd=f"{rng.uniform(1, 799):.2f}",
            shipper_name=f"Shenzhen Trading Co {rng.randint(1, 5000)}",
            consignee_name=f"Person {rng.randint(1, 200000)}",
            consignee_address=f"{rng.randint(1, 999)} Main St Apt {rng.randint(1, 40)}",
            consignee_city="Springfield",
            consignee_state="IL",
            consignee_postal_code=f"{rng.randint(10000, 99999)}",
            consignee_phone=f"+1 217 555 {rng.randint(1000, 9999)}",
            quantity=str(rng.randint(1, 20)),
            weight_kg=f"{rng.uniform(0.1, 5):.2f}",
            carrier="DHL",
            description="phone case",
        )
        row["bin"] = f"B-{i % 97}"
        rows.append(row)
    return rows


def write_files(rows: list[dict[str, str]], directory: Path) -> dict[str, Path]:
    paths = {
        "csv": directory / "m.csv",
        "jsonl": directory / "m.jsonl",
        "parquet": directory / "m.parquet",
    }
    with paths["csv"].open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with paths["jsonl"].open("w", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in rows)
    pq.write_table(pa.Table.from_pylist(rows), paths["parquet"], row_group_size=50_000)
    return paths


def baseline_dictreader(path: Path) -> float:
    start = time.perf_counter()
    with path.open(encoding="utf-8", newline="") as fh:
        for _ in csv.DictReader(fh):
            pass
    return time.perf_counter() - start


def baseline_executemany(path: Path, db: Path) -> float:
    start = time.perf_counter()
    load_floor.copy_rows(path, db)
    return time.perf_counter() - start


_CHILD = """
import sys, time
from pathlib import Path
from graphintel.store.sqlite import SqliteStore
from loaders import load_file
store = SqliteStore(Path(sys.argv[2]))
start = time.perf_counter()
report = load_file(store, Path(sys.argv[1]))
elapsed = time.perf_counter() - start
assert report.reconciles and report.rows_loaded == report.rows_read, report
hwm = next(l for l in open("/proc/self/status") if l.startswith("VmHWM:")).split()[1]
print(elapsed, hwm)
"""


def load_in_child(path: Path, db: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB, VmHWM: unlike ru_maxrss it is not inherited) of one load
    in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", _CHILD, str(path), str(db)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    n = args.rows
    with tempfile.TemporaryDirectory() as tmp:
        small_dir, big_dir = Path(tmp, "small"), Path(tmp, "big")
        small_dir.mkdir()
        big_dir.mkdir()
        rows = make_rows(n)
        big = write_files(rows, big_dir)
        small = write_files(rows[: n // 4], small_dir)
        del rows
        mib = big["csv"].stat().st_size / 2**20
        print(f"file: {n:,} rows, {len(COLUMN_NAMES) + 1} columns, CSV {mib:.1f} MiB")

        t_parse = baseline_dictreader(big["csv"])
        t_insert = baseline_executemany(big["csv"], Path(tmp, "baseline.db"))
        print(f"baseline csv.DictReader      : {n / t_parse:>10,.0f} rows/s")
        print(f"baseline sqlite executemany  : {n / t_insert:>10,.0f} rows/s")
        for fmt in ("csv", "jsonl", "parquet"):
            seconds, _ = load_in_child(big[fmt], Path(tmp, f"{fmt}.db"))
            print(
                f"load_file {fmt:<8}           : {n / seconds:>10,.0f} rows/s"
                f"  ({seconds / t_parse:.1f}x DictReader, {seconds / t_insert:.1f}x executemany)"
            )
        _, rss_small = load_in_child(small["csv"], Path(tmp, "small.db"))
        _, rss_big = load_in_child(big["csv"], Path(tmp, "big.db"))
        print(
            f"peak RSS, CSV load: {n // 4:,} rows {rss_small / 1024:.0f} MiB, {n:,} rows"
            f" {rss_big / 1024:.0f} MiB (ratio {rss_big / rss_small:.2f} for 4x the rows)"
        )


if __name__ == "__main__":
    main()
