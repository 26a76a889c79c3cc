"""Network detection quality on ``graphintel synth`` data against its ground truth.

For each size and seed: synth -> load -> resolve -> analyze (connected components, and
Leiden splitting oversized components) -> ``evaluate_networks``. Prints ring recall at
K = 2 x rings (target >= 0.9), precision at K = rings (target >= 0.8), the average
precision of shipment risk scores, and whether a network dominated by legitimate hubs
(consolidators, hotlines, towers, households: over half its shipments) made the top K.
The named baseline is the components-only analysis of the same store; the default
(evidence carving) runs last. Usage:

    .venv/bin/python benchmarks/networks_bench.py --sizes 20000 200000 --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import csv
import tempfile
import time
from collections import Counter
from pathlib import Path

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.analytics.evaluate import evaluate_networks, read_truth
from graphintel.records import Network
from graphintel.resolve import resolve_store
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders.load import load_file


def hub_dominated(networks: list[Network], hub_kind: dict[str, str], top: int) -> list[str]:
    """``kind@rank`` of every top-``top`` network whose shipments are mostly legitimate
    hub traffic (consolidator, hotline, tower, household...)."""
    found = []
    for network in sorted(networks, key=lambda n: n.rank)[:top]:
        kinds = Counter(hub_kind.get(s.removeprefix("shipment:"), "") for s in network.shipment_ids)
        if 1.0 - kinds[""] / max(sum(kinds.values()), 1) > 0.5:
            kinds.pop("", None)
            found.append(f"{kinds.most_common(1)[0][0]}@{network.rank}")
    return found


def unseized_rings(rings_csv: Path) -> set[str]:
    with rings_csv.open(newline="") as f:
        return {row["ring_id"] for row in csv.DictReader(f) if int(row["n_seized"] or 0) == 0}


def run(size: int, seed: int, work: Path) -> None:
    out = work / f"s{size}-{seed}"
    t0 = time.perf_counter()
    ready = out / "resolved.ok"  # a store kept with --work is reused by the next run
    if not ready.exists():
        summary = generate(out, shipments=size, seed=seed)
        fresh = SqliteStore(out / "store.db")
        try:
            load_file(fresh, summary.manifest)
            resolve_store(fresh)
        finally:
            fresh.close()
        ready.touch()
    prep = time.perf_counter() - t0
    store = SqliteStore(out / "store.db")
    try:
        truth = read_truth(out / "truth.csv")
        with (out / "truth.csv").open(newline="") as f:
            hub_kind = {row["shipment_id"]: row["hub_kind"] for row in csv.DictReader(f)}
        quiet = unseized_rings(out / "rings.csv")
        for label, config in (
            ("components (baseline)", AnalysisConfig(carving="components")),
            (
                "leiden, no risk flow",
                AnalysisConfig(
                    carving="components", algorithm="leiden", seed=seed, risk_flow_weight=0.0
                ),
            ),
            ("leiden split", AnalysisConfig(carving="components", algorithm="leiden", seed=seed)),
            ("evidence (default)", AnalysisConfig(seed=seed)),
        ):
            t1 = time.perf_counter()
            run_id = analyze_store(store, config).run_id
            seconds = time.perf_counter() - t1
            networks = store.networks(run_id)
            result = evaluate_networks(networks, truth)
            legit = hub_dominated(networks, hub_kind, result.precision_at)
            legit_2k = hub_dominated(networks, hub_kind, result.recall_at)
            quiet_found = len(quiet - set(result.missed))
            print(
                f"{size:>8,} seed {seed} {label:<22} rings {result.rings:>3}"
                f"  recall@{result.recall_at} {result.recall:.3f}"
                f"  precision@{result.precision_at} {result.precision:.3f}"
                f"  AP {result.average_precision:.3f}"
                f"  rings without seizure found@{result.recall_at} {quiet_found}/{len(quiet)}"
                f"  legit hubs in top {result.precision_at}: {len(legit)}"
                f" (top {result.recall_at}: {' '.join(legit_2k) or 'none'})"
                f"  analyze {seconds:.1f}s (synth+load+resolve {prep:.0f}s, 0 when reused)"
                f"  missed {list(result.missed)}",
                flush=True,
            )
    finally:
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[20_000])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--work", type=Path, default=None, help="Keep the stores here.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.work or Path(tmp)
        for size in args.sizes:
            for seed in args.seeds:
                run(size, seed, work)


if __name__ == "__main__":
    main()
