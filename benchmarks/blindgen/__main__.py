"""``python -m benchmarks.blindgen -o DIR --shipments N --seed S [--rings R]``."""

from __future__ import annotations

import argparse
import json
import resource
import time
from pathlib import Path

from benchmarks.blindgen.generator import generate


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.blindgen", description=__doc__)
    ap.add_argument("-o", "--out", type=Path, required=True, help="output directory")
    ap.add_argument("--shipments", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rings", type=int, default=None, help="default: shipments / 3,333")
    ap.add_argument(
        "--identifiers",
        action="store_true",
        help="also write identifiers.csv (the identity of every identifier)",
    )
    args = ap.parse_args(argv)
    start = time.perf_counter()
    summary = generate(args.out, args.shipments, args.seed, args.rings, args.identifiers)
    took = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(summary.as_dict(), indent=2))
    print(
        f"wrote {args.shipments:,} shipments to {args.out} in {took:.1f} s, peak RSS {peak:.0f} MiB"
    )


if __name__ == "__main__":
    main()
