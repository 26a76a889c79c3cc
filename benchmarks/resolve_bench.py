"""Party resolution and graph build (``resolve_store``) on generated shipments.

Generates ``--shipments`` synthetic shipments with ground truth (``graphintel.synth``),
loads them with the canonical loader into a fresh SQLite store, then runs, each in its
own process so that peak memory is its own:

* the named baseline, ``read pass``: one ``store.iter_shipments()`` pass that builds every
  ``ShipmentRecord`` and does nothing else (the least any resolver must do);
* ``resolve_store``: two passes over the shipments, normalization, blocking, scoring,
  clustering, graph build and the atomic ``replace_graph_parts`` write.

It prints wall and CPU seconds, peak RSS, the ratio of resolve to the baseline, the
resolver's per-stage times (from its log) and its pairwise precision and recall against
the generator's truth. Usage:

    .venv/bin/python benchmarks/resolve_bench.py --shipments 100000
"""

from __future__ import annotations

import argparse
import csv
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from graphintel.resolve import resolve_store
from graphintel.resolve.evaluate import pairwise_scores
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _StageLog(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def run_phase(phase: str, db: Path) -> dict[str, Any]:
    store = SqliteStore(db)
    stages = _StageLog()
    logging.getLogger("graphintel.resolve").addHandler(stages)
    logging.getLogger("graphintel.resolve").setLevel(logging.INFO)
    wall, cpu = time.perf_counter(), time.process_time()
    if phase == "baseline":
        count = sum(len(batch) for batch in store.iter_shipments())
        out: dict[str, Any] = {"shipments": count}
    else:
        out = resolve_store(store).as_dict()
    out.update(
        wall_s=time.perf_counter() - wall,
        cpu_s=time.process_time() - cpu,
        peak_mb=_peak_mb(),
        log=[line for line in stages.lines if "took" in line or "hubs" in line],
    )
    store.close()
    return out


def quality(db: Path, truth_csv: Path) -> dict[str, float]:
    store = SqliteStore(db)
    predicted = {a.mention_id: a.entity_id for batch in store.iter_mentions() for a in batch}
    store.close()
    truth: dict[str, str] = {}
    with truth_csv.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for role in ("shipper", "consignee", "seller"):
                if row[f"{role}_entity"]:
                    truth[f"{row['shipment_id']}#{role}"] = row[f"{role}_entity"]
    out = {}
    for label, suffix in (("all", ""), ("shipper", "#shipper"), ("consignee", "#consignee"),
                          ("seller", "#seller")):  # fmt: skip
        mine = {m: e for m, e in predicted.items() if m.endswith(suffix)}
        scores = pairwise_scores(mine, truth)
        out[f"{label}_precision"] = scores.precision
        out[f"{label}_recall"] = scores.recall
    return out


def _child(phase: str, db: Path) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", phase, "--db", str(db)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--phase", choices=("baseline", "resolve"))
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    if args.phase:
        print(json.dumps(run_phase(args.phase, args.db)))
        return
    with tempfile.TemporaryDirectory(prefix="resolve-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        synth = generate(work, shipments=args.shipments, seed=args.seed)
        store = SqliteStore(work / "bench.db")
        report = load_file(store, synth.manifest)
        store.close()
        print(f"generated and loaded {report.rows_loaded:,} shipments "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        base = _child("baseline", work / "bench.db")
        res = _child("resolve", work / "bench.db")
        scores = quality(work / "bench.db", synth.truth)
    print(f"baseline (read pass): {base['wall_s']:.1f} s wall, {base['cpu_s']:.1f} s CPU, "
          f"peak {base['peak_mb']:.0f} MB")  # fmt: skip
    print(f"resolve_store:        {res['wall_s']:.1f} s wall, {res['cpu_s']:.1f} s CPU, "
          f"peak {res['peak_mb']:.0f} MB")  # fmt: skip
    for line in res["log"]:
        print(f"    {line}")
    wall_ratio = float(res["wall_s"]) / float(base["wall_s"])
    cpu_ratio = float(res["cpu_s"]) / float(base["cpu_s"])
    print(f"ratio resolve / baseline: {wall_ratio:.1f}x wall, {cpu_ratio:.1f}x CPU")
    mentions = int(res["mentions"])
    print(
        f"per mention: {1e6 * float(res['cpu_s']) / mentions:.0f} us CPU "
        f"({mentions:,} mentions, {res['distinct_records']:,} distinct records, "
        f"{res['entities']:,} entities, {res['nodes']:,} nodes, {res['edges']:,} edges)"
    )
    for label in ("all", "shipper", "consignee", "seller"):
        print(f"pairwise {label:9s} precision {scores[f'{label}_precision']:.4f} "
              f"recall {scores[f'{label}_recall']:.4f}")  # fmt: skip


if __name__ == "__main__":
    main()
