"""``generate()``: plan every shipment as numbers, then render and write in chunks.

Planning keeps one numpy row per shipment (ids and numbers, tens of bytes each); text
exists only for one chunk at a time, so memory stays bounded and a million rows take
seconds. All randomness flows from one ``SeedSequence``: the same seed gives the same bytes.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from graphintel.manifest import COLUMN_NAMES
from graphintel.synth.consumers import shipment_counts
from graphintel.synth.kinds import GENERATOR_VERSION, HUB_KINDS, SEIZED, TYPOLOGIES
from graphintel.synth.legit import plan_legit
from graphintel.synth.plan import DAYS, START_DATE, Plan
from graphintel.synth.profile import PROFILES
from graphintel.synth.render import (
    TRUTH_COLUMNS,
    hub_codes,
    manifest_columns,
    shipment_ids,
    truth_columns,
)
from graphintel.synth.rings import draw_specs, plan_rings
from graphintel.synth.truth import ring_table, write_ring_table
from graphintel.synth.vocab_trade import ENTRY_FILERS
from graphintel.synth.world import World
from graphintel.synth.writer import header, write_rows

log = logging.getLogger(__name__)

MIN_SHIPMENTS = 1_000
CHUNK_ROWS = 50_000
FILES = {
    "manifest": "manifest.csv",
    "truth": "truth.csv",
    "rings": "rings.csv",
    "summary": "summary.json",
}


@dataclass(frozen=True)
class SynthSummary:
    """Where the files went and what they hold."""

    manifest: Path
    truth: Path
    rings: Path
    summary: Path
    seed: int
    shipments: int
    ring_shipments: int
    rings_by_typology: dict[str, int] = field(default_factory=dict)
    seized_shipments: int = 0  # all seized rows, ring and legit
    ring_seized_shipments: int = 0
    hub_counts: dict[str, int] = field(default_factory=dict)  # hub entities by kind
    hub_shipments: dict[str, int] = field(default_factory=dict)  # rows touching each kind

    @property
    def n_rings(self) -> int:
        return sum(self.rings_by_typology.values())


def _unique_serials(n: int, space: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` distinct integers below ``space`` in random order."""
    stride = space // n
    return np.asarray(rng.permutation(n).astype(np.int64) * stride + rng.integers(0, stride, n))


def generate(
    out_dir: Path,
    shipments: int = 20_000,
    seed: int = 7,
    profile: str = "default",
    variations: str | None = None,
) -> SynthSummary:
    """Write manifest.csv, truth.csv, rings.csv and summary.json into ``out_dir``.

    ``profile``: ``default`` or ``national`` (profile.py); ``variations``: ``basic`` or
    ``full`` (the whole catalogue of docs/variations.md), by default the profile's."""
    prof = PROFILES[profile]
    full = prof.full_variations if variations is None else variations == "full"
    if variations not in (None, "basic", "full"):
        raise ValueError(f"variations must be basic or full (got {variations!r})")
    if shipments < MIN_SHIPMENTS:
        raise ValueError(f"shipments must be at least {MIN_SHIPMENTS:,} (got {shipments:,})")
    root = np.random.SeedSequence(seed)
    plan_seq, order_seq, render_seq = root.spawn(3)
    rng = np.random.default_rng(plan_seq)

    specs = draw_specs(shipments, rng)
    n_ring = sum(s.rows for s in specs)
    counts = shipment_counts(shipments - n_ring, rng)
    n_persons = len(counts) + sum(len(s.counts) for s in specs)
    world = World(capacity=n_persons, rng=rng)
    legit, hubs, consolidators = plan_legit(world, counts, shipments, rng, prof)
    plan = Plan.concat([legit, plan_rings(world, specs, consolidators, rng)])
    del legit
    order_rng = np.random.default_rng(order_seq)
    plan = plan.rows(np.lexsort((order_rng.random(shipments), plan.day)))
    serial = _unique_serials(shipments, 10**9, order_rng)
    entry_serial = _unique_serials(shipments, len(ENTRY_FILERS) * 10**7, order_rng)
    salt = int(order_rng.integers(0, 10**8))
    frozen = world.freeze()
    del world  # its per-part tables were copied into ``frozen``
    log.info(
        "planned %d shipments (%d in %d rings), %d persons, %d companies",
        shipments,
        n_ring,
        len(specs),
        len(frozen.persons),
        len(frozen.companies),
    )

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = {k: out_dir / v for k, v in FILES.items()}
    starts = range(0, shipments, CHUNK_ROWS)
    chunk_seqs = render_seq.spawn(len(starts))
    with paths["manifest"].open("wb") as mf, paths["truth"].open("wb") as tf:
        mf.write(header(COLUMN_NAMES))
        tf.write(header(TRUTH_COLUMNS))
        for start, seq in zip(starts, chunk_seqs, strict=True):
            rows = slice(start, start + CHUNK_ROWS)
            chunk = plan.rows(rows)
            sid = shipment_ids(chunk.carrier, serial[rows])
            crng = np.random.default_rng(seq)
            cols, s_bits, c_bits = manifest_columns(
                chunk, frozen, sid, entry_serial[rows], salt, crng, full
            )
            write_rows(mf, cols)
            write_rows(tf, truth_columns(chunk, frozen, sid, s_bits, c_bits))
            log.debug("wrote rows %d..%d", start, min(start + CHUNK_ROWS, shipments))

    ring_rows = ring_table(plan, specs)
    write_ring_table(paths["rings"], ring_rows)
    hub_rows = np.bincount(hub_codes(plan, frozen), minlength=len(HUB_KINDS))
    summary = SynthSummary(
        manifest=paths["manifest"],
        truth=paths["truth"],
        rings=paths["rings"],
        summary=paths["summary"],
        seed=seed,
        shipments=shipments,
        ring_shipments=n_ring,
        rings_by_typology={t: Counter(r.typology for r in ring_rows)[t] for t in TYPOLOGIES},
        seized_shipments=int((plan.outcome == SEIZED).sum()),
        ring_seized_shipments=sum(r.n_seized for r in ring_rows),
        hub_counts={k: int(hubs[k]) for k in HUB_KINDS[1:]},
        hub_shipments={k: int(hub_rows[i]) for i, k in enumerate(HUB_KINDS) if i},
    )
    _write_summary(summary, specs_total=len(specs), profile=profile, full=full)
    return summary


def _write_summary(s: SynthSummary, specs_total: int, profile: str, full: bool) -> None:
    last = START_DATE + np.timedelta64(DAYS - 1, "D")
    doc = {
        "generator": "graphintel.synth",
        "version": GENERATOR_VERSION,
        "seed": s.seed,
        **({} if profile == "default" and not full else {"profile": profile}),
        **({"variations": "full"} if full else {}),
        "shipments": s.shipments,
        "date_range": [str(START_DATE), str(last)],
        "rings": specs_total,
        "rings_by_typology": s.rings_by_typology,
        "ring_shipments": s.ring_shipments,
        "seized_shipments": s.seized_shipments,
        "ring_seized_shipments": s.ring_seized_shipments,
        "hub_counts": s.hub_counts,
        "hub_shipments": s.hub_shipments,
        "files": FILES,
    }
    s.summary.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
