"""The ring table (rings.csv): what each planted ring looks like in the written manifest."""

from __future__ import annotations

import csv
from dataclasses import astuple, dataclass, fields
from pathlib import Path

import numpy as np

from graphintel.synth.kinds import SEIZED, SEIZURE_CATEGORIES, TYPOLOGIES
from graphintel.synth.plan import Plan
from graphintel.synth.rings import RingSpec


@dataclass(frozen=True)
class RingRow:
    ring_id: str
    typology: str
    n_shipments: int
    n_seized: int
    seizure_category: str  # empty when nothing was seized
    n_consignees: int
    n_shippers: int


def ring_id(r: int) -> str:
    return f"ring-{r:04d}"


def _distinct_per_ring(ring: np.ndarray, entity: np.ndarray, n: int) -> np.ndarray:
    pairs = np.unique(np.stack([ring, entity], axis=1), axis=0)
    return np.bincount(pairs[:, 0], minlength=n)


def ring_table(plan: Plan, specs: list[RingSpec]) -> list[RingRow]:
    n = len(specs)
    in_ring = plan.ring >= 0
    ring = plan.ring[in_ring].astype(np.int64)
    shipments = np.bincount(ring, minlength=n)
    seized = np.bincount(ring[plan.outcome[in_ring] == SEIZED], minlength=n)
    consignees = _distinct_per_ring(ring, plan.consignee[in_ring].astype(np.int64), n)
    shippers = _distinct_per_ring(ring, plan.shipper[in_ring].astype(np.int64), n)
    return [
        RingRow(
            ring_id=ring_id(r),
            typology=TYPOLOGIES[s.typology],
            n_shipments=int(shipments[r]),
            n_seized=int(seized[r]),
            seizure_category=SEIZURE_CATEGORIES[s.category] if seized[r] else "",
            n_consignees=int(consignees[r]),
            n_shippers=int(shippers[r]),
        )
        for r, s in enumerate(specs)
    ]


def write_ring_table(path: Path, rows: list[RingRow]) -> None:
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\r\n")
        w.writerow([fl.name for fl in fields(RingRow)])
        w.writerows(astuple(r) for r in rows)
