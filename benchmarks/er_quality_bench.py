"""Entity-resolution quality of the Fellegi-Sunter scorer on synthetic shipments, no labels.

For each size, generates ``graphintel synth`` data with ground truth, loads it into a fresh
SQLite store, normalizes every party mention into distinct records (as ``resolve_store``
does) and resolves them twice with ``resolve_records``:

* the named baseline, ``rules``: the fixed decision rules of the first resolver
  (``ResolverConfig(scoring="rules")``);
* ``model``: the Fellegi-Sunter model fitted by EM on the run's own candidate pairs.

Neither run sees the truth. It prints pairwise precision, recall and F1 per role (shippers
and consignees are the targets, F1 >= 0.97), the F1 difference model - rules, the time of
each resolution, and the EM-estimated parameters (lambda, m, u and weight per level, the
most common names and addresses with their term-frequency adjustments). Usage:

    .venv/bin/python benchmarks/er_quality_bench.py --shipments 20000 100000
    .venv/bin/python benchmarks/er_quality_bench.py --shipments 20000 --thresholds 0.5 0.8 0.95
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from graphintel.resolve import FeatureExtractor, RecordTable, ResolverConfig, resolve_records
from graphintel.resolve.evaluate import pairwise_scores, read_entity_truth
from graphintel.resolve.features import shipment_mentions
from graphintel.store import SqliteStore
from graphintel.synth import generate
from loaders import load_file

ROLES = ("shipper", "consignee", "seller")


def _records(db: Path) -> tuple[RecordTable, list[tuple[str, int]]]:
    store = SqliteStore(db)
    extractor = FeatureExtractor()
    table = RecordTable()
    mentions: list[tuple[str, int]] = []
    for batch in store.iter_shipments():
        for s in batch:
            for pm in shipment_mentions(s):
                mention = pm.mention.mention_id
                mentions.append((mention, table.add(extractor.features(pm), mention)))
    store.close()
    return table, mentions


def _scores(
    predicted: dict[str, str], truth: dict[str, str]
) -> dict[str, tuple[float, float, float]]:
    out = {}
    for role in ROLES:
        mine = {m: e for m, e in predicted.items() if m.endswith(f"#{role}")}
        s = pairwise_scores(mine, truth)
        p, r = s.precision, s.recall
        out[role] = (p, r, 2 * p * r / (p + r) if p + r else 0.0)
    return out


def _print_model(model: dict[str, Any]) -> None:
    fit = model["fit"]
    print(f"    EM: {fit['candidate_pairs']:,} pairs in {fit['distinct_vectors']} distinct "
          f"vectors, {fit['em_iterations']} iterations, converged {fit['em_converged']}; "
          f"lambda {model['lambda']:.4f} (prior weight {model['prior_weight']:+.2f} bits), "
          f"threshold p {model['threshold_probability']} = {model['threshold_weight']:+.2f} "
          "bits")  # fmt: skip
    for f in model["fields"]:
        levels = ", ".join(
            f"{lv['level']} m={lv['m']:.3f} u={lv['u']:.4f} w={lv['weight']:+.2f}"
            for lv in f["levels"]
        )
        print(f"    {f['field']:8s} {levels}")
    for name, tf in model["term_frequencies"].items():
        common = "; ".join(
            f"{e['value'][:30]} x{e['parties']} ({e['adjustment']:+.2f})"
            for e in tf["most_common"][:4]
        )
        print(f"    TF {name}: {tf['distinct_values']:,} values, u_random "
              f"{tf['u_random']:.2e}; most common: {common}")  # fmt: skip


def run(shipments: int, seed: int, thresholds: Sequence[float]) -> None:
    with tempfile.TemporaryDirectory(prefix="er-quality-") as tmp:
        work = Path(tmp)
        synth = generate(work, shipments=shipments, seed=seed)
        db = work / "bench.db"
        store = SqliteStore(db)
        load_file(store, synth.manifest)
        store.close()
        truth = read_entity_truth(synth.truth)
        started = time.perf_counter()
        table, mentions = _records(db)
        print(f"\n{shipments:,} shipments (seed {seed}): {len(mentions):,} mentions, "
              f"{len(table):,} distinct records, normalized in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        runs: list[tuple[str, ResolverConfig]] = [("rules", ResolverConfig(scoring="rules"))]
        runs += [(f"model p>={t}", ResolverConfig(match_probability=t)) for t in thresholds]
        baseline: dict[str, tuple[float, float, float]] = {}
        for label, config in runs:
            started = time.perf_counter()
            resolution = resolve_records(table, config)
            seconds = time.perf_counter() - started
            predicted = {m: resolution.entity_of[i] for m, i in mentions}
            scores = _scores(predicted, truth)
            if label == "rules":
                baseline = scores
            print(f"  {label:14s} {seconds:6.1f} s, {resolution.entities:,} entities")
            for role in ROLES:
                p, r, f1 = scores[role]
                delta = f1 - baseline[role][2]
                print(f"    {role:9s} precision {p:.4f} recall {r:.4f} F1 {f1:.4f} "
                      f"(F1 vs rules {delta:+.4f})")  # fmt: skip
            if resolution.model and label == runs[1][0]:
                _print_model(resolution.model)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shipments", type=int, nargs="+", default=[20_000, 100_000])
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--thresholds", type=float, nargs="+", default=[0.8])
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    for n in args.shipments:
        run(n, args.seed, args.thresholds)


if __name__ == "__main__":
    main()
