"""One small generated data set shared by the synth tests (generated once per session)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import pytest

from graphintel.synth import SynthSummary, generate

N_SHIPMENTS = 8_000


@dataclass(frozen=True)
class Generated:
    summary: SynthSummary
    manifest: list[dict[str, str]]
    truth: list[dict[str, str]]
    rings: list[dict[str, str]]

    def rows_of_ring(self, ring_id: str) -> list[tuple[dict[str, str], dict[str, str]]]:
        return [
            (m, t)
            for m, t in zip(self.manifest, self.truth, strict=True)
            if t["ring_id"] == ring_id
        ]

    def rings_of(self, typology: str) -> list[str]:
        return [r["ring_id"] for r in self.rings if r["typology"] == typology]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="session")
def gen(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    out = tmp_path_factory.mktemp("synth")
    summary = generate(out, shipments=N_SHIPMENTS, seed=11)
    return Generated(
        summary=summary,
        manifest=read_csv(summary.manifest),
        truth=read_csv(summary.truth),
        rings=read_csv(summary.rings),
    )
