"""Name comparison and large-block screening on a resolved store, against their oracles.

Reads the resolver state a ``resolve`` left in ``--store`` (the features of every distinct
record; pass a copy: opening a store may upgrade its schema), runs ``resolve_records`` once
while recording every name pair it compares and every large identifier block it splits by
name, then times, in CPU seconds, on exactly those inputs:

* ``compare_names`` against the named baseline ``reference_compare_names`` (the previous
  word-by-word implementation, kept in ``tests/resolve/test_compare_names_oracle.py``);
* ``Blocker._large_block_pairs`` against ``reference_large_block_pairs`` (the previous two
  full rapidfuzz screens, kept in ``tests/resolve/test_large_block_oracle.py``).

It prints the counts, the number of differing answers (must be 0), CPU seconds, the ratio
to the baseline and the load average. Usage (from the repository root):

    .venv/bin/python benchmarks/name_screens_bench.py --store /tmp/copy-of-a-resolved.db
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from graphintel.resolve import cluster, scoring
from graphintel.resolve.blocking import Blocker
from graphintel.resolve.config import ResolverConfig
from graphintel.resolve.resolver import resolve_records
from graphintel.resolve.state import decode
from graphintel.resolve.table import RecordTable
from graphintel.store import SqliteStore


def _oracle(module: str, name: str) -> Any:
    """An oracle kept beside its property test (``tests`` is not an installed package)."""
    path = Path(__file__).resolve().parents[1] / "tests" / "resolve" / f"{module}.py"
    spec = importlib.util.spec_from_file_location(module, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {path}")
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return getattr(loaded, name)


def _record(table: RecordTable) -> tuple[list[tuple[str, str, bool]], list[list[int]], float]:
    """The distinct name pairs and the large blocks one ``resolve_records`` run meets."""
    pairs: dict[tuple[str, str, bool], None] = {}
    blocks: list[list[int]] = []
    cached, large = scoring.compare_names_cached, Blocker._large_block_pairs

    def names(a: str, b: str, companies: bool = False) -> scoring.NameComparison:
        pairs[(a, b, companies)] = None
        return cached(a, b, companies)

    def block(self: Blocker, members: list[int]) -> Iterator[tuple[int, int]]:
        blocks.append(list(members))
        return large(self, members)

    for module in (scoring, cluster):
        setattr(module, "compare_names_cached", names)  # noqa: B010
    setattr(Blocker, "_large_block_pairs", block)  # noqa: B010
    try:
        start = time.process_time()
        resolve_records(table)
        seconds = time.process_time() - start
    finally:
        for module in (scoring, cluster):
            setattr(module, "compare_names_cached", cached)  # noqa: B010
        setattr(Blocker, "_large_block_pairs", large)  # noqa: B010
    return list(pairs), blocks, seconds


def bench(store_path: str) -> dict[str, Any]:
    store = SqliteStore(store_path)
    saved = decode(store.resolver_state())
    store.close()
    if saved is None:
        raise SystemExit(f"{store_path} holds no resolver state: run `graphintel resolve` first")
    table = RecordTable()
    table.restore(saved.features, saved.first_mention, saved.mention_count)
    reference_compare_names = _oracle("test_compare_names_oracle", "reference_compare_names")
    reference_large_block_pairs = _oracle("test_large_block_oracle", "reference_large_block_pairs")
    pairs, blocks, resolve_cpu = _record(table)
    out: dict[str, Any] = {"records": len(table), "resolve_records_cpu_s": resolve_cpu}

    start = time.process_time()
    expected = [reference_compare_names(a, b, c) for a, b, c in pairs]
    baseline = time.process_time() - start
    scoring._split.cache_clear()
    start = time.process_time()
    got = [scoring.compare_names(a, b, c) for a, b, c in pairs]
    current = time.process_time() - start
    out["name_pairs"] = len(pairs)
    out["name_differences"] = sum(x != y for x, y in zip(got, expected, strict=True))
    out["compare_names"] = (baseline, current)

    records, counts, config = table.features, table.mention_count, ResolverConfig()
    blocker = Blocker(records, counts, config)
    start = time.process_time()
    expected_blocks = [
        list(reference_large_block_pairs(records, counts, config, m)) for m in blocks
    ]
    baseline = time.process_time() - start
    start = time.process_time()
    got_blocks = [list(blocker._large_block_pairs(m)) for m in blocks]
    current = time.process_time() - start
    out["large_blocks"] = len(blocks)
    out["block_pairs"] = sum(map(len, got_blocks))
    out["block_differences"] = sum(x != y for x, y in zip(got_blocks, expected_blocks, strict=True))
    out["large_block_pairs"] = (baseline, current)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--store", required=True, help="a resolved SQLite store (a copy)")
    args = parser.parse_args()
    result = bench(args.store)
    print(f"records {result['records']}, resolve_records {result['resolve_records_cpu_s']:.1f} s")
    print(
        f"name pairs {result['name_pairs']}, differences {result['name_differences']}; "
        f"large blocks {result['large_blocks']}, pairs {result['block_pairs']}, "
        f"differences {result['block_differences']}"
    )
    for label in ("compare_names", "large_block_pairs"):
        baseline, current = result[label]
        print(
            f"{label}: baseline {baseline:.2f} s CPU, now {current:.2f} s CPU, "
            f"{baseline / current:.2f}x"
        )
    print("load average", " ".join(f"{x:.2f}" for x in os.getloadavg()))


if __name__ == "__main__":
    main()
