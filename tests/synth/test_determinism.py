"""Same seed, same bytes; another seed, another data set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import graphintel.synth.generator as synth_generator
from graphintel.synth import generate

FILE_NAMES = ("manifest.csv", "truth.csv", "rings.csv", "summary.json")


def test_same_seed_gives_byte_identical_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Small chunks so that the multi-chunk path is exercised too.
    monkeypatch.setattr(synth_generator, "CHUNK_ROWS", 700)
    generate(tmp_path / "a", shipments=2_500, seed=5)
    generate(tmp_path / "b", shipments=2_500, seed=5)
    for name in FILE_NAMES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_different_seeds_give_different_data(tmp_path: Path) -> None:
    generate(tmp_path / "a", shipments=1_500, seed=1)
    generate(tmp_path / "b", shipments=1_500, seed=2)
    a = (tmp_path / "a" / "manifest.csv").read_bytes()
    b = (tmp_path / "b" / "manifest.csv").read_bytes()
    assert a.splitlines()[0] == b.splitlines()[0]
    assert len(set(a.splitlines()[1:]) & set(b.splitlines()[1:])) == 0


def test_too_few_shipments_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least"):
        generate(tmp_path, shipments=10)


def test_summary_json_agrees_with_returned_summary(tmp_path: Path) -> None:
    s = generate(tmp_path, shipments=1_500, seed=3)
    doc = json.loads(s.summary.read_text(encoding="utf-8"))
    assert doc["seed"] == 3
    assert doc["shipments"] == s.shipments == 1_500
    assert doc["rings_by_typology"] == s.rings_by_typology
    assert doc["rings"] == s.n_rings >= 8
    assert doc["ring_shipments"] == s.ring_shipments
    assert doc["seized_shipments"] == s.seized_shipments
    assert doc["hub_counts"] == s.hub_counts
    assert set(doc["files"].values()) == set(FILE_NAMES)
    assert doc["version"]


def test_output_does_not_depend_on_python_hash_seed(tmp_path: Path) -> None:
    """Set iteration order changes with PYTHONHASHSEED; the files must not."""
    script = (
        "import sys; from pathlib import Path; from graphintel.synth import generate; "
        "generate(Path(sys.argv[1]), shipments=1_200, seed=4)"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)], env=env, check=True
        )
    for name in FILE_NAMES:
        assert (tmp_path / "1" / name).read_bytes() == (tmp_path / "2" / name).read_bytes(), name
