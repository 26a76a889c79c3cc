"""``--profile national``: same seed same bytes, denser legitimate hubs than the default
profile, and every class of the variation catalogue with its truth."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

import graphintel.synth.generator as synth_generator
from graphintel.cli import cli
from graphintel.synth import generate
from graphintel.synth.variation import CLASSES
from tests.synth import keys
from tests.synth.conftest import read_csv

N = 12_000


@pytest.fixture(scope="module")
def national(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("national")
    generate(out, shipments=N, seed=3, profile="national")
    return out


def test_same_seed_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth_generator, "CHUNK_ROWS", 900)
    for d in ("a", "b"):
        generate(tmp_path / d, shipments=2_500, seed=4, profile="national")
    for name in ("manifest.csv", "truth.csv", "rings.csv", "summary.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_every_catalogue_class_is_written(national: Path) -> None:
    seen: set[str] = set()
    for t in read_csv(national / "truth.csv"):
        seen.update(f"{t['shipper_variation']}|{t['consignee_variation']}".split("|"))
    assert set(CLASSES) <= seen


def test_hubs_are_denser_than_the_default_profile(national: Path, tmp_path: Path) -> None:
    generate(tmp_path, shipments=N, seed=3)
    dense = json.loads((national / "summary.json").read_text())
    plain = json.loads((tmp_path / "summary.json").read_text())
    assert dense["profile"] == "national" and dense["variations"] == "full"
    for kind in ("consolidator", "hotline", "tower"):
        assert dense["hub_counts"][kind] > plain["hub_counts"][kind], kind
    assert plain["hub_counts"]["carrier_phone"] == 0 < dense["hub_counts"]["carrier_phone"]


def test_a_carrier_phone_is_printed_by_several_true_shippers(national: Path) -> None:
    owners: dict[str, set[str]] = defaultdict(set)
    for m, t in zip(read_csv(national / "manifest.csv"), read_csv(national / "truth.csv"),
                    strict=True):  # fmt: skip
        if t["hub_kind"] == "carrier_phone" and m["shipper_phone"]:
            owners[keys.phone(m["shipper_phone"])].add(t["shipper_entity"])
    assert max(len(s) for s in owners.values()) >= 3


def test_cli_takes_profile_and_variations(tmp_path: Path) -> None:
    out = tmp_path / "cli"
    args = ["synth", "-o", str(out), "--shipments", "1000", "--seed", "2"]
    result = CliRunner().invoke(cli, [*args, "--variations", "full"])
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["variations"] == "full" and "profile" in summary
    result = CliRunner().invoke(cli, [*args, "--profile", "nowhere"])
    assert result.exit_code != 0 and "nowhere" in result.output
