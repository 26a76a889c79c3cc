"""Benchmark ``graphintel.synth.generate`` against the raw CSV write floor.

Generates N shipments (default 1,000,000) into a temporary directory and prints wall time,
rows per second, output size and peak RSS; then writes the same number of copies of one
generated manifest row with ``csv.writer`` (the baseline: no generation at all, only the
write) and prints the ratio between the two.

    .venv/bin/python benchmarks/bench_synth.py --shipments 1000000 [--profile national]
"""

from __future__ import annotations

import argparse
import csv
import resource
import tempfile
import time
from pathlib import Path

from graphintel.synth import generate


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def baseline_write(path: Path, row: list[str], n: int) -> tuple[float, float]:
    """Wall and CPU seconds for csv.writer to write ``n`` copies of ``row``."""
    start, cpu = time.perf_counter(), time.process_time()
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        batch = [row] * 100_000
        for done in range(0, n, len(batch)):
            w.writerows(batch[: min(len(batch), n - done)])
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shipments", type=int, default=1_000_000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--profile", choices=("default", "national"), default="default")
    args = ap.parse_args()
    n = args.shipments

    with tempfile.TemporaryDirectory(prefix="bench_synth_") as tmp:
        out = Path(tmp) / "synth"
        rss_before = peak_rss_mib()
        start, cpu = time.perf_counter(), time.process_time()
        summary = generate(out, shipments=n, seed=args.seed, profile=args.profile)
        gen_s, gen_cpu = time.perf_counter() - start, time.process_time() - cpu
        rss_gen = peak_rss_mib()
        size_mb = summary.manifest.stat().st_size / 1e6
        truth_mb = summary.truth.stat().st_size / 1e6
        with summary.manifest.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            next(reader)
            row = next(reader)
        base_s, base_cpu = baseline_write(Path(tmp) / "baseline.csv", row, n)

    print(
        f"shipments              {n:,}, profile {args.profile} ({summary.n_rings} rings, "
        f"{summary.ring_shipments:,} ring shipments)"
    )
    print(
        f"generate               {gen_s:8.2f} s   {n / gen_s:12,.0f} rows/s   "
        f"(CPU {gen_cpu:.2f} s)   manifest {size_mb:,.0f} MB + truth {truth_mb:,.0f} MB"
    )
    print(f"peak RSS               {rss_gen:8.0f} MiB (before generate: {rss_before:.0f} MiB)")
    print(f"baseline: csv.writer of {n:,} copies of one manifest row (write floor)")
    print(
        f"                       {base_s:8.2f} s   {n / base_s:12,.0f} rows/s   "
        f"(CPU {base_cpu:.2f} s)"
    )
    print(f"ratio generate/baseline {gen_s / base_s:7.2f}x wall, {gen_cpu / base_cpu:.2f}x CPU")


if __name__ == "__main__":
    main()
