"""Network detection on a resolved store against a ring truth file (devsets, synth, blind sets).

Scores the way the held-out checks do: a ring is found when one of the top 2R networks
(R = rings) has shipment-set Jaccard >= 0.5 with it; precision@R counts top-R networks whose
shipments are >= 50% from one ring. Prints, per analysis configuration: recall@2R overall and
per ring type, precision@R, AP of shipment risk, recall of rings without any seized shipment,
the purity and size of the largest top-R networks, how many top-R networks are mostly
legitimate traffic (and which legitimate hub kind, when the truth names one), and the
analyze wall time and peak RSS (each analysis runs in a child process, measured by wait4).

The named baseline is ``baseline``: fixed hub limits and connected components, the
algorithm before issue 15. Usage (the store is built once with ``graphintel load`` and
``resolve``; analyses are recorded in it)::

    .venv/bin/python benchmarks/devset_networks_bench.py --store dev1m.db \\
        --truth dev1m_truth.csv.xz --manifest dev1m_manifest.csv.xz --configs baseline default
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import lzma
import os
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphintel.analytics import AnalysisConfig, analyze_store
from graphintel.records import Network
from graphintel.store import SqliteStore

# Named configurations; ``baseline`` is the algorithm before adaptive hubs and evidence carving.
CONFIGS: dict[str, dict[str, Any]] = {
    "baseline": {"hub_rule": "count", "carving": "components", "fed_kinds": ("address",)},
    "default": {},
    # Issue 15: over the count limit, a payment account (and IP) fed mostly by a few non-hub
    # shippers kept like a drop address.
    "fed-address": {"fed_kinds": ("address",)},
    "fed-payment": {"fed_kinds": ("address", "payment")},
    "fed-payment-ip": {"fed_kinds": ("address", "payment", "ip")},
    # The default before hubs were judged under the count limit (hub_usage).
    "count-hubs": {"hub_rule": "count"},
    # The default before ordinary recipients were left out of carved networks.
    "untrimmed": {"carve_trim_recipients": False},
    "baseline-leiden": {"hub_rule": "count", "carving": "components", "algorithm": "leiden"},
    "adaptive-hubs+components": {"hub_rule": "adaptive", "carving": "components"},
    "adaptive-hubs+leiden": {
        "hub_rule": "adaptive",
        "carving": "components",
        "algorithm": "leiden",
    },
    "adaptive-hubs+evidence": {"hub_rule": "adaptive", "carving": "evidence"},
    "fixed-hubs+evidence": {"hub_rule": "count", "carving": "evidence"},
}


def _open_text(path: Path) -> io.TextIOBase:
    if path.suffix == ".xz":
        return io.TextIOWrapper(lzma.open(path), encoding="utf-8", newline="")
    return path.open(newline="", encoding="utf-8")


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with _open_text(path) as handle:
        yield from csv.DictReader(handle)


@dataclass
class Truth:
    ring_of: dict[str, str]  # shipment id -> ring id
    ring_type: dict[str, str]  # ring id -> type ("" when the truth has none)
    hub_kind: dict[str, str]  # shipment id -> legitimate hub kind (synth truth only)
    rings: dict[str, set[str]]
    seized_rings: set[str]


def read_truth(truth: Path, manifest: Path | None) -> Truth:
    ring_of: dict[str, str] = {}
    ring_type: dict[str, str] = {}
    hub_kind: dict[str, str] = {}
    rings: dict[str, set[str]] = defaultdict(set)
    for row in _rows(truth):
        sid = row["shipment_id"]
        if row.get("hub_kind"):
            hub_kind[sid] = row["hub_kind"]
        ring = row.get("ring_id") or ""
        if ring:
            ring_of[sid] = ring
            rings[ring].add(sid)
            ring_type[ring] = row.get("ring_type") or row.get("typology") or ""
    seized: set[str] = set()
    if manifest is not None:
        for row in _rows(manifest):
            if (row.get("inspection_outcome") or "").strip().lower() == "seized":
                seized_ring = ring_of.get(row["shipment_id"])
                if seized_ring:
                    seized.add(seized_ring)
    return Truth(ring_of, ring_type, hub_kind, dict(rings), seized)


def _jaccard_ok(ships: set[str], members: set[str]) -> bool:
    inter = len(ships & members)
    return inter > 0 and inter >= 0.5 * (len(ships) + len(members) - inter)


def evaluate(networks: list[Network], truth: Truth, manifest_given: bool) -> dict[str, Any]:
    ranked = sorted(networks, key=lambda n: n.rank)
    r = len(truth.rings)
    found: set[str] = set()
    correct = 0
    purity_rows = []
    legit = []
    legit_2r = 0
    for position, net in enumerate(ranked[: 2 * r]):
        ships = {s.removeprefix("shipment:") for s in net.shipment_ids}
        per_ring = Counter(truth.ring_of[s] for s in ships if s in truth.ring_of)
        for ring in per_ring:
            if _jaccard_ok(ships, truth.rings[ring]):
                found.add(ring)
        legit_2r += sum(per_ring.values()) * 2 < len(ships)
        if position >= r:
            continue
        top_ring, top_n = per_ring.most_common(1)[0] if per_ring else ("", 0)
        purity = top_n / max(len(ships), 1)
        correct += purity >= 0.5
        purity_rows.append((len(ships), net.rank, purity, top_ring, len(per_ring)))
        in_rings = sum(per_ring.values())
        if in_rings * 2 < len(ships):
            kinds = Counter(truth.hub_kind.get(s, "") for s in ships)
            kinds.pop("", None)
            legit.append(f"{kinds.most_common(1)[0][0] if kinds else 'legit'}@{net.rank}")
    by_type: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for ring, ttype in truth.ring_type.items():
        by_type[ttype][1] += 1
        by_type[ttype][0] += ring in found
    quiet = set(truth.rings) - truth.seized_rings
    risk: dict[str, float] = {}
    for net in ranked:
        for sid in net.shipment_ids:
            key = sid.removeprefix("shipment:")
            risk[key] = max(risk.get(key, 0.0), net.score)
    from graphintel.analytics.evaluate import average_precision

    universe = sorted(set(truth.ring_of) | set(risk) | set(truth.hub_kind))
    ap = average_precision(
        [risk.get(s, 0.0) for s in universe], [s in truth.ring_of for s in universe]
    )
    purity_rows.sort(reverse=True)
    return {
        "rings": r,
        "recall": len(found) / max(r, 1),
        "by_type": {t: f"{f}/{n}" for t, (f, n) in sorted(by_type.items())},
        "precision": correct / max(r, 1),
        "ap": ap,
        "quiet": f"{len(quiet & found)}/{len(quiet)}" if manifest_given else "n/a",
        "quiet_recall": len(quiet & found) / max(len(quiet), 1) if manifest_given else -1.0,
        "largest": [
            f"#{rank}: {n} shipments, purity {p:.2f} ({k} rings)"
            for n, rank, p, _, k in purity_rows[:5]
        ],
        "legit_in_top": legit,
        "legit_in_2r": legit_2r,
    }


def _analyze_child(store_path: str, config_name: str) -> None:
    """Child process: one analysis run; prints its run id as the last line."""
    store = SqliteStore(store_path)
    try:
        summary = analyze_store(store, AnalysisConfig(**CONFIGS[config_name]))
    finally:
        store.close()
    print(json.dumps({"run_id": summary.run_id}), flush=True)


def run_config(store_path: Path, name: str) -> tuple[str, float, float, float]:
    """Analyze in a child process; its run id, wall seconds, peak RSS (MiB) and CPU
    seconds (user + system: steadier than wall time on a shared machine)."""
    cmd = [sys.executable, __file__, "--child", str(store_path), name]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"analysis {name} failed (exit {proc.returncode})")
    run_id = json.loads(out.strip().splitlines()[-1])["run_id"]
    cpu = usage.ru_utime + usage.ru_stime
    return run_id, seconds, usage.ru_maxrss / 1024, cpu  # Linux reports KiB


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--store", type=Path, help="A loaded and resolved SQLite store.")
    parser.add_argument("--truth", type=Path, help="Truth CSV (.xz ok): shipment_id, ring_id...")
    parser.add_argument("--manifest", type=Path, default=None, help="For rings without seizure.")
    parser.add_argument("--configs", nargs="+", default=["baseline", "default"])
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _analyze_child(*args.child)
        return
    if args.store is None or args.truth is None:
        parser.error("--store and --truth are required")
    truth = read_truth(args.truth, args.manifest)
    print(
        f"{args.store.name}: {len(truth.rings)} rings, {len(truth.ring_of):,} ring shipments,"
        f" {len(set(truth.rings) - truth.seized_rings)} without seizure",
        flush=True,
    )
    results = {}
    for name in args.configs:
        run_id, seconds, rss, cpu = run_config(args.store, name)
        store = SqliteStore(args.store)
        try:
            networks = store.networks(run_id)
        finally:
            store.close()
        res = evaluate(networks, truth, args.manifest is not None)
        results[name] = (res, seconds, rss)
        r = res["rings"]
        print(
            f"{name:<26} recall@{2 * r} {res['recall']:.3f} {res['by_type']}"
            f"  precision@{r} {res['precision']:.3f}  AP {res['ap']:.3f}"
            f"  rings without seizure found {res['quiet']}"
            f"  mostly-legit networks in top {r}: {len(res['legit_in_top'])}"
            f" {' '.join(res['legit_in_top'][:8])} (top {2 * r}: {res['legit_in_2r']})"
            f"  analyze {seconds:.1f} s wall, {cpu:.1f} s CPU, peak RSS {rss:,.0f} MiB"
            f"  (run {run_id})",
            flush=True,
        )
        print(f"{'':<26} largest top-{r} networks: {'; '.join(res['largest'])}", flush=True)
    if "baseline" in results and len(results) > 1:
        base, base_s, _ = results["baseline"]
        for name, (res, seconds, _) in results.items():
            if name != "baseline":
                print(
                    f"{name} vs baseline: recall {res['recall'] - base['recall']:+.3f},"
                    f" precision {res['precision'] - base['precision']:+.3f},"
                    f" analyze time x{seconds / max(base_s, 1e-9):.2f}"
                )


if __name__ == "__main__":
    main()
