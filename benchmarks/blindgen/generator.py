"""Stream a manifest, its truth and (optionally) identifier truth to disk, row by row."""

from __future__ import annotations

import csv
import json
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.blindgen.rows import IDENTIFIER_COLUMNS, TRUTH_COLUMNS, RowMaker
from benchmarks.blindgen.world import World
from graphintel.manifest import COLUMN_NAMES

BATCH = 5_000


@dataclass(frozen=True)
class Summary:
    shipments: int
    rings: int
    ring_shipments: int
    rings_by_type: dict[str, int]
    rings_without_seizure: int
    merchants: int
    forwarders: int

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def default_rings(shipments: int) -> int:
    """One ring per ~3,333 shipments (60 at 200k, 300 at 1M), at least 4."""
    return max(4, shipments // 3333)


def generate(
    out_dir: Path,
    shipments: int,
    seed: int,
    rings: int | None = None,
    identifiers: bool = False,
) -> Summary:
    """Write manifest.csv and truth.csv (and identifiers.csv) into ``out_dir``."""
    if shipments < 500:
        raise ValueError(f"shipments must be at least 500 (got {shipments})")
    n_rings = default_rings(shipments) if rings is None else rings
    world = World(seed, shipments, n_rings)
    slots = [(r, j) for r, ring in enumerate(world.rings) for j in range(ring.size)]
    if len(slots) > shipments // 4:
        raise ValueError(f"{n_rings} rings need {len(slots)} shipments: too many for {shipments}")
    order = random.Random(f"{seed}:order")
    order.shuffle(slots)
    positions = sorted(order.sample(range(shipments), len(slots)))
    at = dict(zip(positions, slots, strict=True))
    maker = RowMaker(world, seed)
    rng = random.Random(f"{seed}:rows")
    out_dir.mkdir(parents=True, exist_ok=True)
    files = [out_dir / "manifest.csv", out_dir / "truth.csv"]
    if identifiers:
        files.append(out_dir / "identifiers.csv")
    handles = [p.open("w", newline="", encoding="utf-8") for p in files]
    try:
        writers = [csv.writer(h, lineterminator="\r\n") for h in handles]
        writers[0].writerow(COLUMN_NAMES)
        writers[1].writerow(TRUTH_COLUMNS)
        if identifiers:
            writers[2].writerow(IDENTIFIER_COLUMNS)
        batch: list[list[list[str]]] = [[] for _ in writers]
        for i in range(shipments):
            slot = at.get(i)
            if slot is None:
                row = maker.legit(i, rng)
            else:
                row = maker.ring(i, world.rings[slot[0]], slot[1], rng)
            batch[0].append([row.manifest.get(c, "") for c in COLUMN_NAMES])
            batch[1].append(row.truth)
            if identifiers:
                batch[2].append(row.identifiers)
            if len(batch[0]) >= BATCH:
                for w, b in zip(writers, batch, strict=True):
                    w.writerows(b)
                    b.clear()
        for w, b in zip(writers, batch, strict=True):
            w.writerows(b)
    finally:
        for h in handles:
            h.close()
    summary = Summary(
        shipments=shipments,
        rings=n_rings,
        ring_shipments=len(slots),
        rings_by_type=dict(Counter(r.kind for r in world.rings)),
        rings_without_seizure=sum(1 for r in world.rings if not r.seized),
        merchants=len(world.merchants),
        forwarders=len(world.forwarders),
    )
    doc = {"generator": "benchmarks.blindgen", "seed": seed, **summary.as_dict()}
    (out_dir / "summary.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return summary
