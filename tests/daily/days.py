"""Synthetic data cut into days: an older base and the newest days as a second load, the
way a store grows in daily operation."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from graphintel.synth import generate


@dataclass(frozen=True)
class Days:
    base: Path  # manifest of the older shipments
    new: Path  # manifest of the newest ``new_days`` days
    truth: Path  # the generator's truth.csv (shipment -> ring)
    cut: str  # first arrival date of the new file


def synth_days(out: Path, shipments: int, seed: int, new_days: int = 10) -> Days:
    """Generate ``shipments`` and split them by arrival date: the last ``new_days`` dates in
    the data go to ``new``, the rest to ``base`` (both keep the header)."""
    summary = generate(out, shipments=shipments, seed=seed)
    with summary.manifest.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        fields = list(reader.fieldnames or ())
        rows = list(reader)
    dates = sorted({r["arrival_date"] for r in rows})
    cut = dates[-new_days]
    paths = (out / "base.csv", out / "new.csv")
    for path, newer in zip(paths, (False, True), strict=True):
        with path.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=fields)
            writer.writeheader()
            writer.writerows(r for r in rows if (r["arrival_date"] >= cut) is newer)
    return Days(paths[0], paths[1], summary.truth, cut)
